"""登记积分: one item on one date for several members at once — one transaction, all or
nothing (anyone not scored that day is named and nothing is written)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from branchdesk.domain.dates import DateParseError
from branchdesk.domain.points import ItemCategory, Period, format_points, parse_points, scored_in
from branchdesk.domain.strokes import sort_by_strokes
from branchdesk.store import Book, InputError
from branchdesk.ui.widgets import DateLineEdit, error_label


class BatchDialog(QDialog):
    def __init__(
        self, book: Book, period: Period, chosen: list[int], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("登记积分")
        self.book = book
        self.saved: list[int] = []
        rules = book.points.scheme(period.year)
        assert rules is not None
        self.rules = rules
        self.item = QComboBox()
        # Manual items first: automatic ones come from the meetings and are rarely typed.
        for it in sorted(rules.items, key=lambda it: it.auto is not None):
            if it.category == ItemCategory.BASE:
                continue
            auto = "（会议自动计分）" if it.auto else ""
            label = f"{it.name}（{it.category.value} {format_points(it.points)}）{auto}"
            self.item.addItem(label, it.name)
        self.item.currentIndexChanged.connect(self._item_changed)
        self.date = DateLineEdit()
        today = dt.date.today()
        self.date.set_date(min(max(today, period.start), period.end))
        self.points = QLineEdit()
        self.count = QSpinBox()
        self.count.setRange(1, 99)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("如：参加社区志愿服务")
        self.members = QListWidget()
        people = [
            m for m in book.roster.members() if scored_in(m, period.start, period.end, rules.scored)
        ]
        for m in sort_by_strokes(people, key=lambda m: m.name):
            item = QListWidgetItem(f"{m.name}　{m.group_name}")
            item.setData(Qt.ItemDataRole.UserRole, m.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = Qt.CheckState.Checked if m.id in chosen else Qt.CheckState.Unchecked
            item.setCheckState(checked)
            self.members.addItem(item)
        all_button = QPushButton("全选")
        all_button.clicked.connect(lambda: self._check_all(Qt.CheckState.Checked))
        none_button = QPushButton("全不选")
        none_button.clicked.connect(lambda: self._check_all(Qt.CheckState.Unchecked))
        self.error = error_label()
        form = QFormLayout()
        form.addRow("项目", self.item)
        form.addRow("日期", self.date)
        form.addRow("每次分值", self.points)
        form.addRow("次数", self.count)
        form.addRow("原因", self.reason)
        picks = QHBoxLayout()
        picks.addWidget(all_button)
        picks.addWidget(none_button)
        picks.addStretch()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("登记")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(picks)
        layout.addWidget(self.members)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(520, 600)
        self._item_changed()

    def _check_all(self, state: Qt.CheckState) -> None:
        for n in range(self.members.count()):
            self.members.item(n).setCheckState(state)

    def _item_changed(self) -> None:
        it = self.rules.item(self.item.currentData() or "")
        self.points.setText(format_points(it.points) if it else "")

    def checked(self) -> list[int]:
        return [
            int(self.members.item(n).data(Qt.ItemDataRole.UserRole))
            for n in range(self.members.count())
            if self.members.item(n).checkState() == Qt.CheckState.Checked
        ]

    def save(self) -> None:
        try:
            day = self.date.date()
            if day is None:
                raise InputError("日期：不能为空")
            points = parse_points(self.points.text()) if self.points.text().strip() else None
            self.saved = self.book.points.add_batch(
                self.checked(),
                day,
                self.item.currentData(),
                points=points,
                count=self.count.value(),
                reason=self.reason.text(),
            )
        except (InputError, DateParseError, ValueError) as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.accept()
