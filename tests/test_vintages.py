"""Forecast vintages: stored whole and reproducibly; the track record checked by hand."""

import pandas as pd
import pytest

from analysis.assessment.panel import SERIES_KEY, assess_observations
from analysis.data.ingest import ingest, load_observations
from analysis.evaluation.vintages import (
    COLUMNS,
    load_vintages,
    save_vintage,
    track_record,
    track_summary,
    vintage_table,
    warning_outcomes,
)
from analysis.paths import DATA_RAW

SERIES = dict(indicator_id="DM-08-3", region="金口河区", sex="total", urban_rural="total", population_group="")


def hand_vintage() -> pd.DataFrame:
    """A 2023 vintage of one series: forecasts for 2024 and 2025, and a yellow warning."""
    rows = [
        dict(vintage=2023, record="forecast", **SERIES, year=2024, forecast=10.0, lower_80=8.0, upper_80=12.0,
             lower_95=6.0, upper_95=14.0),
        dict(vintage=2023, record="forecast", **SERIES, year=2025, forecast=11.0, lower_80=8.0, upper_80=14.0,
             lower_95=5.0, upper_95=17.0),
        dict(vintage=2023, record="forecast", **SERIES, year=2026, forecast=12.0, lower_80=8.0, upper_80=16.0,
             lower_95=4.0, upper_95=20.0),
        dict(vintage=2023, record="assessment", **SERIES, year=2023, level="yellow", status="gap", synthetic=False),
    ]  # fmt: skip
    return pd.DataFrame(rows).reindex(columns=COLUMNS)


def hand_observations() -> pd.DataFrame:
    rows = [dict(**SERIES, year=y, value=v, status="value") for y, v in ((2023, 9.0), (2024, 13.0), (2025, 11.5))]
    return pd.DataFrame(rows)


def test_track_record_by_hand():
    record = track_record(hand_vintage(), hand_observations())
    # 2026 is not observed yet; 2023 is the vintage's own year, not a forecast
    assert record["year"].tolist() == [2024, 2025]
    assert record["horizon"].tolist() == [1, 2]
    assert record["error"].tolist() == [3.0, 0.5]  # 13 - 10, 11.5 - 11
    assert record["inside_80"].tolist() == [False, True]  # 13 > 12; 8 <= 11.5 <= 14
    assert record["inside_95"].tolist() == [True, True]  # 6 <= 13 <= 14
    summary = track_summary(record).set_index("indicator_id")
    assert summary.loc["DM-08-3", "n"] == 2
    assert summary.loc["DM-08-3", "mean_abs_error"] == pytest.approx(1.75)
    assert summary.loc["DM-08-3", "inside_80_share"] == 0.5 and summary.loc["DM-08-3", "inside_95_share"] == 1.0
    assert summary.loc["合计", "n"] == 2 and pd.isna(summary.loc["合计", "mean_abs_error"])


def test_an_interval_edge_counts_as_inside():
    observations = hand_observations().assign(value=[9.0, 12.0, 5.0])  # 12 = upper_80; 5 = lower_95
    record = track_record(hand_vintage(), observations)
    assert record["inside_80"].tolist() == [True, False] and record["inside_95"].tolist() == [True, True]


class Now:  # the part of AssessmentResults that warning_outcomes reads
    def __init__(self, level):
        self.as_of = 2025
        self.table = pd.DataFrame([dict(**SERIES, level=level, probability=0.5, status="gap")])


@pytest.mark.parametrize("level_now, outcome", [
    ("red", "worsened"), ("yellow", "persisted"), ("green", "cleared"),
])  # fmt: skip
def test_warning_outcomes_by_hand(level_now, outcome):
    table = warning_outcomes(hand_vintage(), Now(level_now))
    assert table["outcome"].tolist() == [outcome]


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    """The shipped data (national, comparison, synthetic), two indicators only to keep it quick."""
    processed = tmp_path_factory.mktemp("processed")
    ingest(DATA_RAW, processed)
    observations = load_observations(processed)
    return observations.loc[observations["indicator_id"].isin(["DM-08-3", "EC-02-1"])]


def test_vintage_round_trip_and_reproducible(shipped, tmp_path):
    results = assess_observations(shipped, 2022)
    path = save_vintage(results, shipped, tmp_path)
    first = path.read_bytes()
    save_vintage(assess_observations(shipped, 2022), shipped, tmp_path)
    assert path.read_bytes() == first and path.name == "2022.parquet"
    stored = load_vintages(tmp_path)
    pd.testing.assert_frame_equal(stored, vintage_table(results, shipped))
    assert set(stored["record"]) == {"forecast", "assessment"}
    assert load_vintages(tmp_path, before=2022).empty


def test_track_record_against_the_database(shipped, tmp_path):
    save_vintage(assess_observations(shipped, 2022), shipped, tmp_path)
    save_vintage(assess_observations(shipped, 2020), shipped, tmp_path)  # national outcomes end in 2022
    record = track_record(load_vintages(tmp_path), shipped)
    row = record.loc[(record["vintage"] == 2022) & (record["indicator_id"] == "EC-02-1") & (record["region"] == "金口河区")
                     & (record["sex"] == "total") & (record["year"] == 2024)].iloc[0]  # fmt: skip
    db = shipped.loc[(shipped["indicator_id"] == "EC-02-1") & (shipped["region"] == "金口河区")
                     & (shipped["sex"] == "total") & (shipped["urban_rural"] == "total") & (shipped["year"] == 2024)]  # fmt: skip
    assert row["actual"] == db["value"].iloc[0]
    fc = assess_observations(shipped, 2022).get("EC-02-1").forecast_table().set_index("year").loc[2024]
    assert row["forecast"] == pytest.approx(fc["forecast"])
    assert row["error"] == pytest.approx(db["value"].iloc[0] - fc["forecast"])
    assert row["inside_80"] == (fc["lower_80"] <= db["value"].iloc[0] <= fc["upper_80"])
    assert row["synthetic"]  # the district example is synthetic, and the record says so
    national = record.loc[record["region"] == "全国"]
    assert not national.empty and not national["synthetic"].any()
