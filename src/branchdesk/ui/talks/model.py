"""The talk list's table model: one row per talk (a year may hold 4,000)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from branchdesk.domain.dates import format_cn
from branchdesk.domain.talks import Talk

Index = QModelIndex | QPersistentModelIndex


class TalkTableModel(QAbstractTableModel):
    ID, DATE, TALKERS, OTHERS, KIND, TOPIC = range(6)
    HEADERS = ("编号", "日期", "谈话人", "谈话对象", "类型", "主题")

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Talk] = []
        self.names: dict[int, str] = {}

    def set_rows(self, rows: list[Talk], names: dict[int, str]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.names = names
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = 0) -> object:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        t = self.rows[index.row()]
        col = index.column()
        if col == self.ID:
            return str(t.id)
        if col == self.DATE:
            return format_cn(t.date)
        if col == self.TALKERS:
            return "、".join(self.names.get(i, "") for i in t.talkers)
        if col == self.OTHERS:
            return "、".join(self.names.get(i, "") for i in t.others)
        if col == self.KIND:
            return t.kind
        return t.topic
