"""The demo book: a fictional branch, filled by each area's demo in registry order (the
roll first, then what refers to it)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from branchdesk.areas import load
from branchdesk.areas.registry import AREAS
from branchdesk.areas.roster.demo import DEMO_BRANCH, DEMO_PARENT, populate_large
from branchdesk.store import Book, create_book

__all__ = ["create_demo_book", "populate_large"]


def create_demo_book(
    path: Path, *, meetings: bool = True, today: dt.date | None = None
) -> Book:
    """A demo book whose dates are relative to ``today`` (default: the real today), so a
    demo opened in any year shows recent meetings and current reminders."""
    book = create_book(path, DEMO_BRANCH, DEMO_PARENT)
    book.branch.mark_demo()
    for area in AREAS:
        if area.demo and (meetings or area.key == "roster"):
            load(area.demo)(book, today or dt.date.today())
    return book
