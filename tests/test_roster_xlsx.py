"""Import/export of the 党员名册 workbook (exchange/roster_xlsx.py)."""

from __future__ import annotations

import datetime as dt
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from branchdesk.domain.dates import add_years
from branchdesk.domain.idcard import check_digit, parse_id
from branchdesk.domain.members import EDUCATION_LEVELS, Category, Member
from branchdesk.exchange.roster_xlsx import (
    EXPORT_HEADERS,
    ImportReport,
    Issue,
    RosterFormatError,
    read_roster,
    write_roster,
)
from xlsx_samples import (
    SAMPLE_BRANCH,
    SAMPLE_GROUPS,
    SAMPLE_HEADERS,
    SAMPLE_TODAY,
    make_id,
    make_sample_rows,
    write_rows,
)

TODAY = dt.date(2025, 6, 30)
HEADERS = [
    "序号", "姓名", "性别", "公民身份号码", "民族", "出生日期", "学历",
    "人员类别", "入党日期", "转正日期", "工作岗位", "联系电话", "党小组", "备注",
]  # fmt: skip
COL = {h: get_column_letter(i) for i, h in enumerate(HEADERS, start=1)}
NAMES = ["张三", "李四", "王五", "赵六", "孙七", "周八", "吴九", "郑十"]


def person(i: int = 1, **over: object) -> dict[str, object]:
    """A valid row (keys are HEADERS); the ID matches 出生日期 and 性别."""
    male = i % 2 == 1
    birth = dt.date(1980, 5, 17) + dt.timedelta(days=i)
    row: dict[str, object] = {
        "序号": i,
        "姓名": NAMES[(i - 1) % len(NAMES)],
        "性别": "男" if male else "女",
        "公民身份号码": make_id("110101", birth, i, male),
        "民族": "汉族",
        "出生日期": birth.isoformat(),
        "学历": "大学本科",
        "人员类别": "正式党员",
        "入党日期": "2005-07-01",
        "转正日期": "2006-07-01",
        "工作岗位": "科员",
        "联系电话": "13800138000",
        "党小组": "第一党小组",
        "备注": "",
    }
    row.update(over)
    return row


def write(
    path: Path,
    people: list[dict[str, object]],
    *,
    headers: list[str] = HEADERS,
    title_rows: tuple[str, ...] = ("某某党支部党员名册",),
) -> Path:
    """Rows in HEADERS' order under ``headers`` (a same-length variant of HEADERS)."""
    write_rows(path, headers, [[p.get(k) for k in HEADERS] for p in people], title_rows=title_rows)
    return path


def read(path: Path, **kw: object) -> ImportReport:
    return read_roster(path, today=TODAY, **kw)  # type: ignore[arg-type]


def only(issues: list[Issue]) -> Issue:
    assert len(issues) == 1, [str(i) for i in issues]
    return issues[0]


# ------------------------------------------------------------------ layout of the sheet


def test_header_below_merged_title_and_date_line(tmp_path: Path) -> None:
    path = write(
        tmp_path / "r.xlsx",
        [person(1), person(2), person(3)],
        title_rows=("某某党支部党员名册", "填表日期：2025年6月30日"),
    )
    ws = load_workbook(path).active
    assert "A1:N1" in {str(r) for r in ws.merged_cells.ranges}  # the fixture is as described
    report = read(path)
    assert report.ok, [str(e) for e in report.errors]
    assert report.header_row == 3
    assert [m.row for m in report.members] == [4, 5, 6]
    assert [m.member.name for m in report.members] == ["张三", "李四", "王五"]
    first = report.members[0].member
    assert first.id_number == person(1)["公民身份号码"]
    assert first.category == Category.FULL
    assert first.join_date == dt.date(2005, 7, 1)
    assert first.group_name == "第一党小组"
    assert first.phone == "13800138000"


