"""Exponential smoothing estimated on a grid (smoothing.py) against statsmodels' ETSModel, the oracle."""

import warnings

import numpy as np
import pandas as pd
import pytest
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

from analysis.assessment import smoothing
from analysis.evaluation.reference import reference_series

PARAMETERS = {"A,N": (0.6, 0.0, 0.0), "A,A": (0.5, 0.2, 1.0), "A,Ad": (0.8, 0.3, 0.9)}


@pytest.fixture(scope="module")
def shipped():
    """Three real series the repository ships: a share, a rate per 100,000 and a life expectancy."""
    named = {s.name: s for s in reference_series()}
    picks = ["[SH.H2O.BASW.RU.ZS]", "[SH.STA.MMRT]", "[SP.DYN.LE00.FE.IN]"]
    return [next(s for n, s in named.items() if code in n).values for code in picks]


def _statsmodels(y, kind, alpha, beta, phi, initial):
    trend = None if kind == "A,N" else "add"
    model = ETSModel(pd.Series(y), error="add", trend=trend, damped_trend=kind == "A,Ad",
                     initialization_method="known", initial_level=initial[0],
                     initial_trend=None if kind == "A,N" else initial[1])  # fmt: skip
    params = {"A,N": [alpha], "A,A": [alpha, beta], "A,Ad": [alpha, beta, phi]}[kind]
    return model.smooth(params)


@pytest.mark.parametrize("kind", list(PARAMETERS))
def test_the_recursion_and_its_forecasts_equal_statsmodels_for_the_same_parameters(shipped, kind):
    alpha, beta, phi = PARAMETERS[kind]
    for y in shipped:
        initial = (float(y[0]), 0.0 if kind == "A,N" else float(y[1] - y[0]))
        oracle = _statsmodels(y, kind, alpha, beta, phi, initial)
        errors, fitted, (level, trend) = smoothing.filter_errors(y, alpha, beta, phi, initial)
        np.testing.assert_allclose(fitted, oracle.fittedvalues.to_numpy(), rtol=1e-10, atol=1e-9)
        ours = smoothing.Smoothing(kind, alpha, beta, phi, initial, level, trend, float(np.mean(errors**2)), 0.0)
        mean, sd = ours.forecast(np.arange(1, 9))
        frame = oracle.get_prediction(start=len(y), end=len(y) + 7).summary_frame(alpha=0.05)
        np.testing.assert_allclose(mean, frame["mean"].to_numpy(), rtol=1e-10, atol=1e-9)
        oracle_sd = (frame["pi_upper"] - frame["mean"]).to_numpy() / 1.959963984540054
        np.testing.assert_allclose(sd, oracle_sd, rtol=1e-6)
        assert oracle.mse == pytest.approx(np.mean(errors**2), rel=1e-10)


@pytest.mark.parametrize("kind", list(PARAMETERS))
def test_the_grid_fit_is_a_least_squares_fit_close_to_statsmodels_optimum(shipped, kind):
    for y in shipped:
        fit = smoothing.fit(y, kinds=(kind,))
        assert fit is not None and fit.kind == kind
        # the vectorised errors are the plain recursion's errors from the fitted initial state
        errors, _, (level, trend) = smoothing.filter_errors(y, fit.alpha, fit.beta, fit.phi, fit.initial)
        assert fit.sigma2 == pytest.approx(np.mean(errors**2), rel=1e-8)
        assert (fit.level, fit.trend) == pytest.approx((level, trend), rel=1e-8, abs=1e-8)
        # the initial state is the least-squares one for these parameters: any nudge does worse
        for nudge in ((0.01, 0.0), (-0.01, 0.0), (0.0, 0.01), (0.0, -0.01)):
            moved = (fit.initial[0] + nudge[0], fit.initial[1] + (nudge[1] if kind != "A,N" else 0.0))
            worse, _, _ = smoothing.filter_errors(y, fit.alpha, fit.beta, fit.phi, moved)
            assert np.sum(worse**2) >= np.sum(errors**2) - 1e-9
        # a grid cannot beat the optimiser by much, nor lose by much (statsmodels fits 5 parameters freely)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            trend = None if kind == "A,N" else "add"
            best = ETSModel(pd.Series(y), error="add", trend=trend, damped_trend=kind == "A,Ad").fit(disp=False)
        assert fit.sigma2 * len(y) <= 1.25 * best.sse + 1e-9


def test_aicc_picks_no_trend_for_noise_around_a_level_and_a_trend_for_a_steady_rise():
    rng = np.random.default_rng(7)
    level = 50 + rng.normal(0, 1, 20)
    assert smoothing.fit(level).kind == "A,N"
    rise = 20 + 2.0 * np.arange(20) + rng.normal(0, 0.3, 20)
    fit = smoothing.fit(rise)
    assert fit.kind in ("A,A", "A,Ad")
    mean, _ = fit.forecast([1, 5])
    assert mean[0] == pytest.approx(rise[-1] + 2.0, abs=1.5) and mean[1] > mean[0] + 4


def test_too_short_for_any_aicc_gives_no_fit():
    assert smoothing.fit([1.0, 2.0, 3.0, 4.0]) is None  # A,N needs n − 4 > 0
    assert smoothing.fit([1.0, 2.0, 3.0, 4.5, 5.0]).kind == "A,N"


def test_a_series_too_short_to_estimate_smoothing_gets_the_damped_drift():
    from analysis.assessment.forecast import MODELS

    years, z = np.arange(2019, 2025), np.array([10.0, 11.0, 11.5, 12.5, 13.0, 14.0])  # 6 < min_points_ets
    horizon = list(range(2025, 2031))
    for got, expected in zip(MODELS["ETS"](years, z, horizon), MODELS["damped drift"](years, z, horizon)):
        np.testing.assert_allclose(got, expected)
    longer = np.arange(2013, 2025)
    loc, _ = MODELS["ETS"](longer, 10 + 0.8 * np.arange(12.0), horizon)
    assert loc[-1] == pytest.approx(10 + 0.8 * 17, abs=0.3)  # an exact line: the smoothing follows it
