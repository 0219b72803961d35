"""Stage 5, figures: how a chart looks, not which report draws it.

Takes assessments and observations; gives matplotlib figures for papers and reports: the paper style
with CJK fonts embedded (``style``, ``fonts``, ``pdf``), the chart kinds (``charts``: fan charts,
small multiples, scorecard, heat map, gaps, towns) and export at a journal's width (``kit``).
"""

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
