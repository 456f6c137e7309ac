"""The meeting book at scale: 10 years of meetings for a 200-member branch.

Targets (issue 4): the meeting list and the compliance calendar open in under 100 ms; a
year's minutes of one type as one PDF in under 10 s. Baseline: a plain sqlite3 count of
the meeting rows (the floor for touching the table at all).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_meetings.py
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import statistics
import time
from pathlib import Path

from _common import Result, main, progress, temp_dir

YEARS = range(2016, 2026)


def make_book(folder: Path) -> Path:
    from branchdesk.areas.meetings.demo import populate_year
    from branchdesk.areas.roster.demo import populate_large
    from branchdesk.domain.branch import CommitteePost
    from branchdesk.store import create_book

    path = folder / "meetings.db"
    book = create_book(path, "十年支部")
    populate_large(book, 200, seed=11)
    members = [e.member for e in book.roster.on(dt.date(2016, 1, 1))][:5]
    posts = ("书记", "副书记", "组织委员", "宣传委员", "纪检委员")
    for m, post in zip(members, posts, strict=False):
        book.branch.save_post(CommitteePost(m.id or 0, m.name, post))
    for year in YEARS:
        populate_year(book, year, until=dt.date(year, 12, 31))
        progress(f"meetings: built {year}")
    book.close(backup=False)
    return path


def run(quick: bool = False) -> Result:
    from branchdesk.areas.meetings.jobs import volume_job
    from branchdesk.areas.meetings.rules import grid_for
    from branchdesk.store import open_book

    reps = 3 if quick else 9
    clock = time.perf_counter
    result = Result("Meetings, 10 years × 200 members")
    cases = ("baseline: SELECT count(*) FROM meeting", "meeting list (one year)",
             "meeting list (all years)", "compliance calendar (one year)")  # fmt: skip
    t: dict[str, list[float]] = {c: [] for c in cases}
    pdf: dict[str, list[float]] = {"支委会": [], "支部党员大会": []}
    pages: dict[str, int] = {}
    with temp_dir("meetings") as tmp:
        path = make_book(Path(tmp))
        book = open_book(path)
        total = book.db.execute("SELECT count(*) FROM meeting").fetchone()[0]
        attendance = book.db.execute("SELECT count(*) FROM meeting_attendance").fetchone()[0]
        for rnd in range(reps + 1):
            s: dict[str, float] = {}
            t0 = clock()
            conn = sqlite3.connect(path)
            conn.execute("SELECT count(*) FROM meeting").fetchone()
            conn.close()
            s[cases[0]] = clock() - t0
            t0 = clock()
            book.meetings.summaries(2025)
            s[cases[1]] = clock() - t0
            t0 = clock()
            book.meetings.summaries()
            s[cases[2]] = clock() - t0
            t0 = clock()
            grid_for(book, 2025, dt.date(2026, 3, 1))
            s[cases[3]] = clock() - t0
            if rnd:
                for c, v in s.items():
                    t[c].append(v)
        gui = _gui_timings(book, 3 if quick else 7)
        for rnd in range(2 if quick else 3):
            for kind in pdf:
                t0 = clock()
                made = volume_job(book, 2025, kind)()
                pdf[kind].append(clock() - t0)
                pages[kind] = made.pages
            progress(f"meetings: volume round {rnd}")
        book.close(backup=False)
    result.add(cases[0], t[cases[0]])
    for c in cases[1:]:
        row = result.add(c, t[c], baseline=cases[0], target="< 100 ms")
        row.met = row.median < 0.1
    result.add("GUI: baseline — empty QWidget shown", gui["baseline"])
    for case in ("GUI: 会议列表 page built and shown", "GUI: 年度落实情况 built and shown"):
        row = result.add(case, gui[case], baseline="GUI: baseline — empty QWidget shown",
                         target="< 100 ms")  # fmt: skip
        row.met = row.median < 0.1
    result.add("GUI: baseline — keystroke in a bare QPlainTextEdit, 20,000 chars",
               gui["keystroke baseline"])  # fmt: skip
    row = result.add("GUI: a keystroke in 20,000 characters of 内容", gui["keystroke"],
                     baseline="GUI: baseline — keystroke in a bare QPlainTextEdit, 20,000 chars",
                     target="≤ 1.5× bare editor")  # fmt: skip
    base = statistics.median(gui["keystroke baseline"])
    row.met = row.median <= 1.5 * base
    for kind, samples in pdf.items():
        row = result.add(f"year's minutes PDF: {kind} ({pages[kind]} pages)", samples,
                         target="< 10 s")  # fmt: skip
        row.met = row.median < 10
    result.notes.append(
        f"{total} meetings and {attendance} attendance rows over {len(YEARS)} years "
        "(populate_year per year on a 200-member book with 20 党小组)."
    )
    return result.finish()


def _gui_timings(book: object, reps: int) -> dict[str, list[float]]:
    """Open the meeting list and the calendar as the user does (built, shown, painted), and
    type into a meeting's 内容 holding 20,000 characters."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QWidget

    from branchdesk.ui.meetings.calendar import CalendarView
    from branchdesk.ui.meetings.form import MeetingForm
    from branchdesk.ui.meetings.list_page import MeetingPage

    app = QApplication.instance() or QApplication([])
    clock = time.perf_counter
    out: dict[str, list[float]] = {
        "baseline": [],
        "GUI: 会议列表 page built and shown": [],
        "GUI: 年度落实情况 built and shown": [],
        "keystroke": [],
        "keystroke baseline": [],
    }
    for _ in range(reps):
        for key, make in (
            ("baseline", QWidget),
            ("GUI: 会议列表 page built and shown", lambda: MeetingPage(book)),  # type: ignore[arg-type]
            ("GUI: 年度落实情况 built and shown", lambda: CalendarView(book)),  # type: ignore[arg-type]
        ):
            t0 = clock()
            widget = make()
            widget.resize(1100, 700)
            widget.show()
            app.processEvents()
            out[key].append(clock() - t0)
            widget.close()
            widget.deleteLater()
            app.processEvents()
    summary = book.meetings.summaries(2025)[0]  # type: ignore[attr-defined]
    form = MeetingForm(book, book.meetings.get(summary.id))  # type: ignore[arg-type, attr-defined]
    form.show()
    form.tabs.setCurrentIndex(2)
    form.content.setPlainText(("会议内容，党员结合工作实际发言。" * 1250)[:20000])
    form.content.setFocus()
    app.processEvents()
    for _ in range(200):
        t0 = clock()
        QTest.keyClick(form.content, Qt.Key.Key_A)
        app.processEvents()
        out["keystroke"].append(clock() - t0)
    form.done(0)
    from PySide6.QtWidgets import QPlainTextEdit

    bare = QPlainTextEdit()
    bare.resize(660, 500)
    bare.show()
    bare.setPlainText(("会议内容，党员结合工作实际发言。" * 1250)[:20000])
    bare.setFocus()
    app.processEvents()
    for _ in range(200):
        t0 = clock()
        QTest.keyClick(bare, Qt.Key.Key_A)
        app.processEvents()
        out["keystroke baseline"].append(clock() - t0)
    bare.close()
    return out


if __name__ == "__main__":
    main(run)
