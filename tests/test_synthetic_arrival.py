"""The shipped synthetic example arrives as real district data do: sparse, uneven, some of it late."""

import pandas as pd
import pytest
from synthetic.arrival import CENSUS_YEARS, MIN_KEPT, SURVEY_ROUNDS, as_they_arrive
from synthetic.district import CONGRESS, VILLAGE, generate

from analysis import CATALOG


@pytest.fixture(scope="module")
def frames():
    dense = generate()
    return dense, as_they_arrive(dense)


def _years(frame, indicator_id):
    return set(frame.loc[(frame["indicator_id"] == indicator_id) & (frame["region"] == "金口河区"), "year"])


def test_surveys_and_the_census_arrive_only_in_their_rounds(frames):
    _, arrived = frames
    ind = CATALOG.indicators.set_index("indicator_id")
    for indicator_id in set(arrived["indicator_id"]):
        every = ind.loc[indicator_id, "frequency_years"]
        if every == 5 and not ind.loc[indicator_id, "elected"]:
            assert _years(arrived, indicator_id) <= set(SURVEY_ROUNDS), indicator_id
        if every == 10:
            assert _years(arrived, indicator_id) <= set(CENSUS_YEARS), indicator_id


def test_elected_bodies_arrive_only_in_election_years(frames):
    _, arrived = frames
    assert _years(arrived, "DM-08-3") == {y for y in VILLAGE if 2015 <= y <= 2025}  # 村委会: 2017, 2021
    assert _years(arrived, "DM-03-1") == {y for y in CONGRESS if 2015 <= y <= 2025}  # 人大: 2016, 2021


def test_annual_series_lose_some_years_but_keep_their_first_and_enough(frames):
    dense, arrived = frames
    annual = CATALOG.indicators.query("frequency_years == 1 and not elected")["indicator_id"]
    kept, lost, late = [], 0, 0
    for indicator_id in set(annual) & set(arrived["indicator_id"]):
        before, after = _years(dense, indicator_id), _years(arrived, indicator_id)
        assert after <= before and min(before) in after and len(after) >= min(MIN_KEPT, len(before))
        lost += len(before - after)
        late += max(before) not in after
        kept.append(indicator_id)
    total = sum(len(_years(dense, i)) for i in kept)
    assert 0.05 < lost / total < 0.35  # about 15 % of years missing, a fifth of indicators late
    assert 0.05 < late / len(kept) < 0.40


def test_an_indicator_year_arrives_whole(frames):
    dense, arrived = frames
    # every row of a kept (indicator, year) is kept: towns, sexes, urban/rural and age groups
    key = ["indicator_id", "year"]
    kept = arrived[key].drop_duplicates()
    rows_dense = dense.merge(kept, on=key).groupby(key).size()
    rows_arrived = arrived.groupby(key).size()
    assert rows_dense.sort_index().equals(rows_arrived.sort_index())


def test_same_seed_same_rows_and_every_row_says_how_it_was_made(frames):
    dense, arrived = frames
    again = as_they_arrive(generate())
    pd.testing.assert_frame_equal(arrived, again)
    assert arrived["source"].str.contains("合成示例数据").all()
    assert arrived["source"].str.contains("thinned as real data arrive").all()
