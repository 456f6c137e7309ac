"""The rules of the meeting book: 应到, quorum, votes, the chair's words, the year's calendar."""

from __future__ import annotations

import copy
import datetime as dt
import pickle
from dataclasses import asdict, replace

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from branchdesk.domain.branch import CommitteePost, PartyGroup
from branchdesk.domain.compliance import (
    DEFAULT_FREQUENCIES,
    CellState,
    Grid,
    add_months,
    compliance_grid,
    has_committee,
    members_without_activity,
    validate_meeting,
)
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
    attendance_counts,
    default_scope,
    default_year,
    expected_attendees,
)
from branchdesk.domain.members import (
    Category,
    EventKind,
    Member,
    MembershipEvent,
    RosterEntry,
    roster_on,
)
from branchdesk.domain.voting import (
    chair_announcement,
    committee_motion_passes,
    committee_quorum,
    election_passes,
    election_quorum,
    motion_passes,
    quorum,
    resolution_passes,
    vote_record,
)

D = dt.date
T = MeetingType
PRESENT = Attendance(AttendanceStatus.PRESENT)
LEAVE = Attendance(AttendanceStatus.LEAVE, "出差")
ABSENT = Attendance(AttendanceStatus.ABSENT)
DAY = D(2025, 6, 20)


def full(mid: int, **kw) -> Member:
    base = dict(name=f"党员{mid}", id=mid, join_date=D(2010, 7, 1), full_date=D(2011, 7, 1))
    base.update(kw)
    return Member(**base)


def probationary(mid: int, **kw) -> Member:
    base = dict(
        name=f"预备{mid}",
        id=mid,
        join_date=D(2025, 1, 10),
        category=Category.PROBATIONARY,
    )
    base.update(kw)
    return Member(**base)


def watched(mid: int) -> Member:
    """A full member under 留党察看 on DAY."""
    return full(mid, events=(MembershipEvent(EventKind.PROBATION, D(2025, 1, 1), D(2026, 1, 1)),))


def branch_of(n_full: int, n_probationary: int = 0, n_watched: int = 0) -> list[Member]:
    members = [full(i) for i in range(1, n_full + 1)]
    members += [probationary(100 + i) for i in range(n_probationary)]
    members += [watched(200 + i) for i in range(n_watched)]
    return members


def attending(members: list[Member], present: int) -> dict[int, Attendance]:
    """The first ``present`` members attend, the others are on leave."""
    return {m.id: PRESENT if i < present else LEAVE for i, m in enumerate(members)}


def general(attendance: dict[int, Attendance], *resolutions: Resolution, **kw) -> Meeting:
    return Meeting(
        types=frozenset({T.GENERAL}),
        date=DAY,
        attendance=attendance,
        resolutions=resolutions,
        **kw,
    )


def counts_of(meeting: Meeting, members: list[Member], posts=(), groups=None):
    expected = expected_attendees(meeting, roster_on(members, meeting.date), posts, groups)
    return attendance_counts(meeting, expected)


# --- types and defaults --------------------------------------------------------------------


def test_annual_review_in_first_quarter_belongs_to_previous_year():
    assert default_year({T.ORG_LIFE}, D(2026, 1, 15)) == 2025
    assert default_year({T.APPRAISAL}, D(2026, 3, 31)) == 2025
    assert default_year({T.ORG_LIFE}, D(2026, 4, 1)) == 2026
    assert default_year({T.GENERAL, T.LECTURE}, D(2026, 1, 15)) == 2026
    assert Meeting(types=frozenset({T.ORG_LIFE}), date=D(2026, 1, 15)).belongs_to_year == 2025
    explicit = Meeting(types=frozenset({T.ORG_LIFE}), date=D(2026, 1, 15), belongs_to_year=2026)
    assert explicit.belongs_to_year == 2026


def test_scope_follows_the_types():
    assert default_scope({T.GENERAL, T.THEME_DAY, T.LECTURE}) == Scope.BRANCH
    assert default_scope({T.COMMITTEE}) == Scope.COMMITTEE
    assert default_scope({T.GROUP}) == Scope.GROUP
    assert default_scope({T.LECTURE}) == Scope.BRANCH
    assert Meeting(types=frozenset({T.COMMITTEE}), date=DAY).scope == Scope.COMMITTEE


def test_meeting_cannot_change_under_the_rules():
    source = {1: PRESENT}
    meeting = general(source)
    source[2] = PRESENT
    assert set(meeting.attendance) == {1}
    with pytest.raises(TypeError):
        meeting.attendance[3] = PRESENT  # type: ignore[index]
    assert hash(meeting) == hash(general({1: PRESENT})) and meeting == general({1: PRESENT})
    assert meeting != general({1: LEAVE})
    assert copy.deepcopy(meeting) == meeting == pickle.loads(pickle.dumps(meeting))
    assert asdict(meeting)["attendance"] == {1: PRESENT}  # copies without error


