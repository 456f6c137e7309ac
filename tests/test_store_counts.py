"""The 工作台's counts come from SQL (`RosterRepo.counts_on`): they must agree with the
domain rules (`roster_on`) that every other view uses."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from branchdesk.domain.dates import add_years
from branchdesk.domain.members import Category, EventKind, Member, roster_on


def domain_counts(book, day):
    roster = roster_on(book.roster.members(), day)
    return len(roster), sum(1 for e in roster if e.category == Category.FULL)


def test_counts_agree_with_the_domain_on_a_large_book(book):
    from branchdesk.areas.roster.demo import populate_large

    populate_large(book, 300)
    for day in (dt.date(1980, 1, 1), dt.date(2001, 6, 30), dt.date(2015, 3, 1),
                dt.date(2025, 12, 1), dt.date(2026, 1, 1), dt.date(2030, 1, 1)):  # fmt: skip
        assert book.roster.counts_on(day) == domain_counts(book, day), day


def test_counts_on_an_empty_book(book):
    assert book.roster.counts_on(dt.date(2026, 1, 1)) == (0, 0)


MOVES = (EventKind.TRANSFER_IN, EventKind.TRANSFER_OUT, EventKind.DIED, EventKind.CONFIRMED)
days = st.dates(dt.date(2010, 1, 1), dt.date(2012, 12, 31))


@given(
    people=st.lists(
        st.tuples(
            st.one_of(st.none(), days),  # 入党日期
            st.one_of(st.none(), days),  # 转正日期
            st.lists(st.tuples(st.sampled_from(MOVES), days), max_size=4),
        ),
        min_size=1,
        max_size=6,
    ),
    day=days,
)
def test_counts_agree_with_the_domain_for_any_history(tmp_path_factory, people, day):
    """Same-day moves, a history that starts with 转入, no 入党日期: the SQL and the
    domain count alike."""
    from branchdesk.store import create_book

    path = tmp_path_factory.mktemp("counts") / "book.db"
    book = create_book(path, "测试党支部")
    try:
        for n, (joined, full, events) in enumerate(people):
            if full and (joined is None or full < add_years(joined, 1)):
                full = None
            member_id = book.roster.add(
                Member(
                    name=f"党员{n}",
                    gender="男",
                    join_date=joined,
                    full_date=full,
                    category=Category.FULL if full else Category.PROBATIONARY,
                ),
                today=dt.date(2013, 1, 1),
            )
            for kind, when in events:
                if kind == EventKind.CONFIRMED:
                    continue
                book.db.execute(
                    "INSERT INTO member_event (member_id, kind, date) VALUES (?, ?, ?)",
                    [member_id, kind.value, when.isoformat()],
                )
        assert book.roster.counts_on(day) == domain_counts(book, day)
    finally:
        book.close(backup=False)


terms = st.tuples(st.one_of(st.none(), days), st.one_of(st.none(), days))


@given(
    posts=st.lists(terms, max_size=5),
    groups=st.lists(terms, max_size=4),
    day=days,
    name=st.text(min_size=1, max_size=12).filter(str.strip),
)
def test_the_glance_agrees_with_the_branch_model(tmp_path_factory, posts, groups, day, name):
    """The 工作台's facts (store/glance.py, SQL without the domain model) are the ones
    `BranchRepo` gives: posts serving on the day, 党小组 existing on it, the name."""
    from branchdesk.domain.branch import PartyGroup
    from branchdesk.store import create_book

    book = create_book(tmp_path_factory.mktemp("glance") / "book.db", "测试党支部")
    try:
        book.branch.set_profile(name, "上级党委")
        member_id = book.roster.add(
            Member(name="党员甲", gender="男", join_date=dt.date(2000, 1, 1),
                   category=Category.FULL),
            today=dt.date(2013, 1, 1),
        )  # fmt: skip
        posts_made = ("书记", "副书记", "组织委员", "宣传委员", "纪检委员")
        for n, (start, end) in enumerate(posts):
            if start and end and end < start:
                start, end = end, start
            book.db.execute(
                "INSERT INTO committee_post (member_id, post, term_start, term_end)"
                " VALUES (?, ?, ?, ?)",
                [member_id, posts_made[n], start and start.isoformat(), end and end.isoformat()],
            )
        for n, (start, end) in enumerate(groups):
            if start and end and end < start:
                start, end = end, start
            book.branch.save_group(PartyGroup(name=f"第{n + 1}党小组", start_date=start,
                                              end_date=end))  # fmt: skip
        glance = book.at_a_glance(day)
        serving = [p for p in book.branch.committee() if p.serving_on(day)]
        assert glance.committee == len(serving)
        assert glance.groups == sum(1 for g in book.branch.groups() if g.exists_on(day))
        profile = book.branch.profile()
        assert (glance.name, glance.parent_org) == (profile.name, profile.parent_org)
        assert (glance.on_roll, glance.full) == book.roster.counts_on(day)
        assert book.title() == (profile.name, book.branch.is_demo())
    finally:
        book.close(backup=False)
