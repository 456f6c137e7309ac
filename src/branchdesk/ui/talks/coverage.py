"""覆盖情况: the year's coverage matrix (rows 谈话人, columns members; green done with the
count, red missing, grey not required), a list view for a big branch, and the talks that
events require. Double-clicking a red cell opens a new talk for that pair."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from branchdesk.areas.talks.rules import coverage_for, due_for
from branchdesk.domain.dates import format_cn
from branchdesk.domain.talks import Coverage
from branchdesk.store import Book

GREEN, RED, GREY = QColor("#c8e6c9"), QColor("#ffcdd2"), QColor("#eeeeee")
COLOURS = {"done": GREEN, "missing": RED, "not_required": GREY}
#: Above this many members the list view opens first (a matrix 200 wide is unreadable).
MATRIX_MAX_MEMBERS = 60


class CoverageView(QWidget):
    #: (talker id, other id): the user asked to record a talk for this pair.
    record_pair = Signal(int, int)

    def __init__(self, book: Book, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.year = QComboBox()
        self.as_matrix = QRadioButton("矩阵")
        self.as_list = QRadioButton("列表")
        self.only_missing = QCheckBox("只看未谈")
        self.summary = QLabel()
        self.matrix = QTableWidget()
        self.matrix.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.matrix.cellDoubleClicked.connect(self._matrix_clicked)
        self.list = QTableWidget(0, 5)
        self.list.setHorizontalHeaderLabels(["谈话人", "谈话对象", "应谈", "已谈", "情况"])
        self.list.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.list.horizontalHeader().setStretchLastSection(True)
        self.list.cellDoubleClicked.connect(self._list_clicked)
        self.views = QStackedWidget()
        self.views.addWidget(self.matrix)
        self.views.addWidget(self.list)
        self.due = QLabel()
        self.due.setWordWrap(True)
        self.due.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        legend = QLabel(
            "<span style='background:#c8e6c9'>&nbsp;已谈（次数）&nbsp;</span>　"
            "<span style='background:#ffcdd2'>&nbsp;未谈&nbsp;</span>　"
            "<span style='background:#eeeeee'>&nbsp;不要求&nbsp;</span>　双击未谈的格子即可记录谈话"
        )
        bar = QHBoxLayout()
        bar.addWidget(QLabel("年度"))
        bar.addWidget(self.year)
        bar.addWidget(self.as_matrix)
        bar.addWidget(self.as_list)
        bar.addWidget(self.only_missing)
        bar.addStretch(1)
        bar.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(legend)
        layout.addWidget(self.views, 1)
        layout.addWidget(QLabel("<b>因事项应进行的谈话</b>"))
        layout.addWidget(self.due)
        self.cov: Coverage | None = None
        self.names: dict[int, str] = {}
        self._pairs: list[tuple[int, int]] = []
        self._fill_years()
        self.year.currentIndexChanged.connect(lambda _i: self.reload())
        self.as_matrix.toggled.connect(lambda _on: self._show_view())
        self.only_missing.toggled.connect(lambda _on: self._fill_list())
        self._filled: set[str] = set()
        self._chosen_view = False
        for button in (self.as_matrix, self.as_list):
            button.clicked.connect(self._user_chose_view)
        self.reload()

    def _user_chose_view(self) -> None:
        self._chosen_view = True

    def _fill_years(self) -> None:
        this = dt.date.today().year
        years = sorted({this, *self.book.talks.years()}, reverse=True)
        self.year.blockSignals(True)
        current = self.year.currentData()
        self.year.clear()
        for y in years:
            self.year.addItem(f"{y}年度", y)
        self.year.setCurrentIndex(max(self.year.findData(current or this), 0))
        self.year.blockSignals(False)

    def set_year(self, year: int) -> None:
        if self.year.findData(year) < 0:
            self.year.addItem(f"{year}年度", year)
        self.year.setCurrentIndex(self.year.findData(year))

    def reload(self) -> None:
        year = self.year.currentData() or dt.date.today().year
        members = self.book.roster.members()
        self.names = {m.id or 0: m.name for m in members}
        self.cov = cov = coverage_for(self.book, year, members=members)
        # Only the view on show is filled; the other when it is switched to.
        self._filled = set()
        if not self._chosen_view:
            big = len(cov.members) > MATRIX_MAX_MEMBERS
            (self.as_list if big else self.as_matrix).setChecked(True)
        missing = len(cov.missing())
        total = len(cov.required)
        self.summary.setText(f"应谈 {total} 对，已完成 {total - missing} 对，未谈 {missing} 对")
        self._show_view()
        due = due_for(self.book, dt.date.today(), members)
        self.due.setText(
            "<br>".join(
                f"{d.name}：{d.reason}（{format_cn(d.since)}），应于{format_cn(d.due)}前进行“{d.kind}”谈话"
                for d in due
            )
            or "暂无。"
        )

    def _show_view(self) -> None:
        if self.cov is None:
            return
        matrix = self.as_matrix.isChecked()
        which = "matrix" if matrix else "list"
        if which not in self._filled:
            (self._fill_matrix if matrix else self._fill_list)()
            self._filled.add(which)
        self.views.setCurrentWidget(self.matrix if matrix else self.list)
        self.only_missing.setEnabled(not matrix)

    def _fill_matrix(self) -> None:
        cov = self.cov
        assert cov is not None
        t = self.matrix
        t.setUpdatesEnabled(False)
        t.clear()
        t.setRowCount(len(cov.talkers))
        t.setColumnCount(len(cov.members))
        t.setVerticalHeaderLabels([self.names.get(i, "") for i in cov.talkers])
        t.setHorizontalHeaderLabels([self.names.get(i, "") for i in cov.members])
        for r, talker in enumerate(cov.talkers):
            for c, other in enumerate(cov.members):
                cell = cov.cell(talker, other)
                text = ""
                if cell.state == "done":
                    text = f"✓{cell.done}"
                elif cell.state == "missing":
                    text = f"{cell.done}/{cell.needed}" if cell.done else "未谈"
                elif talker != other and cell.done:
                    text = str(cell.done)
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setBackground(QBrush(COLOURS[cell.state]))
                item.setData(Qt.ItemDataRole.UserRole, cell.state)
                t.setItem(r, c, item)
        t.resizeColumnsToContents()
        t.setUpdatesEnabled(True)

    def _fill_list(self) -> None:
        cov = self.cov
        if cov is None:
            return
        pairs = cov.missing() if self.only_missing.isChecked() else cov.pairs()
        self._pairs = [(p.talker, p.other) for p in pairs]
        t = self.list
        t.setUpdatesEnabled(False)
        t.setRowCount(len(pairs))
        for r, p in enumerate(pairs):
            values = (self.names.get(p.talker, ""), self.names.get(p.other, ""), str(p.needed),
                      str(p.done), "已完成" if p.state == "done" else "未谈")  # fmt: skip
            for c, v in enumerate(values):
                item = QTableWidgetItem(v)
                item.setBackground(QBrush(COLOURS[p.state]))
                t.setItem(r, c, item)
        t.setUpdatesEnabled(True)

    def state_of(self, talker: int, other: int) -> str:
        """The colour state shown in the matrix for a pair (what the tests look at)."""
        assert self.cov is not None
        if "matrix" not in self._filled:
            self._fill_matrix()
            self._filled.add("matrix")
        r, c = self.cov.talkers.index(talker), self.cov.members.index(other)
        item = self.matrix.item(r, c)
        assert item is not None
        return str(item.data(Qt.ItemDataRole.UserRole))

    def _matrix_clicked(self, row: int, column: int) -> None:
        if self.cov is None:
            return
        talker, other = self.cov.talkers[row], self.cov.members[column]
        if talker != other:
            self.record_pair.emit(talker, other)

    def _list_clicked(self, row: int, _column: int) -> None:
        if 0 <= row < len(self._pairs):
            self.record_pair.emit(*self._pairs[row])
