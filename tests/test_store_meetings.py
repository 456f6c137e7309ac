"""The meeting book in the store: saved whole, read back equal, replaced atomically."""

from __future__ import annotations

import datetime as dt

import pytest

from branchdesk.domain.meetings import (
    Attendance,
    AttendanceStatus,
    Exclusion,
    ExclusionReason,
    Meeting,
    MeetingType,
    Resolution,
    ResolutionKind,
    Scope,
)
from branchdesk.domain.minutes import MeetingRecord
from branchdesk.store import InputError

D = dt.date
P, L, A = AttendanceStatus.PRESENT, AttendanceStatus.LEAVE, AttendanceStatus.ABSENT


def record(demo_book, **over) -> MeetingRecord:
    ids = [e.member.id for e in demo_book.roster.on(D(2026, 9, 10))]
    meeting = Meeting(
        title="九月主题党日暨支部党员大会",
        types=frozenset({MeetingType.THEME_DAY, MeetingType.GENERAL, MeetingType.LECTURE}),
        date=D(2026, 9, 10),
        attendance={i: Attendance(P) for i in ids[:-2]}
        | {ids[-2]: Attendance(L, "出差"), ids[-1]: Attendance(A)},
        excluded={},
        resolutions=(Resolution("同意接收何娜为预备党员", ResolutionKind.ADMISSION, ids[0],
                                18, 1, 1, 1, 0, 0, True),),
    )
    base = dict(
        meeting=meeting, start_time="14:30", end_time="16:30", place="三楼会议室",
        host="李建国", recorder="黄磊", guests="机关党委 王某", agenda=("学习", "发展党员"),
        content="会议内容" * 100, lecturer="李建国", topic="学习党章", theme="重温入党誓词",
    )  # fmt: skip
    base.update(over)
    return MeetingRecord(**base)


def test_meeting_round_trips(demo_book):
    rec = record(demo_book)
    mid = demo_book.meetings.save(rec)
    back = demo_book.meetings.get(mid)
    assert back.meeting.types == rec.meeting.types
    assert back.meeting.attendance == rec.meeting.attendance
    assert back.meeting.resolutions == rec.meeting.resolutions
    assert back.meeting.belongs_to_year == 2026 and back.meeting.scope == Scope.BRANCH
    assert (back.agenda, back.content, back.place, back.theme) == (
        rec.agenda, rec.content, rec.place, rec.theme)  # fmt: skip


def test_organisational_life_meeting_in_january_belongs_to_last_year(demo_book):
    meeting = Meeting(
        title="2025年度组织生活会", types=frozenset({MeetingType.ORG_LIFE}), date=D(2026, 1, 15)
    )
    rec = record(demo_book, meeting=meeting)
    mid = demo_book.meetings.save(rec)
    assert demo_book.meetings.get(mid).meeting.belongs_to_year == 2025
    assert mid in [s.id for s in demo_book.meetings.summaries(2025)]


def test_update_replaces_children_and_bad_input_changes_nothing(demo_book):
    mid = demo_book.meetings.save(record(demo_book))
    saved = demo_book.meetings.get(mid)
    with pytest.raises(InputError) as err:
        demo_book.meetings.save(record(demo_book, meeting=saved.meeting, start_time="25:99"))
    assert "开始时间" in str(err.value)
    assert demo_book.meetings.get(mid) == saved
    fewer = record(demo_book, meeting=saved.meeting, agenda=("只剩一个议题",))
    demo_book.meetings.save(fewer)
    assert demo_book.meetings.get(mid).agenda == ("只剩一个议题",)


def test_rule_check_blocks_the_save(demo_book):
    def refuse(_record):
        return ["决议1：赞成票未超过应到会有表决权党员的半数，不能标记为通过"]

    with pytest.raises(InputError, match="不能标记为通过"):
        demo_book.meetings.save(record(demo_book), check=refuse)
    assert all(s.title != "九月主题党日暨支部党员大会" for s in demo_book.meetings.summaries())


def test_group_meeting_needs_its_group(demo_book):
    rec = record(demo_book, meeting=Meeting(
        title="党小组会", types=frozenset({MeetingType.GROUP}), date=D(2026, 9, 1)))  # fmt: skip
    with pytest.raises(InputError, match="党小组"):
        demo_book.meetings.save(rec)


def test_exclusions_and_attachments(demo_book):
    ids = [e.member.id for e in demo_book.roster.on(D(2026, 9, 10))]
    base = record(demo_book)
    m = Meeting(**{**base.meeting.__dict__, "excluded": {
        ids[3]: Exclusion(ExclusionReason.ABROAD, "机关党委同意")}})  # fmt: skip
    mid = demo_book.meetings.save(record(demo_book, meeting=m))
    aid = demo_book.meetings.add_attachment(mid, "合影.jpg", "image/jpeg", b"\xff\xd8jpeg", 4, 3)
    back = demo_book.meetings.get(mid)
    assert back.meeting.excluded[ids[3]].reason == ExclusionReason.ABROAD
    assert [a.name for a in back.attachments] == ["合影.jpg"]
    assert demo_book.meetings.attachment_data(aid) == b"\xff\xd8jpeg"
    demo_book.meetings.delete(mid)
    count = "SELECT count(*) FROM meeting_attachment WHERE meeting_id = ?"
    assert demo_book.db.execute(count, [mid]).fetchone()[0] == 0


def test_template_is_the_last_meeting_of_its_type(demo_book):
    demo_book.meetings.save(record(demo_book))
    lecture = Meeting(
        title="十月党课", types=frozenset({MeetingType.LECTURE}), date=D(2026, 10, 12)
    )
    later = record(demo_book, place="党员活动室", meeting=lecture)
    demo_book.meetings.save(later)
    assert demo_book.meetings.last_of_type(MeetingType.LECTURE).place == "党员活动室"
    assert demo_book.meetings.last_of_type(MeetingType.OTHER) is None


def test_a_problem_the_rules_and_the_record_both_see_is_said_once(demo_book):
    from branchdesk.areas.meetings.rules import rule_problems
    from branchdesk.domain.compliance import NO_TYPE
    from branchdesk.domain.meetings import Meeting
    from branchdesk.domain.minutes import MeetingRecord
    from branchdesk.store import InputError

    record = MeetingRecord(Meeting(title="学习会", types=frozenset(), date=dt.date(2026, 3, 5)))
    with pytest.raises(InputError) as err:
        demo_book.meetings.save(record, check=lambda r: rule_problems(demo_book, r))
    assert str(err.value).count("会议类型") == 1 and NO_TYPE in str(err.value)
