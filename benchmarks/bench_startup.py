"""Start-up to the first paint, each start a fresh process, against a bare PySide6 window.

Every run starts ``python -m branchdesk.app --data BOOK`` with BRANCHDESK_QUIT_AFTER_PAINT=1:
the real start-up (arguments, Qt, fonts, translator, lock, log, opening the book, the main
window) up to its first paint, after which it quits without a backup. The yardstick is
``benchmarks/bare_window.py``: a QMainWindow with a QLabel of the same size that quits
after its first paint the same way. Both print when their first paint happened on the
system-wide monotonic clock; the parent reads the clock just before it starts them, so
"to the first paint" counts the interpreter, every import and the paint. The whole process
(to its exit) and its peak RSS (``wait4``) are recorded too.

Cases run in rounds, interleaved (the order rotates each round; one warm-up round):
bare window; empty book; 200 members × 10 years; 5,000 members × 10 years (51 MB: the
integrity check ``quick_check`` would cost ~170 ms here if it were still on the way).
Targets: empty book ≤ 1.3× the bare window; 5,000 × 10 years ≤ 1.1× the empty book —
judged on the median of the per-round ratios.

Bytecode: a normal install has compiled ``.pyc`` files, so the main cases run with the
package compiled (``compileall`` first, PYTHONDONTWRITEBYTECODE unset). With
PYTHONDONTWRITEBYTECODE=1 and no ``__pycache__`` (a source checkout run by an environment
that sets it) every start recompiles the package: measured separately, on the empty book,
from a fresh copy of ``src/`` that has no bytecode.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_startup.py
"""

from __future__ import annotations

import compileall
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _common import (
    BENCH_DIR,
    ROOT,
    SIZES,
    Result,
    book_copy,
    fmt_time,
    main,
    percentile,
    progress,
    temp_dir,
)

EMPTY_RATIO = 1.3
LARGE_RATIO = 1.1
PAINTED = re.compile(r"first paint at ([0-9.]+)")


def _env(*, bytecode: bool, src: Path | None = None) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", BRANCHDESK_QUIT_AFTER_PAINT="1")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if not bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    if src is not None:
        env["PYTHONPATH"] = str(src)
    return env


def spawn(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, int]:
    """(seconds to the first paint, seconds to exit, peak RSS bytes) of one fresh process."""
    t0 = time.monotonic()
    proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip
    assert proc.stderr is not None
    err = proc.stderr.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    t_exit = time.monotonic()
    proc.returncode = os.waitstatus_to_exitcode(status)
    found = PAINTED.search(err)
    if proc.returncode != 0 or not found:
        raise RuntimeError(f"{argv} failed ({proc.returncode}):\n{err[-3000:]}")
    return float(found.group(1)) - t0, t_exit - t0, usage.ru_maxrss * 1024


def run(quick: bool = False) -> Result:
    reps = 3 if quick else 15
    result = Result("Start-up")
    compileall.compile_dir(ROOT / "src", quiet=1)
    py = sys.executable
    app = [py, "-m", "branchdesk.app", "--data"]
    with temp_dir("startup") as tmp:
        folder = Path(tmp)
        books = {size: book_copy(size, folder) for size in SIZES}
        fresh_src = folder / "src-without-bytecode"
        shutil.copytree(ROOT / "src", fresh_src, ignore=shutil.ignore_patterns("__pycache__"))
        bare_name = "bare PySide6 window (bare_window.py)"
        names = {size: f"branchdesk, {size} book" if size != "empty" else "branchdesk, empty book"
                 for size in SIZES}  # fmt: skip
        nobc = "branchdesk, empty book, no bytecode (PYTHONDONTWRITEBYTECODE=1, fresh src)"
        bare_nobc = "bare PySide6 window, PYTHONDONTWRITEBYTECODE=1"
        cases: list[tuple[str, list[str], dict[str, str]]] = [
            (bare_name, [py, str(BENCH_DIR / "bare_window.py")], _env(bytecode=True)),
            *((names[s], [*app, str(books[s])], _env(bytecode=True)) for s in SIZES),
            (bare_nobc, [py, str(BENCH_DIR / "bare_window.py")], _env(bytecode=False)),
            (nobc, [*app, str(books["empty"])], _env(bytecode=False, src=fresh_src)),
        ]
        paint: dict[str, list[float]] = {c[0]: [] for c in cases}
        whole: dict[str, list[float]] = {c[0]: [] for c in cases}
        rss: dict[str, list[int]] = {c[0]: [] for c in cases}
        for rnd in range(reps + 1):  # round 0 warms the file cache and is not counted
            k = rnd % len(cases)
            for name, argv, env in cases[k:] + cases[:k]:
                first, done, peak = spawn(argv, env, folder)
                if rnd:
                    paint[name].append(first)
                    whole[name].append(done)
                    rss[name].append(peak)
            progress(f"start-up: round {rnd}/{reps}")
        from branchdesk.store.backup import backup_dir_for

        for path in books.values():
            backups = backup_dir_for(path)
            if backups.exists() and any(backups.iterdir()):
                result.notes.append(f"unexpected backups written in {backups}")

    def paired(a: str, b: str) -> list[float]:
        return [x / y for x, y in zip(paint[a], paint[b], strict=True)]

    for name, _argv, _environ in cases:
        result.add(name, paint[name], rss=max(rss[name]))
    empty, large = names["empty"], names["5,000 × 10 years"]
    checks = (
        (empty, bare_name, EMPTY_RATIO, "start-up to the first paint, empty book",
         "≤ 1.3× a bare PySide6 window"),
        (large, empty, LARGE_RATIO, "start-up, 5,000 members + 10 years of meetings",
         "≤ 1.1× the empty book"),
    )  # fmt: skip
    for case, base, limit, headline, target in checks:
        ratios = paired(case, base)
        ratio = statistics.median(ratios)
        row = result.row(case)
        row.baseline = base
        row.target = target
        row.met = ratio <= limit
        row.headline = headline
        spread = percentile(ratios, 90)
        row.measured = (
            f"{ratio:.2f}× (median of {len(ratios)} paired ratios, p90 {spread:.2f}×; "
            f"{fmt_time(row.median)} vs {fmt_time(result.row(base).median)} p50)"
        )
    ratios = paired(nobc, bare_nobc)
    result.notes.append(
        f"Without bytecode (PYTHONDONTWRITEBYTECODE=1 and a source tree with no __pycache__, "
        f"so every start compiles the package): empty book {statistics.median(ratios):.2f}× "
        f"the bare window under the same setting ({fmt_time(result.row(nobc).median)} vs "
        f"{fmt_time(result.row(bare_nobc).median)} p50); the rows above run compiled, as an "
        "installed copy does."
    )
    result.notes.append(
        "Whole process, spawn to exit (p50): "
        + "; ".join(f"{n} {fmt_time(statistics.median(whole[n]))}" for n, _a, _e in cases)
        + ". Figures are to the first paint; ratios are taken round by round (the machine's "
        "speed drifts between rounds) and their median is what is judged."
    )
    return result


def profile() -> None:
    """cProfile one start on the 5,000 × 10 years book (in a child process)."""
    with temp_dir("startup-prof") as tmp:
        path = book_copy("5,000 × 10 years", Path(tmp))
        env = _env(bytecode=True)
        cmd = [sys.executable, "-m", "cProfile", "-s", "cumulative", "-m", "branchdesk.app",
               "--data", str(path)]  # fmt: skip
        out = subprocess.run(cmd, env=env, capture_output=True, text=True).stdout
        print("\n".join(out.splitlines()[:60]))


if __name__ == "__main__":
    main(run, profile)
