"""会议记录: the list of meetings of one 所属年度, with new (from the last meeting of a type as a
template), edit, print the minutes or a sign-in sheet, and delete.

The list reads ``book.meetings.summaries(year)``: one query, no content or attachments, so
ten years of meetings open at once.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from branchdesk.areas.meetings.jobs import meeting_signin_job, minutes_job, notice_job
from branchdesk.domain.dates import format_cn
from branchdesk.domain.meetings import MeetingType
from branchdesk.domain.names import matches, search_key
from branchdesk.store import Book, InputError
from branchdesk.store.meetings import MeetingSummary
from branchdesk.ui.changes import watch
from branchdesk.ui.meetings.form import MeetingForm
from branchdesk.ui.print_preview import preview_pdf
from branchdesk.ui.widgets import confirm, record_table, shortcut

#: The order types are offered in: 三会一课 first, then the rest.
TYPE_ORDER = tuple(MeetingType)


def types_text(types: frozenset[MeetingType]) -> str:
    return "、".join(t.value for t in TYPE_ORDER if t in types)


class MeetingTableModel(QAbstractTableModel):
    DATE, TITLE, TYPES, PLACE, PRESENT, RESOLUTIONS, FILED = range(7)
    HEADERS = ("日期", "会议名称", "类型", "地点", "实到", "决议数", "归档")
    WIDTHS = (8, 18, 14, 10, 3, 3, 8)  # in characters

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[MeetingSummary] = []
        #: meeting id → "已归档" / "已归档，更正1处" (empty while its year is open)
        self.filed: dict[int, str] = {}

    def set_rows(self, rows: list[MeetingSummary], filed: dict[int, str] | None = None) -> None:
        self.beginResetModel()
        self.rows = rows
        self.filed = filed or {}
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> object:
        if not index.isValid():
            return None
        s = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                format_cn(s.date),
                s.title,
                types_text(s.types),
                s.place,
                str(s.present),
                str(s.resolutions) if s.resolutions else "",
                self.filed.get(s.id, ""),
            )[col]
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (self.PRESENT, self.RESOLUTIONS):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole and col == self.FILED and self.filed.get(s.id):
            return "所属年度已归档：只能查看，错误请写更正说明"
        if role == Qt.ItemDataRole.ToolTipRole and col == self.TITLE:
            return f"{s.title}（{types_text(s.types)}，所属年度{s.year}）"
        return None


class MeetingPage(QWidget):
    changed = Signal()

    def __init__(self, book: Book, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.all_rows: list[MeetingSummary] = []
        self.filed: dict[int, str] = {}
        self.last_form: MeetingForm | None = None  # tests reach the last opened form here

        self.year = QComboBox()
        self.year.setToolTip("所属年度：上一年度的组织生活会可在次年初召开，按所属年度归入")
        self.year.currentIndexChanged.connect(self.reload)
        self.type_filter = QComboBox()
        self.type_filter.addItem("全部类型", None)
        for t in TYPE_ORDER:
            self.type_filter.addItem(t.value, t)
        self.type_filter.currentIndexChanged.connect(self.apply_filter)
        self.count = QLabel()
        self.search = QLineEdit()
        self.search.setPlaceholderText("按会议名称、地点筛选，可用拼音（如 ztdr、zhuti）Ctrl+L")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.apply_filter)
        self._keys: dict[int, str] = {}

        self.new_menu = QMenu(self)
        for t in TYPE_ORDER:
            action = self.new_menu.addAction(t.value)
            action.triggered.connect(lambda _=False, t=t: self.new_meeting(t))
        self.new_button = QPushButton("新建会议 (Ctrl+N)")
        self.new_button.setToolTip("选择会议类型；地点、主持人、记录人、议题沿用上一次同类会议")
        self.new_button.setMenu(self.new_menu)
        self.edit_button = QPushButton("编辑")
        self.edit_button.clicked.connect(self.edit_selected)
        self.print_button = QPushButton("打印记录 (Ctrl+P)")
        self.print_button.clicked.connect(self.print_minutes)
        self.signin_button = QPushButton("打印签到表")
        self.signin_button.clicked.connect(self.print_signin)
        self.notice_button = QPushButton("打印会议通知")
        self.notice_button.clicked.connect(self.print_notice)
        self.delete_button = QPushButton("删除")
        self.delete_button.clicked.connect(self.delete_selected)

        self.model = MeetingTableModel()
        self.table = record_table(self.model, self.edit_selected)
        self.table.verticalHeader().hide()
        em = self.table.fontMetrics().horizontalAdvance("党")
        for col, chars in enumerate(MeetingTableModel.WIDTHS):
            self.table.setColumnWidth(col, int(em * chars + 16))

        filters = QHBoxLayout()
        filters.addWidget(QLabel("所属年度"))
        filters.addWidget(self.year)
        filters.addWidget(QLabel("类型"))
        filters.addWidget(self.type_filter)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.count)
        actions = QHBoxLayout()
        for b in (self.new_button, self.edit_button):
            actions.addWidget(b)
        actions.addStretch()
        for b in (self.print_button, self.signin_button, self.notice_button, self.delete_button):
            actions.addWidget(b)
        layout = QVBoxLayout(self)
        title = QLabel("会议记录")
        title.setStyleSheet("font-size: 18px; font-weight: bold;")
        layout.addWidget(title)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(self.table)

        shortcut(QKeySequence.StandardKey.New, self, self.new_button.showMenu)
        shortcut(QKeySequence.StandardKey.Print, self, self.print_minutes)
        # Ctrl+F is the window's search over every record; this filter is Ctrl+L.
        shortcut(QKeySequence("Ctrl+L"), self, self.search.setFocus)
        shortcut(QKeySequence(Qt.Key.Key_Return), self.table, self.edit_selected)
        shortcut(QKeySequence(Qt.Key.Key_Enter), self.table, self.edit_selected)
        watch(self, book, ("meetings", "roster", "branch", "archive"), self.refresh)
        self.reload_years()

    # -- data ---------------------------------------------------------------------------
    def reload_years(self, select: int | None = None) -> None:
        current = select if select is not None else self.year.currentData()
        years = sorted({*self.book.meetings.years(), dt.date.today().year}, reverse=True)
        self.year.blockSignals(True)
        self.year.clear()
        for y in years:
            self.year.addItem(f"{y}年", y)
        index = self.year.findData(current if current is not None else dt.date.today().year)
        self.year.setCurrentIndex(max(index, 0))
        self.year.blockSignals(False)
        self.reload()

    def reload(self) -> None:
        year = self.year.currentData()
        self.all_rows = self.book.meetings.summaries(year) if year is not None else []
        self._keys = {}  # pinyin of titles and places, made when a search needs them
        self.filed = {}
        if year is not None and self.book.archive.is_filed(year):
            counts: dict[int, int] = {}
            for c in self.book.archive.corrections("meeting"):
                counts[c.record_id] = counts.get(c.record_id, 0) + 1
            self.filed = {
                s.id: "已归档" + (f"，更正{counts[s.id]}处" if s.id in counts else "")
                for s in self.all_rows
            }
        self.apply_filter()

    def _key(self, s: MeetingSummary) -> str:
        if s.id not in self._keys:
            self._keys[s.id] = f"{search_key(s.title)} {search_key(s.place)}"
        return self._keys[s.id]

    def apply_filter(self) -> None:
        data = self.type_filter.currentData()
        kind = MeetingType(data) if data else None
        needle = self.search.text()
        rows = [
            s
            for s in self.all_rows
            if (kind is None or kind in s.types)
            and (
                not needle.strip()
                or matches(needle, f"{s.title} {s.place} {types_text(s.types)}", self._key(s))
            )
        ]
        self.model.set_rows(rows, self.filed)
        shown = f"共 {len(rows)} 次会议"
        if len(rows) != len(self.all_rows):
            shown += f"（全年 {len(self.all_rows)} 次）"
        self.count.setText(shown)

    def selected(self) -> MeetingSummary | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def select_meeting(self, meeting_id: int) -> None:
        for r, row in enumerate(self.model.rows):
            if row.id == meeting_id:
                self.table.selectRow(r)
                return

    def refresh(self, _change: object = None) -> None:
        """After a write anywhere (a restore included): the list as the book is now."""
        selected = self.selected()
        self.reload_years()
        if selected is not None:
            self.select_meeting(selected.id)

    def _changed(self, meeting_id: int | None = None) -> None:
        # The write refreshed the list already; show the year of what it touched.
        if meeting_id is not None:
            year = self.book.meetings.get(meeting_id).meeting.belongs_to_year
            if year != self.year.currentData():
                self.reload_years(year)
            self.select_meeting(meeting_id)
        self.changed.emit()

    # -- actions ------------------------------------------------------------------------
    def new_meeting(self, meeting_type: MeetingType) -> None:
        form = MeetingForm(self.book, None, parent=self, new_type=meeting_type)
        self.last_form = form
        if form.exec():
            self._changed(form.saved_id)

    def edit_selected(self) -> None:
        summary = self.selected()
        if summary is None:
            return
        form = MeetingForm(self.book, self.book.meetings.get(summary.id), parent=self)
        self.last_form = form
        if form.exec():
            self._changed(form.saved_id)

    def print_minutes(self) -> None:
        summary = self.selected()
        if summary is None:
            QMessageBox.information(self, "打印会议记录", "请先在列表中选中一次会议。")
            return
        job = minutes_job(self.book, summary.id)
        name = f"{summary.title}会议记录-{format_cn(summary.date)}.pdf"
        preview_pdf(self, lambda: job().data, f"会议记录 {summary.title}", name)

    def print_signin(self) -> None:
        summary = self.selected()
        if summary is None:
            QMessageBox.information(self, "打印签到表", "请先在列表中选中一次会议。")
            return
        job = meeting_signin_job(self.book, summary.id)
        name = f"{summary.title}签到表-{format_cn(summary.date)}.pdf"
        preview_pdf(self, lambda: job().data, "签到表", name)

    def print_notice(self) -> None:
        summary = self.selected()
        if summary is None:
            QMessageBox.information(self, "打印会议通知", "请先在列表中选中一次会议。")
            return
        job = notice_job(self.book, summary.id)
        name = f"{summary.title}会议通知-{format_cn(summary.date)}.pdf"
        preview_pdf(self, lambda: job().data, "会议通知", name)

    def delete_selected(self) -> None:
        summary = self.selected()
        if summary is None:
            return
        if not self.confirmed_current(summary):
            self.refresh()
            QMessageBox.information(
                self, "删除会议记录", "会议列表已更新，请重新选择要删除的会议。"
            )
            return
        if confirm(
            self,
            "删除会议记录",
            f"确定删除{format_cn(summary.date)}的“{summary.title}”吗？\n\n"
            "出缺席、决议和附件将一并删除，且不能恢复。",
        ):
            try:
                self.book.meetings.delete(summary.id)
            except InputError as exc:  # its year is filed: the book refuses
                QMessageBox.warning(self, "删除会议记录", str(exc))
                return
            self._changed()

    def confirmed_current(self, summary: MeetingSummary) -> bool:
        """The row the user chose still is that meeting in the book (it may have been
        replaced by a restore or another program since the list was read)."""
        try:
            record = self.book.meetings.get(summary.id)
        except KeyError:
            return False
        return record.meeting.title == summary.title and record.meeting.date == summary.date
