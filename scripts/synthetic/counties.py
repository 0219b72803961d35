"""A SYNTHETIC panel of many counties, generated in memory with a fixed seed (never written to data/raw).

For the speed benchmark and for trying the many-region commands: 183 made-up county-level units
(as many as Sichuan has) × the catalog's assessable indicators × sexes where the catalog breaks
them down, annual values 2015–2025 (survey indicators every five years, elected bodies at their
换届). Every row says it is synthetic (``synthetic`` True, ``source`` names this module and seed);
the county names 合成县001… cannot be mistaken for real places. The values are random walks on the
logit scale (shares) or log scale (positive quantities), and binomial/Poisson counts for rates of
few events and elected seats: they exercise every path of the engine, they describe no county.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.catalog import CATALOG, Catalog

SEED = 20211001
COUNTIES = 183  # county-level units of Sichuan (2023)
YEARS = tuple(range(2015, 2026))
SOURCE = f"合成多县示例 synthetic multi-county panel (scripts/synthetic/counties.py, seed={SEED})"
TERMS = (2016, 2021)  # 换届 years of elected bodies within the panel


def county_names(n: int = COUNTIES) -> list[str]:
    return [f"合成县{i:03d}" for i in range(1, n + 1)]


def _years(indicator) -> list[int]:
    if indicator.elected:
        return list(TERMS)
    every = int(indicator.frequency_years) if pd.notna(indicator.frequency_years) else 1
    return [y for y in YEARS if (YEARS[-1] - y) % every == 0]


def county_panel(counties: int = COUNTIES, seed: int = SEED, catalog: Catalog = CATALOG) -> pd.DataFrame:
    """Long observations shaped like ``load_observations()``'s, for ``counties`` synthetic counties."""
    rng = np.random.default_rng(seed)
    indicators = catalog.indicators.loc[~catalog.indicators["target_kind"].isin(["qualitative", "gap_narrowing"])]
    columns: dict[str, list] = {k: [] for k in ("indicator_id", "region", "year", "sex", "value", "numerator",
                                                 "denominator", "unit")}  # fmt: skip
    for region in county_names(counties):
        for ind in indicators.itertuples():
            years = np.array(_years(ind))
            sexes = ["total", "female", "male"] if "sex" in ind.breakdowns.split(";") else ["total"]
            for sex in sexes:
                n = len(years)
                num = den = np.full(n, np.nan)
                if ind.elected:
                    den = rng.integers(150, 400, n).astype(float)
                    num = rng.binomial(den.astype(int), rng.uniform(0.15, 0.4)).astype(float)
                    value = num / den * 100
                elif ind.small_count:
                    per = float(ind.per)
                    den = rng.integers(1500, 6000, n).astype(float)
                    rate = rng.uniform(5, 40) / 100_000 if per == 100_000 else rng.uniform(0.02, 0.2)
                    num = rng.poisson(den * rate * np.exp(-0.03 * np.arange(n))).astype(float)
                    value = num / den * per
                elif ind.unit == "%" or pd.notna(ind.upper_bound):
                    z = np.cumsum(rng.normal(0.05, 0.15, n)) + rng.normal(0.5, 1.0)
                    value = np.round(100 / (1 + np.exp(-z)), 1)
                else:
                    value = np.round(np.exp(np.cumsum(rng.normal(0.01, 0.05, n)) + rng.normal(3, 1)), 2)
                for key, part in (("indicator_id", [ind.indicator_id] * n), ("region", [region] * n),
                                  ("year", years), ("sex", [sex] * n), ("value", value), ("numerator", num),
                                  ("denominator", den), ("unit", [ind.unit] * n)):  # fmt: skip
                    columns[key].extend(part)
    frame = pd.DataFrame(columns)
    frame["year"] = frame["year"].astype(int)
    return frame.assign(urban_rural="total", population_group="", status="value", source=SOURCE, synthetic=True)
