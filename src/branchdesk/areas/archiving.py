"""The 归档章 (DA/T 22-2015) of the filed items this program prints, filled from the book.

A filed item — a meeting's 会议记录 (alone or in a year's volume) and the 党员花名册 — gets the
stamp at the top right of its first page with:

* 全宗号: the unit's fonds number, setting ``archive.fonds`` (blank: written by hand);
* 年度: the record's 所属年度; for the roll, the year of the date it is drawn up on;
* 保管期限: the roll 永久 (member rolls are kept permanently); the minutes as the unit sets it
  in ``archive.retention.minutes`` (永久 / 30年 / 10年; 30年 when unset);
* 件号: for minutes, the record's place among that year's records by date (items are
  numbered within a year, by date); the roll's is left blank, to be written by hand;
* 页数: counted from the printed layout;
* 机构（问题）: setting ``archive.org``, optional.

Whether the print jobs add it by default is the setting ``archive.stamp`` ("1": yes).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from branchdesk.domain.minutes import MeetingRecord
from branchdesk.store import Book

if TYPE_CHECKING:
    from branchdesk.printing.blocks import ArchiveStamp

FONDS = "archive.fonds"
ORG = "archive.org"
RETENTION_MINUTES = "archive.retention.minutes"
STAMP_BY_DEFAULT = "archive.stamp"
RETENTIONS = ("永久", "30年", "10年")


def wanted(book: Book, archive: bool | None) -> bool:
    """``archive`` if given, else the book's default."""
    return book.settings.get(STAMP_BY_DEFAULT) == "1" if archive is None else archive


def _stamp(book: Book, year: int, retention: str, item: str | int) -> ArchiveStamp:
    from branchdesk.printing.blocks import ArchiveStamp

    return ArchiveStamp(
        fonds=book.settings.get(FONDS),
        year=year,
        retention=retention,
        item=item,
        org=book.settings.get(ORG),
    )


def minutes_retention(book: Book) -> str:
    value = book.settings.get(RETENTION_MINUTES, "30年")
    return value if value in RETENTIONS else "30年"


def item_numbers(records: list[MeetingRecord]) -> dict[int, int]:
    """Meeting id → 件号 among ``records`` (one 所属年度): 1, 2, … by date, then id."""
    ordered = sorted(records, key=lambda r: (r.meeting.date, r.meeting.id or 0))
    return {r.meeting.id or 0: n for n, r in enumerate(ordered, 1)}


def minutes_stamp(book: Book, record: MeetingRecord) -> ArchiveStamp:
    year = record.meeting.belongs_to_year
    numbers = item_numbers(book.meetings.records(year))
    return _stamp(book, year, minutes_retention(book), numbers.get(record.meeting.id or 0, ""))


def volume_stamps(book: Book, records: list[MeetingRecord], year: int) -> list[ArchiveStamp]:
    numbers = item_numbers(book.meetings.records(year))
    retention = minutes_retention(book)
    return [_stamp(book, year, retention, numbers.get(r.meeting.id or 0, "")) for r in records]


def roll_stamp(book: Book, day: dt.date) -> ArchiveStamp:
    return _stamp(book, day.year, "永久", "")
