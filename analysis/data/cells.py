"""Reading one spreadsheet cell as a number, the way people actually type them.

Accepted and normalised: full-width digits and signs (４５．２％), "45%" typed as text, thousands
separators (12,345), surrounding spaces (also U+3000 and no-break spaces), and cells formatted
as a percentage in Excel (stored as 0.45, shown as 45%). Refused: anything else that is text,
because a dash or "N/A" could mean zero, missing or not applicable, and only the person who
filled in the sheet knows which.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

MISSING_MARKER = "未统计"  # the one word the entry template allows: "this statistic is not collected"
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
BLANK_FIX = f"leave the cell empty when there is no figure, or write {MISSING_MARKER} if the statistic is not collected"


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
    """NFKC folds full-width digits, ％ and ，; strip also removes U+3000 and no-break spaces."""
    return unicodedata.normalize("NFKC", text).strip()


def read_number(raw: object, *, percent: bool, number_format: str = "") -> CellValue:
    """Interpret one cell; ``percent`` says the indicator is measured in %."""
    if raw is None:
        return BLANK
    if isinstance(raw, bool) or isinstance(raw, (datetime, date)):
        return CellValue("value", error=f"{raw!r} is not a number", fix="type the figure as a number")
    if isinstance(raw, (int, float)):
        if raw != raw:  # NaN from a reader means an empty cell
            return BLANK
        if "%" in number_format:
            if not percent:
                return CellValue("value", error="the cell is formatted as a percentage but the indicator is not in %",
                                 fix="remove the % format and type the figure in the indicator's unit")  # fmt: skip
            return CellValue("value", float(raw) * 100)
        return CellValue("value", float(raw))
    text = clean_text(str(raw))
    if not text:
        return BLANK
    if text == MISSING_MARKER:
        return CellValue("missing")
    is_percent_text = text.endswith("%")
    if is_percent_text:
        text = text[:-1].strip()
        if not percent:
            return CellValue("value", error=f"{raw!r} is a percentage but the indicator is not in %",
                             fix="type the figure in the indicator's unit, without %")  # fmt: skip
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    if not _NUMBER.match(text):
        return CellValue("value", error=f"{raw!r} is not a number", fix=BLANK_FIX)
    return CellValue("value", float(text))
