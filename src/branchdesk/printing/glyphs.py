"""Which characters a registered font can print, read from its tables: a character is
missing when the cmap does not map it, or maps it to ``.notdef`` or to a glyph without an
outline (a blank). Also where a glyph's middle lies (to place the page number's dashes), and
the first font of a chain that has a character — full-width for “ ” ‘ ’.
"""

from __future__ import annotations

import struct
import sys
import unicodedata
from array import array
from functools import cache

from reportlab.pdfbase import pdfmetrics


def _needs_glyph(char: str) -> bool:
    """Spaces and control characters print as space whatever the font."""
    return unicodedata.category(char) not in ("Zs", "Zl", "Zp", "Cc", "Cf")


@cache
def _empty_glyphs(font_name: str) -> frozenset[int]:
    """Glyph ids with no outline (loca entries of zero length): blank if printed."""
    face = pdfmetrics.getFont(font_name).face
    data: bytes = face._ttf_data
    head, _ = face.get_table_pos("head")
    long_offsets = struct.unpack(">h", data[head + 50 : head + 52])[0] == 1
    maxp, _ = face.get_table_pos("maxp")
    count = struct.unpack(">H", data[maxp + 4 : maxp + 6])[0]
    loca, size = face.get_table_pos("loca")
    offsets = array("I" if long_offsets else "H")
    width = offsets.itemsize
    offsets.frombytes(data[loca : loca + min(size, (count + 1) * width)])
    if sys.byteorder == "little":
        offsets.byteswap()
    return frozenset(g for g in range(len(offsets) - 1) if offsets[g] == offsets[g + 1])


def missing_glyphs(text: str, font_name: str) -> set[str]:
    """Characters of ``text`` that the registered font ``font_name`` would print as a blank.

    A character is missing if the font's cmap does not map it, or maps it to ``.notdef`` or to
    a glyph without an outline. Spaces and control characters never count as missing.
    """
    cmap = pdfmetrics.getFont(font_name).face.charToGlyph
    empty = _empty_glyphs(font_name)
    out = set()
    for ch in set(text):
        if not _needs_glyph(ch):
            continue
        gid = cmap.get(ord(ch), 0)
        if gid == 0 or gid in empty:
            out.add(ch)
    return out


#: Quotation marks that Chinese text sets full-width. Some fonts (LXGW WenKai, WenQuanYi Zen
#: Hei) give them Latin, narrow glyphs: “党” then crowds its marks and the grid slips.
FULL_WIDTH_QUOTES = frozenset("“”‘’")


def _full_width(font_name: str, char: str) -> bool:
    face = pdfmetrics.getFont(font_name).face
    return face.charWidths.get(ord(char), face.defaultWidth) >= 800


def _first_with(chain: tuple[str, ...], char: str) -> str | None:
    """The first font of ``chain`` that has ``char``; for “ ” ‘ ’ the first whose glyph is
    full-width, if any font has one."""
    if not _needs_glyph(char):
        if unicodedata.category(char) == "Zs":
            # A space needs no outline, but a font without it in its cmap prints its
            # .notdef (a box) for it: the first font that maps it ("年\u3000\u3000月").
            mapped = (n for n in chain if pdfmetrics.getFont(n).face.charToGlyph.get(ord(char)))
            return next(mapped, chain[0])
        return chain[0]
    having = [name for name in chain if not missing_glyphs(char, name)]
    if char in FULL_WIDTH_QUOTES:
        return next((n for n in having if _full_width(n, char)), having[0] if having else None)
    return having[0] if having else None


def glyph_vertical_centre(font_name: str, char: str) -> float | None:
    """Height of the middle of ``char``'s outline above the baseline, in ems; None if unknown.

    Used to put the dash of a page number ("— 1 —") exactly where GB/T 9704 measures from.
    """
    face = pdfmetrics.getFont(font_name).face
    gid = face.charToGlyph.get(ord(char), 0)
    if not gid or gid in _empty_glyphs(font_name):
        return None
    data: bytes = face._ttf_data
    head, _ = face.get_table_pos("head")
    long_offsets = struct.unpack(">h", data[head + 50 : head + 52])[0] == 1
    loca, _ = face.get_table_pos("loca")
    if long_offsets:
        where = struct.unpack(">I", data[loca + 4 * gid : loca + 4 * gid + 4])[0]
    else:
        where = 2 * struct.unpack(">H", data[loca + 2 * gid : loca + 2 * gid + 2])[0]
    glyf, _ = face.get_table_pos("glyf")
    _n, _x0, y_min, _x1, y_max = struct.unpack(">hhhhh", data[glyf + where : glyf + where + 10])
    return (y_min + y_max) / 2 / face.unitsPerEm
