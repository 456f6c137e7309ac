"""工作台 reminders of 谈心谈话 and 民主评议, and the demo data they show."""

from __future__ import annotations

import datetime as dt

from branchdesk.areas.talks.reminders import (
    APPRAISAL_GROUP,
    COVERAGE_GROUP,
    DUE_GROUP,
    RECTIFY_GROUP,
    reminders,
)
from branchdesk.domain.appraisal import Rectification
from branchdesk.domain.branch import CommitteePost
from branchdesk.domain.members import EventKind, Member, MembershipEvent
from branchdesk.domain.talks import Talk

Y = 2026


def setup(book) -> dict[str, int]:
    ids = {n: book.roster.add(Member(name=n, join_date=dt.date(2000, 1, 1)))
           for n in ("李书记", "赵一", "钱二")}  # fmt: skip
    book.branch.save_post(CommitteePost(ids["李书记"], "李书记", "书记"))
    return ids


def by_group(book, today):
    out: dict[str, list] = {}
    for r in reminders(book, today):
        out.setdefault(r.group, []).append(r)
    return out


def test_not_talked_with_counts_and_is_prominent_from_october(book):
    setup(book)
    march = by_group(book, dt.date(Y, 3, 1))[COVERAGE_GROUP][0]
    october = by_group(book, dt.date(Y, 10, 1))[COVERAGE_GROUP][0]
    assert march.detail["count"] == 2 and "共 2 人" in march.text
    assert october.urgency < march.urgency and october.text.startswith("年底将至")
    assert october.target.area == "talks" and october.target.kind == "coverage"


def test_due_talk_until_recorded(book):
    ids = setup(book)
    book.roster.add_event(ids["赵一"], MembershipEvent(EventKind.PROBATION, dt.date(Y, 5, 1)))
    due = by_group(book, dt.date(Y, 5, 10))[DUE_GROUP]
    assert "赵一" in due[0].text and "2026年5月31日" in due[0].text
    late = by_group(book, dt.date(Y, 6, 5))[DUE_GROUP][0]
    assert "已逾期" in late.text and late.urgency < due[0].urgency
    book.talks.save(Talk(dt.date(Y, 5, 20), (ids["李书记"],), (ids["赵一"],),
                         "受表彰或处分", "处分后谈心"))  # fmt: skip
    assert DUE_GROUP not in by_group(book, dt.date(Y, 6, 5))


def test_last_years_appraisal_steps_by_the_end_of_q1(book):
    setup(book)
    book.appraisal.start(Y - 1, dt.date(Y - 1, 12, 20))
    feb = by_group(book, dt.date(Y, 2, 1))[APPRAISAL_GROUP][0]
    assert "8 个步骤未完成" in feb.text and "已逾期" not in feb.text
    april = by_group(book, dt.date(Y, 4, 1))[APPRAISAL_GROUP][0]
    assert "已逾期" in april.text
    for step in ("学习动员", "个人自评", "党员互评", "民主测评", "支委会提出等次意见",
                 "支部党员大会审议", "结果反馈", "上报"):  # fmt: skip
        book.appraisal.set_step(Y - 1, step, "已完成", dt.date(Y - 1, 12, 28))
    assert APPRAISAL_GROUP not in by_group(book, dt.date(Y, 4, 1))


def test_overdue_rectification(book):
    setup(book)
    book.appraisal.save_rectification(
        Rectification(Y - 1, "学习不够", "专题研讨", "赵一", dt.date(Y, 3, 31))
    )
    assert RECTIFY_GROUP not in by_group(book, dt.date(Y, 3, 31))
    late = by_group(book, dt.date(Y, 4, 1))[RECTIFY_GROUP][0]
    assert "学习不够" in late.text and "赵一" in late.text


def test_demo_book_has_a_year_of_talks_with_gaps(demo_book, today):
    from branchdesk.areas.talks.rules import coverage_for, due_for

    cov = coverage_for(demo_book, today.year)
    assert cov.pairs() and 0 < len(cov.missing()) < len(cov.pairs())
    last = demo_book.appraisal.session(today.year - 1)
    assert last.results and last.returned > 0
    assert any(d.kind == "民主评议结果反馈" for d in due_for(demo_book, today))
    assert demo_book.appraisal.rectifications(today.year - 1)


def test_demo_on_any_day_holds_no_talk_in_the_future(tmp_path):
    from branchdesk.areas.roster.demo import populate_demo
    from branchdesk.areas.talks.demo import populate_demo_talks
    from branchdesk.store import create_book

    for n, day in enumerate((dt.date(2027, 1, 2), dt.date(2027, 3, 15), dt.date(2026, 10, 8))):
        book = create_book(tmp_path / f"d{n}.db", "演示")
        try:
            populate_demo(book)
            populate_demo_talks(book, today=day)
            assert all(t.date <= day for t in book.talks.outlines())
            assert book.appraisal.session(day.year - 1).results
        finally:
            book.close(backup=False)
