"""Forecasts of short annual series to the target year, as a combination of simple models.

Each model forecasts on a transformed scale (logit for shares with natural bounds, log for
positive quantities), so intervals never leave the possible range; each gives a normal
predictive distribution per future year; the combination is their equal-weight mixture
(a linear pool). Forecast competitions on yearly data (M3, M4) found combinations of simple
methods hard to beat and single models' intervals too narrow on short series; the mixture widens
where the models disagree.

The default combination (``AssessmentConfig.models``), for every series with n ≥ 3 points:
- random walk with drift (drift from the first and last points; gaps allowed),
- naive (no change; the spread of past annual changes sets the uncertainty).
Their equal mixture has a median that keeps about half the past pace (a damped drift) and
intervals wide enough to hold both. Also available, by name in ``AssessmentConfig.models``:
linear trend (statsmodels OLS, t-based intervals), Theta (statsmodels ThetaModel, latest run of
consecutive years ≥ 5 points) and damped-trend exponential smoothing (statsmodels ETSModel
A,Ad,N, run ≥ 8 points). The backtest on 25 real series (reports/examples/backtest.md) chose the
default: drift + naive had MASE 2.28 and 80 % interval coverage 0.74; adding the linear trend
raised MASE to 2.60, and Theta with damped ETS on top narrowed the intervals (coverage 0.71).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import optimize, special, stats
from statsmodels.tsa.exponential_smoothing.ets import ETSModel
from statsmodels.tsa.forecasting.theta import ThetaModel

from analysis.assessment.config import AssessmentConfig

Z95 = stats.norm.ppf(0.975)
MIN_SD = 1e-12  # a constant series still gets a (degenerate) distribution


@dataclass(frozen=True)
class Scale:
    """A monotone transform and its inverse: 'identity', 'log' or 'logit' between bounds."""

    kind: str = "identity"
    lower: float = 0.0
    upper: float = 100.0

    @property
    def eps(self) -> float:
        return (self.upper - self.lower) * 5e-4 if self.kind == "logit" else 1e-9

    def forward(self, x):
        x = np.asarray(x, dtype=float)
        if self.kind == "log":
            return np.log(np.maximum(x, self.eps))
        if self.kind == "logit":
            p = (np.clip(x, self.lower + self.eps, self.upper - self.eps) - self.lower) / (self.upper - self.lower)
            return np.log(p / (1 - p))
        return x

    def inverse(self, z):
        z = np.asarray(z, dtype=float)
        if self.kind == "log":
            return np.exp(z)
        if self.kind == "logit":
            return self.lower + (self.upper - self.lower) / (1 + np.exp(-z))
        return z


def choose_scale(values, lower: float | None, upper: float | None) -> Scale:
    """Logit when both bounds are known, log when bounded below by 0 and positive, else none."""
    values = np.asarray(values, dtype=float)
    if lower is not None and upper is not None:
        return Scale("logit", lower, upper)
    if lower == 0 and len(values) and np.all(values > 0):
        return Scale("log")
    return Scale("identity")


@dataclass
class Forecast:
    """Predictive distributions per future year, on the original scale via ``scale``."""

    scale: Scale
    years: list[int]
    components: dict[int, list]  # year -> frozen scipy distributions on the transformed scale
    models: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    _table: list[dict] | None = field(default=None, repr=False, compare=False)

    def _normals(self, year: int) -> tuple[np.ndarray, np.ndarray] | None:
        """Means and sds when every component is normal (the fast path), else None."""
        dists = self.components[year]
        if not all(d.dist.name == "norm" for d in dists):
            return None
        return np.array([d.mean() for d in dists]), np.array([d.std() for d in dists])

    def _mixture_cdf(self, year: int, z: float) -> float:
        normals = self._normals(year)
        if normals is None:
            return float(np.mean([d.cdf(z) for d in self.components[year]]))
        mu, sd = normals
        return float(np.mean(special.ndtr((z - mu) / sd)))

    def cdf(self, year: int, x: float) -> float:
        return self._mixture_cdf(year, float(self.scale.forward(x)))

    def quantile(self, year: int, q: float) -> float:
        dists = self.components[year]
        if len(dists) == 1:
            return float(self.scale.inverse(dists[0].ppf(q)))
        normals = self._normals(year)
        if normals is not None:
            mu, sd = normals
            ends = mu + sd * special.ndtri(q)
            lo, hi = ends.min(), ends.max()  # a mixture's quantile lies between its components'
            cdf = lambda v: float(np.mean(special.ndtr((v - mu) / sd))) - q  # noqa: E731
        else:
            lo, hi = min(d.ppf(q) for d in dists), max(d.ppf(q) for d in dists)
            cdf = lambda v: self._mixture_cdf(year, v) - q  # noqa: E731
        if hi - lo < 1e-12:
            return float(self.scale.inverse(lo))
        return float(self.scale.inverse(optimize.brentq(cdf, lo - 1e-9, hi + 1e-9, xtol=1e-10)))

    def table(self) -> "list[dict]":
        """Point forecast (median) and 80 % / 95 % intervals for every year (computed once)."""
        if self._table is not None:
            return self._table
        rows = []
        for year in self.years:
            q = {p: self.quantile(year, p) for p in (0.025, 0.1, 0.5, 0.9, 0.975)}
            rows.append({"year": year, "forecast": q[0.5], "lower_80": q[0.1], "upper_80": q[0.9],
                         "lower_95": q[0.025], "upper_95": q[0.975]})  # fmt: skip
        self._table = rows
        return rows


def _normal(mean: float, sd: float):
    return stats.norm(mean, max(float(sd), MIN_SD))


def _latest_run(years: np.ndarray) -> int:
    """Index where the latest run of consecutive years starts."""
    start = len(years) - 1
    while start > 0 and years[start] - years[start - 1] == 1:
        start -= 1
    return start


def linear_trend(years, z, horizon):
    X = sm.add_constant(years.astype(float))
    fit = sm.OLS(z, X).fit()
    pred = fit.get_prediction(sm.add_constant(np.asarray(horizon, float), has_constant="add"))
    var = pred.var_pred_mean + fit.scale
    widen = stats.t.ppf(0.975, fit.df_resid) / Z95 if fit.df_resid > 0 else 3.0  # t tails, short series
    return [_normal(m, math.sqrt(v) * widen) for m, v in zip(pred.predicted_mean, var)]


def drift(years, z, horizon):
    span = years[-1] - years[0]
    slope = (z[-1] - z[0]) / span
    steps = np.diff(years)
    # residual variance of annualised steps, so a gap of k years counts as k steps
    resid = (np.diff(z) - slope * steps) / np.sqrt(steps)
    sigma2 = float(np.sum(resid**2) / max(len(resid) - 1, 1))
    out = []
    for year in horizon:
        h = year - years[-1]
        out.append(_normal(z[-1] + slope * h, math.sqrt(sigma2 * h * (1 + h / span))))
    return out


def naive(years, z, horizon):
    """No change from the last value; the spread of past annual changes sets the uncertainty."""
    steps = np.diff(years)
    sigma2 = float(np.mean(np.diff(z) ** 2 / steps))
    return [_normal(z[-1], math.sqrt(sigma2 * (year - years[-1]))) for year in horizon]


def _from_interval(mean, upper):
    return [_normal(m, (u - m) / Z95) for m, u in zip(np.asarray(mean), np.asarray(upper))]


def theta(years, z, horizon):
    h = int(horizon[-1] - years[-1])
    fit = ThetaModel(z, period=1, deseasonalize=False).fit()
    mean = np.asarray(fit.forecast(h))
    upper = np.asarray(fit.prediction_intervals(h, alpha=0.05))[:, 1]
    offset = [int(y - years[-1] - 1) for y in horizon]
    return [_from_interval([mean[i]], [upper[i]])[0] for i in offset]


def damped_ets(years, z, horizon):
    h = int(horizon[-1] - years[-1])
    fit = ETSModel(pd.Series(z), error="add", trend="add", damped_trend=True).fit(disp=False)
    frame = fit.get_prediction(start=len(z), end=len(z) + h - 1).summary_frame(alpha=0.05)
    offset = [int(y - years[-1] - 1) for y in horizon]
    return [_from_interval([frame["mean"].iloc[i]], [frame["pi_upper"].iloc[i]])[0] for i in offset]


MODELS = {"linear trend": linear_trend, "drift": drift, "naive": naive, "theta": theta, "damped ETS": damped_ets}


def forecast_series(years, values, horizon, scale: Scale, config: AssessmentConfig) -> Forecast | None:
    """The combined forecast for ``horizon`` years, or None when the series is too short."""
    years = np.asarray(years, dtype=int)
    z = scale.forward(values)
    if len(years) < config.min_points_trend or not len(horizon):
        return None
    run = _latest_run(years)
    if np.ptp(z) < 1e-12:  # a constant series: smoothing models have nothing to estimate
        run = len(years)
    needs = {"theta": config.min_points_theta, "damped ETS": config.min_points_ets}
    candidates = []
    for name in config.models:
        if name in needs:  # smoothing models need regular data: the latest run of consecutive years
            if len(years) - run >= needs[name]:
                candidates.append((name, MODELS[name], years[run:], z[run:]))
        else:
            candidates.append((name, MODELS[name], years, z))
    components: dict[int, list] = {y: [] for y in horizon}
    models, notes = [], []
    for name, model, ys, zs in candidates:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # convergence chatter on short series
                dists = model(ys, zs, list(horizon))
            if not all(np.isfinite(d.mean()) and np.isfinite(d.std()) for d in dists):
                raise ValueError("non-finite forecast")
        except Exception as error:  # a model that cannot fit this series is left out, and said so
            notes.append(f"{name} left out: {error.__class__.__name__}")
            continue
        models.append(name)
        for year, dist in zip(horizon, dists):
            components[year].append(dist)
    if not models:
        return None
    return Forecast(scale, list(horizon), components, models, notes)
