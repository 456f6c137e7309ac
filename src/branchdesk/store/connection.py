"""The one place where the store opens an SQLite connection.

Every connection to a book, a backup or a staged copy is made here, so that what every
connection needs — the busy timeout, and for a book with a password (账簿密码) the key — is
decided once.

An encrypted book is opened through SQLCipher (the ``sqlcipher3`` binding, a sqlite3-
compatible module with its own copy of SQLite). Its password is held in memory for the
process only, per file (``remember_key``); ``PRAGMA key`` is the first statement on every
connection to it — the window's, a worker's, a read-only inspection, a backup target, a
staged restore. A file that is not plain SQLite and has no key of its own (a backup of the
book, a staged copy) is opened with the key the process unlocked last. Nothing of the
password is ever written anywhere: the page key is SQLCipher 4's own derivation (PBKDF2-
HMAC-SHA512 of the password and the file's random salt, 256,000 iterations), computed once
per file and process (``_key_statement``) and held in memory beside the password; the file
keeps only its salt.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import unquote

BUSY_TIMEOUT_MS = 10_000
SQLITE_HEADER = b"SQLite format 3\x00"

#: What a failure of either SQLite (the stdlib's, or SQLCipher's) is an instance of. The
#: binding's exceptions are its own classes, not sqlite3's: catch these tuples instead.
#: They name SQLCipher's classes once the binding is loaded (`_binding`), which happens
#: before the first SQLCipher connection is made — and before any module binds a tuple by
#: name (``from branchdesk.store.connection import ERRORS``, see ``__getattr__``). The
#: modules on the way to the window's first picture read them as attributes of this
#: module when they need them (``connection.ERRORS``), so that a book without a password
#: opens without loading SQLCipher's own SQLite (~5 ms).
_ERROR_NAMES = ("Error", "DatabaseError", "IntegrityError", "OperationalError")
_TUPLES = ("ERRORS", "DATABASE_ERRORS", "INTEGRITY_ERRORS", "OPERATIONAL_ERRORS")
_NOT_LOADED: Any = object()
_binding_lock = threading.RLock()
#: The binding's ``dbapi2`` module; None when it is not installed (no passwords here).
_cipher: Any = _NOT_LOADED
#: Its connection class that knows its key (defined once the binding is loaded).
_cipher_connection: Any = None


def _binding() -> Any:
    """The SQLCipher binding (None without it), imported on first need (on any thread)."""
    global _cipher
    with _binding_lock:
        if _cipher is _NOT_LOADED:
            try:  # the binding ships wheels for Windows, macOS and Linux; without it: none
                import sqlcipher3.dbapi2 as binding  # type: ignore[import-untyped]
            except ImportError:  # pragma: no cover - depends on the installation
                binding = None
            _cipher = binding
        if _cipher is not None and _cipher_connection is None:
            _define_cipher_classes(_cipher)
        return _cipher


def _define_cipher_classes(binding: Any) -> None:
    global _cipher_connection
    module = globals()
    for tuple_name, error_name in zip(_TUPLES, _ERROR_NAMES, strict=True):
        module[tuple_name] = (getattr(sqlite3, error_name), getattr(binding, error_name))

    class CipherConnection(binding.Connection):  # type: ignore[misc, name-defined]
        """A SQLCipher connection that knows its key (a backup target gets the same)."""

        bd_key: str | None = None

    _cipher_connection = CipherConnection


def __getattr__(name: str) -> tuple[type[Exception], ...]:
    # ERRORS & co. before the binding is loaded: load it, so that a tuple bound by name
    # names SQLCipher's classes too (or only sqlite3's when the binding is absent).
    if name in _TUPLES:
        _binding()
        value = globals().get(name)
        if value is None:  # no binding: the stdlib's classes alone
            value = (getattr(sqlite3, _ERROR_NAMES[_TUPLES.index(name)]),)
            globals()[name] = value
        return value  # type: ignore[no-any-return]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if TYPE_CHECKING:
    ERRORS: tuple[type[Exception], ...]
    DATABASE_ERRORS: tuple[type[Exception], ...]
    INTEGRITY_ERRORS: tuple[type[Exception], ...]
    OPERATIONAL_ERRORS: tuple[type[Exception], ...]


#: Why encryption is not available here.
UNAVAILABLE_MESSAGE = (
    "本机缺少加密组件 sqlcipher3，无法设置或打开带密码的账簿（不带密码的账簿不受影响）。"
)


def cipher_available() -> bool:
    return _binding() is not None


def unavailable_reason() -> str | None:
    return None if _binding() is not None else UNAVAILABLE_MESSAGE


class _Lookup:
    pass


#: ``open_sqlite(key=LOOKUP)``: decide by the file (its own key, else the process key).
LOOKUP: Any = _Lookup()

_keys: dict[str, str] = {}
_last_key: list[str] = []


def _norm(path: str | Path) -> str:
    return str(Path(path).absolute())


def remember_key(path: str | Path, password: str, *, process_key: bool = True) -> None:
    """Hold ``password`` in memory for the file ``path`` (and as the process key)."""
    _keys[_norm(path)] = password
    if process_key:
        _last_key[:] = [password]


def forget_key(path: str | Path) -> None:
    key = _keys.pop(_norm(path), None)
    if key is not None and key not in _keys.values():
        if _last_key == [key]:
            _last_key.clear()
        for pair in [p for p in _derived if p[0] == key]:
            del _derived[pair]


def forget_all_keys() -> None:
    _keys.clear()
    _last_key.clear()
    _derived.clear()


def has_key(path: str | Path) -> bool:
    return _norm(path) in _keys


def path_of(target: str | Path, uri: bool) -> Path | None:
    """The file a target names (None for ``:memory:``)."""
    text = str(target)
    if uri:
        if not text.startswith("file:"):
            return None
        text = unquote(text[5:].split("?", 1)[0])
    if text in ("", ":memory:"):
        return None
    return Path(text)


def make_private(path: Path) -> None:
    """Only the user may read the file (the book, a backup: 身份证号 and talks are in it)."""
    if os.name == "posix" and path.exists():
        os.chmod(path, 0o600)


def is_plain_sqlite(path: Path) -> bool | None:
    """True for a plain SQLite file, False for another file, None if absent or empty."""
    try:
        with open(path, "rb") as fh:
            header = fh.read(16)
    except OSError:
        return None
    if not header:
        return None
    return header == SQLITE_HEADER


def key_for(path: Path | None) -> str | None:
    if path is None:
        return None
    own = _keys.get(_norm(path))
    if own is not None:
        # Its own key — unless the file has become plain again (the password was removed).
        return None if is_plain_sqlite(path) else own
    if _last_key and is_plain_sqlite(path) is False:
        return _last_key[0]
    return None


def key_of(conn: object) -> str | None:
    """The key a connection was opened with (None for a plain one)."""
    return cast("str | None", getattr(conn, "bd_key", None))


def quote_key(password: str) -> str:
    return "'" + password.replace("'", "''") + "'"


#: SQLCipher 4's defaults: the key is PBKDF2-HMAC-SHA512(password, the file's 16-byte salt,
#: 256,000 iterations, 32 bytes). Derived once per file and process and handed to SQLCipher
#: as a raw key, so a worker's or a backup's connection does not pay the derivation again.
KDF_ITERATIONS = 256_000
_derived: dict[tuple[str, bytes], str] = {}


def _key_statement(password: str, path: Path | None) -> str:
    salt = b""
    if path is not None and is_plain_sqlite(path) is False:
        try:
            with open(path, "rb") as fh:
                salt = fh.read(16)
        except OSError:
            salt = b""
    if len(salt) != 16:
        # A new file (a backup target, a staged copy): the book's own key and salt, when
        # derived already; else SQLCipher derives the key with a new random salt.
        for (known, _salt), same in _derived.items():
            if known == password:
                return f"PRAGMA key = \"x'{same}'\""
        return f"PRAGMA key = {quote_key(password)}"
    raw = _derived.get((password, salt))
    if raw is None:
        import hashlib

        key = hashlib.pbkdf2_hmac("sha512", password.encode("utf-8"), salt, KDF_ITERATIONS, 32)
        raw = key.hex() + salt.hex()
        if len(_derived) >= 8:
            _derived.clear()
        _derived[(password, salt)] = raw
    return f"PRAGMA key = \"x'{raw}'\""


def open_sqlite(
    target: str | Path, *, uri: bool = False, key: str | None = LOOKUP
) -> sqlite3.Connection:
    """A connection to ``target`` (a path, or a ``file:`` URI when ``uri``).

    ``key``: the password of an encrypted file; by default the key held for the file (see
    the module's note); None for a plain file."""
    if key is LOOKUP:
        key = key_for(path_of(target, uri))
    if key is None:
        return sqlite3.connect(target, uri=uri, timeout=BUSY_TIMEOUT_MS / 1000)
    binding = _binding()
    if binding is None:
        from branchdesk.store.errors import CipherUnavailableError

        raise CipherUnavailableError(UNAVAILABLE_MESSAGE)
    conn = binding.connect(
        str(target), uri=uri, timeout=BUSY_TIMEOUT_MS / 1000, factory=_cipher_connection
    )
    try:
        # SQLCipher would otherwise print "hmac check failed" to stderr for a wrong key.
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(_key_statement(key, path_of(target, uri)))
    except BaseException:
        conn.close()
        raise
    conn.bd_key = key
    return cast(sqlite3.Connection, conn)


def plain_connection_to(target: str | Path, *, uri: bool = False) -> sqlite3.Connection:
    """A SQLCipher connection without a key (reads and writes plain SQLite): the side of
    an export between a plain and an encrypted file. Only for a closed, unshared file —
    two copies of SQLite must never hold the same live book."""
    binding = _binding()
    if binding is None:
        from branchdesk.store.errors import CipherUnavailableError

        raise CipherUnavailableError(UNAVAILABLE_MESSAGE)
    conn = binding.connect(str(target), uri=uri, factory=_cipher_connection)
    conn.execute("PRAGMA cipher_log_level = NONE")
    return cast(sqlite3.Connection, conn)