def test_roster_found_on_second_sheet(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.title = "填表说明"
    wb.active["A1"] = "请按下表填写"
    ws = wb.create_sheet("名册")
    ws.append(HEADERS)
    ws.append([person(1)[h] for h in HEADERS])
    wb.save(tmp_path / "r.xlsx")
    report = read(tmp_path / "r.xlsx")
    assert report.sheet_name == "名册"
    assert [m.member.name for m in report.members] == ["张三"]


_EXPECTED = {  # header → (Member attribute, value person(1) gives after import)
    "姓名": ("name", "张三"),
    "性别": ("gender", "男"),
    "公民身份号码": ("id_number", person(1)["公民身份号码"]),
    "民族": ("ethnicity", "汉族"),
    "出生日期": ("birth_date", dt.date(1980, 5, 18)),
    "学历": ("education", "大学本科"),
    "人员类别": ("category", Category.PROBATIONARY),
    "入党日期": ("join_date", dt.date(2024, 6, 1)),
    "转正日期": ("full_date", dt.date(2025, 6, 1)),  # before today: a warning, no error
    "工作岗位": ("post", "科员"),
    "联系电话": ("phone", "13800138000"),
    "党小组": ("group_name", "第一党小组"),
    "备注": ("notes", "见档案"),
}
_VARIANTS = {
    "姓名": ["姓名"],
    "性别": ["性别"],
    "公民身份号码": ["公民身份号码", "身份证号", "身份证号码"],
    "民族": ["民族"],
    "出生日期": ["出生日期", "出生年月"],
    "学历": ["学历", "文化程度"],
    "人员类别": ["人员类别", "党员类别"],
    "入党日期": ["入党日期", "入党时间"],
    "转正日期": ["转正日期", "转为正式党员日期", "转正时间"],
    "工作岗位": ["工作岗位", "职务", "岗位"],
    "联系电话": ["联系电话", "手机号码", "联系方式"],
    "党小组": ["党小组", "所在党小组"],
    "备注": ["备注"],
}
_DECORATIONS = {
    "plain": lambda h: h,
    "star": lambda h: h + "*",
    "required": lambda h: h + "（必填）",
    "padded": lambda h: f" {h}\n",
    "full-width space": lambda h: h[0] + "\u3000" + h[1:],
    "line break": lambda h: h[:-1] + "\n" + h[-1],
}


@pytest.mark.parametrize("decoration", list(_DECORATIONS))
@pytest.mark.parametrize(
    ("canonical", "variant"), [(c, v) for c, vs in _VARIANTS.items() for v in vs]
)
def test_header_variants(tmp_path: Path, canonical: str, variant: str, decoration: str) -> None:
    header = _DECORATIONS[decoration](variant)
    headers = [header if h == canonical else h for h in HEADERS]
    row = person(1, 人员类别="预备", 入党日期="2024-06-01", 转正日期="2025-06-01", 备注="见档案")
    if canonical in ("性别", "出生日期"):
        row["公民身份号码"] = None  # else both would be filled in from the ID
    if canonical == "人员类别":
        row["转正日期"] = None  # else the 转正日期 decides: 正式党员
    report = read(write(tmp_path / "r.xlsx", [row], headers=headers))
    assert report.ok, [str(e) for e in report.errors]
    attr, expected = _EXPECTED[canonical]
    assert getattr(only(report.members).member, attr) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("header", ["所在党支部", "所在党支部*"])
def test_branch_column_is_reported_not_imported(tmp_path: Path, header: str) -> None:
    headers = [*HEADERS, header]
    rows = [[*(person(i)[h] for h in HEADERS), "机关第一党支部"] for i in (1, 2)]
    write_rows(tmp_path / "r.xlsx", headers, rows)
    report = read(tmp_path / "r.xlsx")
    assert report.branch_names == ("机关第一党支部",)
    assert report.ok and not report.warnings


def test_duplicate_header_keeps_first_column(tmp_path: Path) -> None:
    headers = [*HEADERS, "职务"]
    write_rows(tmp_path / "r.xlsx", headers, [[*(person(1)[h] for h in HEADERS), "支部书记"]])
    report = read(tmp_path / "r.xlsx")
    assert only(report.members).member.post == "科员"
    assert any(i.column == "O" and "重复" in i.message for i in report.infos)


def test_blank_template_and_footer_rows_are_skipped(tmp_path: Path) -> None:
    people = [
        person(1),
        {},
        person(2),
        {"序号": 9},
        person(3),
        {"序号": "合计", "姓名": "", "备注": "3人"},
        {"序号": "填表人：王五", "入党日期": "审核人：赵六"},
    ]
    report = read(write(tmp_path / "r.xlsx", people))
    assert report.ok, [str(e) for e in report.errors]
    assert report.rows_read == 3
    assert [m.row for m in report.members] == [3, 5, 7]


# ------------------------------------------------------------------ values


@pytest.mark.parametrize(
    "value",
    [
        dt.date(2019, 7, 1),
        dt.datetime(2019, 7, 1),
        "2019-07-01",
        "2019.07.01",
        "2019/7/1",
        "2019年7月1日",
        "20190701",
        " 2019 年 7 月 1 日 ",
    ],
)
def test_join_date_formats(tmp_path: Path, value: object) -> None:
    report = read(write(tmp_path / "r.xlsx", [person(1, 入党日期=value, 转正日期=None)]))
    assert only(report.members).member.join_date == dt.date(2019, 7, 1)


@pytest.mark.parametrize("value", ["1980.06", "1980年6月", "1980-6", dt.date(1980, 6, 1)])
def test_birth_month_only_without_id(tmp_path: Path, value: object) -> None:
    report = read(write(tmp_path / "r.xlsx", [person(1, 出生日期=value, 公民身份号码="")]))
    assert only(report.members).member.birth_date == dt.date(1980, 6, 1)


def test_birth_month_only_takes_day_from_id(tmp_path: Path) -> None:
    report = read(write(tmp_path / "r.xlsx", [person(1, 出生日期="1980年5月")]))
    assert only(report.members).member.birth_date == dt.date(1980, 5, 18)
    assert report.warnings == []


def test_birth_month_only_differing_from_id_warns(tmp_path: Path) -> None:
    report = read(write(tmp_path / "r.xlsx", [person(1, 出生日期="1980.06")]))
    assert report.ok
    issue = only(report.warnings)
    assert (issue.row, issue.column, issue.field) == (3, "F", "出生日期")


def test_numeric_birth_month_cells(tmp_path: Path) -> None:
    people = [
        person(1, 出生日期=1980.05, 公民身份号码=""),
        person(2, 出生日期=1980.12, 公民身份号码=""),
        person(3, 出生日期=1980.1, 公民身份号码=""),
        person(4, 出生日期=1980.1, 公民身份号码=""),
    ]
    path = write(tmp_path / "r.xlsx", people)
    wb = load_workbook(path)
    wb.active["F6"].number_format = "0.00"  # Excel shows 1980.10: October
    wb.save(path)
    report = read(path)
    births = {m.row: m.member.birth_date for m in report.members}
    assert births == {3: dt.date(1980, 5, 1), 4: dt.date(1980, 12, 1), 6: dt.date(1980, 10, 1)}
    issue = only(report.errors)  # 1980.1 in General format: January or October?
    assert (issue.row, issue.column) == (5, "F") and "分不清" in issue.message


def test_gender_and_birth_filled_from_id(tmp_path: Path) -> None:
    report = read(write(tmp_path / "r.xlsx", [person(2, 性别="", 出生日期="")]))
    member = only(report.members).member
    assert (member.gender, member.birth_date) == ("女", dt.date(1980, 5, 19))
    assert report.ok and report.warnings == []
    assert {i.field for i in report.infos} == {"性别", "出生日期"}


def test_lower_case_x_is_normalised(tmp_path: Path) -> None:
    birth = dt.date(1985, 3, 3)
    number = next(n for s in range(500) if (n := make_id("110101", birth, s, True)).endswith("X"))
    report = read(
        write(tmp_path / "r.xlsx", [person(1, 公民身份号码=number.lower(), 出生日期=birth)])
    )
    assert only(report.members).member.id_number == number


def test_merged_group_cells_apply_to_every_row(tmp_path: Path) -> None:
    people = [person(i, 党小组=None) for i in range(1, 6)]
    people[0]["党小组"], people[3]["党小组"] = "第一党小组", "第二党小组"
    path = write(tmp_path / "r.xlsx", people)
    wb = load_workbook(path)
    wb.active.merge_cells("M3:M5")
    wb.active.merge_cells("M6:M7")
    wb.save(path)
    report = read(path)
    assert report.ok
    assert [m.member.group_name for m in report.members] == ["第一党小组"] * 3 + ["第二党小组"] * 2


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("王　芳", "王芳"),
        (" 李 四 ", "李四"),
        ("阿依古丽·买买提", "阿依古丽·买买提"),
        ("阿依古丽・买买提", "阿依古丽·买买提"),
    ],
)
def test_names(tmp_path: Path, raw: str, expected: str) -> None:
    report = read(write(tmp_path / "r.xlsx", [person(1, 姓名=raw)]))
    assert only(report.members).member.name == expected


