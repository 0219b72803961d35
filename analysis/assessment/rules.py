"""How each kind of target is judged: one small rule per kind, chosen from a table.

A rule reads the evidence (``Evidence``: the observed series, base and latest values, the
forecast, the official measures) and returns a ``Judgement``: the status now (现状), the
probability it reports and what that probability is about, and the reasons for a warning. The
warning level follows from the reasons alone (``level_of``), so every level can be traced to a
sentence. Thresholds come from ``AssessmentConfig``.

- ``at_least`` / ``at_most`` (达到…以上 / 下降到…以下): the latest value against the target; P that
  the 2030 value meets it. Red needs both an unlikely forecast and a pace that lags (时间进度), and a
  target met today is never red on its trend.
- ``about`` (…左右): the underlying level (a local linear fit, noise removed) within the tolerance,
  not one noisy year in the band, on the side that is a shortfall (``Target.about_side``: a women's
  share above "达到/保持…左右" is met); P that the 2030 level lies in the (one-sided) band. An in-band
  level is warned about only when its trend clearly leaves the band.
- ``keep_at_least`` (达到并保持…以上): reached by the target year and held from then on: while met,
  P of staying at or above it every year to 2030; while not met, P of reaching it by 2030.
- ``increase`` / ``decrease`` / ``gap_narrowing`` (提高, 降低, 差距缩小): the outline's period (2020 on)
  against the five years before (Welch's t on the means: every year, the series' own noise,
  campaign cycles included) and the trend since 2020; yearly counts of cases (件) by the exact
  Poisson test, its p named as such; at the natural bound (100 % against 提高, 0 against 降低) held,
  已实现; P that the 2030 value is on the right side of the 2020 value.
- A target not met without a forecast is yellow unless the change since 2020 keeps the required
  pace; red needs a measured pace that lags and never goes with 基本实现 (series.py); a facility
  (个) not yet built is a decision, yellow with its reason.
- ``slower_rise`` (上升趋势减缓): the yearly rise after 2020 smaller than before (a segmented trend).
- ``monitor``: no target, no warning.
Rates of a few events (``counts.py``) and shares of elected bodies (``seats.py``) are judged by
their own rules, which follow the same contract.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import statsmodels.api as sm
from scipy import stats

from analysis.assessment.config import AssessmentConfig
from analysis.assessment.forecast import Forecast
from analysis.assessment.progress import Progress
from analysis.assessment.reasons import Reason, reason
from analysis.assessment.target import Target


@dataclass
class Evidence:
    """What a rule may look at: the series up to the report year (or the target year, if passed)."""

    target: Target
    config: AssessmentConfig
    as_of: int
    years: np.ndarray
    y: np.ndarray
    latest_year: int
    latest: float
    base_year: int | None
    base: float | None
    forecast: Forecast | None
    progress: Progress | None
    past_target: bool
    election_years: tuple[int, ...] | None = None  # elected bodies: the 换届 years of the body's level
    counts_of_cases: bool = False  # a yearly count of cases (件) without a denominator: Poisson noise

    @property
    def n(self) -> int:
        return len(self.years)


@dataclass
class Judgement:
    status: str
    probability: float | None = None
    probability_of: tuple[str, str] = ("", "")  # what P is about, zh and en
    reasons: list[Reason] = field(default_factory=list)
    test_p: float | None = None  # rates of few events: an exact test's p instead of a probability
    test_of: tuple[str, str] = ("", "")


STOCK_UNIT = "个"  # facilities (养老服务综合体, 供养服务设施): a stock that does not fall back by chance
NUDGE = 1e-9  # a value exactly at the target meets it; keeps a flat forecast on the target from a coin toss


def _p_met_at(ev: Evidence, year: int) -> float:
    t, f = ev.target, ev.forecast
    nudge = NUDGE * max(1.0, abs(t.value or 0))
    if t.direction < 0:
        return f.cdf(year, t.value + nudge)
    return 1 - f.cdf(year, t.value - nudge)


def _status_level(ev: Evidence) -> str:
    t, config = ev.target, ev.config
    if t.met(ev.latest):
        return "achieved"
    return "basically_achieved" if t.basically_met(ev.latest, config) else "gap"


def _probability_reasons(ev: Evidence, p: float, met_now: bool) -> list[Reason]:
    """Warnings from P(target met) for a quantified target, with the pace rule for red."""
    c, year = ev.config, ev.target.year
    if p >= c.green_probability:
        return []
    if met_now:
        if _clearly_right_way(ev):  # met and still moving the right way: the forecast's tail is no risk
            return []
        return [reason("met_at_risk", year=year, p=p)]
    # no base to measure a pace from is no evidence of lagging: red needs both signs
    on_pace = ev.progress is not None and ev.progress.on_pace
    lagging = ev.progress is not None and not on_pace
    since = ev.years >= (ev.base_year if ev.base_year is not None else c.base_year)
    if on_pace and p >= c.red_probability and since.sum() >= 3:
        return []  # 时间过半、任务过半: the change so far (three years or more) keeps the required pace
    if p < c.red_probability and (lagging or not c.red_needs_lagging_pace):
        return [reason("unlikely_target", year=year, p=p)]
    if p < c.red_probability and on_pace:
        return [reason("at_risk_on_pace", year=year, p=p)]
    return [reason("at_risk", year=year, p=p)]


def _clearly_right_way(ev: Evidence) -> bool:
    """The trend since the base year points the target's way beyond the series' noise."""
    c = ev.config
    since = ev.years >= (ev.base_year if ev.base_year is not None else c.base_year)
    if since.sum() < 3 or ev.target.direction == 0:
        return False
    p = slope_probability(ev.years[since], ev.y[since], ev.target.direction)
    return p is not None and p >= c.clear_change_probability


def _moving_away(ev: Evidence, p: float | None) -> list[Reason]:
    """The recent trend points away from the target, and the target is threatened by it."""
    c = ev.config
    if p is None or p >= c.green_probability or ev.target.direction == 0:
        return []
    recent = ev.years > ev.as_of - c.recent_years
    if recent.sum() < 3:
        return []
    p_right = slope_probability(ev.years[recent], ev.y[recent], ev.target.direction)
    if p_right is not None and 1 - p_right > c.moving_away_probability:
        return [reason("moving_away", n=c.recent_years)]
    return []


@dataclass(frozen=True)
class Line:
    """Ordinary least squares of y on a straight line in x: what ``sm.OLS(y, add_constant(x))``
    gives, without its per-call model building (a province panel fits this tens of thousands of
    times; tests/test_assessment.py checks it against statsmodels)."""

    intercept: float
    slope: float
    slope_se: float  # nan with fewer than 3 points
    residual_sd: float  # sqrt(mse_resid); nan with fewer than 3 points
    df: int

    def at(self, x: float) -> float:
        return self.intercept + self.slope * x


def fit_line(x, y) -> Line:
    x, y = np.asarray(x, float), np.asarray(y, float)
    n, xm, ym = len(x), x.mean(), y.mean()
    dx = x - xm
    sxx = float(dx @ dx)
    slope = float(dx @ (y - ym) / sxx) if sxx > 0 else 0.0
    residuals = y - ym - slope * dx
    df = n - 2
    mse = float(residuals @ residuals) / df if df > 0 else np.nan
    se = float(np.sqrt(mse / sxx)) if df > 0 and sxx > 0 else np.nan
    return Line(float(ym - slope * xm), slope, se, float(np.sqrt(mse)), df)


def slope_probability(years, z, direction: int) -> float | None:
    """P(the linear trend points the right way), from the OLS slope's t distribution."""
    years, z = np.asarray(years, float), np.asarray(z, float)
    if len(years) < 3 or direction == 0:
        return None
    fit = fit_line(years, z)
    se, slope = fit.slope_se, direction * fit.slope
    if not np.isfinite(se) or se < 1e-12 * max(1.0, abs(z).max()):
        return 1.0 if slope > 0 else 0.0 if slope < 0 else 0.5
    return float(stats.t.cdf(slope / se, fit.df))


