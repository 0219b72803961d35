"""The breakdown views a reader sees: 分城乡, 民族乡与其他乡镇 and 分年龄, as report tables (zh/en).

The numbers come from ``analysis.assessment.comparison`` (``urban_rural_table``, ``ethnic_table``,
``age_table``); this module only words and formats them, once, for both the mid-term chapter
(``analysis.report.midterm``) and the domain notebooks' gap part (``DomainSection.breakdown_tables``), numbers as ``tables.format_number`` writes them for the unit.
Rare events are written as counts ("1/1,750"), with the pooled rate only from
``comparison.MIN_EVENTS`` events on, and an exact 95 % interval: a district of 50,000 sees 0, 1
or 2 maternal deaths a year, and a rate such as 57.1/10万 would give them a precision they do not
have.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.assessment.comparison import MIN_EVENTS, TOO_FEW
from analysis.catalog import unit_text
from analysis.figures.charts import indicator_name
from analysis.report.tables import format_number

DIRECTION_EN = {"缩小": "narrowed", "扩大": "widened", "变化不明显": "no clear change",
                "事件过少，不判断": "too few events to tell"}
HEADCOUNTS = ("人", "件", "个")  # numbers of people or cases: their urban−rural difference follows population


def label(indicator_id: str, lang: str) -> str:
    """'HE-02-1 孕产妇死亡率', or the English name in an English report."""
    return f"{indicator_id} {indicator_name(indicator_id, lang)}"


def _t(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def number(value, unit: str) -> str:
    """A value as the reports write it for its unit (``tables.format_number``); missing: empty."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    return format_number(value, unit)


def interval(lower, upper, unit: str) -> str:
    return f"{number(lower, unit)}—{number(upper, unit)}" if pd.notna(lower) and pd.notna(upper) else ""


def counted(value, numerator, denominator, unit: str, lower=np.nan, upper=np.nan, lang: str = "zh") -> str:
    """'0/435 (95%区间 0.0—848.0)' for few events; '6.1 (12/1,966; 95%区间 …)' from MIN_EVENTS events on."""
    counts = f"{int(numerator):,}/{int(denominator):,}"
    ci = interval(lower, upper, unit)
    ci_text = f"95%{_t(lang, '区间', ' CI')} {ci}" if ci else ""
    if pd.notna(numerator) and numerator >= MIN_EVENTS and pd.notna(value):
        return f"{number(value, unit)} ({counts}" + (f"; {ci_text})" if ci_text else ")")
    return counts + (f" ({ci_text})" if ci_text else "")


def _indicator(r, lang: str) -> dict:
    """The cells every view's row opens with: the indicator and its unit."""
    return {_t(lang, "指标", "Indicator"): label(r.indicator_id, lang), _t(lang, "单位", "Unit"): unit_text(r.unit, lang)}


def _direction(value, lang: str) -> str:
    if not isinstance(value, str):
        return ""
    return value if lang == "zh" else DIRECTION_EN.get(value, value)


def urban_rural_view(table: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """城镇, 农村 and 城镇−农村 per indicator (latest year, or rare events pooled since 2021 as counts)."""
    if table.empty:
        return pd.DataFrame()
    rows = []
    for r in table.itertuples():
        is_counted = pd.notna(r.numerator_1) and not str(r.year).isdigit()
        urban = counted(r.value_1, r.numerator_1, r.denominator_1, r.unit, lang=lang) if is_counted else number(r.value_1, r.unit)
        rural = counted(r.value_2, r.numerator_2, r.denominator_2, r.unit, lang=lang) if is_counted else number(r.value_2, r.unit)
        few = is_counted and min(r.numerator_1, r.numerator_2) < MIN_EVENTS
        gap = "" if few else number(r.difference, r.unit)
        headcount = r.unit in HEADCOUNTS
        change = _t(lang, "人数/件数，不比较差距", "a headcount: no gap judged") if headcount else _direction(r.direction, lang)
        then = "" if headcount or r.direction == TOO_FEW else number(r.gap_then, r.unit)
        rows.append({
            **_indicator(r, lang),
            _t(lang, "时期", "Period"): str(r.year).replace("合并", _t(lang, "合并", " pooled")),
            _t(lang, "城镇", "Urban"): urban, _t(lang, "农村", "Rural"): rural,
            _t(lang, "城镇−农村", "Urban − rural"): gap,
            _t(lang, "差的95%区间", "95% interval of the gap"): interval(r.difference_lower, r.difference_upper, r.unit)
            or _t(lang, "无计数", "no counts"),
            _t(lang, "2020年差", "Gap 2020"): then,
            _t(lang, "差距变化", "Gap since 2020"): change,
        })  # fmt: skip
    return pd.DataFrame(rows)


def ethnic_view(table: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """民族乡 beside the other towns per indicator: pooled counts for rare events, else the towns' mean."""
    if table.empty:
        return pd.DataFrame()
    rows = []
    for r in table.itertuples():
        is_counted = pd.notna(r.ethnic_numerator)
        if is_counted:
            ethnic = counted(r.ethnic_value, r.ethnic_numerator, r.ethnic_denominator, r.unit, r.ethnic_lower_95,
                             r.ethnic_upper_95, lang)  # fmt: skip
            other = counted(r.other_value, r.other_numerator, r.other_denominator, r.unit, r.other_lower_95,
                            r.other_upper_95, lang)  # fmt: skip
            how = _t(lang, f"{r.years}合并计数（少于{MIN_EVENTS}例不计算比率）",
                     f"counts pooled {r.years} (no rate below {MIN_EVENTS} events)")  # fmt: skip
        else:
            unit = "" if r.unit in HEADCOUNTS else r.unit  # a mean of whole counts (0.75 个 per town) keeps its decimals
            ethnic, other = number(r.ethnic_value, unit), number(r.other_value, unit)
            how = _t(lang, "各乡镇最新值的简单平均", "simple mean of the towns' latest values")
        rows.append({
            **_indicator(r, lang),
            _t(lang, "民族乡", "Ethnic townships"): ethnic, _t(lang, "其他乡镇", "Other towns"): other,
            _t(lang, "差（民族乡−其他）", "Difference"): number(r.difference, "" if r.unit in HEADCOUNTS else r.unit),
            _t(lang, "差的95%区间", "95% interval"): interval(getattr(r, "difference_lower", np.nan),
                                                         getattr(r, "difference_upper", np.nan), r.unit),
            _t(lang, "口径", "Shown as"): how,
        })  # fmt: skip
    return pd.DataFrame(rows)


def age_view(table: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Women, men and women − men in each age group (latest year with age groups)."""
    if table.empty:
        return pd.DataFrame()
    rows = []
    for r in table.sort_values(["indicator_id", "order"]).itertuples():
        rows.append({
            **_indicator(r, lang),
            _t(lang, "年份", "Year"): r.year, _t(lang, "年龄组", "Age group"): r.label_zh if lang == "zh" else r.label_en,
            _t(lang, "女", "Women"): number(r.female, r.unit), _t(lang, "男", "Men"): number(r.male, r.unit),
            _t(lang, "女−男", "Women − men"): number(getattr(r, "difference", np.nan), r.unit),
            _t(lang, "95%区间", "95% interval"): interval(getattr(r, "difference_lower", np.nan),
                                                     getattr(r, "difference_upper", np.nan), r.unit)
            or _t(lang, "无计数", "no counts"),
        })  # fmt: skip
    return pd.DataFrame(rows)
