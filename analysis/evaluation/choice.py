"""Choosing the engine's configuration and interval calibration on EARLIER outcomes only.

Scale, models and tails per family are chosen on forecasts whose outcome year is ≤ ``SPLIT_YEAR``;
the calibration variant on a nested split (learned on outcomes ≤ ``NESTED_SPLIT``, judged on the
years up to ``SPLIT_YEAR``), by a rule fixed before the numbers.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import replace

import pandas as pd

from analysis.assessment import DEFAULT_CONFIG, calibration
from analysis.assessment.config import FamilyForecast
from analysis.evaluation.methods import engine
from analysis.evaluation.reference import HORIZON_GROUPS, SPLIT_YEAR, ReferenceSeries
from analysis.evaluation.scoring import rolling_origin


def _score(config, series, through: int = SPLIT_YEAR, wis: bool = True) -> dict:
    """A candidate's numbers on the forecasts whose outcome year is ≤ ``through`` (no later value read)."""
    detail, calls = rolling_origin(series, {"candidate": engine(config)}, through, wis=wis)
    return _measures(detail, calls)


def _measures(d: pd.DataFrame, c: pd.DataFrame) -> dict:
    if d.empty:
        return {}
    cov = d.groupby(d["horizon"].map(HORIZON_GROUPS))[["in_80", "in_95"]].mean()
    return {"forecasts": len(d), "scaled_WIS": d["scaled_wis"].mean() if "scaled_wis" in d else math.nan, "MASE": d["scaled_error"].mean(),
            "coverage_80": d["in_80"].mean(), "coverage_95": d["in_95"].mean(),
            "coverage_loss": float(((cov["in_80"] - 0.8).abs() + (cov["in_95"] - 0.95).abs()).mean()),
            "brier": float(((c["p"] - c["met"]) ** 2).mean()) if len(c) else math.nan}  # fmt: skip


POINT_CANDIDATES = {
    "drift + naive": {"models": ("drift", "naive"), "weights": None},
    "drift ×2 + naive": {"models": ("drift", "naive"), "weights": (2.0, 1.0)},
    "drift ×3 + naive": {"models": ("drift", "naive"), "weights": (3.0, 1.0)},
    "drift": {"models": ("drift",), "weights": None},
    "damped drift φ0.9": {"models": ("damped drift",), "weights": None},
    "damped drift φ0.9 + naive": {"models": ("damped drift", "naive"), "weights": None},
    "drift + naive + theta": {"models": ("drift", "naive", "theta"), "weights": None},
    "drift + naive + linear trend": {"models": ("drift", "naive", "linear trend"), "weights": None},
    "drift + theta": {"models": ("drift", "theta"), "weights": None},
    "skill-weighted drift + naive": {"models": ("drift", "naive"), "weights": "skill"},
    "skill-weighted drift + damped drift + naive": {"models": ("drift", "damped drift", "naive"), "weights": "skill"},
    # exponential smoothing estimated per series (A,N / A,A / A,Ad by AICc, as AutoETS), alone and in
    # the combinations the M3/M4 literature recommends for short yearly series
    "ETS": {"models": ("ETS",), "weights": None},
    "damped ETS": {"models": ("damped ETS",), "weights": None},
    "ETS + naive": {"models": ("ETS", "naive"), "weights": None},
    "ETS + drift": {"models": ("ETS", "drift"), "weights": None},
    "ETS + damped drift φ0.9": {"models": ("ETS", "damped drift"), "weights": None},
    "ETS + drift + naive": {"models": ("ETS", "drift", "naive"), "weights": None},
    "ETS + drift ×2 + naive": {"models": ("ETS", "drift", "naive"), "weights": (1.0, 2.0, 1.0)},
    "damped ETS + damped drift φ0.9": {"models": ("damped ETS", "damped drift"), "weights": None},
    "ETS + theta": {"models": ("ETS", "theta"), "weights": None},
    "ETS + damped ETS + theta": {"models": ("ETS", "damped ETS", "theta"), "weights": None},
}
SCALE_CANDIDATES = {"bounded": ("clipped", "logit"), "positive": ("log", "clipped")}
TAIL_DF = (math.inf, 5.0, 3.0)
TAIL_SCALE = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.25, 1.4)
TAIL_GROWTH = (0.0, 0.05, 0.1, 0.2)
FAMILY_FIELDS = {"bounded": "forecast_bounded", "positive": "forecast_positive", "free": "forecast_free"}


def _with(config, fam, **changes):
    field = FAMILY_FIELDS[fam]
    return replace(config, **{field: replace(getattr(config, field), **changes)})


