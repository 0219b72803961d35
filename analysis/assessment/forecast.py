"""Forecasts of short annual series to the target year, as a weighted mixture of simple models.

Each model forecasts on a scale chosen per family of indicator (``choose_scale``): shares with
both bounds on the raw scale with the bounds applied at the end (a censored distribution, so a
share at 100 every year is forecast at 100 and a steady rise toward 100 is not bent), positive
quantities on the log scale. Each model gives a location and a spread per future year; the
predictive distribution is the weighted mixture (a linear pool) of Student-t components, widened
by horizon (per family). The tail weight and the widening were learned from the scaled errors of earlier
origins (analysis/evaluation/), because the normal intervals of short annual series held about
0.73 (80 %) and 0.85 (95 %) of later values. When a family's recipe carries a calibration map
(calibration.py; learned by the backtest and frozen in config.py, which since issue 20 carries none:
the backtest's rule chose the fixed tails), the interval levels are calibrated by horizon on past
outcomes: the median stays, each interval is the model's interval that held its share of past
values. P(target) is read from the same (calibrated) distribution.

On the real time axis (issue 20): every model sees the real observations with their real years and
nothing else (no year is interpolated); the years ahead count from the last observation, so an
older last point gets a longer, wider horizon; a k-year step carries k years of variance (the
smoothing models run the Kalman filter across missing years, the closed-form models read the
series' real k-year changes); the predictive distribution is stretched about its median by
t_m(0.9)/z(0.9), m = points − 2 (``few_points_factor``), so fewer points give wider intervals;
below ``min_points_forecast`` real points there is no forecast (None: no P either); and a share
whose raw-scale median would reach a bound the data never reached is forecast on the logit scale.

Models, by name in the family's recipe (``AssessmentConfig.forecast_bounded`` etc.):
- drift: random walk with drift (drift from the first and last points; gaps allowed),
- damped drift: the same slope, damped by ``damping`` each year ahead (Gardner–McKenzie),
- naive: no change; the spread of past annual changes sets the uncertainty,
- linear trend (statsmodels OLS), theta (statsmodels ThetaModel, latest run of consecutive years
  ≥ 5 points),
- ETS: exponential smoothing estimated per series, A,N / A,A / A,Ad chosen by AICc as AutoETS
  does; damped ETS: A,Ad only (smoothing.py: a parameter grid evaluated at once, checked against
  statsmodels' ETSModel; missing years through the Kalman filter); ≥ ``min_points_ets`` real
  observations, else damped drift stands in.
Which scale, models, weights and tails each family uses is in ``AssessmentConfig`` (the forecast
block), chosen on earlier origins of the backtest (reports/examples/backtest.md has the numbers).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np
import statsmodels.api as sm
from scipy import optimize, special, stats
from statsmodels.tsa.forecasting.theta import ThetaModel

from analysis.assessment import calibration, smoothing
from analysis.assessment.config import DEFAULT_CONFIG, AssessmentConfig

Z95 = stats.norm.ppf(0.975)
MIN_SD = 1e-12  # a constant series still gets a (degenerate) distribution
SCALES = ("identity", "clipped", "log", "logit")


@dataclass(frozen=True)
class Scale:
    """A monotone transform, its inverse, and the indicator's natural bounds.

    - identity: no transform, no bounds (rates of small counts handle their own range);
    - clipped: raw scale, the distribution censored at ``lower``/``upper`` (either may be None):
      the probability beyond a bound sits on the bound, which a value can reach;
    - log: positive quantities (never censored: the log already keeps them above 0);
    - logit: between the bounds (values at a bound are nudged inside; kept for comparison and
      for the binomial count model).
    """

    kind: str = "identity"
    lower: float | None = 0.0
    upper: float | None = 100.0

    def __post_init__(self) -> None:
        if self.kind not in SCALES:
            raise ValueError(f"unknown scale {self.kind!r}; one of {SCALES}")

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

    @property
    def bounds(self) -> tuple[float, float]:
        """Where the distribution is censored (±inf: not censored)."""
        lo, hi = (self.lower, self.upper) if self.kind == "clipped" else (None, None)
        return (-math.inf if lo is None else lo), (math.inf if hi is None else hi)


def family(lower: float | None, upper: float | None) -> str:
    """The family of an indicator by its natural bounds: the forecast scale is chosen per family."""
    if lower is not None and upper is not None:
        return "bounded"
    if lower == 0:
        return "positive"
    return "free"


def choose_scale(values, lower: float | None, upper: float | None, config: AssessmentConfig = DEFAULT_CONFIG) -> Scale:
    """The scale of the indicator's family (``config.forecast_bounded.scale`` etc.)."""
    values = np.asarray(values, dtype=float)
    kind = config.family_forecast(family(lower, upper)).scale
    if kind == "log" and not (len(values) and np.all(values > 0)):
        kind = "clipped"  # a zero cannot go on the log scale; the bound still holds
    if kind == "logit" and (lower is None or upper is None):
        kind = "clipped"
    if kind == "clipped" and lower is None and upper is None:
        kind = "identity"
    return Scale(kind, lower, upper)


