"""Empirical calibration of the forecast intervals by horizon (nested conformal prediction).

The engine's predictive distribution (a Student-t mixture, forecast.py) gives every central
interval a nominal level ℓ. On past forecasts whose outcome is known, each outcome has a
*central level* c: the smallest ℓ whose interval holds it (0 at the median, near 1 far out in a
tail). If the intervals were calibrated, c would be uniform. The calibration maps each level L
the reader asks for (80 %, 95 %, …) to the model level ℓ(L) whose interval held a share L of past
outcomes: the conformal quantile, the ⌈(n + 1)L⌉-th smallest c (Gupta, Kuchibhotla & Ramdas
2022, nested conformal prediction). Between the stored levels the map is linear.

The calibrated distribution is the model's with its probability axis bent symmetrically about
the median: cdf G(F) = ½ + ½ sign(2F − 1) H(|2F − 1|), H the inverse of ℓ(L). The median does not
move (so neither does the point forecast), every interval level is calibrated at once (which one
widening factor cannot do), and P(target) is read from the same calibrated cdf.

A map is stored as the model levels' normal-equivalent half-widths z (ℓ = 2Φ(z) − 1): rounded
to 3 decimals they keep their resolution in the far tails, where a level like 0.99997 matters
(a base far too narrow needs it).

A map is learned per horizon group (``AssessmentConfig.calibration_horizons``) from the
forecasts of that group; a group with fewer than ``MIN_FORECASTS`` takes the map of all horizons
pooled, and with fewer than that in all, no calibration is learned.

Adaptive conformal inference (ACI; Gibbs & Candès 2021, "Adaptive Conformal Inference Under
Distribution Shift", NeurIPS) is the variant for a world that drifts: the working miscoverage
α_t of each level L is updated online from whether each interval issued at level L held its
outcome, α_{t+1} = α_t + γ (α − err_t), with α = 1 − L and err_t = 1 when the outcome fell
outside. An interval issued with working miscoverage α_t is the model's central interval of level
1 − α_t (the model's own intervals are the nested sets ACI moves along; with γ = 0 they are left
exactly as they are). The updates come in time order of outcome years: all outcomes of one year
(pooled across series and years ahead) update together, each with the interval issued at its
origin; a forecast made at origin t uses the state reached with the outcomes of years ≤ t only.
γ = ``ACI_STEP``, the value the paper uses in its experiments (not tuned here), per outcome.
"""

from __future__ import annotations

import functools
import math

import numpy as np
from scipy import optimize, special

MIN_FORECASTS = 40  # a 95 % conformal level needs ≥ 19 outcomes; 40 keeps its one-in-20 tail from one value
DIGITS = 3  # stored half-widths are rounded (they are written into config.py)
WIDEST = 8.0  # an outcome beyond every model interval (cdf exactly 0 or 1) counts as 8 normal units out


def central_level(cdf_at, cdf_below) -> np.ndarray:
    """The smallest central-interval level that holds the outcome, from the cdf at it and just below it.

    A value on a censoring bound (cdf jumps there) counts as held by any interval reaching the bound,
    as backtest._covered does.
    """
    at, below = np.asarray(cdf_at, float), np.asarray(cdf_below, float)
    return np.clip(np.maximum(1 - 2 * at, 2 * below - 1), 0.0, 1.0)


def half_width(level):
    """The normal-equivalent half-width z of a central level ℓ = 2Φ(z) − 1."""
    return np.minimum(special.ndtri((1 + np.asarray(level, float)) / 2), WIDEST)


def level(width):
    """The central level ℓ = 2Φ(z) − 1 of a half-width z."""
    return special.erf(np.asarray(width, float) / np.sqrt(2))


def learn_map(levels_seen, levels) -> tuple[float, ...] | None:
    """For each L in ``levels`` the half-width z of the model level ℓ(L): the conformal quantile of
    the central levels seen (the ⌈(n + 1)L⌉-th smallest; beyond the n-th: the widest)."""
    c = np.sort(np.asarray(levels_seen, float))
    n = len(c)
    if n < MIN_FORECASTS:
        return None
    k = np.ceil((n + 1) * np.asarray(levels, float)).astype(int)
    width = np.where(k <= n, half_width(c[np.minimum(k, n) - 1]), WIDEST)
    # strictly increasing, so the map can be inverted; rounding keeps it so
    step = 10.0**-DIGITS
    width = np.clip(np.round(width, DIGITS), step, WIDEST)
    for i in range(1, len(width)):
        width[i] = max(width[i], width[i - 1] + step)
    return tuple(float(round(v, DIGITS)) for v in width)


