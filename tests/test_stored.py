"""The run's stored assessment: what the notebooks read is what they would have computed, and a
store made from other data, year, configuration or code is never read."""

import shutil
from pathlib import Path
from dataclasses import replace

import pandas as pd
import pytest
from conftest import write_csv

import analysis.assessment.panel as panel
import analysis.assessment.stored as stored
import analysis.report.sections as sections
from analysis.assessment import DEFAULT_CONFIG
from analysis.assessment.panel import assess_observations
from analysis.assessment.stored import read_assessment, store_assessment
from analysis.data import ingest, load_observations
from analysis.data.region import region_and_towns
from analysis.paths import DATA_RAW
from analysis.report.sections import DOMAINS, DomainSection, Overview
from analysis.report.tables import indicator_table

YEAR, REGION = 2025, "金口河区"


@pytest.fixture(scope="module")
def processed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stored") / "processed"
    ingest(DATA_RAW, folder)
    return folder


def region_frame(processed):
    frame = load_observations(processed, up_to_year=YEAR)
    return frame.loc[frame["region"].isin(region_and_towns(REGION))]


def test_the_stored_assessment_is_the_assessment(processed):
    frame = region_frame(processed)
    shutil.rmtree(processed / "assessments", ignore_errors=True)
    fresh = assess_observations(frame, YEAR)
    first, was_stored = store_assessment(processed, frame, YEAR, REGION)
    assert not was_stored
    again, was_stored = store_assessment(processed, frame, YEAR, REGION)
    assert was_stored  # read back, not assessed again
    pd.testing.assert_frame_equal(again.table, fresh.table)
    pd.testing.assert_frame_equal(again.forecasts(), fresh.forecasts())
    assert again.assessments.keys() == fresh.assessments.keys()
    assert [r.summary() for r in again.assessments.values()] == [r.summary() for r in fresh.assessments.values()]


def as_objects(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.astype(object)
    return frame.where(frame.notna(), None)


def _shown(section) -> tuple:
    """What a notebook shows of the assessment: the headline, the status table, the series charted."""
    return (section.headline, indicator_table(section.headline, "zh", export=True),
            [i for i, _ in section._series()] if isinstance(section, DomainSection) else None)


def test_notebooks_read_the_store_and_show_what_they_would_have_computed(processed, monkeypatch):
    shutil.rmtree(processed / "assessments", ignore_errors=True)
    # Opened by hand, without a store: each notebook assesses its own data.
    by_hand = {d: _shown(DomainSection(domain=d, year=YEAR, processed_dir=processed)) for d in DOMAINS}
    overview = Overview(year=YEAR, processed_dir=processed)
    by_hand["overview"] = _shown(overview)
    warnings_by_hand = overview.results.warnings(REGION)
    assert not (processed / "assessments").exists()  # a notebook does not write the store

    store_assessment(processed, region_frame(processed), YEAR, REGION)

    def no_assessing(*args, **kwargs):
        raise AssertionError("assessed again although the run stored the assessment")

    monkeypatch.setattr(sections, "assess_observations", no_assessing)
    monkeypatch.setattr(panel, "assess_observations", no_assessing)  # what a notebook without the store calls
    for domain in DOMAINS:
        headline, table, series = _shown(DomainSection(domain=domain, year=YEAR, processed_dir=processed))
        # dtypes aside: a column missing in every series of one domain (test_p where no rate of few events
        # is judged) is None (object) in a one-domain assessment and <NA> (Float64) in the region's
        pd.testing.assert_frame_equal(as_objects(headline), as_objects(by_hand[domain][0]))
        pd.testing.assert_frame_equal(table, by_hand[domain][1])
        assert series == by_hand[domain][2]
    overview = Overview(year=YEAR, processed_dir=processed)
    pd.testing.assert_frame_equal(overview.headline, by_hand["overview"][0])
    pd.testing.assert_frame_equal(overview.results.warnings(REGION), warnings_by_hand)
    assert len(warnings_by_hand) >= 1


def test_a_store_from_other_data_year_configuration_or_code_is_never_read(processed, monkeypatch):
    frame = region_frame(processed)
    store_assessment(processed, frame, YEAR, REGION)
    assert read_assessment(processed, frame, YEAR, REGION, DEFAULT_CONFIG) is not None
    changed = frame.copy()
    changed.loc[changed["value"].notna().idxmax(), "value"] += 1.0  # one value revised
    assert read_assessment(processed, changed, YEAR, REGION, DEFAULT_CONFIG) is None
    assert read_assessment(processed, frame, YEAR - 1, REGION, DEFAULT_CONFIG) is None
    assert read_assessment(processed, frame, YEAR, "永和镇", DEFAULT_CONFIG) is None
    assert read_assessment(processed, frame, YEAR, REGION, replace(DEFAULT_CONFIG, basically_share_pp=2.0)) is None
    monkeypatch.setattr(stored, "code_version", lambda: "changed-code")
    assert read_assessment(processed, frame, YEAR, REGION, DEFAULT_CONFIG) is None
    monkeypatch.undo()
    # Storing the revised data replaces the old store, which could never be read again.
    store_assessment(processed, changed, YEAR, REGION)
    assert len(list((processed / "assessments").glob(f"{YEAR}_{REGION}_*.parquet"))) == 1
    assert read_assessment(processed, frame, YEAR, REGION, DEFAULT_CONFIG) is None
    assert read_assessment(processed, changed, YEAR, REGION, DEFAULT_CONFIG) is not None


def test_a_domain_without_data_says_so_when_opened_by_hand(tmp_path):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    write_csv(raw / "economy.csv", [["EC-02-1", "金口河区", "2024", "", "", "44.0", "", "", "", "区统计局"]])
    ingest(raw, processed)
    health = DomainSection(domain="health", year=2024, processed_dir=processed)
    assert "暂无数据" in health.title() and "妇女与健康" in health.title()
    english = DomainSection(domain="health", year=2024, processed_dir=processed, lang="en")
    assert "No data" in english.title()
    # every cell of the notebook still runs, on empty tables
    for part in (health.goals, health.summary, health.status_table, health.warnings, health.progress_measures,
                 health.fan_charts, health.gaps, health.gap_charts, health.not_judged, health.sources):  # fmt: skip
        part()
    assert health.headline.empty
    economy = DomainSection(domain="economy", year=2024, processed_dir=processed)
    assert "暂无数据" not in economy.title() and len(economy.headline) == 1
    assert "暂无数据" not in Overview(year=2024, processed_dir=processed).title()
    assert "暂无数据" in Overview(year=2024, region="永和镇", processed_dir=processed).title()


def test_the_document_finds_the_run_s_assessment(processed):
    """The Word document selects its observations its own way; it must still hit the run's store."""
    store_assessment(processed, region_frame(processed), YEAR, REGION)
    frame = sections.observations(processed)
    as_the_document_reads = frame.loc[frame["region"].isin(region_and_towns(REGION)) & (frame["year"] <= YEAR)]
    assert read_assessment(processed, as_the_document_reads, YEAR, REGION, DEFAULT_CONFIG) is not None


def test_the_code_version_covers_every_stage_of_the_package():
    """The reuse key of stored assessments and of the runner's notebooks: a change to a report module
    (report/, figures/) must re-run the notebooks, not only a change to assessment/ (after the stages
    became folders the hash covered assessment/ alone, and a changed table style was never drawn)."""
    import analysis

    package = Path(analysis.__file__).resolve().parent
    assert stored.PACKAGE == package
    modules = {p.relative_to(package).parts[0] for p in package.rglob("*.py")}
    assert {"report", "figures", "run", "catalog", "data"} <= modules
