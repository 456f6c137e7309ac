"""Who belonged, who was 预备, who could vote on a date — the rules every meeting relies on."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from branchdesk.domain.dates import DateParseError, format_cn, parse_date
from branchdesk.domain.idcard import IdNumberError, check_digit, mask_id, parse_id
from branchdesk.domain.members import (
    Category,
    EventKind,
    Member,
    MembershipEvent,
    roster_on,
    status_today,
    validate_member,
    voting_count,
)
from branchdesk.domain.names import normalize_name, pinyin_initials

D = dt.date


def member(**kw) -> Member:
    base = dict(name="张三", join_date=D(2010, 7, 1), full_date=D(2011, 7, 1))
    base.update(kw)
    return Member(**base)


def test_probationary_member_attends_but_has_no_vote():
    m = member(full_date=None, category=Category.PROBATIONARY, join_date=D(2025, 6, 1))
    (entry,) = roster_on([m], D(2025, 12, 1))
    assert entry.category == Category.PROBATIONARY
    assert not entry.has_vote


def test_confirmed_member_votes_only_from_the_confirmation_date():
    m = member(join_date=D(2024, 5, 10), full_date=D(2025, 5, 10))
    assert not roster_on([m], D(2025, 5, 9))[0].has_vote
    assert roster_on([m], D(2025, 5, 10))[0].has_vote


def test_member_under_probation_has_no_vote_until_it_ends():
    m = member(events=(MembershipEvent(EventKind.PROBATION, D(2024, 1, 1), D(2025, 1, 1)),))
    assert roster_on([m], D(2023, 12, 31))[0].has_vote
    during = roster_on([m], D(2024, 6, 1))[0]
    assert not during.has_vote and during.status == "留党察看"
    assert roster_on([m], D(2025, 1, 1))[0].has_vote


def test_transferred_out_member_is_on_past_rosters_only():
    m = member(events=(MembershipEvent(EventKind.TRANSFER_OUT, D(2025, 8, 15)),))
    assert roster_on([m], D(2025, 8, 14))
    assert not roster_on([m], D(2025, 8, 15))
    assert status_today(m, D(2026, 1, 1)) == "已转出"


def test_transferred_in_member_is_absent_before_the_transfer():
    m = member(events=(MembershipEvent(EventKind.TRANSFER_IN, D(2023, 9, 1)),))
    assert not roster_on([m], D(2023, 8, 31))
    assert roster_on([m], D(2023, 9, 1))


def test_member_who_left_and_came_back():
    m = member(
        events=(
            MembershipEvent(EventKind.TRANSFER_OUT, D(2015, 1, 1)),
            MembershipEvent(EventKind.TRANSFER_IN, D(2018, 1, 1)),
        )
    )
    assert roster_on([m], D(2014, 1, 1))
    assert not roster_on([m], D(2016, 1, 1))
    assert roster_on([m], D(2019, 1, 1))


def test_death_ends_membership():
    m = member(events=(MembershipEvent(EventKind.DIED, D(2024, 3, 3)),))
    assert not m.belongs_on(D(2024, 3, 3))
    assert status_today(m, D(2025, 1, 1)) == "去世"


dates = st.dates(min_value=D(1990, 1, 1), max_value=D(2030, 12, 31))


@given(join=dates, gap=st.integers(0, 3000), probe=dates)
def test_category_on_is_full_exactly_from_the_full_date(join, gap, probe):
    full = join + dt.timedelta(days=gap)
    m = member(join_date=join, full_date=full)
    assert (m.category_on(probe) == Category.FULL) == (probe >= full)


@given(
    join=dates,
    moves=st.lists(st.tuples(dates, st.booleans()), max_size=6),
    probe=dates,
)
def test_membership_follows_the_last_move_on_or_before_the_day(join, moves, probe):
    events = tuple(
        MembershipEvent(EventKind.TRANSFER_IN if inward else EventKind.TRANSFER_OUT, day, id=i)
        for i, (day, inward) in enumerate(moves)
    )
    m = member(join_date=join, full_date=None, events=events)
    ordered = sorted(events, key=lambda e: (e.date, e.id))
    past = [e for e in ordered if e.date <= probe]
    if past:
        expected = past[-1].kind == EventKind.TRANSFER_IN
    elif ordered and ordered[0].kind == EventKind.TRANSFER_IN:
        expected = False  # history starts with a transfer in: not here before it
    else:
        expected = join <= probe
    assert m.belongs_on(probe) == expected


@given(
    people=st.lists(
        st.tuples(dates, st.one_of(st.none(), st.integers(0, 800)), st.booleans()), max_size=15
    ),
    probe=dates,
)
def test_voting_members_are_full_members_not_on_probation(people, probe):
    members = []
    for i, (join, gap, probation) in enumerate(people):
        full = join + dt.timedelta(days=gap) if gap is not None else None
        events = (MembershipEvent(EventKind.PROBATION, join, None),) if probation else ()
        cat = Category.FULL if full else Category.PROBATIONARY
        members.append(
            member(name=f"人{i}", join_date=join, full_date=full, category=cat, events=events)
        )
    roster = roster_on(members, probe)
    assert len(roster) == sum(1 for j, _, _ in people if j <= probe)
    expected = sum(
        1
        for j, gap, probation in people
        if j <= probe and gap is not None and probe >= j + dt.timedelta(days=gap) and not probation
    )
    assert voting_count(roster) == expected


# -- 身份证号 -------------------------------------------------------------------------------
def make_id(birth: D, seq: int) -> str:
    first17 = f"110105{birth:%Y%m%d}{seq:03d}"
    return first17 + check_digit(first17)


def test_known_id_number_checksum():
    # The GB 11643 example: 11010519491231002X
    info = parse_id("11010519491231002x")
    assert info.number == "11010519491231002X"
    assert info.birth_date == D(1949, 12, 31)
    assert info.gender == "女"


@given(birth=st.dates(min_value=D(1930, 1, 1), max_value=D(2010, 12, 31)), seq=st.integers(0, 999))
def test_any_single_digit_change_breaks_the_checksum(birth, seq):
    number = make_id(birth, seq)
    assert parse_id(number).birth_date == birth
    assert parse_id(number).gender == ("男" if seq % 2 else "女")
    for pos in range(17):
        digit = str((int(number[pos]) + 1) % 10)
        broken = number[:pos] + digit + number[pos + 1 :]
        try:
            parse_id(broken)
        except IdNumberError:
            continue
        raise AssertionError(f"{broken} passed")


def test_id_masked_to_last_four():
    assert mask_id("11010519491231002X") == "**************002X"
    assert mask_id("") == ""


# -- dates and names ------------------------------------------------------------------------
def test_date_formats_a_secretary_types():
    for text in ("2019-07-01", "2019.07.01", "2019/7/1", "2019年7月1日", "20190701", " 2019.7.1 "):
        assert parse_date(text) == D(2019, 7, 1), text
    assert parse_date("2019.07", allow_month=True) == D(2019, 7, 1)
    assert parse_date("") is None
    for bad in ("2019.13.01", "2019-02-30", "七月一日", "2019.07"):
        try:
            parse_date(bad)
        except DateParseError as exc:
            assert "日期" in str(exc) or "日" in str(exc)
        else:
            raise AssertionError(bad)


def test_official_date_format():
    assert format_cn(D(2025, 12, 1)) == "2025年12月1日"


def test_names_are_normalised_and_searchable():
    assert normalize_name("王　芳") == "王芳"
    assert normalize_name(" 阿依古丽・买买提 ") == "阿依古丽·买买提"
    assert pinyin_initials("张三") == "zs"
    assert pinyin_initials("阿依古丽·买买提") == "ayglmmt"


def test_validation_names_the_field():
    errors = validate_member(
        member(name="", birth_date=D(2000, 1, 1), join_date=D(2015, 1, 1), full_date=None),
        D(2026, 1, 1),
    )
    assert any(e.startswith("姓名") for e in errors)
    assert any(e.startswith("入党日期") and "18" in e for e in errors)
    wrong_order = member(join_date=D(2020, 1, 1), full_date=D(2019, 1, 1))
    errors = validate_member(wrong_order, D(2026, 1, 1))
    assert any(e.startswith("转正日期") for e in errors)
    assert validate_member(member(), D(2026, 1, 1)) == []
