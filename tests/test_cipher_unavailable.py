"""Without the SQLCipher binding the program runs as before (books without a password) and
says plainly that passwords are unavailable. The binding's absence is simulated, so this
runs everywhere."""

from __future__ import annotations

import pytest

from branchdesk.cli import main
from branchdesk.store import cipher, connection, open_book
from branchdesk.store.errors import NotABookError, PasswordRequiredError


@pytest.fixture
def no_binding(monkeypatch):
    monkeypatch.setattr(connection, "_cipher", None)


def test_plain_books_work_and_the_reason_is_given(no_binding, book, book_path):
    assert not cipher.available()
    assert "sqlcipher3" in (cipher.unavailable_reason() or "")
    book.roster.members()
    book.backup("manual")
    with pytest.raises(cipher.CipherUnavailableError):
        cipher.set_password(book, "abcdefgh")
    assert book_path.read_bytes().startswith(b"SQLite format 3")


def test_a_file_that_may_be_encrypted_is_refused_with_the_reason(no_binding, tmp_path):
    f = tmp_path / "x.db"
    f.write_bytes(bytes(range(256)) * 16)
    with pytest.raises(NotABookError, match="sqlcipher3") as caught:
        open_book(f)
    assert not isinstance(caught.value, PasswordRequiredError)


def test_cli_says_passwords_are_unavailable(no_binding, tmp_path, capsys, monkeypatch):
    path = tmp_path / "b.db"
    assert main(["--data", str(path), "init", "--branch-name", "一支部"]) == 0
    monkeypatch.setenv("BRANCHDESK_NEW_PASSWORD", "abcdefgh")
    assert main(["--data", str(path), "password", "set"]) == 1
    assert "sqlcipher3" in capsys.readouterr().err


def test_settings_tab_says_so_and_disables_the_buttons(no_binding, qtbot, book):
    from branchdesk.ui.settings.password import PasswordTab

    tab = PasswordTab(book)
    qtbot.addWidget(tab)
    assert "sqlcipher3" in tab.status.text()
    assert not tab.set_button.isEnabled() and not tab.remove_button.isEnabled()
