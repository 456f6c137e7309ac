"""查找 (Ctrl+F anywhere): one box over every record of every year, results grouped by
area with the match highlighted; activating a result opens the record."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from branchdesk.areas import Hit, Target
from branchdesk.areas.archive.hooks import search_all
from branchdesk.store import Book

TYPING_DELAY_MS = 250
HIGHLIGHT = "background-color: #ffe066;"


def highlighted(hit: Hit) -> str:
    """The hit as rich text, the match marked."""
    t = hit.text
    return (
        html.escape(t[: hit.start])
        + f'<span style="{HIGHLIGHT}"><b>{html.escape(t[hit.start : hit.end])}</b></span>'
        + html.escape(t[hit.end :])
    )


def read_search_text(parent: QWidget, book: Book) -> None:
    """Have the search text read on a worker (ui/tasks: no garbage collection there, no
    progress shown) and held when it is done; and again whenever it is out of date, for as
    long as ``parent`` (the window) lives; then has the search index kept. Until then
    searches go to the index, or to SQL."""
    from branchdesk.ui.tasks import run_in_background

    repo = book.search
    if repo.on_stale is None:
        repo.on_stale = lambda: read_search_text(parent, book)

        def forget(*_args: object) -> None:  # the window is gone: nobody to read for
            repo.on_stale = None
            repo.loading = False

        parent.destroyed.connect(forget)
    if repo.loading:
        return
    read = repo.reader()
    if read is None:
        return
    repo.loading = True

    def done(texts: object) -> None:
        repo.loading = False
        repo.adopt(texts)  # type: ignore[arg-type]
        keep_search_index(parent, book)

    def failed(_exc: BaseException) -> None:
        repo.loading = False  # (the book went away meanwhile): searches use SQL

    run_in_background(parent, read, done, failed, progress=False)


def keep_search_index(parent: QWidget, book: Book) -> None:
    """Have the book's search index built (the first time) or caught up on a worker, so
    that the first search of the next opening, and every command-line search, uses it.
    A book that cannot be written (read-only) simply has none: searches use SQL."""
    from branchdesk.ui.tasks import run_in_background

    repo = book.search
    index = repo.indexer()
    if index is None or repo.indexing:
        return
    if not book.closed:
        book.poll_external()  # what others wrote before: announced now, not taken for ours
    repo.indexing = True

    def done(_sources: object) -> None:
        repo.indexing = False
        if not book.closed:
            book.index_done()

    def failed(_exc: BaseException) -> None:
        repo.indexing = False  # (a full disk, the book went away): searches use SQL
        if not book.closed:
            book.index_done()

    run_in_background(parent, index, done, failed, progress=False)


class SearchDialog(QDialog):
    open_target = Signal(object)

    def __init__(self, book: Book, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.setWindowTitle("查找（全部年度、全部记录）")
        self.resize(820, 560)
        self.query = QLineEdit()
        self.query.setPlaceholderText("姓名、拼音首字母（如 zs）、会议内容、决议、附件名…")
        self.query.setClearButtonEnabled(True)
        self.summary = QLabel()
        self.results = QTreeWidget()
        self.results.setHeaderLabels(["记录", "内容"])
        self.results.setColumnWidth(0, 300)
        self.results.itemActivated.connect(self._activated)
        self.results.itemDoubleClicked.connect(self._activated)
        self.hits: dict[str, list[Hit]] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_DELAY_MS)
        self._timer.timeout.connect(self.run_search)
        self.query.textChanged.connect(lambda _t: self._timer.start())
        self.query.returnPressed.connect(self.run_search)
        # Have the records' text read (on a worker: a big book takes a second) while the
        # user starts typing; until it is read, searches go to SQL.
        read_search_text(parent or self, book)
        layout = QVBoxLayout(self)
        layout.addWidget(self.query)
        layout.addWidget(self.summary)
        layout.addWidget(self.results, 1)

    def run_search(self) -> None:
        self._timer.stop()
        text = self.query.text().strip()
        self.results.clear()
        self.hits = search_all(self.book, text) if text else {}
        total = sum(len(h) for h in self.hits.values())
        if not text:
            self.summary.setText("")
        elif not total:
            self.summary.setText(f"没有找到“{text}”")
        else:
            self.summary.setText(f"找到 {total} 条")
        for area, hits in self.hits.items():
            group = QTreeWidgetItem([f"{area}（{len(hits)}）", ""])
            self.results.addTopLevelItem(group)
            for hit in hits:
                item = QTreeWidgetItem([hit.title, ""])
                item.setData(0, Qt.ItemDataRole.UserRole, hit.target)
                item.setToolTip(0, hit.title)
                group.addChild(item)
                label = QLabel(highlighted(hit))
                label.setTextFormat(Qt.TextFormat.RichText)
                self.results.setItemWidget(item, 1, label)
            group.setExpanded(True)

    def first_hit_item(self) -> QTreeWidgetItem | None:
        top = self.results.topLevelItem(0)
        return top.child(0) if top is not None and top.childCount() else None

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        target = item.data(0, Qt.ItemDataRole.UserRole)
        if isinstance(target, Target):
            self.open_target.emit(target)
            self.accept()
