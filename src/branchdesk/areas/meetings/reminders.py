"""会议记录 reminders for the 工作台: required meetings not yet held this month or quarter
(or missed recently), members without 组织生活 for 3 or 6 months."""

from __future__ import annotations

import datetime as dt

from branchdesk.areas import Reminder, Target
from branchdesk.areas.meetings.rules import inactive_members, missing_this_period
from branchdesk.domain.dates import format_cn
from branchdesk.store import Book

MEETINGS_GROUP = "会议未召开"
INACTIVE_GROUP = "未参加组织生活"


def reminders(book: Book, today: dt.date) -> list[Reminder]:
    out = [
        Reminder(MEETINGS_GROUP, text, Target("meetings", "calendar", today.year))
        for text in missing_this_period(book, today)
    ]
    three, six = inactive_members(book, today)
    for months, people, urgency in ((6, six, -1), (3, three, 0)):
        for x in people:
            since = f"（最近一次：{format_cn(x.last_attended)}）" if x.last_attended else ""
            out.append(
                Reminder(
                    INACTIVE_GROUP,
                    f"{x.entry.member.name}已{months}个月以上未参加组织生活{since}",
                    Target("meetings", "inactive", x.entry.member.id),
                    urgency=urgency,
                )
            )
    return out
