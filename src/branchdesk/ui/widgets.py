"""Small widgets shared by the pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, QRect
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QTableView,
    QWidget,
)

from branchdesk.domain.dates import DateParseError, format_cn, parse_date


class DateLineEdit(QLineEdit):
    """A date typed the way secretaries write it (2019-07-01, 2019.7.1, 2019年7月1日).

    Shown back as 2019年7月1日 once the field is left. An empty field means no date, which
    QDateEdit cannot express.
    """

    def __init__(self, parent: QWidget | None = None, *, allow_month: bool = False) -> None:
        super().__init__(parent)
        self.allow_month = allow_month
        self.setPlaceholderText("如 2019-07-01 或 2019年7月1日")
        self.editingFinished.connect(self._tidy)

    def _tidy(self) -> None:
        try:
            value = self.date()
        except DateParseError:
            return
        if value is not None:
            self.setText(format_cn(value))

    def date(self) -> dt.date | None:
        """The date typed, None when empty; raises DateParseError when unreadable."""
        return parse_date(self.text(), allow_month=self.allow_month)

    def set_date(self, value: dt.date | None) -> None:
        self.setText(format_cn(value))


#: What the window manager adds around a window (title bar, borders): a window whose own
#: size leaves this much room fits the screen with its frame.
FRAME_WIDTH = 16
FRAME_HEIGHT = 40


def available_geometry(widget: QWidget | None = None) -> QRect:
    """The screen area a window may use (without the taskbar)."""
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit_to_screen(widget: QWidget, width: int | None = None, height: int | None = None) -> None:
    """Resize ``widget`` to the wished size, or less where the screen is smaller, and place
    it inside the screen: on a 1366×768 laptop the 保存/关闭 buttons must be on screen."""
    area = available_geometry(widget)
    room_w, room_h = area.width() - FRAME_WIDTH, area.height() - FRAME_HEIGHT
    wish_w = width if width is not None else widget.width()
    wish_h = height if height is not None else widget.height()
    w = max(min(wish_w, room_w), min(widget.minimumWidth(), room_w))
    h = max(min(wish_h, room_h), min(widget.minimumHeight(), room_h))
    widget.resize(w, h)
    x = area.x() + max((area.width() - w - FRAME_WIDTH) // 2, 0)
    y = area.y() + max((area.height() - h - FRAME_HEIGHT) // 2, 0) + FRAME_HEIGHT - 8
    widget.move(x, y)


class ScreenFitter(QObject):
    """Installed on the application: any window or dialog about to be shown larger than
    the screen (a message box with a long list, a dialog grown by its contents) is
    shrunk and moved inside it."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        # Dialogs and main windows only: menus, combo pop-ups and tooltips place
        # themselves and must not be centred.
        if (
            event.type() == QEvent.Type.Show
            and isinstance(obj, QDialog | QMainWindow)
            and not obj.property("bd_fitted")
        ):
            area = available_geometry(obj)
            if (
                obj.width() + FRAME_WIDTH > area.width()
                or obj.height() + FRAME_HEIGHT > area.height()
                or not area.contains(obj.geometry())
            ):
                obj.setProperty("bd_fitted", True)
                fit_to_screen(obj)
        return False


def error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet("color: #b00020;")
    label.setWordWrap(True)
    from PySide6.QtCore import Qt  # not at import: Qt's namespace costs ~40 ms at start-up

    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def confirm(parent: QWidget, title: str, text: str) -> bool:
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def record_table(model: object, on_open: object) -> QTableView:
    """A read-only table of records: whole rows selected one at a time, double-click opens."""
    table = QTableView()
    table.setModel(model)  # type: ignore[arg-type]
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.doubleClicked.connect(lambda _index: on_open())  # type: ignore[operator]
    table.horizontalHeader().setStretchLastSection(True)
    return table


def shortcut(keys: Any, parent: QObject, slot: Callable[[], object]) -> QShortcut:
    """A keyboard shortcut on ``parent`` (``keys``: a QKeySequence or a StandardKey)."""
    made = QShortcut(keys if isinstance(keys, QKeySequence) else QKeySequence(keys), parent)
    made.activated.connect(slot)
    return made
