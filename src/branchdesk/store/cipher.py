"""账簿密码: an optional password that encrypts the book at rest (SQLCipher).

Without a password nothing changes: the book is plain SQLite, opened by the stdlib.

With one, the book file, every backup of it (the backup API writes pages encrypted with
the same key) and a backup to a chosen place are SQLCipher files: AES-256 pages, the key
derived from the password by SQLCipher's own PBKDF2-HMAC-SHA512 (256,000 iterations) with
a random salt kept in the file. The password itself is held only in the memory of the
running program (store/connection.py) and never written, hashed or logged anywhere. There
is no back door: a lost password means the data cannot be read by anyone, us included.

How the program knows a file is an encrypted book: it cannot, from the bytes alone (they
are indistinguishable from random ones). A file whose header is not "SQLite format 3" is
refused as before (``NotABookError``), except that one whose size is a whole number of
pages is refused with ``PasswordRequiredError``: the window asks for the password when the
computer's book list marks the file as encrypted (or when the user chooses to try one),
the command line when a password is given ($BRANCHDESK_PASSWORD) or it can ask at a
terminal. A wrong password — or a random file — is refused after a growing delay.

Setting, changing or removing the password makes a new file with ``sqlcipher_export`` from
a fresh backup (never from the live book: two copies of SQLite must not share one file's
locks), verifies it (integrity_check, the book's id, the record counts) and swaps it in
with one rename, then reconnects the open book to it. Backups taken before keep their old
form — the program lists the plain ones and offers to delete them; it never deletes one
by itself.
"""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from branchdesk.store import backup as backups
from branchdesk.store.connection import (
    DATABASE_ERRORS,
    UNAVAILABLE_MESSAGE,
    cipher_available,
    forget_key,
    is_plain_sqlite,
    key_of,
    open_sqlite,
    plain_connection_to,
    quote_key,
    remember_key,
)
from branchdesk.store.errors import (
    BookError,
    CipherUnavailableError,
    CorruptBookError,
    InputError,
    NotABookError,
    PasswordRequiredError,
    WrongPasswordError,
)

if TYPE_CHECKING:
    from branchdesk.store.book import Book

MIN_PASSWORD_LENGTH = 6
#: The first wrong password waits this long, each further one twice as long (at most 8×).
WRONG_PASSWORD_DELAY = 1.0
_failures = [0]

WRONG_PASSWORD_MESSAGE = "密码不正确，无法打开账簿“{name}”（也可能它不是党支部工作台的账簿文件）。"
#: Said before an export (Excel, JSON) from a book with a password: exports are written
#: plain — they are made to be opened elsewhere (by the 上级党组织's Excel, by another
#: branchdesk), which an encrypted file would defeat — so the user is told first.
PLAIN_EXPORT_WARNING = (
    "注意：账簿设置了密码，但导出的文件不加密（以便接收方直接打开），"
    "其中含有党员个人信息。请只交给需要的人，用完及时删除。"
)
NO_BACK_DOOR = "账簿密码没有后门：忘记密码，账簿中的数据就无法再读出，任何人都无法恢复。"


def available() -> bool:
    return cipher_available()


def unavailable_reason() -> str | None:
    return None if available() else UNAVAILABLE_MESSAGE


def looks_encrypted(path: Path) -> bool:
    """Not plain SQLite, and a whole number of 1 KiB pages (SQLCipher's smallest)."""
    if is_plain_sqlite(path) is not False:
        return False
    try:
        size = path.stat().st_size
    except OSError:
        return False
    return size >= 1024 and size % 1024 == 0


def is_encrypted(path: Path) -> bool:
    """Whether the (existing) book file is an encrypted one."""
    return is_plain_sqlite(Path(path)) is False


def refusal(path: Path) -> BookError:
    """What a file that is not plain SQLite is refused with, when no key opens it."""
    plain = f"“{path.name}”不是党支部工作台的账簿文件（也不是 SQLite 数据库）。"
    if not looks_encrypted(path):
        return NotABookError(plain)
    if not available():
        return NotABookError(f"{plain}如果它是设置了密码的账簿：{UNAVAILABLE_MESSAGE}")
    return PasswordRequiredError(
        f"“{path.name}”设置了账簿密码（或不是账簿文件），需要输入密码才能打开。"
    )


