"""谈心谈话: the talk list, the year's coverage matrix, 民主评议 and 组织生活会, as tabs of one
page (the appraisal is prepared and followed up by talks: 会前谈心, 结果反馈)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from branchdesk.areas.talks import AREA
from branchdesk.areas.talks.jobs import record_job, register_job
from branchdesk.domain.dates import format_cn
from branchdesk.domain.talks import NOT_DISCIPLINARY, Talk
from branchdesk.store import Book, InputError
from branchdesk.store.changes import Change
from branchdesk.ui.changes import watch
from branchdesk.ui.print_preview import preview_pdf
from branchdesk.ui.talks.appraisal import AppraisalView
from branchdesk.ui.talks.coverage import CoverageView
from branchdesk.ui.talks.form import TalkForm
from branchdesk.ui.talks.life import LifeMeetingView
from branchdesk.ui.talks.model import TalkTableModel
from branchdesk.ui.widgets import confirm, record_table, shortcut


class TalkList(QWidget):
    changed = Signal()

    def __init__(self, book: Book, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.year = QComboBox()
        self.model = TalkTableModel()
        self.table = record_table(self.model, self.edit_selected)
        # Fixed widths: measuring 4,000 rows to fit them is slow.
        for column, chars in ((0, 4), (1, 8), (2, 8), (3, 8), (4, 9)):
            self.table.setColumnWidth(column, chars * 16 + 12)
        self.new_button = QPushButton("记录谈话 (Ctrl+N)")
        self.new_button.clicked.connect(lambda: self.new_talk())
        self.edit_button = QPushButton("修改")
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button = QPushButton("删除")
        self.delete_button.clicked.connect(self.delete_selected)
        self.print_button = QPushButton("打印记录表 (Ctrl+P)")
        self.print_button.clicked.connect(self.print_record)
        self.register_button = QPushButton("打印年度登记表")
        self.register_button.clicked.connect(self.print_register)
        shortcut(QKeySequence.StandardKey.New, self, lambda: self.new_talk())
        shortcut(QKeySequence.StandardKey.Print, self, self.print_record)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("所属年度"))
        bar.addWidget(self.year)
        for b in (self.new_button, self.edit_button, self.delete_button):
            bar.addWidget(b)
        bar.addStretch(1)
        bar.addWidget(self.print_button)
        bar.addWidget(self.register_button)
        note = QLabel(NOT_DISCIPLINARY)
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        self.talks: list[Talk] = []
        self.last_form: TalkForm | None = None
        self._fill_years()
        self.year.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh()

    def _fill_years(self) -> None:
        this = dt.date.today().year
        current = self.year.currentData()
        years = sorted({this, *self.book.talks.years()}, reverse=True)
        self.year.blockSignals(True)
        self.year.clear()
        for y in years:
            self.year.addItem(f"{y}年度", y)
        self.year.setCurrentIndex(max(self.year.findData(current or this), 0))
        self.year.blockSignals(False)

    def refresh(self) -> None:
        self._fill_years()
        names = {m.id or 0: m.name for m in self.book.roster.members()}
        self.talks = self.book.talks.outlines(self.year.currentData())
        self.model.set_rows(self.talks, names)

    def selected(self) -> Talk | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.talks[rows[0].row()]

    def new_talk(self, talker: int | None = None, other: int | None = None,
                 kind: str | None = None) -> None:  # fmt: skip
        form = TalkForm(self.book, None, self, talker=talker, other=other, kind=kind)
        self.last_form = form
        if form.exec():
            self.changed.emit()

    def edit_selected(self) -> None:
        talk = self.selected()
        if talk is None:
            return
        form = TalkForm(self.book, self.book.talks.get(talk.id or 0), self)
        self.last_form = form
        if form.exec():
            self.changed.emit()

    def delete_selected(self) -> None:
        talk = self.selected()
        if talk is None:
            return
        if confirm(
            self,
            "删除谈话记录",
            f"确定删除{format_cn(talk.date)}“{talk.topic}”的谈话记录吗？不能恢复。",
        ):
            try:
                self.book.talks.delete(talk.id or 0)
            except InputError as exc:  # its year is filed: the book refuses
                QMessageBox.warning(self, "删除谈话记录", str(exc))

    def open_talk(self, talk_id: int) -> None:
        """Select a talk (its year shown) and open it: read-only with its corrections when
        its year is filed."""
        try:
            talk = self.book.talks.get(talk_id)
        except KeyError:
            return
        self.year.setCurrentIndex(max(self.year.findData(talk.belongs_to_year), 0))
        self.refresh()
        row = next((n for n, t in enumerate(self.talks) if t.id == talk_id), None)
        if row is not None:
            self.table.selectRow(row)
            # after the caller returns (the search box closes first): the form is modal
            QTimer.singleShot(0, self.edit_selected)

    def print_record(self) -> None:
        talk = self.selected()
        if talk is None:
            QMessageBox.information(self, "打印谈话记录表", "请先在列表中选中一次谈话。")
            return
        job = record_job(self.book, [talk.id or 0])
        preview_pdf(self, lambda: job().data, "谈心谈话记录表",
                    f"谈心谈话记录表-{format_cn(talk.date)}.pdf")  # fmt: skip

    def print_register(self) -> None:
        year = int(self.year.currentData())
        job = register_job(self.book, year)
        preview_pdf(
            self, lambda: job().data, "谈心谈话情况登记表", f"{year}年度谈心谈话情况登记表.pdf"
        )


class TalksArea(QWidget):
    changed = Signal()

    def __init__(self, book: Book, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.tabs = QTabWidget()
        self.list = TalkList(book)
        self.coverage = CoverageView(book)
        self.appraisal = AppraisalView(book)
        self.life = LifeMeetingView(book)
        self.tabs.addTab(self.list, "谈话记录")
        self.tabs.addTab(self.coverage, "覆盖情况")
        self.tabs.addTab(self.appraisal, "民主评议")
        self.tabs.addTab(self.life, "组织生活会")
        self.coverage.record_pair.connect(lambda t, o: self.list.new_talk(t, o))
        self.list.changed.connect(self.changed)
        title = QLabel("谈心谈话")
        title.setStyleSheet("font-size: 18px; font-weight: bold;")
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.tabs)
        self._stale: set[QWidget] = set()
        self.tabs.currentChanged.connect(self._tab_changed)
        watch(self, book, AREA.watches, self._refresh)

    def _refresh(self, change: Change) -> None:
        """The tab on show refreshes now; the others when they are next shown."""
        if change.area == "drafts":
            return
        self._stale = {self.list, self.coverage, self.appraisal, self.life}
        self._tab_changed(self.tabs.currentIndex())

    def _tab_changed(self, _index: int) -> None:
        tab = self.tabs.currentWidget()
        if tab in self._stale:
            self._stale.discard(tab)
            if tab is self.list:
                self.list.refresh()
            elif isinstance(tab, (CoverageView, AppraisalView, LifeMeetingView)):
                tab.reload()

    def show_target(self, target: object) -> None:
        kind = getattr(target, "kind", "")
        ident = getattr(target, "id", None)
        if kind in ("coverage", "due"):
            if kind == "coverage" and ident:
                self.coverage.set_year(int(ident))
            self.tabs.setCurrentWidget(self.coverage)
        elif kind == "appraisal":
            if ident:
                self.appraisal.set_year(int(ident))
            self.tabs.setCurrentWidget(self.appraisal)
        elif kind == "talk" and ident:
            self.tabs.setCurrentWidget(self.list)
            self.list.open_talk(int(ident))
        elif kind == "life":
            if ident:
                self.life.set_year(int(ident))
            self.tabs.setCurrentWidget(self.life)
        elif kind == "rectification":
            years = {i.id: i.year for i in self.book.appraisal.rectifications()}
            if ident in years:
                self.life.set_year(years[ident])
            self.tabs.setCurrentWidget(self.life)
