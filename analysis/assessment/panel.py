"""Assessing every series in the monitoring database, and rolling the results up.

A series is one indicator in one region and breakdown (sex, urban/rural, group). Gap indicators
(差距缩小) are built from their base indicator's breakdown: female − male, urban − rural, or the
range across towns. Relative targets (党代会女代表比例 ≥ 女党员比例) take the reference indicator's
value in the same region.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.assessment.config import DEFAULT_CONFIG, AssessmentConfig
from analysis.assessment.counts import pooled_rate
from analysis.assessment.series import LEVEL_ORDER, STATUS_ZH, SeriesAssessment, assess_series, reason
from analysis.assessment.target import Target
from analysis.catalog import CATALOG, Catalog
from analysis.data.vocabulary import load_regions

SERIES_KEY = ["indicator_id", "region", "sex", "urban_rural", "population_group"]
JUDGED = ("achieved", "basically_achieved", "gap")


@dataclass
class AssessmentResults:
    """All series' assessments for one report year, as tidy tables and as objects."""

    as_of: int
    assessments: dict[tuple, SeriesAssessment]
    table: pd.DataFrame
    config: AssessmentConfig

    def get(self, indicator_id: str, region: str = "金口河区", sex: str = "total", urban_rural: str = "total",
            population_group: str = "") -> SeriesAssessment:  # fmt: skip
        return self.assessments[(indicator_id, region, sex, urban_rural, population_group)]

    def headline(self, region: str = "金口河区") -> pd.DataFrame:
        """One row per indicator: the region's total series."""
        t = self.table
        return t.loc[(t["region"] == region) & (t["sex"] == "total") & (t["urban_rural"] == "total")
                     & (t["population_group"] == "")].reset_index(drop=True)  # fmt: skip

    def warnings(self, region: str = "金口河区") -> pd.DataFrame:
        """预警清单: red, then yellow; lowest probability first within a level."""
        t = self.headline(region)
        t = t.loc[t["level"].isin(["red", "yellow"])].copy()
        t["_order"] = t["level"].map(LEVEL_ORDER)
        return t.sort_values(["_order", "probability", "indicator_id"], na_position="last").drop(
            columns="_order").reset_index(drop=True)  # fmt: skip

    def forecasts(self) -> pd.DataFrame:
        frames = []
        for key, result in self.assessments.items():
            table = result.forecast_table()
            if len(table):
                frames.append(table.assign(**dict(zip(SERIES_KEY, key))))
        columns = SERIES_KEY + ["year", "forecast", "lower_80", "upper_80", "lower_95", "upper_95"]
        return pd.concat(frames)[columns].reset_index(drop=True) if frames else pd.DataFrame(columns=columns)

    def roll_up(self, region: str = "金口河区") -> pd.DataFrame:
        return roll_up(self.headline(region))


def roll_up(headline: pd.DataFrame) -> pd.DataFrame:
    """Counts by status and level per domain and overall, and the attainment rate (达标率).

    As in the national bureau's reports: of the indicators that can be judged (a target and
    enough data), the share 已实现 or 基本实现.
    """
    rows = []
    order = {d: i for i, d in enumerate(CATALOG.domains["domain"])}  # the outline's order, 健康 first
    groups = sorted(headline.groupby("domain", sort=False), key=lambda g: order.get(g[0], len(order)))
    for domain, part in [*groups, ("all", headline)]:
        judged = part["status"].isin(JUDGED)
        met = part["status"].isin(("achieved", "basically_achieved"))
        row = {"domain": domain, "domain_zh": part["domain_zh"].iloc[0] if domain != "all" else "合计",
               "indicators": len(part), "judged": int(judged.sum()), "met": int(met.sum()),
               "attainment_rate": (met.sum() / judged.sum()) if judged.sum() else None}  # fmt: skip
        row |= {f"status_{s}": int((part["status"] == s).sum()) for s in STATUS_ZH}
        row |= {f"level_{lv}": int((part["level"] == lv).sum()) for lv in LEVEL_ORDER}
        rows.append(row)
    return pd.DataFrame(rows)


