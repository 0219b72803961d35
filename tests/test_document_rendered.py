"""The Word documents as their readers see them: rendered by LibreOffice, read page by page.

The district government reads the annual report first; it must open with what matters and what to
do, in 公文 form. These tests convert the .docx to PDF with LibreOffice (installed by .ci/run) and
read the pages' text (Poppler's pdftotext) and ink (pdftoppm), as a reader would.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from docx import Document
from docx.oxml.ns import qn

from analysis.paths import DATA_RAW
from analysis.report.document import build_document
from analysis.run.runner import run

YEAR = 2025
NEEDS = ("soffice", "pdftotext", "pdftoppm")
pytestmark = pytest.mark.skipif(any(shutil.which(t) is None for t in NEEDS),
                                reason="LibreOffice and Poppler are not installed (.ci/run installs them)")  # fmt: skip
HAN = re.compile(r"[\u4e00-\u9fff]")


def to_pdf(docx: Path, folder: Path) -> Path:
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{folder}/profile", "--convert-to", "pdf",
                    "--outdir", str(folder), str(docx)], check=True, capture_output=True, timeout=300)  # fmt: skip
    return folder / f"{docx.stem}.pdf"


def pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return text.split("\f")[:-1]


def fullness(pdf: Path, folder: Path) -> list[float]:
    """Each page's share of its type area that has ink, from the top of the text block to the
    lowest ink above the footer (a page with a heading and two lines scores low)."""
    stem = folder / "page"
    subprocess.run(["pdftoppm", "-r", "30", "-gray", str(pdf), str(stem)], check=True, capture_output=True)
    out = []
    for path in sorted(folder.glob("page-*.pgm")):
        data = path.read_bytes()
        header = data.split(b"\n", 3)  # P5, width height, maxval, pixels
        width, height = (int(v) for v in header[1].split())
        ink = np.frombuffer(header[3][: width * height], dtype=np.uint8).reshape(height, width) < 200
        top, bottom = int(height * 0.13), int(height * 0.88)  # between the running header and the page number
        rows = np.flatnonzero(ink[top:bottom].any(axis=1))
        out.append(0.0 if not len(rows) else (rows.max() + 1) / (bottom - top))
    return out


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    root = tmp_path_factory.mktemp("documents")
    summary = run(year=YEAR, domains=["health"], raw_dir=DATA_RAW, processed_dir=root / "processed",
                  reports_dir=root / "reports", progress=False)  # fmt: skip
    assert summary.ok, summary.summary()
    made = {}
    for mode, lang in (("annual", "zh"), ("midterm", "zh"), ("annual", "en"), ("midterm", "en")):
        docx, _ = build_document(YEAR, mode=mode, lang=lang, reports_dir=root / "reports",
                                 processed_dir=root / "processed")  # fmt: skip
        folder = root / f"{mode}_{lang}"
        folder.mkdir()
        pdf = to_pdf(docx, folder)
        made[(mode, lang)] = pdf, pages(pdf), fullness(pdf, folder), docx
    return made


@pytest.mark.parametrize("mode", ["annual", "midterm"])
def test_the_summary_and_the_recommendations_come_first(documents, mode):
    _, text, _, _ = documents[(mode, "zh")]
    first = "".join(text[:2]).replace(" ", "")
    assert "总体情况" in first and "达标率" in first
    assert "主要建议" in first  # what to do, with the responsible units, on pages 1–2
    assert "区卫生健康局" in first or "区民政局" in first
    assert "sha256" not in first and not re.search(r"\b[0-9a-f]{12}\b", first)  # provenance is in the annex
    assert not re.search(r"data/(raw|processed)", "".join(text))  # no repository paths anywhere


@pytest.mark.parametrize("mode", ["annual", "midterm"])
def test_chapter_numbers_are_unique_and_in_order(documents, mode):
    _, text, _, _ = documents[(mode, "zh")]
    body = "".join(text).replace(" ", "")
    numbers = re.findall(r"(?m)^([一二三四五六七八九十]+)、", body)
    assert numbers == list(dict.fromkeys(numbers)), numbers  # no chapter number twice
    assert numbers[:2] == ["一", "二"]
    assert "存在的主要问题" in body and "下一步工作建议" in body
    if mode == "midterm":
        assert "中期评估专题" in body


# The bar: at most one page under a fifth full. Every table longer than a page is cut into
# pieces of about equal height under 续表 (report/pagination.py), and a table or piece that fits a page
# is kept on one page; the full shipped documents (all domains) have none such page, annual or mid-term.
NEARLY_EMPTY_ALLOWED = {"annual": 1, "midterm": 1}


@pytest.mark.parametrize("key", [("annual", "zh"), ("midterm", "zh"), ("annual", "en"), ("midterm", "en")])
def test_at_most_one_page_is_nearly_empty(documents, key):
    mode = key[0]
    _, _, full, _ = documents[key]
    nearly_empty = [i + 1 for i, f in enumerate(full[:-1]) if f < 0.2]  # the last page may end short
    assert len(nearly_empty) <= NEARLY_EMPTY_ALLOWED[mode], nearly_empty


def test_a_long_table_is_continued_under_xubiao(documents):
    _, text, _, _ = documents[("annual", "zh")]
    body = "".join(text).replace(" ", "")
    assert re.search(r"续表\d+妇女与健康指标评估", body)  # the health table runs over a page
    for page in text:  # a continued piece repeats the header
        if "续表" in page.replace(" ", ""):
            assert "指标名称" in page


CAPTION = re.compile(r"^(表\s*\d|续表|Table \d|图\s*\d|Figure \d)")
RUNNING_HEADER = re.compile(r"合成示例数据|SYNTHETIC")


def run_on_pages(text: list[str]) -> list[int]:
    """Pages that open with a table's repeated header row instead of a caption: a table that ran on
    from the page before without its 续表 caption (the header rows are the lines right under a caption)."""
    headers, found = set(), []
    for number, page in enumerate(text, start=1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        lines = lines[1:] if lines and RUNNING_HEADER.search(lines[0]) else lines  # real data have none
        headers |= {re.sub(r"\s+", "", b)[:12] for a, b in zip(lines, lines[1:]) if CAPTION.match(a)}
        if lines and not CAPTION.match(lines[0]) and re.sub(r"\s+", "", lines[0])[:12] in headers:
            found.append(number)
    return found


def test_run_on_detector_sees_a_table_that_runs_on_without_its_caption():
    page_1 = "合成示例数据\n表 3  各乡镇\n乡镇   年份   例数\n永和镇 2021 0\n"
    page_2 = "合成示例数据\n乡镇   年份   例数\n金河镇 2021 0\n"
    page_3 = "合成示例数据\n续表3  各乡镇\n乡镇   年份   例数\n吉星乡 2021 0\n"
    assert run_on_pages([page_1, page_2, page_3]) == [2]
    real = [p.replace("合成示例数据\n", "") for p in (page_1, page_2, page_3)]  # real data: no running header
    assert run_on_pages(real) == [2]


@pytest.mark.parametrize("key", [("annual", "zh"), ("midterm", "zh"), ("annual", "en"), ("midterm", "en")])
def test_no_table_runs_onto_a_page_without_its_continued_caption(documents, key):
    _, text, _, _ = documents[key]
    assert not run_on_pages(text)


def test_every_table_and_figure_carries_the_synthetic_label(documents):
    """Under every table (each piece of a cut table) and every figure, so an excerpt never looks like statistics."""
    for key, (_, _, _, docx) in documents.items():
        label = "合成示例数据" if key[1] == "zh" else "SYNTHETIC"
        document = Document(str(docx))
        unlabelled = [i for i, t in enumerate(document.tables) if label not in t.rows[-1].cells[0].text]
        assert document.tables and not unlabelled, (key, unlabelled)
        body = document.element.body
        pictures = [p for p in body.iter(qn("w:p")) if p.findall(".//" + qn("w:drawing"))]
        for picture in pictures:  # the caption, then the label
            after = [picture.getnext(), picture.getnext().getnext()]
            assert any(label in "".join(t.text or "" for t in p.iter(qn("w:t"))) for p in after), key


def test_rates_of_few_events_show_their_counts(documents):
    _, text, _, _ = documents[("annual", "zh")]
    body = "".join(text).replace(" ", "")
    # maternal deaths and HIV transmission are counts of 0, 1 or 2 a year: pooled counts, never a year's rate
    assert re.search(r"合并\d+/[\d,]+例", body)
    assert "孕产妇死亡率" in body


def test_the_synthetic_label_is_on_every_page(documents):
    for key, (_, text, _, _) in documents.items():
        label = "合成示例数据" if key[1] == "zh" else "SYNTHETIC"
        missing = [i + 1 for i, page in enumerate(text) if label not in page.replace(" ", "")]
        assert not missing, (key, missing)


@pytest.mark.parametrize("mode", ["annual", "midterm"])
def test_the_english_document_has_no_chinese(documents, mode):
    _, text, _, _ = documents[(mode, "en")]
    found = sorted({line.strip() for page in text for line in page.splitlines() if HAN.search(line)})
    assert not found, found[:20]


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    """The real national figures' annual document, as `run --region 全国` and `document --region 全国` make it."""
    root = tmp_path_factory.mktemp("national")
    summary = run(year=2024, region="全国", domains=["health", "education"], raw_dir=DATA_RAW,
                  processed_dir=root / "processed", reports_dir=root / "reports", progress=False)  # fmt: skip
    assert summary.ok, summary.summary()
    made = {}
    for lang in ("zh", "en"):
        docx, _ = build_document(2024, region="全国", lang=lang, reports_dir=root / "reports",
                                 processed_dir=root / "processed")  # fmt: skip
        folder = root / lang
        folder.mkdir()
        pdf = to_pdf(docx, folder)
        made[lang] = pages(pdf), fullness(pdf, folder), docx
    return made


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_real_national_document_reads_right(national, lang):
    """Real data: no synthetic label anywhere, no table running on without 续表 (there is no running
    header to skip), at most one nearly empty page, and no Chinese in the English edition."""
    text, full, docx = national[lang]
    assert ("全国数据对照" in text[0] and "参照报告" in text[0]) if lang == "zh" else "reference report" in text[0]
    body = re.sub(r"\s+", "", "".join(text))
    assert ("不对区级责任单位提出工作建议" in body and "下一步工作建议" not in body) if lang == "zh" else \
        "makesnorecommendationtodistrictunits" in body
    assert not any(re.search(r"合成示例|SYNTHETIC", page) for page in text)
    assert not run_on_pages(text)
    assert len([f for f in full[:-1] if f < 0.2]) <= 1
    if lang == "en":
        assert not [line for page in text for line in page.splitlines() if HAN.search(line)]
    notes = [t.rows[-1].cells[0].text for t in Document(str(docx)).tables
             if t.rows[-1].cells[0].text.startswith(("注：数据来源", "Note: sources"))]  # fmt: skip
    # a domain table's 注 names a few sources (it had listed dozens, repeated); the annex lists them all
    assert notes and all(n.count("；") + n.count("; ") <= 7 for n in notes), notes


