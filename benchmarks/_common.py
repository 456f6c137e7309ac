"""Shared helpers for the benchmarks: statistics, result rows, the books, the CLI.

Every figure is a set of repetitions summarised as median (p50) / 90th percentile / max,
and (where it makes sense) compared with a baseline measured in the same run, interleaved
with it, so that a noisy shared machine moves both alike; peak memory (RSS) where it
matters. Nothing here asserts: these are measurements, not timed tests.

Books: every benchmark uses the same three sizes, written by `make_book.py` and kept in
``benchmarks/.books/`` (rebuilt when the generator's code or the date changes).
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
BOOKS_DIR = BENCH_DIR / ".books"
#: The book sizes every benchmark uses: (members, years of meetings up to this year).
SIZES = {"empty": (0, 0), "200 × 10 years": (200, 10), "5,000 × 10 years": (5000, 10)}
LARGE = "5,000 × 10 years"


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
    p90: float | None = None
    rss: float | None = None  # peak resident memory, bytes
    headline: str = ""  # the row this figure answers ("" for a detail row)
    measured: str = ""  # the figure as the headline table shows it
    unit: str = "s"  # "s": samples are seconds; "B": bytes (a memory row)


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
        rss: float | None = None,
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
            p90=percentile(samples, 90),
            rss=rss,
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


def percentile(samples: Sequence[float], q: float) -> float:
    """The q-th percentile, linear between the closest ranks (one sample: itself)."""
    ordered = sorted(samples)
    if len(ordered) == 1:
        return ordered[0]
    pos = (len(ordered) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def fmt_mb(size: float | None) -> str:
    return "" if size is None else f"{size / 2**20:.0f} MB"


def fmt_time(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 0.01:
        return f"{seconds * 1000:.0f} ms"
    if seconds >= 0.001:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds * 1000:.2f} ms"


TABLE_HEADER = (
    "| Benchmark | Case | n | p50 | p90 | Max | × baseline | Peak RSS | Target | Met |\n"
    "|---|---|--:|--:|--:|--:|--:|--:|---|:-:|"
)
MET = {True: "✅ met", False: "❌ not met", None: ""}
#: The issue's table, in its order: what each headline row answers.
HEADLINES = (
    "start-up to the first paint, empty book",
    "start-up, 5,000 members + 10 years of meetings",
    "roster filter, real key events in the main window, 5,000 members",
    "compliance calendar page (one year), 5,000 members",
    "minutes of a branch-wide meeting, 800+ members",
    "a year's 党小组会 volume (~495 pages), click to preview",
    "peak memory, large book + preview of that volume",
)


def table_lines(rows: Sequence[Row]) -> list[str]:
    lines = []
    for r in rows:
        ratio = "" if r.ratio is None else f"{r.ratio:.2f}×"
        fmt = fmt_mb if r.unit == "B" else fmt_time
        p90 = "" if r.p90 is None else fmt(r.p90)
        lines.append(
            f"| {r.bench} | {r.case} | {r.n} | {fmt(r.median)} | {p90} "
            f"| {fmt(r.max)} | {ratio} | {fmt_mb(r.rss)} | {r.target} "
            f"| {MET[r.met][:1]} |"
        )
    return lines


def headline_table(results: Sequence[Result]) -> str:
    """The issue's table: each row with its target, the figure measured and met or not."""
    by = {r.headline: r for res in results for r in res.rows if r.headline}
    out = ["| what | target | measured | met |", "|---|---|---|:-:|"]
    for what in HEADLINES:
        r = by.get(what)
        if r is None:
            out.append(f"| {what} | | not measured in this run | |")
        else:
            out.append(f"| {what} | {r.target} | {r.measured} | {MET[r.met]} |")
    return "\n".join(out) + "\n"


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


def _generator_digest() -> str:
    import hashlib

    src = ROOT / "src" / "branchdesk"
    parts = [BENCH_DIR / "make_book.py", src / "areas/roster/demo.py",
             src / "areas/meetings/demo.py", src / "store/migrations.py"]  # fmt: skip
    h = hashlib.sha256()
    for part in parts:
        h.update(part.read_bytes())
    return h.hexdigest()[:10]


def book(size: str) -> Path:
    """The shared book of one of SIZES (built once with make_book.py, then reused). Copy it
    before writing to it: `book_copy`."""
    import datetime as dt

    from make_book import make_book

    members, years = SIZES[size]
    name = f"m{members}-y{years}-{dt.date.today():%Y%m%d}-{_generator_digest()}.db"
    path = BOOKS_DIR / name
    if not path.exists():
        BOOKS_DIR.mkdir(exist_ok=True)
        for old in BOOKS_DIR.glob(f"m{members}-y{years}-*.db"):
            old.unlink()
        progress(f"building the {size} book (make_book.py --members {members} --years {years})")
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        make_book(partial, members, years)
        partial.rename(path)
    return path


def book_copy(size: str, folder: Path) -> Path:
    """A private copy of a shared book (benchmarks that write, or lock, the file)."""
    import shutil

    target = Path(folder) / f"{size.split()[0].replace(',', '')}.db"
    shutil.copyfile(book(size), target)
    return target


def make_large_book(folder: Path, members: int = LARGE_MEMBERS) -> Path:
    """A copy of the 5,000 × 10 years book in ``folder`` (members: kept for callers)."""
    assert members == LARGE_MEMBERS
    return book_copy(LARGE, folder)


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