# ------------------------------------------------------------------ errors


_GOOD = str(person(2)["公民身份号码"])
_BAD_CHECK = _GOOD[:17] + ("0" if _GOOD[17] != "0" else "1")
_ERROR_CASES = {
    "no name": ({"姓名": "　"}, "姓名", "姓名为空"),
    "bad join date": ({"入党日期": "2019.13.01"}, "入党日期", "“2019.13.01”不是有效日期"),
    "bad birth date": ({"出生日期": "1980.13"}, "出生日期", "不是有效日期"),
    "bad full date": ({"转正日期": "去年"}, "转正日期", "不是有效日期"),
    "join without day": ({"入党日期": "2005.07"}, "入党日期", "缺少日"),
    "bad checksum": ({"公民身份号码": _BAD_CHECK}, "公民身份号码", "校验位错误"),
    "bad length": ({"公民身份号码": "11010119800519000"}, "公民身份号码", "应为18位"),
    "under 18 by birth column": (
        {
            "公民身份号码": "",
            "出生日期": "1990-01-02",
            "入党日期": "2008-01-01",
            "转正日期": "2009-01-01",
        },
        "入党日期",
        "入党时未满18周岁",
    ),
    "under 18 by ID": (
        {"出生日期": None, "入党日期": "1998-05-18", "转正日期": None},
        "入党日期",
        "身份证号中的出生日期",
    ),
    "full before join": ({"转正日期": "2005-06-30"}, "转正日期", "早于入党日期"),
    "unknown category": ({"人员类别": "发展对象"}, "人员类别", "不是有效人员类别"),
    "empty category": ({"人员类别": "", "转正日期": None}, "人员类别", "人员类别未填"),
    "bad gender": ({"性别": "M"}, "性别", "不是有效性别"),
    "numeric ID (float)": (
        {"公民身份号码": 1.10101198005190e17},
        "公民身份号码",
        "身份证号被 Excel 存成了数字，请将该列设为文本后重新填写",
    ),
    "numeric ID (int)": (
        {"公民身份号码": 110101198005190000},
        "公民身份号码",
        "身份证号被 Excel 存成了数字",
    ),
    "ID shown as 1.1E+17": (
        {"公民身份号码": "1.10101E+17"},
        "公民身份号码",
        "身份证号被 Excel 存成了数字",
    ),
}