def _series(observations: pd.DataFrame) -> Iterator[tuple[tuple, pd.DataFrame]]:
    for key, frame in observations.groupby(SERIES_KEY, sort=True):
        yield key, frame.sort_values("year")


def _assess_one(indicator, frame: pd.DataFrame, target: Target, as_of: int, name: str,
                config: AssessmentConfig) -> SeriesAssessment:  # fmt: skip
    values = frame.loc[frame["status"] == "value"]
    if indicator.small_count and values["denominator"].notna().all() and len(values):
        return assess_series(values["year"], values["value"], target, numerators=values["numerator"],
                             denominators=values["denominator"], per=float(indicator.per), as_of=as_of,
                             name=name, config=config)  # fmt: skip
    return assess_series(values["year"], values["value"], target, as_of=as_of, name=name, config=config)


def _gap_frame(base: pd.DataFrame, relative: bool, between: str) -> pd.DataFrame:
    """Yearly gap values for one region: female vs male, urban vs rural, or the range across towns.

    ``relative`` gives the gap in percentage points of the second group (100 − female/male × 100,
    the income gap); otherwise it is the plain difference in the indicator's unit.
    """
    base = base.loc[base["status"] == "value"]

    def difference(a: pd.Series, b: pd.Series) -> pd.Series:
        return (b - a) / b * 100 if relative else a - b

    if between == "sex":
        wide = base.loc[base["urban_rural"] == "total"].pivot_table(index="year", columns="sex", values="value")
        gap = difference(wide["female"], wide["male"]) if {"female", "male"} <= set(wide) else None
    elif between == "urban_rural":
        wide = base.loc[base["sex"] == "total"].pivot_table(index="year", columns="urban_rural", values="value")
        gap = difference(wide["urban"], wide["rural"]) if {"urban", "rural"} <= set(wide) else None
    else:
        wide = base.pivot_table(index="year", columns="region", values="value")
        gap = (wide.max(axis=1) - wide.min(axis=1))[wide.count(axis=1) >= 2] if len(wide) else None
    if gap is None:
        return pd.DataFrame(columns=["year", "value"])
    return gap.dropna().rename("value").reset_index()


def _count_gap(result_name: str, base: pd.DataFrame, indicator, between: str, target: Target, as_of: int,
               config: AssessmentConfig) -> SeriesAssessment:  # fmt: skip
    """Gaps between rates of small counts: pooled five-year rates compared, no forecast."""
    column = {"sex": "sex", "urban_rural": "urban_rural", "township": "region"}[between]
    base = base.loc[(base["status"] == "value") & base["denominator"].notna()]
    groups = {g: f for g, f in base.groupby(column) if g != "total"}
    result = assess_series([], [], target, as_of=as_of, name=result_name, config=config)
    if len(groups) < 2:
        return result

    def gap_at(year: int) -> tuple[float, float] | None:
        rates, events = [], 0.0
        for frame in groups.values():
            pooled = pooled_rate(frame["year"], frame["numerator"], frame["denominator"], float(indicator.per),
                                 year, config.count_window_years)  # fmt: skip
            if pooled is None:
                return None
            rates.append(pooled.rate)
            events += pooled.events
        return max(rates) - min(rates), events

    latest_year = int(base["year"].max())
    latest = gap_at(latest_year)
    base_year = config.base_year if config.base_year < latest_year else None
    earlier = gap_at(base_year) if base_year else None
    if latest is None:
        return result
    result.latest_year, result.latest_value = latest_year, latest[0]
    result.years, result.values = [latest_year], [latest[0]]
    result.reasons = []
    if earlier is not None:
        result.base_year, result.base_value = base_year, earlier[0]
        result.status = "achieved" if latest[0] < earlier[0] else "gap"
    if latest[1] < config.count_min_events_for_trend:
        result.reasons.append(reason("few_events", events=latest[1]))
        result.status, result.level = "insufficient_data", "grey"
    else:
        result.level = "green" if result.status == "achieved" else "yellow"
    result.notes.append(f"gap of {config.count_window_years}-year pooled rates ({between}); no forecast")
    return result


