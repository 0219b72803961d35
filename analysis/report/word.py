"""The document's blocks as a Word file in 公文 form (GB/T 9704): A4, its margins, 仿宋 body.

Tables repeat their header row on every page and never split a row; wide tables go on landscape
pages; page numbers stand outside ("— 1 —", right on odd pages, left on even ones); while the data
are synthetic a running header says so on every page.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from analysis.files import write_whole
from analysis.report.blocks import Figure, Heading, Note, PageBreak, Paragraph, Table
from analysis.report.pagination import cuts, row_mm, text_mm
from analysis.report.pagination import display_width as _display_width


def _cell_text(value) -> str:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _field(paragraph, instruction: str, shown: str = "") -> None:
    """A Word field (PAGE, SEQ, TOC) with the text it shows until Word updates it."""
    def char(kind):
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)
        return run

    char("begin")
    instr = paragraph.add_run()._r
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    instr.append(text)
    char("separate")
    paragraph.add_run(shown)
    char("end")


TEXT_WIDTH_CM = 15.6  # A4 with the 公文 margins below: 210 − 28 − 26 mm
TABLE_FONT = Pt(8)
BODY_FONT, HEADING_FONT, TITLE_FONT, CAPTION_FONT = "仿宋", "黑体", "宋体", "楷体"  # GB/T 9704 公文 equivalents
LATIN_FONT = "Times New Roman"


def _column_widths(frame: pd.DataFrame, width_cm: float) -> tuple[list[float], bool]:
    """Column widths (cm) from their longest entry, and whether the numbers kept theirs: short
    columns get what they need, running text (names, reasons) wraps into the rest."""
    # a header may wrap (to about four Han characters); the cells set the width
    units = [max([min(_display_width(str(c)), 8), *(_display_width(_cell_text(v)) for v in frame[c])])
             for c in frame.columns]  # fmt: skip
    natural = [0.16 * u + 0.45 for u in units]  # cm at 8 pt, with cell padding
    if sum(natural) <= width_cm:
        return natural, True
    text = [frame[c].astype(str).str.len().max() > 10 and frame[c].astype(str).str.contains(r"[\u4e00-\u9fff]{4}|[A-Za-z]{3,} [A-Za-z]").any()
            for c in frame.columns]  # fmt: skip
    fixed = sum(w for w, t in zip(natural, text) if not t)
    flexible = sum(w for w, t in zip(natural, text) if t)
    fits = bool(flexible) and fixed < width_cm - 2.5 * sum(text)
    if fits:  # the text columns share the rest in proportion, none below 2.5 cm
        floored: set[int] = set()
        while True:
            free = width_cm - fixed - 2.5 * len(floored)
            rest = sum(w for i, (w, t) in enumerate(zip(natural, text)) if t and i not in floored)
            share = {i: 2.5 if i in floored else free * w / rest for i, (w, t) in enumerate(zip(natural, text)) if t}
            low = {i for i, w in share.items() if w < 2.5}
            if low <= floored:
                break
            floored |= low
        natural = [share.get(i, w) for i, w in enumerate(natural)]
    elif flexible:  # even the numbers do not fit: running text gets 2.5 cm a column, numbers share the rest
        squeeze = (width_cm - 2.5 * sum(text)) / fixed
        natural = [2.5 if t else max(1.1, w * squeeze) for w, t in zip(natural, text)]  # 100% on one line
    scale = width_cm / sum(natural)
    return [w * min(1.0, scale) for w in natural], fits


def _is_wide(frame: pd.DataFrame) -> bool:
    """Set on landscape pages: many columns, or numbers that portrait would break across lines."""
    return len(frame.columns) >= LANDSCAPE_COLUMNS or not _column_widths(frame, TEXT_WIDTH_CM)[1]


def _fit(table, widths: list[float]) -> None:
    table.autofit = False
    for column, width in zip(table.columns, widths):  # the grid, which LibreOffice and WPS read
        column.width = Cm(width)
    for row in table.rows:  # and each cell, which Word reads
        for cell, width in zip(row.cells, widths):
            cell.width = Cm(width)
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = TABLE_FONT


def _fonts(style, east_asian: str, size: float | None = None, bold: bool | None = None) -> None:
    style.font.name = LATIN_FONT  # also creates the rFonts element the East Asian font goes in
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)
    if size:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    style.font.color.rgb = RGBColor(0, 0, 0)


def _orient(section, landscape: bool = False) -> None:
    """A4 with the 公文 margins (top 37, bottom 35, left 28, right 26 mm), turned for wide tables."""
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin, section.bottom_margin = Mm(28), Mm(26)
        section.left_margin, section.right_margin = Mm(37), Mm(35)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)


LANDSCAPE_COLUMNS = 12  # a table this wide is set on a landscape page (fewer: portrait if its numbers fit)
LANDSCAPE_WIDTH_CM = 22.5  # 297 − 37 − 35 mm


def _page_number(paragraph, alignment) -> None:
    paragraph.alignment = alignment
    paragraph.add_run("— ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(" —")


def _page_setup(document, lang: str, running_header: str = "") -> None:
    """A4, 公文 margins; page numbers "— 1 —" outside (odd pages right, even pages left); a running
    header on every page when given (the synthetic label)."""
    document.settings.odd_and_even_pages_header_footer = True
    for section in document.sections:
        _orient(section)
        _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
        _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)
        if running_header:
            for header in (section.header, section.even_page_header):
                paragraph = header.paragraphs[0]
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                run = paragraph.add_run(running_header)
                run.bold, run.font.size = True, Pt(10.5)


def caption_text(text: str) -> str:
    """A caption without a hand-written label ("表 …", "Figure: …"): the number is added when rendering."""
    return re.sub(r"^(表|图|Table:|Figure:)\s*", "", text)


def _caption(document, kind: str, number: int, text: str, lang: str) -> None:
    """A numbered caption 图 1 / 表 1 (a SEQ field, already numbered) in the Caption style."""
    text = caption_text(text)
    label = {"figure": ("图", "Figure"), "table": ("表", "Table")}[kind][0 if lang == "zh" else 1]
    paragraph = document.add_paragraph(style="Caption")
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if kind == "table":  # a table's caption sits above it, apart from what comes before (another table)
        paragraph.paragraph_format.space_before = Pt(12)
        paragraph.paragraph_format.keep_with_next = True
    paragraph.add_run(f"{label} ")
    _field(paragraph, f"SEQ {label} \\* ARABIC", str(number))
    paragraph.add_run(f"  {text}")


def _repeat_header(row) -> None:
    """The header row repeats at the top of every page the table runs onto."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


