"""The synthetic example is reproducible and labelled; the entry workbook round-trips it."""

import io
import shutil

import pandas as pd
import pytest
from synthetic.arrival import as_they_arrive
from synthetic.district import DEFAULT_SEED, generate, to_csv_frame

from analysis import CATALOG
from analysis.data import Vocabulary, ingest, load_observations, write_entry_workbook
from analysis.data.records import KEY
from analysis.paths import DATA_RAW

SHIPPED = DATA_RAW / "synthetic" / "jinkouhe_synthetic_example.csv"


def test_shipped_example_is_what_the_generator_makes():
    # shipped as real district data arrive (scripts/make_synthetic_example.py)
    buffer = io.StringIO()
    to_csv_frame(as_they_arrive(generate(DEFAULT_SEED))).to_csv(buffer, index=False, lineterminator="\n")
    assert buffer.getvalue().encode("utf-8") == SHIPPED.read_bytes()


def test_every_row_is_labelled_synthetic():
    frame = pd.read_csv(SHIPPED, dtype=str, keep_default_na=False)
    assert "synthetic" in SHIPPED.name
    assert set(frame["synthetic"]) == {"true"}
    assert frame["source"].str.contains("合成示例数据").all()


@pytest.fixture(scope="module")
def synthetic_store(tmp_path_factory):
    root = tmp_path_factory.mktemp("synthetic")
    (root / "raw").mkdir()
    shutil.copy(SHIPPED, root / "raw" / SHIPPED.name)
    ingest(root / "raw", root / "processed")
    return root, load_observations(root / "processed", by_age=True)


def test_small_counts_are_counts_at_district_scale(synthetic_store):
    _, observed = synthetic_store
    mmr = observed.query("indicator_id == 'HE-02-1' and region == '金口河区' and urban_rural == 'total'")
    assert mmr["numerator"].isin([0, 1, 2]).all()
    assert mmr["denominator"].between(200, 600).all()


def test_age_rows_are_read_apart_and_labelled_synthetic(synthetic_store):
    root, observed = synthetic_store
    ages = observed.loc[observed["age_group"] != ""]
    assert set(ages["indicator_id"]) == {"ED-09-2", "SS-04-1"} and ages["synthetic"].all()
    assert set(ages["sex"]) == {"female", "male"}  # by sex within each age group
    default = load_observations(root / "processed")  # what the assessment reads: all ages only
    assert "age_group" not in default and len(default) == (observed["age_group"] == "").sum()


def test_generic_breakdowns_lie_around_the_total(synthetic_store):
    _, observed = synthetic_store
    # counts split into 城镇 + 农村 add up to the total (城乡最低生活保障女性人数)
    low = observed.query("indicator_id == 'SS-06-1' and region == '金口河区'").pivot_table(
        index="year", columns="urban_rural", values="value")
    assert (low["urban"] + low["rural"] == low["total"]).all()
    # a share's urban and rural values lie on either side of the total on average (rural worse)
    screening = observed.query("indicator_id == 'HE-03-1' and region == '金口河区' and sex == 'total'").pivot_table(
        index="year", columns="urban_rural", values="value").mean()
    assert screening["rural"] < screening["total"] < screening["urban"]


def test_entry_workbook_round_trip(synthetic_store, tmp_path):
    root, observed = synthetic_store
    district = observed.loc[observed["region"].isin(["金口河区", *Vocabulary.default().regions.query(
        "parent == '金口河区'")["region"]])]  # fmt: skip
    book = tmp_path / "raw" / "filled_synthetic.xlsx"
    write_entry_workbook(book, CATALOG, Vocabulary.default(), "金口河区", district, source="合成示例数据")
    ingest(tmp_path / "raw", tmp_path / "processed")
    back = load_observations(tmp_path / "processed", by_age=True)
    assert set(back.loc[back["indicator_id"] == "SS-04-1", "age_group"]) == {"", "16-44", "45-59", "60+"}
    columns = [*KEY, "value", "numerator", "denominator", "status"]
    expected = district.loc[district.apply(_in_workbook, axis=1), columns].copy()
    # The workbook carries counts for rates of rare events only; an elected body's seats (women of
    # members) come in by long table, and the workbook keeps their share.
    rare = expected["indicator_id"].map(lambda i: bool(CATALOG.indicator(i)["small_count"]))
    expected.loc[~rare, ["numerator", "denominator"]] = float("nan")
    got = back[columns]
    pd.testing.assert_frame_equal(
        expected.sort_values(list(KEY)).reset_index(drop=True), got.sort_values(list(KEY)).reset_index(drop=True),
        check_exact=False, rtol=1e-9, check_dtype=False,
    )
    assert back["synthetic"].all()


def _in_workbook(obs) -> bool:
    """The workbook has no rows for gaps, years outside 2015–2030, or sex × urban/rural cells."""
    kind = CATALOG.indicator(obs["indicator_id"])["target_kind"]
    return kind != "gap_narrowing" and 2015 <= obs["year"] <= 2030 and (
        obs["sex"] == "total" or obs["urban_rural"] == "total")
