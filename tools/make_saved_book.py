"""Write a saved book of the current schema for the migration tests.

    python tools/make_saved_book.py tests/books/v0007.db

The book is the demo branch with its dates fixed to 2026-06-30 (members with events,
committee, every meeting type with attendance, points, talks, 民主评议), the year 2025
filed, and one 更正 on a filed meeting. Once saved, a book is never regenerated: it stands
for the books users have on disk, which every later migration must upgrade.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from branchdesk.areas import opened
from branchdesk.areas.archive.hooks import write_correction
from branchdesk.areas.archive.jobs import file_year
from branchdesk.demo import create_demo_book
from branchdesk.store.connection import open_sqlite

TODAY = dt.date(2026, 6, 30)


def main(target: Path) -> None:
    if target.exists():
        raise SystemExit(f"{target} exists: a saved book is never rewritten")
    book = create_demo_book(target, today=TODAY)
    try:
        opened(book)
        file_year(book, 2025, despite_gaps=True)
        filed = next(r for r in book.meetings.records(2025))
        write_correction(
            book, "meeting", filed.meeting.id, "content",
            text="（更正后的会议内容）", reason="记录人笔误", approved_by="支部书记",
            day=TODAY,
        )  # fmt: skip
    finally:
        book.close(backup=False)
    conn = open_sqlite(target)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("VACUUM")
    conn.close()
    print(f"{target}: {target.stat().st_size} bytes")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
