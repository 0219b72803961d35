"""The reasons behind a warning, each a code with a Chinese and an English sentence and a severity.

The warning level of a series is the most severe of its reasons (``level_of``): a red reason makes
it red, a yellow one yellow, none green. The level speaks only of progress: informational reasons
(a case to review, the next 换届, and every note on the data — stale, few points, a proxy, a
stand-in base year) are reported but never change the level. Grey means "cannot be judged", with
its reason (no target, no value since the base year, the current term not yet reported).
"""

from __future__ import annotations

from dataclasses import dataclass

LEVEL_ZH = {"red": "红色", "yellow": "黄色", "green": "绿色", "grey": "灰色"}
LEVEL_ORDER = {"red": 0, "yellow": 1, "green": 2, "grey": 3}

# code: (severity, Chinese, English)
REASONS = {
    # red: the target is hard to reach, on two kinds of evidence or on counts that contradict it
    "unlikely_target": ("red", "预计到{year}年难以实现目标（达标概率{p:.0%}），且时间进度滞后",
                        "target unlikely by {year} (probability {p:.0%}) and progress lags the required pace"),
    "counts_contradict_target": ("red", "{window}年计数与目标明显不符（若真实比率等于目标，出现这样的计数的概率仅{p:.1%}）",
                                 "{window} counts contradict the target (probability {p:.1%} if the true rate were the target)"),
    "wrong_direction": ("red", "较{base_year}年明显变差，且{year_note}很可能继续偏离（方向正确概率{p:.0%}）",
                        "clearly worse than {base_year} and likely to stay so (probability right {p:.0%})"),
    "rise_accelerating": ("red", "{base_year}年后上升明显加快", "the rise has clearly sped up since {base_year}"),
    "target_missed": ("red", "目标年份{year}年已过，目标未实现", "target year {year} passed without meeting the target"),
    "seats_short_final": ("red", "本届（至{year}年）已无换届，目标未达", "no election left before {year}: target missed this term"),
    "seats_gain_unprecedented": ("red", "距目标差{gap:.1f}个百分点，须在{election}年换届中补足，超过以往任何一次换届的增幅",
                                 "{gap:.1f} pp short: the {election} election must gain more than any past election did"),
    "moving_away_sparse": ("red", "尚未达标，且最近{n}个数据（{values}）逐次偏离目标",
                           "short of the target, and each of the last {n} values ({values}) further from it"),
    # yellow: at risk, or not demonstrably on track
    "at_risk": ("yellow", "到{year}年实现目标存在风险（达标概率{p:.0%}）", "target at risk by {year} (probability {p:.0%})"),
    "at_risk_on_pace": ("yellow", "预测达标概率较低（{p:.0%}），但迄今变化达到时间进度要求",
                        "forecast probability is low ({p:.0%}) but progress so far keeps the required pace"),
    "met_at_risk": ("yellow", "已达标，但到{year}年保持达标存在风险（概率{p:.0%}）",
                    "target met, but at risk of slipping back by {year} (probability {p:.0%})"),
    "at_risk_direction": ("yellow", "已有改善，但到{year}年保持改善存在风险（概率{p:.0%}）",
                          "improved, but the improvement may not hold to {year} (probability {p:.0%})"),
    "worse_than_base": ("yellow", "较{base_year}年明显变差", "clearly worse than {base_year}"),
    "no_clear_change": ("yellow", "较{base_year}年变化不明显（{detail}）", "no clear change since {base_year} ({detail_en})"),
    "counts_suggest_above": ("yellow", "{window}年计数提示可能未达目标（若真实比率等于目标，出现这样的计数的概率{p:.1%}）",
                             "{window} counts suggest the target may be missed (probability {p:.1%} if the true rate were the target)"),
    "moving_away": ("yellow", "近{n}年呈偏离目标的趋势", "trend of the last {n} years moves away from the target"),
    "volatile": ("yellow", "波动较大（去趋势变异系数{cv:.0%}）", "large swings (detrended coefficient of variation {cv:.0%})"),

    "slipping": ("yellow", "曾达到目标但出现回落", "reached the target, then slipped"),
    "gap_trend_unknown": ("yellow", "尚未达标，数据点过少，无法判断到{year}年能否实现",
                          "target not yet met, too few points to tell whether it will be by {year}"),
    "basically_short": ("yellow", "基本实现，但仍未达到目标，须继续推进", "basically achieved, but the target is not yet met"),
    "evidence_insufficient": ("yellow", "{window}年合并率{rate}未达目标，但例数过少，无法检验（证据不足）",
                              "{window}: pooled rate {rate} misses the target, too few events to test (evidence insufficient)"),
    "facility_not_built": ("yellow", "设施尚未建成：是否建设取决于决策，不是趋势，须落实建设计划",
                           "facility not yet built: a decision, not a trend; the building plan is to be carried out"),
    "seats_short": ("yellow", "距目标差{gap_text}，需在{election}年换届中补足",
                    "{gap_text_en} short of the target: to be made up at the {election} election"),
    "seats_down": ("yellow", "本届较{base_year}年下降，需在{election}年换届中扭转",
                   "lower than in {base_year}: to be reversed at the {election} election"),
    "seats_unchanged": ("yellow", "本届与{base_year}年持平，需在{election}年换届中提高",
                        "unchanged since {base_year}: to be raised at the {election} election"),
    # grey: nothing to judge
    "insufficient_data": ("grey", "数据不足，无法判断", "not enough data to judge"),
    "no_value_in_period": ("grey", "{since}无数据，无法判断（最近数据为{latest}年{context}）",
                           "no value {since_en}: cannot be judged (latest value {latest}{context_en})"),
    "term_not_reported": ("grey", "本届（{election}年换届）数据尚未报送", "the term elected in {election} has not been reported yet"),
    "no_base": ("grey", "缺少{year}年前后的基期数据，无法判断方向", "no value near the {year} base: direction cannot be judged"),
    "needs_both_periods": ("grey", "需要{year}年前后各至少两个数据点", "needs at least two points before and after {year}"),
    "too_few_cases": ("grey", "例数过少（{events:g}例），差距无法判断", "too few cases ({events:g}) to judge the gap"),
    "no_target": ("grey", "无目标值，仅监测", "no target: monitored only"),
    "qualitative": ("grey", "定性目标，无统计指标", "qualitative goal without a statistic"),
    # information: reported, never changes the level
    "stale": ("info", "数据陈旧：最近数据为{latest}年（该指标每{every}年发布）",
              "stale: latest value is from {latest} (released every {every} years)"),
    "short_series": ("info", "数据点过少（{n}个），无法预测趋势", "too few points ({n}) to forecast"),
    "proxy_total": ("info", "以合计值代替女性数值（无分性别数据）", "judged on the total for both sexes (no female figure)"),
    "base_stand_in": ("info", "以{stand_in}年数值代替{base_year}年作为基期", "{stand_in} stands in for the {base_year} base"),
    "missing_years": ("info", "缺少{years}年数据", "no value for {years_en}"),
    "at_bound": ("info", "已处于自然上下限（{bound:g}），保持即可", "at its natural bound ({bound:g}): to be held"),
    "township_effort": ("info", "目标为“力争…有条件的乡（镇）”，未建乡镇不作为预警", "the target reads “strive … townships where conditions allow”: a town without one is no warning"),
    "target_year_passed": ("info", "目标年份已过，按{year}年数据判断", "target year passed: judged on {year}"),
    "few_events": ("info", "例数过少（{events:g}例），无法证明比率低于目标；要证明低于{target:g}{unit}，约需{needed:,.0f}{denominator}且无一例",
                   "too few cases ({events:g}) to show the rate is below the target: that needs about {needed:,.0f} with none"),
    "case_review": ("info", "{year}年发生{events:g}例，应按个案报告制度逐例评审", "{events:g} case(s) in {year}: review each case"),
    "next_election": ("info", "须在{election}年换届中保持", "to be held at the {election} election"),
}  # fmt: skip

SEVERITY = {code: severity for code, (severity, _, _) in REASONS.items()}


@dataclass(frozen=True)
class Reason:
    code: str
    zh: str
    en: str

    @property
    def severity(self) -> str:
        return SEVERITY[self.code]


def reason(code: str, **values) -> Reason:
    _, zh, en = REASONS[code]
    values.setdefault("year_note", "")
    if code == "no_value_in_period":
        values.setdefault("context", "，仅作背景")
        values.setdefault("context_en", ", context only")
    if code == "no_clear_change" and "detail" not in values:  # a trend's or a comparison's P of the right sign
        p = values.get("p")
        values["detail"] = f"变化方向正确的概率{p:.0%}，未超出年度波动"
        values["detail_en"] = f"probability of the right direction {p:.0%}, within yearly noise"
    return Reason(code, zh.format(**values), en.format(**values))


def level_of(status: str, reasons: list[Reason]) -> str:
    """The warning level: grey without a target or data, else the most severe reason, else green."""
    severities = {r.severity for r in reasons}
    if status in ("qualitative", "monitored", "insufficient_data") or "grey" in severities:
        return "grey"
    for level in ("red", "yellow"):
        if level in severities:
            return level
    return "green"
