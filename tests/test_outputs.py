"""What a reader sees: PDF figures in Ghostscript and Poppler, HTML reports in a real browser, the
Word report's page, captions and charts, tables formatted by unit, and figures for print."""

import os
import re
import shutil
import subprocess

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from analysis import CATALOG  # noqa: E402
from analysis.assessment import Target, assess_series  # noqa: E402
from analysis.figures import charts, figsize, save_figure, use_paper_style  # noqa: E402
from analysis.paths import DATA_RAW  # noqa: E402
from analysis.report.tables import INDICATOR_COLUMNS, format_number, indicator_table  # noqa: E402
from analysis.run.runner import run  # noqa: E402

YEAR = 2025
MM = 25.4 / 72  # millimetres per PDF point


def tool(name: str) -> str:
    """A system program the checks need; CI installs it (.ci/run), elsewhere its absence skips."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not installed; .ci/run installs it")
        pytest.skip(f"{name} is not installed (apt-get install ghostscript poppler-utils chromium)")
    return path


def maternal_mortality():
    target = Target("at_most", 12, 2030, better="lower", lower=0, unit="1/10万")
    return assess_series(range(2015, 2026), numerators=[1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0],
                         denominators=[412, 398, 405, 380, 371, 352, 341, 330, 322, 310, 298],
                         target=target, per=100000, name="孕产妇死亡率")  # fmt: skip


@pytest.fixture(scope="module")
def figure_pdf(tmp_path_factory):
    use_paper_style()
    fig, ax = plt.subplots(figsize=figsize("single"))
    charts.fan_chart(maternal_mortality(), ax=ax, synthetic=True, title="孕产妇死亡率")
    path = save_figure(fig, tmp_path_factory.mktemp("fig") / "HE-02-1", ("pdf",))[0]
    plt.close(fig)
    return path


def test_pdf_fonts_are_embedded_without_errors(figure_pdf):
    result = subprocess.run([tool("pdffonts"), str(figure_pdf)], capture_output=True, text=True, check=True)
    assert "Mismatch" not in result.stderr and "Error" not in result.stderr, result.stderr
    rows = result.stdout.splitlines()[2:]
    assert rows, result.stdout
    for row in rows:
        assert "CID TrueType" in row and " yes yes yes " in row, row  # TrueType outlines, embedded, subset, ToUnicode


def test_ghostscript_and_poppler_read_the_chinese_text(figure_pdf, tmp_path):
    gs = subprocess.run([tool("gs"), "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=txtwrite", "-sOutputFile=-",
                         str(figure_pdf)], capture_output=True, text=True, check=True)  # fmt: skip
    poppler = subprocess.run([tool("pdftotext"), str(figure_pdf), "-"], capture_output=True, text=True, check=True)
    for text in (gs.stdout, poppler.stdout):
        squeezed = re.sub(r"\s+", "", text)
        assert "孕产妇死亡率" in squeezed and "5年合并比率" in squeezed, text
        assert set("合成示例数据非真实统计") <= set(squeezed)  # the watermark too (rotated: read out of order)


def test_ghostscript_draws_the_chinese_glyphs(figure_pdf, tmp_path):
    """Ghostscript used to draw every Chinese character as nothing: the title's area must have ink."""
    png = tmp_path / "page.png"
    subprocess.run([tool("gs"), "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=pnggray", "-r150", f"-sOutputFile={png}",
                    str(figure_pdf)], check=True)  # fmt: skip
    from PIL import Image

    with Image.open(png) as image:
        pixels = np.asarray(image, dtype=float)
    title_band = pixels[: int(pixels.shape[0] * 0.08)]  # the Chinese title sits at the top
    assert (title_band < 128).mean() > 0.01, "no ink where the Chinese title is"


def test_every_panel_carries_the_watermark():
    use_paper_style()
    result = maternal_mortality()
    pages = charts.small_multiples([result] * 4, ["孕产妇死亡率"] * 4, synthetic=True, columns=2)
    try:
        for fig in pages:
            for ax in [a for a in fig.axes if a.axison]:
                assert any("合成示例数据" in t.get_text() for t in ax.texts), "a panel without the watermark"
    finally:
        for fig in pages:
            plt.close(fig)


def test_small_multiples_and_heat_maps_are_paged_to_a_printable_height():
    use_paper_style()
    result = maternal_mortality()
    pages = charts.small_multiples([result] * 20, ["孕产妇死亡率"] * 20)
    history = pd.DataFrame({"indicator_id": np.repeat(CATALOG.indicators["indicator_id"].head(90), 5),
                            "as_of": np.tile(range(2021, 2026), 90), "level": "green"})  # fmt: skip
    heat = charts.status_heatmap(history)
    try:
        assert len(pages) >= 2 and len(heat) >= 2
        for fig in pages + heat:
            assert fig.get_figheight() * 25.4 <= charts.PRINTABLE_HEIGHT_MM + 1e-6
        assert all(fig.legends for fig in pages + heat)  # one legend (colour key) per page
        assert sum(len(fig.axes) for fig in pages) >= 20
    finally:
        for fig in pages + heat:
            plt.close(fig)


