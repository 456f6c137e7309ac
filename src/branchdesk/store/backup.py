"""Backups: taken with the SQLite backup API (never a file copy of a live WAL book),
verified to open, readable only by the user, and rotated 7 daily / 4 weekly / 12 monthly.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from branchdesk.store.errors import CorruptBookError

KEEP_DAILY = 7
KEEP_WEEKLY = 4
KEEP_MONTHLY = 12
#: Backups taken before an upgrade or a restore are kept apart from the rotation.
KEEP_SPECIAL = 5
SPECIAL_REASONS = frozenset({"upgrade", "restore"})
REASON_LABELS = {
    "auto": "定时备份",
    "close": "关闭时备份",
    "manual": "手动备份",
    "upgrade": "升级前备份",
    "restore": "恢复前备份",
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


def make_private(path: Path) -> None:
    if os.name == "posix" and path.exists():
        os.chmod(path, 0o600)


def copy_database(source: sqlite3.Connection, target_path: Path) -> None:
    """Write a consistent copy of an open database to ``target_path`` (which must not exist)."""
    tmp = target_path.with_name(target_path.name + ".part")
    if tmp.exists():
        tmp.unlink()
    create_private_file(tmp)
    target = sqlite3.connect(tmp)
    try:
        source.backup(target)
        # A backup is a single file: no WAL beside it.
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()
    verify_database(tmp)
    os.replace(tmp, target_path)


def verify_database(path: Path) -> None:
    """Open the file read-only and run quick_check; raise CorruptBookError if it fails."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise CorruptBookError(f"备份文件无法打开：{path.name}（{exc}）") from exc
    if result != "ok":
        raise CorruptBookError(f"备份文件校验失败：{path.name}（{result}）")


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
    backups = _scan(folder)
    keep = backups_to_keep(backups)
    removed = []
    for b in backups:
        if b.path not in keep:
            b.path.unlink(missing_ok=True)
            removed.append(b.path)
    return removed
