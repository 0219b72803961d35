"""Forecasts on the real time axis (issue 20, item 4): the models see the real observations with their
real years, a long step carries the variance of its years, fewer and older points give wider
intervals, too few give no forecast, and a share's median never sits on a bound the data never reached."""

from dataclasses import replace

import numpy as np
import pytest

from analysis.assessment import DEFAULT_CONFIG, Target, assess_series, smoothing
from analysis.assessment.forecast import choose_scale, few_points_factor, forecast_series

YEARS = np.arange(2005, 2026)
WOBBLE = np.random.default_rng(20).normal(0, 0.4, len(YEARS)).round(1)  # a little noise around the line
LINE = 40 + 0.8 * (YEARS - 2005) + WOBBLE  # 56.3 in 2025, about 60 by 2030 if the rise goes on
HORIZON = list(range(2026, 2031))


def forecast(years, values, lower=0.0, upper=100.0, horizon=HORIZON, config=DEFAULT_CONFIG):
    values = np.asarray(values, float)
    return forecast_series(np.asarray(years), values, horizon, choose_scale(values, lower, upper, config), config)


def width(f, year=2030, level=80):
    row = {r["year"]: r for r in f.table()}[year]
    return row[f"upper_{level}"] - row[f"lower_{level}"]


# --- the exact state-space model with missing years, against plain Gaussian conditioning ----------


def _gaussian(y, alpha, beta, phi, initial, h):
    """−2 log L / σ² parts and the h-step forecast of the SSOE model, by conditioning the joint normal.

    y_t = w'F^{t-1} x_0 + e_t + Σ_{j<t} w'F^{t-1-j} g e_j, e ~ N(0, σ²): the observed years' joint
    distribution, and the future value's given them."""
    n = len(y)
    total = n + h
    F = np.array([[1.0, phi], [0.0, phi]])
    w, g = np.array([1.0, phi]), np.array([alpha, beta])
    M = np.array([w @ np.linalg.matrix_power(F, t) for t in range(total)])
    L = np.eye(total)
    for t in range(total):
        for j in range(t):
            L[t, j] = w @ np.linalg.matrix_power(F, t - 1 - j) @ g
    cov = L @ L.T
    seen = ~np.isnan(y)
    O = np.flatnonzero(seen)
    resid = y[O] - M[O] @ np.asarray(initial)
    S = cov[np.ix_(O, O)]
    wsse = resid @ np.linalg.solve(S, resid)
    c = cov[total - 1, O]
    mean = M[total - 1] @ np.asarray(initial) + c @ np.linalg.solve(S, resid)
    var = cov[total - 1, total - 1] - c @ np.linalg.solve(S, c)
    return wsse, mean, var


@pytest.mark.parametrize("kinds", [("A,N",), ("A,A",), ("A,Ad",)])
def test_with_missing_years_the_fit_is_the_exact_gaussian_state_space_model(kinds):
    rng = np.random.default_rng(3)
    y = 30 + np.cumsum(0.7 + rng.normal(0, 0.8, 18))
    y[[2, 3, 4, 8, 11, 12, 13, 14]] = np.nan  # a survey that skipped years
    fit = smoothing.fit(y, kinds)
    m = int(np.sum(~np.isnan(y)))
    for h in (1, 3, 7):
        wsse, mean, var = _gaussian(y, fit.alpha, fit.beta, fit.phi, fit.initial, h)
        loc, sd = fit.forecast([h])
        assert fit.sigma2 == pytest.approx(wsse / m, rel=1e-8)
        assert loc[0] == pytest.approx(mean, rel=1e-9)
        assert sd[0] ** 2 == pytest.approx(fit.sigma2 * var, rel=1e-8)


def test_with_every_year_observed_the_kalman_filter_is_the_plain_recursion():
    y = LINE + np.sin(np.arange(len(LINE)))
    a, b = smoothing.fit(y), smoothing.fit(y, kalman=True)
    assert (a.kind, a.alpha, a.beta, a.phi) == (b.kind, b.alpha, b.beta, b.phi)
    np.testing.assert_allclose([a.level, a.trend, a.sigma2, a.aicc], [b.level, b.trend, b.sigma2, b.aicc], rtol=1e-9)


