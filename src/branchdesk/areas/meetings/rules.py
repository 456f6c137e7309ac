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


def grid_for(book: Book, year: int, today: dt.date, roster_today: list[Any] | None = None) -> Grid:
    # Only meetings that can fall in the year's periods (yearly rows count by 所属年度).
    meetings = book.meetings.outlines(year)
    # The committee counts as existing when it did at the end of the year (or today).
    day = min(today, dt.date(year, 12, 31))
    roster = roster_today if roster_today is not None and day == today else book.roster.on(day)
    posts = book.branch.committee()
    committee = has_committee(roster, posts, day)
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


def inactive_members(book: Book, today: dt.date) -> tuple[list[Any], list[Any]]:
    """Members with no 组织生活 attended for 3 and for 6 months (docs/domain.md "Alarms")."""
    from branchdesk.domain.compliance import members_without_activity

    first = book.meetings.first_date()
    if first is None:
        return [], []
    # Only the recent months matter (domain: INACTIVE_LOOKBACK_MONTHS). Silence is counted
    # from the first meeting in the book at the earliest: a book started today must not
    # call everyone "6 months without 组织生活".
    from branchdesk.domain.compliance import INACTIVE_LOOKBACK_MONTHS, add_months

    recent = book.meetings.records_since(add_months(today, -INACTIVE_LOOKBACK_MONTHS))
    return members_without_activity(
        book.roster.on(today),
        [r.meeting for r in recent],
        today,
        committee_posts=book.branch.committee(),
        groups_of_members=groups_of_members(book),
        since=first,
    )


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
