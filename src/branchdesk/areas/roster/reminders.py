"""党员名册 reminders for the 工作台: 预备期 ending, a committee the branch is too small for."""

from __future__ import annotations

import datetime as dt

from branchdesk.areas import Reminder, Target
from branchdesk.domain.branch import COMMITTEE_MIN_FULL_MEMBERS
from branchdesk.domain.members import Category, probation_ending
from branchdesk.store import Book

PROBATION_GROUP = "预备期届满"
STRUCTURE_GROUP = "支部设置"


def reminders(book: Book, today: dt.date) -> list[Reminder]:
    roster = book.roster.on(today)
    out = [
        Reminder(
            PROBATION_GROUP,
            due.text,
            Target("roster", "member", due.entry.member.id),
            urgency=due.days_left,
        )
        for due in probation_ending(roster, today)
    ]
    full = sum(1 for e in roster if e.category == Category.FULL)
    if book.branch.committee_on(today) and full < COMMITTEE_MIN_FULL_MEMBERS:
        out.append(
            Reminder(
                STRUCTURE_GROUP,
                f"正式党员不足{COMMITTEE_MIN_FULL_MEMBERS}人，按规定可不设支部委员会。",
                Target("settings", "committee"),
            )
        )
    return out
