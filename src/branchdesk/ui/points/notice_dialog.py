"""打印积分公示表: the 公示期 (at least seven days) and the 监督电话/联系人, then the preview.
The contact is remembered in the book; the 公示 is recorded as printed for the period when
the preview saves it as PDF or prints it (not when it is only previewed)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QWidget

from branchdesk.areas.points.jobs import notice_job, notice_printed
from branchdesk.domain.dates import DateParseError
from branchdesk.domain.points import NOTICE_MIN_DAYS, Period
from branchdesk.store import Book, InputError
from branchdesk.ui.widgets import DateLineEdit, error_label

CONTACT_KEY = "points.contact"


class NoticeDialog(QDialog):
    def __init__(self, book: Book, period: Period, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"打印{period.label}积分公示表")
        self.book = book
        self.period = period
        start = max(dt.date.today(), period.end + dt.timedelta(days=1))
        self.date_from = DateLineEdit()
        self.date_from.set_date(start)
        self.date_to = DateLineEdit()
        self.date_to.set_date(start + dt.timedelta(days=NOTICE_MIN_DAYS - 1))
        self.contact = QLineEdit(book.settings.get(CONTACT_KEY))
        self.contact.setPlaceholderText("如：黄磊 0371-12345678")
        self.error = error_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("生成公示表")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.make)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("公示开始", self.date_from)
        form.addRow("公示结束", self.date_to)
        form.addRow("监督电话/联系人", self.contact)
        form.addRow(self.error)
        form.addRow(buttons)

    def make(self) -> None:
        from branchdesk.ui.print_preview import preview_pdf

        try:
            start, end = self.date_from.date(), self.date_to.date()
            if start is None or end is None:
                raise InputError("公示期：请填写开始和结束日期")
            job = notice_job(self.book, self.period, start, end, self.contact.text().strip())
        except (InputError, DateParseError) as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        if self.contact.text().strip() != self.book.settings.get(CONTACT_KEY):
            self.book.settings.set(CONTACT_KEY, self.contact.text().strip())
        book, period = self.book, self.period
        parent = self.parentWidget() or self
        preview_pdf(
            parent,
            lambda: job().data,
            "积分公示表",
            f"{period.label}积分公示.pdf",
            # Printed only once saved or sent to the printer: a preview closed unprinted
            # leaves the period's 公示 (and the 工作台, the archive's check) as it was.
            on_output=lambda _how: notice_printed(book, period, start, end),
        )
        self.accept()
