"""The mid-term evaluation's comparisons: the district beside the higher levels, and the gaps
between women and men, town and country, and the towns.

* ``levels`` / ``levels_latest``: the district's value beside 乐山市, 四川省 and 全国 for the
  same indicator, year and sex — women's values beside women's values, both sexes beside both
  sexes, never crossed — each with its year, source, quote and scope note; a value more than
  ``STALE_YEARS`` older than the district's marked; people's congress and CPPCC shares held
  through their term; the higher levels' targets from ``analysis/catalog/targets_by_level.csv``
  beside the district's own. ``source_note`` is the 注 line under such a table, ``citations``
  the full list of sources (reference number, level, indicator, year, value, title, URL, quote)
  for the appendix.
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

import re
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
from analysis.catalog import CATALOG, Catalog, load_age_groups, load_targets_by_level, unit_text
from analysis.data.vocabulary import ethnic_townships, load_regions

DISTRICT = "金口河区"
HIGHER = ("乐山市", "四川省", "全国")
PAIRS = {"sex": ("female", "male"), "urban_rural": ("urban", "rural")}
PAIR_ZH = {"female": "女", "male": "男", "urban": "城镇", "rural": "农村"}
OUTLINE_START, BASE_YEAR = 2021, 2020
MIN_EVENTS = 5  # fewer pooled events than this: counts only, no rate (a rate of 2 deaths is noise)
ALPHA = 0.05
NO_COUNTS = "无计数（仅有比率），不计算区间"
LEVEL_SEXES = ("female", "total")  # the series the levels compare: women's with women's, totals with totals
SEX_ZH = {"female": "女性", "total": "男女合计"}
# what the compared series is, by the indicator's population (catalog) for its total series
SERIES_ZH = {"women": "女性（指标本身）", "women_share": "女性占比", "all": "男女合计"}
SERIES_EN = {"female": "Women", "women": "Women (by definition)", "women_share": "Women's share", "all": "Both sexes"}
SEX_ORDER = {"female": 0, "total": 1}
LEVEL_EN = {"乐山市": "Leshan", "四川省": "Sichuan", "全国": "China"}
KIND_EN = {"at_most": "at most", "at_least": "at least", "about": "about", "keep_at_least": "keep at least",
           "increase": "increase", "decrease": "decrease", "slower_rise": "slower rise",
           "gap_narrowing": "narrow the gap", "monitor": "monitor", "qualitative": "qualitative"}  # fmt: skip
TERM_YEARS = 5  # a people's congress or CPPCC is elected for five years; its share holds for the term
STALE_YEARS = 5  # a higher level's value more than this older than the district's is marked
TERM_WORD = "届期"  # in a figure's note: a people's congress or CPPCC share, held for its term
SCOPE_WORDS = ("口径", "近似匹配")  # the parts of a figure's note that say how its statistic differs
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


def target_en(kind: str, value: object, unit: str, year: object) -> str:
    """A target in English from its kind, value, unit and year ("at most 12 per 100,000 by 2030"): the
    English edition shows no Chinese target text."""
    words = KIND_EN.get(kind, kind)
    number = f" {float(value):g} {unit_text(unit, 'en')}".rstrip() if pd.notna(value) and value != "" else ""
    by = f" by {int(year)}" if pd.notna(year) and year != "" else ""
    return f"{words}{number}{by}" if kind else ""


def _series(observations: pd.DataFrame) -> pd.DataFrame:
    """All-ages values of the women's (``female``) and both sexes' (``total``) series, as the levels
    compare them: a women's value only ever beside a women's value, a total beside a total."""
    o = observations
    return o.loc[o["sex"].isin(LEVEL_SEXES) & (o["urban_rural"] == "total") & (o["population_group"] == "")
                 & (o["status"] == "value")]  # fmt: skip


def _scope(note: object, indicator, sex: str) -> str:
    """What differs in a higher level's statistic: the 口径/近似匹配 parts of its note, and a
    both-sexes comparison of an indicator whose target judges women's values."""
    parts = [p.strip() for p in re.split(r"[;；]", str(note or ""))]
    parts = [p for p in parts if p.startswith(SCOPE_WORDS) and "目标按女性数值评估" not in p]
    if sex == "total" and indicator.judged_on == "female" and indicator.population == "all":
        parts.insert(0, "男女合计与男女合计比较（本区目标按女性数值评估）")
    return "；".join(dict.fromkeys(parts))


