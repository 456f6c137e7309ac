"""谈心谈话: the talk record, who must talk with whom in a year (the coverage matrix), and
the talks that events require (转入, 转正, 处分, 民主评议 result …).

These are the branch's heart-to-heart talks. They are **not** the disciplinary 约谈 /
诫勉谈话 of the discipline inspector, which do not belong in this book.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from branchdesk.domain.branch import CommitteePost
from branchdesk.domain.dates import format_cn
from branchdesk.domain.members import EventKind, Member
from branchdesk.domain.strokes import sort_by_strokes

#: What the talk form says wherever the two could be confused.
NOT_DISCIPLINARY = (
    "本记录为党组织谈心谈话，不是纪律检查中的约谈、诫勉谈话；约谈、诫勉谈话由纪检委员按有关规定办理，"
    "不在本账簿记录。"
)

DAILY = "日常谈心"
PRE_MEETING = "会前谈心"
JOB_CHANGE = "岗位变动"
TRANSFER_IN = "组织关系转入"
AWARD_OR_DISCIPLINE = "受表彰或处分"
HARDSHIP = "家庭困难"
CONFLICT = "思想波动或矛盾"
CONFIRMATION = "转正或延长预备期"
FEEDBACK = "民主评议结果反馈"

#: The default list of kinds (editable in 设置): 日常谈心, the 必谈 occasions, 会前谈心.
DEFAULT_KINDS: tuple[str, ...] = (
    DAILY,
    JOB_CHANGE,
    TRANSFER_IN,
    AWARD_OR_DISCIPLINE,
    HARDSHIP,
    CONFLICT,
    CONFIRMATION,
    FEEDBACK,
    PRE_MEETING,
)
#: Kinds the rules themselves use: they stay in the list whatever the user edits.
FIXED_KINDS: tuple[str, ...] = (DAILY, TRANSFER_IN, AWARD_OR_DISCIPLINE, CONFIRMATION, FEEDBACK,
                                PRE_MEETING)  # fmt: skip

SECRETARY = "书记"
#: Roster event kind (not in the roster's own list yet) that also requires a talk.
EXTENDED_PROBATION = "延长预备期"


@dataclass(frozen=True)
class Talk:
    """One talk. ``talkers`` (谈话人) and ``others`` (谈话对象) are member ids."""

    date: dt.date
    talkers: tuple[int, ...]
    others: tuple[int, ...]
    kind: str = DAILY
    topic: str = ""
    place: str = ""
    summary: str = ""  # 谈话内容要点
    views: str = ""  # 对方的意见和诉求
    follow_up: str = ""  # 后续措施
    result: str = ""  # 落实情况
    result_date: dt.date | None = None
    #: The 组织生活会 year a 会前谈心 prepares (that meeting may be held in January of the
    #: next year); otherwise the talk's own year.
    year: int | None = None
    id: int | None = None

    @property
    def belongs_to_year(self) -> int:
        return self.year or self.date.year

    def pairs(self) -> set[frozenset[int]]:
        """The pairs this talk covers (both ways): each 谈话人 with each 谈话对象."""
        return {frozenset((t, o)) for t in self.talkers for o in self.others if t != o}


def talk_problems(talk: Talk, kinds: Sequence[str] = DEFAULT_KINDS) -> list[str]:
    """What keeps a talk from being recorded, each naming the field."""
    problems = []
    if not talk.talkers:
        problems.append("谈话人：至少填写一人")
    if not talk.others:
        problems.append("谈话对象：至少填写一人")
    if set(talk.talkers) & set(talk.others):
        problems.append("谈话对象：不能与谈话人是同一人")
    if not talk.kind.strip():
        problems.append("谈话类型：不能为空")
    elif talk.kind not in kinds and talk.kind not in FIXED_KINDS:
        problems.append(f"谈话类型：“{talk.kind}”不在谈话类型列表中")
    if not talk.topic.strip():
        problems.append("谈话主题：不能为空")
    if talk.result_date is not None and talk.result_date < talk.date:
        problems.append("落实日期：早于谈话日期")
    return problems


# ---------------------------------------------------------------------------------------------
# who belonged when


Span = tuple[dt.date, dt.date]  # both days included


def spans_in(member: Member, start: dt.date, end: dt.date) -> list[Span]:
    """The stretches of [start, end] during which ``member`` was on the roll.

    Membership changes only on the 入党日期 and on event dates, so it is read once per
    stretch between those days rather than once per day.
    """
    cuts = {start}
    if member.join_date and start < member.join_date <= end:
        cuts.add(member.join_date)
    cuts.update(e.date for e in member.events if start < e.date <= end)
    points = sorted(cuts)
    out: list[Span] = []
    for i, day in enumerate(points):
        last = points[i + 1] - dt.timedelta(days=1) if i + 1 < len(points) else end
        if member.belongs_on(day):
            if out and out[-1][1] + dt.timedelta(days=1) == day:
                out[-1] = (out[-1][0], last)
            else:
                out.append((day, last))
    return out


def _overlap(a: Sequence[Span], b: Sequence[Span]) -> list[Span]:
    out = []
    for a0, a1 in a:
        for b0, b1 in b:
            lo, hi = max(a0, b0), min(a1, b1)
            if lo <= hi:
                out.append((lo, hi))
    return out


def _post_spans(post: CommitteePost, start: dt.date, end: dt.date) -> list[Span]:
    lo = max(start, post.term_start or start)
    hi = min(end, post.term_end or end)
    return [(lo, hi)] if lo <= hi else []


# ---------------------------------------------------------------------------------------------
# coverage


@dataclass(frozen=True)
class CoverageRules:
    """Who must talk with whom in a year. Defaults from the published schemes; each a
    setting (设置 → 谈心谈话)."""

    #: Talks needed per pair in a year (local rules say once or twice).
    minimum: int = 1
    #: 书记 ↔ every committee member and every member.
    secretary_with_all: bool = True
    #: Every committee member ↔ every other committee member.
    committee_with_each_other: bool = True
    #: Every committee member ↔ every member (off by default; some local rules ask it).
    committee_with_members: bool = False

    def __post_init__(self) -> None:
        if self.minimum not in (1, 2):
            raise ValueError("每对谈话人每年至少谈话次数只能是 1 或 2")


@dataclass(frozen=True)
class PairCell:
    talker: int
    other: int
    needed: int  # 0: not required
    done: int

    @property
    def state(self) -> str:
        """ "done" (green), "missing" (red) or "not_required" (grey)."""
        if self.needed == 0:
            return "not_required"
        return "done" if self.done >= self.needed else "missing"


@dataclass(frozen=True)
class Coverage:
    year: int
    #: Row heads: who must talk with others (书记 first, then the committee), member ids.
    talkers: tuple[int, ...]
    #: Columns: everyone on the roll at some time in the year, member ids.
    members: tuple[int, ...]
    #: Required pairs, keyed (talker, other) as the matrix shows them.
    required: Mapping[tuple[int, int], int]
    #: Talks counted per pair (both ways), within the year.
    counts: Mapping[frozenset[int], int]

    def cell(self, talker: int, other: int) -> PairCell:
        needed = self.required.get((talker, other), 0) if talker != other else 0
        if not needed and talker != other:
            needed = self.required.get((other, talker), 0)
        done = self.counts.get(frozenset((talker, other)), 0) if talker != other else 0
        return PairCell(talker, other, needed, done)

    def pairs(self) -> list[PairCell]:
        """Every required pair once, in the matrix order."""
        return [
            PairCell(t, o, n, self.counts.get(frozenset((t, o)), 0))
            for (t, o), n in self.required.items()
        ]

    def missing(self) -> list[PairCell]:
        return [p for p in self.pairs() if p.state == "missing"]

    def missing_for(self, member: int) -> list[PairCell]:
        return [p for p in self.missing() if member in (p.talker, p.other)]


def coverage(
    year: int,
    members: Iterable[Member],
    committee: Iterable[CommitteePost],
    talks: Iterable[Talk],
    rules: CoverageRules = CoverageRules(),  # noqa: B008 - frozen, so one shared default is safe
    *,
    until: dt.date | None = None,
    counts: Mapping[frozenset[int], int] | None = None,
) -> Coverage:
    """The year's coverage matrix.

    A pair is required when both were on the roll at the same time during the year and the
    talker held the post (书记 / 委员) then: someone who left in March keeps their cells for
    the months they belonged, someone who joined in November is still due. ``until`` (e.g.
    the 组织生活会 date) ends the year early for both the roll and the talks counted.
    """
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if until is not None:
        end = min(end, until)
    by_id = {m.id: m for m in members if m.id is not None}
    spans = {mid: s for mid, m in by_id.items() if (s := spans_in(m, start, end))}
    posts = [p for p in committee if p.member_id in spans]
    # A person's service on the committee, and as 书记, within the year and on the roll.
    serving: dict[int, list[Span]] = {}
    secretary: dict[int, list[Span]] = {}
    order: list[int] = []
    for p in sorted(posts, key=lambda p: (p.post != SECRETARY,)):
        s = _overlap(_post_spans(p, start, end), spans[p.member_id])
        if not s:
            continue
        serving.setdefault(p.member_id, []).extend(s)
        if p.post == SECRETARY:
            secretary.setdefault(p.member_id, []).extend(s)
        if p.member_id not in order:
            order.append(p.member_id)
    required: dict[tuple[int, int], int] = {}
    seen: set[frozenset[int]] = set()

    def need(talker: int, other: int) -> None:
        key = frozenset((talker, other))
        if talker != other and key not in seen:
            seen.add(key)
            required[(talker, other)] = rules.minimum

    for t in order:
        for o in spans:
            if rules.secretary_with_all and t in secretary and _overlap(secretary[t], spans[o]):
                need(t, o)
            elif o in serving:
                if rules.committee_with_each_other and _overlap(serving[t], serving[o]):
                    need(t, o)
            elif rules.committee_with_members and _overlap(serving[t], spans[o]):
                need(t, o)
    if counts is not None:
        return Coverage(year, tuple(order), tuple(_columns(spans, serving, order, by_id)),
                        required, dict(counts))  # fmt: skip
    counted: Counter[frozenset[int]] = Counter()
    for talk in talks:
        # A talk counts for its 所属年度: a 会前谈心 in January prepares last year's meeting.
        if talk.belongs_to_year != year or (until is not None and talk.date > until):
            continue
        for pair in talk.pairs():
            counted[pair] += 1
    columns = _columns(spans, serving, order, by_id)
    return Coverage(year, tuple(order), tuple(columns), required, dict(counted))


def _columns(
    spans: Mapping[int, object], serving: Mapping[int, object], order: Sequence[int],
    by_id: Mapping[int, Member],
) -> list[int]:  # fmt: skip
    """The committee in post order, then everyone else in 姓氏笔画 order."""
    rest = sort_by_strokes((i for i in spans if i not in serving), key=lambda i: by_id[i].name)
    return [*order, *rest]


# ---------------------------------------------------------------------------------------------
# talks that events require


@dataclass(frozen=True)
class DueRules:
    """Days within which an occasion's talk is due (each a setting)."""

    transfer_in: int = 30
    confirmation: int = 30
    discipline: int = 30
    feedback: int = 30
    #: Occasions older than this many days are no longer listed (an imported history would
    #: otherwise flood the 工作台 with events from years ago).
    horizon: int = 365


