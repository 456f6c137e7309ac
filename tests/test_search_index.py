"""The search index inside the book (store/search_index.py): what it finds is exactly what
the base tables hold, however the records were written since it was built."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive_helpers import add_meeting, add_year_records
from branchdesk.areas import opened
from branchdesk.store.search import SOURCES, SOURCES_BY_NAME, index_mark, maintain

D = dt.date
ALPHABET = "党员谈心话会议aAbB 1，"
texts = st.text(alphabet=ALPHABET, min_size=0, max_size=12)
queries = st.text(alphabet=ALPHABET, min_size=1, max_size=4).filter(lambda q: q.strip())


@pytest.fixture
def filed(demo_book):
    """The demo book with 2025 filed (its records locked) and 2026 open."""
    opened(demo_book)
    add_meeting(demo_book, D(2025, 3, 5))
    add_meeting(demo_book, D(2026, 3, 5), "二〇二六年三月支部党员大会")
    add_year_records(demo_book)
    demo_book.archive.file_year(2025)
    return demo_book


def _raw(book) -> sqlite3.Connection:
    """Another program's connection: no code of ours on it."""
    return sqlite3.connect(book.path, timeout=10)


def _index(book) -> None:
    conn = sqlite3.connect(book.path, timeout=10)
    try:
        maintain(conn)
    finally:
        conn.close()


def _compare(book, query: str) -> None:
    repo = book.search
    q = query.strip().lower()
    latin = any("a" <= ch <= "z" for ch in q)
    for source in SOURCES:
        by_index = repo._find_indexed(source, q, latin, 10**6)
        assert by_index is not None, source.name
        by_sql = repo._find_sql(source, q, latin, 10**6)
        key = lambda m: (m.record_id, m.label, m.text, m.date, m.year)  # noqa: E731
        assert sorted(by_index, key=key) == sorted(by_sql, key=key), (source.name, q)
        newest = lambda ms: [(m.date, m.record_id) for m in ms]  # noqa: E731
        assert newest(repo._find_indexed(source, q, latin, 3) or []) == newest(
            repo._find_sql(source, q, latin, 3)
        ), (source.name, q)  # the newest first, cut at the limit alike


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    before=st.booleans(),
    summaries=st.lists(texts, min_size=1, max_size=4),
    reasons=st.lists(texts, min_size=0, max_size=4),
    deleted=st.integers(min_value=0, max_value=2),
    content=texts,
    after=st.booleans(),
    asked=st.lists(queries, min_size=1, max_size=4),
)
def test_the_index_finds_exactly_what_the_base_tables_hold(
    filed, before, summaries, reasons, deleted, content, after, asked
):
    book = filed
    if before:
        _index(book)
    conn = _raw(book)  # edits by another program, after the index was built
    try:
        open_talks = [r[0] for r in conn.execute("SELECT id FROM talk WHERE year = 2026")]
        for talk, summary in zip(open_talks, summaries, strict=False):
            conn.execute("UPDATE talk SET summary = ? WHERE id = ?", [summary, talk])
        member = conn.execute("SELECT id FROM member ORDER BY id LIMIT 1").fetchone()[0]
        for reason in reasons:
            conn.execute(
                "INSERT INTO points_entry (member_id, date, item, category, points, count,"
                " reason) VALUES (?, '2026-04-01', '参加志愿服务', '加分', 2, 1, ?)",
                [member, reason],
            )
        conn.execute(
            "DELETE FROM meeting_agenda WHERE rowid IN (SELECT a.rowid FROM meeting_agenda a"
            " JOIN meeting m ON m.id = a.meeting_id WHERE m.belongs_to_year = 2026"
            " ORDER BY a.rowid DESC LIMIT ?)",
            [deleted],
        )
        conn.execute(
            "UPDATE meeting SET content = ?, date = '2026-05-0' || (id % 9 + 1)"
            " WHERE belongs_to_year = 2026 AND id = (SELECT max(id) FROM meeting)",
            [content],
        )
        with pytest.raises(sqlite3.DatabaseError):  # the filed year stays as it was
            conn.execute("UPDATE talk SET summary = 'x' WHERE year = 2025")
        conn.commit()
    finally:
        conn.close()
    if after:
        _index(book)
    if not before and not after:
        _index(book)  # built after the edits
    for query in asked:
        _compare(book, query)


