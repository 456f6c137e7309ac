"""The sums a period's totals are read from can never disagree with the ledger.

``points_sum`` (per member, item and quarter) is kept by the insert trigger of the
append-only ledger; ``PointsRepo.sums`` caps each item and adds up the categories in SQL.
Both are compared here, on random ledgers (entries, reversals, negative counts, 一票否决,
items the rule set does not know), with a sum from scratch in Python and with
``domain.points.period_result``.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from branchdesk.domain.members import Category, Member
from branchdesk.domain.points import (
    Annual,
    Band,
    Item,
    ItemCategory,
    Line,
    PeriodKind,
    RuleSet,
    item_caps,
    item_sums,
    period_result,
    result_from_sums,
)
from branchdesk.store import create_book

D = dt.date
ADD, DEDUCT, VETO, BASE = (ItemCategory.ADD, ItemCategory.DEDUCT, ItemCategory.VETO,
                           ItemCategory.BASE)  # fmt: skip
RULES = RuleSet(
    period=PeriodKind.QUARTER,
    base=800,
    items=(
        Item("志愿服务", ADD, 20),
        Item("文章", ADD, 30, cap=60),
        Item("违纪", DEDUCT, -100, cap=200),
        Item("补记基础分", BASE, 10, cap=30),
        Item("严重违纪", VETO, 0),
        Item("轻微否决", VETO, 0, veto_cap=600),
    ),
    bands=(Band("优秀", 900), Band("良好", 800), Band("合格", 600), Band("不合格", None)),
    floor=0,
    ceiling=1000,
    annual=Annual.MEAN,
    additions_cap=80,
)
#: (item, category): the rule set's items, one it does not know, a name in two categories.
ITEMS = [(it.name, it.category) for it in RULES.items] + [("旧项目", ADD), ("违纪", ADD)]

entry_st = st.tuples(
    st.integers(0, 2),  # which member
    st.dates(D(2025, 12, 1), D(2026, 12, 31)),
    st.sampled_from(ITEMS),
    st.integers(-150, 150),  # points per occurrence
    st.sampled_from([1, 1, 1, 2, 3, -1]),  # count (-1: a reversal)
)
range_st = st.one_of(
    st.sampled_from([(D(2026, 1, 1), D(2026, 3, 31)), (D(2026, 7, 1), D(2026, 9, 30)),
                     (D(2026, 1, 1), D(2026, 12, 31)), (D(2026, 4, 1), D(2026, 9, 30))]),
    st.tuples(st.dates(D(2025, 12, 1), D(2026, 12, 31)), st.integers(0, 200)).map(
        lambda t: (t[0], t[0] + dt.timedelta(days=t[1]))),
)  # fmt: skip


@settings(max_examples=40)
@given(st.lists(entry_st, max_size=40), range_st)
def test_kept_and_sql_sums_equal_a_sum_from_scratch(entries, span):
    start, end = span
    with tempfile.TemporaryDirectory() as tmp:
        book = create_book(Path(tmp) / "b.db", "测试党支部")
        try:
            ids = [
                book.roster.add(Member(name=n, join_date=D(2015, 7, 1), category=Category.FULL))
                for n in ("王芳", "李明", "张伟")
            ]
            rows = [
                (ids[who], day.isoformat(), item, category.value, points, count)
                for who, day, (item, category), points, count in entries
            ]
            with book.atomic("points"):
                book.db.conn.executemany(
                    "INSERT INTO points_entry (member_id, date, item, category, points, count)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    rows,
                )
            # The kept quarter sums equal the ledger summed from scratch.
            assert book.points.sum_problems() == []
            kept = sorted(
                book.db.conn.execute(
                    "SELECT quarter, member_id, item, category, value, occurrences"
                    " FROM points_sum"
                )
            )
            scratch: dict[tuple[str, int, str, str], list[int]] = {}
            for mid, day, item, category, points, count in rows:
                month = int(day[5:7])
                key = (f"{day[:4]}Q{(month + 2) // 3}", mid, item, category)
                slot = scratch.setdefault(key, [0, 0])
                slot[0] += points * count
                slot[1] += count
            assert kept == sorted((*k, v, n) for k, (v, n) in scratch.items())

            # Capped and added up in SQL = the domain's arithmetic on the same entries.
            mine: dict[int, list[Line]] = {}
            for mid, day, item, category, points, count in rows:
                if start.isoformat() <= day <= end.isoformat():
                    mine.setdefault(mid, []).append(
                        Line(item, ItemCategory(category), points * count, count)
                    )
            got = book.points.sums(start, end, item_caps(RULES))
            assert got == {mid: item_sums(RULES, lines) for mid, lines in mine.items()}
            for mid, lines in mine.items():
                assert result_from_sums(RULES, got[mid]) == period_result(RULES, lines)
        finally:
            book.close(backup=False)


@given(
    st.one_of(st.none(), st.dates(D(2000, 1, 1), D(2027, 12, 31))),
    st.one_of(st.none(), st.dates(D(2000, 1, 1), D(2027, 12, 31))),
    st.sampled_from(list(Category)),
    st.booleans(),
    st.booleans(),
    st.dates(D(2024, 1, 1), D(2027, 12, 31)),
    st.integers(0, 400),
)
def test_the_short_way_for_members_without_events_is_the_day_by_day_way(
    join, full, category, full_scored, probationary_scored, start, days
):
    from branchdesk.domain.points import Scored, _roll_and_scored_by_day, roll_and_scored

    if join is not None and full is not None and full < join:
        full, join = join, full
    member = Member(name="王芳", join_date=join, full_date=full, category=category)
    scored = Scored(full=full_scored, probationary=probationary_scored)
    end = start + dt.timedelta(days=days)
    assert roll_and_scored(member, start, end, scored) == _roll_and_scored_by_day(
        member, start, end, scored
    )
