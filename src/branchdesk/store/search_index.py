"""The search index kept inside the book: overlapping character pairs in FTS5.

FTS5's own tokenizers cannot find 1–2 characters of Chinese on SQLite 3.40, so the text is
split here: each field, its Latin letters lower-cased, becomes the pairs of neighbouring
characters ("谈心谈话" → 谈心 心谈 谈话) plus its last character alone, every character
written as four base-36 digits so that the ``ascii`` tokenizer keeps each pair one token
and punctuation, spaces and digits are characters like any other. A 2-character query is
one token, a 1-character query a prefix (``prefix='4'``), a longer one the phrase of its
pairs; every candidate is then confirmed with ``in`` on the stored text, so the index only
narrows, it never decides. (``detail=column`` would save a tenth of the size and make a
phrase cost about twice as much.)

Per source (meetings, talks, points, life) a contentless FTS5 table ``search_fts_<name>``
and ``search_row_<name>`` (the field's text and where it comes from: group, rowid, field,
record, day, year). A row's id orders it newest first: (day, record, a counter), so
``ORDER BY rowid DESC`` stops after the newest hits. ``search_state`` holds the audit row
each source's index is current to. Rows written since — the audit triggers see every
connection's writes — are passed over in the index and read from the base tables as they
are now; `maintain` (run on a worker) folds them in. No migration: the tables are made by
the first `maintain`, and a book without them (older, read-only) is searched as before.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable

from branchdesk.store.connection import ERRORS

_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_CODES: dict[str, str] = {}
_DAY_SHIFT, _IDENT_SHIFT = 33, 13
_IDENT_MAX, _K_MAX = 1 << 20, 1 << 13
#: Rows read (and their tokens made, outside any write) before each short write.
CHUNK = 200


def _code(ch: str) -> str:
    code = _CODES.get(ch)
    if code is None:
        n = ord(ch)
        code = _DIGITS[n // 46656 % 36] + _DIGITS[n // 1296 % 36] + _DIGITS[n // 36 % 36]
        code += _DIGITS[n % 36]
        _CODES[ch] = code
    return code


def grams(text: str) -> str:
    """The tokens of ``text``: its character pairs and its last character."""
    codes = [_code(ch) for ch in text.lower()]
    if not codes:
        return ""
    return " ".join([a + b for a, b in zip(codes, codes[1:], strict=False)] + [codes[-1]])


def match_expr(q: str) -> str:
    """The FTS5 query for ``q`` (already lower-cased): a prefix, a token or a phrase."""
    codes = [_code(ch) for ch in q]
    if len(codes) == 1:
        return codes[0] + "*"
    return '"' + " ".join(a + b for a, b in zip(codes, codes[1:], strict=False)) + '"'



def key(day: str | None, ident: int) -> int:
    """The first id of (day, record): a row's id is this plus a counter."""
    ordinal = dt.date.fromisoformat(day).toordinal() if day else 0
    if not 0 <= ident < _IDENT_MAX:
        raise ValueError(f"record id {ident} out of the index's range")
    return (ordinal << _DAY_SHIFT) | (ident << _IDENT_SHIFT)


def fts(name: str) -> str:
    return f"search_fts_{name}"


def rows(name: str) -> str:
    return f"search_row_{name}"


def tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


#: Changes when the index's layout does (an index of another version is built again).
VERSION = 1


def _create(conn: sqlite3.Connection, name: str) -> None:
    """The source's index tables, empty."""
    conn.execute(f"DROP TABLE IF EXISTS {fts(name)}")
    conn.execute(f"DROP TABLE IF EXISTS {rows(name)}")
    conn.execute(
        f"CREATE VIRTUAL TABLE {fts(name)} USING fts5(g, content='', prefix='4',"
        " tokenize='ascii', columnsize=0)"
    )
    conn.execute(
        f"CREATE TABLE {rows(name)} (id INTEGER PRIMARY KEY, grp INTEGER NOT NULL,"
        " rid INTEGER NOT NULL, n INTEGER NOT NULL, ident INTEGER NOT NULL, day TEXT,"
        " year INTEGER, text TEXT NOT NULL)"
    )
    conn.execute(f"CREATE INDEX {rows(name)}_rid ON {rows(name)} (grp, rid)")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS search_state (source TEXT PRIMARY KEY, mark TEXT NOT NULL)"
    )


def state(conn: sqlite3.Connection, name: str) -> tuple[object, ...] | None:
    """The audit row the source's index is current to (() for an empty trail), or None:
    no complete index."""
    try:
        row = conn.execute("SELECT mark FROM search_state WHERE source = ?", [name]).fetchone()
    except ERRORS:
        return None
    return None if row is None else tuple(json.loads(row[0]))


def _mark(conn: sqlite3.Connection) -> tuple[object, ...]:
    last = conn.execute(
        "SELECT id, at, tbl, row_id FROM archive_audit ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return tuple(last) if last else ()


def prepared(
    conn: sqlite3.Connection, name: str,
    found: Iterable[tuple[int, int, int, str | None, int | None, list[str]]],
    counters: dict[int, int] | None,
) -> tuple[list[tuple[object, ...]], list[tuple[int, str]]]:  # fmt: skip
    """The index rows of (group, rid, ident, day, year, texts) rows: for the row table and
    for FTS5. ``counters`` (the next free id of each (day, record)) None: ask the table."""
    fts_rows: list[tuple[int, str]] = []
    kept: list[tuple[object, ...]] = []
    asked = counters is None
    counters = {} if counters is None else counters
    for g, rid, ident, day, year, texts in found:
        base = key(day, ident)
        for n, txt in enumerate(texts):
            if not txt:
                continue
            if base not in counters and asked:
                top = conn.execute(
                    f"SELECT max(id) FROM {rows(name)} WHERE id BETWEEN ? AND ?",
                    [base, base + _K_MAX - 1],
                ).fetchone()[0]
                counters[base] = 0 if top is None else top - base + 1
            k = counters.get(base, 0)
            counters[base] = k + 1
            if k >= _K_MAX:
                raise ValueError("too many fields on one day of one record for the index")
            kept.append((base + k, g, rid, n, ident, day, year, txt))
            fts_rows.append((base + k, grams(txt)))
    return kept, fts_rows


def write(conn: sqlite3.Connection, name: str,
          ready: tuple[list[tuple[object, ...]], list[tuple[int, str]]]) -> None:  # fmt: skip
    kept, fts_rows = ready
    conn.executemany(f"INSERT INTO {rows(name)} VALUES (?, ?, ?, ?, ?, ?, ?, ?)", kept)
    conn.executemany(f"INSERT INTO {fts(name)} (rowid, g) VALUES (?, ?)", fts_rows)


def _forget(conn: sqlite3.Connection, name: str, g: int, rids: list[int]) -> None:
    marks = ",".join("?" * len(rids))
    old = conn.execute(
        f"SELECT id, text FROM {rows(name)} WHERE grp = ? AND rid IN ({marks})", [g, *rids]
    ).fetchall()
    conn.executemany(
        f"INSERT INTO {fts(name)} ({fts(name)}, rowid, g) VALUES ('delete', ?, ?)",
        [(i, grams(t)) for i, t in old],
    )
    conn.executemany(f"DELETE FROM {rows(name)} WHERE id = ?", [(i,) for i, _t in old])
