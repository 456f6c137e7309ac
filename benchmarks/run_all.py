"""Run every benchmark, write benchmarks/results.md and the README's table from it.

Each benchmark runs in its own process (so imports, caches and Qt state of one do not
flatter another) and hands its figures back as JSON. results.md opens with the issue's
table (each target, the figure measured, met or not), then every row in detail; the
README's "Measured" table between its ``bench:start`` / ``bench:end`` markers is copied
from results.md's first table, so the two never disagree.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/run_all.py [--quick] [--only NAME…]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import BENCH_DIR, ROOT, Result, headline_table, markdown, progress

BENCHMARKS = (
    "startup", "filter", "meetings", "volume", "import", "roster_load", "printing", "points",
    "talks", "search",
)
RESULTS = BENCH_DIR / "results.md"
README = ROOT / "README.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
COMMAND = "QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/run_all.py"


def run_one(name: str, quick: bool) -> tuple[Result, float]:
    script = BENCH_DIR / f"bench_{name}.py"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    with tempfile.TemporaryDirectory(prefix="branchdesk-bench-") as tmp:
        out = Path(tmp) / "result.json"
        cmd = [sys.executable, str(script), "--json", str(out)] + (["--quick"] if quick else [])
        start = time.perf_counter()
        # stdout (the module's own table) is not needed; stderr shows progress live.
        done = subprocess.run(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
        elapsed = time.perf_counter() - start
        if done.returncode != 0 or not out.exists():  # one broken benchmark: say so, go on
            failed = Result(name)
            failed.notes.append(f"FAILED (exit {done.returncode}): see its output above.")
            return failed, elapsed
        return Result.from_json(json.loads(out.read_text("utf-8"))), elapsed


def machine() -> str:
    try:
        from PySide6 import QtCore
        from PySide6 import __version__ as pyside
    except ImportError:  # pragma: no cover
        qt = pyside = "?"
    else:
        qt = QtCore.qVersion()
    cpu = platform.processor() or platform.machine()
    try:
        load = "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    except (AttributeError, OSError):  # pragma: no cover - not on Windows
        load = ""
    return (
        f"{platform.system()} {platform.release()}, {os.cpu_count()} CPUs ({cpu}), "
        f"Python {platform.python_version()}, PySide6 {pyside} (Qt {qt}), "
        f"QT_QPA_PLATFORM=offscreen; {load} at the start"
    )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="few repetitions (a smoke test)")
    p.add_argument("--only", nargs="+", choices=BENCHMARKS, help="run only these")
    p.add_argument("--no-write", action="store_true", help=f"do not write {RESULTS.name}")
    args = p.parse_args()

    started = dt.datetime.now()
    header = machine()
    results: list[Result] = []
    durations: list[str] = []
    for name in args.only or BENCHMARKS:
        progress(f"== {name} ==")
        result, elapsed = run_one(name, args.quick)
        results.append(result)
        durations.append(f"{name} {elapsed:.0f} s")
        progress(f"== {name}: {elapsed:.0f} s ==")

    summary = headline_table(results).rstrip("\n")
    lines = [
        "# Benchmarks",
        "",
        f"Run {started:%Y-%m-%d %H:%M}{' (--quick)' if args.quick else ''} on {header}.",
        "",
        "## The targets of issue 12",
        "",
        summary,
        "",
        "## Every figure",
        "",
        "Times are wall clock; each case is repeated and shown as p50 (median) / p90 / max, "
        "and compared (× baseline, a ratio of medians) with a baseline measured in the same "
        "run, interleaved with it; Peak RSS is the largest resident memory of the process. "
        "Each row says what its Met is judged on.",
        "",
        markdown(results).rstrip("\n"),
        "",
        f"Run time per benchmark: {', '.join(durations)}.",
        "",
        f"Re-run: `{COMMAND}` (or `make bench`); one benchmark alone: "
        "`QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_<name>.py` "
        "(add `--profile` for a cProfile listing where there is one).",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        RESULTS.write_text(text, "utf-8")
        progress(f"written {RESULTS.relative_to(ROOT)}")
        if args.only is None:
            update_readme(RESULTS.read_text("utf-8"))


def update_readme(results: str) -> None:
    """Copy results.md's first table (the targets) and its run line into the README."""
    lines = results.splitlines()
    run_line = next(line for line in lines if line.startswith("Run "))
    start = lines.index("## The targets of issue 12") + 2
    end = start
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    block = "\n".join(
        [START, "", *lines[start:end], "", f"{run_line} Details: `benchmarks/results.md`.", "",
         END]
    )  # fmt: skip
    text = README.read_text("utf-8")
    if START not in text or END not in text:
        progress(f"README.md has no {START} … {END} markers: not updated")
        return
    before, rest = text.split(START, 1)
    _old, after = rest.split(END, 1)
    README.write_text(before + block + after, "utf-8")
    progress("README.md table updated from benchmarks/results.md")


if __name__ == "__main__":
    main()
