"""The book's connection: sqlite-utils ``Database`` whose transactions take the write
lock up front, and whose failures come out as the store's own errors."""

from __future__ import annotations

import contextlib
from collections.abc import Generator
from pathlib import Path
from urllib.parse import quote

from sqlite_utils import Database

from branchdesk.store.connection import BUSY_TIMEOUT_MS, ERRORS, open_sqlite
from branchdesk.store.errors import BookError
from branchdesk.store.sqlerrors import (
    READ_ONLY_MESSAGE,
    BookReadOnlyError,
    translate,
    translated,
)


class BookDatabase(Database):
    """A ``Database`` for one book.

    ``atomic()`` starts with ``BEGIN IMMEDIATE``: a transaction that reads before it writes
    would otherwise hold only a read snapshot, and when another process commits first the
    upgrade to a write lock fails at once (SQLITE_BUSY) — the busy timeout never applies.
    Taking the lock first makes a second writer wait up to ``BUSY_TIMEOUT_MS`` instead.
    """

    read_only = False
    #: Why a read-only book refuses a write (a protected file, or a full disk at opening).
    refusal: type[BookError] = BookReadOnlyError
    refusal_message = READ_ONLY_MESSAGE
    #: The book's folder, to tell a full disk behind an I/O error.
    folder: Path | None = None

    @contextlib.contextmanager
    def atomic(self) -> Generator[Database, None, None]:  # type: ignore[override]
        if self.conn.in_transaction:  # nested: sqlite-utils uses a savepoint
            with translated(self.folder), super().atomic():
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

    def _rollback_quietly(self) -> None:
        if self.conn.in_transaction:
            with contextlib.suppress(*ERRORS):
                self.conn.execute("ROLLBACK")


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
    db = BookDatabase(conn, execute_plugins=False)
    db.read_only = read_only
    db.folder = Path(path).parent
    return db
