"""Assessing one series: where it stands, where it is heading, how likely the target is, and why warn.

``assess_series`` needs no catalog and no database: years and values (optionally numerators and
denominators), a Target, and the report year. It never raises on thin or odd data; it says what
it could not judge instead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from analysis.assessment.config import DEFAULT_CONFIG, AssessmentConfig
from analysis.assessment.counts import PooledRate, forecast_counts, pooled_rate
from analysis.assessment.forecast import Forecast, choose_scale, forecast_series
from analysis.assessment.progress import Progress, measure_progress
from analysis.assessment.target import Target

STATUS_ZH = {"achieved": "已实现", "basically_achieved": "基本实现", "gap": "尚存差距",
             "insufficient_data": "数据不足", "monitored": "仅监测", "qualitative": "定性目标"}  # fmt: skip
STATUS_EN = {"achieved": "achieved", "basically_achieved": "basically achieved", "gap": "gap remains",
             "insufficient_data": "insufficient data", "monitored": "monitored (no target)",
             "qualitative": "qualitative goal"}  # fmt: skip
LEVEL_ZH = {"red": "红色", "yellow": "黄色", "green": "绿色", "grey": "灰色"}
LEVEL_ORDER = {"red": 0, "yellow": 1, "green": 2, "grey": 3}
RED_REASONS = {"unlikely_target", "wrong_direction", "moving_away"}
YELLOW_REASONS = {"at_risk", "volatile", "stale", "slipping", "few_events", "short_series"}
GREY_REASONS = {"insufficient_data", "no_target", "qualitative"}
REASON_TEXT = {
    "unlikely_target": ("预计到{year}年难以实现目标（达标概率{p:.0%}）", "target unlikely by {year} (probability {p:.0%})"),
    "at_risk": ("到{year}年实现目标存在风险（达标概率{p:.0%}）", "target at risk by {year} (probability {p:.0%})"),
    "wrong_direction": ("变化方向很可能与目标相反（方向正确概率{p:.0%}）", "likely moving the wrong way (probability right {p:.0%})"),
    "moving_away": ("近{n}年呈偏离目标的趋势", "trend of the last {n} years moves away from the target"),
    "volatile": ("波动较大（去趋势变异系数{cv:.0%}）", "large swings (detrended coefficient of variation {cv:.0%})"),
    "stale": ("数据陈旧：最近数据为{latest}年", "stale: latest value is from {latest}"),
    "slipping": ("曾达到目标但出现回落", "reached the target, then slipped"),
    "few_events": ("例数过少（{events:g}例），比率的不确定性大", "too few cases ({events:g}) to pin the rate down"),
    "insufficient_data": ("数据不足，无法判断", "not enough data to judge"),
    "short_series": ("数据点过少（{n}个），无法预测趋势", "too few points ({n}) to forecast"),
    "no_target": ("无目标值，仅监测", "no target: monitored only"),
    "qualitative": ("定性目标，无统计指标", "qualitative goal without a statistic"),
    "target_year_passed": ("目标年份已过，按{year}年数据判断", "target year passed: judged on {year}"),
}  # fmt: skip


@dataclass(frozen=True)
class Reason:
    code: str
    zh: str
    en: str


def reason(code: str, **values) -> Reason:
    zh, en = REASON_TEXT[code]
    return Reason(code, zh.format(**values), en.format(**values))


@dataclass
class SeriesAssessment:
    """The assessment of one series; ``summary()`` and ``plot()`` explain it."""

    name: str
    target: Target
    as_of: int
    years: list[int]
    values: list[float]
    status: str
    level: str
    reasons: list[Reason] = field(default_factory=list)
    latest_year: int | None = None
    latest_value: float | None = None
    base_year: int | None = None
    base_value: float | None = None
    pooled: PooledRate | None = None
    progress: Progress | None = None
    forecast: Forecast | None = None
    probability: float | None = None
    volatility: float | None = None
    numerators: list[float] | None = None
    denominators: list[float] | None = None
    per: float | None = None  # the rate's multiplier when the series is counts
    notes: list[str] = field(default_factory=list)

    @property
    def status_zh(self) -> str:
        return STATUS_ZH[self.status]

    @property
    def level_zh(self) -> str:
        return LEVEL_ZH[self.level]

    def forecast_table(self) -> pd.DataFrame:
        columns = ["year", "forecast", "lower_80", "upper_80", "lower_95", "upper_95"]
        return pd.DataFrame(self.forecast.table() if self.forecast else [], columns=columns)

    def at_target_year(self) -> dict:
        table = self.forecast_table()
        row = table.loc[table["year"] == self.target.year]
        return {} if row.empty else row.iloc[0].drop("year").to_dict()

    def to_row(self) -> dict:
        """One flat row for the tidy results table (no NaN: missing numbers are None)."""
        p = self.progress
        row = {
            "series": self.name, "target_kind": self.target.kind, "target": self.target.text(),
            "target_en": self.target.text("en"),
            "target_value": self.target.value, "target_year": self.target.year, "as_of": self.as_of,
            "n_points": len(self.years), "first_year": self.years[0] if self.years else None,
            "latest_year": self.latest_year, "latest_value": self.latest_value,
            "base_year": self.base_year, "base_value": self.base_value,
            "status": self.status, "status_zh": self.status_zh,
            "statcan_ratio": p.statcan_ratio if p else None, "statcan_category": p.statcan_category if p else "",
            "unsd_ratio": p.unsd_ratio if p else None, "unsd_category": p.unsd_category if p else "",
            "time_progress": p.time_progress if p else None, "time_category": p.time_category if p else "",
            **{f"{k}_{self.target.year}": v for k, v in self.at_target_year().items()},
            "probability": self.probability, "level": self.level, "level_zh": self.level_zh,
            "reasons": ";".join(r.code for r in self.reasons), "reasons_zh": "；".join(r.zh for r in self.reasons),
            "reasons_en": "; ".join(r.en for r in self.reasons),
            "models": "+".join(self.forecast.models) if self.forecast else "",
        }  # fmt: skip
        return {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in row.items()}

    def summary(self, lang: str = "zh") -> str:
        t = self.target
        if lang == "zh":
            lines = [f"{self.name}（目标：{t.text()}，{t.year}年；截至{self.as_of}年）",
                     f"  现状：{self.status_zh}；预警：{self.level_zh}"]  # fmt: skip
            if self.latest_value is not None:
                lines.append(f"  最新值：{self.latest_value:.4g}（{self.latest_year}年）")
        else:
            lines = [f"{self.name} (target {t.text('en')} by {t.year}; as of {self.as_of})",
                     f"  status: {STATUS_EN[self.status]}; warning: {self.level}"]  # fmt: skip
            if self.latest_value is not None:
                lines.append(f"  latest: {self.latest_value:.4g} ({self.latest_year})")
        end = self.at_target_year()
        if end:
            lines.append(f"  {t.year}: {end['forecast']:.4g} [80% {end['lower_80']:.4g}–{end['upper_80']:.4g}; "
                         f"95% {end['lower_95']:.4g}–{end['upper_95']:.4g}] ({'+'.join(self.forecast.models)})")  # fmt: skip
        if self.probability is not None:
            lines.append(("  达标概率" if lang == "zh" else "  P(target met)") + f": {self.probability:.0%}")
        for r in self.reasons:
            lines.append("  - " + (r.zh if lang == "zh" else r.en))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def plot(self, ax=None, lang: str = "zh", synthetic: bool = False):
        from analysis.figures.charts import fan_chart

        return fan_chart(self, ax=ax, lang=lang, synthetic=synthetic)


def _clean(years, values, numerators, denominators, as_of):
    frame = pd.DataFrame({"year": np.asarray(years), "value": np.asarray(values, dtype=float)})
    counts = numerators is not None and denominators is not None
    if counts:  # positions, not index labels: callers pass Series cut from bigger frames
        frame["num"], frame["den"] = np.asarray(numerators, float), np.asarray(denominators, float)
    frame = frame.dropna(subset=["year"])
    frame["year"] = frame["year"].astype(int)
    frame = frame.loc[frame["year"] <= as_of] if as_of is not None else frame
    notes = []
    if frame["year"].duplicated().any():
        notes.append("duplicate years were averaged")
        frame = frame.groupby("year", as_index=False).mean()
    frame = frame.sort_values("year")
    if counts:
        frame = frame.dropna(subset=["num", "den"])
        frame = frame.loc[frame["den"] > 0]
    else:
        frame = frame.dropna(subset=["value"])
    return frame.reset_index(drop=True), counts, notes


def _base(frame: pd.DataFrame, base_year: int, latest_year: int) -> int | None:
    """The base year, else the nearest after it (Statistics Canada), else the nearest before (UNSD)."""
    years = frame["year"]
    base_year = min(base_year, latest_year - 1)  # the base must come before the latest value
    if (years == base_year).any():
        return base_year
    after = years[(years > base_year) & (years < latest_year)]
    if len(after):
        return int(after.min())
    before = years[years < base_year]
    return int(before.max()) if len(before) else None


def _slope_probability(years, z, direction: int) -> float | None:
    """P(the linear trend points the right way), from the OLS slope's t distribution."""
    if len(years) < 3 or direction == 0:
        return None
    fit = sm.OLS(np.asarray(z, float), sm.add_constant(np.asarray(years, float))).fit()
    se = fit.bse[1]
    if not np.isfinite(se) or se == 0:
        return 1.0 if direction * fit.params[1] > 0 else 0.0 if direction * fit.params[1] < 0 else 0.5
    return float(stats.t.cdf(direction * fit.params[1] / se, fit.df_resid))