def _wait_after_failure() -> None:
    _failures[0] += 1
    time.sleep(WRONG_PASSWORD_DELAY * min(2 ** (_failures[0] - 1), 8))


def _opens_with(path: Path, password: str) -> bool:
    from branchdesk.store.database import uri_for

    try:
        conn = open_sqlite(uri_for(path, mode="ro"), uri=True, key=password)
    except DATABASE_ERRORS:
        return False
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except DATABASE_ERRORS:
        return False
    finally:
        conn.close()
    return True


def unlock(path: Path, password: str, *, process_key: bool = True) -> None:
    """Check ``password`` against the encrypted file and hold it for this process.
    A wrong one waits (1 s, then longer each time) and raises WrongPasswordError.
    ``process_key=False``: hold it for this file only (a backup with another password
    that is about to be restored), not for the book's other files."""
    path = Path(path)
    if not available():
        raise CipherUnavailableError(UNAVAILABLE_MESSAGE)
    if not password or not _opens_with(path, password):
        _wait_after_failure()
        raise WrongPasswordError(WRONG_PASSWORD_MESSAGE.format(name=path.name))
    _failures[0] = 0
    remember_key(path, password, process_key=process_key)


def lock(path: Path) -> None:
    """Forget the password of ``path`` (the idle lock, closing the book)."""
    forget_key(path)


def check_password(path: Path, password: str) -> bool:
    """For the idle lock: whether ``password`` is the book's (waits after a wrong one)."""
    if password and _opens_with(Path(path), password):
        _failures[0] = 0
        return True
    _wait_after_failure()
    return False


def validate_new_password(password: str, again: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(f"密码：至少 {MIN_PASSWORD_LENGTH} 个字符")
    if password != again:
        raise InputError("确认密码：两次输入的密码不一致")


# -- changing the form of the file ---------------------------------------------------
def export_copy(source: Path, source_key: str | None, target: Path, target_key: str | None) -> None:
    """Write ``source`` (a closed file: a backup, never the live book) to the new file
    ``target`` in the other form, with ``sqlcipher_export``. ``None`` = plain."""
    if not available():
        raise CipherUnavailableError(UNAVAILABLE_MESSAGE)
    conn = open_sqlite(source, key=source_key) if source_key else plain_connection_to(source)
    try:
        app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
        user_version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        key = quote_key(target_key or "")
        conn.execute(f"ATTACH DATABASE ? AS bd_export KEY {key}", [str(target)])
        conn.execute("SELECT sqlcipher_export('bd_export')")
        # sqlcipher_export copies schema and rows, not the header fields.
        conn.execute(f"PRAGMA bd_export.application_id = {app_id}")
        conn.execute(f"PRAGMA bd_export.user_version = {user_version}")
        conn.execute("DETACH DATABASE bd_export")
    finally:
        conn.close()


def _counts(conn: object) -> dict[str, int]:
    execute = conn.execute  # type: ignore[attr-defined]
    tables = [
        r[0]
        for r in execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'"
        ).fetchall()
    ]
    return {t: int(execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]) for t in tables}


def _verify_copy(source: Path, source_key: str | None, copy: Path, copy_key: str | None) -> None:
    """The copy passes integrity_check, and holds the same tables with the same counts."""
    from branchdesk.store.readonly import inspection_connection

    try:
        src = inspection_connection(source, key=source_key)
        try:
            expected = _counts(src)
            app_id = src.execute("PRAGMA application_id").fetchone()[0]
        finally:
            src.close()
        dst = inspection_connection(copy, key=copy_key)
        try:
            check = [r[0] for r in dst.execute("PRAGMA integrity_check(20)").fetchall()]
            found = _counts(dst)
            copy_id = dst.execute("PRAGMA application_id").fetchone()[0]
        finally:
            dst.close()
    except DATABASE_ERRORS as exc:
        raise CorruptBookError(f"转换后的账簿无法读取（{exc}），原账簿未改动。") from exc
    if check != ["ok"] or found != expected or copy_id != app_id:
        raise CorruptBookError("转换后的账簿校验失败，原账簿未改动。")


