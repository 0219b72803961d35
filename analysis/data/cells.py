"""Reading one spreadsheet cell as a number, the way people actually type them.

Accepted and normalised: full-width digits and signs (４５．２％), "45%" typed as text, thousands
separators (12,345), surrounding spaces (also U+3000 and no-break spaces), cells formatted as a
percentage in Excel (stored as 0.45, shown as 45%), "12.3‰" for an indicator in ‰, and "1.2万"
for counts and amounts (12000). Refused: anything else that is text, because a dash or "N/A"
could mean zero, missing or not applicable, and only the person who filled in the sheet knows
which. When the text holds a real figure in the wrong form (‰ for a % indicator, "约45", an
Excel error such as #DIV/0!), the fix says how to write that figure, never to throw it away.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

MISSING_MARKER = "未统计"  # the one word the entry template allows: "this statistic is not collected"
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_FIGURE_INSIDE = re.compile(r"\d+(\.\d+)?")
BLANK_FIX = f"leave the cell empty when there is no figure, or write {MISSING_MARKER} if the statistic is not collected"
# Excel's (and WPS's) error values, as a cell holding a failed formula shows them.
EXCEL_ERRORS = {
    "#DIV/0!": "a division by zero (the formula's denominator is 0 or empty)",
    "#N/A": "a value the formula looked up was not found",
    "#VALUE!": "the formula used text where it needed a number",
    "#REF!": "the formula points at cells that were deleted",
    "#NAME?": "the formula names a function or range that does not exist",
    "#NUM!": "the formula's result is not a valid number",
    "#NULL!": "the formula's ranges do not intersect",
    "#SPILL!": "the formula's result cannot spill into occupied cells",
    "#CALC!": "the formula could not be calculated",
}
TEN_THOUSAND = ("万人", "万元", "万")  # 1.2万 = 12000: how bureaus write large counts and amounts
RATE_UNITS = {"%": 100, "‰": 1000, "1/10万": 100000}  # per hundred, thousand, hundred thousand


@dataclass(frozen=True)
class CellValue:
    status: str  # "value", "blank" (nothing reported) or "missing" (reported as not collected)
    value: float | None = None
    error: str = ""
    fix: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


BLANK = CellValue("blank")


def clean_text(text: str) -> str:
    """NFKC folds full-width digits, ％ and ，; strip also removes U+3000 and no-break spaces; invisible
    characters (zero-width spaces and joiners, BOMs, direction marks: Unicode's format characters), as
    text copied from a chat app or a web page carries them, are removed wherever they are."""
    text = unicodedata.normalize("NFKC", text)
    if any(unicodedata.category(ch) == "Cf" for ch in text):
        text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return text.strip()


def _refused(raw: object, error: str, fix: str) -> CellValue:
    return CellValue("value", error=error, fix=fix)


def _per_mille(raw: object, number: float, unit: str) -> CellValue:
    """'5‰': a real figure per thousand; convert it only where the indicator is in ‰."""
    if unit == "‰":
        return CellValue("value", number)
    if unit in RATE_UNITS:
        converted = number / 1000 * RATE_UNITS[unit]
        return _refused(raw, f"{raw!r} is per thousand (‰) but the indicator is in {unit}",
                        f"write {converted:g} ({number:g}‰ in {unit})")  # fmt: skip
    return _refused(raw, f"{raw!r} is per thousand (‰) but the indicator is in {unit or 'counts'}",
                    "write the figure in the indicator's unit")  # fmt: skip


def _ten_thousands(raw: object, number: float, unit: str) -> CellValue:
    """'1.2万': 12000 for counts and amounts; in a 万人 indicator the figure is already in 万."""
    if unit == "万人":
        return CellValue("value", number)
    if unit in RATE_UNITS:
        return _refused(raw, f"{raw!r} is a number of 万 but the indicator is a rate in {unit}",
                        f"write the rate in {unit}")  # fmt: skip
    return CellValue("value", number * 10000)


def read_number(raw: object, *, unit: str = "", number_format: str = "") -> CellValue:
    """Interpret one cell; ``unit`` is the indicator's unit for a value cell, "" for a count or a year."""
    percent = unit == "%"
    if raw is None:
        return BLANK
    if isinstance(raw, bool) or isinstance(raw, (datetime, date)):
        return _refused(raw, f"{raw!r} is not a number", "type the figure as a number")
    if isinstance(raw, (int, float)):
        if raw != raw:  # NaN from a reader means an empty cell
            return BLANK
        if math.isinf(raw):
            return _refused(raw, f"{raw!r} is not a finite number", "type the figure")
        if "%" in number_format:
            if not percent:
                return _refused(raw, "the cell is formatted as a percentage but the indicator is not in %",
                                "remove the % format and type the figure in the indicator's unit")  # fmt: skip
            return CellValue("value", float(raw) * 100)
        return CellValue("value", float(raw))
    text = clean_text(str(raw))
    if not text:
        return BLANK
    if text == MISSING_MARKER:
        return CellValue("missing")
    if text.upper() in EXCEL_ERRORS:
        return _refused(raw, f"the cell shows Excel's error {text.upper()}: {EXCEL_ERRORS[text.upper()]}",
                        "correct the formula or its input cells in the source workbook so that it shows the "
                        "figure (or type the figure); clear the cell only if there is no figure for that year")  # fmt: skip
    suffix = next((s for s in ("%", "‰", *TEN_THOUSAND) if text.endswith(s)), "")
    number_text = text.removesuffix(suffix).strip() if suffix else text
    if _THOUSANDS.match(number_text):
        number_text = number_text.replace(",", "")
    if not _NUMBER.match(number_text):
        figure = _FIGURE_INSIDE.search(text)
        if figure:  # '约45', '45左右', '<0.1': a real figure with words around it
            return _refused(raw, f"{raw!r} is not a number",
                            f"type the figure alone ({figure.group()}) and put the words in 备注")  # fmt: skip
        return _refused(raw, f"{raw!r} is not a number", BLANK_FIX)
    number = float(number_text)
    if math.isinf(number):
        return _refused(raw, f"{raw!r} is not a finite number", "check the figure")
    if suffix == "%":
        if not percent:
            return _refused(raw, f"{raw!r} is a percentage but the indicator is not in %",
                            "type the figure in the indicator's unit, without %")  # fmt: skip
        return CellValue("value", number)
    if suffix == "‰":
        return _per_mille(raw, number, unit)
    if suffix:
        return _ten_thousands(raw, number, unit)
    return CellValue("value", number)
