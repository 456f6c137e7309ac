"""The demo is dated relative to today: opened in any year it shows a branch at work."""

from __future__ import annotations

import datetime as dt

import pytest

from branchdesk.areas.meetings.rules import grid_for
from branchdesk.areas.roster.demo import DEMO_WRITTEN_FOR, demo_years
from branchdesk.demo import create_demo_book
from branchdesk.domain.compliance import CellState

D = dt.date


def test_demo_years():
    assert demo_years(DEMO_WRITTEN_FOR) == 0
    assert demo_years(D(2027, 11, 30)) == 0
    assert demo_years(D(2027, 12, 1)) == 1
    assert demo_years(D(2031, 1, 5)) == 4


@pytest.mark.parametrize("today", [D(2026, 12, 1), D(2027, 3, 10), D(2028, 1, 20), D(2031, 7, 1)])
def test_demo_is_recent_on_any_day(tmp_path, today):
    book = create_demo_book(tmp_path / "d.db", today=today)
    try:
        members = book.roster.members()
        assert all(m.join_date and m.join_date <= today for m in members)
        roster = book.roster.on(today)
        assert len(roster) == 24  # 25, one transferred out
        summaries = book.meetings.summaries(today.year) + book.meetings.summaries(
            today.year - 1
        )
        last = max(s.date for s in summaries)
        assert today - dt.timedelta(days=45) <= last <= today  # meetings lately
        assert book.branch.committee_on(today)  # a committee serving today
        grid = grid_for(book, today.year, today)
        missing = [c for row in grid.rows for c in row.cells if c.state == CellState.MISSING]
        held = [c for row in grid.rows for c in row.cells if c.state == CellState.HELD]
        assert held or today.month == 1  # the year so far is not all 未开展
        assert len(missing) <= 2
    finally:
        book.close(backup=False)


def test_demo_as_written_on_its_day(tmp_path):
    book = create_demo_book(tmp_path / "d.db", today=DEMO_WRITTEN_FOR)
    try:
        luo = next(m for m in book.roster.members() if m.name == "罗晨")
        assert luo.join_date == D(2025, 12, 15)
        assert max(s.date for s in book.meetings.summaries(2026)) <= D(2026, 11, 20)
    finally:
        book.close(backup=False)