def _volatility(years, values) -> float | None:
    values = np.asarray(values, float)
    level = abs(values.mean())
    if level == 0:
        return None
    fit = sm.OLS(values, sm.add_constant(np.asarray(years, float))).fit()
    return float(np.sqrt(fit.mse_resid) / level)


def assess_series(
    years, values=None, target: Target | None = None, *, numerators=None, denominators=None,
    per: float | None = None, as_of: int | None = None, name: str = "", config: AssessmentConfig = DEFAULT_CONFIG,
) -> SeriesAssessment:  # fmt: skip
    """Assess one annual series against its target as of the report year ``as_of``."""
    if target is None:
        raise TypeError("assess_series needs a Target")
    years = list(years)
    values = list(values) if values is not None else [None] * len(years)
    frame, counts, notes = _clean(years, values, numerators, denominators, as_of)
    as_of = int(as_of if as_of is not None else (frame["year"].max() if len(frame) else target.year))
    if counts and per is None:
        raise TypeError("a rate of small counts needs `per` (100000 for 1/10万)")
    result = SeriesAssessment(name, target, as_of, frame["year"].tolist(),
                              (frame["num"] / frame["den"] * per if counts else frame["value"]).tolist(),
                              status="insufficient_data", level="grey", notes=notes)  # fmt: skip
    if counts:
        result.numerators, result.denominators, result.per = frame["num"].tolist(), frame["den"].tolist(), per
    if target.kind == "qualitative":
        result.status, result.reasons = "qualitative", [reason("qualitative")]
        return result
    if frame.empty:
        result.reasons = [reason("insufficient_data")]
        return result

    y = np.abs(frame["value"].to_numpy(float)) if target.kind == "gap_narrowing" and not counts else None
    if y is None and not counts:
        y = frame["value"].to_numpy(float)
    yrs = frame["year"].to_numpy(int)
    past_target = as_of > target.year
    if past_target:
        yrs_upto = yrs <= target.year
        notes.append("target year passed")
    else:
        yrs_upto = np.ones(len(yrs), bool)

    # --- where it stands now
    if counts:
        pooled = pooled_rate(yrs, frame["num"], frame["den"], per, int(yrs[yrs_upto].max()) if yrs_upto.any() else int(yrs.max()),
                             config.count_window_years)  # fmt: skip
        result.pooled = pooled
        latest_year, latest = pooled.last_year, pooled.rate
    else:
        idx = np.flatnonzero(yrs_upto)[-1] if yrs_upto.any() else len(yrs) - 1
        latest_year, latest = int(yrs[idx]), float(y[idx])
    result.latest_year, result.latest_value = latest_year, latest
    base_year = _base(frame, config.base_year, latest_year)
    if base_year is not None and base_year != latest_year:
        if counts:
            base_pool = pooled_rate(yrs, frame["num"], frame["den"], per, base_year, config.count_window_years)
            base = base_pool.rate if base_pool else None
        else:
            base = float(y[yrs == base_year][0])
        result.base_year, result.base_value = base_year, base
    direction = target.direction

    if target.kind == "monitor":
        result.status = "monitored"
    elif target.quantified:
        result.status = ("achieved" if target.met(latest) else
                         "basically_achieved" if target.basically_met(latest, config) else "gap")  # fmt: skip
    elif result.base_value is not None:
        improved = direction * (latest - result.base_value) > 0
        result.status = "achieved" if improved else "gap"

    # --- official-style measures
    if result.base_value is not None and target.kind != "monitor":
        limit = None
        if not target.quantified:
            limit = target.upper if direction > 0 else target.lower
        result.progress = measure_progress(result.base_value, base_year, latest, latest_year, target.value,
                                           target.year, direction, limit)  # fmt: skip

    # --- forecast to the target year
    horizon = list(range(as_of + 1, target.year + 1))
    if counts:
        forecast = forecast_counts(yrs, frame["num"], frame["den"], per, horizon, config, as_of)
    else:
        scale = choose_scale(y, 0.0 if target.kind == "gap_narrowing" else target.lower, target.upper, config)
        forecast = forecast_series(yrs, y, horizon, scale, config)
    result.forecast = forecast
    if forecast is not None:
        result.notes += forecast.notes
        result.probability = _probability(target, forecast, result.base_value if result.base_value is not None
                                          else latest)  # fmt: skip

    # --- reasons and the warning level
    result.reasons = _reasons(result, frame, y, counts, config, past_target)
    result.level = _level(result)
    return result


