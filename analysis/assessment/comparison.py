"""The mid-term evaluation's comparisons: the district beside the higher levels, and the gaps
between women and men, town and country, and the towns.

* ``levels`` / ``levels_latest``: the district's value beside 乐山市, 四川省 and 全国 for the
  same indicator and year (totals), each with its source; the higher levels' targets from
  ``analysis/catalog/targets_by_level.csv`` beside the district's own.
* ``breakdown_gaps``: for every indicator with a sex (or urban/rural) breakdown, the two groups'
  values each year, the gap as a difference (female − male; urban − rural) and a ratio, and an
  interval where the data hold counts (numerator and denominator):
    - rates per 10万 / ‰ of rare events: Poisson rates, score interval for the difference and the
      ratio (``statsmodels.stats.rates.confint_poisson_2indep``; the ratio only when both groups
      have at least one event);
    - shares in %: binomial proportions, Newcombe interval for the difference and log interval for
      the ratio (``statsmodels.stats.proportion.confint_proportions_2indep``).
  Without counts (a share typed as a value) no interval is computed, and the table says so.
  Counts are also pooled over the outline period (2021 to the latest year) in a ``2021–`` row.
* ``gap_direction``: whether each gap has narrowed since 2020 beyond chance (``p_narrowed``; the
  engine's direction rule on the yearly |gap|, or with counts a test of the pooled 2016–2020 gap
  against the pooled 2021–latest gap, since a single year's 0 or 1 death says nothing); no
  direction at all (``TOO_FEW``) when both periods together hold fewer than ``MIN_EVENTS`` events.
* ``towns``: each town's value; rates of small counts pooled over 2021–latest and, when fewer
  than ``MIN_EVENTS`` events, shown as counts only; and the ethnic townships (民族乡: column
  ``ethnic_township`` of ``regions.csv``) pooled beside the other towns.

* ``urban_rural_table``, ``ethnic_table``, ``age_table``: one row per indicator (per age group)
  for the reports' 分城乡, 民族乡与其他乡镇 and 分年龄 views, built from the functions above;
  rare events as pooled counts with exact (Garwood / Clopper–Pearson) intervals.

Every table carries ``synthetic`` when any value in it is synthetic.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep
from statsmodels.stats.rates import confint_poisson_2indep

from analysis.assessment import Target
from analysis.assessment.config import DEFAULT_CONFIG, AssessmentConfig
from analysis.assessment.counts import pooled_rate
from analysis.assessment.rules import Evidence, change_probability
from analysis.catalog import CATALOG, Catalog, load_age_groups, load_targets_by_level
from analysis.data.vocabulary import ethnic_townships, load_regions

DISTRICT = "金口河区"
HIGHER = ("乐山市", "四川省", "全国")
PAIRS = {"sex": ("female", "male"), "urban_rural": ("urban", "rural")}
PAIR_ZH = {"female": "女", "male": "男", "urban": "城镇", "rural": "农村"}
OUTLINE_START, BASE_YEAR = 2021, 2020
MIN_EVENTS = 5  # fewer pooled events than this: counts only, no rate (a rate of 2 deaths is noise)
ALPHA = 0.05
NO_COUNTS = "无计数（仅有比率），不计算区间"
TOO_FEW = "事件过少，不判断"
UNCLEAR = "变化不明显"


def observations_for_comparison(processed_dir, up_to_year: int, by_age: bool = False) -> pd.DataFrame:
    """Every region's observations (the district, its towns and the higher levels) up to a year;
    ``by_age`` adds the age-group rows (for ``age_table`` only)."""
    from analysis.data.ingest import load_observations

    return load_observations(processed_dir, up_to_year=up_to_year, by_age=by_age)


def _totals(observations: pd.DataFrame) -> pd.DataFrame:
    o = observations
    return o.loc[(o["sex"] == "total") & (o["urban_rural"] == "total") & (o["population_group"] == "")
                 & (o["status"] == "value")]  # fmt: skip


def levels(observations: pd.DataFrame, district: str = DISTRICT, higher: tuple[str, ...] = HIGHER) -> pd.DataFrame:
    """Long table: every (indicator, year) the district has, with each higher level's value that year."""
    totals = _totals(observations)
    mine = totals.loc[totals["region"] == district, ["indicator_id", "year", "value", "synthetic", "source"]]
    rows = []
    for level in higher:
        theirs = totals.loc[totals["region"] == level, ["indicator_id", "year", "value", "source"]]
        merged = mine.merge(theirs, on=["indicator_id", "year"], how="inner", suffixes=("", "_level"))
        rows.append(merged.assign(level=level))
    columns = ["indicator_id", "year", "value", "level", "value_level", "source_level", "synthetic", "source"]
    if not rows:
        return pd.DataFrame(columns=columns)
    table = pd.concat(rows, ignore_index=True)[columns]
    table["difference"] = table["value"] - table["value_level"]
    return table.sort_values(["indicator_id", "year", "level"]).reset_index(drop=True)


