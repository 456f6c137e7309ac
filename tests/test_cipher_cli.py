"""账簿密码 on the command line: the password from $BRANCHDESK_PASSWORD, a wrong one refused
with exit 1, no terminal and no password → a message, not a hang."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from branchdesk.cli import main
from branchdesk.store import cipher
from branchdesk.store.connection import forget_all_keys

pytestmark = pytest.mark.skipif(
    not cipher.available(), reason="sqlcipher3 (SQLCipher binding) is not installed"
)
PASSWORD = "cli-密码-42"


@pytest.fixture(autouse=True)
def _fresh(monkeypatch):
    monkeypatch.setattr(cipher, "WRONG_PASSWORD_DELAY", 0.01)
    monkeypatch.delenv("BRANCHDESK_PASSWORD", raising=False)
    monkeypatch.setenv("CI", "true")
    forget_all_keys()
    yield
    forget_all_keys()


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    forget_all_keys()  # each call is its own process in real life
    return code, out, err


@pytest.fixture
def encrypted(tmp_path, capsys, monkeypatch) -> Path:
    path = tmp_path / "b.db"
    assert run(capsys, "--data", str(path), "init", "--branch-name", "一支部")[0] == 0
    monkeypatch.setenv("BRANCHDESK_NEW_PASSWORD", PASSWORD)
    code, out, err = run(capsys, "--data", str(path), "password", "set")
    assert code == 0, err
    assert "没有后门" in out and "没有加密" in out  # the plain backup taken before is named
    monkeypatch.delenv("BRANCHDESK_NEW_PASSWORD")
    return path


def test_password_from_environment_opens_the_book(encrypted, capsys, monkeypatch):
    assert "一支部".encode() not in encrypted.read_bytes()
    monkeypatch.setenv("BRANCHDESK_PASSWORD", PASSWORD)
    code, out, err = run(capsys, "--data", str(encrypted), "check")
    assert code == 0 and "一支部" in out, err
    code, out, _ = run(capsys, "--data", str(encrypted), "backup")
    assert code == 0
    made = Path(out.split("：", 1)[1].strip())
    assert not made.read_bytes().startswith(b"SQLite format 3")


def test_wrong_password_exits_1_with_a_message(encrypted, capsys, monkeypatch):
    monkeypatch.setenv("BRANCHDESK_PASSWORD", "not-the-password")
    code, _, err = run(capsys, "--data", str(encrypted), "roster", "list")
    assert code == 1 and "密码不正确" in err and "Traceback" not in err


def test_no_password_and_no_terminal_says_so(encrypted, capsys):
    code, _, err = run(capsys, "--data", str(encrypted), "roster", "list")
    assert code == 1 and "BRANCHDESK_PASSWORD" in err


def test_no_stdin_does_not_hang(encrypted, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("BRANCHDESK_PASSWORD", "CI")}
    done = subprocess.run(
        [sys.executable, "-m", "branchdesk.cli", "--data", str(encrypted), "roster", "list"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 1 and "BRANCHDESK_PASSWORD" in done.stderr


def test_remove_password_gives_a_plain_book(encrypted, capsys, monkeypatch):
    monkeypatch.setenv("BRANCHDESK_PASSWORD", PASSWORD)
    code, out, err = run(capsys, "--data", str(encrypted), "password", "remove")
    assert code == 0 and "已取消" in out, err
    monkeypatch.delenv("BRANCHDESK_PASSWORD")
    assert encrypted.read_bytes().startswith(b"SQLite format 3")
    assert run(capsys, "--data", str(encrypted), "check")[0] == 0


def test_set_password_can_delete_the_plain_backups(tmp_path, capsys, monkeypatch):
    path = tmp_path / "b.db"
    run(capsys, "--data", str(path), "init", "--branch-name", "一支部")
    run(capsys, "--data", str(path), "backup")
    monkeypatch.setenv("BRANCHDESK_NEW_PASSWORD", PASSWORD)
    code, out, _ = run(capsys, "--data", str(path), "password", "set", "--delete-plain-backups")
    assert code == 0 and "已删除 2 份" in out
    assert cipher.plain_backups(path) == []
    assert cipher.list_backups_encrypted(path)


def test_short_new_password_is_refused(tmp_path, capsys, monkeypatch):
    path = tmp_path / "b.db"
    run(capsys, "--data", str(path), "init", "--branch-name", "一支部")
    monkeypatch.setenv("BRANCHDESK_NEW_PASSWORD", "abc")
    code, _, err = run(capsys, "--data", str(path), "password", "set")
    assert code == 1 and "至少" in err
    assert path.read_bytes().startswith(b"SQLite format 3")


def test_exports_from_an_encrypted_book_warn_that_the_file_is_plain(
    encrypted, tmp_path, capsys, monkeypatch
):
    monkeypatch.setenv("BRANCHDESK_PASSWORD", PASSWORD)
    xlsx = tmp_path / "out.xlsx"
    code, _, err = run(capsys, "--data", str(encrypted), "roster", "export", str(xlsx))
    assert code == 0 and "不加密" in err and xlsx.exists()
    code, _, err = run(capsys, "--data", str(encrypted), "roster", "list")
    assert code == 0 and "不加密" not in err  # only exports warn


def test_exports_from_a_plain_book_say_nothing_about_passwords(tmp_path, capsys):
    path = tmp_path / "b.db"
    run(capsys, "--data", str(path), "init", "--branch-name", "一支部")
    code, _, err = run(capsys, "--data", str(path), "roster", "export", str(tmp_path / "o.xlsx"))
    assert code == 0 and "不加密" not in err
