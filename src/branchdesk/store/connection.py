"""The one place where the store opens an SQLite connection.

Every connection to a book, a backup or a staged copy is made here, so that what every
connection needs (today: the busy timeout; later perhaps a key for an encrypted book) is
decided once.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

BUSY_TIMEOUT_MS = 10_000


def open_sqlite(target: str | Path, *, uri: bool = False) -> sqlite3.Connection:
    """A connection to ``target`` (a path, or a ``file:`` URI when ``uri``)."""
    return sqlite3.connect(target, uri=uri, timeout=BUSY_TIMEOUT_MS / 1000)
