"""Record one meeting completely: what the minutes page holds, attendance, resolutions and
attachments, with the rules checked while typing and explained in words.

A dialog rather than a page of a stacked widget: like MemberDialog it owns one draft and
one save, and the list behind it cannot change while it is open.

Rules are recomputed 300 ms after the last change of anything they depend on (types,
date, scope, attendance, resolutions); the content field only restarts the draft timer,
so typing stays smooth in long minutes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from branchdesk.domain.compliance import validate_meeting
from branchdesk.domain.dates import DateParseError
from branchdesk.domain.meetings import (
    Attendance,
    AttendanceStatus,
    Exclusion,
    ExclusionReason,
    Meeting,
    MeetingType,
    Scope,
    attendance_counts,
    chair_announcement,
    default_scope,
    default_year,
    expected_attendees,
    in_scope,
    meeting_quorum,
    resolution_passes,
)
from branchdesk.domain.members import roster_on
from branchdesk.domain.minutes import MeetingRecord
from branchdesk.meeting_rules import groups_of_members, rule_problems
from branchdesk.store import Book, BookError, InputError
from branchdesk.ui.agenda_widget import AgendaWidget
from branchdesk.ui.attachments_widget import AttachmentsWidget
from branchdesk.ui.attendance_widget import AttendanceWidget
from branchdesk.ui.drafts import DraftStore
from branchdesk.ui.meeting_fields import record_fields, resolution_from
from branchdesk.ui.resolutions_widget import ResolutionsWidget
from branchdesk.ui.widgets import DateLineEdit, confirm, error_label

RULES_DELAY_MS = 300
DRAFT_DELAY_MS = 500


class MeetingForm(QDialog):
    def __init__(
        self,
        book: Book,
        record: MeetingRecord | None = None,
        parent: QWidget | None = None,
        *,
        new_type: MeetingType | None = None,
    ) -> None:
        super().__init__(parent)
        self.book = book
        self.record = record
        self.meeting_id = record.id if record else None
        self.saved_id: int | None = None
        self.setWindowTitle("编辑会议记录" if record else "新建会议记录")
        self.resize(1180, 780)
        # Read once: the rules run often and must not query the book each time.
        self.members = book.roster.members()
        self.committee = book.branch.committee()
        self.groups_map = groups_of_members(book)
        self._built_key: tuple[Any, ...] | None = None
        self._applying = False
        self.year_auto = True
        self.scope_auto = True
        self.last_day = dt.date.today()

        self._build_widgets()
        self._build_layout()

        self._rules_timer = QTimer(self)
        self._rules_timer.setSingleShot(True)
        self._rules_timer.setInterval(RULES_DELAY_MS)
        self._rules_timer.timeout.connect(self.refresh_rules)
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.keep_draft)

        if record is not None:
            m = record.meeting
            self._apply(
                record_fields(
                    record,
                    year_auto=m.belongs_to_year == default_year(m.types, m.date),
                    scope_auto=m.scope == default_scope(m.types),
                )
            )
        else:
            self._apply(self._new_fields(new_type))
        self.attachments.load(record.attachments if record else ())
        self._connect_changes()
        self.refresh_rules()
        self._initial = self.snapshot()

        self.drafts = DraftStore(book)
        self.draft_key = f"meeting-{self.meeting_id}" if self.meeting_id else "meeting-new"
        self.restored_draft = False
        self._offer_draft()

    # -- building ---------------------------------------------------------------------------
    def _build_widgets(self) -> None:
        self.title = QLineEdit()
        self.title.setPlaceholderText("如：11月主题党日暨支部党员大会")
        self.type_boxes = {t: QCheckBox(t.value) for t in MeetingType}
        self.date = DateLineEdit()
        self.start_time = QLineEdit()
        self.start_time.setPlaceholderText("14:30")
        self.end_time = QLineEdit()
        self.end_time.setPlaceholderText("16:30")
        for edit in (self.start_time, self.end_time):
            edit.setMaximumWidth(80)
        self.year = QSpinBox()
        self.year.setRange(1990, 2100)
        self.year.setSuffix(" 年度")
        self.year.setToolTip("上一年度的组织生活会、民主评议可在次年初召开，归入上一年度")
        self.scope = QComboBox()
        for s in Scope:
            self.scope.addItem(s.value, s)
        self.group = QComboBox()
        self.group.addItem("（选择党小组）", None)
        for g in self.book.branch.groups():
            self.group.addItem(g.name, g.id)
        self.place = QLineEdit()
        self.host = QComboBox()
        self.recorder = QComboBox()
        for combo in (self.host, self.recorder):
            combo.setEditable(True)
            combo.setMinimumWidth(120)
        self.guests = QLineEdit()
        self.guests.setPlaceholderText("列席人员，如：机关党委组织部 张科长")
        self.lecturer = QLineEdit()
        self.topic = QLineEdit()
        self.theme = QLineEdit()
        self.theme.setPlaceholderText("主题党日的主题和活动")

        self.agenda = AgendaWidget()
        self.content = QPlainTextEdit()
        self.content.setPlaceholderText("会议内容、发言要点（含不同意见）")

        self.attendance = AttendanceWidget()
        self.resolutions = ResolutionsWidget()
        self.attachments = AttachmentsWidget(self.book, self.meeting_id)

        self.rules = QLabel()
        self.rules.setWordWrap(True)
        self.rules.setTextFormat(Qt.TextFormat.RichText)
        self.rules.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.rules.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error = error_label()

    def _build_layout(self) -> None:
        basic = QWidget()
        form = QFormLayout(basic)
        form.addRow("会议名称 *", self.title)
        types = QGridLayout()
        for n, box in enumerate(self.type_boxes.values()):
            types.addWidget(box, n // 4, n % 4)
        form.addRow("会议类型 *", types)
        when = QHBoxLayout()
        when.addWidget(self.date, 2)
        when.addWidget(QLabel("时间"))
        when.addWidget(self.start_time)
        when.addWidget(QLabel("至"))
        when.addWidget(self.end_time)
        when.addWidget(QLabel("所属年度"))
        when.addWidget(self.year)
        form.addRow("日期 *", when)
        scope = QHBoxLayout()
        scope.addWidget(self.scope)
        scope.addWidget(self.group)
        scope.addStretch()
        form.addRow("参加范围", scope)
        form.addRow("地点", self.place)
        people = QHBoxLayout()
        people.addWidget(self.host, 1)
        people.addWidget(QLabel("记录人"))
        people.addWidget(self.recorder, 1)
        form.addRow("主持人", people)
        form.addRow("列席", self.guests)
        form.addRow("党课主讲人", self.lecturer)
        form.addRow("党课题目", self.topic)
        form.addRow("主题党日", self.theme)
        self.basic_form = form

        agenda_box = QWidget()
        agenda = QVBoxLayout(agenda_box)
        agenda.addWidget(QLabel("议题（按顺序）"))
        agenda.addWidget(self.agenda)
        agenda.addWidget(QLabel("会议内容"))
        agenda.addWidget(self.content, 1)

        self.tabs = QTabWidget()
        self.tabs.addTab(basic, "基本信息")
        self.tabs.addTab(self.attendance, "出缺席")
        self.tabs.addTab(agenda_box, "议题与内容")
        self.tabs.addTab(self.resolutions, "决议")
        self.tabs.addTab(self.attachments, "附件")

        panel = QWidget()
        side = QVBoxLayout(panel)
        heading = QLabel("规则检查")
        heading.setStyleSheet("font-size: 15px; font-weight: bold;")
        side.addWidget(heading)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.rules)
        self.rules.setMargin(6)
        side.addWidget(scroll)
        splitter = QSplitter()
        splitter.addWidget(self.tabs)
        splitter.addWidget(panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([820, 340])

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("保存 (Ctrl+S)")
        self.save_button.setAutoDefault(False)
        self.save_button.setDefault(False)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _connect_changes(self) -> None:
        structural = self._structure_changed
        for box in self.type_boxes.values():
            box.toggled.connect(self._types_changed)
        self.date.textChanged.connect(structural)
        self.scope.currentIndexChanged.connect(self._scope_edited)
        self.group.currentIndexChanged.connect(structural)
        self.year.valueChanged.connect(self._year_edited)
        self.attendance.changed.connect(self._attendance_changed)
        self.resolutions.changed.connect(structural)
        for edit in (self.title, self.start_time, self.end_time, self.place, self.guests,
                     self.lecturer, self.topic, self.theme):  # fmt: skip
            edit.textChanged.connect(self._draft_timer.start)
        for combo in (self.host, self.recorder):
            combo.currentTextChanged.connect(self._draft_timer.start)
        self.agenda.changed.connect(self._draft_timer.start)
        self.content.textChanged.connect(self._draft_timer.start)

    # -- fields in and out ------------------------------------------------------------------
    def _new_fields(self, new_type: MeetingType | None) -> dict[str, Any]:
        today = dt.date.today()
        types = frozenset({new_type}) if new_type else frozenset()
        template = self.book.meetings.last_of_type(new_type) if new_type else None
        title = f"{today.month}月{new_type.value}" if new_type else ""
        meeting = Meeting(types=types, date=today, title=title)
        record = MeetingRecord(meeting=meeting)
        if template is not None:
            t = template.meeting
            meeting = Meeting(
                types=types, date=today, title=title, scope=t.scope, group_id=t.group_id
            )
            record = MeetingRecord(
                meeting=meeting,
                start_time=template.start_time,
                end_time=template.end_time,
                place=template.place,
                host=template.host,
                recorder=template.recorder,
                agenda=template.agenda,
            )
        m = record.meeting
        return record_fields(record, year_auto=True, scope_auto=m.scope == default_scope(types))

    def _apply(self, f: dict[str, Any]) -> None:
        """Put plain fields into the widgets (a loaded record, a template or a draft)."""
        self._applying = True
        self.title.setText(f.get("title", ""))
        chosen = set(f.get("types", []))
        for t, box in self.type_boxes.items():
            box.setChecked(t.value in chosen)
        self.date.setText(f.get("date", ""))
        self.start_time.setText(f.get("start_time", ""))
        self.end_time.setText(f.get("end_time", ""))
        self.year_auto = bool(f.get("year_auto", True))
        self.scope_auto = bool(f.get("scope_auto", True))
        self.year.setValue(int(f.get("year") or dt.date.today().year))
        self.scope.setCurrentIndex(max(self.scope.findData(Scope(f.get("scope", "全体党员"))), 0))
        self.group.setCurrentIndex(max(self.group.findData(f.get("group_id")), 0))
        self.place.setText(f.get("place", ""))
        self.guests.setText(f.get("guests", ""))
        self.lecturer.setText(f.get("lecturer", ""))
        self.topic.setText(f.get("topic", ""))
        self.theme.setText(f.get("theme", ""))
        self.agenda.set_items(f.get("agenda", []))
        self.content.setPlainText(f.get("content", ""))
        self.attendance.set_state(
            {int(k): Attendance(AttendanceStatus(v[0]), v[1]) for k, v in f["attendance"].items()},
            {int(k): Exclusion(ExclusionReason(v[0]), v[1]) for k, v in f["excluded"].items()},
        )
        self._built_key = None
        self._rebuild_people()
        self.host.setCurrentText(f.get("host", ""))
        self.recorder.setCurrentText(f.get("recorder", ""))
        self.resolutions.set_resolutions(tuple(resolution_from(d) for d in f["resolutions"]))
        self._show_type_fields()
        self._applying = False

    def snapshot(self) -> dict[str, Any]:
        record = self._record()
        return record_fields(record, year_auto=self.year_auto, scope_auto=self.scope_auto) | {
            "date": self.date.text()  # as typed, even when not (yet) a valid date
        }

    def _day(self) -> dt.date:
        """The date typed, or the last valid one while it is being typed."""
        try:
            day = self.date.date()
        except DateParseError:
            day = None
        if day is not None:
            self.last_day = day
        return self.last_day

    def _types(self) -> frozenset[MeetingType]:
        return frozenset(t for t, box in self.type_boxes.items() if box.isChecked())

    def _scope(self) -> Scope:
        return Scope(self.scope.currentData())

    def _meeting(self) -> Meeting:
        scope = self._scope()
        return Meeting(
            types=self._types(),
            date=self._day(),
            belongs_to_year=self.year.value(),
            scope=scope,
            group_id=self.group.currentData() if scope == Scope.GROUP else None,
            attendance=self.attendance.attendance(),
            excluded=self.attendance.exclusions(),
            resolutions=self.resolutions.resolutions(),
            title=self.title.text().strip(),
            id=self.meeting_id,
        )

    def _record(self) -> MeetingRecord:
        return MeetingRecord(
            meeting=self._meeting(),
            start_time=self.start_time.text().strip(),
            end_time=self.end_time.text().strip(),
            place=self.place.text().strip(),
            host=self.host.currentText().strip(),
            recorder=self.recorder.currentText().strip(),
            guests=self.guests.text().strip(),
            agenda=self.agenda.items(),
            content=self.content.toPlainText(),
            lecturer=self.lecturer.text().strip(),
            topic=self.topic.text().strip(),
            theme=self.theme.text().strip(),
        )

    # -- reacting to changes ----------------------------------------------------------------
    def _types_changed(self) -> None:
        if self._applying:
            return
        types = self._types()
        if self.scope_auto:
            self._set_quietly(self.scope, lambda: self.scope.setCurrentIndex(
                self.scope.findData(default_scope(types))))  # fmt: skip
        self._follow_year()
        self._show_type_fields()
        self._structure_changed()

    def _follow_year(self) -> None:
        if self.year_auto:
            value = default_year(self._types(), self._day())
            self._set_quietly(self.year, lambda: self.year.setValue(value))

    @staticmethod
    def _set_quietly(widget: QWidget, change: Any) -> None:
        widget.blockSignals(True)
        change()
        widget.blockSignals(False)

    def _year_edited(self) -> None:
        if self._applying:
            return
        self.year_auto = False
        self._structure_changed()

    def _scope_edited(self) -> None:
        if self._applying:
            return
        self.scope_auto = False
        self._structure_changed()

    def _show_type_fields(self) -> None:
        types = self._types()
        lecture = MeetingType.LECTURE in types
        for w in (self.lecturer, self.topic):
            self.basic_form.setRowVisible(w, lecture)
        self.basic_form.setRowVisible(self.theme, MeetingType.THEME_DAY in types)
        self.group.setEnabled(self._scope() == Scope.GROUP)

    def _structure_changed(self, *_args: object) -> None:
        if self._applying:
            return
        self.group.setEnabled(self._scope() == Scope.GROUP)
        self._rules_timer.start()
        self._draft_timer.start()

    def _attendance_changed(self) -> None:
        if self._applying:
            return
        self._show_counts(self._meeting())
        self._rules_timer.start()
        self._draft_timer.start()

    def _rebuild_people(self) -> None:
        """Date or scope changed: the people on the list, in the name combos, as candidates."""
        m = self._meeting()
        key = (m.date, m.scope, m.group_id)
        if key == self._built_key:
            return
        self._built_key = key
        entries = roster_on(self.members, m.date)
        self.attendance.set_entries(in_scope(m, entries, self.committee, self.groups_map))
        names = [e.member.name for e in entries]
        for combo in (self.host, self.recorder):
            text = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(names)
            combo.setCurrentText(text)
            combo.blockSignals(False)
        # 发展 candidates may not be on the roll yet: offer those not yet joined as well.
        candidates = [e.member for e in entries] + [
            mm for mm in self.members if mm.join_date is None or mm.join_date > m.date
        ]
        self.resolutions.set_candidates([(mm.id or 0, mm.name) for mm in candidates])

    def _show_counts(self, m: Meeting) -> None:
        expected = expected_attendees(m, roster_on(self.members, m.date), self.committee,
                                      self.groups_map)  # fmt: skip
        c = attendance_counts(m, expected)
        text = f"应到 {c.expected} 人　实到 {c.present} 人　请假 {c.on_leave} 人　"
        text += f"缺席 {c.absent} 人"
        if c.excluded:
            text += f"　不计入应到 {c.excluded} 人"
        if m.decides_as == MeetingType.GENERAL:
            text += f"　（有表决权：应到 {c.voting_expected} 人，实到 {c.voting_present} 人）"
        self.attendance.show_counts(text)

    def refresh_rules(self) -> None:
        """The rules, in words: what the chair announces, each vote, every problem."""
        self._rules_timer.stop()
        self._follow_year()
        self._rebuild_people()
        m = self._meeting()
        entries = roster_on(self.members, m.date)
        expected = expected_attendees(m, entries, self.committee, self.groups_map)
        counts = attendance_counts(m, expected)
        self._show_counts(m)
        problems = validate_meeting(m, entries, self.committee, self.groups_map)
        parts = [f"<p><b>到会情况</b><br>{chair_announcement(m, counts)}</p>"]
        q = meeting_quorum(m, counts)
        if q is not None:
            colour = "#1b5e20" if q.ok else "#b00020"
            parts.append(f"<p style='color:{colour}'>{q.message}</p>")
            if not q.ok:
                parts.append("<p>不足规定人数的会议可作为学习会记录保存，但决议不能记为通过。</p>")
        for i, (r, editor) in enumerate(zip(m.resolutions, self.resolutions.editors, strict=True)):
            vote = resolution_passes(m, r, counts)
            own = [p.message for p in problems if p.resolution_index == i]
            editor.show_verdict(vote.ok, vote.message, own)
            parts.append(f"<p><b>第{i + 1}项决议</b>：{vote.message}</p>")
        if problems:
            items = "".join(f"<li>{p.message}</li>" for p in problems)
            parts.append(f"<p style='color:#b00020'><b>需要处理</b></p><ul>{items}</ul>")
        else:
            parts.append("<p style='color:#1b5e20'>未发现不符合规定之处。</p>")
        self.rules.setText("".join(parts))

    # -- drafts -----------------------------------------------------------------------------
    def keep_draft(self) -> None:
        snap = self.snapshot()
        if snap == self._initial:
            self.drafts.discard(self.draft_key)
        else:
            self.drafts.save(self.draft_key, snap)

    def _offer_draft(self) -> None:
        draft = self.drafts.load(self.draft_key)
        if not draft or draft == self._initial:
            return
        what = draft.get("title") or "（未填会议名称）"
        if not confirm(self, "恢复未保存的内容", f"上次填写的“{what}”还没有保存。要恢复吗？"):
            self.drafts.discard(self.draft_key)
            return
        try:
            self._apply(draft)
        except (KeyError, ValueError, TypeError):  # a draft from an older form: start afresh
            self.drafts.discard(self.draft_key)
            return
        self.refresh_rules()
        self.restored_draft = True

    def done(self, result: int) -> None:
        self._draft_timer.stop()
        self._rules_timer.stop()
        super().done(result)

    # -- save / cancel ----------------------------------------------------------------------
    def _collect(self) -> MeetingRecord:
        try:
            day = self.date.date()
        except DateParseError as exc:
            raise InputError(f"日期：{exc}") from exc
        if day is None:
            raise InputError("日期：不能为空")
        self.last_day = day
        return self._record()

    def save(self) -> None:
        try:
            record = self._collect()
            self.saved_id = self.book.meetings.save(
                record, check=lambda r: rule_problems(self.book, r)
            )
        except (InputError, BookError) as exc:  # busy, disk full, read-only: the form stays
            self.refresh_rules()
            self.error.setText("未保存：" + str(exc).replace("；", "\n"))
            self.error.show()
            return
        self.attachments.store_pending(self.saved_id)
        self.drafts.discard(self.draft_key)
        self.accept()

    def reject(self) -> None:
        if self.snapshot() != self._initial and not confirm(
            self, "放弃修改", "填写的内容还没有保存，确定要放弃吗？"
        ):
            return
        self.drafts.discard(self.draft_key)
        super().reject()
