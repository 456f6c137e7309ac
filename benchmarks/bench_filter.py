"""Filtering the 5,000-member roster by typing in the real main window, repaint included.

The main window is opened on the 5,000 × 10 years book (1180×720) and switched to 党员名册;
the search box has the focus. Each timed step is what a user does:
  a keystroke   a key press and release sent to the window (QTest on its QWindow, so the
                event goes through the platform layer, shortcuts and focus handling), e.g.
                z, h, a, then Backspace ×3;
  Chinese       a committed input-method string (what an IME sends: 张, then 伟), then
                Backspace ×2;
  a 党小组 / 显示已转出 change.
Each step is timed from just before the event to the end of the `processEvents()` that
follows it, which runs the filter, resets the model and paints the visible rows (a paint
counter on the table's viewport checks that it did). Judged on the 90th percentile of the
keystrokes: one frame (16 ms).

Timing starts once the window's start-up work is over — the roll read for the page, the
integrity check, the reminders, reading the search text and catching up the search index
run on worker threads for the first seconds (the index is built in each fresh copy of the
book, a write that the next poll takes in with a refresh of every page). Keystrokes typed
meanwhile are a row of their own, not judged. And before each timed step the event loop is
let settle: the steps alternate between two windows, and the repaint that the activation
of one and the deactivation of the other ask for is not part of a keystroke (it fell
inside the timed `processEvents()` and cost both the keystroke and its baseline several
milliseconds).

Baselines, interleaved: the same keystroke in a bare QLineEdit in a bare window (no
filtering: the floor for a key event and a repaint), and repainting the table's rows
without filtering (viewport().update()).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_filter.py
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable

from _common import LARGE, Result, book_copy, main, percentile, progress, quiet_qt_warnings
from _common import temp_dir as _temp_dir

TARGET = 0.016

Step = tuple[str, str, Callable[[], None]]


def _window(path):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QEvent, QObject

    from branchdesk.app import setup_qt
    from branchdesk.store import open_book
    from branchdesk.ui.main_window import MainWindow

    app = setup_qt(["bench_filter"])
    quiet_qt_warnings()
    book = open_book(path)
    window = MainWindow(book)
    window.show()
    window.show_page("roster")
    page = window.roster
    for _ in range(10):
        app.processEvents()
    window.activateWindow()
    page.search.setFocus()
    app.processEvents()

    class PaintCounter(QObject):
        paints = 0

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                PaintCounter.paints += 1
            return False

    counter = PaintCounter(page)
    page.table.viewport().installEventFilter(counter)
    return app, book, window, page, PaintCounter


def _settle(app) -> None:  # type: ignore[no-untyped-def]
    """Run the event loop until a pass paints nothing (what the step before left,
    such as the repaint of a window that was just activated or deactivated)."""
    from PySide6.QtCore import QEvent, QObject

    class Paints(QObject):
        seen = 0

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                Paints.seen += 1
            return False

    spy = Paints()
    app.installEventFilter(spy)
    try:
        quiet = 0
        for _ in range(20):
            before = Paints.seen
            app.processEvents()
            quiet = quiet + 1 if Paints.seen == before else 0
            if quiet >= 2:
                break
            time.sleep(0.002)  # an update that waits for a timer
    finally:
        app.removeEventFilter(spy)


def _start_up_done(app, window, book) -> bool:  # type: ignore[no-untyped-def]
    """Whether the work the window starts when it opens is over (nothing on the worker
    threads for a moment, the search text read and the index caught up)."""
    from PySide6.QtCore import QThreadPool

    pool = QThreadPool.globalInstance()
    search = book.search
    busy = window.search_text_timer.isActive() or search.loading or search.indexing
    busy = busy or window.roster.busy or not window.roster.shown  # the roll read on a worker
    if busy or pool.activeThreadCount():
        return False
    for _ in range(5):
        app.processEvents()
        time.sleep(0.02)
        if pool.activeThreadCount():
            return False
    # The index's writes came through a connection of its own: take them in now (one
    # refresh of every page), not at the window's next poll in the middle of the run.
    book.poll_external()
    app.processEvents()
    return True


def _ime(widget, text: str) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def _steps(window, page) -> list[Step]:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    handle = window.windowHandle()

    def key(k: Qt.Key, text: str = "") -> Callable[[], None]:
        return lambda: QTest.keyClick(handle, k, Qt.KeyboardModifier.NoModifier)

    def ime(text: str) -> Callable[[], None]:
        return lambda: _ime(page.search, text)

    back = key(Qt.Key.Key_Backspace)
    ks, cn, bs = "keystroke, pinyin initials", "keystroke, Chinese (input method)", "Backspace"
    groups = page.group.count()
    grp, lft = "党小组 filter change", "显示已转出 toggle"
    return [
        (ks, "z", key(Qt.Key.Key_Z)),
        (ks, "zh", key(Qt.Key.Key_H)),
        (ks, "zha", key(Qt.Key.Key_A)),
        (bs, "zh", back),
        (bs, "z", back),
        (bs, "(empty)", back),
        (cn, "张", ime("张")),
        (cn, "张伟", ime("伟")),
        (bs, "张", back),
        (bs, "(empty)", back),
        (ks, "w", key(Qt.Key.Key_W)),
        (ks, "wf", key(Qt.Key.Key_F)),
        (bs, "w", back),
        (bs, "(empty)", back),
        (grp, "group 1", lambda: page.group.setCurrentIndex(1)),
        (grp, "全部", lambda: page.group.setCurrentIndex(0)),
        (grp, "未分组", lambda: page.group.setCurrentIndex(groups - 1)),
        (grp, "全部", lambda: page.group.setCurrentIndex(0)),
        (lft, "on", lambda: page.include_left.setChecked(True)),
        (lft, "off", lambda: page.include_left.setChecked(False)),
    ]


def _bare_editor():  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QLineEdit, QMainWindow

    bare = QMainWindow()
    edit = QLineEdit()
    bare.setCentralWidget(edit)
    bare.resize(1180, 720)
    bare.show()
    return bare, edit


def run(quick: bool = False) -> Result:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    reps = 3 if quick else 25
    result = Result("Roster filter, 5,000 members")
    with _temp_dir("filter") as tmp:
        from pathlib import Path

        app, book, window, page, counter = _window(book_copy(LARGE, Path(tmp)))
        steps = _steps(window, page)
        kinds = list(dict.fromkeys(kind for kind, _, _ in steps))
        samples: dict[str, list[float]] = {k: [] for k in kinds}
        cpu: dict[str, list[float]] = {k: [] for k in kinds}
        bare_key: list[float] = []
        repaint: list[float] = []
        unpainted = 0
        shown: dict[str, int] = {}
        clock = time.perf_counter
        bare, edit = _bare_editor()
        kinds_typed = set(kinds[:3])

        def step(action: Callable[[], None]) -> tuple[float, float, bool]:
            window.activateWindow()
            page.search.setFocus()
            _settle(app)
            before = counter.paints
            c0 = time.thread_time()
            t0 = clock()
            action()
            app.processEvents()
            t1 = clock()
            c1 = time.thread_time()
            return t1 - t0, c1 - c0, counter.paints > before

        # While the start-up work runs: whole rounds of the steps, kept apart.
        during: list[float] = []
        started = clock()
        while not _start_up_done(app, window, book) and clock() - started < 120:
            for kind, _label, action in steps:
                wall, _cpu, _painted = step(action)
                if kind in kinds_typed:
                    during.append(wall)
        start_up = clock() - started
        for rep in range(reps + 1):  # rep 0 warms up and is not counted
            for kind, label, action in steps:
                wall, used, painted = step(action)
                for _ in range(2):
                    app.processEvents()
                # baselines, right after: a key in a bare line edit; repainting the rows
                bare.activateWindow()
                edit.setFocus()
                _settle(app)
                t2 = clock()
                QTest.keyClick(bare.windowHandle(), Qt.Key.Key_X)
                app.processEvents()
                t3 = clock()
                edit.clear()
                _settle(app)
                t4 = clock()
                page.table.viewport().update()
                app.processEvents()
                t5 = clock()
                if rep:
                    samples[kind].append(wall)
                    cpu[kind].append(used)
                    bare_key.append(t3 - t2)
                    repaint.append(t5 - t4)
                    unpainted += not painted
                    shown[f"{kind}: {label}"] = page.model.rowCount()
            if rep % 5 == 0:
                progress(f"filter: repetition {rep}/{reps}")
        text_left = page.search.text()
        book.close(backup=False)

    bare_name = "baseline: a keystroke in a bare QLineEdit"
    paint_name = "baseline: repaint the rows only (viewport.update)"
    result.add(bare_name, bare_key)
    result.add(paint_name, repaint)
    typed = samples[kinds[0]] + samples[kinds[1]] + samples[kinds[2]]
    typed_cpu = cpu[kinds[0]] + cpu[kinds[1]] + cpu[kinds[2]]
    for kind in kinds:
        result.add(kind, samples[kind], baseline=paint_name)
    every = result.add(
        "every keystroke (letters, input method, Backspace)",
        typed,
        baseline=paint_name,
        target="p90 ≤ 16 ms",
        met=percentile(typed, 90) <= TARGET,
    )
    every.headline = "roster filter, real key events in the main window, 5,000 members"
    every.target = "≤ 16 ms per keystroke at p90 (one frame)"
    every.measured = (
        f"p50 {every.median * 1000:.1f} ms, p90 {(every.p90 or 0) * 1000:.1f} ms "
        f"(max {every.max * 1000:.0f} ms; bare line edit p50 "
        f"{result.row(bare_name).median * 1000:.1f} ms); GUI-thread CPU p50 "
        f"{statistics.median(typed_cpu) * 1000:.1f} ms, "
        f"p90 {percentile(typed_cpu, 90) * 1000:.1f} ms"
    )
    result.add("every keystroke: GUI-thread CPU time (not wall)", typed_cpu)
    if during:
        result.add(
            "keystrokes while the start-up work runs (first seconds; not judged)", during
        )
    over = sum(1 for s in typed if s > TARGET)
    result.notes.append(
        f"Timing began {start_up:.1f} s after the window opened, when its start-up work "
        f"was over ({len(during)} keystrokes typed meanwhile, a row of their own). "
        f"{len(typed)} timed keystrokes, {over} over 16 ms; {unpainted} steps of all kinds "
        "without a viewport paint inside the timed processEvents(); search text left at "
        f"the end: {text_left!r}. Rows shown after each step: "
        + ", ".join(f"{k} {v}" for k, v in shown.items())
        + "."
    )
    result.notes.append(f"Python {sys.version.split()[0]}.")
    return result


def profile() -> None:
    from pathlib import Path

    from _common import profile_call

    with _temp_dir("filter-prof") as tmp:
        app, book, window, page, _ = _window(book_copy(LARGE, Path(tmp)))
        steps = _steps(window, page)
        while not _start_up_done(app, window, book):
            app.processEvents()
            time.sleep(0.05)

        def work() -> None:
            for _ in range(10):
                for _k, _l, action in steps:
                    action()
                    app.processEvents()

        print(profile_call(work))
        book.close(backup=False)


if __name__ == "__main__":
    main(run, profile)
