"""branchdesk-cli's exit codes: a bug is told apart from bad input, logged privately."""

from __future__ import annotations

import os
import stat

import pytest

from branchdesk.areas.cli_errors import EXIT_BUG, EXIT_INPUT
from branchdesk.cli import main


@pytest.fixture
def demo(tmp_path):
    path = tmp_path / "demo.db"
    assert main(["demo", str(path)]) == 0
    return path


def test_a_bug_is_exit_3_logged_privately_without_personal_data(demo, capsys, monkeypatch):
    import branchdesk.store.roster as roster

    def broken(self):
        raise RuntimeError("王芳 110101199001011237")

    monkeypatch.setattr(roster.RosterRepo, "members", broken)
    capsys.readouterr()
    code = main(["--data", str(demo), "roster", "list"])
    _, err = capsys.readouterr()
    assert code == EXIT_BUG
    assert "程序内部错误" in err and "Traceback" not in err and "王芳" not in err
    logs = demo.parent / "logs"
    log = logs / "branchdesk.log"
    text = log.read_text(encoding="utf-8")
    assert "RuntimeError" in text and "_roster_list" in text
    assert "王芳" not in text and "110101199001011237" not in text
    if os.name == "posix":
        assert stat.S_IMODE(logs.stat().st_mode) == 0o700
        assert stat.S_IMODE(log.stat().st_mode) == 0o600


def test_bad_input_is_exit_1_and_not_logged(demo, tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    assert main(["--data", str(demo), "meeting", "import", str(bad)]) == EXIT_INPUT
    assert "不是有效的JSON" in capsys.readouterr().err
    assert not (demo.parent / "logs").exists()


def test_lone_surrogates_on_the_command_line_are_messages(demo, tmp_path, capsys):
    bad = "a\udcffb"  # what Python makes of a non-UTF-8 byte in argv
    new = tmp_path / "new.db"
    assert main(["--data", str(new), "init", "--branch-name", bad]) == EXIT_INPUT
    assert "代理项" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("new")) == []
    assert main(["--data", str(demo), "roster", "list", "--on", bad]) == EXIT_INPUT
    pdf = str(tmp_path / "s.pdf")
    args = ["print", "signin", "--date", "2026-01-01", "--title", bad, "-o", pdf]
    assert main(["--data", str(demo), *args]) == EXIT_INPUT
    assert main(["--data", str(demo), "meeting", "import", str(tmp_path / bad)]) == EXIT_INPUT
    err = capsys.readouterr().err
    assert "Traceback" not in err and "程序内部错误" not in err


def test_file_errors_are_told_in_chinese(demo, tmp_path, capsys):
    code = main(["--data", str(demo), "roster", "export", str(tmp_path / "no" / "x.xlsx")])
    assert code == EXIT_INPUT and "文件或文件夹不存在" in capsys.readouterr().err
