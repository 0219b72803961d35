"""Assessing every series in the monitoring database, and rolling the results up.

A series is one indicator in one region and breakdown (sex, urban/rural, group). Gap indicators
(差距缩小) are built from their base indicator's breakdown: female − male, urban − rural, or the
range across towns. Relative targets (党代会女代表比例 ≥ 女党员比例) take the reference indicator's
value in the same region.
"""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from types import SimpleNamespace

import numpy as np
import pandas as pd

from analysis.assessment.config import DEFAULT_CONFIG, AssessmentConfig
from analysis.assessment.counts import pooled_rate
from analysis.assessment.quantiles import fill_tables
from analysis.assessment.series import (
    LEVEL_ORDER,
    STATUS_ZH,
    SeriesAssessment,
    assess_series,
    reason,
)
from analysis.assessment.target import Target
from analysis.catalog import CATALOG, Catalog, election_calendar, election_years_for, with_unit
from analysis.data.vocabulary import load_regions

SERIES_KEY = ["indicator_id", "region", "sex", "urban_rural", "population_group"]
JUDGED = ("achieved", "basically_achieved", "gap", "no_clear_change")  # within_chance: too few cases to judge
MET = ("achieved", "basically_achieved")
QUANTIFIED = ("at_most", "at_least", "about", "keep_at_least")
DIRECTIONAL = ("increase", "decrease", "slower_rise", "gap_narrowing")
HIGHER_LEVELS = ("乐山市", "四川省", "全国")  # beside a district's rate of few events, as a statistician would


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
        """One row per indicator: the series its target judges (catalog ``judged_on``).

        The female series for targets set for women on a statistic kept for both sexes (九年义务
        教育巩固率 "女童…"), or where only the total exists the total, labelled proxy (data_proxy,
        info proxy_total); else the region's total; per-township targets have a district row
        summarising the towns.
        """
        t = self.table
        if t.empty:
            return t
        plain = (t["region"] == region) & (t["urban_rural"] == "total") & (t["population_group"] == "")
        female = t["judged_on"] == "female"
        proxy = t["data_proxy"].fillna(False).astype(bool) if "data_proxy" in t else False
        chosen = plain & ((female & (t["sex"] == "female")) | (~female & (t["sex"] == "total"))
                          | (female & (t["sex"] == "total") & proxy))  # the total standing in, labelled proxy
        return t.loc[chosen].reset_index(drop=True)

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
    enough data), the share 已实现 or 基本实现 — for quantified targets, separately for direction
    goals (where 已实现 means a change beyond noise), and overall. Rates of a few events whose counts
    cannot tell them from the target (与目标无显著差异) are not counted as judged, nor is any call
    without a value from the base year on (``data_points`` 0: older values are context).
    """
    rows = []
    order = {d: i for i, d in enumerate(CATALOG.domains["domain"])}  # the outline's order, 健康 first
    groups = sorted(headline.groupby("domain", sort=False), key=lambda g: order.get(g[0], len(order)))
    for domain, part in [*groups, ("all", headline)]:
        judged = part["status"].isin(JUDGED)
        if "data_points" in part:  # only a call on values from the base year on counts (older ones are context)
            judged &= ~(pd.to_numeric(part["data_points"], errors="coerce").fillna(1) <= 0)
        met = part["status"].isin(MET) & judged
        row = {"domain": domain, "domain_zh": part["domain_zh"].iloc[0] if domain != "all" else "合计",
               "indicators": len(part), "judged": int(judged.sum()), "met": int(met.sum()),
               "attainment_rate": (met.sum() / judged.sum()) if judged.sum() else None}  # fmt: skip
        for name, kinds in (("quantified", QUANTIFIED), ("direction", DIRECTIONAL)):
            of_kind = part["target_kind"].isin(kinds) if "target_kind" in part else pd.Series(False, index=part.index)
            j, m = int((judged & of_kind).sum()), int((met & of_kind).sum())
            row |= {f"judged_{name}": j, f"met_{name}": m, f"attainment_rate_{name}": m / j if j else None}
        row |= {f"status_{s}": int((part["status"] == s).sum()) for s in STATUS_ZH}
        row |= {f"level_{lv}": int((part["level"] == lv).sum()) for lv in LEVEL_ORDER}
        rows.append(row)
    return pd.DataFrame(rows)


def series_options(indicator, region_level: str | None = None, proxy: bool = False,
                   calendar: dict | None = None) -> dict:  # fmt: skip
    """The catalog's options for one series as ``assess_series`` takes them: release interval,
    elected body with the 换届 years of its level (analysis/catalog/elections.csv), and whether the
    series is a total standing in for a women's target (proxy)."""
    every = int(indicator.frequency_years) if pd.notna(indicator.frequency_years) else 1
    options = {"frequency_years": every, "elected": bool(indicator.elected)}
    if indicator.elected:
        years = election_years_for(indicator.indicator_id, region_level, calendar)
        if years is not None:
            options["election_years"] = years
    if proxy:
        options["proxy"] = True
    return options


