"""The blocks a document is made of (heading, paragraph, note, table, figure, page break).

The annual document and the mid-term chapter both build lists of these; the document renders
them twice, as Word and as HTML. Kept apart so that each part imports the block types, not the
other part.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd


@dataclass
class Heading:
    text: str
    level: int = 1


@dataclass
class Paragraph:
    text: str
    bold: bool = False
    center: bool = False  # the title page's lines; body paragraphs are indented two characters


@dataclass
class Note:
    """The 注 under a table or figure: its source, scope, and the synthetic label while data are synthetic."""

    text: str


@dataclass
class Table:
    frame: pd.DataFrame
    caption: str = ""
    note: str = ""  # the 注 under it, kept inside the table's last row so it never stands alone on a page


@dataclass
class Figure:
    path: Path
    caption: str = ""
    width_cm: float = 15.6
    indicators: list | None = None  # the indicators it charts (for the reader's check that none is left out)


@dataclass
class PageBreak:
    pass