BODY_SIZE = 16  # 三号
LINE_PITCH = Pt(28)  # 22 lines a page, as GB/T 9704 sets them


def _body(paragraph, indent: bool = True) -> None:
    """A 公文 body paragraph: 三号 仿宋 on a fixed 28 pt line, the first line indented two characters."""
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, LINE_PITCH
    fmt.first_line_indent = Pt(2 * BODY_SIZE) if indent else Pt(0)
    fmt.space_after = Pt(0)


def _cell_paragraphs(table) -> None:
    """Table cells single-spaced and not indented (the body's settings are for running text);
    a row never splits across pages, and a table (or a piece of one) that fits a page is kept on
    one page: every row keeps with the next, so a table never runs a row or two onto the next page
    without its 续表 caption."""
    last = len(table.rows) - 1
    for i, row in enumerate(table.rows):
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                fmt = paragraph.paragraph_format
                fmt.first_line_indent, fmt.line_spacing, fmt.space_after = Pt(0), 1.0, Pt(0)
                fmt.keep_with_next = i < last


def _orientations(blocks: list) -> list[bool]:
    """Landscape for wide tables and for the headings and lines that lead into one, so that no
    heading stands alone on a portrait page before a landscape break."""
    landscape = [isinstance(b, Table) and _is_wide(b.frame) for b in blocks]
    for i in range(len(blocks) - 1, 0, -1):
        if landscape[i] and isinstance(blocks[i - 1], (Heading, Paragraph)) and blocks[i - 1].__dict__.get("level", 1):
            landscape[i - 1] = True
    for i in range(len(blocks) - 1):  # notes, lines and small tables after a wide table stay on its pages
        if landscape[i] and isinstance(blocks[i + 1], (Note, Paragraph, Table)):
            landscape[i + 1] = True
    return landscape


def _styles(document) -> None:
    _fonts(document.styles["Normal"], BODY_FONT, BODY_SIZE)
    _fonts(document.styles["Title"], TITLE_FONT, 22, False)
    title = document.styles["Title"].element.get_or_add_pPr()
    for border in title.findall(qn("w:pBdr")):  # python-docx's Title draws a blue rule under it
        title.remove(border)
    document.styles["Title"].paragraph_format.space_after = Pt(12)
    for level, font in ((1, HEADING_FONT), (2, CAPTION_FONT), (3, BODY_FONT)):
        style = document.styles[f"Heading {level}"]
        _fonts(style, font, BODY_SIZE, level == 3)
        style.font.italic = False
        style.paragraph_format.first_line_indent = Pt(2 * BODY_SIZE)
        style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        style.paragraph_format.line_spacing = LINE_PITCH
        style.paragraph_format.space_before, style.paragraph_format.space_after = Pt(0), Pt(0)
        style.paragraph_format.keep_with_next = True
    _fonts(document.styles["Caption"], HEADING_FONT, 10.5, False)


