"""Start-up to a shown main window, each repetition in a fresh process.

The parent spawns ``python -c <script>`` and measures from just before the spawn to the
moment it reads the child's line; the child prints that line once the window has been
shown and ``QApplication.processEvents()`` has run once after ``show()`` (which paints it,
the offscreen platform included). So interpreter start and every import count.

Cases, interleaved (the order rotates each round, after one untimed warm-up round):
  baseline  a bare QMainWindow with a QLabel, QApplication created the same way;
  empty     branchdesk's real start-up (as branchdesk.app.main, without app.exec()) on an
            empty book;
  large     the same on a book with 5,000 members.
The child also reports which heavy modules (reportlab, openpyxl, pypinyin) were imported
by then, and time stamps of its phases for a breakdown.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_startup.py
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import Result, fmt_time, main, make_large_book, progress, temp_dir

HEAVY = ("reportlab", "openpyxl", "pypinyin")
TARGET_RATIO = 1.5

_PRELUDE = """
import time
T0 = time.monotonic()
import json, os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QEvent, QObject

class PaintCounter(QObject):
    paints = 0
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            PaintCounter.paints += 1
        return False
"""

_REPORT = f"""
T4 = time.monotonic()
HEAVY = {HEAVY!r}
loaded = sorted(m for m in sys.modules if m.split(".")[0] in HEAVY)
print(json.dumps({{
    "t": [T0, T1, T2, T3, T4], "paints": PaintCounter.paints,
    "heavy": sorted({{m.split(".")[0] for m in loaded}}), "modules": len(sys.modules),
}}), flush=True)
"""

BASELINE_SCRIPT = (
    _PRELUDE
    + """
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv[:1])
T1 = time.monotonic()
T2 = T1
window = QMainWindow()
window.setWindowTitle("党支部工作台")
window.setCentralWidget(QLabel("党支部工作台"))
window.resize(1180, 720)
counter = PaintCounter()
window.installEventFilter(counter)
T3 = time.monotonic()
window.show()
app.processEvents()
"""
    + _REPORT
)

# What branchdesk.app.main does for an existing book, minus app.exec().
APP_SCRIPT = (
    _PRELUDE
    + """
from branchdesk.app import parse_args, setup_qt
args = parse_args(["--data", sys.argv[1]])
app = setup_qt(sys.argv[:1])
T1 = time.monotonic()
from PySide6.QtWidgets import QMessageBox
from branchdesk.paths import default_book_path, log_dir
from branchdesk.store import BookError, open_book
from branchdesk.store.lock import BookLock
from branchdesk.ui.errors import install_excepthook, setup_logging
path = default_book_path(args.data)
install_excepthook(setup_logging(log_dir(path)))
lock = BookLock(path)
lock.acquire()
book = open_book(path)
T2 = time.monotonic()
from branchdesk.ui.main_window import MainWindow
window = MainWindow(book)
counter = PaintCounter()
window.installEventFilter(counter)
T3 = time.monotonic()
window.show()
app.processEvents()
"""
    + _REPORT
    + """
book.close(backup=False)
lock.release()
"""
)

PHASES = (
    "spawn → script top (interpreter)",
    "→ QApplication ready (incl. imports)",
    "→ book open (incl. store imports)",
    "→ MainWindow built (incl. UI imports)",
    "→ shown + processEvents",
)


def spawn(script: str, book: Path | None) -> tuple[float, dict[str, object]]:
    """Seconds from spawn to the child's line, and what the child reported."""
    argv = [sys.executable, "-c", script] + ([str(book)] if book else [])
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    with tempfile.TemporaryFile() as err:
        mono0 = time.monotonic()
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=err, env=env, text=True)
        assert proc.stdout is not None
        line = proc.stdout.readline()
        elapsed = time.perf_counter() - start
        proc.stdout.read()
        code = proc.wait()
        if code != 0 or not line.strip():
            err.seek(0)
            raise RuntimeError(f"child failed ({code}):\n{err.read().decode(errors='replace')}")
    info = json.loads(line)
    info["spawn"] = mono0
    return elapsed, info


def run(quick: bool = False) -> Result:
    reps = 2 if quick else 7
    result = Result("Start-up")
    with temp_dir("startup") as tmp:
        from branchdesk.store import create_book

        empty = Path(tmp) / "empty" / "空账簿.db"
        create_book(empty, "测试支部").close(backup=False)
        large = make_large_book(Path(tmp) / "large")
        cases: list[tuple[str, str, Path | None]] = [
            ("baseline: bare QMainWindow + QLabel", BASELINE_SCRIPT, None),
            ("branchdesk, empty book", APP_SCRIPT, empty),
            ("branchdesk, 5,000 members", APP_SCRIPT, large),
        ]
        times: dict[str, list[float]] = {name: [] for name, _, _ in cases}
        infos: dict[str, list[dict[str, object]]] = {name: [] for name, _, _ in cases}
        for rnd in range(reps + 1):  # round 0 warms the file cache and is not counted
            k = rnd % len(cases)
            for name, script, book in cases[k:] + cases[:k]:
                elapsed, info = spawn(script, book)
                if rnd:
                    times[name].append(elapsed)
                    infos[name].append(info)
            progress(f"start-up: round {rnd}/{reps} done")
        from branchdesk.store.backup import backup_dir_for

        for book_path in (empty, large):
            folder = backup_dir_for(book_path)
            if folder.exists() and any(folder.iterdir()):
                result.notes.append(f"unexpected backups written in {folder}")

    base_name = cases[0][0]
    result.add(base_name, times[base_name])
    for name, _, _ in cases[1:]:
        ratio_ok = statistics.median(times[name]) <= TARGET_RATIO * statistics.median(
            times[base_name]
        )
        result.add(
            name,
            times[name],
            baseline=base_name,
            target=f"≤ {TARGET_RATIO}× baseline",
            met=ratio_ok,
        )
    for name, _, _ in cases[1:]:
        paired = statistics.median(
            a / b for a, b in zip(times[name], times[base_name], strict=True)
        )
        heavy = sorted({h for i in infos[name] for h in i["heavy"]})  # type: ignore[attr-defined]
        result.notes.append(
            f"{name}: median of per-round ratios {paired:.2f}×; heavy modules imported "
            f"by the time the window is shown: {', '.join(heavy) if heavy else 'none'} "
            f"(checked: {', '.join(HEAVY)}); modules loaded: "
            f"{int(statistics.median(int(i['modules']) for i in infos[name]))}."  # type: ignore[call-overload]
        )
    for name, _, _ in cases:
        parts = []
        for p, label in enumerate(PHASES):
            spans = []
            for info in infos[name]:
                stamps = [info["spawn"], *info["t"]]  # type: ignore[list-item]
                spans.append(stamps[p + 1] - stamps[p])
            parts.append(f"{label} {fmt_time(statistics.median(spans))}")
        no_paint = sum(1 for i in infos[name] if not i["paints"])
        painted = "" if not no_paint else f"; {no_paint} runs saw no paint event"
        result.notes.append(f"{name}, median phases: " + "; ".join(parts) + painted + ".")
    return result


def profile() -> None:
    """cProfile the child of the 5,000-member case (the parent only waits)."""
    with temp_dir("startup-prof") as tmp:
        large = make_large_book(Path(tmp))
        script = Path(tmp) / "child.py"
        script.write_text(APP_SCRIPT, "utf-8")
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        cmd = [sys.executable, "-m", "cProfile", "-s", "cumulative", str(script), str(large)]
        out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
        print("\n".join(out.splitlines()[:60]))


if __name__ == "__main__":
    main(run, profile)