def _assess_one(indicator, years: np.ndarray, values: np.ndarray, numerators: np.ndarray, denominators: np.ndarray,
                extra: dict, target: Target, as_of: int, name: str, config: AssessmentConfig) -> SeriesAssessment:  # fmt: skip
    """One series' values (status "value", in year order) as ``assess_series`` takes them."""
    options = {"as_of": as_of, "name": name, "config": config, **extra}
    counted = bool(len(years)) and not pd.isna(denominators).any()
    if (indicator.small_count or indicator.elected) and counted:
        return assess_series(years, values, target, numerators=numerators, denominators=denominators,
                             per=float(indicator.per) if pd.notna(indicator.per) else 100.0,
                             count_labels=(indicator.numerator_zh, indicator.denominator_zh), **options)  # fmt: skip
    return assess_series(years, values, target, **options)


def _gap_frame(base: pd.DataFrame, relative: bool, between: str) -> pd.DataFrame:
    """Yearly gap values for one region: female vs male, urban vs rural, or the range across towns.

    ``relative`` gives the gap in percentage points of the second group (100 − female/male × 100,
    the income gap); otherwise it is the plain difference in the indicator's unit.
    """
    base = base.loc[base["status"] == "value"]

    def difference(a: pd.Series, b: pd.Series) -> pd.Series:
        return (b - a) / b * 100 if relative else a - b

    def pivot(frame: pd.DataFrame, column: str) -> pd.DataFrame:  # pivot_table's means, without its overhead
        return frame.groupby(["year", column])["value"].mean().unstack().dropna(axis=1, how="all").dropna(how="all")

    if between == "sex":
        wide = pivot(base.loc[base["urban_rural"] == "total"], "sex")
        gap = difference(wide["female"], wide["male"]) if {"female", "male"} <= set(wide) else None
    elif between == "urban_rural":
        wide = pivot(base.loc[base["sex"] == "total"], "urban_rural")
        gap = difference(wide["urban"], wide["rural"]) if {"urban", "rural"} <= set(wide) else None
    else:
        wide = pivot(base, "region")
        gap = (wide.max(axis=1) - wide.min(axis=1))[wide.count(axis=1) >= 2] if len(wide) else None
    if gap is None:
        return pd.DataFrame(columns=["year", "value"])
    return gap.dropna().rename("value").reset_index()


GROUP_NAMES = {"urban_rural": {"urban": ("城镇", "urban"), "rural": ("农村", "rural")},
               "sex": {"female": ("女", "women"), "male": ("男", "men")}}  # towns keep their names


