"""Opening an input file as grids of cells, whatever it is: CSV (UTF-8 or GBK) or XLSX.

The file's bytes decide what it is, not its extension, so a CSV renamed to .xlsx, an HTML page
saved as .xls or a password-protected workbook is named for what it is instead of failing
somewhere inside a reader. Whatever a reader cannot be sure of is refused with its place: a quote
that swallowed the following lines, a cell too long to be one, a formula whose value was never
computed (the workbook was written by a program, not saved by Excel or WPS).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl

from analysis.data.cells import EXCEL_ERRORS
from analysis.data.problems import Problem, cell_name

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and .doc), and encrypted .xlsx
ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")  # the stream a password-protected .xlsx keeps
CSV_CELL_LIMIT = 32767  # Excel's own limit for one cell; a longer "cell" is a quote left open


@dataclass(frozen=True)
class Cell:
    value: object
    number_format: str = ""
    formula: str = ""  # the formula, when the cell holds one (value is then its cached result)


@dataclass(frozen=True)
class Sheet:
    name: str  # "" for a CSV file
    rows: list[list[Cell]]
    merged: tuple[tuple[int, int, int, int], ...] = ()  # (min_row, min_col, max_row, max_col), 1-based
    uncomputed: bool = False  # formulas' cached values were never computed by a spreadsheet program
    state: str = "visible"  # "hidden" or "veryHidden": a sheet Excel does not show
    hidden_rows: tuple[int, ...] = ()  # 1-based rows hidden in Excel (or of height 0)

    @property
    def empty(self) -> bool:
        return all(c.value is None or str(c.value).strip() == "" for row in self.rows for c in row)

    def merged_range(self, row: int, column: int) -> str:
        """'H7:J7' when the cell is part of a merged range spanning several cells, else ''."""
        for r0, c0, r1, c1 in self.merged:
            if r0 <= row <= r1 and c0 <= column <= c1 and (r0, c0) != (r1, c1):
                return f"{cell_name(r0, c0)}:{cell_name(r1, c1)}"
        return ""

    def cell(self, row: int, column: int) -> Cell:
        """1-based, as Excel numbers them; outside the data is an empty cell."""
        if 1 <= row <= len(self.rows) and 1 <= column <= len(self.rows[row - 1]):
            return self.rows[row - 1][column - 1]
        return Cell(None)


def formula_error(sheet: Sheet, cell: Cell) -> tuple[str, str] | None:
    """A formula whose result the file does not hold (or holds only as a placeholder) cannot be read."""
    if cell.formula and isinstance(cell.value, str) and cell.value.strip().upper() in EXCEL_ERRORS:
        error = cell.value.strip().upper()
        return (f"the formula {cell.formula} shows Excel's error {error}: {EXCEL_ERRORS[error]}",
                "correct the formula or its input cells so that it shows the figure (or type the figure); clear "
                "the cell only if there is no figure for that year")  # fmt: skip
    if not cell.formula or (cell.value is not None and not sheet.uncomputed):
        return None
    return (f"the cell holds the formula {cell.formula} but its result was never computed (the file was written "
            "by a program, not saved by Excel or WPS)", "open the file in Excel or WPS and save it, so the "
            "figures are computed, or type the figures")  # fmt: skip


def hidden_problems(sheets: list[Sheet], label: str) -> list[Problem]:
    """Hidden sheets and rows that hold something: what Excel does not show must not be loaded unseen."""
    problems = []
    for sheet in sheets:
        if sheet.state != "visible" and not sheet.empty:
            problems.append(Problem(label, f"the sheet {sheet.name!r} is hidden but holds data: figures nobody sees in "
                                    "Excel would be loaded", "unhide it (right-click a sheet tab → 取消隐藏/Unhide) and "
                                    "check it: delete it if it is obsolete, or keep it visible", sheet=sheet.name))  # fmt: skip
            continue
        rows = [r for r in sheet.hidden_rows
                if any(c.value is not None and str(c.value).strip() for c in sheet.rows[r - 1])]  # fmt: skip
        if rows:
            shown = ", ".join(map(str, rows[:10])) + (f" and {len(rows) - 10} more" if len(rows) > 10 else "")
            problems.append(Problem(label, f"row(s) {shown} are hidden but hold data: figures nobody sees in Excel "
                                    "would be loaded", "unhide the rows (select the rows around them → right-click → "
                                    "取消隐藏/Unhide) and delete the obsolete ones, or keep them visible",
                                    sheet=sheet.name, row=rows[0]))  # fmt: skip
    return problems


class UnreadableFile(Exception):
    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def _refuse(label: str, message: str, fix: str, row: int | None = None, column: int | None = None) -> UnreadableFile:
    return UnreadableFile(Problem(label, message, fix, row=row, column=column))


def _decode(data: bytes, label: str) -> str:
    if b"\x00" in data[:4096]:
        raise _refuse(label, "the file is binary, not text", "save it as CSV (UTF-8) or .xlsx")
    for encoding in ("utf-8-sig", "gb18030"):  # Excel on Chinese Windows saves CSV as GBK
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _refuse(label, "the text is neither UTF-8 nor GBK", "save it as CSV UTF-8 from Excel or WPS")


def _csv_sheet(data: bytes, label: str) -> list[Sheet]:
    text = _decode(data, label)
    if text.lstrip().lower().startswith(("<!doctype", "<html", "<?xml")):
        raise _refuse(label, "the file is a web page or XML, not a table", "export the table as CSV or .xlsx")
    rows, line = [], 0
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for row in reader:
            start, line = line + 1, reader.line_num
            rows.append([Cell(v) for v in row])
            _check_quotes(row, start, label)
    except csv.Error as error:
        row = line + 1
        if "field larger" in str(error):
            raise _refuse(label, _TOO_LONG, _QUOTE_FIX, row=row) from error
        raise _refuse(label, f"cannot be read as CSV ({error}): a quote (\") is not closed",
                      "remove the stray \" or close it, then save the file again", row=row) from error  # fmt: skip
    return [Sheet("", rows)]


_TOO_LONG = (f"a cell here is longer than a spreadsheet cell can be ({CSV_CELL_LIMIT} characters): a quote (\") "
             "was opened and never closed, so the following lines were read as one cell")
_QUOTE_FIX = "remove the stray \" or close it, then save the file again"
_ROW_LIKE = re.compile(r"[^,\n]*(,[^,\n]*){2,}")  # a line with several commas: a row, not prose


def _check_quotes(row: list[str], line: int, label: str) -> None:
    """A quoted cell spanning lines that look like rows is a stray quote that swallowed them."""
    for c, value in enumerate(row, start=1):
        if len(value) > CSV_CELL_LIMIT:
            raise _refuse(label, _TOO_LONG, _QUOTE_FIX, row=line, column=c)
        lines = value.splitlines()
        if len(lines) > 1 and any(_ROW_LIKE.fullmatch(part) for part in lines[1:]):
            raise _refuse(label, f"a quote (\") opens in this cell and closes only {len(lines) - 1} line(s) further "
                          "down, so those lines were read as one cell",
                          "remove the stray \" (or write it as \"\"), then save the file again", row=line, column=c)  # fmt: skip


def _has_formulas(data: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return any(b"<f" in archive.read(name) for name in archive.namelist()
                   if name.startswith("xl/worksheets/") and name.endswith(".xml"))  # fmt: skip


def _values_not_computed(data: bytes) -> bool:
    """The workbook asks to be recalculated on opening: its writer never computed the formulas.

    Read from the XML itself, because openpyxl reports the flag as set when it is absent.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        book = archive.read("xl/workbook.xml") if "xl/workbook.xml" in archive.namelist() else b""
    return re.search(rb'fullCalcOnLoad="(1|true)"', book) is not None


