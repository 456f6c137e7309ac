"""The meeting book's rules: who should attend, quorum, votes, and what the chair announces.

Sources: 《中国共产党支部工作条例（试行）》第十一条 (党员大会: "半数以上有表决权的党员到会方可
进行，赞成人数超过应到会有表决权的党员的半数为通过"); 《发展党员工作细则》第二十四条 (written
opinions of absent members count in the tally; each candidate voted on separately); the
基层组织选举工作条例 (4/5 present to elect; elected with more than half of the voters present);
and the 中组部 answer on who may be left out of 应到 with the superior's consent.

All arithmetic is in integers: "more than half of n" is ``2 * k > n``, "at least 4/5 of n" is
``5 * k >= 4 * n``. The period calendar and the inactivity alarm live in ``compliance``.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from branchdesk.domain.branch import CommitteePost
from branchdesk.domain.members import Member, RosterEntry


class MeetingType(enum.StrEnum):
    GENERAL = "支部党员大会"
    COMMITTEE = "支委会"
    GROUP = "党小组会"
    LECTURE = "党课"
    THEME_DAY = "主题党日"
    ORG_LIFE = "组织生活会"
    APPRAISAL = "民主评议党员"
    OTHER = "其他"


#: Annual reviews, often held in the first months of the next year for the year before.
ANNUAL_REVIEW_TYPES = frozenset({MeetingType.ORG_LIFE, MeetingType.APPRAISAL})
#: Through this month an annual review is suggested as belonging to the previous year.
LATE_REVIEW_LAST_MONTH = 3


def default_year(types: Iterable[MeetingType], day: dt.date) -> int:
    """The 所属年度 to suggest: the previous year for an annual review held January–March."""
    if day.month <= LATE_REVIEW_LAST_MONTH and any(t in ANNUAL_REVIEW_TYPES for t in types):
        return day.year - 1
    return day.year


class Scope(enum.StrEnum):
    BRANCH = "全体党员"
    COMMITTEE = "支部委员会"
    GROUP = "党小组"


def default_scope(types: Iterable[MeetingType]) -> Scope:
    """Who a meeting of these types is for: a 党员大会 is the whole branch, then a 党小组会
    its group, then a 支委会 the committee; anything else (党课, 主题党日…) the whole branch."""
    kinds = set(types)
    if MeetingType.GENERAL in kinds:
        return Scope.BRANCH
    if MeetingType.GROUP in kinds:
        return Scope.GROUP
    if MeetingType.COMMITTEE in kinds:
        return Scope.COMMITTEE
    return Scope.BRANCH


class AttendanceStatus(enum.StrEnum):
    PRESENT = "出席"
    LEAVE = "请假"  # an absence with a reason
    ABSENT = "缺席"  # 无故缺席: the blameworthy one


@dataclass(frozen=True)
class Attendance:
    status: AttendanceStatus
    reason: str = ""


class ExclusionReason(enum.StrEnum):
    """The cases in which a member may be left out of 应到 (中组部 answer, 选举工作 practice)."""

    ILLNESS = "患病不能表达本人意志"
    ABROAD = "自费出国（境）半年以上"
    SENTENCE = "正在服刑或被拘留"
    BEDRIDDEN = "年老体弱卧床不起或长期生病生活不能自理"
    AWAY = "外出半年以上应转未转组织关系"
    OTHER = "其他"


@dataclass(frozen=True)
class Exclusion:
    """A member not counted in 应到: needs the superior's consent and a 党员大会 decision."""

    reason: ExclusionReason
    basis: str = ""  # e.g. “机关党委2025年3月1日同意，2025年3月10日党员大会通过”


class ResolutionKind(enum.StrEnum):
    GENERAL = "一般"
    ELECTION = "选举"
    ADMISSION = "发展"  # 接收预备党员
    CONFIRMATION = "转正"  # 预备党员转正


#: Decisions about one person, where absent voters' written opinions count (发展党员工作细则).
PERSONAL_KINDS = frozenset({ResolutionKind.ADMISSION, ResolutionKind.CONFIRMATION})


def candidate_problem(kind: ResolutionKind, member: Member, day: dt.date) -> str | None:
    """Why ``member`` is not someone this decision can be about on ``day``; None if they
    are. 发展: not yet a member (admitted at this meeting: their 入党日期 is its date).
    转正: a 预备党员 of the branch that day (or confirmed at this very meeting)."""
    from branchdesk.domain.dates import format_cn
    from branchdesk.domain.members import Category

    if kind == ResolutionKind.ADMISSION:
        if member.join_date is not None and member.join_date < day:
            since = member.full_date if member.category_on(day) == Category.FULL else None
            if since is not None:
                return f"{member.name}自{format_cn(since)}起已是正式党员，不是发展对象"
            return f"{member.name}已于{format_cn(member.join_date)}入党，不是发展对象"
        return None
    if kind == ResolutionKind.CONFIRMATION:
        if not member.belongs_on(day):
            return f"{member.name}在{format_cn(day)}不在本支部名册上"
        if member.full_date is not None and member.full_date < day:
            return f"{member.name}自{format_cn(member.full_date)}起已是正式党员，无需转正"
        if member.category_on(day) != Category.PROBATIONARY and member.full_date != day:
            return f"{member.name}不是预备党员"
    return None


