"""The higher levels' outline targets: every row sourced and quoted, checked on load."""

import pandas as pd
import pytest

from analysis import CATALOG, CatalogError
from analysis.catalog import TARGET_LEVEL_COLUMNS, TARGETS_BY_LEVEL_CSV, load_targets_by_level


def test_shipped_targets_load_and_agree_with_the_catalog():
    targets = load_targets_by_level()
    assert len(targets) >= 4
    national = targets.loc[targets["level"] == "全国"].set_index("indicator_id")
    assert national.loc["HE-02-1", "target_value"] == 12 and national.loc["HE-02-1", "target_kind"] == "at_most"
    # where indicators.csv already states a national target, the two tables agree
    stated = CATALOG.indicators.dropna(subset=["national_target_value"]).set_index("indicator_id")
    for indicator_id, value in stated["national_target_value"].items():
        assert national.loc[indicator_id, "target_value"] == value


def _write(tmp_path, **change):
    row = pd.read_csv(TARGETS_BY_LEVEL_CSV, dtype=str, keep_default_na=False).iloc[[1]].assign(**change)
    path = tmp_path / "targets_by_level.csv"
    row[TARGET_LEVEL_COLUMNS].to_csv(path, index=False)
    return path


@pytest.mark.parametrize("change, message", [
    ({"target_value": "13"}, "does not state 13"),
    ({"level": "成都市"}, "level must be"),
    ({"indicator_id": "HE-99-1"}, "not a catalog indicator"),
    ({"target_kind": "fewer"}, "unknown target_kind"),
    ({"quote": ""}, "required"),
])  # fmt: skip
def test_a_bad_row_names_its_line(tmp_path, change, message):
    with pytest.raises(CatalogError, match=f"line 2.*{message}"):
        load_targets_by_level(_write(tmp_path, **change))


def test_the_unchanged_row_passes(tmp_path):
    assert len(load_targets_by_level(_write(tmp_path))) == 1
