"""Whether the meeting book complies: one meeting's record, the year's calendar, each member.

- :func:`validate_meeting` lists every rule a meeting record breaks, in words the UI shows
  while the secretary types.
- :func:`compliance_grid` is the year at a glance: one row per required meeting type (one
  per 党小组 for 党小组会), one cell per month/quarter/year, held / missing / not yet due.
- :func:`members_without_activity` finds members with no 组织生活 for 3 or 6 months.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from branchdesk.domain.branch import COMMITTEE_MIN_FULL_MEMBERS, CommitteePost, PartyGroup
from branchdesk.domain.dates import format_cn
from branchdesk.domain.meetings import (
    GENERAL_MEETING_KINDS,
    PERSONAL_KINDS,
    AttendanceCounts,
    AttendanceStatus,
    ExpectedAttendees,
    Meeting,
    MeetingType,
    Resolution,
    ResolutionKind,
    Scope,
    attendance_counts,
    committee_ids_on,
    expected_attendees,
)
from branchdesk.domain.members import Category, EventKind, Member, RosterEntry
from branchdesk.domain.voting import resolution_passes

# --- One meeting's record ------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    code: str  # stable key, for tests and for the UI to place the message
    message: str
    member_id: int | None = None
    resolution_index: int | None = None  # 0-based index into meeting.resolutions


def validate_meeting(
    meeting: Meeting,
    roster_entries: Iterable[RosterEntry],
    committee_posts: Iterable[CommitteePost],
    groups_of_members: Mapping[int, int | None] | None = None,
) -> list[Problem]:
    """Every rule the record breaks; empty means it may be filed as it is.

    ``roster_entries`` is the roster on the meeting date. An inquorate meeting is not itself
    a problem (it may be minuted as a study session); a resolution recorded as passed at
    it is.
    """
    entries = list(roster_entries)
    posts = list(committee_posts)
    expected = expected_attendees(meeting, entries, posts, groups_of_members)
    counts = attendance_counts(meeting, expected)
    names = {e.member.id: e.member.name for e in entries if e.member.id is not None}
    return [
        *_structure_problems(meeting, posts),
        *_attendance_problems(meeting, expected, names),
        *_resolution_problems(meeting, counts),
    ]


#: One wording per problem, whether the rules panel or the save refuses it.
NO_TYPE = "会议类型：至少选择一种。"
NO_GROUP = "党小组：党小组会须选择是哪个党小组。"


def _structure_problems(meeting: Meeting, posts: Sequence[CommitteePost]) -> list[Problem]:
    out: list[Problem] = []
    types = meeting.types
    if not types:
        out.append(Problem("no_type", NO_TYPE))
    if MeetingType.GENERAL in types and meeting.scope != Scope.BRANCH:
        out.append(Problem("scope", "支部党员大会应由全体党员参加，参加范围应为“全体党员”。"))
    if MeetingType.COMMITTEE in types and meeting.scope != Scope.COMMITTEE:
        out.append(Problem("scope", "支委会的参加范围应为“支部委员会”。"))
    if MeetingType.GROUP in types and meeting.scope != Scope.GROUP:
        out.append(Problem("scope", "党小组会的参加范围应为一个党小组。"))
    if meeting.scope == Scope.GROUP and meeting.group_id is None:
        out.append(Problem("no_group", NO_GROUP))
    if MeetingType.COMMITTEE in types and not committee_ids_on(posts, meeting.date):
        out.append(
            Problem(
                "no_committee",
                f"{format_cn(meeting.date)}没有在任的支部委员会，不能召开支委会。",
            )
        )
    if meeting.belongs_to_year not in (meeting.date.year, meeting.date.year - 1):
        out.append(
            Problem(
                "year",
                f"所属年度{meeting.belongs_to_year}年不对：应为会议日期的当年或上一年"
                "（上一年度的组织生活会可在次年初召开）。",
            )
        )
    return out


def _attendance_problems(
    meeting: Meeting, expected: ExpectedAttendees, names: Mapping[int, str]
) -> list[Problem]:
    out: list[Problem] = []
    scope_ids = {e.member.id for e in expected.in_scope}
    for mid, record in meeting.attendance.items():
        if mid not in expected.roster_ids:
            out.append(
                Problem(
                    "not_on_roster",
                    f"会议当天不在本支部党员名册上的人员（编号{mid}）不能登记出缺席。",
                    member_id=mid,
                )
            )
        elif mid not in scope_ids and record.status != AttendanceStatus.PRESENT:
            out.append(
                Problem(
                    "not_in_scope",
                    f"{names[mid]}不是本次会议的应到人员，只能登记为出席（列席）。",
                    member_id=mid,
                )
            )
        elif record.status == AttendanceStatus.LEAVE and not record.reason.strip():
            out.append(Problem("leave_reason", f"{names[mid]}：请假应注明原因。", member_id=mid))
    for entry in expected.expected:
        eid = entry.member.id
        if eid is not None and eid not in meeting.attendance:
            out.append(
                Problem("unrecorded", f"{entry.member.name}：未登记出席情况。", member_id=eid)
            )
    excluded_ids = {x.entry.member.id for x in expected.excluded}
    for mid, exclusion in meeting.excluded.items():
        if mid not in expected.roster_ids:
            message = f"不计入应到会人数的人员（编号{mid}）会议当天不在本支部党员名册上。"
            out.append(Problem("exclusion", message, member_id=mid))
        elif mid not in scope_ids:
            message = f"{names[mid]}不在本次会议的参加范围内，无需不计入应到会人数。"
            out.append(Problem("exclusion", message, member_id=mid))
        elif mid in excluded_ids and not exclusion.basis.strip():
            message = f"{names[mid]}：不计入应到会人数，须注明上级党组织同意和党员大会通过的依据。"
            out.append(Problem("exclusion_basis", message, member_id=mid))
    return out


def _resolution_problems(meeting: Meeting, counts: AttendanceCounts) -> list[Problem]:
    out: list[Problem] = []
    seen: set[tuple[ResolutionKind, int]] = set()
    for i, r in enumerate(meeting.resolutions):

        def add(code: str, text: str, i: int = i) -> None:
            out.append(Problem(code, f"第{i + 1}项决议：{text}", resolution_index=i))

        if min(r.votes_for, r.votes_against, r.abstentions, *_written(r)) < 0:
            add("negative_count", "票数不能为负数。")
        if r.kind in PERSONAL_KINDS:
            if r.candidate_id is None:
                add("no_candidate", "须写明表决对象；每名对象单独表决。")
            elif (r.kind, r.candidate_id) in seen:
                add("duplicate_candidate", "同一对象在本次会议已有一项同类表决。")
            else:
                seen.add((r.kind, r.candidate_id))
        elif r.written:
            add(
                "written_not_allowed",
                "只有接收预备党员和预备党员转正时，未到会党员的书面意见才计入票数。",
            )
        by_committee = meeting.decides_as == MeetingType.COMMITTEE
        if by_committee and r.kind not in GENERAL_MEETING_KINDS:
            voters, who = counts.present, "到会委员"
        else:
            voters, who = counts.voting_present, "到会有表决权的正式党员"
        if r.cast > voters:
            add("too_many_votes", f"赞成、反对、弃权合计{r.cast}票，多于{who}{voters}人。")
        absent_voters = counts.voting_expected - counts.voting_present
        if r.kind in PERSONAL_KINDS and r.written > absent_voters:
            add(
                "too_many_written",
                f"书面意见{r.written}份，多于未到会的有表决权的正式党员{absent_voters}人。",
            )
        out.extend(_passing_problems(meeting, r, i, counts))
    return out


def _written(r: Resolution) -> tuple[int, int, int]:
    return r.written_for, r.written_against, r.written_abstain


def _passing_problems(
    meeting: Meeting, r: Resolution, i: int, counts: AttendanceCounts
) -> list[Problem]:
    head = f"第{i + 1}项决议："
    vote = resolution_passes(meeting, r, counts)
    if r.kind in GENERAL_MEETING_KINDS and meeting.decides_as != MeetingType.GENERAL:
        return [Problem("wrong_body", head + vote.message, resolution_index=i)]
    if meeting.decides_as is None:
        if r.marked_passed:
            return [Problem("no_body", head + vote.message, resolution_index=i)]
        return []
    if r.marked_passed and not vote.quorate:
        message = f"{head}记为通过，但{vote.message}会议可作为学习会记录保存。"
        return [Problem("inquorate_passed", message, resolution_index=i)]
    if r.marked_passed and not vote.ok:
        return [Problem("not_passing", f"{head}记为通过，但{vote.message}", resolution_index=i)]
    if not r.marked_passed and vote.ok:
        message = f"{head}{vote.message.removesuffix('。')}，却记为未通过。"
        return [Problem("passing_not_marked", message, resolution_index=i)]
    return []


# --- The year's calendar ---------------------------------------------------------------------

Frequency = Literal["month", "quarter", "year"]
Frequencies = Mapping[MeetingType, Frequency | None]

#: docs/domain.md defaults; a type missing from a branch's mapping is not required.
DEFAULT_FREQUENCIES: Frequencies = MappingProxyType(
    {
        MeetingType.GENERAL: "quarter",
        MeetingType.COMMITTEE: "month",
        MeetingType.GROUP: "month",
        MeetingType.LECTURE: "quarter",
        MeetingType.THEME_DAY: "month",
        MeetingType.ORG_LIFE: "year",
        MeetingType.APPRAISAL: "year",
        MeetingType.OTHER: None,
    }
)

#: A year's review (组织生活会, 民主评议) may be held up to the end of March of the next year,
#: so the year's cell stays 未到期 until then (matches meetings.default_year).
YEARLY_GRACE_MONTHS = 3
#: A committee has 3–5 members (支部工作条例); fewer posts recorded is not a committee.
COMMITTEE_MIN_SIZE = 3


class CellState(enum.StrEnum):
    HELD = "已开展"
    MISSING = "未开展"
    NOT_YET_DUE = "未到期"
    #: The group (or committee) did not exist for the whole period: nothing was due.
    NOT_REQUIRED = "无需开展"


@dataclass(frozen=True)
class Period:
    label: str
    start: dt.date
    end: dt.date  # inclusive
    due: dt.date  # from this day a period without a meeting is 未开展


@dataclass(frozen=True)
class Cell:
    period: Period
    state: CellState
    meeting_ids: tuple[int | None, ...] = ()


@dataclass(frozen=True)
class GridRow:
    meeting_type: MeetingType
    label: str
    frequency: Frequency
    cells: tuple[Cell, ...]
    group_id: int | None = None


@dataclass(frozen=True)
class Grid:
    year: int
    rows: tuple[GridRow, ...]

    def missing(self) -> list[tuple[GridRow, Cell]]:
        return [(row, c) for row in self.rows for c in row.cells if c.state == CellState.MISSING]


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's end (31 March + 1 → 30 April)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month + 1, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


_QUARTERS = ("第一季度", "第二季度", "第三季度", "第四季度")


def periods(year: int, frequency: Frequency, *, yearly_grace_months: int) -> list[Period]:
    first = dt.date(year, 1, 1)
    if frequency == "year":
        end = dt.date(year, 12, 31)
        due = add_months(first, 12 + yearly_grace_months)
        return [Period(f"{year}年度", first, end, due)]
    step = 1 if frequency == "month" else 3
    out = []
    for i in range(12 // step):
        start = add_months(first, i * step)
        due = add_months(first, (i + 1) * step)
        label = f"{start.month}月" if step == 1 else _QUARTERS[i]
        out.append(Period(label, start, due - dt.timedelta(days=1), due))
    return out


def has_committee(
    roster_entries: Iterable[RosterEntry], committee_posts: Iterable[CommitteePost], day: dt.date
) -> bool:
    """A branch has a 支委会 on ``day`` when it has at least 7 正式党员 and a committee of at
    least 3 members is serving. Under 7 it elects only a 书记 (and perhaps a 副书记)."""
    entries = list(roster_entries)
    full = sum(1 for e in entries if e.category == Category.FULL)
    return has_committee_of(full, (e.member.id or 0 for e in entries), committee_posts, day)


def has_committee_of(
    full_members: int,
    on_roll: Iterable[int],
    committee_posts: Iterable[CommitteePost],
    day: dt.date,
) -> bool:
    """`has_committee` from counts: ``full_members`` 正式党员 and the ids ``on_roll`` on ``day``."""
    serving = committee_ids_on(committee_posts, day) & set(on_roll)
    return full_members >= COMMITTEE_MIN_FULL_MEMBERS and len(serving) >= COMMITTEE_MIN_SIZE


def compliance_grid(
    year: int,
    meetings: Iterable[Meeting],
    frequencies: Frequencies,
    has_committee: bool,
    groups: Sequence[PartyGroup],
    today: dt.date,
    *,
    yearly_grace_months: int = YEARLY_GRACE_MONTHS,
    committee_on: Callable[[dt.date], bool] | None = None,
) -> Grid:
    """The year at a glance, following the branch's structure.

    Rows: each type with a frequency, in MeetingType order; no 支委会 row without a committee;
    one 党小组会 row per group (none without groups). A meeting counts once for each of its
    types. Yearly rows count meetings by 所属年度, the others by date.

    Cells: a period is 已开展 as soon as a meeting dated on or before ``today`` falls in it
    (a meeting dated later is only planned); otherwise it is 未开展 from its due date — the
    day after the period ends, or for a yearly row the day after the grace months of the
    next year — and 未到期 before. So the current month shows 未到期 until it ends unless it
    is already held, and a missing cell never turns back to 未到期.

    A 党小组 is due to meet only in periods it existed throughout (its 成立/撤销 dates), and
    the 支委会 only in periods ``committee_on`` (the committee serving on a day) holds at
    both ends; other periods are 无需开展 unless a meeting was held anyway.
    """
    held = [m for m in meetings if m.date <= today]
    rows: list[GridRow] = []
    for kind in MeetingType:
        frequency = frequencies.get(kind)
        if frequency is None or (kind == MeetingType.COMMITTEE and not has_committee):
            continue
        spans = periods(year, frequency, yearly_grace_months=yearly_grace_months)
        if kind == MeetingType.GROUP:
            for group in groups:
                if group.id is None:
                    continue
                of_group = [m for m in held if m.group_id == group.id]
                cells = _cells(
                    kind,
                    frequency,
                    spans,
                    of_group,
                    year,
                    today,
                    _group_required(group),
                )
                label = f"{kind.value}（{group.name}）"
                rows.append(GridRow(kind, label, frequency, cells, group.id))
        else:
            serving = committee_on if kind == MeetingType.COMMITTEE else None
            cells = _cells(
                kind,
                frequency,
                spans,
                held,
                year,
                today,
                _serving_required(serving) if serving else None,
            )
            rows.append(GridRow(kind, kind.value, frequency, cells))
    return Grid(year, tuple(rows))


def _group_required(group: PartyGroup) -> Callable[[Period], bool]:
    return lambda p: group.exists_throughout(p.start, p.end)


def _serving_required(serving: Callable[[dt.date], bool]) -> Callable[[Period], bool]:
    return lambda p: serving(p.start) and serving(p.end)


def _cells(
    kind: MeetingType,
    frequency: Frequency,
    spans: Sequence[Period],
    meetings: Sequence[Meeting],
    year: int,
    today: dt.date,
    required: Callable[[Period], bool] | None = None,
) -> tuple[Cell, ...]:
    of_kind = [m for m in meetings if kind in m.types]
    cells = []
    for span in spans:
        if frequency == "year":
            found = [m for m in of_kind if m.belongs_to_year == year]
        else:
            found = [m for m in of_kind if span.start <= m.date <= span.end]
        if found:
            state = CellState.HELD
        elif required is not None and not required(span):
            state = CellState.NOT_REQUIRED
        elif today >= span.due:
            state = CellState.MISSING
        else:
            state = CellState.NOT_YET_DUE
        cells.append(Cell(span, state, tuple(m.id for m in found)))
    return tuple(cells)


# --- Members without 组织生活 ------------------------------------------------------------------

INACTIVE_WARN_MONTHS = 3  # talk with the member and educate
INACTIVE_ACTION_MONTHS = 6  # organisational action
#: How far back attendance must be read to decide both lists: whoever attended nothing in
#: the last INACTIVE_ACTION_MONTHS (+1 for the day-of-month clamp) is on the longer list
#: whatever they did before.
INACTIVE_LOOKBACK_MONTHS = INACTIVE_ACTION_MONTHS + 1


@dataclass(frozen=True)
class Inactive:
    entry: RosterEntry
    last_attended: dt.date | None  # the last meeting attended, if any
    counted_from: dt.date | None  # the day the silence is counted from (None: unknown)


def entered_on(member: Member, today: dt.date) -> dt.date | None:
    """When the member's present stay in the branch began: the last 转入 on or before
    ``today``, else the 入党日期. Activity in another branch is not in this book."""
    transfers = [
        e.date for e in member.events if e.kind == EventKind.TRANSFER_IN and e.date <= today
    ]
    return max(transfers) if transfers else member.join_date


def _in_scope_of(
    meeting: Meeting,
    member: Member,
    serving: Mapping[dt.date, frozenset[int]] | None,
    groups_of_members: Mapping[int, int | None] | None,
) -> bool:
    if meeting.scope == Scope.GROUP:
        group = (
            member.group_id
            if groups_of_members is None or member.id is None
            else groups_of_members.get(member.id)
        )
        return meeting.group_id is not None and group == meeting.group_id
    if meeting.scope == Scope.COMMITTEE and serving is not None:
        return member.id in serving[meeting.date]
    return True


def members_without_activity(
    members_roster: Iterable[RosterEntry],
    meetings: Iterable[Meeting],
    today: dt.date,
    *,
    committee_posts: Iterable[CommitteePost] | None = None,
    groups_of_members: Mapping[int, int | None] | None = None,
    since: dt.date | None = None,
) -> tuple[list[Inactive], list[Inactive]]:
    """Members on the roll (``roster_on(members, today)``) with no 组织生活 attended for 3
    months and for 6 months — two disjoint lists: 3 to 6 months (talk with them), 6 or more
    (organisational action).

    组织生活 is 出席 at a meeting, on or before ``today``, whose scope included the member:
    the whole branch, their 党小组, or the committee if they served on it (without
    ``committee_posts`` a recorded 出席 at a 支委会 is trusted). The silence counts from the
    last such meeting, or from when the member entered the branch, or from ``since`` (the
    day this book began), whichever is latest. "3 months" ends on the same day of the month
    three months later: last attended 15 January, listed from 15 April.
    """
    posts = list(committee_posts) if committee_posts is not None else None
    usable = [m for m in meetings if m.date <= today]
    serving = None if posts is None else {m.date: committee_ids_on(posts, m.date) for m in usable}
    three: list[Inactive] = []
    six: list[Inactive] = []
    for entry in members_roster:
        member = entry.member
        attended = [
            m.date
            for m in usable
            if m.status_of(member.id) == AttendanceStatus.PRESENT
            and _in_scope_of(m, member, serving, groups_of_members)
        ]
        last = max(attended) if attended else None
        record = Inactive(entry, last, counted_from(entered_on(member, today), since))
        months = months_inactive(record.last_attended, record.counted_from, today)
        if months == INACTIVE_ACTION_MONTHS:
            six.append(record)
        elif months == INACTIVE_WARN_MONTHS:
            three.append(record)
    return three, six


def counted_from(entered: dt.date | None, since: dt.date | None) -> dt.date | None:
    """Silence counts from when the member entered the branch or the book began, the later."""
    starts = [d for d in (entered, since) if d is not None]
    return max(starts) if starts else None


def months_inactive(last: dt.date | None, counted: dt.date | None, today: dt.date) -> int:
    """INACTIVE_ACTION_MONTHS (6), INACTIVE_WARN_MONTHS (3) or 0: how long without 组织生活,
    from the last meeting attended or the day the silence is counted from."""
    reference = max(d for d in (last, counted, dt.date.min) if d is not None)
    if reference == dt.date.min or add_months(reference, INACTIVE_ACTION_MONTHS) <= today:
        return INACTIVE_ACTION_MONTHS
    if add_months(reference, INACTIVE_WARN_MONTHS) <= today:
        return INACTIVE_WARN_MONTHS
    return 0