def levels_latest(observations: pd.DataFrame, district: str = DISTRICT, higher: tuple[str, ...] = HIGHER,
                  catalog: Catalog = CATALOG, only_compared: bool = True) -> pd.DataFrame:  # fmt: skip
    """One row per indicator the district reports (and, with ``only_compared``, a higher level too):
    the district's latest value, each higher level's value in that same year (empty if it has
    none) and its own latest value and year, and the district's and the higher levels' targets."""
    totals = _totals(observations)
    targets = load_targets_by_level(catalog=catalog)
    indicators = catalog.indicators.set_index("indicator_id")
    rows = []
    for indicator_id, frame in totals.loc[totals["region"].isin((district, *higher))].groupby("indicator_id"):
        ind = indicators.loc[indicator_id]
        mine = frame.loc[frame["region"] == district].sort_values("year")
        year = int(mine["year"].iloc[-1]) if len(mine) else None
        row = {"indicator_id": indicator_id, "name_zh": ind.name_zh, "unit": ind.unit, "year": year,
               district: float(mine["value"].iloc[-1]) if len(mine) else np.nan,
               "synthetic": bool(mine["synthetic"].any()), "target": ind.target_text, "pooled": ""}  # fmt: skip
        counted = mine.loc[(mine["year"] >= OUTLINE_START) & mine["denominator"].notna()]
        if ind.small_count and len(counted):  # one year of a rare event says little: the outline period pooled
            pooled = _pool(counted, ind)
            row["pooled"] = (f"{counted['year'].min()}–{counted['year'].max()}合并 {pooled['value']:.3g}"
                             f"（{int(pooled['numerator'])}/{int(pooled['denominator'])}）")
        for level in higher:
            theirs = frame.loc[frame["region"] == level].sort_values("year")
            same = theirs.loc[theirs["year"] == year, "value"]
            row[f"{level}_same_year"] = float(same.iloc[0]) if len(same) else np.nan
            row[f"{level}_latest"] = float(theirs["value"].iloc[-1]) if len(theirs) else np.nan
            row[f"{level}_latest_year"] = int(theirs["year"].iloc[-1]) if len(theirs) else pd.NA
            target = targets.loc[(targets["indicator_id"] == indicator_id) & (targets["level"] == level)]
            row[f"{level}_target"] = target["target_text"].iloc[0] if len(target) else ""
        compared = any(pd.notna(row[f"{level}_latest"]) for level in higher)
        if len(mine) and (compared or not only_compared):
            rows.append(row)
    return pd.DataFrame(rows)


def _interval(kind: str, a, n1, b, n2, per: float) -> dict:
    """Difference and ratio of group 1 against group 2 with 95 % intervals, from counts."""
    out = {"difference_lower": np.nan, "difference_upper": np.nan, "ratio_lower": np.nan, "ratio_upper": np.nan,
           "interval_method": ""}  # fmt: skip
    if kind == "rate":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            lo, hi = confint_poisson_2indep(a, n1, b, n2, method="score", compare="diff", alpha=ALPHA)
            out.update(difference_lower=lo * per, difference_upper=hi * per)
            if a > 0 and b > 0:
                lo, hi = confint_poisson_2indep(a, n1, b, n2, method="score", compare="ratio", alpha=ALPHA)
                out.update(ratio_lower=lo, ratio_upper=hi)
        out["interval_method"] = "泊松率之差/之比，score 95%区间" + ("" if a > 0 and b > 0 else "（一组无事件，不计算比值区间）")
    else:
        lo, hi = confint_proportions_2indep(a, n1, b, n2, method="newcomb", compare="diff", alpha=ALPHA)
        out.update(difference_lower=lo * 100, difference_upper=hi * 100)
        if a > 0 and b > 0:
            lo, hi = confint_proportions_2indep(a, n1, b, n2, method="log", compare="ratio", alpha=ALPHA)
            out.update(ratio_lower=lo, ratio_upper=hi)
        out["interval_method"] = "两独立比例之差 Newcombe、之比 log 95%区间"
    return out