@dataclass(frozen=True)
class Occasion:
    """Something that happened to a member and requires a talk of ``kind``."""

    member_id: int
    kind: str  # the talk kind that answers it
    reason: str
    since: dt.date
    days: int


@dataclass(frozen=True)
class DueTalk:
    member_id: int
    name: str
    kind: str
    reason: str
    since: dt.date
    due: dt.date

    def overdue_on(self, day: dt.date) -> bool:
        return day > self.due

    @property
    def text(self) -> str:
        return f"{self.name}：{self.reason}，应于{format_cn(self.due)}前进行“{self.kind}”谈话"


def event_occasions(members: Iterable[Member], rules: DueRules = DueRules()) -> list[Occasion]:  # noqa: B008
    """Occasions from roster events: 转入, 转正 / 延长预备期, 留党察看."""
    out = []
    for m in members:
        if m.id is None:
            continue
        for e in m.events:
            kind = str(e.kind)
            if kind == EventKind.TRANSFER_IN:
                out.append(Occasion(m.id, TRANSFER_IN, "组织关系转入", e.date, rules.transfer_in))
            elif kind in (EventKind.CONFIRMED, EXTENDED_PROBATION):
                out.append(Occasion(m.id, CONFIRMATION, kind, e.date, rules.confirmation))
            elif kind == EventKind.PROBATION:
                out.append(Occasion(m.id, AWARD_OR_DISCIPLINE, "受留党察看处分", e.date,
                                    rules.discipline))  # fmt: skip
    return out