def _count_gap(result_name: str, base: pd.DataFrame, indicator, between: str, target: Target, as_of: int,
               config: AssessmentConfig) -> SeriesAssessment:  # fmt: skip
    """Gaps between rates of small counts: pooled five-year rates compared, no forecast."""
    column = {"sex": "sex", "urban_rural": "urban_rural", "township": "region"}[between]
    base = base.loc[(base["status"] == "value") & base["denominator"].notna()]
    groups = {g: f for g, f in base.groupby(column) if g != "total"}
    result = assess_series([], [], target, as_of=as_of, name=result_name, config=config)
    if len(groups) < 2:
        return result

    def gap_at(year: int) -> tuple[float, float, dict] | None:
        rates, events, counts = [], 0.0, {}
        for group, frame in groups.items():
            pooled = pooled_rate(frame["year"], frame["numerator"], frame["denominator"], float(indicator.per),
                                 year, config.count_window_years)  # fmt: skip
            if pooled is None:
                return None
            rates.append(pooled.rate)
            events += pooled.events
            counts[group] = pooled
        return max(rates) - min(rates), events, counts

    latest_year = int(base["year"].max())
    latest = gap_at(latest_year)
    base_year = config.base_year if config.base_year < latest_year else None
    earlier = gap_at(base_year) if base_year else None
    if latest is None:
        return result
    result.latest_year, result.latest_value = latest_year, latest[0]
    result.years, result.values = [latest_year], [latest[0]]
    first = latest_year - config.count_window_years + 1
    result.gap_window = (max(first, int(base["year"].min())), latest_year, latest[1])
    names = GROUP_NAMES.get(between, {})
    result.evidence = tuple(f"{result.gap_window[0]}—{latest_year}{'年合并：' if lang == 'zh' else ' pooled: '}" + (
        "、" if lang == "zh" else ", ").join(f"{names.get(g, (g, g))[lang == 'en']} {p.events:,.0f}/{p.exposure:,.0f}"
                                            for g, p in latest[2].items()) for lang in ("zh", "en"))  # fmt: skip
    result.reasons = []
    if earlier is not None:
        result.base_year, result.base_value = base_year, earlier[0]
        result.status = "achieved" if latest[0] < earlier[0] else "gap"
    if latest[1] < config.count_min_events_for_trend:
        result.reasons.append(reason("too_few_cases", events=latest[1]))
        result.status, result.level = "insufficient_data", "grey"
    else:
        result.level = "green" if result.status == "achieved" else "yellow"
    result.notes.append(f"gap of {config.count_window_years}-year pooled rates ({between}); no forecast")
    ds = result.data_status
    seen = sorted(int(y) for y in base["year"].unique())
    ds.latest_year, ds.frequency_years = latest_year, 1
    ds.points_in_period = sum(1 for y in seen if config.base_year <= y <= as_of)
    ds.missing_years = [y for y in range(config.base_year, latest_year + 1) if y not in seen]
    ds.describe(config.base_year, as_of)
    return result


PARALLEL_FROM = 2000  # series; below this a process pool costs more than it saves


