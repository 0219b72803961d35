"""The annual run on the shipped data: outputs whole, the warning list right, failures contained."""

import json
import shutil

import nbformat
import pandas as pd
import pytest
from PIL import Image

from analysis import CATALOG
from analysis.assessment.panel import assess_observations
from analysis.data import load_observations
from analysis.paths import DATA_RAW, NOTEBOOKS
from analysis.runner import run

YEAR = 2025
# Golden numbers on the shipped data (national reference + synthetic district example) for 2025:
# they change only when the data, the catalog or the engine's rules change; update them then.
CATALOG_DOMAINS_ZH = list(CATALOG.domains["name_zh"])


@pytest.fixture(scope="module")
def shipped_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("run")
    summary = run(year=YEAR, domains=["health", "law"], raw_dir=DATA_RAW, processed_dir=root / "processed",
                  reports_dir=root / "reports", progress=False)  # fmt: skip
    return root, summary


def test_run_produces_every_output(shipped_run):
    root, summary = shipped_run
    assert summary.ok, summary.summary()
    folder = root / "reports" / str(YEAR) / "金口河区"
    assert summary.folder == folder
    for name in ("health", "law", "overview"):
        assert (folder / name / f"{name}.ipynb").exists()
        html = (folder / name / f"{name}.html").read_text(encoding="utf-8")
        assert "from analysis" not in html  # code cells are left out of the HTML
    health = folder / "health"
    for suffix in ("png", "pdf"):  # SVG and other sizes on request: python -m analysis figure
        assert (health / "figures" / f"HE-02-1.{suffix}").exists()
    with Image.open(health / "figures" / "HE-02-1.png") as png:
        assert round(png.info["dpi"][0]) == 300
    for table in ("health_indicators", "health_warnings", "health_not_judged"):
        assert (health / "tables" / f"{table}.csv").exists() and (health / "tables" / f"{table}.xlsx").exists()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["ok"] and manifest["year"] == YEAR
    assert manifest["package_versions"]["statsmodels"]
    assert set(manifest["database"]["inputs"]) == {
        "data/raw/comparison/comparison_figures.csv",
        "data/raw/national/national_outline_monitoring_reports.csv",
        "data/raw/synthetic/jinkouhe_synthetic_example.csv",
    }
    executed = nbformat.read(health / "health.ipynb", as_version=4)
    assert any("injected-parameters" in c.metadata.get("tags", []) for c in executed.cells)


def test_warning_list_matches_the_engine(shipped_run):
    root, _ = shipped_run
    table = pd.read_csv(root / "reports" / str(YEAR) / "金口河区" / "overview" / "tables" / "warning_list.csv",
                        encoding="utf-8-sig")  # fmt: skip
    expected = assess_observations(load_observations(root / "processed"), YEAR).warnings("金口河区")
    assert list(table["指标代码"]) == list(expected["indicator_id"])
    assert list(table["预警"]) == [{"red": "红色", "yellow": "黄色"}[lv] for lv in expected["level"]]
    assert (table["预警"] == "红色").sum() >= 1 and (table["预警"] == "黄色").sum() >= 1
    assert table["合成数据"].all()  # made from the synthetic example, and says so


def test_a_failing_notebook_does_not_stop_the_others(tmp_path, shipped_run):
    root, _ = shipped_run
    notebooks = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS, notebooks)
    broken = nbformat.read(notebooks / "domain.ipynb", as_version=4)
    broken.cells.insert(3, nbformat.v4.new_code_cell('assert domain != "law", "deliberately broken for law"'))
    nbformat.write(broken, notebooks / "domain.ipynb")
    reports = tmp_path / "reports"
    summary = run(year=YEAR, domains=["law", "family"], raw_dir=DATA_RAW, processed_dir=root / "processed",
                  reports_dir=reports, notebooks_dir=notebooks, overview=False, progress=False)  # fmt: skip
    assert not summary.ok
    failed = {r.name: r for r in summary.runs}
    assert not failed["law"].ok and "deliberately broken" in failed["law"].error
    assert failed["law"].failed_cell is not None
    assert failed["family"].ok
    assert "FAILED  law" in summary.summary() and "cell" in summary.summary()
    assert (reports / str(YEAR) / "金口河区" / "family" / "family.html").exists()
    assert not list(reports.glob(".staging-*"))


