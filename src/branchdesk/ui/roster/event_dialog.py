"""组织关系变动: record 转入/转出/转正/留党察看/出党/去世/停止党籍 for one member, and see
their history. Events are dated facts; the roster of any past date is derived from them."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from branchdesk.domain.dates import DateParseError, format_cn
from branchdesk.domain.members import PERIOD_KINDS, EventKind, MembershipEvent
from branchdesk.store import Book, InputError
from branchdesk.ui.widgets import DateLineEdit, error_label


class EventDialog(QDialog):
    def __init__(self, book: Book, member_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.member_id = member_id
        member = book.roster.member(member_id)
        self.setWindowTitle(f"组织关系变动 — {member.name}")
        self.setMinimumWidth(520)

        history = QTableWidget(len(member.events), 4)
        history.setHorizontalHeaderLabels(["日期", "变动", "结束日期", "说明"])
        for r, e in enumerate(member.events):
            for c, text in enumerate(
                (format_cn(e.date), e.kind.value, format_cn(e.end_date), e.note)
            ):
                history.setItem(r, c, QTableWidgetItem(text))
        history.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        history.horizontalHeader().setStretchLastSection(True)
        history.setMaximumHeight(140)
        history.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.history = history
        self.events = list(member.events)
        # A 留党察看 or 流动 period still open is closed here (期满, 返回) with 结束日期.
        self.end_button = QPushButton("为所选的留党察看/流动登记结束日期")
        self.end_button.clicked.connect(self.end_selected)
        history.itemSelectionChanged.connect(self._history_selected)

        self.kind = QComboBox()
        self.kind.addItems([k.value for k in EventKind])
        self.kind.currentTextChanged.connect(self._kind_changed)
        self.date = DateLineEdit()
        self.end_date = DateLineEdit()
        self.end_date.setPlaceholderText("察看期满或恢复党员权利的日期（可暂不填）")
        self.note = QLineEdit()
        self.note.setPlaceholderText("如：调任市财政局，介绍信编号…")
        form = QFormLayout()
        form.addRow("变动类型", self.kind)
        form.addRow("日期 *", self.date)
        form.addRow("结束日期", self.end_date)
        form.addRow("说明", self.note)
        self.error = error_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("已登记的变动："))
        layout.addWidget(history)
        layout.addWidget(self.end_button)
        layout.addWidget(QLabel("登记新的变动："))
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._kind_changed(self.kind.currentText())

    def _kind_changed(self, kind: str) -> None:
        self.end_date.setEnabled(kind in PERIOD_KINDS)
        if kind == EventKind.MOBILE.value:
            self.end_date.setPlaceholderText("返回日期（仍在外可暂不填）")
            self.note.setPlaceholderText("流出地，如：广东省深圳市")
        elif kind == EventKind.RETIRED.value:
            self.note.setPlaceholderText("如：退休，原单位…")
        else:
            self.end_date.setPlaceholderText("察看期满或恢复党员权利的日期（可暂不填）")
            self.note.setPlaceholderText("如：调任市财政局，介绍信编号…")

    def _history_selected(self) -> None:
        rows = self.history.selectionModel().selectedRows()
        event = self.events[rows[0].row()] if rows else None
        if event is not None and event.kind in PERIOD_KINDS and event.end_date is None:
            self.end_date.setEnabled(True)
            self.end_date.setFocus()

    def end_selected(self) -> None:
        rows = self.history.selectionModel().selectedRows()
        event = self.events[rows[0].row()] if rows else None
        try:
            if event is None or event.kind not in PERIOD_KINDS or event.end_date is not None:
                raise InputError("请先在上方选中一条尚未结束的“留党察看”或“流动”")
            try:
                end = self.end_date.date()
            except DateParseError as exc:
                raise InputError(f"结束日期：{exc}") from None
            if end is None:
                raise InputError("结束日期：请在下方“结束日期”中填写")
            assert event.id is not None
            self.book.roster.end_probation(event.id, end)
        except InputError as exc:
            self.error.setText(f"未保存：{exc}")
            self.error.show()
            return
        self.accept()

    def save(self) -> None:
        try:
            try:
                day = self.date.date()
                end = self.end_date.date() if self.end_date.isEnabled() else None
            except DateParseError as exc:
                raise InputError(f"日期：{exc}") from None
            if day is None:
                raise InputError("日期：不能为空")
            event = MembershipEvent(EventKind(self.kind.currentText()), day, end, self.note.text())
            self.book.roster.add_event(self.member_id, event)
        except InputError as exc:
            self.error.setText(f"未保存：{exc}")
            self.error.show()
            return
        self.accept()
