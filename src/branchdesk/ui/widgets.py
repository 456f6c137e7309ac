"""Small widgets shared by the pages."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTableView,
    QWidget,
)

from branchdesk.domain.dates import DateParseError, format_cn, parse_date
from branchdesk.ui.screen import (  # noqa: F401  (the pages import them from here)
    FRAME_HEIGHT,
    FRAME_WIDTH,
    ScreenFitter,
    available_geometry,
    fit_to_screen,
    shortcut,
)


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
