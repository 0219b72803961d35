"""Figures for papers and reports: style, and (later) the chart kinds."""

from analysis.figures.style import (
    DOUBLE_COLUMN_MM,
    SINGLE_COLUMN_MM,
    FontError,
    figsize,
    mark_synthetic,
    save_figure,
    use_paper_style,
)

__all__ = [
    "DOUBLE_COLUMN_MM",
    "SINGLE_COLUMN_MM",
    "FontError",
    "figsize",
    "mark_synthetic",
    "save_figure",
    "use_paper_style",
]
