"""The idle lock of a book with a password: after N minutes without a key or a click
(设置 → 账簿密码), every window of the program is covered and the password is asked again.

Nothing is closed or thrown away: the curtains lie over the windows (and over any open
dialog), so what was typed but not saved is still there after the password. The book's
connection stays open — a backup running in the background goes on — the lock only
decides who may look.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from branchdesk.store import Book, cipher
from branchdesk.ui.password import PasswordDialog

#: How often to look whether the idle time has passed.
CHECK_MS = 15_000
_INPUT = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class Curtain(QWidget):
    """An opaque cover over one window's content."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setAutoFillBackground(True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("background: #e9ecef;")
        label = QLabel("窗口已锁定，请输入账簿密码。")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        window.installEventFilter(self)
        self.cover()

    def cover(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.raise_()
        self.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.parentWidget() and event.type() in (
            QEvent.Type.Resize,
            QEvent.Type.ChildAdded,
        ):
            QTimer.singleShot(0, self, self.cover)
        return False


class IdleLock(QObject):
    def __init__(
        self, window: QWidget, book: Book, minutes: Callable[[], int] | None = None
    ) -> None:
        super().__init__(window)
        self.window = window
        self.book = book
        if minutes is None:
            from branchdesk.ui.settings.password import idle_minutes

            def minutes() -> int:
                return 0 if book.closed else idle_minutes(book)

        self._minutes = minutes
        self.last_input = time.monotonic()
        self.curtains: list[Curtain] = []
        self.dialog: PasswordDialog | None = None
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_MS)
        self.timer.timeout.connect(lambda: self.check_idle())
        self.timer.start()

    @property
    def locked(self) -> bool:
        return self.dialog is not None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in _INPUT and not self.locked:
            self.last_input = time.monotonic()
        return False

    def check_idle(self, now: float | None = None) -> bool:
        """Lock when the book has a password and the idle time has passed."""
        minutes = self._minutes()
        if self.locked or minutes <= 0 or self.book.closed:
            return False
        if not cipher.book_is_encrypted(self.book):
            return False
        if (now if now is not None else time.monotonic()) - self.last_input < minutes * 60:
            return False
        self.lock_now()
        return True

    def lock_now(self) -> None:
        if self.locked:
            return
        for top in QApplication.topLevelWidgets():
            if top.isVisible() and not isinstance(top, Curtain):
                self.curtains.append(Curtain(top))
        path = self.book.path
        dialog = PasswordDialog(
            path,
            lambda password: cipher.check_password(path, password),
            self.window,
            text=f"窗口已锁定（{self._minutes()} 分钟无操作）。请输入账簿“{path.name}”的密码继续。",
            cancel=False,
        )
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        dialog.accepted.connect(self.unlock)
        self.dialog = dialog
        dialog.open()

    def unlock(self) -> None:
        for curtain in self.curtains:
            parent = curtain.parentWidget()
            if parent is not None:
                parent.removeEventFilter(curtain)
            curtain.hide()
            curtain.deleteLater()
        self.curtains.clear()
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None
        self.last_input = time.monotonic()
