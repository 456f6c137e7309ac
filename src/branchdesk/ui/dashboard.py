"""工作台: the branch at a glance, and every reminder the areas raise — grouped, counted,
and each one a link to the place where it is dealt with."""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from branchdesk.areas import Target, load
from branchdesk.areas.registry import AREAS
from branchdesk.domain.dates import format_cn
from branchdesk.store import Book
from branchdesk.store.changes import EVERYTHING
from branchdesk.ui.changes import watch
from branchdesk.ui.fonts import set_pixel_font
from branchdesk.ui.tasks import Recompute

if TYPE_CHECKING:
    from collections.abc import Callable

    from branchdesk.areas import Reminder

log = logging.getLogger(__name__)


def collect_reminders(book: Book, today: dt.date) -> list[Reminder]:
    """Every area's reminders, in registry order, most urgent first within a group."""
    out: list[Reminder] = []
    for area in AREAS:
        if area.reminders:
            out += load(area.reminders)(book, today)
    return out


class DashboardPage(QWidget):
    #: A reminder was clicked: open the place it points at.
    open_target = Signal(object)

    def __init__(self, book: Book) -> None:
        super().__init__()
        self.book = book
        self.title = QLabel()
        set_pixel_font(self.title, 22, bold=True)
        self.subtitle = QLabel()
        set_pixel_font(self.subtitle, 16)
        self.facts = QLabel()
        set_pixel_font(self.facts, 16)
        heading = QLabel("提醒（点击一条，打开处理它的地方）：")
        set_pixel_font(heading, 16, bold=True)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(True)
        font = QFont(self.tree.font())
        font.setPointSizeF(max(font.pointSizeF(), 12.0))
        self.tree.setFont(font)
        self.tree.itemActivated.connect(self._activated)
        self.tree.itemClicked.connect(self._activated)
        self.reminders: list[Reminder] = []
        # Reminders read meetings and the roll (seconds on a big book): computed on a
        # worker thread, on its own read-only connection, once the window has been
        # painted (`start`), and again after each change.
        self._started = False
        self._reminders = Recompute(self, self._reminders_job, self.show_reminders, self._failed,
                                    label="正在检查提醒…", progress=False)  # fmt: skip
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addSpacing(12)
        layout.addWidget(self.facts)
        layout.addSpacing(12)
        layout.addWidget(heading)
        layout.addWidget(self.tree, 1)
        watch(self, book, (EVERYTHING,), lambda _c: self.reload())
        self.reload()

    def reload(self) -> None:
        today = dt.date.today()
        # Counted in SQL (store/glance.py): the first picture needs no member or post built.
        facts = self.book.at_a_glance(today)
        self.title.setText(facts.name)
        self.subtitle.setText(
            f"上级党组织：{facts.parent_org or '（未填写）'}　今天是{format_cn(today)}"
        )
        on_roll, full = facts.on_roll, facts.full
        self.facts.setText(
            f"在册党员 {on_roll} 人（正式党员 {full} 人，预备党员 {on_roll - full} 人）\n"
            f"支部委员会 {facts.committee} 人　党小组 {facts.groups} 个"
        )
        if not self.reminders:
            self.tree.clear()
            QTreeWidgetItem(self.tree, ["正在检查提醒…"])
        if self._started:
            self._collect()

    def start(self) -> None:
        """The window has been painted: compute the reminders (in the background)."""
        if not self._started:
            self._started = True
            self._collect()

    def _collect(self) -> None:
        self._reminders.start()  # a change while computing: once more afterwards

    def _reminders_job(self) -> Callable[[], list[Reminder]] | None:
        if self.book.closed:
            return None
        today = dt.date.today()
        return self.book.read_job(lambda reader: collect_reminders(reader, today))

    def _failed(self, exc: BaseException) -> None:
        log.warning("提醒检查失败：%s", exc)
        self.tree.clear()
        QTreeWidgetItem(self.tree, [f"提醒检查失败：{exc}"])

    def show_reminders(self, reminders: list[Reminder]) -> None:
        # Qt's namespace builds ~120 Python enums when first touched (~40 ms): not on the
        # way to the first paint, so only here, after it.
        from PySide6.QtCore import Qt

        self.reminders = reminders
        self.tree.clear()
        groups: dict[str, list[Reminder]] = {}
        for r in reminders:
            groups.setdefault(r.group, []).append(r)
        for name, items in groups.items():
            top = QTreeWidgetItem(self.tree, [f"{name}（{len(items)}）"])
            top.setFlags(top.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            bold = QFont(self.tree.font())
            bold.setBold(True)
            top.setFont(0, bold)
            for r in sorted(items, key=lambda r: r.urgency):
                child = QTreeWidgetItem(top, [r.text])
                child.setData(0, Qt.ItemDataRole.UserRole, r.target)
                child.setToolTip(0, "点击打开")
            top.setExpanded(True)
        if not groups:
            QTreeWidgetItem(self.tree, ["目前没有需要处理的事项。"])

    def group_counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.reminders:
            out[r.group] = out.get(r.group, 0) + 1
        return out

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        from PySide6.QtCore import Qt

        target = item.data(0, Qt.ItemDataRole.UserRole)
        if isinstance(target, Target):
            self.open_target.emit(target)
