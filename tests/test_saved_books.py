"""Saved books of earlier schemas stand for the books users have on disk: each must open
under today's code, keep every record, be upgraded (after a backup) and stay locked where it
was filed."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest

from branchdesk.store import open_book
from branchdesk.store.migrations import known_names

BOOKS = Path(__file__).parent / "books"


@pytest.fixture
def v0007(tmp_path):
    """tests/books/v0007.db: written by tools/make_saved_book.py with the 0001–0007 schema
    (the demo branch as of 2026-06-30, 2025 filed, one 更正)."""
    copy = tmp_path / "v0007.db"
    shutil.copy(BOOKS / "v0007.db", copy)
    return copy


def test_the_0007_book_opens_with_every_area_intact(v0007):
    with sqlite3.connect(v0007) as raw:
        saved = [r[0] for r in raw.execute("SELECT name FROM _sqlite_migrations")]
        counts = {
            t: raw.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("member", "meeting", "meeting_attendance", "points_entry", "talk")
        }
    assert saved == known_names()[: len(saved)] and saved[-1] == "0007_archive"
    assert all(counts.values()), counts
    book = open_book(v0007)
    try:
        applied = [r[0] for r in book.db.execute("SELECT name FROM _sqlite_migrations")]
        assert applied == known_names()
        assert len(book.roster.members()) == counts["member"]
        assert len(book.meetings.records()) == counts["meeting"]
        assert book.points.count() == counts["points_entry"]
        assert len(book.talks.talks()) == counts["talk"]
        assert book.archive.is_filed(2025)
        corrections = book.archive.corrections("meeting")
        assert [(c.corrected, c.reason) for c in corrections] == [
            ("（更正后的会议内容）", "记录人笔误")
        ]
        assert book.integrity_problems() == []
    finally:
        book.close(backup=False)


def test_the_filed_year_of_the_0007_book_stays_locked(v0007):
    book = open_book(v0007)
    try:
        filed = book.meetings.records(2025)[0].meeting
    finally:
        book.close(backup=False)
    query = "SELECT content FROM meeting WHERE id = ?"
    with sqlite3.connect(v0007) as raw:
        before = raw.execute(query, (filed.id,)).fetchone()[0]
        with pytest.raises(sqlite3.IntegrityError):
            raw.execute("UPDATE meeting SET content = 'x' WHERE id = ?", (filed.id,))
        with pytest.raises(sqlite3.IntegrityError):
            raw.execute("DELETE FROM points_entry WHERE date LIKE '2025-%'")
    again = open_book(v0007)
    try:
        assert again.db.execute(query, (filed.id,)).fetchone()[0] == before
        assert not again.archive.is_filed(dt.date.today().year + 1)
    finally:
        again.close(backup=False)
