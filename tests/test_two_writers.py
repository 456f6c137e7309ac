"""Two programs writing one book: each waits its turn (BEGIN IMMEDIATE + busy timeout);
a lock held past the timeout gets a message, and what the user typed is kept."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from branchdesk.cli import main
from branchdesk.store import create_book, database, open_book
from branchdesk.store.sqlerrors import BUSY_MESSAGE
from qt_helpers import type_text
from xlsx_samples import SAMPLE_HEADERS, make_sample_rows, write_rows

# Edits the way the member form saves: read (validate, duplicate check), then write.
EDITOR = textwrap.dedent(
    """
    import sys
    from dataclasses import replace
    from branchdesk.domain.members import Member
    from branchdesk.store import open_book
    book = open_book(sys.argv[1])
    member_id = book.roster.add(Member(name=sys.argv[2]))
    for i in range(int(sys.argv[3])):
        member = book.roster.member(member_id)
        book.roster.update(replace(member, phone=f"1380000{i:04d}"))
    book.close(backup=False)
    print("done")
    """
)


def test_parallel_imports_and_edits_all_succeed(book_path, tmp_path):
    create_book(book_path, "测试党支部").close(backup=False)
    rows = make_sample_rows(120, seed=7)
    cli = [sys.executable, "-m", "branchdesk.cli", "--data", str(book_path)]
    procs = []
    for n in range(4):
        sheet = tmp_path / f"part{n}.xlsx"
        write_rows(sheet, SAMPLE_HEADERS, rows[n * 30 : (n + 1) * 30])
        procs.append(subprocess.Popen([*cli, "roster", "import", str(sheet)],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE))  # fmt: skip
    for n in range(2):
        procs.append(
            subprocess.Popen([sys.executable, "-c", EDITOR, str(book_path), f"编辑者{n}", "150"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
        )
    results = [(p.communicate(timeout=240)[1], p.returncode) for p in procs]
    for err, code in results:
        assert code == 0, err.decode()
        assert b"Traceback" not in err and b"locked" not in err
    book = open_book(book_path)
    try:
        assert book.roster.count() == 122
        assert book.integrity_problems() == []
    finally:
        book.close(backup=False)


@pytest.fixture
def held_lock(book_path, monkeypatch):
    """Another program holds the write lock (longer than our shortened timeout)."""
    import sqlite3

    create_book(book_path, "测试党支部").close(backup=False)
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 200)
    other = sqlite3.connect(book_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    yield book_path
    other.execute("ROLLBACK")
    other.close()


def test_a_lock_held_past_the_timeout_is_a_message_and_keeps_the_input(
    held_lock, tmp_path, capsys
):
    sheet = tmp_path / "roster.xlsx"
    write_rows(sheet, SAMPLE_HEADERS, make_sample_rows(3, seed=1))
    before = sheet.read_bytes()
    code = main(["--data", str(held_lock), "roster", "import", str(sheet)])
    _, err = capsys.readouterr()
    assert code == 1 and BUSY_MESSAGE in err and "Traceback" not in err
    assert sheet.read_bytes() == before
    # Reading is not blocked by a writer.
    assert main(["--data", str(held_lock), "roster", "list"]) == 0


def test_member_form_keeps_what_was_typed_when_the_book_is_busy(held_lock, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from branchdesk.ui.roster.member_dialog import MemberDialog

    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)
    book = open_book(Path(held_lock))
    try:
        dialog = MemberDialog(book)
        qtbot.addWidget(dialog)
        type_text(qtbot, dialog.name, "林堃")
        dialog.save()
        assert BUSY_MESSAGE in dialog.error.text()
        assert dialog.name.text() == "林堃" and dialog.result() == 0
    finally:
        book.close(backup=False)


def test_a_draft_never_waits_long_for_a_busy_book(held_lock, monkeypatch):
    from branchdesk.store.sqlerrors import BookBusyError

    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 10_000)  # the normal wait
    book = open_book(Path(held_lock))
    try:
        wait = book.db.execute("PRAGMA busy_timeout").fetchone()[0]
        with pytest.raises(BookBusyError):
            book.drafts.save("member-new", {"name": "林堃"})  # gives up after 200 ms
        assert book.db.execute("PRAGMA busy_timeout").fetchone()[0] == wait
    finally:
        book.close(backup=False)
