"""Helpers for GUI tests: type as a person does, answer modal dialogs, record message boxes."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox


def type_text(qtbot, widget, text: str) -> None:
    """Type like a person: ASCII by key presses, Chinese as an input method commits it
    (QTest cannot press keys for non-ASCII characters)."""
    from PySide6.QtGui import QInputMethodEvent

    widget.setFocus()
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
        else:
            event = QInputMethodEvent()
            event.setCommitString(ch)
            QApplication.sendEvent(widget, event)


def when_modal(qtbot, action):
    """Run ``action(dialog)`` on the next modal dialog that opens (exec() blocks)."""
    done = []

    def poll():
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog):
            dialog.activateWindow()  # as the window manager would; shortcuts need it
            QApplication.processEvents()
            try:
                action(dialog)
            finally:
                done.append(dialog)
                if dialog.isVisible():  # the action did not close it: never hang the suite
                    dialog.done(0)
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
    return done


def record_message_boxes(monkeypatch) -> list[tuple[str, str]]:
    """Message boxes would block a test: record them (answering Yes) instead."""
    shown: list[tuple[str, str]] = []

    def record(kind):
        def box(_parent, title, text, *a, **k):
            shown.append((kind, f"{title}：{text}"))
            return QMessageBox.StandardButton.Yes

        return box

    for kind in ("information", "warning", "critical", "question"):
        monkeypatch.setattr(QMessageBox, kind, record(kind))
    return shown


def roll_shown(qtbot, page, timeout: int = 10000) -> None:
    """Wait until the 党员名册 page shows the roll its worker read (after it opened or
    after a change)."""
    qtbot.waitUntil(lambda: page.shown and not page.busy, timeout=timeout)
