"""A year's 党小组会 volume of the 5,000 × 10 years book: click to preview, the window's
responsiveness meanwhile, and the peak memory of the whole process — then printing at
300 dpi, page by page.

Each repetition is a fresh process (so its peak RSS is its own): it opens the main window
on the book, shows 会议记录 → 年度落实情况 for last year (twelve months of 20 groups), picks
党小组会 and clicks 打印全年记录…; timed from the click until the preview is open with its
first page painted. Meanwhile a 10 ms timer on the GUI thread records the longest gap
between its ticks (the longest the window did not respond). It then scrolls the preview
through every page, and prints the first PRINT_PAGES pages at 300 dpi to a PDF printer,
sampling the resident memory every 20 ms. Peak RSS is the kernel's high-water mark
(``ru_maxrss``) of the process: the book, the window, the PDF and the preview together.

Targets: click to preview < 10 s with the GUI responsive; peak memory < 250 MB.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_volume.py

Diagnostics of one repetition, on stderr: GC_LOG=1 (the long collections) and STALL_LOG=1
(every thread's stack during the longest stalls), with ``--child COPY_OF_THE_BOOK``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

from _common import LARGE, Result, book_copy, fmt_mb, fmt_time, main, progress, temp_dir

PRINT_PAGES = 20
RESPONSIVE = 0.1  # the longest the window may not answer while the volume is made


def _rss() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class _StackSampler:
    """STALL_LOG=1 … --child BOOK: what every thread was doing during the longest gaps
    (their Python stacks, sampled every 3 ms; the sampler needs the interpreter too, so a
    worker holding it shows as a hole in the samples)."""

    def __init__(self) -> None:
        self.main = threading.get_ident()
        self.samples: list[tuple[float, dict[int, str]]] = []
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        import traceback

        me = threading.get_ident()
        while not self.done.is_set():
            frames = sys._current_frames()
            now = time.perf_counter()
            self.samples.append((now, {
                k: " < ".join(f"{f.name}@{Path(f.filename).name}:{f.lineno}"
                              for f in reversed(traceback.extract_stack(v, limit=5)))
                for k, v in frames.items() if k != me
            }))  # fmt: skip
            time.sleep(0.003)

    def report(self, t0: float, gaps: list[float], worst: int = 3) -> None:
        self.done.set()
        self.thread.join()
        ends = [t0 + sum(gaps[: i + 1]) for i in range(len(gaps))]
        for i in sorted(range(len(gaps)), key=gaps.__getitem__)[-worst:]:
            start, end = ends[i] - gaps[i], ends[i]
            print(f"--- gap {gaps[i] * 1000:.0f} ms, {start - t0:.3f}–{end - t0:.3f} s",
                  file=sys.stderr)  # fmt: skip
            for when, stacks in self.samples:
                if start <= when <= end:
                    for k, stack in stacks.items():
                        who = "GUI" if k == self.main else "worker"
                        print(f"  {when - t0:.3f} {who}: {stack}", file=sys.stderr)


def child(path: str) -> None:
    """One repetition; prints its figures as JSON."""
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QApplication

    from branchdesk.app import setup_qt
    from branchdesk.store import open_book
    from branchdesk.ui.main_window import MainWindow
    from branchdesk.ui.print_preview import print_pdf

    app = setup_qt(["bench_volume"])
    book = open_book(Path(path))
    window = MainWindow(book)
    window.show()
    window.show_page("meetings")
    meetings = window.page("meetings")
    meetings.tabs.setCurrentWidget(meetings.calendar)
    calendar = meetings.calendar
    calendar.year.setValue(dt.date.today().year - 1)
    calendar.volume_type.setCurrentText("党小组会")
    for _ in range(10):
        app.processEvents()
    rss_before = _rss()
    import gc

    pauses: list[float] = []
    started = [0.0]

    log: list[tuple[float, float, int, bool, str]] = []

    def watch_gc(phase: str, info: dict) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            pauses.append(time.perf_counter() - started[0])
            if os.environ.get("GC_LOG"):  # GC_LOG=1 … --child BOOK: where the pauses are
                log.append(
                    (
                        started[0],
                        pauses[-1],
                        info["generation"],
                        gc.isenabled(),
                        threading.current_thread().name,
                    )
                )

    gc.callbacks.append(watch_gc)
    objects_before = len(gc.get_objects())

    gaps: list[float] = []
    clock = QElapsedTimer()
    beat = QTimer()
    beat.setInterval(10)
    last = [0]

    def tick() -> None:
        now = clock.elapsed()
        gaps.append((now - last[0]) / 1000)
        last[0] = now

    beat.timeout.connect(tick)
    stacks = _StackSampler() if os.environ.get("STALL_LOG") else None
    clock.start()
    beat.start()
    t0 = time.perf_counter()
    calendar.volume_button.click()
    while True:
        app.processEvents()
        preview = getattr(calendar, "last_preview", None)
        if preview is not None and preview.images.held > 0:
            break
        time.sleep(0.002)
    clicked = time.perf_counter() - t0
    beat.stop()
    if stacks is not None:
        stacks.report(t0, gaps)
    for when, took, gen, enabled, thread in log:
        if took > 0.02:
            print(
                f"gc gen{gen} at {when - t0:.3f}s took {took:.3f}s enabled={enabled} {thread}",
                file=sys.stderr,
            )
    peak_preview = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    worst = max(range(len(gaps)), key=gaps.__getitem__) if gaps else 0
    stall_at = sum(gaps[:worst])
    pages = len(preview.images)
    bar = preview.scroll_area.verticalScrollBar()
    t0 = time.perf_counter()
    for value in range(0, bar.maximum() + bar.pageStep(), bar.pageStep()):
        bar.setValue(value)
        app.processEvents()
    scrolled = time.perf_counter() - t0
    held = preview.images.held
    rss_scrolled = _rss()
    peak_scrolled = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    import pypdfium2 as pdfium

    whole = pdfium.PdfDocument(preview.pdf)
    part = pdfium.PdfDocument.new()
    part.import_pages(whole, list(range(min(PRINT_PAGES, len(whole)))))
    import io

    buf = io.BytesIO()
    part.save(buf)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(Path(path).with_suffix(".printed.pdf")))
    samples: list[int] = []
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            samples.append(_rss())
            time.sleep(0.02)

    start_rss = _rss()
    sampler = threading.Thread(target=sample)
    sampler.start()
    t0 = time.perf_counter()
    printed = print_pdf(buf.getvalue(), printer)
    print_time = time.perf_counter() - t0
    done.set()
    sampler.join()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    preview.reject()
    book.close(backup=False)
    QApplication.processEvents()
    print(json.dumps({
        "clicked": clicked, "longest_gap": max(gaps or [0.0]), "pages": pages,
        "scrolled": scrolled, "held": held, "peak_rss": peak, "rss_before": rss_before,
        "print_pages": printed, "print_time": print_time,
        "print_growth": max(samples or [start_rss]) - start_rss,
        "peak_preview": peak_preview, "rss_scrolled": rss_scrolled,
        "peak_scrolled": peak_scrolled, "stall_at": stall_at,
        "gc_longest": max(pauses or [0.0]), "gc_count": len(pauses),
        "objects_before": objects_before, "objects_after": len(gc.get_objects()),
    }), flush=True)  # fmt: skip


def run(quick: bool = False) -> Result:
    reps = 1 if quick else 3
    result = Result("Year's 党小组会 volume, 5,000 × 10 years")
    runs = []
    with temp_dir("volume") as tmp:
        path = book_copy(LARGE, Path(tmp))
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        for rep in range(reps):
            out = subprocess.run([sys.executable, __file__, "--child", str(path)], env=env,
                                 capture_output=True, text=True)  # fmt: skip
            if out.returncode != 0:
                raise RuntimeError(out.stderr[-3000:])
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
            progress(f"volume: repetition {rep + 1}/{reps}")
    clicked = result.add("click to preview (first page painted)", [r["clicked"] for r in runs])
    gap = result.add("longest GUI stall meanwhile (10 ms timer)", [r["longest_gap"] for r in runs])
    peak = result.add(
        "peak RSS: large book + window + preview, every page scrolled through",
        [r["peak_scrolled"] for r in runs],
        rss=max(r["peak_scrolled"] for r in runs),
    )
    peak.unit = "B"
    whole = result.add(
        f"peak RSS: the same, then {PRINT_PAGES} pages printed at 300 dpi",
        [r["peak_rss"] for r in runs],
        rss=max(r["peak_rss"] for r in runs),
    )
    whole.unit = "B"
    pages = runs[0]["pages"]
    responsive = gap.max <= RESPONSIVE
    clicked.target = "< 10 s, GUI responsive"
    clicked.met = clicked.median < 10 and responsive
    clicked.headline = "a year's 党小组会 volume (~495 pages), click to preview"
    clicked.measured = (
        f"{fmt_time(clicked.median)} p50 (max {fmt_time(clicked.max)}), {pages} pages; "
        f"longest GUI stall {fmt_time(gap.max)} (limit {fmt_time(RESPONSIVE)})"
    )
    peak.target = "< 250 MB"
    peak.met = peak.max < 250 * 2**20
    peak.headline = "peak memory, large book + preview of that volume"
    peak.measured = (
        f"{fmt_mb(peak.max)} (max of {len(runs)} fresh processes, every page scrolled "
        f"through; {fmt_mb(whole.max)} once {runs[0]['print_pages']} pages are then printed "
        "at 300 dpi)"
    )
    result.add("scroll through every page", [r["scrolled"] for r in runs])
    result.add(f"print {runs[0]['print_pages']} pages at 300 dpi", [r["print_time"] for r in runs])
    result.notes.append(
        f"{pages} pages. Rendered pages held after scrolling through all of them: "
        f"{max(r['held'] for r in runs)}. Resident memory before the click "
        f"{fmt_mb(max(r['rss_before'] for r in runs))}; growth while printing "
        f"{runs[0]['print_pages']} pages at 300 dpi (~25 MB each as an image): at most "
        f"{fmt_mb(max(r['print_growth'] for r in runs))} (sampled every 20 ms), the same "
        "whatever the page count: one page is rendered, painted and let go at a time. "
        "Longest garbage-collection pause seen meanwhile: "
        f"{fmt_time(max(r['gc_longest'] for r in runs))}. The machine is shared: a stall "
        "also counts time the GUI thread waited for a processor."
    )
    return result


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child(sys.argv[2])
    else:
        main(run)
