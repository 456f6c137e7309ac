"""Backups: taken with the SQLite backup API (never a file copy of a live WAL book),
verified with the full integrity_check, readable only by the user, and rotated
7 daily / 4 weekly / 12 monthly. What killed or failed backups leave behind is swept away.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from branchdesk.store.connection import (  # noqa: F401  (make_private: used from here too)
    DATABASE_ERRORS,
    LOOKUP,
    key_of,
    make_private,
    open_sqlite,
)
from branchdesk.store.errors import CorruptBookError

KEEP_DAILY = 7
KEEP_WEEKLY = 4
KEEP_MONTHLY = 12
#: Backups taken before an upgrade or a restore are kept apart from the rotation.
KEEP_SPECIAL = 5
SPECIAL_REASONS = frozenset({"upgrade", "restore", "password"})
REASON_LABELS = {
    "auto": "定时备份",
    "close": "关闭时备份",
    "manual": "手动备份",
    "upgrade": "升级前备份",
    "restore": "恢复前备份",
    "password": "设置或取消密码时备份",
}

_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})(?:-(?P<n>\d+))?-(?P<reason>[a-z]+)\.db$")


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken_at: dt.datetime
    reason: str
    seq: int = 1  # several backups in one second get -2, -3…

    @property
    def order(self) -> tuple[dt.datetime, int]:
        return (self.taken_at, self.seq)

    @property
    def label(self) -> str:
        return REASON_LABELS.get(self.reason, self.reason)


def backup_dir_for(book_path: Path) -> Path:
    return book_path.with_name(book_path.stem + "-backups")


def create_private_file(path: Path) -> None:
    """Create an empty file only the user can read (0600 on POSIX)."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


#: A `.part` file older than this is what a killed or failed backup left behind; a younger
#: one may be another window's backup still being written.
LEFTOVER_AGE = dt.timedelta(hours=1)
_LEFTOVER_SUFFIXES = (".part", ".part-journal", ".part-wal", ".part-shm")