def test_a_stale_index_is_caught_up_and_gives_todays_answer(filed):
    book = filed
    _index(book)
    conn = _raw(book)
    conn.execute("UPDATE talk SET summary = '谈到独一无二的心愿' WHERE year = 2026")
    conn.commit()
    conn.close()
    talks = SOURCES_BY_NAME["talks"]
    mark = index_mark(book.db.conn, talks)
    hits = book.search.talks("独一无二")  # the index is behind: the rows are read as they are
    assert hits and all("独一无二" in h.text for h in hits)
    assert index_mark(book.db.conn, talks) == mark  # a search never writes
    _index(book)
    assert index_mark(book.db.conn, talks) != mark  # caught up to the newest audit row
    assert book.search._find_indexed(talks, "独一无二", False, 300) is not None
    assert book.search.talks("独一无二") == hits
    indexed = book.db.execute(
        "SELECT count(*) FROM search_row_talks WHERE text LIKE '%独一无二%'"
    ).fetchone()[0]
    assert indexed == len(hits)


def test_a_book_without_an_index_is_searched_by_sql(filed):
    book = filed
    talks = SOURCES_BY_NAME["talks"]
    assert book.search._find_indexed(talks, "谈", False, 300) is None
    assert book.search.talks("谈") is not None


def test_the_command_line_search_uses_the_index(filed, capsys, monkeypatch):
    from branchdesk import cli
    from branchdesk.store import search as search_module

    book = filed
    path = book.path
    _index(book)
    book.close(backup=False)
    used = []
    real = search_module.SearchRepo._find_indexed

    def spy(self, source, q, latin, limit):
        got = real(self, source, q, latin, limit)
        used.append((source.name, got is not None))
        return got

    monkeypatch.setattr(search_module.SearchRepo, "_find_indexed", spy)
    monkeypatch.setattr(search_module.SearchRepo, "_find_sql", None)  # never asked
    assert cli.main(["--data", str(path), "search", "党员", "--format", "json"]) == 0
    assert "党员" in capsys.readouterr().out
    assert used and all(ok for _name, ok in used)


def test_a_row_changed_behind_the_audit_trail_is_not_reported_as_it_was(filed):
    """A write the trail did not see (its trigger dropped meanwhile, as another program
    might): the index still names the row, but what it reports is the row as it is now."""
    book = filed
    conn = _raw(book)
    talk = conn.execute("SELECT id FROM talk WHERE year = 2026 ORDER BY id LIMIT 1").fetchone()[0]
    conn.execute("UPDATE talk SET summary = '谈到独一无二的心愿' WHERE id = ?", [talk])
    conn.commit()
    _index(book)
    (sql,) = conn.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'archive_audit_talk_update'"
    ).fetchone()
    conn.execute("DROP TRIGGER archive_audit_talk_update")
    conn.execute("UPDATE talk SET summary = '改过了' WHERE id = ?", [talk])
    conn.execute(sql)
    conn.commit()
    conn.close()
    talks = SOURCES_BY_NAME["talks"]
    assert book.search._find_indexed(talks, "独一无二", False, 300) == []
    assert not book.search.talks("独一无二")


@pytest.fixture
def no_keys_kept():
    """The keys this process unlocked are forgotten afterwards (the next test's files
    are opened as plain ones)."""
    from branchdesk.store.connection import forget_all_keys

    yield
    forget_all_keys()


def test_the_index_goes_with_the_book_when_a_password_is_set(filed, no_keys_kept):
    """It lives in the book's own file: encrypted with it, no side file; an encrypted book
    without one is searched by SQL."""
    from branchdesk.store.cipher import set_password

    book = filed
    talks = SOURCES_BY_NAME["talks"]
    before = book.search.talks("谈")
    set_password(book, "Abc12345!x")
    assert book.search._find_indexed(talks, "谈", False, 300) is None  # none yet: SQL
    assert book.search.talks("谈") == before
    book.search.indexer()()  # built through the key, on a connection of its own
    assert book.search._find_indexed(talks, "谈", False, 300) is not None
    assert book.search.talks("谈") == before
    assert [p.name for p in book.path.parent.iterdir() if "search" in p.name] == []