@dataclass(frozen=True)
class PasswordChange:
    """What changed: the backup taken before, and the backups now in the other form."""

    before: backups.BackupFile
    #: Backups that are not encrypted (after setting a password: the user is told and may
    #: delete them; they are never deleted without asking).
    plain_backups: list[Path]


def _swap_in(book: Book, new_file: Path, key: str | None) -> None:
    """Replace the open book's file with ``new_file`` (one rename) and reconnect."""
    from branchdesk.store.database import connect

    path = book.path
    db = book.db
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    try:
        os.replace(new_file, path)
        for suffix in ("-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    finally:
        if key is None:
            forget_key(path)
        else:
            remember_key(path, key)
        db.conn = connect(path).conn
    book._backed_up_at = book._state()
    book._seen_version = book._data_version()


def _change(book: Book, new_key: str | None) -> PasswordChange:
    if not available():
        raise CipherUnavailableError(UNAVAILABLE_MESSAGE)
    if book.read_only:
        raise BookError("账簿是只读的，不能设置或取消密码。")
    old_key = key_of(book.db.conn)
    version = book._data_version()
    before = book.backup("password")
    tmp = book.path.with_name(book.path.name + ".cipher.part")
    backups._remove_part(tmp)
    try:
        backups.create_private_file(tmp)
        export_copy(before.path, old_key, tmp, new_key)
        _verify_copy(before.path, old_key, tmp, new_key)
        if book._data_version() != version:
            raise BookError("转换期间账簿被其他程序改动，未完成；请关闭其他程序后重试。")
        _swap_in(book, tmp, new_key)
    except BaseException:
        backups._remove_part(tmp)
        raise
    # The first backup in the new form, so the book's newest backup matches it.
    with contextlib.suppress(OSError, *DATABASE_ERRORS):
        book.backup("password")
    return PasswordChange(before, plain_backups(book.path))


def set_password(book: Book, password: str) -> PasswordChange:
    """Encrypt the open book with ``password`` (or change the password of an encrypted
    one). A backup of the book as it was is taken first."""
    return _change(book, password)


def remove_password(book: Book) -> PasswordChange:
    """Store the open encrypted book plain again (after a backup, encrypted as it was)."""
    if key_of(book.db.conn) is None:
        raise BookError("账簿没有设置密码。")
    return _change(book, None)


def plain_backups(book_path: Path) -> list[Path]:
    """The book's backups that are not encrypted."""
    return [b.path for b in backups.list_backups(book_path) if is_plain_sqlite(b.path)]


def book_is_encrypted(book: Book) -> bool:
    return key_of(book.db.conn) is not None


def delete_backups(paths: list[Path]) -> int:
    """Delete the backups the user chose to delete (after being told they are plain)."""
    n = 0
    for p in paths:
        with contextlib.suppress(OSError):
            p.unlink()
            n += 1
    return n


def is_plain_sqlite_file(path: Path) -> bool:
    return is_plain_sqlite(Path(path)) is True


def list_backups_encrypted(book_path: Path) -> list[Path]:
    """The book's backups that are encrypted."""
    return [b.path for b in backups.list_backups(book_path) if is_plain_sqlite(b.path) is False]


def write_plain_copy(book: Book, target: Path) -> Path:
    """An unencrypted copy of the open encrypted book at ``target`` (e.g. on a USB stick,
    the user's recovery choice), verified; readable only by the user."""
    target = Path(target)
    if target.exists():
        raise FileExistsError(f"文件已存在，不会覆盖：{target}")
    key = key_of(book.db.conn)
    if key is None:
        backups.copy_database(book.db.conn, target)
        return target
    staged = book.backup("manual")
    tmp = target.with_name(target.name + ".part")
    backups._remove_part(tmp)
    try:
        backups.create_private_file(tmp)
        export_copy(staged.path, key, tmp, None)
        _verify_copy(staged.path, key, tmp, None)
        os.replace(tmp, target)
    except BaseException:
        backups._remove_part(tmp)
        raise
    return target