def _is_term(row: pd.Series) -> bool:
    """A term value (人大, 政协): the import says so in the note (届期 …, 届内有效)."""
    return TERM_WORD in str(row["note"] or "")


def _in_effect(theirs: pd.DataFrame, year: int) -> pd.Series | None:
    """A higher level's value for ``year``: that year's, or a term value (``_is_term``) of the term
    running that year (``TERM_YEARS``); never carried further."""
    same = theirs.loc[theirs["year"] == year]
    if len(same):
        return same.iloc[0]
    term = theirs.loc[(theirs["year"] <= year) & (theirs["year"] + TERM_YEARS > year)
                      & theirs["note"].astype(str).str.contains(TERM_WORD)]  # fmt: skip
    return term.iloc[-1] if len(term) else None


def _age(level_year: int, district_year: int, elected: bool) -> int:
    """How many years a higher level's value is older than the district's (a term value counts from
    the last year of its term)."""
    last = min(level_year + TERM_YEARS - 1, district_year) if elected else level_year
    return district_year - last


def levels(observations: pd.DataFrame, district: str = DISTRICT, higher: tuple[str, ...] = HIGHER,
           catalog: Catalog = CATALOG) -> pd.DataFrame:  # fmt: skip
    """Long table: every (indicator, sex, year) the district has, beside each higher level's value in
    effect that year (the same year; for 人大/政协 the running term), with its source and scope note.
    ``sex`` is ``female`` (women's values on both sides) or ``total`` (both sexes on both sides)."""
    series = _series(observations)
    indicators = catalog.indicators.set_index("indicator_id")
    mine = series.loc[series["region"] == district]
    rows = []
    for (indicator_id, sex), frame in mine.groupby(["indicator_id", "sex"]):
        ind = indicators.loc[indicator_id]
        for level in higher:
            theirs = series.loc[(series["region"] == level) & (series["indicator_id"] == indicator_id)
                                & (series["sex"] == sex)].sort_values("year")  # fmt: skip
            if theirs.empty:
                continue
            for r in frame.itertuples():
                found = _in_effect(theirs, int(r.year))
                if found is None:
                    continue
                rows.append({"indicator_id": indicator_id, "sex": sex, "year": int(r.year), "value": r.value,
                             "level": level, "value_level": float(found["value"]), "year_level": int(found["year"]),
                             "source_level": found["source"], "source_url_level": found["source_url"],
                             "quote_level": found["quote"], "scope_note": _scope(found["note"], ind, sex),
                             "synthetic": bool(r.synthetic), "source": r.source})  # fmt: skip
    columns = ["indicator_id", "sex", "year", "value", "level", "value_level", "year_level", "source_level",
               "source_url_level", "quote_level", "scope_note", "synthetic", "source"]  # fmt: skip
    table = pd.DataFrame(rows, columns=columns)
    table["difference"] = table["value"] - table["value_level"]
    return table.sort_values(["indicator_id", "sex", "year", "level"]).reset_index(drop=True)


