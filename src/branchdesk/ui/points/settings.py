"""设置 → 积分: the ranking column (off unless the branch switches it on), who enters
points, and when results are due to the superior."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from branchdesk.areas.points.reminders import DEFAULT_DUE, DUE_KEY
from branchdesk.areas.points.rules import RANKING_KEY
from branchdesk.store import Book


class PointsSettings(QWidget):
    changed = Signal()

    def __init__(self, book: Book, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.ranking = QCheckBox("在积分表和公示表中显示名次")
        self.ranking.setChecked(book.settings.get(RANKING_KEY) == "1")
        self.ranking.toggled.connect(self._ranking)
        self.entered_by = QLineEdit(book.points.entered_by())
        self.entered_by.editingFinished.connect(self._entered_by)
        self.due = QLineEdit(book.settings.get(DUE_KEY) or DEFAULT_DUE)
        self.due.editingFinished.connect(self._due)
        note = QLabel(
            "积分结果供民主评议和评先评优参考，不代替支委会和党员大会的评定。"
            "按中央关于整治“指尖上的形式主义”的要求，默认不排名次。"
        )
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow("名次", self.ranking)
        form.addRow("登记人", self.entered_by)
        form.addRow("结果上报日期（月-日）", self.due)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addStretch()

    def _ranking(self, on: bool) -> None:
        self.book.settings.set(RANKING_KEY, "1" if on else "")
        self.changed.emit()

    def _entered_by(self) -> None:
        if self.entered_by.text().strip() != self.book.points.entered_by():
            self.book.points.set_entered_by(self.entered_by.text())
            self.changed.emit()

    def _due(self) -> None:
        value = self.due.text().strip()
        self.book.settings.set(DUE_KEY, "" if value == DEFAULT_DUE else value)
        self.changed.emit()
