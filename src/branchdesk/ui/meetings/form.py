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

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
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

from branchdesk.areas.meetings.rules import groups_of_members, rule_problems
from branchdesk.areas.meetings.templates import new_meeting_record
from branchdesk.domain.dates import DateParseError
from branchdesk.domain.meetings import (
    Attendance,
    AttendanceStatus,
    Exclusion,
    ExclusionReason,
    Meeting,
    MeetingType,
    ResolutionKind,
    Scope,
    candidates_for,
    default_scope,
    default_year,
    in_scope,
)
from branchdesk.domain.members import Member, roster_on
from branchdesk.domain.minutes import MeetingRecord
from branchdesk.store import Book, BookError, InputError
from branchdesk.ui.attachments import AttachmentsWidget, MeetingFiles
from branchdesk.ui.drafts import DraftStore
from branchdesk.ui.forms import RecordDialog
from branchdesk.ui.meetings.agenda import AgendaWidget
from branchdesk.ui.meetings.attendance import AttendanceWidget
from branchdesk.ui.meetings.fields import record_fields, resolution_from
from branchdesk.ui.meetings.resolutions import ResolutionsWidget
from branchdesk.ui.meetings.rules_panel import RulesPanel
from branchdesk.ui.widgets import DateLineEdit, confirm, fit_to_screen

RULES_DELAY_MS = 300
DRAFT_DELAY_MS = 500


class MeetingForm(RecordDialog):
    def __init__(
        self,
        book: Book,
        record: MeetingRecord | None = None,
        parent: QWidget | None = None,
        *,
        new_type: MeetingType | None = None,
        restore_draft: bool = False,
    ) -> None:
        super().__init__(parent)
        self.book = book
        self.record = record
        self.meeting_id = record.id if record else None
        self.saved_id: int | None = None
        self.setWindowTitle("编辑会议记录" if record else "新建会议记录")
        fit_to_screen(self, 1180, 780)
        # Read once: the rules run often and must not query the book each time.
        self.members = book.roster.members()
        self.committee = book.branch.committee()
        #: member → 党小组 as of a day (membership is effective-dated), read once per day.
        self._groups_by_day: dict[dt.date, dict[int, int | None]] = {}
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
        # A meeting of a filed year opens read-only, with the reason and its corrections.
        from branchdesk.ui.archive.corrections import lock_if_filed

        year = record.meeting.belongs_to_year if record else 0
        self.filed = lock_if_filed(self, book, "meeting", self.meeting_id, year)
        if self.filed:
            self.setWindowTitle("查看会议记录（已归档）")
        else:
            self._offer_draft(ask=not restore_draft)

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
        self.attachments = AttachmentsWidget(self.book, self.meeting_id, MeetingFiles(self.book))

        self.rules = RulesPanel(self.committee)

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

        # Enter in a field must not save a half-typed record.
        self.save_button.setAutoDefault(False)
        self.save_button.setDefault(False)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        self.finish_layout(layout)

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
        record = new_meeting_record(self.book, new_type, dt.date.today())
        types = record.meeting.types
        scope_auto = record.meeting.scope == default_scope(types)
        return record_fields(record, year_auto=True, scope_auto=scope_auto)

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

    def _groups_on(self, day: dt.date) -> dict[int, int | None]:
        if day not in self._groups_by_day:
            self._groups_by_day[day] = groups_of_members(self.book, day)
        return self._groups_by_day[day]

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
        self.attendance.set_entries(in_scope(m, entries, self.committee, self._groups_on(m.date)))
        names = [e.member.name for e in entries]
        for combo in (self.host, self.recorder):
            text = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(names)
            combo.setCurrentText(text)
            combo.blockSignals(False)

        # 发展 offers those not yet members (admitted at this meeting, or not yet entered
        # with a date), 转正 the 预备党员 of the day; 选举 anyone on the roll.
        def pairs(people: list[Member]) -> list[tuple[int, str]]:
            return [(mm.id or 0, mm.name) for mm in people]

        self.resolutions.set_candidates(
            {
                None: pairs([e.member for e in entries]),
                ResolutionKind.ADMISSION: pairs(
                    candidates_for(ResolutionKind.ADMISSION, self.members, m.date)
                ),
                ResolutionKind.CONFIRMATION: pairs(
                    candidates_for(ResolutionKind.CONFIRMATION, self.members, m.date)
                ),
            }
        )

    def _show_counts(self, m: Meeting) -> None:
        entries = roster_on(self.members, m.date)
        self.attendance.show_counts(self.rules.counts_line(m, entries, self._groups_on(m.date)))

    def refresh_rules(self) -> None:
        """The rules, in words: what the chair announces, each vote, every problem."""
        self._rules_timer.stop()
        self._follow_year()
        self._rebuild_people()
        m = self._meeting()
        entries = roster_on(self.members, m.date)
        groups = self._groups_on(m.date)
        self.attendance.show_counts(self.rules.counts_line(m, entries, groups))
        self.rules.show_rules(
            m, entries, self.resolutions.editors, groups, self.members, self._cannot_judge()
        )

    def _cannot_judge(self) -> str:
        """Why the rules cannot be checked yet (the date is missing or unreadable)."""
        try:
            day = self.date.date()
        except DateParseError as exc:
            return f"会议日期{exc}。填好日期后才能检查应到人数和是否符合规定。"
        if day is None:
            return "还没有填写会议日期。填好日期后才能检查应到人数和是否符合规定。"
        return ""

    # -- drafts -----------------------------------------------------------------------------
    def keep_draft(self) -> None:
        if getattr(self, "filed", False):
            return
        snap = self.snapshot()
        if snap == self._initial:
            self.drafts.discard(self.draft_key)
        else:
            self.drafts.save(self.draft_key, snap)

    def _offer_draft(self, ask: bool = True) -> None:
        """``ask=False``: the user already chose to continue it (offered at start-up)."""
        draft = self.drafts.load(self.draft_key)
        if not draft or draft == self._initial:
            return
        what = draft.get("title") or "（未填会议名称）"
        if ask and not confirm(
            self,
            "恢复未保存的内容",
            f"上次填写的“{what}”还没有保存。要恢复吗？\n\n选“否”将丢弃这份未保存的内容。",
        ):
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

    def write(self) -> None:
        record = self._collect()
        self.saved_id = self.book.meetings.save(record, check=lambda r: rule_problems(self.book, r))

    def refused(self, exc: InputError | BookError) -> None:
        self.refresh_rules()

    def saved(self) -> None:
        assert self.saved_id is not None
        self.attachments.store_pending(self.saved_id)
        self.drafts.discard(self.draft_key)

    def reject(self) -> None:
        if self.snapshot() != self._initial and not confirm(
            self, "放弃修改", "填写的内容还没有保存，确定要放弃吗？"
        ):
            return
        self.drafts.discard(self.draft_key)
        super().reject()
