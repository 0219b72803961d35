"""What a district government reads first: the findings, the problems and what to do, by unit.

Everything here is worded from the assessment's headline table (one row per indicator) and the
catalog: the outline's goals, their responsible units (``goals.csv`` ``lead_unit``) and the
outline's own 策略措施 for them (``measure_ids``; without that column, the measures whose
``indicator_ids`` name the indicator). Nothing is written by hand about a particular indicator,
so the same rules serve every year, region and language.
"""

from __future__ import annotations

import math
from functools import cache

import pandas as pd

from analysis.assessment.reasons import SEVERITY
from analysis.catalog import CATALOG, Catalog, with_unit
from analysis.data.measures import load_measures
from analysis.data.vocabulary import load_regions
from analysis.report.tables import format_number

LEVEL_WORDS = {"red": ("红色预警", "red warning"), "yellow": ("黄色预警", "yellow warning"),
               "green": ("绿色", "green"), "grey": ("无法判断", "cannot be judged")}  # fmt: skip
DOMAIN_EN = dict(zip(CATALOG.domains["domain"], CATALOG.domains["name_en"]))
DOMAIN_ZH = dict(zip(CATALOG.domains["domain"], CATALOG.domains["name_zh"]))
CN_DIGITS = "〇一二三四五六七八九十"


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二: the numbers of 公文 headings (一、 and （一）)."""
    if n <= 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return (CN_DIGITS[tens] if tens > 1 else "") + "十" + (CN_DIGITS[ones] if ones else "")


def _t(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def unit_name(unit: str, lang: str = "zh", catalog: Catalog = CATALOG) -> str:
    """A registered unit in the report's language (区卫生健康局 → District Health Commission)."""
    return unit if lang == "zh" else str(catalog.units.set_index("unit")["unit_en"].get(unit, unit))


def unit_of(goal_id: str, catalog: Catalog = CATALOG, lang: str = "zh") -> str:
    """The goal's lead unit (牵头单位, catalog ``lead_unit``), in the report's language."""
    return unit_name(catalog.unit_of(goal_id), lang, catalog)


def units_of(goal_id: str, catalog: Catalog = CATALOG) -> list[str]:
    """The lead unit and the partner units (配合单位) of a goal."""
    return [catalog.unit_of(goal_id), *catalog.partners_of(goal_id)]


@cache
def _measures() -> pd.DataFrame:
    return load_measures()


def measures_of(goal_id: str, catalog: Catalog = CATALOG) -> pd.DataFrame:
    """The outline's 策略措施 that serve a goal (catalog ``measure_ids``)."""
    measures = _measures()
    return measures.loc[measures["measure_id"].isin(catalog.measures_of(goal_id))]


def value_text(row, assessment=None, lang: str = "zh") -> str:
    """The latest value as a report states it: counts for rates of few events, else value (year)."""
    pooled = getattr(assessment, "pooled", None) if assessment is not None else None
    if pooled is not None and pooled.exposure:
        rate = format_number(pooled.rate, row.unit)
        low, high = format_number(pooled.lower_95, row.unit), format_number(pooled.upper_95, row.unit)
        span = f"{pooled.first_year}—{pooled.last_year}"
        return _t(lang, f"{span}年合并{pooled.events:,.0f}/{pooled.exposure:,.0f}例，{rate}（95%区间{low}—{high}）",
                  f"{pooled.events:,.0f} of {pooled.exposure:,.0f} pooled {span}, {rate} (95% interval {low}–{high})")
    window = getattr(assessment, "gap_window", None) if assessment is not None else None
    if window is not None and pd.notna(row.latest_value):  # a gap between pooled rates of few events
        gap, (first, last, events) = with_unit(format_number(row.latest_value, row.unit), row.unit, lang), window
        return _t(lang, f"{first}—{last}年合并比率之差{gap}（共{events:,.0f}例）",
                  f"gap of {first}–{last} pooled rates {gap} ({events:,.0f} events)")
    value = row.latest_value
    if pd.isna(value) or pd.isna(row.latest_year) or not math.isfinite(float(value)):
        return _t(lang, "暂无数据", "no data")
    unit = "" if row.unit in ("", None) or (isinstance(row.unit, float)) else row.unit
    return _t(lang, f"{with_unit(format_number(value, unit), unit)}（{int(row.latest_year)}年）",
              f"{with_unit(format_number(value, unit), unit, 'en')} ({int(row.latest_year)})")


