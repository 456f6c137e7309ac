"""Records that can be corrected: 转正 and the 预备期, 人员类别 from the record, group
membership and group/committee dates as of a day, and the 0005 upgrade."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from branchdesk.domain.branch import PartyGroup
from branchdesk.domain.compliance import CellState, compliance_grid
from branchdesk.domain.meetings import MeetingType
from branchdesk.domain.members import Category, EventKind, Member, MembershipEvent
from branchdesk.store import InputError, open_book

BOOKS = Path(__file__).parent / "books"
D = dt.date


def test_category_is_never_typed_it_follows_the_full_date(book):
    mid = book.roster.add(
        Member(name="甲", category=Category.PROBATIONARY, join_date=D(2020, 1, 1))
    )
    member = book.roster.member(mid)
    book.roster.update(replace(member, category=Category.FULL))  # typed: ignored
    assert book.roster.member(mid).category == Category.PROBATIONARY
    book.roster.update(replace(member, full_date=D(2021, 1, 1)))
    assert book.roster.member(mid).category == Category.FULL


def test_early_full_date_typed_in_the_record_is_refused(book):
    with pytest.raises(InputError, match="早于预备期届满日2021年1月1日"):
        book.roster.add(
            Member(name="乙", category=Category.FULL, join_date=D(2020, 1, 1),
                   full_date=D(2020, 6, 1))  # fmt: skip
        )


def test_confirmation_event_decides_the_full_date_over_the_form(book):
    mid = book.roster.add(Member(name="丙", category=Category.PROBATIONARY,
                                 join_date=D(2020, 1, 1)))  # fmt: skip
    book.roster.add_event(mid, MembershipEvent(EventKind.CONFIRMED, D(2021, 1, 1)))
    member = book.roster.member(mid)
    book.roster.update(replace(member, full_date=D(2022, 5, 5), post="科员"))
    saved = book.roster.member(mid)
    assert saved.full_date == D(2021, 1, 1) and saved.post == "科员"
    [(_, event)] = book.roster.events(mid)
    assert event.id is not None
    book.roster.correct_event(event.id, date=D(2021, 2, 1), reason="会议日期录错")
    assert book.roster.member(mid).full_date == D(2021, 2, 1)
    book.roster.delete_event(event.id, reason="误录")
    after = book.roster.member(mid)
    assert after.full_date is None and after.category == Category.PROBATIONARY
    assert [c.action for c in book.roster.corrections(mid)] == ["更正", "删除"]


def test_correction_needs_a_reason_and_a_change(book):
    mid = book.roster.add(Member(name="丁", join_date=D(2010, 1, 1), full_date=D(2011, 1, 1)))
    eid = book.roster.add_event(mid, MembershipEvent(EventKind.TRANSFER_OUT, D(2026, 3, 1)))
    with pytest.raises(InputError, match="更正原因"):
        book.roster.correct_event(eid, date=D(2026, 3, 2), reason=" ")
    with pytest.raises(InputError, match="没有改动"):
        book.roster.correct_event(eid, date=D(2026, 3, 1), reason="x")
    assert book.roster.corrections() == []


def test_group_membership_is_effective_dated(book):
    one = book.branch.save_group(PartyGroup(name="第一党小组"))
    two = book.branch.save_group(PartyGroup(name="第二党小组"))
    mid = book.roster.add(Member(name="戊", join_date=D(2010, 1, 1), full_date=D(2011, 1, 1),
                                 group_id=one))  # fmt: skip
    book.roster.update(replace(book.roster.member(mid), group_id=two), today=D(2026, 9, 1))
    assert book.roster.group_ids_on(D(2026, 8, 31))[mid] == one
    assert book.roster.group_ids_on(D(2026, 9, 1))[mid] == two
    assert book.roster.group_ids()[mid] == two


def test_group_meetings_are_due_only_while_the_group_exists():
    group = PartyGroup(name="第四党小组", id=4, start_date=D(2026, 11, 1))
    grid = compliance_grid(2026, [], {MeetingType.GROUP: "month"}, False, [group], D(2026, 12, 15))
    [row] = grid.rows
    states = [c.state for c in row.cells]
    assert states[:10] == [CellState.NOT_REQUIRED] * 10
    assert states[10] == CellState.MISSING and states[11] == CellState.NOT_YET_DUE
    ended = replace(group, start_date=None, end_date=D(2026, 3, 31))
    grid = compliance_grid(2026, [], {MeetingType.GROUP: "month"}, False, [ended], D(2026, 12, 15))
    assert [c.state for c in grid.rows[0].cells][2:4] == [
        CellState.MISSING,
        CellState.NOT_REQUIRED,
    ]


@pytest.mark.parametrize("saved", ["v0001.db", "v0002.db"])
def test_upgrade_keeps_events_and_seeds_group_membership(tmp_path, saved):
    copy = tmp_path / saved
    shutil.copy(BOOKS / saved, copy)
    before = sqlite3.connect(copy)
    events = before.execute("SELECT id, member_id, kind, date FROM member_event").fetchall()
    grouped = before.execute(
        "SELECT id, group_id FROM member WHERE group_id IS NOT NULL"
    ).fetchall()
    before.close()
    book = open_book(copy)
    try:
        after = book.db.execute("SELECT id, member_id, kind, date FROM member_event").fetchall()
        assert sorted(after) == sorted(events)
        today = book.roster.group_ids_on(D(2026, 1, 1))
        assert {(m, g) for m, g in grouped} == {(m, g) for m, g in today.items() if g}
        stored = dict(book.db.execute("SELECT name, pinyin FROM member").fetchall())
        assert stored["林堃"] == "lk linkun"  # full pinyin added by the upgrade
    finally:
        book.close(backup=False)


def test_who_a_decision_can_be_about():
    from branchdesk.domain.meetings import ResolutionKind, candidate_problem

    day = D(2026, 11, 21)
    full = Member(name="王芳", join_date=D(2003, 5, 20), full_date=D(2004, 5, 20))
    probationary = Member(name="罗晨", category=Category.PROBATIONARY, join_date=D(2025, 12, 15))
    new = Member(name="赵新", category=Category.PROBATIONARY, join_date=day)
    admit, confirm = ResolutionKind.ADMISSION, ResolutionKind.CONFIRMATION
    assert candidate_problem(admit, new, day) is None
    assert "已是正式党员" in (candidate_problem(admit, full, day) or "")
    assert "已于2025年12月15日入党" in (candidate_problem(admit, probationary, day) or "")
    assert candidate_problem(confirm, probationary, day) is None
    assert "无需转正" in (candidate_problem(confirm, full, day) or "")


def test_committee_meetings_are_due_only_while_a_committee_serves():
    elected = D(2026, 4, 15)
    grid = compliance_grid(
        2026,
        [],
        {MeetingType.COMMITTEE: "month"},
        True,
        [],
        D(2026, 12, 15),
        committee_on=lambda day: day >= elected,
    )
    states = [c.state for c in grid.rows[0].cells]
    assert states[:4] == [CellState.NOT_REQUIRED] * 4  # January–April: no committee yet
    assert states[4:11] == [CellState.MISSING] * 7


def test_extension_moves_the_reminder_of_the_end_of_probation():
    from branchdesk.domain.members import probation_ending, roster_on

    luo = Member(
        name="罗晨",
        category=Category.PROBATIONARY,
        join_date=D(2025, 12, 15),
        events=(MembershipEvent(EventKind.EXTENDED, D(2026, 12, 10), D(2027, 6, 15)),),
    )
    assert probation_ending(roster_on([luo], D(2026, 12, 1)), D(2026, 12, 1)) == []
    [due] = probation_ending(roster_on([luo], D(2027, 6, 1)), D(2027, 6, 1))
    assert due.due == D(2027, 6, 15) and "2027年6月15日" in due.text
