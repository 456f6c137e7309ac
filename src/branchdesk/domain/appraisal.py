"""民主评议党员 (the annual appraisal) and the 组织生活会 cycle around it: who takes part and
who is rated, the ballot tallies, the checks on the ratings (each explained in words), the
steps of a session, and the 整改清单 after the 组织生活会.

Nothing here decides a rating: tallies, points, attendance and talks are shown to the
committee as reference; the committee proposes and the 党员大会 decides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from branchdesk.domain.dates import format_cn
from branchdesk.domain.members import Category, RosterEntry

EXCELLENT = "优秀"
QUALIFIED = "合格"
BASIC = "基本合格"
UNQUALIFIED = "不合格"
RATINGS: tuple[str, ...] = (EXCELLENT, QUALIFIED, BASIC, UNQUALIFIED)
#: How a 不合格 member is dealt with (《关于做好民主评议党员工作的意见》, local wording).
HANDLINGS: tuple[str, ...] = ("限期改正", "劝其退党", "除名", "其他")

STEPS: tuple[str, ...] = (
    "学习动员",
    "个人自评",
    "党员互评",
    "民主测评",
    "支委会提出等次意见",
    "支部党员大会审议",
    "结果反馈",
    "上报",
)
#: The step linked to the meeting record that decided the ratings.
MEETING_STEP = "支部党员大会审议"
NOT_STARTED, IN_PROGRESS, DONE = "未开始", "进行中", "已完成"
STEP_STATES: tuple[str, ...] = (NOT_STARTED, IN_PROGRESS, DONE)

#: The rule as the published opinions word it; named in every message about it.
EXCELLENT_RULE = "优秀一般不超过参评党员的三分之一"
DEFAULT_EXCELLENT_SHARE = Fraction(1, 3)
PROBATIONARY_RULE = "预备党员参加民主评议，但不评定等次"
UNQUALIFIED_RULE = "评为不合格的党员须记录组织处置方式（限期改正、劝其退党、除名等）"


def parse_share(text: str) -> Fraction:
    """ "1/3" → Fraction(1, 3); refuses shares outside (0, 1]."""
    try:
        share = Fraction(text.strip())
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"优秀比例：“{text}”不是分数（例如 1/3）") from None
    if not 0 < share <= 1:
        raise ValueError(f"优秀比例：{text} 应大于 0 且不超过 1")
    return share


def share_text(share: Fraction) -> str:
    names = {Fraction(1, 3): "三分之一", Fraction(1, 4): "四分之一", Fraction(1, 2): "二分之一"}
    return names.get(share, f"{share.numerator}/{share.denominator}")


@dataclass(frozen=True)
class Participant:
    member_id: int
    name: str
    category: Category
    #: 预备党员 take part but are not rated.
    rated: bool
    excluded_reason: str = ""  # set: listed apart, neither voting nor rated


def participants(
    roster: Iterable[RosterEntry], excluded: Mapping[int, str] | None = None
) -> list[Participant]:
    """Everyone on the roll on the session date (``roster_on(members, date)``): 正式党员 are
    rated, 预备党员 take part unrated, those excluded (long illness, abroad) are listed apart."""
    excluded = excluded or {}
    out = []
    for e in roster:
        mid = e.member.id
        if mid is None:
            continue
        reason = excluded.get(mid, "")
        rated = e.category == Category.FULL and not reason
        out.append(Participant(mid, e.member.name, e.category, rated, reason))
    return out


@dataclass(frozen=True)
class Tally:
    """The ballot counts of one member."""

    member_id: int
    counts: Mapping[str, int] = field(default_factory=dict)

    def count(self, rating: str) -> int:
        return int(self.counts.get(rating, 0))

    @property
    def total(self) -> int:
        return sum(self.count(r) for r in RATINGS)


def ballot_problems(issued: int, returned: int) -> list[str]:
    problems = []
    if issued < 0 or returned < 0:
        problems.append("发出票数和收回票数不能为负数")
    if returned > issued:
        problems.append(f"收回票数（{returned}）不能多于发出票数（{issued}）")
    return problems


def tally_problems(tally: Tally, name: str, returned: int) -> list[str]:
    """A member's four counts are whole, not negative, and together no more than the
    ballots returned (a ballot may leave a member blank)."""
    problems = []
    for r in RATINGS:
        if tally.count(r) < 0:
            problems.append(f"{name}：“{r}”票数不能为负数")
    if tally.total > returned:
        detail = "、".join(f"{r}{tally.count(r)}" for r in RATINGS)
        problems.append(
            f"{name}：四项票数合计 {tally.total}（{detail}）超过收回的 {returned} 张测评表"
        )
    unknown = set(tally.counts) - set(RATINGS)
    if unknown:
        problems.append(f"{name}：未知的等次“{'、'.join(sorted(unknown))}”")
    return problems


@dataclass(frozen=True)
class Rating:
    member_id: int
    proposed: str = ""  # 支委会意见
    final: str = ""  # 评议等次 (党员大会)
    handling: str = ""  # for 不合格
    note: str = ""


def rating_problems(rating: Rating, participant: Participant) -> list[str]:
    problems = []
    for label, value in (("支委会意见", rating.proposed), ("评议等次", rating.final)):
        if value and value not in RATINGS:
            problems.append(f"{participant.name}：{label}“{value}”应为{'、'.join(RATINGS)}之一")
    if (rating.proposed or rating.final) and not participant.rated:
        if participant.category == Category.PROBATIONARY:
            problems.append(f"{participant.name}：{PROBATIONARY_RULE}")
        else:
            problems.append(
                f"{participant.name}：未参加本次评议（{participant.excluded_reason}），不评定等次"
            )
    return problems


@dataclass(frozen=True)
class Check:
    rule: str
    message: str


def excellent_limit(rated: int, share: Fraction = DEFAULT_EXCELLENT_SHARE) -> int:
    """Most 优秀 allowed: the largest n with n ≤ share × rated (3 × 优秀 ≤ rated at 1/3)."""
    return (share.numerator * rated) // share.denominator


def rating_checks(
    ratings: Iterable[Rating],
    people: Sequence[Participant],
    share: Fraction = DEFAULT_EXCELLENT_SHARE,
    *,
    which: str = "final",
) -> list[Check]:
    """The checks on a session's ratings, explained in words. ``which`` is "final" (评议等次)
    or "proposed" (支委会意见), both checked the same way."""
    by_id = {p.member_id: p for p in people}
    rated = sum(1 for p in people if p.rated)
    label = "评议等次" if which == "final" else "支委会意见"
    out: list[Check] = []
    chosen = [(r, getattr(r, which)) for r in ratings]
    excellent = sum(
        1 for r, v in chosen if v == EXCELLENT and (p := by_id.get(r.member_id)) and p.rated
    )
    limit = excellent_limit(rated, share)
    if excellent > limit:
        rule = (
            EXCELLENT_RULE
            if share == DEFAULT_EXCELLENT_SHARE
            else (f"优秀一般不超过参评党员的{share_text(share)}")
        )
        out.append(
            Check(
                rule,
                f"{label}中优秀 {excellent} 人，参评党员 {rated} 人，最多 {limit} 人可评为优秀"
                f"（{rule}）",
            )
        )
    for r, value in chosen:
        p = by_id.get(r.member_id)
        if p is None:
            continue
        if value and not p.rated and p.category == Category.PROBATIONARY:
            out.append(Check(PROBATIONARY_RULE, f"{p.name}是预备党员：{PROBATIONARY_RULE}"))
        if which == "final" and value == UNQUALIFIED and not r.handling.strip():
            out.append(Check(UNQUALIFIED_RULE, f"{p.name}被评为不合格：{UNQUALIFIED_RULE}"))
    return out


# ---------------------------------------------------------------------------------------------
# steps


@dataclass(frozen=True)
class Step:
    name: str
    state: str = NOT_STARTED
    date: dt.date | None = None
    note: str = ""
    meeting_id: int | None = None  # the 党员大会 record, for 支部党员大会审议


def default_steps() -> tuple[Step, ...]:
    return tuple(Step(name) for name in STEPS)


def steps_not_done(steps: Iterable[Step]) -> list[Step]:
    return [s for s in steps if s.state != DONE]


def end_of_q1(year: int) -> dt.date:
    """The session of ``year`` should be finished by the end of the first quarter after it."""
    return dt.date(year + 1, 3, 31)


# ---------------------------------------------------------------------------------------------
# 组织生活会: 整改清单

RECTIFY_STATES: tuple[str, ...] = ("未开始", "整改中", "已完成")


@dataclass(frozen=True)
class Rectification:
    year: int
    problem: str
    measures: str = ""
    owner: str = ""
    due: dt.date | None = None
    status: str = "未开始"
    completion: str = ""  # 完成情况
    id: int | None = None

    def overdue_on(self, day: dt.date) -> bool:
        return self.status != "已完成" and self.due is not None and day > self.due

    @property
    def overdue_text(self) -> str:
        owner = self.owner or "未填"
        return f"整改事项“{self.problem}”（责任人：{owner}）应于{format_cn(self.due)}前完成"


def rectification_problems(item: Rectification) -> list[str]:
    problems = []
    if not item.problem.strip():
        problems.append("存在问题：不能为空")
    if item.status not in RECTIFY_STATES:
        problems.append(f"状态：应为{'、'.join(RECTIFY_STATES)}之一")
    return problems


# ---------------------------------------------------------------------------------------------
# a session as the book keeps it


@dataclass(frozen=True)
class MemberResult:
    """One member's line of a session: tally and ratings."""

    member_id: int
    tally: Tally
    rating: Rating
    decided_on: dt.date | None = None


@dataclass(frozen=True)
class Session:
    year: int
    date: dt.date
    issued: int = 0
    returned: int = 0
    steps: tuple[Step, ...] = ()
    excluded: Mapping[int, str] = field(default_factory=dict)
    results: Mapping[int, MemberResult] = field(default_factory=dict)

    def step(self, name: str) -> Step:
        for s in self.steps:
            if s.name == name:
                return s
        return Step(name)


@dataclass(frozen=True)
class Opinion:
    """征求意见: one opinion gathered before the 组织生活会."""

    year: int
    text: str
    source: str = ""
    date: dt.date | None = None
    id: int | None = None


@dataclass(frozen=True)
class Review:
    """检视材料 of one person: received or not, and when."""

    year: int
    member_id: int
    received: bool
    date: dt.date | None = None
