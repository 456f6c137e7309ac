"""Members and their effective-dated membership: who belonged, and who could vote, on a date."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from branchdesk.domain.dates import add_years, format_cn


class Category(enum.StrEnum):
    FULL = "正式党员"
    PROBATIONARY = "预备党员"


class EventKind(enum.StrEnum):
    TRANSFER_IN = "转入"
    TRANSFER_OUT = "转出"
    CONFIRMED = "转正"
    EXTENDED = "延长预备期"  # its end date is the new end of the 预备期
    PROBATION = "留党察看"  # has an end date (None while it lasts)
    EXPELLED = "出党"
    DIED = "去世"
    STOPPED = "停止党籍"
    RETIRED = "离退休"  # from its date on; the member stays on the roll
    MOBILE = "流动"  # 流动党员 from its date until (not including) its end date; note = 流出地


#: Events that may carry an end date (None while they last).
PERIOD_KINDS = frozenset({EventKind.PROBATION, EventKind.MOBILE})


#: Kinds whose event has an end date.
ENDING_KINDS = frozenset({EventKind.PROBATION, EventKind.EXTENDED, EventKind.MOBILE})

#: Events after which the person no longer belongs to the branch.
LEAVING_KINDS = frozenset(
    {EventKind.TRANSFER_OUT, EventKind.EXPELLED, EventKind.DIED, EventKind.STOPPED}
)

GENDERS = ("男", "女")
EDUCATION_LEVELS = (
    "研究生",
    "博士研究生",
    "硕士研究生",
    "大学本科",
    "大学专科",
    "中等专科",
    "高中",
    "初中及以下",
)


@dataclass(frozen=True)
class MembershipEvent:
    kind: EventKind
    date: dt.date
    end_date: dt.date | None = None  # only for 留党察看 and 延长预备期
    note: str = ""
    id: int | None = None
    member_id: int | None = None
    #: A 转正 before the 预备期 ends, recorded on purpose (the note says why).
    override: bool = False


@dataclass(frozen=True)
class EventCorrection:
    """One entry of the audit trail: an event as it was, what it became (None: removed)."""

    id: int
    event_id: int
    member_id: int
    member_name: str
    action: str  # 更正 / 删除 / 结束察看
    before: MembershipEvent
    after: MembershipEvent | None
    reason: str
    made_at: dt.datetime


@dataclass(frozen=True)
class Member:
    """One person on the roll. Dates are those of the party record, not of this branch."""

    name: str
    gender: str = ""
    ethnicity: str = ""
    birth_date: dt.date | None = None
    id_number: str = ""
    education: str = ""
    category: Category = Category.FULL
    join_date: dt.date | None = None  # 入党日期
    full_date: dt.date | None = None  # 转正日期
    post: str = ""  # 工作岗位
    phone: str = ""
    group_id: int | None = None
    group_name: str = ""
    notes: str = ""
    id: int | None = None
    events: tuple[MembershipEvent, ...] = field(default=())

    def category_on(self, day: dt.date) -> Category:
        """正式 from the 转正 date on; before it 预备. Without a 转正 date, the stored category."""
        if self.full_date is not None:
            return Category.FULL if day >= self.full_date else Category.PROBATIONARY
        return self.category

    def belongs_on(self, day: dt.date) -> bool:
        """Whether the person was on this branch's roll on ``day``.

        A member enters at their 入党日期 unless their history starts with a 转入, then at
        that date; each later 转入 re-enters, each 转出/出党/去世/停止党籍 leaves. Events take
        effect on their own date: someone transferred out on the meeting day is not 应到.
        """
        moves = sorted(
            (e for e in self.events if e.kind == EventKind.TRANSFER_IN or e.kind in LEAVING_KINDS),
            key=lambda e: (e.date, e.id or 0),
        )
        first_in = moves[0].kind == EventKind.TRANSFER_IN if moves else False
        inside = False if first_in else self.join_date is None or self.join_date <= day
        for event in moves:
            if event.date > day:
                break
            inside = event.kind == EventKind.TRANSFER_IN
        return inside

    def under_probation_on(self, day: dt.date) -> bool:
        """留党察看 from its start date until (not including) its end date."""
        return any(
            e.kind == EventKind.PROBATION
            and e.date <= day
            and (e.end_date is None or day < e.end_date)
            for e in self.events
        )

    def retired_on(self, day: dt.date) -> bool:
        """离退休 from the date of its event on."""
        return any(e.kind == EventKind.RETIRED and e.date <= day for e in self.events)

    def mobile_on(self, day: dt.date) -> bool:
        """流动党员 from the start of a 流动 period until (not including) its end date."""
        return any(
            e.kind == EventKind.MOBILE
            and e.date <= day
            and (e.end_date is None or day < e.end_date)
            for e in self.events
        )

    def left_event(self) -> MembershipEvent | None:
        """The leaving event if the person's last move was out of the branch."""
        moves = sorted(
            (e for e in self.events if e.kind == EventKind.TRANSFER_IN or e.kind in LEAVING_KINDS),
            key=lambda e: (e.date, e.id or 0),
        )
        if moves and moves[-1].kind in LEAVING_KINDS:
            return moves[-1]
        return None


