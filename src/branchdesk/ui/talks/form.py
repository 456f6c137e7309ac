"""The talk record form (谈心谈话记录): date, place, 谈话人 and 谈话对象 chosen from the roll,
kind, topic and the four long texts.

Typing stays smooth: the long texts are QPlainTextEdits whose changes only restart a timer;
the draft (everything typed) is written into the book itself — never to a file of its own,
since talk contents are the most sensitive text in the book — a moment after typing
stops, and offered back when the form is next opened.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from branchdesk.domain.dates import DateParseError
from branchdesk.domain.members import Member
from branchdesk.domain.strokes import sort_by_strokes
from branchdesk.domain.talks import DAILY, NOT_DISCIPLINARY, Talk
from branchdesk.store import Book, InputError
from branchdesk.ui.attachments import AttachmentsWidget, TalkFiles
from branchdesk.ui.drafts import DraftStore
from branchdesk.ui.widgets import DateLineEdit, confirm, error_label, shortcut

DRAFT_DELAY_MS = 800
#: The long texts: draft/snapshot key → widget attribute.
TEXT_FIELDS = {"summary": "summary", "views": "views", "follow_up": "follow_up",
               "result": "result_text"}  # fmt: skip


class PeoplePicker(QWidget):
    """Members to tick, with a filter box (a branch may have 200)."""

    def __init__(self, members: list[Member], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("输入姓名筛选")
        self.list = QListWidget()
        self.items: dict[int, QListWidgetItem] = {}
        for m in sort_by_strokes(members, key=lambda m: m.name):
            item = QListWidgetItem(m.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.UserRole, m.id)
            self.list.addItem(item)
            self.items[m.id or 0] = item
        self.filter.textChanged.connect(self._filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter)
        layout.addWidget(self.list)

    def _filter(self, text: str) -> None:
        for item in self.items.values():
            item.setHidden(bool(text.strip()) and text.strip() not in item.text())

    def chosen(self) -> list[int]:
        return [mid for mid, item in self.items.items()
                if item.checkState() == Qt.CheckState.Checked]  # fmt: skip

    def set_chosen(self, ids: list[int]) -> None:
        for mid, item in self.items.items():
            item.setCheckState(Qt.CheckState.Checked if mid in ids else Qt.CheckState.Unchecked)

    def tick(self, member_id: int) -> None:
        self.items[member_id].setCheckState(Qt.CheckState.Checked)


class TalkForm(QDialog):
    def __init__(
        self,
        book: Book,
        talk: Talk | None = None,
        parent: QWidget | None = None,
        *,
        talker: int | None = None,
        other: int | None = None,
        kind: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.book = book
        self.talk_id = talk.id if talk else None
        self.saved_id: int | None = None
        self.setWindowTitle("谈心谈话记录" + ("（修改）" if talk else "（新建）"))
        self.resize(1100, 720)
        members = [m for m in book.roster.members() if m.id is not None]
        self.date = DateLineEdit()
        self.place = QLineEdit()
        self.place.setPlaceholderText("如：书记办公室")
        self.kind = QComboBox()
        self.kind.addItems(book.talks.kinds())
        self.topic = QLineEdit()
        self.topic.setPlaceholderText("如：工作和思想情况")
        self.talkers = PeoplePicker(members)
        self.others = PeoplePicker(members)
        self.summary = QPlainTextEdit()
        self.summary.setPlaceholderText("谈话内容要点")
        self.views = QPlainTextEdit()
        self.views.setPlaceholderText("对方的意见和诉求")
        self.follow_up = QPlainTextEdit()
        self.follow_up.setPlaceholderText("后续措施")
        self.result_text = QPlainTextEdit()
        self.result_text.setPlaceholderText("落实情况")
        self.result_date = DateLineEdit()
        self.attachments = AttachmentsWidget(book, self.talk_id, TalkFiles(book), thumb=64)
        self.attachments.list.setFixedHeight(150)
        if self.talk_id is not None:
            self.attachments.load(book.talks.attachments(self.talk_id))
        note = QLabel(NOT_DISCIPLINARY)
        note.setWordWrap(True)
        note.setStyleSheet("color: #555; background: #fff8e1; padding: 4px;")
        self.note = note
        self.error = error_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存 (Ctrl+S)")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons = buttons
        shortcut(QKeySequence.StandardKey.Save, self, self.save)

        head = QFormLayout()
        head.addRow("谈话日期", self.date)
        head.addRow("谈话地点", self.place)
        head.addRow("谈话类型", self.kind)
        head.addRow("谈话主题", self.topic)
        people = QHBoxLayout()
        for label, picker in (("谈话人", self.talkers), ("谈话对象", self.others)):
            box = QVBoxLayout()
            box.addWidget(QLabel(label))
            box.addWidget(picker)
            people.addLayout(box)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addLayout(head)
        left_layout.addLayout(people)
        right = QWidget()
        texts = QFormLayout(right)
        texts.addRow("谈话内容要点", self.summary)
        texts.addRow("对方的意见和诉求", self.views)
        texts.addRow("后续措施", self.follow_up)
        texts.addRow("落实情况", self.result_text)
        texts.addRow("落实日期", self.result_date)
        texts.addRow("附件", self.attachments)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([420, 680])
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(split, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

        if talk is not None:
            self._apply(self.fields_of(talk))
        else:
            self.date.set_date(dt.date.today())
            self.kind.setCurrentText(kind or DAILY)
            if talker is not None:
                self.talkers.tick(talker)
            if other is not None:
                self.others.tick(other)
        self._initial = self.snapshot()
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.keep_draft)
        for edit in (self.date, self.place, self.topic, self.result_date):
            edit.textChanged.connect(self._draft_timer.start)
        for text in (self.summary, self.views, self.follow_up, self.result_text):
            text.textChanged.connect(self._draft_timer.start)
        self.kind.currentTextChanged.connect(self._draft_timer.start)
        for picker in (self.talkers, self.others):
            picker.list.itemChanged.connect(self._draft_timer.start)
        # The book's own drafts table, as the member and meeting forms use: talk contents
        # never go to a file of their own, and a busy book never freezes typing.
        self.drafts = DraftStore(book)
        self.draft_key = f"talk-{self.talk_id}" if self.talk_id else "talk-new"
        self.restored_draft = False
        # A talk of a filed year opens read-only, with the reason and its corrections.
        from branchdesk.ui.archive.corrections import lock_if_filed

        self.filed_parts = [split]
        year = talk.belongs_to_year if talk is not None else 0
        self.filed = lock_if_filed(self, book, "talk", self.talk_id, year)
        if self.filed:
            self.setWindowTitle("查看谈心谈话记录（已归档）")
        else:
            self._offer_draft()

    # -- fields ---------------------------------------------------------------------------
    @staticmethod
    def fields_of(talk: Talk) -> dict[str, object]:
        return {
            "date": talk.date.isoformat(),
            "place": talk.place,
            "kind": talk.kind,
            "topic": talk.topic,
            "talkers": list(talk.talkers),
            "others": list(talk.others),
            "summary": talk.summary,
            "views": talk.views,
            "follow_up": talk.follow_up,
            "result": talk.result,
            "result_date": talk.result_date.isoformat() if talk.result_date else "",
        }

    def snapshot(self) -> dict[str, object]:
        return {
            "date": self.date.text(),
            "place": self.place.text(),
            "kind": self.kind.currentText(),
            "topic": self.topic.text(),
            "talkers": self.talkers.chosen(),
            "others": self.others.chosen(),
            **{f: getattr(self, w).toPlainText() for f, w in TEXT_FIELDS.items()},
            "result_date": self.result_date.text(),
        }

    def _apply(self, fields: dict[str, object]) -> None:
        self.date.setText(str(fields.get("date", "")))
        self.date._tidy()
        self.place.setText(str(fields.get("place", "")))
        kind = str(fields.get("kind", DAILY))
        if self.kind.findText(kind) < 0:  # a kind since taken off the list stays as it was
            self.kind.addItem(kind)
        self.kind.setCurrentText(kind)
        self.topic.setText(str(fields.get("topic", "")))
        for picker, key in ((self.talkers, "talkers"), (self.others, "others")):
            ids = fields.get(key, [])
            picker.set_chosen([int(i) for i in ids] if isinstance(ids, list) else [])
        for f, w in TEXT_FIELDS.items():
            getattr(self, w).setPlainText(str(fields.get(f, "")))
        self.result_date.setText(str(fields.get("result_date", "")))
        self.result_date._tidy()

    def _talk(self) -> Talk:
        try:
            day = self.date.date()
            result_day = self.result_date.date()
        except DateParseError as exc:
            raise InputError(f"日期：{exc}") from exc
        if day is None:
            raise InputError("谈话日期：不能为空")
        return Talk(
            date=day,
            talkers=tuple(self.talkers.chosen()),
            others=tuple(self.others.chosen()),
            kind=self.kind.currentText(),
            topic=self.topic.text(),
            place=self.place.text(),
            summary=self.summary.toPlainText(),
            views=self.views.toPlainText(),
            follow_up=self.follow_up.toPlainText(),
            result=self.result_text.toPlainText(),
            result_date=result_day,
            id=self.talk_id,
        )

    # -- drafts (inside the book) ---------------------------------------------------------
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
        what = draft.get("topic") or "（未填谈话主题）"
        if not confirm(self, "恢复未保存的内容", f"上次填写的谈话“{what}”还没有保存。要恢复吗？"):
            self.drafts.discard(self.draft_key)
            return
        try:
            self._apply(draft)
        except (KeyError, ValueError, TypeError):
            self.drafts.discard(self.draft_key)
            return
        self.restored_draft = True

    # -- save / cancel --------------------------------------------------------------------
    def save(self) -> None:
        try:
            self.saved_id = self.book.talks.save(self._talk())
        except InputError as exc:
            self.error.setText("未保存：" + str(exc).replace("；", "\n"))
            self.error.show()
            return
        self._draft_timer.stop()
        self.attachments.store_pending(self.saved_id)
        self.drafts.discard(self.draft_key)
        self.accept()

    def reject(self) -> None:
        if self.snapshot() != self._initial and not confirm(
            self, "放弃修改", "填写的内容还没有保存，确定要放弃吗？"
        ):
            return
        self._draft_timer.stop()
        self.drafts.discard(self.draft_key)
        super().reject()

    def done(self, result: int) -> None:
        self._draft_timer.stop()
        super().done(result)
