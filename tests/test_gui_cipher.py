"""账簿密码 in the real window: 设置 → 账簿密码 with the recovery choice, the password dialog on
opening, and the idle lock that covers the windows and keeps what was typed."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from branchdesk.domain.members import Member
from branchdesk.paths import is_marked_encrypted, mark_encrypted
from branchdesk.store import cipher
from branchdesk.store.connection import forget_all_keys
from branchdesk.ui.idle_lock import Curtain, IdleLock
from branchdesk.ui.main_window import MainWindow
from qt_helpers import record_message_boxes, type_text, when_modal

pytestmark = pytest.mark.skipif(
    not cipher.available(), reason="sqlcipher3 (SQLCipher binding) is not installed"
)
PASSWORD = "gui-password-7"
NAME = "钱保密"


@pytest.fixture(autouse=True)
def _setup(monkeypatch):
    monkeypatch.setattr(cipher, "WRONG_PASSWORD_DELAY", 0.01)
    forget_all_keys()
    yield
    forget_all_keys()


@pytest.fixture(autouse=True)
def shown(monkeypatch):
    """Message boxes would block: recorded, answered Yes."""
    return record_message_boxes(monkeypatch)


@pytest.fixture
def window(qtbot, book):
    book.roster.add(Member(name=NAME, id_number="11010519491231002X"))
    w = MainWindow(book)
    qtbot.addWidget(w)
    w.show()
    return w


def _click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_set_password_with_an_unencrypted_backup_on_removable_media(
    qtbot, window, book, book_path, tmp_path, shown, monkeypatch
):
    book.backup("manual")  # a plain backup from before: the user is asked about it
    usb = tmp_path / "usb"
    usb.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(usb))
    window.show_page("settings")
    tab = window.settings.password
    assert "未设置密码" in tab.status.text()
    _click(qtbot, tab.set_button)
    dialog = tab.dialog
    type_text(qtbot, dialog.password, PASSWORD)
    type_text(qtbot, dialog.again, "something-else")
    dialog.backup.setChecked(True)
    dialog.try_accept()
    assert "不一致" in dialog.error.text() and dialog.isVisible()
    dialog.again.clear()
    type_text(qtbot, dialog.again, PASSWORD)
    dialog.try_accept()
    assert not dialog.isVisible()

    assert "已设置密码" in tab.status.text() and tab.set_button.text() == "更改密码…"
    assert not cipher.is_plain_sqlite_file(book_path)
    assert is_marked_encrypted(book_path)
    copies = list(usb.glob("*.db"))
    assert len(copies) == 1 and NAME.encode() in copies[0].read_bytes()  # plain, readable
    # The plain backups were named and deleted only because the user said yes.
    asked = [text for kind, text in shown if kind == "question"]
    assert asked and "没有加密" in asked[0]
    assert cipher.plain_backups(book_path) == []
    assert cipher.list_backups_encrypted(book_path)
    # The window goes on with the encrypted book.
    assert NAME in [m.name for m in book.roster.members()]


def test_recovery_sheet_is_offered_and_holds_no_password(qtbot, window, book, shown):
    from pypdf import PdfReader

    window.show_page("settings")
    tab = window.settings.password
    _click(qtbot, tab.set_button)
    dialog = tab.dialog
    dialog.try_accept()
    assert "至少" in dialog.error.text()
    type_text(qtbot, dialog.password, PASSWORD)
    type_text(qtbot, dialog.again, PASSWORD)
    dialog.try_accept()
    assert "请选择" in dialog.error.text()  # a recovery choice is required
    dialog.sheet.setChecked(True)
    dialog.try_accept()
    qtbot.waitUntil(lambda: getattr(tab, "last_preview", None) is not None, timeout=60_000)
    pages = PdfReader(io.BytesIO(tab.last_preview.pdf)).pages
    text = "".join(p.extract_text() for p in pages).replace("\n", "")
    assert "恢复单" in text and "没有后门" in text and str(book.path.name) in text
    assert PASSWORD not in text
    tab.last_preview.close()


def test_remove_password_in_settings(qtbot, window, book, book_path, shown):
    cipher.set_password(book, PASSWORD)
    mark_encrypted(book_path, True)
    window.show_page("settings")
    tab = window.settings.password
    tab.refresh()
    _click(qtbot, tab.remove_button)
    assert cipher.is_plain_sqlite_file(book_path)
    assert not is_marked_encrypted(book_path)
    assert "未设置密码" in tab.status.text()


def test_idle_lock_covers_the_window_and_keeps_unsaved_input(qtbot, window, book):
    lock = IdleLock(window, book, minutes=lambda: 5)
    assert not lock.check_idle(time.monotonic() + 3600)  # no password: never locks
    cipher.set_password(book, PASSWORD)
    window.show_page("settings")
    field = window.settings.branch_name
    field.clear()
    type_text(qtbot, field, "未保存的名称")
    lock.last_input = time.monotonic()
    assert not lock.check_idle(time.monotonic() + 60)  # one minute: not yet
    assert lock.check_idle(time.monotonic() + 5 * 60 + 1)
    curtains = [c for c in window.findChildren(Curtain) if c.isVisible()]
    assert curtains and curtains[0].geometry() == window.rect()
    dialog = lock.dialog
    assert dialog is not None and dialog.isVisible()
    type_text(qtbot, dialog.password, "wrong-one")
    _click(qtbot, dialog.ok)
    assert "密码不正确" in dialog.error.text() and lock.locked
    dialog.reject()  # no way around the lock
    assert dialog.isVisible()
    type_text(qtbot, dialog.password, PASSWORD)
    _click(qtbot, dialog.ok)
    assert not lock.locked
    qtbot.waitUntil(lambda: not [c for c in window.findChildren(Curtain) if c.isVisible()])
    assert field.text() == "未保存的名称"


def test_opening_asks_for_the_password(qtbot, book, book_path, shown):
    from branchdesk.app import open_with_password

    cipher.set_password(book, PASSWORD)
    book.close(backup=False)
    forget_all_keys()
    mark_encrypted(book_path, True)

    def answer(dialog):
        type_text(qtbot, dialog.password, "wrong-one")
        _click(qtbot, dialog.ok)
        assert "密码不正确" in dialog.error.text()
        type_text(qtbot, dialog.password, PASSWORD)
        _click(qtbot, dialog.ok)

    done = when_modal(qtbot, answer)
    opened = open_with_password(book_path)
    assert done and opened is not None
    try:
        assert opened.branch.profile().name == "测试党支部"
    finally:
        opened.close(backup=False)


def test_a_random_file_is_refused_when_the_user_does_not_try(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from branchdesk.app import open_with_password

    noise = tmp_path / "noise.db"
    noise.write_bytes(bytes(range(256)) * 16)
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text, *a: said.append(text))
    assert open_with_password(noise) is None
    assert said and "密码" in said[0]
    assert noise.read_bytes() == bytes(range(256)) * 16
    assert not Path(str(noise) + "-wal").exists()


def test_roster_export_from_an_encrypted_book_asks_first(
    qtbot, window, book, tmp_path, shown, monkeypatch
):
    from PySide6.QtWidgets import QMessageBox

    cipher.set_password(book, PASSWORD)
    target = tmp_path / "名册.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    asked: list[str] = []

    def say_no(_parent, _title, text, *a, **k):
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", say_no)
    page = window.roster
    page.choose_export_file()
    assert asked and "不加密" in asked[0]
    qtbot.wait(50)
    assert not target.exists()  # the user said no: nothing written
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    page.choose_export_file()
    qtbot.waitUntil(target.exists, timeout=30_000)


def test_restore_asks_for_the_password_of_an_encrypted_backup(
    qtbot, window, book, book_path, shown, monkeypatch
):
    """After the password was removed, the backups taken before are still encrypted:
    restoring one asks for its password."""
    cipher.set_password(book, PASSWORD)
    made = book.backup("manual")
    cipher.remove_password(book)
    forget_all_keys()
    book.roster.add(Member(name="后来加的"))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(made.path), ""))

    def answer(dialog):
        type_text(qtbot, dialog.password, PASSWORD)
        _click(qtbot, dialog.ok)

    done = when_modal(qtbot, answer)
    window.show_page("settings")
    window.settings.restore()
    assert done
    qtbot.waitUntil(lambda: any("恢复完成" in text for _k, text in shown), timeout=60_000)
    assert [m.name for m in book.roster.members()] == [NAME]
    assert cipher.is_plain_sqlite_file(book_path)  # the book stays as it is now: plain
