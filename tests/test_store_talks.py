"""Store tests of 谈心谈话, 民主评议 and the 组织生活会 cycle, on a temporary book file."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from branchdesk.domain.appraisal import Opinion, Rating, Rectification, Review, Tally
from branchdesk.domain.branch import CommitteePost
from branchdesk.domain.members import Category, Member
from branchdesk.domain.talks import CoverageRules, Talk
from branchdesk.store import InputError, open_book

Y = 2026


def setup_branch(book, n: int = 5, probationary: int = 1) -> list[int]:
    ids = [
        book.roster.add(Member(name=f"党员{i}", join_date=dt.date(2000, 1, 1)))
        for i in range(1, n + 1)
    ]
    ids += [
        book.roster.add(
            Member(name=f"预备{i}", category=Category.PROBATIONARY, join_date=dt.date(Y, 1, 5))
        )
        for i in range(probationary)
    ]
    book.branch.save_post(CommitteePost(ids[0], "党员1", "书记"))
    book.branch.save_post(CommitteePost(ids[1], "党员2", "组织委员"))
    return ids


def test_talk_round_trip_and_change(book):
    ids = setup_branch(book)
    seen = []
    book.changes.subscribe(seen.append)
    talk = Talk(
        dt.date(Y, 3, 2),
        talkers=(ids[0], ids[1]),
        others=(ids[3],),
        kind="岗位变动",
        topic="新岗位适应",
        place="党员活动室",
        summary="谈话内容要点" * 200,
        views="希望多交流",
        follow_up="每月了解一次",
        result="已落实",
        result_date=dt.date(Y, 4, 1),
    )
    talk_id = book.talks.save(talk)
    got = book.talks.get(talk_id)
    assert got.talkers == (ids[0], ids[1]) and got.others == (ids[3],)
    assert got.summary == talk.summary and got.result_date == dt.date(Y, 4, 1)
    assert [c.area for c in seen] == ["talks"] and talk_id in seen[0].ids
    assert [t.id for t in book.talks.talks(Y)] == [talk_id]
    assert book.talks.talks(Y - 1) == []
    assert book.talks.years() == [Y]


def test_talk_refused_with_problems_and_nothing_written(book):
    ids = setup_branch(book)
    with pytest.raises(InputError) as err:
        book.talks.save(Talk(dt.date(Y, 3, 2), (ids[0],), (ids[0],), topic=""))
    assert "谈话对象：不能与谈话人是同一人" in str(err.value)
    assert "谈话主题：不能为空" in str(err.value)
    with pytest.raises(InputError):
        book.talks.save(Talk(dt.date(Y, 3, 2), (ids[0],), (9999,), topic="x"))
    assert book.talks.talks() == []


def test_kinds_and_rules_are_settings(book):
    book.talks.set_kinds(["日常谈心", "节前谈心"])
    kinds = book.talks.kinds()
    assert "节前谈心" in kinds and "民主评议结果反馈" in kinds  # the rules' kinds stay
    book.talks.set_rules(CoverageRules(minimum=2))
    assert book.talks.rules().minimum == 2
    book.talks.set_due_days("feedback", 15)
    assert book.talks.due_rules().feedback == 15


def test_drafts_live_inside_the_book(book, book_path, tmp_path):
    book.drafts.save("talk-new", {"summary": "敏感内容"})
    assert book.drafts.load("talk-new") == {"summary": "敏感内容"}
    book.close(backup=False)
    # Nothing beside the book holds the text.
    for path in tmp_path.rglob("*"):
        if path.is_file() and path != book_path:
            assert "敏感内容".encode() not in path.read_bytes()
    again = open_book(book_path)
    try:
        assert again.drafts.load("talk-new") == {"summary": "敏感内容"}
        again.drafts.discard("talk-new")
        assert again.drafts.load("talk-new") is None
    finally:
        again.close(backup=False)


def test_appraisal_session_tallies_and_ratings(book):
    ids = setup_branch(book, n=6)
    book.appraisal.start(Y, dt.date(Y, 12, 20))
    with pytest.raises(InputError):
        book.appraisal.start(Y, dt.date(Y, 12, 21))
    people = book.appraisal.participants(Y)
    assert sum(p.rated for p in people) == 6 and len(people) == 7
    tallies = {ids[0]: Tally(ids[0], {"优秀": 5, "合格": 1})}
    book.appraisal.set_tallies(Y, 7, 6, tallies)
    s = book.appraisal.session(Y)
    assert (s.issued, s.returned) == (7, 6)
    assert s.results[ids[0]].tally.count("优秀") == 5
    # Over the returned ballots, a 预备党员, someone not in the session: refused, nothing written.
    bad = {
        ids[1]: Tally(ids[1], {"优秀": 4, "合格": 3}),
        ids[6]: Tally(ids[6], {"合格": 1}),
        9999: Tally(9999, {"合格": 1}),
    }
    with pytest.raises(InputError) as err:
        book.appraisal.set_tallies(Y, 7, 6, bad)
    text = str(err.value)
    assert "超过收回的 6 张测评表" in text and "预备0" in text and "9999" in text
    assert ids[1] not in book.appraisal.session(Y).results
    with pytest.raises(InputError):
        book.appraisal.set_tallies(Y, 7, 5, {})  # the kept tally of 6 would exceed 5
    # The database itself refuses counts over the ballots returned.
    with pytest.raises(sqlite3.IntegrityError):
        book.db.execute(
            "UPDATE appraisal_result SET qualified = 10 WHERE year = ? AND member_id = ?",
            [Y, ids[0]],
        )
    book.appraisal.rate(Y, Rating(ids[0], "优秀", "优秀", note="带头作用好"), dt.date(Y, 12, 28))
    with pytest.raises(InputError) as err:
        book.appraisal.rate(Y, Rating(ids[6], "合格", "合格"))
    assert "预备党员" in str(err.value)
    book.appraisal.rate(Y, Rating(ids[2], "基本合格", "基本合格"), dt.date(Y, 12, 28))
    assert (ids[2], "基本合格", dt.date(Y, 12, 28)) in book.appraisal.decided()
    book.appraisal.set_step(Y, "民主测评", "已完成", dt.date(Y, 12, 20))
    assert book.appraisal.session(Y).step("民主测评").state == "已完成"
    book.appraisal.exclude(Y, ids[5], "长期病休")
    assert [p for p in book.appraisal.participants(Y) if p.member_id == ids[5]][0].rated is False


def test_life_meeting_cycle(book):
    ids = setup_branch(book)
    book.appraisal.add_opinion(Opinion(Y, "学习形式单一", "群众座谈", dt.date(Y, 11, 5)))
    assert [o.text for o in book.appraisal.opinions(Y)] == ["学习形式单一"]
    book.appraisal.set_review(Review(Y, ids[0], True, dt.date(Y, 11, 20)))
    assert book.appraisal.reviews(Y)[ids[0]].received
    item_id = book.appraisal.save_rectification(
        Rectification(Y, "学习形式单一", "开展专题研讨", "党员2", dt.date(Y + 1, 3, 31))
    )
    with pytest.raises(InputError):
        book.appraisal.save_rectification(Rectification(Y, " "))
    item = book.appraisal.rectifications(Y)[0]
    assert item.id == item_id and item.overdue_on(dt.date(Y + 1, 4, 1))
    assert not item.overdue_on(dt.date(Y + 1, 3, 31))


def test_outlines_are_the_talks_without_their_texts(book):
    from dataclasses import replace

    ids = setup_branch(book)
    for n in range(5):
        day = dt.date(Y, 1 + n, 3)
        talk = Talk(day, (ids[0], ids[1]), (ids[2 + n % 3],), topic=f"主题{n}", summary="要点",
                    views="意见", year=Y if n else Y - 1)  # fmt: skip
        book.talks.save(talk)
    for year in (Y, Y - 1, None):
        full = book.talks.talks(year)
        assert book.talks.outlines(year) == [
            replace(t, summary="", views="", follow_up="", result="", result_date=None)
            for t in full
        ]


def test_pair_counts_match_counting_the_talks(book):
    import random
    from collections import Counter

    ids = setup_branch(book, n=6)
    rng = random.Random(3)
    talks = []
    for n in range(60):
        people = rng.sample(ids, 3)
        talkers, others = tuple(people[: 1 + n % 2]), tuple(people[1 + n % 2 :])
        day = dt.date(Y, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
        talks.append(Talk(day, talkers, others, rng.choice(["日常谈心", "会前谈心"]), "x"))
    book.talks.save_many(talks)
    until = dt.date(Y, 7, 1)
    for kind, cut in ((None, None), ("会前谈心", None), (None, until), ("日常谈心", until)):
        expected: Counter[frozenset[int]] = Counter()
        for t in talks:
            if (kind is None or t.kind == kind) and (cut is None or t.date <= cut):
                for pair in t.pairs():
                    expected[pair] += 1
        assert book.talks.pair_counts(Y, kind=kind, until=cut) == dict(expected)


def test_saving_a_rating_again_keeps_the_day_it_was_decided(book):
    ids = setup_branch(book)
    book.appraisal.start(Y, dt.date(Y, 12, 20))
    book.appraisal.rate(Y, Rating(ids[2], "基本合格", "基本合格"), dt.date(Y, 12, 28))
    book.appraisal.rate(Y, Rating(ids[2], "基本合格", "基本合格", note="x"), dt.date(Y + 1, 1, 5))
    assert book.appraisal.session(Y).results[ids[2]].decided_on == dt.date(Y, 12, 28)
    book.appraisal.rate(Y, Rating(ids[2], "基本合格", "合格"), dt.date(Y + 1, 1, 6))
    assert book.appraisal.session(Y).results[ids[2]].decided_on == dt.date(Y + 1, 1, 6)


def test_due_talks_from_the_latest_talks_equal_those_from_all_talks(book):
    import random

    from branchdesk.areas.talks.rules import due_for
    from branchdesk.domain.members import EventKind, MembershipEvent
    from branchdesk.domain.talks import due_talks, event_occasions

    ids = setup_branch(book, n=8, probationary=0)
    rng = random.Random(5)
    for mid in ids[2:6]:
        book.roster.add_event(mid, MembershipEvent(EventKind.PROBATION, dt.date(Y, 3, 1)))
    kinds = ["受表彰或处分", "日常谈心"]
    book.talks.save_many(
        Talk(
            dt.date(Y, rng.randint(1, 6), 10),
            (ids[0],),
            (rng.choice(ids[1:]),),
            rng.choice(kinds),
            "x",
        )  # fmt: skip
        for _ in range(20)
    )
    today = dt.date(Y, 6, 20)
    members = book.roster.members()
    expected = due_talks(event_occasions(members), members, book.talks.talks(), today)
    assert due_for(book, today) == expected


def test_saved_books_of_older_schemas_upgrade_to_take_talks(tmp_path):
    """tests/books/v0001.db and v0002.db gain the talk tables (0006_talks) on opening and
    take a talk, an appraisal and a 整改 item; their members are untouched."""
    import shutil
    from pathlib import Path

    books = Path(__file__).parent / "books"
    for name in ("v0001.db", "v0002.db"):
        copy = tmp_path / name
        shutil.copy(books / name, copy)
        book = open_book(copy)
        try:
            members = book.roster.members()
            assert members
            a, b = members[0].id or 0, members[1].id or 0
            talk_id = book.talks.save(Talk(dt.date(2026, 5, 1), (a,), (b,), topic="升级后"))
            assert book.talks.get(talk_id).topic == "升级后"
            book.appraisal.start(2026, dt.date(2026, 12, 20))
            book.appraisal.save_rectification(Rectification(2026, "问题"))
            assert [m.name for m in book.roster.members()] == [m.name for m in members]
        finally:
            book.close(backup=False)


def test_a_talks_draft_goes_with_the_talk(book):
    ids = [book.roster.add(Member(name=n, join_date=dt.date(2010, 1, 1))) for n in ("甲", "乙")]
    talk_id = book.talks.save(Talk(dt.date(2026, 3, 2), (ids[0],), (ids[1],), topic="谈心"))
    book.drafts.save(f"talk-{talk_id}", {"summary": "改了一半"})
    book.drafts.save("talk-new", {"summary": "另一份"})
    book.talks.delete(talk_id)
    assert book.drafts.load(f"talk-{talk_id}") is None  # its text does not outlive it
    assert book.drafts.load("talk-new") == {"summary": "另一份"}
