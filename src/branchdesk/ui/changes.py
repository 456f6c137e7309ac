"""Pages that never go stale: a page says which areas it shows, and is refreshed after
every committed write to them — its own, another page's, a worker thread's import, a
restore, or another program's (noticed by `Book.poll_external`).

The book's `ChangeBus` calls listeners on the committing thread; `_Relay` turns that into
a Qt signal, which Qt delivers directly on the GUI thread and queued from a worker. A
page that is hidden is only marked stale and refreshes when it is next shown, so a write
never pays for pages nobody is looking at.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QWidget

from branchdesk.store import Book
from branchdesk.store.changes import Change


class _Relay(QObject):
    changed = Signal(object)


class Watch(QObject):
    """Calls ``refresh(change)`` on ``widget`` for every change of ``areas``."""

    def __init__(
        self,
        widget: QWidget,
        book: Book,
        areas: Iterable[str],
        refresh: Callable[[Change], None],
    ) -> None:
        super().__init__(widget)
        self.widget = widget
        self.book = book
        self.areas = tuple(areas)
        self.refresh = refresh
        self.stale: Change | None = None
        self._relay = _Relay(self)
        self._relay.changed.connect(self._on_change)
        self._unsubscribe = book.changes.subscribe(self._relay.changed.emit)
        widget.destroyed.connect(self._unsubscribe)
        widget.installEventFilter(self)

    def _on_change(self, change: Change) -> None:
        if not change.touches(self.areas) or self.book.closed:
            return
        if change.writer != id(self.book.writer):
            # Announced already, from another connection of this program: the next
            # poll must not take it for another program's write.
            self.book.acknowledge_external()
        # Hidden behind another page of a shown window: refresh when shown. (A page that
        # is not in a shown window at all — a dialog's parent, a test — refreshes now.)
        if self.widget.isVisible() or not self.widget.window().isVisible():
            self.refresh(change)
        else:
            self.stale = change

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        # A window collected as garbage (in a reference cycle) has its Python objects
        # emptied before Qt destroys the widgets, and the widgets still get events while
        # they go: then this object has no attributes left, and nothing is to be done.
        if "widget" not in self.__dict__:
            return False
        if watched is self.widget and event.type() == QEvent.Type.Show and self.stale:
            change, self.stale = self.stale, None
            if not self.book.closed:
                self.refresh(change)
        return False


def watch(
    widget: QWidget, book: Book, areas: Iterable[str], refresh: Callable[[Change], None]
) -> Watch:
    return Watch(widget, book, areas, refresh)
