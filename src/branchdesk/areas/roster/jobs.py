"""党员名册 print jobs: the roll (花名册) and a sign-in sheet for a meeting not yet held."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Literal

from branchdesk.areas.printjob import Pdf, make_job
from branchdesk.domain.members import Member, RosterEntry, roster_on
from branchdesk.store import Book


def roster_job(
    book: Book,
    day: dt.date,
    *,
    order: str = "strokes",
    with_id: bool = False,
    archive: bool | None = None,
) -> Callable[[], Pdf]:
    """Read now; return a function that builds the PDF (safe to run in a worker).
    ``archive``: with the 归档章 (None: as the book's setting; see ``areas.archiving``)."""
    from branchdesk.areas.archiving import roll_stamp, wanted
    from branchdesk.printing.roster_form import roster_pdf

    if order not in ("strokes", "joined"):
        raise ValueError(f"排序方式应为 strokes 或 joined，不是 {order}")
    sort: Literal["strokes", "joined"] = "joined" if order == "joined" else "strokes"
    branch = book.branch.profile()
    members: list[Member] = [e.member for e in roster_on(book.roster.members(), day)]
    stamp = roll_stamp(book, day) if wanted(book, archive) else None
    return make_job(
        book,
        lambda fonts: roster_pdf(
            branch, members, on=day, order=sort, with_id=with_id, fonts=fonts, archive_stamp=stamp
        ),
    )


def signin_job(book: Book, title: str, day: dt.date, place: str) -> Callable[[], Pdf]:
    from branchdesk.printing.signin_form import signin_pdf

    branch = book.branch.profile()
    entries: list[RosterEntry] = roster_on(book.roster.members(), day)
    return make_job(book, lambda fonts: signin_pdf(branch, title, day, place, entries, fonts=fonts))


def roster_pdf_for(book: Book, day: dt.date, *, order: str, with_id: bool) -> Pdf:
    return roster_job(book, day, order=order, with_id=with_id)()


def signin_pdf_for(book: Book, title: str, day: dt.date, place: str) -> Pdf:
    return signin_job(book, title, day, place)()