@dataclass(frozen=True)
class Mixture:
    """A weighted mixture of Student-t (df = inf: normal) distributions on the transformed scale."""

    weights: np.ndarray
    loc: np.ndarray
    scale: np.ndarray
    df: np.ndarray

    def cdf(self, z):
        u = (np.asarray(z, float)[..., None] - self.loc) / self.scale
        return np.sum(self.weights * special.stdtr(self.df, u), axis=-1)

    def ppf(self, q: float) -> float:
        ends = self.loc + self.scale * special.stdtrit(self.df, q)
        lo, hi = ends.min(), ends.max()  # a mixture's quantile lies between its components'
        if hi - lo < 1e-12:
            return float(lo)
        return float(optimize.brentq(lambda v: float(self.cdf(v)) - q, lo - 1e-9, hi + 1e-9, xtol=1e-10))


class _Frozen:
    """A list of frozen scipy distributions (the count models), mixed with equal weights."""

    def __init__(self, dists):
        self.dists = dists

    def cdf(self, z):
        return float(np.mean([d.cdf(z) for d in self.dists]))

    def ppf(self, q: float) -> float:
        if len(self.dists) == 1:
            return float(self.dists[0].ppf(q))
        lo, hi = min(d.ppf(q) for d in self.dists), max(d.ppf(q) for d in self.dists)
        if hi - lo < 1e-12:
            return float(lo)
        return float(optimize.brentq(lambda v: self.cdf(v) - q, lo - 1e-9, hi + 1e-9, xtol=1e-10))


def _as_mixture(component):
    if isinstance(component, Mixture):
        return component
    if all(d.dist.name == "norm" for d in component):  # normal components: the fast path
        n = len(component)
        return Mixture(np.full(n, 1 / n), np.array([d.mean() for d in component]),
                       np.array([max(d.std(), MIN_SD) for d in component]), np.full(n, np.inf))  # fmt: skip
    return _Frozen(component)


@dataclass
class Forecast:
    """Predictive distributions per future year, on the original scale via ``scale``.

    ``components`` maps a year to a ``Mixture`` or to a list of frozen scipy distributions (mixed
    with equal weights). The distribution is censored at ``scale.bounds``: ``cdf`` is 1 at the
    upper bound, and quantiles beyond a bound are the bound. ``bends`` maps a year to its interval
    calibration (calibration.Bend): the cdf and the quantiles are then the calibrated ones.
    """

    scale: Scale
    years: list[int]
    components: dict[int, object]
    models: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    bends: dict[int, calibration.Bend] = field(default_factory=dict)
    _table: list[dict] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.components = {year: _as_mixture(c) for year, c in self.components.items()}

    def cdf(self, year: int, x: float) -> float:
        lo, hi = self.scale.bounds
        if x < lo:
            return 0.0
        if x >= hi:
            return 1.0
        p = float(self.components[year].cdf(float(self.scale.forward(x))))
        return float(self.bends[year].probability(p)) if year in self.bends else p

    def model_probability(self, year: int, q: float) -> float:
        """The uncalibrated model's probability whose quantile is the calibrated q-quantile."""
        return float(self.bends[year].model_probability(q)) if year in self.bends else q

    def quantile(self, year: int, q: float) -> float:
        lo, hi = self.scale.bounds
        z = self.components[year].ppf(self.model_probability(year, q))
        return float(np.clip(self.scale.inverse(z), lo, hi))

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

    def sample(self, year: int, n: int, rng: np.random.Generator) -> np.ndarray:
        """Draws from the predictive distribution of one year (original scale, censored)."""
        u = rng.uniform(size=n)
        return np.array([self.quantile(year, q) for q in u])


