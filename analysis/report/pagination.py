"""Where a long table is cut: estimated row heights, and cuts that share the rows out evenly.

Word and LibreOffice lay out the pages themselves, and python-docx cannot ask them where a page
ends. A table longer than a page is therefore cut here, at row boundaries, into pieces of about the
same height, each a little under a page (``FILL``), the later ones under 续表 N with the header
repeated: left to run on by itself, such a table ended in a row or two on a page of its own.
A table that fits a page is never cut, and Word keeps it, and each piece, on one page (word.py).
"""

from __future__ import annotations

import math

PT_MM = 0.3528
TYPE_AREA_MM = {False: 225.0, True: 156.0}  # A4 portrait 297 − 37 − 35; landscape 210 − 28 − 26
FILL = 0.8  # a piece takes at most this share of a page: the estimate is rough (pieces of 0.9 spilled on tall rows)
TABLE_PT = 8
CAPTION_MM = 9.0
BODY_PT, BODY_PITCH_PT = 16, 28


def display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)  # a Han character is twice as wide


def row_mm(cells, widths_cm) -> float:
    """A table row at 8 pt: its tallest cell (lines × line height), with the cell's padding."""
    em_mm = TABLE_PT * PT_MM

    def cell_mm(text: str, width_cm: float) -> float:
        per_line = max(1.0, (width_cm * 10 - 2.0) / em_mm * 2)  # display units on a line
        lines = sum(max(1, math.ceil(display_width(part) / per_line)) for part in str(text).split("\n"))
        return lines * TABLE_PT * 1.25 * PT_MM

    return max(cell_mm(c, w) for c, w in zip(cells, widths_cm)) + 1.6


def text_mm(text: str, width_mm: float) -> float:
    """A body paragraph or heading (三号 on a 28 pt line, indented two characters)."""
    per_line = max(1.0, (width_mm - 11.0) / (BODY_PT * PT_MM) * 2)
    return max(1, math.ceil(display_width(text) / per_line)) * BODY_PITCH_PT * PT_MM


def cuts(heights: list[float], header: float, landscape: bool, lead: float = 0.0) -> list[int]:
    """The row indices where a new piece starts ([] when the table fits what is left of its page):
    pieces of about equal height, the first after ``lead`` mm of headings and lines above it."""
    page = TYPE_AREA_MM[landscape] * FILL - header - CAPTION_MM
    lead %= TYPE_AREA_MM[landscape]  # what stands above it on its own page, not all the pages before
    if page - lead < page / 3:  # too little room left: the first piece, kept whole, starts the next page
        lead = 0.0
    total = sum(heights) + lead
    if total <= page:
        return []
    pieces = math.ceil(total / page)
    share = total / pieces
    out, used = [], lead
    for i, h in enumerate(heights):
        # cut before this row or after it, whichever leaves the piece nearer its share, so that the
        # last piece is about as tall as the others rather than a remainder of a row or two
        if used + h > share and i and len(out) < pieces - 1:
            if share - used <= used + h - share:
                out.append(i)
                used = 0.0
            else:
                out.append(i + 1) if i + 1 < len(heights) else None
                used = -h
        used += h
    return [c for c in out if c is not None]
