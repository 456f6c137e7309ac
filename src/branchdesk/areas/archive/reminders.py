"""工作台 reminders of the 档案 area: last year not yet filed, once the year is over."""

from __future__ import annotations

import datetime as dt

from branchdesk.areas import Reminder, Target
from branchdesk.store import Book

ARCHIVE_GROUP = "档案"


def reminders(book: Book, today: dt.date) -> list[Reminder]:
    last = today.year - 1
    if book.archive.is_filed(last) or last not in book.meetings.years():
        return []
    return [
        Reminder(
            ARCHIVE_GROUP,
            f"{last}年度的记录尚未归档（一般在次年第一季度完成）",
            Target("archive", "year", last),
            urgency=5 if today.month > 3 else 20,
        )
    ]
