"""The annual run on the shipped data: outputs whole, the warning list right, failures contained."""

import json
import re
import shutil
import subprocess
import sys

import nbformat
import pandas as pd
import pytest
from conftest import snapshot, write_csv
from PIL import Image
from tiny import write_tiny_notebooks

from analysis import CATALOG
from analysis.assessment.panel import assess_observations
from analysis.data import load_observations
from analysis.paths import DATA_RAW
from analysis.run.runner import run

YEAR = 2025
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
    warned = pd.read_csv(folder / "law" / "tables" / "law_warnings.csv")
    assert warned.empty  # the synthetic law domain has no warning: the page says so, not a table of headers
    assert "2025年本领域没有红色或黄色预警。" in (folder / "law" / "law.html").read_text(encoding="utf-8")
    health = folder / "health"
    assert (health / "figures" / "health_small_multiples.png").exists()
    assert not list(folder.rglob("*.pdf")) and not list(folder.rglob("*.svg"))  # when asked: run --formats png,pdf
    assert not (health / "figures" / "HE-02-1.png").exists()  # one file per indicator when asked: --indicator-figures
    with Image.open(health / "figures" / "health_small_multiples.png") as png:
        assert round(png.info["dpi"][0]) == 300
    assert len(list((root / "processed" / "assessments").glob(f"{YEAR}_金口河区_*.parquet"))) == 1  # assessed once
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


@pytest.fixture
def tiny(tmp_path, shipped_run):
    """Tiny notebooks and a reports folder, on the shipped run's database (already ingested)."""
    root, _ = shipped_run
    notebooks = write_tiny_notebooks(tmp_path / "notebooks")

    def run_tiny(domains, lang="zh", overview=False, reports=tmp_path / "reports", force=False):
        return run(year=YEAR, domains=domains, lang=lang, raw_dir=DATA_RAW, processed_dir=root / "processed",
                   reports_dir=reports, notebooks_dir=notebooks, overview=overview, progress=False, force=force)  # fmt: skip

    return run_tiny


def test_a_failing_notebook_does_not_stop_the_others(tiny, monkeypatch):
    before = tiny(["law", "family", "health"])
    assert before.ok
    monkeypatch.setenv("TINY_NOTEBOOK_FAIL", "law")
    summary = tiny(["law", "family"], force=True)  # unchanged inputs: only --force runs them again
    assert not summary.ok
    failed = {r.name: r for r in summary.runs}
    assert not failed["law"].ok and "deliberately broken" in failed["law"].error
    assert failed["law"].failed_cell is not None
    assert failed["family"].ok
    assert "FAILED  law" in summary.summary() and "cell" in summary.summary()
    assert (summary.folder / "family" / "family.html").exists()
    assert (summary.folder / "health" / "ran.txt").exists()  # not asked for: kept
    manifest = json.loads((summary.folder / "manifest.json").read_text(encoding="utf-8"))
    assert {n["name"]: n["ok"] for n in manifest["notebooks"]} == {"health": True, "law": False, "family": True}
    assert not manifest["ok"]
    assert not list(summary.folder.parent.parent.glob(".staging-*"))


def test_a_partial_run_replaces_only_its_own_domains_and_language(tiny):
    first = tiny(["law", "family"], overview=True)
    folder = first.folder
    word = folder / "document" / "金口河区2025年年度监测报告.docx"
    word.parent.mkdir()
    word.write_bytes(b"a Word file from an earlier document command")
    stray = folder / "law" / "left_over_from_an_old_run.txt"
    stray.write_text("old", encoding="utf-8")
    kept = {name: snapshot(folder / name) for name in ("family", "overview", "document")}

    second = tiny(["law"], force=True)
    assert second.ok
    assert not stray.exists() and (folder / "law" / "ran.txt").exists()  # law replaced whole
    assert {name: snapshot(folder / name) for name in kept} == kept  # the rest untouched

    english = tiny(["family"], lang="en")
    assert english.ok
    assert (folder / "en" / "family" / "ran.txt").read_text(encoding="utf-8").startswith("family en")
    assert {name: snapshot(folder / name) for name in kept} == kept  # Chinese family untouched
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert {n["name"] + "/" + n["lang"] for n in manifest["notebooks"]} == {"law/zh", "family/zh", "overview/zh",
                                                                            "family/en"}  # fmt: skip