def choose(series: list[ReferenceSeries], log=print) -> tuple[object, pd.DataFrame]:
    """The recipe of each family chosen on earlier origins only, and every candidate's numbers.

    Starting from the previous engine (drift + naive, equal weights, normal, unwidened), per
    family: 1. the scale, 2. the models and weights, each by the scaled weighted interval score (a
    proper score of the whole distribution P is read from); 3. the tails, by coverage loss at every
    horizon group (ties by Brier). The free family takes the bounded recipe. The start does not
    depend on config.py, so the same data always give the same choice.
    """
    start = FamilyForecast("clipped", ("drift", "naive"), None, math.inf, 1.0, 0.0)
    rows = []
    config = replace(DEFAULT_CONFIG, forecast_bounded=start, forecast_positive=replace(start, scale="log"),
                     forecast_free=start)  # fmt: skip
    for fam in ("bounded", "positive"):
        members = [s for s in series if s.family == fam]

        def run(step, candidates):
            scored = {name: _score(cfg, members, wis=step != "tails") for name, cfg in candidates.items()}
            rows.extend({"family": fam, "step": step, "candidate": str(name), **sc} for name, sc in scored.items())
            return scored

        scored = run("scale", {k: _with(config, fam, scale=k) for k in SCALE_CANDIDATES[fam]})
        config = _with(config, fam, scale=min(scored, key=lambda k: scored[k]["scaled_WIS"]))
        scored = run("models", {k: _with(config, fam, **kw) for k, kw in POINT_CANDIDATES.items()})
        config = _with(config, fam, **POINT_CANDIDATES[min(scored, key=lambda k: scored[k]["scaled_WIS"])])
        config, scored = _choose_tails(config, fam, members, SPLIT_YEAR)
        rows.extend({"family": fam, "step": "tails", "candidate": str(name), **sc} for name, sc in scored.items())
        log(f"{fam}: {config.family_forecast(fam)}")
    config = replace(config, forecast_free=replace(config.forecast_bounded))
    return config, pd.DataFrame(rows)


def _choose_tails(config, fam: str, members, through: int):
    """The family's tails (df, interval scale, growth) with the least coverage loss on outcomes ≤ ``through``."""
    scored = {(df, k, g): _score(_with(config, fam, tail_df=df, interval_scale=k, interval_growth=g), members,
                                 through, wis=False)
              for df, k, g in itertools.product(TAIL_DF, TAIL_SCALE, TAIL_GROWTH)}  # fmt: skip
    df, k, g = min(scored, key=lambda key: (round(scored[key]["coverage_loss"], 3), scored[key]["brier"]))
    return _with(config, fam, tail_df=df, interval_scale=k, interval_growth=g), scored


# --- calibrating the intervals (calibration.py): none, static, rolling, or adaptive (ACI) ------

NESTED_SPLIT = 2010  # the calibration variant is chosen on outcomes ≤ SPLIT_YEAR, learned on ≤ this
ACI = "adaptive conformal (ACI)"
CALIBRATIONS = ("fixed tails", "static calibration", "rolling calibration", ACI)
CHOICE_MARGIN = 0.01  # a calibration must lower the coverage loss by at least this to replace the simpler


def uncalibrated(config):
    """The configuration with no interval calibration in any family (the base the calibration learns on)."""
    return replace(config, **{f: replace(getattr(config, f), calibration=None) for f in FAMILY_FIELDS.values()})


def base_forecasts(series, config, last_year: int | None = None) -> pd.DataFrame:
    """Every forecast the uncalibrated engine makes on the series (no peers: not just the common set)."""
    detail, _ = rolling_origin(series, {"base": engine(uncalibrated(config))}, last_year, wis=False)
    return detail


def calibrated(config, base: pd.DataFrame, through: int):
    """The configuration with each family's intervals calibrated on the base forecasts with outcome ≤ ``through``.

    Per family (its models and tails are its own); the free family, with no real series, takes the
    bounded family's map. A family without enough forecasts stays uncalibrated.
    """
    known = base.loc[base["year"] <= through]
    tables = {}
    for fam in ("bounded", "positive"):
        part = known.loc[known["family"] == fam]
        tables[fam] = calibration.learn_table(part["central_level"], part["horizon"], config.calibration_horizons,
                                              config.calibration_levels) if len(part) else None  # fmt: skip
    tables["free"] = tables["bounded"]
    config = uncalibrated(config)
    for fam, table in tables.items():
        config = _with(config, fam, calibration=table)
    return config


def _engine_by_origin(configure):
    """The engine with the configuration ``configure(origin)`` gives, made once per forecast origin."""
    cache: dict[int, object] = {}

    def method(years, values, horizon, lower, upper):
        origin = int(years[-1])
        if origin not in cache:
            cache[origin] = configure(origin)
        return engine(cache[origin])(years, values, horizon, lower, upper)

    return method


def rolling_engine(config, base: pd.DataFrame):
    """The engine calibrated at each origin t on the forecasts whose outcome was known at t (year ≤ t)."""
    return _engine_by_origin(lambda origin: calibrated(config, base, origin))