def learn_table(levels_seen, horizons, groups, levels) -> tuple[tuple[float, ...], ...] | None:
    """One map per horizon group (``groups``: the first horizon of each group), pooled where data are few.

    Each level's half-width never falls with the years ahead (isotonic regression across the groups,
    weighted by their forecasts): the model's intervals widen with the horizon, and so, with this,
    do the calibrated ones; a calibrated interval narrower further ahead would say the more distant
    future is better known.
    """
    c, h = np.asarray(levels_seen, float), np.asarray(horizons, int)
    pooled = learn_map(c, levels)
    if pooled is None:
        return None
    edges = [*groups[1:], math.inf]
    inside = [(h >= lo) & (h < hi) for lo, hi in zip(groups, edges)]
    table = np.array([learn_map(c[i], levels) or pooled for i in inside])
    counts = np.array([max(int(i.sum()), 1) for i in inside], float)
    step = 10.0**-DIGITS
    for j in range(table.shape[1]):
        table[:, j] = np.round(optimize.isotonic_regression(table[:, j], weights=counts).x, DIGITS)
    for j in range(1, table.shape[1]):  # levels stay strictly increasing within a group after rounding
        table[:, j] = np.maximum(table[:, j], table[:, j - 1] + step)
    return tuple(tuple(float(round(v, DIGITS)) for v in row) for row in table)


def row_for(table, groups, horizon: int):
    """The map of the group holding ``horizon`` (beyond the last group: the last one's)."""
    i = max(j for j, first in enumerate(groups) if first <= max(horizon, groups[0]))
    return table[i]


class Bend:
    """The calibrated probability axis of one forecast year: G and its inverse."""

    def __init__(self, widths, levels):
        self.model = np.concatenate([[0.0], level(widths), [1.0]])
        self.target = np.concatenate([[0.0], levels, [1.0]])

    def probability(self, p):
        """G: the model's cdf value → the calibrated one."""
        p = np.asarray(p, float)
        d = 2 * p - 1
        return 0.5 + 0.5 * np.sign(d) * np.interp(np.abs(d), self.model, self.target)

    def model_probability(self, q):
        """G⁻¹: the probability asked for → the model's probability that gives it."""
        q = np.asarray(q, float)
        d = 2 * q - 1
        return 0.5 + 0.5 * np.sign(d) * np.interp(np.abs(d), self.target, self.model)


@functools.lru_cache(maxsize=256)
def bend(widths: tuple[float, ...], levels: tuple[float, ...]) -> Bend:
    """One shared Bend per map (a panel of thousands of series uses a handful of maps)."""
    return Bend(np.asarray(widths), np.asarray(levels))


# --- adaptive conformal inference (Gibbs & Candès 2021) -----------------------------------------

ACI_STEP = 0.005  # γ per outcome: Gibbs & Candès's value in their experiments, taken as it is (not tuned)


def adaptive_map(alpha, levels) -> tuple[float, ...] | None:
    """The map issued with working miscoverages ``alpha`` (one per level): model level 1 − α.

    None (the model's own levels, no bend) while no step has moved α from 1 − L. Beyond (0, 1) the
    level is clipped: α ≤ 0 asks for the whole line (the widest half-width), α ≥ 1 for an empty set
    (the narrowest); the state itself is never clipped (ACI's guarantee needs it free).
    """
    alpha, levels = np.asarray(alpha, float), np.asarray(levels, float)
    if np.array_equal(alpha, 1 - levels):
        return None
    step = 10.0**-DIGITS
    width = np.clip(np.round(half_width(np.clip(1 - alpha, 0.0, 1.0)), DIGITS), step, WIDEST)
    for i in range(1, len(width)):  # strictly increasing, so the map can be inverted
        width[i] = max(width[i], width[i - 1] + step)
    return tuple(float(round(v, DIGITS)) for v in width)


class AdaptiveLevels:
    """The ACI state of one family: the working miscoverage of each level after each outcome year.

    ``levels_seen``: the central level of each past outcome under the uncalibrated model (the
    smallest model level whose interval held it; an interval of model level ℓ held it iff c ≤ ℓ);
    ``origins`` and ``outcome_years`` of the same forecasts. Outcome years are taken in increasing
    order; within a year the outcomes are summed in a fixed order (origin, then input order), so
    the state is deterministic.
    """

    def __init__(self, levels_seen, origins, outcome_years, levels, step: float = ACI_STEP):
        c = np.asarray(levels_seen, float)
        o, y = np.asarray(origins, int), np.asarray(outcome_years, int)
        self.levels = np.asarray(levels, float)
        target = 1 - self.levels
        alpha = target.copy()
        self.years: list[int] = []
        self.alphas: list[np.ndarray] = []
        for year in np.unique(y):
            batch = np.flatnonzero(y == year)
            batch = batch[np.argsort(o[batch], kind="stable")]
            origins_here, where = np.unique(o[batch], return_inverse=True)
            issued = np.array([self.model_levels(int(origin)) for origin in origins_here])[where]
            err = (c[batch, None] > issued).astype(float)
            alpha = alpha + step * (target - err).sum(axis=0)
            self.years.append(int(year))
            self.alphas.append(alpha.copy())

    def alpha_at(self, origin: int) -> np.ndarray:
        """The working miscoverages at ``origin``: reached with the outcomes of years ≤ origin."""
        i = int(np.searchsorted(self.years, origin, side="right"))
        return self.alphas[i - 1] if i else 1 - self.levels

    def map_at(self, origin: int) -> tuple[float, ...] | None:
        return adaptive_map(self.alpha_at(origin), self.levels)

    def model_levels(self, origin: int) -> np.ndarray:
        """The model level of each interval issued at ``origin`` (what an outcome is checked against)."""
        widths = self.map_at(origin)
        return self.levels if widths is None else level(np.asarray(widths))
