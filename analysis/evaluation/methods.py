"""The forecasting methods the backtest compares: the engine, textbook peers, CAGR, and statsforecast.

Each method takes (years, values, horizon) and gives a predictive distribution per year ahead, so
all are scored the same way.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import replace

import numpy as np
import pandas as pd
from scipy import stats

from analysis.assessment import DEFAULT_CONFIG
from analysis.assessment.config import FamilyForecast
from analysis.assessment.forecast import choose_scale, forecast_series


class _Normal:
    """A normal distribution censored at the indicator's bounds (the peers' intervals, clipped)."""

    def __init__(self, mean, sd, lower=None, upper=None):
        self.d, self.lo, self.hi = stats.norm(mean, max(float(sd), 1e-12)), lower, upper

    def cdf(self, x):
        if self.hi is not None and x >= self.hi:
            return 1.0
        if self.lo is not None and x < self.lo:
            return 0.0
        return float(self.d.cdf(x))

    def ppf(self, q):
        return float(np.clip(self.d.ppf(q), -np.inf if self.lo is None else self.lo,
                             np.inf if self.hi is None else self.hi))  # fmt: skip


class _OnYear:
    """One year of an engine Forecast."""

    def __init__(self, forecast, year):
        self.forecast, self.year = forecast, year

    def cdf(self, x):
        return self.forecast.cdf(self.year, x)

    def ppf(self, q):
        return self.forecast.quantile(self.year, q)


def engine(config=DEFAULT_CONFIG):
    """The engine as assess_series runs it: the family's scale, then forecast_series."""

    def method(years, values, horizon, lower, upper):
        scale = choose_scale(values, lower, upper, config)
        forecast = forecast_series(years, values, horizon, scale, config)
        if forecast is None:
            return None
        return {y: (forecast.quantile(y, 0.5), _OnYear(forecast, y)) for y in horizon}

    return method


def textbook_naive(years, values, horizon):
    """Random walk: sd of one-year changes × √h (Hyndman & Athanasopoulos, FPP3 §5.5)."""
    sigma = float(np.sqrt(np.mean(np.diff(values) ** 2 / np.diff(years))))
    h = np.asarray(horizon, float) - years[-1]
    return np.full(len(h), values[-1]), sigma * np.sqrt(h)


def textbook_drift(years, values, horizon):
    """Random walk with drift: slope from the first and last points, sd × √(h(1 + h/T)) (FPP3 §5.5)."""
    span = years[-1] - years[0]
    slope = (values[-1] - values[0]) / span
    steps = np.diff(years)
    resid = (np.diff(values) - slope * steps) / np.sqrt(steps)
    sigma2 = float(np.sum(resid**2) / max(len(resid) - 1, 1))
    h = np.asarray(horizon, float) - years[-1]
    return values[-1] + slope * h, np.sqrt(sigma2 * h * (1 + h / span))


def _peer(model):
    def method(years, values, horizon, lower, upper):
        mean, sd = model(years, values, horizon)
        return {y: (float(np.clip(m, lower if lower is not None else -np.inf, upper if upper is not None else np.inf)),
                    _Normal(m, s, lower, upper)) for y, m, s in zip(horizon, mean, sd)}  # fmt: skip

    return method


def method_cagr(years, values, horizon, lower, upper):
    """ESCAP/UNSD extrapolation at the compound annual growth rate; a point forecast only."""
    if values[0] <= 0 or values[-1] <= 0:
        return None
    rate = (values[-1] / values[0]) ** (1 / (years[-1] - years[0])) - 1
    return {y: (values[-1] * (1 + rate) ** (y - years[-1]), None) for y in horizon}


class _Quantiles:
    """A predictive distribution known by quantiles (statsforecast's intervals), linear between them."""

    def __init__(self, qs, points):
        order = np.argsort(qs)
        self.qs, self.points = np.asarray(qs)[order], np.maximum.accumulate(np.asarray(points)[order])

    def cdf(self, x):
        return float(np.interp(x, self.points, self.qs, left=0.0, right=1.0))

    def ppf(self, q):
        return float(np.interp(q, self.qs, self.points))


LEVELS = (20, 40, 60, 80, 90, 95, 98)


def _statsforecast(model_name):
    """A statsforecast model fitted on the annual grid (gaps filled by linear interpolation)."""

    def method(years, values, horizon, lower, upper):
        from statsforecast import StatsForecast
        from statsforecast.models import AutoETS, AutoTheta

        grid = np.arange(years[0], years[-1] + 1)
        model = {"AutoETS": AutoETS(season_length=1), "AutoTheta": AutoTheta(season_length=1)}[model_name]
        frame = pd.DataFrame({"unique_id": "s", "ds": grid, "y": np.interp(grid, years, values)})
        h = int(max(horizon) - years[-1])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = StatsForecast(models=[model], freq=1).forecast(df=frame, h=h, level=list(LEVELS)).set_index("ds")
        lo, hi = (-np.inf if lower is None else lower), (np.inf if upper is None else upper)
        result = {}
        for y in horizon:
            qs = [0.5] + [(1 - l / 100) / 2 for l in LEVELS] + [(1 + l / 100) / 2 for l in LEVELS]
            pts = [out.loc[y, model_name]] + [out.loc[y, f"{model_name}-lo-{l}"] for l in LEVELS] + \
                  [out.loc[y, f"{model_name}-hi-{l}"] for l in LEVELS]  # fmt: skip
            pts = np.clip(pts, lo, hi)
            result[y] = (float(pts[0]), _Quantiles(qs, pts))
        return result

    return method


OURS = "ours (engine)"


PREVIOUS = FamilyForecast("logit", ("drift", "naive"), None, math.inf, 1.0, 0.0)
PREVIOUS_CONFIG = replace(DEFAULT_CONFIG, forecast_bounded=PREVIOUS, forecast_free=replace(PREVIOUS, scale="clipped"),
                          forecast_positive=replace(PREVIOUS, scale="log"))  # fmt: skip


def methods(include_peers: bool = True, config=DEFAULT_CONFIG, ours=None) -> dict:
    """The methods scored; ``ours``: the engine as the backtest runs it (default: ``config`` as is)."""
    found = {OURS: ours or engine(config), "previous recipe (logit, drift + naive, normal)": engine(PREVIOUS_CONFIG), "naive": _peer(textbook_naive), "drift": _peer(textbook_drift),
             "CAGR (ESCAP/UNSD)": method_cagr}  # fmt: skip
    if include_peers:
        try:
            import statsforecast  # noqa: F401

            found |= {"statsforecast AutoETS": _statsforecast("AutoETS"),
                      "statsforecast AutoTheta": _statsforecast("AutoTheta")}  # fmt: skip
        except ImportError:
            pass
    return found


# --- the rolling origin -----------------------------------------------------------------------