# --- 应到 -------------------------------------------------------------------------------------


def test_expected_uses_the_roster_of_the_meeting_date():
    leaver = full(1, events=(MembershipEvent(EventKind.TRANSFER_OUT, D(2025, 5, 1)),))
    newcomer = full(2, events=(MembershipEvent(EventKind.TRANSFER_IN, D(2025, 7, 1)),))
    stayer = full(3)
    members = [leaver, newcomer, stayer]
    for day, ids in ((D(2025, 4, 30), {1, 3}), (DAY, {3}), (D(2025, 7, 1), {2, 3})):
        meeting = Meeting(types=frozenset({T.LECTURE}), date=day)
        assert expected_attendees(meeting, roster_on(members, day), ()).ids() == ids


def test_committee_meeting_expects_the_committee_serving_that_day():
    members = branch_of(9)
    posts = [
        CommitteePost(1, "党员1", "书记", D(2023, 1, 1), D(2025, 12, 31)),
        CommitteePost(2, "党员2", "组织委员", D(2023, 1, 1), D(2025, 12, 31)),
        CommitteePost(3, "党员3", "宣传委员", D(2023, 1, 1), D(2025, 3, 1)),  # term over
        CommitteePost(4, "党员4", "宣传委员", D(2025, 3, 2)),
        CommitteePost(1, "党员1", "纪检委员", D(2023, 1, 1)),  # two posts, one person
    ]
    meeting = Meeting(types=frozenset({T.COMMITTEE}), date=DAY)
    expected = expected_attendees(meeting, roster_on(members, DAY), posts)
    assert expected.ids() == {1, 2, 4}


def test_group_meeting_expects_the_group_with_the_given_mapping():
    members = [full(1, group_id=10), full(2, group_id=10), full(3, group_id=20)]
    meeting = Meeting(types=frozenset({T.GROUP}), date=DAY, group_id=10)
    roster = roster_on(members, DAY)
    assert expected_attendees(meeting, roster, ()).ids() == {1, 2}
    # The group a member belonged to on the day, when the book knows it, wins.
    moved = {1: 20, 2: 10, 3: 10}
    assert expected_attendees(meeting, roster, (), moved).ids() == {2, 3}


def test_excluded_members_are_returned_apart_with_their_basis():
    members = branch_of(5)
    abroad = Exclusion(ExclusionReason.ABROAD, "机关党委2025年3月1日同意")
    meeting = general({1: PRESENT, 2: PRESENT, 3: PRESENT}, excluded={4: abroad})
    expected = expected_attendees(meeting, roster_on(members, DAY), ())
    assert expected.ids() == {1, 2, 3, 5}
    (left_out,) = expected.excluded
    assert left_out.entry.member.id == 4 and left_out.exclusion.basis == "机关党委2025年3月1日同意"
    counts = attendance_counts(meeting, expected)
    assert (counts.expected, counts.present, counts.excluded) == (4, 3, 1)


def test_excluded_member_who_attends_counts_again():
    members = branch_of(5)
    meeting = general({4: PRESENT}, excluded={4: Exclusion(ExclusionReason.ILLNESS, "同意")})
    counts = counts_of(meeting, members)
    assert (counts.expected, counts.present, counts.excluded) == (5, 1, 0)


def test_probationary_and_watched_members_attend_but_do_not_vote():
    members = branch_of(4, n_probationary=2, n_watched=1)
    meeting = general({m.id: PRESENT for m in members})
    counts = counts_of(meeting, members)
    assert (counts.expected, counts.present) == (7, 7)
    assert (counts.voting_expected, counts.voting_present) == (4, 4)
    assert counts.non_voting_present == 3


def test_counts_are_computed_from_attendance():
    members = branch_of(6)
    outsider = full(50, group_id=2)
    meeting = Meeting(
        types=frozenset({T.GROUP}),
        date=DAY,
        group_id=1,
        attendance={1: PRESENT, 2: PRESENT, 3: LEAVE, 4: ABSENT, 50: PRESENT},
    )
    grouped = [replace(m, group_id=1) for m in members]
    counts = counts_of(meeting, [*grouped, outsider])
    assert (counts.expected, counts.present, counts.on_leave, counts.absent) == (6, 2, 1, 1)
    assert counts.unrecorded == 2 and counts.not_present == 4
    assert counts.guests == 1  # 列席: another group's member


# --- quorum and passing -----------------------------------------------------------------------


def test_twenty_voting_eleven_present_ten_in_favour_fails():
    result = motion_passes(10, voting_expected=20, voting_present=11)
    assert not result.ok and result.quorate
    assert result.needed == 11
    assert result.message == (
        "赞成10票，未超过应到会有表决权的正式党员20人的半数（至少需11票），决议未通过。"
    )
    passed = motion_passes(11, 20, 11)
    assert passed.ok
    assert passed.message == "赞成11票，超过应到会有表决权的正式党员20人的半数，决议通过。"


