"""Background work: runs off the GUI thread and reports back by signal on the GUI thread.

A task that touches the book opens its own connection (a SQLite connection belongs to the
thread that opened it).
"""

from __future__ import annotations

import gc
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext, suppress
from functools import cache
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid


class _Signals(QObject):
    finished = Signal()


class _Job(QRunnable):
    """One piece of work for the pool. The worker thread never holds the last reference to
    anything: what the work needs (``fn``, which may close over a page) and what it gives
    back (a result, or an exception whose traceback holds the work's frames) stay on the
    job until the GUI thread takes them (`take`). Dropping the last reference to a widget
    on a worker thread deletes it there, and that corrupts memory (a crash later, anywhere)."""

    def __init__(self, fn: Callable[[], Any], *, share: bool = True) -> None:
        super().__init__()
        self.fn = fn
        self.share = share
        self.outcome: tuple[bool, Any, str] | None = None
        self.signals = _Signals()

    def run(self) -> None:
        # No cyclic garbage collection on this thread, ever (see _GuiThreadCollector), and
        # none on the GUI thread while the job builds (`gc_paused`); the GUI thread gets
        # the interpreter back quickly meanwhile (`gui_first`, unless ``share`` is off).
        # One job at a time (`_turn`).
        with _turn, gc_paused(), gui_first() if self.share else nullcontext():
            try:
                self.outcome = (True, self.fn(), "")
            except Exception as exc:  # reported to the GUI thread, which decides what to show
                self.outcome = (False, exc, traceback.format_exc())
        give_back_memory()
        # RuntimeError: the application is gone (its end waits for jobs, `wait_for_jobs`)
        with suppress(RuntimeError):
            self.signals.finished.emit()

    def take(self) -> tuple[bool, Any, str]:
        """On the GUI thread: the outcome, and the job lets go of its work (a PDF's view)."""
        outcome, self.outcome, self.fn = self.outcome, None, _spent
        assert outcome is not None, "a job's outcome is taken once, after it has run"
        return outcome


#: Background jobs run one at a time. Python runs one thread at a time anyway (the GIL), so
#: two jobs side by side finish no sooner; but with two workers running Python the GUI
#: thread starves: it asks for the interpreter back only when no switch happened while it
#: waited, and two workers handing it to each other every millisecond always switch. A
#: year's volume built beside the 年度落实情况's computation or the 工作台's reminders
#: stalled the window 200–400 ms at a time (60 ms alone). A job waiting for its turn holds
#: a pool thread, not the interpreter.
_turn = threading.Lock()


