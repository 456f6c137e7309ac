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


def add_year_records(book, year: int = 2025) -> dict[str, int]:
    """A row of ``year`` in every 谈心谈话 and 积分 table the demo leaves empty for it: an
    attachment on a talk, a member listed apart from the 民主评议, a points entry with a
    reason. Returns their ids."""
    talk = book.talks.outlines(year)[0]
    assert talk.id is not None
    attachment = book.talks.add_attachment(talk.id, "谈话提纲.txt", b"outline", "text/plain")
    rated = [p for p in book.appraisal.participants(year) if p.rated]
    book.appraisal.exclude(year, rated[-1].member_id, "长期病休")
    member = rated[0].member_id
    entry = book.points.add(member, D(year, 6, 18), "参加志愿服务", reason="参加社区防汛志愿服务")
    return {"talk": talk.id, "attachment": attachment, "member": member, "entry": entry}
