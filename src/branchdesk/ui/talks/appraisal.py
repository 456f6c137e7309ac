"""民主评议: a year's session — steps with dates and states, ballots issued and returned,
the tally of each member (four counts that cannot exceed the ballots returned), the
committee's proposed and the final rating, reference columns (points, attendance, talks),
and the checks in words as the counts and ratings are typed (the 1/3 优秀 warning)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from branchdesk.areas.talks.jobs import ballot_job, result_job
from branchdesk.areas.talks.rules import AppraisalRow, appraisal_rows
from branchdesk.domain.appraisal import (
    HANDLINGS,
    MEETING_STEP,
    RATINGS,
    STEP_STATES,
    Rating,
    Tally,
    rating_checks,
    tally_problems,
)
from branchdesk.domain.dates import DateParseError, format_cn, parse_date
from branchdesk.domain.meetings import MeetingType
from branchdesk.store import Book, InputError
from branchdesk.ui.print_preview import preview_pdf
from branchdesk.ui.widgets import DateLineEdit

COLUMNS = ("姓名", "类别", *RATINGS, "支委会意见", "评议等次", "处置方式", "备注",
           "积分（参考）", "出勤（参考）", "谈话（参考）")  # fmt: skip
COLUMN_CHARS = (5, 7, 2.5, 2.5, 4, 3, 5.5, 5.5, 5, 6, 5, 6.5, 5)
COUNT_COLUMNS = range(2, 6)
PROPOSED, FINAL, HANDLING, NOTE = 6, 7, 8, 9


class AppraisalView(QWidget):
    def __init__(self, book: Book, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.year = QComboBox()
        self.start_date = DateLineEdit()
        self.start_button = QPushButton("开始本年度民主评议")
        self.start_button.clicked.connect(self.start)
        self.issued = QSpinBox()
        self.returned = QSpinBox()
        for box in (self.issued, self.returned):
            box.setRange(0, 10000)
            box.valueChanged.connect(lambda _v: self.refresh_checks())
        self.steps = QTableWidget(0, 5)
        self.steps.setHorizontalHeaderLabels(["步骤", "状态", "日期", "备注", "会议记录"])
        self.steps.horizontalHeader().setStretchLastSection(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        # Fixed widths (in characters): measuring 200 rows of combo boxes is slow.
        for column, chars in enumerate(COLUMN_CHARS):
            self.table.setColumnWidth(column, int(chars * 13 + 14))
        self.table.itemChanged.connect(lambda _item: self.refresh_checks())
        self.checks = QLabel()
        self.checks.setWordWrap(True)
        self.message = QLabel()
        self.save_button = QPushButton("保存票数和等次")
        self.save_button.clicked.connect(self.save)
        self.exclude_button = QPushButton("不参加评议…")
        self.exclude_button.setToolTip("选中一名党员，登记不参加评议的原因（长期病休、出国等）")
        self.exclude_button.clicked.connect(self.exclude_selected)
        self.save_steps_button = QPushButton("保存步骤")
        self.save_steps_button.clicked.connect(self.save_steps)
        self.copies = QSpinBox()
        self.copies.setRange(1, 500)
        self.ballot_button = QPushButton("打印测评表")
        self.ballot_button.clicked.connect(self.print_ballots)
        self.result_button = QPushButton("打印结果汇总表")
        self.result_button.clicked.connect(self.print_result)

        top = QHBoxLayout()
        top.addWidget(QLabel("年度"))
        top.addWidget(self.year)
        top.addWidget(QLabel("评议日期"))
        top.addWidget(self.start_date)
        top.addWidget(self.start_button)
        top.addStretch(1)
        top.addWidget(QLabel("份数"))
        top.addWidget(self.copies)
        top.addWidget(self.ballot_button)
        top.addWidget(self.result_button)
        ballots = QHBoxLayout()
        ballots.addWidget(QLabel("发出测评表"))
        ballots.addWidget(self.issued)
        ballots.addWidget(QLabel("收回"))
        ballots.addWidget(self.returned)
        ballots.addStretch(1)
        ballots.addWidget(self.exclude_button)
        ballots.addWidget(self.save_button)
        note = QLabel(
            "积分、出勤、谈话次数仅供支委会参考，等次由支委会提出意见、支部党员大会审议决定。"
        )
        note.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.steps)
        layout.addWidget(self.save_steps_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addLayout(ballots)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.checks)
        layout.addWidget(self.message)
        self.rows: list[AppraisalRow] = []
        self._fill_years()
        self.year.currentIndexChanged.connect(lambda _i: self.reload())
        self.reload()

    # -- loading --------------------------------------------------------------------------
    def _fill_years(self) -> None:
        this = dt.date.today().year
        years = sorted({this, this - 1, *self.book.appraisal.years()}, reverse=True)
        self.year.blockSignals(True)
        self.year.clear()
        for y in years:
            self.year.addItem(f"{y}年度", y)
        self.year.blockSignals(False)

    def set_year(self, year: int) -> None:
        if self.year.findData(year) < 0:
            self.year.addItem(f"{year}年度", year)
        self.year.setCurrentIndex(self.year.findData(year))

    @property
    def current_year(self) -> int:
        return int(self.year.currentData())

    def reload(self) -> None:
        year = self.current_year
        try:
            session = self.book.appraisal.session(year)
        except KeyError:
            session = None
        started = session is not None
        self.start_button.setEnabled(not started)
        self.start_date.setEnabled(not started)
        for w in (
            self.save_button,
            self.save_steps_button,
            self.ballot_button,
            self.result_button,
            self.table,
            self.steps,
            self.issued,
            self.returned,
        ):
            w.setEnabled(started)  # fmt: skip
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        self.steps.setRowCount(0)
        if session is None:
            self.start_date.set_date(dt.date(year, 12, 20))
            self.rows = []
            self.checks.setText(f"{year}年度的民主评议尚未开始。")
            self.table.blockSignals(False)
            return
        self.start_date.set_date(session.date)
        self.issued.setValue(session.issued)
        self.returned.setValue(session.returned)
        self.steps.setRowCount(len(session.steps))
        for r, step in enumerate(session.steps):
            self.steps.setItem(r, 0, _readonly(step.name))
            state = QComboBox()
            state.addItems(STEP_STATES)
            state.setCurrentText(step.state)
            self.steps.setCellWidget(r, 1, state)
            self.steps.setItem(r, 2, QTableWidgetItem(format_cn(step.date)))
            self.steps.setItem(r, 3, QTableWidgetItem(step.note))
            if step.name == MEETING_STEP:
                meeting = QComboBox()
                meeting.addItem("（未关联）", None)
                for m in self.book.meetings.summaries(year) + self.book.meetings.summaries(
                    year + 1
                ):
                    if MeetingType.GENERAL in m.types or MeetingType.APPRAISAL in m.types:
                        meeting.addItem(f"{format_cn(m.date)} {m.title}", m.id)
                meeting.setCurrentIndex(max(meeting.findData(step.meeting_id), 0))
                self.steps.setCellWidget(r, 4, meeting)
        self.rows = appraisal_rows(self.book, year)
        self.table.setUpdatesEnabled(False)
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            p = row.participant
            self.table.setItem(r, 0, _readonly(p.name))
            kind = p.category.value + (
                f"（{p.excluded_reason}，不参评）" if p.excluded_reason else ""
            )
            self.table.setItem(r, 1, _readonly(kind if p.rated else f"{kind}，不评定等次"))
            for c, rating in zip(COUNT_COLUMNS, RATINGS, strict=True):
                item = QTableWidgetItem(str(row.tally.count(rating)) if p.rated else "")
                if not p.rated:
                    item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.table.setItem(r, c, item)
            for c, value in ((PROPOSED, row.rating.proposed), (FINAL, row.rating.final)):
                combo = QComboBox()
                combo.addItems(["", *RATINGS])
                combo.setCurrentText(value)
                combo.setEnabled(p.rated)
                combo.currentTextChanged.connect(lambda _t: self.refresh_checks())
                self.table.setCellWidget(r, c, combo)
            # A typed cell rather than a combo box per row: 200 editable combos take
            # a noticeable moment to build, and only a 不合格 needs this.
            handling = QTableWidgetItem(row.rating.handling)
            handling.setToolTip("评为不合格时填写：" + "、".join(HANDLINGS))
            if not p.rated:
                handling.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.setItem(r, HANDLING, handling)
            self.table.setItem(r, NOTE, QTableWidgetItem(row.rating.note))
            self.table.setItem(r, 10, _readonly(row.points))
            self.table.setItem(r, 11, _readonly(row.attendance_text))
            self.table.setItem(r, 12, _readonly(str(row.talks)))
        self.table.setUpdatesEnabled(True)
        self.table.blockSignals(False)
        self.refresh_checks()

    # -- reading the table ----------------------------------------------------------------
    def combo(self, row: int, column: int) -> QComboBox:
        widget = self.table.cellWidget(row, column)
        assert isinstance(widget, QComboBox)
        return widget

    def _count(self, row: int, column: int) -> int | None:
        item = self.table.item(row, column)
        text = item.text().strip() if item else ""
        if not text:
            return 0
        try:
            value = int(text)
        except ValueError:
            return None
        return value

    def entered(self) -> tuple[dict[int, Tally], list[Rating], list[str]]:
        """What the table holds: tallies, ratings, and problems reading it."""
        tallies: dict[int, Tally] = {}
        ratings: list[Rating] = []
        problems: list[str] = []
        for r, row in enumerate(self.rows):
            p = row.participant
            if not p.rated:
                continue
            counts = {}
            for c, rating in zip(COUNT_COLUMNS, RATINGS, strict=True):
                value = self._count(r, c)
                if value is None:
                    problems.append(f"{p.name}：“{rating}”票数应为整数")
                    value = 0
                counts[rating] = value
            tallies[p.member_id] = Tally(p.member_id, counts)
            handling_item = self.table.item(r, HANDLING)
            handling = handling_item.text().strip() if handling_item else ""
            note_item = self.table.item(r, NOTE)
            ratings.append(Rating(p.member_id, self.combo(r, PROPOSED).currentText(),
                                  self.combo(r, FINAL).currentText(), handling,
                                  note_item.text() if note_item else ""))  # fmt: skip
        return tallies, ratings, problems

    def refresh_checks(self) -> None:
        if not self.rows:
            return
        tallies, ratings, problems = self.entered()
        returned = self.returned.value()
        if returned > self.issued.value():
            problems.append(f"收回票数（{returned}）不能多于发出票数（{self.issued.value()}）")
        names = {r.participant.member_id: r.participant.name for r in self.rows}
        for mid, tally in tallies.items():
            problems += tally_problems(tally, names[mid], returned)
        people = [r.participant for r in self.rows]
        share = self.book.appraisal.excellent_share()
        checks = rating_checks(ratings, people, share, which="proposed")
        checks += rating_checks(ratings, people, share, which="final")
        lines = problems + [c.message for c in checks]
        if lines:
            items = "".join(f"<li>{line}</li>" for line in lines)
            self.checks.setText(f"<p style='color:#b00020'><b>请注意</b></p><ul>{items}</ul>")
        else:
            rated = sum(1 for p in people if p.rated)
            self.checks.setText(f"<p style='color:#1b5e20'>参评党员 {rated} 人，未发现问题。</p>")

    # -- actions --------------------------------------------------------------------------
    def start(self) -> None:
        try:
            day = self.start_date.date()
        except DateParseError as exc:
            self.message.setText(f"评议日期：{exc}")
            return
        if day is None:
            self.message.setText("评议日期：不能为空")
            return
        try:
            self.book.appraisal.start(self.current_year, day)
        except InputError as exc:
            self.message.setText(str(exc))
            return
        self.message.setText(f"已开始{self.current_year}年度民主评议。")

    def save(self) -> None:
        tallies, ratings, problems = self.entered()
        if problems:
            self.message.setText("未保存：" + "；".join(problems))
            return
        year = self.current_year
        try:
            with self.book.atomic("talks"):
                self.book.appraisal.set_tallies(
                    year, self.issued.value(), self.returned.value(), tallies
                )
                for rating in ratings:
                    self.book.appraisal.rate(year, rating, dt.date.today())
        except InputError as exc:
            self.message.setText("未保存：" + str(exc).replace("；", "\n"))
            return
        self.message.setText("已保存。")

    def exclude_selected(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.rows):
            self.message.setText("请先在表中选中一名党员。")
            return
        p = self.rows[row].participant
        ask = f"{p.name}不参加本次评议的原因（如长期病休、出国；留空则恢复参评）："
        reason, ok = QInputDialog.getText(self, "不参加评议", ask, text=p.excluded_reason)
        if ok:
            self.book.appraisal.exclude(self.current_year, p.member_id, reason)

    def save_steps(self) -> None:
        year = self.current_year
        try:
            with self.book.atomic("talks"):
                for r in range(self.steps.rowCount()):
                    name_item = self.steps.item(r, 0)
                    assert name_item is not None
                    name = name_item.text()
                    state = self.steps.cellWidget(r, 1)
                    assert isinstance(state, QComboBox)
                    day_item, note_item = self.steps.item(r, 2), self.steps.item(r, 3)
                    day = parse_date(day_item.text()) if day_item else None
                    link = self.steps.cellWidget(r, 4)
                    meeting_id = link.currentData() if isinstance(link, QComboBox) else None
                    self.book.appraisal.set_step(year, name, state.currentText(), day,
                                                 note_item.text() if note_item else "",
                                                 meeting_id)  # fmt: skip
        except (InputError, DateParseError) as exc:
            self.message.setText(f"步骤未保存：{exc}")
            return
        self.message.setText("步骤已保存。")

    def print_ballots(self) -> None:
        year = self.current_year
        job = ballot_job(self.book, year, self.copies.value())
        preview_pdf(self, lambda: job().data, "测评表", f"{year}年度民主评议党员测评表.pdf")

    def print_result(self) -> None:
        year = self.current_year
        job = result_job(self.book, year)
        name = f"{year}年度民主评议党员结果汇总表.pdf"
        preview_pdf(self, lambda: job().data, "结果汇总表", name)


def _readonly(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    return item
