"""Files the user protected: a read-only book is opened read-only (view and print, no
writes) and its mode is never changed; a read-only folder is said to be one, not
"damaged"."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from branchdesk.cli import main
from branchdesk.domain.members import Member
from branchdesk.store import create_book, open_book
from branchdesk.store.sqlerrors import BookReadOnlyError
from xlsx_samples import SAMPLE_HEADERS, make_sample_rows, write_rows


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def protected(tmp_path, capsys) -> Path:
    path = tmp_path / "demo.db"
    assert main(["demo", str(path)]) == 0
    capsys.readouterr()
    os.chmod(path, 0o400)
    yield path
    os.chmod(path, 0o600)


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_a_protected_book_is_viewed_and_printed_but_never_written(protected, tmp_path, capsys):
    before = digest(protected)
    assert run(capsys, "--data", str(protected), "roster", "list")[0] == 0
    assert run(capsys, "--data", str(protected), "meeting", "list")[0] == 0
    pdf = tmp_path / "r.pdf"
    assert run(capsys, "--data", str(protected), "print", "roster", "-o", str(pdf))[0] == 0
    assert run(capsys, "--data", str(protected), "check")[0] == 0
    export = tmp_path / "m.json"
    assert (
        run(capsys, "--data", str(protected), "meeting", "export", "1", "-o", str(export))[0] == 0
    )
    code, _, err = run(capsys, "--data", str(protected), "meeting", "import", str(export))
    assert code == 1 and "只读" in err and "损坏" not in err
    assert stat.S_IMODE(protected.stat().st_mode) == 0o400
    assert digest(protected) == before
    assert sorted(p.name for p in protected.parent.glob("demo.db*")) == ["demo.db"]


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_the_store_opens_a_protected_book_read_only(protected):
    book = open_book(protected)
    try:
        assert book.read_only
        assert book.roster.count() > 0
        with pytest.raises(BookReadOnlyError):
            book.roster.add(Member(name="新人"))
    finally:
        book.close()
    assert stat.S_IMODE(protected.stat().st_mode) == 0o400


def _as_nobody_possible() -> str | None:
    if os.name != "posix" or os.geteuid() != 0:
        return "dropping to another user needs root on POSIX"
    if shutil.which("setpriv") is None:
        return "setpriv (util-linux) is not installed"
    probe = subprocess.run(
        ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
         sys.executable, "-c", "import branchdesk.cli"],
        capture_output=True, text=True, env={**os.environ, "HOME": "/tmp"}, timeout=120,
    )  # fmt: skip
    if probe.returncode != 0:
        # e.g. a checkout inside a 0700 temporary folder: `nobody` cannot run the program.
        return "user nobody cannot read this checkout, so the program cannot run as nobody"
    return None


@pytest.fixture
def nobody_folder():
    """A folder owned by `nobody`, for running the CLI as a user whom permissions bind
    (root ignores them, so as root a read-only folder cannot be tested otherwise)."""
    reason = _as_nobody_possible()
    if reason:
        pytest.skip(reason)
    folder = Path(tempfile.mkdtemp(prefix="branchdesk-ro-"))
    os.chmod(folder, 0o755)
    yield folder
    os.chmod(folder, 0o755)
    shutil.rmtree(folder, ignore_errors=True)


def as_nobody(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": "/tmp", "BRANCHDESK_DATA": ""}
    return subprocess.run(
        ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
         sys.executable, "-m", "branchdesk.cli", *args],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip


def _give_to_nobody(folder: Path) -> None:
    for p in [folder, *folder.iterdir()]:
        os.chown(p, 65534, 65534)


def test_a_read_only_folder_without_wal_can_be_viewed(nobody_folder):
    book = nobody_folder / "book.db"
    b = create_book(book, "测试党支部")
    b.roster.add(Member(name="王芳"))
    b.close(backup=False)
    sheet = nobody_folder / "roster.xlsx"
    write_rows(sheet, SAMPLE_HEADERS, make_sample_rows(2, seed=5))
    _give_to_nobody(nobody_folder)
    os.chmod(nobody_folder, 0o555)
    done = as_nobody("--data", str(book), "roster", "list")
    assert done.returncode == 0 and "王芳" in done.stdout, done.stderr
    done = as_nobody("--data", str(book), "roster", "import", str(sheet))
    assert done.returncode == 1 and "只读" in done.stderr, done.stderr
    assert "损坏" not in done.stderr and "Traceback" not in done.stderr
    assert sorted(p.name for p in nobody_folder.iterdir()) == ["book.db", "roster.xlsx"]


def test_a_read_only_folder_with_a_leftover_wal_is_not_called_damaged(nobody_folder):
    book = nobody_folder / "book.db"
    create_book(book, "测试党支部").close(backup=False)
    live = sqlite3.connect(book)
    live.execute("PRAGMA journal_mode=WAL")
    live.execute("INSERT INTO member (name) VALUES ('王芳')")
    live.commit()
    crashed = nobody_folder / "copy"
    crashed.mkdir()
    for suffix in ("", "-wal"):  # as a crash leaves them: the record only in the -wal
        shutil.copy(str(book) + suffix, str(crashed / "book.db") + suffix)
    live.close()
    _give_to_nobody(crashed)
    os.chmod(crashed, 0o555)
    done = as_nobody("--data", str(crashed / "book.db"), "roster", "list")
    assert done.returncode == 1, done.stdout
    assert "文件夹不允许写入" in done.stderr and "没有损坏" in done.stderr
    assert "已损坏" not in done.stderr and "Traceback" not in done.stderr
    os.chmod(crashed, 0o755)
    # Once the folder may be written, everything is there.
    done = as_nobody("--data", str(crashed / "book.db"), "roster", "list")
    assert done.returncode == 0 and "王芳" in done.stdout, done.stderr


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_the_window_shows_a_protected_book_without_writing(qtbot, protected, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from branchdesk.ui.main_window import MainWindow
    from qt_helpers import record_message_boxes

    shown = record_message_boxes(monkeypatch)
    execs: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: execs.append(self.text()) or 0)
    before = digest(protected)
    book = open_book(protected)
    try:
        window = MainWindow(book)
        qtbot.addWidget(window)
        window.show()
        for n in range(len(window.nav_titles)):
            window.nav.setCurrentRow(n)
            qtbot.wait(20)
        assert shown == [] and execs == []
        assert book.roster.count() > 0
        window.close()
    finally:
        book.close()
    assert digest(protected) == before and stat.S_IMODE(protected.stat().st_mode) == 0o400
