"""Points from the command line: every `points` command, its JSON shape and exit codes;
the printed 公示, 登记卡 and 年度汇总 read back with pypdf."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from branchdesk.cli import main
from test_printing_helpers import font_problems


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo(tmp_path, capsys):
    path = tmp_path / "demo.db"
    assert run(capsys, "demo", str(path))[0] == 0
    return path


def pts(capsys, demo, *args: str) -> tuple[int, str, str]:
    return run(capsys, "--data", str(demo), "points", *args)


def notice_printed(path):
    from branchdesk.store import open_book

    book = open_book(path)
    try:
        return book.points.notice_printed("2026Q3")
    finally:
        book.close(backup=False)


def pdf_text(path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return "".join(p.extract_text() for p in reader.pages)


def test_scheme_templates_lists_the_three(demo, capsys):
    code, out, _ = pts(capsys, demo, "scheme", "templates")
    assert code == 0
    assert [line.split("\t")[0] for line in out.splitlines()] == [
        "quarterly-100", "base-60", "deduct-only"]  # fmt: skip


def test_scheme_use_export_edit_import(demo, tmp_path, capsys):
    code, out, _ = pts(capsys, demo, "scheme", "use", "base-60", "--year", "2026")
    assert code == 0 and "base-60" in out
    f = tmp_path / "s.json"
    assert pts(capsys, demo, "scheme", "export", "--year", "2026", "-o", str(f))[0] == 0
    data = json.loads(f.read_text(encoding="utf-8"))
    assert data["period"] == "年度" and data["base"] == 60
    assert {"name", "category", "points"} <= set(data["items"][0])
    data["base"] = 70
    f.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert pts(capsys, demo, "scheme", "import", str(f), "--year", "2027")[0] == 0
    pts(capsys, demo, "scheme", "export", "--year", "2027", "-o", str(f))
    assert json.loads(f.read_text(encoding="utf-8"))["base"] == 70
    assert pts(capsys, demo, "scheme", "use", "nope", "--year", "2026")[0] == 1


def test_scheme_import_lists_every_problem_and_writes_nothing(demo, tmp_path, capsys):
    f = tmp_path / "bad.json"
    f.write_text(json.dumps({"period": "月度", "base": 60, "bands": [], "items": [
        {"name": "x", "category": "加分", "points": -1}]}, ensure_ascii=False), encoding="utf-8")
    code, _, err = pts(capsys, demo, "scheme", "import", str(f), "--year", "2030")
    assert code == 1 and "period" in err and "bands" in err and "items 第1项（x）.points" in err
    assert pts(capsys, demo, "scheme", "export", "--year", "2030", "-o", str(f))[0] == 1


def test_add_reverse_and_ledger_json(demo, capsys):
    code, out, err = pts(capsys, demo, "add", "--member", "王芳", "--date", "2026-08-01",
                         "--item", "参加志愿服务", "--reason", "社区服务")  # fmt: skip
    assert code == 0, err
    code, out, _ = pts(capsys, demo, "ledger", "--period", "2026Q3", "--member", "王芳",
                       "--format", "json")  # fmt: skip
    rows = json.loads(out)
    mine = next(r for r in rows if r["reason"] == "社区服务")
    assert set(mine) == {"id", "name", "date", "item", "points", "count", "reason", "source",
                         "reverses"}  # fmt: skip
    assert (mine["points"], mine["count"], mine["source"], mine["reverses"]) == (
        2, 1, "手工登记", None)  # fmt: skip
    code, out, _ = pts(capsys, demo, "reverse", str(mine["id"]), "--reason", "登记错误")
    assert code == 0
    rows = json.loads(pts(capsys, demo, "ledger", "--year", "2026", "--member", "王芳",
                          "--format", "json")[1])  # fmt: skip
    assert any(r["reverses"] == mine["id"] and r["count"] == -1 for r in rows)
    assert pts(capsys, demo, "reverse", str(mine["id"]), "--reason", "again")[0] == 1
    code, out, _ = pts(capsys, demo, "ledger", "--period", "2026Q3")
    assert code == 0 and "共" in out


def test_add_with_points_and_count(demo, capsys):
    code, out, err = pts(capsys, demo, "add", "--member", "王芳", "--date", "2026-08-02",
                         "--item", "撰写信息或文章", "--points", "2.5", "--count", "2")
    assert code == 0, err and "5 分" in out
    code, _, err = pts(capsys, demo, "add", "--member", "王芳", "--date", "2026-08-02",
                       "--item", "撰写信息或文章", "--points", "2.55")  # fmt: skip
    assert code == 1 and "一位小数" in err


def test_add_refuses_unknown_items_members_and_people_not_on_the_roll(demo, capsys):
    code, _, err = pts(capsys, demo, "add", "--member", "查无此人", "--date", "2026-08-01",
                       "--item", "参加志愿服务")  # fmt: skip
    assert code == 1 and "查无此人" in err
    code, _, err = pts(capsys, demo, "add", "--member", "王芳", "--date", "2026-08-01",
                       "--item", "打卡")  # fmt: skip
    assert code == 1 and "打卡" in err
    code, _, err = pts(capsys, demo, "add", "--member", "谢文", "--date", "2026-11-01",
                       "--item", "参加志愿服务")  # fmt: skip
    assert code == 1 and "谢文在 2026-11-01 不在本支部名册" in err


def test_a_name_two_members_share_is_refused_with_their_ids(demo, capsys):
    import datetime as dt

    from branchdesk.domain.members import Member
    from branchdesk.store import open_book

    book = open_book(demo)
    twin = book.roster.add(Member(name="王芳", join_date=dt.date(2010, 7, 1)))
    book.close(backup=False)
    code, _, err = pts(capsys, demo, "add", "--member", "王芳", "--date", "2026-08-01",
                       "--item", "参加志愿服务")  # fmt: skip
    assert code == 1 and "2名党员叫“王芳”" in err and str(twin) in err
    code, _, err = pts(capsys, demo, "add", "--member", str(twin), "--date", "2026-08-01",
                       "--item", "参加志愿服务")  # fmt: skip
    assert code == 0, err


def test_apply_is_idempotent(demo, capsys):
    code, out, _ = pts(capsys, demo, "apply", "--year", "2026")
    assert code == 0 and "新增 0 条，冲销 0 条" in out
    pts(capsys, demo, "scheme", "use", "deduct-only", "--year", "2026")
    assert "新增 0 条，冲销 0 条" in pts(capsys, demo, "apply", "--year", "2026")[1]


def test_totals_json_shape(demo, capsys):
    code, out, _ = pts(capsys, demo, "totals", "--period", "2026Q3", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and rows
    assert set(rows[0]) == {"name", "id_number", "category", "scored", "base", "added",
                            "deducted", "total", "band", "rank", "note"}  # fmt: skip
    scored = [r for r in rows if r["scored"]]
    assert all(r["rank"] is None for r in rows)
    assert all(r["total"] == r["base"] + r["added"] + r["deducted"] for r in scored)
    assert all(isinstance(r["total"], int | float) for r in scored)
    assert any(isinstance(r["total"], float) for r in scored)  # 79.5 after a 请假
    left = next(r for r in rows if r["name"] == "谢文")
    assert "转出日期" in left["note"]
    year = json.loads(pts(capsys, demo, "totals", "--period", "2026", "--format", "json")[1])
    assert all(r["band"] in ("优秀", "良好", "合格", "不合格") for r in year if r["scored"])
    assert pts(capsys, demo, "totals", "--period", "2026Q7")[0] == 1


def test_ranking_only_when_switched_on(demo, capsys):
    from branchdesk.store import open_book

    book = open_book(demo)
    book.settings.set("points.ranking", "1")
    book.close(backup=False)
    rows = json.loads(pts(capsys, demo, "totals", "--period", "2026Q3", "--format", "json")[1])
    ranks = sorted(r["rank"] for r in rows if r["scored"])
    assert ranks[0] == 1 and all(isinstance(x, int) for x in ranks)
    assert "名次" in pts(capsys, demo, "totals", "--period", "2026Q3")[1]


def test_print_notice_refuses_a_short_period_and_prints_a_week(demo, tmp_path, capsys):
    out = tmp_path / "n.pdf"
    code, _, err = pts(capsys, demo, "print", "notice", "--period", "2026Q3", "--from",
                       "2026-10-08", "--to", "2026-10-13", "-o", str(out))  # fmt: skip
    assert code == 1 and "不少于7天" in err and not out.exists()
    # A file that cannot be written: nothing printed, so the 公示 is not recorded.
    code, _, err = pts(capsys, demo, "print", "notice", "--period", "2026Q3", "--from",
                       "2026-10-08", "--to", "2026-10-14",
                       "-o", str(tmp_path / "无此目录" / "n.pdf"))  # fmt: skip
    assert code != 0
    assert notice_printed(demo) is None
    code, _, err = pts(capsys, demo, "print", "notice", "--period", "2026Q3", "--from",
                       "2026-10-08", "--to", "2026-10-14", "--contact", "黄磊 12345678",
                       "-o", str(out))  # fmt: skip
    assert code == 0, err
    assert notice_printed(demo) == (dt.date(2026, 10, 8), dt.date(2026, 10, 14))
    text = pdf_text(out)
    for expected in ("2026年第三季度党员积分情况公示", "序号", "基础分", "总分", "等次",
                     "2026年10月8日至2026年10月14日", "黄磊 12345678", "王芳", "转出日期"):
        assert expected in text.replace("\n", ""), expected
    assert "名次" not in text
    assert font_problems(out.read_bytes()) == []


def test_print_card_and_summary(demo, tmp_path, capsys):
    card = tmp_path / "c.pdf"
    code, _, err = pts(capsys, demo, "print", "card", "--member", "朱琳", "--year", "2026",
                       "-o", str(card))  # fmt: skip
    assert code == 0, err
    text = pdf_text(card).replace("\n", "")
    for expected in ("党员积分登记卡", "朱琳", "第三季度小计", "累计", "本人确认", "支部审核"):
        assert expected in text, expected
    assert font_problems(card.read_bytes()) == []
    summary = tmp_path / "s.pdf"
    assert pts(capsys, demo, "print", "summary", "--year", "2026", "-o", str(summary))[0] == 0
    text = pdf_text(summary).replace("\n", "")
    assert "2026年度党员积分汇总表" in text and "一季度" in text and "年度积分" in text


def test_export_xlsx(demo, tmp_path, capsys):
    out = tmp_path / "p.xlsx"
    assert pts(capsys, demo, "export", "--year", "2026", "-o", str(out))[0] == 0
    wb = load_workbook(out)
    assert wb.sheetnames == ["第一季度", "第二季度", "第三季度", "第四季度", "2026年度", "积分明细"]
    assert wb["积分明细"].cell(2, 1).value == "编号"
    assert wb["积分明细"].max_row > 10