def candidates_for(
    kind: ResolutionKind, members: Iterable[Member], day: dt.date
) -> list[Member]:
    """The people a 发展/转正 decision on ``day`` can be about."""
    return [m for m in members if candidate_problem(kind, m, day) is None]
#: Kinds only a 支部党员大会 may decide.
GENERAL_MEETING_KINDS = PERSONAL_KINDS | {ResolutionKind.ELECTION}


@dataclass(frozen=True)
class Resolution:
    """One motion and its tally. Counts at the meeting and written opinions are kept apart."""

    text: str
    kind: ResolutionKind = ResolutionKind.GENERAL
    candidate_id: int | None = None  # 发展/转正: the one person voted on; 选举: optional
    votes_for: int = 0
    votes_against: int = 0
    abstentions: int = 0
    written_for: int = 0  # written opinions sent in advance by absent voting members
    written_against: int = 0
    written_abstain: int = 0
    marked_passed: bool = False

    @property
    def tally_for(self) -> int:
        """赞成 as counted for passing: written opinions count only for 发展/转正."""
        return self.votes_for + (self.written_for if self.kind in PERSONAL_KINDS else 0)

    @property
    def cast(self) -> int:
        return self.votes_for + self.votes_against + self.abstentions

    @property
    def written(self) -> int:
        return self.written_for + self.written_against + self.written_abstain


K = TypeVar("K")
V = TypeVar("V")


class FrozenMap(Mapping[K, V]):
    """A read-only, hashable mapping that still copies and pickles (a mappingproxy does not)."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[K, V] | Iterable[tuple[K, V]] = ()) -> None:
        self._data: dict[K, V] = dict(data)

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(frozenset(self._data.items()))

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"

    def __reduce__(self) -> tuple[type[FrozenMap[K, V]], tuple[dict[K, V]]]:
        return (FrozenMap, (self._data,))


@dataclass(frozen=True)
class Meeting:
    """One event, possibly of several types at once (each counts), with one set of minutes.

    ``belongs_to_year`` 0 means "suggest it": :func:`default_year`; ``scope`` None means
    :func:`default_scope`. Both are filled in on creation, so a stored meeting is explicit.
    """

    types: frozenset[MeetingType]
    date: dt.date
    belongs_to_year: int = 0
    scope: Scope | None = None
    group_id: int | None = None  # the 党小组 whose meeting this is
    attendance: Mapping[int, Attendance] = field(default_factory=FrozenMap)
    excluded: Mapping[int, Exclusion] = field(default_factory=FrozenMap)
    resolutions: tuple[Resolution, ...] = ()
    title: str = ""
    id: int | None = None

    def __post_init__(self) -> None:
        # Mappings are copied read-only so a frozen meeting cannot change under the rules.
        object.__setattr__(self, "types", frozenset(self.types))
        object.__setattr__(self, "attendance", FrozenMap(self.attendance))
        object.__setattr__(self, "excluded", FrozenMap(self.excluded))
        object.__setattr__(self, "resolutions", tuple(self.resolutions))
        if not self.belongs_to_year:
            object.__setattr__(self, "belongs_to_year", default_year(self.types, self.date))
        if self.scope is None:
            object.__setattr__(self, "scope", default_scope(self.types))

    @property
    def decides_as(self) -> MeetingType | None:
        """The deciding body whose rules govern votes: 党员大会 before 支委会, else none."""
        for body in (MeetingType.GENERAL, MeetingType.COMMITTEE):
            if body in self.types:
                return body
        return None

    def status_of(self, member_id: int | None) -> AttendanceStatus | None:
        record = self.attendance.get(member_id) if member_id is not None else None
        return record.status if record else None


# --- 应到 and the counts -------------------------------------------------------------------


@dataclass(frozen=True)
class Excluded:
    entry: RosterEntry
    exclusion: Exclusion


@dataclass(frozen=True)
class ExpectedAttendees:
    """应到, and apart from it those left out of it with the superior's consent."""

    expected: tuple[RosterEntry, ...]
    excluded: tuple[Excluded, ...]
    in_scope: tuple[RosterEntry, ...]  # expected + excluded: the meeting's audience
    roster_ids: frozenset[int] = frozenset()  # everyone on the roster that day

    @property
    def voting(self) -> tuple[RosterEntry, ...]:
        return tuple(e for e in self.expected if e.has_vote)

    def ids(self) -> frozenset[int]:
        return frozenset(e.member.id for e in self.expected if e.member.id is not None)


def committee_ids_on(committee_posts: Iterable[CommitteePost], day: dt.date) -> frozenset[int]:
    """Members holding a committee post on ``day`` (one person may hold two posts)."""
    return frozenset(p.member_id for p in committee_posts if p.serving_on(day))


