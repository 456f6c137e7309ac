"""What 积分 files for a year — the printed 公示 of each scoring period and every scored
member's 积分登记卡 — what the year misses (a period's 公示 not printed), and how entries
are found by the search box (项目, 原因)."""

from __future__ import annotations

import datetime as dt
from functools import partial

from branchdesk.areas import ArchiveItem, Gap, Hit, Target
from branchdesk.areas.meetings.archive import minutes_retention
from branchdesk.store import Book

POINTS_CLASS = 40


def _periods(book: Book, year: int) -> list:
    from branchdesk.domain.points import scoring_periods

    rules = book.points.scheme(year)
    return [] if rules is None else scoring_periods(rules, year)


def archive_items(book: Book, year: int) -> list[ArchiveItem]:
    """Nothing when the branch keeps no points for ``year`` (no rule set)."""
    from branchdesk.areas.points.jobs import card_job, notice_job
    from branchdesk.areas.points.rules import totals
    from branchdesk.domain.points import Period

    periods = _periods(book, year)
    if not periods:
        return []
    branch = book.branch.profile().name
    retention = minutes_retention(book)
    items = []
    for period in periods:
        printed = book.points.notice_printed(period.key)
        if printed is None:
            continue  # year_gaps names it
        date_from, date_to = printed
        items.append(
            ArchiveItem(
                area="points",
                key=f"points:{period.key}:notice",
                title=f"{period.label}党员积分公示",
                responsible=branch,
                date=date_from,
                sort_class=POINTS_CLASS,
                retention=retention,
                print=partial(notice_job, book, period, date_from, date_to),
            )
        )
    end = dt.date(year, 12, 31)
    for row in totals(book, Period(year)):
        if not row.scored or row.member.id is None:
            continue
        items.append(
            ArchiveItem(
                area="points",
                key=f"points:{year}:card:{row.member.id}",
                title=f"{row.member.name}{year}年度党员积分登记卡",
                responsible=branch,
                date=end,
                sort_class=POINTS_CLASS + 1,
                retention=retention,
                print=partial(card_job, book, row.member.id, year),
            )
        )
    return items


def year_gaps(book: Book, year: int) -> list[Gap]:
    """Each scoring period whose 公示 has not been printed."""
    return [
        Gap(f"{period.label}积分公示尚未打印", Target("points", "notice", None))
        for period in _periods(book, year)
        if book.points.notice_printed(period.key) is None
    ]


def search(book: Book, query: str) -> list[Hit]:
    return [
        Hit.of(found, "points", Target("points", "member", found.record_id))
        for found in book.search.points(query)
    ]
