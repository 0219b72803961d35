"""Problems found in input files, each pointing at the cell to fix."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


def cell_name(row: int, column: int) -> str:
    """Excel's name for a 1-based (row, column): (7, 4) -> 'D7'."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place in one input file, and how to fix it."""

    file: str
    message: str
    fix: str = ""
    sheet: str = ""
    row: int | None = None  # 1-based, as Excel and text editors number rows
    column: int | None = None  # 1-based
    column_name: str = ""

    @property
    def cell(self) -> str:
        """'经济!D7' for a workbook, 'D7' for a CSV (as Excel shows it when opened)."""
        if self.row is None:
            return self.sheet
        ref = cell_name(self.row, self.column) if self.column else f"row {self.row}"
        return f"{self.sheet}!{ref}" if self.sheet else ref

    def __str__(self) -> str:
        where = f"{self.file}: {self.cell}" if self.cell else self.file
        column = f" [{self.column_name}]" if self.column_name else ""
        fix = f" → {self.fix}" if self.fix else ""
        return f"{where}{column}: {self.message}{fix}"


class IngestError(ValueError):
    """Input files were refused; nothing was written. ``problems`` lists every one."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        files = sorted({p.file for p in self.problems})
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(
            f"{len(self.problems)} problem(s) in {len(files)} file(s); nothing was loaded "
            f"(the database and exports are unchanged):\n{lines}"
        )


def relative_name(path: Path, root: Path) -> str:
    """The path below root as written (a symbolic link keeps its own name), else as resolved, else the name."""
    import os

    for a, b in ((Path(os.path.abspath(path)), Path(os.path.abspath(root))), (path.resolve(), root.resolve()),
                 (Path(os.path.abspath(path)), root.resolve())):  # fmt: skip
        try:
            return a.relative_to(b).as_posix()
        except ValueError:
            continue
    return path.name
