"""修改记录: the book's audit trail (append-only), filtered by date and area."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from branchdesk.areas.registry import AREAS
from branchdesk.domain.archive import without_rewrites
from branchdesk.store import Book, InputError
from branchdesk.ui.widgets import DateLineEdit

HEADERS = ("时间", "操作人", "范围", "表", "记录号", "操作", "内容")


class AuditView(QWidget):
    def __init__(self, book: Book, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.since = DateLineEdit()
        self.until = DateLineEdit()
        self.since.set_date(dt.date.today() - dt.timedelta(days=90))
        self.area = QComboBox()
        self.area.addItem("全部", None)
        for a in AREAS:
            self.area.addItem(a.title, a.key)
        self.count = QLabel()
        apply = QPushButton("查看")
        apply.clicked.connect(self.reload)
        self.area.currentIndexChanged.connect(self.reload)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setColumnWidth(0, 150)
        filters = QHBoxLayout()
        for w in (QLabel("从"), self.since, QLabel("到"), self.until, QLabel("范围"), self.area,
                  apply):  # fmt: skip
            filters.addWidget(w)
        filters.addStretch()
        filters.addWidget(self.count)
        note = QLabel("修改记录只能追加，不能修改或删除；谈话内容等只记“已修改”，不抄录内容。")
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(note)
        layout.addWidget(self.table)
        self.reload()

    def reload(self) -> None:
        try:
            since, until = self.since.date(), self.until.date()
        except (ValueError, InputError):
            return
        titles = {a.key: a.title for a in AREAS}
        entries = without_rewrites(
            self.book.archive.audit(since=since, until=until, area=self.area.currentData())
        )
        self.entries = entries
        self.table.setRowCount(len(entries))
        for r, e in enumerate(entries):
            for c, text in enumerate((e.at, e.who, titles.get(e.area, e.area), e.table,
                                      str(e.row_id or ""), e.action, e.summary(120))):  # fmt: skip
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.count.setText(f"共 {len(entries)} 条")