# --- models: each returns (location, spread) arrays on the transformed scale, one per horizon year.
# The spread is the scale of a unit Student-t/normal component before the horizon widening.


def _latest_run(years: np.ndarray) -> int:
    """Index where the latest run of consecutive years starts."""
    start = len(years) - 1
    while start > 0 and years[start] - years[start - 1] == 1:
        start -= 1
    return start


def _steps(years, z, h):
    return np.asarray(h, float) - years[-1]


def _k_year_spread(years, z, k_max: int, slope: float = 0.0) -> np.ndarray:
    """Spread of the change over k = 1 … k_max years beyond ``slope`` × k, from the series itself.

    The root mean square of the past k-year changes (less the slope) where at least two such pairs
    exist (an empirical variogram); beyond the longest such lag it grows as √k, as a random walk's.
    A series that swings around a level or a trend (45.4, 44.6, 45.4, …) has k-year changes no
    larger than its one-year ones, so its intervals stay narrow instead of growing like a random
    walk's; a wandering series' changes grow with k, and so do its intervals. Every lag with two
    pairs counts, so a series observed every 2nd or 5th year is judged by its real 2-, 4-, 5-, 10-year
    changes (a trend's grow like k), not by a √k extrapolation of its shortest lag.
    """
    lag = years[None, :] - years[:, None]
    change = z[None, :] - z[:, None] - slope * lag
    seen, known = {}, 0.0  # k-year changes seen in the data (every 2nd or 5th year too: their real lags)
    for k in range(1, int(lag.max()) + 1):
        pairs = change[lag == k]
        if len(pairs) >= 2:
            known = max(known, float(np.sqrt(np.mean(pairs**2))))
            seen[k] = known
    lags = sorted(seen)
    spread = []
    for k in range(1, k_max + 1):
        below = [j for j in lags if j <= k]
        above = [j for j in lags if j > k]
        if not below:  # gappy data without two one-year changes: annualised steps
            steps = np.diff(years)
            value = float(np.sqrt(np.mean((np.diff(z) - slope * steps) ** 2 / steps) * k))
        elif below[-1] == k:
            value = seen[k]
        elif above:  # between two lags seen: linear between them (exact for a trend's changes)
            a, b = below[-1], above[0]
            value = seen[a] + (seen[b] - seen[a]) * (k - a) / (b - a)
        else:  # beyond the longest lag seen: a random walk's √k
            value = seen[below[-1]] * math.sqrt(k / below[-1])
        spread.append(max(value, spread[-1]) if spread else value)  # never narrower further ahead
    return np.asarray(spread)


def drift(years, z, horizon, config=DEFAULT_CONFIG):
    """Random walk with drift: the slope from the first and last points (gaps allowed).

    The spread adds the slope's own uncertainty (× √(1 + k / span)) to the k-year spread.
    """
    span = years[-1] - years[0]
    slope = (z[-1] - z[0]) / span
    h = _steps(years, z, horizon)
    spread = _k_year_spread(years, z, int(h.max()), slope)[h.astype(int) - 1]
    return z[-1] + slope * h, spread * np.sqrt(1 + h / span)


def damped_drift(years, z, horizon, config=DEFAULT_CONFIG):
    """Drift whose slope fades by ``config.damping`` a year: z + b(φ + φ² + … + φ^h)."""
    phi = config.damping
    mean, sd = drift(years, z, horizon)
    h = _steps(years, z, horizon)
    slope = (z[-1] - z[0]) / (years[-1] - years[0])
    damped = h if phi == 1 else phi * (1 - phi**h) / (1 - phi)
    return z[-1] + slope * damped, sd


def naive(years, z, horizon, config=DEFAULT_CONFIG):
    """No change from the last value; the series' own k-year changes set the uncertainty."""
    h = _steps(years, z, horizon)
    return np.full(len(h), z[-1]), _k_year_spread(years, z, int(h.max()))[h.astype(int) - 1]


def linear_trend(years, z, horizon, config=DEFAULT_CONFIG):
    X = sm.add_constant(years.astype(float))
    fit = sm.OLS(z, X).fit()
    pred = fit.get_prediction(sm.add_constant(np.asarray(horizon, float), has_constant="add"))
    return np.asarray(pred.predicted_mean), np.sqrt(pred.var_pred_mean + fit.scale)


