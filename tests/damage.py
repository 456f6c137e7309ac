"""Helpers that damage a book the way real damage looks, for the repair tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def drop_index_entry(path: Path, index: str = "member_id_number") -> None:
    """Add a member while ``index`` is hidden from the schema, then put it back: the index
    lacks that row's entry. quick_check does not notice; integrity_check does."""
    conn = sqlite3.connect(path)
    row = conn.execute(
        "SELECT type, name, tbl_name, rootpage, sql FROM sqlite_master WHERE name = ?", [index]
    ).fetchone()
    conn.execute("PRAGMA writable_schema=ON")
    conn.execute("DELETE FROM sqlite_master WHERE name = ?", [index])
    conn.commit()
    conn.close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO member (name, id_number) VALUES ('补录', '110101199003071235')")
    conn.commit()
    conn.close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA writable_schema=ON")
    conn.execute("INSERT INTO sqlite_master VALUES (?, ?, ?, ?, ?)", row)
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def break_table_page(path: Path, table: str = "member") -> None:
    """Overwrite the b-tree page header of ``table``'s root page: the table is unreadable,
    the rest of the book is not."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [table]).fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(path, "r+b") as fh:
        fh.seek((root - 1) * page_size)
        fh.write(b"\xff" * 8)