@dataclass(frozen=True)
class RosterEntry:
    member: Member
    category: Category
    under_probation: bool

    @property
    def has_vote(self) -> bool:
        """正式党员 not under 留党察看 vote; 预备党员 attend and speak only."""
        return self.category == Category.FULL and not self.under_probation

    @property
    def status(self) -> str:
        return EventKind.PROBATION.value if self.under_probation else "在册"


def roster_on(members: Iterable[Member], day: dt.date) -> list[RosterEntry]:
    """Everyone who belonged to the branch on ``day``, with their category and vote then."""
    return [
        RosterEntry(m, m.category_on(day), m.under_probation_on(day))
        for m in members
        if m.belongs_on(day)
    ]


def status_today(member: Member, today: dt.date) -> str:
    """A one-word status for the roll: 在册 / 留党察看 / 已转出 / 出党 / 去世 / 停止党籍."""
    if member.belongs_on(today):
        return EventKind.PROBATION.value if member.under_probation_on(today) else "在册"
    left = member.left_event()
    if left is None:
        return "未入册"
    return "已转出" if left.kind == EventKind.TRANSFER_OUT else left.kind.value


def roster_fact(member: Member, day: dt.date) -> str:
    """离退休 / 流动（流出地） on ``day``, for the roll's column; "" for neither."""
    facts = []
    if member.retired_on(day):
        facts.append(EventKind.RETIRED.value)
    for e in member.events:
        lasting = e.end_date is None or day < e.end_date
        if e.kind == EventKind.MOBILE and e.date <= day and lasting:
            facts.append("流动党员" + (f"（{e.note}）" if e.note else ""))
            break
    return "、".join(facts)


def voting_count(entries: Sequence[RosterEntry]) -> int:
    return sum(1 for e in entries if e.has_vote)


#: Age at which one may apply to join (中国共产党章程 第一条).
MIN_JOIN_AGE = 18


def category_from_record(full_date: dt.date | None, stored: Category, known: bool) -> Category:
    """人员类别 is never typed: 正式党员 from a 转正日期 on, else 预备党员. A record saved
    earlier as 正式党员 without a 转正日期 (``known``, e.g. an imported old member) keeps it."""
    if full_date is not None:
        return Category.FULL
    return stored if known and stored == Category.FULL else Category.PROBATIONARY


def validate_member(member: Member, today: dt.date) -> list[str]:
    """Rule violations of one member record, each naming the field. Empty means valid."""
    from branchdesk.domain.dates import age_on
    from branchdesk.domain.idcard import IdNumberError, parse_id

    errors: list[str] = []
    if not member.name.strip():
        errors.append("姓名：不能为空")
    if member.gender not in ("", *GENDERS):
        errors.append(f"性别：应为“男”或“女”，不是“{member.gender}”")
    birth = member.birth_date
    if member.id_number:
        try:
            info = parse_id(member.id_number)
            birth = birth or info.birth_date
        except IdNumberError as exc:
            errors.append(f"公民身份号码：{exc}")
    for label, value in (
        ("出生日期", member.birth_date),
        ("入党日期", member.join_date),
        ("转正日期", member.full_date),
    ):
        if value is not None and value > today:
            errors.append(f"{label}：{format_cn(value)}晚于今天")
    if member.join_date and birth and age_on(birth, member.join_date) < MIN_JOIN_AGE:
        errors.append(f"入党日期：入党时未满{MIN_JOIN_AGE}周岁（出生于{format_cn(birth)}）")
    if member.full_date and member.join_date and member.full_date < member.join_date:
        errors.append("转正日期：早于入党日期")
    elif member.full_date and member.join_date and not any(
        e.kind == EventKind.CONFIRMED for e in member.events
    ):
        due = probation_due(member)
        if due and member.full_date < due:
            errors.append(
                f"转正日期：{format_cn(member.full_date)}早于预备期届满日{format_cn(due)}"
                "（预备期一年）"
            )
    if member.full_date and member.category == Category.PROBATIONARY:
        errors.append("人员类别：已填写转正日期的应为正式党员")
    return errors


#: 预备期 lasts one year from the 支部大会 that admitted the member.
PROBATION_YEARS = 1
#: Remind the branch this many days before a 预备期 ends (domain "Alarms").
PROBATION_REMIND_DAYS = 30


@dataclass(frozen=True)
class ProbationDue:
    entry: RosterEntry
    due: dt.date
    days_left: int  # negative: already past

    @property
    def text(self) -> str:
        when = f"{self.days_left} 天后" if self.days_left >= 0 else f"已超过 {-self.days_left} 天"
        name = self.entry.member.name
        return f"{name}的预备期于{format_cn(self.due)}届满（{when}），请及时讨论转正。"


