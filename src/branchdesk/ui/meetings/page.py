"""会议记录: the meeting list and the year's compliance calendar, as two tabs."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from branchdesk.store import Book
from branchdesk.ui.meetings.calendar import CalendarView


class MeetingsArea(QWidget):
    changed = Signal()

    def __init__(self, book: Book, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        from branchdesk.ui.meetings.list_page import MeetingPage

        self.tabs = QTabWidget()
        self.list = MeetingPage(book)
        self.list.changed.connect(self.changed)
        self.calendar = CalendarView(book)
        self.tabs.addTab(self.list, "会议列表")
        self.tabs.addTab(self.calendar, "年度落实情况")
        self.tabs.currentChanged.connect(self._tab_changed)
        title = QLabel("会议记录")
        title.setStyleSheet("font-size: 18px; font-weight: bold;")
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.tabs)

    def show_target(self, target: object) -> None:
        """Reminders about missing meetings or inactive members open the year's calendar."""
        kind = getattr(target, "kind", "")
        if kind in ("calendar", "inactive"):
            self.tabs.setCurrentWidget(self.calendar)
        elif kind == "meeting" and getattr(target, "id", None) is not None:
            # A search hit or an archive gap: show that meeting selected in its year.
            self.tabs.setCurrentWidget(self.list)
            meeting_id = int(target.id)  # type: ignore[attr-defined]
            try:
                year = self.book.meetings.get(meeting_id).meeting.belongs_to_year
            except KeyError:
                return
            self.list.reload_years(year)
            self.list.select_meeting(meeting_id)
            self.list.table.setFocus()

    def _tab_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.calendar:
            self.calendar.reload()
