"""The book opened last is opened again; the first-start dialog offers the recent ones."""

from __future__ import annotations

from PySide6.QtCore import Qt

from branchdesk.app import choose_book
from branchdesk.paths import recent_books, recent_file, remember_book, start_book_path
from branchdesk.ui.first_start import FirstStartDialog


def test_remember_puts_the_book_first_without_duplicates(tmp_path, monkeypatch):
    monkeypatch.delenv("BRANCHDESK_DATA", raising=False)
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    a.write_bytes(b"x")
    b.write_bytes(b"x")
    remember_book(a)
    remember_book(b)
    remember_book(a)
    assert recent_books() == [a.resolve(), b.resolve()]
    assert start_book_path() == a.resolve()
    assert start_book_path(str(b)) == b  # --data still wins
    a.unlink()  # moved away (a USB stick not plugged in): not offered
    assert recent_books() == [b.resolve()]


def test_a_damaged_list_is_an_empty_list(tmp_path):
    recent_file().write_text("{not json", encoding="utf-8")
    assert recent_books() == []
    remember_book(tmp_path / "new.db")  # and is replaced
    assert recent_books(existing_only=False) == [(tmp_path / "new.db").resolve()]


def test_first_start_offers_recent_books_and_opens_one(qtbot, tmp_path, monkeypatch):
    elsewhere = tmp_path / "U盘" / "支部账簿.db"
    elsewhere.parent.mkdir()
    elsewhere.write_bytes(b"x")
    remember_book(elsewhere)

    def pick_recent(self):
        assert len(self.recent_buttons) == 1 and "支部账簿.db" in self.recent_buttons[0].text()
        assert self.recent_buttons[0].isDefault() and not self.create_button.isDefault()
        qtbot.mouseClick(self.recent_buttons[0], Qt.MouseButton.LeftButton)
        return self.result()

    monkeypatch.setattr(FirstStartDialog, "exec", pick_recent)
    assert choose_book(tmp_path / "default.db") == (elsewhere.resolve(), "open")
    assert not (tmp_path / "default.db").exists()  # no empty default book made by mistake


def test_first_start_without_recent_books_says_there_is_none(qtbot, tmp_path):
    dialog = FirstStartDialog(tmp_path / "x.db", recent=[])
    qtbot.addWidget(dialog)
    assert dialog.recent_buttons == [] and dialog.create_button.isDefault()


def test_title_names_the_branch_once_and_keeps_the_demo_mark_after_an_edit(qtbot, demo_book):
    from branchdesk.domain.members import Member
    from branchdesk.ui.main_window import MainWindow

    w = MainWindow(demo_book)  # not told: the book knows it is a demo
    qtbot.addWidget(w)
    assert w.windowTitle() == "市发展改革委机关第二党支部（演示数据） — 党支部工作台"
    demo_book.roster.add(Member(name="新来的"))
    qtbot.waitUntil(lambda: "新来的" in [m.name for m in demo_book.roster.members()])
    demo_book.branch.set_profile("改名支部", "")
    qtbot.waitUntil(lambda: w.windowTitle().startswith("改名支部"))
    assert w.windowTitle() == "改名支部（演示数据） — 党支部工作台"
    assert w.windowTitle().count("党支部工作台") == 1


def test_own_book_title_has_no_demo_mark(qtbot, book):
    from branchdesk.ui.main_window import MainWindow

    w = MainWindow(book)
    qtbot.addWidget(w)
    assert w.windowTitle() == "测试党支部 — 党支部工作台"