def residual_sd(years, y) -> float | None:
    """Year-to-year noise: sd of the residuals around a linear trend (needs 4 points)."""
    years, y = np.asarray(years, float), np.asarray(y, float)
    if len(years) < 4:
        return None
    return fit_line(years, y).residual_sd


def change_probability(ev: Evidence, direction: int) -> float | None:
    """P(the change since the base year has the right sign), beyond the series' own noise."""
    if ev.base_year is None:
        return None
    post = ev.years >= ev.base_year
    if post.sum() >= 3:
        return slope_probability(ev.years[post], ev.y[post], direction)
    sigma = residual_sd(ev.years, ev.y)
    change = direction * (ev.latest - ev.base)
    if sigma is None or sigma < 1e-12 * max(1.0, abs(ev.latest)):
        return None if sigma is None else (1.0 if change > 0 else 0.0 if change < 0 else 0.5)
    return float(stats.norm.cdf(change / (np.sqrt(2) * sigma)))


def _passed(ev: Evidence, status: str) -> Judgement:
    """The target year has passed: the call is final, judged on the target year's data."""
    met = status in ("achieved", "basically_achieved")
    reasons = [reason("target_year_passed", year=ev.target.year)]
    if not met:
        reasons.append(reason("target_missed", year=ev.target.year))
    return Judgement(status, reasons=reasons)


