"""Looking at a book without writing anything, and telling "protected" from "damaged".

A plain read-only SQLite connection to a WAL book still creates `-wal` and `-shm` beside
it, and fails outright in a folder that may not be written. When no `-wal` (and no
`-journal`) is present the main file holds every committed transaction and nobody is
writing, so it is read as ``immutable``: nothing is created, nothing locked. When a `-wal`
is present (a writer is open, or one crashed) it must be read through SQLite's normal
read-only path, which needs its `-shm`.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

from branchdesk.store.connection import LOOKUP
from branchdesk.store.errors import BookError, CorruptBookError
from branchdesk.store.sqlerrors import BookReadOnlyError, translate

_CORRUPT = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}


def wal_path(path: Path) -> Path:
    return Path(str(path) + "-wal")


def inspection_connection(
    path: Path, *, empty_wal_is_absent: bool = False, key: str | None = LOOKUP
) -> sqlite3.Connection:
    """``empty_wal_is_absent``: read as immutable when the -wal holds nothing — for a full
    disk, where SQLite cannot make room for the -shm it would otherwise need. ``key``: an
    encrypted file's password (by default the one held for it, see store/connection)."""
    from branchdesk.store.connection import BUSY_TIMEOUT_MS, open_sqlite
    from branchdesk.store.database import uri_for

    wal = wal_path(path)
    wal_in_use = wal.exists() and not (empty_wal_is_absent and wal.stat().st_size == 0)
    # A -journal means a rollback-mode writer may be at work: read through the locks too.
    busy = wal_in_use or Path(str(path) + "-journal").exists()
    mode = {"mode": "ro"} if busy else {"immutable": "1"}
    conn = open_sqlite(uri_for(path, **mode), uri=True, key=key)
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return conn


def may_write(path: Path) -> bool:
    """Whether the book may be changed: its owner left it writable (the write bit — root
    ignores permissions, the user's choice still counts), the OS allows it, and the folder
    allows the -wal/-shm files SQLite needs beside it."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    if not mode & stat.S_IWUSR:
        return False
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


def opening_error(path: Path, exc: Exception) -> BookError:
    """What to tell the user when SQLite cannot read the file: damage only when it is
    damage. A folder that may not be written, or a full disk, is said as such."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = None if code is None else code & 0xFF
    if primary in _CORRUPT or primary is None:
        return CorruptBookError(f"账簿“{path.name}”已损坏，无法读取（{exc}）。请从备份恢复。")
    if primary in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY) and not os.access(
        path.parent, os.W_OK
    ):
        return BookReadOnlyError(
            f"账簿“{path.name}”所在的文件夹不允许写入，而账簿旁有一份尚未合并的"
            f"“{wal_path(path).name}”文件，读取它需要在文件夹中建立临时文件。账簿没有损坏："
            "请让文件夹可写，或把账簿连同它旁边的 -wal 文件一起复制到可写的文件夹后再打开。"
        )
    mapped = translate(exc, path.parent)
    if isinstance(mapped, BookError):
        return mapped
    return CorruptBookError(f"账簿“{path.name}”无法读取（{exc}）。")