def test_rerunning_a_year_replaces_it_whole(tmp_path, shipped_run):
    root, _ = shipped_run
    reports = tmp_path / "reports"
    first = run(year=YEAR, domains=["law"], raw_dir=DATA_RAW, processed_dir=root / "processed",
                reports_dir=reports, overview=False, progress=False)  # fmt: skip
    stray = first.folder / "law" / "left_over_from_an_old_run.txt"
    stray.write_text("old", encoding="utf-8")
    second = run(year=YEAR, domains=["family"], raw_dir=DATA_RAW, processed_dir=root / "processed",
                 reports_dir=reports, overview=False, progress=False)  # fmt: skip
    assert second.ok
    assert not (second.folder / "law").exists() and (second.folder / "family").exists()
    assert [p.name for p in reports.iterdir()] == [str(YEAR)]


def test_a_past_year_sees_only_data_up_to_that_year(shipped_run):
    from analysis.sections import DomainSection

    root, _ = shipped_run
    section = DomainSection(domain="health", year=2022, processed_dir=root / "processed")
    assert section.headline["latest_year"].max() == 2022
    assert section.results.as_of == 2022


def test_document_for_the_district_government(shipped_run):
    from docx import Document

    from analysis.document import build_document

    root, _ = shipped_run
    docx_path, html_path = build_document(YEAR, mode="annual", reports_dir=root / "reports",
                                          processed_dir=root / "processed")  # fmt: skip
    document = Document(str(docx_path))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "一、总体情况"
    chapters = [h for h in headings if h[:2] in {f"{n}、" for n in "二三四五六七八九"}]
    assert [c[2:] for c in chapters] == list(CATALOG_DOMAINS_ZH)
    assert headings[-3:] == ["附录一 方法", "附录二 数据", "数据修订"]
    assert document.paragraphs[0].style.name == "Title" and "2025年年度监测报告" in document.paragraphs[0].text
    assert any("合成示例数据" in p.text for p in document.paragraphs)  # the synthetic district data says so
    assert len(document.tables) >= 12 and len(document.inline_shapes) >= 6
    assert "TOC" in document.element.xml  # a contents field Word can update
    health = next(t for t in document.tables if t.rows[0].cells[0].text == "指标代码"
                  and t.rows[1].cells[0].text.startswith("HE-"))  # fmt: skip
    assert [c.text for c in health.rows[0].cells][:3] == ["指标代码", "指标名称", "目标"]  # unit beside the name
    assert "data:image/png;base64," in html_path.read_text(encoding="utf-8")


def test_midterm_and_english_documents(shipped_run):
    from docx import Document

    from analysis.document import build_document

    root, _ = shipped_run
    docx_path, _ = build_document(YEAR, mode="midterm", lang="en", reports_dir=root / "reports",
                                  processed_dir=root / "processed")  # fmt: skip
    document = Document(str(docx_path))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Mid-term evaluation report" in document.paragraphs[0].text
    assert "Goals that statistics cannot judge" in text and "achieved early" in text
    header = [c.text for c in document.tables[2].rows[0].cells] if len(document.tables) > 2 else []
    assert any("Evaluation" in [c.text for c in t.rows[0].cells] for t in document.tables), header


def test_document_refuses_a_changed_database(shipped_run, tmp_path):
    from analysis.document import RunMismatch, build_document

    root, _ = shipped_run
    processed = tmp_path / "processed"
    shutil.copytree(root / "processed", processed)
    manifest = json.loads((processed / "manifest.json").read_text(encoding="utf-8"))
    manifest["inputs"]["data/raw/extra.csv"] = [{"batch_id": 9, "sha256": "0" * 64}]
    (processed / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(RunMismatch):
        build_document(YEAR, reports_dir=root / "reports", processed_dir=processed)
