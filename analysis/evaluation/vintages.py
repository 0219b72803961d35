"""Forecast vintages and the forecasts' own track record.

Each report year's assessment (every series' forecasts with 80 %/95 % intervals, and its status,
probability and warning) is kept as a *vintage*: ``data/processed/vintages/<as_of>.parquet``,
written whole, one long table with ``record`` = ``forecast`` (one row per series and forecast
year) or ``assessment`` (one row per series). A later report compares an earlier vintage with
what happened:

* ``track_record``: each earlier forecast beside the value observed since, its error
  (observed − forecast) and whether the value fell inside the 80 % and 95 % intervals;
* ``track_summary``: per indicator and in total, how many forecasts could be checked, mean
  absolute error (per indicator only: units differ), and the share inside each interval (a well-calibrated forecast has about 80 %
  and 95 % inside, over many forecasts; a handful says little);
* ``warning_outcomes``: each earlier warning beside the series' warning and status now
  (cleared, eased, persisted, worsened, newly raised).

A vintage records the fingerprint of the observations it was made from, so a re-run of the same
year with the same data gives the same file. No national report offers this record; it is what
tells a reader how much to trust this year's forecasts.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from analysis.assessment.panel import SERIES_KEY, AssessmentResults
from analysis.assessment.series import LEVEL_ORDER
from analysis.files import write_whole
from analysis.paths import DATA_PROCESSED

VINTAGE_DIR = DATA_PROCESSED / "vintages"
INTERVALS = ["forecast", "lower_80", "upper_80", "lower_95", "upper_95"]
ASSESSMENT = ["status", "level", "probability", "reasons", "target_kind", "target_value", "latest_year",
              "latest_value", "synthetic"]  # fmt: skip
COLUMNS = ["vintage", "record", *SERIES_KEY, "year", *INTERVALS, *ASSESSMENT, "data_fingerprint"]


def fingerprint(observations: pd.DataFrame) -> str:
    """A short hash of the observations an assessment saw (same data, same fingerprint)."""
    columns = [c for c in (*SERIES_KEY, "year", "value", "numerator", "denominator") if c in observations]
    frame = observations[columns].sort_values(columns[:6]).reset_index(drop=True)
    return hashlib.sha256(pd.util.hash_pandas_object(frame, index=False).values.tobytes()).hexdigest()[:16]


def vintage_table(results: AssessmentResults, observations: pd.DataFrame) -> pd.DataFrame:
    """The assessment of one report year as one long table (see the module docstring)."""
    forecasts = results.forecasts().assign(record="forecast")
    assessed = results.table[SERIES_KEY + ASSESSMENT].assign(record="assessment", year=results.as_of)
    table = pd.concat([forecasts, assessed], ignore_index=True)
    table = table.assign(vintage=int(results.as_of), data_fingerprint=fingerprint(
        observations.loc[observations["year"] <= results.as_of]))  # fmt: skip
    table = table.reindex(columns=COLUMNS).astype({"year": "Int64", "latest_year": "Float64",
                                                   "probability": "Float64", "target_value": "Float64"})  # fmt: skip
    table["synthetic"] = table["synthetic"].astype("boolean")
    order = table["record"].map({"assessment": 0, "forecast": 1})
    return table.assign(_o=order).sort_values(["_o", *SERIES_KEY, "year"]).drop(columns="_o").reset_index(drop=True)


def save_vintage(results: AssessmentResults, observations: pd.DataFrame, folder: Path = VINTAGE_DIR) -> Path:
    """Store the vintage of ``results.as_of`` (replacing an earlier run of the same year), whole."""
    table = vintage_table(results, observations)
    return write_whole(folder / f"{int(results.as_of)}.parquet", lambda tmp: table.to_parquet(tmp, index=False))


def load_vintages(folder: Path = VINTAGE_DIR, before: int | None = None) -> pd.DataFrame:
    """Every stored vintage (those made before the year ``before`` only, if given)."""
    paths = sorted(folder.glob("*.parquet")) if folder.exists() else []
    frames = [pd.read_parquet(p) for p in paths if p.stem.isdigit() and (before is None or int(p.stem) < before)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)


def _actuals(observations: pd.DataFrame) -> pd.DataFrame:
    values = observations.loc[observations["status"].eq("value") & observations["value"].notna()]
    return values.groupby(SERIES_KEY + ["year"], as_index=False)["value"].mean().rename(columns={"value": "actual"})


def track_record(vintages: pd.DataFrame, observations: pd.DataFrame) -> pd.DataFrame:
    """Every earlier forecast of a year that has since been observed, with its error and coverage."""
    forecasts = vintages.loc[vintages["record"] == "forecast"].copy()
    forecasts["year"] = forecasts["year"].astype(int)
    forecasts = forecasts.loc[forecasts["year"] > forecasts["vintage"]]
    table = forecasts.merge(_actuals(observations), on=SERIES_KEY + ["year"], how="inner")
    table["horizon"] = table["year"] - table["vintage"]
    table["error"] = table["actual"] - table["forecast"]
    for level in ("80", "95"):
        table[f"inside_{level}"] = table["actual"].between(table[f"lower_{level}"], table[f"upper_{level}"])
    columns = ["vintage", *SERIES_KEY, "year", "horizon", "actual", *INTERVALS, "error", "inside_80", "inside_95",
               "synthetic"]  # fmt: skip
    synthetic = vintages.loc[vintages["record"] == "assessment", SERIES_KEY + ["vintage", "synthetic"]]
    table = table.drop(columns="synthetic").merge(synthetic, on=SERIES_KEY + ["vintage"], how="left")
    return table[columns].sort_values(["vintage", *SERIES_KEY, "year"]).reset_index(drop=True)


def track_summary(record: pd.DataFrame) -> pd.DataFrame:
    """Per indicator, and a 合计 row: forecasts checked, mean absolute error, share inside 80 %/95 %."""

    def one(frame: pd.DataFrame) -> pd.Series:
        return pd.Series({"n": len(frame), "mean_abs_error": frame["error"].abs().mean(),
                          "inside_80_share": frame["inside_80"].mean(), "inside_95_share": frame["inside_95"].mean()})  # fmt: skip

    columns = ["indicator_id", "n", "mean_abs_error", "inside_80_share", "inside_95_share"]
    if record.empty:
        return pd.DataFrame(columns=columns)
    per = record.groupby("indicator_id").apply(one, include_groups=False).reset_index()
    # the total's error would add up different units, so only the coverage is totalled
    total = one(record).to_frame().T.assign(indicator_id="合计", mean_abs_error=float("nan"))
    table = pd.concat([per, total], ignore_index=True)[columns]
    return table.astype({"n": int})


def warning_outcomes(vintages: pd.DataFrame, current: AssessmentResults) -> pd.DataFrame:
    """Each earlier series' warning beside its warning and status now, and what became of it."""
    earlier = vintages.loc[vintages["record"] == "assessment", ["vintage", *SERIES_KEY, "level", "probability",
                                                                 "status"]]  # fmt: skip
    now = current.table[SERIES_KEY + ["level", "probability", "status"]]
    table = earlier.merge(now, on=SERIES_KEY, how="inner", suffixes=("_then", "_now"))
    table = table.loc[table["vintage"] < current.as_of]

    def outcome(row) -> str:
        warned = {"red", "yellow"}
        if row.level_then in warned and row.level_now in warned:
            then, now = LEVEL_ORDER[row.level_then], LEVEL_ORDER[row.level_now]  # red 0 < yellow 1
            return "persisted" if now == then else "worsened" if now < then else "eased"
        if row.level_then in warned:
            return "cleared"
        if row.level_now in warned:
            return "newly_raised"
        return "no_warning"

    table = table.assign(outcome=[outcome(r) for r in table.itertuples()])
    return table.sort_values(["vintage", *SERIES_KEY]).reset_index(drop=True)


OUTCOME_ZH = {"persisted": "预警持续", "worsened": "预警加重", "eased": "预警减轻", "cleared": "预警解除", "newly_raised": "新出现预警",
              "no_warning": "无预警"}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """``python -m analysis.evaluation.vintages save --year 2023``: store the vintage an assessment of that year
    makes from the data up to that year (the document stores its own year's vintage itself)."""
    import argparse

    from analysis.assessment.panel import assess_observations
    from analysis.data.ingest import load_observations
    from analysis.data.region import region_and_towns

    parser = argparse.ArgumentParser(description="forecast vintages")
    parser.add_argument("command", choices=["save"])
    parser.add_argument("--year", type=int, required=True)
    parser.add_argument("--region", default="金口河区")
    args = parser.parse_args(argv)
    observations = load_observations(up_to_year=args.year)
    observations = observations.loc[observations["region"].isin(region_and_towns(args.region))]
    print(save_vintage(assess_observations(observations, args.year), observations))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