# --- what the models see ---------------------------------------------------------------------------


def test_a_series_with_gaps_reaches_the_model_with_no_interpolated_value(monkeypatch):
    seen = []
    real_fit = smoothing.fit
    monkeypatch.setattr(smoothing, "fit", lambda y, kinds=smoothing.KINDS, **kw: seen.append(np.array(y)) or
                        real_fit(y, kinds, **kw))  # fmt: skip
    keep = np.isin(YEARS, [2005, 2006, 2008, 2010, 2011, 2015, 2016, 2017, 2020, 2021, 2024, 2025])
    years, values = YEARS[keep], LINE[keep]
    assert forecast(years, values) is not None
    assert seen, "the smoothing model was fitted"
    for grid in seen:
        observed = ~np.isnan(grid)
        assert observed.sum() == len(years)  # only the real observations …
        np.testing.assert_array_equal(np.flatnonzero(observed), years - years[0])  # … at their real years
        np.testing.assert_allclose(grid[observed], values)  # … with their real values


def test_a_five_year_step_carries_five_years_of_innovations():
    """The one-step error after a 4-year gap has the variance of a 5-year forecast error."""
    y = np.array([1.0, 2.0, np.nan, np.nan, np.nan, np.nan, 3.0, 4.0, 5.0])
    v, s, _, _ = smoothing._kalman_responses(tuple(~np.isnan(y)))
    i = int(np.flatnonzero(smoothing.KIND == 0)[3])  # A,N with α = 0.3: a random walk plus noise
    alpha = smoothing.ALPHA[i]
    assert s[i, 2] == pytest.approx(1 + 4 * alpha**2)  # σ²(1 + (h − 1)α²), h = 5
    assert s[i, 0] == pytest.approx(1.0) and s[i, 1] == pytest.approx(1.0)


# --- spacing, fewer and older points -------------------------------------------------------------------


def test_the_same_line_observed_every_five_years_gets_wider_intervals_and_no_higher_p():
    line = 40 + 0.8 * (YEARS - 2005)  # exactly a line: 56 in 2025, 60 in 2030 if the rise goes on
    yearly = forecast(YEARS, line)
    every5 = forecast(YEARS[::5], line[::5])  # 2005, 2010, …, 2025: the same line, a survey's points
    assert width(every5, level=80) > width(yearly, level=80)
    assert width(every5, level=95) > width(yearly, level=95)
    # targets the rise reaches by 2030 if it goes on: five points never make them more certain than 21
    for x in np.arange(56.5, 60.01, 0.5):
        assert 1 - every5.cdf(2030, x) <= 1 - yearly.cdf(2030, x) + 1e-9


def _noisy_lines(draws=40):
    for seed in range(draws):
        yield 40 + 0.8 * (YEARS - 2005) + np.random.default_rng(seed).normal(0, 0.5, len(YEARS))


@pytest.mark.parametrize("fewer", ["every 5th year", "last 4 years"])
def test_fewer_points_of_a_noisy_line_give_wider_intervals_and_no_higher_p(fewer):
    """Over 40 draws of noise: the median ratio of the interval widths (fewer points over all 21)
    is above 1 at 80 % and 95 %, and the P of a target the rise reaches (58 by 2030) is rarely higher.
    (A single draw can make the fewer points look steadier than the whole series.)"""
    ratios, higher = [], []
    for values in _noisy_lines():
        keep = slice(None, None, 5) if fewer == "every 5th year" else slice(-4, None)
        few, full = forecast(YEARS[keep], values[keep]), forecast(YEARS, values)
        ratios.append([width(few, level=q) / width(full, level=q) for q in (80, 95)])
        higher.append(few.cdf(2030, 58.0) < full.cdf(2030, 58.0) - 1e-9)
    assert np.all(np.median(ratios, axis=0) > 1.05)
    assert np.mean(higher) <= 0.1