def _gap_row(ind, first: pd.Series, second: pd.Series) -> dict:
    row = {"value_1": first["value"], "value_2": second["value"], "difference": first["value"] - second["value"],
           "ratio": first["value"] / second["value"] if second["value"] else np.nan}  # fmt: skip
    counts = all(pd.notna(s[c]) for s in (first, second) for c in ("numerator", "denominator"))
    if counts and first["denominator"] > 0 and second["denominator"] > 0:
        kind = "proportion" if ind.unit == "%" else "rate"
        per = _scale(ind)
        row.update(per=per, numerator_1=first["numerator"], denominator_1=first["denominator"],
                   numerator_2=second["numerator"], denominator_2=second["denominator"],
                   **_interval(kind, first["numerator"], first["denominator"], second["numerator"],
                               second["denominator"], per))  # fmt: skip
    else:
        row["interval_method"] = NO_COUNTS
    return row


def breakdown_gaps(observations: pd.DataFrame, between: str = "sex", region: str = DISTRICT,
                   catalog: Catalog = CATALOG) -> pd.DataFrame:  # fmt: skip
    """Group 1 − group 2 (female − male, or urban − rural) per indicator and year, with intervals
    from counts, and for counted indicators a pooled row for 2021–latest (``year`` = "2021–")."""
    first, second = PAIRS[between]
    other = "urban_rural" if between == "sex" else "sex"
    o = observations.loc[(observations["region"] == region) & (observations[other] == "total")
                         & (observations["population_group"] == "") & (observations["status"] == "value")]  # fmt: skip
    indicators = catalog.indicators.set_index("indicator_id")
    rows = []
    for indicator_id, frame in o.loc[o[between].isin([first, second])].groupby("indicator_id"):
        ind = indicators.loc[indicator_id]
        by_year = {g: f.set_index("year") for g, f in frame.groupby(between)}
        if set(by_year) != {first, second}:
            continue
        years = sorted(set(by_year[first].index) & set(by_year[second].index))
        base = {"indicator_id": indicator_id, "name_zh": ind.name_zh, "unit": ind.unit, "between": between,
                "group_1": PAIR_ZH[first], "group_2": PAIR_ZH[second], "synthetic": bool(frame["synthetic"].any())}  # fmt: skip
        for year in years:
            rows.append({**base, "year": str(year), **_gap_row(ind, by_year[first].loc[year], by_year[second].loc[year])})
        counted = [y for y in years if y >= OUTLINE_START and pd.notna(by_year[first].loc[y, "numerator"])
                   and pd.notna(by_year[second].loc[y, "numerator"])]  # fmt: skip
        if counted:
            pooled = [_pool(by_year[g].loc[counted], ind) for g in (first, second)]
            rows.append({**base, "year": f"{counted[0]}–{counted[-1]}合并", **_gap_row(ind, *pooled)})
    columns = ["indicator_id", "name_zh", "unit", "between", "group_1", "group_2", "year", "value_1", "value_2",
               "difference", "difference_lower", "difference_upper", "ratio", "ratio_lower", "ratio_upper",
               "numerator_1", "denominator_1", "numerator_2", "denominator_2", "per", "interval_method", "synthetic"]  # fmt: skip
    return pd.DataFrame(rows).reindex(columns=columns)


def _scale(ind) -> float:
    """What a rate of counts is multiplied by: per (100000 for 1/10万, 1000 for ‰) or 100 for %."""
    return float(ind.per) if ind.per == ind.per else 100.0 if ind.unit == "%" else 1.0


def _pool(frame: pd.DataFrame, ind) -> pd.Series:
    numerator, denominator = frame["numerator"].sum(), frame["denominator"].sum()
    scale = _scale(ind)
    return pd.Series({"numerator": numerator, "denominator": denominator,
                      "value": numerator / denominator * scale if denominator else np.nan})  # fmt: skip


