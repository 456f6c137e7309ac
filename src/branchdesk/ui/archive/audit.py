"""修改记录: the book's audit trail (append-only), filtered by date and area."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from branchdesk.areas.registry import AREAS
from branchdesk.domain.archive import without_rewrites
from branchdesk.store import Book, InputError
from branchdesk.ui.widgets import DateLineEdit

HEADERS = ("时间", "操作人", "范围", "记录", "记录号", "操作", "内容")

#: How the secretary names what changed; a table or column not listed shows its own name.
TABLE_NAMES = {
    "meeting": "会议记录", "meeting_type": "会议类型", "meeting_agenda": "议题",
    "meeting_attendance": "出缺席", "meeting_exclusion": "不计入应到",
    "meeting_resolution": "决议", "meeting_attachment": "附件", "member": "党员",
    "member_event": "组织关系变动", "party_group": "党小组", "committee_post": "支委会职务",
    "archive_correction": "更正",
}  # fmt: skip
COLUMN_NAMES = {
    "title": "名称", "date": "日期", "start_time": "开始时间", "end_time": "结束时间",
    "belongs_to_year": "所属年度", "scope": "参加范围", "place": "地点", "host": "主持人",
    "recorder": "记录人", "guests": "列席", "content": "内容", "lecturer": "主讲人",
    "topic": "党课题目", "theme": "主题", "text": "内容", "status": "出席情况",
    "reason": "原因", "name": "姓名", "phone": "电话", "post": "职务", "notes": "备注",
    "category": "人员类别", "kind": "类别", "note": "说明", "end_date": "结束日期",
    "member_id": "党员编号", "meeting_id": "会议编号", "type": "类型",
}  # fmt: skip


def readable(summary: str) -> str:
    """The audit summary with its column names in the secretary's words."""
    out = []
    for part in summary.split("；"):
        key, sep, rest = part.partition("：") if "：" in part else part.partition("=")
        out.append(COLUMN_NAMES.get(key, key) + sep + rest if sep else part)
    return "；".join(out)


class AuditView(QWidget):
    def __init__(self, book: Book, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.since = DateLineEdit()
        self.until = DateLineEdit()
        self.since.set_date(dt.date.today() - dt.timedelta(days=90))
        self.area = QComboBox()
        self.area.addItem("全部", None)
        for a in AREAS:
            self.area.addItem(a.title, a.key)
        self.count = QLabel()
        apply = QPushButton("查看")
        apply.clicked.connect(self.reload)
        self.area.currentIndexChanged.connect(self.reload)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setColumnWidth(0, 150)
        filters = QHBoxLayout()
        for w in (QLabel("从"), self.since, QLabel("到"), self.until, QLabel("范围"), self.area,
                  apply):  # fmt: skip
            filters.addWidget(w)
        filters.addStretch()
        filters.addWidget(self.count)
        note = QLabel("修改记录只能追加，不能修改或删除；谈话内容等只记“已修改”，不抄录内容。")
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(note)
        layout.addWidget(self.table)
        self.reload()

    def reload(self) -> None:
        try:
            since, until = self.since.date(), self.until.date()
        except (ValueError, InputError):
            return
        titles = {a.key: a.title for a in AREAS}
        entries = without_rewrites(
            self.book.archive.audit(since=since, until=until, area=self.area.currentData())
        )
        self.entries = entries
        keyed = [
            ((e.at, e.id), (e.at, e.who, titles.get(e.area, e.area),
                            TABLE_NAMES.get(e.table, e.table), str(e.row_id or ""), e.action,
                            readable(e.summary(120))))
            for e in entries
        ]  # fmt: skip
        # Filing and un-filing (with its reason) are logged acts too.
        area = self.area.currentData()
        if area in (None, "archive"):
            for f in self.book.archive.filings():
                day = dt.date.fromisoformat(f.at[:10])
                if (since and day < since) or (until and day > until):
                    continue
                what = f"{f.year}年度" + (f"；原因：{f.reason}" if f.reason else "")
                row = (f.at, f.who, "档案", "年度归档", str(f.year), f.action, what)
                keyed.append(((f.at, f.id), row))
            keyed.sort(key=lambda k: k[0], reverse=True)  # newest first; same second: by id
        rows = [row for _key, row in keyed]
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.count.setText(f"共 {len(rows)} 条")
