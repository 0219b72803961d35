"""The real annual series the backtest forecasts, and the backtest's design constants.

Every real annual series the repository ships with at least ``MIN_TRAIN + 1`` points: national
monitoring-report figures (data/raw/national/, data/raw/reference/national_*.csv) and China's
international series (data/raw/reference/international_china.csv, mostly modelled estimates:
reported apart from national statistics). A series whose points all appear in a longer one is
counted once; a series whose sources disagree on a year is left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.assessment.forecast import family
from analysis.paths import DATA_RAW

REFERENCE = DATA_RAW / "reference"
NATIONAL = DATA_RAW / "national" / "national_outline_monitoring_reports.csv"
MIN_TRAIN = 4
HORIZONS = range(1, 9)
HORIZON_GROUPS = {1: "1", 2: "2", 3: "3", 4: "4–5", 5: "4–5", 6: "6–8", 7: "6–8", 8: "6–8"}
SPLIT_YEAR = 2014
PACES = (0.0, 0.5, 1.0, 1.5)  # hypothetical targets: the latest value + c × recent pace × years ahead
NATIONAL_GROUP, INTERNATIONAL_GROUP = "national statistics", "international estimates (modelled, mostly)"


@dataclass(frozen=True)
class ReferenceSeries:
    name: str
    years: np.ndarray
    values: np.ndarray
    lower: float | None
    upper: float | None
    source: str
    group: str = NATIONAL_GROUP

    @property
    def family(self) -> str:
        return family(self.lower, self.upper)


def _bounds(name: str, unit: str, values) -> tuple[float | None, float | None]:
    """Natural bounds from the definition: shares 0–100; gross ratios and other quantities ≥ 0."""
    gross = "毛入" in name or "gross" in name.lower() or "ratio" in name.lower() or "GPI" in name
    share = unit == "%" or re.search(r"\(%|% of|\(% ", name) is not None
    if share and not gross:
        return 0.0, 100.0
    return (0.0, None) if np.nanmin(values) >= 0 else (None, None)


def _series(name, years, values, lower, upper, source, group) -> ReferenceSeries:
    return ReferenceSeries(name, np.asarray(years, int), np.asarray(values, float), lower, upper, source, group)


def _national_reference(folder) -> list[ReferenceSeries]:
    frame = pd.concat([pd.read_csv(folder / f, encoding="utf-8-sig")
                       for f in ("national_2010_2020.csv", "national_2020_2024.csv")])  # fmt: skip
    out = []
    for (name, region, unit), part in frame.groupby(["indicator_zh", "region", "unit"]):
        years = part.groupby("year")["value"].agg(["min", "max"])
        if (years["max"] != years["min"]).any():
            continue  # sources disagree on a year: which value the forecast should meet is unknown
        lo, hi = _bounds(name, unit, years["min"])
        out.append(_series(f"{name}（{region}）", years.index, years["min"], lo, hi,
                           "national monitoring reports", NATIONAL_GROUP))  # fmt: skip
    return out


def _national_catalogued(path) -> list[ReferenceSeries]:
    from analysis import CATALOG

    frame = pd.read_csv(path, encoding="utf-8-sig").fillna({"sex": "", "urban_rural": ""})
    indicators = CATALOG.indicators.set_index("indicator_id")
    out = []
    for (code, region, sex, area), part in frame.groupby(["indicator_id", "region", "sex", "urban_rural"]):
        years = part.groupby("year")["value"].agg(["min", "max"])
        if (years["max"] != years["min"]).any():
            continue
        ind = indicators.loc[code]
        lo = None if pd.isna(ind.lower_bound) else float(ind.lower_bound)
        hi = None if pd.isna(ind.upper_bound) else float(ind.upper_bound)
        if "毛入" in ind.name_zh:
            hi = None  # a gross ratio can exceed 100 by definition
        label = "".join(x for x in (sex, area) if x)
        out.append(_series(f"{ind.name_zh}（{region}{label}）[{code}]", years.index, years["min"], lo, hi,
                           "national monitoring reports", NATIONAL_GROUP))  # fmt: skip
    return out


def _international(folder) -> list[ReferenceSeries]:
    frame = pd.read_csv(folder / "international_china.csv", encoding="utf-8-sig")
    out = []
    for (code, name), part in frame.groupby(["indicator_code", "indicator_name"]):
        part = part.sort_values("year").drop_duplicates("year")
        lo, hi = _bounds(name, "", part["value"])
        out.append(_series(f"{name.split(' [')[0]} [{code}]", part["year"], part["value"], lo, hi,
                           part["source_repo"].iloc[0], INTERNATIONAL_GROUP))  # fmt: skip
    return out


def reference_series(folder=REFERENCE, national=NATIONAL, min_points: int = MIN_TRAIN + 1) -> list[ReferenceSeries]:
    """Every shipped real series with enough points, each counted once."""
    found = [s for s in _national_reference(folder) + _national_catalogued(national) + _international(folder)
             if len(s.years) >= min_points]  # fmt: skip
    found.sort(key=lambda s: (-len(s.years), s.name))
    kept: list[ReferenceSeries] = []
    for s in found:  # a series whose every point is in a longer kept series is the same series
        points = set(zip(s.years.tolist(), np.round(s.values, 6).tolist()))
        if not any(points <= set(zip(k.years.tolist(), np.round(k.values, 6).tolist())) for k in kept):
            kept.append(s)
    return sorted(kept, key=lambda s: s.name)


# --- methods: each returns {year: (point, distribution with cdf/ppf, or None)} on the original scale