def test_twenty_eleven_ten_through_a_whole_meeting():
    members = branch_of(20, n_probationary=3)
    attendance = attending(members[:20], 11) | {m.id: PRESENT for m in members[20:]}
    motion = Resolution("关于……的决议", votes_for=10, votes_against=1, marked_passed=True)
    meeting = general(attendance, motion)
    counts = counts_of(meeting, members)
    assert (counts.present, counts.voting_present, counts.voting_expected) == (14, 11, 20)
    assert not resolution_passes(meeting, motion, counts).ok
    problems = validate_meeting(meeting, roster_on(members, DAY), ())
    assert [p.code for p in problems] == ["not_passing"]
    assert problems[0].message.startswith("第1项决议：记为通过，但赞成10票，未超过")


def test_quorum_wording():
    assert quorum(20, 11).ok
    assert (
        quorum(20, 11).message == "到会有表决权的正式党员11人，超过应到会20人的半数，可以进行表决。"
    )
    assert not quorum(20, 10).ok
    assert quorum(20, 10).message == (
        "到会有表决权的正式党员10人，未超过应到会20人的半数（至少需11人），不能进行表决。"
    )
    assert not quorum(0, 0).ok


def test_election_needs_four_fifths_present_and_more_than_half_of_those_present():
    assert election_quorum(20, 16).ok and not election_quorum(20, 15).ok
    assert election_quorum(20, 15).needed == 16
    assert election_quorum(20, 15).message == (
        "到会有选举权的党员15人，不足应到会20人的五分之四（至少需16人），不能进行选举。"
    )
    # Read as "超过五分之四" (1990 暂行条例), 16 of 20 is not enough.
    assert not election_quorum(20, 16, strictly_more=True).ok
    assert election_quorum(20, 17, strictly_more=True).ok
    assert election_passes(9, 20, 16).ok  # more than half of the 16 present
    assert not election_passes(8, 20, 16).ok
    assert not election_passes(15, 20, 15).ok and not election_passes(15, 20, 15).quorate


def test_committee_needs_more_than_half_present():
    assert committee_quorum(5, 3).ok and not committee_quorum(5, 2).ok
    assert committee_quorum(5, 3).message == "到会委员3人，超过应到会委员5人的半数，会议有效。"
    assert committee_motion_passes(3, 5, 3).ok
    assert not committee_motion_passes(2, 5, 4).ok  # 2 of 5 members is not more than half
    assert not committee_motion_passes(2, 5, 2).quorate


def test_each_resolution_is_judged_by_its_own_rule():
    members = branch_of(20)
    election = Resolution("选举张三为支部委员", ResolutionKind.ELECTION, votes_for=9)
    motion = Resolution("一般事项", votes_for=9)
    meeting = general(attending(members, 17), election, motion)
    counts = counts_of(meeting, members)
    elected = resolution_passes(meeting, election, counts)
    assert elected.ok and elected.message == "赞成9票，超过实到会有选举权的党员17人的半数，当选。"
    assert not resolution_passes(meeting, motion, counts).ok  # needs 11 of the 20
    thin = general(attending(members, 15), election)
    assert not resolution_passes(thin, election, counts_of(thin, members)).quorate

    posts = [CommitteePost(i, f"党员{i}", "委员", D(2024, 1, 1)) for i in range(1, 6)]
    decision = Resolution("确定入党积极分子", votes_for=3)
    committee = Meeting(
        types=frozenset({T.COMMITTEE}),
        date=DAY,
        attendance={1: PRESENT, 2: PRESENT, 3: PRESENT, 4: LEAVE, 5: LEAVE},
        resolutions=(decision,),
    )
    result = resolution_passes(committee, decision, counts_of(committee, members, posts))
    assert result.ok and result.message == "赞成3票，超过应到会委员5人的半数，决议通过。"


def test_written_opinions_count_in_the_tally_not_in_attendance():
    members = branch_of(20)
    admission = Resolution(
        "接收张三为预备党员",
        kind=ResolutionKind.ADMISSION,
        candidate_id=999,
        votes_for=9,
        votes_against=2,
        abstentions=1,
        written_for=2,
        written_against=1,
        marked_passed=True,
    )
    meeting = general(attending(members, 12), admission)
    counts = counts_of(meeting, members)
    assert (counts.voting_expected, counts.voting_present) == (20, 12)
    result = resolution_passes(meeting, admission, counts)
    assert result.ok and result.votes_for == 11
    assert result.message.startswith("赞成11票（含书面意见2票），超过")
    assert validate_meeting(meeting, roster_on(members, DAY), ()) == []
    assert vote_record(meeting, admission, counts) == (
        "表决情况：应到会有表决权的正式党员20人，实到会有表决权的正式党员12人；"
        "赞成11票，反对3票，弃权1票（含未到会党员书面意见3份：赞成2、反对1、弃权0）。"
    )
    without = Resolution("接收张三为预备党员", ResolutionKind.ADMISSION, 999, votes_for=9)
    assert not resolution_passes(meeting, without, counts).ok