def feedback_occasions(
    results: Iterable[tuple[int, str, dt.date]],
    rules: DueRules = DueRules(),  # noqa: B008
) -> list[Occasion]:
    """Occasions from 民主评议 results: (member id, final rating, date decided); 基本合格 and
    不合格 need a feedback talk."""
    return [
        Occasion(mid, FEEDBACK, f"民主评议被评为{rating}", day, rules.feedback)
        for mid, rating, day in results
        if rating in ("基本合格", "不合格")
    ]


def due_talks(
    occasions: Iterable[Occasion],
    members: Iterable[Member],
    talks: Iterable[Talk],
    today: dt.date,
    rules: DueRules = DueRules(),  # noqa: B008
    *,
    last_held: Mapping[tuple[int, str], dt.date] | None = None,
) -> list[DueTalk]:
    """Occasions still waiting for their talk, soonest due first.

    An occasion is answered by a talk of its kind with that person (on either side) held
    on or after the occasion's date. Someone no longer on the roll today is not listed, nor
    an occasion in the future or older than ``rules.horizon`` days. ``last_held`` (the
    latest talk per (member, kind), read by the store) replaces ``talks`` when given.
    """
    by_id = {m.id: m for m in members}
    held: dict[tuple[int, str], list[dt.date]] = {}
    if last_held is not None:
        held = {key: [day] for key, day in last_held.items()}
    for t in talks:
        for mid in (*t.talkers, *t.others):
            held.setdefault((mid, t.kind), []).append(t.date)
    out = []
    for o in occasions:
        m = by_id.get(o.member_id)
        if m is None or o.since > today or (today - o.since).days > rules.horizon:
            continue
        if not m.belongs_on(today):
            continue
        if any(d >= o.since for d in held.get((o.member_id, o.kind), ())):
            continue
        due = o.since + dt.timedelta(days=o.days)
        out.append(DueTalk(o.member_id, m.name, o.kind, o.reason, o.since, due))
    return sorted(out, key=lambda d: (d.due, d.name))


# ---------------------------------------------------------------------------------------------
# the 工作台: members not talked with this year


@dataclass(frozen=True)
class NotTalkedWith:
    member_id: int
    missing: int  # required pairs with this member still missing


def not_talked_with(cov: Coverage) -> list[NotTalkedWith]:
    """Members (columns) with at least one required pair still missing."""
    counts: Counter[int] = Counter()
    for p in cov.missing():
        counts[p.other] += 1
    return [NotTalkedWith(mid, counts[mid]) for mid in cov.members if counts[mid]]
