"""Exponential smoothing with its parameters estimated per series, fast enough for a 10,000-series panel.

Additive-error ETS with no trend (A,N), a linear trend (A,A, Holt) or a damped trend (A,Ad), as
statsmodels' ``ETSModel`` and statsforecast's ``AutoETS`` define them (Hyndman et al. 2008):

    forecast  ŷ_t = l_{t-1} + φ b_{t-1},    error e_t = y_t − ŷ_t
    level     l_t = l_{t-1} + φ b_{t-1} + α e_t
    trend     b_t = φ b_{t-1} + β e_t          (A,N: no b; A,A: φ = 1)

Instead of a numerical optimiser per series (statsmodels takes ~50 ms a series), every
(α, β, φ) of a fixed grid is evaluated at once. The model is linear, so for given (α, β, φ) the
one-step errors are a fixed linear filter of the series plus a linear function of the initial
state (l_0, b_0): the filter's impulse and initial-state responses depend only on the parameters and
the series length and are computed once per length; the initial state that minimises the sum of
squared errors is then a 2 × 2 least-squares solve per grid point. The model (A,N, A,A, A,Ad) is
chosen by AICc, as AutoETS does. tests/test_forecast_smoothing.py checks the filter against statsmodels
(the oracle) for the same parameters.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

# The parameter grid: α as AutoETS bounds it; β as a share of α (β ≤ α, as statsmodels requires);
# φ in statsforecast's range 0.8–0.98, and 1 for Holt's undamped trend.
ALPHAS = (0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.99)
BETA_SHARES = (0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0)
PHIS = (0.8, 0.85, 0.9, 0.95, 0.98)
KINDS = ("A,N", "A,A", "A,Ad")
# parameters estimated (smoothing, damping, initial states) plus σ², as forecast::ets counts them
N_PARAMETERS = {"A,N": 3, "A,A": 5, "A,Ad": 6}


def _grid() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rows = [(a, 0.0, 0.0, 0) for a in ALPHAS]  # A,N: φ = 0 makes the trend state inert
    rows += [(a, a * s, 1.0, 1) for a in ALPHAS for s in BETA_SHARES]
    rows += [(a, a * s, p, 2) for a in ALPHAS for s in BETA_SHARES for p in PHIS]
    g = np.array(rows)
    return g[:, 0], g[:, 1], g[:, 2], g[:, 3].astype(int)


ALPHA, BETA, PHI, KIND = _grid()


@lru_cache(maxsize=64)
def _responses(n: int):
    """For every grid point and series length n: the impulse response of the one-step errors to the
    series (G × n), their responses to the initial level and trend (G × n each), and the inverse of
    those responses' Gram matrix, so the least-squares initial state is a few array products."""
    g = len(ALPHA)
    # x_t = D x_{t-1} + (α, β) y_t with D = F − (α, β)ᵀ(1, φ), F = [[1, φ], [0, φ]]
    D = np.empty((g, 2, 2))
    D[:, 0, 0], D[:, 0, 1] = 1 - ALPHA, PHI - ALPHA * PHI
    D[:, 1, 0], D[:, 1, 1] = -BETA, PHI - BETA * PHI
    m = np.empty((g, n, 2))  # m_j = (1, φ) D^j: how x_{t-1-j}'s influence reaches ŷ_t
    m[:, 0, 0], m[:, 0, 1] = 1.0, PHI
    for j in range(1, n):
        m[:, j] = np.einsum("gk,gkl->gl", m[:, j - 1], D)
    impulse = np.empty((g, n))
    impulse[:, 0] = 1.0
    impulse[:, 1:] = -(m[:, :-1, 0] * ALPHA[:, None] + m[:, :-1, 1] * BETA[:, None])
    gram = np.einsum("gtk,gtl->gkl", m, m)
    inverse = np.zeros((g, 2, 2))
    trendless = KIND == 0  # the trend state is inert: the level alone is solved for
    inverse[trendless, 0, 0] = 1 / gram[trendless, 0, 0]
    inverse[~trendless] = np.linalg.inv(gram[~trendless])
    lag = np.arange(n)[None, :] - np.arange(n)[:, None]  # lag[j, t] = t − j
    return impulse, np.ascontiguousarray(m[:, :, 0]), np.ascontiguousarray(m[:, :, 1]), inverse, lag


