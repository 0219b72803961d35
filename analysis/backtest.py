"""Does the engine forecast real series well? Rolling-origin evaluation, and a replay of 2011–2020.

Backtest: every real reference series with at least 8 annual points (national monitoring-report
figures and China's international series in data/raw/reference/). At each origin (≥ 5 points
known) every method forecasts 1–6 years ahead, the horizon of a 2024 report to 2030. Measured
per method and horizon: MASE (error over the in-sample mean absolute annual change), coverage of
the 80 % and 95 % intervals, and the accuracy and Brier score of the call "the value will be
higher than now", the call behind every direction-only target.

Replay: the national outline 2011–2020 as the engine would have seen it in 2015, against the
outcomes the national statistics bureau reported for 2020.
"""

from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from analysis.assessment import DEFAULT_CONFIG, Target, assess_series
from analysis.assessment.forecast import choose_scale, drift, forecast_series, naive
from analysis.paths import DATA_RAW

REFERENCE = DATA_RAW / "reference"
MIN_POINTS, MIN_TRAIN, HORIZONS = 8, 5, range(1, 7)


@dataclass(frozen=True)
class ReferenceSeries:
    name: str
    years: np.ndarray
    values: np.ndarray
    lower: float | None
    upper: float | None
    source: str


def _bounds(name: str, unit: str, values) -> tuple[float | None, float | None]:
    share = unit == "%" or re.search(r"\(%|% of|\(% ", name) is not None
    if share and "gross" not in name and np.nanmax(values) <= 100:
        return 0.0, 100.0
    return (0.0, None) if np.nanmin(values) >= 0 else (None, None)


def reference_series(folder=REFERENCE, min_points: int = MIN_POINTS) -> list[ReferenceSeries]:
    """Real annual series with enough points; a series whose sources disagree on a year is left out."""
    series = []
    for file in ("national_2010_2020.csv", "national_2020_2024.csv"):
        frame = pd.read_csv(folder / file, encoding="utf-8-sig")
        frame["file"] = file
        series.append(frame)
    national = pd.concat(series)
    out = []
    for (name, region, unit), part in national.groupby(["indicator_zh", "region", "unit"]):
        years = part.groupby("year")["value"].agg(["min", "max"])
        if (years["max"] != years["min"]).any() or len(years) < min_points:
            continue
        lo, hi = _bounds(name, unit, years["min"])
        out.append(ReferenceSeries(f"{name}（{region}）", years.index.to_numpy(int), years["min"].to_numpy(float),
                                   lo, hi, "national monitoring reports"))  # fmt: skip
    international = pd.read_csv(folder / "international_china.csv", encoding="utf-8-sig")
    for (code, name), part in international.groupby(["indicator_code", "indicator_name"]):
        part = part.sort_values("year").drop_duplicates("year")
        if len(part) < min_points:
            continue
        lo, hi = _bounds(name, "", part["value"])
        out.append(ReferenceSeries(f"{name.split(' [')[0]} [{code}]", part["year"].to_numpy(int), part["value"].to_numpy(float),
                                   lo, hi, part["source_repo"].iloc[0]))  # fmt: skip
    return sorted(out, key=lambda s: s.name)


# --- methods: each returns {year: (point, distribution or None)} on the original scale --------------

def _gaussian(dists, horizon):
    return {y: (d.median(), d) for y, d in zip(horizon, dists)}


def _ours(config):
    def method(years, values, horizon, lower, upper):
        scale = choose_scale(values, lower, upper)
        forecast = forecast_series(years, values, horizon, scale, config)
        if forecast is None:
            return None
        return {y: (forecast.quantile(y, 0.5), _MixtureOnScale(forecast, y)) for y in horizon}

    return method


method_ours = _ours(DEFAULT_CONFIG)
method_ours_with_trend = _ours(replace(DEFAULT_CONFIG, models=("linear trend", *DEFAULT_CONFIG.models)))
method_ours_smoothing = _ours(replace(DEFAULT_CONFIG, models=("linear trend", *DEFAULT_CONFIG.models, "theta",
                                                              "damped ETS")))  # fmt: skip


