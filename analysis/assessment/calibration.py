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
