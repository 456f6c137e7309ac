"""档案 in the store: lock triggers refuse raw SQL on every declared table of a filed year,
un-filing is a logged act with a reason, corrections and the audit trail are append-only."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from archive_helpers import add_event, add_meeting, add_year_records
from branchdesk.areas import opened
from branchdesk.areas.archive.hooks import lock_specs, write_correction
from branchdesk.domain.archive import LockSpec
from branchdesk.store import FiledError, InputError
from branchdesk.store.archive import year_sql

D = dt.date


@pytest.fixture
def filed(demo_book):
    """The demo book with a 2025 meeting (every part) and a 2025 event, 2025 filed, and a
    2026 meeting left open."""
    opened(demo_book)
    old = add_meeting(demo_book, D(2025, 3, 5))
    new = add_meeting(demo_book, D(2026, 3, 5), "二〇二六年三月支部党员大会")
    add_event(demo_book, D(2025, 6, 1))
    add_year_records(demo_book)  # a 2025 row in every talks and points table
    demo_book.archive.file_year(2025)
    return demo_book, old, new


def _raw(book) -> sqlite3.Connection:
    """Another connection with no code of ours on it: what any SQLite tool would do."""
    return sqlite3.connect(book.path, timeout=10)


def test_every_locked_table_refuses_raw_update_delete_insert(filed):
    book, _old, _new = filed
    specs = [s for s in lock_specs() if s.year]
    tables = {s.table for s in specs}
    assert {"meeting", "meeting_attendance", "meeting_resolution", "meeting_agenda",
            "meeting_type", "meeting_attachment", "member_event"} <= tables  # fmt: skip
    conn = _raw(book)
    checked = []
    for spec in specs:
        row = conn.execute(
            f"SELECT rowid FROM {spec.table} r WHERE {year_sql(spec.year, 'r')} = 2025 LIMIT 1"
        ).fetchone()
        if row is None:  # no correction dated 2025 can exist: try to add one
            assert spec.table == "archive_correction"
            with pytest.raises(sqlite3.IntegrityError, match="已归档"):
                conn.execute(
                    "INSERT INTO archive_correction (kind, record_id, record_year, field,"
                    " field_label, original, corrected, reason, date, approved_by) VALUES"
                    " ('meeting', 1, 2025, 'host', '主持人', 'a', 'b', 'c', '2025-12-01', 'd')"
                )
            checked.append(spec.table)
            continue
        info = conn.execute(f"PRAGMA table_info({spec.table})").fetchall()
        # a real change to a column that stays fixed once filed
        text = next(r[1] for r in info if r[2] == "TEXT" and r[1] not in spec.still_open)
        for sql in (
            f"UPDATE {spec.table} SET {text} = {text} || '改' WHERE rowid = ?",
            f"DELETE FROM {spec.table} WHERE rowid = ?",
            f"INSERT INTO {spec.table} SELECT * FROM {spec.table} WHERE rowid = ?",
        ):
            with pytest.raises(sqlite3.IntegrityError, match="已归档"):
                conn.execute(sql, [row[0]])
        checked.append(spec.table)
    assert len(checked) >= 8
    conn.close()


def test_raw_sql_cannot_change_a_filed_meeting_but_can_an_open_one(filed):
    book, old, new = filed
    conn = _raw(book)
    conn.execute("PRAGMA foreign_keys = ON")  # as every connection of ours has it
    with pytest.raises(sqlite3.IntegrityError, match="已归档"):
        conn.execute("UPDATE meeting SET content = '改过了' WHERE id = ?", [old])
    with pytest.raises(sqlite3.IntegrityError, match="已归档"):
        conn.execute("UPDATE meeting SET belongs_to_year = 2025 WHERE id = ?", [new])  # move in
    with pytest.raises(sqlite3.IntegrityError, match="已归档"):
        conn.execute("DELETE FROM member WHERE id IN (SELECT member_id FROM meeting_attendance"
                     " WHERE meeting_id = ?)", [old])  # cascades into filed attendance  # fmt: skip
    member = conn.execute("SELECT id FROM member LIMIT 1").fetchone()[0]
    with pytest.raises(sqlite3.IntegrityError, match="已归档"):
        conn.execute(
            "INSERT INTO member_event (member_id, kind, date) VALUES (?, '转出', '2025-07-01')",
            [member],
        )
    conn.execute("UPDATE meeting SET content = '仍可修改' WHERE id = ?", [new])
    conn.commit()
    conn.close()
    assert book.meetings.get(old).content.startswith("会议传达")
    assert book.meetings.get(new).content == "仍可修改"


def test_the_facade_says_why_it_refuses(filed):
    book, old, _new = filed
    record = book.meetings.get(old)
    with pytest.raises(FiledError, match="已归档"):
        book.meetings.save(record)
    with pytest.raises(FiledError):
        book.meetings.delete(old)
    assert book.meetings.get(old) == record


def test_unfiling_needs_a_reason_and_stays_in_the_log(filed):
    book, old, _new = filed
    conn = _raw(book)
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("DELETE FROM archive_filed WHERE year = 2025")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("DELETE FROM archive_filing")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE archive_filing SET action = '撤销归档'")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(
            "INSERT INTO archive_filing (year, action, reason) VALUES (2025, '撤销归档', ' ')"
        )
    conn.close()
    with pytest.raises(InputError):
        book.archive.unfile_year(2025, "  ")
    assert book.archive.is_filed(2025)
    book.archive.unfile_year(2025, "归档过早：组织生活会记录未签字")
    assert not book.archive.is_filed(2025)
    record = book.meetings.get(old)
    book.meetings.save(record)  # open again
    book.archive.file_year(2025)
    log = book.archive.filings()
    assert [f.action for f in log] == ["归档", "撤销归档", "归档"]
    assert log[1].reason == "归档过早：组织生活会记录未签字" and log[1].who


def test_correction_points_at_the_original_which_never_changes(filed):
    book, old, new = filed
    with pytest.raises(InputError, match="未归档"):
        write_correction(book, "meeting", new, "host", text="王五", reason="笔误",
                         approved_by="李建国")  # fmt: skip
    with pytest.raises(InputError):
        write_correction(book, "meeting", old, "host", text="王五", reason="", approved_by="李")
    cid = write_correction(book, "meeting", old, "host", text="王五", reason="主持人记错",
                           approved_by="李建国", day=D(2026, 2, 1))  # fmt: skip
    (c,) = book.archive.corrections("meeting", old)
    assert (c.id, c.original, c.corrected, c.field_label, c.record_year) == (
        cid, "李建国", "王五", "主持人", 2025)  # fmt: skip
    assert c.record_label == "2025-03-05 三月支部党员大会"
    assert book.meetings.get(old).host == "李建国"
    conn = _raw(book)
    for sql in ("UPDATE archive_correction SET corrected = 'x'", "DELETE FROM archive_correction"):
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(sql)
    conn.close()
    # dated inside the filed year it would slip into a closed volume
    with pytest.raises(FiledError):
        write_correction(book, "meeting", old, "host", text="王五", reason="x",
                         approved_by="李建国", day=D(2025, 12, 30))  # fmt: skip


def test_audit_trail_records_who_when_what_and_is_append_only(filed):
    book, _old, new = filed
    book.archive.set_actor("组织委员 黄磊")
    record = book.meetings.get(new)
    from dataclasses import replace

    book.meetings.save(replace(record, place="党员活动室"))
    entries = book.archive.audit(area="meetings")
    edit = next(e for e in entries if e.table == "meeting" and e.action == "修改")
    assert edit.who == "组织委员 黄磊" and edit.row_id == new
    assert edit.changed()["place"] == ("三楼会议室", "党员活动室")
    attachment = next(e for e in entries if e.table == "meeting_attachment")
    assert attachment.new is not None and attachment.new["data"] == "（已填写）"  # BLOB not copied
    conn = _raw(book)
    for sql in ("UPDATE archive_audit SET who = 'x'", "DELETE FROM archive_audit"):
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(sql)
    conn.close()


def test_private_columns_are_recorded_as_changed_not_copied(book):
    book.archive.install([LockSpec("talks", "member", "", ("notes",))])
    from branchdesk.domain.members import Member

    mid = book.roster.add(Member(name="张三", notes="谈话内容：家庭困难"))
    member = book.roster.member(mid)
    from dataclasses import replace

    book.roster.update(replace(member, notes="谈话内容：已解决", phone="123"))
    entries = book.archive.audit(area="talks")
    text = repr(entries)
    assert "家庭困难" not in text and "已解决" not in text
    edit = next(e for e in entries if e.action == "修改")
    assert edit.new is not None and edit.new["notes"] == "（已修改）"
    assert edit.changed()["phone"] == ("", "123")


def test_triggers_follow_the_declarations(book):
    made = book.archive.install([LockSpec("roster", "member_event", "date")])
    assert "archive_lock_member_event_update" in made
    assert book.archive.install([LockSpec("roster", "member_event", "date")]) == []
    book.archive.install([])
    names = {r[0] for r in book.db.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    assert not any(n.startswith("archive_lock_") for n in names)
    assert "archive_audit_no_delete" in names  # the log's own guard stays


def test_a_probation_begun_in_a_filed_year_still_gets_its_end(demo_book):
    from branchdesk.domain.members import EventKind, MembershipEvent

    opened(demo_book)
    member = demo_book.roster.members()[3]
    assert member.id is not None
    event = demo_book.roster.add_event(
        member.id, MembershipEvent(EventKind.PROBATION, D(2025, 10, 1), note="留党察看一年")
    )
    demo_book.archive.file_year(2025)
    demo_book.roster.end_probation(event, D(2026, 10, 1))
    conn = _raw(demo_book)
    with pytest.raises(sqlite3.IntegrityError, match="已归档"):
        conn.execute("UPDATE member_event SET note = '改' WHERE id = ?", [event])
    conn.close()


def test_a_saved_0002_book_upgrades_and_can_be_filed(tmp_path):
    """The 0007 upgrade of a book saved before the archive: the triggers arrive when the
    program opens it, and its meetings then lock like any others."""
    import shutil
    from pathlib import Path

    from branchdesk.store import open_book

    copy = tmp_path / "v0002.db"
    shutil.copy(Path(__file__).parent / "books" / "v0002.db", copy)
    book = open_book(copy)
    try:
        opened(book)
        (record, *_rest) = book.meetings.records(2026)
        book.archive.file_year(2026)
        with pytest.raises(FiledError):
            book.meetings.save(record)
        book.meetings.get(record.meeting.id or 0)
    finally:
        book.close(backup=False)


@pytest.mark.parametrize(
    "held", [False, True, "index"], ids=["by SQL", "text held in memory", "by the index"]
)
def test_search_sees_every_write_at_once_ours_and_another_programs(filed, held):
    book, _old, new = filed
    if held == "index":  # built on a worker when the window opened the book
        book.search.indexer()()
    elif held:  # as the window has it: read (on a worker) when the book opened
        book.search.adopt(book.search.reader()())
    assert not book.search.meetings("独一无二的内容")
    record = book.meetings.get(new)
    from dataclasses import replace

    book.meetings.save(replace(record, content="会议讨论了独一无二的内容。"))
    (hit,) = book.search.meetings("独一无二的内容")
    assert hit.record_id == new and hit.text[hit.start : hit.end] == "独一无二的内容"
    conn = _raw(book)  # another program
    conn.execute("UPDATE meeting SET content = '改为别的' WHERE id = ?", [new])
    conn.commit()
    conn.close()
    assert not book.search.meetings("独一无二的内容")
    assert book.search.meetings("别的")
    assert {f.field for f in book.search.meetings("签到照片")} == {"附件"}
    book.meetings.save(replace(book.meetings.get(new), content="用PPT讲党课"))
    (latin,) = book.search.meetings("ppt")  # Latin letters match either case
    assert latin.text[latin.start : latin.end] == "PPT"


@pytest.mark.parametrize(
    "held", [False, True, "index"], ids=["by SQL", "text held in memory", "by the index"]
)
def test_search_after_a_restore_reads_the_restored_text(filed, tmp_path, held):
    book, _old, new = filed
    from dataclasses import replace

    if held == "index":
        book.search.indexer()()
    elif held:
        book.search.warm()

    backup = book.backup_to(tmp_path / "before.db")
    assert book.search.meetings("党员") is not None  # the text is read
    book.meetings.save(replace(book.meetings.get(new), content="恢复之前写的内容"))
    assert book.search.meetings("恢复之前写的内容")
    book.restore_from(backup)
    assert not book.search.meetings("恢复之前写的内容")


def test_correction_wording_writes_dates_as_printed_forms_do():
    from branchdesk.domain.archive import Correction, correction_paragraphs

    c = Correction(1, "meeting", 5, 2025, "2026-01-20 2025年度组织生活会", "place", "地点",
                   "三楼", "五楼", "记错", D(2026, 2, 3), "李建国", "黄磊", "")  # fmt: skip
    (text,) = correction_paragraphs([c])
    assert "“2026年1月20日 2025年度组织生活会”地点：原记为“三楼”，更正为“五楼”" in text
    assert "更正日期：2026年2月3日" in text and "批准人：李建国" in text