def test_written_opinions_do_not_count_for_an_ordinary_motion():
    members = branch_of(20)
    motion = Resolution("一般事项", votes_for=10, written_for=3, marked_passed=True)
    meeting = general(attending(members, 12), motion)
    counts = counts_of(meeting, members)
    assert not resolution_passes(meeting, motion, counts).ok
    codes = {p.code for p in validate_meeting(meeting, roster_on(members, DAY), ())}
    assert codes == {"written_not_allowed", "not_passing"}


def test_inquorate_meeting_may_be_saved_but_passes_nothing():
    members = branch_of(20)
    # Even with written opinions making up the count, an inquorate vote does not pass.
    admission = Resolution(
        "接收李四为预备党员",
        ResolutionKind.ADMISSION,
        7,
        votes_for=9,
        written_for=2,
    )
    meeting = general(attending(members, 9), admission)
    counts = counts_of(meeting, members)
    result = resolution_passes(meeting, admission, counts)
    assert not result.ok and not result.quorate
    roster = roster_on(members, DAY)
    assert validate_meeting(meeting, roster, ()) == []  # saved as a study session
    marked = general(attending(members, 9), Resolution("学习", votes_for=9, marked_passed=True))
    (problem,) = validate_meeting(marked, roster, ())
    assert problem.code == "inquorate_passed" and "不能进行表决" in problem.message
    assert "不足规定人数，不能进行表决" in chair_announcement(marked, counts_of(marked, members))


# --- the chair's words ----------------------------------------------------------------------


def test_chair_announces_voting_members_at_a_general_meeting():
    members = branch_of(20, n_probationary=2)
    attendance = attending(members[:20], 11) | {101: PRESENT}
    meeting = general(attendance)
    assert chair_announcement(meeting, counts_of(meeting, members)) == (
        "应到会有表决权的正式党员20人，实到11人，符合规定人数，会议有效。"
        "另有无表决权的党员1人到会。"
    )
    thin = general(attending(members[:20], 10))
    assert chair_announcement(thin, counts_of(thin, members)) == (
        "应到会有表决权的正式党员20人，实到10人，不足规定人数，不能进行表决。"
    )


def test_chair_announcement_for_an_election_states_the_four_fifths():
    members = branch_of(20)
    vote = Resolution("选举支部委员", ResolutionKind.ELECTION)
    meeting = general(attending(members, 15), vote)
    assert chair_announcement(meeting, counts_of(meeting, members)).endswith(
        "会议有效。到会人数不足应到会人数的五分之四，不能进行选举。"
    )


def test_chair_announcement_for_committee_and_other_meetings():
    members = branch_of(9)
    posts = [CommitteePost(i, f"党员{i}", "委员", D(2024, 1, 1)) for i in (1, 2, 3)]
    committee = Meeting(
        types=frozenset({T.COMMITTEE}), date=DAY, attendance={1: PRESENT, 2: PRESENT}
    )
    assert chair_announcement(committee, counts_of(committee, members, posts)) == (
        "应到会委员3人，实到2人，符合规定人数，会议有效。"
    )
    lecture = Meeting(
        types=frozenset({T.LECTURE}),
        date=DAY,
        attendance=attending(members, 7) | {9: ABSENT},
    )
    assert chair_announcement(lecture, counts_of(lecture, members)) == (
        "应到9人，实到7人，请假1人，缺席1人。"
    )


# --- validation -------------------------------------------------------------------------------


def codes(meeting: Meeting, members: list[Member], posts=()) -> list[str]:
    return [p.code for p in validate_meeting(meeting, roster_on(members, meeting.date), posts)]


def test_a_complete_record_has_no_problems():
    members = branch_of(7, n_probationary=1)
    motion = Resolution("通过年度计划", votes_for=6, votes_against=1, marked_passed=True)
    meeting = general({m.id: PRESENT for m in members}, motion)
    assert codes(meeting, members) == []


def test_attendance_problems():
    members = branch_of(4)
    meeting = general({1: PRESENT, 2: Attendance(AttendanceStatus.LEAVE), 3: PRESENT, 77: PRESENT})
    problems = validate_meeting(meeting, roster_on(members, DAY), ())
    by_code = {p.code: p for p in problems}
    assert set(by_code) == {"not_on_roster", "leave_reason", "unrecorded"}
    assert by_code["not_on_roster"].member_id == 77
    assert by_code["leave_reason"].message == "党员2：请假应注明原因。"
    assert by_code["unrecorded"].message == "党员4：未登记出席情况。"


