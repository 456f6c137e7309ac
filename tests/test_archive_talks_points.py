"""档案 over 谈心谈话 and 积分: a filed year's talks, appraisal, 组织生活会 cycle and points
are refused to raw SQL; talk contents stay out of the audit trail; the search box finds
talk summaries and points reasons (1–2 characters too); the year's volume holds the new
items, each with its 归档章 filled and on the page the 目录 gives."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import sqlite3

import pytest
from pypdf import PdfReader

from archive_helpers import add_year_records
from branchdesk.areas import opened
from branchdesk.areas.archive.hooks import lock_specs, search_all, write_correction, year_gaps
from branchdesk.domain.talks import Talk
from branchdesk.store import FiledError

D = dt.date
TALK_TABLES = {
    "talk",
    "talk_person",
    "talk_attachment",
    "appraisal",
    "appraisal_step",
    "appraisal_exclusion",
    "appraisal_result",
    "life_opinion",
    "life_review",
    "rectification",
}
POINTS_TABLES = {"points_entry", "points_notice", "points_scheme"}


@pytest.fixture
def filed(demo_book):
    opened(demo_book)
    ids = add_year_records(demo_book)
    demo_book.archive.file_year(2025)
    return demo_book, ids


def _raw(book) -> sqlite3.Connection:
    conn = sqlite3.connect(book.path, timeout=10)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def test_talks_and_points_tables_are_locked_and_audited():
    specs = {s.table: s for s in lock_specs()}
    assert {t for t, s in specs.items() if s.year} >= TALK_TABLES | POINTS_TABLES
    assert set(specs["talk"].private) == {"summary", "views", "follow_up", "result"}
    assert specs["rectification"].still_open == ("status", "completion")


def test_raw_sql_cannot_change_a_filed_talk_appraisal_or_points(filed):
    book, ids = filed
    conn = _raw(book)
    refused = [
        ("UPDATE talk SET summary = '改过了' WHERE id = ?", [ids["talk"]]),
        ("DELETE FROM talk WHERE id = ?", [ids["talk"]]),
        ("DELETE FROM talk_person WHERE talk_id = ?", [ids["talk"]]),
        (
            "INSERT INTO talk_person (talk_id, member_id, role) VALUES (?, 3, '谈话对象')",
            [ids["talk"]],
        ),
        ("UPDATE talk_attachment SET name = 'x.txt' WHERE id = ?", [ids["attachment"]]),
        ("INSERT INTO talk (date, year, kind) VALUES ('2025-08-01', 2025, '日常谈心')", []),
        ("UPDATE talk SET year = 2025 WHERE year = 2026", []),  # moving one in
        ("UPDATE appraisal SET issued = issued + 1 WHERE year = 2025", []),
        ("UPDATE appraisal_result SET final = '优秀' WHERE year = 2025", []),
        ("DELETE FROM appraisal_exclusion WHERE year = 2025", []),
        ("UPDATE appraisal_step SET state = '已完成' WHERE year = 2025", []),
        ("INSERT INTO life_opinion (year, text) VALUES (2025, '补一条意见')", []),
        ("DELETE FROM life_review WHERE year = 2025", []),
        ("UPDATE rectification SET problem = '改' WHERE year = 2025", []),
        ("INSERT INTO rectification (year, problem) VALUES (2025, '补一项')", []),
        (
            "INSERT INTO points_entry (member_id, date, item, category, points, count)"
            " VALUES (?, '2025-11-02', '参加志愿服务', '加分', 2, 1)",
            [ids["member"]],
        ),
        (
            "INSERT INTO points_notice (period, date_from, date_to)"
            " VALUES ('2025Q4', '2026-01-05', '2026-01-12')",
            [],
        ),
        ("UPDATE points_scheme SET template = 'x' WHERE year = 2025", []),
    ]
    for sql, params in refused:
        with pytest.raises(sqlite3.IntegrityError, match="已归档"):
            conn.execute(sql, params)
    # the ledger refuses edits of any year in its own words; a filed year's entries too
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("DELETE FROM points_entry WHERE id = ?", [ids["entry"]])
    # 整改 goes on: its state and completion note may still be kept up
    conn.execute(
        "UPDATE rectification SET status = '已完成', completion = '已整改到位' WHERE year = 2025"
    )
    # an open year is untouched by the lock
    conn.execute(
        "INSERT INTO points_entry (member_id, date, item, category, points, count)"
        " VALUES (?, '2026-11-02', '参加志愿服务', '加分', 2, 1)",
        [ids["member"]],
    )
    conn.commit()
    conn.close()
    assert all(r.status == "已完成" for r in book.appraisal.rectifications(2025))


def test_the_facade_refuses_with_the_reason(filed):
    book, ids = filed
    talk = book.talks.get(ids["talk"])
    with pytest.raises(FiledError, match="已归档"):
        book.talks.save(dataclasses.replace(talk, topic="改"))
    with pytest.raises(FiledError):
        book.talks.delete(ids["talk"])
    with pytest.raises(FiledError):
        book.points.add(ids["member"], D(2025, 12, 1), "参加志愿服务")
    assert book.talks.get(ids["talk"]) == talk


SECRET = "家中老人住院需要照顾"


def test_audit_of_a_talk_edit_records_changed_never_the_content(demo_book):
    opened(demo_book)
    people = [m.id for m in demo_book.roster.members()[:2]]
    talk = Talk(
        D(2026, 5, 6),
        (people[0],),
        (people[1],),
        topic="工作和思想情况",
        summary=f"对方谈到{SECRET}。",
        views="希望调整出差安排",
    )
    tid = demo_book.talks.save(talk)
    demo_book.talks.save(
        dataclasses.replace(
            talk, id=tid, summary=f"补记：{SECRET}，已慰问。", topic="工作和生活情况"
        )
    )
    trail = [e for e in demo_book.archive.audit(area="talks") if e.table == "talk"]
    assert [e.action for e in trail] == ["修改", "新增"]
    edit, added = trail
    raw = demo_book.db.execute(
        "SELECT group_concat(coalesce(old, '') || coalesce(new, ''), '') FROM archive_audit"
    ).fetchone()[0]
    assert SECRET not in raw and "出差" not in raw
    assert edit.new["summary"] == "（已修改）"
    assert edit.new["views"] is None  # unchanged: not even "changed"
    assert edit.new["topic"] == "工作和生活情况"  # the topic is not private
    assert added.new["summary"] == "（已填写）"


def test_a_correction_of_a_filed_talk_quotes_it_but_the_trail_does_not(filed):
    book, ids = filed
    original = book.talks.get(ids["talk"]).summary
    new_id = write_correction(
        book,
        "talk",
        ids["talk"],
        "summary",
        text="更正后的谈话要点",
        reason="记录时漏记",
        approved_by="李建国",
        day=D(2026, 3, 1),
    )
    (c,) = book.archive.corrections("talk", ids["talk"])
    assert c.id == new_id and c.original == original and c.field_label == "谈话内容要点"
    assert book.talks.get(ids["talk"]).summary == original
    raw = book.db.execute(
        "SELECT group_concat(new, '') FROM archive_audit WHERE tbl = 'archive_correction'"
    ).fetchone()[0]
    assert "更正后的谈话要点" not in raw and original[:10] not in raw
    write_correction(
        book,
        "points_entry",
        ids["entry"],
        "reason",
        text="参加社区防疫志愿服务",
        reason="原因写错",
        approved_by="李建国",
        day=D(2026, 3, 1),
    )
    assert (
        book.archive.corrections("points_entry", ids["entry"])[0].original == "参加社区防汛志愿服务"
    )


@pytest.mark.parametrize(
    "held", [False, True, "index"], ids=["by SQL", "text held in memory", "by the index"]
)
def test_search_finds_talk_summaries_and_points_reasons(filed, held):
    book, ids = filed
    if held == "index":
        book.search.indexer()()
    if held:
        if held is True:
            book.search.warm()
        # written after the text was read: found as it is now
        book.points.add(ids["member"], D(2026, 2, 3), "参加志愿服务", reason="参加冬季送温暖活动")
        (late,) = search_all(book, "送温暖")["积分管理"]
        assert late.text[late.start : late.end] == "送温暖"
    summary = book.talks.get(ids["talk"]).summary
    phrase = summary[2:10]
    for query in (phrase, phrase[:2], phrase[:1]):
        found = search_all(book, query)
        hits = found["谈心谈话"]
        assert all(h.text[h.start : h.end].lower() == query.lower() for h in hits)
        if query is phrase:
            assert any(h.target.kind == "talk" and h.target.id == ids["talk"] for h in hits)
    for query in ("防汛", "汛", "社区防汛志愿服务"):
        (hit, *_) = search_all(book, query)["积分管理"]
        assert hit.text[hit.start : hit.end] == query and "原因" in hit.title
        assert hit.target.kind == "member" and hit.target.id == ids["member"]
    assert search_all(book, "谈话提纲")["谈心谈话"][0].title.endswith(
        book.talks.get(ids["talk"]).topic
    )  # attachment names
    problem = book.appraisal.rectifications(2025)[0].problem
    hits = search_all(book, problem[:2])["谈心谈话"]
    assert any(h.target.kind == "rectification" for h in hits)


def test_gaps_name_missing_talks_appraisal_rectification_and_公示(book):
    from branchdesk.areas.points.rules import template

    book.points.set_scheme(2025, template("quarterly-100").rules, "quarterly-100")
    book.points.record_notice("2025Q1", D(2025, 4, 5), D(2025, 4, 12))
    texts = [g.text for g in year_gaps(book, 2025)]
    for expected in (
        "2025年度没有谈心谈话记录",
        "2025年度没有民主评议党员的测评和评议结果",
        "2025年度组织生活会没有整改清单",
        "2025年第二季度积分公示尚未打印",
        "2025年第四季度积分公示尚未打印",
    ):
        assert expected in texts
    assert "2025年第一季度积分公示尚未打印" not in texts
    targets = {g.target.area + ":" + g.target.kind for g in year_gaps(book, 2025)}
    assert {"talks:coverage", "talks:appraisal", "talks:life", "points:notice"} <= targets


PAGE_NUMBER = re.compile(r"—\s*(\d+)\s*—")


def test_the_volume_holds_the_new_items_stamped_where_the_目录_says(filed):
    from branchdesk.areas.archive.jobs import volumes_job

    book, _ids = filed
    volumes = volumes_job(book, 2025, today=D(2026, 2, 1))()
    volume = next(v for v in volumes if v.retention == "30年")
    titles = [t for _n, t, _f, _p in volume.items]
    for wanted in (
        "谈心谈话情况登记表",
        "民主评议党员结果汇总表",
        "整改清单",
        "第一季度党员积分公示",
        "第四季度党员积分公示",
        "党员积分登记卡",
    ):
        assert any(wanted in t for t in titles), wanted
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(volume.data)).pages]
    toc = [n for n, text in enumerate(pages) if "件号" in text and "责任者" in text]
    contents = " ".join(pages[n] for n in toc)
    numbered = {}
    for text in pages[toc[-1] + 1 : -1]:
        found = PAGE_NUMBER.findall(text)
        if found:
            numbered[int(found[0])] = text
    for number, title, first, count in volume.items:
        if not any(k in title for k in ("谈心谈话", "民主评议", "整改", "积分")):
            continue
        span = f"{first}" if count == 1 else f"{first}–{first + count - 1}"
        row = re.search(
            rf"{number}\s.*?\d{{8}}\s+{count}\s+{span}(?!\d)", contents.replace("\n", " ")
        )
        assert row, (number, title)  # the 目录 row gives this item's pages
        assert first % 2 == 1
        stamp = numbered[first]  # its first page carries the filled 归档章
        assert "Z118" in stamp and number in stamp and "30年" in stamp and "2025" in stamp
    register = next(n for n, t, _f, _p in volume.items if "谈心谈话情况登记表" in t)
    first = next(f for n, _t, f, _p in volume.items if n == register)
    assert "谈心谈话情况登记表" in numbered[first]
    # a landscape item's 归档章 lies on the page (turned with the sheet), not beyond it
    reader = PdfReader(io.BytesIO(volume.data))
    page = next(p for p in reader.pages if "谈心谈话情况登记表" in (p.extract_text() or "")
                and "Z118" in p.extract_text())  # fmt: skip
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert width > height
    spots = []

    def seen(text, cm, tm, _font, _size):
        if text.strip() == "Z118":
            x, y = tm[4], tm[5]
            spots.append((cm[0] * x + cm[2] * y + cm[4], cm[1] * x + cm[3] * y + cm[5]))

    page.extract_text(visitor_text=seen)
    assert spots and all(0 < x < width and 0 < y < height for x, y in spots), spots