def gap_direction(gaps: pd.DataFrame, base_year: int = BASE_YEAR, config: AssessmentConfig = DEFAULT_CONFIG) -> pd.DataFrame:
    """Per indicator: the gap in 2020 and now, and whether it narrowed or widened *beyond chance*.

    ``p_narrowed`` is P(|gap| smaller now than in 2020). With counts it is a two-sample
    difference-in-differences test: the pooled 2016–2020 gap against the pooled 2021–latest gap,
    each group's rate with its binomial (shares) or Poisson (rates) variance. From rates alone it is
    the engine's own direction rule (``assess_series`` with a 差距缩小 target) on the yearly |gap|,
    so a move within the series' yearly noise is 变化不明显, as for every direction goal.
    缩小 / 扩大 need P ≥ ``clear_change_probability`` (0.90) either way; fewer than ``MIN_EVENTS``
    events: no direction at all (``TOO_FEW``).
    """
    rows = []
    yearly = gaps.loc[gaps["year"].str.isdigit()].assign(y=lambda g: g["year"].astype(int))
    for indicator_id, frame in yearly.groupby("indicator_id"):
        counted = frame["numerator_1"].notna().all() and len(frame)
        if counted:
            before = frame.loc[(frame["y"] > base_year - 5) & (frame["y"] <= base_year)]
            after = frame.loc[frame["y"] > base_year]
            if before.empty or after.empty:
                continue
            (gap_then, var_then), (gap_now, var_now) = _pooled_gap(before), _pooled_gap(after)
            then_label, now_label = f"{before['y'].min()}–{before['y'].max()}合并", f"{after['y'].min()}–{after['y'].max()}合并"
            sign = np.sign(gap_then) or np.sign(gap_now)
            se = np.sqrt(var_then + var_now)
            p_narrowed = (float(stats.norm.cdf(-sign * (gap_now - gap_then) / se)) if se > 0 and sign
                          else 0.5)  # fmt: skip
        else:
            then = frame.loc[frame["y"] == base_year]
            if then.empty:
                continue
            latest = frame.loc[frame["y"].idxmax()]
            gap_then, gap_now = float(then["difference"].iloc[0]), float(latest["difference"])
            then_label, now_label = str(base_year), str(latest["y"])
            p_narrowed = _p_narrowed_from_rates(frame, base_year, config)
        change = abs(gap_now) - abs(gap_then)
        clear = config.clear_change_probability
        direction = (UNCLEAR if p_narrowed is None else "缩小" if p_narrowed >= clear
                     else "扩大" if p_narrowed <= 1 - clear else UNCLEAR)  # fmt: skip
        if counted and frame[["numerator_1", "numerator_2"]].to_numpy().sum() < MIN_EVENTS:
            direction, p_narrowed = TOO_FEW, None  # 2 deaths in ten years: no direction can be told from chance
        rows.append({"indicator_id": indicator_id, "name_zh": frame["name_zh"].iloc[0], "between": frame["between"].iloc[0],
                     "then": then_label, "gap_then": gap_then, "now": now_label, "gap_now": gap_now,
                     "abs_change": change, "p_narrowed": p_narrowed, "direction": direction,
                     "synthetic": bool(frame["synthetic"].any())})  # fmt: skip
    return pd.DataFrame(rows)


def _p_narrowed_from_rates(frame: pd.DataFrame, base_year: int, config: AssessmentConfig) -> float | None:
    """P(|gap| narrowed since the base year) from the yearly gaps alone: the engine's direction rule."""
    series = frame.sort_values("y")
    years, gap = series["y"].to_numpy(), series["difference"].abs().to_numpy(float)
    base = gap[years == base_year][0]
    target = Target("gap_narrowing", None, 2030, "lower", 0, None)
    evidence = Evidence(target, config, int(years[-1]), years, gap, int(years[-1]), float(gap[-1]), base_year,
                        float(base), None, None, False)  # fmt: skip
    return change_probability(evidence, target.direction)


def _pooled_gap(frame: pd.DataFrame) -> tuple[float, float]:
    """The pooled gap (per ``per``) and its variance: binomial for shares, Poisson for rates."""
    per = frame["per"].iloc[0]
    share = frame["unit"].iloc[0] == "%"
    gap, variance = 0.0, 0.0
    for group, sign in (("1", 1), ("2", -1)):
        k, n = frame[f"numerator_{group}"].sum(), frame[f"denominator_{group}"].sum()
        rate = k / n
        gap += sign * rate
        variance += (rate * (1 - rate) if share else rate) / n
    return float(round(gap * per, 10)), float(variance * per**2)


