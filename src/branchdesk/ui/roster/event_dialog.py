"""组织关系变动: record 转入/转出/转正/延长预备期/留党察看/出党/去世/停止党籍 for one member,
see their history, and correct or remove a recorded event (each correction is kept, with
its reason, in the 更正记录). Events are dated facts; the roster of any past date is derived
from them, so a wrong one must be correctable — and a 留党察看 endable."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from branchdesk.domain.dates import DateParseError, format_cn
from branchdesk.domain.members import (
    ENDING_KINDS,
    PERIOD_KINDS,
    EventKind,
    MembershipEvent,
    probation_due,
)
from branchdesk.store import Book, InputError
from branchdesk.ui.forms import RecordDialog
from branchdesk.ui.widgets import DateLineEdit, error_label


def _table(headers: list[str], height: int) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
    table.horizontalHeader().setStretchLastSection(True)
    table.setMaximumHeight(height)
    return table


def _fill(table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()


def _describe(e: MembershipEvent | None) -> str:
    if e is None:
        return "（已删除）"
    end = f"至{format_cn(e.end_date)}" if e.end_date else ""
    note = f"，{e.note}" if e.note else ""
    return f"{format_cn(e.date)}{end} {e.kind.value}{note}"


class EventDialog(QDialog):
    def __init__(self, book: Book, member_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.member_id = member_id
        self.changed_any = False
        member = book.roster.member(member_id)
        self.setWindowTitle(f"组织关系变动 — {member.name}")
        self.setMinimumWidth(700)

        self.history = _table(["日期", "变动", "结束日期", "说明"], 150)
        self.history.itemSelectionChanged.connect(self._selection_changed)
        self.correct_button = QPushButton("更正所选…")
        self.correct_button.clicked.connect(self.correct_selected)
        self.end_button = QPushButton("结束留党察看/流动…")
        self.end_button.clicked.connect(self.end_selected)
        self.remove_button = QPushButton("删除所选…")
        self.remove_button.clicked.connect(self.remove_selected)
        history_buttons = QHBoxLayout()
        for b in (self.correct_button, self.end_button, self.remove_button):
            history_buttons.addWidget(b)
        history_buttons.addStretch()
        self.corrections = _table(["时间", "操作", "原记录", "改为", "原因"], 110)

        self.kind = QComboBox()
        self.kind.addItems([k.value for k in EventKind])
        self.kind.currentTextChanged.connect(self._kind_changed)
        self.date = DateLineEdit()
        self.end_date = DateLineEdit()
        self.note = QLineEdit()
        self.note.setPlaceholderText("如：调任市财政局，介绍信编号…")
        self.override = QCheckBox("特殊情况：预备期未满即转正（须在说明中写明依据）")
        self.due = QLabel()
        self.due.setWordWrap(True)
        form = QFormLayout()
        form.addRow("变动类型", self.kind)
        form.addRow("日期 *", self.date)
        form.addRow("结束日期", self.end_date)
        form.addRow("说明", self.note)
        form.addRow("", self.override)
        form.addRow("", self.due)
        self.error = error_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("登记")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self._close)

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("已登记的变动（选中一条可更正或删除）："))
        layout.addWidget(self.history)
        layout.addLayout(history_buttons)
        layout.addWidget(QLabel("更正记录："))
        layout.addWidget(self.corrections)
        layout.addWidget(QLabel("登记新的变动："))
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.reload()
        self._kind_changed(self.kind.currentText())

    def reload(self) -> None:
        member = self.book.roster.member(self.member_id)
        self.member = member
        self.events = list(member.events)
        _fill(
            self.history,
            [
                (format_cn(e.date), e.kind.value, format_cn(e.end_date), e.note)
                for e in self.events
            ],
        )
        _fill(
            self.corrections,
            [
                (c.made_at.strftime("%Y-%m-%d %H:%M"), c.action, _describe(c.before),
                 _describe(c.after), c.reason)  # fmt: skip
                for c in self.book.roster.corrections(self.member_id)
            ],
        )
        due = probation_due(member)
        self.due.setText(
            f"预备期届满日：{format_cn(due)}" if due and member.full_date is None else ""
        )
        self._selection_changed()

    def selected_event(self) -> MembershipEvent | None:
        rows = self.history.selectionModel().selectedRows()
        return self.events[rows[0].row()] if rows else None

    def _selection_changed(self) -> None:
        event = self.selected_event()
        self.correct_button.setEnabled(event is not None)
        self.remove_button.setEnabled(event is not None)
        self.end_button.setEnabled(event is not None and event.kind in PERIOD_KINDS)

    def _kind_changed(self, kind: str) -> None:
        self.end_date.setEnabled(EventKind(kind) in ENDING_KINDS)
        if kind == EventKind.EXTENDED.value:
            self.end_date.setPlaceholderText("延长后的预备期届满日（延长6至12个月）")
        elif kind == EventKind.MOBILE.value:
            self.end_date.setPlaceholderText("返回日期（仍在外可暂不填）")
            self.note.setPlaceholderText("流出地，如：广东省深圳市")
        elif kind == EventKind.RETIRED.value:
            self.note.setPlaceholderText("如：退休，原单位…")
        else:
            self.end_date.setPlaceholderText("察看期满或恢复党员权利的日期（可暂不填）")
        self.override.setVisible(kind == EventKind.CONFIRMED.value)

    def _close(self) -> None:
        if self.changed_any:
            self.accept()
        else:
            self.reject()

    def _done(self, message: str) -> None:
        self.changed_any = True
        self.error.hide()
        self.reload()
        parent = self.parentWidget()
        window = parent.window() if parent is not None else None
        bar = getattr(window, "statusBar", None)
        if callable(bar):
            bar().showMessage(message, 5000)

    def save(self) -> None:
        try:
            try:
                day = self.date.date()
                end = self.end_date.date() if self.end_date.isEnabled() else None
            except DateParseError as exc:
                raise InputError(f"日期：{exc}") from None
            if day is None:
                raise InputError("日期：不能为空")
            kind = EventKind(self.kind.currentText())
            event = MembershipEvent(
                kind,
                day,
                end,
                self.note.text(),
                override=self.override.isChecked() and kind == EventKind.CONFIRMED,
            )
            self.book.roster.add_event(self.member_id, event)
        except InputError as exc:
            self.error.setText(f"未保存：{exc}")
            self.error.show()
            return
        self.changed_any = True
        self.accept()

    def correct_selected(self) -> None:
        event = self.selected_event()
        if event is None:
            return
        dialog = CorrectEventDialog(self.book, event, self)
        if dialog.exec():
            self._done(f"已更正“{event.kind.value}”，原内容已记入更正记录。")

    def end_selected(self) -> None:
        event = self.selected_event()
        if event is None or event.kind not in PERIOD_KINDS:
            return
        dialog = CorrectEventDialog(self.book, event, self, ending=True)
        if dialog.exec():
            self._done("已登记留党察看结束日期。")

    def remove_selected(self) -> None:
        event = self.selected_event()
        if event is None or event.id is None:
            return
        reason, ok = QInputDialog.getText(
            self,
            "删除变动",
            f"删除“{_describe(event)}”。\n原记录会保留在更正记录中。请写明删除原因：",
        )
        if not ok:
            return
        try:
            self.book.roster.delete_event(event.id, reason)
        except InputError as exc:
            self.error.setText(f"未删除：{exc}")
            self.error.show()
            return
        self._done(f"已删除“{event.kind.value}”，原记录已记入更正记录。")


class CorrectEventDialog(RecordDialog):
    """Correct one recorded event (or, with ``ending``, give a 留党察看 its end date). The
    reason is required: it goes into the 更正记录 with the old and new values."""

    def __init__(
        self, book: Book, event: MembershipEvent, parent: QWidget, *, ending: bool = False
    ) -> None:
        title = f"结束{event.kind.value}" if ending else f"更正变动 — {event.kind.value}"
        super().__init__(parent, title)
        self.book = book
        self.original = event
        self.ending = ending
        self.setMinimumWidth(440)
        self.date = DateLineEdit()
        self.date.set_date(event.date)
        self.end_date = DateLineEdit()
        self.end_date.set_date(event.end_date)
        self.end_date.setEnabled(event.kind in ENDING_KINDS)
        self.note = QLineEdit(event.note)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(
            "如：察看期满，经支部大会讨论恢复党员权利" if ending else "如：日期录错，据介绍信更正"
        )
        if ending:
            self.reason.setText("察看期满，恢复党员权利")
            self.date.setEnabled(False)
            self.note.setEnabled(False)
        form = QFormLayout()
        form.addRow("变动类型", QLabel(event.kind.value))
        form.addRow("日期", self.date)
        form.addRow("结束日期 *" if ending else "结束日期", self.end_date)
        form.addRow("说明", self.note)
        form.addRow("更正原因 *" if not ending else "原因 *", self.reason)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(f"原记录：{_describe(event)}" + ("" if ending else "（更正前的内容会保留）"))
        )
        layout.addLayout(form)
        self.finish_layout(layout)

    def write(self) -> None:
        assert self.original.id is not None
        try:
            day = self.date.date()
            end = self.end_date.date()
        except DateParseError as exc:
            raise InputError(f"日期：{exc}") from None
        if self.ending:
            if end is None:
                raise InputError("结束日期：不能为空")
            self.book.roster.end_probation(self.original.id, end, self.reason.text())
        else:
            if day is None:
                raise InputError("日期：不能为空")
            self.book.roster.correct_event(
                self.original.id,
                date=day,
                end_date=end,
                note=self.note.text(),
                reason=self.reason.text(),
            )