@pytest.mark.parametrize("case", list(_ERROR_CASES))
def test_each_error_is_placed_and_blocks(tmp_path: Path, case: str) -> None:
    override, header, message = _ERROR_CASES[case]
    report = read(write(tmp_path / "r.xlsx", [person(1), person(2, **override), person(3)]))
    issue = only(report.errors)
    assert (issue.row, issue.column, issue.field) == (4, COL[header], header)
    assert message in issue.message
    assert str(issue).startswith(f"第4行 {COL[header]}列 {header}：")
    assert not report.ok
    assert [m.row for m in report.members] == [3, 5]  # the good rows are still listed


def test_bad_date_message_names_row_column_and_field(tmp_path: Path) -> None:
    people = [person(i) for i in range(1, 10)] + [person(10, 入党日期="2019.13.01")]
    report = read(write(tmp_path / "r.xlsx", people))
    assert str(only(report.errors)) == "第12行 I列 入党日期：“2019.13.01”不是有效日期"


def test_joining_on_18th_birthday_is_fine(tmp_path: Path) -> None:
    report = read(
        write(
            tmp_path / "r.xlsx",
            [
                person(
                    1, 公民身份号码="", 出生日期="1990-01-02", 入党日期="2008-01-02", 转正日期=None
                )
            ],
        )
    )
    assert report.ok, [str(e) for e in report.errors]