def counted_values(headline: pd.DataFrame, assessments: dict, lang: str = "zh") -> dict[str, str]:
    """The indicators judged on pooled counts (a rate of few events, or the gap between such rates),
    each with its counts as ``value_text`` writes them: tables beside the body never show such a
    rate as one year's value."""
    out = {}
    for row in headline.itertuples():
        found = assessments.get((row.indicator_id, row.region, row.sex, row.urban_rural, row.population_group))
        if getattr(found, "pooled", None) is not None or getattr(found, "gap_window", None) is not None:
            out[row.indicator_id] = value_text(row, found, lang)
    return out


def _name(row, lang: str) -> str:
    return row.name_zh if lang == "zh" else row.name_en


def _target(row, lang: str) -> str:
    return row.target if lang == "zh" else row.target_en


def _reason(row, lang: str) -> str:
    """The reasons behind the row's level (those of its severity), not the notes beside them."""
    codes = row.reasons.split(";") if isinstance(row.reasons, str) and row.reasons else []
    texts = (row.reasons_zh if lang == "zh" else row.reasons_en) or ""
    texts = texts.split("；" if lang == "zh" else "; ") if texts else []
    kept = [text for code, text in zip(codes, texts) if SEVERITY.get(code) == row.level] or texts[:1]
    if not kept:
        return _t(lang, "见附表", "see the table")
    return "；".join(kept) if lang == "zh" else in_english("; ".join(kept))


@cache
def _english_names() -> tuple[tuple[str, str], ...]:
    names = load_regions().set_index("region")["name_en"].dropna()
    return tuple(sorted(((r, n) for r, n in names.items() if n), key=lambda kv: -len(kv[0])))


def in_english(text: str) -> str:
    """Town names in an English sentence written as the report's English names (吉星乡 → Jixing)."""
    for region, name in _english_names():
        if region in text:
            text = text.replace(region, name)
    return text


def warning_lines(headline: pd.DataFrame, level: str, lang: str = "zh", assessments: dict | None = None,
                  catalog: Catalog = CATALOG, why: bool = True) -> list[str]:  # fmt: skip
    """One line per indicator at ``level``: value, target, (why,) and the unit responsible."""
    lines = []
    for row in headline.loc[headline["level"] == level].itertuples():
        found = (assessments or {}).get((row.indicator_id, row.region, row.sex, row.urban_rural, row.population_group))
        unit = unit_of(row.goal_id, catalog, lang)
        reason = _t(lang, f"；{_reason(row, lang)}", f"; {_reason(row, lang)}") if why else ""
        lines.append(_t(lang, f"{_name(row, lang)}：{value_text(row, found, lang)}，目标{_target(row, lang)}{reason}。"
                              f"责任单位：{unit}。",
                        f"{_name(row, lang)}: {value_text(row, found, lang)}, target {_target(row, lang)}{reason}. "
                        f"Responsible: {unit}."))  # fmt: skip
    return lines


SEVERITY_RANK = {"green": 1, "yellow": 2, "red": 3}  # grey is no level: it says a judgement is missing


def changes(headline: pd.DataFrame, previous: pd.DataFrame | None, lang: str = "zh") -> list[str]:
    """What changed since the previous year's assessment, in the order a reader needs it: each warning
    made worse and each made better, named; indicators that became judgeable (new data) or stopped
    being judgeable, counted (a list of data arrivals would push the red warnings off page 1)."""
    if previous is None or not len(previous):
        return []
    before = previous.set_index("indicator_id")["level"]
    worse, better, judged, unjudged = [], [], [], []
    for row in headline.itertuples():
        was = before.get(row.indicator_id)
        if was is None or was == row.level:
            continue
        line = _t(lang, f"{_name(row, lang)}由{LEVEL_WORDS[was][0]}变为{LEVEL_WORDS[row.level][0]}",
                  f"{_name(row, lang)} from {LEVEL_WORDS[was][1]} to {LEVEL_WORDS[row.level][1]}")
        if was == "grey":
            judged.append(line)
        elif row.level == "grey":
            unjudged.append(line)
        else:
            (worse if SEVERITY_RANK[row.level] > SEVERITY_RANK[was] else better).append(line)
    parts = []
    if worse:
        parts.append(_t(lang, f"预警加重{len(worse)}项（{'；'.join(worse)}）", f"{len(worse)} worse ({'; '.join(worse)})"))
    if better:
        parts.append(_t(lang, f"预警减轻{len(better)}项（{'；'.join(better)}）", f"{len(better)} better ({'; '.join(better)})"))
    if judged:
        parts.append(_t(lang, f"{len(judged)}项因新数据由无法判断变为可判断", f"{len(judged)} can now be judged on new data"))
    if unjudged:
        parts.append(_t(lang, f"{len(unjudged)}项变为无法判断（原因见各领域表）",
                        f"{len(unjudged)} can no longer be judged (why is in the domain tables)"))
    return parts