def towns(observations: pd.DataFrame, indicator_id: str, parent: str = DISTRICT, catalog: Catalog = CATALOG,
          min_events: int = MIN_EVENTS) -> pd.DataFrame:  # fmt: skip
    """Each town's value (latest year), or for rates of small counts its counts pooled over
    2021–latest, with the rate only when at least ``min_events`` events; then the ethnic townships
    pooled beside the other towns (民族乡 / 其他乡镇)."""
    regions = load_regions()
    names = regions.loc[(regions["level"] == "township") & (regions["parent"] == parent), "region"].tolist()
    ethnic = ethnic_townships(parent, regions)
    english = dict(zip(regions["region"], regions["name_en"]))
    ind = catalog.indicators.set_index("indicator_id").loc[indicator_id]
    o = _totals(observations)
    o = o.loc[(o["indicator_id"] == indicator_id) & o["region"].isin(names)]
    counted = bool(ind.small_count) and o["denominator"].notna().any()
    rows = []
    if counted:
        window = o.loc[o["year"] >= OUTLINE_START]
        groups = [(n, english[n], window.loc[window["region"] == n]) for n in names]
        groups += [("民族乡（合并）", "Ethnic townships (pooled)", window.loc[window["region"].isin(ethnic)]),
                   ("其他乡镇（合并）", "Other towns (pooled)", window.loc[~window["region"].isin(ethnic)])]  # fmt: skip
        for name, name_en, frame in groups:
            if frame.empty:
                continue
            pooled = _pool(frame, ind)
            enough = pooled["numerator"] >= min_events
            first, last = int(frame["year"].min()), int(frame["year"].max())
            exact = pooled_rate(frame["year"], frame["numerator"], frame["denominator"], _scale(ind), last,
                                last - first + 1)  # fmt: skip
            rows.append({"region": name, "region_en": name_en, "years": f"{first}–{last}", "years_en": f"{first}–{last}",
                         "numerator": int(pooled["numerator"]), "denominator": int(pooled["denominator"]),
                         "lower_95": exact.lower_95, "upper_95": exact.upper_95,
                         "value": pooled["value"] if enough else np.nan,
                         "shown_as": "比率" if enough else f"事件少于{min_events}例，仅列计数",
                         "shown_as_en": "rate" if enough else f"fewer than {min_events} events: counts only",
                         "synthetic": bool(frame["synthetic"].any())})  # fmt: skip
    else:
        for name in names:
            frame = o.loc[o["region"] == name].sort_values("year")
            if frame.empty:
                continue
            year = str(int(frame["year"].iloc[-1]))
            rows.append({"region": name, "region_en": english[name], "years": year, "years_en": year,
                         "value": frame["value"].iloc[-1], "shown_as": "最新年份数值",
                         "shown_as_en": "latest year's value", "synthetic": bool(frame["synthetic"].any())})  # fmt: skip
        latest = o.loc[o.groupby("region")["year"].transform("max") == o["year"]]
        for label, label_en, mask in (("民族乡（平均）", "Ethnic townships (mean)", latest["region"].isin(ethnic)),
                                      ("其他乡镇（平均）", "Other towns (mean)", ~latest["region"].isin(ethnic))):  # fmt: skip
            if mask.any():
                rows.append({"region": label, "region_en": label_en, "years": "各乡镇最新年份",
                             "years_en": "each town's latest year", "value": latest.loc[mask, "value"].mean(),
                             "shown_as": "乡镇数值的简单平均（无人口权数）",
                             "shown_as_en": "simple mean of the towns (not population-weighted)",
                             "synthetic": bool(latest["synthetic"].any())})  # fmt: skip
    columns = ["region", "region_en", "years", "years_en", "numerator", "denominator", "lower_95", "upper_95", "value",
               "shown_as", "shown_as_en", "synthetic"]  # fmt: skip
    return pd.DataFrame(rows).reindex(columns=columns).assign(indicator_id=indicator_id)


# --- the reports' breakdown views: one row per indicator ------------------------------------------

ETHNIC, OTHER = "民族乡", "其他乡镇"


def urban_rural_table(observations: pd.DataFrame, region: str = DISTRICT, catalog: Catalog = CATALOG) -> pd.DataFrame:
    """Per indicator with urban and rural values: town − country in the latest year, or for rates of
    rare events the counts pooled since 2021, with the interval and the change since 2020."""
    gaps = breakdown_gaps(observations, "urban_rural", region, catalog)
    if gaps.empty:
        return gaps.assign(direction=pd.Series(dtype=str), gap_then=pd.Series(dtype=float), then=pd.Series(dtype=str),
                           p_narrowed=pd.Series(dtype=float))  # fmt: skip
    direction = gap_direction(gaps)
    small = set(catalog.indicators.loc[catalog.indicators["small_count"], "indicator_id"])
    pooled = gaps.loc[~gaps["year"].str.isdigit() & gaps["indicator_id"].isin(small)]
    yearly = gaps.loc[gaps["year"].str.isdigit() & ~gaps["indicator_id"].isin(pooled["indicator_id"])]
    latest = yearly.assign(y=yearly["year"].astype(int)).sort_values("y").groupby("indicator_id").tail(1).drop(columns="y")
    table = pd.concat([latest, pooled], ignore_index=True).sort_values("indicator_id", kind="stable")
    keep = ["indicator_id", "then", "gap_then", "p_narrowed", "direction"]
    merged = table.merge(direction[keep] if len(direction) else pd.DataFrame(columns=keep), on="indicator_id", how="left")
    return merged.reset_index(drop=True)


