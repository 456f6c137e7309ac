"""Background work: runs off the GUI thread and reports back by signal on the GUI thread.

A task that touches the book opens its own connection (a SQLite connection belongs to the
thread that opened it).
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget
from shiboken6 import isValid


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object, str)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # reported to the GUI thread, which decides what to show
            self.signals.failed.emit(exc, traceback.format_exc())
        else:
            self.signals.done.emit(result)


_running: set[_Job] = set()


def run_in_background(
    parent: QWidget,
    fn: Callable[[], Any],
    on_done: Callable[[Any], object],
    on_error: Callable[[BaseException], object],
    *,
    label: str = "正在处理…",
    show_after_ms: int = 500,
    progress: bool = True,
) -> _Job:
    """Run ``fn`` in the thread pool; a busy dialog appears only if it lasts longer than
    ``show_after_ms`` (never with ``progress=False``: silent housekeeping)."""
    job = _Job(fn)
    dialog = QProgressDialog(label, "", 0, 0, parent)
    dialog.setCancelButton(None)
    dialog.setWindowTitle("请稍候")
    dialog.setMinimumDuration(show_after_ms)
    dialog.setAutoClose(True)
    timer = QTimer(parent)
    timer.setSingleShot(True)
    if progress:
        timer.timeout.connect(dialog.show)
        timer.start(show_after_ms)
    else:
        dialog.cancel()
    _running.add(job)

    def finish() -> bool:
        """Tidy up; False when the widget that asked is gone (its window was closed):
        the work itself is done, there is nobody left to tell."""
        _running.discard(job)
        if not (isValid(parent) and isValid(timer) and isValid(dialog)):
            return False
        timer.stop()
        dialog.reset()
        dialog.deleteLater()
        return True

    def done(result: object) -> None:
        if finish():
            on_done(result)

    def failed(exc: object, _tb: str) -> None:
        assert isinstance(exc, BaseException)
        if finish():
            on_error(exc)

    job.signals.done.connect(done)
    job.signals.failed.connect(failed)
    job.setAutoDelete(False)
    QThreadPool.globalInstance().start(job)
    return job