def _slipping(ev: Evidence, status: str) -> list[Reason]:
    """Met the target at some point since the base year, and no longer does."""
    since = ev.years >= (ev.base_year or ev.config.base_year)
    return [reason("slipping")] if status != "achieved" and any(ev.target.met(v) for v in ev.y[since]) else []


def _no_forecast(ev: Evidence, status: str | None = None) -> list[Reason]:
    """No forecast: the data note, and for a target not yet met a yellow warning unless the change
    since the base keeps the required pace (a gap with no evidence of closing is not green)."""
    reasons = [reason("short_series", n=ev.n)]
    if status == "gap" and _steadily_away(ev):
        reasons.insert(0, reason("moving_away_sparse", n=3, values="、".join(f"{v:.4g}" for v in ev.y[-3:])))
    elif status in ("gap", "basically_achieved") and not (ev.progress is not None and ev.progress.on_pace):
        reasons.insert(0, reason("gap_trend_unknown", year=ev.target.year))
    return reasons


def _steadily_away(ev: Evidence) -> bool:
    """Each of the last three values further from a target not yet met: evidence enough without a
    forecast (three surveys, each lower, 12 points short of ≥70)."""
    sign = {"higher": 1, "lower": -1}.get(ev.target.better)
    if sign is None or ev.n < 3 or ev.counts_of_cases:
        return False
    return bool((np.diff(ev.y[-3:]) * sign < 0).all())


# --- the rules, one per kind -------------------------------------------------------------------


def judge_threshold(ev: Evidence) -> Judgement:
    """at_least / at_most: latest against the target; P(2030 value meets it)."""
    status = _status_level(ev)
    if ev.past_target:
        return _passed(ev, status)
    t = ev.target
    if t.unit == STOCK_UNIT and status != "achieved" and t.direction > 0:
        # a facility not yet built: whether it is built is a decision, not a trend to extrapolate
        return Judgement(status, reasons=[reason("facility_not_built")])
    if ev.forecast is None:
        return Judgement(status, reasons=_no_forecast(ev, status))
    p = _p_met_at(ev, t.year)
    sign = "≤" if t.direction < 0 else "≥"
    about = (f"{t.year}年数值{sign}{t.value:g}的概率", f"P({t.year} value {sign} {t.value:g})")
    if status == "achieved" and t.unit == STOCK_UNIT:
        return Judgement(status, p, about, [])  # a facility once built stays counted
    reasons = _probability_reasons(ev, p, status == "achieved") + _moving_away(ev, p)
    reasons += _slipping(ev, status)
    return Judgement(status, p, about, reasons)