def test_fewer_points_of_the_same_line_give_a_wider_80_percent_interval():
    line = 40 + 0.8 * (YEARS - 2005)
    assert width(forecast(YEARS[-4:], line[-4:])) > width(forecast(YEARS[-8:], line[-8:])) > width(forecast(YEARS, line))
    factors = [few_points_factor(n) for n in range(3, 30)]
    assert all(a > b for a, b in zip(factors, factors[1:])) and factors[-1] > 1


def test_an_older_last_point_gives_wider_intervals():
    """The same data, as of 2025, when the last value is from 2025 or only from 2020."""
    current = forecast(YEARS, LINE)
    old = forecast(YEARS[YEARS <= 2020], LINE[YEARS <= 2020])
    assert width(old) > width(current) and width(old, level=95) > width(current, level=95)


# --- too few points -----------------------------------------------------------------------------------


def test_below_the_minimum_of_real_points_there_is_no_forecast_and_no_p():
    n = DEFAULT_CONFIG.min_points_forecast
    assert forecast(YEARS[-n:], LINE[-n:]) is not None
    assert forecast(YEARS[::10], LINE[::10]) is None  # three census years
    target = Target("at_least", 60, 2030, "higher", 0, 100, unit="%")
    result = assess_series(YEARS[::10], LINE[::10], target, as_of=2025)
    assert result.forecast is None and result.probability is None
    assert (result.latest_year, result.latest_value) == (2025, pytest.approx(LINE[-1]))


# --- natural bounds ------------------------------------------------------------------------------------


def test_a_share_rising_to_97_has_a_2030_median_below_100():
    years = np.arange(2012, 2026)
    values = [60.0, 63, 66, 68, 71, 74, 77, 80, 83, 86, 89, 92, 94, 97]
    f = forecast(years, values)
    row = f.table()[-1]
    assert row["forecast"] < 100 and row["upper_80"] < 100
    assert row["forecast"] > 97  # the rise goes on, slowing as it nears the bound
    assert row["lower_80"] > 97 - 5  # the lower bound is not the whole "risk"


def test_a_share_falling_toward_0_has_a_median_above_0():
    years = np.arange(2012, 2026)
    values = [30.0, 27, 24, 21, 18, 15.5, 13, 10.5, 8.5, 6.5, 5, 3.5, 2.5, 1.5]
    row = forecast(years, values).table()[-1]
    assert 0 < row["forecast"] < 1.5


def test_a_share_that_sits_at_100_stays_at_100():
    years = np.arange(2012, 2026)
    values = [96.0, 97, 98, 99, 99.5, 100, 100, 100, 100, 100, 100, 100, 100, 100]
    f = forecast(years, values)
    assert f.scale.kind == "clipped" and f.table()[-1]["forecast"] == pytest.approx(100.0)


def test_the_logit_switch_keeps_the_calibrated_distribution_consistent():
    """With an interval calibration in the recipe (the machinery stays even while config.py uses none)."""
    recipe = replace(DEFAULT_CONFIG.forecast_bounded, calibration=((0.1, 0.2, 0.3, 0.45, 0.6, 0.8, 1.0, 1.2, 1.5, 1.8, 2.2),))
    config = replace(DEFAULT_CONFIG, forecast_bounded=recipe, calibration_horizons=(1,))
    years = np.arange(2012, 2026)
    f = forecast(years, [60.0, 63, 66, 68, 71, 74, 77, 80, 83, 86, 89, 92, 94, 97], config=config)
    assert f.scale.kind == "logit" and f.bends  # the calibration still applies
    for q in (0.025, 0.1, 0.5, 0.9):  # (the logit scale nudges values within 0.05 of a bound inside)
        assert f.cdf(2030, f.quantile(2030, q)) == pytest.approx(q, abs=1e-6)
