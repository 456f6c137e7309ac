"""党员积分: the branch's own rule set (积分细则) and the arithmetic of a period's total.

There is no national scheme, so a rule set is data the secretary edits, one per year.
Points are integers in tenths of a point (0.5 is 5) everywhere; floats never appear. A
ledger entry is ``points`` per occurrence times ``count``; a reversal has the same points
and the opposite count, so sums net out.

Period total = 基础分 (base + 基础 items) + 加分 (each item capped per period, then all
加分 together capped) + 扣分 (each item capped likewise), clipped to floor/ceiling; an
active 一票否决 item sets the total to 0 (or caps it, as the item says) and the band to
不合格. The annual result of a quarterly scheme is the sum or the mean of the quarters the
member was scored in; a mean is rounded to one decimal half up (84.875 → 84.9) and the
band is decided on the rounded value.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from branchdesk.domain.branch import CommitteePost
from branchdesk.domain.meetings import AttendanceStatus, Meeting, MeetingType, in_scope
from branchdesk.domain.members import Category, Member, RosterEntry

#: Points are stored and computed in tenths.
SCALE = 10


class PeriodKind(enum.StrEnum):
    QUARTER = "季度"
    YEAR = "年度"


class ItemCategory(enum.StrEnum):
    BASE = "基础"
    ADD = "加分"
    DEDUCT = "扣分"
    VETO = "一票否决"


class Annual(enum.StrEnum):
    SUM = "合计"
    MEAN = "平均"


#: The name of the band a veto forces, and of the lowest band by convention.
FAIL_BAND = "不合格"

#: 三会一课, as rule sets name a group of meeting types.
THREE_MEETINGS = (
    MeetingType.GENERAL,
    MeetingType.COMMITTEE,
    MeetingType.GROUP,
    MeetingType.LECTURE,
)


@dataclass(frozen=True)
class AutoSource:
    """Points an item gives from meeting attendance: once per meeting record whose types
    include any of ``types``, by the member's status there (None: no entry)."""

    types: frozenset[MeetingType]
    present: int | None = None
    leave: int | None = None
    absent: int | None = None

    def points_for(self, status: AttendanceStatus) -> int | None:
        return {
            AttendanceStatus.PRESENT: self.present,
            AttendanceStatus.LEAVE: self.leave,
            AttendanceStatus.ABSENT: self.absent,
        }[status]


@dataclass(frozen=True)
class Item:
    name: str
    category: ItemCategory
    #: Per occurrence, in tenths; signed (a deduction is negative).
    points: int
    #: Most this item may add (or, for a deduction, take) in one period, in tenths.
    cap: int | None = None
    auto: AutoSource | None = None
    #: 一票否决 only: None sets the total to 0; a number caps the total at it.
    veto_cap: int | None = None


@dataclass(frozen=True)
class Band:
    name: str
    #: Lowest total (tenths) of this band; None for the last band ("else").
    minimum: int | None


@dataclass(frozen=True)
class Scored:
    """Who is scored: each of these on or off."""

    full: bool = True  # 在职正式党员
    probationary: bool = True  # 预备党员
    retired: bool = False  # 离退休
    mobile: bool = False  # 流动党员


@dataclass(frozen=True)
class RuleSet:
    period: PeriodKind
    base: int
    items: tuple[Item, ...]
    bands: tuple[Band, ...]
    scored: Scored = field(default_factory=Scored)
    floor: int | None = 0
    ceiling: int | None = None
    annual: Annual = Annual.SUM
    #: All 加分 of one period together at most this (tenths); None: no cap.
    additions_cap: int | None = None
    name: str = ""

    def item(self, name: str) -> Item | None:
        return self.items_by_name.get(name)

    @property
    def items_by_name(self) -> dict[str, Item]:
        found = self.__dict__.get("_by_name")
        if found is None:
            found = {it.name: it for it in self.items}
            object.__setattr__(self, "_by_name", found)
        return found


# --- the arithmetic ------------------------------------------------------------------------


class Line(NamedTuple):
    """Entries of one item in one period, summed: ``value`` is Σ points × count (tenths),
    ``occurrences`` Σ count (a reversed entry nets to 0). A tuple: a period's totals make
    thousands of them."""

    item: str
    category: ItemCategory
    value: int
    occurrences: int = 1


@dataclass(frozen=True)
class PeriodResult:
    base: int
    added: int
    deducted: int  # ≤ 0 normally
    total: int
    band: str
    vetoed: bool = False


