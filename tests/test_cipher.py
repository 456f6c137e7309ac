"""账簿密码 in the store: an encrypted book holds no plaintext, a wrong key is refused after a
delay, backups are encrypted, restores cross forms, and removing the password gives the
plain book back. Skipped (with the reason) where the SQLCipher binding is not installed."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from branchdesk.domain.members import Member
from branchdesk.store import cipher, open_book
from branchdesk.store.connection import forget_all_keys
from branchdesk.store.errors import NotABookError, PasswordRequiredError, WrongPasswordError

pytestmark = pytest.mark.skipif(
    not cipher.available(), reason="sqlcipher3 (SQLCipher binding) is not installed"
)

NAME = "郑秘密"
ID_NUMBER = "11010519491231002X"
PASSWORD = "支部-密码-2026"


@pytest.fixture(autouse=True)
def _fresh_keys(monkeypatch):
    monkeypatch.setattr(cipher, "WRONG_PASSWORD_DELAY", 0.01)
    cipher._failures[0] = 0
    forget_all_keys()
    yield
    forget_all_keys()


def _encrypted(book):
    book.roster.add(Member(name=NAME, id_number=ID_NUMBER, notes="谈话要点" * 20))
    change = cipher.set_password(book, PASSWORD)
    return change


def _bytes_of(path: Path) -> bytes:
    data = path.read_bytes()
    for extra in ("-wal", "-shm"):
        p = Path(str(path) + extra)
        if p.exists():
            data += p.read_bytes()
    return data


def test_encrypted_book_holds_no_plaintext_and_keeps_its_records(book, book_path):
    change = _encrypted(book)
    assert book.roster.members()[0].name == NAME  # the open book goes on working
    book.roster.add(Member(name="新党员"))
    book.close(backup=False)
    data = _bytes_of(book_path)
    for secret in (NAME, ID_NUMBER, "谈话要点", "新党员"):
        assert secret.encode("utf-8") not in data
    assert not data.startswith(b"SQLite format 3")
    # The backup taken before is plain — and listed as such for the user to decide on.
    assert change.before.path in change.plain_backups
    assert NAME.encode() in change.before.path.read_bytes()

    forget_all_keys()
    with pytest.raises(PasswordRequiredError):
        open_book(book_path)
    cipher.unlock(book_path, PASSWORD)
    again = open_book(book_path)
    try:
        assert {m.name for m in again.roster.members()} == {NAME, "新党员"}
        assert again.integrity_problems() == []
    finally:
        again.close(backup=False)


def test_wrong_password_is_refused_after_a_growing_delay(book, book_path):
    _encrypted(book)
    book.close(backup=False)
    forget_all_keys()
    times = []
    for _ in range(3):
        start = time.monotonic()
        with pytest.raises(WrongPasswordError, match="密码不正确"):
            cipher.unlock(book_path, "wrong-password")
        times.append(time.monotonic() - start)
    assert times[0] >= 0.01 and times[2] >= 0.04  # 1×, 2×, 4× the delay
    with pytest.raises(PasswordRequiredError):
        open_book(book_path)  # nothing was remembered


def test_random_file_is_refused_as_not_a_book(tmp_path):
    odd = tmp_path / "odd.db"
    odd.write_bytes(b"\x00\x01 not a book" * 7)  # not whole pages
    with pytest.raises(NotABookError) as caught:
        open_book(odd)
    assert not isinstance(caught.value, PasswordRequiredError)
    pages = tmp_path / "pages.db"
    pages.write_bytes(bytes(range(256)) * 16)  # 4 KiB of noise: could be an encrypted book
    with pytest.raises(PasswordRequiredError):
        open_book(pages)
    with pytest.raises(WrongPasswordError):
        cipher.unlock(pages, PASSWORD)
    assert pages.read_bytes() == bytes(range(256)) * 16
    assert not Path(str(pages) + "-wal").exists()


def test_backups_of_an_encrypted_book_are_encrypted_and_restore(book, book_path, tmp_path):
    _encrypted(book)
    made = book.backup("manual")
    usb = tmp_path / "usb" / "copy.db"
    usb.parent.mkdir()
    book.backup_to(usb)
    for f in (made.path, usb):
        assert NAME.encode() not in f.read_bytes()
        assert not cipher.is_plain_sqlite_file(f)
    book.roster.add(Member(name="恢复后应消失"))
    book.restore_from(made.path)
    assert [m.name for m in book.roster.members()] == [NAME]
    # A plain backup from before the password restores into the encrypted book, which
    # stays encrypted.
    change_backup = cipher.plain_backups(book_path)[0]
    book.roster.add(Member(name="又一个"))
    book.restore_from(change_backup)
    assert [m.name for m in book.roster.members()] == [NAME]
    book.close(backup=False)
    assert NAME.encode() not in _bytes_of(book_path)


def test_changing_and_removing_the_password(book, book_path):
    _encrypted(book)
    cipher.set_password(book, "另一个密码123")
    book.close(backup=False)
    forget_all_keys()
    with pytest.raises(WrongPasswordError):
        cipher.unlock(book_path, PASSWORD)
    cipher.unlock(book_path, "另一个密码123")
    again = open_book(book_path)
    change = cipher.remove_password(again)
    assert not cipher.book_is_encrypted(again)
    again.close(backup=False)
    assert book_path.read_bytes().startswith(b"SQLite format 3")
    assert NAME.encode() in book_path.read_bytes()
    forget_all_keys()
    plain = open_book(book_path)  # no password needed any more
    try:
        assert [m.name for m in plain.roster.members()] == [NAME]
    finally:
        plain.close(backup=False)
    # The backup taken before removing is still encrypted (it is not among the plain ones).
    assert change.before.path not in change.plain_backups


def test_new_password_must_be_long_enough_and_confirmed():
    from branchdesk.store.errors import InputError

    with pytest.raises(InputError, match="至少"):
        cipher.validate_new_password("abc", "abc")
    with pytest.raises(InputError, match="不一致"):
        cipher.validate_new_password("abcdefg", "abcdefh")
    cipher.validate_new_password("abcdefg", "abcdefg")


def test_a_backup_opens_on_its_own_with_the_password(book, book_path):
    """Backup targets get the book's derived key and salt: the file must still open from
    the password alone, in a process that never saw the book."""
    _encrypted(book)
    made = book.backup("manual")
    book.close(backup=False)
    forget_all_keys()
    with pytest.raises(WrongPasswordError):
        cipher.unlock(made.path, "not-it")
    cipher.unlock(made.path, PASSWORD)
    copy = open_book(made.path, read_only=True)
    try:
        assert [m.name for m in copy.roster.members()] == [NAME]
    finally:
        copy.close(backup=False)


def test_repair_of_an_encrypted_book_writes_only_encrypted_files(book, book_path):
    from branchdesk.store.repair import repair

    _encrypted(book)
    before = set(book_path.parent.rglob("*"))
    book.close(backup=False)
    result = repair(book_path)  # a healthy book: the copy and the rebuild are still made
    made = [p for p in set(book_path.parent.rglob("*")) - before if p.is_file()]
    assert result.kept in made
    for f in made:
        assert NAME.encode() not in f.read_bytes(), f.name
