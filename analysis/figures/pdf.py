"""PDF text that every reader can extract: ToUnicode maps written one character per entry.

matplotlib writes each font's ToUnicode map as ranges with arrays (``<5b55> <5b55> [<5b55>]``),
which is valid PDF but which Ghostscript (10.0, Debian 12) misreads for characters beyond Latin-1:
its text extraction turns every Chinese character into garbage, although the page draws right.
The same map written as single-character entries (``bfchar``) is read by Ghostscript, Poppler,
Acrobat and pypdf alike. Only the ToUnicode streams change; drawing instructions and fonts do not.
"""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader, PdfWriter

_RANGE = re.compile(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*\[([^\]]*)\]")
_RANGES = re.compile(r"\d+\s+beginbfrange.*?endbfrange", re.S)
_HEX = re.compile(r"<([0-9a-fA-F]+)>")
_CHUNK = 100  # a bfchar block holds at most 100 entries (PDF reference, 5.9.2)


def _as_single_entries(cmap: str) -> str:
    entries = []
    for block in _RANGES.findall(cmap):
        for start, _end, targets in _RANGE.findall(block):
            width = len(start)
            for offset, target in enumerate(_HEX.findall(targets)):
                entries.append(f"<{int(start, 16) + offset:0{width}x}> <{target}>")
    blocks = [entries[i:i + _CHUNK] for i in range(0, len(entries), _CHUNK)]
    text = "\n".join(f"{len(b)} beginbfchar\n" + "\n".join(b) + "\nendbfchar" for b in blocks)
    return _RANGES.sub(lambda _: "", cmap, count=0).replace("endcodespacerange", "endcodespacerange\n" + text, 1)


def plain_tounicode(path: Path) -> None:
    """Rewrite ``path`` in place with single-character ToUnicode maps (deterministic output)."""
    writer = PdfWriter(clone_from=PdfReader(path))
    for page in writer.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            if "/ToUnicode" not in font:
                continue
            stream = font["/ToUnicode"].get_object()
            cmap = stream.get_data().decode("latin-1")
            if "beginbfrange" in cmap:
                stream.set_data(_as_single_entries(cmap).encode("latin-1"))
    writer.add_metadata({"/Producer": "matplotlib"})
    with open(path, "wb") as out:
        writer.write(out)