def levels_latest(observations: pd.DataFrame, district: str = DISTRICT, higher: tuple[str, ...] = HIGHER,
                  catalog: Catalog = CATALOG, only_compared: bool = True) -> pd.DataFrame:  # fmt: skip
    """One row per indicator and series (``sex``: ``female`` or ``total``) the district reports (and,
    with ``only_compared``, a higher level too, *for the same sex*): the district's latest value; each
    higher level's value in that year (``_same_year``; for 人大/政协 the running term), its latest
    value and year, the value shown (``_value``/``_year``: in effect that year, else the latest),
    whether that value is more than ``STALE_YEARS`` older than the district's (``_stale``), its
    source, address, quote, scope note and reference number (``_ref``, see ``citations``); and
    the district's and the higher levels' targets."""
    series = _series(observations)
    targets = load_targets_by_level(catalog=catalog)
    indicators = catalog.indicators.set_index("indicator_id")
    rows = []
    for (indicator_id, sex), frame in series.loc[series["region"].isin((district, *higher))].groupby(
            ["indicator_id", "sex"], sort=True):  # fmt: skip
        ind = indicators.loc[indicator_id]
        mine = frame.loc[frame["region"] == district].sort_values("year")
        if mine.empty:
            continue
        year = int(mine["year"].iloc[-1])
        row = {"indicator_id": indicator_id, "sex": sex, "name_zh": ind.name_zh,
               "target_en": target_en(ind.target_kind, ind.target_value, ind.unit, ind.target_year),
               "sex_zh": SEX_ZH[sex] if sex == "female" else SERIES_ZH.get(ind.population, SEX_ZH[sex]),
               "sex_en": SERIES_EN["female" if sex == "female" else ind.population],
               "unit": ind.unit, "year": year, district: float(mine["value"].iloc[-1]),
               "synthetic": bool(mine["synthetic"].any()), "target": ind.target_text, "pooled": ""}  # fmt: skip
        counted = mine.loc[(mine["year"] >= OUTLINE_START) & mine["denominator"].notna()]
        if ind.small_count and len(counted):  # one year of a rare event says little: the outline period pooled
            pooled = _pool(counted, ind)
            row["pooled"] = (f"{counted['year'].min()}–{counted['year'].max()}合并 {pooled['value']:.3g}"
                             f"（{int(pooled['numerator'])}/{int(pooled['denominator'])}）")
        scopes = []
        for level in higher:
            theirs = frame.loc[frame["region"] == level].sort_values("year")
            now = _in_effect(theirs, year) if len(theirs) else None
            shown = now if now is not None else (theirs.iloc[-1] if len(theirs) else None)
            term = shown is not None and _is_term(shown)
            row[f"{level}_same_year"] = float(now["value"]) if now is not None else np.nan
            row[f"{level}_latest"] = float(theirs["value"].iloc[-1]) if len(theirs) else np.nan
            row[f"{level}_latest_year"] = int(theirs["year"].iloc[-1]) if len(theirs) else pd.NA
            row[f"{level}_value"] = float(shown["value"]) if shown is not None else np.nan
            row[f"{level}_year"] = int(shown["year"]) if shown is not None else pd.NA
            row[f"{level}_term"] = (f"{int(shown['year'])}—{int(shown['year']) + TERM_YEARS}年届"
                                    if term else "")  # fmt: skip
            row[f"{level}_stale"] = shown is not None and _age(int(shown["year"]), year, term) > STALE_YEARS
            for key in ("source", "source_url", "quote"):
                row[f"{level}_{key}"] = shown[key] if shown is not None else ""
            row[f"{level}_scope"] = _scope(shown["note"], ind, sex) if shown is not None else ""
            if row[f"{level}_scope"]:
                scopes.append(f"{level}：{row[f'{level}_scope']}" if len(higher) > 1 else row[f"{level}_scope"])
            target = targets.loc[(targets["indicator_id"] == indicator_id) & (targets["level"] == level)]
            row[f"{level}_target"] = target["target_text"].iloc[0] if len(target) else ""
            row[f"{level}_target_en"] = (target_en(target["target_kind"].iloc[0], target["target_value"].iloc[0],
                                                   ind.unit, target["target_year"].iloc[0]) if len(target) else "")
        row["scope_note"] = "；".join(scopes)
        compared = any(pd.notna(row[f"{level}_latest"]) for level in higher)
        if compared or not only_compared:
            rows.append(row)
    table = pd.DataFrame(rows)
    if len(table):  # women's row first, then both sexes, within an indicator
        table = table.sort_values(["indicator_id", "sex"], key=lambda s: s.map(SEX_ORDER) if s.name == "sex" else s,
                                  kind="stable").reset_index(drop=True)  # fmt: skip
    return _number_sources(table, higher)