def test_a_domain_without_data_is_reported_not_a_crash(tmp_path):
    raw = tmp_path / "raw"
    write_csv(raw / "economy.csv", [["EC-02-1", "金口河区", "2024", "", "", "44.0", "", "", "", "区统计局"]])
    notebooks = write_tiny_notebooks(tmp_path / "notebooks")
    summary = run(year=2024, domains=["health", "economy"], raw_dir=raw, processed_dir=tmp_path / "processed",
                  reports_dir=tmp_path / "reports", notebooks_dir=notebooks, progress=False)  # fmt: skip
    runs = {r.name: r for r in summary.runs}
    assert runs["health"].no_data and runs["economy"].ok and not runs["economy"].no_data
    assert "no data health" in " ".join(summary.summary().split())
    assert not (summary.folder / "health").exists() and (summary.folder / "economy" / "ran.txt").exists()


def test_the_run_uses_this_interpreter_whatever_kernels_are_registered(tiny, tmp_path, monkeypatch):
    """Two checkouts: another one's kernels, registered under the same names, are never used."""
    other = tmp_path / "other-checkout" / "share" / "jupyter"
    for name in ("jinkouhe-women", "python3"):
        spec = other / "kernels" / name
        spec.mkdir(parents=True)
        (spec / "kernel.json").write_text(json.dumps({
            "argv": [str(tmp_path / "other-checkout" / "bin" / "python"), "-m", "ipykernel_launcher", "-f",
                     "{connection_file}"], "display_name": "other checkout", "language": "python"}))  # fmt: skip
    monkeypatch.setenv("JUPYTER_PATH", str(other))
    from jupyter_client.kernelspec import KernelSpecManager

    assert KernelSpecManager().get_kernel_spec("jinkouhe-women").argv[0].startswith(str(tmp_path))  # shadowed
    summary = tiny(["law"])
    assert summary.ok, summary.summary()
    assert (summary.folder / "law" / "python.txt").read_text(encoding="utf-8") == sys.executable


def test_a_past_year_sees_only_data_up_to_that_year(shipped_run):
    from analysis.report.sections import DomainSection

    root, _ = shipped_run
    section = DomainSection(domain="health", year=2022, processed_dir=root / "processed")
    assert section.headline["latest_year"].max() == 2022
    assert section.results.as_of == 2022


def test_document_for_the_district_government(shipped_run):
    from docx import Document
    from docx.oxml.ns import qn

    from analysis.report.document import build_document
    from analysis.report.word import _display_width

    root, _ = shipped_run
    docx_path, html_path = build_document(YEAR, mode="annual", reports_dir=root / "reports",
                                          processed_dir=root / "processed")  # fmt: skip
    document = Document(str(docx_path))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "一、总体情况"
    domains = [h for h in headings if h[:3] in {f"（{n}）" for n in "一二三四五六七八"}][:8]
    assert [d[3:] for d in domains] == list(CATALOG_DOMAINS_ZH)  # 二、各领域进展, （一）… （八）
    assert [h for h in headings if h[1] == "、"] == ["一、总体情况", "二、各领域进展", "三、存在的主要问题",
                                                     "四、下一步工作建议"]  # fmt: skip
    assert [h for h in headings if h.startswith("附件")] == ["附件1  评估方法", "附件2  官方口径进展测度对照",
                                                             "附件3  预测方法回测", "附件4  数据来源"]  # fmt: skip
    assert document.paragraphs[0].style.name == "Title" and "2025年度监测报告" in document.paragraphs[0].text
    assert any("合成示例数据" in p.text for p in document.paragraphs)  # the synthetic district data says so
    assert "合成示例数据" in document.sections[0].header.paragraphs[0].text  # and so does every page's header
    assert len(document.tables) >= 12 and len(document.inline_shapes) >= 6
    health = next(t for t in document.tables if t.rows[0].cells[0].text == "指标名称"
                  and "预期寿命" in t.rows[1].cells[0].text)  # fmt: skip
    assert [c.text for c in health.rows[0].cells][:2] == ["指标名称", "目标"]  # unit beside the name
    assert "data:image/png;base64," in html_path.read_text(encoding="utf-8")
    # No empty page: every section (a run of portrait or landscape pages) holds text, a table or a figure.
    chunks, chunk = [], []
    for element in document.element.body.iterchildren():
        chunk.append(element)
        if element.find(".//" + qn("w:sectPr")) is not None:
            chunks.append(chunk)
            chunk = []
    assert len(chunks) > 1
    for part in chunks:
        assert any(e.tag == qn("w:tbl") or "".join(e.itertext()).strip() or e.find(".//" + qn("w:drawing")) is not None
                   for e in part), "an empty section: a blank page"  # fmt: skip
    # Numbers keep their width: a table whose numbers do not fit a portrait page goes landscape.
    progress = next(t for t in document.tables if "基期值（年份）" in [c.text for c in t.rows[0].cells])
    base = [c.text for c in progress.rows[0].cells].index("基期值（年份）")
    width = progress.columns[base].width
    assert all(_display_width(row.cells[base].text) * 0.16 + 0.45 <= width.cm + 1e-3 for row in progress.rows[1:]
               if row.cells[0].text != row.cells[-1].text)  # EMU rounding; not the 注 row (merged)
    first = docx_path.read_bytes(), html_path.read_bytes()
    again = build_document(YEAR, mode="annual", reports_dir=root / "reports", processed_dir=root / "processed")
    assert (again[0].read_bytes(), again[1].read_bytes()) == first  # the same inputs, the same files