def _cap(value: int, cap: int | None) -> int:
    """Clip a signed sum to ±cap (a cap is on the size of what an item gives or takes)."""
    if cap is None:
        return value
    return max(-cap, min(cap, value))


def band_for(total: int, bands: Sequence[Band]) -> str:
    for band in bands:
        if band.minimum is None or total >= band.minimum:
            return band.name
    return FAIL_BAND if not bands else bands[-1].name


def clip(total: int, floor: int | None, ceiling: int | None) -> int:
    if floor is not None:
        total = max(floor, total)
    if ceiling is not None:
        total = min(ceiling, total)
    return total


class Sums(NamedTuple):
    """One member's entries of one period after each item's own cap: the 基础 items, the
    加分 and the 扣分 (tenths), and the 一票否决 items that occurred (net count > 0).

    The first half of a period's total. ``item_sums`` computes it from lines; the store
    computes the same in SQL over the kept quarter sums (``PointsRepo.sums``), so a
    period's totals need not bring every item of every member into Python. A property
    test holds the two to the same answer."""

    base: int = 0
    added: int = 0
    deducted: int = 0
    vetoes: tuple[str, ...] = ()


def item_caps(rules: RuleSet) -> dict[str, int]:
    """Item name → its cap per period, for the items that have one."""
    return {it.name: it.cap for it in rules.items if it.cap is not None}


def item_sums(rules: RuleSet, lines: Iterable[Line]) -> Sums:
    by_item: dict[tuple[str, ItemCategory], list[int]] = {}
    for line in lines:
        slot = by_item.get((line.item, line.category))
        if slot is None:
            by_item[(line.item, line.category)] = [line.value, line.occurrences]
        else:
            slot[0] += line.value
            slot[1] += line.occurrences
    caps = item_caps(rules)
    base, added, deducted = 0, 0, 0
    vetoes: list[str] = []
    for (name, category), (value, count) in by_item.items():
        if category == ItemCategory.VETO:
            if count > 0:
                vetoes.append(name)
            continue
        capped = _cap(value, caps.get(name))
        if category == ItemCategory.BASE:
            base += capped
        elif category == ItemCategory.ADD:
            added += capped
        else:
            deducted += capped
    return Sums(base, added, deducted, tuple(sorted(vetoes)))


def result_from_sums(rules: RuleSet, sums: Sums) -> PeriodResult:
    """The second half: base, the cap on all 加分, floor and ceiling, 一票否决, the band."""
    base = rules.base + sums.base
    added = sums.added
    if rules.additions_cap is not None:
        added = min(added, rules.additions_cap)
    total = clip(base + added + sums.deducted, rules.floor, rules.ceiling)
    if sums.vetoes:
        items = rules.items_by_name
        veto = [items.get(name) for name in sums.vetoes]
        caps = [it.veto_cap for it in veto if it is not None and it.veto_cap is not None]
        # The severest veto wins: any that sets to 0 does; else the lowest cap.
        total = min(total, min(caps)) if len(caps) == len(veto) else 0
        return PeriodResult(base, added, sums.deducted, total, FAIL_BAND, True)
    return PeriodResult(base, added, sums.deducted, total, band_for(total, rules.bands))


#: Nothing entered in the period: the result of every scored member without entries.
NO_SUMS = Sums()


def period_result(rules: RuleSet, lines: Iterable[Line]) -> PeriodResult:
    """The total of one member for one period in which they were scored."""
    return result_from_sums(rules, item_sums(rules, lines))


def mean_half_up(values: Sequence[int]) -> int:
    """Mean of tenths, rounded to a whole tenth, half up (8487.5 hundredths → 849)."""
    if not values:
        raise ValueError("mean of no values")
    n = len(values)
    return (2 * sum(values) + n) // (2 * n)


@dataclass(frozen=True)
class AnnualResult:
    total: int
    band: str
    periods: int
    vetoed: bool = False


def annual_result(rules: RuleSet, quarters: Sequence[PeriodResult]) -> AnnualResult | None:
    """The year from the periods the member was scored in (None: scored in none)."""
    if not quarters:
        return None
    totals = [q.total for q in quarters]
    total = mean_half_up(totals) if rules.annual == Annual.MEAN else sum(totals)
    vetoed = any(q.vetoed for q in quarters)
    band = FAIL_BAND if vetoed else band_for(total, rules.bands)
    return AnnualResult(total, band, len(quarters), vetoed)


