"""The 3/6-month lists of the calendar and the 工作台 are read with SQL
(`rules.inactive_members`): they must be the lists the domain rule
(`compliance.members_without_activity`) gives over the loaded meetings."""

from __future__ import annotations

import datetime as dt

import pytest

from branchdesk.areas.meetings.rules import groups_of_members, inactive_members
from branchdesk.domain.compliance import (
    INACTIVE_LOOKBACK_MONTHS,
    add_months,
    members_without_activity,
)


def by_domain(book, today):
    recent = book.meetings.records_since(add_months(today, -INACTIVE_LOOKBACK_MONTHS))
    return members_without_activity(
        book.roster.on(today),
        [r.meeting for r in recent],
        today,
        committee_posts=book.branch.committee(),
        groups_of_members=groups_of_members(book),
        since=book.meetings.first_date(),
    )


def summary(lists):
    return [
        [(x.entry.member.id, x.last_attended, x.counted_from, x.entry.category) for x in part]
        for part in lists
    ]


@pytest.fixture(scope="module")
def busy_book(tmp_path_factory):
    """300 members, two years of meetings, a committee whose posts end mid-way, a group
    that skipped a month, members moved between groups and some who stopped attending."""
    from branchdesk.areas.meetings.demo import populate_year
    from branchdesk.areas.roster.demo import populate_large
    from branchdesk.domain.branch import CommitteePost
    from branchdesk.store import create_book

    book = create_book(tmp_path_factory.mktemp("inactive") / "book.db", "测试党支部")
    populate_large(book, 300, seed=5)
    roll = book.roster.on(dt.date(2024, 1, 1))
    for n, entry in enumerate(roll[:5]):
        m = entry.member
        end = dt.date(2025, 6, 30) if n < 2 else None
        post = ("书记", "副书记", "组织委员", "宣传委员", "纪检委员")[n]
        book.branch.save_post(
            CommitteePost(m.id or 0, m.name, post, term_end=end), today=dt.date(2024, 1, 1)
        )
    populate_year(book, 2024, until=dt.date(2024, 12, 31), admissions=False)
    populate_year(book, 2025, until=dt.date(2025, 9, 30), admissions=False)
    with book.atomic():  # some people change groups; some never attend after March
        for entry in roll[10:40]:
            book.db.execute(
                "UPDATE member SET group_id = (SELECT min(id) FROM party_group) WHERE id = ?",
                [entry.member.id],
            )
        for entry in roll[40:70]:
            book.db.execute(
                "UPDATE meeting_attendance SET status = '请假', reason = '病假'"
                " WHERE member_id = ? AND meeting_id IN"
                " (SELECT id FROM meeting WHERE date > '2025-03-01')",
                [entry.member.id],
            )
    yield book
    book.close(backup=False)


@pytest.mark.parametrize(
    "today",
    [
        dt.date(2024, 2, 1),
        dt.date(2025, 7, 15),
        dt.date(2025, 10, 1),
        dt.date(2026, 3, 1),
        dt.date(2026, 12, 1),
    ],  # fmt: skip
)
def test_sql_lists_are_the_domain_lists(busy_book, today):
    assert summary(inactive_members(busy_book, today)) == summary(by_domain(busy_book, today))


def test_sql_lists_on_the_demo_book(demo_book):
    for today in (dt.date(2026, 6, 1), dt.date(2026, 11, 20), dt.date(2027, 6, 1)):
        assert summary(inactive_members(demo_book, today)) == summary(by_domain(demo_book, today))


def test_the_lists_are_not_empty_where_it_matters(busy_book):
    three, six = inactive_members(busy_book, dt.date(2026, 3, 1))
    assert six  # nothing was held after September 2025
    three, six = inactive_members(busy_book, dt.date(2025, 7, 15))
    assert len(three) >= 25  # those on leave since March


@pytest.mark.parametrize("serving_known", [True, False])
def test_who_attended_is_who_has_a_last_date(busy_book, serving_known):
    """`attended` (the ids only, for the 3-month cut) and `last_attended` apply one rule:
    over periods that cut through the committee's terms and the group moves."""
    from branchdesk.domain.meetings import committee_ids_on

    posts = busy_book.branch.committee()
    groups = groups_of_members(busy_book)
    serving = (lambda day: committee_ids_on(posts, day)) if serving_known else None
    repo = busy_book.meetings
    periods = [
        (dt.date(2024, 1, 1), dt.date(2024, 3, 31)),
        (dt.date(2025, 4, 1), dt.date(2025, 7, 15)),
        (dt.date(2025, 6, 1), dt.date(2025, 9, 30)),
        (dt.date(2024, 1, 1), dt.date(2025, 12, 31)),
        (dt.date(2026, 1, 1), dt.date(2026, 6, 30)),  # nothing held
    ]
    for since, today in periods:
        expected = set(repo.last_attended(since, today, groups, serving))
        assert repo.attended(since, today, groups, serving) == expected
    assert repo.attended(*periods[0], groups, serving)  # not vacuous: people attended