def ethnic_table(observations: pd.DataFrame, region: str = DISTRICT, catalog: Catalog = CATALOG) -> pd.DataFrame:
    """Per indicator with township rows: the 民族乡 beside the other towns — rare events pooled since
    2021 as counts (a rate only from ``MIN_EVENTS`` events) with exact intervals; other values as the
    towns' simple mean of their latest values."""
    with_towns = catalog.indicators.loc[catalog.indicators["breakdowns"].str.contains("township"), "indicator_id"]
    rows = []
    for indicator_id in with_towns:
        table = towns(observations, indicator_id, region, catalog)
        groups = {name.split("（")[0]: row for name, row in table.set_index("region").iterrows()
                  if name.split("（")[0] in (ETHNIC, OTHER)}  # fmt: skip
        if set(groups) != {ETHNIC, OTHER}:
            continue
        ind = catalog.indicators.set_index("indicator_id").loc[indicator_id]
        a, b = groups[ETHNIC], groups[OTHER]
        counted = pd.notna(a["numerator"])
        row = {"indicator_id": indicator_id, "name_zh": ind.name_zh, "unit": ind.unit, "years": a["years"],
               "shown_as": a["shown_as"] if counted else "乡镇最新数值的简单平均（无人口权数）",
               "synthetic": bool(table["synthetic"].any())}  # fmt: skip
        for key, g in (("ethnic", a), ("other", b)):
            row.update({f"{key}_value": g["value"], f"{key}_numerator": g["numerator"], f"{key}_denominator": g["denominator"],
                        f"{key}_lower_95": g["lower_95"], f"{key}_upper_95": g["upper_95"],
                        f"{key}_shown_as": g["shown_as"]})  # fmt: skip
        row["difference"] = a["value"] - b["value"]  # empty when either side is shown as counts only
        if counted:  # town against country of the exact counts, as for the urban/rural gap
            row.update(_interval("proportion" if ind.unit == "%" else "rate", a["numerator"], a["denominator"],
                                 b["numerator"], b["denominator"], _scale(ind)))  # fmt: skip
        rows.append(row)
    return pd.DataFrame(rows)


def age_table(observations: pd.DataFrame, region: str = DISTRICT, catalog: Catalog = CATALOG) -> pd.DataFrame:
    """Per indicator with age groups (``load_observations(by_age=True)``), each age group's values in
    the latest year that has them: women, men and women − men (with an interval where counts exist),
    in the catalog's order of age groups."""
    if "age_group" not in observations:
        return pd.DataFrame()
    ages = load_age_groups(catalog=catalog)
    o = observations.loc[(observations["region"] == region) & (observations["age_group"] != "")
                         & (observations["urban_rural"] == "total") & (observations["status"] == "value")]  # fmt: skip
    indicators = catalog.indicators.set_index("indicator_id")
    rows = []
    for indicator_id, frame in o.groupby("indicator_id"):
        ind = indicators.loc[indicator_id]
        year = int(frame["year"].max())
        now = frame.loc[frame["year"] == year]
        for order, group in enumerate(ages.loc[ages["indicator_id"] == indicator_id].itertuples()):
            cells = now.loc[now["age_group"] == group.age_group].set_index("sex")
            if cells.empty:
                continue
            row = {"indicator_id": indicator_id, "name_zh": ind.name_zh, "unit": ind.unit, "year": year,
                   "age_group": group.age_group, "label_zh": group.label_zh, "label_en": group.label_en,
                   "order": order, "synthetic": bool(cells["synthetic"].any())}  # fmt: skip
            for sex in ("total", "female", "male"):
                row[sex] = float(cells.loc[sex, "value"]) if sex in cells.index else np.nan
            if {"female", "male"} <= set(cells.index):
                row.update(_gap_row(ind, cells.loc["female"], cells.loc["male"]))
            rows.append(row)
    return pd.DataFrame(rows)

