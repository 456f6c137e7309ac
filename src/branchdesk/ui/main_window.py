"""The main window: left navigation, one page per area."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QSize, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
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
from branchdesk.domain.branch import COMMITTEE_MIN_FULL_MEMBERS
from branchdesk.domain.dates import add_years, format_cn
from branchdesk.domain.members import Category, RosterEntry
from branchdesk.store import Book

NAV = ("工作台", "党员名册", "会议记录", "积分管理", "谈心谈话", "档案", "设置")
#: How often to look whether an automatic backup is due (it is taken at most daily).
AUTO_BACKUP_CHECK_MS = 30 * 60 * 1000
#: Reminders of one kind shown on the 工作台 before "and N more".
MAX_REMINDERS = 8


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


PLACEHOLDERS = {
    "积分管理": "“积分管理”尚未完成，将在后续版本提供。",
    "谈心谈话": "“谈心谈话”尚未完成，将在后续版本提供。",
    "档案": "“档案”（年度归档与打印）尚未完成，将在后续版本提供。",
}


class DashboardPage(QWidget):
    def __init__(self, book: Book) -> None:
        super().__init__()
        self.book = book
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 20px; font-weight: bold;")
        self.subtitle = QLabel()
        self.facts = QLabel()
        self.facts.setStyleSheet("font-size: 15px;")
        self.reminders = QLabel()
        self.reminders.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addSpacing(12)
        layout.addWidget(self.facts)
        layout.addSpacing(12)
        layout.addWidget(QLabel("提醒："))
        layout.addWidget(self.reminders)
        layout.addStretch()
        self.reload()

    def reload(self) -> None:
        today = dt.date.today()
        profile = self.book.branch.profile()
        self.title.setText(profile.name)
        self.subtitle.setText(
            f"上级党组织：{profile.parent_org or '（未填写）'}　今天是{format_cn(today)}"
        )
        roster = self.book.roster.on(today)
        full = sum(1 for e in roster if e.category == Category.FULL)
        committee = self.book.branch.committee_on(today)
        groups = self.book.branch.groups()
        self.facts.setText(
            f"在册党员 {len(roster)} 人（正式党员 {full} 人，预备党员 {len(roster) - full} 人）\n"
            f"支部委员会 {len(committee)} 人　党小组 {len(groups)} 个"
        )
        notes: list[str] = []
        due_soon: list[str] = []
        for entry in roster:
            m = entry.member
            if entry.category == Category.PROBATIONARY and m.join_date:
                due = add_years(m.join_date, 1)
                days = (due - today).days
                if days <= 30:
                    when = f"{days} 天后" if days >= 0 else f"已超过 {-days} 天"
                    due_soon.append(
                        f"· {m.name}的预备期于{format_cn(due)}届满（{when}），请及时讨论转正。"
                    )
        notes += due_soon[:MAX_REMINDERS]
        if len(due_soon) > MAX_REMINDERS:
            more = len(due_soon) - MAX_REMINDERS
            notes.append(f"· 另有 {more} 名预备党员的预备期已满或将满，请在党员名册中查看。")
        if committee and full < COMMITTEE_MIN_FULL_MEMBERS:
            notes.append(f"· 正式党员不足{COMMITTEE_MIN_FULL_MEMBERS}人，按规定可不设支部委员会。")
        notes.append("· 积分、谈心谈话的提醒将在相应功能完成后显示。")
        self.reminders.setText("\n".join(notes))
        self._notes = notes
        # Meeting reminders need the meeting rules and the year's meetings: fill them in
        # right after the window is painted, so start-up shows the roster facts first.
        QTimer.singleShot(0, self, lambda: self._add_meeting_reminders(today, roster))

    def _add_meeting_reminders(self, today: dt.date, roster: list[RosterEntry]) -> None:
        if self.book.closed:  # the window was closed before this ran
            return
        from branchdesk.meeting_rules import missing_this_period

        missing = missing_this_period(self.book, today, roster)
        notes = [*self._notes[:-1], *(f"· {t}" for t in missing[:MAX_REMINDERS]), self._notes[-1]]
        self.reminders.setText("\n".join(notes))


class MainWindow(QMainWindow):
    def __init__(self, book: Book) -> None:
        super().__init__()
        self.book = book
        self._closed = False
        self.setWindowTitle(f"{APP_TITLE} — {book.branch.profile().name}")
        self.resize(1180, 720)

        self.nav = QListWidget()
        self.nav.addItems(NAV)
        self.nav.setFixedWidth(140)
        self.nav.setIconSize(QSize(0, 0))
        self.nav.setStyleSheet(
            "QListWidget { font-size: 15px; } QListWidget::item { padding: 10px; }"
        )
        self.stack = QStackedWidget()
        self.dashboard = DashboardPage(book)
        # Pages other than 工作台 are built when first shown: start-up stays quick on a
        # big book (the roster page alone reads every member).
        self._pages: dict[str, QWidget] = {"工作台": self.dashboard}
        for name in NAV:
            self.stack.addWidget(self.dashboard if name == "工作台" else QWidget())
        self.nav.currentRowChanged.connect(self._show_index)
        self.nav.setCurrentRow(0)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.statusBar().showMessage(f"账簿：{book.path}")

        for i in range(len(NAV)):
            QShortcut(QKeySequence(f"Ctrl+{i + 1}"), self, activated=lambda i=i: self.show_page(i))
        self.backup_timer = QTimer(self)
        self.backup_timer.timeout.connect(self.book.backup_if_due)
        self.backup_timer.start(AUTO_BACKUP_CHECK_MS)

    def page(self, name: str) -> QWidget:
        """The page for a navigation entry, built on first use."""
        if name not in self._pages:
            page = self._build(name)
            index = NAV.index(name)
            old = self.stack.widget(index)
            self.stack.insertWidget(index, page)
            self.stack.removeWidget(old)
            old.deleteLater()
            self._pages[name] = page
        return self._pages[name]

    def _build(self, name: str) -> QWidget:
        if name == "党员名册":
            from branchdesk.ui.roster_page import RosterPage

            roster = RosterPage(self.book)
            roster.changed.connect(self._data_changed)
            return roster
        if name == "会议记录":
            from branchdesk.ui.meetings_area import MeetingsArea

            meetings = MeetingsArea(self.book)
            meetings.changed.connect(self._data_changed)
            return meetings
        if name == "设置":
            from branchdesk.ui.settings_page import SettingsPage

            settings = SettingsPage(self.book)
            settings.changed.connect(self._settings_changed)
            return settings
        return PlaceholderPage(name, PLACEHOLDERS[name])

    @property
    def roster(self):  # type: ignore[no-untyped-def]  # RosterPage, imported lazily
        return self.page("党员名册")

    @property
    def settings(self):  # type: ignore[no-untyped-def]  # SettingsPage, imported lazily
        return self.page("设置")

    def _show_index(self, index: int) -> None:
        self.page(NAV[index])
        self.stack.setCurrentIndex(index)

    def show_page(self, index: int | str) -> None:
        if isinstance(index, str):
            index = NAV.index(index)
        self.nav.setCurrentRow(index)

    def _data_changed(self) -> None:
        self.setWindowTitle(f"{APP_TITLE} — {self.book.branch.profile().name}")
        self.dashboard.reload()

    def _settings_changed(self) -> None:
        self._data_changed()
        if "党员名册" in self._pages:
            self.roster.reload()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self._closed:
            self._closed = True
            self.backup_timer.stop()
            self.book.close()  # backs up when something changed
        event.accept()
