"""Every threshold the assessment uses, in one place, with the reason for its default.

Change a value by passing ``AssessmentConfig(...)`` to the assessment functions; the notebooks
print the configuration they ran with, so a report always states its rules.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class AssessmentConfig:
    # The outline runs 2021–2030; national monitoring reports on it use 2020 as the baseline year.
    base_year: int = 2020
    # 基本实现 ("basically achieved"): the shortfall is at most 1 percentage point for shares,
    # or 5 % of the target for other units. The national bureau calls MMR 20.1 against a target of
    # 20 基本实现 (0.5 % over) and screening 75.5 % against ≥80 % 尚存差距 (4.5 pp short); these
    # limits put both on the same side as the bureau did. A project convention, not an official rule.
    basically_share_pp: float = 1.0
    basically_relative: float = 0.05
    # For "about" targets, 基本实现 means within twice the catalog's tolerance.
    basically_about_factor: float = 2.0
    # Warning levels from the probability that the target is met in the target year. 0.75 sits just
    # above the IPCC's "likely" (≥ 66 %); below 0.40 failure is more likely than success. These are
    # the reference survey's suggested defaults (shared reference §9), not an official standard.
    green_probability: float = 0.75
    red_probability: float = 0.40
    # Direction-only targets: the probability that the 2030 value is on the right side of the
    # 2020 base. Green needs 0.80, red only below 0.20 (the wrong side is then four times as likely).
    direction_green: float = 0.80
    direction_red: float = 0.20
    # 提高/降低 "achieved" means a change beyond noise: the one-sided probability that the change
    # since the base year has the right sign (OLS slope or base-vs-latest difference over the
    # series' own residual noise) is at least 0.90; at most 0.10 is a clear change the wrong way;
    # between, 变化不明显. 0.90 is the usual one-sided 10 % level; it keeps an uptick of one noisy
    # year from counting as progress.
    clear_change_probability: float = 0.90
    # A red warning on a quantified target needs two independent signs: the forecast makes the
    # target unlikely (P < red_probability) AND the change so far lags the required pace (时间进度
    # 滞后). A series on its required pace is at most yellow, whatever the forecast model damps.
    red_needs_lagging_pace: bool = True
    # Rates of small counts: warn when the counts contradict the target, not when they cannot
    # prove it. Exact one-sided p (P of counts this far on the wrong side if the true rate were
    # the target): below 0.05 red, below 0.10 yellow. With ~350 births a year and a true rate
    # exactly at 12/10万 this warns in about 2 % of five-year windows (reports/examples/
    # count_warning_simulation.md).
    count_red_p: float = 0.05
    count_yellow_p: float = 0.10
    # Elected bodies change at a 换届 only: 村(社区)两委, 县乡人大 and 党代会 in Sichuan were elected
    # in 2021 (terms of five years since the 2018 amendment), so the next is 2026, the last before 2030.
    election_years: tuple[int, ...] = (2016, 2021, 2026)
    # 数据陈旧: no value for longer than the series' own release interval (catalog
    # frequency_years) plus one year of publication lag: for an annual series, two missing years.
    stale_after_years: int = 2
    # 波动较大: residual coefficient of variation (sd of the residuals around a linear trend over
    # the mean level) above 10 %, with at least 5 points. Exempt: rates of small counts (their swings
    # are Poisson noise, handled by the count model), shares of elected bodies and small whole
    # numbers (facility counts), whose steps are one seat or one facility, and shares whose
    # residual swings are within 1.5 steps of one person when the counts are known.
    volatility_cv: float = 0.10
    volatility_min_points: int = 5
    volatility_granularity_steps: float = 1.5
    # The forecast combination: random walk with drift and no change, an equal mixture. Its median
    # keeps about half the historical pace (a damped drift) and its intervals cover both futures.
    # Chosen on the backtest of 25 real series (reports/examples/backtest.md): against linear trend +
    # drift + naive it cut MASE from 2.60 to 2.28 with the same coverage (80 %: 0.74); adding a linear
    # trend, Theta or damped ETS ("linear trend", "theta", "damped ETS") made intervals too narrow.
    models: tuple[str, ...] = ("drift", "naive")
    # How many points each forecasting model needs (M3/M4 practice for yearly data: simple models
    # on very short series, exponential smoothing only when it has enough points to estimate).
    min_points_trend: int = 3
    min_points_theta: int = 5
    min_points_ets: int = 8
    # Rates of small counts: pool the last five years for the current rate; fit a trend only when
    # the series has at least ten events (fewer cannot tell a trend from chance).
    count_window_years: int = 5
    count_min_events_for_trend: int = 10
    # Trend "moving away" from the target: the last five years' slope points the wrong way with
    # probability above 80 %. It is reported only when it threatens the target within the horizon
    # (P(target) below green); on its own it never makes a warning red.
    recent_years: int = 5
    moving_away_probability: float = 0.80

    def as_dict(self) -> dict:
        return asdict(self)


DEFAULT_CONFIG = AssessmentConfig()
