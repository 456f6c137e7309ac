"""年度落实情况: rows per required meeting type (following the branch's structure), columns
per month; green held, red missing, grey not yet due. Below, members with no 组织生活 for
3 and 6 months, and printing a year's minutes of one type."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from branchdesk.areas.meetings.rules import grid_for, inactive_members
from branchdesk.domain.compliance import CellState
from branchdesk.domain.dates import format_cn
from branchdesk.domain.meetings import MeetingType
from branchdesk.store import Book
from branchdesk.ui.changes import watch

COLOURS = {
    CellState.HELD: ("#c8e6c9", "#1b5e20", "✓"),
    CellState.MISSING: ("#ffcdd2", "#b71c1c", "✗"),
    CellState.NOT_YET_DUE: ("#eeeeee", "#757575", "·"),
    CellState.NOT_REQUIRED: ("#ffffff", "#9e9e9e", "—"),
}
SPAN = {"month": 1, "quarter": 3, "year": 12}


class CalendarView(QWidget):
    def __init__(self, book: Book, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(dt.date.today().year)
        self.year.setSuffix(" 年度")
        self.year.valueChanged.connect(self.reload)
        self.table = QTableWidget(0, 12)
        self.table.setHorizontalHeaderLabels([f"{m}月" for m in range(1, 13)])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setDefaultSectionSize(30)
        # The twelve months share the width: a quarter's label (第一季度) is read whole.
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.inactive = QLabel()
        self.inactive.setWordWrap(True)
        self.inactive.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.volume_type = QComboBox()
        self.volume_type.addItems([t.value for t in MeetingType if t != MeetingType.OTHER])
        self.volume_button = QPushButton("打印全年记录…")
        self.volume_button.clicked.connect(self.print_volume)
        top = QHBoxLayout()
        top.addWidget(self.year)
        top.addWidget(QLabel(
            "✓ 已开展　✗ 未开展　· 未到期（本月/本季度结束前）　— 无需开展（党小组未成立或已撤销）"
        ))
        top.addStretch()
        top.addWidget(self.volume_type)
        top.addWidget(self.volume_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.inactive, 1)
        watch(self, book, ("meetings", "roster", "branch", "settings"), lambda _c: self.reload())
        self.reload()

    def reload(self) -> None:
        today = dt.date.today()
        roll = self.book.roster.roll_on(today)  # read once for the grid and the lists
        grid = grid_for(self.book, self.year.value(), today, roll_today=roll)
        self.grid = grid
        self.table.clearSpans()
        self.table.setRowCount(len(grid.rows))
        self.table.setVerticalHeaderLabels([row.label for row in grid.rows])
        for r, row in enumerate(grid.rows):
            span = SPAN[row.frequency]
            for i, cell in enumerate(row.cells):
                bg, fg, mark = COLOURS[cell.state]
                item = QTableWidgetItem(f"{mark} {cell.period.label}" if span > 1 else mark)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setBackground(QBrush(QColor(bg)))
                item.setForeground(QBrush(QColor(fg)))
                item.setToolTip(f"{row.label} {cell.period.label}：{cell.state.value}")
                item.setData(Qt.ItemDataRole.UserRole, cell.state.value)
                col = i * span
                self.table.setItem(r, col, item)
                if span > 1:
                    self.table.setSpan(r, col, 1, span)
        # (No resizeColumnsToContents: the months stretch, and it would undo that.)
        three, six = inactive_members(self.book, today, roll)
        lines = []
        if six:
            names = "、".join(x.entry.member.name for x in six)
            lines.append(
                f"<b style='color:#b71c1c'>6个月以上未参加组织生活（应按规定处理）：</b>{names}"
            )
        if three:
            names = "、".join(x.entry.member.name for x in three)
            lines.append(f"<b>3个月以上未参加组织生活（应谈心谈话、批评教育）：</b>{names}")
        self.inactive.setText(
            "<br>".join(lines) or f"截至{format_cn(today)}，没有3个月以上未参加组织生活的党员。"
        )

    def print_volume(self) -> None:
        from branchdesk.areas.meetings.jobs import volume_job
        from branchdesk.ui.print_preview import preview_job

        year, kind = self.year.value(), self.volume_type.currentText()
        name = f"{self.book.branch.profile().name}{year}年度{kind}记录.pdf"
        # Reading a year's volume (meetings × members) takes seconds on a big branch: it
        # runs on the worker too, on a read-only connection of its own.
        preview_job(self, self.book, lambda b: volume_job(b, year, kind),
                    f"{year}年度{kind}记录", name)  # fmt: skip
