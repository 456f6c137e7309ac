"""Points applied to the book: the shipped templates, a period's totals per member (what the
page, the 公示, the CLI and the reminders show), member lookup by name or id."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from importlib import resources

from branchdesk.domain.members import Member
from branchdesk.domain.points import (
    NO_SUMS,
    Annual,
    Period,
    PeriodKind,
    PeriodResult,
    RuleSet,
    annual_result,
    item_caps,
    left_during,
    mean_half_up,
    not_scored_reason,
    period_result,
    rank,
    result_from_sums,
    roll_and_scored,
    scoring_periods,
)
from branchdesk.domain.points_rules import rules_from_dict
from branchdesk.domain.strokes import sort_by_strokes
from branchdesk.store import Book, InputError
from branchdesk.store.points import Derived

#: The templates shipped in ``templates/*.json``, in the order they are offered.
TEMPLATE_IDS = ("quarterly-100", "base-60", "deduct-only")
#: Setting: "1" shows the ranking column (off by default: 2023 notice against 形式主义).
RANKING_KEY = "points.ranking"


@dataclass(frozen=True)
class Template:
    id: str
    title: str
    rules: RuleSet


def template_text(template_id: str) -> str:
    if template_id not in TEMPLATE_IDS:
        raise InputError(f"没有名为“{template_id}”的模板（可选：{'、'.join(TEMPLATE_IDS)}）")
    files = resources.files("branchdesk.areas.points") / "templates" / f"{template_id}.json"
    return files.read_text(encoding="utf-8")


def template(template_id: str) -> Template:
    data = json.loads(template_text(template_id))
    return Template(template_id, data.get("title", ""), rules_from_dict(data))


def templates() -> list[Template]:
    return [template(t) for t in TEMPLATE_IDS]


def use_template(book: Book, template_id: str, year: int) -> Derived:
    return book.points.set_scheme(year, template(template_id).rules, template_id)


def ranking_on(book: Book) -> bool:
    return book.settings.get(RANKING_KEY) == "1"


def find_member(book: Book, text: str, members: list[Member] | None = None) -> Member:
    """A member by id or by name; a name two members share is refused listing the ids."""
    members = members if members is not None else book.roster.members()
    text = text.strip()
    if text.isdigit():
        for m in members:
            if m.id == int(text):
                return m
    found = [m for m in members if m.name == text]
    if not found:
        raise InputError(f"名册中没有“{text}”")
    if len(found) > 1:
        ids = "、".join(str(m.id) for m in found)
        raise InputError(f"有{len(found)}名党员叫“{text}”（编号 {ids}），请用编号")
    return found[0]


@dataclass(frozen=True)
class TotalRow:
    member: Member
    scored: bool
    base: int | None = None
    added: int | None = None
    deducted: int | None = None
    total: int | None = None
    band: str = ""
    rank: int | None = None
    note: str = ""
    #: A year of a quarterly scheme: each quarter's total (None: not scored in it).
    quarters: tuple[int | None, ...] = field(default=())


def scheme_for(book: Book, year: int) -> RuleSet:
    rules = book.points.scheme(year)
    if rules is None:
        raise InputError(f"{year}年尚未选定积分细则（可用模板：{'、'.join(TEMPLATE_IDS)}）")
    return rules


def check_period(rules: RuleSet, period: Period) -> None:
    if period.quarter and rules.period == PeriodKind.YEAR:
        raise InputError(f"{period.year}年的积分细则按年度计分，请选择{period.year}年度")


def totals(book: Book, period: Period, members: list[Member] | None = None) -> list[TotalRow]:
    """Everyone on the roll on any day of ``period``, in 姓氏笔画 order, with their result
    (a year of a quarterly scheme: the annual result from the quarters they were scored)."""
    rules = scheme_for(book, period.year)
    check_period(rules, period)
    members = members if members is not None else book.roster.members()
    parts = scoring_periods(rules, period.year) if not period.quarter else [period]
    results: list[dict[int, PeriodResult]] = []
    on_roll: set[int] = set()
    caps = item_caps(rules)
    nothing = result_from_sums(rules, NO_SUMS)
    for part in parts:
        start, end = part.start, part.end
        # Summed and capped in SQL: one row per member with entries (see PointsRepo.sums).
        sums = book.points.sums(start, end, caps)
        found: dict[int, PeriodResult] = {}
        for m in members:
            present, scored = roll_and_scored(m, start, end, rules.scored)
            if present:
                on_roll.add(m.id or 0)
            if scored:
                summed = sums.get(m.id or 0)
                found[m.id or 0] = nothing if summed is None else result_from_sums(rules, summed)
        results.append(found)
    rows: list[TotalRow] = []
    first_day, last_day = period.start, period.end
    for m in members:
        if (m.id or 0) not in on_roll:
            continue
        mid = m.id or 0
        notes = []
        left = left_during(m, first_day, last_day)
        if left is not None:
            notes.append(f"转出日期 {left.isoformat()}")
        mine = [r[mid] for r in results if mid in r]
        if not mine:
            why = not_scored_reason(m, last_day, rules.scored) or "不参加积分"
            rows.append(TotalRow(m, False, note="；".join([f"{why}，不参加积分", *notes])))
            continue
        quarters = tuple(r[mid].total if mid in r else None for r in results)
        if len(parts) == 1:
            r = mine[0]
            base, added, deducted, total, band, vetoed = (
                r.base,
                r.added,
                r.deducted,
                r.total,
                r.band,
                r.vetoed,
            )
        else:
            year = annual_result(rules, mine)
            assert year is not None
            total, band, vetoed = year.total, year.band, year.vetoed
            pick = mean_half_up if rules.annual == Annual.MEAN else sum
            base = pick([q.base for q in mine])
            added = pick([q.added for q in mine])
            deducted = pick([q.deducted for q in mine])
            if rules.annual == Annual.MEAN and len(mine) < len(parts):
                notes.insert(0, f"{len(mine)}个季度平均")
        if vetoed:
            notes.insert(0, "一票否决")
        rows.append(
            TotalRow(
                m,
                True,
                base,
                added,
                deducted,
                total,
                band,
                None,
                "；".join(notes),
                quarters if len(parts) > 1 else (),
            )
        )
    if ranking_on(book):
        ranks = rank({r.member.id or 0: r.total for r in rows if r.total is not None})
        rows = [
            TotalRow(**{**r.__dict__, "rank": ranks.get(r.member.id or 0)}) if r.scored else r
            for r in rows
        ]
    return sort_by_strokes(rows, key=lambda r: r.member.name)


def current_period(book: Book, today: dt.date) -> Period:
    """This year's period containing today, by the year's rule set (quarter by default)."""
    rules = book.points.scheme(today.year)
    kind = rules.period if rules is not None else PeriodKind.QUARTER
    return Period.containing(today, kind)


def member_trend(book: Book, member: Member, year: int) -> list[tuple[str, int | None]]:
    """One member's total in each scoring period of ``year`` (None: not scored in it), for
    the trend chart; reads only that member's entries."""
    from branchdesk.domain.points import Line

    rules = book.points.scheme(year)
    if rules is None:
        return []
    out: list[tuple[str, int | None]] = []
    for part in scoring_periods(rules, year):
        label = part.label.removeprefix(f"{year}年") if part.quarter else f"{year}年度"
        if not roll_and_scored(member, part.start, part.end, rules.scored)[1]:
            out.append((label, None))
            continue
        entries = book.points.entries(part.start, part.end, member.id)
        lines = [Line(e.item, e.category, e.value, e.count) for e in entries]
        out.append((label, period_result(rules, lines).total))
    return out
