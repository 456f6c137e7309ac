"""附件 of one talk (a signed scan of the record, a letter): kept inside the book.

A saved talk writes each file to the book at once; a new talk keeps them pending until its
first save, like the meeting form's attachments (whose file preparation this reuses)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from branchdesk.store import Book
from branchdesk.ui.meetings.attachments import FILE_FILTER, PreparedFile, prepare_file
from branchdesk.ui.widgets import confirm


class TalkAttachments(QWidget):
    def __init__(self, book: Book, talk_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.talk_id = talk_id
        self.pending: list[PreparedFile] = []
        self.list = QListWidget()
        self.list.setMaximumHeight(80)
        self.add_button = QPushButton("添加附件…")
        self.add_button.clicked.connect(self.choose_files)
        self.remove_button = QPushButton("删除附件")
        self.remove_button.clicked.connect(self.remove_selected)
        buttons = QVBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        if talk_id is not None:
            for info in book.talks.attachments(talk_id):
                self._show(f"{info.name}（{max(info.size // 1024, 1)} KB）", ("stored", info.id))

    def _show(self, text: str, key: tuple[str, int]) -> None:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, key)
        self.list.addItem(item)

    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "选择扫描件或照片", "", FILE_FILTER)
        for p in paths:
            self.add_file(Path(p))

    def add_file(self, path: Path) -> None:
        prepared = prepare_file(path, shrink=True)
        size = f"（{max(len(prepared.data) // 1024, 1)} KB）"
        if self.talk_id is None:
            self.pending.append(prepared)
            self._show(prepared.name + size, ("pending", len(self.pending) - 1))
        else:
            new_id = self.book.talks.add_attachment(
                self.talk_id, prepared.name, prepared.data, prepared.mime
            )
            self._show(prepared.name + size, ("stored", new_id))

    def remove_selected(self) -> None:
        items = self.list.selectedItems()
        if not items:
            return
        item = items[0]
        if not confirm(self, "删除附件", f"确定删除附件“{item.text()}”吗？"):
            return
        kind, key = item.data(Qt.ItemDataRole.UserRole)
        if kind == "stored":
            self.book.talks.delete_attachment(key)
        else:
            self.pending[key] = PreparedFile("", "", b"")  # keep the other keys stable
        self.list.takeItem(self.list.row(item))

    def store_pending(self, talk_id: int) -> None:
        """After the first save: write the files kept so far."""
        self.talk_id = talk_id
        for p in self.pending:
            if p.name:
                self.book.talks.add_attachment(talk_id, p.name, p.data, p.mime)
        self.pending = []
