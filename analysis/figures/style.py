"""One figure style for papers: CJK fonts that embed, journal column widths, export contract.

Why this is code and not advice: matplotlib only falls back to a CJK font that is in
``font.family`` as an explicit list, ``sns.set_theme`` resets that list, and PDF output embeds
Type 3 fonts unless told otherwise. ``use_paper_style`` sets all of it in one place, after seaborn.
"""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib as mpl
import seaborn as sns
from matplotlib import font_manager
from matplotlib.figure import Figure

from analysis.figures.fonts import truetype_fonts
from analysis.figures.pdf import plain_tounicode
from analysis.files import write_whole

MM_PER_INCH = 25.4
SINGLE_COLUMN_MM = 85.0  # one journal column (Springer 84, Elsevier 90, Chinese journals 83)
DOUBLE_COLUMN_MM = 174.0  # full page width
PNG_DPI = 300
FONT_SIZE_PT = 7.0  # journals ask for 6–8 pt at print size (Elsevier ≥6, Nature 5–7, Chinese journals 小五 9 pt)
PALETTE = "colorblind"


class FontError(RuntimeError):
    """No font with Chinese glyphs could be found."""


def register_cjk_fonts(serif: bool = False) -> list[str]:
    """Register the TrueType-outline CJK fonts (core, full) with matplotlib; return their family names."""
    try:
        paths = truetype_fonts(serif)
    except FileNotFoundError as error:
        raise FontError(str(error)) from error
    names = []
    for path in paths:
        font_manager.fontManager.addfont(str(path))
        names.append(font_manager.FontProperties(fname=str(path)).get_name())
    return names


def font_sizes(size: float = FONT_SIZE_PT) -> dict:
    """Text sizes for a base size in points: labels at the base, ticks and legends a little smaller."""
    return {"font.size": size, "axes.titlesize": size + 0.5, "axes.labelsize": size,
            "xtick.labelsize": size - 0.5, "ytick.labelsize": size - 0.5, "legend.fontsize": size - 0.5,
            "legend.title_fontsize": size, "figure.titlesize": size + 1}  # fmt: skip


def use_paper_style(serif: bool = False, context: str = "paper", font_size: float = FONT_SIZE_PT) -> str:
    """Apply the project's figure style; return the CJK family in use."""
    cjk, cjk_full = register_cjk_fonts(serif)
    latin = "STIXGeneral" if serif else "DejaVu Sans"
    sns.set_theme(context=context, style="ticks", palette=PALETTE)
    mpl.rcParams.update(font_sizes(font_size))
    mpl.rcParams.update(
        {
            # One font for Chinese and Latin, so a PDF embeds (and subsets) one font; the Latin
            # family is the fallback for the rare symbol the CJK font lacks.
            "font.family": [cjk, cjk_full, latin],
            "mathtext.fontset": "stix" if serif else "dejavusans",
            "axes.unicode_minus": True,
            "pdf.fonttype": 42,  # TrueType/CID embedding, never Type 3
            "ps.fonttype": 42,
            "svg.fonttype": "path",  # self-contained SVG that looks the same everywhere
            "svg.hashsalt": "jinkouhe-women",  # stable ids so identical figures give identical files
            "savefig.dpi": PNG_DPI,
            "figure.dpi": 100,
            "figure.constrained_layout.use": True,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    return cjk


def figsize(width: str | float = "single", height_mm: float | None = None) -> tuple[float, float]:
    """Figure size in inches for a journal column ("single", "double" or millimetres)."""
    width_mm = {"single": SINGLE_COLUMN_MM, "double": DOUBLE_COLUMN_MM}.get(width, width)
    height_mm = height_mm if height_mm is not None else float(width_mm) * 0.68
    return float(width_mm) / MM_PER_INCH, float(height_mm) / MM_PER_INCH


def mark_synthetic(fig: Figure, lang: str = "zh") -> None:
    """Stamp every panel of a figure made from synthetic data, so that no crop can pass for real statistics."""
    text = "合成示例数据 · 非真实统计" if lang == "zh" else "SYNTHETIC EXAMPLE DATA\nNOT REAL STATISTICS"
    panels = [ax for ax in fig.axes if ax.axison and ax.get_label() != "<colorbar>"] or [None]
    for ax in panels:
        size = 12 if ax is None else max(6.0, min(12.0, 0.045 * 72 * ax.get_position().width * fig.get_figwidth()))
        where = fig if ax is None else ax
        where.text(0.5, 0.5, text, transform=(fig.transFigure if ax is None else ax.transAxes), ha="center",
                   va="center", rotation=20, fontsize=size, color="#b00000", alpha=0.22, zorder=1000,
                   in_layout=False)  # fmt: skip


def save_figure(fig: Figure, stem: Path, formats: tuple[str, ...] = ("png", "pdf", "svg")) -> list[Path]:
    """Write the figure in each format, each file whole or not at all; return the paths.

    The layout is computed once, for the first format, then frozen: the other formats reuse it
    instead of solving the constrained layout again (the slow part of saving a figure).
    """
    paths = []
    engine = fig.get_layout_engine()
    try:
        for fmt in formats:
            path = stem.with_name(f"{stem.name}-text").with_suffix(".svg") if fmt == "svg-text" else \
                stem.with_suffix(f".{fmt}")  # fmt: skip
            paths.append(write_whole(path, lambda tmp, fmt=fmt: _write(fig, tmp, fmt)))
            if engine is not None and fig.get_layout_engine() is engine:
                fig.set_layout_engine("none")
    finally:
        if engine is not None:
            fig.set_layout_engine(engine)
    return paths


def preview(png: Path, dpi: float = 150) -> bytes:
    """A saved 300 dpi PNG shrunk to ``dpi`` for showing in a notebook: a figure is drawn once, for
    its file, not a second time for the screen (that second drawing cost as much as the first).
    150 dpi: the 7 pt labels of a paper figure (the heat map's cells) read at about 14 px on screen,
    where 100 dpi gave 7–9 px."""
    from PIL import Image

    with Image.open(png) as image:
        factor = max(1, round(PNG_DPI / dpi))
        small = image.reduce(factor) if factor > 1 else image.copy()
    out = io.BytesIO()
    small.save(out, format="PNG", dpi=(dpi, dpi))
    return out.getvalue()


def _write(fig: Figure, path: Path, fmt: str) -> None:
    # Dates are left out so the same figure gives the same bytes.
    if fmt == "svg-text":  # text kept as text, for a journal's editor to change; needs the font to display
        with mpl.rc_context({"svg.fonttype": "none"}):
            fig.savefig(path, format="svg", dpi=PNG_DPI, metadata={"Date": None})
        return
    metadata = {"pdf": {"CreationDate": None, "ModDate": None}, "svg": {"Date": None}}.get(fmt)
    fig.savefig(path, format=fmt, dpi=PNG_DPI, metadata=metadata)
    if fmt == "pdf":
        plain_tounicode(path)
