"""Counts as counts: events and persons are whole numbers, and towns add up to no more than their district.

A district is checked against its towns only where ``analysis/catalog/partitions.csv`` says the towns
partition it; the quantities checked are counts: values of indicators in 人/件/个 and the numerators
and denominators of rates of small counts (孕产妇死亡数, 活产数). Towns may report less than the
district (a town may be missing); more is impossible.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pandas as pd

from analysis.catalog import HERE
from analysis.data.problems import Problem

PARTITIONS_CSV = HERE / "partitions.csv"
COUNT_UNITS = ("人", "件", "个", "例", "次", "起")


def load_partitions(path: Path = PARTITIONS_CSV) -> set[str]:
    """The regions whose towns (regions.csv, parent = region) partition them."""
    if not path.exists():
        return set()
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return set(frame.loc[frame["parts"] == "township", "region"])


def _quantities(indicator, numbers: tuple) -> dict[str, float]:
    value, numerator, denominator, status = numbers
    found = {}
    if status == "missing":
        return found
    if indicator.unit in COUNT_UNITS and value is not None and value == value:
        found["value"] = float(value)
    for name, count in (("numerator", numerator), ("denominator", denominator)):
        if count is not None and count == count:
            found[name] = float(count)
    return found


def counts_check(pending: list, vocab, stored: dict | None = None) -> list[Problem]:
    """Towns' counts above their district's, for a district the catalog says its towns partition."""
    partitioned = load_partitions()
    if not partitioned:
        return []
    parent = dict(zip(vocab.regions["region"], vocab.regions["parent"]))
    level = dict(zip(vocab.regions["region"], vocab.regions["level"]))
    # (indicator, district, year, sex, urban_rural, group, age) -> {"district": (numbers, where), "towns": {...}}
    slots: dict[tuple, dict] = defaultdict(lambda: {"district": None, "towns": {}})
    for key, (numbers, file, cell) in (stored or {}).items():
        region = key[1]
        district = region if region in partitioned else parent.get(region) if level.get(region) == "township" else None
        if district in partitioned:
            slot = slots[(key[0], district, *key[2:])]
            where = (file, cell, None)
            if region == district:
                slot["district"] = (numbers, where)
            else:
                slot["towns"][region] = (numbers, where)
    for item in pending:
        for record in item.records:
            region = record.region
            district = region if region in partitioned else parent.get(region) if level.get(region) == "township" else None
            if district not in partitioned:
                continue
            slot = slots[(record.indicator_id, district, *record.key[2:])]
            entry = ((record.value, record.numerator, record.denominator, record.status), (item.label, record.cell, record))
            if region == district:
                slot["district"] = entry
            else:
                slot["towns"][region] = entry
    problems = []
    for key, slot in slots.items():
        if slot["district"] is None or not slot["towns"]:
            continue
        indicator = vocab.indicators.get(key[0])
        if indicator is None:
            continue
        district_numbers, (district_file, district_cell, district_record) = slot["district"]
        whole = _quantities(indicator, district_numbers)
        sums: dict[str, float] = defaultdict(float)
        new = district_record is not None
        for numbers, (_, _, record) in slot["towns"].values():
            new |= record is not None
            for name, count in _quantities(indicator, numbers).items():
                sums[name] += count
        if not new:
            continue  # both already stored: nothing of this load
        for name, total in sums.items():
            if name in whole and total > whole[name] + 1e-9:
                town_record = next((r for _, (_, _, r) in slot["towns"].values() if r is not None), None)
                record = district_record or town_record
                towns = "、".join(sorted(slot["towns"]))
                what = {"value": "the value", "numerator": indicator.numerator_zh or "the numerator",
                        "denominator": indicator.denominator_zh or "the denominator"}[name]  # fmt: skip
                sheet, _, _ = record.cell.rpartition("!")
                label = district_file if district_record is not None else next(
                    f for _, (f, _, r) in slot["towns"].values() if r is not None)  # fmt: skip
                problems.append(Problem(
                    label, f"{indicator.indicator_id} {key[2]}: the towns ({towns}) add up to {total:g} for {what}, "
                    f"more than {key[1]}'s {whole[name]:g} ({district_file} {district_cell}); the towns partition the "
                    "district (analysis/catalog/partitions.csv), so their counts cannot exceed it",
                    "check the district's figure and each town's (a case counted in two towns, or the district's "
                    "figure missing a town)", sheet=sheet, row=record.row))  # fmt: skip
    return problems
