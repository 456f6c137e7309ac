"""出缺席 of one meeting: one row per person the meeting is for (出席 / 请假 with its reason /
缺席 with an optional note — the paper book tells 请假 from 无故缺席), those left out of
应到 shown apart with reason and basis, and the counts.

The widget keeps every status it has been given, so rebuilding the list for another date or
scope keeps what was already set for the people still in it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from branchdesk.domain.meetings import Attendance, AttendanceStatus, Exclusion, ExclusionReason
from branchdesk.domain.members import RosterEntry
from branchdesk.domain.strokes import sort_by_strokes

STATUSES = (AttendanceStatus.PRESENT, AttendanceStatus.LEAVE, AttendanceStatus.ABSENT)
#: What the text field of a row holds, by status.
REASON_HINTS = {
    AttendanceStatus.LEAVE: "请假原因（必填），如 出差",
    AttendanceStatus.ABSENT: "缺席说明（可不填），如 未请假、联系不上",
}


def _centered(widget: QWidget) -> QWidget:
    holder = QWidget()
    box = QHBoxLayout(holder)
    box.setContentsMargins(0, 0, 0, 0)
    box.setAlignment(Qt.AlignmentFlag.AlignCenter)
    box.addWidget(widget)
    return holder


def role_text(entry: RosterEntry) -> str:
    if entry.under_probation:
        return "留党察看（无表决权）"
    return "正式党员" if entry.has_vote else f"{entry.category.value}（无表决权）"


class AttendanceRow:
    """The controls of one person's row (tests click these)."""

    def __init__(self, entry: RosterEntry, on_change: object) -> None:
        self.entry = entry
        self.buttons = {s: QRadioButton() for s in STATUSES}
        self.present = self.buttons[AttendanceStatus.PRESENT]
        self.leave = self.buttons[AttendanceStatus.LEAVE]
        self.absent = self.buttons[AttendanceStatus.ABSENT]
        self.group = QButtonGroup()
        for s, b in self.buttons.items():
            b.setToolTip(f"{entry.member.name}：{s.value}")
            self.group.addButton(b)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(REASON_HINTS[AttendanceStatus.LEAVE])
        self.group.buttonToggled.connect(on_change)  # type: ignore[arg-type]
        self.reason.textChanged.connect(on_change)  # type: ignore[arg-type]

    def status(self) -> AttendanceStatus:
        for s, b in self.buttons.items():
            if b.isChecked():
                return s
        return AttendanceStatus.PRESENT

    def set(self, record: Attendance) -> None:
        self.buttons[record.status].setChecked(True)
        self.reason.setText(record.reason)
        self.follow_status()

    def follow_status(self) -> None:
        """The text field is the 请假 reason (required) or the 缺席 note (optional)."""
        status = self.status()
        self.reason.setEnabled(status in REASON_HINTS)
        if status in REASON_HINTS:
            self.reason.setPlaceholderText(REASON_HINTS[status])

    def value(self) -> Attendance:
        status = self.status()
        reason = self.reason.text().strip() if status in REASON_HINTS else ""
        return Attendance(status, reason)


