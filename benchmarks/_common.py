"""Shared helpers for the benchmarks: statistics, result rows, the large book, the CLI.

Every figure is a set of repetitions summarised as median / min / max, and (where it
makes sense) compared with a baseline measured in the same run, interleaved with it, so
that a noisy shared machine moves both alike. Nothing here asserts: these are
measurements, not timed tests.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"

#: PySide6 6.12.0 on Python 3.11 drops one reference to None on every call of a void Qt
#: method from Python (harmless from 3.12 on, where None is immortal), so a process that
#: makes a few thousand such calls aborts with "Fatal Python error: none_dealloc". Holding
#: extra references lets the benchmarks finish; bench_filter reports the drift it sees.
#: pyproject.toml excludes 6.12 on Python < 3.12, so this is only a guard for runs on an
#: affected binding (and tests/test_qt_binding.py fails on one).
#: (A tuple of None only: the garbage collector untracks it, so it costs no GC time.)
NONE_BALLAST = (None,) * 1_000_000 if sys.version_info < (3, 12) else ()

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "benchmarks"
TESTS_DIR = ROOT / "tests"
LARGE_MEMBERS = 5000


@dataclass
class Row:
    """One line of the results table. Times are in seconds."""

    bench: str
    case: str
    n: int
    median: float
    min: float
    max: float
    baseline: str | None = None  # case name of the baseline row in the same bench
    ratio: float | None = None  # median / baseline median
    target: str = ""
    met: bool | None = None  # None: no target


@dataclass
class Result:
    bench: str
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(
        self,
        case: str,
        samples: Sequence[float],
        *,
        baseline: str | None = None,
        target: str = "",
        met: bool | None = None,
    ) -> Row:
        row = Row(
            self.bench,
            case,
            len(samples),
            statistics.median(samples),
            min(samples),
            max(samples),
            baseline=baseline,
            target=target,
            met=met,
        )
        self.rows.append(row)
        return row

    def row(self, case: str) -> Row:
        return next(r for r in self.rows if r.case == case)

    def finish(self) -> Result:
        """Fill in the ratios to the baselines."""
        for r in self.rows:
            if r.baseline is not None:
                base = self.row(r.baseline).median
                r.ratio = r.median / base if base > 0 else None
        return self

    def to_json(self) -> dict[str, object]:
        return {"bench": self.bench, "rows": [asdict(r) for r in self.rows], "notes": self.notes}

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Result:
        rows = [Row(**r) for r in data["rows"]]  # type: ignore[attr-defined]
        return cls(str(data["bench"]), rows, list(data["notes"]))  # type: ignore[call-overload]


def fmt_time(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 0.01:
        return f"{seconds * 1000:.0f} ms"
    if seconds >= 0.001:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds * 1000:.2f} ms"


TABLE_HEADER = (
    "| Benchmark | Case | n | Median | Min | Max | × baseline | Target | Met |\n"
    "|---|---|--:|--:|--:|--:|--:|---|:-:|"
)


def table_lines(rows: Sequence[Row]) -> list[str]:
    lines = []
    for r in rows:
        ratio = "" if r.ratio is None else f"{r.ratio:.2f}×"
        met = {True: "✅", False: "❌", None: ""}[r.met]
        lines.append(
            f"| {r.bench} | {r.case} | {r.n} | {fmt_time(r.median)} | {fmt_time(r.min)} "
            f"| {fmt_time(r.max)} | {ratio} | {r.target} | {met} |"
        )
    return lines


def markdown(results: Sequence[Result]) -> str:
    out = [TABLE_HEADER]
    for res in results:
        out.extend(table_lines(res.rows))
    notes = [(res.bench, n) for res in results for n in res.notes]
    if notes:
        out.append("")
        out.append("Notes:")
        out.append("")
        out.extend(f"- **{bench}**: {note}" for bench, note in notes)
    return "\n".join(out) + "\n"


def make_large_book(folder: Path, members: int = LARGE_MEMBERS) -> Path:
    """The benchmark book: ``members`` people (demo.populate_large), closed without backup."""
    from branchdesk.demo import populate_large
    from branchdesk.store import create_book

    path = Path(folder) / "大支部.db"
    book = create_book(path, "大支部")
    populate_large(book, members)
    book.close(backup=False)
    return path


def temp_dir(prefix: str) -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix=f"branchdesk-bench-{prefix}-")


def quiet_qt_warnings() -> None:
    """The offscreen platform warns about size hints on every show(); drop just that."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(_mode: object, _context: object, message: str) -> None:
        if "propagateSizeHints" not in message:
            sys.stderr.write(message + "\n")

    qInstallMessageHandler(handler)


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def profile_call(fn: Callable[[], object], top: int = 25) -> str:
    prof = cProfile.Profile()
    prof.runcall(fn)
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf).strip_dirs()
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return buf.getvalue()


def main(run: Callable[[bool], Result], profile: Callable[[], None] | None = None) -> None:
    """Command line of one benchmark module: print its table, optionally write JSON."""
    p = argparse.ArgumentParser()
    p.add_argument("--json", metavar="FILE", help="also write the results as JSON here")
    p.add_argument("--quick", action="store_true", help="few repetitions (a smoke test)")
    p.add_argument(
        "--profile", action="store_true", help="run the measured work under cProfile instead"
    )
    args = p.parse_args()
    if args.profile:
        if profile is None:
            sys.exit("this benchmark has no --profile mode")
        profile()
        return
    result = run(args.quick).finish()
    print(markdown([result]))
    if args.json:
        Path(args.json).write_text(json.dumps(result.to_json(), ensure_ascii=False), "utf-8")