def test_intervals_stay_within_natural_bounds():
    """A count-based rate can never be drawn below 0, whatever the model's interval says."""
    use_paper_style()
    fig, ax = plt.subplots()
    charts.fan_chart(maternal_mortality(), ax=ax)
    lowest = min(poly.get_paths()[0].vertices[:, 1].min() for poly in ax.collections)
    plt.close(fig)
    assert lowest >= 0


def test_gap_chart_shows_the_gap_not_two_levels():
    use_paper_style()
    frame = pd.DataFrame({"year": [2020, 2020, 2021, 2021], "sex": ["female", "male"] * 2,
                          "value": [40.0, 50.0, 44.0, 50.0], "numerator": np.nan, "denominator": np.nan})  # fmt: skip
    fig, ax = plt.subplots()
    charts.gap_chart(frame, "sex", ax=ax, title="测试", unit="%")
    lines = [line for line in ax.get_lines() if not line.get_label().startswith("_")]  # not the zero line
    plt.close(fig)
    assert len(lines) == 1 and list(lines[0].get_ydata()) == [-10.0, -6.0]


def test_numbers_are_formatted_by_unit():
    assert format_number(45.1234, "%") == "45.1"
    assert format_number(55340.2, "元") == "55,340"
    assert format_number(None, "%") == "—" and format_number(float("nan"), "%") == "—"
    assert format_number(0.000123) == "0.000123"  # never scientific notation


def test_extra_columns_show_once_the_assessment_has_them():
    headline = pd.DataFrame({"indicator_id": ["HE-02-1"], "name_zh": ["孕产妇死亡率"], "unit": ["1/10万"],
                             "latest_value": [0.0], "probability": [0.4515], "level_zh": ["黄色"]})  # fmt: skip
    plain = indicator_table(headline)
    assert "evidence" not in plain and plain.loc[0, "probability"] == "45%"
    with_evidence = indicator_table(headline.assign(evidence_zh=["2021—2025年孕产妇死亡0例，活产1,750例"]))
    assert with_evidence.loc[0, "evidence"].startswith("2021—2025年")
    assert any(c.key == "evidence" for c in INDICATOR_COLUMNS)


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    root = tmp_path_factory.mktemp("reports")
    summary = run(year=YEAR, domains=["decision_making"], raw_dir=DATA_RAW, processed_dir=root / "processed",
                  reports_dir=root / "reports", progress=False)  # fmt: skip
    assert summary.ok, summary.summary()
    return root, summary


def _browser_text(html_path, tmp_path) -> tuple[str, str]:
    """The page as headless Chromium renders it: its text, and the console's errors."""
    chromium = tool("chromium")
    result = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                             "--disable-component-update", "--disable-sync", "--no-first-run",
                             f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0",
                             "--dump-dom", html_path.as_uri()], capture_output=True, text=True, timeout=120)  # fmt: skip
    dom = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", result.stdout, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", dom)
    console = "\n".join(line for line in result.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line)
    return text, console


@pytest.mark.parametrize("name", ["decision_making", "overview"])
def test_html_reports_read_as_reports(reports, tmp_path, name):
    root, summary = reports
    html_path = summary.folder / name / f"{name}.html"
    text, console = _browser_text(html_path, tmp_path)
    assert "目录" in text and "决策" in text or name == "overview"
    assert not console, console
    assert "Out[" not in text and "In [" not in text
    assert "<NA>" not in text and "&lt;NA&gt;" not in text and "nan" not in text.split()
    raw_floats = re.findall(r"\b\d+\.\d{3,}\b", text)  # 0.761905: an unformatted number
    assert not raw_floats, raw_floats[:5]
    assert "decision_making" not in text  # no English codes in the Chinese report
    source = html_path.read_text(encoding="utf-8")
    assert "@media print" in source and "cdnjs" not in source
    images = re.findall(r'<img [^>]*src="data:image/png', source)
    assert len(images) == len(set(re.findall(r'<img [^>]*src="(data:image/png[^"]{0,400})', source)))  # each once


def test_html_report_prints_every_column_on_a4(reports, tmp_path):
    """Printed, the indicator table keeps every column (概率, 预警, 计数依据 were cut off) and no scrollbar."""
    chromium, pdftotext = tool("chromium"), tool("pdftotext")
    root, summary = reports
    html_path = summary.folder / "decision_making" / "decision_making.html"
    pdf = tmp_path / "printed.pdf"
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run",
                    f"--user-data-dir={tmp_path / 'profile'}", f"--print-to-pdf={pdf}", "--no-pdf-header-footer",
                    html_path.as_uri()], capture_output=True, timeout=120, check=True)  # fmt: skip
    text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    squeezed = text.replace(" ", "").replace("\n", "")
    for label in ("指标名称", "目标", "最新值", "现状", "概率", "预警"):
        assert label in squeezed, label
    size = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert re.search(r"Page size: +841\.\d+ x 59[45]\.\d+ pts", size), size  # A4 landscape


