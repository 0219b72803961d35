"""The SYNTHETIC district as real district data arrive: sparse, uneven, some of it late.

``district.generate()`` gives a value for every indicator in every year 2015–2025. Real figures
never look like that, and a report judged only on dense series hides what goes wrong on real
ones. ``as_they_arrive`` thins the dense example the way a district's figures reach the research
base, with its own fixed seed (nothing here is a statistic either):

* surveys (catalog ``frequency_years`` = 5) only in their survey rounds 2015, 2020, 2025;
* census figures (``frequency_years`` = 10) only in the census year 2020;
* elected bodies (catalog ``elected``) only in the years the body is elected (换届): people's and
  Party congresses 2016 and 2021, village and community committees 2017 and 2021 (the generator's
  calendars, ``district.CONGRESS`` and ``district.VILLAGE``);
* annual statistics: about ``MISSING_SHARE`` of their years missing (never the first year, so a
  pre-2020 comparison stays possible, and never so many that fewer than ``MIN_KEPT`` remain);
* about ``LATE_SHARE`` of annual indicators a year late: no value yet for the report year.

All rows of an indicator-year (its towns, sexes, urban/rural and age rows) go or stay together,
as a bureau's table arrives whole. Each draw comes from ``(seed, crc32(indicator_id))``, so the
same seed gives the same file and adding an indicator changes no other.
"""

from __future__ import annotations

import zlib

import numpy as np
import pandas as pd
from synthetic.district import CONGRESS, SPECS, VILLAGE, Body

from analysis.catalog import CATALOG, Catalog

ARRIVAL_SEED = 20261202
SURVEY_ROUNDS = (2015, 2020, 2025)
CENSUS_YEARS = (2010, 2020)
MISSING_SHARE = 0.15
LATE_SHARE = 0.20
MIN_KEPT = 5  # an annual series keeps at least this many of its eleven years


def _calendar(indicator_id: str) -> tuple[int, ...]:
    spec = SPECS.get(indicator_id)
    if isinstance(spec, Body) and spec.elections:
        return spec.elections
    return VILLAGE if indicator_id.startswith(("DM-08", "DM-09")) else CONGRESS


def kept_years(indicator, years: list[int], last_year: int, seed: int = ARRIVAL_SEED) -> list[int]:
    """The years of ``years`` in which ``indicator`` (a catalog row) has arrived by ``last_year``."""
    every = indicator.frequency_years
    if bool(indicator.elected):
        return [y for y in years if y in _calendar(indicator.indicator_id)]
    if every == 5:
        return [y for y in years if y in SURVEY_ROUNDS]
    if every == 10:
        return [y for y in years if y in CENSUS_YEARS]
    rng = np.random.default_rng((seed, zlib.crc32(indicator.indicator_id.encode("utf-8"))))
    late = rng.random() < LATE_SHARE
    keep = [y for y in years if not (late and y == last_year)]
    gone = [y for y in keep[1:] if rng.random() < MISSING_SHARE]
    while len(keep) - len(gone) < MIN_KEPT and gone:
        gone.pop()
    return [y for y in keep if y not in gone]


def as_they_arrive(frame: pd.DataFrame, seed: int = ARRIVAL_SEED, catalog: Catalog = CATALOG) -> pd.DataFrame:
    """The rows of the dense synthetic ``frame`` that a district would have by its last year."""
    indicators = catalog.indicators.set_index("indicator_id", drop=False)
    last_year = int(frame["year"].max())
    keep = pd.Series(False, index=frame.index)
    for indicator_id, rows in frame.groupby("indicator_id", sort=False):
        years = sorted(rows["year"].unique())
        kept = kept_years(indicators.loc[indicator_id], years, last_year, seed)
        keep.loc[rows.index] = rows["year"].isin(kept)
    out = frame.loc[keep].reset_index(drop=True)
    out["source"] = out["source"] + f"；按真实数据到达方式抽稀 thinned as real data arrive (scripts/synthetic/arrival.py, seed={seed})"
    return out
