"""The shell that carries every area: one change signal, pages that never go stale,
housekeeping off the GUI thread, and every reminder shown and clickable.

Each test here failed before the area registry and the change signal existed (a
background import was never backed up; the meeting list kept a restored book's old rows;
a backup froze the window; reminders were cut at 8 and were plain text)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFileDialog

from branchdesk.domain.members import Category, Member
from branchdesk.ui.main_window import MainWindow
from qt_helpers import record_message_boxes
from xlsx_samples import SAMPLE_HEADERS, make_sample_rows, write_rows


@pytest.fixture(autouse=True)
def boxes(monkeypatch):
    return record_message_boxes(monkeypatch)


def _window(qtbot, book) -> MainWindow:
    w = MainWindow(book)
    qtbot.addWidget(w)
    w.show()
    return w


def _close(qtbot, w: MainWindow) -> None:
    w.close()
    qtbot.waitUntil(lambda: w.book.closed, timeout=30000)


def test_a_background_import_is_backed_up_on_close(
    qtbot, book, book_path, tmp_path, monkeypatch, boxes
):
    w = _window(qtbot, book)
    w.show_page("党员名册")
    page = w.roster
    rows = [list(r) for r in make_sample_rows(30, seed=11)]
    xlsx = tmp_path / "roll.xlsx"
    write_rows(xlsx, SAMPLE_HEADERS, rows, title_rows=["某某党支部党员名册"])
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(xlsx), ""))
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.import_dialog is not None, timeout=10000)
    qtbot.mouseClick(page.import_dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any("导入完成" in t for _, t in boxes), timeout=15000)
    # The import committed on the worker's own connection: the book knows it changed.
    assert book.changed_since_backup
    qtbot.waitUntil(lambda: len(page.all_rows) == 30)  # the page shows it without being told
    _close(qtbot, w)
    backups = list((book_path.parent / "book-backups").glob("*-close.db"))
    assert len(backups) == 1
    from branchdesk.store import open_book

    restored = open_book(backups[0])
    try:
        assert restored.roster.count() == 30
    finally:
        restored.close(backup=False)


def test_after_a_restore_every_page_shows_the_restored_book(
    qtbot, demo_book, tmp_path, monkeypatch, boxes
):
    book = demo_book
    saved = tmp_path / "saved.db"
    book.backup_to(saved)
    before = {s.id for s in book.meetings.summaries(None)}
    w = _window(qtbot, book)
    w.show_page("会议记录")
    meetings = w.page("会议记录").list
    year = meetings.year.currentData()
    # Change the book after the backup: delete every meeting of the shown year.
    for s in book.meetings.summaries(year):
        book.meetings.delete(s.id)
    assert meetings.model.rows == []  # the delete refreshed the page
    w.show_page("设置")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(saved), ""))
    qtbot.mouseClick(_button(w.settings, "从备份恢复…"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any("恢复完成" in t for _, t in boxes), timeout=15000)
    assert {s.id for s in book.meetings.summaries(None)} == before
    w.show_page("会议记录")
    shown = [s.id for s in meetings.model.rows]
    assert shown and shown == [s.id for s in book.meetings.summaries(year)]
    # 删除 acts on the meeting shown, not on a row cached before the restore.
    meetings.table.selectRow(0)
    target = meetings.selected()
    qtbot.mouseClick(meetings.delete_button, Qt.MouseButton.LeftButton)
    assert target.id not in {s.id for s in book.meetings.summaries(None)}
    assert target.id not in [s.id for s in meetings.model.rows]


def test_another_programs_write_reaches_the_open_window(qtbot, book, book_path):
    w = _window(qtbot, book)
    w.show_page("党员名册")
    page = w.roster
    assert page.all_rows == []
    script = (
        "from branchdesk.store import open_book\n"
        "from branchdesk.domain.members import Member\n"
        f"b = open_book({str(book_path)!r})\n"
        "b.roster.add(Member(name='命令行添加'))\n"
        "b.close(backup=False)\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    qtbot.waitUntil(lambda: [r.member.name for r in page.all_rows] == ["命令行添加"], timeout=10000)
    assert book.changed_since_backup


def _button(widget, text: str):
    from PySide6.QtWidgets import QPushButton

    return next(b for b in widget.findChildren(QPushButton) if b.text() == text)


def test_the_window_keeps_turning_while_a_200_mb_book_is_backed_up(qtbot, book, book_path, boxes):
    from branchdesk.domain.meetings import Meeting, MeetingType
    from branchdesk.domain.minutes import MeetingRecord

    meeting_id = book.meetings.save(
        MeetingRecord(Meeting(title="主题党日", types=frozenset({MeetingType.THEME_DAY}),
                              date=dt.date(2026, 5, 8)))
    )  # fmt: skip
    chunk = os.urandom(20 * 1024 * 1024)  # photos do not compress
    for n in range(10):
        book.meetings.add_attachment(meeting_id, f"照片{n}.jpg", "image/jpeg", chunk)
    assert book_path.stat().st_size + Path(str(book_path) + "-wal").stat().st_size > 200e6
    w = _window(qtbot, book)
    w.show_page("设置")
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(10)
    started = time.perf_counter()
    qtbot.mouseClick(_button(w.settings, "立即备份"), Qt.MouseButton.LeftButton)
    clicked = time.perf_counter()
    qtbot.waitUntil(lambda: any("备份完成" in t for _, t in boxes), timeout=120000)
    finished = time.perf_counter()
    timer.stop()
    during = [t for t in ticks if started <= t <= finished]
    gaps = [b - a for a, b in zip([started, *during], [*during, finished], strict=True)]
    # The click returned at once and the event loop kept running throughout the backup.
    assert clicked - started < 0.5
    assert finished - started > 0.3, "the backup was too quick to tell anything"
    assert max(gaps) < max(0.25, (finished - started) / 4)
    assert len(list((book_path.parent / "book-backups").glob("*-manual.db"))) == 1


def test_every_reminder_is_shown_grouped_and_opens_its_place(qtbot, book):
    today = dt.date.today()
    joined = (
        dt.date(today.year - 1, today.month, 1)
        if today.month > 1
        else dt.date(today.year - 2, 12, 1)
    )
    ids = [
        book.roster.add(
            Member(name=f"预备{n:02d}", join_date=joined, category=Category.PROBATIONARY)
        )
        for n in range(12)
    ]
    w = _window(qtbot, book)
    qtbot.waitUntil(lambda: len(w.dashboard.reminders) >= 12, timeout=10000)
    assert w.dashboard.group_counts()["预备期届满"] == 12
    tree = w.dashboard.tree
    group = next(
        tree.topLevelItem(i)
        for i in range(tree.topLevelItemCount())
        if tree.topLevelItem(i).text(0) == "预备期届满（12）"
    )
    assert group.childCount() == 12  # nothing cut off
    child = group.child(11)
    tree.scrollToItem(child)
    rect = tree.visualItemRect(child)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert w.nav_titles[w.stack.currentIndex()] == "党员名册"
    # Selected once the page shows the roll its worker read.
    qtbot.waitUntil(lambda: w.roster.selected_member() is not None)
    selected = w.roster.selected_member()
    assert selected is not None and selected.id in ids
    assert selected.name in child.text(0)