def test_vote_counts_larger_than_voters_present():
    members = branch_of(10, n_probationary=2)
    attendance = attending(members[:10], 6) | {100: PRESENT, 101: PRESENT}
    motion = Resolution("事项", votes_for=6, votes_against=1)  # 7 ballots, 6 voters present
    admission = Resolution(
        "接收", ResolutionKind.ADMISSION, 5, votes_for=6, written_for=5
    )  # 5 written, 4 absent voters
    meeting = general(attendance, motion, admission)
    found = validate_meeting(meeting, roster_on(members, DAY), ())
    assert [(p.code, p.resolution_index) for p in found] == [
        ("too_many_votes", 0),
        ("passing_not_marked", 0),
        ("too_many_written", 1),
        ("passing_not_marked", 1),
    ]
    assert found[0].message == "第1项决议：赞成、反对、弃权合计7票，多于到会有表决权的正式党员6人。"
    exact = general(attendance, Resolution("事项", votes_for=6, marked_passed=True))
    assert validate_meeting(exact, roster_on(members, DAY), ()) == []


def test_personal_decisions_belong_to_the_general_meeting_one_candidate_each():
    members = branch_of(9)
    posts = [CommitteePost(i, f"党员{i}", "委员", D(2024, 1, 1)) for i in (1, 2, 3)]
    at_committee = Meeting(
        types=frozenset({T.COMMITTEE}),
        date=DAY,
        attendance={1: PRESENT, 2: PRESENT, 3: PRESENT},
        resolutions=(Resolution("转正", ResolutionKind.CONFIRMATION, 8, votes_for=3),),
    )
    assert codes(at_committee, members, posts) == ["wrong_body"]
    meeting = general(
        {m.id: PRESENT for m in members},
        Resolution("接收", ResolutionKind.ADMISSION, None, votes_for=9, marked_passed=True),
        Resolution("接收", ResolutionKind.ADMISSION, 500, votes_for=9, marked_passed=True),
        Resolution("接收", ResolutionKind.ADMISSION, 500, votes_for=9, marked_passed=True),
    )
    assert codes(meeting, members) == ["no_candidate", "duplicate_candidate"]


def test_structure_problems():
    members = branch_of(6)
    no_committee = Meeting(types=frozenset({T.COMMITTEE}), date=DAY)
    assert codes(no_committee, members) == ["no_committee"]
    wrong_scope = Meeting(types=frozenset({T.GENERAL}), date=DAY, scope=Scope.GROUP, group_id=1)
    assert "scope" in codes(wrong_scope, members)
    no_group = Meeting(types=frozenset({T.GROUP}), date=DAY)
    assert codes(no_group, members) == ["no_group"]
    far_year = Meeting(types=frozenset({T.LECTURE}), date=DAY, belongs_to_year=2023)
    assert "year" in codes(far_year, members)
    study = Meeting(
        types=frozenset({T.LECTURE}),
        date=DAY,
        attendance={m.id: PRESENT for m in members},
        resolutions=(Resolution("学习", votes_for=6, marked_passed=True),),
    )
    assert codes(study, members) == ["no_body"]


def test_exclusion_needs_a_basis():
    members = branch_of(5)
    meeting = general(
        {m.id: PRESENT for m in members[:4]},
        excluded={5: Exclusion(ExclusionReason.ABROAD), 66: Exclusion(ExclusionReason.OTHER, "x")},
    )
    assert codes(meeting, members) == ["exclusion_basis", "exclusion"]


# --- the compliance calendar -----------------------------------------------------------------


def state(grid: Grid, label: str, period: str) -> CellState:
    (row,) = [r for r in grid.rows if r.label == label]
    (cell,) = [c for c in row.cells if c.period.label == period]
    return cell.state


def test_branch_of_six_full_members_has_no_committee_row():
    six = branch_of(6, n_probationary=3)
    posts = [CommitteePost(i, f"党员{i}", "委员", D(2024, 1, 1)) for i in (1, 2, 3)]
    assert not has_committee(roster_on(six, DAY), posts, DAY)
    grid = compliance_grid(2025, [], DEFAULT_FREQUENCIES, False, [], DAY)
    assert T.COMMITTEE not in {r.meeting_type for r in grid.rows}
    assert T.GROUP not in {r.meeting_type for r in grid.rows}  # no groups, no 党小组会 rows
    seven = branch_of(7)
    assert has_committee(roster_on(seven, DAY), posts, DAY)
    assert not has_committee(roster_on(seven, DAY), posts[:2], DAY)
    gone = [*posts[:2], CommitteePost(99, "已转出", "委员", D(2024, 1, 1))]
    assert not has_committee(roster_on(seven, DAY), gone, DAY)
    grid = compliance_grid(2025, [], DEFAULT_FREQUENCIES, True, [], DAY)
    assert T.COMMITTEE in {r.meeting_type for r in grid.rows}


