"""年度落实情况: rows per required meeting type (following the branch's structure), columns
per month; green held, red missing, grey not yet due. Below, members with no 组织生活 for
3 and 6 months, and printing a year's minutes of one type.

What the page shows is computed on a worker, on a read-only connection of its own (the
roll, the grid and the last attendance of every member: ~55 ms at 5,000 members, more on
a slow PC); the window stays responsive and the page fills in when it is ready."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
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
from branchdesk.domain.compliance import CellState, Grid
from branchdesk.domain.dates import format_cn
from branchdesk.domain.meetings import MeetingType
from branchdesk.store import Book
from branchdesk.ui.changes import watch
from branchdesk.ui.tasks import Recompute

COLOURS = {
    CellState.HELD: ("#c8e6c9", "#1b5e20", "✓"),
    CellState.MISSING: ("#ffcdd2", "#b71c1c", "✗"),
    CellState.NOT_YET_DUE: ("#eeeeee", "#757575", "·"),
    CellState.NOT_REQUIRED: ("#ffffff", "#9e9e9e", "—"),
}
log = logging.getLogger(__name__)
LEGEND = "✓ 已开展　✗ 未开展　· 未到期（本月/本季度结束前）　— 无需开展（党小组未成立或已撤销）"
SPAN = {"month": 1, "quarter": 3, "year": 12}


@dataclass(frozen=True)
class CalendarData:
    """What the page shows for one year, computed off the GUI thread."""

    year: int
    today: dt.date
    grid: Grid
    three: list[str]  # names, 3 months and more without 组织生活
    six: list[str]  # 6 months and more


def compute(book: Book, year: int, today: dt.date) -> CalendarData:
    roll = book.roster.roll_on(today)  # read once for the grid and the lists
    grid = grid_for(book, year, today, roll_today=roll)
    three, six = inactive_members(book, today, roll)
    return CalendarData(year, today, grid, [x.entry.member.name for x in three],
                        [x.entry.member.name for x in six])  # fmt: skip


class CalendarView(QWidget):
    #: The table and the lists show what was computed for ``shown``.
    loaded = Signal()

    def __init__(self, book: Book, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.shown: CalendarData | None = None
        # ~50 ms the user waits for: not the long jobs' 1 ms turns (share=False)
        self._compute = Recompute(self, self._job, self.show_data, self._failed,
                                  label="正在计算年度落实情况…", share=False)  # fmt: skip
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
        top.addStretch()
        top.addWidget(self.volume_type)
        top.addWidget(self.volume_button)
        # The legend on a line of its own, wrapped: beside the year it made the page
        # ~950 px wide at the least, wider than the window on a 1024 px screen.
        legend = QLabel(LEGEND)
        legend.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(legend)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.inactive, 1)
        watch(self, book, ("meetings", "roster", "branch", "settings"), lambda _c: self.reload())
        self.reload()

    @property
    def busy(self) -> bool:
        """A computation is running (or one more is due): the page is about to change."""
        return self._compute.busy

    def reload(self) -> None:
        """Compute the year shown on a worker; the page fills in when it is ready. A reload
        asked for meanwhile runs once the current one is done."""
        self._compute.start()

    def _job(self) -> Callable[[], CalendarData] | None:
        if self.book.closed:
            return None
        year, today = self.year.value(), dt.date.today()
        return self.book.read_job(lambda reader: compute(reader, year, today))

    def _failed(self, exc: BaseException) -> None:
        log.warning("年度落实情况未能计算：%s", exc)
        self.inactive.setText(f"年度落实情况未能计算：{exc}")
        self.loaded.emit()

    def show_data(self, data: CalendarData) -> None:
        grid = data.grid
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
        lines = []
        if data.six:
            lines.append(
                "<b style='color:#b71c1c'>6个月以上未参加组织生活（应按规定处理）：</b>"
                + "、".join(data.six)
            )
        if data.three:
            lines.append(
                "<b>3个月以上未参加组织生活（应谈心谈话、批评教育）：</b>" + "、".join(data.three)
            )
        self.inactive.setText(
            "<br>".join(lines)
            or f"截至{format_cn(data.today)}，没有3个月以上未参加组织生活的党员。"
        )
        self.shown = data
        self.loaded.emit()

    def print_volume(self) -> None:
        from branchdesk.areas.meetings.jobs import volume_job
        from branchdesk.ui.print_preview import preview_job

        year, kind = self.year.value(), self.volume_type.currentText()
        name = f"{self.book.branch.profile().name}{year}年度{kind}记录.pdf"
        # Reading a year's volume (meetings × members) takes seconds on a big branch: it
        # runs on the worker too, on a read-only connection of its own.
        preview_job(self, self.book, lambda b: volume_job(b, year, kind),
                    f"{year}年度{kind}记录", name)  # fmt: skip