def give_back_memory() -> None:
    """Hand the memory a finished job freed back to the system (glibc's ``malloc_trim``).
    A job allocates in its worker thread's own malloc arena; what it frees there stays
    with the process, unusable by the GUI thread, whose preview pages then take fresh
    memory on top (a year's volume: 10–15 MB more at the peak). Elsewhere: nothing."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        libc = ctypes.CDLL(None)
        trim: Callable[[int], int] = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc (musl has none)
        return None
    return trim


def _spent() -> None:
    raise RuntimeError("a background job runs once")


_running: set[_Job] = set()
#: Finished jobs whose run() may still be returning on a pool thread: the wrapper must
#: outlive it (freeing a QRunnable that is still inside run() crashes the process), so
#: they are let go only when the pool is idle.
_retired: list[_Job] = []


def _let_go_of_retired() -> None:
    if _retired and QThreadPool.globalInstance().activeThreadCount() == 0:
        _retired.clear()


def run_in_background(
    parent: QWidget,
    fn: Callable[[], Any],
    on_done: Callable[[Any], object],
    on_error: Callable[[BaseException], object],
    *,
    label: str = "正在处理…",
    show_after_ms: int = 500,
    progress: bool = True,
    share: bool = True,
) -> _Job:
    """Run ``fn`` in the thread pool; a busy dialog appears only if it lasts longer than
    ``show_after_ms`` (never with ``progress=False``: silent housekeeping).

    ``share=False`` for short work the user waits for (a page's data, ~50 ms): it runs at
    Python's usual switch interval rather than handing the interpreter to the GUI thread
    every millisecond (`gui_first`), which made it a third slower (55 → 78 ms for the
    年度落实情况 at 5,000 members) for no gain in so short a time."""
    collect_on_gui_thread()
    _let_go_of_retired()
    job = _Job(fn, share=share)
    from PySide6.QtWidgets import QProgressDialog  # not at import: start-up does not need it

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
        """Tidy up; False when the parent was deleted meanwhile (nobody to tell)."""
        _running.discard(job)
        _retired.append(job)
        QTimer.singleShot(100, _let_go_of_retired)
        if not (isValid(parent) and isValid(timer) and isValid(dialog)):
            return False
        timer.stop()
        dialog.reset()
        dialog.deleteLater()
        return True

    def finished() -> None:
        ok, value, _tb = job.take()
        if not finish():
            return
        if ok:
            on_done(value)
        else:
            assert isinstance(value, BaseException)
            on_error(value)

    job.signals.finished.connect(finished)
    job.setAutoDelete(False)
    QThreadPool.globalInstance().start(job)
    return job


class Recompute:
    """A page's data computed in the background, one computation at a time: asked for again
    while one runs (a change came in), it runs once more afterwards with the newest inputs,
    and only that last result is shown. ``make_job`` returns the work, or None when there is
    nothing to compute (the book is closed)."""

    def __init__(
        self,
        parent: QWidget,
        make_job: Callable[[], Callable[[], Any] | None],
        on_done: Callable[[Any], object],
        on_error: Callable[[BaseException], object],
        *,
        label: str,
        progress: bool = True,
        share: bool = True,
    ) -> None:
        self.parent, self.make_job = parent, make_job
        self.on_done, self.on_error = on_done, on_error
        self.label, self.progress, self.share = label, progress, share
        self._running = self._again = False

    @property
    def busy(self) -> bool:
        """Running, or one more computation is due: what is shown is about to change."""
        return self._running or self._again

    def start(self) -> None:
        if self._running:
            self._again = True
            return
        job = self.make_job()
        if job is None:
            return
        self._running = True
        run_in_background(self.parent, job, self._done, self._failed, label=self.label,
                          progress=self.progress, share=self.share)  # fmt: skip

    def _done(self, result: object) -> None:
        self._running = False
        if self._again:
            self._again = False
            self.start()
            return
        self.on_done(result)

    def _failed(self, exc: BaseException) -> None:
        self._running = self._again = False
        self.on_error(exc)


def wait_for_jobs(most_ms: int = 10_000) -> bool:
    """Once the window has closed: let the jobs still running (a full check of the file, the
    search index being written) finish before the interpreter ends, at most ``most_ms``."""
    return bool(QThreadPool.globalInstance().waitForDone(most_ms))


_gc_lock = threading.Lock()
_gc_holds = 0

#: How long a thread may keep the interpreter while another waits for it, while a job
#: runs (Python's default is 5 ms). See `gui_first`.
SWITCH_INTERVAL = 0.001
_switch_lock = threading.Lock()
_switch_holds = 0
_switch_default = sys.getswitchinterval()


@contextmanager
def gui_first() -> Iterator[None]:
    """While a job runs, a shorter switch interval: the GUI thread waits at most ~1 ms,
    not 5, each time it needs the interpreter back from a worker running Python. The GUI
    thread gives the interpreter up at every call into Qt and every file read, so one
    import, one dialog, one burst of events needs it back dozens of times: at 5 ms a time
    that was most of the 100–400 ms the window stalled while a year's volume was laid
    out beside it (≤ 50 ms at 1 ms). The volume takes no longer to make: the worker is
    switched only when the GUI thread is waiting."""
    global _switch_holds, _switch_default
    with _switch_lock:
        if _switch_holds == 0:
            _switch_default = sys.getswitchinterval()
            sys.setswitchinterval(min(SWITCH_INTERVAL, _switch_default))
        _switch_holds += 1
    try:
        yield
    finally:
        with _switch_lock:
            _switch_holds -= 1
            if _switch_holds == 0:
                sys.setswitchinterval(_switch_default)


class _GuiThreadCollector(QObject):
    """Cyclic garbage collection on the GUI thread only.

    Python collects cycles on whichever thread happens to allocate past the threshold. A
    collection on a worker thread finalises whatever garbage there is — widgets and dialogs
    in reference cycles (their Qt side belongs to the GUI thread), a PDFium document a
    closed preview still held — and that corrupts memory; the process crashes later,
    anywhere. So automatic collection is off for the whole process and this timer, on the
    GUI thread, collects what the counts ask for (as Python would), except while a long
    job asks for a pause (`gc_paused`).
    """

    def __init__(self) -> None:
        super().__init__()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(200)
        self.timer.timeout.connect(self.collect)
        self.timer.start()

    def collect(self) -> None:
        if _gc_holds:
            return
        counts = gc.get_count()
        thresholds = gc.get_threshold()
        if counts[0] <= thresholds[0]:
            return
        generation = 0
        if counts[1] > thresholds[1]:
            generation = 2 if counts[2] > thresholds[2] else 1
        gc.collect(generation)


_collector: _GuiThreadCollector | None = None


def collect_on_gui_thread() -> None:
    """Install the GUI-thread collector (call on the GUI thread, with a QApplication);
    `run_in_background` does, before it starts the first worker."""
    global _collector
    if _collector is None:
        _collector = _GuiThreadCollector()


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a long job builds (reference counting still
    frees). A full collection holds the interpreter for every thread: with the objects of
    a 500-page volume it froze the window for ~200 ms at a time."""
    global _gc_holds
    with _gc_lock:
        _gc_holds += 1
        gc.disable()
    try:
        yield
    finally:
        with _gc_lock:
            _gc_holds -= 1
            if _gc_holds == 0 and _collector is None:
                gc.enable()
