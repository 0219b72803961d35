"""A CJK font that every PDF viewer draws: TrueType outlines, built once from the shipped Noto font.

Why: Noto Sans CJK (shipped by the ``mplfonts`` package, so Linux, macOS and Windows get the same
glyphs) has PostScript (CFF) outlines. matplotlib embeds it in PDF as a TrueType-flavoured CID
font, which Ghostscript and Acrobat reject ("Mismatch between font type and embedded font file"):
every Chinese character vanished there. Converting the outlines to quadratic TrueType curves
(fontTools' cu2qu, the converter Google's font tools use) gives a font that embeds correctly.

Two fonts are made, both without OpenType layout tables (Chinese needs no shaping): a core font
with the characters of GB 2312 (the 6,763 common hanzi, punctuation, Latin, Greek), which nearly
every label uses and which matplotlib subsets quickly for each PDF; and a full font with every
unified ideograph (with extension A), which matplotlib falls back to for a rarer character. Glyphs are named by their
Unicode value (``uni5E74``), so text extraction works even in readers that ignore ToUnicode maps.
It is built once per machine (about half a minute) into matplotlib's cache folder, written whole,
and rebuilt when its source changes.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import matplotlib as mpl

from analysis.files import write_whole

FONT_DIR_ENV = "MONITOR_CJK_FONT_DIR"  # a folder of .otf/.ttf/.ttc files to use instead
BUILD_VERSION = "1"  # bump when the conversion below changes, so caches are rebuilt
FAMILY_SUFFIX = {"core": " TT", "full": " TT Full"}  # "Noto Sans CJK SC TT" (OFL: a modified font is renamed)

# Unicode blocks kept in the converted font: enough for any Chinese report and its Latin text.
KEPT_RANGES = [
    (0x0020, 0x024F),  # Latin, Latin-1, Latin extended A/B
    (0x02B0, 0x02FF),  # spacing modifiers
    (0x0370, 0x03FF),  # Greek (α, β, μ in methods text)
    (0x2000, 0x2BFF),  # punctuation, super/subscripts, currency, letterlike, arrows, maths, shapes
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3200, 0x33FF),  # enclosed CJK, CJK compatibility (㎡, ㎏)
    (0x3400, 0x4DBF),  # CJK unified ideographs extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xFE10, 0xFE1F),  # vertical forms
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # full-width forms (（）％，：)
]


def source_font(serif: bool = False) -> Path:
    """The CJK font file to convert: the override folder's first file, else mplfonts' Noto font."""
    if folder := os.environ.get(FONT_DIR_ENV):
        files = sorted(Path(folder).glob("*.[ot]t[fc]"))
        if files:
            return files[0]
    import mplfonts  # a declared dependency; its files are used by path, never `mplfonts init`

    name = "NotoSerifCJKsc-Regular.otf" if serif else "NotoSansCJKsc-Regular.otf"
    return Path(mplfonts.__file__).parent / "fonts" / name


def cache_dir() -> Path:
    return Path(mpl.get_cachedir()) / "jinkouhe-women-fonts"


def core_characters() -> list[int]:
    """GB 2312 (every character it encodes) plus printable ASCII and Latin-1."""
    chars = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100))
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes([high, low]).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    return sorted(chars | {0x2212, 0x2013, 0x2014, 0x2264, 0x2265, 0x00B7, 0x2030, 0xFF05})


def truetype_fonts(serif: bool = False) -> list[Path]:
    """The core and the full TrueType-outline CJK font, in the order matplotlib should try them."""
    return [truetype_font(serif, "core"), truetype_font(serif, "full")]


def truetype_font(serif: bool = False, part: str = "core") -> Path:
    """Path of a TrueType-outline CJK font, converted and cached on first use."""
    source = source_font(serif)
    if not source.exists():
        raise FileNotFoundError(
            f"CJK font {source} not found. Install the project (pip install -e .) so that the mplfonts "
            f"package is present, or point {FONT_DIR_ENV} at a folder with a CJK .otf/.ttf file."
        )
    if _has_truetype_outlines(source):
        return source
    stat = source.stat()
    key = hashlib.sha256(f"{source.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{BUILD_VERSION}".encode())
    target = cache_dir() / f"{source.stem}-tt-{part}-{key.hexdigest()[:12]}.ttf"
    if not target.exists():
        unicodes = core_characters() if part == "core" else [u for lo, hi in KEPT_RANGES for u in range(lo, hi + 1)]
        write_whole(target, lambda tmp: convert_to_truetype(source, tmp, unicodes, FAMILY_SUFFIX[part]))
    return target


def _has_truetype_outlines(path: Path) -> bool:
    from fontTools.ttLib import TTFont

    if path.suffix.lower() == ".ttc":
        return False  # a collection is converted too, so that one face is embedded, not the collection
    with TTFont(path, lazy=True) as font:
        return "glyf" in font


def convert_to_truetype(source: Path, target: Path, unicodes: list[int], suffix: str) -> None:
    """Write ``source`` (CFF outlines) as a TrueType-outline font holding ``unicodes``, family + ``suffix``."""
    from fontTools import subset
    from fontTools.agl import UV2AGL
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    options = subset.Options()
    options.layout_features = []  # no GSUB/GPOS: Chinese needs no shaping, and they slow subsetting
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "JSTF", "VORG", "vhea", "vmtx", "DSIG", "meta"]
    options.hinting = False
    options.desubroutinize = True
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.font_number = 0
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)

    # Glyph names from Unicode values, so readers that map text through names find the characters.
    old_order = font.getGlyphOrder()
    cmap = font.getBestCmap()
    by_glyph: dict[str, int] = {}
    for codepoint, glyph in sorted(cmap.items()):
        by_glyph.setdefault(glyph, codepoint)
    rename, used = {}, set()
    for index, old in enumerate(old_order):
        if index == 0:
            new = ".notdef"
        elif old in by_glyph:
            codepoint = by_glyph[old]
            new = UV2AGL.get(codepoint) or (f"uni{codepoint:04X}" if codepoint < 0x10000 else f"u{codepoint:05X}")
        else:
            new = f"glyph{index:05d}"
        while new in used:
            new += ".alt"
        used.add(new)
        rename[old] = new
    order = [rename[g] for g in old_order]

    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, {}
    for old in old_order:
        pen = TTGlyphPen(None)
        glyph_set[old].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyph = pen.glyph()
        glyph.recalcBounds(glyf)
        glyf.glyphs[rename[old]] = glyph
    metrics = {rename[g]: m for g, m in font["hmtx"].metrics.items()}
    for table in font["cmap"].tables:
        table.cmap = {u: rename[g] for u, g in table.cmap.items()}
    del font["CFF "]
    font.setGlyphOrder(order)
    hmtx = newTable("hmtx")
    hmtx.metrics = metrics
    font["hmtx"] = hmtx
    font["glyf"], font["loca"] = glyf, newTable("loca")
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for name in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements", "maxPoints", "maxContours",
                 "maxCompositePoints", "maxCompositeContours", "maxComponentDepth"):  # fmt: skip
        setattr(maxp, name, 0)
    maxp.maxZones, maxp.numGlyphs = 1, len(order)
    font["maxp"] = maxp
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType, post.extraNames, post.mapping = 2.0, [], {}
    post.glyphOrder = order
    _rename_family(font, suffix)
    font.sfntVersion = "\x00\x01\x00\x00"
    font.recalcBBoxes = True
    font.save(str(target))


def _rename_family(font, suffix: str) -> None:
    """Family "… TT": a converted font is a modified font, and must not pass for the original."""
    name = font["name"]
    for record in name.names:
        if record.nameID in (1, 4, 16, 18, 21):
            record.string = str(record) + suffix
        elif record.nameID in (3, 6, 20):  # unique id, PostScript names: no spaces
            record.string = str(record) + suffix.replace(" ", "")
