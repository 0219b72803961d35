"""Scoring forecasts: coverage, interval score, calls on hypothetical targets, the rolling origin.

A (series, origin) is scored only when EVERY method gave a forecast, so all methods are scored on
exactly the same forecasts; headline numbers come from the later origins (``later``), which the
choice of configuration never saw (``earlier``).
"""

from __future__ import annotations

import warnings
from dataclasses import replace

import numpy as np
import pandas as pd

from analysis.assessment import calibration
from analysis.assessment.progress import statcan, unsd
from analysis.evaluation.methods import OURS, methods
from analysis.evaluation.reference import HORIZONS, MIN_TRAIN, PACES, SPLIT_YEAR, ReferenceSeries


def _covered(dist, actual, level) -> bool:
    """Inside the central interval, read from the cdf (a value on a censoring bound counts)."""
    alpha = (1 - level) / 2
    below = dist.cdf(actual - 1e-9 * max(1.0, abs(actual)))
    return dist.cdf(actual) >= alpha and below <= 1 - alpha


def _central_level(dist, actual) -> float:
    """The smallest central-interval level holding the value (what the interval calibration learns from)."""
    below = dist.cdf(actual - 1e-9 * max(1.0, abs(actual)))
    return float(calibration.central_level(dist.cdf(actual), below))


def _wis(dist, actual) -> float:
    """Weighted interval score of the median and the 80 % / 95 % intervals (Bracher et al. 2021).

    A proper score of the whole predictive distribution (it approximates the CRPS): it rewards a
    close median and intervals that are narrow yet hold the value.
    """
    total = abs(dist.ppf(0.5) - actual) / 2
    for alpha in (0.2, 0.05):
        lo, hi = dist.ppf(alpha / 2), dist.ppf(1 - alpha / 2)
        total += alpha / 2 * ((hi - lo) + 2 / alpha * (max(lo - actual, 0) + max(actual - hi, 0)))
    return total / 2.5


def _targets(train_y, train_v, year, lower, upper):
    """Hypothetical targets for ``year``: the latest value plus c × recent pace × years ahead."""
    recent = train_y >= train_y[-1] - 5
    t0, y0 = int(train_y[recent][0]), float(train_v[recent][0])
    pace = (train_v[-1] - y0) / (train_y[-1] - t0)
    if pace == 0:
        return []
    out = []
    for c in PACES:
        x = float(train_v[-1] + c * pace * (year - train_y[-1]))
        if c > 0 and ((lower is not None and x <= lower) or (upper is not None and x >= upper)):
            continue  # beyond a bound nothing can be met; at the bound only a value on it meets it
        out.append((c, x, int(np.sign(pace)), t0, y0))
    return out


def _p_met(dist, point, x, direction) -> float:
    nudge = 1e-9 * max(1.0, abs(x))
    if dist is None:
        return float(point >= x) if direction > 0 else float(point <= x)
    return 1 - float(dist.cdf(x - nudge)) if direction > 0 else float(dist.cdf(x + nudge))


def _official_calls(t0, y0, train_y, train_v, x, year, direction) -> dict:
    """The official rules' calls: on track ⇔ StatCan ratio ≥ 0.95 / UNSD ratio ≥ 0.95 (or already met)."""
    t, yt = int(train_y[-1]), float(train_v[-1])
    if t0 == t:
        return {}
    ratio, category = statcan(y0, t0, yt, t, x, year, direction)
    out = {}
    if category in ("target_achieved", "substantial_progress", "moderate_progress", "limited_progress",
                    "deterioration"):  # fmt: skip
        out["StatCan/Eurostat CAGR ratio rule"] = float(category in ("target_achieved", "substantial_progress"))
    r, category = unsd(y0, t0, yt, t, x, year)
    if r is not None:
        met_now = direction * (yt - x) >= 0
        out["UNSD ratio rule"] = float(met_now or category == "on_track")
    return out


