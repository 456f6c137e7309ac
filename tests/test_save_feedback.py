"""Every save is confirmed in the status bar; unsaved 支部信息 is not dropped silently;
the first change of the day is backed up soon after it."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QMessageBox

from branchdesk.domain.members import Member
from branchdesk.ui.main_window import AUTO_BACKUP_AFTER_CHANGE_MS, MainWindow
from qt_helpers import record_message_boxes, type_text


@pytest.fixture(autouse=True)
def boxes(monkeypatch):
    return record_message_boxes(monkeypatch)


@pytest.fixture
def window(qtbot, book):
    w = MainWindow(book)
    qtbot.addWidget(w)
    w.show()
    return w


def test_a_save_anywhere_shows_in_the_status_bar(qtbot, window, book):
    book.roster.add(Member(name="甲"))
    qtbot.waitUntil(lambda: "已保存：党员名册" in window.statusBar().currentMessage())
    window.show_page("设置")
    page = window.settings
    page.branch_name.setText("新名字党支部")
    page.save_profile()
    qtbot.waitUntil(lambda: "已保存：支部信息" in window.statusBar().currentMessage())
    assert "账簿：" in window.book_label.text()  # the book's path stays shown


def answer(monkeypatch, button):
    asked = []

    def question(*args, **kwargs):
        asked.append(args[2])
        return button

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def test_leaving_settings_with_unsaved_profile_asks(qtbot, window, book, monkeypatch):
    window.show_page("设置")
    page = window.settings
    page.parent_org.clear()
    type_text(qtbot, page.parent_org, "机关党委")
    asked = answer(monkeypatch, QMessageBox.StandardButton.Cancel)
    window.show_page("党员名册")
    assert asked and "还没有保存" in asked[0]
    assert window.stack.currentWidget() is page  # stayed
    page.tabs.setCurrentIndex(1)
    assert page.tabs.currentIndex() == 0  # and on the tab too
    answer(monkeypatch, QMessageBox.StandardButton.Save)
    window.show_page("党员名册")
    assert book.branch.profile().parent_org == "机关党委"
    assert window.stack.currentWidget() is window.roster


def test_discard_puts_the_saved_profile_back(qtbot, window, book, monkeypatch):
    window.show_page("设置")
    page = window.settings
    page.branch_name.setText("打错的名字")
    answer(monkeypatch, QMessageBox.StandardButton.Discard)
    page.tabs.setCurrentIndex(2)
    assert page.tabs.currentIndex() == 2 and page.branch_name.text() == "测试党支部"
    assert book.branch.profile().name == "测试党支部"


def test_typed_profile_survives_another_change(qtbot, window, book):
    window.show_page("设置")
    page = window.settings
    page.branch_name.setText("正在输入")
    book.roster.add(Member(name="乙"))
    qtbot.waitUntil(lambda: "已保存" in window.statusBar().currentMessage())
    assert page.branch_name.text() == "正在输入"


def test_first_change_of_the_day_is_backed_up_soon(qtbot, window, book):
    assert not window.backup_soon.isActive()
    book.roster.add(Member(name="丙"))
    qtbot.waitUntil(window.backup_soon.isActive)
    assert window.backup_soon.interval() == AUTO_BACKUP_AFTER_CHANGE_MS <= 60_000
    window.backup_if_due()
    qtbot.waitUntil(lambda: any(b.label for b in book.list_backups()), timeout=10000)
    qtbot.waitUntil(lambda: not book.changed_since_backup, timeout=10000)
    book.roster.add(Member(name="丁"))
    assert not book.backup_due()  # one already today
    tomorrow = dt.datetime.combine(dt.date.today() + dt.timedelta(days=1), dt.time(8))
    assert book.backup_due(tomorrow)