def test_the_documents_html_prints_landscape_with_headers_whole(documents, tmp_path):
    """The HTML edition of the report, printed from Chromium: A4 landscape, and a short column's header
    on one line (portrait gave 评估对象 and 预警 one character a line)."""
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("Chromium is not installed (.ci/run installs it)")
    html_path = documents[("annual", "zh")][3].with_suffix(".html")
    pdf = tmp_path / "printed.pdf"
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    f"--user-data-dir={tmp_path / 'profile'}", f"--print-to-pdf={pdf}", "--no-pdf-header-footer",
                    html_path.as_uri()], capture_output=True, timeout=120, check=True)  # fmt: skip
    size = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size: +841\.\d+ x 59[45]\.\d+ pts", size), size
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert re.search(r"评估对象\s+最新值", text) and re.search(r"概率\s+预警\s+原因", text)


def test_the_midterm_made_as_make_report_makes_it_reads_the_self_assessments(documents):
    """`run` ingests data/raw as `ingest` does, self-assessment workbooks included: the mid-term names
    the measures reported 未启动 instead of saying no self-assessment was received."""
    _, text, _, _ = documents[("midterm", "zh")]
    body = re.sub(r"\s+", "", "".join(text))
    assert "尚未收到成员单位自评表" not in body
    assert "成员单位自报“未启动”的策略措施" in body
