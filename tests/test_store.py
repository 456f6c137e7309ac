"""The book file: created safely, refused when foreign or newer, backed up and restored."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from branchdesk.domain.members import Category, EventKind, Member, MembershipEvent
from branchdesk.store import (
    BookInUseError,
    CorruptBookError,
    InputError,
    NewerBookError,
    NotABookError,
    create_book,
    open_book,
)
from branchdesk.store.backup import BackupFile, backups_to_keep, list_backups
from branchdesk.store.lock import BookLock
from branchdesk.store.migrations import known_names

BOOKS = Path(__file__).parent / "books"
D = dt.date


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_book_has_profile_and_private_permissions(book, book_path):
    assert book.branch.profile().name == "测试党支部"
    assert book.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert book.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    if os.name == "posix":
        assert stat.S_IMODE(book_path.stat().st_mode) == 0o600
    tables = {r[0]: r[1] for r in book.db.execute("SELECT name, sql FROM sqlite_master")}
    assert "STRICT" in tables["member"]


def test_create_refuses_to_overwrite(book_path):
    book_path.write_bytes(b"precious")
    with pytest.raises(FileExistsError):
        create_book(book_path, "x")
    assert book_path.read_bytes() == b"precious"


def test_not_a_book_is_refused_untouched(tmp_path):
    text = tmp_path / "notes.db"
    text.write_text("这不是数据库", encoding="utf-8")
    before = digest(text)
    with pytest.raises(NotABookError):
        open_book(text)
    assert digest(text) == before
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t(x)")
    conn.commit()
    conn.close()
    before = digest(other)
    with pytest.raises(NotABookError):
        open_book(other)
    assert digest(other) == before


def test_corrupt_book_is_refused(book, book_path, tmp_path):
    for i in range(200):
        book.roster.add(Member(name=f"党员{i}", notes="备注" * 50))
    book.close(backup=False)
    data = bytearray(book_path.read_bytes())
    data[4096 * 2 : 4096 * 2 + 200] = b"\xff" * 200  # clobber a b-tree page
    book_path.write_bytes(bytes(data))
    with pytest.raises((CorruptBookError, NotABookError)):
        open_book(book_path)


def test_newer_book_is_refused_and_its_bytes_stay_the_same(book, book_path):
    book.db.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
        " VALUES ('branchdesk', '9999_from_the_future', '2030-01-01')"
    )
    book.close(backup=False)
    before = digest(book_path)
    with pytest.raises(NewerBookError) as err:
        open_book(book_path)
    assert "更新版本" in str(err.value)
    assert digest(book_path) == before


def test_saved_first_schema_book_opens_and_keeps_its_data(tmp_path):
    """tests/books/v0001.db was saved by the first release; every later migration must
    upgrade it without losing a row (and back it up first)."""
    copy = tmp_path / "v0001.db"
    shutil.copy(BOOKS / "v0001.db", copy)
    book = open_book(copy)
    try:
        assert book.branch.profile().name == "样例党支部"
        names = {m.name for m in book.roster.members()}
        assert {"王芳", "阿依古丽·买买提", "林堃"} <= names
        applied = [r[0] for r in book.db.execute("SELECT name FROM _sqlite_migrations")]
        assert applied == known_names()
        if len(known_names()) > 1:
            assert any(b.reason == "upgrade" for b in book.list_backups())
    finally:
        book.close(backup=False)


def test_add_many_is_all_or_nothing(book):
    good = Member(name="甲", join_date=D(2010, 1, 1))
    bad = Member(name="乙", id_number="110105194912310021")  # wrong check digit
    with pytest.raises(InputError) as err:
        book.roster.add_many([good, bad])
    assert "第2人" in str(err.value) and "公民身份号码" in str(err.value)
    assert book.roster.count() == 0


def test_duplicate_id_number_is_refused(book):
    book.roster.add(Member(name="甲", id_number="11010519491231002X"))
    with pytest.raises(InputError, match="重复"):
        book.roster.add(Member(name="乙", id_number="11010519491231002x"))


def test_confirmation_event_sets_full_date_and_category(book):
    mid = book.roster.add(
        Member(name="预备", category=Category.PROBATIONARY, join_date=D(2024, 6, 1))
    )
    book.roster.add_event(mid, MembershipEvent(EventKind.CONFIRMED, D(2025, 6, 1)))
    m = book.roster.member(mid)
    assert m.full_date == D(2025, 6, 1) and m.category == Category.FULL
    assert [e.kind for e in m.events] == [EventKind.CONFIRMED]


def test_cannot_transfer_out_someone_already_gone(book):
    mid = book.roster.add(Member(name="甲", join_date=D(2010, 1, 1)))
    book.roster.add_event(mid, MembershipEvent(EventKind.TRANSFER_OUT, D(2020, 1, 1)))
    with pytest.raises(InputError, match="已不在本支部"):
        book.roster.add_event(mid, MembershipEvent(EventKind.TRANSFER_OUT, D(2021, 1, 1)))


def test_roster_on_a_past_date(demo_book):
    before = {e.member.name for e in demo_book.roster.on(D(2026, 8, 14))}
    after = {e.member.name for e in demo_book.roster.on(D(2026, 8, 15))}
    assert "谢文" in before and "谢文" not in after
    assert "郑凯" not in {e.member.name for e in demo_book.roster.on(D(2023, 8, 31))}


# -- backups -----------------------------------------------------------------------------
def test_backup_opens_and_is_private(book, book_path):
    book.roster.add(Member(name="甲"))
    made = book.backup("manual")
    conn = sqlite3.connect(made.path)
    assert conn.execute("SELECT name FROM member").fetchall() == [("甲",)]
    conn.close()
    if os.name == "posix":
        assert stat.S_IMODE(made.path.stat().st_mode) == 0o600


def test_close_backs_up_only_when_something_changed(book_path):
    book = create_book(book_path, "支部")
    book.close()  # the profile write counts as a change
    assert len(list_backups(book_path)) == 1
    first = list_backups(book_path)[0].path
    book = open_book(book_path)
    book.close()
    assert [b.path for b in list_backups(book_path)] == [first]
    book = open_book(book_path)
    book.roster.add(Member(name="甲"))
    book.close()
    newest = list_backups(book_path)[0].path
    assert newest != first  # rotation keeps one a day: the newest, which has 甲
    conn = sqlite3.connect(newest)
    assert conn.execute("SELECT name FROM member").fetchall() == [("甲",)]
    conn.close()


def test_automatic_backup_at_most_daily(book):
    book.roster.add(Member(name="甲"))
    assert book.backup_if_due() is not None
    book.roster.add(Member(name="乙"))
    assert book.backup_if_due() is None  # one already today
    assert book.backup_if_due(dt.datetime.now() + dt.timedelta(days=1, minutes=1)) is not None


def test_restore_keeps_current_book_as_a_backup(book, book_path, tmp_path):
    book.roster.add(Member(name="旧"))
    saved = book.backup_to(tmp_path / "u盘备份.db")
    book.roster.add(Member(name="新"))
    kept = book.restore_from(saved)
    assert [m.name for m in book.roster.members()] == ["旧"]
    assert kept.reason == "restore"
    conn = sqlite3.connect(kept.path)
    assert {r[0] for r in conn.execute("SELECT name FROM member")} == {"旧", "新"}
    conn.close()
    assert book.integrity_problems() == []


def test_restore_refuses_a_file_that_is_not_a_book(book, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"junk" * 100)
    book.roster.add(Member(name="甲"))
    with pytest.raises(NotABookError):
        book.restore_from(junk)
    assert [m.name for m in book.roster.members()] == ["甲"]


stamps = st.lists(
    st.datetimes(min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2026, 12, 31)),
    min_size=1,
    max_size=80,
    unique=True,
)


@given(stamps=stamps, reasons=st.lists(st.sampled_from(["auto", "close", "manual", "upgrade"])))
def test_rotation_keeps_newest_and_bounded(stamps, reasons):
    backups = [
        BackupFile(Path(f"b{i}.db"), t, reasons[i] if i < len(reasons) else "auto", i)
        for i, t in enumerate(stamps)
    ]
    keep = backups_to_keep(backups)
    routine = [b for b in backups if b.reason != "upgrade"]
    if routine:
        newest = max(routine, key=lambda b: b.order)
        assert newest.path in keep
    assert len([p for p in keep if p in {b.path for b in routine}]) <= 7 + 4 + 12
    days = {b.taken_at.date() for b in routine}
    # one kept per day for the newest 7 days that have a backup
    for day in sorted(days, reverse=True)[:7]:
        assert any(b.taken_at.date() == day and b.path in keep for b in routine)


# -- one window per book ------------------------------------------------------------------
def test_second_window_is_told_the_book_is_open(book_path):
    create_book(book_path, "支部").close(backup=False)
    with BookLock(book_path), pytest.raises(BookInUseError, match="另一个窗口"):
        BookLock(book_path).acquire()
    with BookLock(book_path):  # released when the first closed
        pass


def test_settings_travel_with_the_book(book, book_path):
    book.settings.set("font.正文", "/fonts/simfang.ttf")
    book.settings.set("font.标题", "/fonts/FZXBSJW.ttf")
    book.settings.set("print_order", "joined")
    book.close(backup=False)
    again = open_book(book_path)
    assert again.settings.all("font.") == {
        "font.正文": "/fonts/simfang.ttf",
        "font.标题": "/fonts/FZXBSJW.ttf",
    }
    again.settings.set("font.正文", "")
    assert again.settings.get("font.正文", "默认") == "默认"
    again.close(backup=False)


def test_saved_meetings_schema_book_opens_and_keeps_its_data(tmp_path):
    """tests/books/v0002.db was saved with the 0002 (meetings) schema: every later
    migration must upgrade it without losing a member, a meeting or an attendance row."""
    copy = tmp_path / "v0002.db"
    shutil.copy(BOOKS / "v0002.db", copy)
    book = open_book(copy)
    try:
        assert book.branch.profile().name == "样例党支部二"
        assert {"阿依古丽·买买提", "林堃"} <= {m.name for m in book.roster.members()}
        records = book.meetings.records(2026)
        assert records and all(r.meeting.date <= dt.date(2026, 3, 31) for r in records)
        assert sum(len(r.meeting.attendance) for r in records) > 0
        applied = [r[0] for r in book.db.execute("SELECT name FROM _sqlite_migrations")]
        assert applied == known_names()
        if len(known_names()) > 2:
            assert any(b.reason == "upgrade" for b in book.list_backups())
        assert book.integrity_problems() == []
    finally:
        book.close(backup=False)
