"""Forecast tables of many series at once: the mixture quantiles solved for all of them together.

``Forecast.table()`` finds each quantile of a Student-t mixture by Brent's method, one at a time;
here every (series, year, probability) with the same number of components is solved at once by a
safeguarded Newton iteration on the same bracket, to about 1e-13 (Brent stops at 1e-10), so the
tables agree with the one-series path to about 1e-10 on the transformed scale.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from analysis.assessment.forecast import Forecast, Mixture

PROBABILITIES = (0.025, 0.1, 0.5, 0.9, 0.975)  # as Forecast.table(): 95 % and 80 % intervals and the median
ITERATIONS = 100


def fill_tables(forecasts: list[Forecast]) -> None:
    """Compute and store ``table()`` of every forecast (count models keep their own path)."""
    todo = [f for f in forecasts if f._table is None]
    mixed = [f for f in todo if all(isinstance(c, Mixture) for c in f.components.values())]
    for f in todo:
        if not all(isinstance(c, Mixture) for c in f.components.values()):
            f.table()
    cells = [(f, year) for f in mixed for year in f.years]
    z = np.empty((len(cells), len(PROBABILITIES)))
    # a calibrated year asks its mixture for other probabilities: one array per shared map
    asked_of = {id(None): np.asarray(PROBABILITIES)}
    for f, year in cells:
        b = f.bends.get(year)
        if id(b) not in asked_of:
            asked_of[id(b)] = b.model_probability(np.asarray(PROBABILITIES))
    asked = np.array([asked_of[id(f.bends.get(year))] for f, year in cells]).reshape(len(cells), len(PROBABILITIES))
    by_size: dict[int, list[int]] = {}
    for i, (f, year) in enumerate(cells):
        by_size.setdefault(len(f.components[year].weights), []).append(i)
    for size, index in by_size.items():
        parts = [cells[i][0].components[cells[i][1]] for i in index]
        stack = {k: np.array([getattr(m, k) for m in parts], float) for k in ("weights", "loc", "scale", "df")}
        for j in range(len(PROBABILITIES)):
            z[index, j] = mixture_quantile(asked[index, j], **stack)
    i = 0
    for f in mixed:
        lo, hi = f.scale.bounds
        values = np.clip(f.scale.inverse(z[i:i + len(f.years)]), lo, hi)
        f._table = [{"year": year, "forecast": float(v[2]), "lower_80": float(v[1]), "upper_80": float(v[3]),
                     "lower_95": float(v[0]), "upper_95": float(v[4])} for year, v in zip(f.years, values)]  # fmt: skip
        i += len(f.years)


def _density(df: np.ndarray, u: np.ndarray) -> np.ndarray:
    normal = np.exp(-0.5 * u**2) / np.sqrt(2 * np.pi)
    finite = np.isfinite(df)
    d = np.where(finite, df, 1.0)
    t = np.exp(special.gammaln((d + 1) / 2) - special.gammaln(d / 2)) / np.sqrt(d * np.pi) * (1 + u**2 / d) ** (-(d + 1) / 2)
    return np.where(finite, t, normal)


def mixture_quantile(q, weights, loc, scale, df) -> np.ndarray:
    """The q-quantile of each row's mixture (rows: series-years; columns: components; q: one or one per row)."""
    q = np.broadcast_to(np.asarray(q, float), loc.shape[:1])
    ends = loc + scale * special.stdtrit(df, q[:, None])
    lo, hi = ends.min(axis=1), ends.max(axis=1)  # a mixture's quantile lies between its components'
    a, b = lo - 1e-9, hi + 1e-9
    v = (lo + hi) / 2
    active = hi - lo >= 1e-12
    for _ in range(ITERATIONS):
        if not active.any():
            break
        w, m, s, d, x = weights[active], loc[active], scale[active], df[active], v[active]
        u = (x[:, None] - m) / s
        f = np.sum(w * special.stdtr(d, u), axis=1) - q[active]
        slope = np.sum(w * _density(d, u) / s, axis=1)
        below = f < 0
        a[active] = np.where(below, x, a[active])
        b[active] = np.where(below, b[active], x)
        with np.errstate(divide="ignore", invalid="ignore"):
            step = x - f / slope
        aa, bb = a[active], b[active]
        inside = np.isfinite(step) & (step >= aa) & (step <= bb)
        new = np.where(f == 0, x, np.where(inside, step, (aa + bb) / 2))  # outside the bracket: bisect
        moved = np.abs(new - x)
        v[active] = new
        still = (moved > 1e-13 * (1 + np.abs(new))) & (f != 0)
        active[np.flatnonzero(active)[~still]] = False
    return np.where(hi - lo < 1e-12, lo, v)
