"""The talk book at scale: a 200-member branch with 10 years of talks (~4,000 a year).

Targets (issue 9): the coverage matrix of a year opens in < 150 ms; the 测评表 for 200
members in < 1 s. Baseline: a plain sqlite3 count of one year's talk rows (the floor for
touching the table at all). Also: the 覆盖情况 page built and shown, and a keystroke in a
talk's 谈话内容要点 holding 20,000 characters against a bare QPlainTextEdit.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_talks.py
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
import statistics
import time
from pathlib import Path

from _common import Result, main, progress, temp_dir

YEARS = range(2016, 2026)
TALKS_PER_YEAR = 4000
MEMBERS = 200


def make_book(folder: Path) -> Path:
    from branchdesk.areas.roster.demo import populate_large
    from branchdesk.domain.branch import CommitteePost
    from branchdesk.domain.talks import DEFAULT_KINDS, Talk
    from branchdesk.store import create_book

    path = folder / "talks.db"
    book = create_book(path, "十年支部")
    populate_large(book, MEMBERS, seed=11)
    members = [e.member for e in book.roster.on(dt.date.today()) if e.member.id is not None]
    posts = ("书记", "副书记", "组织委员", "宣传委员", "纪检委员")
    for m, post in zip(members, posts, strict=False):
        book.branch.save_post(CommitteePost(m.id or 0, m.name, post))
    committee = [m.id or 0 for m in members[:5]]
    rng = random.Random(9)
    text = "围绕工作、学习和思想情况交流，对方谈了意见和建议，约定下一步措施。" * 6
    for year in YEARS:
        talks = []
        for n in range(TALKS_PER_YEAR):
            day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
            # The 书记 and the committee hold most talks; members talk with each other too.
            if n % 4 == 3:
                talker = rng.choice(members).id or 0
            else:
                talker = committee[0] if n % 2 else rng.choice(committee)
            other = rng.choice(members).id or 0
            if other == talker:
                continue
            talks.append(Talk(day, (talker,), (other,), rng.choice(DEFAULT_KINDS[:7]),
                              "工作和思想情况", "党员活动室", text))  # fmt: skip
        book.talks.save_many(talks)
        progress(f"talks: built {year}")
    book.appraisal.start(2025, dt.date(2025, 12, 20))
    book.close(backup=False)
    return path


def run(quick: bool = False) -> Result:
    from branchdesk.areas.talks.jobs import ballot_job
    from branchdesk.areas.talks.rules import coverage_for
    from branchdesk.store import open_book

    reps = 3 if quick else 9
    clock = time.perf_counter
    result = Result(f"Talks, 10 years × {MEMBERS} members")
    base = "baseline: SELECT count(*) FROM talk (one year)"
    cases = (base, "coverage matrix (one year, read + rules)",
             "talk list (one year, outlines without texts)")  # fmt: skip
    t: dict[str, list[float]] = {c: [] for c in cases}
    ballots: list[float] = []
    with temp_dir("talks") as tmp:
        path = make_book(Path(tmp))
        book = open_book(path)
        total = book.db.execute("SELECT count(*) FROM talk").fetchone()[0]
        for rnd in range(reps + 1):
            s: dict[str, float] = {}
            t0 = clock()
            conn = sqlite3.connect(path)
            conn.execute("SELECT count(*) FROM talk WHERE year = 2025").fetchone()
            conn.close()
            s[cases[0]] = clock() - t0
            t0 = clock()
            cov = coverage_for(book, 2025)
            s[cases[1]] = clock() - t0
            t0 = clock()
            book.talks.outlines(2025)
            s[cases[2]] = clock() - t0
            if rnd:
                for c, v in s.items():
                    t[c].append(v)
        pages = 0
        for _ in range(2 if quick else 5):
            t0 = clock()
            made = ballot_job(book, 2025)()
            ballots.append(clock() - t0)
            pages = made.pages
        rated = sum(1 for p in book.appraisal.participants(2025) if p.rated)
        from branchdesk.printing.fonts import resolve_fonts
        from branchdesk.printing.talk_appraisal import ballot_pdf

        fonts = resolve_fonts()
        names = [m.name for m in book.roster.members()][:MEMBERS]
        form_200: list[float] = []
        copies_30: list[float] = []
        for _ in range(2 if quick else 5):
            t0 = clock()
            ballot_pdf("十年支部", 2025, names, fonts=fonts)
            form_200.append(clock() - t0)
        for _ in range(1 if quick else 3):
            t0 = clock()
            ballot_pdf("十年支部", 2025, names, copies=30, fonts=fonts)
            copies_30.append(clock() - t0)
        gui = _gui_timings(book, 3 if quick else 7)
        book.close(backup=False)
    result.add(cases[0], t[cases[0]])
    row = result.add(cases[1], t[cases[1]], baseline=base, target="< 150 ms")
    row.met = row.median < 0.15
    result.add(cases[2], t[cases[2]], baseline=base)
    row = result.add(f"测评表 PDF, {rated} members ({pages} pages)", ballots, target="< 1 s")
    row.met = row.median < 1.0
    row = result.add(f"测评表 PDF, {len(names)} names (form only, fonts resolved)", form_200,
                     target="< 1 s")  # fmt: skip
    row.met = row.median < 1.0
    result.add(f"测评表 PDF, {len(names)} names × 30 copies", copies_30)
    result.add("GUI: baseline — empty QWidget shown", gui["baseline"])
    row = result.add("GUI: 覆盖情况 page built and shown", gui["coverage"],
                     baseline="GUI: baseline — empty QWidget shown", target="< 150 ms")  # fmt: skip
    row.met = row.median < 0.15
    result.add("GUI: 谈话记录 list built and shown (one year)", gui["list"],
               baseline="GUI: baseline — empty QWidget shown")  # fmt: skip
    result.add("GUI: baseline — keystroke in a bare QPlainTextEdit, 20,000 chars",
               gui["keystroke baseline"])  # fmt: skip
    row = result.add("GUI: a keystroke in 20,000 characters of 谈话内容要点", gui["keystroke"],
                     baseline="GUI: baseline — keystroke in a bare QPlainTextEdit, 20,000 chars",
                     target="≤ 1.5× bare editor")  # fmt: skip
    row.met = row.median <= 1.5 * statistics.median(gui["keystroke baseline"])
    result.notes.append(
        f"{total} talks over {len(YEARS)} years on a {MEMBERS}-member book (populate_large); "
        f"{len(cov.required)} required pairs in 2025, {len(cov.missing())} missing."
    )
    return result.finish()


def _year_list(book: object) -> object:
    from branchdesk.ui.talks.page import TalkList

    page = TalkList(book)  # type: ignore[arg-type]
    page.year.setCurrentIndex(page.year.findData(2025))
    return page


def _gui_timings(book: object, reps: int) -> dict[str, list[float]]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QPlainTextEdit, QWidget

    from branchdesk.ui.talks.coverage import CoverageView
    from branchdesk.ui.talks.form import TalkForm

    app = QApplication.instance() or QApplication([])
    clock = time.perf_counter
    out: dict[str, list[float]] = {"baseline": [], "coverage": [], "list": [], "keystroke": [],
                                   "keystroke baseline": []}  # fmt: skip
    for _ in range(reps):
        for key, make in (
            ("baseline", QWidget),
            ("coverage", lambda: CoverageView(book)),  # type: ignore[arg-type]
            ("list", lambda: _year_list(book)),
        ):
            t0 = clock()
            widget = make()
            widget.resize(1366, 700)
            widget.show()
            app.processEvents()
            out[key].append(clock() - t0)
            widget.close()
            widget.deleteLater()
            app.processEvents()
    talk = book.talks.talks(2025)[0]  # type: ignore[attr-defined]
    form = TalkForm(book, talk)  # type: ignore[arg-type]
    form.show()
    long_text = ("谈话内容要点，对方谈了工作和学习情况。" * 1100)[:20000]
    for key, editor in (("keystroke", form.summary), ("keystroke baseline", QPlainTextEdit())):
        editor.show()
        editor.setPlainText(long_text)
        editor.setFocus()
        app.processEvents()
        for _ in range(200):
            t0 = clock()
            QTest.keyClick(editor, Qt.Key.Key_A)
            app.processEvents()
            out[key].append(clock() - t0)
    form._draft_timer.stop()
    form.done(0)
    return out


if __name__ == "__main__":
    main(run)