def probation_ending(
    roster: Iterable[RosterEntry], today: dt.date, within_days: int = PROBATION_REMIND_DAYS
) -> list[ProbationDue]:
    """预备党员 whose 预备期 ends within ``within_days`` (or has already ended), soonest
    first. ``roster`` is ``roster_on(members, today)``."""
    out = []
    for entry in roster:
        m = entry.member
        if entry.category != Category.PROBATIONARY or m.join_date is None:
            continue
        due = probation_due(m)
        if due is None:
            continue
        days = (due - today).days
        if days <= within_days:
            out.append(ProbationDue(entry, due, days))
    return sorted(out, key=lambda p: p.due)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's end."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month + 1, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


#: 延长预备期 lasts at least 6 and at most 12 months (发展党员工作细则 第三十条), once.
EXTENSION_MONTHS = (6, 12)


def probation_due(member: Member) -> dt.date | None:
    """The day the 预备期 ends: one year from the 入党日期, or the end of an 延长预备期."""
    for e in member.events:
        if e.kind == EventKind.EXTENDED and e.end_date is not None:
            return e.end_date
    if member.join_date is None:
        return None
    return add_years(member.join_date, PROBATION_YEARS)


def event_problem(member: Member, event: MembershipEvent) -> str | None:
    """Why ``event`` cannot be recorded for ``member`` (as the member stands without it), in
    words; None if it can. The one rule set of the dialog, the CLI and corrections."""
    day = event.date
    name = member.name
    if member.join_date and day < member.join_date and event.kind != EventKind.TRANSFER_IN:
        return f"日期：{format_cn(day)}早于入党日期{format_cn(member.join_date)}"
    if event.end_date and event.kind not in ENDING_KINDS:
        return "结束日期：只有“留党察看”和“延长预备期”有结束日期"
    if event.end_date and event.end_date < day:
        return "结束日期：早于开始日期"
    if event.kind == EventKind.TRANSFER_IN and member.belongs_on(day) and member.events:
        return f"{name}在{format_cn(day)}已在本支部，无需转入"
    if event.kind in LEAVING_KINDS and not member.belongs_on(day):
        return f"{name}在{format_cn(day)}已不在本支部"
    if event.kind == EventKind.CONFIRMED:
        if member.full_date is not None and member.full_date <= day:
            return f"{name}已于{format_cn(member.full_date)}转正"
        due = probation_due(member)
        if due and day < due:
            if not event.override:
                return (
                    f"转正日期：{format_cn(day)}早于预备期届满日{format_cn(due)}"
                    f"（入党日期{format_cn(member.join_date)}，预备期一年"
                    f"{'，已延长' if due != _one_year(member) else ''}）。"
                    "确属特殊情况的，须登记为特殊情况并在说明中写明依据。"
                )
            if not event.note.strip():
                return "说明：提前转正属特殊情况，请写明依据（如上级党委批复）"
    if event.kind == EventKind.EXTENDED:
        if member.full_date is not None and member.full_date <= day:
            return f"{name}已于{format_cn(member.full_date)}转正，不能延长预备期"
        if any(e.kind == EventKind.EXTENDED for e in member.events):
            return f"{name}的预备期已延长过一次，只能延长一次"
        if event.end_date is None or member.join_date is None:
            return "结束日期：请填写延长后的预备期届满日（延长6至12个月）"
        due = _one_year(member)
        assert due is not None
        low, high = (add_months(due, n) for n in EXTENSION_MONTHS)
        if not low <= event.end_date <= high:
            return (
                f"结束日期：预备期只能延长6至12个月，即届满日在{format_cn(low)}"
                f"至{format_cn(high)}之间"
            )
    return None


def _one_year(member: Member) -> dt.date | None:
    return add_years(member.join_date, PROBATION_YEARS) if member.join_date else None


def history_problems(member: Member, since: dt.date | None = None) -> list[str]:
    """Replay the member's events in date order, each checked against what came before it:
    what a correction would make wrong (a 转入 while still on the roll, a 转正 before the
    预备期 ends …). Only events from ``since`` on are reported."""
    confirmed_by_event = any(e.kind == EventKind.CONFIRMED for e in member.events)
    ordered = sorted(member.events, key=lambda e: (e.date, e.id or 0))
    out = []
    for n, event in enumerate(ordered):
        before = ordered[:n]
        full = next((e.date for e in before if e.kind == EventKind.CONFIRMED), None)
        prior = Member(
            name=member.name,
            join_date=member.join_date,
            full_date=full if confirmed_by_event else member.full_date,
            category=member.category,
            events=tuple(before),
            id=member.id,
        )
        if since is not None and event.date < since:
            continue
        problem = event_problem(prior, event)
        if problem:
            out.append(f"{format_cn(event.date)}的“{event.kind.value}”：{problem}")
    return out