def test_a_column_of_sentences_keeps_its_width_when_printed(reports):
    """计数依据, 概率含义 and the names were squeezed to 3–6 characters a line on A4: each column of
    sentences carries a width of at least 7 em, and the printed table is as wide as its columns need
    (width 100 % spread them evenly, whatever their widths)."""
    _, summary = reports
    page = (summary.folder / "decision_making" / "decision_making.html").read_text(encoding="utf-8")
    table = page[page.rfind('<table class="report-table"', 0, page.find(">计数依据<")):]
    column = re.search(r'class="col_heading level0 (col\d+)" id="(T_\w+)_level0_col\d+">计数依据<', table)
    assert column, "no 计数依据 column"
    widths = re.findall(rf"#{column.group(2)}_row\d+_{column.group(1)}\b[^{{]*\{{[^}}]*?width: ([\d.]+)em", page)
    assert widths and min(float(w) for w in widths) >= 7.0, widths
    assert re.search(r"@media print \{[^@]*@page[^}]*\}[^@]*table \{ font-size: 7.5pt; width: auto;", page)


def test_word_report_is_filed_as_a_government_office_files_it(reports):
    from docx import Document
    from docx.shared import Mm

    from analysis.report.document import build_document

    root, _ = reports
    docx_path, _ = build_document(YEAR, reports_dir=root / "reports", processed_dir=root / "processed")
    document = Document(str(docx_path))
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.5) and abs(section.page_height - Mm(297)) < Mm(0.5)
    footer = section.footer._element.xml
    assert "PAGE" in footer  # page numbers
    xml = document.element.xml
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:2] == ["一、总体情况", "二、各领域进展"]  # what matters first, in the 一、（一） hierarchy
    assert document.settings.odd_and_even_pages_header_footer  # page numbers outside: odd right, even left
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert any(re.match(r"表 \d+ ", c) for c in captions) and any(re.match(r"图 \d+ ", c) for c in captions)
    assert "SEQ 图" in xml and "SEQ 表" in xml
    assert all("w:tblHeader" in t._tbl.xml for t in document.tables)  # header rows repeat on every page
    body = document.styles["Normal"].element.xml
    assert "仿宋" in body and "黑体" in document.styles["Heading 1"].element.xml


def test_word_report_charts_every_indicator(reports):
    from analysis.report.document import Figure, ReportBuilder

    root, _ = reports
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as scratch:
        builder = ReportBuilder(YEAR, "金口河区", "annual", "zh", root / "reports", root / "processed", Path(scratch))
        blocks = builder.progress("二")
        charted = {i for b in blocks if isinstance(b, Figure) and b.indicators for i in b.indicators}
    expected = {i for i in builder.headline["indicator_id"]
                if (i, "金口河区", "total", "total", "") in builder.results.assessments
                and len(builder.results.get(i).years)}  # fmt: skip
    assert expected and expected <= charted
    assert {"DM-08-3", "DM-09-3"} <= charted  # red 决策 indicators, once left out after the first nine


def test_figure_kit_exports_at_the_journal_width(reports, tmp_path):
    from analysis.report.figure_kit import export

    root, _ = reports
    paths = export("DM-08-3", width=120, font_size=8, formats=("pdf", "png"), out_dir=tmp_path, year=YEAR,
                   lang="en", processed_dir=root / "processed")  # fmt: skip
    assert [p.suffix for p in paths] == [".pdf", ".png"]
    box = PdfReader(paths[0]).pages[0].mediabox
    assert abs(float(box.width) * MM - 120) < 0.5


def test_entry_workbook_prints_on_a4_landscape_with_fixed_cells_protected(tmp_path):
    import openpyxl

    from analysis.data import Vocabulary, write_entry_workbook

    path = write_entry_workbook(tmp_path / "entry.xlsx", CATALOG, Vocabulary.default())
    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets[1:]:
        assert sheet.page_setup.paperSize == 9 and sheet.page_setup.orientation == "landscape"
        assert sheet.print_title_cols == "$A:$C"  # indicator code and name beside the year columns on every page
        assert sheet.protection.sheet
        first = sheet.max_row
        assert sheet.cell(first, 1).protection.locked and sheet.cell(first, 2).protection.locked  # fixed cells
        assert not sheet.cell(first, 9).protection.locked  # a year cell takes input


def test_english_reports_sit_beside_the_chinese_ones(reports, tmp_path):
    root, summary = reports
    english = run(year=YEAR, domains=["law"], lang="en", raw_dir=DATA_RAW, processed_dir=root / "processed",
                  reports_dir=root / "reports", overview=False, progress=False)  # fmt: skip
    assert english.ok
    assert (summary.folder / "decision_making" / "decision_making.html").exists()  # the Chinese run is still there
    text, _ = _browser_text(english.folder / "en" / "law" / "law.html", tmp_path)
    assert "Women and the law" in text and "Jinkouhe District" in text and "妇女与法律" not in text