@dataclass(frozen=True)
class Smoothing:
    """One fitted model: its kind, parameters, initial and final states and error variance."""

    kind: str
    alpha: float
    beta: float
    phi: float
    initial: tuple[float, float]
    level: float
    trend: float
    sigma2: float  # mean squared one-step error (the maximum-likelihood σ², as statsmodels)
    aicc: float

    def forecast(self, h) -> tuple[np.ndarray, np.ndarray]:
        """Point forecasts and their standard deviations h = 1, 2, … years ahead (Hyndman et al. 2008,
        class 1: var = σ²(1 + Σ_{j<h} c_j²), c_j = α + β(φ + … + φ^j))."""
        h = np.asarray(h, int)
        steps = np.arange(1, int(h.max()) + 1)
        damped = np.cumsum(self.phi**steps)  # φ + φ² + … + φ^h
        mean = self.level + self.trend * damped
        c = self.alpha + self.beta * damped[:-1]
        var = self.sigma2 * (1 + np.concatenate([[0.0], np.cumsum(c**2)]))
        return mean[h - 1], np.sqrt(var[h - 1])


def filter_errors(y, alpha: float, beta: float, phi: float, initial: tuple[float, float]):
    """One-step errors, fitted values and final state of one parameter set (the plain recursion)."""
    level, trend = initial
    errors, fitted = [], []
    for value in np.asarray(y, float):
        yhat = level + phi * trend
        e = value - yhat
        fitted.append(yhat)
        errors.append(e)
        level, trend = yhat + alpha * e, phi * trend + beta * e
    return np.array(errors), np.array(fitted), (level, trend)


KIND_INDEX = {kind: np.flatnonzero(KIND == code) for code, kind in enumerate(KINDS)}


def fit(y, kinds=KINDS) -> Smoothing | None:
    """The grid point and initial state with the least squared one-step errors in each kind, then the
    kind with the lowest AICc; None when no kind has enough points for its AICc."""
    y = np.asarray(y, float)
    n = len(y)
    impulse, m_level, m_trend, inverse, lag = _responses(n)
    free = impulse @ np.where(lag >= 0, y[np.maximum(lag, 0)], 0.0)  # the errors from a zero initial state
    r_level, r_trend = np.sum(m_level * free, axis=1), np.sum(m_trend * free, axis=1)
    l0 = inverse[:, 0, 0] * r_level + inverse[:, 0, 1] * r_trend
    b0 = inverse[:, 1, 0] * r_level + inverse[:, 1, 1] * r_trend
    sse = np.sum(free**2, axis=1) - l0 * r_level - b0 * r_trend  # least squares: |free|² − x0ᵀ rhs
    best, best_aicc = None, math.inf
    for kind in kinds:
        k = N_PARAMETERS[kind]
        if n - k - 1 <= 0:
            continue
        index = KIND_INDEX[kind]
        i = index[np.argmin(sse[index])]
        aicc = n * math.log(max(sse[i], 1e-300) / n) + 2 * k + 2 * k * (k + 1) / (n - k - 1)
        if aicc < best_aicc:
            best, best_aicc = i, aicc
    if best is None:
        return None
    a, b, p = float(ALPHA[best]), float(BETA[best]), float(PHI[best])
    initial = (float(l0[best]), float(b0[best]))
    errors, _, (level, trend) = filter_errors(y, a, b, p, initial)  # the chosen fit's exact errors
    return Smoothing(KINDS[KIND[best]], a, b, p, initial, level, trend, float(np.mean(errors**2)), best_aicc)
