"""Meeting rules applied to the book: gathers what the pure rules in domain/ need (the
roster on the meeting date, the committee, the groups) and words the results for the
GUI and the CLI."""

from __future__ import annotations

import datetime as dt
from typing import Any

from branchdesk.domain.compliance import (
    COMMITTEE_MIN_SIZE,
    DEFAULT_FREQUENCIES,
    CellState,
    Grid,
    compliance_grid,
    has_committee,
    has_committee_of,
    validate_meeting,
)
from branchdesk.domain.meetings import MeetingType, committee_ids_on
from branchdesk.domain.minutes import MeetingRecord
from branchdesk.store import Book

#: Setting keys: "freq.<类型>" = month / quarter / year / none.
FREQUENCY_KEY = "freq."


def frequencies(book: Book) -> dict[MeetingType, Any]:
    """The branch's frequencies: the defaults of docs/domain.md, overridden in 设置."""
    out: dict[MeetingType, Any] = dict(DEFAULT_FREQUENCIES)
    for key, value in book.settings.all(FREQUENCY_KEY).items():
        try:
            kind = MeetingType(key.removeprefix(FREQUENCY_KEY))
        except ValueError:
            continue
        out[kind] = None if value == "none" else value
    return out


def groups_of_members(book: Book, day: dt.date | None = None) -> dict[int, int | None]:
    """member id → 党小组: on ``day`` (a past 党小组会 uses the groups as they were then),
    or as they are now."""
    return book.roster.group_ids() if day is None else book.roster.group_ids_on(day)


def rule_problems(book: Book, record: MeetingRecord) -> list[str]:
    """Every rule the record breaks, in words; empty when it may be saved as it is."""
    meeting = record.meeting
    roster = book.roster.on(meeting.date)
    problems = validate_meeting(
        meeting, roster, book.branch.committee(), groups_of_members(book, meeting.date)
    )
    return [p.message for p in problems]


def grid_for(
    book: Book,
    year: int,
    today: dt.date,
    roster_today: list[Any] | None = None,
    *,
    roll_today: list[Any] | None = None,
) -> Grid:
    """``roster_today`` (RosterEntry list) or ``roll_today`` (`RosterRepo.roll_on(today)`)
    save reading the roll again when the caller has it."""
    # Only meetings that can fall in the year's periods (yearly rows count by 所属年度).
    meetings = book.meetings.outlines(year)
    # The committee counts as existing when it did at the end of the year (or today).
    day = min(today, dt.date(year, 12, 31))
    posts = book.branch.committee()
    if roster_today is not None and day == today:
        committee = has_committee(roster_today, posts, day)
    else:  # counted in SQL: a 5,000-member roll is not built for one yes or no
        roll = roll_today if roll_today is not None and day == today else book.roster.roll_on(day)
        full = sum(1 for _id, is_full, _since in roll if is_full)
        committee = has_committee_of(full, (i for i, _f, _s in roll), posts, day)
    return compliance_grid(
        year,
        meetings,
        frequencies(book),
        committee,
        book.branch.groups(),
        today,
        committee_on=lambda d: len(committee_ids_on(posts, d)) >= COMMITTEE_MIN_SIZE,
    )


def calendar_for(book: Book, year: int, today: dt.date) -> dict[str, Any]:
    """The compliance grid as plain data (the CLI prints it or dumps it as JSON)."""
    grid = grid_for(book, year, today)
    state = {CellState.HELD: "held", CellState.MISSING: "missing",
             CellState.NOT_YET_DUE: "not_yet_due",
             CellState.NOT_REQUIRED: "not_required"}  # fmt: skip
    return {
        "year": year,
        "rows": [
            {
                "label": row.label,
                "type": row.meeting_type.value,
                "frequency": row.frequency,
                "group_id": row.group_id,
                "cells": [
                    {
                        "period": c.period.label,
                        "state": state[c.state],
                        "meeting_ids": [i for i in c.meeting_ids if i is not None],
                    }
                    for c in row.cells
                ],
            }
            for row in grid.rows
        ],
    }


def inactive_members(
    book: Book, today: dt.date, roll_today: list[Any] | None = None
) -> tuple[list[Any], list[Any]]:
    """Members with no 组织生活 attended for 3 and for 6 months (docs/domain.md "Alarms").

    The same lists as `compliance.members_without_activity` over the recent meetings, read
    with a few queries (who is on the roll and since when; who attended in scope in the
    last three months; the last date only for the rest) instead of loading months of
    attendance: members are built only for those listed. ``roll_today``:
    `RosterRepo.roll_on(today)` when the caller has it."""
    from branchdesk.domain.compliance import (
        INACTIVE_ACTION_MONTHS,
        INACTIVE_LOOKBACK_MONTHS,
        INACTIVE_WARN_MONTHS,
        Inactive,
        add_months,
        counted_from,
        months_inactive,
    )
    from branchdesk.domain.meetings import committee_ids_on
    from branchdesk.domain.members import RosterEntry

    first = book.meetings.first_date()
    if first is None:
        return [], []
    # Only the recent months matter (domain: INACTIVE_LOOKBACK_MONTHS). Silence is counted
    # from the first meeting in the book at the earliest: a book started today must not
    # call everyone "6 months without 组织生活".
    posts = book.branch.committee()
    groups = groups_of_members(book)

    def serving(day: dt.date) -> frozenset[int]:
        return committee_ids_on(posts, day)

    roll = book.roster.roll_on(today) if roll_today is None else roll_today
    # Whoever attended since the first day that is not yet 3 months back is not listed:
    # one pass over three months of meetings; the last date is then read for the rest.
    recent = add_months(today, -INACTIVE_WARN_MONTHS) - dt.timedelta(days=4)
    while add_months(recent, INACTIVE_WARN_MONTHS) <= today:
        recent += dt.timedelta(days=1)
    active = book.meetings.attended(recent, today, groups, serving)
    rest = [member_id for member_id, _full, _entered in roll if member_id not in active]
    since = add_months(today, -INACTIVE_LOOKBACK_MONTHS)
    last = book.meetings.last_attended(since, today, groups, serving, rest) if rest else {}
    found: dict[int, tuple[dt.date | None, dt.date | None, int]] = {}
    for member_id, _full, entered in roll:
        if member_id in active:
            continue
        seen = last.get(member_id)
        counted = counted_from(entered, first)
        months = months_inactive(seen, counted, today)
        if months:
            found[member_id] = (seen, counted, months)
    three: list[Inactive] = []
    six: list[Inactive] = []
    for m in book.roster.members_by_id(found):
        seen, counted, months = found[m.id or 0]
        entry = RosterEntry(m, m.category_on(today), m.under_probation_on(today))
        record = Inactive(entry, seen, counted)
        if months == INACTIVE_ACTION_MONTHS:
            six.append(record)
        elif months == INACTIVE_WARN_MONTHS:
            three.append(record)
    return three, six


def missing_this_period(
    book: Book, today: dt.date, roster_today: list[Any] | None = None
) -> list[str]:
    """What is required for the current month or quarter and not yet held, in words.
    ``roster_today`` (optional) saves reading the roster again when the caller has it."""
    grid = grid_for(book, today.year, today, roster_today)
    out = []
    for row in grid.rows:
        for cell in row.cells:
            p = cell.period
            current = p.start <= today <= p.end and row.frequency != "year"
            if current and cell.state == CellState.NOT_YET_DUE:
                out.append(f"{row.label}（{p.label}）尚未召开")
            elif cell.state == CellState.MISSING and p.end >= today - dt.timedelta(days=92):
                out.append(f"{row.label}（{p.label}）未召开")
    return out
