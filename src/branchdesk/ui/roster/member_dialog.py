"""Add or edit one member. Errors are shown in words that name the field; nothing is saved
until every field is valid.

Beside the record, the two facts the points book needs — 离退休 (from a date) and 流动党员
(periods from–to with the 流出地) — are shown and edited here. They stay effective-dated
member events (the same as in 组织关系变动), written in the member's own transaction: a
fact that cannot be recorded leaves the member unsaved too. Changing or removing one
already recorded is a correction and needs its reason (the audit trail keeps both)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from branchdesk.domain.dates import DateParseError, format_cn
from branchdesk.domain.idcard import IdNumberError, parse_id
from branchdesk.domain.members import (
    EDUCATION_LEVELS,
    GENDERS,
    Category,
    EventKind,
    Member,
    MembershipEvent,
    category_from_record,
)
from branchdesk.store import Book, InputError
from branchdesk.ui.drafts import DraftStore
from branchdesk.ui.forms import RecordDialog
from branchdesk.ui.widgets import DateLineEdit, confirm

ETHNICITIES = (
    "汉族",
    "回族",
    "满族",
    "蒙古族",
    "藏族",
    "维吾尔族",
    "壮族",
    "苗族",
    "彝族",
    "土家族",
)


class MemberDialog(RecordDialog):
    def __init__(
        self,
        book: Book,
        member: Member | None = None,
        parent: QWidget | None = None,
        *,
        restore_draft: bool = False,
    ):
        super().__init__(parent)
        self.book = book
        self.member = member
        self.saved_id: int | None = None
        self.setWindowTitle("编辑党员信息" if member else "新增党员")
        self.setMinimumWidth(820)

        self.name = QLineEdit()
        self.gender = QComboBox()
        self.gender.addItems(["", *GENDERS])
        self.ethnicity = QComboBox()
        self.ethnicity.setEditable(True)
        self.ethnicity.addItems(ETHNICITIES)
        self.birth = DateLineEdit(allow_month=True)
        self.id_number = QLineEdit()
        self.id_number.setPlaceholderText("18位，末位可为 X")
        self.id_number.editingFinished.connect(self._fill_from_id)
        self.education = QComboBox()
        self.education.setEditable(True)
        self.education.addItems(["", *EDUCATION_LEVELS])
        # 人员类别 is never typed: it follows from the 转正日期 (or the 转正 event).
        self.category = QLabel()
        self.join_date = DateLineEdit()
        self.full_date = DateLineEdit()
        self.full_date.textChanged.connect(self._show_category)
        confirmed = member is not None and any(
            e.kind == EventKind.CONFIRMED for e in member.events
        )
        if member is None or member.category == Category.PROBATIONARY:
            self.full_date.setPlaceholderText("新转正请在“组织关系变动”中登记“转正”")
        if confirmed:
            self.full_date.setReadOnly(True)
            self.full_date.setToolTip("由“转正”变动决定；如有误，请在“组织关系变动”中更正")
        self.post = QLineEdit()
        self.phone = QLineEdit()
        self.group = QComboBox()
        self.group.addItem("（未分组）", None)
        for g in book.branch.groups():
            self.group.addItem(g.name, g.id)
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(60)

        form = QFormLayout()
        form.addRow("姓名 *", self.name)
        row = QHBoxLayout()
        row.addWidget(self.gender)
        row.addWidget(self.ethnicity)
        form.addRow("性别 / 民族", row)
        form.addRow("公民身份号码", self.id_number)
        form.addRow("出生日期", self.birth)
        form.addRow("学历", self.education)
        form.addRow("人员类别", self.category)
        form.addRow("入党日期", self.join_date)
        form.addRow("转正日期", self.full_date)
        form.addRow("工作岗位", self.post)
        form.addRow("联系电话", self.phone)
        form.addRow("党小组", self.group)
        form.addRow("备注", self.notes)

        left = QVBoxLayout()
        left.addLayout(form)
        left.addStretch()  # the taller right column must not stretch the record's rows
        columns = QHBoxLayout()
        columns.addLayout(left, 3)
        columns.addWidget(self._facts_box(), 2)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        self.finish_layout(layout)
        if member:
            self._load(member)
        self._show_category()
        self._initial = self._snapshot()
        self._initial_facts = self._facts_snapshot()

        # Keep what is typed on disk (half a second after the last change) until saved
        # or discarded; offer it back next time this form is opened.
        self.drafts = DraftStore(book)
        self.draft_key = f"member-{member.id}" if member and member.id else "member-new"
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(500)
        self._draft_timer.timeout.connect(self.keep_draft)
        for edit in (
            self.name,
            self.birth,
            self.id_number,
            self.join_date,
            self.full_date,
            self.post,
            self.phone,
        ):
            edit.textChanged.connect(self._draft_timer.start)
        for combo in (self.gender, self.ethnicity, self.education, self.group):
            combo.currentTextChanged.connect(self._draft_timer.start)
        self.notes.textChanged.connect(self._draft_timer.start)
        self.retired.textChanged.connect(self._draft_timer.start)
        self.restored_draft = False
        self._offer_draft(ask=not restore_draft)

    # -- 离退休 and 流动党员 ------------------------------------------------------------
    def _facts_box(self) -> QGroupBox:
        box = QGroupBox("离退休、流动党员（按日期生效）")
        self.retired = DateLineEdit()
        self.retired.setPlaceholderText("未离退休留空，如 2026-03-01")
        #: The 流动 periods as the list shows them: (event id or None, from, to, 流出地).
        self.mobile_rows: list[tuple[int | None, dt.date, dt.date | None, str]] = []
        self.mobile = QTableWidget(0, 3)
        self.mobile.setHorizontalHeaderLabels(("流出时间", "返回时间", "流出地"))
        self.mobile.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.mobile.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.mobile.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.mobile.verticalHeader().hide()
        header = self.mobile.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.mobile.setMinimumHeight(110)
        self.mobile.itemSelectionChanged.connect(self._mobile_selected)
        self.mobile_from = DateLineEdit()
        self.mobile_to = DateLineEdit()
        self.mobile_to.setPlaceholderText("未返回留空")
        self.mobile_place = QLineEdit()
        self.mobile_place.setPlaceholderText("如 广东省深圳市")
        self.add_mobile_button = QPushButton("添加")
        self.add_mobile_button.clicked.connect(self.add_mobile)
        self.change_mobile_button = QPushButton("修改所选")
        self.change_mobile_button.clicked.connect(self.change_mobile)
        self.remove_mobile_button = QPushButton("删除所选")
        self.remove_mobile_button.clicked.connect(self.remove_mobile)
        self.fact_reason = QLineEdit()
        self.fact_reason.setPlaceholderText("更改或删除已登记的日期时必填")
        self.mobile_error = QLabel()
        self.mobile_error.setStyleSheet("color: #b00020;")
        self.mobile_error.setWordWrap(True)
        form = QFormLayout(box)
        form.addRow("离退休时间", self.retired)
        form.addRow(QLabel("流动党员（外出期间）："))
        form.addRow(self.mobile)
        form.addRow("流出时间", self.mobile_from)
        form.addRow("返回时间", self.mobile_to)
        form.addRow("流出地", self.mobile_place)
        buttons = QHBoxLayout()
        for b in (self.add_mobile_button, self.change_mobile_button, self.remove_mobile_button):
            buttons.addWidget(b)
        form.addRow(buttons)
        form.addRow(self.mobile_error)
        form.addRow("更正原因", self.fact_reason)
        return box

    def _load_facts(self, m: Member) -> None:
        retired = [e for e in m.events if e.kind == EventKind.RETIRED]
        self.retired.set_date(min(e.date for e in retired) if retired else None)
        self.mobile_rows = [
            (e.id, e.date, e.end_date, e.note)
            for e in sorted(m.events, key=lambda e: (e.date, e.id or 0))
            if e.kind == EventKind.MOBILE
        ]
        self._show_mobile()

    def _show_mobile(self) -> None:
        if hasattr(self, "_draft_timer"):  # not while the dialog is being built
            self._draft_timer.start()
        self.mobile.setRowCount(len(self.mobile_rows))
        for n, (_id, start, end, place) in enumerate(self.mobile_rows):
            for c, text in enumerate((format_cn(start), format_cn(end) or "未返回", place)):
                self.mobile.setItem(n, c, QTableWidgetItem(text))

    def _mobile_selected(self) -> None:
        n = self._selected_mobile()
        if n is None:
            return
        _id, start, end, place = self.mobile_rows[n]
        self.mobile_from.set_date(start)
        self.mobile_to.set_date(end)
        self.mobile_place.setText(place)

    def _selected_mobile(self) -> int | None:
        rows = self.mobile.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _typed_mobile(self) -> tuple[dt.date, dt.date | None, str] | None:
        """The period in the three fields, or None (the problem shown under them)."""
        try:
            start = self.mobile_from.date()
            end = self.mobile_to.date()
        except DateParseError as exc:
            self.mobile_error.setText(f"流动党员：{exc}")
            return None
        if start is None:
            self.mobile_error.setText("流出时间：请填写")
            return None
        if end is not None and end < start:
            self.mobile_error.setText("返回时间：早于流出时间")
            return None
        self.mobile_error.setText("")
        return start, end, self.mobile_place.text().strip()

    def _clear_mobile_fields(self) -> None:
        for edit in (self.mobile_from, self.mobile_to, self.mobile_place):
            edit.clear()
        self.mobile.clearSelection()

    def add_mobile(self) -> None:
        typed = self._typed_mobile()
        if typed is None:
            return
        self.mobile_rows.append((None, *typed))
        self._show_mobile()
        self._clear_mobile_fields()

    def change_mobile(self) -> None:
        n = self._selected_mobile()
        if n is None:
            self.mobile_error.setText("请先在列表中选中一条流动记录")
            return
        typed = self._typed_mobile()
        if typed is None:
            return
        self.mobile_rows[n] = (self.mobile_rows[n][0], *typed)
        self._show_mobile()
        self._clear_mobile_fields()

    def remove_mobile(self) -> None:
        n = self._selected_mobile()
        if n is None:
            self.mobile_error.setText("请先在列表中选中一条流动记录")
            return
        del self.mobile_rows[n]
        self._show_mobile()
        self._clear_mobile_fields()

    def _facts_snapshot(self) -> tuple[object, ...]:
        return (self.retired.text(), tuple(self.mobile_rows))

    def _write_facts(self, member_id: int) -> None:
        """Bring the member's 离退休 and 流动 events in line with the section (inside the
        member's transaction: any refusal rolls the whole save back)."""
        roster = self.book.roster
        try:
            retired_on = self.retired.date()
        except DateParseError as exc:
            raise InputError(f"离退休时间：{exc}") from None
        stored = roster.member(member_id).events
        reason = self.fact_reason.text().strip()

        def why(what: str) -> str:
            if not reason:
                raise InputError(f"更正原因：{what}已登记，更改或删除须写明原因")
            return reason

        def add(event: MembershipEvent, label: str) -> None:
            try:
                roster.add_event(member_id, event)
            except InputError as exc:
                raise InputError(f"{label}：{exc}") from None

        retired = [e for e in stored if e.kind == EventKind.RETIRED]
        first = min(retired, key=lambda e: e.date) if retired else None
        if first is None and retired_on is not None:
            add(MembershipEvent(EventKind.RETIRED, retired_on), "离退休时间")
        elif first is not None and first.id is not None and retired_on != first.date:
            if retired_on is None:
                roster.delete_event(first.id, why("离退休时间"))
            else:
                roster.correct_event(first.id, reason=why("离退休时间"), date=retired_on)
        kept = {row[0] for row in self.mobile_rows if row[0] is not None}
        for e in stored:
            if e.kind == EventKind.MOBILE and e.id is not None and e.id not in kept:
                roster.delete_event(e.id, why(f"{format_cn(e.date)}起的流动"))
        by_id = {e.id: e for e in stored}
        for n, (event_id, start, end, place) in enumerate(self.mobile_rows, start=1):
            label = f"流动党员第{n}条"
            if event_id is None:
                add(MembershipEvent(EventKind.MOBILE, start, end, place), label)
                continue
            old = by_id[event_id]
            if (old.date, old.end_date, old.note) != (start, end, place):
                roster.correct_event(
                    event_id,
                    reason=why(f"{format_cn(old.date)}起的流动"),
                    date=start,
                    end_date=end,
                    note=place,
                )

    def _load(self, m: Member) -> None:
        self.name.setText(m.name)
        self.gender.setCurrentText(m.gender)
        self.ethnicity.setCurrentText(m.ethnicity)
        self.birth.set_date(m.birth_date)
        self.id_number.setText(m.id_number)
        self.education.setCurrentText(m.education)
        self.join_date.set_date(m.join_date)
        self.full_date.set_date(m.full_date)
        self.post.setText(m.post)
        self.phone.setText(m.phone)
        index = self.group.findData(m.group_id)
        self.group.setCurrentIndex(max(index, 0))
        self.notes.setPlainText(m.notes)
        self._load_facts(m)

    _FIELDS = (
        "name", "gender", "ethnicity", "birth", "id_number", "education", "category",
        "join_date", "full_date", "post", "phone", "group", "notes",
    )  # fmt: skip

    def keep_draft(self) -> None:
        if self._snapshot() == self._initial and self._facts_snapshot() == self._initial_facts:
            self.drafts.discard(self.draft_key)
        else:
            draft: dict[str, object] = dict(zip(self._FIELDS, self._snapshot(), strict=True))
            draft["retired"] = self.retired.text()
            draft["mobile"] = [
                [event_id, start.isoformat(), end.isoformat() if end else "", place]
                for event_id, start, end, place in self.mobile_rows
            ]
            self.drafts.save(self.draft_key, draft)

    def _offer_draft(self, ask: bool = True) -> None:
        draft = self.drafts.load(self.draft_key)
        if not draft:
            return
        facts = self._draft_facts(draft)
        same = tuple(draft.get(f, "") for f in self._FIELDS) == self._initial
        if same and (facts is None or facts == self._initial_facts):
            return
        who = draft.get("name") or "（未填姓名）"
        if ask and not confirm(
            self,
            "恢复未保存的内容",
            f"上次填写的“{who}”还没有保存。要恢复吗？\n\n选“否”将丢弃这份未保存的内容。",
        ):
            self.drafts.discard(self.draft_key)
            return
        for line in ("name", "id_number", "post", "phone"):
            getattr(self, line).setText(draft.get(line, ""))
        for date_edit in ("birth", "join_date", "full_date"):
            getattr(self, date_edit).setText(draft.get(date_edit, ""))
        for combo in ("gender", "ethnicity", "education", "group"):
            getattr(self, combo).setCurrentText(draft.get(combo, ""))
        self.notes.setPlainText(draft.get("notes", ""))
        if facts is not None:
            self.retired.setText(str(facts[0]))
            self.mobile_rows = list(facts[1])  # type: ignore[call-overload]
            self._show_mobile()
        self.restored_draft = True

    @staticmethod
    def _draft_facts(draft: dict[str, object]) -> tuple[object, ...] | None:
        """(离退休 text, 流动 rows) kept in a draft; None for a draft without them."""
        if "mobile" not in draft:
            return None
        try:
            rows = tuple(
                (
                    int(event_id) if event_id is not None else None,
                    dt.date.fromisoformat(start),
                    dt.date.fromisoformat(end) if end else None,
                    str(place),
                )
                for event_id, start, end, place in draft["mobile"]  # type: ignore[attr-defined]
            )
        except (TypeError, ValueError):
            return None
        return (str(draft.get("retired", "")), rows)

    def done(self, result: int) -> None:
        self._draft_timer.stop()
        super().done(result)

    def _snapshot(self) -> tuple[str, ...]:
        return (
            self.name.text(),
            self.gender.currentText(),
            self.ethnicity.currentText(),
            self.birth.text(),
            self.id_number.text(),
            self.education.currentText(),
            self.category.text(),
            self.join_date.text(),
            self.full_date.text(),
            self.post.text(),
            self.phone.text(),
            self.group.currentText(),
            self.notes.toPlainText(),
        )

    def _category(self, full_date: dt.date | None) -> Category:
        stored = self.member.category if self.member else Category.PROBATIONARY
        return category_from_record(full_date, stored, known=self.member is not None)

    def _show_category(self) -> None:
        try:
            full = self.full_date.date()
        except DateParseError:
            full = None
        category = self._category(full)
        how = (
            "（由转正日期得出）"
            if full
            else "（沿用原记录）"
            if category == Category.FULL
            else "（填写转正日期或登记“转正”后为正式党员）"
        )
        self.category.setText(category.value + how)

    def _fill_from_id(self) -> None:
        """A valid ID gives birth date and sex: fill them when still empty."""
        try:
            info = parse_id(self.id_number.text())
        except IdNumberError:
            return
        if not self.birth.text().strip():
            self.birth.set_date(info.birth_date)
        if not self.gender.currentText():
            self.gender.setCurrentText(info.gender)

    def _collect(self) -> Member:
        problems = []
        dates: dict[str, dt.date | None] = {}
        for label, edit in (
            ("出生日期", self.birth),
            ("入党日期", self.join_date),
            ("转正日期", self.full_date),
        ):
            try:
                dates[label] = edit.date()
            except DateParseError as exc:
                problems.append(f"{label}：{exc}")
        if problems:
            raise InputError("；".join(problems))
        return Member(
            id=self.member.id if self.member else None,
            name=self.name.text(),
            gender=self.gender.currentText(),
            ethnicity=self.ethnicity.currentText().strip(),
            birth_date=dates["出生日期"],
            id_number=self.id_number.text().strip(),
            education=self.education.currentText().strip(),
            category=self._category(dates["转正日期"]),
            join_date=dates["入党日期"],
            full_date=dates["转正日期"],
            post=self.post.text(),
            phone=self.phone.text(),
            group_id=self.group.currentData(),
            notes=self.notes.toPlainText(),
        )

    def write(self) -> None:
        member = self._collect()
        with self.book.atomic("roster"):  # the record and its facts, or neither
            if member.id is None:
                saved_id = self.book.roster.add(member)
            else:
                self.book.roster.update(member)
                saved_id = member.id
            self._write_facts(saved_id)
        self.saved_id = saved_id

    def saved(self) -> None:
        self.drafts.discard(self.draft_key)

    def reject(self) -> None:
        changed = self._snapshot() != self._initial or self._facts_snapshot() != self._initial_facts
        if changed and not confirm(
            self, "放弃修改", "填写的内容还没有保存，确定要放弃吗？"
        ):
            return
        self.drafts.discard(self.draft_key)
        super().reject()
