"""Everything the app writes that holds personal data is readable only by the user, and
drafts (which hold ID numbers) live inside the book and go with their record."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from branchdesk.cli import main
from branchdesk.domain.members import Member
from branchdesk.store import open_book
from branchdesk.store.drafts import adopt_legacy_drafts, legacy_folder

posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask():
    old = os.umask(0o022)  # the usual desktop umask: files 0644 unless made private
    yield
    os.umask(old)


@posix_only
def test_every_cli_output_is_private(tmp_path, capsys, open_umask):
    book = tmp_path / "demo.db"
    assert main(["demo", str(book)]) == 0
    out = tmp_path / "out"
    out.mkdir()
    made = {
        "meeting.json": ["meeting", "export", "1", "-o"],
        "minutes.pdf": ["meeting", "print", "1", "-o"],
        "roster-id.pdf": ["print", "roster", "--with-id", "-o"],
        "signin.pdf": ["print", "signin", "--date", "2026-09-10", "--title", "党员大会", "-o"],
        "roster.xlsx": ["roster", "export"],
        "usb-backup.db": ["backup", "-o"],
    }
    for name, args in made.items():
        assert main(["--data", str(book), *args, str(out / name)]) == 0, name
    assert main(["--data", str(book), "backup"]) == 0
    for name in made:
        assert mode(out / name) == 0o600, name
    assert sorted(p.name for p in out.iterdir()) == sorted(made)  # no temporary files left
    folder = book.with_name("demo-backups")
    assert mode(folder) == 0o700
    assert all(mode(p) == 0o600 for p in folder.iterdir())
    assert mode(book) == 0o600
    # An existing world-readable file is replaced by a private one.
    again = out / "meeting.json"
    os.chmod(again, 0o644)
    assert main(["--data", str(book), "meeting", "export", "1", "-o", str(again)]) == 0
    assert mode(again) == 0o600
    capsys.readouterr()


def test_drafts_live_in_the_book_and_go_with_their_record(book):
    mid = book.roster.add(Member(name="王芳", id_number="110101199001011237"))
    book.drafts.save(f"member-{mid}", {"phone": "13800000000", "id_number": "110101199001011237"})
    book.drafts.save("member-new", {"name": "林堃"})
    assert book.drafts.load(f"member-{mid}")["phone"] == "13800000000"
    assert not legacy_folder(book.path).exists()
    book.roster.delete(mid)
    assert book.drafts.load(f"member-{mid}") is None
    assert book.drafts.keys() == ["member-new"]


def test_meeting_drafts_go_with_the_meeting(demo_book):
    meeting_id = demo_book.meetings.summaries(None)[0].id
    demo_book.drafts.save(f"meeting-{meeting_id}", {"title": "改"})
    demo_book.meetings.delete(meeting_id)
    assert demo_book.drafts.load(f"meeting-{meeting_id}") is None


def test_old_draft_files_move_into_the_book_and_are_deleted(book):
    folder = legacy_folder(book.path)
    folder.mkdir()
    (folder / "member-new.json").write_text(json.dumps({"name": "林堃"}), encoding="utf-8")
    (folder / "member-3.part").write_text("{", encoding="utf-8")
    path = book.path
    book.close(backup=False)
    reopened = open_book(path)
    try:
        assert reopened.drafts.load("member-new") == {"name": "林堃"}
        assert not folder.exists()
        assert adopt_legacy_drafts(reopened.drafts, path) == 0
    finally:
        reopened.close(backup=False)


def test_member_form_drafts_are_written_into_the_book(qtbot, book, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from branchdesk.ui.roster.member_dialog import MemberDialog
    from qt_helpers import type_text

    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)
    mid = book.roster.add(Member(name="王芳", id_number="110101199001011237"))
    dialog = MemberDialog(book, book.roster.member(mid))
    qtbot.addWidget(dialog)
    type_text(qtbot, dialog.phone, "13800000000")
    qtbot.waitUntil(lambda: book.drafts.load(f"member-{mid}") is not None, timeout=3000)
    assert not legacy_folder(book.path).exists()
    assert not list(book.path.parent.glob("*.json"))
