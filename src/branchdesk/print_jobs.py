"""Print jobs: gather what a form needs from the book, then call the form.

The forms in printing/ take domain objects only (no SQL, no Qt); this is the glue the CLI
and the GUI share, so both print exactly the same thing. The functions here read the
book, so they run on the thread that owns its connection; the PDF building they call
is the slow part and can run anywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from branchdesk.domain.members import Member, RosterEntry, roster_on
from branchdesk.store import Book


@dataclass(frozen=True)
class Pdf:
    data: bytes
    pages: int


def count_pages(data: bytes) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        return len(doc)
    finally:
        doc.close()


def _font_preferences(book: Book) -> dict[str, str]:
    """Role → font file chosen in 设置 (empty: find fonts automatically)."""
    return {k.removeprefix("font."): v for k, v in book.settings.all("font.").items()}


def roster_job(
    book: Book, day: dt.date, *, order: str = "strokes", with_id: bool = False
) -> Callable[[], Pdf]:
    """Read now; return a function that builds the PDF (safe to run in a worker)."""
    from branchdesk.printing.roster_form import roster_pdf

    branch = book.branch.profile()
    members: list[Member] = [e.member for e in roster_on(book.roster.members(), day)]
    prefs = _font_preferences(book)

    def build() -> Pdf:
        from branchdesk.printing.fonts import resolve_fonts

        data = roster_pdf(
            branch,
            members,
            on=day,
            order=order,
            with_id=with_id,
            fonts=resolve_fonts(prefs or None),
        )
        return Pdf(data, count_pages(data))

    return build


def signin_job(book: Book, title: str, day: dt.date, place: str) -> Callable[[], Pdf]:
    from branchdesk.printing.signin_form import signin_pdf

    branch = book.branch.profile()
    entries: list[RosterEntry] = roster_on(book.roster.members(), day)
    prefs = _font_preferences(book)

    def build() -> Pdf:
        from branchdesk.printing.fonts import resolve_fonts

        data = signin_pdf(branch, title, day, place, entries, fonts=resolve_fonts(prefs or None))
        return Pdf(data, count_pages(data))

    return build


def roster_pdf_for(book: Book, day: dt.date, *, order: str, with_id: bool) -> Pdf:
    return roster_job(book, day, order=order, with_id=with_id)()


def signin_pdf_for(book: Book, title: str, day: dt.date, place: str) -> Pdf:
    return signin_job(book, title, day, place)()