def test_duplicate_id_in_file_names_both_rows(tmp_path: Path) -> None:
    twin = person(1)
    number = str(twin["公民身份号码"])
    same = person(
        3, 姓名="重名", 公民身份号码=number.lower(), 性别=twin["性别"], 出生日期=twin["出生日期"]
    )
    report = read(write(tmp_path / "r.xlsx", [twin, person(2), same]))
    issue = only(report.errors)
    assert (issue.row, issue.column) == (5, "D")
    assert "第3行" in issue.message and "张三" in issue.message
    assert [m.row for m in report.members] == [3, 4]


def test_id_already_in_book(tmp_path: Path) -> None:
    number = str(person(2)["公民身份号码"])
    report = read(
        write(tmp_path / "r.xlsx", [person(1), person(2), person(3)]),
        existing_ids={number.lower(): "赵六"},
    )
    issue = only(report.errors)
    assert (issue.row, issue.column, issue.field) == (4, "D", "公民身份号码")
    assert "赵六" in issue.message


# ------------------------------------------------------------------ warnings


_WARNING_CASES = {
    "birth differs from ID": ({"出生日期": "1980-05-20"}, "出生日期", "不一致"),
    "sex differs from ID": ({"性别": "男"}, "性别", "不一致"),  # person(2) is 女
    "no ID": ({"公民身份号码": None}, "公民身份号码", "未填写身份证号"),
    "probation overdue": (
        {"人员类别": "预备党员", "入党日期": "2024-06-29", "转正日期": None},
        "人员类别",
        "预备期可能已到期",
    ),
    "probationary but confirmed": (
        {"人员类别": "预备党员", "转正日期": "2025-06-01", "入党日期": "2024-06-01"},
        "人员类别",
        "转正日期",
    ),
    "join in future": ({"入党日期": "2025-07-01", "转正日期": None}, "入党日期", "晚于今天"),
}


@pytest.mark.parametrize("case", list(_WARNING_CASES))
def test_warnings_do_not_block(tmp_path: Path, case: str) -> None:
    override, header, message = _WARNING_CASES[case]
    report = read(write(tmp_path / "r.xlsx", [person(1), person(2, **override), person(3)]))
    assert report.ok, [str(e) for e in report.errors]
    assert [m.row for m in report.members] == [3, 4, 5]
    issue = only(report.warnings)
    assert (issue.row, issue.column, issue.field) == (4, COL[header], header)
    assert message in issue.message


def test_no_warning_for_full_member_without_full_date_or_recent_probation(tmp_path: Path) -> None:
    people = [
        person(1, 转正日期=None),
        person(2, 人员类别="预备", 入党日期="2024-07-01", 转正日期=None),
    ]
    report = read(write(tmp_path / "r.xlsx", people))
    assert report.ok and report.warnings == []
    assert [m.member.category for m in report.members] == [Category.FULL, Category.PROBATIONARY]


def test_category_inferred_from_full_date(tmp_path: Path) -> None:
    report = read(write(tmp_path / "r.xlsx", [person(1, 人员类别=None)]))
    assert only(report.members).member.category == Category.FULL
    assert only(report.infos).field == "人员类别"


def test_differing_branch_is_warned_once(tmp_path: Path) -> None:
    headers = [*HEADERS, "所在党支部"]
    branches = ["一支部", "一支部", "二支部", "二支部"]
    rows = [[*(person(i + 1)[h] for h in HEADERS), b] for i, b in enumerate(branches)]
    write_rows(tmp_path / "r.xlsx", headers, rows)
    report = read(tmp_path / "r.xlsx")
    assert report.ok
    assert report.branch_names == ("一支部", "二支部")
    issue = only(report.warnings)
    assert (issue.row, issue.column) == (4, "O") and "第2行" in issue.message  # no title row


def test_summary_counts(tmp_path: Path) -> None:
    people = [person(1), person(2, 性别="X"), person(3, 公民身份号码=None), person(4)]
    report = read(write(tmp_path / "r.xlsx", people))
    assert report.summary() == "共读取 4 行：可导入 3 人，错误 1 处，提示 1 处"


def test_issue_str() -> None:
    assert str(Issue(12, "F", "入党日期", "不对")) == "第12行 F列 入党日期：不对"
    assert str(Issue(12, "", "人员类别", "未填")) == "第12行 人员类别：未填"


