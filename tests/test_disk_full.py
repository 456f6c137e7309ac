"""A full disk: reads keep working, a write is either done and reported done, or not
done and reported as "磁盘空间不足" — never the other way round, never a traceback.

Runs on a small tmpfs mounted for the test (needs root on Linux); skipped otherwise.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from branchdesk.cli import main
from branchdesk.domain.members import Member
from branchdesk.store import open_book
from branchdesk.store.sqlerrors import DiskFullError

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or os.geteuid() != 0,
    reason="mounting a small tmpfs to fill needs root on Linux",
)


@pytest.fixture
def disk(tmp_path):
    mnt = tmp_path / "small-disk"
    mnt.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mnt)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace')}")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], check=False)


def fill(folder: Path, leave: int = 0) -> None:
    """Fill the disk to the last byte, then free ``leave`` bytes."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_CREAT | os.O_WRONLY | os.O_APPEND, 0o600)
    try:
        for chunk in (1 << 20, 1 << 16, 1 << 12, 1 << 9, 1):
            while True:
                try:
                    os.write(fd, b"\0" * chunk)
                except OSError as exc:
                    assert exc.errno == errno.ENOSPC
                    break
    finally:
        os.close(fd)
    if leave:
        os.truncate(filler, max(0, filler.stat().st_size - leave))


def free(folder: Path) -> None:
    (folder / "filler").unlink(missing_ok=True)


def count(book: Path, table: str) -> int:
    conn = sqlite3.connect(book)  # the disk is free again: may merge a leftover -wal
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo_on_disk(disk, tmp_path, capsys) -> tuple[Path, Path]:
    source = tmp_path / "demo.db"
    assert main(["demo", str(source)]) == 0
    meeting = tmp_path / "meeting.json"
    assert main(["--data", str(source), "meeting", "export", "1", "-o", str(meeting)]) == 0
    data = json.loads(meeting.read_text(encoding="utf-8"))
    data["content"] = "会议内容。" * 400  # a few pages of WAL
    meeting.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    book = disk / "demo.db"
    shutil.copy(source, book)
    capsys.readouterr()
    return book, meeting


def test_reads_work_on_a_full_disk(demo_on_disk, tmp_path, capsys):
    book, _ = demo_on_disk
    fill(book.parent)
    assert run(capsys, "--data", str(book), "roster", "list")[0] == 0
    assert run(capsys, "--data", str(book), "meeting", "list")[0] == 0
    assert run(capsys, "--data", str(book), "check")[0] == 0
    pdf = str(tmp_path / "r.pdf")
    code, _, err = run(capsys, "--data", str(book), "print", "roster", "-o", pdf)
    assert code == 0, err


@pytest.mark.parametrize("leave_kib", [0, 4, 8, 12, 16, 24, 32, 48, 64, 96, 128, 256, 512])
def test_a_write_on_a_full_disk_is_reported_as_it_ended(demo_on_disk, capsys, leave_kib):
    book, meeting = demo_on_disk
    meetings_before = count(book, "meeting")
    fill(book.parent, leave=leave_kib * 1024)
    code, out, err = run(capsys, "--data", str(book), "meeting", "import", str(meeting))
    assert code in (0, 1) and "Traceback" not in err
    if code == 1:
        assert "磁盘空间不足" in err and "已导入" not in out
    else:
        assert "已导入" in out
    # A backup on a full disk fails plainly and leaves no part file behind.
    bcode, _, berr = run(capsys, "--data", str(book), "backup")
    if bcode:
        assert "磁盘空间不足" in berr
    folder = book.with_name(book.stem + "-backups")
    assert not [p for p in folder.glob("*.part*")] if folder.exists() else True
    free(book.parent)
    assert count(book, "meeting") == meetings_before + (1 if code == 0 else 0)
    book_ = open_book(book)
    try:
        assert book_.integrity_problems() == []
    finally:
        book_.close(backup=False)


def test_a_failed_checkpoint_at_close_does_not_undo_a_saved_record(book, monkeypatch):
    book.roster.add(Member(name="王芳"))
    real = book.db.execute

    def full(sql, *args):
        if "wal_checkpoint" in sql:
            raise sqlite3.OperationalError("database or disk is full")
        return real(sql, *args)

    monkeypatch.setattr(book.db, "execute", full)
    book.close(backup=False)  # no exception: the record is committed
    assert book.closed
    with contextlib.closing(sqlite3.connect(book.path)) as conn:
        assert conn.execute("SELECT name FROM member").fetchall() == [("王芳",)]


def test_the_window_path_opens_a_book_on_a_full_disk_for_reading(demo_on_disk):
    book_path, _ = demo_on_disk
    fill(book_path.parent)
    book = open_book(book_path)  # as the GUI does: writable file, but no room
    try:
        assert book.roster.count() > 0
        assert book.read_only  # the window says 只读
        with pytest.raises(DiskFullError, match="磁盘空间不足"):
            book.roster.add(Member(name="新人"))
    finally:
        book.close()
