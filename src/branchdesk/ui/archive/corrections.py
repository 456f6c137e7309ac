"""A filed record in a form: read-only with the reason, its corrections beside it, and the
dialog that writes a new correction (the original never changes)."""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from branchdesk.areas.archive.hooks import correctables, write_correction
from branchdesk.domain.archive import Correction
from branchdesk.domain.dates import format_cn
from branchdesk.store import Book
from branchdesk.ui.forms import RecordDialog
from branchdesk.ui.widgets import DateLineEdit

BANNER_STYLE = (
    "QLabel { background: #fff4e0; border: 1px solid #e0a040; padding: 6px; color: #6a3d00; }"
)


def filed_reason(book: Book, year: int) -> str | None:
    """Why a record of ``year`` cannot be changed (None when the year is open)."""
    filing = book.archive.filed_years().get(year)
    if filing is None:
        return None
    return (
        f"本记录所属的{year}年度已归档（{filing.at[:10]}，经办人：{filing.who or '—'}），"
        "按规定不得涂改，只能查看。如有错误，请点“写更正…”另写更正说明，原记录保持不变。"
    )


def correction_text(c: Correction) -> str:
    return (
        f"{c.field_label}：原记为“{c.original.strip() or '（空）'}”，"
        f"更正为“{c.corrected.strip()}”。原因：{c.reason}"
        f"（批准人：{c.approved_by}，{format_cn(c.date)}）"
    )


class CorrectionsPanel(QWidget):
    """The corrections of one record, read-only, with 写更正… when the record is filed."""

    def __init__(self, book: Book, kind: str, record_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.book, self.kind, self.record_id = book, kind, record_id
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setStyleSheet("QLabel { background: #eef4ff; padding: 6px; }")
        self.write_button = QPushButton("写更正…")
        self.write_button.clicked.connect(self.write_correction)
        self.last_dialog: CorrectionDialog | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.write_button, 0, Qt.AlignmentFlag.AlignTop)
        self.reload()

    def corrections(self) -> list[Correction]:
        return self.book.archive.corrections(self.kind, self.record_id)

    def reload(self) -> None:
        found = self.corrections()
        if not found:
            self.label.setText("本记录没有更正。")
            return
        lines = [f"{n}. {html.escape(correction_text(c))}" for n, c in enumerate(found, 1)]
        self.label.setText(f"<b>更正（{len(found)}处）</b><br>" + "<br>".join(lines))

    def write_correction(self) -> None:
        dialog = CorrectionDialog(self.book, self.kind, self.record_id, self)
        self.last_dialog = dialog
        if dialog.exec():
            self.reload()


class CorrectionDialog(RecordDialog):
    def __init__(self, book: Book, kind: str, record_id: int, parent: QWidget | None = None):
        super().__init__(parent, "写更正说明")
        self.book, self.kind, self.record_id = book, kind, record_id
        self.spec = correctables()[kind]
        self.field = QComboBox()
        for column, label in self.spec.fields.items():
            self.field.addItem(label, column)
        self.original = QPlainTextEdit()
        self.original.setReadOnly(True)
        self.original.setMaximumHeight(90)
        self.corrected = QPlainTextEdit()
        self.corrected.setMaximumHeight(120)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("如：主持人姓名记错，经核对签到表更正")
        self.approved_by = QLineEdit()
        self.day = DateLineEdit()
        self.day.set_date(dt.date.today())
        self.field.currentIndexChanged.connect(self._show_original)
        form = QFormLayout()
        form.addRow("更正的内容", self.field)
        form.addRow("原记录（不变）", self.original)
        form.addRow("更正为 *", self.corrected)
        form.addRow("更正原因 *", self.reason)
        form.addRow("批准人 *", self.approved_by)
        form.addRow("更正日期 *", self.day)
        layout = QVBoxLayout(self)
        note = QLabel("更正作为单独的记录保存，打印为更正说明，随下一年度归档；原记录不会被修改。")
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addLayout(form)
        self.finish_layout(layout)
        self.saved_id: int | None = None
        self._show_original()
        self.resize(560, 460)

    def _show_original(self) -> None:
        column = self.field.currentData()
        value = self.book.archive.field_value(self.spec.table, self.record_id, column)
        self.original.setPlainText(value)
        if not self.corrected.toPlainText().strip():
            self.corrected.setPlainText(value)

    def write(self) -> None:
        from branchdesk.store import InputError

        try:
            day = self.day.date()
        except ValueError as exc:
            raise InputError(f"更正日期：{exc}") from exc
        self.saved_id = write_correction(
            self.book,
            self.kind,
            self.record_id,
            self.field.currentData(),
            text=self.corrected.toPlainText(),
            reason=self.reason.text(),
            approved_by=self.approved_by.text(),
            day=day or dt.date.today(),
        )


def lock_if_filed(form: object, book: Book, kind: str, record_id: int | None, year: int) -> bool:
    """Turn a record form read-only when its year is filed: the reason on top, every field
    disabled (the widgets of ``form.tabs``, or those listed in ``form.filed_parts``), no
    保存, the corrections beside it. Returns whether it is filed."""
    if record_id is None:
        return False
    reason = filed_reason(book, year)
    if reason is None:
        return False
    banner = QLabel(reason)
    banner.setWordWrap(True)
    banner.setStyleSheet(BANNER_STYLE)
    panel = CorrectionsPanel(book, kind, record_id)
    layout = form.layout()  # type: ignore[attr-defined]
    layout.insertWidget(0, banner)
    layout.insertWidget(1, panel)
    tabs = getattr(form, "tabs", None)
    parts = [tabs.widget(i) for i in range(tabs.count())] if tabs is not None else []
    parts += getattr(form, "filed_parts", [])  # a form without tabs names its fields
    for part in parts:
        part.setEnabled(False)
    form.save_button.hide()  # type: ignore[attr-defined]
    close = form.buttons.button(QDialogButtonBox.StandardButton.Cancel)  # type: ignore[attr-defined]
    if close is not None:
        close.setText("关闭")
    form.filed_banner = banner  # type: ignore[attr-defined]
    form.corrections = panel  # type: ignore[attr-defined]
    return True
