"""The main window: 工作台, one page per area (from the registry), 设置.

The shell knows no area by name: the navigation, the pages and the reminders come from
`branchdesk.areas.registry.AREAS`. It keeps the book's housekeeping off the GUI thread:
the daily backup and the backup on close run as background jobs.

Start-up shows the window first: what the first picture does not need waits for the first
paint — the full integrity check of the file (``quick_check``) and the 工作台's reminders
then run on worker threads. ``BRANCHDESK_QUIT_AFTER_PAINT=1`` quits right after that first
paint, without a backup (as if the user closed the window at once): a real start, timed as
a process; it prints on stderr when the first paint happened.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QSize, QTimer
from PySide6.QtGui import QCloseEvent, QPaintEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from branchdesk import APP_TITLE
from branchdesk.areas import Area, Target, load, opened
from branchdesk.areas.registry import AREAS
from branchdesk.store import Book
from branchdesk.store.changes import EVERYTHING, Change
from branchdesk.ui.changes import watch
from branchdesk.ui.dashboard import DashboardPage
from branchdesk.ui.screen import fit_to_screen, shortcut
from branchdesk.ui.tasks import run_in_background

log = logging.getLogger(__name__)

DASHBOARD = "工作台"
SETTINGS = "设置"
#: How often to look whether an automatic backup is due (it is taken at most daily): a
#: fallback for a window left open over midnight.
AUTO_BACKUP_CHECK_MS = 30 * 60 * 1000
#: The first change of the day is backed up this soon after it (a burst of edits first).
AUTO_BACKUP_AFTER_CHANGE_MS = 60 * 1000
#: What the status bar says was saved, by change area.
AREA_WORDS = {
    "roster": "：党员名册",
    "meetings": "：会议记录",
    "branch": "：支部信息",
    "settings": "：设置",
}
#: How often to look whether another program (branchdesk-cli) wrote to the book.
EXTERNAL_POLL_MS = 3000


class PlaceholderPage(QWidget):
    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        heading = QLabel(title)
        heading.setStyleSheet("font-size: 18px; font-weight: bold;")
        body = QLabel(text)
        body.setWordWrap(True)
        layout.addWidget(heading)
        layout.addWidget(body)
        layout.addStretch()


class MainWindow(QMainWindow):
    def __init__(
        self, book: Book, *, demo: bool = False, quit_after_paint: bool | None = None
    ) -> None:
        super().__init__()
        self.book = book
        self.demo = demo
        if quit_after_paint is None:
            quit_after_paint = os.environ.get("BRANCHDESK_QUIT_AFTER_PAINT") == "1"
        self.quit_after_paint = quit_after_paint
        self._painted = False
        self._when_painted: list[Callable[[], object]] = []
        #: True once the first picture is on screen and what waits for it has run (the
        #: keyboard shortcuts among it).
        self.ready = False
        #: What the last full check of the file found (None: not checked yet).
        self.integrity_problems: list[str] | None = None
        # The areas' open hooks (the archive's lock and audit triggers, who is at this
        # PC) hold before anything is written, but need not delay the first picture: they
        # run after the first paint, or before the first write if that comes sooner.
        self._open_hooks_pending = True
        book.writer.before_first_write.append(self._run_open_hooks)
        # Once the window is up (not competing with start-up), read the text the search
        # box searches, on a thread of its own: the first Ctrl+F finds it read.
        self.search_text_timer = QTimer(self)
        self.search_text_timer.setSingleShot(True)
        self.search_text_timer.timeout.connect(self._read_search_text)
        self.search_text_timer.start(1500)
        self._closed = False
        self._closing = False
        self.nav_titles: list[str] = [DASHBOARD, *(a.title for a in AREAS), SETTINGS]
        self._areas: dict[str, Area] = {a.title: a for a in AREAS}
        self._update_title()
        fit_to_screen(self, 1360, 760)

        self.nav = QListWidget()
        self.nav.addItems(self.nav_titles)
        self.nav.setFixedWidth(140)
        self.nav.setIconSize(QSize(0, 0))
        self.nav.setStyleSheet(
            "QListWidget { font-size: 15px; } QListWidget::item { padding: 10px; }"
        )
        self.stack = QStackedWidget()
        self.dashboard = DashboardPage(book)
        self.dashboard.open_target.connect(self.open_target)
        # Pages other than 工作台 are built when first shown: start-up stays quick on a
        # big book (the roster page alone reads every member).
        self._pages: dict[str, QWidget] = {DASHBOARD: self.dashboard}
        for name in self.nav_titles:
            self.stack.addWidget(self.dashboard if name == DASHBOARD else QWidget())
        self.nav.currentRowChanged.connect(self._show_index)
        self.nav.setCurrentRow(0)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.book_label = QLabel(f"账簿：{book.path}")
        self.statusBar().addPermanentWidget(self.book_label)
        # Every committed write is a Change: say so in the status bar, whichever form
        # or page saved it (the secretary sees that a save happened).
        watch(self, book, (EVERYTHING,), self._announce)

        # Keyboard shortcuts are added once the window is on screen (`_after_first_paint`):
        # nobody presses Ctrl+1 before they see the window, and QKeySequence's Python type
        # (its 70-key StandardKey enum) costs the first picture ~1–2 ms.
        watch(self, book, ("branch", "*"), lambda _c: self._update_title())
        self.backup_timer = QTimer(self)
        self.backup_timer.timeout.connect(self.backup_if_due)
        self.backup_timer.start(AUTO_BACKUP_CHECK_MS)
        self.backup_soon = QTimer(self)
        self.backup_soon.setSingleShot(True)
        self.backup_soon.setInterval(AUTO_BACKUP_AFTER_CHANGE_MS)
        self.backup_soon.timeout.connect(self.backup_if_due)
        self.poll_timer = QTimer(self)
        self.poll_timer.timeout.connect(self._poll_external)
        self.poll_timer.start(EXTERNAL_POLL_MS)

    def _add_shortcuts(self) -> None:
        from PySide6.QtGui import QKeySequence

        for i in range(len(self.nav_titles)):
            shortcut(QKeySequence(f"Ctrl+{i + 1}"), self, partial(self.show_page, i))
        shortcut(QKeySequence.StandardKey.Find, self, self.open_search)

    def _announce(self, change: Change) -> None:
        when = dt.datetime.now().strftime("%H:%M")
        if change.area == EVERYTHING:
            text = f"账簿内容已更新（{when}）"
        else:
            what = AREA_WORDS.get(change.area, "")
            text = f"已保存{what}（{when}）"
        self.statusBar().showMessage(text, 8000)
        if not self.backup_soon.isActive() and not self.book.closed and self.book.backup_due():
            self.backup_soon.start()

    def _update_title(self) -> None:
        if self.book.closed:
            return
        # "支部名（演示数据） — 党支部工作台": Qt appends the application display name to a
        # title that does not already end with it, so ending with it avoids saying it twice.
        name, demo_book = self.book.title()
        demo = "（演示数据）" if self.demo or demo_book else ""
        title = f"{name}{demo} — {APP_TITLE}"
        if getattr(self.book, "read_only", False):  # the owner protected the file
            title += "（只读：只能查看和打印）"
        self.setWindowTitle(title)

    # -- pages --------------------------------------------------------------------------
    def page(self, name: str) -> QWidget:
        """The page for a navigation entry (its title, or an area key), built on first use."""
        name = self._title_of(name)
        if name not in self._pages:
            page = self._build(name)
            index = self.nav_titles.index(name)
            old = self.stack.widget(index)
            self.stack.insertWidget(index, page)
            if old is not None:
                self.stack.removeWidget(old)
                old.deleteLater()
            self._pages[name] = page
        return self._pages[name]

    def _title_of(self, name: str) -> str:
        for a in AREAS:
            if name == a.key:
                return a.title
        return SETTINGS if name == "settings" else name

    def _build(self, name: str) -> QWidget:
        if name == SETTINGS:
            from branchdesk.ui.settings.page import SettingsPage

            return SettingsPage(self.book)
        area = self._areas[name]
        if area.page is None:
            return PlaceholderPage(area.title, area.placeholder)
        page: QWidget = load(area.page)(self.book)
        return page

    @property
    def roster(self):  # type: ignore[no-untyped-def]  # RosterPage, imported lazily
        return self.page("roster")

    @property
    def settings(self):  # type: ignore[no-untyped-def]  # SettingsPage, imported lazily
        return self.page(SETTINGS)

    def _show_index(self, index: int) -> None:
        leaving = self.stack.currentWidget()
        can_leave = getattr(leaving, "can_leave", None)
        if index != self.stack.currentIndex() and can_leave is not None and not can_leave():
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(self.stack.currentIndex())
            self.nav.blockSignals(False)
            return
        self.page(self.nav_titles[index])
        self.stack.setCurrentIndex(index)

    def show_page(self, index: int | str) -> None:
        if isinstance(index, str):
            index = self.nav_titles.index(self._title_of(index))
        self.nav.setCurrentRow(index)

    def open_target(self, target: Target) -> None:
        """Show the page a reminder points at, and on it what the reminder is about."""
        self.show_page(target.area)
        page = self.page(target.area)
        show = getattr(page, "show_target", None)
        if show is not None:
            show(target)

    def _read_search_text(self) -> None:
        from branchdesk.ui.archive.search import read_search_text

        if self.book.closed:  # the window's book was closed (or swapped) before the timer
            return
        read_search_text(self, self.book)

    def open_search(self) -> None:
        """查找 over every record of every year (Ctrl+F anywhere)."""
        from branchdesk.ui.archive.search import SearchDialog

        dialog = SearchDialog(self.book, self)
        dialog.open_target.connect(self.open_target)
        self.search_dialog = dialog  # tests reach it here
        dialog.open()

    # -- housekeeping -------------------------------------------------------------------
    def _poll_external(self) -> None:
        if not self.book.closed:
            self.book.poll_external()

    def backup_if_due(self) -> None:
        """The daily automatic backup, taken in the background."""
        if self.book.closed or not self.book.backup_due():
            return
        job, token = self.book.backup_job("auto")
        run_in_background(
            self,
            job,
            lambda made: self._backed_up(token, made),
            lambda exc: log.warning("自动备份失败：%s", exc),
            label="正在自动备份账簿…",
            progress=False,
        )

    def _backed_up(self, token: object, made: object) -> None:
        if not self.book.closed:
            self.book.backed_up(token)
        self.statusBar().showMessage(f"已自动备份：{getattr(made, 'path', made)}", 8000)

    # -- the first paint --------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            # After this paint has reached the screen, not inside it.
            QTimer.singleShot(0, self, self._after_first_paint)

    def _run_open_hooks(self) -> None:
        if self._open_hooks_pending and not self.book.closed:
            self._open_hooks_pending = False
            opened(self.book, AREAS)

    def when_painted(self, callback: Callable[[], object]) -> None:
        """Run ``callback`` once the first picture is on screen (at once if it is)."""
        if self._painted and not self._when_painted:
            callback()
        else:
            self._when_painted.append(callback)

    def _after_first_paint(self) -> None:
        if self.quit_after_paint:
            self._quit_after_first_paint()
            return
        if self.book.closed:
            return
        self._add_shortcuts()
        self._run_open_hooks()
        self.check_integrity()
        self.dashboard.start()
        callbacks, self._when_painted = self._when_painted, []
        for callback in callbacks:
            callback()
        self.ready = True

    def check_integrity(self) -> None:
        """The full ``quick_check`` of the file, in the background; a problem is shown at
        once in a dialog and stays in the status bar."""
        run_in_background(
            self,
            self.book.integrity_job(),
            self._integrity_checked,
            lambda exc: self._integrity_checked([str(exc)]),
            label="正在校验账簿…",
            progress=False,
        )

    def _integrity_checked(self, problems: list[str]) -> None:
        self.integrity_problems = problems
        if not problems:
            return
        from branchdesk.store.book import corrupt_message

        text = corrupt_message(self.book.path, problems)
        log.error("账簿校验失败：%s", "；".join(problems[:3]))
        self.statusBar().setStyleSheet("color: #b71c1c; font-weight: bold;")
        self.statusBar().showMessage(text)
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(
            self,
            "账簿已损坏",
            f"{text}\n\n请不要继续录入：在“设置 → 备份与恢复”中从最近的备份恢复。"
            "\n关闭时不会用这份账簿覆盖已有的备份。",
        )

    def _quit_after_first_paint(self) -> None:
        import sys
        import time

        # When the first picture was on screen, on the system-wide monotonic clock (what a
        # benchmark compares with the moment it started the process).
        print(f"first paint at {time.monotonic():.6f}", file=sys.stderr, flush=True)
        self._closed = True  # as if closed at once: no backup
        if not self.book.closed:
            self.book.close(backup=False)
        from PySide6.QtWidgets import QApplication

        QApplication.quit()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self._closed or self.book.closed:  # closed already (quit after paint, a test)
            self._closed = True
            event.accept()
            return
        if self._closing:  # the backup on close is running: wait for it
            event.ignore()
            return
        settings = self._pages.get(SETTINGS)
        if settings is not None and not settings.can_leave():  # type: ignore[attr-defined]
            event.ignore()
            return
        self.backup_timer.stop()
        self.backup_soon.stop()
        self.poll_timer.stop()
        self.search_text_timer.stop()
        if not self.book.changed_since_backup:
            self._finish_close()
            event.accept()
            return
        # Back up in the background (a book with photos is hundreds of MB): the window
        # stays responsive and shows progress; it closes when the backup is done.
        event.ignore()
        self._closing = True
        # The full check runs first: a damaged book must not rotate a good backup out.
        job, token = self.book.backup_job("close", check_first=True)

        def done(_made: object) -> None:
            self.book.backed_up(token)
            self._finish_close()
            self.close()

        def failed(exc: BaseException) -> None:
            from branchdesk.store import CorruptBookError

            log.warning("关闭时备份失败：%s", exc)
            if isinstance(exc, CorruptBookError):
                from PySide6.QtWidgets import QMessageBox

                QMessageBox.critical(
                    self,
                    "账簿已损坏，未备份",
                    f"{exc}\n\n为保护已有的备份，这次关闭没有备份。"
                    "请在“设置 → 备份与恢复”中从最近的备份恢复。",
                )
            else:
                from PySide6.QtWidgets import QMessageBox

                QMessageBox.warning(
                    self,
                    "备份失败",
                    f"关闭前的自动备份没有完成（{exc}）。\n账簿本身已保存，不受影响。",
                )
            self._finish_close()
            self.close()

        run_in_background(self, job, done, failed, label="正在备份账簿，请稍候…")

    def _finish_close(self) -> None:
        self._closed = True
        if not self.book.closed:
            self.book.close(backup=False)
