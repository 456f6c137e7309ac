"""The points book in the store: the ledger cannot be edited, corrections reverse, automatic
entries from meetings are idempotent, entries for people not scored are refused."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import replace

import pytest

from branchdesk.areas.points.rules import template, totals, use_template
from branchdesk.domain.meetings import Attendance, AttendanceStatus, Meeting, MeetingType
from branchdesk.domain.members import Category, EventKind, Member, MembershipEvent
from branchdesk.domain.minutes import MeetingRecord
from branchdesk.domain.points import Period
from branchdesk.store import InputError

D = dt.date
P, L, A = AttendanceStatus.PRESENT, AttendanceStatus.LEAVE, AttendanceStatus.ABSENT


@pytest.fixture
def people(book):
    ids = [
        book.roster.add(Member(name=n, join_date=D(2015, 7, 1), category=Category.FULL))
        for n in ("王芳", "李明", "张伟", "赵丽")
    ]
    book.points.set_entered_by("黄磊")
    use_template(book, "quarterly-100", 2026)
    return ids


def meeting(ids, status=None, **over) -> MeetingRecord:
    status = status or {}
    m = Meeting(
        title="九月主题党日暨支部党员大会",
        types=frozenset({MeetingType.THEME_DAY, MeetingType.GENERAL, MeetingType.LECTURE}),
        date=D(2026, 9, 10),
        attendance={i: Attendance(status.get(i, P)) for i in ids},
    )
    return MeetingRecord(meeting=replace(m, **over))


def test_raw_sql_cannot_change_or_delete_an_entry(book, people):
    eid = book.points.add(people[0], D(2026, 8, 1), "参加志愿服务", reason="社区服务")
    conn = sqlite3.connect(book.path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="不能修改"):
            conn.execute("UPDATE points_entry SET points = 500 WHERE id = ?", [eid])
        with pytest.raises(sqlite3.IntegrityError, match="不能删除"):
            conn.execute("DELETE FROM points_entry WHERE id = ?", [eid])
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("DELETE FROM points_entry")
    finally:
        conn.close()
    assert book.points.entry(eid).points == 20


def test_reversal_points_at_the_original_and_nets_to_zero(book, people):
    eid = book.points.add(people[0], D(2026, 8, 1), "受到表彰", reason="优秀党员")
    rid = book.points.reverse(eid, "登记错误：应为下季度")
    rev = book.points.entry(rid)
    assert (rev.reverses, rev.count, rev.points) == (eid, -1, 50)
    assert rev.reason == "登记错误：应为下季度"
    assert book.points.entry(eid).reversed_by == rid
    row = next(r for r in totals(book, Period(2026, 3)) if r.member.id == people[0])
    assert row.added == 0 and row.total == 800
    with pytest.raises(InputError, match="已于明细"):
        book.points.reverse(eid, "again")
    with pytest.raises(InputError, match="冲销记录"):
        book.points.reverse(rid, "again")
    with pytest.raises(InputError, match="原因"):
        book.points.reverse(eid, " ")


def test_saving_a_meeting_adds_its_attendance_points_once(book, people):
    mid = book.meetings.save(meeting(people, {people[1]: L, people[2]: A}))
    auto = [e for e in book.points.entries(D(2026, 1, 1), D(2026, 12, 31)) if e.meeting_id]
    assert sorted((e.member_id, e.points) for e in auto) == [(people[1], -5), (people[2], -50)]
    before = book.points.count()
    book.meetings.save(replace(book.meetings.get(mid)))  # unchanged
    assert book.points.count() == before
    assert book.points.apply(2026).added == 0 and book.points.count() == before


def test_changing_attendance_reverses_old_and_adds_new(book, people):
    mid = book.meetings.save(meeting(people, {people[2]: A}))
    record = book.meetings.get(mid)
    changed = replace(record, meeting=replace(record.meeting, attendance={
        **record.meeting.attendance, people[2]: Attendance(L, "出差")}))  # fmt: skip
    book.meetings.save(changed)
    mine = book.points.entries(D(2026, 1, 1), D(2026, 12, 31), people[2])
    assert [(e.points, e.count) for e in mine] == [(-50, 1), (-50, -1), (-5, 1)]
    assert mine[1].reverses == mine[0].id
    row = next(r for r in totals(book, Period(2026, 3)) if r.member.id == people[2])
    assert row.deducted == -5 and row.total == 795


def test_deleting_a_meeting_reverses_its_entries(book, people):
    mid = book.meetings.save(meeting(people, {people[2]: A}))
    book.meetings.delete(mid)
    mine = book.points.entries(D(2026, 1, 1), D(2026, 12, 31), people[2])
    assert [e.count for e in mine] == [1, -1] and mine[1].reason == "会议记录已删除"
    assert book.points.apply(2026).added == 0


def test_a_failed_meeting_save_writes_no_points(book, people):
    mid = book.meetings.save(meeting(people))
    before = book.points.count()
    with pytest.raises(InputError):
        record = book.meetings.get(mid)
        book.meetings.save(replace(record, meeting=replace(
            record.meeting, title=" ", attendance={people[0]: Attendance(A)})))  # fmt: skip
    assert book.points.count() == before


def test_apply_after_changing_the_rule_set(book, people):
    book.meetings.save(meeting(people, {people[2]: A}))
    result = use_template(book, "deduct-only", 2026)
    assert result.reversed == 1 and result.added == 1
    mine = book.points.entries(D(2026, 1, 1), D(2026, 12, 31), people[2])
    assert [(e.item, e.points, e.count) for e in mine][-1] == ("无故缺席", -50, 1)
    assert book.points.apply(2026).added == 0


def test_entry_for_someone_not_scored_is_refused_naming_member_and_date(book, people):
    book.roster.add_event(people[3], MembershipEvent(EventKind.RETIRED, D(2026, 6, 1)))
    with pytest.raises(InputError, match=r"赵丽在 2026-07-01 离退休"):
        book.points.add(people[3], D(2026, 7, 1), "参加志愿服务")
    book.points.add(people[3], D(2026, 5, 31), "参加志愿服务")
    book.roster.add_event(people[0], MembershipEvent(EventKind.TRANSFER_OUT, D(2026, 8, 10)))
    with pytest.raises(InputError, match=r"王芳在 2026-08-11 不在本支部名册"):
        book.points.add(people[0], D(2026, 8, 11), "参加志愿服务")


def test_batch_is_all_or_nothing(book, people):
    book.roster.add_event(people[3], MembershipEvent(EventKind.MOBILE, D(2026, 1, 1), None, "深圳"))
    before = book.points.count()
    with pytest.raises(InputError, match="赵丽在 2026-08-01 流动党员"):
        book.points.add_batch(people, D(2026, 8, 1), "参加志愿服务")
    assert book.points.count() == before
    ids = book.points.add_batch(people[:3], D(2026, 8, 1), "参加志愿服务", reason="献血")
    assert len(ids) == 3


def test_unknown_item_and_missing_rule_set_are_refused(book, people):
    with pytest.raises(InputError, match="没有“打卡”"):
        book.points.add(people[0], D(2026, 8, 1), "打卡")
    with pytest.raises(InputError, match="2025年尚未选定"):
        book.points.add(people[0], D(2025, 8, 1), "参加志愿服务")
    with pytest.raises(InputError, match="加分项目"):
        book.points.add(people[0], D(2026, 8, 1), "参加志愿服务", points=-10)


def test_retired_and_mobile_members_are_outside_the_meeting_points(book, people):
    book.roster.add_event(people[3], MembershipEvent(EventKind.RETIRED, D(2026, 1, 1)))
    book.meetings.save(meeting(people, {people[3]: A}))
    assert not book.points.entries(D(2026, 1, 1), D(2026, 12, 31), people[3])
    rows = {r.member.id: r for r in totals(book, Period(2026, 3))}
    assert not rows[people[3]].scored and "离退休" in rows[people[3]].note


def test_transfer_out_mid_quarter_keeps_entries_with_a_note(book, people):
    book.points.add(people[0], D(2026, 7, 20), "参加志愿服务")
    book.roster.add_event(people[0], MembershipEvent(EventKind.TRANSFER_OUT, D(2026, 8, 10)))
    row = next(r for r in totals(book, Period(2026, 3)) if r.member.id == people[0])
    assert row.scored and row.total == 820 and "转出日期 2026-08-10" in row.note
    assert all(r.member.id != people[0] for r in totals(book, Period(2026, 4)))


def test_annual_is_the_mean_of_scored_quarters(book, people):
    for q, extra in ((1, 0), (2, 1), (3, 2), (4, 0)):
        day = D(2026, 3 * q - 1, 15)
        for _ in range(extra):
            book.points.add(people[0], day, "参加志愿服务")
    row = next(r for r in totals(book, Period(2026)) if r.member.id == people[0])
    assert row.quarters == (800, 820, 840, 800) and row.total == 815


def test_rule_set_is_kept_per_year(book, people):
    assert book.points.scheme(2026) == template("quarterly-100").rules
    use_template(book, "base-60", 2027)
    assert book.points.scheme_years() == [2026, 2027]
    assert book.points.scheme(2025) is None


def test_saved_book_upgrade_keeps_events_and_accepts_new_kinds(tmp_path):
    import shutil
    from pathlib import Path

    from branchdesk.store import open_book

    copy = tmp_path / "v0002.db"
    shutil.copy(Path(__file__).parent / "books" / "v0002.db", copy)
    raw = sqlite3.connect(copy)
    events_before = raw.execute("SELECT count(*) FROM member_event").fetchone()[0]
    raw.close()
    book = open_book(copy)
    try:
        assert book.db.execute("SELECT count(*) FROM member_event").fetchone()[0] == events_before
        member = book.roster.members()[0]
        book.roster.add_event(member.id or 0, MembershipEvent(EventKind.MOBILE, D(2026, 2, 1),
                                                              None, "深圳"))  # fmt: skip
        assert book.roster.member(member.id or 0).mobile_on(D(2026, 3, 1))
        assert book.integrity_problems() == []
    finally:
        book.close(backup=False)


def test_reminders_notice_due_and_failing_members(book, people):
    from branchdesk.areas.points.reminders import reminders

    book.points.add(people[1], D(2026, 8, 1), "违反规定", count=3, reason="多次违反规定")
    found = reminders(book, D(2026, 10, 5))
    texts = [r.text for r in found]
    assert "2026年第三季度已结束，积分公示表尚未打印" in texts
    assert "李明2026年第三季度积分为不合格" in texts
    assert not any("上报" in t for t in texts)
    book.points.record_notice("2026Q3", D(2026, 10, 8), D(2026, 10, 14))
    assert not any("公示" in r.text for r in reminders(book, D(2026, 10, 9)))
    due = [r.text for r in reminders(book, D(2026, 7, 10))]
    assert any("2026年7月15日前报上级党组织（还有 5 天）" in t for t in due)
    book.settings.set("points.due", "08-01")
    assert any("2026年8月1日" in r.text for r in reminders(book, D(2026, 7, 25)))


def test_automatic_entries_are_corrected_through_the_meeting_not_by_hand(book, people):
    book.meetings.save(meeting(people, {people[2]: A}))
    auto = next(e for e in book.points.entries(D(2026, 1, 1), D(2026, 12, 31)) if e.meeting_id)
    with pytest.raises(InputError, match="请修改该次会议的出勤登记"):
        book.points.reverse(auto.id, "不应扣分")
    with pytest.raises(InputError, match="正整数"):
        book.points.add(people[0], D(2026, 8, 1), "参加志愿服务", count=-1)


def test_quarter_sums_always_equal_the_ledger(book, people):
    """points_sum is kept by a trigger; after entries, reversals and meeting changes it
    must equal a fresh aggregation of the ledger, and whole quarters are read from it."""
    from branchdesk.store.points import _whole_quarters

    mid = book.meetings.save(meeting(people, {people[2]: A, people[1]: L}))
    eid = book.points.add(people[0], D(2026, 9, 30), "受到表彰", count=2)
    book.points.reverse(eid, "重复")
    book.points.add(people[0], D(2026, 10, 1), "违反规定")
    book.meetings.delete(mid)
    rows = lambda sql: sorted(book.db.execute(sql).fetchall())  # noqa: E731
    assert rows("SELECT quarter, member_id, item, category, value, occurrences FROM points_sum") \
        == rows("SELECT substr(date, 1, 4) || 'Q' || ((CAST(substr(date, 6, 2) AS INTEGER) + 2)"
                " / 3), member_id, item, category, sum(points * count), sum(count)"
                " FROM points_entry GROUP BY 1, 2, 3, 4")  # fmt: skip
    assert _whole_quarters(D(2026, 7, 1), D(2026, 9, 30)) == ["2026Q3"]
    assert _whole_quarters(D(2026, 1, 1), D(2026, 12, 31)) == [f"2026Q{q}" for q in (1, 2, 3, 4)]
    assert _whole_quarters(D(2026, 7, 2), D(2026, 9, 30)) is None
    assert _whole_quarters(D(2026, 7, 1), D(2026, 9, 29)) is None
    by_sum = book.points.lines(D(2026, 7, 1), D(2026, 12, 31))
    expected: dict[tuple[int, str], list[int]] = {}
    for e in book.points.entries(D(2026, 7, 1), D(2026, 12, 31)):
        slot = expected.setdefault((e.member_id, e.item), [0, 0])
        slot[0] += e.value
        slot[1] += e.count
    got = {(mid, x.item): [x.value, x.occurrences] for mid, xs in by_sum.items() for x in xs}
    assert got == expected


def test_check_reports_sums_changed_around_the_app(book, people):
    book.points.add(people[0], D(2026, 8, 1), "参加志愿服务")
    assert book.integrity_problems() == []
    book.db.execute("UPDATE points_sum SET value = value + 10")
    assert book.integrity_problems() == ["积分汇总与积分明细不一致：2026Q3"]


def test_a_meeting_and_its_points_commit_or_roll_back_together(book, people):
    mid = book.meetings.save(meeting(people))
    before = book.points.count()

    def fail(_meeting_id: int) -> None:
        raise RuntimeError("disk full")

    book.meetings.after_write.append(fail)  # runs after the points were derived
    record = book.meetings.get(mid)
    changed = replace(record, meeting=replace(record.meeting, attendance={
        **record.meeting.attendance, people[2]: Attendance(A)}))  # fmt: skip
    with pytest.raises(RuntimeError):
        book.meetings.save(changed)
    book.meetings.after_write.remove(fail)
    assert book.points.count() == before
    assert book.meetings.get(mid).meeting.attendance[people[2]].status == P
