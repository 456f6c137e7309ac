"""branchdesk-cli branch committee|group and roster event: the same records and the same
rules as the dialogs, without a window."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from branchdesk.cli import main
from branchdesk.domain.members import Category, Member
from branchdesk.store import create_book, open_book

D = dt.date


def run(capsys, path: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--data", str(path), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def path(tmp_path) -> Path:
    """A book with a full member, a 预备党员 admitted on 2025-12-15 and one who left."""
    p = tmp_path / "b.db"
    book = create_book(p, "测试党支部")
    book.roster.add(
        Member(name="王芳", category=Category.FULL, join_date=D(2003, 5, 20),
               full_date=D(2004, 5, 20))  # fmt: skip
    )
    book.roster.add(Member(name="罗晨", category=Category.PROBATIONARY, join_date=D(2025, 12, 15)))
    book.roster.add(
        Member(name="张伟", category=Category.FULL, join_date=D(2008, 6, 30),
               full_date=D(2009, 6, 30))  # fmt: skip
    )
    book.close(backup=False)
    return p


def events(capsys, path: Path, *extra: str) -> list[dict]:
    code, out, _ = run(capsys, path, "roster", "event", "list", "--format", "json", *extra)
    assert code == 0
    return json.loads(out)


def test_committee_add_and_list_on_a_date(capsys, path):
    code, out, _ = run(
        capsys, path, "branch", "committee", "add", "--member", "王芳", "--post", "书记",
        "--from", "2024-03-15", "--to", "2027-03-14",
    )  # fmt: skip
    assert code == 0 and "王芳" in out
    code, out, _ = run(capsys, path, "branch", "committee", "list", "--on", "2025-01-01",
                       "--format", "json")  # fmt: skip
    rows = json.loads(out)
    assert code == 0 and [(r["name"], r["post"], r["from"]) for r in rows] == [
        ("王芳", "书记", "2024-03-15")
    ]
    code, out, _ = run(capsys, path, "branch", "committee", "list", "--on", "2028-01-01",
                       "--format", "json")  # fmt: skip
    assert json.loads(out) == []
    code, out, _ = run(capsys, path, "branch", "committee", "list", "--on", "2025-01-01")
    assert "书记" in out and "2024年3月15日" in out


def test_committee_add_follows_the_dialogs_rules(capsys, path):
    code, _, err = run(
        capsys, path, "branch", "committee", "add", "--member", "罗晨", "--post", "委员",
        "--from", "2020-01-01",
    )  # fmt: skip
    assert code == 1 and "不在本支部名册中" in err
    code, _, err = run(
        capsys, path, "branch", "committee", "add", "--member", "王芳", "--post", "委员",
        "--from", "2026-01-01", "--to", "2025-01-01",
    )  # fmt: skip
    assert code == 1 and "任期止：早于任期起" in err
    code, _, err = run(capsys, path, "branch", "committee", "add", "--member", "无此人",
                       "--post", "委员", "--from", "2026-01-01")  # fmt: skip
    assert code == 1 and "名册中没有" in err
    with pytest.raises(SystemExit) as usage:  # not a post
        run(capsys, path, "branch", "committee", "add", "--member", "王芳", "--post", "主任",
            "--from", "2026-01-01")  # fmt: skip
    assert usage.value.code == 2


def test_group_add_with_leader_and_start_then_list(capsys, path):
    code, out, _ = run(capsys, path, "branch", "group", "add", "第四党小组", "--leader", "张伟",
                       "--from", "2026-11-01")  # fmt: skip
    assert code == 0 and "第四党小组" in out
    code, out, _ = run(capsys, path, "branch", "group", "list", "--format", "json")
    assert json.loads(out) == [
        {"id": 1, "name": "第四党小组", "leader": "张伟", "from": "2026-11-01", "to": None}
    ]
    code, _, err = run(capsys, path, "branch", "group", "add", "第四党小组")
    assert code == 1 and "已有名为" in err
    code, out, _ = run(capsys, path, "branch", "group", "list")
    assert "2026年11月1日" in out


def test_event_add_refuses_early_confirmation_unless_override_with_note(capsys, path):
    args = ("roster", "event", "add", "--member", "罗晨", "--kind", "转正", "--date", "2026-06-01")
    code, _, err = run(capsys, path, *args)
    assert code == 1 and "早于预备期届满日2026年12月15日" in err and "--override" in err
    code, _, err = run(capsys, path, *args, "--override")
    assert code == 1 and "写明依据" in err
    code, out, _ = run(capsys, path, *args, "--override", "--note", "上级党委批复")
    assert code == 0
    [row] = events(capsys, path)
    assert row["kind"] == "转正" and row["override"] is True
    book = open_book(path)
    try:
        luo = next(m for m in book.roster.members() if m.name == "罗晨")
        assert luo.full_date == D(2026, 6, 1) and luo.category == Category.FULL
    finally:
        book.close(backup=False)


def test_extension_moves_the_end_of_probation(capsys, path):
    base = ("roster", "event", "add", "--member", "罗晨")
    code, _, err = run(capsys, path, *base, "--kind", "延长预备期", "--date", "2026-12-15",
                       "--end", "2027-02-15")  # fmt: skip
    assert code == 1 and "6至12个月" in err
    code, _, _ = run(capsys, path, *base, "--kind", "延长预备期", "--date", "2026-12-15",
                     "--end", "2027-06-15")  # fmt: skip
    assert code == 0
    code, _, err = run(capsys, path, *base, "--kind", "转正", "--date", "2027-01-10")
    assert code == 1 and "2027年6月15日" in err and "已延长" in err
    code, _, _ = run(capsys, path, *base, "--kind", "转正", "--date", "2027-06-15")
    assert code == 0


def test_event_list_by_member_and_correct_with_reason(capsys, path):
    code, _, _ = run(capsys, path, "roster", "event", "add", "--member", "张伟", "--kind", "转出",
                     "--date", "2026-08-15", "--note", "调任")  # fmt: skip
    assert code == 0
    [row] = events(capsys, path, "--member", "张伟")
    assert events(capsys, path, "--member", "王芳") == []
    fix = ("roster", "event", "correct", str(row["id"]))
    with pytest.raises(SystemExit) as usage:  # --reason is required
        run(capsys, path, *fix, "--date", "2026-08-16")
    assert usage.value.code == 2
    code, _, err = run(capsys, path, *fix, "--reason", "日期录错")
    assert code == 1 and "至少" in err
    code, out, _ = run(capsys, path, *fix, "--date", "2026-08-16", "--reason", "日期录错")
    assert code == 0
    [row] = events(capsys, path, "--member", "张伟")
    assert row["date"] == "2026-08-16" and row["note"] == "调任"
    book = open_book(path)
    try:
        [audit] = book.roster.corrections()
        assert audit.action == "更正" and audit.reason == "日期录错"
        assert audit.before.date == D(2026, 8, 15) and audit.after is not None
        assert audit.after.date == D(2026, 8, 16)
    finally:
        book.close(backup=False)


def test_probation_without_end_can_be_ended_from_the_cli(capsys, path):
    code, _, _ = run(capsys, path, "roster", "event", "add", "--member", "王芳",
                     "--kind", "留党察看", "--date", "2025-01-10")  # fmt: skip
    assert code == 0
    [row] = events(capsys, path)
    code, _, err = run(capsys, path, "roster", "event", "correct", str(row["id"]),
                       "--end", "2024-01-01", "--reason", "期满")  # fmt: skip
    assert code == 1 and "早于留党察看开始日期" in err
    code, _, _ = run(capsys, path, "roster", "event", "correct", str(row["id"]),
                     "--end", "2026-01-10", "--reason", "察看期满，恢复党员权利")  # fmt: skip
    assert code == 0
    book = open_book(path)
    try:
        wang = next(m for m in book.roster.members() if m.name == "王芳")
        assert wang.under_probation_on(D(2025, 6, 1)) and not wang.under_probation_on(
            D(2026, 1, 10)
        )
        assert [c.action for c in book.roster.corrections()] == ["结束察看"]
    finally:
        book.close(backup=False)


def test_event_correction_that_breaks_the_history_is_refused(capsys, path):
    add = ("roster", "event", "add", "--member", "张伟")
    assert run(capsys, path, *add, "--kind", "转出", "--date", "2026-03-01")[0] == 0
    assert run(capsys, path, *add, "--kind", "转入", "--date", "2026-06-01")[0] == 0
    assert run(capsys, path, *add, "--kind", "转出", "--date", "2026-09-01")[0] == 0
    in_id = events(capsys, path)[1]["id"]
    code, _, err = run(capsys, path, "roster", "event", "correct", str(in_id),
                       "--date", "2026-10-01", "--reason", "x")  # fmt: skip
    assert code == 1 and "已不在本支部" in err  # two 转出 in a row
    code, _, err = run(capsys, path, "roster", "event", "remove", str(in_id), "--reason", "误录")
    assert code == 1 and "已不在本支部" in err
    last_id = events(capsys, path)[2]["id"]
    assert run(capsys, path, "roster", "event", "remove", str(last_id), "--reason", "误录")[0] == 0
    assert [e["kind"] for e in events(capsys, path)] == ["转出", "转入"]
    book = open_book(path)
    try:
        [audit] = book.roster.corrections()
        assert audit.action == "删除" and audit.after is None and audit.before.kind.value == "转出"
        assert audit.before.date == D(2026, 9, 1)
    finally:
        book.close(backup=False)
