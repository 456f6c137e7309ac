"""Meetings from the command line: list, export → edit → import, calendar."""

from __future__ import annotations

import json

import pytest

from branchdesk.cli import main


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo(tmp_path, capsys):
    path = tmp_path / "demo.db"
    assert run(capsys, "demo", str(path), "--as-of", "2026-12-01")[0] == 0
    return path


def test_demo_has_a_year_of_meetings_of_every_type(demo, capsys):
    code, out, _ = run(capsys, "--data", str(demo), "meeting", "list", "--format", "json")
    rows = json.loads(out)
    types = {t for r in rows for t in r["types"]}
    assert {"支部党员大会", "支委会", "党小组会", "党课", "主题党日", "组织生活会"} <= types
    org_life = next(r for r in rows if "组织生活会" in r["types"])
    assert org_life["date"].startswith("2026-01") and org_life["belongs_to_year"] == 2025


def test_export_edit_import_makes_a_new_meeting(demo, tmp_path, capsys):
    rows = json.loads(run(capsys, "--data", str(demo), "meeting", "list", "--format", "json")[1])
    general = next(r for r in rows if "支部党员大会" in r["types"])
    out = tmp_path / "m.json"
    assert run(capsys, "--data", str(demo), "meeting", "export", str(general["id"]),
               "-o", str(out))[0] == 0  # fmt: skip
    data = json.loads(out.read_text(encoding="utf-8"))
    data["title"] = "十二月主题党日暨支部党员大会"
    data["date"] = "2026-12-10"
    data["resolutions"] = []
    out.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, text, err = run(capsys, "--data", str(demo), "meeting", "import", str(out))
    assert code == 0, err
    after = json.loads(run(capsys, "--data", str(demo), "meeting", "list", "--format", "json")[1])
    assert len(after) == len(rows) + 1
    assert any(r["title"] == "十二月主题党日暨支部党员大会" for r in after)


def test_import_reports_every_problem_and_writes_nothing(demo, tmp_path, capsys):
    rows = json.loads(run(capsys, "--data", str(demo), "meeting", "list", "--format", "json")[1])
    bad = {
        "title": "坏的",
        "types": ["支部党员大会", "茶话会"],
        "date": "2026-13-01",
        "attendance": [{"name": "查无此人", "status": "出席"}],
        "resolutions": [{"text": "x", "votes_for": -1}],
    }
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    code, _, err = run(capsys, "--data", str(demo), "meeting", "import", str(path))
    assert code == 1
    for where in ("types[1]", "date", "attendance[0].name", "resolutions[0].votes_for"):
        assert where in err, where
    after = json.loads(run(capsys, "--data", str(demo), "meeting", "list", "--format", "json")[1])
    assert len(after) == len(rows)


def test_import_refuses_a_resolution_marked_passed_without_the_votes(demo, tmp_path, capsys):
    rows = json.loads(run(capsys, "--data", str(demo), "meeting", "list", "--format", "json")[1])
    general = next(r for r in rows if "支部党员大会" in r["types"])
    out = tmp_path / "m.json"
    run(capsys, "--data", str(demo), "meeting", "export", str(general["id"]), "-o", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    data["resolutions"] = [{"text": "一般事项", "kind": "一般", "votes_for": 3,
                            "marked_passed": True}]  # fmt: skip
    out.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, _, err = run(capsys, "--data", str(demo), "meeting", "import", str(out))
    assert code == 1 and "决议" in err
    after = json.loads(run(capsys, "--data", str(demo), "meeting", "list", "--format", "json")[1])
    assert len(after) == len(rows)


def test_calendar_follows_the_demo(demo, capsys):
    code, out, _ = run(capsys, "--data", str(demo), "calendar", "--year", "2026", "--format",
                       "json")  # fmt: skip
    grid = json.loads(out)
    labels = [r["label"] for r in grid["rows"]]
    assert "支委会" in labels and "党小组会（第三党小组）" in labels
    third = next(r for r in grid["rows"] if r["label"] == "党小组会（第三党小组）")
    states = {c["period"]: c["state"] for c in third["cells"]}
    assert states["8月"] == "missing" and states["7月"] == "held"
    code, out, _ = run(capsys, "--data", str(demo), "calendar", "--year", "2026")
    assert code == 0 and "支部党员大会" in out and "✗" in out


def test_meeting_print_reads_back(demo, tmp_path, capsys):
    from pypdf import PdfReader

    rows = json.loads(run(capsys, "--data", str(demo), "meeting", "list", "--format", "json")[1])
    june = next(r for r in rows if r["date"] == "2026-06-26" and "支部党员大会" in r["types"])
    out = tmp_path / "m.pdf"
    code, text, err = run(capsys, "--data", str(demo), "meeting", "print", str(june["id"]),
                          "-o", str(out))  # fmt: skip
    assert code == 0, err
    pdf = "".join(p.extract_text() for p in PdfReader(out).pages).replace("\n", "")
    for expected in ("6月主题党日", "2026年6月26日", "李建国", "黄磊", "会议有效",
                     "讨论接收徐丽", "通过", "主持人签字"):  # fmt: skip
        assert expected in pdf, expected
    code, _, err = run(capsys, "--data", str(demo), "meeting", "print", "99999", "-o", str(out))
    assert code == 1 and "没有编号" in err
