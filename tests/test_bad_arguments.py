"""Issue #22: commands check their arguments before writing anything (exit 2, nothing written)."""

import pytest
from conftest import GOOD_ROWS, write_csv
from test_bad_input_ledger import cli  # noqa: F401  (the fixture)

from analysis.data.arguments import BadArgument, check_mode, check_region, normalise


@pytest.fixture
def loaded(cli):  # noqa: F811
    write_csv(cli.raw / "district" / "base.csv", GOOD_ROWS)  # 金口河区 2020–2022
    write_csv(cli.raw / "towns.csv", [["EC-02-1", "永和镇", "2022", "", "", "43.0", "", "", "", "永和镇政府"]])
    cli.ok()
    return cli


def test_run_with_an_unknown_region_is_refused_with_the_nearest_names(loaded):
    loaded.refused("run: unknown region '不存在的乡镇'", "regions.csv", "nothing was written",
                   args=("run", "--region", "不存在的乡镇"))  # fmt: skip
    assert not (loaded.tmp / "reports").exists()


def test_a_misspelt_region_is_offered_the_nearest_known_name(loaded):
    loaded.refused("unknown region '永和真'", "did you mean 永和镇", args=("run", "--region", "永和真"))


def test_a_region_known_to_the_catalog_but_without_data_is_refused(loaded):
    loaded.refused("the database has no data for region '吉星乡'", "regions with data: ", "金口河区",
                   args=("run", "--region", "吉星乡"))  # fmt: skip


@pytest.mark.parametrize("typed", ["永和鎮", "永和镇 ", " 永和镇\u200b", "永和鎮　"])
def test_traditional_characters_and_stray_spaces_are_normalised(loaded, typed):
    # the document of a normalised region: it gets as far as asking for that region's run
    loaded.refused("no run for 永和镇 2022", args=("document", "--region", typed, "--year", "2022"))


@pytest.mark.parametrize("year", ["1999", "2031", "2019", "2023"])
def test_run_for_a_year_without_data_is_refused(loaded, year):
    loaded.refused(f"no data for 金口河区 in {year}: its data covers 2020–2022", "--year 2022", "nothing was written",
                   args=("run", "--year", year))  # fmt: skip
    assert not (loaded.tmp / "reports").exists()


def test_several_regions_each_checked(loaded):
    loaded.refused("unknown region '不存在'", args=("run", "--region", "金口河区,不存在", "--compare-only"))
    loaded.refused("no data for 永和镇 in 2021", args=("run", "--region", "金口河区、永和镇", "--year", "2021",
                                                        "--compare-only"))  # fmt: skip


def test_all_regions_with_a_year_beyond_the_data_is_refused(loaded):
    loaded.refused("no data for any region in 2031", args=("run", "--region", "all", "--year", "2031", "--compare-only"))


@pytest.mark.parametrize(("mode", "due"), [("final", 2030), ("midterm", 2025)])
def test_an_evaluation_before_its_year_is_refused(loaded, mode, due):
    loaded.refused(f"is of {due}, but the report year is 2022", "--mode annual", args=("document", "--mode", mode))


def test_document_for_a_year_without_data_is_refused(loaded):
    loaded.refused("no data for 金口河区 in 2031", args=("document", "--year", "2031"))


def test_template_for_an_unknown_region_is_refused(loaded):
    loaded.refused("unknown region '金口河县'", "did you mean 金口河区", args=("template", "--region", "金口河县"))


def test_the_checks_themselves():
    assert normalise("和平彝族鄉 ") == "和平彝族乡" and check_region("永勝鄉") == "永胜乡"
    check_mode("final", 2030)
    check_mode("annual", 2021)
    with pytest.raises(BadArgument):
        check_mode("final", 2029)


def test_figure_for_an_unknown_region_or_a_year_without_data_is_refused(loaded):
    loaded.refused("unknown region '永和'", "did you mean 永和镇", args=("figure", "--list", "--region", "永和"))
    loaded.refused("no data for 金口河区 in 2031", args=("figure", "HE-02-1", "--year", "2031"))
