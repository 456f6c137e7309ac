"""Write a realistic book of a given size: the generator every benchmark uses.

    python benchmarks/make_book.py --members 5000 --years 10 大支部.db

``--members N``: N people in 20 党小组 (births, 入党/转正 dates, ID numbers, phones),
one in ten with a 转出 (`populate_large`), a five-member 支委会. ``--years Y``: the Y
years up to and including this one, each with every meeting type — the 组织生活会 and
民主评议党员, a monthly 主题党日, quarterly 支部党员大会 and 党课, a monthly 支委会 and a
monthly 党小组会 per group, one 其他 meeting — with attendance (出席 / 请假 with a reason /
缺席) of everyone on the roll that day, up to today (`populate_year`); a few members
away for months (`away_lately`); for the last two years a 积分 rule set (the automatic
attendance entries of every meeting) and a manual entry for one member in ten, and a
谈心谈话 of a committee member with one member in four. Sizes used by the benchmarks:
empty (0 × 0), 200 × 10 and 5,000 × 10.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT / "src"))

BRANCH = "机关第一党支部"
PARENT = "机关党委"
POSTS = ("书记", "副书记", "组织委员", "宣传委员", "纪检委员")


def make_book(path: Path, members: int, years: int, *, today: dt.date | None = None) -> Path:
    """Create ``path`` (refuses to overwrite) with ``members`` people and ``years`` years
    of meetings ending ``today``; closed without a backup."""
    from branchdesk.areas.meetings.demo import populate_year
    from branchdesk.areas.roster.demo import populate_large
    from branchdesk.domain.branch import CommitteePost
    from branchdesk.domain.meetings import Meeting, MeetingType
    from branchdesk.domain.minutes import MeetingRecord
    from branchdesk.store import create_book

    today = today or dt.date.today()
    book = create_book(Path(path), BRANCH, PARENT)
    try:
        if members:
            populate_large(book, members)
            first = dt.date(today.year - max(years, 1) + 1, 1, 1)
            serving = [e.member for e in book.roster.on(first)][: len(POSTS)]
            for m, post in zip(serving, POSTS, strict=False):
                book.branch.save_post(CommitteePost(m.id or 0, m.name, post), today=first)
        for year in range(today.year - years + 1, today.year + 1):
            until = min(today, dt.date(year, 12, 31))
            populate_year(book, year, until=until, admissions=False)
            day = dt.date(year, 4, 22)
            if day <= until:
                book.meetings.save(
                    MeetingRecord(
                        meeting=Meeting(
                            title=f"{year}年读书分享会",
                            types=frozenset({MeetingType.OTHER}),
                            date=day,
                        ),
                        place="图书室",
                        content="党员交流读书体会。",
                    )
                )
        if members and years:
            away_lately(book, today)
            points_and_talks(book, today, min(years, 2))
    finally:
        book.close(backup=False)
    return Path(path)


def away_lately(book: object, today: dt.date) -> None:
    """As in a real branch, a few are away for months: one member in 50 has been on sick
    leave (请假) for the last 4 months, one in 100 at nothing for the last 8 — so the
    calendar's 3- and 6-month lists and the 工作台's reminders have names to show."""
    from branchdesk.domain.compliance import add_months

    roll = [e.member.id for e in book.roster.on(today)]  # type: ignore[attr-defined]
    for every, months, status, reason in ((50, 4, "请假", "病假"), (100, 8, "缺席", "")):
        since = add_months(today, -months).isoformat()
        with book.atomic("meetings"):  # type: ignore[attr-defined]
            for member_id in roll[every // 2 :: every]:
                book.db.execute(  # type: ignore[attr-defined]
                    "UPDATE meeting_attendance SET status = ?, reason = ? WHERE member_id = ?"
                    " AND meeting_id IN (SELECT id FROM meeting WHERE date >= ?)",
                    [status, reason, member_id, since],
                )


def points_and_talks(book: object, today: dt.date, years: int) -> None:
    """积分 for the last ``years`` years (the rule set applied to every meeting, and a
    manual entry for one member in ten) and a 谈心谈话 of a committee member with one
    member in four each year."""
    import random

    from branchdesk.areas.points.rules import template
    from branchdesk.domain.talks import DAILY, Talk

    rng = random.Random(years)
    rules = template("quarterly-100").rules
    b: Any = book
    b.points.set_entered_by("组织委员")
    committee = [p.member_id for p in b.branch.committee()]
    for year in range(today.year - years + 1, today.year + 1):
        b.points.set_scheme(year, rules, "quarterly-100")
        end = min(today, dt.date(year, 12, 31))
        start = dt.date(year, 1, 2)
        roll = [e.member.id for e in b.roster.on(start) if e.member.belongs_on(end)]
        with b.atomic("points"):
            for member_id in roll[::10]:
                day = start + dt.timedelta(days=rng.randrange(max((end - start).days, 1)))
                b.points.add(member_id, day, "参加志愿服务", reason="社区志愿服务")
        talks = []
        for member_id in roll[::4]:
            talker = rng.choice([c for c in committee if c != member_id] or committee)
            if talker == member_id:
                continue
            day = start + dt.timedelta(days=rng.randrange(max((end - start).days, 1)))
            talks.append(
                Talk(day, (talker,), (member_id,), DAILY, "思想和工作情况", "党员活动室",
                     "交流了近期的思想、工作和学习情况。")  # fmt: skip
            )
        if talks:
            b.talks.save_many(talks)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--members", type=int, default=0, help="people on the roll (default 0)")
    p.add_argument("--years", type=int, default=0, help="years of meetings up to this one")
    p.add_argument("file", type=Path, help="the book to write (must not exist)")
    args = p.parse_args(argv)
    start = time.perf_counter()
    make_book(args.file, args.members, args.years)
    size = args.file.stat().st_size / 1e6
    print(
        f"{args.file}: {args.members} members, {args.years} years, {size:.1f} MB"
        f" in {time.perf_counter() - start:.1f} s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
