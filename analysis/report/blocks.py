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
    label: str = ""  # a line under every piece of a table cut across pages (the synthetic label)


@dataclass
class Figure:
    path: Path
    caption: str = ""
    width_cm: float = 15.6
    indicators: list | None = None  # the indicators it charts (for the reader's check that none is left out)


@dataclass
class PageBreak:
    pass


def label_synthetic(blocks: list, label: str) -> list:
    """The synthetic label under every table (each piece of it) and every figure, said in one place
    so that no table or chart excerpted from a document made of synthetic data looks like statistics."""
    out = []
    for block, after in zip(blocks, [*blocks[1:], None]):
        if isinstance(block, Table):
            bare = label.removeprefix("注：").removeprefix("Note: ")
            note = block.note if label in block.note or not block.note else f"{block.note}\n{bare}"
            block = Table(block.frame, block.caption, note or label, label)
        out.append(block)
        if isinstance(block, Figure) and not (isinstance(after, Note) and label in after.text):
            out.append(Note(label))
    return out