def underlying_level(years, y, window: int = 5) -> float:
    """The level at the latest year with year-to-year noise removed: a linear fit to the last points."""
    years, y = np.asarray(years, float)[-window:], np.asarray(y, float)[-window:]
    if len(years) < 3:
        return float(y[-1])
    return float(fit_line(years, y).at(years[-1]))


def judge_about(ev: Evidence) -> Judgement:
    """…左右: the underlying level near the value, and P(2030 level within the band).

    Only the side that is a shortfall counts (``Target.about_side``): a women's share worded
    "达到/保持…左右" above the band is met. A level in the band is warned about only when its trend
    clearly leads out of the band on the shortfall side and the forecast puts the 2030 level at risk:
    a stable in-band series is 保持, not a risk.
    """
    t, c = ev.target, ev.config
    level = underlying_level(ev.years, ev.y)
    distance = t.about_distance(level)
    status = ("achieved" if distance <= t.tolerance else
              "basically_achieved" if distance <= t.tolerance * c.basically_about_factor else "gap")  # fmt: skip
    if ev.past_target:
        return _passed(ev, status)
    if ev.forecast is None:
        return Judgement(status, reasons=_no_forecast(ev, status))
    row = {r["year"]: r for r in ev.forecast.table()}[t.year]
    # the forecast is of a single year's value; the question is about the level, so the
    # year-to-year noise (residual variance) comes off the predictive variance
    sd_value = (row["upper_80"] - row["lower_80"]) / (2 * stats.norm.ppf(0.9))
    noise = residual_sd(ev.years, ev.y) or 0.0
    sd_level = np.sqrt(max(sd_value**2 - noise**2, (0.25 * sd_value) ** 2, 1e-12))
    lo, hi = t.band
    p = float(stats.norm.cdf((hi - row["forecast"]) / sd_level) - stats.norm.cdf((lo - row["forecast"]) / sd_level))
    if t.about_side == "low":
        about = (f"{t.year}年基本水平（剔除年度波动）不低于{lo:g}的概率", f"P({t.year} underlying level at least {lo:g})")
    elif t.about_side == "high":
        about = (f"{t.year}年基本水平（剔除年度波动）不高于{hi:g}的概率", f"P({t.year} underlying level at most {hi:g})")
    else:
        about = (f"{t.year}年基本水平（剔除年度波动）在{lo:g}—{hi:g}之间的概率",
                 f"P({t.year} underlying level within {lo:g}–{hi:g})")  # fmt: skip
    if status == "achieved":
        return Judgement(status, p, about, _leaving_band(ev, p))
    return Judgement(status, p, about, _probability_reasons(ev, p, False))


def _leaving_band(ev: Evidence, p: float) -> list[Reason]:
    """An in-band level at risk only when its trend since the base clearly points out of the band."""
    t, c = ev.target, ev.config
    if p >= c.green_probability:
        return []
    since = ev.years >= (ev.base_year if ev.base_year is not None else c.base_year)
    if since.sum() < 3:
        return []
    lo, hi = t.band
    level = underlying_level(ev.years, ev.y)
    sides = []
    if np.isfinite(lo):
        sides.append((-1, level - lo))  # falling out below
    if np.isfinite(hi):
        sides.append((1, hi - level))  # rising out above
    for sign, _ in sides:
        p_out = slope_probability(ev.years[since], ev.y[since], sign)
        if p_out is not None and p_out >= c.clear_change_probability:
            return [reason("met_at_risk", year=t.year, p=p)]
    return []


