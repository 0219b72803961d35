"""Figures at a journal's size: drawn at a column width and font size, written in each format.

The figures stage knows widths, font sizes and formats, not which report draws which figure:
``analysis.report.figure_kit`` looks a report figure up by id and hands its drawing here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt

from analysis.figures.style import FONT_SIZE_PT, font_sizes, save_figure


def export(draw: Callable[[object], dict], out_dir: Path, width="single", font_size: float = FONT_SIZE_PT,
           formats=("pdf",), suffix: str = "") -> list[Path]:  # fmt: skip
    """Call ``draw(width)`` (→ {name: figure}) under ``font_size`` points, write each figure in each
    format to ``out_dir`` as ``<name><suffix>``, close it, and return the paths.

    ``width``: "single" (85 mm), "double" (174 mm) or millimetres.
    """
    width = width if width in ("single", "double") else float(width)
    paths = []
    with mpl.rc_context(font_sizes(font_size)):
        for name, fig in draw(width).items():
            paths += save_figure(fig, Path(out_dir) / f"{name}{suffix}", tuple(formats))
            plt.close(fig)
    return paths