# --- periods -------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Period:
    year: int
    quarter: int = 0  # 0: the whole year

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1 if not self.quarter else 3 * self.quarter - 2, 1)

    @property
    def end(self) -> dt.date:
        if not self.quarter or self.quarter == 4:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, 3 * self.quarter + 1, 1) - dt.timedelta(days=1)

    @property
    def key(self) -> str:
        return f"{self.year}Q{self.quarter}" if self.quarter else str(self.year)

    @property
    def label(self) -> str:
        if not self.quarter:
            return f"{self.year}年度"
        return f"{self.year}年第{'一二三四'[self.quarter - 1]}季度"

    def quarters(self) -> list[Period]:
        return [Period(self.year, q) for q in range(1, 5)] if not self.quarter else [self]

    @classmethod
    def parse(cls, text: str) -> Period:
        """``2026Q3`` (also 2026q3, 2026-Q3) or ``2026``."""
        t = text.strip().upper().replace("-", "")
        try:
            if "Q" in t:
                year, quarter = t.split("Q")
                p = cls(int(year), int(quarter))
                if not 1 <= p.quarter <= 4:
                    raise ValueError
                return p
            return cls(int(t))
        except ValueError:
            raise ValueError(f"“{text}”不是有效的积分周期（应如 2026Q3 或 2026）") from None

    @classmethod
    def containing(cls, day: dt.date, kind: PeriodKind) -> Period:
        if kind == PeriodKind.YEAR:
            return cls(day.year)
        return cls(day.year, (day.month - 1) // 3 + 1)


def scoring_periods(rules: RuleSet, year: int) -> list[Period]:
    return Period(year, 0).quarters() if rules.period == PeriodKind.QUARTER else [Period(year)]


# --- who is scored -------------------------------------------------------------------------


def not_scored_reason(
    member: Member, day: dt.date, scored: Scored, *, on_roll: bool = False
) -> str | None:
    """Why ``member`` is not scored on ``day`` under ``scored`` (None: they are).
    ``on_roll``: the caller knows the member was on the roll that day."""
    if not on_roll and not member.belongs_on(day):
        return "不在本支部名册"
    if member.retired_on(day) and not scored.retired:
        return "离退休"
    if member.mobile_on(day) and not scored.mobile:
        return "流动党员"
    category = member.category_on(day)
    if category == Category.FULL and not scored.full:
        return "正式党员不参加积分"
    if category == Category.PROBATIONARY and not scored.probationary:
        return "预备党员不参加积分"
    return None


def _change_days(member: Member, start: dt.date, end: dt.date) -> list[dt.date]:
    """The days in [start, end] on which a member's scored status can change."""
    days = {start}
    candidates = [member.join_date, member.full_date]
    for e in member.events:
        candidates.append(e.date)
        if e.end_date is not None:
            candidates.append(e.end_date)
    for d in candidates:
        if d is not None and start < d <= end:
            days.add(d)
    return sorted(days)


def scored_in(member: Member, start: dt.date, end: dt.date, scored: Scored) -> bool:
    """On the roll and scored on any day of [start, end]."""
    return roll_and_scored(member, start, end, scored)[1]


def roll_and_scored(
    member: Member, start: dt.date, end: dt.date, scored: Scored
) -> tuple[bool, bool]:
    """(on the roll on any day of [start, end], scored on any day of it) in one pass."""
    if not member.events:
        return _roll_and_scored_plain(member, start, end, scored)
    return _roll_and_scored_by_day(member, start, end, scored)


def _roll_and_scored_plain(
    member: Member, start: dt.date, end: dt.date, scored: Scored
) -> tuple[bool, bool]:
    """``roll_and_scored`` of a member without events — most of a roll, so a period's
    totals take this short way: on the roll from the 入党日期, never 离退休 or 流动, and
    the category can change only on the 转正日期 (tests hold it to the day-by-day way)."""
    join, full = member.join_date, member.full_date
    if join is not None and join > end:
        return False, False
    first = start if join is None or join <= start else join
    if full is None:
        return True, scored.full if member.category == Category.FULL else scored.probationary
    if full <= first:
        return True, scored.full
    return True, scored.probationary or (full <= end and scored.full)


def _roll_and_scored_by_day(
    member: Member, start: dt.date, end: dt.date, scored: Scored
) -> tuple[bool, bool]:
    on_roll = is_scored = False
    for d in _change_days(member, start, end):
        if not member.belongs_on(d):
            continue
        on_roll = True
        if not_scored_reason(member, d, scored, on_roll=True) is None:
            return True, True
    return on_roll, is_scored


def left_during(member: Member, start: dt.date, end: dt.date) -> dt.date | None:
    """The 转出 (or other leaving) date inside the period, for the note."""
    if not member.events:
        return None
    left = member.left_event()
    if left is not None and start <= left.date <= end:
        return left.date
    return None


def automatic_points(
    item: Item, types: Iterable[MeetingType], status: AttendanceStatus
) -> int | None:
    """Points of an automatic item for one meeting record and one attendance status."""
    if item.auto is None or not (item.auto.types & frozenset(types)):
        return None
    return item.auto.points_for(status)


def meeting_points(
    rules: RuleSet,
    meeting: Meeting,
    roster: Iterable[RosterEntry],
    committee_posts: Iterable[CommitteePost],
    groups_of_members: Mapping[int, int | None] | None = None,
) -> dict[tuple[int, str], tuple[ItemCategory, int]]:
    """(member id, item) → (category, points) the rules give for one meeting record.

    ``roster`` is ``roster_on(members, meeting.date)``. Each automatic item counts once for
    the record however many of its types the record has; only members in the meeting's
    scope (its 党小组, the committee serving that day) with an attendance status get an
    entry, and only when they are scored that day; a member left out of 应到 who did not
    attend gets none.
    """
    out: dict[tuple[int, str], tuple[ItemCategory, int]] = {}
    auto = [it for it in rules.items if it.auto is not None and it.auto.types & meeting.types]
    if not auto:
        return out
    for entry in in_scope(meeting, roster, committee_posts, groups_of_members):
        mid = entry.member.id
        record = meeting.attendance.get(mid) if mid is not None else None
        if mid is None or record is None:
            continue
        if mid in meeting.excluded and record.status != AttendanceStatus.PRESENT:
            continue
        if not_scored_reason(entry.member, meeting.date, rules.scored) is not None:
            continue
        for item in auto:
            points = automatic_points(item, meeting.types, record.status)
            if points:
                out[(mid, item.name)] = (item.category, points)
    return out


#: A 公示 lasts at least this many days, both ends counted.
NOTICE_MIN_DAYS = 7


def notice_period_problem(date_from: dt.date, date_to: dt.date) -> str | None:
    """Why a 公示期 cannot be used (None: it can)."""
    if date_to < date_from:
        return "公示期：结束日期早于开始日期"
    days = (date_to - date_from).days + 1
    if days < NOTICE_MIN_DAYS:
        return f"公示期：只有{days}天，应不少于{NOTICE_MIN_DAYS}天"
    return None


def rank(totals: Mapping[int, int]) -> dict[int, int]:
    """Competition ranking (1, 2, 2, 4) by total, highest first."""
    ordered = sorted(totals.values(), reverse=True)
    first: dict[int, int] = {}
    for n, value in enumerate(ordered, start=1):
        first.setdefault(value, n)
    return {k: first[v] for k, v in totals.items()}


def format_points(tenths: int | None) -> str:
    """85 → "8.5", 80 → "8", -5 → "-0.5"; None → ""."""
    if tenths is None:
        return ""
    sign = "-" if tenths < 0 else ""
    whole, tenth = divmod(abs(tenths), SCALE)
    return f"{sign}{whole}" + (f".{tenth}" if tenth else "")


def points_number(tenths: int | None) -> int | float | None:
    """For JSON: a number with at most one decimal (an int when whole)."""
    if tenths is None:
        return None
    return tenths // SCALE if tenths % SCALE == 0 else round(tenths / SCALE, 1)


def parse_points(value: object) -> int:
    """A number as written (5, -0.5, "2.5") → tenths. More than one decimal is refused."""
    from decimal import Decimal, InvalidOperation

    if isinstance(value, bool) or value is None:
        raise ValueError(f"“{value}”不是分值")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"“{value}”不是分值") from None
    tenths = number * SCALE
    if not number.is_finite() or tenths != tenths.to_integral_value():
        raise ValueError(f"“{value}”：分值最多一位小数")
    return int(tenths)


@dataclass(frozen=True)
class Entry:
    """One line of the ledger, never edited: a correction is a new entry that reverses it."""

    id: int
    member_id: int
    date: dt.date
    item: str
    category: ItemCategory
    points: int  # per occurrence, tenths
    count: int
    reason: str = ""
    meeting_id: int | None = None  # None: entered by hand
    entered_by: str = ""
    entered_at: str = ""
    reverses: int | None = None
    reversed_by: int | None = None

    @property
    def value(self) -> int:
        return self.points * self.count

    @property
    def source(self) -> str:
        return f"会议 {self.meeting_id} 出席情况" if self.meeting_id is not None else "手工登记"