def _probability(target: Target, forecast: Forecast, reference: float) -> float:
    T = forecast.years[-1]
    # A value exactly at the target meets it; the nudge keeps a flat forecast sitting on the
    # target (1 facility against "at least 1") from counting as a coin toss.
    nudge = 1e-9 * max(1.0, abs(target.value or 0))
    if target.kind == "at_most":
        return forecast.cdf(T, target.value + nudge)
    if target.kind == "at_least":
        return 1 - forecast.cdf(T, target.value - nudge)
    if target.kind == "about":
        return forecast.cdf(T, target.value + target.tolerance) - forecast.cdf(T, target.value - target.tolerance)
    if target.kind == "keep_at_least":
        # every year to the target year; the smallest yearly probability is exact when yearly
        # errors move together (as forecast paths do) and an upper bound otherwise
        return min(1 - forecast.cdf(year, target.value - nudge) for year in forecast.years)
    if target.kind in ("increase", "decrease", "gap_narrowing"):
        below = forecast.cdf(T, reference)
        return below if target.direction < 0 else 1 - below
    return None


def _reasons(result: SeriesAssessment, frame, y, counts: bool, config: AssessmentConfig, past_target: bool) -> list[Reason]:
    target, reasons = result.target, []
    n = len(frame)
    if target.kind == "monitor":
        reasons.append(reason("no_target"))
    if past_target:
        reasons.append(reason("target_year_passed", year=target.year))
    p = result.probability
    if p is not None and target.kind != "monitor":
        directional = target.kind in ("increase", "decrease", "gap_narrowing")
        green = config.direction_green if directional else config.green_probability
        red = config.direction_red if directional else config.red_probability
        if p < red:
            reasons.append(reason("wrong_direction" if directional else "unlikely_target", year=target.year, p=p))
        elif p < green:
            reasons.append(reason("at_risk", year=target.year, p=p))
    elif result.forecast is None and target.kind != "monitor" and not past_target:
        reasons.append(reason("short_series", n=n) if n else reason("insufficient_data"))
    if result.status == "insufficient_data" and not any(r.code in GREY_REASONS | {"short_series"} for r in reasons):
        reasons.append(reason("insufficient_data"))
    if not counts and target.direction and n >= 3:
        recent = frame["year"] > result.as_of - config.recent_years
        if recent.sum() >= 3:
            p_right = _slope_probability(frame["year"][recent], y[recent.to_numpy()], target.direction)
            if p_right is not None and 1 - p_right > config.moving_away_probability:
                reasons.append(reason("moving_away", n=config.recent_years))
    if not counts and n >= config.volatility_min_points and len(np.unique(y)) > 2:  # a step is not a swing
        cv = _volatility(frame["year"], y)
        result.volatility = cv
        if cv is not None and cv > config.volatility_cv:
            reasons.append(reason("volatile", cv=cv))
    if result.latest_year is not None and result.as_of - int(frame["year"].max()) >= config.stale_after_years:
        reasons.append(reason("stale", latest=int(frame["year"].max())))
    if target.quantified and not counts and result.status != "achieved":
        since_base = frame["year"] >= (result.base_year or config.base_year)
        if any(target.met(v) for v in y[since_base.to_numpy()]):
            reasons.append(reason("slipping"))
    if counts and result.pooled is not None and target.quantified:
        if result.pooled.lower_95 <= target.value <= result.pooled.upper_95:
            binomial = result.target.unit == "%"  # cases of a group: the group's size is what is small
            reasons.append(reason("few_events", events=result.pooled.exposure if binomial else result.pooled.events))
    return reasons


def _level(result: SeriesAssessment) -> str:
    codes = {r.code for r in result.reasons}
    if result.status in ("qualitative", "monitored", "insufficient_data") or codes & GREY_REASONS:
        return "grey"
    if "target_year_passed" in codes:
        return "green" if result.status in ("achieved", "basically_achieved") else "red"
    if codes & RED_REASONS and "few_events" not in codes:
        return "red"  # with too few events to tell the rate from the target, say "at risk", not "off track"
    if codes & YELLOW_REASONS:
        return "yellow"
    return "green"
