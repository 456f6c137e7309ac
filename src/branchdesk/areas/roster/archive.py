"""What 党员名册 files for a year (the 花名册 as it stood at the year's end, kept 永久)
and how members are found by the search box (names, pinyin initials)."""

from __future__ import annotations

import datetime as dt
from functools import partial

from branchdesk.areas import ArchiveItem, Hit, Target
from branchdesk.domain.archive import PERMANENT
from branchdesk.store import Book

ROSTER_CLASS = 10


def roster_content(book: Book, end: dt.date) -> list[object]:
    """The 花名册 in the volume's Word copy: the same heading, count and rows."""
    from branchdesk.domain.dates import format_cn
    from branchdesk.domain.members import Category
    from branchdesk.printing.roster_form import COLUMNS, ordered_entries, roster_table_rows
    from branchdesk.printing.volume_docx import Heading, Para, Table

    entries = ordered_entries(book.roster.members(), end)
    full = sum(1 for e in entries if e.category == Category.FULL)
    rows = roster_table_rows(entries, with_id=False)
    return [
        Heading(f"{book.branch.profile().name}党员花名册"),
        Para(f"共 {len(entries)} 名（正式党员 {full} 名，预备党员 {len(entries) - full} 名）"
             f"\u3000\u3000截至{format_cn(end)}", "left"),
        Table(tuple(c.title for c in COLUMNS), tuple(tuple(r) for r in rows)),
    ]  # fmt: skip


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
            content=partial(roster_content, book, end),
        )
    ]


def search(book: Book, query: str) -> list[Hit]:
    return [
        Hit.of(found, "roster", Target("roster", "member", found.record_id), dated=False)
        for found in book.search.members(query)
    ]