class AttendanceWidget(QWidget):
    changed = Signal()

    NAME, ROLE, *STATUS_COLS, REASON = range(6)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entries: list[RosterEntry] = []  # the meeting's audience (in scope)
        self.kept: dict[int, Attendance] = {}  # every status set so far, by member id
        self.excluded: dict[int, Exclusion] = {}
        self.rows: dict[int, AttendanceRow] = {}
        self._building = False

        self.counts = QLabel()
        self.counts.setStyleSheet("font-weight: bold;")
        self.all_present_button = QPushButton("全部出席")
        self.all_present_button.setToolTip("把名单上的每个人都设为出席")
        self.all_present_button.clicked.connect(self.set_all_present)

        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(
            ["姓名", "身份", "出席", "请假", "缺席", "请假原因 / 缺席说明"]
        )
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        em = self.fontMetrics().horizontalAdvance("党")
        for col, chars in ((0, 8), (1, 10), (2, 2.5), (3, 2.5), (4, 2.5)):
            self.table.setColumnWidth(col, int(em * chars + 12))
        header.setSectionResizeMode(self.REASON, QHeaderView.ResizeMode.Stretch)

        self.excluded_table = QTableWidget(0, 4)
        self.excluded_table.setHorizontalHeaderLabels(["姓名", "不计入应到的原因", "依据", ""])
        self.excluded_table.verticalHeader().hide()
        self.excluded_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.excluded_table.setColumnWidth(0, int(em * 5 + 12))
        self.excluded_table.setColumnWidth(1, int(em * 12 + 12))
        self.excluded_table.horizontalHeader().setSectionResizeMode(
            2, QHeaderView.ResizeMode.Stretch
        )
        self.excluded_table.setMaximumHeight(int(em * 9))
        self.exclude_member = QComboBox()
        self.exclude_reason = QComboBox()
        for r in ExclusionReason:
            self.exclude_reason.addItem(r.value, r)
        self.exclude_basis = QLineEdit()
        self.exclude_basis.setPlaceholderText("依据，如：机关党委3月1日同意，3月10日党员大会通过")
        self.exclude_button = QPushButton("不计入应到")
        self.exclude_button.clicked.connect(self.add_exclusion)

        top = QHBoxLayout()
        top.addWidget(self.counts, 1)
        top.addWidget(self.all_present_button)
        add_row = QHBoxLayout()
        add_row.addWidget(self.exclude_member, 1)
        add_row.addWidget(self.exclude_reason, 2)
        add_row.addWidget(self.exclude_basis, 3)
        add_row.addWidget(self.exclude_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 3)
        note = QLabel(
            "经上级党组织同意、党员大会通过，可不计入应到会人数的党员"
            "（长期患病、出国半年以上、服刑、卧床、外出半年以上未转关系）："
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(self.excluded_table, 1)
        layout.addLayout(add_row)

    # -- building -------------------------------------------------------------------------
    def set_entries(self, entries: list[RosterEntry]) -> None:
        """Show these people (the meeting's audience on its date), keeping known statuses."""
        self._remember()
        self.entries = sort_by_strokes(entries, key=lambda e: e.member.name)
        self._rebuild()

    def set_state(self, attendance: dict[int, Attendance], excluded: dict[int, Exclusion]) -> None:
        self.kept = dict(attendance)
        self.excluded = dict(excluded)
        self._rebuild()

    def _remember(self) -> None:
        for mid, row in self.rows.items():
            self.kept[mid] = row.value()

    def _rebuild(self) -> None:
        self._building = True
        self.rows = {}
        shown = [e for e in self.entries if e.member.id not in self.excluded]
        self.table.setRowCount(len(shown))
        for r, entry in enumerate(shown):
            mid = entry.member.id or 0
            row = AttendanceRow(entry, self._row_changed)
            row.set(self.kept.get(mid, Attendance(AttendanceStatus.PRESENT)))
            self.rows[mid] = row
            self.table.setItem(r, self.NAME, QTableWidgetItem(entry.member.name))
            role = QTableWidgetItem(role_text(entry))
            if not entry.has_vote:
                role.setForeground(Qt.GlobalColor.darkGray)
            self.table.setItem(r, self.ROLE, role)
            for col, status in zip(self.STATUS_COLS, STATUSES, strict=True):
                self.table.setCellWidget(r, col, _centered(row.buttons[status]))
            self.table.setCellWidget(r, self.REASON, row.reason)
        self._rebuild_excluded()
        self._building = False
        self.changed.emit()

    def _rebuild_excluded(self) -> None:
        names = {e.member.id: e.member.name for e in self.entries}
        ids = [mid for mid in self.excluded if mid in names]
        self.excluded_table.setRowCount(len(ids))
        for r, mid in enumerate(ids):
            exclusion = self.excluded[mid]
            self.excluded_table.setItem(r, 0, QTableWidgetItem(names[mid]))
            item = QTableWidgetItem(exclusion.reason.value)
            item.setToolTip(exclusion.reason.value)
            self.excluded_table.setItem(r, 1, item)
            basis = QLineEdit(exclusion.basis)
            basis.setPlaceholderText("须注明上级同意和党员大会通过的依据")
            basis.textChanged.connect(lambda text, mid=mid: self._set_basis(mid, text))
            self.excluded_table.setCellWidget(r, 2, basis)
            restore = QPushButton("恢复计入")
            restore.clicked.connect(lambda _=False, mid=mid: self.remove_exclusion(mid))
            self.excluded_table.setCellWidget(r, 3, restore)
        self.exclude_member.clear()
        for e in self.entries:
            if e.member.id not in self.excluded:
                self.exclude_member.addItem(e.member.name, e.member.id)

    # -- editing --------------------------------------------------------------------------
    def _row_changed(self, *_args: object) -> None:
        if self._building:
            return
        for row in self.rows.values():
            row.follow_status()
        self.changed.emit()

    def set_status(self, member_id: int, status: AttendanceStatus, reason: str = "") -> None:
        row = self.rows[member_id]
        row.buttons[status].setChecked(True)
        if reason:
            row.reason.setText(reason)
        self._row_changed()

    def set_all_present(self) -> None:
        self._building = True
        for row in self.rows.values():
            row.present.setChecked(True)
        self._building = False
        self._row_changed()

    def add_exclusion(self) -> None:
        mid = self.exclude_member.currentData()
        if mid is None:
            return
        self._remember()
        self.excluded[mid] = Exclusion(
            ExclusionReason(self.exclude_reason.currentData()), self.exclude_basis.text().strip()
        )
        self.kept.pop(mid, None)  # not present: an excluded member who attends counts again
        self.exclude_basis.clear()
        self._rebuild()

    def remove_exclusion(self, member_id: int) -> None:
        self._remember()
        self.excluded.pop(member_id, None)
        self._rebuild()

    def _set_basis(self, member_id: int, text: str) -> None:
        old = self.excluded[member_id]
        self.excluded[member_id] = Exclusion(old.reason, text)
        self.changed.emit()

    # -- reading --------------------------------------------------------------------------
    def attendance(self) -> dict[int, Attendance]:
        """What is recorded for the people on the list now."""
        return {mid: row.value() for mid, row in self.rows.items()}

    def exclusions(self) -> dict[int, Exclusion]:
        ids = {e.member.id for e in self.entries}
        return {mid: x for mid, x in self.excluded.items() if mid in ids}

    def show_counts(self, text: str) -> None:
        self.counts.setText(text)
