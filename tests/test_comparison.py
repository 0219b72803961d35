"""The comparison views checked against the database by hand (and two small cases by formula)."""

import math

import pandas as pd
import pytest
from conftest import dense_raw
from statsmodels.stats import rates

from analysis.assessment.comparison import (
    NO_COUNTS,
    breakdown_gaps,
    gap_direction,
    levels,
    levels_latest,
    towns,
)
from analysis.data.ingest import ingest, load_observations


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    processed = tmp_path_factory.mktemp("processed")
    ingest(dense_raw(tmp_path_factory.mktemp("dense")), processed)  # arithmetic on particular years' values
    return load_observations(processed)


def value(db, indicator_id, region, year, sex="total", urban_rural="total", column="value"):
    row = db.loc[(db["indicator_id"] == indicator_id) & (db["region"] == region) & (db["year"] == year)
                 & (db["sex"] == sex) & (db["urban_rural"] == urban_rural)]  # fmt: skip
    assert len(row) == 1, (indicator_id, region, year, sex, urban_rural)
    return float(row[column].iloc[0])


def test_levels_same_year_by_hand(db):
    table = levels(db)
    row = table.loc[(table["indicator_id"] == "DM-08-3") & (table["year"] == 2020) & (table["level"] == "全国")].iloc[0]
    assert row["value"] == value(db, "DM-08-3", "金口河区", 2020)
    assert row["value_level"] == 24.2 == value(db, "DM-08-3", "全国", 2020)
    assert row["difference"] == pytest.approx(row["value"] - 24.2)
    assert row["synthetic"] and "澎湃" in row["source_level"]


def test_levels_latest_by_hand(db):
    table = levels_latest(db).set_index("indicator_id")
    he = table.loc["HE-02-1"]
    assert he["year"] == 2025 and he["金口河区"] == value(db, "HE-02-1", "金口河区", 2025)
    assert he["四川省_latest"] == 12.77 and he["四川省_latest_year"] == 2023
    assert he["全国_latest"] == 14.3 and he["全国_latest_year"] == 2024
    assert pd.isna(he["全国_same_year"])  # no national 2025 figure: nothing is carried forward
    assert he["全国_target"] == "下降到12/10万以下"
    assert "DM-05-1" not in table.index  # no higher level reports it


def test_sex_gap_without_counts_by_hand(db):
    gaps = breakdown_gaps(db, "sex")
    row = gaps.loc[(gaps["indicator_id"] == "ED-04-1") & (gaps["year"] == "2025")].iloc[0]
    female, male = value(db, "ED-04-1", "金口河区", 2025, "female"), value(db, "ED-04-1", "金口河区", 2025, "male")
    assert (row["value_1"], row["value_2"]) == (female, male)
    assert row["difference"] == pytest.approx(female - male) and row["ratio"] == pytest.approx(female / male)
    assert row["interval_method"] == NO_COUNTS and pd.isna(row["difference_lower"])
    direction = gap_direction(gaps).set_index("indicator_id").loc["ED-04-1"]
    then = value(db, "ED-04-1", "金口河区", 2020, "female") - value(db, "ED-04-1", "金口河区", 2020, "male")
    assert direction["gap_then"] == pytest.approx(then) and direction["gap_now"] == pytest.approx(female - male)
    assert direction["direction"] == ("缩小" if abs(female - male) < abs(then) else "扩大")


def test_urban_rural_gap_pooled_counts_by_hand(db):
    gaps = breakdown_gaps(db, "urban_rural")
    pooled = gaps.loc[(gaps["indicator_id"] == "HE-02-1") & gaps["year"].str.endswith("合并")].iloc[0]
    counts = {}
    for place in ("urban", "rural"):
        counts[place] = [sum(value(db, "HE-02-1", "金口河区", y, urban_rural=place, column=c) for y in range(2021, 2026))
                         for c in ("numerator", "denominator")]  # fmt: skip
    (a, n1), (b, n2) = counts["urban"], counts["rural"]
    assert (pooled["numerator_1"], pooled["denominator_1"], pooled["numerator_2"], pooled["denominator_2"]) == (a, n1, b, n2)
    assert pooled["difference"] == pytest.approx((a / n1 - b / n2) * 1e5)
    assert pooled["difference_lower"] <= pooled["difference"] <= pooled["difference_upper"]


def small_frame(rows, indicator_id):
    base = dict(indicator_id=indicator_id, region="金口河区", population_group="", status="value", synthetic=False)
    return pd.DataFrame([{**base, **r} for r in rows])