def assess_observations(observations: pd.DataFrame, as_of: int, catalog: Catalog = CATALOG,
                        config: AssessmentConfig = DEFAULT_CONFIG, jobs: int = 1) -> AssessmentResults:  # fmt: skip
    """Assess every series observed up to ``as_of`` (later observations are ignored).

    Each series is assessed by ``assess_series``, exactly as alone; ``jobs`` > 1 spreads a large
    panel (≥ ``PARALLEL_FROM`` series) over that many processes in chunks. The forecast tables are
    computed for a chunk at once (quantiles.py), to the precision of the one-series path.
    """
    observations = observations.loc[observations["year"] <= as_of]
    indicators = catalog.indicators.set_index("indicator_id", drop=False)
    plain = {i: SimpleNamespace(**row) for i, row in indicators.to_dict("index").items()}
    goals = catalog.goals.set_index("goal_id")
    domains = catalog.domains.set_index("domain")
    regions = load_regions()
    towns = regions.loc[regions["level"] == "township"]
    town_parent = dict(zip(towns["region"], towns["parent"]))
    meta = {}
    for i, ind in plain.items():
        domain = goals.loc[ind.goal_id, "domain"]
        meta[i] = {"domain": domain, "domain_zh": domains.loc[domain, "name_zh"], "goal_id": ind.goal_id,
                   "name_zh": ind.name_zh, "name_en": ind.name_en, "unit": ind.unit, "judged_on": ind.judged_on,
                   "population": ind.population}  # fmt: skip
    levels = dict(zip(regions["region"], regions["level"]))
    work = _series_jobs(observations, plain, as_of, levels)
    done = {job[0] for job in work}
    for indicator in indicators.loc[indicators["target_kind"] == "gap_narrowing"].itertuples():
        base_ind = plain[indicator.gap_of]
        base_all = observations.loc[observations["indicator_id"] == indicator.gap_of]
        if indicator.gap_between == "township":  # the gap between towns belongs to their parent region
            parents = base_all["region"].map(town_parent)
            groups = [(parent, base_all.loc[parents == parent]) for parent in sorted(parents.dropna().unique())]
        else:
            groups = [(region, part) for region, part in base_all.groupby("region")]
        for region, base in groups:
            key = (indicator.indicator_id, region, "total", "total", "")
            sources = sorted(set(base["source"])) if "source" in base and len(base) else []
            if key in done:
                # the gap itself was reported for this region: it is judged, unless its parts run later
                # than the published gap (one call per indicator, on the longest and latest evidence)
                if not _parts_run_later(work, key, base, base_ind, indicator):
                    continue
                position = next(i for i, job in enumerate(work) if job[0] == key)
                sources = sorted(set(sources) | set(work[position][5]))
                del work[position]
            name = f"{indicator.indicator_id} {indicator.name_zh}（{region}）"
            synthetic = bool(base["synthetic"].any()) if len(base) else False
            work.append((key, "gap", name, (base, base_ind, plain[indicator.indicator_id]), Target.from_indicator(indicator),
                         sources, synthetic))  # fmt: skip

    task = partial(_assess_chunk, meta=meta, as_of=as_of, config=config)
    if jobs > 1 and len(work) >= PARALLEL_FROM:
        size = -(-len(work) // (jobs * 4))
        chunks = [work[i:i + size] for i in range(0, len(work), size)]
        with ProcessPoolExecutor(max_workers=jobs, mp_context=_context()) as pool:
            done_chunks = list(pool.map(task, chunks))
    else:
        done_chunks = [task(work)]
    assessments: dict[tuple, SeriesAssessment] = {}
    rows = []
    for chunk in done_chunks:
        for key, result, row in chunk:
            assessments[key] = result
            rows.append(row)

    for indicator in indicators.loc[indicators["judged_on"] == "township"].itertuples():
        _township_rows(indicator, assessments, rows, town_parent, as_of)
    _beside_higher_levels(rows, assessments, observations)

    table = pd.DataFrame(rows) if rows else _empty_table()
    if len(table):
        table = table.sort_values(SERIES_KEY).reset_index(drop=True)
        numeric = table.select_dtypes(include=[np.number]).columns
        table[numeric] = table[numeric].astype("Float64")  # missing numbers are <NA>, never NaN
    return AssessmentResults(as_of, assessments, table, config)


def _parts_run_later(work: list, key: tuple, base: pd.DataFrame, base_ind, indicator) -> bool:
    """Whether a published gap stops before the gap its base indicator's breakdown gives (then the
    breakdown's gap is judged instead, so the indicator gets one call, the same as its 分城乡 table)."""
    if indicator.gap_between == "township" or (base_ind.small_count and base["denominator"].notna().any()):
        return False
    job = next((job for job in work if job[0] == key), None)
    if job is None or job[1] != "series":
        return False
    published = job[3][1]
    relative = indicator.unit == "百分点" and base_ind.unit != "%"
    derived = _gap_frame(base, relative, indicator.gap_between)
    if derived.empty:
        return False
    return not len(published) or int(derived["year"].max()) > int(np.max(published))


def _context():
    """Fork where the platform has it and this process runs one thread: workers start in
    milliseconds with the stack imported. Forking beside other threads (a Dask client's, a
    notebook's) can copy a lock held by one of them, so then a fresh interpreter is started."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _series_jobs(observations: pd.DataFrame, plain: dict, as_of: int, levels: dict | None = None) -> list[tuple]:
    """One job per observed series (in key order), with its arrays and target; sorted once, sliced.

    A total of an indicator judged on its female breakdown, where no female series exists for the
    region and breakdown, is assessed as a labelled proxy (以合计值代替女性数值)."""
    obs = observations.sort_values(SERIES_KEY + ["year"], kind="stable").reset_index(drop=True)
    col = {c: obs[c].to_numpy() for c in ("year", "value", "numerator", "denominator")}
    is_value = (obs["status"] == "value").to_numpy()
    source = obs["source"].to_numpy() if "source" in obs else None
    synthetic = obs["synthetic"].to_numpy(bool)
    references = _reference_values(obs, plain)
    targets: dict[tuple, Target] = {}
    work = []
    groups = obs.groupby(SERIES_KEY, sort=True).indices
    female = {(k[0], k[1], k[3], k[4]) for k, pos in groups.items() if k[2] == "female" and is_value[pos].any()}
    calendar = election_calendar()
    levels = levels or {}
    for key, positions in sorted(groups.items()):
        indicator = plain[key[0]]
        if indicator.target_kind == "qualitative":
            continue  # published gaps (e.g. 孕产妇死亡率城乡差) are assessed as they are
        name = f"{indicator.indicator_id} {indicator.name_zh}（{key[1]}）"
        sources = sorted(set(source[positions])) if source is not None else []
        if indicator.target_reference:
            reference_value = references.get((indicator.target_reference, *key[1:4]))
            if reference_value is None:
                work.append((key, "no_reference", name, indicator, None, sources, bool(synthetic[positions].any())))
                continue
        else:
            reference_value = None
        target = targets.get((key[0], reference_value))
        if target is None:
            target = targets[(key[0], reference_value)] = Target.from_indicator(indicator, reference_value)
        rows = positions[is_value[positions]]
        proxy = (indicator.judged_on == "female" and key[2] == "total"
                 and (key[0], key[1], key[3], key[4]) not in female)  # fmt: skip
        extra = series_options(indicator, levels.get(key[1]), proxy, calendar)
        data = (indicator, col["year"][rows], col["value"][rows], col["numerator"][rows], col["denominator"][rows], extra)
        work.append((key, "series", name, data, target, sources, bool(synthetic[positions].any())))
    return work


def _reference_values(obs: pd.DataFrame, plain: dict) -> dict[tuple, float]:
    """The latest value of each reference indicator (党代会女代表比例 ≥ 女党员比例) per region and breakdown."""
    referenced = {ind.target_reference for ind in plain.values() if ind.target_reference}
    ref = obs.loc[obs["indicator_id"].isin(referenced) & (obs["status"] == "value")]
    ref = ref.sort_values("year", kind="stable").drop_duplicates(["indicator_id", "region", "sex", "urban_rural"], keep="last")
    return {(r.indicator_id, r.region, r.sex, r.urban_rural): float(r.value) for r in ref.itertuples()}


def _assess_chunk(work: list[tuple], meta: dict, as_of: int, config: AssessmentConfig) -> list[tuple]:
    """Assess a list of jobs; each gives (key, assessment, table row)."""
    results = []
    for key, kind, name, data, target, _, _ in work:
        if kind == "series":
            result = _assess_one(*data, target, as_of, name, config)
        elif kind == "no_reference":
            result = assess_series([], [], Target("monitor"), as_of=as_of, name=name, config=config)
            result.status, result.reasons = "insufficient_data", [reason("insufficient_data")]
            result.notes.append(f"reference indicator {data.target_reference} has no value")
        else:
            base, base_ind, indicator = data
            if base_ind.small_count and base["denominator"].notna().any():
                result = _count_gap(name, base, base_ind, indicator.gap_between, target, as_of, config)
            else:
                relative = indicator.unit == "百分点" and base_ind.unit != "%"
                gap = _gap_frame(base, relative, indicator.gap_between)
                every = int(base_ind.frequency_years) if pd.notna(base_ind.frequency_years) else 1
                result = assess_series(gap["year"], gap["value"], target, as_of=as_of, name=name, config=config,
                                       frequency_years=every)  # a gap is released as often as its parts  # fmt: skip
        results.append(result)
    fill_tables([r.forecast for r in results if r.forecast is not None])
    out = []
    for (key, _, _, _, _, sources, synthetic), result in zip(work, results):
        row = {**dict(zip(SERIES_KEY, key)), **meta[key[0]], **result.to_row(), "synthetic": synthetic,
               "sources": "；".join(sources)}  # fmt: skip
        out.append((key, result, row))
    return out


def _empty_table() -> pd.DataFrame:
    """No series at all (a domain or region without data): the same columns, no rows."""
    blank = assess_series([], [], Target("monitor")).to_row()
    columns = [*SERIES_KEY, "domain", "domain_zh", "goal_id", "name_zh", "name_en", "unit", "judged_on",
               "population", *blank, "synthetic", "sources", "evidence_zh", "evidence_en"]  # fmt: skip
    return pd.DataFrame(columns=list(dict.fromkeys(columns)))


def _township_rows(indicator, assessments: dict, rows: list, town_parent: dict, as_of: int) -> None:
    """A per-township target (每个乡镇…): the parent region's row says how many towns meet it.

    Its status is 已实现 when every town with data meets it, its level the worst of the towns', and
    its reasons name the towns that fall short.
    """
    by_parent: dict[str, list[tuple[str, SeriesAssessment]]] = {}
    for key, result in assessments.items():
        if key[0] == indicator.indicator_id and key[1] in town_parent and key[2:] == ("total", "total", ""):
            by_parent.setdefault(town_parent[key[1]], []).append((key[1], result))
    for parent, towns in by_parent.items():
        template = next((r for r in rows if r["indicator_id"] == indicator.indicator_id), None)
        if template is None:
            continue
        judged = [(town, r) for town, r in towns if r.status not in ("insufficient_data",)]
        met = [town for town, r in judged if r.status in MET]
        short = [town for town, r in judged if r.status not in MET]
        worst = min((r.level for _, r in judged), key=lambda lv: LEVEL_ORDER[lv], default="grey")
        status = "insufficient_data" if not judged else "achieved" if not short else "gap"
        zh = f"{len(met)}/{len(judged)}个乡镇达标" + (f"；未达标：{'、'.join(short)}" if short else "")
        en = f"{len(met)} of {len(judged)} townships meet it" + (f"; short: {', '.join(short)}" if short else "")
        codes, reasons_zh, reasons_en = "townships", zh, en
        effort = "力争" in str(indicator.target_text) or "有条件" in str(indicator.name_zh)
        if effort and short:  # "力争…有条件的乡(镇)": a town without one is a decision, never red
            note = reason("township_effort")
            codes, reasons_zh, reasons_en = f"{codes};{note.code}", f"{zh}；{note.zh}", f"{en}; {note.en}"
            worst = "yellow" if worst == "red" else worst
        key = (indicator.indicator_id, parent, "total", "total", "")
        row = {k: template[k] for k in ("domain", "domain_zh", "goal_id", "name_zh", "name_en", "unit", "judged_on",
                                         "population", "target_kind", "target", "target_en", "target_value",
                                         "target_year")}  # fmt: skip
        town_names = {town for town, _ in towns}
        sources = sorted({part for r in rows if r["indicator_id"] == indicator.indicator_id
                          and r["region"] in town_names for part in str(r.get("sources") or "").split("；") if part})
        existing = next((r for r in rows if tuple(r[k] for k in SERIES_KEY) == key), None)
        if existing is not None:
            rows.remove(existing)
        rows.append({**dict(zip(SERIES_KEY, key)), **row, "as_of": as_of, "status": status,
                     "status_zh": STATUS_ZH[status], "level": worst if judged else "grey",
                     "level_zh": {"red": "红色", "yellow": "黄色", "green": "绿色", "grey": "灰色"}[worst if judged else "grey"],
                     "evidence_zh": zh, "evidence_en": en, "reasons": codes, "reasons_zh": reasons_zh,
                     "reasons_en": reasons_en,
                     **_towns_data_status(towns), "early_possible": False,
                     "synthetic": any(r.get("synthetic") for r in rows if r["indicator_id"] == indicator.indicator_id),
                     "sources": "；".join(sources)})  # fmt: skip  # the towns' sources: a derived row keeps them


def _towns_data_status(towns: list) -> dict:
    """A district row summarising its towns: the towns' data, in the same columns as a series' row."""
    statuses = [r.data_status for _, r in towns]
    latest = [d.latest_year for d in statuses if d.latest_year is not None]
    return {"data_latest_year": max(latest) if latest else None,
            "data_points": max((d.points_in_period for d in statuses), default=0),
            "data_frequency": statuses[0].frequency_years if statuses else None,
            "data_stale": bool(statuses) and all(d.stale for d in statuses), "data_proxy": False,
            "data_missing_years": "", "data_note": f"由{len(towns)}个乡镇的数据汇总",
            "data_note_en": f"summarised from {len(towns)} townships"}  # fmt: skip


def _beside_higher_levels(rows: list, assessments: dict, observations: pd.DataFrame) -> None:
    """Beside a district's rate of few events, the same rate for the city, province and nation."""
    higher_all = observations.loc[observations["region"].isin(HIGHER_LEVELS) & (observations["sex"] == "total")
                                  & (observations["urban_rural"] == "total") & (observations["status"] == "value")]  # fmt: skip
    compared: dict[tuple, tuple[str, str] | None] = {}  # per indicator and report year: the same for every region
    for row in rows:
        result = assessments.get(tuple(row[k] for k in SERIES_KEY))
        if result is None or result.pooled is None or row["region"] in HIGHER_LEVELS:
            continue
        unit = row.get("unit") or ""
        at = (row["indicator_id"], result.as_of, unit)
        if at not in compared:
            higher = higher_all.loc[(higher_all["indicator_id"] == row["indicator_id"])
                                    & (higher_all["year"] <= result.as_of)]  # fmt: skip
            latest = higher.sort_values("year").groupby("region").tail(1)
            compared[at] = None if higher.empty else (
                "；对照：" + "，".join(f"{r.region}{r.year}年{with_unit(f'{r.value:g}', unit)}" for r in latest.itertuples()),
                "; compare: " + ", ".join(f"{r.region} {r.year}: {with_unit(f'{r.value:g}', unit, 'en')}"
                                         for r in latest.itertuples()))  # fmt: skip
        if compared[at] is None:
            continue
        zh, en = compared[at]
        row["evidence_zh"] = (row.get("evidence_zh") or "") + zh
        row["evidence_en"] = (row.get("evidence_en") or "") + en