def render_docx(blocks: list, path: Path, lang: str, running_header: str = "") -> Path:
    document = Document()
    _page_setup(document, lang, running_header)
    _styles(document)
    numbers = {"figure": 0, "table": 0}
    landscape = False
    following = [*blocks[1:], None]
    first_in_section = False  # a landscape run's first table starts near the top of a page
    lead = 0.0  # mm of headings and lines above it on that page
    for before, block, wide, after in zip([None, *blocks[:-1]], blocks, _orientations(blocks), following):
        # A wide table gets landscape pages, and so does the wide table right after it (no empty
        # portrait page between them); the page numbers run on (the footer is linked).
        if wide != landscape:
            _orient(document.add_section(WD_SECTION.NEW_PAGE), landscape=wide)
            landscape = wide
            first_in_section, lead = wide, 0.0
        if isinstance(block, (Heading, Paragraph)) and first_in_section:
            lead += text_mm(block.text, (LANDSCAPE_WIDTH_CM if wide else TEXT_WIDTH_CM) * 10)
        if isinstance(block, Heading):
            if block.level == 0:
                heading = document.add_paragraph(block.text, style="Title")
                heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
            else:
                heading = document.add_heading(block.text, level=block.level)
                if isinstance(before, Table):  # a heading set right under a table's last line read as part of it
                    heading.paragraph_format.space_before = Pt(10)
        elif isinstance(block, Paragraph):
            paragraph = document.add_paragraph()
            paragraph.add_run(block.text).bold = block.bold
            _body(paragraph, indent=not block.center)
            if isinstance(before, Table):
                paragraph.paragraph_format.space_before = Pt(10)
            if block.text.rstrip().endswith(("：", ":")):  # a lead-in line stays with the list it opens
                paragraph.paragraph_format.keep_with_next = True
            if block.center:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif isinstance(block, Note):
            paragraph = document.add_paragraph()
            run = paragraph.add_run(block.text)
            run.font.size = Pt(10.5)
            paragraph.paragraph_format.space_after = Pt(6)
        elif isinstance(block, PageBreak):
            document.add_page_break()
        elif isinstance(block, Table):
            numbers["table"] += bool(block.caption)
            _table(document, block, numbers["table"], wide, lang, lead=lead if first_in_section else 0.0)
            first_in_section = False
        elif isinstance(block, Figure):
            first_in_section = False
            document.add_picture(str(block.path), width=Cm(block.width_cm))
            picture = document.paragraphs[-1]
            picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
            # single spacing: LibreOffice drew a picture under a fixed-pitch body over the table above it
            fmt = picture.paragraph_format
            fmt.line_spacing_rule, fmt.first_line_indent = WD_LINE_SPACING.SINGLE, Pt(0)
            fmt.space_before, fmt.keep_with_next = Pt(6), True
            if block.caption:
                numbers["figure"] += 1
                _caption(document, "figure", numbers["figure"], block.caption, lang)
                if isinstance(after, Note):  # the note under a figure stays on its page
                    document.paragraphs[-1].paragraph_format.keep_with_next = True
    return write_whole(path, lambda p: _save_stable(document, p))


def _table(document, block: Table, number: int, wide: bool, lang: str, lead: float = 0.0) -> None:
    """A table with its caption and 注 row. A table longer than a page is cut into pieces of about
    equal height, the later ones on their own pages under 续表 N; ``lead``: mm of headings and lines
    above it on its page, when known (the first table of a landscape run)."""
    frame = block.frame
    widths = _column_widths(frame, LANDSCAPE_WIDTH_CM if wide else TEXT_WIDTH_CM)[0]
    heights = [row_mm([_cell_text(v) for v in row], widths) for row in frame.itertuples(index=False)]
    if heights and block.note:  # the 注 row goes with the last
        heights[-1] += row_mm([block.note], [sum(widths)])
    starts = cuts(heights, row_mm(frame.columns, widths), wide, lead)
    for k, (start, end) in enumerate(zip([0, *starts], [*starts, len(frame)])):
        if block.caption and not k:
            _caption(document, "table", number, block.caption, lang)
        elif k:  # a new page by the caption's own setting: a page break after a full page left a blank page
            label = f"续表{number}" if lang == "zh" else f"Table {number} (continued)"
            paragraph = document.add_paragraph(f"{label}  {caption_text(block.caption)}" if block.caption else "",
                                               style="Caption")  # fmt: skip
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.keep_with_next = paragraph.paragraph_format.page_break_before = True
        table = document.add_table(rows=1, cols=len(frame.columns), style="Table Grid")
        for cell, name in zip(table.rows[0].cells, frame.columns):
            cell.text = str(name)
            cell.paragraphs[0].runs[0].bold = True
        _repeat_header(table.rows[0])
        for row in frame.iloc[start:end].itertuples(index=False):
            for cell, value in zip(table.add_row().cells, row):
                cell.text = _cell_text(value)
        _fit(table, widths)
        note = block.note if end == len(frame) else block.label  # a piece before the last: the label only
        if note:  # the 注 as the table's last row, its cells merged
            cells = table.add_row().cells
            merged = cells[0].merge(cells[-1])
            merged.text = note
            for paragraph in merged.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)
        _cell_paragraphs(table)


def _save_stable(document, path: Path) -> None:
    """Save with every part dated at the ZIP epoch: python-docx stamps the parts with the time of
    saving, so the same report saved twice differed in bytes though not in a single character."""
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as made, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as stable:
        for info in made.infolist():
            stable.writestr(zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0)), made.read(info.filename),
                            compress_type=zipfile.ZIP_DEFLATED)  # fmt: skip