class _MixtureOnScale:
    """The combined forecast for one year, with the cdf/ppf the metrics need."""

    def __init__(self, forecast, year):
        self.forecast, self.year = forecast, year

    def cdf(self, x):
        return self.forecast.cdf(self.year, x)

    def ppf(self, q):
        return self.forecast.quantile(self.year, q)


def method_naive(years, values, horizon, lower, upper):
    return _gaussian(naive(years, values, horizon), horizon)


def method_drift(years, values, horizon, lower, upper):
    return _gaussian(drift(years, values, horizon), horizon)


def method_linear(years, values, horizon, lower, upper):
    fit = sm.OLS(values, sm.add_constant(years.astype(float))).fit()
    pred = fit.get_prediction(sm.add_constant(np.asarray(horizon, float), has_constant="add"))
    sd = np.sqrt(pred.var_pred_mean + fit.scale)
    return {y: (m, stats.t(fit.df_resid, m, s)) for y, m, s in zip(horizon, pred.predicted_mean, sd)}


def method_cagr(years, values, horizon, lower, upper):
    """ESCAP/UNSD extrapolation at the compound annual growth rate; a point forecast only."""
    if values[0] <= 0 or values[-1] <= 0:
        return None
    rate = (values[-1] / values[0]) ** (1 / (years[-1] - years[0])) - 1
    return {y: (values[-1] * (1 + rate) ** (y - years[-1]), None) for y in horizon}


class _Interval:
    """A predictive distribution known by its median and 80/95 % limits (statsforecast output)."""

    def __init__(self, median, lo80, hi80, lo95, hi95):
        self.points = np.array([lo95, lo80, median, hi80, hi95])
        self.qs = np.array([0.025, 0.1, 0.5, 0.9, 0.975])

    def cdf(self, x):
        return float(np.interp(x, self.points, self.qs, left=0.0, right=1.0))

    def ppf(self, q):
        return float(np.interp(q, self.qs, self.points))


def _statsforecast(model_name):
    def method(years, values, horizon, lower, upper):
        from statsforecast import StatsForecast
        from statsforecast.models import AutoETS, AutoTheta

        start = len(years) - 1
        while start > 0 and years[start] - years[start - 1] == 1:
            start -= 1
        if len(years) - start < MIN_TRAIN:
            return None
        model = {"AutoETS": AutoETS(season_length=1), "AutoTheta": AutoTheta(season_length=1)}[model_name]
        frame = pd.DataFrame({"unique_id": "s", "ds": years[start:], "y": values[start:]})
        h = int(max(horizon) - years[-1])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = StatsForecast(models=[model], freq=1).forecast(df=frame, h=h, level=[80, 95]).set_index("ds")
        return {y: (out.loc[y, model_name], _Interval(*(out.loc[y, f"{model_name}{s}"] for s in
                    ("", "-lo-80", "-hi-80", "-lo-95", "-hi-95")))) for y in horizon}  # fmt: skip

    return method


def methods() -> dict:
    found = {"ours (combination)": method_ours, "ours + linear trend": method_ours_with_trend,
             "ours + linear trend + Theta + damped ETS": method_ours_smoothing,
             "naive": method_naive, "drift": method_drift,
             "linear trend": method_linear, "CAGR (ESCAP/UNSD)": method_cagr}  # fmt: skip
    try:
        import statsforecast  # noqa: F401

        found |= {"statsforecast AutoETS": _statsforecast("AutoETS"),
                  "statsforecast AutoTheta": _statsforecast("AutoTheta")}  # fmt: skip
    except ImportError:
        pass
    return found


