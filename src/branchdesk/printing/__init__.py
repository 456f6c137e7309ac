"""Printed forms: ReportLab only, no Qt, no SQL. A form is a function from domain objects to
PDF bytes.

    from branchdesk.printing import resolve_fonts, roster_pdf, signin_pdf, text_pdf

Modules: ``fonts`` (choosing, registering and checking fonts), ``font_files`` (where fonts
are), ``coverage`` (what a font must print to serve a role), ``glyphs`` (what a loaded font
prints), ``sfnt`` (reading font headers),
``page`` (GB/T 9704 geometry), ``text`` (Chinese line breaking and the paragraph flowable),
``blocks`` (title, tables, signatures, 归档章), ``document`` (pages, page numbers,
``text_pdf``), ``flow`` (keeping records on the grid and together), and the forms:
``roster_form``, ``signin_form``, ``minutes_form``, ``volume_form``, ``notice_form``.

Every form raises ``MissingGlyphError`` — listing each character with its field and record —
instead of printing a character that no chosen font has.

Importing this package does not import ReportLab (the GUI starts without it); the names below
load their module on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "ArchiveStamp": "blocks",
    "FontChoice": "fonts",
    "FontSet": "fonts",
    "GlyphProblem": "fonts",
    "MissingGlyphError": "fonts",
    "available_fonts": "fonts",
    "font_sample_pdf": "document",
    "missing_glyphs": "fonts",
    "resolve_fonts": "fonts",
    "roster_pdf": "roster_form",
    "signin_pdf": "signin_form",
    "text_pdf": "document",
}

__all__ = [
    "ArchiveStamp",
    "FontChoice",
    "FontSet",
    "GlyphProblem",
    "MissingGlyphError",
    "available_fonts",
    "font_sample_pdf",
    "missing_glyphs",
    "resolve_fonts",
    "roster_pdf",
    "signin_pdf",
    "text_pdf",
]

if TYPE_CHECKING:
    from branchdesk.printing.blocks import ArchiveStamp
    from branchdesk.printing.document import font_sample_pdf, text_pdf
    from branchdesk.printing.fonts import (
        FontChoice,
        FontSet,
        GlyphProblem,
        MissingGlyphError,
        available_fonts,
        missing_glyphs,
        resolve_fonts,
    )
    from branchdesk.printing.roster_form import roster_pdf
    from branchdesk.printing.signin_form import signin_pdf


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
