"""积分管理: a period's totals per member (姓氏笔画 order), a member's entries with reversal,
batch entry, the year's rule set, and printing the 公示, the 登记卡 and the 年度汇总.

Everything shown is computed from the ledger when the page refreshes (after any write to
points, the roster, the meetings or the settings), so nothing here can go stale. The
period's totals (every member on the roll with their sums: ~90 ms at 5,000 members, more
on a slow PC) are computed on a worker, on a read-only connection of its own; the page
keeps answering meanwhile and fills in when they are ready (`loaded`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from branchdesk.areas.points.rules import (
    TEMPLATE_IDS,
    TotalRow,
    current_period,
    member_trend,
    ranking_on,
    template,
    totals,
    use_template,
)
from branchdesk.domain.archive import Correction
from branchdesk.domain.dates import format_cn
from branchdesk.domain.points import Entry, Period, PeriodKind, format_points
from branchdesk.store import Book, InputError
from branchdesk.ui.changes import watch
from branchdesk.ui.tasks import Recompute
from branchdesk.ui.widgets import confirm, record_table, shortcut

log = logging.getLogger(__name__)
BANDS_FILTER = ("全部等次", "优秀", "良好", "合格", "基本合格", "不合格", "不参加积分")


class TotalsModel(QAbstractTableModel):
    HEADERS = ("姓名", "党小组", "基础分", "加分", "扣分", "总分", "等次", "名次", "备注")
    WIDTHS = (6, 6, 3, 3, 3, 3, 4, 3, 16)

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[TotalRow] = []
        self.ranked = False

    def set_rows(self, rows: list[TotalRow], ranked: bool) -> None:
        self.beginResetModel()
        self.rows, self.ranked = rows, ranked
        self.endResetModel()

    def columns(self) -> tuple[str, ...]:
        return self.HEADERS if self.ranked else tuple(h for h in self.HEADERS if h != "名次")

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns())

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns()[section]
        return None

    def cell(self, r: TotalRow, column: str) -> str:
        return {
            "姓名": r.member.name,
            "党小组": r.member.group_name,
            "基础分": format_points(r.base),
            "加分": format_points(r.added),
            "扣分": format_points(r.deducted),
            "总分": format_points(r.total),
            "等次": r.band if r.scored else "—",
            "名次": str(r.rank or ""),
            "备注": r.note,
        }[column]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> object:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = self.columns()[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column not in ("姓名", "党小组", "备注"):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ForegroundRole and row.band == "不合格":
            from PySide6.QtGui import QColor

            return QColor("#b00020")
        return None


class PointsArea(QWidget):
    changed = Signal()
    #: The table shows the totals computed for ``shown`` (a period's key).
    loaded = Signal()

    def __init__(
        self, book: Book, parent: QWidget | None = None, *, start: Period | None = None
    ) -> None:
        """``start``: the period to open on (default: today's)."""
        super().__init__(parent)
        self.book = book
        self._start = start
        self.all_rows: list[TotalRow] = []
        self.shown: str | None = None  # the period whose totals the table shows
        self._wanted: str | None = None  # the period the totals are being computed for
        self._select_after: int | None = None  # a member to select once they are shown
        self.entries: list[Entry] = []
        # ~90 ms the user waits for at 5,000 members: not the long jobs' 1 ms turns
        self._totals = Recompute(
            self, self._totals_job, self._show_totals, self._totals_failed,
            label="正在计算积分…", share=False,
        )  # fmt: skip
        self.last_dialog: QWidget | None = None  # tests reach the last opened dialog here

        self.year = QComboBox()
        self.year.currentIndexChanged.connect(self._year_changed)
        self.period = QComboBox()
        self.period.currentIndexChanged.connect(self.reload)
        self.group = QComboBox()
        self.group.currentIndexChanged.connect(self.apply_filter)
        self.band = QComboBox()
        self.band.addItems(BANDS_FILTER)
        self.band.currentIndexChanged.connect(self.apply_filter)
        self.scheme_label = QLabel()
        self.scheme_label.setWordWrap(True)  # long names wrap rather than widen the page
        self.notice_label = QLabel()
        self.count = QLabel()

        self.template = QComboBox()
        # The templates' titles are long: the box shows the start, the list shows all, so
        # the page fits a 1024-pixel screen.
        self.template.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.template.setMinimumContentsLength(14)
        for t in TEMPLATE_IDS:
            self.template.addItem(f"{t}：{template(t).title}", t)
        self.use_button = QPushButton("选用为本年度细则")
        self.use_button.setToolTip("选用后立即按本年度的会议记录自动计分")
        self.use_button.clicked.connect(self.use_selected_template)
        self.edit_scheme_button = QPushButton("编辑细则…")
        self.edit_scheme_button.setToolTip("修改本年度的积分项目和分值，或复制上一年、导入JSON")
        self.edit_scheme_button.clicked.connect(self.edit_scheme)
        self.apply_button = QPushButton("按会议记录重新计分")
        self.apply_button.setToolTip(
            "名册有变动（如补登离退休、转出）后，按现在的名册和细则重新计算本年度会议的自动积分"
        )
        self.apply_button.clicked.connect(self.reapply)
        self.batch_button = QPushButton("登记积分… (Ctrl+N)")
        self.batch_button.setToolTip("选择一名或多名党员、一个项目、一个日期，一次登记")
        self.batch_button.clicked.connect(self.open_batch)
        self.notice_button = QPushButton("打印公示表… (Ctrl+P)")
        self.notice_button.clicked.connect(self.print_notice)
        self.card_button = QPushButton("打印登记卡")
        self.card_button.clicked.connect(self.print_card)
        self.summary_button = QPushButton("打印年度汇总")
        self.summary_button.clicked.connect(self.print_summary)

        self.model = TotalsModel()
        self.table = record_table(self.model, lambda: None)
        self.table.verticalHeader().hide()
        self.table.selectionModel().selectionChanged.connect(lambda *_: self.show_entries())
        em = self.table.fontMetrics().horizontalAdvance("党")
        for col, chars in enumerate(TotalsModel.WIDTHS):
            self.table.setColumnWidth(col, int(em * chars + 16))

        self.detail_title = QLabel("积分明细")
        self.detail_title.setStyleSheet("font-weight: bold;")
        self.detail = QTableWidget(0, 6)
        self.detail.setHorizontalHeaderLabels(("日期", "项目", "分值", "原因", "来源", "状态"))
        self.detail.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.detail.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.detail.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.detail.verticalHeader().hide()
        self.detail.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.detail.horizontalHeader().setStretchLastSection(True)
        self.reverse_reason = QLineEdit()
        self.reverse_reason.setPlaceholderText("冲销原因（必填）")
        self.reverse_button = QPushButton("冲销所选明细")
        self.reverse_button.clicked.connect(self.reverse_selected)
        # A filed year: the ledger of that year is locked by the book itself; what the
        # page offers instead is a 更正 beside the entry (the entry never changes).
        from branchdesk.ui.archive.corrections import BANNER_STYLE

        self.filed_banner = QLabel()
        self.filed_banner.setWordWrap(True)
        self.filed_banner.setStyleSheet(BANNER_STYLE)
        self.filed_banner.hide()
        self.corrections_label = QLabel()
        self.corrections_label.setWordWrap(True)
        self.corrections_label.setStyleSheet("QLabel { background: #eef4ff; padding: 6px; }")
        self.corrections_label.setMinimumHeight(
            3 * self.corrections_label.fontMetrics().lineSpacing() + 12
        )
        self.corrections_label.hide()
        self.correct_button = QPushButton("写更正…")
        self.correct_button.setToolTip("为选中的已归档积分明细写更正说明（原明细不变）")
        self.correct_button.clicked.connect(self.correct_selected)
        self.correct_button.hide()
        self.detail.itemSelectionChanged.connect(self.show_corrections)
        self.corrections: dict[int, list[Correction]] = {}
        self.filed = False

        bar = QHBoxLayout()
        for label, widget in (
            ("年度", self.year),
            ("周期", self.period),
            ("党小组", self.group),
            ("等次", self.band),
        ):
            bar.addWidget(QLabel(label))
            bar.addWidget(widget)
        bar.addStretch()
        bar.addWidget(self.count)
        info = QHBoxLayout()
        info.addWidget(self.scheme_label)
        info.addWidget(self.notice_label)
        info.addStretch()
        info.addWidget(self.template)
        info.addWidget(self.use_button)
        info.addWidget(self.edit_scheme_button)
        actions = QHBoxLayout()
        actions.addWidget(self.batch_button)
        actions.addWidget(self.apply_button)
        actions.addStretch()
        for b in (self.notice_button, self.card_button, self.summary_button):
            actions.addWidget(b)
        from branchdesk.ui.points.charts import BandChart, TrendChart

        self.band_chart = BandChart()
        self.trend_chart = TrendChart()
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        charts = QHBoxLayout()
        charts.addWidget(self.band_chart)
        charts.addWidget(self.trend_chart)
        rl.addLayout(charts)
        rl.addWidget(self.detail_title)
        rl.addWidget(self.detail, 1)
        rev = QHBoxLayout()
        rev.addWidget(self.reverse_reason)
        rev.addWidget(self.reverse_button)
        rl.addLayout(rev)
        fix = QHBoxLayout()
        fix.addWidget(self.corrections_label, 1)
        fix.addWidget(self.correct_button, 0, Qt.AlignmentFlag.AlignTop)
        rl.addLayout(fix)
        split = QSplitter()
        split.addWidget(self.table)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        title = QLabel("积分管理")
        title.setStyleSheet("font-size: 18px; font-weight: bold;")
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(bar)
        layout.addLayout(info)
        layout.addLayout(actions)
        layout.addWidget(self.filed_banner)
        layout.addWidget(split, 1)

        shortcut(QKeySequence.StandardKey.New, self, self.open_batch)
        shortcut(QKeySequence.StandardKey.Print, self, self.print_notice)
        watch(
            self, book, ("points", "roster", "meetings", "settings", "branch", "archive"),
            self.refresh,
        )  # fmt: skip
        self.reload_years(start.year if start else None)

    # -- data -----------------------------------------------------------------------------
    def reload_years(self, select: int | None = None) -> None:
        today = dt.date.today()
        current = select if select is not None else self.year.currentData()
        years = sorted({*self.book.points.scheme_years(), today.year}, reverse=True)
        self.year.blockSignals(True)
        self.year.clear()
        for y in years:
            self.year.addItem(f"{y}年", y)
        self.year.setCurrentIndex(max(self.year.findData(current or today.year), 0))
        self.year.blockSignals(False)
        self._year_changed()

    def _year_changed(self) -> None:
        year = self.year.currentData()
        rules = self.book.points.scheme(year) if year is not None else None
        previous = self.period.currentData()
        self.period.blockSignals(True)
        self.period.clear()
        if rules is not None and rules.period == PeriodKind.QUARTER:
            for q in range(1, 5):
                self.period.addItem(f"第{'一二三四'[q - 1]}季度", f"{year}Q{q}")
        if rules is not None:
            self.period.addItem("全年", str(year))
        index = self.period.findData(previous)
        if index < 0 and self._start is not None:
            index = self.period.findData(self._start.key)
        if index < 0 and rules is not None:
            index = self.period.findData(current_period(self.book, dt.date.today()).key)
        self.period.setCurrentIndex(max(index, 0))
        self.period.blockSignals(False)
        self.reload()

    def current(self) -> Period | None:
        key = self.period.currentData()
        return Period.parse(key) if key else None

    def _show_filed(self, year: int | None) -> None:
        from branchdesk.ui.archive.corrections import filed_reason

        reason = filed_reason(self.book, year) if year is not None else None
        self.filed = reason is not None
        self.filed_banner.setText(reason or "")
        self.filed_banner.setVisible(self.filed)
        for b in (
            self.batch_button,
            self.apply_button,
            self.use_button,
            self.edit_scheme_button,
            self.reverse_button,
            self.reverse_reason,
        ):
            b.setEnabled(not self.filed)  # fmt: skip
        self.correct_button.setVisible(self.filed)
        self.corrections = {}
        if self.filed:
            for c in self.book.archive.corrections("points_entry"):
                self.corrections.setdefault(c.record_id, []).append(c)

    def reload(self) -> None:
        period = self.current()
        year = self.year.currentData()
        self._show_filed(year)
        rules = self.book.points.scheme(year) if year is not None else None
        if rules is None or period is None:
            self.scheme_label.setText(f"{year}年尚未选定积分细则：请在右侧选择模板")
            self.notice_label.setText("")
            self.all_rows = []
        else:
            name = rules.name or "自定义"
            base = format_points(rules.base)
            self.scheme_label.setText(
                f"积分细则：{name}（基础分 {base}，按{rules.period.value}计分）"
            )
            printed = self.book.points.notice_printed(period.key)
            self.notice_label.setText(
                f"公示：已打印（{format_cn(printed[0])}至{format_cn(printed[1])}）"
                if printed
                else "公示：尚未打印"
            )
            # The totals come from a worker (`_show_totals`). The rows of another period
            # are not left under this one's title meanwhile; the same period's stay (a
            # refresh after a write keeps the selection and the scroll position).
            self._wanted = period.key
            if self.shown != period.key:
                self.shown = None
                self._show_rows([])
            self.count.setText("正在计算积分…")
            self._totals.start()
            return
        self._wanted = None
        self.shown = period.key if period is not None else None
        self._show_rows([])

    @property
    def busy(self) -> bool:
        """Totals are being computed (or are due once more): the table is about to change."""
        return self._totals.busy

    def _totals_job(self) -> Callable[[], list[TotalRow]] | None:
        period = self.current()
        if self.book.closed or period is None or period.key != self._wanted:
            return None
        return self.book.read_job(lambda reader: totals(reader, period))

    def _show_totals(self, rows: list[TotalRow]) -> None:
        if self.book.closed:
            return  # the window closed while the worker computed
        period = self.current()
        if period is None or period.key != self._wanted:
            return  # the period changed while this one was computed: its own job follows
        self.shown = period.key
        self._show_rows(rows)
        self.loaded.emit()

    def _totals_failed(self, exc: BaseException) -> None:
        log.warning("积分未能计算：%s", exc)
        self.count.setText(f"积分未能计算：{exc}")
        self.loaded.emit()

    def _show_rows(self, rows: list[TotalRow]) -> None:
        self.all_rows = rows
        groups = sorted({r.member.group_name for r in self.all_rows if r.member.group_name})
        chosen = self.group.currentText()
        self.group.blockSignals(True)
        self.group.clear()
        self.group.addItem("全部党小组")
        self.group.addItems(groups)
        self.group.setCurrentIndex(max(self.group.findText(chosen), 0))
        self.group.blockSignals(False)
        self.apply_filter()

    def apply_filter(self) -> None:
        group = self.group.currentText() if self.group.currentIndex() > 0 else None
        band = self.band.currentText() if self.band.currentIndex() > 0 else None
        rows = [
            r
            for r in self.all_rows
            if (group is None or r.member.group_name == group)
            and (band is None or (r.band == band if r.scored else band == "不参加积分"))
        ]
        selected = self.selected()
        wanted = self._select_after
        self.model.set_rows(rows, ranking_on(self.book))
        scored = [r for r in rows if r.scored]
        self.count.setText(f"共 {len(rows)} 人，参加积分 {len(scored)} 人")
        year = self.year.currentData()
        rules = self.book.points.scheme(year) if year is not None else None
        bands = [b.name for b in rules.bands] if rules is not None else []
        self.band_chart.set_counts([(b, sum(1 for r in scored if r.band == b)) for b in bands])
        if wanted is not None and self.shown is not None and not self.busy:
            self._select_after = None
            self.select_member(wanted)
        elif selected is not None:
            self.select_member(selected.member.id or 0)
        self.show_entries()

    def refresh(self, _change: object = None) -> None:
        self.reload_years()

    def selected(self) -> TotalRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def select_member(self, member_id: int) -> None:
        """Select the member's row; while the totals are being computed, once they are
        shown."""
        if self.busy or self.shown is None:
            self._select_after = member_id
            return
        for n, r in enumerate(self.model.rows):
            if r.member.id == member_id:
                self.table.selectRow(n)
                return

    def show_target(self, target: object) -> None:
        """From the 工作台: a 公示 not printed opens on that period (then Ctrl+P prints it);
        a member whose total is 不合格 is selected with their entries."""
        kind = getattr(target, "kind", "")
        if kind == "notice":
            from branchdesk.areas.points.reminders import last_ended_period

            period = last_ended_period(self.book, dt.date.today())
            if period is not None:
                self.year.setCurrentIndex(max(self.year.findData(period.year), 0))
                self.period.setCurrentIndex(max(self.period.findData(period.key), 0))
        elif kind == "member" and getattr(target, "id", None):
            self.band.setCurrentIndex(0)
            self.group.setCurrentIndex(0)
            self.select_member(int(target.id))  # type: ignore[attr-defined]

    def show_entries(self) -> None:
        row, period = self.selected(), self.current()
        self.entries = []
        if row is not None and period is not None:
            trend = member_trend(self.book, row.member, period.year)
            self.trend_chart.set_points(f"个人积分走势：{row.member.name}", trend)
        else:
            self.trend_chart.set_points("个人积分走势", [])
        if row is not None and period is not None:
            self.entries = self.book.points.entries(period.start, period.end, row.member.id)
            self.detail_title.setText(f"积分明细：{row.member.name}（{period.label}）")
        else:
            self.detail_title.setText("积分明细（在左侧选择党员）")
        self.detail.setRowCount(len(self.entries))
        for n, e in enumerate(self.entries):
            state = (
                f"冲销明细 {e.reverses}"
                if e.reverses
                else f"已冲销（明细 {e.reversed_by}）"
                if e.reversed_by
                else ""
            )
            if self.corrections.get(e.id):
                state = "，".join(x for x in (state, f"更正{len(self.corrections[e.id])}处") if x)
            for c, text in enumerate(
                (format_cn(e.date), e.item, format_points(e.value), e.reason, e.source, state)
            ):
                self.detail.setItem(n, c, QTableWidgetItem(text))

        self.show_corrections()

    def _selected_entry(self) -> Entry | None:
        rows = self.detail.selectionModel().selectedRows()
        return self.entries[rows[0].row()] if rows and rows[0].row() < len(self.entries) else None

    def show_corrections(self) -> None:
        """The corrections of the selected entry, beside it (only a filed year has any)."""
        from branchdesk.ui.archive.corrections import correction_text

        entry = self._selected_entry()
        found = self.corrections.get(entry.id, []) if entry is not None else []
        self.correct_button.setEnabled(self.filed and entry is not None)
        if not self.filed or entry is None:
            self.corrections_label.hide()
            return
        self.corrections_label.setText(
            "\n".join(f"更正{n}：{correction_text(c)}" for n, c in enumerate(found, 1))
            if found
            else "这条明细没有更正。"
        )
        self.corrections_label.show()

    def correct_selected(self) -> None:
        from branchdesk.ui.archive.corrections import CorrectionDialog

        entry = self._selected_entry()
        if entry is None:
            QMessageBox.information(self, "写更正", "请先在积分明细中选中一条。")
            return
        dialog = CorrectionDialog(self.book, "points_entry", entry.id, self)
        self.last_dialog = dialog
        if dialog.exec():
            self.reload()

    # -- actions --------------------------------------------------------------------------
    def use_selected_template(self) -> None:
        year = self.year.currentData()
        tid = self.template.currentData()
        if self.book.points.scheme(year) is not None and not confirm(
            self,
            "选用积分细则",
            f"{year}年已有积分细则。改用“{tid}”后，将按新细则重新计算本年度会议的自动积分"
            "（原有自动积分登记冲销记录，手工登记的积分保留）。确定吗？",
        ):
            return
        result = use_template(self.book, tid, year)
        QMessageBox.information(
            self, "选用积分细则", f"已选用“{tid}”，按会议记录自动计分 {result.added} 条。"
        )

    def reapply(self) -> None:
        year = self.year.currentData()
        if year is None or self.book.points.scheme(year) is None:
            QMessageBox.information(self, "重新计分", "请先选定本年度的积分细则。")
            return
        result = self.book.points.apply(year)
        QMessageBox.information(
            self,
            "重新计分",
            f"{year}年自动积分：新增 {result.added} 条，冲销 {result.reversed} 条。",
        )

    def edit_scheme(self) -> None:
        from branchdesk.ui.points.scheme_dialog import SchemeDialog

        dialog = SchemeDialog(self.book, self.year.currentData(), parent=self)
        self.last_dialog = dialog
        dialog.exec()

    def _entered_by(self) -> str | None:
        name = self.book.points.entered_by()
        if name:
            return name
        from PySide6.QtWidgets import QInputDialog

        text, ok = QInputDialog.getText(self, "登记人", "请填写登记人姓名（只需填写一次）：")
        if ok and text.strip():
            self.book.points.set_entered_by(text.strip())
            return text.strip()
        return None

    def open_batch(self) -> None:
        from branchdesk.ui.points.batch import BatchDialog

        period = self.current()
        if period is None:
            QMessageBox.information(self, "登记积分", "请先选定本年度的积分细则。")
            return
        if self._entered_by() is None:
            return
        chosen = [r.member.id or 0 for r in [self.selected()] if r is not None]
        dialog = BatchDialog(self.book, period, chosen, parent=self)
        self.last_dialog = dialog
        dialog.exec()

    def reverse_selected(self) -> None:
        rows = self.detail.selectionModel().selectedRows()
        if not rows:
            QMessageBox.information(self, "冲销", "请先在积分明细中选中一条。")
            return
        entry = self.entries[rows[0].row()]
        reason = self.reverse_reason.text().strip()
        if not reason:
            QMessageBox.information(self, "冲销", "请填写冲销原因。")
            self.reverse_reason.setFocus()
            return
        if self._entered_by() is None:
            return
        text = (
            f"冲销{format_cn(entry.date)}的“{entry.item}”{format_points(entry.value)}分？\n"
            "原明细保留，另登记一条冲销记录。"
        )
        if not confirm(self, "冲销", text):
            return
        try:
            self.book.points.reverse(entry.id, reason)
        except InputError as exc:
            QMessageBox.warning(self, "冲销", str(exc))
            return
        self.reverse_reason.clear()

    def print_notice(self) -> None:
        from branchdesk.ui.points.notice_dialog import NoticeDialog

        period = self.current()
        if period is None:
            return
        dialog = NoticeDialog(self.book, period, parent=self)
        self.last_dialog = dialog
        dialog.exec()

    def print_card(self) -> None:
        from branchdesk.areas.points.jobs import card_job
        from branchdesk.ui.print_preview import preview_pdf

        row, year = self.selected(), self.year.currentData()
        if row is None:
            QMessageBox.information(self, "打印登记卡", "请先在列表中选中一名党员。")
            return
        job = card_job(self.book, row.member.id or 0, year)
        preview_pdf(
            self, lambda: job().data, "党员积分登记卡", f"{row.member.name}积分登记卡{year}.pdf"
        )

    def print_summary(self) -> None:
        from branchdesk.areas.points.jobs import summary_job
        from branchdesk.ui.print_preview import preview_pdf

        year = self.year.currentData()
        try:
            job = summary_job(self.book, year)
        except InputError as exc:
            QMessageBox.information(self, "打印年度汇总", str(exc))
            return
        preview_pdf(self, lambda: job().data, "年度积分汇总", f"{year}年度党员积分汇总.pdf")