def rolling_origin(series: list[ReferenceSeries], chosen: dict | None = None) -> pd.DataFrame:
    """One row per series × origin × method × horizon with the error and the calls."""
    chosen = chosen or methods()
    rows = []
    for s in series:
        for cut in range(MIN_TRAIN, len(s.years)):
            train_y, train_v = s.years[:cut], s.values[:cut]
            scale = np.mean(np.abs(np.diff(train_v) / np.diff(train_y)))
            test = {int(y): v for y, v in zip(s.years[cut:], s.values[cut:]) if y - train_y[-1] in HORIZONS}
            if not test or scale == 0:
                continue
            horizon = list(range(int(train_y[-1]) + 1, max(test) + 1))
            for name, method in chosen.items():
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        out = method(train_y, train_v, horizon, s.lower, s.upper)
                except Exception:  # a peer method that cannot fit this window is counted as missing
                    out = None
                if out is None:
                    continue
                for year, actual in test.items():
                    point, dist = out[year]
                    row = {"series": s.name, "origin": int(train_y[-1]), "method": name,
                           "horizon": year - int(train_y[-1]), "abs_scaled_error": abs(point - actual) / scale,
                           "up": actual > train_v[-1]}  # fmt: skip
                    if dist is not None:
                        p_up = 1 - float(dist.cdf(train_v[-1]))
                        row |= {"in_80": dist.ppf(0.1) <= actual <= dist.ppf(0.9),
                                "in_95": dist.ppf(0.025) <= actual <= dist.ppf(0.975), "p_up": p_up}  # fmt: skip
                    else:
                        row["p_up"] = float(point > train_v[-1])
                    rows.append(row)
    return pd.DataFrame(rows)


def summarise(detail: pd.DataFrame) -> pd.DataFrame:
    """MASE, interval coverage and direction calls per method and horizon (and over all horizons)."""
    detail = detail.assign(correct=(detail["p_up"] > 0.5) == detail["up"],
                           brier=(detail["p_up"] - detail["up"].astype(float)) ** 2)  # fmt: skip

    def agg(part):
        return pd.Series({"forecasts": len(part), "MASE": part["abs_scaled_error"].mean(),
                          "coverage_80": part["in_80"].astype(float).mean() if "in_80" in part else math.nan,
                          "coverage_95": part["in_95"].astype(float).mean() if "in_95" in part else math.nan,
                          "direction_accuracy": part["correct"].mean(), "brier": part["brier"].mean()})  # fmt: skip

    by_h = detail.groupby(["method", "horizon"]).apply(agg, include_groups=False).reset_index()
    overall = detail.groupby("method").apply(agg, include_groups=False).reset_index().assign(horizon="all")
    table = pd.concat([overall, by_h], ignore_index=True)
    table["forecasts"] = table["forecasts"].astype(int)
    return table


def replay_2011_2020(folder=REFERENCE, as_of: int = 2015) -> pd.DataFrame:
    """What the engine would have called in 2015 for each 2020 target, against the 2020 outcome."""
    targets = pd.read_csv(folder / "outline_2011_2020_targets.csv", encoding="utf-8-sig")
    national = pd.concat([pd.read_csv(folder / f, encoding="utf-8-sig")
                          for f in ("national_2010_2020.csv", "national_2020_2024.csv")])  # fmt: skip
    rows = []
    for t in targets.itertuples():
        region = "农村" if t.indicator_zh.startswith("农村") and t.indicator_zh != "农村卫生厕所普及率" else "全国"
        name = t.indicator_zh.removeprefix("农村") if region == "农村" else t.indicator_zh
        series = national.loc[(national["indicator_zh"] == name) & (national["region"] == region)]
        series = series.groupby("year")["value"].first()
        kind = {"<=": "at_most", ">=": "at_least", "up": "increase"}[t.target_type]
        target = Target(kind, None if kind == "increase" else float(t.target_value), 2020,
                        "lower" if kind == "at_most" else "higher", 0.0, 100.0 if t.unit == "%" else None, unit=t.unit)  # fmt: skip
        known = series[series.index <= as_of]
        result = assess_series(known.index, known.values, target, as_of=as_of, name=t.indicator_zh)
        actual = series.get(2020)
        if t.achieved_2020 in ("yes", "no"):
            outcome, basis = t.achieved_2020 == "yes", "bureau's final report"
        elif actual is not None and target.quantified:
            outcome, basis = target.met(actual), "2020 value in the reference data"
        else:
            outcome, basis = None, "no 2020 outcome found"
        call = None if result.probability is None else result.probability >= 0.5
        rows.append({"indicator": t.indicator_zh, "target": target.text(), "points_known": len(known),
                     "latest_known": result.latest_value, "status_then": result.status_zh,
                     "p_2020": result.probability, "level_then": result.level_zh,
                     "called_met": call, "value_2020": actual, "met_2020": outcome, "outcome_basis": basis,
                     "call_correct": None if call is None or outcome is None else call == outcome})  # fmt: skip
    return pd.DataFrame(rows)


