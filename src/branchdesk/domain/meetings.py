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


def _group_of(entry: RosterEntry, groups_of_members: Mapping[int, int | None] | None) -> int | None:
    if groups_of_members is None:
        return entry.member.group_id
    return groups_of_members.get(entry.member.id) if entry.member.id is not None else None


def in_scope(
    meeting: Meeting,
    roster_entries: Iterable[RosterEntry],
    committee_posts: Iterable[CommitteePost],
    groups_of_members: Mapping[int, int | None] | None = None,
) -> list[RosterEntry]:
    """The members a meeting is for, before exclusions: the branch, the committee serving on
    the meeting date, or one 党小组. A committee member no longer on the roster is not 应到."""
    entries = list(roster_entries)
    if meeting.scope == Scope.COMMITTEE:
        serving = committee_ids_on(committee_posts, meeting.date)
        return [e for e in entries if e.member.id in serving]
    if meeting.scope == Scope.GROUP:
        if meeting.group_id is None:
            return []
        return [e for e in entries if _group_of(e, groups_of_members) == meeting.group_id]
    return entries


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
    entries = list(roster_entries)
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


# --- Quorum and passing --------------------------------------------------------------------


def more_than_half(k: int, n: int) -> bool:
    return 2 * k > n


def at_least_four_fifths(k: int, n: int) -> bool:
    return 5 * k >= 4 * n


def _fewest_over_half(n: int) -> int:
    return n // 2 + 1


def _fewest_four_fifths(n: int, strictly_more: bool) -> int:
    return 4 * n // 5 + 1 if strictly_more else (4 * n + 4) // 5


@dataclass(frozen=True)
class QuorumResult:
    ok: bool
    message: str
    expected: int  # the number the rule is taken of
    present: int
    needed: int  # the fewest present for ok


@dataclass(frozen=True)
class VoteResult:
    ok: bool
    message: str
    votes_for: int  # 赞成 as counted, written opinions included where they count
    base: int  # the number the majority is taken of
    needed: int  # the fewest 赞成 that pass
    quorate: bool


def quorum(voting_expected: int, voting_present: int) -> QuorumResult:
    """党员大会: a vote needs more than half of the voting members who should attend present.

    (The 条例 reads "半数以上"; like docs/domain.md we read it as strictly more than half.)
    """
    needed = _fewest_over_half(voting_expected)
    head = f"到会有表决权的正式党员{voting_present}人"
    if voting_expected <= 0:
        ok, msg = False, "没有应到会的有表决权的正式党员，不能进行表决。"
    elif more_than_half(voting_present, voting_expected):
        ok, msg = True, f"{head}，超过应到会{voting_expected}人的半数，可以进行表决。"
    else:
        ok = False
        msg = f"{head}，未超过应到会{voting_expected}人的半数（至少需{needed}人），不能进行表决。"
    return QuorumResult(ok, msg, voting_expected, voting_present, needed)


def election_quorum(
    voting_expected: int, voting_present: int, *, strictly_more: bool = False
) -> QuorumResult:
    """An election needs at least 4/5 of the voting members who should attend present.

    ``strictly_more`` reads the rule as "超过五分之四", the wording of the 1990 暂行条例 that
    some superiors still use; the default is docs/domain.md's "at least".
    """
    needed = _fewest_four_fifths(voting_expected, strictly_more)
    head = f"到会有选举权的党员{voting_present}人"
    if strictly_more:
        met = 5 * voting_present > 4 * voting_expected
    else:
        met = at_least_four_fifths(voting_present, voting_expected)
    reached, short = ("超过", "未超过") if strictly_more else ("达到", "不足")
    if voting_expected <= 0:
        ok, msg = False, "没有应到会的有选举权的党员，不能进行选举。"
    elif met:
        ok, msg = True, f"{head}，{reached}应到会{voting_expected}人的五分之四，可以进行选举。"
    else:
        ok = False
        msg = (
            f"{head}，{short}应到会{voting_expected}人的五分之四（至少需{needed}人），"
            "不能进行选举。"
        )
    return QuorumResult(ok, msg, voting_expected, voting_present, needed)


