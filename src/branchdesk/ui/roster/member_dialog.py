"""Add or edit one member. Errors are shown in words that name the field; nothing is saved
until every field is valid."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from branchdesk.domain.dates import DateParseError
from branchdesk.domain.idcard import IdNumberError, parse_id
from branchdesk.domain.members import (
    EDUCATION_LEVELS,
    GENDERS,
    Category,
    EventKind,
    Member,
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
        self.setMinimumWidth(460)

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

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        self.finish_layout(layout)
        if member:
            self._load(member)
        self._show_category()
        self._initial = self._snapshot()

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
        self.restored_draft = False
        self._offer_draft(ask=not restore_draft)

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

    _FIELDS = (
        "name", "gender", "ethnicity", "birth", "id_number", "education", "category",
        "join_date", "full_date", "post", "phone", "group", "notes",
    )  # fmt: skip

    def keep_draft(self) -> None:
        if self._snapshot() == self._initial:
            self.drafts.discard(self.draft_key)
        else:
            self.drafts.save(self.draft_key, dict(zip(self._FIELDS, self._snapshot(), strict=True)))

    def _offer_draft(self, ask: bool = True) -> None:
        draft = self.drafts.load(self.draft_key)
        if not draft or tuple(draft.get(f, "") for f in self._FIELDS) == self._initial:
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
        self.restored_draft = True

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
        if member.id is None:
            self.saved_id = self.book.roster.add(member)
        else:
            self.book.roster.update(member)
            self.saved_id = member.id

    def saved(self) -> None:
        self.drafts.discard(self.draft_key)

    def reject(self) -> None:
        if self._snapshot() != self._initial and not confirm(
            self, "放弃修改", "填写的内容还没有保存，确定要放弃吗？"
        ):
            return
        self.drafts.discard(self.draft_key)
        super().reject()