def _where_we_lose(summary: pd.DataFrame) -> str:
    """Say plainly which methods beat ours, on which measure."""
    overall = summary.loc[summary["horizon"] == "all"].set_index("method")
    ours = overall.loc["ours (combination)"]
    lines = ["Where other methods do better (all horizons):"]
    for measure, better in (("MASE", "lower"), ("brier", "lower"), ("direction_accuracy", "higher")):
        rivals = overall.drop(index="ours (combination)")[measure].dropna()
        winners = rivals[rivals < ours[measure]] if better == "lower" else rivals[rivals > ours[measure]]
        if len(winners):
            named = ", ".join(f"{m} {v:.3f}" for m, v in winners.sort_values(ascending=better == "lower").items())
            lines.append(f"- {measure}: ours {ours[measure]:.3f}; better: {named}.")
    coverage = overall[["coverage_80", "coverage_95"]].dropna()
    closest = (coverage["coverage_80"] - 0.8).abs().idxmin()
    lines.append(f"- Interval coverage closest to the nominal 80 %: {closest} "
                 f"({coverage.loc[closest, 'coverage_80']:.3f}); ours {ours['coverage_80']:.3f}.")  # fmt: skip
    return "\n".join(lines)


def write_backtest(out_dir=None, example=None) -> str:
    """Run the backtest and the replays; write the tables; return the Markdown summary."""
    from analysis.paths import REPORTS

    out_dir = out_dir or REPORTS / "backtest"
    example = example or REPORTS / "examples" / "backtest.md"
    series = reference_series()
    detail = rolling_origin(series)
    summary = summarise(detail)
    replays = pd.concat([replay_2011_2020(as_of=year).assign(as_of=year) for year in (2015, 2018)])
    out_dir.mkdir(parents=True, exist_ok=True)
    detail.to_csv(out_dir / "backtest_detail.csv", index=False, encoding="utf-8-sig")
    summary.to_csv(out_dir / "backtest_summary.csv", index=False, encoding="utf-8-sig")
    replays.to_csv(out_dir / "replay_2011_2020.csv", index=False, encoding="utf-8-sig")
    shown = summary.loc[summary["horizon"].astype(str).isin(["all", "1", "3", "6"])]
    calls = replays.dropna(subset=["call_correct"])
    text = "\n\n".join([
        "# Backtest of the assessment engine",
        f"Rolling origin over {len(series)} real annual series with ≥{MIN_POINTS} points "
        f"({', '.join(sorted({s.source for s in series}))}); forecasts 1–6 years ahead from every "
        f"origin with ≥{MIN_TRAIN} known points. Regenerate with `python -m analysis backtest`.",
        "MASE: mean absolute error over the in-sample mean absolute annual change (lower is better). "
        "Coverage: share of later values inside the 80 % / 95 % intervals (nominal 0.80 / 0.95). "
        "Direction: the call 'higher than now' (accuracy; Brier score, lower is better).",
        shown.round(3).to_markdown(index=False),
        _where_we_lose(summary),
        "## Replay of the national outline 2011–2020",
        "The engine run with the national figures known in 2015 (and 2018), against the 2020 outcomes "
        f"the bureau reported. Calls made: {len(calls)}; correct: {int(calls['call_correct'].astype(bool).sum())}.",
        replays[["as_of", "indicator", "target", "points_known", "status_then", "p_2020", "called_met",
                 "value_2020", "met_2020", "call_correct"]].round(3).to_markdown(index=False),
    ])  # fmt: skip
    example.parent.mkdir(parents=True, exist_ok=True)
    example.write_text(text + "\n", encoding="utf-8")
    summary.round(4).to_csv(example.with_name("backtest_summary.csv"), index=False, encoding="utf-8-sig")
    return text