def committee_quorum(members_expected: int, members_present: int) -> QuorumResult:
    """A 支委会 needs more than half of the committee members present."""
    needed = _fewest_over_half(members_expected)
    head = f"到会委员{members_present}人"
    if members_expected <= 0:
        ok, msg = False, "该日没有在任的支部委员，不能召开支委会。"
    elif more_than_half(members_present, members_expected):
        ok, msg = True, f"{head}，超过应到会委员{members_expected}人的半数，会议有效。"
    else:
        ok = False
        msg = (
            f"{head}，未超过应到会委员{members_expected}人的半数（至少需{needed}人），"
            "不能作出决定。"
        )
    return QuorumResult(ok, msg, members_expected, members_present, needed)


def _inquorate(q: QuorumResult, votes: int, base: int, needed: int, end: str) -> VoteResult:
    message = q.message.removesuffix("。") + f"，{end}。"
    return VoteResult(False, message, votes, base, needed, False)


def _for_text(votes_for: int, written_for: int) -> str:
    extra = f"（含书面意见{written_for}票）" if written_for else ""
    return f"赞成{votes_for + written_for}票{extra}"


def motion_passes(
    votes_for: int, voting_expected: int, voting_present: int, *, written_for: int = 0
) -> VoteResult:
    """党员大会: passes when 赞成 (with ``written_for``, the written opinions of absent voting
    members for 发展/转正) is more than half of the voting members who should attend — not of
    those present: 20 expected, 11 present, 10 in favour fails.

    A vote at an inquorate meeting never passes, whatever the count: the rules on quorum
    and on majority are both required, so ``ok`` implies ``quorum(...).ok``.
    """
    tally = votes_for + written_for
    needed = _fewest_over_half(voting_expected)
    q = quorum(voting_expected, voting_present)
    if not q.ok:
        return _inquorate(q, tally, voting_expected, needed, "决议不能通过")
    head = _for_text(votes_for, written_for)
    base = f"应到会有表决权的正式党员{voting_expected}人的半数"
    if more_than_half(tally, voting_expected):
        msg = f"{head}，超过{base}，决议通过。"
        return VoteResult(True, msg, tally, voting_expected, needed, True)
    msg = f"{head}，未超过{base}（至少需{needed}票），决议未通过。"
    return VoteResult(False, msg, tally, voting_expected, needed, True)


def election_passes(
    votes_for: int, voting_expected: int, voting_present: int, *, strictly_more: bool = False
) -> VoteResult:
    """A candidate is elected with 赞成 more than half of the voting members *present*
    (选举工作条例), at a meeting with the 4/5 quorum."""
    needed = _fewest_over_half(voting_present)
    q = election_quorum(voting_expected, voting_present, strictly_more=strictly_more)
    if not q.ok:
        return _inquorate(q, votes_for, voting_present, needed, "选举无效")
    base = f"实到会有选举权的党员{voting_present}人的半数"
    if more_than_half(votes_for, voting_present):
        msg = f"赞成{votes_for}票，超过{base}，当选。"
        return VoteResult(True, msg, votes_for, voting_present, needed, True)
    msg = f"赞成{votes_for}票，未超过{base}（至少需{needed}票），未当选。"
    return VoteResult(False, msg, votes_for, voting_present, needed, True)


def committee_motion_passes(
    votes_for: int, members_expected: int, members_present: int
) -> VoteResult:
    """支委会: passes with 赞成 more than half of the committee members who should attend (the
    党组/党委 rule; the 支部条例 says only that a 支委会 needs more than half present).
    Written opinions of absent committee members do not count."""
    needed = _fewest_over_half(members_expected)
    q = committee_quorum(members_expected, members_present)
    if not q.ok:
        return _inquorate(q, votes_for, members_expected, needed, "决议不能通过")
    base = f"应到会委员{members_expected}人的半数"
    if more_than_half(votes_for, members_expected):
        msg = f"赞成{votes_for}票，超过{base}，决议通过。"
        return VoteResult(True, msg, votes_for, members_expected, needed, True)
    msg = f"赞成{votes_for}票，未超过{base}（至少需{needed}票），决议未通过。"
    return VoteResult(False, msg, votes_for, members_expected, needed, True)


_KIND_DECISION = {
    ResolutionKind.ADMISSION: "接收预备党员",
    ResolutionKind.CONFIRMATION: "预备党员转正",
    ResolutionKind.ELECTION: "选举",
}


