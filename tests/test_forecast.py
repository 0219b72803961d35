"""The forecast engine: bounds, intervals that widen and nest, a distribution consistent with itself."""

import math

import numpy as np
import pytest

from analysis.assessment import DEFAULT_CONFIG, Target, assess_series
from analysis.assessment.forecast import Scale, choose_scale, forecast_series

YEARS = np.arange(2013, 2025)
HORIZON = list(range(2025, 2031))
SHARE = Target("at_least", 100, 2030, "higher", 0, 100, unit="%")


def forecast(values, lower=0.0, upper=100.0, years=YEARS):
    scale = choose_scale(values, lower, upper)
    return forecast_series(years, np.asarray(values, float), HORIZON, scale, DEFAULT_CONFIG)


def test_a_share_at_100_every_year_is_forecast_at_100():
    f = forecast([100.0] * len(YEARS))
    for row in f.table():  # (the logit scale put it at 99.95 with an interval of zero width)
        assert row["forecast"] == 100.0 and row["upper_95"] == 100.0
        assert row["lower_95"] == pytest.approx(100.0, abs=1e-9)
    # "at least 100" is then met for certain, the statistic having never moved
    assert assess_series(YEARS, [100.0] * len(YEARS), SHARE).probability == pytest.approx(1.0)


def test_a_share_at_0_every_year_is_forecast_at_0():
    f = forecast([0.0] * len(YEARS))
    for row in f.table():
        assert row["forecast"] == 0.0 and row["lower_95"] == 0.0
        assert row["upper_95"] == pytest.approx(0.0, abs=1e-9)


def test_a_series_that_reached_its_bound_is_forecast_on_it_with_room_below():
    values = [97.0, 97.8, 98.5, 99.1, 99.6, 99.9, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0]
    f = forecast(values)
    for row in f.table():
        assert row["forecast"] == pytest.approx(100.0)
        assert row["upper_95"] == 100.0  # never above the bound
        assert row["lower_95"] < 100.0  # a series that has moved can move again


@pytest.mark.parametrize(
    "values",
    [
        [50.0 + i for i in range(12)],  # an exact straight line: drift's residuals are all zero
        [30.0] * 11 + [31.0],  # moved once
        [99.0] + [100.0] * 11,  # at the bound after one step
        [5.0 * 1.03**i for i in range(12)],  # exact geometric growth of a positive quantity
    ],
    ids=["straight line", "one step", "at bound after a step", "geometric"],
)
def test_intervals_are_never_zero_width_for_a_series_that_has_moved(values):
    upper = 100.0 if max(values) <= 100 else None
    f = forecast(values, 0.0, upper)
    for row in f.table():
        assert row["upper_95"] - row["lower_95"] > 0
        assert row["upper_80"] - row["lower_80"] > 0


def rising_share():
    rng = np.random.default_rng(7)
    return np.clip(60 + 2.5 * np.arange(len(YEARS)) + rng.normal(0, 1.5, len(YEARS)), 0, 100)


@pytest.mark.parametrize(("values", "lower", "upper"), [
    (rising_share(), 0.0, 100.0),
    ([30 * 0.93**i for i in range(12)], 0.0, None),  # a falling rate on the log scale
    ([-3.0, -1.0, 0.5, -2.0, 1.0, 2.5, 1.5, 3.0, 2.0, 4.5, 3.5, 5.0], None, None),  # no bounds
])  # fmt: skip
def test_quantiles_and_cdf_agree_and_intervals_nest_within_bounds(values, lower, upper):
    f = forecast(values, lower, upper)
    lo, hi = (-math.inf if lower is None else lower), (math.inf if upper is None else upper)
    for year in f.years:
        for q in (0.025, 0.1, 0.3, 0.5, 0.7, 0.9, 0.975):
            x = f.quantile(year, q)
            if lo < x < hi:
                assert f.cdf(year, x) == pytest.approx(q, abs=1e-6)
    previous = None
    for row in f.table():
        assert lo <= row["lower_95"] <= row["lower_80"] <= row["forecast"] <= row["upper_80"] <= row["upper_95"] <= hi
        width = row["upper_95"] - row["lower_95"]
        if previous is not None:
            assert width >= previous - 1e-9  # uncertainty grows with the years ahead
        previous = width


def test_the_cdf_puts_the_mass_beyond_a_bound_on_the_bound():
    values = [90.0, 92, 94, 95.5, 97, 98, 99, 99.5, 99.8, 100, 100, 100]
    f = forecast(values)
    year = f.years[-1]
    assert f.cdf(year, 100.0) == 1.0 and f.cdf(year, 100.0 - 1e-9) < 1.0
    assert f.cdf(year, -0.001) == 0.0


def test_a_steady_rise_toward_the_bound_is_not_bent_by_the_scale():
    """Rural water going up 2 points a year from 70: the median keeps rising about as fast until
    the bound (the logit scale made such rises slow down and lag)."""
    values = [70.0 + 2 * i for i in range(12)]  # 92 in 2024
    f = forecast(values)
    medians = [row["forecast"] for row in f.table()]
    assert medians[0] > 92.5
    assert medians[-1] > 96  # at least half the pace kept for six years, without bending
    assert medians[-1] <= 100


def test_a_logit_scale_is_still_available_and_stays_inside_the_bounds():
    values = rising_share()
    f = forecast_series(YEARS, values, HORIZON, Scale("logit", 0.0, 100.0), DEFAULT_CONFIG)
    assert all(0 < row["lower_95"] and row["upper_95"] < 100 for row in f.table())


def test_gross_ratios_without_an_upper_bound_can_pass_100():
    """A gross enrolment ratio (no upper bound in its definition) rising past 100 keeps rising."""
    values = [80.0 + 2.5 * i for i in range(12)]  # 107.5 in 2024
    f = forecast(values, 0.0, None)
    assert f.scale.kind == "log"
    assert f.table()[-1]["forecast"] > 107.5


def test_sample_draws_from_the_same_distribution():
    f = forecast([30 * 0.93**i for i in range(12)], 0.0, None)
    year = f.years[-1]
    draws = f.sample(year, 4000, np.random.default_rng(1))
    for q in (0.1, 0.5, 0.9):
        assert np.mean(draws <= f.quantile(year, q)) == pytest.approx(q, abs=0.025)
    # at a bound: the mass beyond it sits on it; draws reach 100 and never pass it
    f = forecast([90.0, 92, 94, 95.5, 97, 98, 99, 99.5, 99.8, 100, 100, 100])
    draws = f.sample(year, 4000, np.random.default_rng(2))
    assert draws.max() == 100.0 and np.mean(draws == 100.0) == pytest.approx(1 - f.cdf(year, 100 - 1e-9), abs=0.03)
