"""branchdesk-cli: exit 0 on success, 1 on bad input or an unhealthy book, 2 on usage."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from branchdesk.cli import main
from xlsx_samples import SAMPLE_HEADERS, SAMPLE_TODAY, make_sample_rows, write_rows


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo(tmp_path, capsys) -> Path:
    path = tmp_path / "demo.db"
    assert run(capsys, "demo", str(path), "--as-of", "2026-12-01")[0] == 0
    return path


def test_init_then_refuses_to_overwrite(tmp_path, capsys):
    path = tmp_path / "b.db"
    code, out, _ = run(capsys, "--data", str(path), "init", "--branch-name", "一支部")
    assert code == 0 and "已新建" in out
    code, _, err = run(capsys, "--data", str(path), "init", "--branch-name", "二支部")
    assert code == 1 and "不会覆盖" in err
    code, out, _ = run(capsys, "--data", str(path), "check")
    assert code == 0 and "一支部" in out


def test_data_from_environment(tmp_path, capsys, monkeypatch):
    path = tmp_path / "env.db"
    monkeypatch.setenv("BRANCHDESK_DATA", str(path))
    assert run(capsys, "init", "--branch-name", "环境支部")[0] == 0
    assert path.exists()


def test_roster_list_json_keys_and_dates(demo, capsys):
    code, out, _ = run(capsys, "--data", str(demo), "roster", "list", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 24  # 25 in the demo, 谢文 transferred out
    keys = {
        "name",
        "gender",
        "ethnicity",
        "birth_date",
        "id_number",
        "education",
        "category",
        "join_date",
        "full_date",
        "post",
        "phone",
        "group",
        "status",
    }
    assert all(set(r) == keys for r in rows)
    wang = next(r for r in rows if r["name"] == "王芳")
    assert wang["join_date"] == "2003-05-20" and wang["group"] == "第一党小组"
    assert wang["category"] == "正式党员" and wang["status"] == "在册"


def test_roster_list_on_a_past_date(demo, capsys):
    code, out, _ = run(
        capsys, "--data", str(demo), "roster", "list", "--on", "2026-08-14", "--format", "json"
    )
    names = {r["name"] for r in json.loads(out)}
    assert code == 0 and "谢文" in names and "何娜" in names
    code, out, _ = run(
        capsys, "--data", str(demo), "roster", "list", "--on", "2026-03-01", "--format", "json"
    )
    rows = {r["name"]: r for r in json.loads(out)}
    assert "何娜" not in rows  # joined 2026-03-18
    code, out, _ = run(capsys, "--data", str(demo), "roster", "list", "--all", "--format", "json")
    assert {r["name"]: r["status"] for r in json.loads(out)}["谢文"] == "已转出"


def test_roster_list_table_masks_id(demo, capsys):
    code, out, _ = run(capsys, "--data", str(demo), "roster", "list")
    assert code == 0 and "共 24 人" in out
    assert "**************" in out
    assert "110105" not in out


def test_bad_date_is_exit_1_in_chinese(demo, capsys):
    code, _, err = run(capsys, "--data", str(demo), "roster", "list", "--on", "2026-13-01")
    assert code == 1 and "不是有效日期" in err


def test_usage_error_is_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["roster", "frobnicate"])
    assert exc.value.code == 2


def test_missing_book_is_exit_1(tmp_path, capsys):
    code, _, err = run(capsys, "--data", str(tmp_path / "none.db"), "check")
    assert code == 1 and "找不到" in err


def test_check_reports_a_file_that_is_not_a_book(tmp_path, capsys):
    junk = tmp_path / "junk.db"
    junk.write_text("hello")
    code, _, err = run(capsys, "--data", str(junk), "check")
    assert code == 1 and "不是" in err
    assert junk.read_text() == "hello"


def test_import_with_errors_imports_nothing_then_fixed_file_imports(demo, tmp_path, capsys):
    rows = make_sample_rows(30, seed=3)
    bad = [list(r) for r in rows]
    bad[4][SAMPLE_HEADERS.index("入党日期")] = "2019.13.01"
    xlsx = tmp_path / "bad.xlsx"
    write_rows(xlsx, SAMPLE_HEADERS, bad, title_rows=["某某党支部党员名册"])
    before = json.loads(
        run(capsys, "--data", str(demo), "roster", "list", "--all", "--format", "json")[1]
    )
    code, out, err = run(capsys, "--data", str(demo), "roster", "import", str(xlsx))
    assert code == 1
    assert "第7行" in err and "入党日期" in err  # title row + header row + 5th data row
    assert "未导入" in err
    after = json.loads(
        run(capsys, "--data", str(demo), "roster", "list", "--all", "--format", "json")[1]
    )
    assert after == before

    good = tmp_path / "good.xlsx"
    write_rows(good, SAMPLE_HEADERS, rows, title_rows=["某某党支部党员名册"])
    code, out, _ = run(capsys, "--data", str(demo), "roster", "import", str(good), "--dry-run")
    assert code == 0 and "试运行" in out
    code, out, _ = run(capsys, "--data", str(demo), "roster", "import", str(good))
    assert code == 0 and "已导入 30 人" in out
    listed = json.loads(
        run(
            capsys,
            "--data",
            str(demo),
            "roster",
            "list",
            "--all",
            "--on",
            SAMPLE_TODAY.isoformat(),
            "--format",
            "json",
        )[1]
    )
    assert len(listed) >= 30


def test_export_then_import_into_new_book_round_trips(demo, tmp_path, capsys):
    xlsx = tmp_path / "out.xlsx"
    code, out, _ = run(capsys, "--data", str(demo), "roster", "export", str(xlsx))
    assert code == 0 and "24" in out
    fresh = tmp_path / "fresh.db"
    run(capsys, "--data", str(fresh), "init", "--branch-name", "新支部")
    code, out, err = run(capsys, "--data", str(fresh), "roster", "import", str(xlsx))
    assert code == 0, err
    a = json.loads(run(capsys, "--data", str(demo), "roster", "list", "--format", "json")[1])
    b = json.loads(run(capsys, "--data", str(fresh), "roster", "list", "--format", "json")[1])

    def strip(rows):
        return sorted((r["name"], r["id_number"], r["join_date"], r["group"]) for r in rows)

    assert strip(a) == strip(b)


def test_backup_and_restore(demo, tmp_path, capsys):
    target = tmp_path / "copy.db"
    code, out, _ = run(capsys, "--data", str(demo), "backup", "-o", str(target))
    assert code == 0 and target.exists()
    conn = sqlite3.connect(demo)
    conn.execute("PRAGMA foreign_keys=ON")
    # A member with points entries cannot be deleted at all (the ledger keeps them).
    (lost,) = conn.execute(
        "SELECT name FROM member WHERE id NOT IN (SELECT member_id FROM points_entry)"
        " ORDER BY id LIMIT 1"
    ).fetchone()
    conn.execute("DELETE FROM member WHERE name = ?", [lost])
    conn.commit()
    conn.close()
    code, out, _ = run(capsys, "--data", str(demo), "restore", str(target))
    assert code == 0 and "恢复前的账簿已备份到" in out
    names = {
        r["name"]
        for r in json.loads(
            run(capsys, "--data", str(demo), "roster", "list", "--format", "json")[1]
        )
    }
    assert lost in names
    code, out, _ = run(capsys, "--data", str(demo), "backup")
    assert code == 0 and "-backups" in out


def test_console_script_runs_without_traceback(tmp_path):
    """The installed entry point: exit code and Chinese message, no traceback."""
    proc = subprocess.run(
        [sys.executable, "-m", "branchdesk.cli", "--data", str(tmp_path / "x.db"), "check"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and "找不到账簿" in proc.stderr


def test_print_roster_and_signin(demo, tmp_path, capsys):
    from pypdf import PdfReader

    roll = tmp_path / "roll.pdf"
    code, out, err = run(capsys, "--data", str(demo), "print", "roster", "-o", str(roll),
                         "--order", "joined", "--with-id")
    assert code == 0, err
    assert "页" in out
    text = "".join(p.extract_text() for p in PdfReader(roll).pages)
    assert "党员花名册" in text and "梁秀英" in text
    assert "110105" in text  # --with-id prints the numbers
    assert text.index("梁秀英") < text.index("李建国")  # joined 1990 before 1995

    sheet = tmp_path / "signin.pdf"
    code, out, err = run(capsys, "--data", str(demo), "print", "signin", "--date", "2026-08-14",
                         "--title", "支部党员大会", "--place", "三楼会议室", "-o", str(sheet))
    assert code == 0, err
    text = "".join(p.extract_text() for p in PdfReader(sheet).pages)
    assert "支部党员大会签到表" in text.replace("\n", "") and "三楼会议室" in text
    assert "谢文" in text  # still on the roll on 2026-08-14, transferred out the next day
    assert "应到 25 人" in text  # all 25: 谢文 had not left yet


def test_print_usage_errors(demo, tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--data", str(demo), "print", "signin", "--title", "会", "-o", "x.pdf"])
    assert exc.value.code == 2
    code, _, err = run(capsys, "--data", str(demo), "print", "signin", "--date", "2026-02-30",
                       "--title", "会", "-o", str(tmp_path / "x.pdf"))
    assert code == 1 and "日期" in err
