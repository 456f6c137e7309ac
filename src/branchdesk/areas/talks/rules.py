"""谈心谈话 and 民主评议 rules applied to the book: the year's coverage matrix, the talks due,
the appraisal table with its reference columns and checks, names resolved to members."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from branchdesk.areas.cli_common import CliError
from branchdesk.domain.appraisal import (
    Check,
    Participant,
    Rating,
    Tally,
    rating_checks,
)
from branchdesk.domain.members import Member
from branchdesk.domain.strokes import sort_by_strokes
from branchdesk.domain.talks import (
    PRE_MEETING,
    Coverage,
    DueTalk,
    coverage,
    due_talks,
    event_occasions,
    feedback_occasions,
)
from branchdesk.store import Book


def resolve(members: Iterable[Member], name: str) -> Member:
    """The one member called ``name``; refuses unknown names and names two members share
    (listing their ids, as the meeting import does)."""
    wanted = name.strip()
    matches = [m for m in members if m.name == wanted]
    if not matches:
        raise CliError(f"名册中没有名为“{wanted}”的党员")
    if len(matches) > 1:
        ids = "、".join(str(m.id) for m in matches)
        raise CliError(f"名册中有{len(matches)}位“{wanted}”（编号 {ids}），无法确定是哪一位")
    return matches[0]


def coverage_for(
    book: Book,
    year: int,
    *,
    until: dt.date | None = None,
    kind: str | None = None,
    members: Sequence[Member] | None = None,
) -> Coverage:
    """The coverage matrix of ``year`` by the book's rules. ``kind`` counts only talks of
    that kind (会前谈心 before the 组织生活会 on ``until``)."""
    return coverage(
        year,
        members if members is not None else book.roster.members(),
        book.branch.committee(),
        (),
        book.talks.rules(),
        until=until,
        counts=book.talks.pair_counts(year, kind=kind, until=until),
    )


def life_meeting_date(book: Book, year: int) -> dt.date | None:
    """The date of the 组织生活会 recorded for ``year`` (by 所属年度; it may be held in
    January of the next year), None while none is recorded."""
    from branchdesk.domain.meetings import MeetingType

    held = [m.date for m in book.meetings.summaries(year) if MeetingType.ORG_LIFE in m.types]
    return min(held) if held else None


def pre_meeting_coverage(book: Book, year: int, meeting_date: dt.date) -> Coverage:
    """会前谈心 still missing before the 组织生活会 of ``year`` held on ``meeting_date`` (which
    may fall in January of the next year: talks count by their 所属年度)."""
    return coverage_for(book, year, until=meeting_date, kind=PRE_MEETING)


def due_for(book: Book, today: dt.date, members: Sequence[Member] | None = None) -> list[DueTalk]:
    """Talks that events require and that are not yet held."""
    members = members if members is not None else book.roster.members()
    rules = book.talks.due_rules()
    occasions = event_occasions(members, rules) + feedback_occasions(
        book.appraisal.decided(), rules
    )
    held = book.talks.last_held((o.member_id, o.kind) for o in occasions)
    return due_talks(occasions, members, (), today, rules, last_held=held)


# ---------------------------------------------------------------------------------------------
# 民主评议


@dataclass(frozen=True)
class AppraisalRow:
    participant: Participant
    tally: Tally
    rating: Rating
    #: Reference only, never used to decide: points total and band (when points are kept),
    #: attendance this year (present, expected), talks held this year.
    points: str
    attendance: tuple[int, int]
    talks: int

    @property
    def attendance_text(self) -> str:
        present, total = self.attendance
        return f"{present}/{total}（{round(100 * present / total)}%）" if total else "—"


def points_reference(book: Book, year: int) -> dict[int, str]:
    """ "total（band）" per member from the 积分 area for the year, when the book keeps
    points under a rule set for that year; empty otherwise (the column stays blank).
    Reference only: the rating is the committee's and the 党员大会's."""
    from branchdesk.areas.points.rules import totals
    from branchdesk.domain.points import Period, format_points

    if book.points.scheme(year) is None:
        return {}
    out: dict[int, str] = {}
    for row in totals(book, Period.parse(str(year))):
        if row.scored and row.total is not None and row.member.id is not None:
            text = format_points(row.total)
            out[row.member.id] = f"{text}（{row.band}）" if row.band else text
    return out


def appraisal_rows(book: Book, year: int) -> list[AppraisalRow]:
    """The session's people in 姓氏笔画 order with tallies, ratings and reference columns."""
    session = book.appraisal.session(year)
    people = sort_by_strokes(book.appraisal.participants(year), key=lambda p: p.name)
    attendance = book.appraisal.attendance(year)
    talks: dict[int, int] = {}
    for t in book.talks.outlines(year):
        for mid in {*t.talkers, *t.others}:
            talks[mid] = talks.get(mid, 0) + 1
    points = points_reference(book, year)
    rows = []
    for p in people:
        result = session.results.get(p.member_id)
        rows.append(
            AppraisalRow(
                p,
                result.tally if result else Tally(p.member_id),
                result.rating if result else Rating(p.member_id),
                points.get(p.member_id, ""),
                attendance.get(p.member_id, (0, 0)),
                talks.get(p.member_id, 0),
            )
        )
    return rows


def appraisal_checks(book: Book, year: int, *, which: str = "final") -> list[Check]:
    session = book.appraisal.session(year)
    people = book.appraisal.participants(year)
    ratings = [r.rating for r in session.results.values()]
    return rating_checks(ratings, people, book.appraisal.excellent_share(), which=which)
