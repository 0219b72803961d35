"""The national outline 2011–2020 replayed: the engine as it would have seen the figures in 2015
and 2018, against the 2020 outcomes; calls already decided then (target already met) apart.
"""

from __future__ import annotations

import pandas as pd

from analysis.assessment import DEFAULT_CONFIG, Target, assess_series
from analysis.evaluation.reference import REFERENCE


def replay_2011_2020(folder=REFERENCE, as_of: int = 2015, config=DEFAULT_CONFIG) -> pd.DataFrame:
    """What the engine (and the official rules) would have called in ``as_of`` for each 2020 target.

    ``config``: the engine as it stood in ``as_of`` (its interval calibration learned on outcomes known then).
    """
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
        gross = "毛入" in t.indicator_zh
        target = Target(kind, None if kind == "increase" else float(t.target_value), 2020,
                        "lower" if kind == "at_most" else "higher", 0.0,
                        100.0 if t.unit == "%" and not gross else None, unit=t.unit)  # fmt: skip
        known = series[series.index <= as_of]
        result = assess_series(known.index, known.values, target, as_of=as_of, name=t.indicator_zh, config=config)
        actual = series.get(2020)
        if t.achieved_2020 in ("yes", "no"):
            outcome, basis = t.achieved_2020 == "yes", "bureau's final report"
        elif actual is not None and target.quantified:
            outcome, basis = target.met(actual), "2020 value in the reference data"
        else:
            outcome, basis = None, "no 2020 outcome found"
        call = None if result.probability is None else result.probability >= 0.5
        p = result.progress
        statcan_call = None if p is None or p.statcan_category in ("insufficient_data", "not_computable") else \
            p.statcan_category in ("target_achieved", "substantial_progress")  # fmt: skip
        unsd_call = None if p is None or p.unsd_ratio is None else (p.unsd_category == "on_track" or result.status == "achieved")
        decided = target.quantified and result.latest_value is not None and target.met(result.latest_value)

        def right(c):
            return None if c is None or outcome is None else c == outcome

        rows.append({"indicator": t.indicator_zh, "target": target.text(), "points_known": len(known),
                     "latest_known": result.latest_value, "status_then": result.status_zh,
                     "already_met_then": decided, "p_2020": result.probability, "called_met": call,
                     "statcan_call": statcan_call, "unsd_call": unsd_call,
                     "value_2020": actual, "met_2020": outcome, "outcome_basis": basis,
                     "call_correct": right(call), "statcan_correct": right(statcan_call),
                     "unsd_correct": right(unsd_call)})  # fmt: skip
    return pd.DataFrame(rows)


# --- the report -------------------------------------------------------------------------------
