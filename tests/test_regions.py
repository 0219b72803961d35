"""Many regions in one command: which regions, one assessment, a ranking a reader can check by eye."""

import pandas as pd
import pytest
from tiny import write_tiny_notebooks

from analysis.assessment.panel import assess_observations
from analysis.data import load_observations
from analysis.paths import DATA_RAW
from analysis.run.regions import UnknownRegion, compare_regions, resolve_regions
from analysis.run.runner import run_regions

TOWNS = ["共安彝族乡", "吉星乡", "和平彝族乡", "永和镇", "永胜乡", "金河镇"]


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    root = tmp_path_factory.mktemp("regions")
    written, summaries = run_regions(2025, "all", notebooks=False, raw_dir=DATA_RAW, processed_dir=root / "processed",
                                     reports_dir=root / "reports", progress=False)  # fmt: skip
    return root, written, summaries


def test_all_is_every_region_with_data_but_the_comparison_levels(compared):
    root, _, _ = compared
    observations = load_observations(root / "processed")
    assert resolve_regions("all", observations) == sorted(["金口河区", *TOWNS])
    assert resolve_regions("金口河区，永和镇", observations) == ["金口河区", "永和镇"]
    with pytest.raises(UnknownRegion, match="峨边彝族自治县"):
        resolve_regions("金口河区,峨边彝族自治县", observations)


def test_compare_only_writes_the_ranking_chart_and_assessment(compared):
    root, written, summaries = compared
    folder = root / "reports" / "2025" / "regions"
    assert not summaries and not (root / "reports" / "2025" / "金口河区").exists()  # no notebooks asked for
    assert {p.name for p in written} >= {"regions_ranked.csv", "regions_ranked.xlsx", "regions_ranked.png",
                                         "regions_ranked.pdf", "assessment.parquet"}  # fmt: skip
    ranked = pd.read_csv(folder / "regions_ranked.csv", encoding="utf-8-sig")
    assert sorted(ranked["地区"]) == sorted(["金口河区", *TOWNS]) and list(ranked["排名"]) == list(range(1, 8))
    rates = ranked["达标率"].dropna()
    assert rates.is_monotonic_decreasing  # ranked by attainment rate
    assessment = pd.read_parquet(folder / "assessment.parquet")
    assert set(assessment["region"]) == set(ranked["地区"])  # the comparison levels are not ranked


def test_a_region_meeting_every_target_ranks_above_one_missing_them():
    """Two made-up regions, the same four 'at least' targets: one far above each, one far below."""
    years = range(2016, 2026)
    rows = []
    for region, value in (("甲县", 99.0), ("乙县", 20.0)):
        for indicator in ("HE-03-1", "HE-03-3", "HE-03-4", "HE-02-4"):  # shares with 'at least' targets
            rows += [dict(indicator_id=indicator, region=region, year=y, sex="total", urban_rural="total",
                          population_group="", value=value, numerator=None, denominator=None, status="value",
                          source="test", synthetic=True) for y in years]  # fmt: skip
    results = assess_observations(pd.DataFrame(rows), 2025)
    ranked = compare_regions(results, ["乙县", "甲县"])
    assert list(ranked["region"]) == ["甲县", "乙县"]
    assert ranked["attainment_rate"].tolist() == [1.0, 0.0]
    assert ranked.loc[1, "level_red"] > 0 and ranked.loc[0, "level_red"] == 0


def test_several_regions_run_their_notebooks(tmp_path):
    notebooks = write_tiny_notebooks(tmp_path / "notebooks")
    _, summaries = run_regions(2025, "金口河区,永和镇", domains=["health"], raw_dir=DATA_RAW, jobs=1,
                               processed_dir=tmp_path / "processed", reports_dir=tmp_path / "reports",
                               notebooks_dir=notebooks, progress=False)  # fmt: skip
    assert [s.region for s in summaries] == ["金口河区", "永和镇"] and all(s.ok for s in summaries)
    kernels = set()
    for region in ("金口河区", "永和镇"):
        for name in ("health", "overview"):
            folder = tmp_path / "reports" / "2025" / region / name
            assert (folder / "ran.txt").read_text().startswith(f"{name} zh 2025")  # each notebook its own parameters
            kernels.add((folder / "kernel.txt").read_text())
    assert len(kernels) == 1  # one worker: its kernel started once for both regions' notebooks
    assert (tmp_path / "reports" / "2025" / "regions" / "regions_ranked.csv").exists()
