"""Points rules: totals, caps, floor, bands, veto, mean of quarters, who is scored; the
shipped templates as the issue words them; the rule-set JSON."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from branchdesk.areas.points.rules import TEMPLATE_IDS, template
from branchdesk.domain.branch import CommitteePost
from branchdesk.domain.meetings import Attendance, AttendanceStatus, Meeting, MeetingType, Scope
from branchdesk.domain.members import (
    Category,
    EventKind,
    Member,
    MembershipEvent,
    roster_on,
)
from branchdesk.domain.points import (
    FAIL_BAND,
    Annual,
    Band,
    Item,
    ItemCategory,
    Line,
    Period,
    PeriodKind,
    PeriodResult,
    RuleSet,
    Scored,
    annual_result,
    band_for,
    format_points,
    mean_half_up,
    meeting_points,
    not_scored_reason,
    parse_points,
    period_result,
    rank,
    scored_in,
)
from branchdesk.domain.points_rules import RulesError, rules_from_dict, rules_to_dict

D = dt.date
ADD, DEDUCT, VETO, BASE = (ItemCategory.ADD, ItemCategory.DEDUCT, ItemCategory.VETO,
                           ItemCategory.BASE)  # fmt: skip
BANDS = (Band("优秀", 900), Band("良好", 800), Band("合格", 600), Band("不合格", None))


def rules(**over) -> RuleSet:
    base = dict(
        period=PeriodKind.QUARTER,
        base=800,
        items=(
            Item("志愿服务", ADD, 20),
            Item("文章", ADD, 30, cap=60),
            Item("违纪", DEDUCT, -100, cap=200),
            Item("严重违纪", VETO, 0),
            Item("轻微否决", VETO, 0, veto_cap=600),
        ),
        bands=BANDS,
        floor=0,
        ceiling=1000,
        annual=Annual.MEAN,
        additions_cap=200,
    )
    base.update(over)
    return RuleSet(**base)


lines_st = st.lists(
    st.tuples(
        st.sampled_from([("志愿服务", ADD, 20), ("文章", ADD, 30), ("违纪", DEDUCT, -100)]),
        st.integers(0, 6),
    ).map(lambda t: Line(t[0][0], t[0][1], t[0][2] * t[1], t[1])),
    max_size=20,
)


@given(lines_st)
def test_total_is_base_plus_capped_parts_clipped(lines):
    r = rules()
    result = period_result(r, lines)
    assert result.total == max(0, min(1000, result.base + result.added + result.deducted))
    articles = sum(x.value for x in lines if x.item == "文章")
    volunteer = sum(x.value for x in lines if x.item == "志愿服务")
    assert result.added == min(200, volunteer + min(articles, 60))
    assert result.deducted >= -200  # the item cap
    assert 0 <= result.total <= 1000
    assert result.band == band_for(result.total, BANDS)


@given(st.integers(0, 30))
def test_item_cap_holds_however_many_occurrences(n):
    result = period_result(rules(), [Line("文章", ADD, 30 * n, n)])
    assert result.added == min(30 * n, 60)


@given(st.lists(st.integers(1, 20), max_size=10))
def test_additions_together_are_capped(counts):
    lines = [Line("志愿服务", ADD, 20 * c, c) for c in counts]
    result = period_result(rules(additions_cap=50), lines)
    assert result.added == min(50, 20 * sum(counts))


@given(st.integers(0, 50))
def test_floor_is_never_crossed(n):
    r = rules(items=(Item("违纪", DEDUCT, -100),))
    result = period_result(r, [Line("违纪", DEDUCT, -100 * n, n)])
    assert result.total == max(0, 800 - 100 * n)


def test_no_ceiling_and_no_floor_when_the_rules_say_none():
    r = rules(floor=None, ceiling=None, additions_cap=None, items=(Item("x", ADD, 500),
              Item("y", DEDUCT, -500)))  # fmt: skip
    assert period_result(r, [Line("x", ADD, 1000, 2)]).total == 1800
    assert period_result(r, [Line("y", DEDUCT, -2000, 4)]).total == -1200


@given(st.integers(-100, 1100))
def test_bands_are_decided_by_threshold(total):
    band = band_for(total, BANDS)
    expected = ("优秀" if total >= 900 else "良好" if total >= 800
                else "合格" if total >= 600 else "不合格")  # fmt: skip
    assert band == expected


def test_799_is_below_80():
    assert band_for(799, BANDS) == "合格" and band_for(800, BANDS) == "良好"


@given(lines_st)
def test_veto_sets_zero_and_fail(lines):
    result = period_result(rules(), [*lines, Line("严重违纪", VETO, 0, 1)])
    assert result.total == 0 and result.band == FAIL_BAND and result.vetoed


@given(lines_st)
def test_light_veto_caps_the_total(lines):
    plain = period_result(rules(), lines)
    result = period_result(rules(), [*lines, Line("轻微否决", VETO, 0, 1)])
    assert result.total == min(plain.total, 600) and result.band == FAIL_BAND


def test_reversed_veto_no_longer_counts():
    lines = [Line("严重违纪", VETO, 0, 1), Line("严重违纪", VETO, 0, -1)]
    assert not period_result(rules(), lines).vetoed


@given(st.lists(st.integers(0, 1000), min_size=1, max_size=4))
def test_mean_of_quarters_is_rounded_half_up(totals):
    exact = Decimal(sum(totals)) / len(totals)
    assert mean_half_up(totals) == int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def test_mean_84875_is_849_and_band_on_rounded_value():
    quarters = [PeriodResult(800, 0, 0, t, "") for t in (850, 845, 850, 850)]  # 84.875
    year = annual_result(rules(), quarters)
    assert year is not None and year.total == 849 and format_points(year.total) == "84.9"
    just_below = [PeriodResult(800, 0, 0, t, "") for t in (799, 799, 799, 800)]  # 79.925
    year = annual_result(rules(), just_below)
    assert year is not None and year.total == 799 and year.band == "合格"


@given(st.lists(st.integers(0, 1000), min_size=1, max_size=4))
def test_sum_of_quarters(totals):
    quarters = [PeriodResult(0, 0, 0, t, "") for t in totals]
    year = annual_result(rules(annual=Annual.SUM, bands=()), quarters)
    assert year is not None and year.total == sum(totals) and year.periods == len(totals)


def test_annual_of_no_scored_quarter_is_none():
    assert annual_result(rules(), []) is None


def test_rank_is_competition_ranking():
    assert rank({1: 900, 2: 850, 3: 900, 4: 700}) == {1: 1, 3: 1, 2: 3, 4: 4}


@pytest.mark.parametrize(("text", "tenths"), [("5", 50), (-0.5, -5), ("2.5", 25), (0, 0)])
def test_points_parse_to_tenths(text, tenths):
    assert parse_points(text) == tenths


@pytest.mark.parametrize("bad", ["0.25", "abc", None, True, "nan"])
def test_points_with_two_decimals_are_refused(bad):
    with pytest.raises(ValueError):
        parse_points(bad)


def test_periods():
    assert Period.parse("2026Q3") == Period(2026, 3)
    assert (Period(2026, 3).start, Period(2026, 3).end) == (D(2026, 7, 1), D(2026, 9, 30))
    assert Period(2026, 1).end == D(2026, 3, 31) and Period(2026).end == D(2026, 12, 31)
    assert Period(2026, 3).label == "2026年第三季度" and Period(2026).key == "2026"
    with pytest.raises(ValueError):
        Period.parse("2026Q5")


# --- who is scored ------------------------------------------------------------------------
def person(**over) -> Member:
    base = dict(name="张三", id=1, join_date=D(2010, 1, 1), category=Category.FULL)
    base.update(over)
    return Member(**base)


def test_who_is_scored_on_a_date():
    s = Scored(full=True, probationary=True, retired=False, mobile=False)
    retired = person(events=(MembershipEvent(EventKind.RETIRED, D(2026, 5, 1)),))
    assert not_scored_reason(retired, D(2026, 4, 30), s) is None
    assert not_scored_reason(retired, D(2026, 5, 1), s) == "离退休"
    away = person(events=(MembershipEvent(EventKind.MOBILE, D(2026, 2, 1), D(2026, 6, 1),
                                          "深圳"),))  # fmt: skip
    assert not_scored_reason(away, D(2026, 3, 1), s) == "流动党员"
    assert not_scored_reason(away, D(2026, 6, 1), s) is None
    out = person(events=(MembershipEvent(EventKind.TRANSFER_OUT, D(2026, 8, 10)),))
    assert not_scored_reason(out, D(2026, 8, 10), s) == "不在本支部名册"
    probationary = person(category=Category.PROBATIONARY, join_date=D(2026, 1, 5))
    assert not_scored_reason(probationary, D(2026, 3, 1), Scored(probationary=False))
    assert not_scored_reason(retired, D(2026, 9, 1), Scored(retired=True)) is None


def test_scored_in_a_quarter_if_scored_on_any_day_of_it():
    s = Scored()
    retired = person(events=(MembershipEvent(EventKind.RETIRED, D(2026, 5, 1)),))
    assert scored_in(retired, D(2026, 4, 1), D(2026, 6, 30), s)  # April still at work
    assert not scored_in(retired, D(2026, 7, 1), D(2026, 9, 30), s)
    joined = person(join_date=D(2026, 9, 30))
    assert scored_in(joined, D(2026, 7, 1), D(2026, 9, 30), s)
    back = person(events=(MembershipEvent(EventKind.MOBILE, D(2026, 1, 1), D(2026, 9, 30)),))
    assert scored_in(back, D(2026, 7, 1), D(2026, 9, 30), s)  # back on the last day


# --- meetings -------------------------------------------------------------------------------
P, L, A = AttendanceStatus.PRESENT, AttendanceStatus.LEAVE, AttendanceStatus.ABSENT


def test_automatic_item_counts_once_per_meeting_record():
    q = template("quarterly-100").rules
    members = [person(id=i, name=f"党员{i}") for i in (1, 2, 3)]
    m = Meeting(
        types=frozenset({MeetingType.THEME_DAY, MeetingType.GENERAL, MeetingType.LECTURE}),
        date=D(2026, 9, 10),
        attendance={1: Attendance(P), 2: Attendance(L), 3: Attendance(A)},
    )
    got = meeting_points(q, m, roster_on(members, m.date), [])
    assert got == {(2, "缺席"): (DEDUCT, -5), (3, "缺席"): (DEDUCT, -50)}


def test_members_outside_the_scope_get_nothing():
    b = template("base-60").rules
    members = [person(id=1, group_id=1), person(id=2, name="李四", group_id=2)]
    group = Meeting(types=frozenset({MeetingType.GROUP}), date=D(2026, 3, 1), group_id=1,
                    attendance={1: Attendance(P), 2: Attendance(A)})  # fmt: skip
    assert meeting_points(b, group, roster_on(members, group.date), []) == {
        (1, "参加三会一课"): (ADD, 10)}  # fmt: skip
    committee = Meeting(types=frozenset({MeetingType.COMMITTEE}), date=D(2026, 3, 1),
                        scope=Scope.COMMITTEE, attendance={1: Attendance(P), 2: Attendance(P)})
    posts = [CommitteePost(2, "李四", "书记")]
    assert set(meeting_points(b, committee, roster_on(members, D(2026, 3, 1)), posts)) == {
        (2, "参加三会一课")}  # fmt: skip


def test_base60_general_meeting_and_org_life_give_both_items():
    b = template("base-60").rules
    m = Meeting(types=frozenset({MeetingType.GENERAL, MeetingType.ORG_LIFE}), date=D(2026, 12, 1),
                attendance={1: Attendance(P)})  # fmt: skip
    assert set(meeting_points(b, m, roster_on([person()], m.date), [])) == {
        (1, "参加三会一课"), (1, "参加组织生活会")}  # fmt: skip


# --- templates and JSON ---------------------------------------------------------------------
def test_quarterly_100_as_the_issue_words_it():
    r = template("quarterly-100").rules
    assert (r.period, r.base, r.floor, r.ceiling, r.annual, r.additions_cap) == (
        PeriodKind.QUARTER, 800, 0, 1000, Annual.MEAN, 200)  # fmt: skip
    absent = r.item("缺席")
    assert absent is not None and absent.auto is not None
    assert (absent.auto.absent, absent.auto.leave, absent.auto.present) == (-50, -5, None)
    assert absent.auto.types == frozenset({MeetingType.GENERAL, MeetingType.COMMITTEE,
        MeetingType.GROUP, MeetingType.LECTURE, MeetingType.THEME_DAY})  # fmt: skip
    assert {(i.name, i.points) for i in r.items if i.category == ADD} == {
        ("参加志愿服务", 20), ("撰写信息或文章", 30), ("受到表彰", 50)}  # fmt: skip
    assert {(i.name, i.points) for i in r.items if i.category == DEDUCT} == {
        ("缺席", -50), ("未按时交纳党费", -50), ("未完成支部交办任务", -50), ("违反规定", -100)}
    assert [(b.name, b.minimum) for b in r.bands] == [
        ("优秀", 900), ("良好", 800), ("合格", 600), ("不合格", None)]  # fmt: skip
    assert r.scored == Scored(True, True, False, False)


def test_base_60_and_deduct_only_as_the_issue_words_them():
    b = template("base-60").rules
    assert (b.period, b.base, b.floor, b.ceiling, b.additions_cap) == (
        PeriodKind.YEAR, 600, 0, None, None)  # fmt: skip
    assert {(i.name, i.points) for i in b.items} == {
        ("参加三会一课", 10), ("参加组织生活会", 10), ("参加民主评议", 10), ("无故缺席", -20),
        ("参加培训", 10), ("撰写文章或信息", 30), ("讲微党课", 30), ("受邀授课", 50),
        ("党费6个月未交", -20), ("未完成组织交办任务", -30), ("违反规定", -50),
        ("发表不当言论", -100)}  # fmt: skip
    appraisal = b.item("参加民主评议")
    assert appraisal and appraisal.auto and appraisal.auto.types == {MeetingType.APPRAISAL}
    assert [(x.name, x.minimum) for x in b.bands] == [
        ("优秀", 900), ("合格", 700), ("基本合格", 600), ("不合格", None)]  # fmt: skip
    d = template("deduct-only").rules
    assert d.base == 1000 and not [i for i in d.items if i.category == ADD]
    assert d.scored == Scored(True, True, True, True) and d.bands == b.bands
    manual = {(i.name, i.points) for i in b.items if i.category == DEDUCT and not i.auto}
    assert {(i.name, i.points) for i in d.items if not i.auto} == manual
    absent = d.item("无故缺席")
    assert absent and absent.auto and absent.auto.absent == -50


@pytest.mark.parametrize("tid", TEMPLATE_IDS)
def test_templates_round_trip_through_json(tid):
    r = template(tid).rules
    assert rules_from_dict(rules_to_dict(r)) == r


def test_rule_set_errors_are_all_listed_with_their_place():
    with pytest.raises(RulesError) as err:
        rules_from_dict({"period": "月度", "base": "x", "bands": [],
                         "items": [{"name": "a", "category": "加分", "points": -1},
                                   {"name": "b", "category": "奖励", "points": 1},
                                   {"name": "c", "category": "扣分", "points": 0.25,
                                    "auto": {"types": ["茶话会"]}}]})  # fmt: skip
    text = "\n".join(err.value.problems)
    for place in ("period", "base", "bands", "items 第1项（a）.points", "items 第2项（b）.category",
                  "items 第3项（c）.points", "items 第3项（c）.auto.types"):  # fmt: skip
        assert place in text, place


def test_three_meetings_alias_in_auto_types():
    r = rules_from_dict({"period": "年度", "base": 60, "bands": [{"name": "合格", "min": None}],
                         "items": [{"name": "x", "category": "扣分", "points": -2,
                                    "auto": {"types": ["三会一课"], "无故缺席": -2}}]})  # fmt: skip
    item = r.item("x")
    assert item and item.auto and len(item.auto.types) == 4


event_st = st.builds(
    lambda kind, start, length, has_end: MembershipEvent(
        kind, D(2026, 1, 1) + dt.timedelta(days=start),
        (D(2026, 1, 1) + dt.timedelta(days=start + length))
        if has_end and kind == EventKind.MOBILE else None),
    st.sampled_from([EventKind.RETIRED, EventKind.MOBILE, EventKind.TRANSFER_OUT,
                     EventKind.TRANSFER_IN]),
    st.integers(0, 364), st.integers(0, 120), st.booleans(),
)  # fmt: skip


@given(
    st.lists(event_st, max_size=3),
    st.integers(-200, 364),
    st.booleans(),
    st.tuples(st.booleans(), st.booleans(), st.booleans(), st.booleans()),
    st.integers(1, 4),
)
def test_scored_in_a_period_matches_a_day_by_day_check(events, join, prob, flags, quarter):
    """The shortcut (only the days on which something changes) against every day."""
    member = person(
        join_date=D(2026, 1, 1) + dt.timedelta(days=join),
        full_date=(D(2026, 1, 1) + dt.timedelta(days=join + 200)) if prob else None,
        events=tuple(replace_id(e, n) for n, e in enumerate(events, start=1)),
    )
    s = Scored(*flags)
    p = Period(2026, quarter)
    days = [p.start + dt.timedelta(days=k) for k in range((p.end - p.start).days + 1)]
    expected = any(not_scored_reason(member, d, s) is None for d in days)
    assert scored_in(member, p.start, p.end, s) == expected


def replace_id(event: MembershipEvent, n: int) -> MembershipEvent:
    import dataclasses

    return dataclasses.replace(event, id=n)
