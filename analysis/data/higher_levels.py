"""Checks of the higher levels' figures (data/raw/comparison/, data/raw/national/): each row a
published figure of 全国, 四川省 or 乐山市, with the page that states it.

``check_higher_level_rows`` is called by the ingest for every table in those folders; each refusal
names the file, the row, the column and the fix, and the ingest then writes nothing:

* the region is a higher level (a 金口河区 or a town row belongs with the district's data);
* the row has the page's address (``source_url``, http…) and the sentence stating the figure
  (``quote``), and the quote states the value as a number (2 is not found in "12");
* the unit is written, as published (a unit other than the catalog's is refused by the reader);
* the value lies in the range plausible for a population of that level
  (``plausible_ranges_levels.csv``: e.g. a national maternal mortality of 0.125/10万 is a ‰ or a
  fraction typed under 1/10万).
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pandas as pd

from analysis.catalog import states_number
from analysis.data.longtable import find_header
from analysis.data.problems import Problem
from analysis.data.records import Record
from analysis.data.sheets import Sheet
from analysis.data.vocabulary import Vocabulary

HIGHER_LEVEL_FOLDERS = ("comparison", "national")
HIGHER_LEVELS = ("national", "province", "city")
LEVEL_ZH = {"national": "全国", "province": "省", "city": "市", "district": "区县", "township": "乡镇"}
LEVEL_RANGES_CSV = Path(__file__).with_name("plausible_ranges_levels.csv")


def is_higher_level_file(label: str) -> bool:
    """A table in a comparison folder (``…/comparison/…`` or ``…/national/…`` under data/raw)."""
    return any(part in HIGHER_LEVEL_FOLDERS for part in PurePosixPath(label).parts[:-1])


def load_level_ranges(path: Path = LEVEL_RANGES_CSV) -> dict[tuple[str, str], tuple[float, float, str]]:
    """(indicator_id, level) -> (min, max, why), the level as regions.csv names it."""
    frame = pd.read_csv(path, encoding="utf-8-sig", dtype={"levels": str})
    return {(r.indicator_id, level): (float(r.plausible_min), float(r.plausible_max), r.why)
            for r in frame.itertuples() for level in r.levels.split(";")}  # fmt: skip


def check_higher_level_rows(sheet: Sheet, label: str, records: list[Record], vocab: Vocabulary,
                            ranges: dict | None = None) -> list[Problem]:  # fmt: skip
    """Problems of the rows of one comparison table (see the module docstring)."""
    ranges = load_level_ranges() if ranges is None else ranges
    found = find_header(sheet)
    columns = found[1] if found else {}
    levels = dict(zip(vocab.regions["region"], vocab.regions["level"]))
    problems = []
    for record in records:

        def refuse(name: str, message: str, fix: str, row: int = record.row) -> None:
            problems.append(Problem(label, message, fix, sheet=sheet.name, row=row,
                                    column=columns.get(name), column_name=name))  # fmt: skip

        level = levels.get(record.region, "")
        if level not in HIGHER_LEVELS:
            refuse("region", f"{record.region} is a {LEVEL_ZH.get(level, level)} ({level}), not a higher level: "
                   "a comparison file holds 全国, 四川省 or 乐山市 figures only",
                   "move the row to the district's own data (data/raw/<year>/…), or correct the region")
            continue
        if not record.source_url.startswith(("http://", "https://")):
            refuse("source_url", "the row has no address of the page that states the figure",
                   "put the page's URL (http…) in source_url")
        if not record.quote:
            refuse("quote", "the row has no quote", "copy the sentence on the page that states the figure into quote")
        elif record.value is not None and not states_number(record.quote, record.value):
            refuse("quote", f"the quote does not state {record.value:g} as a number",
                   "copy the sentence that states this figure, or correct the value")
        if "unit" not in columns or not sheet.cell(record.row, columns["unit"]).value:
            refuse("unit", "the row has no unit", f"write the unit as published ({vocab.indicators[record.indicator_id].unit})")
        bounds = ranges.get((record.indicator_id, level))
        if bounds and record.value is not None and not bounds[0] <= record.value <= bounds[1]:
            unit = vocab.indicators[record.indicator_id].unit
            refuse("value", f"{record.value:g} {unit} is outside the plausible range for {record.region} "
                   f"({bounds[0]:g}–{bounds[1]:g}: {bounds[2]})",
                   "check the unit (e.g. ‰ typed under 1/10万) and the figure against the page")
    return problems