def _remove_part(tmp: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            Path(str(tmp) + suffix).unlink(missing_ok=True)


def sweep_leftovers(folder: Path, now: dt.datetime | None = None) -> list[Path]:
    """Delete what killed or failed backups left in ``folder`` (never a finished backup:
    those end in `.db`, and a `.part` is never listed as one)."""
    if not folder.is_dir():
        return []
    cutoff = (now or dt.datetime.now()) - LEFTOVER_AGE
    removed = []
    for path in folder.iterdir():
        if not path.name.endswith(_LEFTOVER_SUFFIXES):
            continue
        try:
            if dt.datetime.fromtimestamp(path.stat().st_mtime) > cutoff:
                continue
            path.unlink()
        except OSError:
            continue
        removed.append(path)
    return removed


def copy_database(source: sqlite3.Connection, target_path: Path, *, verify: bool = True) -> None:
    """Write a consistent copy of an open database to ``target_path`` (which must not exist).

    The copy is written as ``<target>.part`` and renamed only once verified, so a
    half-written copy is never taken for a backup; when anything fails the part is removed.
    ``verify=False`` is for the copy of a damaged book taken before a repair.
    """
    tmp = target_path.with_name(target_path.name + ".part")
    _remove_part(tmp)
    try:
        create_private_file(tmp)
        # An encrypted book's backup is encrypted with the same key (the backup API
        # copies pages between connections of the same kind).
        key = key_of(source)
        target = open_sqlite(tmp, key=key)
        try:
            source.backup(target)
            # A backup is a single file: no WAL beside it.
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
        if verify:
            verify_database(tmp) if key is None else verify_database(tmp, key=key)
        os.replace(tmp, target_path)
    except BaseException:
        _remove_part(tmp)
        raise


def verify_database(path: Path, *, key: str | None = LOOKUP) -> None:
    """Open the file read-only and run the full integrity_check (quick_check misses an
    index that lacks entries); raise CorruptBookError if it fails."""
    from branchdesk.store.readonly import inspection_connection

    try:
        conn = inspection_connection(path, key=key)
        try:
            result = [r[0] for r in conn.execute("PRAGMA integrity_check(20)").fetchall()]
        finally:
            conn.close()
    except DATABASE_ERRORS as exc:
        raise CorruptBookError(f"文件无法打开或已损坏：{path.name}（{exc}）") from exc
    if result != ["ok"]:
        raise CorruptBookError(f"文件校验失败：{path.name}（{'；'.join(result[:3])}）")


def restore_into(target: sqlite3.Connection, book_path: Path, source: Path) -> None:
    """Copy ``source`` over the open book ``target``. A WAL book cannot change its page
    size, so a source with another page size is first rewritten with the book's."""
    from branchdesk.store.readonly import inspection_connection

    page_size = target.execute("PRAGMA page_size").fetchone()[0]
    src = inspection_connection(source)
    if key_of(src) != key_of(target):
        src.close()
        _restore_other_form(target, book_path, source)
        return
    try:
        if src.execute("PRAGMA page_size").fetchone()[0] == page_size:
            src.backup(target)
            return
        tmp = book_path.with_name(book_path.name + ".restore.part")
        _remove_part(tmp)
        try:
            create_private_file(tmp)
            staged = open_sqlite(tmp)
            try:
                src.backup(staged)
                staged.execute(f"PRAGMA page_size={int(page_size)}")
                staged.execute("VACUUM")
                staged.backup(target)
            finally:
                staged.close()
        finally:
            _remove_part(tmp)
    finally:
        src.close()


def _restore_other_form(target: sqlite3.Connection, book_path: Path, source: Path) -> None:
    """A plain backup into an encrypted book, or an encrypted one into a plain book: the
    backup API copies pages as they are, so the source is first exported (sqlcipher_export)
    into a staged file in the book's form."""
    from branchdesk.store.cipher import export_copy
    from branchdesk.store.connection import key_for

    tmp = book_path.with_name(book_path.name + ".restore.part")
    _remove_part(tmp)
    try:
        create_private_file(tmp)
        export_copy(source, key_for(source), tmp, key_of(target))
        staged = open_sqlite(tmp, key=key_of(target))
        try:
            staged.backup(target)
        finally:
            staged.close()
    finally:
        _remove_part(tmp)


def take_backup(
    source: sqlite3.Connection, book_path: Path, reason: str, now: dt.datetime | None = None
) -> BackupFile:
    """Back up the open book into its backup folder and rotate the old ones."""
    now = now or dt.datetime.now()
    folder = backup_dir_for(book_path)
    folder.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        os.chmod(folder, 0o700)
    stamp = now.strftime("%Y%m%d-%H%M%S")
    target = folder / f"{book_path.stem}-{stamp}-{reason}.db"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{book_path.stem}-{stamp}-{n}-{reason}.db"
    copy_database(source, target)
    rotate(folder)
    return BackupFile(target, now, reason, n)


def list_backups(book_path: Path) -> list[BackupFile]:
    """Backups of this book, newest first."""
    return _scan(backup_dir_for(book_path))


def _scan(folder: Path) -> list[BackupFile]:
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob("*.db"):
        m = _NAME.match(path.name)
        if not m:
            continue
        taken = dt.datetime.strptime(m.group("stamp"), "%Y%m%d-%H%M%S")
        found.append(BackupFile(path, taken, m.group("reason"), int(m.group("n") or 1)))
    return sorted(found, key=lambda b: b.order, reverse=True)


def backups_to_keep(backups: Iterable[BackupFile]) -> set[Path]:
    """Grandfather-father-son: the newest backup of each of the last 7 days that have one,
    of the last 4 ISO weeks and of the last 12 months; plus the newest 5 taken before an
    upgrade or a restore. Everything else may be deleted."""
    ordered = sorted(backups, key=lambda b: b.order, reverse=True)
    keep: set[Path] = set()
    routine = [b for b in ordered if b.reason not in SPECIAL_REASONS]
    special = [b for b in ordered if b.reason in SPECIAL_REASONS]
    keep.update(b.path for b in special[:KEEP_SPECIAL])
    for bucket_of, limit in (
        (lambda d: d.date(), KEEP_DAILY),
        (lambda d: d.isocalendar()[:2], KEEP_WEEKLY),
        (lambda d: (d.year, d.month), KEEP_MONTHLY),
    ):
        seen: list[object] = []
        for b in routine:
            bucket = bucket_of(b.taken_at)
            if bucket in seen:
                continue
            if len(seen) == limit:
                break
            seen.append(bucket)
            keep.add(b.path)
    return keep


def rotate(folder: Path) -> list[Path]:
    """Delete what backups_to_keep does not keep. Rotation goes by the backups' own dates,
    not by today's, so a wrong clock cannot purge them all."""
    sweep_leftovers(folder)
    backups = _scan(folder)
    keep = backups_to_keep(backups)
    removed = []
    for b in backups:
        if b.path not in keep:
            b.path.unlink(missing_ok=True)
            removed.append(b.path)
    return removed
