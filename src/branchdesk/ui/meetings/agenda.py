"""议题: an ordered list, added by typing and Enter, edited in place, moved up and down."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class AgendaWidget(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setMaximumHeight(130)
        self.input = QLineEdit()
        self.input.setPlaceholderText("输入议题后按回车添加；双击议题可修改")
        self.input.returnPressed.connect(self.add_item)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        row.addWidget(self.input, 1)
        for name, slot in (
            ("添加", self.add_item),
            ("删除", self.remove_item),
            ("上移", lambda: self.move_item(-1)),
            ("下移", lambda: self.move_item(1)),
        ):
            button = QPushButton(name)
            button.clicked.connect(slot)
            self.buttons[name] = button
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.list)
        model = self.list.model()
        for sig in (model.rowsInserted, model.rowsRemoved, model.rowsMoved, model.dataChanged):
            sig.connect(self.changed)

    def items(self) -> tuple[str, ...]:
        return tuple(self.list.item(i).text() for i in range(self.list.count()))

    def set_items(self, texts: list[str] | tuple[str, ...]) -> None:
        self.list.clear()
        for text in texts:
            self._append(text)

    def _append(self, text: str) -> None:
        item = QListWidgetItem(text)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self.list.addItem(item)

    def add_item(self) -> None:
        text = self.input.text().strip()
        if text:
            self._append(text)
            self.input.clear()

    def remove_item(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)

    def move_item(self, step: int) -> None:
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.list.count():
            return
        item = self.list.takeItem(row)
        self.list.insertItem(target, item)
        self.list.setCurrentRow(target)