def problems(headline: pd.DataFrame, lang: str = "zh", assessments: dict | None = None,
             catalog: Catalog = CATALOG) -> dict[str, list[str]]:  # fmt: skip
    """Red, then yellow indicators, grouped by domain (the outline's order)."""
    out: dict[str, list[str]] = {}
    for domain in catalog.domains["domain"]:
        part = headline.loc[headline["domain"] == domain]
        lines = [*warning_lines(part, "red", lang, assessments, catalog),
                 *warning_lines(part, "yellow", lang, assessments, catalog)]  # fmt: skip
        if lines:
            out[DOMAIN_ZH[domain] if lang == "zh" else DOMAIN_EN[domain]] = lines
    return out


def recommendations(headline: pd.DataFrame, lang: str = "zh", catalog: Catalog = CATALOG) -> dict[str, list[str]]:
    """For the red and yellow indicators, the outline's own measures for their goals, grouped by the
    unit responsible; indicators that call on the same measures share one line (村委会成员、村委会主任
    … under the same three measures, said once), the line of a red indicator first."""
    grouped: dict[str, dict[str, list]] = {}
    flagged = headline.loc[headline["level"].isin(["red", "yellow"])]
    flagged = flagged.assign(_o=flagged["level"].map({"red": 0, "yellow": 1})).sort_values(["_o", "indicator_id"])
    for row in flagged.itertuples():
        unit = unit_of(row.goal_id, catalog, lang)
        measures = measures_of(row.goal_id, catalog)
        domain = DOMAIN_ZH[row.domain] if lang == "zh" else DOMAIN_EN[row.domain]
        if len(measures):
            cited = _t(lang, "、".join(f"第{int(m.measure_no)}条“{m.title}”" for m in measures.itertuples()),
                       "; ".join(f"no. {int(m.measure_no)} ({m.measure_id})" for m in measures.itertuples()))
            todo = _t(lang, f"落实纲要{domain}领域策略措施{cited}", f"carry out the outline's {domain} measures {cited}")
        else:
            todo = _t(lang, "对照纲要该领域策略措施研究提出措施", f"set out measures under the outline's {domain} chapter")
        grouped.setdefault(unit, {}).setdefault(todo, []).append(
            _t(lang, f"{_name(row, lang)}（{LEVEL_WORDS[row.level][0]}）", f"{_name(row, lang)} ({LEVEL_WORDS[row.level][1]})"))
    return {unit: [_t(lang, f"针对{'、'.join(names)}，{todo}。", f"For {'; '.join(names)}: {todo}.")
                   for todo, names in by_todo.items()] for unit, by_todo in grouped.items()}


def warnings_by_unit(headline: pd.DataFrame, lang: str = "zh", catalog: Catalog = CATALOG) -> pd.DataFrame:
    """Red and yellow indicators per lead unit: the table a 妇儿工委 uses to follow up, unit by unit."""
    flagged = headline.loc[headline["level"].isin(["red", "yellow"])]
    rows = []
    for unit, part in flagged.groupby([unit_of(g, catalog, lang) for g in flagged["goal_id"]], sort=False):
        rows.append({_t(lang, "责任单位", "Unit"): unit,
                     _t(lang, "红色", "Red"): int((part["level"] == "red").sum()),
                     _t(lang, "黄色", "Yellow"): int((part["level"] == "yellow").sum()),
                     _t(lang, "指标", "Indicators"): _t(lang, "、", "; ").join(
                         part.sort_values("level", key=lambda s: s.map({"red": 0, "yellow": 1}))
                         ["name_zh" if lang == "zh" else "name_en"])})  # fmt: skip
    table = pd.DataFrame(rows)
    if len(table):
        table = table.sort_values([table.columns[1], table.columns[2]], ascending=False, kind="stable")
        table = table.reset_index(drop=True)
    return table