def judge_keep(ev: Evidence) -> Judgement:
    """达到并保持: while met, P(held every year to the target year); else P(reached by then)."""
    t = ev.target
    status = _status_level(ev)
    if ev.past_target:
        return _passed(ev, status)
    if ev.forecast is None:
        return Judgement(status, reasons=_no_forecast(ev, status))
    if status == "achieved":
        # the smallest yearly probability: exact when yearly errors move together, as forecast
        # paths do, and an upper bound otherwise
        p = min(_p_met_at(ev, year) for year in ev.forecast.years)
        about = (f"今后每年至{t.year}年保持≥{t.value:g}的概率", f"P(stays ≥ {t.value:g} every year to {t.year})")
    else:
        p = _p_met_at(ev, t.year)
        about = (f"到{t.year}年达到≥{t.value:g}的概率", f"P(reaches ≥ {t.value:g} by {t.year})")
    reasons = _probability_reasons(ev, p, status == "achieved") + _moving_away(ev, p)
    reasons += _slipping(ev, status)
    return Judgement(status, p, about, reasons)


def _direction_status(p_right: float | None, ev: Evidence) -> str:
    c = ev.config
    if p_right is None:
        return "insufficient_data"
    if p_right >= c.clear_change_probability:
        return "achieved"
    if p_right <= 1 - c.clear_change_probability:
        return "gap"
    return "no_clear_change"


def _bound(t: Target) -> float | None:
    """The natural bound a direction goal can reach: 100 % against 提高, 0 against 降低 or a gap."""
    if t.kind == "gap_narrowing":
        return 0.0
    return t.upper if t.direction > 0 else t.lower


def period_comparison(ev: Evidence) -> tuple[float | None, float | None, tuple[str, str] | None]:
    """The outline's period against the five years before it, with the series' own noise.

    Values: Welch's t on the two periods' means (every year counts; swings such as a two-year
    campaign cycle are the within-period noise) → P(the change has the right sign).
    Yearly counts of cases (件, no denominator): the exact conditional Poisson test of the two
    periods' yearly rates, base year in the earlier period as for rates of few events → its
    one-sided p-value (small: a change the right way), named as such. (None, None, None) without
    two years on each side.
    """
    c, direction = ev.config, ev.target.direction
    years, y = ev.years, ev.y
    base = c.base_year
    if ev.counts_of_cases:
        base = ev.base_year if ev.base_year is not None else base
        p = _poisson_p(ev, "smaller" if direction < 0 else "larger")  # the later rate against the earlier
        if p is None:
            return None, None, None
        about = (f"若{base}年及以前与{base}年后年均件数相同，出现所见改善的精确泊松检验单侧p值",
                 f"one-sided p of the exact Poisson test (years to {base} against after), if the yearly rate were unchanged")  # fmt: skip
        return None, p, about
    start = base - 1 if not (years == base).any() and (years == base - 1).any() else base
    pre, post = (years >= start - 5) & (years < start), years >= start
    if pre.sum() < 2 or post.sum() < 2:
        return None, None, None
    a, b = y[pre], y[post]
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    diff = direction * (b.mean() - a.mean())
    se = float(np.sqrt(va + vb))
    if se < 1e-12 * max(1.0, float(np.abs(y).max())):
        return (1.0 if diff > 0 else 0.0 if diff < 0 else 0.5), None, None
    df = (va + vb) ** 2 / ((va**2 / (len(a) - 1) if len(a) > 1 else 0) + (vb**2 / (len(b) - 1) if len(b) > 1 else 0))
    return float(stats.t.cdf(diff / se, df)), None, None


