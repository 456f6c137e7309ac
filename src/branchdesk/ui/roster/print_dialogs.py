"""Small dialogs that ask what to print, then open the preview."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from branchdesk.areas.roster.jobs import roster_job, signin_job
from branchdesk.domain.dates import DateParseError, format_cn
from branchdesk.store import Book
from branchdesk.ui.print_preview import preview_pdf
from branchdesk.ui.widgets import DateLineEdit, error_label

MEETING_TITLES = ("支部党员大会", "支委会", "党小组会", "党课", "主题党日", "组织生活会")


class _AskDialog(QDialog):
    def __init__(self, book: Book, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.book = book
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self.form = QFormLayout()
        self.error = error_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("预览")
        buttons.accepted.connect(self.go)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _day(self, edit: DateLineEdit, label: str) -> dt.date | None:
        try:
            day = edit.date()
        except DateParseError as exc:
            self._fail(f"{label}：{exc}")
            return None
        if day is None:
            self._fail(f"{label}：不能为空")
        return day

    def _fail(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def go(self) -> None:
        raise NotImplementedError


class RosterPrintDialog(_AskDialog):
    """党员花名册: date, order, with or without 公民身份号码."""

    def __init__(self, book: Book, parent: QWidget | None = None) -> None:
        super().__init__(book, "打印党员花名册", parent)
        self.day = DateLineEdit()
        self.day.set_date(dt.date.today())
        self.order = QComboBox()
        self.order.addItem("按姓氏笔画", "strokes")
        self.order.addItem("按入党日期", "joined")
        self.with_id = QCheckBox("包含公民身份号码")
        self.stamp = QCheckBox("加盖归档章（全宗号、年度、保管期限 永久、页数）")
        self.stamp.setChecked(book.settings.get("archive.stamp") == "1")
        self.form.addRow("名册日期", self.day)
        self.form.addRow("排序", self.order)
        self.form.addRow("", self.with_id)
        self.form.addRow("", self.stamp)

    def go(self) -> None:
        day = self._day(self.day, "名册日期")
        if day is None:
            return
        job = roster_job(
            self.book,
            day,
            order=self.order.currentData(),
            with_id=self.with_id.isChecked(),
            archive=self.stamp.isChecked(),
        )
        name = self.book.branch.profile().name
        parent = self.parentWidget() or self
        preview_pdf(parent, lambda: job().data, "党员花名册", f"{name}党员花名册.pdf")
        self.accept()


class SigninPrintDialog(_AskDialog):
    """签到表 for a meeting not yet held: everyone who should attend on that date."""

    def __init__(self, book: Book, parent: QWidget | None = None) -> None:
        super().__init__(book, "打印会议签到表", parent)
        self.title = QComboBox()
        self.title.setEditable(True)
        self.title.addItems(MEETING_TITLES)
        self.day = DateLineEdit()
        self.day.set_date(dt.date.today())
        self.place = QLineEdit()
        self.place.setPlaceholderText("如：机关三楼会议室")
        self.form.addRow("会议名称", self.title)
        self.form.addRow("日期", self.day)
        self.form.addRow("地点", self.place)

    def go(self) -> None:
        day = self._day(self.day, "日期")
        title = self.title.currentText().strip()
        if day is None:
            return
        if not title:
            self._fail("会议名称：不能为空")
            return
        job = signin_job(self.book, title, day, self.place.text().strip())
        parent = self.parentWidget() or self
        preview_pdf(parent, lambda: job().data, "签到表", f"{title}签到表-{format_cn(day)}.pdf")
        self.accept()