def _xlsx_sheets(data: bytes, label: str) -> list[Sheet]:
    try:
        return _read_workbook(data)
    except Exception as error:  # a damaged workbook fails anywhere inside zip, XML or openpyxl
        raise _refuse(label, f"the workbook is damaged and cannot be read ({error.__class__.__name__}: "
                      f"{str(error)[:120]})", "open it in Excel or WPS (which can repair it) and save it "
                      "again as .xlsx, or ask the sender for a new copy") from error  # fmt: skip


def _read_workbook(data: bytes) -> list[Sheet]:
    workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    formulas = openpyxl.load_workbook(io.BytesIO(data), data_only=False) if _has_formulas(data) else None
    uncomputed = _values_not_computed(data)
    sheets = []
    for ws in workbook.worksheets:
        source = formulas[ws.title] if formulas is not None else None

        def formula(cell) -> str:
            if source is None:
                return ""
            text = source.cell(cell.row, cell.column).value
            return text if isinstance(text, str) and text.startswith("=") else ""

        grid = [[Cell(c.value, c.number_format or "", formula(c)) for c in row] for row in ws.iter_rows()]
        # A merged cell holds its value in the top-left corner only; give it to the whole range
        # so a merged header reads the same in every column it spans.
        for merged in ws.merged_cells.ranges:
            top_left = ws.cell(merged.min_row, merged.min_col)
            for r in range(merged.min_row, merged.max_row + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    if r <= len(grid) and c <= len(grid[r - 1]):
                        grid[r - 1][c - 1] = Cell(top_left.value, top_left.number_format or "")
        merged = tuple((m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges)
        hidden = tuple(sorted(r for r, dim in ws.row_dimensions.items()
                              if r <= len(grid) and (dim.hidden or (dim.height is not None and dim.height == 0))))  # fmt: skip
        sheets.append(Sheet(ws.title, grid, merged, uncomputed, ws.sheet_state or "visible", hidden))
    return sheets


def read_sheets(path: Path, label: str) -> list[Sheet]:
    """Every sheet of the file; raise UnreadableFile with a Problem saying what is wrong."""
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if not data.strip():
        raise _refuse(label, "the file is empty", "export the data again, or remove the file from data/raw")
    if data.startswith(OLE_MAGIC) and ENCRYPTED_MARK in data:
        raise _refuse(label, "the workbook is protected with a password (encrypted), so it cannot be read",
                      "open it in Excel or WPS, remove the password (文件→信息→保护工作簿→用密码进行加密: clear "
                      "it; WPS: 文件→文档加密) and save it again")  # fmt: skip
    if data.startswith(OLE_MAGIC):
        raise _refuse(label, "this is an old Excel 97-2003 (.xls) file",
                      "open it in Excel or WPS and save it as .xlsx")  # fmt: skip
    if data.startswith(ZIP_MAGIC):
        if suffix not in (".xlsx", ".xlsm"):
            raise _refuse(label, f"the file is an Excel workbook but is named {suffix}",
                          "rename it to .xlsx")  # fmt: skip
        return _xlsx_sheets(data, label)
    if suffix in (".xlsx", ".xlsm", ".xls"):
        raise _refuse(label, f"the file is named {suffix} but is not an Excel workbook",
                      "open it in Excel or WPS and save it as .xlsx")  # fmt: skip
    return _csv_sheet(data, label)