def resolution_passes(
    meeting: Meeting, resolution: Resolution, counts: AttendanceCounts
) -> VoteResult:
    """Whether one resolution passes at this meeting, by the rules of its deciding body."""
    r = resolution
    body = meeting.decides_as
    if r.kind in GENERAL_MEETING_KINDS and body != MeetingType.GENERAL:
        msg = f"{_KIND_DECISION[r.kind]}须由支部党员大会表决，本次会议不能作出决定。"
        return VoteResult(False, msg, r.tally_for, 0, 0, False)
    if body is None:
        msg = "本次会议不是支部党员大会或支委会，不能作出决议。"
        return VoteResult(False, msg, r.tally_for, 0, 0, False)
    if r.kind == ResolutionKind.ELECTION:
        return election_passes(r.votes_for, counts.voting_expected, counts.voting_present)
    if body == MeetingType.COMMITTEE:
        return committee_motion_passes(r.votes_for, counts.expected, counts.present)
    written = r.written_for if r.kind in PERSONAL_KINDS else 0
    return motion_passes(
        r.votes_for, counts.voting_expected, counts.voting_present, written_for=written
    )


def meeting_quorum(meeting: Meeting, counts: AttendanceCounts) -> QuorumResult | None:
    """The quorum that governs the meeting's votes; None for a meeting that does not vote."""
    if meeting.decides_as == MeetingType.GENERAL:
        return quorum(counts.voting_expected, counts.voting_present)
    if meeting.decides_as == MeetingType.COMMITTEE:
        return committee_quorum(counts.expected, counts.present)
    return None


# --- What the chair announces and the minutes record -----------------------------------------


def chair_announcement(meeting: Meeting, counts: AttendanceCounts) -> str:
    """The counts the chair announces and the record states.

    At a 党员大会 the numbers are those of voting members: quorum and majority are both
    defined over them, and a head-count that included 预备党员 (who attend but do not vote)
    could call an inquorate meeting valid. Those without a vote are named apart.
    """
    left_out = f"经上级党组织同意不计入应到会人数{counts.excluded}人。" if counts.excluded else ""
    if meeting.decides_as == MeetingType.GENERAL:
        ve, vp = counts.voting_expected, counts.voting_present
        text = f"应到会有表决权的正式党员{ve}人，实到{vp}人，"
        if quorum(ve, vp).ok:
            text += "符合规定人数，会议有效。"
        else:
            text += "不足规定人数，不能进行表决。"
        if counts.non_voting_present:
            text += f"另有无表决权的党员{counts.non_voting_present}人到会。"
        if any(r.kind == ResolutionKind.ELECTION for r in meeting.resolutions):
            if election_quorum(ve, vp).ok:
                text += "到会人数达到应到会人数的五分之四，可以进行选举。"
            else:
                text += "到会人数不足应到会人数的五分之四，不能进行选举。"
        return text + left_out
    if meeting.decides_as == MeetingType.COMMITTEE:
        text = f"应到会委员{counts.expected}人，实到{counts.present}人，"
        if committee_quorum(counts.expected, counts.present).ok:
            return text + "符合规定人数，会议有效。" + left_out
        return text + "不足规定人数，不能作出决定。" + left_out
    text = f"应到{counts.expected}人，实到{counts.present}人"
    if counts.on_leave:
        text += f"，请假{counts.on_leave}人"
    if counts.absent:
        text += f"，缺席{counts.absent}人"
    return text + "。" + left_out


def vote_record(meeting: Meeting, resolution: Resolution, counts: AttendanceCounts) -> str:
    """表决情况 for the minutes. For 发展/转正 it states the voting full members present, and
    the written opinions of absent members, which are in the totals but not in 实到."""
    r = resolution
    personal = r.kind in PERSONAL_KINDS
    total_for = r.votes_for + (r.written_for if personal else 0)
    total_against = r.votes_against + (r.written_against if personal else 0)
    total_abstain = r.abstentions + (r.written_abstain if personal else 0)
    tally = f"赞成{total_for}票，反对{total_against}票，弃权{total_abstain}票"
    if personal and r.written:
        tally += (
            f"（含未到会党员书面意见{r.written}份：赞成{r.written_for}、"
            f"反对{r.written_against}、弃权{r.written_abstain}）"
        )
    if meeting.decides_as == MeetingType.COMMITTEE and r.kind not in GENERAL_MEETING_KINDS:
        head = f"应到会委员{counts.expected}人，实到会委员{counts.present}人"
    else:
        head = (
            f"应到会有表决权的正式党员{counts.voting_expected}人，"
            f"实到会有表决权的正式党员{counts.voting_present}人"
        )
    return f"表决情况：{head}；{tally}。"