def test_midterm_and_english_documents(shipped_run):
    from docx import Document

    from analysis.report.document import build_document

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
    from analysis.report.document import RunMismatch, build_document

    root, _ = shipped_run
    processed = tmp_path / "processed"
    shutil.copytree(root / "processed", processed)
    manifest = json.loads((processed / "manifest.json").read_text(encoding="utf-8"))
    manifest["inputs"]["data/raw/extra.csv"] = [{"batch_id": 9, "sha256": "0" * 64}]
    (processed / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(RunMismatch):
        build_document(YEAR, reports_dir=root / "reports", processed_dir=processed)


def test_a_folder_whose_notebooks_read_different_databases_does_not_claim_one(tiny, shipped_run, tmp_path):
    root, _ = shipped_run
    processed = tmp_path / "processed"
    shutil.copytree(root / "processed", processed)
    notebooks = write_tiny_notebooks(tmp_path / "nb")

    def run_law_or_family(domain):
        return run(year=YEAR, domains=[domain], raw_dir=DATA_RAW, processed_dir=processed, reports_dir=tmp_path / "r",
                   notebooks_dir=notebooks, overview=False, progress=False)  # fmt: skip

    first = run_law_or_family("law")
    manifest = json.loads((first.folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["database"]["inputs"] == json.loads((processed / "manifest.json").read_text(encoding="utf-8"))["inputs"]
    inputs = json.loads((processed / "manifest.json").read_text(encoding="utf-8"))
    inputs["inputs"]["raw/a_later_load.csv"] = [{"batch_id": 9, "sha256": "0" * 64}]  # as if loaded since
    (processed / "manifest.json").write_text(json.dumps(inputs), encoding="utf-8")
    second = run_law_or_family("family")
    manifest = json.loads((second.folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["database"]["inputs"] is None  # so `document` refuses it until law is run again


def test_a_crash_while_publishing_is_repaired_at_the_next_start(tmp_path):
    from analysis.run.runner import _remove_debris

    folder = tmp_path / "reports" / "2025" / "金口河区"
    for name, where in (("law", ".old-1a2b/law"), ("family", ".old-1a2b/family"), ("family", "family"),
                        ("health", ".old-1a2b/en/health")):  # fmt: skip
        (folder / where).mkdir(parents=True)
        (folder / where / f"{name}.ipynb").write_text(where, encoding="utf-8")
    (tmp_path / "reports" / ".staging-2025-123-ab").mkdir()
    _remove_debris(tmp_path / "reports")
    assert (folder / "law" / "law.ipynb").read_text(encoding="utf-8") == ".old-1a2b/law"  # put back
    assert (folder / "en" / "health" / "health.ipynb").exists()
    assert (folder / "family" / "family.ipynb").read_text(encoding="utf-8") == "family"  # the newer one kept
    assert not list(folder.glob(".old-*")) and not list((tmp_path / "reports").glob(".staging-*"))


def test_an_unchanged_rerun_reuses_the_outputs_and_says_so(tiny, tmp_path, monkeypatch):
    first = tiny(["law", "family"], overview=True)
    assert first.ok and not any(r.reused for r in first.runs)
    folder = first.folder
    before = snapshot(folder)
    monkeypatch.setenv("TINY_NOTEBOOK_TAG", "second")  # a notebook run again would say so in ran.txt
    again = tiny(["law", "family"], overview=True)
    assert again.ok and all(r.reused for r in again.runs)
    assert "未变，沿用上次结果" in again.summary() and "3 unchanged, reused" in again.summary()
    after = snapshot(folder)
    assert {k: v for k, v in after.items() if k != "manifest.json"} == {
        k: v for k, v in before.items() if k != "manifest.json"}  # not a byte of the outputs rewritten
    manifest = json.loads(after["manifest.json"])
    assert manifest["ok"] and all(n["reused"] and n["key"] for n in manifest["notebooks"])

    forced = tiny(["law"], force=True)
    assert forced.ok and not forced.runs[0].reused
    assert (folder / "law" / "ran.txt").read_text(encoding="utf-8").endswith("second")
    assert (folder / "family" / "ran.txt").read_text(encoding="utf-8").endswith(" ")  # not asked for: untouched

    english = tiny(["family"], lang="en")  # another parameter: not the Chinese outputs
    assert english.ok and not english.runs[0].reused
    assert (folder / "en" / "family" / "ran.txt").read_text(encoding="utf-8").endswith("second")


def test_the_run_key_changes_with_each_input(tmp_path):
    from analysis.run.runner import NotebookRun, run_key

    notebooks = write_tiny_notebooks(tmp_path / "notebooks")
    job = NotebookRun("law", "domain.ipynb", {"year": YEAR, "region": "金口河区", "domain": "law", "lang": "zh",
                                              "figure_formats": "png", "output_dir": "/staging/a"})  # fmt: skip
    key = run_key(job, notebooks / "domain.ipynb", "database-1")
    moved = NotebookRun("law", "domain.ipynb", {**job.parameters, "output_dir": "/staging/b"})
    assert run_key(moved, notebooks / "domain.ipynb", "database-1") == key  # where it ran does not matter
    assert run_key(job, notebooks / "domain.ipynb", "database-2") != key  # new data loaded
    pdf = NotebookRun("law", "domain.ipynb", {**job.parameters, "figure_formats": "png,pdf"})
    assert run_key(pdf, notebooks / "domain.ipynb", "database-1") != key  # other parameters
    notebook = notebooks / "domain.ipynb"
    notebook.write_text(notebook.read_text(encoding="utf-8").replace("import os", "import os  # edited"),
                        encoding="utf-8")  # fmt: skip
    assert run_key(job, notebook, "database-1") != key  # the notebook edited


def test_an_unknown_figure_format_is_refused(tmp_path):
    from analysis.run.runner import UnknownFormat

    with pytest.raises(UnknownFormat, match="png, pdf, svg"):
        run(year=YEAR, formats=("png", "jpeg"), raw_dir=DATA_RAW, processed_dir=tmp_path / "p",
            reports_dir=tmp_path / "r", progress=False)  # fmt: skip
    assert not (tmp_path / "r").exists()


def test_indicator_figures_and_vector_formats_when_asked(shipped_run, tmp_path):
    from analysis.report.sections import DomainSection

    root, _ = shipped_run
    section = DomainSection(domain="law", year=YEAR, processed_dir=root / "processed", output_dir=tmp_path,
                            formats=("png", "pdf"), indicator_figures=True)  # fmt: skip
    section.fan_charts()
    charted = [indicator_id for indicator_id, _ in section._series()]
    assert charted
    for indicator_id in charted:
        for suffix in ("png", "pdf"):
            assert (tmp_path / "figures" / f"{indicator_id}.{suffix}").exists()
    assert (tmp_path / "figures" / "law_small_multiples.pdf").read_bytes().startswith(b"%PDF")


def test_the_command_line_reuses_an_unchanged_run_and_forces_one(tmp_path):
    """--formats, --force and the summary's word, through the command line (tiny notebooks)."""
    from conftest import GOOD_ROWS
    from tiny import cli

    from analysis.data import ingest

    raw, processed, reports = tmp_path / "raw", tmp_path / "processed", tmp_path / "reports"
    write_csv(raw / "district" / "base.csv", GOOD_ROWS)
    ingest(raw, processed)
    notebooks = write_tiny_notebooks(tmp_path / "notebooks")

    def command(*args):
        done = subprocess.run(cli(tmp_path, "run", raw, processed, reports, notebooks, "--domains", "economy",
                                  "--year", "2022", *args), capture_output=True, text=True, timeout=300)  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert "unchanged" not in command("--formats", "png,pdf")
    assert "未变，沿用上次结果" in command("--formats", "png,pdf")
    assert "未变" not in command("--formats", "png,pdf", "--force")
    refused = subprocess.run(cli(tmp_path, "run", raw, processed, reports, notebooks, "--formats", "gif"),
                             capture_output=True, text=True, timeout=300)  # fmt: skip
    assert refused.returncode == 2 and "unknown figure format(s) gif" in refused.stderr


def test_a_member_units_own_extract(shipped_run, tmp_path):
    """`document --unit 区卫健局`: the health commission's goals only, under its register name."""
    from docx import Document

    from analysis import CATALOG
    from analysis.report.document import UnknownUnit, build_document

    root, _ = shipped_run
    docx_path, _ = build_document(YEAR, unit="区卫健局", reports_dir=root / "reports", processed_dir=root / "processed")
    assert docx_path.name.endswith("_区卫生健康局.docx")
    text = "\n".join(p.text for p in Document(str(docx_path)).paragraphs)
    assert "区卫生健康局牵头或参与" in text
    others = CATALOG.goals.loc[~CATALOG.goals.apply(lambda g: "区卫生健康局" in [g.lead_unit, *str(g.partner_units).split(";")],
                                                   axis=1)]  # fmt: skip
    assert "村委会成员中女性比例" not in text and len(others)  # a village-committee goal is 民政局's, not in here
    document = Document(str(docx_path))
    no_rows = [t.rows[0].cells[0].text for t in document.tables  # a header, then only the 注 row
               if len(t.rows) <= 2 and t.rows[-1].cells[0].text.startswith("注")]  # fmt: skip
    assert not no_rows, "a domain the unit has no goal in is said in a line, not shown as an empty table"
    assert "本领域没有区卫生健康局牵头或参与的监测指标。" in text
    with pytest.raises(UnknownUnit):
        build_document(YEAR, unit="卫生局某科", reports_dir=root / "reports", processed_dir=root / "processed")


def test_last_years_comparison_is_of_the_same_region(shipped_run, tmp_path):
    """A 2024 vintage of another region (全国) is no 'last year's report' for the district: the summary
    compares with 2024 as re-assessed on today's data instead of claiming nothing changed."""
    from docx import Document

    from analysis.assessment.panel import assess_observations
    from analysis.data import load_observations
    from analysis.evaluation.vintages import save_vintage
    from analysis.report.document import build_document

    root, _ = shipped_run
    processed = tmp_path / "processed"
    shutil.copytree(root / "processed", processed)
    national = load_observations(processed).query("region == '全国'")
    save_vintage(assess_observations(national, 2024), national, processed / "vintages")
    docx_path, _ = build_document(YEAR, reports_dir=root / "reports", processed_dir=processed)
    text = "\n".join(p.text for p in Document(str(docx_path)).paragraphs)
    assert "按现有数据重算的2024年结果" in text and "与2024年报告相比" not in text


def test_the_progress_measures_never_show_one_years_rate_of_few_events(shipped_run):
    """The annex's measures table beside the body: 孕产妇死亡率 shows its pooled counts, as the body does,
    not '0.0（2024）' (one year's rate from a few hundred births) and no base rate of one year."""
    from analysis.report.findings import counted_values
    from analysis.report.tables import progress_table

    root, _ = shipped_run
    results = assess_observations(load_observations(root / "processed"), YEAR)
    headline = results.headline("金口河区")
    table = progress_table(headline, "zh", counted_values(headline, results.assessments)).set_index("指标代码")
    mmr = table.loc["HE-02-1"]
    assert re.fullmatch(r"\d{4}—\d{4}年合并\d+/[\d,]+例，.*95%区间.*", mmr["最新值（年份）"]) and mmr["基期值（年份）"] == "—"
    assert "合并比率之差" in table.loc["HE-02-2", "最新值（年份）"]
    assert re.fullmatch(r"[\d.]+（20\d\d）", table.loc["HE-02-4", "最新值（年份）"])  # a share of many: its year's value
