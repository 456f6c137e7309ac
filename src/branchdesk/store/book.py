"""Opening a book safely, and the facade every other layer goes through.

Open sequence: inspect read-only (is it a SQLite file, ours, from a version we know, with a
readable schema?) → full integrity check (``PRAGMA quick_check``) → back up if an upgrade
is pending → migrate in one transaction per step → open read-write. Nothing is written to a
file we refuse.

The full check reads every page of the file (~170 ms on a 51 MB book, growing with it).
The window opens with ``full_check=False`` and runs `Book.integrity_job` in the background
right after its first paint, and again before the backup on close; the command line, and
any book that needs an upgrade, are checked in full before they are touched.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from branchdesk.store import connection as _conn  # its error tuples, read when needed
from branchdesk.store.changes import EVERYTHING, Change, ChangeBus, bus_for
from branchdesk.store.connection import (
    has_key,
    key_for,
    make_private,
    open_sqlite,
)
from branchdesk.store.database import BookDatabase, Database, connect, uri_for
from branchdesk.store.drafts import DraftsRepo, adopt_legacy_drafts
from branchdesk.store.errors import (
    BookNotFoundError,
    CorruptBookError,
    NewerBookError,
    NotABookError,
)
from branchdesk.store.migrations import APPLICATION_ID, MIGRATION_SET, known_names, migrations
from branchdesk.store.readonly import inspection_connection, may_write, opening_error
from branchdesk.store.settings import SettingsRepo
from branchdesk.store.sqlerrors import BookReadOnlyError, DiskFullError, translated
from branchdesk.store.tx import Pending, Writer

if TYPE_CHECKING:
    from branchdesk.store import backup as backups
    from branchdesk.store.appraisal import AppraisalRepo
    from branchdesk.store.archive import ArchiveRepo
    from branchdesk.store.branch import BranchRepo
    from branchdesk.store.glance import Glance
    from branchdesk.store.meetings import MeetingsRepo
    from branchdesk.store.points import PointsRepo
    from branchdesk.store.roster import RosterRepo
    from branchdesk.store.search import SearchRepo
    from branchdesk.store.talks import TalksRepo

SQLITE_HEADER = b"SQLite format 3\x00"


def _backups():  # type: ignore[no-untyped-def]  # -> the store.backup module
    """`store.backup`, imported on first use (opening a book does not need it)."""
    from branchdesk.store import backup

    return backup


T = TypeVar("T")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Inspection:
    applied: list[str]
    pending: list[str]


def inspect_book(path: Path, *, full_check: bool = True) -> Inspection:
    """Read-only checks. Raises NotABookError / CorruptBookError / NewerBookError.

    Always: the SQLite header, our application id, the schema readable, no migration this
    version does not know. With ``full_check`` also ``PRAGMA quick_check`` (every page).

    Looking never writes: the file is read without creating a -wal or -shm beside it
    (see ``inspection_connection``), so a refused file is left exactly as it was.
    """
    path = Path(path)
    if not path.exists():
        raise BookNotFoundError(f"找不到账簿文件：{path}")
    with translated(), open(path, "rb") as fh:
        header = fh.read(16)
    if header != SQLITE_HEADER:
        _check_encrypted(path)  # a book with a password (store/cipher.py), or refused
    try:
        conn = inspection_connection(path)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            check = quick_check(conn) if full_check else []
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
    except _conn.DATABASE_ERRORS as exc:
        raise opening_error(path, exc) from exc
    if app_id != APPLICATION_ID:
        raise NotABookError(f"“{path.name}”是一个数据库文件，但不是党支部工作台的账簿。")
    if check:
        raise CorruptBookError(corrupt_message(path, check))
    if not has_table:
        # Every book records its schema steps from its first transaction on: the id
        # without the record is a file something else made or changed. Not ours to alter.
        raise NotABookError(
            f"“{path.name}”带有党支部工作台的标识，但缺少账簿的结构记录，"
            "可能被其他程序改动过。为安全起见，本程序不会打开或修改它。"
        )
    known = known_names()
    unknown = [name for name in applied if name not in known]
    if unknown:
        raise NewerBookError(
            f"账簿“{path.name}”由更新版本的党支部工作台保存（含本版本不认识的升级：{'、'.join(unknown)}）。"
            "为避免损坏数据，本版本不会打开或修改它，请安装最新版本。"
        )
    return Inspection(applied, [n for n in known if n not in applied])


def _check_encrypted(path: Path) -> None:
    """A file that is not plain SQLite opens only with a key that reads it."""
    from branchdesk.store import cipher

    key = key_for(path)
    if key is None:
        raise cipher.refusal(path)
    # A key unlocked for this very file was checked then; the process key (for a backup)
    # may be another file's.
    if not has_key(path) and not cipher.check_password(path, key):
        from branchdesk.store.errors import WrongPasswordError

        raise WrongPasswordError(cipher.WRONG_PASSWORD_MESSAGE.format(name=path.name))


def quick_check(conn: sqlite3.Connection) -> list[str]:
    """What ``PRAGMA quick_check`` finds wrong; empty when the file is healthy."""
    return [r[0] for r in conn.execute("PRAGMA quick_check").fetchall() if r[0] != "ok"]


def corrupt_message(path: Path, problems: list[str]) -> str:
    detail = "；".join(problems[:3])
    return f"账簿“{Path(path).name}”校验失败：{detail}。请从备份恢复。"


def integrity_job(path: Path) -> Callable[[], list[str]]:
    """The full check on its own read-only connection, runnable on any thread: the
    problems found (empty: healthy). A file that cannot be read at all is one problem."""
    path = Path(path)

    def run() -> list[str]:
        try:
            conn = inspection_connection(path)
            try:
                return quick_check(conn)
            finally:
                conn.close()
        except _conn.DATABASE_ERRORS as exc:
            return [str(exc)]

    return run


def _connect(path: Path, read_only: bool = False) -> Database:
    return connect(path, read_only=read_only)


def create_book(path: Path, branch_name: str, parent_org: str = "") -> Book:
    """Create a new, empty book. Refuses to overwrite anything."""
    path = Path(path)
    if not branch_name.strip():
        from branchdesk.store.errors import InputError

        raise InputError("支部名称不能为空")
    if path.exists():
        raise FileExistsError(f"文件已存在，不会覆盖：{path}")
    with translated(path.parent):
        path.parent.mkdir(parents=True, exist_ok=True)
        _backups().create_private_file(path)
    try:
        db = _connect(path)
        migrations.apply(db)
        book = Book(db, path)
        book.branch.set_profile(branch_name.strip(), parent_org.strip())
    except BaseException:
        # Nothing of the user's is in it yet: a half-made book must not stay behind
        # (the next `init` would refuse to overwrite it).
        with contextlib.suppress(NameError, *_conn.ERRORS):
            db.close()
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        raise
    return book


def open_book(
    path: Path, *, read_only: bool | None = None, upgrade: bool = True, full_check: bool = True
) -> Book:
    """Open an existing book, upgrading it (after a backup) if it is from an older version.

    ``read_only``: True for commands that only look (they then work on a full disk and on
    a protected file, and write nothing); None decides by whether the file may be written
    — a book its owner made read-only is opened read-only and its mode left alone.
    ``upgrade=False`` (for `check`) opens an old book read-only as it is.
    ``full_check=False`` leaves ``quick_check`` to the caller (the window runs
    `integrity_job` after its first paint); a book that needs an upgrade is checked in
    full before it is touched, whatever ``full_check`` says.
    """
    path = Path(path)
    inspection = inspect_book(path, full_check=full_check)
    if inspection.pending and not full_check:
        inspection = inspect_book(path, full_check=True)
    protected = not may_write(path)
    if inspection.pending and not upgrade:
        read_only = True
    elif inspection.pending and (read_only or protected):
        if protected:
            raise BookReadOnlyError(
                f"账簿“{path.name}”来自旧版本，需要升级后才能打开，但它是只读的。"
                "请取消只读（或复制到可写的文件夹）后再打开。"
            )
        read_only = False  # an old book is upgraded before anyone can look at it
    if read_only or protected:
        return Book(_open_read_only(path), path)
    try:
        with translated(path.parent):
            db = _connect(path)
    except DiskFullError:
        if inspection.pending or read_only is False:
            raise
        # The window on a full disk: no room even for the -shm, but the book can still be
        # read and printed as it is; saving says why it cannot.
        log.warning("磁盘空间不足，账簿以只读方式打开")
        db = _open_read_only(path, empty_wal_is_absent=True)
        db.refusal, db.refusal_message = DiskFullError, DISK_FULL_READ_ONLY
        return Book(db, path)
    with translated(path.parent):
        if inspection.pending:
            if inspection.applied:
                _backups().take_backup(db.conn, path, "upgrade")
            migrations.apply(db)
        make_private(path)
        book = Book(db, path)
        adopt_legacy_drafts(book.drafts, path)
    return book


DISK_FULL_READ_ONLY = "磁盘空间不足：账簿暂时只能查看和打印。请清理磁盘空间后重新打开账簿再修改。"


def _open_read_only(path: Path, *, empty_wal_is_absent: bool = False) -> BookDatabase:
    try:
        conn = inspection_connection(path, empty_wal_is_absent=empty_wal_is_absent)
        db = BookDatabase(conn)
        db.execute("PRAGMA foreign_keys=ON")
    except _conn.DATABASE_ERRORS as exc:
        raise opening_error(path, exc) from exc
    db.read_only = True
    return db


class Book:
    """The facade: one per open book, used from the thread that opened it.

    Every write goes through a repository (``book.roster``, ``book.meetings`` …) or
    ``book.atomic(area)``, which run it as one transaction and publish a `Change` on
    ``book.changes`` after the commit. Work that must not hold up the window (backups,
    a restore, reading photos) is handed out as a *job*: a function that opens its own
    connection and so may run on any thread.
    """

    def __init__(self, db: Database, path: Path) -> None:
        self.db = db
        self.path = Path(path)
        self.changes: ChangeBus = bus_for(self.path)
        self.writer = Writer(db, self.changes)
        self._roster: RosterRepo | None = None
        self._branch: BranchRepo | None = None
        self.settings = SettingsRepo(db, self.writer)
        self.drafts = DraftsRepo(db)
        self._meetings: MeetingsRepo | None = None
        self._appraisal: AppraisalRepo | None = None
        self._archive: ArchiveRepo | None = None
        self._points: PointsRepo | None = None
        self._search: SearchRepo | None = None
        self._talks: TalksRepo | None = None
        self.closed = False
        self._backed_up_at = self._state()
        self._seen_version = self._data_version()

    @property
    def branch(self) -> BranchRepo:
        """The branch profile, committee and 党小组; imported on first use."""
        if self._branch is None:
            from branchdesk.store.branch import BranchRepo

            self._branch = BranchRepo(self.db, self.writer)
        return self._branch

    def title(self) -> tuple[str, bool]:
        """(the branch's name, a demo book?), without loading the branch's model."""
        from branchdesk.store import glance

        return glance.title(self.db)

    def at_a_glance(self, day: dt.date) -> Glance:
        """What the 工作台 shows on ``day`` (`store.glance.at_a_glance`)."""
        from branchdesk.store import glance

        return glance.at_a_glance(self.db, day)

    def counts_on(self, day: dt.date) -> tuple[int, int]:
        """(on the roll, of whom 正式党员) on ``day`` (`RosterRepo.counts_on`), without
        loading the members' model."""
        from branchdesk.store import glance as roll

        return roll.counts_on(self.db, day)

    @property
    def roster(self) -> RosterRepo:
        """The roster; imported on first use (the members' model is not needed to show
        the window)."""
        if self._roster is None:
            from branchdesk.store.roster import RosterRepo

            self._roster = RosterRepo(self.db, self.writer)
        return self._roster

    @property
    def meetings(self) -> MeetingsRepo:
        """The meeting book; imported on first use so opening the roster stays quick."""
        if self._meetings is None:
            from branchdesk.store.meetings import MeetingsRepo

            self._meetings = MeetingsRepo(self.db, self.writer)
            # A meeting's attendance points are written in the meeting's transaction.
            self._meetings.after_write.append(lambda mid: self.points.derive_for_meeting(mid))
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

    @property
    def points(self) -> PointsRepo:
        """The points book (积分): rule sets per year and the ledger."""
        if self._points is None:
            from branchdesk.store.points import PointsRepo

            self._points = PointsRepo(self.db, self.writer)
        return self._points

    @property
    def talks(self) -> TalksRepo:
        """The talk book (谈心谈话), its drafts and settings; imported on first use."""
        if self._talks is None:
            from branchdesk.store.talks import TalksRepo

            self._talks = TalksRepo(self.db, self.writer)
        return self._talks

    @property
    def appraisal(self) -> AppraisalRepo:
        """民主评议党员 sessions and the 组织生活会 cycle; imported on first use."""
        if self._appraisal is None:
            from branchdesk.store.appraisal import AppraisalRepo

            self._appraisal = AppraisalRepo(self.db, self.writer)
        return self._appraisal

    @property
    def read_only(self) -> bool:
        return bool(getattr(self.db, "read_only", False))

    @contextmanager
    def atomic(self, area: str = EVERYTHING) -> Iterator[Pending]:
        """Group several writes into one transaction (one user action)."""
        with self.writer.write(area) as pending:
            yield pending

    def _own_connection(self, *, write: bool = False) -> sqlite3.Connection:
        """A connection of the calling thread, for a job (a connection belongs to its
        thread)."""
        if write:
            return connect(self.path).conn
        return open_sqlite(uri_for(self.path, mode="ro"), uri=True)

    def read_job(self, read: Callable[[Book], T]) -> Callable[[], T]:
        """``read(book)`` on a read-only connection of its own, runnable on any thread
        (the 工作台's reminders, a print job's reading step)."""
        path = self.path

        def run() -> T:
            conn = self._own_connection()
            try:
                db = BookDatabase(conn)
                db.read_only = True
                db.folder = path.parent
                reader = Book(db, path)
            except BaseException:
                conn.close()
                raise
            try:
                return read(reader)
            finally:
                reader.close(backup=False)

        return run

    def attachments_job(
        self, ids: list[int], table: str = "meeting_attachment"
    ) -> Callable[[], dict[int, bytes]]:
        """The files of these attachments (of meetings, or ``table="talk_attachment"``), read
        on a connection of the calling thread (a meeting's photos can be hundreds of MB: the
        window reads them in a worker)."""
        if table not in ("meeting_attachment", "talk_attachment"):
            raise ValueError(table)

        def run() -> dict[int, bytes]:
            from branchdesk.store.meetings import read_attachment_blobs

            conn = self._own_connection()
            try:
                return read_attachment_blobs(conn, ids, table)
            finally:
                conn.close()

        return run

    # -- changes ----------------------------------------------------------------
    def _data_version(self) -> int:
        # Moves whenever *another* connection (a worker thread, the command line)
        # commits to this file; our own commits show in total_changes instead.
        return int(self.db.execute("PRAGMA data_version").fetchone()[0])

    def _state(self) -> tuple[int, int]:
        return (self.db.conn.total_changes, self._data_version())

    def poll_external(self) -> bool:
        """True (and `Change(EVERYTHING)` published) when another connection or program
        committed to the book since the last look. Not while the search index is built
        or caught up on a worker: its commits change no record (every page shown would
        be read again for nothing — the 年度落实情况 page of a big branch held the window
        for 100–230 ms); what others committed meanwhile is announced once it is done
        (`index_done`)."""
        if self._search is not None and self._search.indexing:
            return False
        version = self._data_version()
        if version == self._seen_version:
            return False
        self._seen_version = version
        self.changes.publish(Change(EVERYTHING))
        return True

    def index_done(self) -> None:
        """The search index job has ended (call on the book's thread): when no other
        connection committed while it ran, its own commits are not news; otherwise what
        changed is announced now."""
        if self._search is not None and self._search.indexed_alone:
            self.acknowledge_external()
        else:
            self.poll_external()

    def acknowledge_external(self) -> None:
        """A change from another connection of this process was already announced on the
        bus: do not announce it again as an unknown external one."""
        self._seen_version = self._data_version()

    # -- health -----------------------------------------------------------------
    def integrity_job(self) -> Callable[[], list[str]]:
        """``quick_check`` of this book's file on its own connection (any thread)."""
        return integrity_job(self.path)

    def integrity_problems(self) -> list[str]:
        """Empty when healthy; else what integrity_check and foreign_key_check report."""
        problems = [
            r[0] for r in self.db.execute("PRAGMA integrity_check").fetchall() if r[0] != "ok"
        ]
        for table, rowid, parent, _ in self.db.execute("PRAGMA foreign_key_check").fetchall():
            problems.append(f"表 {table} 第 {rowid} 行引用了不存在的 {parent} 记录")
        problems += self.points.sum_problems()
        return problems

    # -- backups ----------------------------------------------------------------
    @property
    def changed_since_backup(self) -> bool:
        """Whether anything was committed since the last backup, on any connection: the
        book's own data_version counts commits by other connections (a background
        import), total_changes our own."""
        return self._state() != self._backed_up_at

    def backup(self, reason: str = "manual") -> backups.BackupFile:
        with translated(_backups().backup_dir_for(self.path).parent):
            made = _backups().take_backup(self.db.conn, self.path, reason)
        self._backed_up_at = self._state()
        return made

    def backup_job(
        self, reason: str = "manual", *, check_first: bool = False
    ) -> tuple[Callable[[], backups.BackupFile], object]:
        """A backup that may run on a worker thread, on its own connection, and the token
        to hand to `backed_up` (on this thread) when it has finished. ``check_first``: run
        ``quick_check`` before, and refuse (CorruptBookError) to back up a damaged book —
        that would rotate a good backup out."""
        token = self._state()
        path = self.path

        def run() -> backups.BackupFile:
            conn = self._own_connection()
            try:
                if check_first:
                    problems = quick_check(conn)
                    if problems:
                        raise CorruptBookError(corrupt_message(path, problems))
                with translated(_backups().backup_dir_for(path).parent):
                    return _backups().take_backup(conn, path, reason)
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

        def run() -> Path:
            conn = self._own_connection()
            try:
                with translated(target.parent):
                    _backups().copy_database(conn, target)
            finally:
                conn.close()
            return target

        return run

    def backup_to(self, target: Path) -> Path:
        return self.backup_to_job(target)()

    def backup_due(self, now: dt.datetime | None = None) -> bool:
        """The first change of each calendar day is backed up (once a day at most, and
        only when something changed since the last backup)."""
        now = now or dt.datetime.now()
        if not self.changed_since_backup or self.read_only:
            return False
        latest = _backups().list_backups(self.path)
        return not (latest and latest[0].taken_at.date() >= now.date())

    def backup_if_due(self, now: dt.datetime | None = None) -> backups.BackupFile | None:
        return self.backup("auto") if self.backup_due(now) else None

    def list_backups(self) -> list[backups.BackupFile]:
        return _backups().list_backups(self.path)

    def restore_job(self, source: Path) -> Callable[[], backups.BackupFile]:
        """Replace this book's content with ``source``, keeping the current one as a
        backup. ``source`` must pass the full integrity_check (checked in the job);
        nothing changes if it does not. Runs on its own connection, so on any thread;
        call `restored` on this thread afterwards."""
        source = Path(source)
        inspect_book(source)
        path = self.path

        def run() -> backups.BackupFile:
            _backups().verify_database(source)
            db = connect(path)
            try:
                with translated(path.parent):
                    kept = _backups().take_backup(db.conn, path, "restore")
                    _backups().restore_into(db.conn, path, source)
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
        """Close; back up first when something changed since the last backup.

        Everything the book holds is committed by now. A checkpoint that fails here (a
        full disk) leaves the records in the -wal, where SQLite merges them next time, so
        it is logged and not reported as a failure of what the user did."""
        if self.closed:  # the window closed it already
            return
        try:
            if backup and self.changed_since_backup and not self.read_only:
                self.backup("close")
        finally:
            if not self.read_only:
                try:
                    self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                except _conn.ERRORS as exc:
                    log.warning("关闭时未能合并日志（已提交的记录不受影响）：%s", exc)
            self.db.close()
            self.closed = True
        if self.read_only:
            return
        for suffix in ("-wal", "-shm"):
            extra = Path(str(self.path) + suffix)
            if extra.exists() and os.name == "posix":
                with contextlib.suppress(OSError):
                    os.chmod(extra, 0o600)
