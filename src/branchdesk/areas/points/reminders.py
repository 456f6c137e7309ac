"""积分 reminders for the 工作台: a quarter (or year) has ended and its 公示 is not printed;
results are due to the superior (7月15日 and 1月15日 by default, 设置 key
``points.due``, e.g. "07-15,01-15"); members whose latest total is 不合格."""

from __future__ import annotations

import datetime as dt

from branchdesk.areas import Reminder, Target
from branchdesk.domain.dates import format_cn
from branchdesk.domain.points import FAIL_BAND, Period, PeriodKind
from branchdesk.store import Book, InputError

NOTICE_GROUP = "积分公示"
DUE_GROUP = "积分结果上报"
FAIL_GROUP = "积分不合格"
DUE_KEY = "points.due"
DEFAULT_DUE = "07-15,01-15"
#: Remind this many days before a due date.
DUE_WITHIN_DAYS = 14


def last_ended_period(book: Book, today: dt.date) -> Period | None:
    """The latest scoring period that has ended by ``today`` and has a rule set."""
    for year in (today.year, today.year - 1):
        rules = book.points.scheme(year)
        if rules is None:
            continue
        kind = rules.period
        parts = (
            [Period(year, q) for q in (4, 3, 2, 1)]
            if kind == PeriodKind.QUARTER
            else [Period(year)]
        )
        for p in parts:
            if p.end < today:
                return p
    return None


def due_dates(book: Book, today: dt.date) -> list[dt.date]:
    out = []
    for part in (book.settings.get(DUE_KEY) or DEFAULT_DUE).split(","):
        try:
            month, day = (int(x) for x in part.strip().split("-"))
            for year in (today.year, today.year + 1):
                out.append(dt.date(year, month, day))
        except ValueError:
            continue
    return sorted(out)


def reminders(book: Book, today: dt.date) -> list[Reminder]:
    out: list[Reminder] = []
    period = last_ended_period(book, today)
    if period is not None and book.points.notice_printed(period.key) is None:
        out.append(
            Reminder(
                NOTICE_GROUP,
                f"{period.label}已结束，积分公示表尚未打印",
                Target("points", "notice", None),
            )
        )
    for due in due_dates(book, today):
        days = (due - today).days
        if 0 <= days <= DUE_WITHIN_DAYS:
            out.append(
                Reminder(
                    DUE_GROUP,
                    f"积分结果应于{format_cn(due)}前报上级党组织（还有 {days} 天）",
                    Target("points"),
                    urgency=-1 if days < 3 else 0,
                )
            )
            break
    if period is not None:
        from branchdesk.areas.points.rules import totals

        try:
            rows = totals(book, period)
        except InputError:
            rows = []
        for r in rows:
            if r.scored and r.band == FAIL_BAND:
                out.append(
                    Reminder(
                        FAIL_GROUP,
                        f"{r.member.name}{period.label}积分"
                        f"{'（一票否决）' if '一票否决' in r.note else ''}为不合格",
                        Target("points", "member", r.member.id),
                    )
                )
    return out
