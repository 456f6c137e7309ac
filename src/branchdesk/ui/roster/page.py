"""党员名册: the roll, with filter by name / pinyin initials / 党小组, stroke order,
membership changes, and Excel in and out.

The roll is read on a worker, on a read-only connection of its own (every member with
their events, in stroke order, with the search keys: ~100 ms at 5,000 members, more on a
slow PC); the page keeps answering and fills in when it is ready (`loaded`). Filtering
what was read is quick and stays on the GUI thread (see model.py)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QItemSelectionModel, QSize, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from branchdesk.domain.members import Member
from branchdesk.store import Book, open_book
from branchdesk.ui.changes import watch
from branchdesk.ui.roster.event_dialog import EventDialog
from branchdesk.ui.roster.import_dialog import ImportReportDialog
from branchdesk.ui.roster.member_dialog import MemberDialog
from branchdesk.ui.roster.model import (
    FACT_FILTERS,
    NO_GROUP,
    RosterRow,
    RosterTableModel,
    RowFilter,
    make_rows,
)
from branchdesk.ui.tasks import Recompute, run_in_background
from branchdesk.ui.widgets import confirm, record_table, shortcut

log = logging.getLogger(__name__)
SORT_STROKES = "按姓氏笔画"
SORT_JOINED = "按入党日期"


def read_roll(book: Book, today: dt.date, by_joining: bool) -> tuple[RowFilter, int]:
    """What the page shows of the roll (runs on a worker): the rows in the order chosen,
    ready to filter, and how many are on the roll ``today``."""
    members = book.roster.members()
    if by_joining:
        members.sort(key=lambda m: (m.join_date or dt.date.max, m.name))
    else:
        from branchdesk.domain.strokes import sort_by_strokes

        members = sort_by_strokes(members, key=lambda m: m.name)
    rows = make_rows(members, book.roster.search_keys(), today)
    return RowFilter(rows), sum(1 for r in rows if r.present)


def _import_into(book_path: Path, members: list[Member]) -> int:
    """Runs in a worker thread, on its own connection: one transaction for all rows."""
    book = open_book(book_path)
    try:
        return len(book.roster.add_many(members))
    finally:
        book.close(backup=False)


class RowNumbers(QHeaderView):
    """The row numbers down the left of the roster. Qt finds this header's width by
    measuring the first and the last hundred numbers whenever the rows change — on every
    keystroke of the filter, a few milliseconds on a big roll; the width depends only on
    how many digits the numbers have, so it is measured once for each count of digits."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.setSectionsClickable(True)  # as QTableView's own: a click selects the row
        self.setHighlightSections(True)
        self._hints: dict[int, QSize] = {}

    def sizeHint(self) -> QSize:  # noqa: N802
        count = self.count()
        digits = len(str(count)) if count else 0
        hint = self._hints.get(digits)
        if hint is None:
            hint = self._hints[digits] = super().sizeHint()
        return hint

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._hints.clear()
        super().changeEvent(event)


