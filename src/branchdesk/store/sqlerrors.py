"""SQLite and file-system failures turned into what the user needs to hear.

The store raises these instead of raw ``sqlite3`` errors, so every caller (CLI, GUI) can
tell "the disk is full" or "someone else is writing" from a bug, and say it in Chinese.
"""

from __future__ import annotations

import contextlib
import errno
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from branchdesk.store import connection as _conn  # its error tuples, read when needed
from branchdesk.store.errors import BookError, InputError

BUSY_MESSAGE = "账簿正被另一个程序写入，请稍后再试。"
DISK_FULL_MESSAGE = "磁盘空间不足，未能写入账簿。请清理磁盘空间后重试。"
READ_ONLY_MESSAGE = "账簿是只读的（文件或所在文件夹不允许写入），只能查看和打印。"


class BookBusyError(BookError):
    """Another program held the write lock for longer than the busy timeout."""


class DiskFullError(BookError):
    """The disk (or the user's quota) is full; nothing of this action was written."""


class BookReadOnlyError(BookError):
    """The book, or its folder, may not be written to."""


class BookIOError(BookError):
    """The operating system could not read or write the book's files."""


_FULL_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


def is_disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno in _FULL_ERRNOS:
        return True
    return isinstance(exc, _conn.ERRORS) and _primary(exc) == sqlite3.SQLITE_FULL


def _primary(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


#: SQLite reports a full disk as SQLITE_FULL on most writes but as a plain I/O error on
#: others (growing the -shm, some WAL writes); with this little room left, it is the disk.
NEARLY_FULL_BYTES = 2 * 2**20


def _nearly_full(folder: Path | None) -> bool:
    if folder is None:
        return False
    try:
        return shutil.disk_usage(folder).free < NEARLY_FULL_BYTES
    except OSError:
        return False


def translate(exc: BaseException, folder: Path | None = None) -> BaseException:
    """The user-facing error for ``exc``; ``exc`` itself when it is not an environment
    problem we can name (a bug stays a bug). ``folder``: where the book lives, to tell a
    full disk behind a SQLite I/O error."""
    if is_disk_full(exc):
        return DiskFullError(DISK_FULL_MESSAGE)
    io_error = isinstance(exc, _conn.ERRORS) and _primary(exc) == sqlite3.SQLITE_IOERR
    if io_error and _nearly_full(folder):
        return DiskFullError(DISK_FULL_MESSAGE)
    if isinstance(exc, OSError):
        return exc
    if not isinstance(exc, _conn.ERRORS):
        return exc
    code = _primary(exc)
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return BookBusyError(BUSY_MESSAGE)
    if code == sqlite3.SQLITE_READONLY:
        return BookReadOnlyError(READ_ONLY_MESSAGE)
    if code == sqlite3.SQLITE_IOERR:
        return BookIOError(f"读写账簿文件时出错（{exc}）。请检查磁盘或U盘是否仍然连接。")
    if code == sqlite3.SQLITE_CANTOPEN:
        return BookIOError("无法打开账簿旁的临时文件：所在文件夹可能不允许写入。")
    if isinstance(exc, _conn.INTEGRITY_ERRORS):
        # Validation is meant to catch everything first; this is the database's own
        # guard (a CHECK, UNIQUE or foreign key), so the record was not saved.
        return InputError(f"记录不符合账簿的规则，未保存（{exc}）")
    return exc


@contextlib.contextmanager
def translated(folder: Path | None = None) -> Iterator[None]:
    """Re-raise SQLite / OS errors as the store's own errors where they have a name."""
    try:
        yield
    except (*_conn.ERRORS, OSError) as exc:  # type: ignore[misc]
        mapped = translate(exc, folder)
        if mapped is exc:
            raise
        raise mapped from exc


def environment_message(exc: BaseException, folder: Path | None = None) -> str | None:
    """The user's message when ``exc`` is a SQLite or file-system failure with a name
    (full disk, busy, read-only, I/O); None otherwise."""
    if not isinstance(exc, (*_conn.ERRORS, OSError)):
        return None
    mapped = translate(exc, folder)
    if mapped is not exc:
        return str(mapped)
    if isinstance(exc, OSError):
        where = f"：{exc.filename}" if exc.filename else ""
        reason = _OS_REASONS.get(exc.errno or 0, exc.strerror or str(exc))
        return f"无法读写文件{where}（{reason}）"
    return None


_OS_REASONS = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EROFS: "磁盘是只读的",
    errno.EISDIR: "这是一个文件夹",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EBUSY: "文件正被其他程序占用",
    errno.EEXIST: "文件已存在",
    errno.ENAMETOOLONG: "文件名太长",
    errno.EIO: "磁盘读写出错",
}