def assess_observations(observations: pd.DataFrame, as_of: int, catalog: Catalog = CATALOG,
                        config: AssessmentConfig = DEFAULT_CONFIG) -> AssessmentResults:  # fmt: skip
    """Assess every series observed up to ``as_of`` (later observations are ignored)."""
    observations = observations.loc[observations["year"] <= as_of]
    indicators = catalog.indicators.set_index("indicator_id", drop=False)
    goals = catalog.goals.set_index("goal_id")
    domains = catalog.domains.set_index("domain")
    assessments: dict[tuple, SeriesAssessment] = {}
    rows = []
    regions = load_regions()
    towns = regions.loc[regions["level"] == "township"]
    town_parent = dict(zip(towns["region"], towns["parent"]))

    def record(key: tuple, indicator, result: SeriesAssessment, frame: pd.DataFrame) -> None:
        assessments[key] = result
        goal = goals.loc[indicator.goal_id]
        sources = sorted(set(frame["source"])) if "source" in frame and len(frame) else []
        rows.append({**dict(zip(SERIES_KEY, key)), "domain": goal["domain"],
                     "domain_zh": domains.loc[goal["domain"], "name_zh"], "goal_id": indicator.goal_id,
                     "name_zh": indicator.name_zh, "name_en": indicator.name_en, "unit": indicator.unit,
                     **result.to_row(), "synthetic": bool(frame["synthetic"].any()) if len(frame) else False,
                     "sources": "；".join(sources)})  # fmt: skip

    for key, frame in _series(observations):
        indicator = indicators.loc[key[0]]
        if indicator.target_kind == "qualitative":
            continue  # published gaps (e.g. 孕产妇死亡率城乡差) are assessed as they are
        reference_value = None
        if indicator.target_reference:
            ref = observations.loc[(observations["indicator_id"] == indicator.target_reference)
                                   & (observations["region"] == key[1]) & (observations["sex"] == key[2])
                                   & (observations["urban_rural"] == key[3]) & (observations["status"] == "value")]  # fmt: skip
            reference_value = float(ref.sort_values("year")["value"].iloc[-1]) if len(ref) else None
        name = f"{indicator.indicator_id} {indicator.name_zh}（{key[1]}）"
        if indicator.target_reference and reference_value is None:
            result = assess_series([], [], Target("monitor"), as_of=as_of, name=name, config=config)
            result.status, result.reasons = "insufficient_data", [reason("insufficient_data")]
            result.notes.append(f"reference indicator {indicator.target_reference} has no value")
        else:
            target = Target.from_indicator(indicator, reference_value)
            result = _assess_one(indicator, frame, target, as_of, name, config)
        record(key, indicator, result, frame)

    for indicator in indicators.loc[indicators["target_kind"] == "gap_narrowing"].itertuples():
        base_ind = indicators.loc[indicator.gap_of]
        base_all = observations.loc[observations["indicator_id"] == indicator.gap_of]
        if indicator.gap_between == "township":  # the gap between towns belongs to their parent region
            parents = base_all["region"].map(town_parent)
            groups = [(parent, base_all.loc[parents == parent]) for parent in sorted(parents.dropna().unique())]
        else:
            groups = [(region, part) for region, part in base_all.groupby("region")]
        for region, base in groups:
            key = (indicator.indicator_id, region, "total", "total", "")
            if key in assessments:
                continue  # the gap itself was reported for this region
            target = Target.from_indicator(indicator)
            name = f"{indicator.indicator_id} {indicator.name_zh}（{region}）"
            if base_ind.small_count and base["denominator"].notna().any():
                result = _count_gap(name, base, base_ind, indicator.gap_between, target, as_of, config)
            else:
                relative = indicator.unit == "百分点" and base_ind.unit != "%"
                gap = _gap_frame(base, relative, indicator.gap_between)
                result = assess_series(gap["year"], gap["value"], target, as_of=as_of, name=name, config=config)
            record(key, indicator, result, base)

    table = pd.DataFrame(rows)
    if len(table):
        table = table.sort_values(SERIES_KEY).reset_index(drop=True)
        numeric = table.select_dtypes(include=[np.number]).columns
        table[numeric] = table[numeric].astype("Float64")  # missing numbers are <NA>, never NaN
    return AssessmentResults(as_of, assessments, table, config)
