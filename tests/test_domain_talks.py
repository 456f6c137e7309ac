"""Domain rules of 谈心谈话 and 民主评议: coverage, due talks, the 1/3 check (hypothesis)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from branchdesk.domain.appraisal import (
    EXCELLENT_RULE,
    PROBATIONARY_RULE,
    UNQUALIFIED_RULE,
    Participant,
    Rating,
    Tally,
    excellent_limit,
    parse_share,
    rating_checks,
    tally_problems,
)
from branchdesk.domain.branch import CommitteePost
from branchdesk.domain.members import Category, EventKind, Member, MembershipEvent
from branchdesk.domain.talks import (
    CONFIRMATION,
    DAILY,
    FEEDBACK,
    TRANSFER_IN,
    CoverageRules,
    DueRules,
    Talk,
    coverage,
    due_talks,
    event_occasions,
    feedback_occasions,
    not_talked_with,
    spans_in,
    talk_problems,
)

Y = 2026
JOINED = dt.date(2000, 1, 1)


def member(i: int, **kw) -> Member:
    return Member(name=f"党员{i}", id=i, join_date=kw.pop("join_date", JOINED), **kw)


def branch(n: int, committee: int = 3):
    members = [member(i) for i in range(1, n + 1)]
    posts = [CommitteePost(1, "党员1", "书记")] + [
        CommitteePost(i, f"党员{i}", "委员") for i in range(2, committee + 1)
    ]
    return members, posts


def test_default_rules_secretary_with_all_committee_with_each_other():
    members, posts = branch(6, committee=3)
    cov = coverage(Y, members, posts, [])
    pairs = {frozenset(k) for k in cov.required}
    assert {frozenset((1, i)) for i in range(2, 7)} <= pairs  # 书记 ↔ everyone
    assert frozenset((2, 3)) in pairs  # 委员 ↔ 委员
    assert frozenset((2, 4)) not in pairs  # 委员 ↔ member: not by default
    assert frozenset((4, 5)) not in pairs
    assert len(pairs) == 5 + 1
    assert cov.talkers == (1, 2, 3)
    assert cov.cell(2, 4).state == "not_required"
    assert cov.cell(4, 4).state == "not_required"


def test_a_talk_covers_the_pair_both_ways_and_minimum_two():
    members, posts = branch(4)
    talk = Talk(dt.date(Y, 3, 1), talkers=(4,), others=(1,))  # the member talked with 书记
    cov = coverage(Y, members, posts, [talk])
    assert cov.cell(1, 4).state == "done"
    assert cov.cell(1, 4).done == 1
    twice = coverage(Y, members, posts, [talk], CoverageRules(minimum=2))
    assert twice.cell(1, 4).state == "missing"
    again = coverage(Y, members, posts, [talk, talk], CoverageRules(minimum=2))
    assert again.cell(4, 1).state == "done" and again.cell(1, 4).done == 2
    with pytest.raises(ValueError):
        CoverageRules(minimum=3)


def test_talks_outside_the_year_do_not_count():
    members, posts = branch(3)
    cov = coverage(Y, members, posts, [Talk(dt.date(Y - 1, 12, 31), (1,), (3,))])
    assert cov.cell(1, 3).state == "missing"


def test_left_member_keeps_cells_and_november_joiner_is_due():
    members, posts = branch(3)
    left = member(10, events=(MembershipEvent(EventKind.TRANSFER_OUT, dt.date(Y, 3, 15), id=1),))
    left_last_year = member(
        11, events=(MembershipEvent(EventKind.TRANSFER_OUT, dt.date(Y - 1, 6, 1), id=2),)
    )
    joined = member(12, events=(MembershipEvent(EventKind.TRANSFER_IN, dt.date(Y, 11, 20), id=3),))
    cov = coverage(Y, [*members, left, left_last_year, joined], posts, [])
    assert 10 in cov.members and cov.cell(1, 10).state == "missing"
    assert 11 not in cov.members
    assert cov.cell(1, 12).state == "missing"
    assert spans_in(left, dt.date(Y, 1, 1), dt.date(Y, 12, 31)) == [
        (dt.date(Y, 1, 1), dt.date(Y, 3, 14))
    ]


def test_secretary_changing_mid_year_needs_only_the_overlap():
    members, _ = branch(4)
    posts = [
        CommitteePost(1, "党员1", "书记", term_end=dt.date(Y, 5, 31)),
        CommitteePost(2, "党员2", "书记", term_start=dt.date(Y, 6, 1)),
    ]
    late = member(9, join_date=dt.date(Y, 7, 1))
    cov = coverage(Y, [*members, late], posts, [])
    assert cov.cell(2, 9).needed == 1
    assert cov.cell(1, 9).needed == 0  # 党员1 was no longer 书记 when 党员9 joined


ids = st.integers(1, 8)


@given(
    st.lists(st.tuples(ids, ids), max_size=20),
    st.sampled_from([1, 2]),
    st.integers(2, 8),
)
def test_coverage_properties(pairs, minimum, size):
    members, posts = branch(8, committee=min(size, 8))
    talks = [Talk(dt.date(Y, 5, 1), (a,), (b,)) for a, b in pairs if a != b]
    cov = coverage(Y, members, posts, talks, CoverageRules(minimum=minimum))
    for (t, o), needed in cov.required.items():
        cell = cov.cell(t, o)
        assert cell == cov.cell(o, t).__class__(t, o, needed, cell.done)
        assert cov.cell(o, t).done == cell.done  # both ways
        done = sum(1 for tk in talks if frozenset((t, o)) in tk.pairs())
        assert cell.done == done
        assert (cell.state == "done") == (done >= minimum)
    # Every member but the 书记 is paired with the 书记.
    assert all(cov.cell(1, m.id).needed == minimum for m in members if m.id != 1)
    missing = {p.other for p in cov.missing()}
    assert {n.member_id for n in not_talked_with(cov)} == missing


def test_talk_problems_name_fields():
    bad = Talk(dt.date(Y, 1, 2), talkers=(), others=(1,), kind="约谈", topic="")
    problems = talk_problems(bad)
    assert "谈话人：至少填写一人" in problems
    assert any(p.startswith("谈话类型") for p in problems)
    assert "谈话主题：不能为空" in problems
    assert talk_problems(Talk(dt.date(Y, 1, 2), (1,), (2,), topic="工作")) == []


def test_due_talks_from_events_until_a_talk_of_that_kind():
    today = dt.date(Y, 6, 20)
    moved_in = member(5, events=(MembershipEvent(EventKind.TRANSFER_IN, dt.date(Y, 6, 1), id=1),))
    confirmed = member(6, events=(MembershipEvent(EventKind.CONFIRMED, dt.date(Y, 5, 1), id=2),))
    punished = member(7, events=(MembershipEvent(EventKind.PROBATION, dt.date(Y, 4, 1), id=3),))
    people = [member(1), moved_in, confirmed, punished]
    occ = event_occasions(people) + feedback_occasions(
        [(1, "基本合格", dt.date(Y, 3, 1)), (6, "合格", dt.date(Y, 3, 1))]
    )
    due = due_talks(occ, people, [], today)
    assert [(d.member_id, d.kind) for d in due] == [
        (1, FEEDBACK),
        (7, "受表彰或处分"),
        (6, CONFIRMATION),
        (5, TRANSFER_IN),
    ]
    assert due[-1].due == dt.date(Y, 7, 1)
    # A talk of another kind does not answer it; one of that kind does.
    daily = Talk(dt.date(Y, 6, 5), (1,), (5,), kind=DAILY, topic="x")
    fitting = Talk(dt.date(Y, 6, 5), (1,), (5,), kind=TRANSFER_IN, topic="x")
    assert 5 in {d.member_id for d in due_talks(occ, people, [daily], today)}
    assert 5 not in {d.member_id for d in due_talks(occ, people, [fitting], today)}
    # The feedback days are a setting.
    later = feedback_occasions([(1, "不合格", dt.date(Y, 3, 1))], DueRules(feedback=10))
    assert due_talks(later, people, [], today)[0].due == dt.date(Y, 3, 11)


@given(st.integers(0, 400), st.integers(0, 60))
def test_due_dates_follow_the_days(offset, days):
    since = dt.date(Y, 1, 1) + dt.timedelta(days=offset)
    m = member(3, events=(MembershipEvent(EventKind.TRANSFER_IN, since, id=1),))
    today = dt.date(Y + 1, 3, 1)
    rules = DueRules(transfer_in=days)
    due = due_talks(event_occasions([m], rules), [m], [], today, rules)
    if since > today or (today - since).days > rules.horizon:  # future, or too old
        assert due == []
    else:
        assert [d.due for d in due] == [since + dt.timedelta(days=days)]
        talk = Talk(since, (1,), (3,), kind=TRANSFER_IN)
        assert due_talks(event_occasions([m], rules), [m], [talk], today, rules) == []


def people(rated: int, probationary: int = 0) -> list[Participant]:
    out = [Participant(i, f"党员{i}", Category.FULL, True) for i in range(rated)]
    out += [
        Participant(100 + i, f"预备{i}", Category.PROBATIONARY, False) for i in range(probationary)
    ]
    return out


@given(st.integers(0, 60), st.integers(0, 60))
def test_excellent_at_most_a_third(rated, excellent):
    excellent = min(excellent, rated)
    ps = people(rated)
    ratings = [Rating(i, final="优秀" if i < excellent else "合格") for i in range(rated)]
    checks = rating_checks(ratings, ps)
    broken = any(c.rule == EXCELLENT_RULE for c in checks)
    assert broken == (3 * excellent > rated)
    assert excellent_limit(rated) * 3 <= rated < (excellent_limit(rated) + 1) * 3


def test_share_setting_and_message():
    ps = people(8)
    ratings = [Rating(i, final="优秀") for i in range(3)]
    checks = rating_checks(ratings, ps)
    assert checks and "三分之一" in checks[0].message and "最多 2 人" in checks[0].message
    assert rating_checks(ratings, ps, parse_share("1/2")) == []
    with pytest.raises(ValueError):
        parse_share("3/2")
    assert parse_share("1/4") == Fraction(1, 4)


def test_probationary_not_rated_and_unqualified_needs_handling():
    ps = people(3, probationary=1)
    checks = rating_checks([Rating(100, final="合格"), Rating(1, final="不合格")], ps)
    rules = {c.rule for c in checks}
    assert PROBATIONARY_RULE in rules and UNQUALIFIED_RULE in rules
    ok = rating_checks([Rating(1, final="不合格", handling="限期改正")], ps)
    assert ok == []


@given(st.lists(st.integers(0, 30), min_size=4, max_size=4), st.integers(0, 60))
def test_tally_never_exceeds_returned(counts, returned):
    tally = Tally(1, dict(zip(("优秀", "合格", "基本合格", "不合格"), counts, strict=True)))
    problems = tally_problems(tally, "党员1", returned)
    assert bool(problems) == (sum(counts) > returned)


moves = st.lists(
    st.tuples(
        st.sampled_from([EventKind.TRANSFER_IN, EventKind.TRANSFER_OUT]), st.integers(-60, 420)
    ),  # fmt: skip
    max_size=5,
)


@given(moves, st.integers(-400, 400))
def test_spans_are_the_days_on_the_roll(events, joined):
    start, end = dt.date(Y, 1, 1), dt.date(Y, 12, 31)
    m = Member(
        name="甲",
        id=1,
        join_date=start + dt.timedelta(days=joined),
        events=tuple(
            MembershipEvent(kind, start + dt.timedelta(days=d), id=n)
            for n, (kind, d) in enumerate(events)
        ),
    )
    days = {start + dt.timedelta(days=i) for i in range((end - start).days + 1)}
    on_roll = {d for d in days if m.belongs_on(d)}
    covered = set()
    for lo, hi in spans_in(m, start, end):
        covered |= {lo + dt.timedelta(days=i) for i in range((hi - lo).days + 1)}
    assert covered == on_roll


def test_an_extended_probation_makes_a_talk_due():
    from branchdesk.domain.talks import CONFIRMATION, event_occasions

    day = dt.date(2026, 6, 1)
    member = Member(
        id=7,
        name="罗晨",
        join_date=dt.date(2025, 5, 20),
        category=Category.PROBATIONARY,
        events=(MembershipEvent(EventKind.EXTENDED, day, dt.date(2026, 11, 20)),),
    )
    (occasion,) = event_occasions([member])
    assert occasion.kind == CONFIRMATION and occasion.since == day