def judge_direction(ev: Evidence) -> Judgement:
    """提高 / 降低 / 差距缩小: the period against the five years before, and the change since the base.

    Two readings of the same question, each beyond the series' own noise: the outline's period
    (2020 on) against 2015–2019 (``period_comparison``), and the trend since the base year. A clear
    change the right way on one and not the wrong way on the other is 已实现; a clear change the
    wrong way on one and not the right way on the other is a gap; else 变化不明显. At the natural
    bound (100 % against 提高, 0 against 降低) the goal is held: 已实现. P: the 2030 value on the
    right side of the base.
    """
    t, c = ev.target, ev.config
    direction = t.direction
    bound = _bound(t)
    scale = max(1.0, abs(bound)) if bound is not None else 1.0
    if bound is not None and abs(ev.latest - bound) <= 1e-9 * scale:
        if ev.past_target:
            return _passed(ev, "achieved")
        return Judgement("achieved", reasons=[reason("at_bound", bound=bound)])
    p_means, test_p, test_of = period_comparison(ev)
    if ev.base is None and p_means is None and test_p is None:
        if ev.latest_year <= c.base_year:  # the base itself is the latest value: no change to judge yet
            return Judgement("insufficient_data", reasons=[reason(
                "no_value_in_period", since=f"{c.base_year}年之后", since_en=f"after {c.base_year}",
                latest=ev.latest_year, context="，为基期值", context_en=", the base")])  # fmt: skip
        return Judgement("insufficient_data", reasons=[reason("no_base", year=c.base_year)])
    p_trend = change_probability(ev, direction) if ev.base is not None and not ev.counts_of_cases else None
    alpha = 1 - c.clear_change_probability
    readings = [p for p in (p_means, p_trend) if p is not None]
    if test_p is not None:
        status = "achieved" if test_p < alpha else "no_clear_change"
        if status != "achieved":  # the other tail: a clear rise of the count against 降低
            p_other = _poisson_other_tail(ev)
            if p_other is not None and p_other < alpha:
                status = "gap"
    elif readings:
        right = any(p >= c.clear_change_probability for p in readings)
        wrong = any(p <= alpha for p in readings)
        status = "achieved" if right and not wrong else "gap" if wrong and not right else "no_clear_change"
    else:
        status = None
    reasons: list[Reason] = []
    if status is None:  # two points and no noise estimate: the sign is all there is
        status = "achieved" if direction * (ev.latest - ev.base) > 0 else "no_clear_change"
        if ev.forecast is None:  # never "too few to forecast" beside a forecast
            reasons.append(reason("short_series", n=ev.n))
        if status == "no_clear_change":
            reasons.append(reason("no_clear_change", base_year=ev.base_year, detail="数据点过少，未见向目标方向的变化",
                                  detail_en="too few points, no change the right way"))  # fmt: skip
    if ev.past_target:
        return _passed(ev, "achieved" if status == "achieved" else "gap")
    if status == "no_clear_change" and test_p is not None:
        reasons.append(reason("no_clear_change", base_year=c.base_year, detail=f"精确泊松检验单侧p值{test_p:.3f}",
                              detail_en=f"exact Poisson test, one-sided p = {test_p:.3f}"))  # fmt: skip
    elif status == "no_clear_change" and p_means is not None and p_trend is not None:
        start = c.base_year
        reasons.append(reason("no_clear_change", base_year=ev.base_year or start, detail=(
            f"与{start - 5}—{start - 1}年相比方向正确的概率{p_means:.0%}，{ev.base_year}年以来趋势方向正确的概率{p_trend:.0%}"),
            detail_en=f"P(right direction) against {start - 5}–{start - 1} {p_means:.0%}, trend since {ev.base_year} "
                      f"{p_trend:.0%}"))  # fmt: skip
    elif status == "no_clear_change" and readings:
        shown = p_means if p_means is not None else p_trend
        reasons.append(reason("no_clear_change", base_year=ev.base_year or c.base_year, p=shown))
    if test_p is not None:  # counts of cases: the exact test's p, no forecast probability
        if status == "gap":
            reasons.append(reason("worse_than_base", base_year=c.base_year))
        return Judgement(status, reasons=reasons, test_p=test_p, test_of=test_of)
    if ev.forecast is None or ev.base is None:
        if not reasons and ev.forecast is None:
            reasons = _no_forecast(ev)
        if status == "gap":
            reasons.append(reason("worse_than_base", base_year=ev.base_year or c.base_year))
        return Judgement(status, reasons=reasons, test_p=test_p, test_of=test_of or ("", ""))
    below = ev.forecast.cdf(t.year, ev.base)
    p = below if direction < 0 else 1 - below
    word = ("低于", "below") if direction < 0 else ("高于", "above")
    about = (f"{t.year}年数值{word[0]}{ev.base_year}年基期值的概率", f"P({t.year} value {word[1]} {ev.base_year} base)")
    if status == "gap" and p < c.direction_red:
        reasons.append(reason("wrong_direction", base_year=ev.base_year, p=p))
    elif status == "gap":
        reasons.append(reason("worse_than_base", base_year=ev.base_year))
    elif status == "achieved" and p < c.direction_green and not (p_means is not None and p_means >= c.clear_change_probability):
        # a clear improvement on the five years before is not undone by the forecast's spread alone
        reasons.append(reason("at_risk_direction", year=t.year, p=p))
    return Judgement(status, p, about, reasons, test_p=test_p, test_of=test_of or ("", ""))


