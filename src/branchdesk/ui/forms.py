"""The shape every record form shares: its fields, a red line that says what is wrong
(naming the field), and 保存 / 取消 with Ctrl+S.

A form builds its fields, calls `finish_layout(layout)`, and implements `write()`, which
saves through the facade or raises `InputError` ("日期：不能为空"). `save()` shows the
message and keeps the dialog open with everything typed; only a successful write closes
it. `refused()` and `saved()` are hooks (the meeting form refreshes its rules panel and
drops its draft).
"""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QBoxLayout, QDialog, QDialogButtonBox, QWidget

from branchdesk.store import BookError, InputError
from branchdesk.ui.widgets import error_label, shortcut


class RecordDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, title: str = "") -> None:
        super().__init__(parent)
        if title:
            self.setWindowTitle(title)
        self.error = error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        assert save is not None
        self.save_button = save
        self.save_button.setText("保存 (Ctrl+S)")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        shortcut(QKeySequence.StandardKey.Save, self, self.save)

    def finish_layout(self, layout: QBoxLayout) -> None:
        """The error line and the buttons go last, under the fields."""
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def write(self) -> None:
        """Save what the form holds; raise InputError naming the field when it cannot."""
        raise NotImplementedError

    def refused(self, exc: InputError | BookError) -> None:
        """Called when `write` refused the input (before the message is shown)."""

    def saved(self) -> None:
        """Called after a successful `write`, before the dialog closes."""

    def save(self) -> None:
        try:
            self.write()
        except (InputError, BookError) as exc:  # busy, disk full, read-only: the form stays
            self.refused(exc)
            self.error.setText("未保存：" + str(exc).replace("；", "\n"))
            self.error.show()
            return
        self.saved()
        self.accept()