def test_one_group_meeting_row_per_group():
    groups = [PartyGroup("第一党小组", id=1), PartyGroup("第二党小组", id=2)]
    held = Meeting(types=frozenset({T.GROUP}), date=D(2025, 3, 5), group_id=1)
    grid = compliance_grid(2025, [held], DEFAULT_FREQUENCIES, False, groups, DAY)
    labels = [r.label for r in grid.rows if r.meeting_type == T.GROUP]
    assert labels == ["党小组会（第一党小组）", "党小组会（第二党小组）"]
    assert state(grid, "党小组会（第一党小组）", "3月") == CellState.HELD
    assert state(grid, "党小组会（第二党小组）", "3月") == CellState.MISSING


def test_org_life_for_2025_held_in_january_2026_counts_for_2025():
    meeting = Meeting(types=frozenset({T.ORG_LIFE, T.THEME_DAY}), date=D(2026, 1, 15))
    assert meeting.belongs_to_year == 2025
    today = D(2026, 2, 1)
    grid_2025 = compliance_grid(2025, [meeting], DEFAULT_FREQUENCIES, False, [], today)
    assert state(grid_2025, "组织生活会", "2025年度") == CellState.HELD
    assert state(grid_2025, "民主评议党员", "2025年度") == CellState.NOT_YET_DUE  # until April
    grid_2026 = compliance_grid(2026, [meeting], DEFAULT_FREQUENCIES, False, [], today)
    assert state(grid_2026, "组织生活会", "2026年度") == CellState.NOT_YET_DUE
    # The 主题党日 part of the same event counts by its date: January 2026.
    assert state(grid_2026, "主题党日", "1月") == CellState.HELD
    assert state(grid_2025, "主题党日", "12月") == CellState.MISSING


def test_yearly_review_is_missing_after_the_grace_months():
    grid = compliance_grid(2025, [], DEFAULT_FREQUENCIES, False, [], D(2026, 3, 31))
    assert state(grid, "组织生活会", "2025年度") == CellState.NOT_YET_DUE
    grid = compliance_grid(2025, [], DEFAULT_FREQUENCIES, False, [], D(2026, 4, 1))
    assert state(grid, "组织生活会", "2025年度") == CellState.MISSING


def test_one_afternoon_counts_for_three_types():
    event = Meeting(types=frozenset({T.THEME_DAY, T.GENERAL, T.LECTURE}), date=D(2025, 5, 20), id=1)
    grid = compliance_grid(2025, [event], DEFAULT_FREQUENCIES, False, [], DAY)
    assert state(grid, "主题党日", "5月") == CellState.HELD
    assert state(grid, "支部党员大会", "第二季度") == CellState.HELD
    assert state(grid, "党课", "第二季度") == CellState.HELD
    assert state(grid, "主题党日", "4月") == CellState.MISSING
    assert state(grid, "党课", "第一季度") == CellState.MISSING
    (row,) = [r for r in grid.rows if r.meeting_type == T.LECTURE]
    assert row.cells[1].meeting_ids == (1,)


def test_current_period_is_not_yet_due_until_it_ends_unless_held():
    today = D(2025, 6, 20)
    grid = compliance_grid(2025, [], DEFAULT_FREQUENCIES, False, [], today)
    assert state(grid, "主题党日", "5月") == CellState.MISSING
    assert state(grid, "主题党日", "6月") == CellState.NOT_YET_DUE
    assert state(grid, "主题党日", "7月") == CellState.NOT_YET_DUE
    assert state(grid, "支部党员大会", "第二季度") == CellState.NOT_YET_DUE
    held = Meeting(types=frozenset({T.THEME_DAY}), date=D(2025, 6, 1))
    grid = compliance_grid(2025, [held], DEFAULT_FREQUENCIES, False, [], today)
    assert state(grid, "主题党日", "6月") == CellState.HELD
    grid = compliance_grid(2025, [], DEFAULT_FREQUENCIES, False, [], D(2025, 7, 1))
    assert state(grid, "主题党日", "6月") == CellState.MISSING


def test_a_planned_meeting_does_not_count_before_its_day():
    planned = Meeting(types=frozenset({T.THEME_DAY}), date=D(2025, 6, 25))
    grid = compliance_grid(2025, [planned], DEFAULT_FREQUENCIES, False, [], D(2025, 6, 20))
    assert state(grid, "主题党日", "6月") == CellState.NOT_YET_DUE
    grid = compliance_grid(2025, [planned], DEFAULT_FREQUENCIES, False, [], D(2025, 6, 25))
    assert state(grid, "主题党日", "6月") == CellState.HELD


def test_frequencies_are_configurable():
    frequencies = {**DEFAULT_FREQUENCIES, T.LECTURE: "month", T.THEME_DAY: None}
    grid = compliance_grid(2025, [], frequencies, False, [], DAY)
    (lecture,) = [r for r in grid.rows if r.meeting_type == T.LECTURE]
    assert len(lecture.cells) == 12 and lecture.frequency == "month"
    assert T.THEME_DAY not in {r.meeting_type for r in grid.rows}


def test_add_months_clamps_to_the_month_end():
    assert add_months(D(2025, 1, 31), 1) == D(2025, 2, 28)
    assert add_months(D(2024, 3, 31), -1) == D(2024, 2, 29)
    assert add_months(D(2025, 11, 15), 3) == D(2026, 2, 15)


