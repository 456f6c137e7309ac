"""A book with a filed-looking year: meetings of 2025 with every part, events dated 2025."""

from __future__ import annotations

import datetime as dt

from branchdesk.domain.meetings import (
    Attendance,
    AttendanceStatus,
    Exclusion,
    ExclusionReason,
    Meeting,
    MeetingType,
    Resolution,
    ResolutionKind,
)
from branchdesk.domain.members import EventKind, MembershipEvent
from branchdesk.domain.minutes import MeetingRecord

D = dt.date


def add_meeting(book, day: D, title: str = "三月支部党员大会", **over) -> int:
    ids = [e.member.id for e in book.roster.on(day)]
    meeting = Meeting(
        title=title,
        types=frozenset({MeetingType.GENERAL}),
        date=day,
        attendance={i: Attendance(AttendanceStatus.PRESENT) for i in ids[:-2]}
        | {ids[-2]: Attendance(AttendanceStatus.LEAVE, "出差")},
        excluded={ids[-1]: Exclusion(ExclusionReason.ILLNESS, "支部党员大会决定")},
        resolutions=(Resolution("通过支部年度工作计划", ResolutionKind.GENERAL),),
    )
    base = dict(
        meeting=meeting, start_time="14:30", end_time="16:00", place="三楼会议室",
        host="李建国", recorder="黄磊", agenda=("学习党章", "审议工作计划"),
        content="会议传达学习了上级精神，讨论了支部年度工作计划。",
    )  # fmt: skip
    base.update(over)
    mid = book.meetings.save(MeetingRecord(**base))
    book.meetings.add_attachment(mid, "签到照片.jpg", "image/jpeg", b"\xff\xd8data")
    return mid


def add_event(book, day: D) -> int:
    member = book.roster.members()[0]
    assert member.id is not None
    return book.roster.add_event(member.id, MembershipEvent(EventKind.TRANSFER_IN, day))
