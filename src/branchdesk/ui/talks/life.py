"""组织生活会: before it 征求意见 and 检视材料 (and the 会前谈心 still missing), after it the
整改清单 with owners, due dates and status, printable. The meeting itself is the meeting
record of type 组织生活会 (会议记录)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from branchdesk.areas.talks.jobs import rectification_job
from branchdesk.areas.talks.rules import life_meeting_date, pre_meeting_coverage
from branchdesk.domain.appraisal import RECTIFY_STATES, Opinion, Rectification, Review
from branchdesk.domain.dates import DateParseError, format_cn
from branchdesk.store import Book, InputError
from branchdesk.ui.print_preview import preview_pdf
from branchdesk.ui.widgets import DateLineEdit


class LifeMeetingView(QWidget):
    def __init__(self, book: Book, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.year = QComboBox()
        this = dt.date.today().year
        for y in (this, this - 1, this - 2):
            self.year.addItem(f"{y}年度", y)
        self.meeting_date = DateLineEdit()
        self.pre_talks = QLabel()
        self.meeting_note = QLabel()
        self.pre_talks.setWordWrap(True)
        # 征求意见
        self.opinions = QTableWidget(0, 3)
        self.opinions.setHorizontalHeaderLabels(["日期", "来源", "意见"])
        self.opinions.horizontalHeader().setStretchLastSection(True)
        self.opinion_text = QLineEdit()
        self.opinion_text.setPlaceholderText("征求到的意见")
        self.opinion_source = QLineEdit()
        self.opinion_source.setPlaceholderText("来源，如：群众座谈会")
        self.opinion_date = DateLineEdit()
        add_opinion = QPushButton("添加意见")
        add_opinion.clicked.connect(self.add_opinion)
        # 检视材料
        self.reviews = QTableWidget(0, 3)
        self.reviews.setHorizontalHeaderLabels(["姓名", "已提交", "提交日期"])
        self.reviews.horizontalHeader().setStretchLastSection(True)
        save_reviews = QPushButton("保存检视材料情况")
        save_reviews.clicked.connect(self.save_reviews)
        # 整改清单
        self.items = QTableWidget(0, 6)
        self.items.setHorizontalHeaderLabels(
            ["存在问题", "整改措施", "责任人", "完成时限", "状态", "完成情况"]
        )
        self.items.horizontalHeader().setStretchLastSection(True)
        add_item = QPushButton("添加整改事项")
        add_item.clicked.connect(self.add_item)
        save_items = QPushButton("保存整改清单")
        save_items.clicked.connect(self.save_items)
        print_items = QPushButton("打印整改清单")
        print_items.clicked.connect(self.print_items)
        self.message = QLabel()
        self.message.setWordWrap(True)

        bar = QHBoxLayout()
        bar.addWidget(QLabel("年度"))
        bar.addWidget(self.year)
        bar.addWidget(QLabel("组织生活会日期"))
        bar.addWidget(self.meeting_date)
        check = QPushButton("查看会前谈心")
        check.clicked.connect(self.refresh_pre_talks)
        bar.addWidget(check)
        bar.addWidget(self.meeting_note)
        bar.addStretch(1)
        before = QGroupBox("会前：征求意见、检视材料、会前谈心")
        grid = QGridLayout(before)
        grid.addWidget(self.opinions, 0, 0, 1, 4)
        grid.addWidget(self.opinion_date, 1, 0)
        grid.addWidget(self.opinion_source, 1, 1)
        grid.addWidget(self.opinion_text, 1, 2)
        grid.addWidget(add_opinion, 1, 3)
        grid.addWidget(self.reviews, 0, 4, 2, 1)
        grid.addWidget(save_reviews, 2, 4)
        grid.addWidget(self.pre_talks, 2, 0, 1, 4)
        after = QGroupBox("会后：整改清单")
        after_layout = QVBoxLayout(after)
        after_layout.addWidget(self.items)
        buttons = QHBoxLayout()
        buttons.addWidget(add_item)
        buttons.addWidget(save_items)
        buttons.addStretch(1)
        buttons.addWidget(print_items)
        after_layout.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(before, 1)
        layout.addWidget(after, 1)
        layout.addWidget(self.message)
        self._item_ids: list[int | None] = []
        self._review_ids: list[int] = []
        self.year.currentIndexChanged.connect(lambda _i: self._year_changed())
        # Open on the latest 组织生活会 year that has a list, else this year.
        kept = [i.year for i in book.appraisal.rectifications()]
        if kept and self.year.findData(max(kept)) >= 0:
            self.year.setCurrentIndex(self.year.findData(max(kept)))
        self.reload()

    def _year_changed(self) -> None:
        self.meeting_date.clear()
        self.reload()

    def set_year(self, year: int) -> None:
        if self.year.findData(year) < 0:
            self.year.addItem(f"{year}年度", year)
        self.meeting_date.clear()
        self.year.setCurrentIndex(self.year.findData(year))

    @property
    def current_year(self) -> int:
        return int(self.year.currentData())

    def reload(self) -> None:
        year = self.current_year
        held = life_meeting_date(self.book, year)
        self.meeting_note.setText(
            f"本年度组织生活会已于{format_cn(held)}召开（见“会议记录”）。" if held
            else "本年度组织生活会尚未记录；会议本身在“会议记录”中登记（类型：组织生活会）。"
        )  # fmt: skip
        if not self.meeting_date.text():
            self.meeting_date.set_date(held or dt.date(year, 12, 31))
        ops = self.book.appraisal.opinions(year)
        self.opinions.setRowCount(len(ops))
        for r, o in enumerate(ops):
            for c, v in enumerate((format_cn(o.date), o.source, o.text)):
                self.opinions.setItem(r, c, QTableWidgetItem(v))
        reviews = self.book.appraisal.reviews(year)
        people = self.book.roster.on(dt.date(year, 12, 31))
        self._review_ids = [e.member.id or 0 for e in people]
        self.reviews.setRowCount(len(people))
        for r, e in enumerate(people):
            got = reviews.get(e.member.id or 0)
            self.reviews.setItem(r, 0, QTableWidgetItem(e.member.name))
            box = QCheckBox()
            box.setChecked(bool(got and got.received))
            self.reviews.setCellWidget(r, 1, box)
            self.reviews.setItem(r, 2, QTableWidgetItem(format_cn(got.date) if got else ""))
        items = self.book.appraisal.rectifications(year)
        self._item_ids = [i.id for i in items]
        self.items.setRowCount(0)
        for item in items:
            self._add_row(item)
        self.refresh_pre_talks()

    def _add_row(self, item: Rectification) -> None:
        r = self.items.rowCount()
        self.items.insertRow(r)
        values = (item.problem, item.measures, item.owner, format_cn(item.due))
        for c, v in enumerate(values):
            self.items.setItem(r, c, QTableWidgetItem(v))
        status = QComboBox()
        status.addItems(RECTIFY_STATES)
        status.setCurrentText(item.status)
        self.items.setCellWidget(r, 4, status)
        cell = QTableWidgetItem(item.completion)
        if item.overdue_on(dt.date.today()):
            cell.setToolTip("已逾期")
            for c in range(4):
                it = self.items.item(r, c)
                if it is not None:
                    it.setForeground(Qt.GlobalColor.red)
        self.items.setItem(r, 5, cell)

    def refresh_pre_talks(self) -> None:
        try:
            day = self.meeting_date.date() or dt.date(self.current_year, 12, 31)
        except DateParseError as exc:
            self.pre_talks.setText(f"组织生活会日期：{exc}")
            return
        cov = pre_meeting_coverage(self.book, self.current_year, day)
        names = {m.id: m.name for m in self.book.roster.members()}
        missing = cov.missing()
        shown = "、".join(f"{names.get(p.talker)}—{names.get(p.other)}" for p in missing[:12])
        more = "等" if len(missing) > 12 else ""
        self.pre_talks.setText(
            f"会前谈心（截至{format_cn(day)}）：应谈 {len(cov.required)} 对，尚缺 {len(missing)} 对"
            + (f"：{shown}{more}" if missing else "。")
        )

    def add_opinion(self) -> None:
        try:
            day = self.opinion_date.date()
            self.book.appraisal.add_opinion(
                Opinion(
                    self.current_year, self.opinion_text.text(), self.opinion_source.text(), day
                )  # fmt: skip
            )
        except (InputError, DateParseError) as exc:
            self.message.setText(f"未添加：{exc}")
            return
        self.opinion_text.clear()
        self.reload()

    def save_reviews(self) -> None:
        year = self.current_year
        try:
            with self.book.atomic("talks"):
                for r, mid in enumerate(self._review_ids):
                    box = self.reviews.cellWidget(r, 1)
                    assert isinstance(box, QCheckBox)
                    date_item = self.reviews.item(r, 2)
                    from branchdesk.domain.dates import parse_date

                    day = parse_date(date_item.text()) if date_item else None
                    self.book.appraisal.set_review(Review(year, mid, box.isChecked(), day))
        except DateParseError as exc:
            self.message.setText(f"未保存：{exc}")
            return
        self.message.setText("检视材料情况已保存。")

    def add_item(self) -> None:
        self._item_ids.append(None)
        self._add_row(Rectification(self.current_year, ""))

    def save_items(self) -> None:
        from branchdesk.domain.dates import parse_date

        year = self.current_year
        try:
            with self.book.atomic("talks"):
                for r, item_id in enumerate(self._item_ids):
                    cells = [self.items.item(r, c) for c in range(6)]
                    text = [c.text() if c else "" for c in cells]
                    if not text[0].strip() and item_id is None:
                        continue  # an empty row just added
                    status = self.items.cellWidget(r, 4)
                    assert isinstance(status, QComboBox)
                    self.book.appraisal.save_rectification(
                        Rectification(
                            year,
                            text[0],
                            text[1],
                            text[2],
                            parse_date(text[3]),
                            status.currentText(),
                            text[5],
                            item_id,
                        )  # fmt: skip
                    )
        except (InputError, DateParseError) as exc:
            self.message.setText(f"整改清单未保存：{exc}")
            return
        self.message.setText("整改清单已保存。")
        self.reload()

    def print_items(self) -> None:
        year = self.current_year
        job = rectification_job(self.book, year)
        preview_pdf(self, lambda: job().data, "整改清单", f"{year}年度组织生活会整改清单.pdf")
