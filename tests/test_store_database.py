"""The book's connection (`store/database.BookDatabase`): plain SQL with sqlite-utils'
meaning for ``execute`` and ``query``, sqlite-utils' table API on demand, transactions."""

from __future__ import annotations

import sqlite3

import pytest

from branchdesk.store.database import BookDatabase


@pytest.fixture
def db(tmp_path):
    conn = sqlite3.connect(tmp_path / "x.db")
    d = BookDatabase(conn)
    d.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)")
    yield d
    d.close()


def other(tmp_path):
    return sqlite3.connect(tmp_path / "x.db")


def test_a_write_outside_a_transaction_commits_at_once(db, tmp_path):
    db.execute("INSERT INTO t (v) VALUES (?)", ["a"])
    assert not db.conn.in_transaction
    assert other(tmp_path).execute("SELECT v FROM t").fetchall() == [("a",)]


def test_a_failed_write_leaves_no_transaction_open(db):
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO t (v) VALUES (NULL)")
    assert not db.conn.in_transaction


def test_query_runs_at_once_and_yields_dicts(db):
    db.execute("INSERT INTO t (v) VALUES ('a'), ('b')")
    rows = db.query("SELECT id, v FROM t ORDER BY id")
    db.execute("DELETE FROM t")  # the statement ran before this; rows are still read
    assert next(rows) == {"id": 1, "v": "a"}
    with pytest.raises(ValueError):
        db.query("DELETE FROM t")


def test_nested_atomic_undoes_only_the_inner_part(db, tmp_path):
    with db.atomic():
        db.execute("INSERT INTO t (v) VALUES ('outer')")
        with pytest.raises(RuntimeError), db.atomic():
            db.execute("INSERT INTO t (v) VALUES ('inner')")
            raise RuntimeError
    assert [r[0] for r in other(tmp_path).execute("SELECT v FROM t")] == ["outer"]


def test_an_error_rolls_the_whole_transaction_back(db, tmp_path):
    with pytest.raises(RuntimeError), db.atomic():
        db.execute("INSERT INTO t (v) VALUES ('x')")
        raise RuntimeError
    assert other(tmp_path).execute("SELECT count(*) FROM t").fetchone() == (0,)


def test_the_table_api_works_inside_the_books_transaction(db, tmp_path):
    db.execute("INSERT INTO t (v) VALUES ('a')")
    with db.atomic():
        db.table("t").update(1, {"v": "b"})
        assert db.conn.in_transaction
    assert other(tmp_path).execute("SELECT v FROM t").fetchone() == ("b",)