# ------------------------------------------------------------------ bad files


def test_not_an_xlsx(tmp_path: Path) -> None:
    (tmp_path / "a.xlsx").write_text("姓名,性别\n张三,男\n", encoding="utf-8")
    with pytest.raises(RosterFormatError, match="不是 Excel"):
        read(tmp_path / "a.xlsx")


def test_old_xls_or_encrypted(tmp_path: Path) -> None:
    (tmp_path / "a.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    with pytest.raises(RosterFormatError, match="旧版 .xls"):
        read(tmp_path / "a.xls")


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "a.xlsx", "w") as z:
        z.writestr("word/document.xml", "<w/>")
    with pytest.raises(RosterFormatError, match="不是有效的"):
        read(tmp_path / "a.xlsx")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RosterFormatError, match="无法读取"):
        read(tmp_path / "nope.xlsx")


def test_no_recognisable_header(tmp_path: Path) -> None:
    write_rows(tmp_path / "a.xlsx", ["名字", "性别", "电话"], [["张三", "男", "1"]])
    with pytest.raises(RosterFormatError) as info:
        read(tmp_path / "a.xlsx")
    assert "姓名" in str(info.value) and "入党日期" in str(info.value)


# ------------------------------------------------------------------ export and round trip


def _members() -> list[Member]:
    one = parse_id(str(person(1)["公民身份号码"]))
    return [
        Member(
            name="张三",
            gender=one.gender,
            ethnicity="汉族",
            birth_date=one.birth_date,
            id_number=one.number,
            education="大学本科",
            category=Category.FULL,
            join_date=dt.date(2005, 7, 1),
            full_date=dt.date(2006, 7, 1),
            post="科员",
            phone="010-12345678",
            group_name="第一党小组",
            notes="=1+1",
        ),
        Member(
            name="阿依古丽·买买提",
            gender="女",
            ethnicity="维吾尔族",
            birth_date=dt.date(1999, 2, 1),
            category=Category.PROBATIONARY,
            join_date=dt.date(2025, 1, 5),
            post="0123",
            phone="13800138000",
        ),
        Member(name="王芳"),  # only a name
    ]