# --- members without 组织生活 ------------------------------------------------------------------


def ids(inactive) -> set[int]:
    return {x.entry.member.id for x in inactive}


def test_three_and_six_months_without_activity():
    members = branch_of(4) + [full(5, join_date=D(2025, 5, 1), full_date=None)]
    meetings = [
        Meeting(types=frozenset({T.GENERAL}), date=D(2025, 1, 15), attendance={1: PRESENT}),
        Meeting(types=frozenset({T.LECTURE}), date=D(2025, 4, 15), attendance={2: PRESENT}),
        Meeting(types=frozenset({T.LECTURE}), date=D(2025, 6, 1), attendance={3: LEAVE}),
    ]
    today = D(2025, 7, 15)
    three, six = members_without_activity(roster_on(members, today), meetings, today)
    # 1: last 15 Jan → 6 months on 15 July; 2: 3 months on 15 July; 3, 4: never attended;
    # 5: joined 1 May, not yet 3 months.
    assert ids(three) == {2}
    assert ids(six) == {1, 3, 4}
    (one,) = [x for x in six if x.entry.member.id == 1]
    assert one.last_attended == D(2025, 1, 15)
    three, six = members_without_activity(roster_on(members, today), meetings, D(2025, 7, 14))
    assert ids(three) == {1} and ids(six) == {3, 4}


def test_activity_counts_from_transfer_in_and_from_the_books_start():
    newcomer = full(1, events=(MembershipEvent(EventKind.TRANSFER_IN, D(2025, 5, 1)),))
    old = full(2)
    today = D(2025, 7, 15)
    roster = roster_on([newcomer, old], today)
    three, six = members_without_activity(roster, [], today)
    assert ids(three) == set() and ids(six) == {2}
    three, six = members_without_activity(roster, [], today, since=D(2025, 3, 1))
    assert ids(three) == {2} and ids(six) == set()


def test_attendance_outside_the_meetings_scope_is_not_activity():
    members = [full(1, group_id=1), full(2, group_id=2), full(3)]
    other_group = Meeting(
        types=frozenset({T.GROUP}), date=D(2025, 6, 1), group_id=1, attendance={2: PRESENT}
    )
    committee = Meeting(types=frozenset({T.COMMITTEE}), date=D(2025, 6, 1), attendance={3: PRESENT})
    today = D(2025, 7, 15)
    roster = roster_on(members, today)
    meetings = [other_group, committee]
    _, six = members_without_activity(roster, meetings, today, committee_posts=[])
    assert ids(six) == {1, 2, 3}
    posts = [CommitteePost(3, "党员3", "书记", D(2024, 1, 1))]
    _, six = members_without_activity(roster, meetings, today, committee_posts=posts)
    assert ids(six) == {1, 2}


# --- properties -----------------------------------------------------------------------------

sizes = st.integers(min_value=0, max_value=300)


@given(sizes, st.data())
def test_quorum_is_monotone_in_attendance(n: int, data: st.DataObject):
    k = data.draw(st.integers(0, n))
    more = data.draw(st.integers(k, n))
    if quorum(n, k).ok:
        assert quorum(n, more).ok
    if election_quorum(n, k).ok:
        assert election_quorum(n, more).ok
    if committee_quorum(n, k).ok:
        assert committee_quorum(n, more).ok


@given(sizes, st.data())
def test_quorum_needed_is_the_least_present_that_suffices(n: int, data: st.DataObject):
    k = data.draw(st.integers(0, n))
    assume(n > 0)
    assert quorum(n, k).ok == (2 * k > n) == (k >= quorum(n, k).needed)
    assert election_quorum(n, k).ok == (5 * k >= 4 * n) == (k >= election_quorum(n, k).needed)
    strict = election_quorum(n, k, strictly_more=True)
    assert strict.ok == (5 * k > 4 * n) == (k >= strict.needed)


@given(st.integers(min_value=1, max_value=300))
def test_needed_is_exactly_the_threshold(n: int):
    for check in (quorum, election_quorum, committee_quorum):
        needed = check(n, 0).needed
        assert check(n, needed).ok and not check(n, needed - 1).ok
    strict = election_quorum(n, 0, strictly_more=True).needed
    assert election_quorum(n, strict, strictly_more=True).ok
    assert not election_quorum(n, strict - 1, strictly_more=True).ok
    for vote in (motion_passes, committee_motion_passes):
        needed = vote(0, n, n).needed
        assert vote(needed, n, n).ok and not vote(needed - 1, n, n).ok