def in_scope(
    meeting: Meeting,
    roster_entries: Iterable[RosterEntry],
    committee_posts: Iterable[CommitteePost],
    groups_of_members: Mapping[int, int | None] | None = None,
) -> list[RosterEntry]:
    """The members a meeting is for, before exclusions: the branch, the committee serving on
    the meeting date, or one 党小组. A committee member no longer on the roster is not 应到."""
    entries = roster_entries if isinstance(roster_entries, list) else list(roster_entries)
    if meeting.scope == Scope.COMMITTEE:
        serving = committee_ids_on(committee_posts, meeting.date)
        return [e for e in entries if e.member.id in serving]
    if meeting.scope == Scope.GROUP:
        group = meeting.group_id
        if group is None:
            return []
        if groups_of_members is None:
            return [e for e in entries if e.member.group_id == group]
        # A year's volume asks this of every member for each of hundreds of 党小组会.
        group_of = groups_of_members.get
        return [e for e in entries if e.member.id is not None and group_of(e.member.id) == group]
    return list(entries)


def expected_attendees(
    meeting: Meeting,
    roster_entries: Iterable[RosterEntry],
    committee_posts: Iterable[CommitteePost],
    groups_of_members: Mapping[int, int | None] | None = None,
) -> ExpectedAttendees:
    """应到 for a meeting. ``roster_entries`` must be ``roster_on(members, meeting.date)``:
    a past meeting counts the people who belonged then. ``groups_of_members`` maps member id
    → 党小组 id on that date; without it each member's current group is used.

    An excluded member who nevertheless attends counts in 应到 again (and in 实到): the
    exclusion exists so that absence cannot make a meeting inquorate, never to drop a
    present member's vote.
    """
    entries = roster_entries if isinstance(roster_entries, list) else list(roster_entries)
    scope = in_scope(meeting, entries, committee_posts, groups_of_members)
    expected: list[RosterEntry] = []
    excluded: list[Excluded] = []
    for entry in scope:
        mid = entry.member.id
        exclusion = meeting.excluded.get(mid) if mid is not None else None
        if exclusion is not None and meeting.status_of(mid) != AttendanceStatus.PRESENT:
            excluded.append(Excluded(entry, exclusion))
        else:
            expected.append(entry)
    roster_ids = frozenset(e.member.id for e in entries if e.member.id is not None)
    return ExpectedAttendees(tuple(expected), tuple(excluded), tuple(scope), roster_ids)


@dataclass(frozen=True)
class AttendanceCounts:
    """Counts for the minutes, computed from attendance, never typed."""

    expected: int  # 应到
    present: int  # 实到
    on_leave: int  # 请假
    absent: int  # 无故缺席
    unrecorded: int  # 应到 but nothing recorded yet
    voting_expected: int  # 应到会有表决权的正式党员
    voting_present: int  # 实到会有表决权的正式党员
    excluded: int  # 不计入应到
    guests: int  # present, on the roster, outside the scope: 列席

    @property
    def not_present(self) -> int:
        """缺席 in the wide sense of the minutes header: 应到 − 实到."""
        return self.expected - self.present

    @property
    def non_voting_present(self) -> int:
        return self.present - self.voting_present


def attendance_counts(meeting: Meeting, expected: ExpectedAttendees) -> AttendanceCounts:
    rows = [(e.has_vote, meeting.status_of(e.member.id)) for e in expected.expected]
    scope_ids = {e.member.id for e in expected.in_scope}
    guests = sum(
        1
        for mid, record in meeting.attendance.items()
        if mid in expected.roster_ids
        and mid not in scope_ids
        and record.status == AttendanceStatus.PRESENT
    )
    present = AttendanceStatus.PRESENT
    return AttendanceCounts(
        expected=len(rows),
        present=sum(1 for _, s in rows if s == present),
        on_leave=sum(1 for _, s in rows if s == AttendanceStatus.LEAVE),
        absent=sum(1 for _, s in rows if s == AttendanceStatus.ABSENT),
        unrecorded=sum(1 for _, s in rows if s is None),
        voting_expected=sum(1 for vote, _ in rows if vote),
        voting_present=sum(1 for vote, s in rows if vote and s == present),
        excluded=len(expected.excluded),
        guests=guests,
    )


#: Quorum and passing are in ``domain.voting``.
__all__ = [
    "ANNUAL_REVIEW_TYPES",
    "Attendance",
    "AttendanceCounts",
    "AttendanceStatus",
    "Excluded",
    "Exclusion",
    "ExclusionReason",
    "ExpectedAttendees",
    "FrozenMap",
    "GENERAL_MEETING_KINDS",
    "LATE_REVIEW_LAST_MONTH",
    "Meeting",
    "MeetingType",
    "PERSONAL_KINDS",
    "Resolution",
    "ResolutionKind",
    "Scope",
    "attendance_counts",
    "committee_ids_on",
    "default_scope",
    "default_year",
    "expected_attendees",
    "in_scope",
]
