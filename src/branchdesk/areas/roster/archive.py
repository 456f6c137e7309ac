"""What 党员名册 files for a year (the 花名册 as it stood at the year's end, kept 永久)
and how members are found by the search box (names, pinyin initials)."""

from __future__ import annotations

import datetime as dt
from functools import partial

from branchdesk.areas import ArchiveItem, Hit, Target
from branchdesk.domain.archive import PERMANENT
from branchdesk.store import Book

ROSTER_CLASS = 10


def archive_items(book: Book, year: int) -> list[ArchiveItem]:
    from branchdesk.areas.roster.jobs import roster_job

    end = dt.date(year, 12, 31)
    return [
        ArchiveItem(
            area="roster",
            key=f"roster:{year}",
            title=f"{year}年度党员花名册（截至{year}年12月31日）",
            responsible=book.branch.profile().name,
            date=end,
            sort_class=ROSTER_CLASS,
            retention=PERMANENT,
            print=partial(roster_job, book, end),
        )
    ]


def search(book: Book, query: str) -> list[Hit]:
    return [
        Hit(
            area="roster",
            title=f"［{found.field}］{found.title}",
            text=found.text,
            start=found.start,
            end=found.end,
            target=Target("roster", "member", found.record_id),
        )
        for found in book.search.members(query)
    ]
