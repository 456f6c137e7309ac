"""The screen and the keyboard: what the main window needs for its first picture.

Kept apart from `branchdesk.ui.widgets` (which re-exports it): importing that module
makes PySide build the Python types of the dialogs, tables and line edits it uses, which
the first paint does not need.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QMainWindow, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QShortcut

#: What the window manager adds around a window (title bar, borders): a window whose own
#: size leaves this much room fits the screen with its frame.
FRAME_WIDTH = 16
FRAME_HEIGHT = 40


def available_geometry(widget: QWidget | None = None) -> QRect:
    """The screen area a window may use (without the taskbar): of the screen under the
    widget's centre, else of the primary screen.

    Not ``widget.screen()``: PySide makes the QScreen it returns a child of the widget's
    Python object (its heuristic for methods returning a QObject), and a dialog's object
    collected in a reference cycle could then take the screen down with it — Qt kept
    using the destroyed screen and the program crashed later, anywhere (seen as
    ``QScreen::virtualSiblings`` and ``QCursor::pos`` in the test suite). The static
    ``screenAt`` returns the screen with no owner."""
    screen = None
    if widget is not None:
        screen = QGuiApplication.screenAt(widget.mapToGlobal(widget.rect().center()))
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit_to_screen(widget: QWidget, width: int | None = None, height: int | None = None) -> None:
    """Resize ``widget`` to the wished size, or less where the screen is smaller, and place
    it inside the screen: on a 1366×768 laptop the 保存/关闭 buttons must be on screen."""
    area = available_geometry(widget)
    room_w, room_h = area.width() - FRAME_WIDTH, area.height() - FRAME_HEIGHT
    wish_w = width if width is not None else widget.width()
    wish_h = height if height is not None else widget.height()
    w = max(min(wish_w, room_w), min(widget.minimumWidth(), room_w))
    h = max(min(wish_h, room_h), min(widget.minimumHeight(), room_h))
    widget.resize(w, h)
    x = area.x() + max((area.width() - w - FRAME_WIDTH) // 2, 0)
    y = area.y() + max((area.height() - h - FRAME_HEIGHT) // 2, 0) + FRAME_HEIGHT - 8
    widget.move(x, y)


class ScreenFitter(QObject):
    """Installed on the application: any window or dialog about to be shown larger than
    the screen (a message box with a long list, a dialog grown by its contents) is
    shrunk and moved inside it."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        # Dialogs and main windows only: menus, combo pop-ups and tooltips place
        # themselves and must not be centred.
        if (
            event.type() == QEvent.Type.Show
            and isinstance(obj, QDialog | QMainWindow)
            and not obj.property("bd_fitted")
        ):
            area = available_geometry(obj)
            if (
                obj.width() + FRAME_WIDTH > area.width()
                or obj.height() + FRAME_HEIGHT > area.height()
                or not area.contains(obj.geometry())
            ):
                obj.setProperty("bd_fitted", True)
                fit_to_screen(obj)
        return False


def shortcut(keys: Any, parent: QObject, slot: Callable[[], object]) -> QShortcut:
    """A keyboard shortcut on ``parent`` (``keys``: a QKeySequence or a StandardKey).
    QKeySequence and QShortcut are imported here, not with the module: the main window's
    first picture has no shortcuts yet (they are added once it is painted)."""
    from PySide6.QtGui import QKeySequence, QShortcut

    made = QShortcut(keys if isinstance(keys, QKeySequence) else QKeySequence(keys), parent)
    made.activated.connect(slot)
    return made