def theta(years, z, horizon, config=DEFAULT_CONFIG):
    h = int(horizon[-1] - years[-1])
    fit = ThetaModel(z, period=1, deseasonalize=False).fit()
    mean = np.asarray(fit.forecast(h))
    upper = np.asarray(fit.prediction_intervals(h, alpha=0.05))[:, 1]
    i = (_steps(years, z, horizon) - 1).astype(int)
    return mean[i], (upper[i] - mean[i]) / Z95


def on_grid(years, z) -> np.ndarray:
    """The series on the annual grid from its first to its last year: a missing year is NaN, never filled in."""
    years = np.asarray(years, int)
    grid = np.full(int(years[-1] - years[0]) + 1, np.nan)
    grid[years - years[0]] = z
    return grid


def _smoothing(kinds):
    def model(years, z, horizon, config=DEFAULT_CONFIG):
        """Exponential smoothing estimated on the series (smoothing.fit) on the real time axis: the
        annual grid from its first to its last year with a missing year left missing (the Kalman
        filter carries the state across it and a k-year step carries k years' innovations; nothing
        is interpolated). A series with fewer than ``min_points_ets`` real observations cannot
        estimate it: damped drift stands in."""
        fitted = smoothing.fit(on_grid(years, z), kinds) if len(years) >= config.min_points_ets else None
        if fitted is None:
            return damped_drift(years, z, horizon, config)
        return fitted.forecast(_steps(years, z, horizon).astype(int))

    return model


MODELS = {"drift": drift, "damped drift": damped_drift, "naive": naive, "linear trend": linear_trend,
          "theta": theta, "ETS": _smoothing(smoothing.KINDS), "damped ETS": _smoothing(("A,Ad",))}  # fmt: skip


CLOSED_FORM = ("drift", "damped drift", "naive")


def skill_weights(years, z, models, config: AssessmentConfig) -> np.ndarray | None:
    """Weights ∝ 1 / mean squared error of each model on the series' own past (no future data).

    From every earlier cut of the series with at least ``min_points_trend`` points, each model
    forecasts the rest of the known series; the weight is the inverse of its mean squared error
    (a combination weighted by past skill, Bates & Granger 1969). None when the series is too short
    to have two such cuts, or a model is not closed-form (then the recipe's weights hold).
    """
    cuts = range(config.min_points_trend, len(years) - 1)
    if len(cuts) < 2 or any(m not in CLOSED_FORM for m in models):
        return None
    mse = []
    for name in models:
        errors = []
        for cut in cuts:
            loc, _ = MODELS[name](years[:cut], z[:cut], list(years[cut:]), config)
            errors.append(np.mean((loc - z[cut:]) ** 2))
        mse.append(np.mean(errors))
    mse = np.asarray(mse)
    if not np.all(np.isfinite(mse)):
        return None
    inverse = 1 / np.maximum(mse, 1e-12 * max(mse.max(), 1e-300))
    return inverse / inverse.sum()


def _spread_floor(years, z, config: AssessmentConfig) -> float:
    """A series that has moved never gets a zero-width interval: a share of its annual change."""
    return config.min_spread * float(np.sqrt(np.mean(np.diff(z) ** 2 / np.diff(years))))


def few_points_factor(n_points: int) -> float:
    """How much wider a forecast from ``n_points`` real observations is for its estimated noise.

    A spread estimated from m = n − 2 residual changes (a level and a slope estimated) is itself
    uncertain: the predictive interval of a normal series is then Student-t with m degrees of freedom
    (the textbook prediction interval), so the 80 % half-width is t_m(0.9) / z(0.9) times the one
    with the noise known: 1.47 from 4 points, 1.15 from 5 changes, 1.03 from 20. The models' spreads
    and their disagreement (drift against naive) are estimated from the same few points, so the whole
    predictive distribution is stretched about its median by this factor, on top of the family's heavy
    tails (learned on all series, long and short) and before the calibration.
    """
    m = max(int(n_points) - 2, 1)
    return float(stats.t.ppf(0.9, m) / stats.norm.ppf(0.9))


def _stretched(mixture: Mixture, factor: float) -> Mixture:
    """The mixture stretched about its median by ``factor``: every component's distance from the
    median and its spread (the median stays; every interval is ``factor`` times as wide)."""
    if factor == 1:
        return mixture
    median = mixture.ppf(0.5)
    return Mixture(mixture.weights, median + factor * (mixture.loc - median), factor * mixture.scale, mixture.df)