def test_rate_interval_is_the_score_interval():
    # 6 deaths in 2,000 urban births, 3 in 4,000 rural: the score interval's bounds are where the
    # score test of "difference = bound" has p = 0.05
    rows = [dict(year=2022, sex="total", urban_rural="urban", numerator=6, denominator=2000, value=300.0),
            dict(year=2022, sex="total", urban_rural="rural", numerator=3, denominator=4000, value=75.0)]  # fmt: skip
    row = breakdown_gaps(small_frame(rows, "HE-02-1"), "urban_rural").iloc[0]
    assert row["difference"] == 225.0 and row["ratio"] == 4.0
    for bound in (row["difference_lower"], row["difference_upper"]):
        p = rates.test_poisson_2indep(6, 2000, 3, 4000, value=bound / 1e5, method="score", compare="diff").pvalue
        assert p == pytest.approx(0.05, abs=2e-3)
    lo, hi = row["ratio_lower"], row["ratio_upper"]
    assert lo < 4.0 < hi
    for bound in (lo, hi):
        p = rates.test_poisson_2indep(6, 2000, 3, 4000, value=bound, method="score", compare="ratio").pvalue
        assert p == pytest.approx(0.05, abs=2e-3)


def wilson(x, n, z=1.959963984540054):
    p = x / n
    centre, half = (p + z * z / (2 * n)) / (1 + z * z / n), z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def test_share_interval_is_newcombes_by_hand():
    # 30 of 100 women, 20 of 100 men with a secondary education (a share in % with counts)
    rows = [dict(year=2022, sex="female", urban_rural="total", numerator=30, denominator=100, value=30.0),
            dict(year=2022, sex="male", urban_rural="total", numerator=20, denominator=100, value=20.0)]  # fmt: skip
    row = breakdown_gaps(small_frame(rows, "ED-04-1"), "sex").iloc[0]
    (l1, u1), (l2, u2) = wilson(30, 100), wilson(20, 100)
    d = 0.30 - 0.20
    lower = d - math.sqrt((0.30 - l1) ** 2 + (u2 - 0.20) ** 2)
    upper = d + math.sqrt((u1 - 0.30) ** 2 + (0.20 - l2) ** 2)
    assert row["difference"] == pytest.approx(10.0)
    assert row["difference_lower"] == pytest.approx(lower * 100) and row["difference_upper"] == pytest.approx(upper * 100)
    assert row["ratio"] == pytest.approx(1.5) and row["ratio_lower"] < 1.5 < row["ratio_upper"]


def test_towns_pool_small_counts_by_hand(db):
    table = towns(db, "HE-02-1", min_events=0).set_index("region")
    for town in ("永和镇", "和平彝族乡"):
        n = sum(value(db, "HE-02-1", town, y, column="numerator") for y in range(2021, 2026))
        d = sum(value(db, "HE-02-1", town, y, column="denominator") for y in range(2021, 2026))
        assert (table.loc[town, "numerator"], table.loc[town, "denominator"]) == (n, d)
        assert table.loc[town, "value"] == pytest.approx(n / d * 1e5)
    ethnic = sum(value(db, "HE-02-1", t, y, column="denominator") for t in ("和平彝族乡", "共安彝族乡") for y in range(2021, 2026))
    assert table.loc["民族乡（合并）", "denominator"] == ethnic
    few = towns(db, "HE-02-1", min_events=10**6)  # below the threshold: counts only, no rate
    assert few["value"].isna().all() and few["shown_as"].str.contains("仅列计数").all()


def test_towns_without_counts_by_hand(db):
    table = towns(db, "DM-02-3").set_index("region")
    latest = {t: value(db, "DM-02-3", t, 2025) for t in ("和平彝族乡", "共安彝族乡")}
    assert table.loc["和平彝族乡", "value"] == latest["和平彝族乡"]
    assert table.loc["民族乡（平均）", "value"] == pytest.approx(sum(latest.values()) / 2)
    assert table["synthetic"].all()


def test_levels_latest_pools_rare_events_by_hand(db):
    he = levels_latest(db).set_index("indicator_id").loc["HE-02-1"]
    n = sum(value(db, "HE-02-1", "金口河区", y, column="numerator") for y in range(2021, 2026))
    d = sum(value(db, "HE-02-1", "金口河区", y, column="denominator") for y in range(2021, 2026))
    assert he["pooled"].startswith("2021–2025合并") and f"（{int(n)}/{int(d)}）" in he["pooled"]
