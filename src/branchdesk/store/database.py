"""The book's connection: plain SQL over sqlite3 for the repositories, transactions that
take the write lock up front, failures as the store's own errors — and sqlite-utils over
the same connection only where its table API or the migrations need it.

Why not a sqlite-utils ``Database`` throughout: importing sqlite-utils pulls in click,
dateutil, pluggy and tabulate (~70 ms), all before the window's first paint, while the
repositories call only ``execute`` and ``query``. So `BookDatabase` offers those two with
sqlite-utils' meaning (a write outside a transaction commits at once; ``query`` runs at
once and yields dicts) and imports sqlite-utils on the first ``table()`` or migration.
"""

from __future__ import annotations

import contextlib
import itertools
import sqlite3
from collections.abc import Generator, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from branchdesk.store import connection as _conn  # its error tuples, read when needed
from branchdesk.store.connection import BUSY_TIMEOUT_MS, open_sqlite
from branchdesk.store.errors import BookError
from branchdesk.store.sqlerrors import (
    READ_ONLY_MESSAGE,
    BookReadOnlyError,
    translate,
    translated,
)

if TYPE_CHECKING:
    import sqlite_utils
    from sqlite_utils.db import Table

_TRANSACTION_CONTROL = frozenset({"SAVEPOINT", "COMMIT", "ROLLBACK", "BEGIN", "RELEASE", "END"})
#: Savepoint names, unique within the process.
_savepoints = itertools.count(1)


class BookDatabase:
    """One connection to one book.

    ``atomic()`` starts with ``BEGIN IMMEDIATE``: a transaction that reads before it writes
    would otherwise hold only a read snapshot, and when another process commits first the
    upgrade to a write lock fails at once (SQLITE_BUSY) — the busy timeout never applies.
    Taking the lock first makes a second writer wait up to ``BUSY_TIMEOUT_MS`` instead.
    Nested ``atomic()`` blocks are savepoints.
    """

    read_only = False
    #: Why a read-only book refuses a write (a protected file, or a full disk at opening).
    refusal: type[BookError] = BookReadOnlyError
    refusal_message = READ_ONLY_MESSAGE
    #: The book's folder, to tell a full disk behind an I/O error.
    folder: Path | None = None

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._utils: sqlite_utils.Database | None = None
        conn.execute("PRAGMA recursive_triggers=on")  # as sqlite-utils sets it

    # -- plain SQL ----------------------------------------------------------------
    def execute(self, sql: str, parameters: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Cursor:
        """Run one statement. As in sqlite-utils: a write outside a transaction commits at
        once, and a failed one leaves no implicit transaction open."""
        conn = self.conn
        was_in_transaction = conn.in_transaction
        try:
            cursor = conn.execute(sql, parameters)
        except Exception:
            if not was_in_transaction and conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        if (
            not was_in_transaction
            and conn.in_transaction
            and cursor.description is None
            and _first_keyword(sql) not in _TRANSACTION_CONTROL
        ):
            conn.execute("COMMIT")
        return cursor

    def query(
        self, sql: str, parameters: Sequence[Any] | dict[str, Any] = ()
    ) -> Iterator[dict[str, Any]]:
        """The rows as dicts. The statement runs now; rows are fetched as iterated."""
        cursor = self.conn.execute(sql, parameters)
        if cursor.description is None:
            raise ValueError("query() can only be used with SQL that returns rows")
        keys = [d[0] for d in cursor.description]
        return (dict(zip(keys, row, strict=True)) for row in cursor)

    # -- sqlite-utils, on demand -----------------------------------------------------
    @property
    def utils(self) -> sqlite_utils.Database:
        """sqlite-utils over this connection (imported on first use). Its transactions are
        this database's ``atomic()``."""
        if self._utils is None:
            self._utils = _schema_database(self)
        return self._utils

    def table(self, name: str) -> Table:
        """sqlite-utils' table API (``db.table("member").update(id, row)``)."""
        return self.utils.table(name)

    # -- transactions -------------------------------------------------------------
    @contextlib.contextmanager
    def atomic(self) -> Generator[BookDatabase, None, None]:
        if self.conn.in_transaction:
            with translated(self.folder), self._savepoint():
                yield self
            return
        if self.read_only:
            raise self.refusal(self.refusal_message)
        with translated(self.folder):
            self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException as exc:
            self._rollback_quietly()
            mapped = translate(exc, self.folder)
            if mapped is not exc:
                raise mapped from exc
            raise
        try:
            self.conn.execute("COMMIT")
        except BaseException as exc:
            self._rollback_quietly()
            mapped = translate(exc, self.folder)
            if mapped is not exc:
                raise mapped from exc
            raise

    @contextlib.contextmanager
    def _savepoint(self) -> Iterator[None]:
        name = f"bd_atomic_{next(_savepoints)}"
        self.conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            # A RAISE(ROLLBACK) trigger may have ended the whole transaction already.
            if self.conn.in_transaction:
                self.conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                self.conn.execute(f"RELEASE SAVEPOINT {name}")
            raise
        self.conn.execute(f"RELEASE SAVEPOINT {name}")

    def _rollback_quietly(self) -> None:
        if self.conn.in_transaction:
            with contextlib.suppress(*_conn.ERRORS):
                self.conn.execute("ROLLBACK")

    def close(self) -> None:
        self.conn.close()


#: The name the repositories annotate their connection with.
Database = BookDatabase


def _schema_database(book_db: BookDatabase) -> sqlite_utils.Database:
    import sqlite_utils

    class SchemaDatabase(sqlite_utils.Database):
        """sqlite-utils whose transactions are the book's (BEGIN IMMEDIATE, errors in
        words)."""

        @contextlib.contextmanager
        def atomic(self) -> Generator[sqlite_utils.Database, None, None]:
            with book_db.atomic():
                yield self

    return SchemaDatabase(book_db.conn, execute_plugins=False, recursive_triggers=False)


def _first_keyword(sql: str) -> str:
    text = sql.lstrip(" \t\r\n;\ufeff")
    while text.startswith(("--", "/*")):
        end = text.find("\n") + 1 if text.startswith("--") else text.find("*/") + 2
        if end <= 1:
            return ""
        text = text[end:].lstrip(" \t\r\n;")
    words = text.split(None, 1)
    return words[0].upper().rstrip(";(") if words else ""


def uri_for(path: Path, **params: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"file:{quote(str(Path(path).absolute()))}?{query}"


def connect(path: Path, *, read_only: bool = False) -> BookDatabase:
    """Open the book. Read-only connections never create or change a file, so they also
    work for a book the user protected (chmod 400) and on a full disk."""
    with translated(Path(path).parent):
        conn = open_sqlite(uri_for(path, mode="ro"), uri=True) if read_only else open_sqlite(path)
        try:
            if not read_only:
                conn.execute("PRAGMA journal_mode=WAL")
                # FULL: a commit survives power loss as well as a crash. Writes here are
                # small and human-paced, so the cost is invisible and the book is the
                # user's only copy.
                conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        except BaseException:
            conn.close()
            raise
    db = BookDatabase(conn)
    db.read_only = read_only
    db.folder = Path(path).parent
    return db
