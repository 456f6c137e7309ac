"""Opening a book safely, and the facade every other layer goes through.

Open sequence: inspect read-only (is it ours? healthy? from a newer version?) → back up
if an upgrade is pending → migrate in one transaction per step → open read-write.
Nothing is written to a file we refuse.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlite_utils import Database

from branchdesk.store import backup as backups
from branchdesk.store.branch import BranchRepo
from branchdesk.store.changes import EVERYTHING, Change, ChangeBus, bus_for
from branchdesk.store.errors import (
    BookNotFoundError,
    CorruptBookError,
    NewerBookError,
    NotABookError,
)
from branchdesk.store.migrations import APPLICATION_ID, MIGRATION_SET, known_names, migrations
from branchdesk.store.roster import RosterRepo
from branchdesk.store.settings import SettingsRepo
from branchdesk.store.tx import Pending, Writer

if TYPE_CHECKING:
    from branchdesk.store.archive import ArchiveRepo
    from branchdesk.store.meetings import MeetingsRepo
    from branchdesk.store.search import SearchRepo

SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class Inspection:
    applied: list[str]
    pending: list[str]


def inspect_book(path: Path) -> Inspection:
    """Read-only checks. Raises NotABookError / CorruptBookError / NewerBookError."""
    path = Path(path)
    if not path.exists():
        raise BookNotFoundError(f"找不到账簿文件：{path}")
    with open(path, "rb") as fh:
        header = fh.read(16)
    if header != SQLITE_HEADER:
        raise NotABookError(f"“{path.name}”不是党支部工作台的账簿文件（也不是 SQLite 数据库）。")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            check = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
            has_table = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE name = '_sqlite_migrations'"
            ).fetchone()
            applied = (
                [
                    r[0]
                    for r in conn.execute(
                        "SELECT name FROM _sqlite_migrations WHERE migration_set = ?"
                        " ORDER BY rowid",
                        [MIGRATION_SET],
                    )
                ]
                if has_table
                else []
            )
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise CorruptBookError(
            f"账簿“{path.name}”已损坏，无法读取（{exc}）。请从备份恢复。"
        ) from exc
    if app_id != APPLICATION_ID:
        raise NotABookError(f"“{path.name}”是一个数据库文件，但不是党支部工作台的账簿。")
    if check != ["ok"]:
        detail = "；".join(check[:3])
        raise CorruptBookError(f"账簿“{path.name}”校验失败：{detail}。请从备份恢复。")
    known = known_names()
    unknown = [name for name in applied if name not in known]
    if unknown:
        raise NewerBookError(
            f"账簿“{path.name}”由更新版本的党支部工作台保存（含本版本不认识的升级：{'、'.join(unknown)}）。"
            "为避免损坏数据，本版本不会打开或修改它，请安装最新版本。"
        )
    return Inspection(applied, [n for n in known if n not in applied])


def _connect(path: Path) -> Database:
    conn = sqlite3.connect(path, timeout=10)
    conn.execute("PRAGMA journal_mode=WAL")
    # FULL: a commit survives power loss as well as a crash. Writes here are small and
    # human-paced, so the cost is invisible and the book is the user's only copy.
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=10000")
    return Database(conn, execute_plugins=False)


def create_book(path: Path, branch_name: str, parent_org: str = "") -> Book:
    """Create a new, empty book. Refuses to overwrite anything."""
    path = Path(path)
    if not branch_name.strip():
        from branchdesk.store.errors import InputError

        raise InputError("支部名称不能为空")
    if path.exists():
        raise FileExistsError(f"文件已存在，不会覆盖：{path}")
    path.parent.mkdir(parents=True, exist_ok=True)
    backups.create_private_file(path)
    db = _connect(path)
    migrations.apply(db)
    book = Book(db, path)
    book.branch.set_profile(branch_name.strip(), parent_org.strip())
    return book


def open_book(path: Path) -> Book:
    """Open an existing book, upgrading it (after a backup) if it is from an older version."""
    path = Path(path)
    inspection = inspect_book(path)
    db = _connect(path)
    if inspection.pending:
        if inspection.applied:
            backups.take_backup(db.conn, path, "upgrade")
        migrations.apply(db)
    backups.make_private(path)
    return Book(db, path)


class Book:
    """The facade: one per open book, used from the thread that opened it.

    Every write goes through a repository (``book.roster``, ``book.meetings`` …) or
    ``book.atomic(area)``, which run it as one transaction and publish a `Change` on
    ``book.changes`` after the commit. Work that must not hold up the window (backups,
    a restore) is handed out as a *job*: a function that opens its own connection and so
    may run on any thread.
    """

    def __init__(self, db: Database, path: Path) -> None:
        self.db = db
        self.path = Path(path)
        self.changes: ChangeBus = bus_for(self.path)
        self.writer = Writer(db, self.changes)
        self.roster = RosterRepo(db, self.writer)
        self.branch = BranchRepo(db, self.writer)
        self.settings = SettingsRepo(db, self.writer)
        self._meetings: MeetingsRepo | None = None
        self._archive: ArchiveRepo | None = None
        self._search: SearchRepo | None = None
        self.closed = False
        self._backed_up_at = self._state()
        self._seen_version = self._data_version()

    @property
    def meetings(self) -> MeetingsRepo:
        """The meeting book; imported on first use so opening the roster stays quick."""
        if self._meetings is None:
            from branchdesk.store.meetings import MeetingsRepo

            self._meetings = MeetingsRepo(self.db, self.writer)
        return self._meetings

    @property
    def archive(self) -> ArchiveRepo:
        """Filing, corrections, the audit trail and the lock triggers (档案)."""
        if self._archive is None:
            from branchdesk.store.archive import ArchiveRepo

            self._archive = ArchiveRepo(self.db, self.writer)
        return self._archive

    @property
    def search(self) -> SearchRepo:
        """Full-text search over every area's records."""
        if self._search is None:
            from branchdesk.store.search import SearchRepo

            self._search = SearchRepo(self.db)
        return self._search

    def attachments_job(self, ids: list[int]) -> Callable[[], dict[int, bytes]]:
        """The files of these attachments, read on a connection of the calling thread (a
        meeting's photos can be hundreds of MB: the window reads them in a worker)."""
        path = self.path

        def run() -> dict[int, bytes]:
            from branchdesk.store.meetings import read_attachment_blobs

            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
            try:
                return read_attachment_blobs(conn, ids)
            finally:
                conn.close()

        return run

    @contextmanager
    def atomic(self, area: str = EVERYTHING) -> Iterator[Pending]:
        """Group several writes into one transaction (one user action)."""
        with self.writer.write(area) as pending:
            yield pending

    # -- changes ----------------------------------------------------------------
    def _data_version(self) -> int:
        # Moves whenever *another* connection (a worker thread, the command line)
        # commits to this file; our own commits show in total_changes instead.
        return int(self.db.execute("PRAGMA data_version").fetchone()[0])

    def _state(self) -> tuple[int, int]:
        return (self.db.conn.total_changes, self._data_version())

    def poll_external(self) -> bool:
        """True (and `Change(EVERYTHING)` published) when another connection or program
        committed to the book since the last look."""
        version = self._data_version()
        if version == self._seen_version:
            return False
        self._seen_version = version
        self.changes.publish(Change(EVERYTHING))
        return True

    def acknowledge_external(self) -> None:
        """A change from another connection of this process was already announced on the
        bus: do not announce it again as an unknown external one."""
        self._seen_version = self._data_version()

    # -- health -----------------------------------------------------------------
    def integrity_problems(self) -> list[str]:
        """Empty when healthy; else what integrity_check and foreign_key_check report."""
        problems = [
            r[0] for r in self.db.execute("PRAGMA integrity_check").fetchall() if r[0] != "ok"
        ]
        for table, rowid, parent, _ in self.db.execute("PRAGMA foreign_key_check").fetchall():
            problems.append(f"表 {table} 第 {rowid} 行引用了不存在的 {parent} 记录")
        return problems

    # -- backups ----------------------------------------------------------------
    @property
    def changed_since_backup(self) -> bool:
        """Whether anything was committed since the last backup, on any connection: the
        book's own data_version counts commits by other connections (a background
        import), total_changes our own."""
        return self._state() != self._backed_up_at

    def backup(self, reason: str = "manual") -> backups.BackupFile:
        made = backups.take_backup(self.db.conn, self.path, reason)
        self._backed_up_at = self._state()
        return made

    def backup_job(self, reason: str = "manual") -> tuple[Callable[[], backups.BackupFile], object]:
        """A backup that may run on a worker thread, on its own connection, and the token
        to hand to `backed_up` (on this thread) when it has finished."""
        token = self._state()
        path = self.path

        def run() -> backups.BackupFile:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
            try:
                return backups.take_backup(conn, path, reason)
            finally:
                conn.close()

        return run, token

    def backed_up(self, token: object) -> None:
        """A backup job begun at ``token`` has finished: what was committed before it
        started is safe; anything committed while it ran still counts as changed."""
        assert isinstance(token, tuple)
        self._backed_up_at = token

    def backup_to_job(self, target: Path) -> Callable[[], Path]:
        """A backup to a place the user chose (e.g. a USB stick), runnable anywhere."""
        target = Path(target)
        if target.exists():
            raise FileExistsError(f"文件已存在，不会覆盖：{target}")
        path = self.path

        def run() -> Path:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
            try:
                backups.copy_database(conn, target)
            finally:
                conn.close()
            return target

        return run

    def backup_to(self, target: Path) -> Path:
        return self.backup_to_job(target)()

    def backup_due(self, now: dt.datetime | None = None) -> bool:
        """At most one automatic backup a day, and only when something changed."""
        now = now or dt.datetime.now()
        if not self.changed_since_backup:
            return False
        latest = backups.list_backups(self.path)
        return not (latest and now - latest[0].taken_at < dt.timedelta(days=1))

    def backup_if_due(self, now: dt.datetime | None = None) -> backups.BackupFile | None:
        return self.backup("auto") if self.backup_due(now) else None

    def list_backups(self) -> list[backups.BackupFile]:
        return backups.list_backups(self.path)

    def restore_job(self, source: Path) -> Callable[[], backups.BackupFile]:
        """Replace this book's content with ``source``, keeping the current one as a
        backup; runs on its own connection, so on any thread. Call `restored` on this
        thread afterwards."""
        source = Path(source)
        inspect_book(source)
        path = self.path

        def run() -> backups.BackupFile:
            db = _connect(path)
            try:
                kept = backups.take_backup(db.conn, path, "restore")
                src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
                try:
                    src.backup(db.conn)
                finally:
                    src.close()
                if migrations.pending(db):
                    migrations.apply(db)
            finally:
                db.close()
            return kept

        return run

    def restored(self) -> None:
        """After a restore job: everything may have changed."""
        self._backed_up_at = self._state()
        self._seen_version = self._data_version()
        self.changes.publish(Change(EVERYTHING))

    def restore_from(self, source: Path) -> backups.BackupFile:
        kept = self.restore_job(source)()
        self.restored()
        return kept

    def close(self, *, backup: bool = True) -> None:
        """Close; back up first when something changed since the last backup."""
        if backup and self.changed_since_backup:
            self.backup("close")
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.db.close()
        self.closed = True
        for suffix in ("-wal", "-shm"):
            extra = Path(str(self.path) + suffix)
            if extra.exists() and os.name == "posix":
                os.chmod(extra, 0o600)