def _on_bound(values, forecast: Forecast) -> bool:
    """Whether the clipped forecast's median reaches a natural bound that no observed value sits on."""
    scale = forecast.scale
    if scale.kind != "clipped" or scale.lower is None or scale.upper is None:
        return False
    values = np.asarray(values, float)
    at_upper, at_lower = np.any(values >= scale.upper - 1e-9), np.any(values <= scale.lower + 1e-9)
    medians = np.array([forecast.components[year].ppf(0.5) for year in forecast.years])
    return bool((not at_upper and np.any(medians >= scale.upper)) or (not at_lower and np.any(medians <= scale.lower)))


def forecast_series(years, values, horizon, scale: Scale, config: AssessmentConfig = DEFAULT_CONFIG) -> Forecast | None:
    """The combined forecast for ``horizon`` years, or None when the series is too short.

    Models see the real observations with their real years only (nothing interpolated); the years
    ahead count from the last observation, so a stale series gets the wider intervals of a longer
    horizon. Fewer than ``config.min_points_forecast`` real points: None (no forecast, no P).
    A bounded share forecast on the raw (clipped) scale whose median would reach a bound the data
    never reached is forecast on the logit scale instead: a share rising to 97 approaches 100 and
    its median never sits on it (one that is at 100 stays on the clipped scale, at 100).
    """
    years = np.asarray(years, dtype=int)
    values = np.asarray(values, dtype=float)
    if len(years) < config.min_points_forecast or not len(horizon):
        return None
    forecast = _combine(years, values, horizon, scale, config)
    if forecast is not None and _on_bound(values, forecast):
        inside = _combine(years, values, horizon, Scale("logit", scale.lower, scale.upper), config)
        if inside is not None:
            inside.notes.append("median would reach the bound on the raw scale: logit scale")
            forecast = inside
    return forecast


def _combine(years, values, horizon, scale: Scale, config: AssessmentConfig) -> Forecast | None:
    z = scale.forward(values)
    run = _latest_run(years)
    if np.ptp(z) < 1e-12:  # a constant series: smoothing models have nothing to estimate
        run = len(years)
    needs = {"theta": config.min_points_theta}
    recipe = config.family_forecast(family(scale.lower, scale.upper))
    fixed = recipe.weights if isinstance(recipe.weights, tuple) else None
    weights = dict(zip(recipe.models, fixed or [1.0] * len(recipe.models)))
    if recipe.weights == "skill":
        skill = skill_weights(years, z, recipe.models, config) if np.ptp(z) > 1e-12 else None
        if skill is not None:
            weights = dict(zip(recipe.models, skill))
    locs, spreads, used, models, notes = [], [], [], [], []
    for name in recipe.models:
        ys, zs = years, z
        if name in needs:  # smoothing models need regular data: the latest run of consecutive years
            if len(years) - run < needs[name]:
                continue
            ys, zs = years[run:], z[run:]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # convergence chatter on short series
                loc, spread = MODELS[name](ys, zs, list(horizon), config)
            if not (np.all(np.isfinite(loc)) and np.all(np.isfinite(spread))):
                raise ValueError("non-finite forecast")
        except Exception as error:  # a model that cannot fit this series is left out, and said so
            notes.append(f"{name} left out: {error.__class__.__name__}")
            continue
        models.append(name)
        locs.append(loc)
        spreads.append(spread)
        used.append(weights[name])
    if not models:
        return None
    h = np.asarray(horizon, float) - years[-1]
    widen = recipe.interval_scale * (1 + recipe.interval_growth * (h - 1))
    spread = np.maximum(np.array(spreads), _spread_floor(years, z, config) * np.sqrt(h))
    spread = np.maximum(spread * widen, MIN_SD)
    loc, w = np.array(locs), np.array(used) / np.sum(used)
    df = np.full(len(models), recipe.tail_df)
    components = {int(year): _stretched(Mixture(w, loc[:, i], spread[:, i], df), few_points_factor(len(years)))
                  for i, year in enumerate(horizon)}  # fmt: skip
    bends = {}
    if recipe.calibration is not None:  # the intervals bent to the levels past outcomes held
        groups = config.calibration_horizons
        bends = {int(year): calibration.bend(calibration.row_for(recipe.calibration, groups, int(year) - int(years[-1])),
                                             config.calibration_levels) for year in horizon}  # fmt: skip
    return Forecast(scale, [int(y) for y in horizon], components, models, notes, bends)
