"""The panel engine gives every series exactly what ``assess_series`` gives it alone.

The panel sorts once, slices arrays, solves the forecast tables of many series together and may
spread them over processes; none of that may change a result. Each series here is rebuilt from
the observations by hand (its rows with status "value", in year order, the catalog's options) and
assessed alone, then compared field by field.
"""

import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from synthetic.counties import county_panel

from analysis import CATALOG
from analysis.assessment import panel
from analysis.assessment.panel import SERIES_KEY, assess_observations
from analysis.assessment.series import assess_series
from analysis.assessment.target import Target
from analysis.data.ingest import ingest, load_observations
from analysis.data.vocabulary import load_regions
from analysis.paths import DATA_RAW

YEAR = 2025


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    processed = tmp_path_factory.mktemp("processed")
    ingest(DATA_RAW, processed)
    return load_observations(processed)


def alone(observations: pd.DataFrame, key: tuple):
    """One series assessed by itself, as a user would call assess_series."""
    ind = CATALOG.indicators.set_index("indicator_id").loc[key[0]]
    rows = observations.loc[(observations[SERIES_KEY] == pd.Series(key, index=SERIES_KEY)).all(axis=1)
                            & (observations["status"] == "value") & (observations["year"] <= YEAR)]  # fmt: skip
    rows = rows.sort_values("year")
    reference = None
    if ind.target_reference:
        ref = observations.loc[(observations["indicator_id"] == ind.target_reference) & (observations["region"] == key[1])
                               & (observations["sex"] == key[2]) & (observations["urban_rural"] == key[3])
                               & (observations["status"] == "value") & (observations["year"] <= YEAR)]  # fmt: skip
        if ref.empty:
            return None  # judged "insufficient data" without a series to assess
        reference = float(ref.sort_values("year")["value"].iloc[-1])
    target = Target.from_indicator(ind, reference)
    levels = dict(zip(load_regions()["region"], load_regions()["level"]))
    has_female = ((observations["indicator_id"] == key[0]) & (observations["region"] == key[1])
                  & (observations["sex"] == "female") & (observations["urban_rural"] == key[3])
                  & (observations["population_group"] == key[4]) & (observations["status"] == "value")).any()  # fmt: skip
    proxy = ind.judged_on == "female" and key[2] == "total" and not has_female
    options = dict(as_of=YEAR, **panel.series_options(SimpleNamespace(indicator_id=key[0], **ind.to_dict()), levels.get(key[1]),
                                                      proxy))  # fmt: skip
    if (ind.small_count or ind.elected) and len(rows) and rows["denominator"].notna().all():
        return assess_series(rows["year"].tolist(), rows["value"].tolist(), target, numerators=rows["numerator"].tolist(),
                             denominators=rows["denominator"].tolist(), per=float(ind.per) if pd.notna(ind.per) else 100.0,
                             count_labels=(ind.numerator_zh, ind.denominator_zh), **options)  # fmt: skip
    return assess_series(rows["year"].tolist(), rows["value"].tolist(), target, **options)


def same(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def check_every_series(observations: pd.DataFrame, results, regions=None) -> int:
    checked = 0
    for key, result in results.assessments.items():
        if regions is not None and key[1] not in regions:
            continue
        if CATALOG.indicators.set_index("indicator_id").loc[key[0], "target_kind"] == "gap_narrowing":
            continue  # gaps are built from other series, not observed
        one = alone(observations, key)
        if one is None:
            assert result.status == "insufficient_data", key
            continue
        assert (result.status, result.level, [r.code for r in result.reasons]) == (
            one.status, one.level, [r.code for r in one.reasons]), key  # fmt: skip
        assert same(result.probability, one.probability) and same(result.test_p, one.test_p), key
        assert result.evidence == one.evidence and result.years == one.years, key
        panel_table, own_table = result.forecast_table(), one.forecast_table()
        assert len(panel_table) == len(own_table), key
        if len(own_table):
            np.testing.assert_allclose(panel_table.to_numpy(float), own_table.to_numpy(float), rtol=1e-9, atol=1e-9,
                                       err_msg=str(key))  # fmt: skip
        checked += 1
    return checked


def test_panel_agrees_with_assess_series_on_every_shipped_series(shipped):
    results = assess_observations(shipped, YEAR)
    assert check_every_series(shipped, results) > 150


def test_process_pool_and_one_process_give_the_same_tables(shipped, monkeypatch):
    """Spread over two processes in chunks, the shipped data and a synthetic county panel come out the same."""
    observations = pd.concat([shipped, county_panel(3)], ignore_index=True)
    one = assess_observations(observations, YEAR)
    monkeypatch.setattr(panel, "PARALLEL_FROM", 10)
    two = assess_observations(observations, YEAR, jobs=2)
    pd.testing.assert_frame_equal(one.table, two.table, check_exact=False, rtol=1e-12)
    pd.testing.assert_frame_equal(one.forecasts(), two.forecasts(), check_exact=False, rtol=1e-12)
    assert list(one.assessments) == list(two.assessments)
    assert check_every_series(observations, two, regions={"合成县001", "合成县002", "合成县003"}) > 3 * 100


def test_synthetic_counties_say_so():
    frame = county_panel(2)
    assert frame["synthetic"].all() and frame["source"].str.contains("synthetic").all()
    assert frame["region"].str.startswith("合成县").all()
    pd.testing.assert_frame_equal(frame, county_panel(2))  # seeded: the same panel every time