def test_export_layout(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    write_roster(path, _members(), title="某某党支部党员名册")
    ws = load_workbook(path).active
    assert ws["A1"].value == "某某党支部党员名册" and ws["A1"].font.b
    assert "A1:R1" in {str(r) for r in ws.merged_cells.ranges}
    assert [c.value for c in ws[2]] == list(EXPORT_HEADERS)
    assert ws.freeze_panes == "C3"
    id_cell, date_cell = ws["E3"], ws["I3"]
    assert id_cell.data_type == "s" and id_cell.number_format == "@"
    assert id_cell.value == _members()[0].id_number
    assert date_cell.is_date and date_cell.number_format == "yyyy-mm-dd"
    assert ws["N3"].data_type == "s" and ws["N3"].value == "=1+1"  # not a formula
    assert ws["A5"].value == 3 and ws["H5"].value == "正式党员"
    assert ws.column_dimensions["E"].width >= 20


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    write_roster(path, _members(), title="某某党支部党员名册")
    report = read(path)
    assert report.header_row == 2
    assert report.ok, [str(e) for e in report.errors]
    assert [m.member for m in report.members] == _members()


_CJK = "张王李赵刘陈杨黄吴周徐孙马朱胡郭何高林罗伟芳娜敏静丽强磊军洋勇艳杰"
_TEXT = st.text(alphabet=_CJK + "abcXYZ0123456789-=+/（）·，。 ", max_size=12).map(str.strip)


@st.composite
def members(draw: st.DrawFn) -> Member:
    name = draw(st.text(alphabet=_CJK, min_size=1, max_size=4))
    if draw(st.booleans()):
        name += "·" + draw(st.text(alphabet=_CJK, min_size=1, max_size=4))
    birth = draw(st.dates(dt.date(1925, 1, 1), dt.date(2005, 12, 31)))
    id_number = ""
    gender = draw(st.sampled_from(["男", "女", ""]))
    if draw(st.booleans()):
        first17 = draw(st.sampled_from(["110101", "650102", "440305"])) + f"{birth:%Y%m%d}"
        first17 += f"{draw(st.integers(0, 999)):03d}"
        id_number = first17 + check_digit(first17)
        gender = "男" if int(first17[16]) % 2 else "女"
    elif draw(st.booleans()):
        birth = None  # type: ignore[assignment]
    join = None
    if birth is not None and draw(st.booleans()):
        join = draw(st.dates(birth.replace(year=birth.year + 19, day=1), TODAY))
    elif birth is None and draw(st.booleans()):
        join = draw(st.dates(dt.date(1950, 1, 1), TODAY))
    category = draw(st.sampled_from(Category))
    full = None
    if (
        join is not None
        and category == Category.FULL
        and add_years(join, 1) <= TODAY
        and draw(st.booleans())
    ):
        full = draw(st.dates(add_years(join, 1), TODAY))  # after the year of 预备期
    return Member(
        name=name,
        gender=gender,
        ethnicity=draw(st.sampled_from(["汉族", "回族", ""])),
        birth_date=birth,
        id_number=id_number,
        education=draw(st.sampled_from(("", *EDUCATION_LEVELS))),
        category=category,
        join_date=join,
        full_date=full,
        post=draw(_TEXT),
        phone=draw(_TEXT),
        group_name=draw(_TEXT),
        notes=draw(_TEXT),
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(members(), min_size=1, max_size=6, unique_by=lambda m: m.id_number or id(m)))
def test_round_trip_property(people: list[Member]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "out.xlsx"
        write_roster(path, people, title="测试党支部党员名册")
        report = read(path)
    assert report.ok, [str(e) for e in report.errors]
    assert [m.member for m in report.members] == people


# ------------------------------------------------------------------ realistic volume


def test_sample_rows_import_cleanly(tmp_path: Path) -> None:
    rows = make_sample_rows(300, seed=7)
    path = tmp_path / "sample.xlsx"
    write_rows(path, SAMPLE_HEADERS, rows, title_rows=(f"{SAMPLE_BRANCH}党员名册",))
    report = read_roster(path, today=SAMPLE_TODAY)
    assert report.ok, [str(e) for e in report.errors[:5]]
    assert report.warnings == []
    assert len(report.members) == 300
    assert {m.member.group_name for m in report.members} == set(SAMPLE_GROUPS)
    assert len({m.member.id_number for m in report.members}) == 300
    assert report.branch_names == (SAMPLE_BRANCH,)
    assert sum(m.member.category == Category.PROBATIONARY for m in report.members) > 10


def test_groups_the_import_would_create_are_warned_once_each(tmp_path: Path) -> None:
    path = write(
        tmp_path / "g.xlsx",
        [
            person(1, 党小组="第一党小组"),
            person(2, 党小组="第四党小组"),
            person(3, 党小组="第四党小组"),
        ],
    )
    report = read(path, existing_groups=["第一党小组", "第二党小组"])
    assert report.ok and report.new_groups == ("第四党小组",)
    [warning] = [w for w in report.warnings if "第四党小组" in w.message]
    assert warning.row == 4 and warning.field == "党小组"
    assert "将新建" in warning.message and "共2人" in warning.message
    assert "第一党小组、第二党小组" in warning.message
    # Without the book's groups (a plain check of the file) nothing is said.
    assert read(path).new_groups == ()


def test_full_date_before_the_year_of_probation_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "p.xlsx", [person(1, 入党日期="2020-07-01", 转正日期="2021-01-01")])
    issue = only(read(path).errors)
    assert issue.field == "转正日期"
    assert issue.message == "转正日期2021年1月1日早于预备期届满日2021年7月1日（预备期一年）"


def test_probationary_with_a_past_full_date_imports_as_full(tmp_path: Path, book) -> None:
    """The report said 提示, so the import must also succeed: 人员类别 follows the 转正日期."""
    row = person(1, 人员类别="预备党员", 入党日期="2024-06-01", 转正日期="2025-06-01")
    report = read(write(tmp_path / "c.xlsx", [row]))
    assert report.ok
    [item] = report.members
    assert item.member.category == Category.FULL
    book.roster.add_many([item.member], today=TODAY)
    assert book.roster.members()[0].category == Category.FULL
