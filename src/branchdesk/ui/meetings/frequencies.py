"""设置 → 会议频次: how often each meeting type is required (defaults of docs/domain.md).

The compliance calendar and the 工作台 reminders follow these; a 支委会 row appears only
when the branch has a committee, a 党小组会 row only per existing group."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from branchdesk.areas.meetings.rules import FREQUENCY_KEY
from branchdesk.domain.compliance import DEFAULT_FREQUENCIES
from branchdesk.domain.meetings import MeetingType
from branchdesk.store import Book

CHOICES = (
    ("month", "每月一次"),
    ("quarter", "每季度一次"),
    ("year", "每年一次"),
    ("none", "不作要求"),
)


class FrequencySettings(QWidget):
    changed = Signal()

    def __init__(self, book: Book, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.combos: dict[MeetingType, QComboBox] = {}
        form = QFormLayout()
        saved = book.settings.all(FREQUENCY_KEY)
        for kind in MeetingType:
            if kind == MeetingType.OTHER:
                continue
            combo = QComboBox()
            for value, label in CHOICES:
                combo.addItem(label, value)
            default = DEFAULT_FREQUENCIES.get(kind) or "none"
            current = saved.get(FREQUENCY_KEY + kind.value, default)
            combo.setCurrentIndex(max(combo.findData(current), 0))
            combo.currentIndexChanged.connect(lambda _i, k=kind: self._changed(k))
            self.combos[kind] = combo
            form.addRow(kind.value, combo)
        note = QLabel(
            "默认值：支部党员大会每季度、支委会每月、党小组会每月、党课每季度、主题党日每月、"
            "组织生活会和民主评议党员每年。没有支委会或党小组的支部不检查相应会议。"
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addStretch()

    def _changed(self, kind: MeetingType) -> None:
        value = self.combos[kind].currentData()
        default = DEFAULT_FREQUENCIES.get(kind) or "none"
        # Store only departures from the default, so a later change of defaults reaches
        # branches that never chose.
        self.book.settings.set(FREQUENCY_KEY + kind.value, "" if value == default else value)
        self.changed.emit()