class RosterPage(QWidget):
    changed = Signal()
    #: The table shows the roll the worker read.
    loaded = Signal()

    def __init__(self, book: Book, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.all_rows: list[RosterRow] = []
        self._filter = RowFilter([])
        self._present = 0
        self.shown = False  # the table shows a roll read (not only the empty start)
        self._pending: list[Callable[[], None]] = []  # to do once the roll is shown
        # ~100 ms the user waits for at 5,000 members: not the long jobs' 1 ms turns
        self._reading = Recompute(
            self, self._read_job, self._show_roll, self._read_failed,
            label="正在读取名册…", share=False,
        )  # fmt: skip
        self.import_dialog: ImportReportDialog | None = None

        self.search = QLineEdit()
        self.search.setPlaceholderText("按姓名或拼音筛选（如 zs 或 zhang）  Ctrl+L")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._refilter)
        self.group = QComboBox()
        self.group.currentIndexChanged.connect(self._refilter)
        self.sort = QComboBox()
        self.sort.addItems([SORT_STROKES, SORT_JOINED])
        self.sort.currentIndexChanged.connect(self.reload)
        self.fact = QComboBox()
        self.fact.addItems(FACT_FILTERS)
        self.fact.setToolTip("按离退休、流动党员筛选")
        self.fact.currentIndexChanged.connect(self._refilter)
        self.include_left = QCheckBox("显示已转出等人员")
        self.include_left.toggled.connect(self._refilter)
        self.count = QLabel()

        self.add_button = QPushButton("新增党员")
        self.add_button.clicked.connect(self.add_member)
        self.edit_button = QPushButton("编辑")
        self.edit_button.clicked.connect(self.edit_selected)
        self.event_button = QPushButton("组织关系变动…")
        self.event_button.clicked.connect(self.record_event)
        self.import_button = QPushButton("从Excel导入…")
        self.import_button.clicked.connect(self.choose_import_file)
        self.export_button = QPushButton("导出Excel…")
        self.export_button.clicked.connect(self.choose_export_file)
        self.print_button = QPushButton("打印花名册…")
        self.print_button.setToolTip("Ctrl+P")
        self.print_button.clicked.connect(self.print_roster)
        self.signin_button = QPushButton("打印签到表…")
        self.signin_button.clicked.connect(self.print_signin)
        self.delete_button = QPushButton("删除误录")
        self.delete_button.setToolTip("只用于删除录入错误的人员；调离请登记“转出”")
        self.delete_button.clicked.connect(self.delete_selected)

        self.model = RosterTableModel()
        self.table = record_table(self.model, self.edit_selected)
        self.table.setVerticalHeader(RowNumbers(self.table))
        metrics = self.table.fontMetrics()
        em = metrics.horizontalAdvance("党")
        for col, chars in enumerate(RosterTableModel.WIDTHS):
            sample = RosterTableModel.SAMPLES.get(col, "")
            width = max(em * chars, metrics.horizontalAdvance(sample))
            self.table.setColumnWidth(col, int(width + 12))

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(self.group, 1)
        filters.addWidget(self.sort, 1)
        filters.addWidget(self.fact, 1)
        filters.addWidget(self.include_left)
        filters.addWidget(self.count)
        actions = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.event_button):
            actions.addWidget(b)
        actions.addStretch()
        for b in (
            self.print_button,
            self.signin_button,
            self.import_button,
            self.export_button,
            self.delete_button,
        ):
            actions.addWidget(b)
        layout = QVBoxLayout(self)
        title = QLabel("党员名册")
        title.setStyleSheet("font-size: 18px; font-weight: bold;")
        layout.addWidget(title)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(self.table)

        # Ctrl+F is the window's search over every record; this filter is Ctrl+L.
        shortcut(QKeySequence("Ctrl+L"), self, self._focus_search)
        shortcut(QKeySequence.StandardKey.New, self, self.add_member)
        shortcut(QKeySequence.StandardKey.Print, self, self.print_roster)
        shortcut(QKeySequence(Qt.Key.Key_Return), self.table, self.edit_selected)
        watch(self, book, ("roster", "branch"), self.refresh)
        self.reload()

    # -- data ---------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the roll again on a worker; the table fills in when it is ready (what it
        shows until then stays, so a refresh after a save keeps the selection in view)."""
        if not self.shown:
            self.count.setText("正在读取名册…")
        self._reload_groups()  # a few rows: at once (a group just added can be chosen)
        self._reading.start()

    @property
    def busy(self) -> bool:
        """The roll is being read (or is due to be read once more)."""
        return self._reading.busy

    def _read_job(self) -> Callable[[], tuple[RowFilter, int]] | None:
        if self.book.closed:
            return None
        today, by_joining = dt.date.today(), self.sort.currentText() == SORT_JOINED
        return self.book.read_job(lambda reader: read_roll(reader, today, by_joining))

    def _show_roll(self, read: tuple[RowFilter, int]) -> None:
        if self.book.closed:
            return  # the window closed while the worker read
        self._filter, self._present = read
        self.all_rows = self._filter.rows
        self.apply_filter(fresh=True)
        self.shown = True
        pending, self._pending = self._pending, []
        for then in pending:
            then()
        self.loaded.emit()

    def _read_failed(self, exc: BaseException) -> None:
        log.warning("名册未能读取：%s", exc)
        self.count.setText(f"名册未能读取：{exc}")
        self.loaded.emit()

    def _when_shown(self, then: Callable[[], None]) -> bool:
        """Run ``then`` once the roll being read is shown; False when nothing is being
        read (the caller goes on at once)."""
        if not self.busy and self.shown:
            return False
        self._pending.append(then)
        return True

    def _reload_groups(self) -> None:
        current = self.group.currentData()
        self.group.blockSignals(True)
        self.group.clear()
        self.group.addItem("全部党小组", None)
        for g in self.book.branch.groups():
            self.group.addItem(g.name, g.id)
        self.group.addItem("未分组", NO_GROUP)
        index = self.group.findData(current)
        self.group.setCurrentIndex(max(index, 0))
        self.group.blockSignals(False)

    def _refilter(self, *_changed: object) -> None:
        """A filter changed (a bound method, not a lambda: Qt drops the connection when
        the page is deleted, so a signal sent while it is torn down reaches nothing)."""
        self.apply_filter()

    def apply_filter(self, *, fresh: bool = False) -> None:
        selected = self.selected_member()
        rows = self._filter(
            self.search.text(),
            self.group.currentData(),
            self.include_left.isChecked(),
            self.fact.currentText(),
        )
        self.model.set_rows(rows, fresh=fresh)
        # After a reset the view lays its rows out on a zero timer, so the repaint that
        # comes first (the keystroke's own) would draw the table twice: lay out now.
        self.table.executeDelayedItemsLayout()
        if selected is not None and selected.id is not None:
            self._keep_selected(selected.id)
        self.count.setText(f"显示 {len(rows)} 人 / 在册 {self._present} 人")

    def _keep_selected(self, member_id: int) -> None:
        """The member selected before a filter change stays selected if still shown,
        without scrolling to them (the first matches stay in view while typing)."""
        row = next((i for i, r in enumerate(self.model.rows) if r.member.id == member_id), -1)
        if row < 0:
            return
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        scrolls = self.table.hasAutoScroll()
        self.table.setAutoScroll(False)
        self.table.selectionModel().setCurrentIndex(self.model.index(row, 0), flags)
        self.table.setAutoScroll(scrolls)

    def selected_member(self) -> Member | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.member_at(rows[0].row())

    def select_member(self, member_id: int) -> None:
        """Select the member's row (once the roll being read is shown)."""
        if self._when_shown(lambda: self.select_member(member_id)):
            return
        for r, row in enumerate(self.model.rows):
            if row.member.id == member_id:
                self.table.selectRow(r)
                return

    def show_target(self, target: object) -> None:
        """A reminder about a member: show them (clearing filters that hide them)."""
        member_id = getattr(target, "id", None)
        if member_id is None or self._when_shown(lambda: self.show_target(target)):
            return
        if not any(r.member.id == member_id for r in self.model.rows):
            self.search.clear()
            self.group.setCurrentIndex(0)
            self.include_left.setChecked(True)
        self.select_member(member_id)
        self.table.setFocus()

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def refresh(self, _change: object = None) -> None:
        """After a write anywhere: show the book as it is now, keeping the selection
        (`apply_filter` keeps it when the rows read come in)."""
        self.reload()

    def _changed(self, member_id: int | None = None) -> None:
        # The write itself refreshed this page (see ui/changes.py); select what it touched.
        if member_id is not None:
            self.select_member(member_id)
        self.changed.emit()

    # -- actions ------------------------------------------------------------------------
    def add_member(self) -> None:
        dialog = MemberDialog(self.book, parent=self)
        if dialog.exec():
            self._changed(dialog.saved_id)

    def edit_selected(self) -> None:
        member = self.selected_member()
        if member is None:
            return
        dialog = MemberDialog(self.book, self.book.roster.member(member.id or 0), parent=self)
        if dialog.exec():
            self._changed(member.id)

    def record_event(self) -> None:
        member = self.selected_member()
        if member is None or member.id is None:
            QMessageBox.information(self, "组织关系变动", "请先在名册中选中一名党员。")
            return
        if EventDialog(self.book, member.id, parent=self).exec():
            self._changed(member.id)

    def delete_selected(self) -> None:
        member = self.selected_member()
        if member is None or member.id is None:
            return
        if confirm(
            self,
            "删除误录",
            f"确定删除“{member.name}”吗？\n\n此操作只用于删除录入错误的人员。"
            "党员调离、去世等请用“组织关系变动”登记，以保留历史记录。",
        ):
            self.book.roster.delete(member.id)
            self._changed()

    def choose_import_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "选择党员名册 Excel 文件", "", "Excel 文件 (*.xlsx *.xls)"
        )
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        """Read and check in the background, then show the report before writing."""
        from branchdesk.exchange.roster_xlsx import read_roster

        existing = self.book.roster.id_numbers()
        groups = [g.name for g in self.book.branch.groups()]

        def read() -> object:
            return read_roster(path, existing_ids=existing, existing_groups=groups)

        run_in_background(
            self,
            read,
            lambda report: self._show_report(report, path),
            lambda exc: QMessageBox.warning(self, "无法导入", str(exc)),
            label="正在读取并检查表格…",
        )

    def _show_report(self, report: object, path: Path) -> None:
        dialog = ImportReportDialog(report, path.name, parent=self)
        self.import_dialog = dialog
        dialog.accepted.connect(lambda: self._commit_import(report))
        dialog.open()

    def _commit_import(self, report: object) -> None:
        members = [item.member for item in report.members]  # type: ignore[attr-defined]
        run_in_background(
            self,
            lambda: _import_into(self.book.path, members),
            self._import_done,
            lambda exc: QMessageBox.warning(self, "导入失败，未写入任何人员", str(exc)),
            label=f"正在导入 {len(members)} 人…",
        )

    def _import_done(self, count: int) -> None:
        self._changed()
        QMessageBox.information(self, "导入完成", f"已导入 {count} 人。")

    def print_roster(self) -> None:
        from branchdesk.ui.roster.print_dialogs import RosterPrintDialog

        RosterPrintDialog(self.book, self).exec()

    def print_signin(self) -> None:
        from branchdesk.ui.roster.print_dialogs import SigninPrintDialog

        SigninPrintDialog(self.book, self).exec()

    def choose_export_file(self) -> None:
        from branchdesk.store import cipher

        if cipher.book_is_encrypted(self.book):
            answer = QMessageBox.question(
                self,
                "导出的文件不加密",
                cipher.PLAIN_EXPORT_WARNING + "\n要继续导出吗？",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        name = f"{self.book.branch.profile().name}党员名册.xlsx"
        path, _ = QFileDialog.getSaveFileName(self, "导出党员名册", name, "Excel 文件 (*.xlsx)")
        if path:
            self.export_file(Path(path))

    def export_file(self, path: Path) -> None:
        """Write the shown rows to Excel in the background (a big roll takes seconds)."""
        from branchdesk.exchange.roster_xlsx import write_roster

        members = [r.member for r in self.model.rows]
        title = f"{self.book.branch.profile().name}党员名册"

        def write() -> int:
            write_roster(path, members, title=title)
            return len(members)

        run_in_background(
            self,
            write,
            lambda n: QMessageBox.information(self, "导出完成", f"已导出 {n} 人到：\n{path}"),
            lambda exc: QMessageBox.warning(self, "导出失败", str(exc)),
            label=f"正在导出 {len(members)} 人…",
        )
