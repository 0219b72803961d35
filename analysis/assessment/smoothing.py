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

Missing years (NaN on the annual grid) are never filled in: the model runs on the real time axis
with the Kalman filter of the same state-space model (Hyndman et al. 2008, ch. 12 and 14). In a
missing year the state moves by its forecast and gains the variance of one more year's innovation
(P ← F P Fᵀ + g gᵀ, in units of σ²); at the next observed year the error is a k-step error, its
variance σ² s_t with s_t = 1 + wᵀPw (a 5-year step carries five years' innovations), and the
update's gain is (F P w + g) / s_t, the Kalman gain with the error shared by observation and state.
With every year observed P stays 0, s_t = 1 and the gain is g: the plain recursion above. The gains
and s_t depend only on the parameters and on which years are missing, so the errors are still
linear in the series and the initial state: for each pattern of missing years the filter's
responses are computed once for the whole grid, the initial state is a weighted least-squares
solve, and the kind is chosen by the AICc of the exact Gaussian likelihood (Σ log s_t enters it).
The final state's uncertainty P_T widens every forecast made from it.
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
    # the final state's variance in units of σ² (level, trend): 0 when every year was observed
    state_var: tuple[tuple[float, float], tuple[float, float]] = ((0.0, 0.0), (0.0, 0.0))

    def forecast(self, h) -> tuple[np.ndarray, np.ndarray]:
        """Point forecasts and their standard deviations h = 1, 2, … years ahead (Hyndman et al. 2008,
        class 1: var = σ²(1 + Σ_{j<h} c_j²), c_j = α + β(φ + … + φ^j))."""
        h = np.asarray(h, int)
        steps = np.arange(1, int(h.max()) + 1)
        damped = np.cumsum(self.phi**steps)  # φ + φ² + … + φ^h
        mean = self.level + self.trend * damped
        c = self.alpha + self.beta * damped[:-1]
        var = self.sigma2 * (1 + np.concatenate([[0.0], np.cumsum(c**2)]))
        P = np.asarray(self.state_var, float)  # the final state's own uncertainty, seen through a = (1, φ + … + φ^h)
        var = var + self.sigma2 * (P[0, 0] + 2 * P[0, 1] * damped + P[1, 1] * damped**2)
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


def fit(y, kinds=KINDS, kalman: bool = False) -> Smoothing | None:
    """The grid point and initial state with the least squared one-step errors in each kind, then the
    kind with the lowest AICc; None when no kind has enough points for its AICc.

    ``y`` is the annual grid; a missing year is NaN and goes through the Kalman filter (``kalman``
    forces that path for a complete series too, for tests: it gives the same fit)."""
    y = np.asarray(y, float)
    missing = np.isnan(y)
    if missing.any() or kalman:
        return _fit_missing(y, ~missing, kinds)
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


@lru_cache(maxsize=16)
def _kalman_responses(observed: tuple[bool, ...]):
    """For one pattern of observed years and every grid point: how each observed value and the initial
    state (l_0, b_0) enter the one-step errors v (G × (m + 2) × m, m observed years) and the final state
    (G × (m + 2) × 2), the errors' relative variances s (G × m) and the final state's variance P_T
    (G × 2 × 2, units of σ²). Inputs 0 … m − 1 are the observed values, m and m + 1 the initial state."""
    g = len(ALPHA)
    m = int(sum(observed))
    state = np.zeros((g, m + 2, 2))  # the filtered state's coefficients on each input
    state[:, m, 0], state[:, m + 1, 1] = 1.0, 1.0
    P = np.zeros((g, 2, 2))
    F = np.zeros((g, 2, 2))
    F[:, 0, 0], F[:, 0, 1], F[:, 1, 1] = 1.0, PHI, PHI
    gain = np.stack([ALPHA, BETA], axis=1)
    w = np.stack([np.ones(g), PHI], axis=1)
    gg = np.einsum("gk,gl->gkl", gain, gain)
    v = np.zeros((g, m + 2, m))
    s = np.ones((g, m))
    i = 0
    for seen in observed:
        moved = np.einsum("gkl,gcl->gck", F, state)
        if seen:
            err = -np.einsum("gl,gcl->gc", w, state)  # minus the forecast, plus the value itself
            err[:, i] += 1.0
            s_t = 1.0 + np.einsum("gk,gkl,gl->g", w, P, w)
            k = (np.einsum("gkl,glm,gm->gk", F, P, w) + gain) / s_t[:, None]
            state = moved + k[:, None, :] * err[:, :, None]
            P = np.einsum("gkl,glm,gnm->gkn", F, P, F) + gg - s_t[:, None, None] * np.einsum("gk,gl->gkl", k, k)
            v[:, :, i], s[:, i] = err, s_t
            i += 1
        else:  # a missing year: the state moves by its forecast and gains one year's innovation
            state = moved
            P = np.einsum("gkl,glm,gnm->gkn", F, P, F) + gg
    return v, s, state, (P + np.swapaxes(P, 1, 2)) / 2


def _fit_missing(y, observed, kinds) -> Smoothing | None:
    """``fit`` on a grid with missing years: the Kalman filter's errors (see the module docstring)."""
    values = y[observed]
    m = len(values)
    v, s, final, P = _kalman_responses(tuple(bool(o) for o in observed))
    free = np.einsum("gci,c->gi", v[:, :m], values)  # the errors from a zero initial state
    a = v[:, m:]  # (G, 2, m): how the initial state moves them
    wgt = 1 / s
    gram = np.einsum("gki,gli,gi->gkl", a, a, wgt)
    rhs = -np.einsum("gki,gi,gi->gk", a, free, wgt)
    x0 = np.zeros((len(ALPHA), 2))
    trendless = KIND == 0  # the trend state is inert: the level alone is solved for
    x0[trendless, 0] = rhs[trendless, 0] / gram[trendless, 0, 0]
    x0[~trendless] = np.linalg.solve(gram[~trendless], rhs[~trendless][..., None])[..., 0]
    errors = free + np.einsum("gki,gk->gi", a, x0)
    wsse = np.sum(errors**2 * wgt, axis=1)
    logdet = np.sum(np.log(s), axis=1)
    best, best_aicc = None, math.inf
    for kind in kinds:
        k = N_PARAMETERS[kind]
        if m - k - 1 <= 0:
            continue
        index = KIND_INDEX[kind]
        score = m * np.log(np.maximum(wsse[index], 1e-300) / m) + logdet[index]  # −2 log L, σ² concentrated out
        j = int(np.argmin(score))
        i = index[j]
        aicc = float(score[j]) + 2 * k + 2 * k * (k + 1) / (m - k - 1)
        if aicc < best_aicc:
            best, best_aicc = i, aicc
    if best is None:
        return None
    level, trend = np.einsum("ck,c->k", final[best, :m], values) + np.einsum("ck,c->k", final[best, m:], x0[best])
    Pt = P[best]
    return Smoothing(KINDS[KIND[best]], float(ALPHA[best]), float(BETA[best]), float(PHI[best]),
                     (float(x0[best, 0]), float(x0[best, 1])), float(level), float(trend), float(wsse[best] / m),
                     best_aicc, ((float(Pt[0, 0]), float(Pt[0, 1])), (float(Pt[1, 0]), float(Pt[1, 1]))))  # fmt: skip
