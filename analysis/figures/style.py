"""One figure style for papers: CJK fonts that embed, journal column widths, export contract.

Why this is code and not advice: matplotlib only falls back to a CJK font that is in
``font.family`` as an explicit list, ``sns.set_theme`` resets that list, and PDF output embeds
Type 3 fonts unless told otherwise. ``use_paper_style`` sets all of it in one place, after seaborn.
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib as mpl
import seaborn as sns
from matplotlib import font_manager
from matplotlib.figure import Figure

from analysis.files import write_whole

MM_PER_INCH = 25.4
SINGLE_COLUMN_MM = 85.0  # one journal column (Springer 84, Elsevier 90, Chinese journals 83)
DOUBLE_COLUMN_MM = 174.0  # full page width
PNG_DPI = 300
CJK_SANS = "Noto Sans CJK SC"
CJK_SERIF = "Noto Serif CJK SC"
FONT_DIR_ENV = "MONITOR_CJK_FONT_DIR"  # a folder of .otf/.ttf/.ttc files to use instead
PALETTE = "colorblind"


class FontError(RuntimeError):
    """No font with Chinese glyphs could be found."""


def _font_files() -> list[Path]:
    """CJK font files in order of preference: override folder, mplfonts, Debian, Windows."""
    candidates: list[Path] = []
    if folder := os.environ.get(FONT_DIR_ENV):
        candidates += sorted(Path(folder).glob("*.[ot]t[fc]"))
    try:
        import mplfonts  # a declared dependency; we use its files by path, never `mplfonts init`

        bundled = Path(mplfonts.__file__).parent / "fonts"
        candidates += [bundled / "NotoSansCJKsc-Regular.otf", bundled / "NotoSerifCJKsc-Regular.otf"]
    except ImportError:
        pass
    debian = Path("/usr/share/fonts/opentype/noto")
    candidates += [debian / "NotoSansCJK-Regular.ttc", debian / "NotoSerifCJK-Regular.ttc"]
    windows = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
    candidates += [windows / "msyh.ttc", windows / "simsun.ttc"]
    return [p for p in candidates if p.exists()]


def register_cjk_font(serif: bool = False) -> str:
    """Register CJK font files with matplotlib and return the family name to use."""
    for path in _font_files():
        font_manager.fontManager.addfont(str(path))
    names = {f.name for f in font_manager.fontManager.ttflist}
    preferred = [CJK_SERIF, "SimSun"] if serif else [CJK_SANS, "Microsoft YaHei"]
    for name in preferred + [CJK_SANS]:
        if name in names:
            return name
    raise FontError(
        "No font with Chinese glyphs found. Install the project (pip install -e .) so that the "
        f"mplfonts package is present, or point {FONT_DIR_ENV} at a folder with a CJK font file."
    )


def use_paper_style(serif: bool = False, context: str = "paper") -> str:
    """Apply the project's figure style; return the CJK family in use."""
    cjk = register_cjk_font(serif)
    latin = "STIXGeneral" if serif else "DejaVu Sans"
    sns.set_theme(context=context, style="ticks", palette=PALETTE)
    mpl.rcParams.update(
        {
            "font.family": [latin, cjk],  # a list: per-glyph fallback from Latin to CJK
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
    """Stamp a figure made from synthetic data so it can never pass for real statistics."""
    text = "合成示例数据 · 非真实统计" if lang == "zh" else "SYNTHETIC EXAMPLE DATA · NOT REAL STATISTICS"
    fig.text(0.5, 0.5, text, ha="center", va="center", rotation=20, fontsize=14,
             color="#b00000", alpha=0.22, zorder=1000)  # fmt: skip


def save_figure(fig: Figure, stem: Path, formats: tuple[str, ...] = ("png", "pdf", "svg")) -> list[Path]:
    """Write the figure in each format, each file whole or not at all; return the paths."""
    # Dates are left out so the same figure gives the same bytes.
    metadata = {"pdf": {"CreationDate": None, "ModDate": None}, "svg": {"Date": None}}
    return [
        write_whole(stem.with_suffix(f".{fmt}"),
                    lambda tmp, fmt=fmt: fig.savefig(tmp, format=fmt, dpi=PNG_DPI, metadata=metadata.get(fmt)))
        for fmt in formats
    ]  # fmt: skip
