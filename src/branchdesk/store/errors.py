"""Errors the store raises; each message is Chinese and meant for the user."""

from __future__ import annotations


class BookError(Exception):
    """Something about the book file stops us from using it."""


class BookNotFoundError(BookError):
    pass


class NotABookError(BookError):
    pass


class CorruptBookError(BookError):
    pass


class NewerBookError(BookError):
    pass


class BookInUseError(BookError):
    pass


class InputError(ValueError):
    """User input that breaks a rule; the message names the field."""


#: Every refusal by a lock trigger (store/archive.py) starts with this.
LOCK_PREFIX = "已归档"


class FiledError(InputError):
    """The record belongs to a filed (归档) year: the book refused to change it."""


def as_filed_error(exc: BaseException) -> FiledError | None:
    """The FiledError a lock trigger's refusal means, else None."""
    if exc.__class__.__name__ == "IntegrityError" and str(exc).startswith(LOCK_PREFIX):
        return FiledError(str(exc))
    return None


class PasswordRequiredError(NotABookError):
    """The file is not plain SQLite and may be a book with a password (账簿密码): the
    caller may ask for the password and try again (``store.cipher.unlock``)."""


class WrongPasswordError(BookError):
    """The password does not open the file (or the file is not a book at all)."""


class CipherUnavailableError(BookError):
    """The SQLCipher binding is not installed: books with a password cannot be used."""
