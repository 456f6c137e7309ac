"""Damage that quick_check misses, restore's own checks, backup leftovers, and files the
app only looks at."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from branchdesk.cli import main
from branchdesk.domain.members import Member
from branchdesk.store import CorruptBookError, create_book, open_book
from branchdesk.store import backup as backups
from damage import drop_index_entry


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def beside(path: Path) -> set[str]:
    return {p.name for p in path.parent.iterdir()}


@pytest.fixture
def small_book(book_path: Path) -> Path:
    book = create_book(book_path, "测试党支部")
    book.roster.add(Member(name="王芳", id_number="110101199001011237"))
    book.close(backup=False)
    return book_path


def test_missing_index_entry_is_named_refused_for_backup_and_restore_and_repaired(
    small_book, tmp_path, capsys
):
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(small_book.read_bytes())
    drop_index_entry(damaged)
    # The door (quick_check) lets it in; the full checks do not.
    code, _, err = run(capsys, "--data", str(damaged), "check")
    assert code == 1
    assert "索引 member_id_number（表 member）" in err and "check --repair" in err
    code, _, err = run(capsys, "--data", str(damaged), "backup")
    assert code == 1 and "校验失败" in err
    assert not list(backups.backup_dir_for(damaged).glob("*.db"))
    assert not list(backups.backup_dir_for(damaged).glob("*.part*"))

    before = digest(small_book)
    code, _, err = run(capsys, "--data", str(small_book), "restore", str(damaged))
    assert code == 1 and "校验失败" in err
    assert digest(small_book) == before

    code, out, _ = run(capsys, "--data", str(damaged), "check", "--repair")
    assert code == 0 and "已重建索引（member_id_number）" in out
    kept = next(backups.backup_dir_for(damaged).glob("*-damaged.sqlite"))
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert run(capsys, "--data", str(damaged), "check")[0] == 0
    names = {m.name for m in open_book(damaged, read_only=True).roster.members()}
    assert names == {"王芳", "补录"}


def test_restore_of_a_book_with_page_size_8192(small_book, tmp_path, capsys):
    other = tmp_path / "big-pages.db"
    book = create_book(other, "八千页支部")
    book.roster.add(Member(name="李强"))
    book.close(backup=False)
    conn = sqlite3.connect(other)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("PRAGMA page_size=8192")
    conn.execute("VACUUM")
    assert conn.execute("PRAGMA page_size").fetchone()[0] == 8192
    conn.close()
    code, out, err = run(capsys, "--data", str(small_book), "restore", str(other))
    assert code == 0, err
    book = open_book(small_book)
    try:
        assert {m.name for m in book.roster.members()} == {"李强"}
        assert book.branch.profile().name == "八千页支部"
        assert book.integrity_problems() == []
    finally:
        book.close(backup=False)
    assert not [n for n in beside(small_book) if n.endswith(".part")]


def test_failed_backup_leaves_no_part_file(small_book, monkeypatch):
    book = open_book(small_book)

    def fails(path: Path) -> None:
        raise CorruptBookError("模拟校验失败")

    monkeypatch.setattr(backups, "verify_database", fails)
    with pytest.raises(CorruptBookError):
        book.backup("manual")
    book.close(backup=False)
    folder = backups.backup_dir_for(small_book)
    assert sorted(p.name for p in folder.iterdir()) == []


def test_leftovers_of_killed_backups_are_swept_and_never_listed(small_book):
    folder = backups.backup_dir_for(small_book)
    folder.mkdir()
    old = [folder / "book-20250101-010101-auto.db.part", folder / "x.db.part-journal"]
    for p in old:
        p.write_bytes(b"\0" * 4096)
        stamp = (dt.datetime.now() - dt.timedelta(hours=3)).timestamp()
        os.utime(p, (stamp, stamp))
    fresh = folder / "book-20991231-000000-manual.db.part"  # another window, still writing
    fresh.write_bytes(b"\0")
    book = open_book(small_book)
    try:
        assert all(b.path.suffix == ".db" for b in book.list_backups())
        made = book.backup("manual")
    finally:
        book.close(backup=False)
    left = {p.name for p in folder.iterdir()}
    assert left == {made.path.name, fresh.name}


def test_a_refused_newer_book_gets_no_wal_or_shm(small_book, capsys):
    conn = sqlite3.connect(small_book)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
        " VALUES ('branchdesk', '9999_future', '2099-01-01')"
    )
    conn.commit()
    conn.close()
    before, files = digest(small_book), beside(small_book)
    for args in (("roster", "list"), ("check",), ("meeting", "import", "x.json")):
        code, _, err = run(capsys, "--data", str(small_book), *args)
        assert code == 1 and "更新版本" in err
    assert digest(small_book) == before and beside(small_book) == files


def test_check_never_applies_the_schema_to_a_file_with_only_our_id(tmp_path, capsys):
    path = tmp_path / "odd.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 0x42444B31")
    conn.execute("CREATE TABLE notes (text TEXT)")
    conn.commit()
    conn.close()
    before, files = digest(path), beside(path)
    for args in (("check",), ("roster", "list"), ("roster", "import", "x.xlsx")):
        code, _, err = run(capsys, "--data", str(path), *args)
        assert code == 1 and "不会打开或修改" in err
    assert digest(path) == before and beside(path) == files


def test_check_of_an_old_book_does_not_upgrade_it(tmp_path, capsys):
    old = tmp_path / "old.db"
    old.write_bytes((Path(__file__).parent / "books" / "v0001.db").read_bytes())
    before = digest(old)
    code, out, _ = run(capsys, "--data", str(old), "check")
    assert code == 0 and "下次打开时会先备份，再升级" in out
    assert digest(old) == before
    assert not backups.backup_dir_for(old).exists()


def test_a_damaged_table_is_named_and_the_repair_says_how_it_ended(small_book, capsys):
    from damage import break_table_page

    break_table_page(small_book)
    code, _, err = run(capsys, "--data", str(small_book), "check")
    assert code == 1 and "表 member" in err and "check --repair" in err
    assert "Traceback" not in err
    code, out, err = run(capsys, "--data", str(small_book), "check", "--repair")
    assert "Traceback" not in err and "程序内部错误" not in err
    kept = list(backups.backup_dir_for(small_book).glob("*-damaged.sqlite"))
    assert len(kept) == 1
    if code == 0:  # rebuilt: the new file passes the full check
        rebuilt = next(small_book.parent.glob("book-rebuilt-*.db"))
        backups.verify_database(rebuilt)
    else:
        assert "请从备份恢复" in err