@given(sizes, st.data())
def test_motion_never_passes_without_more_than_half_of_expected(n: int, data: st.DataObject):
    present = data.draw(st.integers(0, n))
    votes = data.draw(st.integers(0, present))
    written = data.draw(st.integers(0, n - present))
    result = motion_passes(votes, n, present, written_for=written)
    if 2 * (votes + written) <= n:
        assert not result.ok
    # The relation implemented: a vote at an inquorate meeting cannot pass.
    if result.ok:
        assert quorum(n, present).ok
    if quorum(n, present).ok and 2 * (votes + written) > n:
        assert result.ok


@given(sizes, st.data())
def test_election_and_committee_passing_need_their_quorum(n: int, data: st.DataObject):
    present = data.draw(st.integers(0, n))
    votes = data.draw(st.integers(0, present))
    if election_passes(votes, n, present).ok:
        assert election_quorum(n, present).ok and 2 * votes > present
    if committee_motion_passes(votes, n, present).ok:
        assert committee_quorum(n, present).ok and 2 * votes > n


statuses = st.sampled_from([None, PRESENT, LEAVE, ABSENT])


@given(
    st.lists(st.sampled_from(["full", "probationary", "watched"]), max_size=30),
    st.data(),
)
def test_counts_partition_the_expected(kinds: list[str], data: st.DataObject):
    makers = {"full": full, "probationary": probationary, "watched": watched}
    members = [makers[k](i + 1) for i, k in enumerate(kinds)]
    attendance = {}
    for m in members:
        status = data.draw(statuses)
        if status is not None:
            attendance[m.id] = status
    counts = counts_of(general(attendance), members)
    assert counts.expected == len(members)
    assert counts.present + counts.on_leave + counts.absent + counts.unrecorded == counts.expected
    assert counts.voting_expected == kinds.count("full")
    assert counts.voting_present <= min(counts.present, counts.voting_expected)


def meetings_strategy() -> st.SearchStrategy[Meeting]:
    return st.builds(
        Meeting,
        types=st.frozensets(st.sampled_from(list(MeetingType)), min_size=1),
        date=st.dates(D(2024, 10, 1), D(2026, 4, 30)),
        group_id=st.sampled_from([None, 1, 2]),
        id=st.integers(1, 10_000),
    )


GROUPS = [PartyGroup("第一党小组", id=1), PartyGroup("第二党小组", id=2)]
todays = st.dates(D(2025, 1, 1), D(2026, 6, 30))


def states(grid: Grid) -> dict[tuple[str, str], CellState]:
    return {(r.label, c.period.label): c.state for r in grid.rows for c in r.cells}


@given(st.lists(meetings_strategy(), max_size=12), meetings_strategy(), todays, st.booleans())
def test_adding_a_meeting_never_turns_a_held_cell_missing(
    meetings: list[Meeting], extra: Meeting, today: dt.date, committee: bool
):
    before = states(compliance_grid(2025, meetings, DEFAULT_FREQUENCIES, committee, GROUPS, today))
    after = states(
        compliance_grid(2025, [*meetings, extra], DEFAULT_FREQUENCIES, committee, GROUPS, today)
    )
    assert before.keys() == after.keys()
    for key, was in before.items():
        if was == CellState.HELD:
            assert after[key] == CellState.HELD
        if was == CellState.NOT_YET_DUE:
            assert after[key] != CellState.MISSING


@given(st.lists(meetings_strategy(), max_size=12), todays)
def test_every_past_cell_is_held_or_missing(meetings: list[Meeting], today: dt.date):
    grid = compliance_grid(2025, meetings, DEFAULT_FREQUENCIES, True, GROUPS, today)
    for row in grid.rows:
        for cell in row.cells:
            if today >= cell.period.due:
                assert cell.state in (CellState.HELD, CellState.MISSING)
            elif cell.state != CellState.HELD:
                assert cell.state == CellState.NOT_YET_DUE
            if cell.period.start > today:
                assert cell.state == CellState.NOT_YET_DUE


@given(st.dates(D(2000, 1, 1), D(2099, 12, 31)), st.frozensets(st.sampled_from(list(T))))
def test_default_year_is_this_or_the_previous_year(day: dt.date, types: frozenset[T]):
    assert default_year(types, day) in (day.year, day.year - 1)
    if day.month > 3:
        assert default_year(types, day) == day.year


@given(st.lists(meetings_strategy(), max_size=8), meetings_strategy(), todays)
def test_attending_one_more_meeting_never_adds_an_alarm(
    meetings: list[Meeting], extra: Meeting, today: dt.date
):
    members = [full(1, group_id=1), full(2, group_id=2), probationary(3, join_date=D(2024, 9, 1))]
    roster: list[RosterEntry] = roster_on(members, today)
    went = Meeting(
        types=extra.types,
        date=extra.date,
        group_id=extra.group_id,
        attendance={1: PRESENT, 2: PRESENT, 3: PRESENT},
    )
    three, six = members_without_activity(roster, meetings, today)
    three_after, six_after = members_without_activity(roster, [*meetings, went], today)
    assert ids(three_after) | ids(six_after) <= ids(three) | ids(six)
    assert ids(six_after) <= ids(six)
