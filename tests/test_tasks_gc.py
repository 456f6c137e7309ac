"""Background jobs and garbage collection: reference cycles are collected on the GUI
thread only. A collection on a worker finalised widgets and PDFium documents there and
crashed the test suite much later, in an unrelated QDialog.__init__."""

from __future__ import annotations

import gc
import threading

from PySide6.QtWidgets import QWidget

from branchdesk.ui.tasks import run_in_background


def test_cycles_left_by_a_job_are_collected_on_the_gui_thread(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    finalised_on: list[int] = []

    class Cycle:
        def __init__(self) -> None:
            self.me = self

        def __del__(self) -> None:
            finalised_on.append(threading.get_ident())

    def work() -> int:
        for _ in range(3000):  # garbage only a collection can free, past any threshold
            Cycle()
        return sum(len([i]) for i in range(20000))  # and allocations enough to trigger one

    results: list[object] = []
    for _ in range(3):
        results.clear()
        run_in_background(parent, work, results.append, results.append, progress=False)
        qtbot.waitUntil(lambda: bool(results), timeout=10000)
        assert results == [20000]
    qtbot.waitUntil(lambda: len(finalised_on) == 9000, timeout=10000)
    assert set(finalised_on) == {threading.get_ident()}
    assert not gc.isenabled()  # automatic collection stays off: the GUI thread's timer does it


def test_a_running_job_shortens_the_switch_interval_and_restores_it(qtbot):
    """While a job runs Python on a worker, the GUI thread gets the interpreter back after
    ~1 ms, not Python's 5 ms, each time it needs it (a year's volume stalled the window
    for 100–400 ms at 5 ms); once no job runs, the interval is what it was. A short job
    the user waits for (``share=False``) keeps Python's interval."""
    import sys

    from branchdesk.ui.tasks import SWITCH_INTERVAL

    parent = QWidget()
    qtbot.addWidget(parent)
    before = sys.getswitchinterval()
    assert before > SWITCH_INTERVAL
    release = threading.Event()
    seen: list[float] = []
    results: list[object] = []

    def slow() -> float:
        seen.append(sys.getswitchinterval())
        release.wait(10)
        return sys.getswitchinterval()

    def quick() -> float:
        return sys.getswitchinterval()

    run_in_background(parent, slow, results.append, results.append, progress=False)
    qtbot.waitUntil(lambda: bool(seen), timeout=10000)
    assert sys.getswitchinterval() == SWITCH_INTERVAL  # the slow job runs
    release.set()
    qtbot.waitUntil(lambda: len(results) == 1, timeout=10000)
    qtbot.waitUntil(lambda: sys.getswitchinterval() == before, timeout=10000)
    run_in_background(parent, quick, results.append, results.append, progress=False,
                      share=False)  # fmt: skip
    qtbot.waitUntil(lambda: len(results) == 2, timeout=10000)
    assert seen == [SWITCH_INTERVAL]
    assert results == [SWITCH_INTERVAL, before]


def test_background_jobs_run_one_at_a_time(qtbot):
    """Two jobs never run side by side (with two workers running Python the GUI thread
    starved for hundreds of milliseconds): the second starts when the first is done."""
    import time

    from PySide6.QtCore import QThreadPool

    pool = QThreadPool.globalInstance()
    pool.setMaxThreadCount(max(2, pool.maxThreadCount()))  # threads enough to overlap
    parent = QWidget()
    qtbot.addWidget(parent)
    spans: dict[str, tuple[float, float]] = {}

    def job(name: str):  # type: ignore[no-untyped-def]
        def run() -> str:
            start = time.perf_counter()
            time.sleep(0.2)  # the interpreter is free: only the turn keeps them apart
            spans[name] = (start, time.perf_counter())
            return name

        return run

    done: list[object] = []
    for name in ("first", "second", "third"):
        run_in_background(parent, job(name), done.append, done.append, progress=False)
    qtbot.waitUntil(lambda: len(done) == 3, timeout=10000)
    assert sorted(done) == ["first", "second", "third"]  # type: ignore[type-var]
    ordered = sorted(spans.values())
    assert all(a[1] <= b[0] for a, b in zip(ordered, ordered[1:], strict=False))
