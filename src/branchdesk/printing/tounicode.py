"""Make characters beyond the BMP (𠇔 and the rest of CJK Extension B–G) searchable in PDFs.

ReportLab writes each subset's ToUnicode CMap entry as ``<%04X>`` of the code point, which for
U+201D4 gives the odd-length ``<201D4>``: the glyph prints, but viewers and pypdf cannot map
it back to text, so the name cannot be found or copied. The entry must be the UTF-16BE code
units (a surrogate pair, ``<D840DDD4>``). ``install()`` wraps ReportLab's function so that such
entries are written correctly; entries of BMP characters stay byte for byte the same.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.pdfbase import ttfonts

_Maker = Callable[[str, Sequence[int]], str]


def utf16_hex(code: int) -> str:
    return chr(code).encode("utf-16-be").hex().upper()


def _fixed(original: _Maker) -> _Maker:
    def make(fontname: str, subset: Sequence[int]) -> str:
        cmap = original(fontname, subset)
        for i, code in enumerate(subset):
            if code > 0xFFFF:
                cmap = cmap.replace(f"<{i:02X}> <{code:04X}>", f"<{i:02X}> <{utf16_hex(code)}>", 1)
        return cmap

    make.branchdesk_fixed = True  # type: ignore[attr-defined]
    return make


def install() -> None:
    """Patch ReportLab once (idempotent)."""
    current = ttfonts.makeToUnicodeCMap
    if not getattr(current, "branchdesk_fixed", False):
        ttfonts.makeToUnicodeCMap = _fixed(current)
