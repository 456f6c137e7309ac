"""Loading the 5,000-member roster: open the book, read it, sort it by strokes.

Each round, interleaved with its baselines:
  baseline: raw SQL   a plain sqlite3 connection fetching the member rows the repository
                      reads (member ⟕ party_group, and member_event) — the floor for reading;
  open_book           inspect (quick_check) + connect, on the closed book;
  roster.members()    every member with events, as Member objects;
  roster.on(today)    who is on the roll today (reads members() again, then filters);
  sort_by_strokes     姓氏笔画 order of the 5,000, stroke caches warm;
  baseline: sorted    ``sorted(members, key=name)`` — code-point order, the floor for sorting;
  stroke table, cold  sort_by_strokes right after clearing the module's caches the way
                      tests/test_strokes.py does (``_table``, ``char_strokes``, ``_char_key``):
                      the table's first load plus the lookups of every distinct character.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_roster_load.py
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from pathlib import Path

from _common import Result, main, make_large_book, progress, temp_dir

RAW_SQL = (
    "SELECT m.*, coalesce(g.name, '') AS group_name "
    "FROM member m LEFT JOIN party_group g ON g.id = m.group_id ORDER BY m.id"
)


def _raw_read(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        events = conn.execute("SELECT * FROM member_event ORDER BY date, id").fetchall()
        members = conn.execute(RAW_SQL).fetchall()
        return len(members) + len(events)
    finally:
        conn.close()


def _clear_stroke_caches() -> None:
    from branchdesk.domain import strokes

    strokes._table.cache_clear()
    strokes.char_strokes.cache_clear()
    strokes._char_key.cache_clear()


def run(quick: bool = False) -> Result:
    reps = 3 if quick else 15
    from branchdesk.domain import strokes
    from branchdesk.domain.strokes import sort_by_strokes
    from branchdesk.store import open_book

    def by_name(m):  # type: ignore[no-untyped-def]
        return m.name

    cases = (
        "baseline: raw SQL fetch",
        "open_book",
        "roster.members()",
        "roster.on(today)",
        "open + members + on + sort",
        "baseline: sorted by code point",
        "sort_by_strokes, warm",
        "stroke table first load (_table)",
        "sort_by_strokes, cold caches",
    )
    t: dict[str, list[float]] = {c: [] for c in cases}
    clock = time.perf_counter
    result = Result("Roster load 5,000")
    with temp_dir("load") as tmp:
        path = make_large_book(Path(tmp))
        today = dt.date.today()
        n_members = n_on = 0
        chars = 0
        for rnd in range(reps + 1):  # round 0 warms up and is not counted
            sample: dict[str, float] = {}
            t0 = clock()
            _raw_read(path)
            sample[cases[0]] = clock() - t0

            t0 = clock()
            book = open_book(path)
            t1 = clock()
            members = book.roster.members()
            t2 = clock()
            entries = book.roster.on(today)
            t3 = clock()
            ordered = sort_by_strokes(members, key=by_name)
            t4 = clock()
            book.close(backup=False)
            sample[cases[1]] = t1 - t0
            sample[cases[2]] = t2 - t1
            sample[cases[3]] = t3 - t2
            sample[cases[4]] = t4 - t0

            t0 = clock()
            sorted(members, key=by_name)
            sample[cases[5]] = clock() - t0
            t0 = clock()
            sort_by_strokes(members, key=by_name)
            sample[cases[6]] = clock() - t0

            _clear_stroke_caches()
            t0 = clock()
            strokes._table()
            sample[cases[7]] = clock() - t0
            _clear_stroke_caches()
            t0 = clock()
            sort_by_strokes(members, key=by_name)
            sample[cases[8]] = clock() - t0

            if rnd:
                for c, v in sample.items():
                    t[c].append(v)
            n_members, n_on = len(members), len(entries)
            chars = len({ch for m in members for ch in m.name})
            assert len(ordered) == n_members
            if rnd % 5 == 0:
                progress(f"roster load: round {rnd}/{reps}")

    raw, plain, warm = cases[0], cases[5], cases[6]
    result.add(raw, t[raw])
    for c in cases[1:5]:
        result.add(c, t[c], baseline=raw)
    result.add(plain, t[plain])
    result.add(warm, t[warm], baseline=plain)
    result.add(cases[7], t[cases[7]])
    result.add(cases[8], t[cases[8]], baseline=plain)
    result.notes.append(
        f"{n_members} members, {n_on} on the roll today, {chars} distinct name characters; "
        "no target was set for these (they feed the start-up and roster-page figures). "
        "The first sort in a process = the cold row."
    )
    return result


def profile() -> None:
    from _common import profile_call

    from branchdesk.domain.strokes import sort_by_strokes
    from branchdesk.store import open_book

    with temp_dir("load-prof") as tmp:
        path = make_large_book(Path(tmp))

        def work() -> None:
            _clear_stroke_caches()
            book = open_book(path)
            members = book.roster.members()
            book.roster.on(dt.date.today())
            sort_by_strokes(members, key=lambda m: m.name)
            book.close(backup=False)

        print(profile_call(work))


if __name__ == "__main__":
    main(run, profile)
