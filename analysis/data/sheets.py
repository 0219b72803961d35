"""Opening an input file as grids of cells, whatever it is: CSV (UTF-8 or GBK) or XLSX.

The file's bytes decide what it is, not its extension, so a CSV renamed to .xlsx or an HTML page
saved as .xls is named for what it is instead of failing somewhere inside a reader.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl

from analysis.data.problems import Problem

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and .doc)


@dataclass(frozen=True)
class Cell:
    value: object
    number_format: str = ""


@dataclass(frozen=True)
class Sheet:
    name: str  # "" for a CSV file
    rows: list[list[Cell]]

    def cell(self, row: int, column: int) -> Cell:
        """1-based, as Excel numbers them; outside the data is an empty cell."""
        if 1 <= row <= len(self.rows) and 1 <= column <= len(self.rows[row - 1]):
            return self.rows[row - 1][column - 1]
        return Cell(None)


class UnreadableFile(Exception):
    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def _refuse(label: str, message: str, fix: str) -> UnreadableFile:
    return UnreadableFile(Problem(label, message, fix))


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
    rows = [[Cell(v) for v in row] for row in csv.reader(io.StringIO(text, newline=""))]
    return [Sheet("", rows)]


def _xlsx_sheets(data: bytes, label: str) -> list[Sheet]:
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise _refuse(label, f"the workbook cannot be opened ({error.__class__.__name__})",
                      "open it in Excel or WPS and save it again as .xlsx") from error  # fmt: skip
    sheets = []
    for ws in workbook.worksheets:
        grid = [[Cell(c.value, c.number_format or "") for c in row] for row in ws.iter_rows()]
        # A merged cell holds its value in the top-left corner only; give it to the whole range
        # so a merged header reads the same in every column it spans.
        for merged in ws.merged_cells.ranges:
            top_left = ws.cell(merged.min_row, merged.min_col)
            for r in range(merged.min_row, merged.max_row + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    if r <= len(grid) and c <= len(grid[r - 1]):
                        grid[r - 1][c - 1] = Cell(top_left.value, top_left.number_format or "")
        sheets.append(Sheet(ws.title, grid))
    return sheets


def read_sheets(path: Path, label: str) -> list[Sheet]:
    """Every sheet of the file; raise UnreadableFile with a Problem saying what is wrong."""
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if not data.strip():
        raise _refuse(label, "the file is empty", "export the data again, or remove the file from data/raw")
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