def _number_sources(table: pd.DataFrame, higher: tuple[str, ...]) -> pd.DataFrame:
    """``{level}_ref``: one number per cited page (source and address), in the order the table cites them."""
    numbers: dict[tuple[str, str], int] = {}
    for level in higher:
        if f"{level}_source" in table:
            table[f"{level}_ref"] = pd.array([pd.NA] * len(table), dtype="Int64")
    for i, row in table.iterrows():
        for level in higher:
            if pd.notna(row.get(f"{level}_value", np.nan)):
                key = (row[f"{level}_source"], row[f"{level}_source_url"])
                table.at[i, f"{level}_ref"] = numbers.setdefault(key, len(numbers) + 1)
    return table


def citations(table: pd.DataFrame, higher: tuple[str, ...] = HIGHER) -> pd.DataFrame:
    """The full citation list of a ``levels_latest`` table, for the report's appendix: one row per
    higher-level value shown — reference number, level, indicator, sex, year, value, unit, source
    title, URL, the quote that states it, and its scope note — ordered by reference number."""
    rows = []
    for _, row in table.iterrows():
        for level in higher:
            if pd.isna(row.get(f"{level}_value", np.nan)):
                continue
            rows.append({"ref": int(row[f"{level}_ref"]), "level": level, "indicator_id": row["indicator_id"],
                         "name_zh": row["name_zh"], "sex": row["sex_zh"], "sex_en": row["sex_en"],
                         "year": int(row[f"{level}_year"]),
                         "value": row[f"{level}_value"], "unit": row["unit"], "source": row[f"{level}_source"],
                         "url": row[f"{level}_source_url"], "quote": row[f"{level}_quote"],
                         "scope": row[f"{level}_scope"], "term": row[f"{level}_term"]})  # fmt: skip
    columns = ["ref", "level", "indicator_id", "name_zh", "sex", "sex_en", "year", "value", "unit", "source", "url",
               "quote", "scope", "term"]  # fmt: skip
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["ref", "level", "indicator_id"], kind="stable").reset_index(drop=True)


def source_note(table: pd.DataFrame, higher: tuple[str, ...] = HIGHER, lang: str = "zh") -> str:
    """The 注 line under a levels table: where the values come from, what the marks mean, what is missing."""
    shown = {level: int(table[f"{level}_value"].notna().sum()) if f"{level}_value" in table else 0 for level in higher}
    pages = len(citations(table, higher).drop_duplicates(["ref"])) if len(table) else 0
    stale = any(table.get(f"{level}_stale", pd.Series(dtype=bool)).fillna(False).astype(bool).any() for level in higher)
    terms = any(table.get(f"{level}_term", pd.Series(dtype=str)).astype(str).str.len().gt(0).any() for level in higher)
    missing = [level for level in higher if not shown[level]]
    if lang == "en":
        parts = [(f"Note: the higher levels' values are published statistics from {pages} public pages (number in "
                  "[ ] after each value; addresses and the values exactly as published in the appendix 'Sources of "
                  "higher-level values'), shown here to the decimals of their unit; many pages are third-party "
                  "reprints of official releases.")]
        parts.append("Women's values are set beside women's values, both sexes beside both sexes.")
        if stale:
            parts.append(f"△ marks a value more than {STALE_YEARS} years older than the district's.")
        if terms:
            parts.append("People's congress and CPPCC shares hold for the whole term (marked 'term').")
        parts.append("Where the statistic differs, the scope column says how.")
        if missing:
            parts.append("No usable published figure was found for " + ", ".join(LEVEL_EN.get(m, m) for m in missing) + ".")
        return " ".join(parts)
    parts = [(f"注：上级数值均为已公开发布的统计，出自{pages}个公开页面（各值后方括号内为出处编号，网址、原文及照原文的数值见附录"
              "“上级数值出处”），表中按指标单位统一小数位；其中多为官方发布的第三方转载页，用于正式引用前须核对原发布机构原文。")]
    parts.append("女性数值只与女性数值比较，男女合计只与男女合计比较。")
    if stale:
        parts.append(f"标“△”的数值早于本区数值{STALE_YEARS}年以上。")
    if terms:
        parts.append("人大代表、政协委员中女性比例按届期有效，标“届”。")
    parts.append("统计口径与本区不同之处见“口径说明”栏。")
    if missing:
        parts.append("、".join(missing) + "未找到可用的公开数值。")
    return "".join(parts)


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