def adaptive_states(config, base: pd.DataFrame) -> dict:
    """Per family, the ACI state run over the base forecasts in order of outcome year (calibration.py)."""
    states = {}
    for fam in ("bounded", "positive"):
        part = base.loc[base["family"] == fam]
        states[fam] = calibration.AdaptiveLevels(part["central_level"], part["origin"], part["year"],
                                                 config.calibration_levels)  # fmt: skip
    return states


def adaptive(config, states: dict, origin: int):
    """The configuration with each family's intervals at the ACI state reached with outcomes ≤ ``origin``.

    The state is pooled over the years ahead, so every horizon group gets the same map (the model's
    own interval growth stays); the free family takes the bounded family's.
    """
    config = uncalibrated(config)
    for fam in ("bounded", "positive"):
        row = states[fam].map_at(origin)
        table = None if row is None else tuple(row for _ in config.calibration_horizons)
        config = _with(config, fam, calibration=table)
        if fam == "bounded":
            config = _with(config, "free", calibration=table)
    return config


def adaptive_engine(config, base: pd.DataFrame):
    """The engine at each origin t with the ACI state reached with the outcomes of years ≤ t."""
    states = adaptive_states(config, base)
    return _engine_by_origin(lambda origin: adaptive(config, states, origin))


def calibration_methods(config, base: pd.DataFrame, static_through: int) -> dict:
    """The four variants on the same base configuration (its tails), by name."""
    return {"fixed tails": engine(uncalibrated(config)),
            "static calibration": engine(calibrated(config, base, static_through)),
            "rolling calibration": rolling_engine(config, base),
            ACI: adaptive_engine(config, base)}  # fmt: skip


def choose_calibration(series, config, log=print) -> tuple[str, pd.DataFrame]:
    """Fixed tails, static, rolling or adaptive (ACI) calibration, chosen on earlier outcomes only (a nested split).

    Everything is cut at ``SPLIT_YEAR``; the tails are re-chosen on outcomes ≤ ``NESTED_SPLIT`` (the
    rule of ``choose``, scale and models as ``config``), the static calibration is learned on
    outcomes ≤ ``NESTED_SPLIT``, and the variants are judged on origins ≥ ``NESTED_SPLIT`` (outcomes
    ``NESTED_SPLIT`` + 1 … ``SPLIT_YEAR``). Rule, fixed before any number was seen: the least
    coverage loss wins; a calibration replaces a simpler variant only when it lowers the loss by at
    least ``CHOICE_MARGIN`` and its Brier score is no higher (to 3 decimals). ACI was added as a
    fourth variant after the first three were compared (its step is the paper's, not tuned here).
    """
    nested = uncalibrated(config)
    for fam in ("bounded", "positive"):
        nested, _ = _choose_tails(nested, fam, [s for s in series if s.family == fam], NESTED_SPLIT)
    nested = replace(nested, forecast_free=replace(nested.forecast_bounded))
    log(f"nested tails (outcomes ≤ {NESTED_SPLIT}): " + "; ".join(f"{f}: {nested.family_forecast(f)}"
                                                                  for f in ("bounded", "positive")))  # fmt: skip
    base = base_forecasts(series, nested, SPLIT_YEAR)
    detail, calls = rolling_origin(series, calibration_methods(nested, base, NESTED_SPLIT), SPLIT_YEAR, wis=False)
    judged = detail["origin"] >= NESTED_SPLIT
    rows = [{"variant": name, **_measures(detail.loc[judged & (detail["method"] == name)],
                                          calls.loc[(calls["origin"] >= NESTED_SPLIT) & (calls["method"] == name)])}
            for name in CALIBRATIONS]  # fmt: skip
    table = pd.DataFrame(rows)
    scores = table.set_index("variant")
    chosen = CALIBRATIONS[0]
    for name in CALIBRATIONS[1:]:
        better = scores.loc[name, "coverage_loss"] <= scores.loc[chosen, "coverage_loss"] - CHOICE_MARGIN
        if better and round(scores.loc[name, "brier"], 3) <= round(scores.loc[CALIBRATIONS[0], "brier"], 3):
            chosen = name
    log(f"interval calibration chosen on the nested split: {chosen}")
    return chosen, table.assign(chosen=table["variant"] == chosen)


def calibrated_as_of(config, base: pd.DataFrame, variant: str, year: int):
    """What the variant gives a user at ``year``: rolling learns on every outcome known then and ACI
    takes the state reached with them (at run time, on all the shipped series: the map frozen into
    config.py), static learns on outcomes ≤ SPLIT_YEAR."""
    if variant == "fixed tails":
        return uncalibrated(config)
    if variant == ACI:
        return adaptive(config, adaptive_states(config, base), year)
    return calibrated(config, base, year if variant == "rolling calibration" else SPLIT_YEAR)


# --- the 2011–2020 replay ---------------------------------------------------------------------