def _poisson_p(ev: Evidence, alternative: str) -> float | None:
    """Yearly counts of cases: the exact conditional Poisson test of the yearly rate after the base
    year against the years up to it (at most ``count_window_years``, as for rates of few events)."""
    import warnings

    from statsmodels.stats.rates import test_poisson_2indep

    c, years, y = ev.config, ev.years, ev.y
    base = ev.base_year if ev.base_year is not None else c.base_year
    pre, post = (years > base - c.count_window_years) & (years <= base), years > base
    if not pre.any() or not post.any() or (y < 0).any():
        return None
    x1, x2 = round(float(y[post].sum())), round(float(y[pre].sum()))
    if x1 + x2 == 0:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(test_poisson_2indep(x1, float(post.sum()), x2, float(pre.sum()), method="exact-cond",
                                         alternative=alternative).pvalue)  # fmt: skip


def _poisson_other_tail(ev: Evidence) -> float | None:
    """The exact Poisson test's one-sided p for a change the wrong way (a count of cases rising against 降低)."""
    return _poisson_p(ev, "larger" if ev.target.direction < 0 else "smaller")


def judge_slower_rise(ev: Evidence) -> Judgement:
    """上升趋势减缓: the slope after the base year is smaller than before (segmented regression)."""
    base_year = ev.config.base_year
    before, after = ev.years <= base_year, ev.years >= base_year
    if before.sum() < 2 or after.sum() < 2 or ev.n < 4:
        return Judgement("insufficient_data", reasons=[reason("needs_both_periods", year=base_year)])
    x = ev.years.astype(float)
    X = np.column_stack([np.ones_like(x), x - base_year, np.maximum(x - base_year, 0)])
    fit = sm.OLS(ev.y, X).fit()
    change, se = fit.params[2], fit.bse[2]
    if not np.isfinite(se) or se < 1e-12:
        p_slower = 1.0 if change < 0 else 0.0 if change > 0 else 0.5
    else:
        p_slower = float(stats.t.cdf(-change / se, fit.df_resid)) if fit.df_resid > 0 else 0.5
    status = _direction_status(p_slower, ev)
    about = (f"{base_year}年后年均增幅小于{base_year}年前的概率", f"P(yearly rise after {base_year} smaller than before)")
    reasons = []
    if status == "no_clear_change":
        reasons.append(reason("no_clear_change", base_year=base_year, p=p_slower))
    elif status == "gap":
        reasons.append(reason("rise_accelerating", base_year=base_year))
    if ev.past_target:
        return _passed(ev, "achieved" if status == "achieved" else "gap")
    return Judgement(status, p_slower, about, reasons)


def judge_monitor(ev: Evidence) -> Judgement:
    return Judgement("monitored", reasons=[reason("no_target")])


RULES = {
    "at_least": judge_threshold,
    "at_most": judge_threshold,
    "about": judge_about,
    "keep_at_least": judge_keep,
    "increase": judge_direction,
    "decrease": judge_direction,
    "gap_narrowing": judge_direction,
    "slower_rise": judge_slower_rise,
    "monitor": judge_monitor,
}