def rolling_origin(series: list[ReferenceSeries], chosen: dict | None = None,
                   last_year: int | None = None, wis: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Forecast rows (series × origin × method × horizon) and call rows (… × target), on the common set.

    ``last_year``: use no value after it (choosing the configuration sees only earlier data).
    """
    chosen = chosen or methods()
    rows, calls = [], []
    for s in series:
        if last_year is not None:
            keep = s.years <= last_year
            s = replace(s, years=s.years[keep], values=s.values[keep])
        for cut in range(MIN_TRAIN, len(s.years)):
            train_y, train_v = s.years[:cut], s.values[:cut]
            scale = float(np.mean(np.abs(np.diff(train_v) / np.diff(train_y))))
            origin = int(train_y[-1])
            test = {int(y): float(v) for y, v in zip(s.years[cut:], s.values[cut:]) if y - origin in HORIZONS}
            if not test or scale == 0:
                continue  # a scaled error needs a series that has moved
            horizon = list(range(origin + 1, max(test) + 1))
            outs = {}
            for name, method in chosen.items():
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        outs[name] = method(train_y, train_v, horizon, s.lower, s.upper)
                except Exception:  # noqa: BLE001 - a method that cannot fit leaves the origin out
                    outs[name] = None
            if any(out is None for out in outs.values()):
                continue  # every method on exactly the same forecasts
            key = {"series": s.name, "group": s.group, "family": s.family, "origin": origin}
            for year, actual in test.items():
                h = year - origin
                key_year = key | {"year": year}
                targets = _targets(train_y, train_v, year, s.lower, s.upper)
                for name, out in outs.items():
                    point, dist = out[year]
                    row = key_year | {"method": name, "horizon": h, "point": point, "actual": actual,
                                 "scaled_error": abs(point - actual) / scale}  # fmt: skip
                    if dist is not None:
                        row |= {"in_80": _covered(dist, actual, 0.8), "in_95": _covered(dist, actual, 0.95),
                                "central_level": _central_level(dist, actual)}  # fmt: skip
                        if wis:
                            row["scaled_wis"] = _wis(dist, actual) / scale
                    rows.append(row)
                    for c, x, direction, _, _ in targets:
                        calls.append(key_year | {"method": name, "horizon": h, "pace": c, "threshold": x,
                                            "p": _p_met(dist, point, x, direction),
                                            "met": direction * (actual - x) >= 0})  # fmt: skip
                for c, x, direction, t0, y0 in targets:
                    for name, p in _official_calls(t0, y0, train_y, train_v, x, year, direction).items():
                        calls.append(key_year | {"method": name, "horizon": h, "pace": c, "threshold": x, "p": p,
                                            "met": direction * (actual - x) >= 0})  # fmt: skip
    return pd.DataFrame(rows), pd.DataFrame(calls)


def later(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.loc[frame["origin"] >= SPLIT_YEAR]


def earlier(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.loc[frame["year"] <= SPLIT_YEAR]


def summarise(detail: pd.DataFrame, calls: pd.DataFrame, by: list[str] | None = None) -> pd.DataFrame:
    """Per method (and ``by``): forecasts, mean scaled error, coverage, Brier of P on the targets."""
    by = by or []
    keys = ["method", *by]
    out = detail.groupby(keys).agg(forecasts=("scaled_error", "size"), MASE=("scaled_error", "mean"),
                                   median_scaled_error=("scaled_error", "median"))  # fmt: skip
    if "in_80" in detail:
        cov = detail.dropna(subset=["in_80"]).astype({"in_80": float, "in_95": float})
        out = out.join(cov.groupby(keys).agg(scaled_WIS=("scaled_wis", "mean"), coverage_80=("in_80", "mean"),
                                             coverage_95=("in_95", "mean")))  # fmt: skip
    if len(calls):
        c = calls.assign(brier=(calls["p"] - calls["met"].astype(float)) ** 2,
                         right=(calls["p"] > 0.5) == calls["met"])  # fmt: skip
        close = c.loc[c["pace"] == 1.0]
        out = out.join(c.groupby(keys).agg(calls=("brier", "size"), brier=("brier", "mean"),
                                           call_accuracy=("right", "mean")), how="outer")  # fmt: skip
        out = out.join(close.groupby(keys).agg(brier_close=("brier", "mean")), how="outer")
    return out.reset_index()


def reliability(calls: pd.DataFrame, method: str = OURS) -> pd.DataFrame:
    """Mean P against the observed share per P bin, with how many series the calls come from.

    The calls of one series are not independent (each origin gives up to 4 targets × 8 years, and
    origins overlap), so a bin's observed share can rest on a few series: ``series`` counts them,
    ``largest_series_share`` is the share of the bin's calls from its largest contributor, and
    ``observed_series_weighted`` weighs each series equally.
    """
    part = calls.loc[calls["method"] == method].assign(met=lambda f: f["met"].astype(float))
    part = part.assign(bin=pd.cut(part["p"], np.linspace(0, 1, 11), include_lowest=True))
    per_series = part.groupby(["bin", "series"], observed=True)["met"].agg(["size", "mean"]).reset_index()
    spread = per_series.groupby("bin", observed=True).agg(series=("series", "size"), largest=("size", "max"),
                                                          observed_series_weighted=("mean", "mean"))  # fmt: skip
    table = part.groupby("bin", observed=True).agg(calls=("p", "size"), mean_p=("p", "mean"), observed=("met", "mean"))
    table = table.join(spread)
    table["largest_series_share"] = table.pop("largest") / table["calls"]
    return table.reset_index().rename(columns={"bin": "P bin"})


def recalibration(calls: pd.DataFrame, method: str = OURS):
    """An isotonic map from P to the observed share, learned on the given (earlier-origin) calls."""
    from scipy.optimize import isotonic_regression

    part = calls.loc[calls["method"] == method].sort_values("p", kind="stable")
    fitted = isotonic_regression(part["met"].astype(float).to_numpy()).x
    p = part["p"].to_numpy()
    return lambda q: np.interp(q, p, fitted)


# --- choosing the configuration on earlier origins ---------------------------------------------
