"""Realistic 党员名册 rows and a writer for them, for tests and benchmarks.

rows = make_sample_rows(5000, seed=1)
write_rows(path, SAMPLE_HEADERS, rows, title_rows=["某某党支部党员名册"])
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from branchdesk.domain.dates import add_years
from branchdesk.domain.idcard import check_digit
from branchdesk.domain.members import EDUCATION_LEVELS

#: Column order of the 全国党员管理信息系统 style export the samples follow.
SAMPLE_HEADERS = (
    "序号", "姓名", "性别", "公民身份号码", "民族", "出生日期", "学历", "人员类别",
    "所在党支部", "入党日期", "转正日期", "工作岗位", "联系电话", "党小组", "备注",
)  # fmt: skip
SAMPLE_BRANCH = "某某局机关第一党支部"
SAMPLE_GROUPS = ("第一党小组", "第二党小组", "第三党小组")
#: The day the samples are "as of": 预备党员 joined within the year before it.
SAMPLE_TODAY = dt.date(2025, 6, 30)

_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
_GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红文玉海燕晓东雪梅春"
_MINORITY = ("阿依古丽·买买提", "热依拉·艾力", "古丽娜尔·吐尔逊", "艾尔肯·阿不都")
_REGIONS = ("110101", "310104", "440305", "510107", "650102", "420106", "330106")
_POSTS = ("科员", "副科长", "科长", "工程师", "教师", "会计", "主任科员", "办事员", "技术员")


def make_id(region: str, birth: dt.date, seq: int, male: bool) -> str:
    """An 18-character number with a correct check digit; the 17th digit is odd for men."""
    first17 = f"{region}{birth:%Y%m%d}{(seq % 500) * 2 + (1 if male else 0):03d}"
    return first17 + check_digit(first17)


def make_sample_rows(n: int, seed: int = 0) -> list[list[object]]:
    """n rows in SAMPLE_HEADERS order: unique valid IDs, dates mixing cell types and
    text formats, about 10 % 预备党员, three 党小组, some minority names."""
    rng = random.Random(seed)
    rows: list[list[object]] = []
    seen: set[str] = set()
    date_styles = (
        lambda d: d,  # a real Excel date
        lambda d: dt.datetime(d.year, d.month, d.day),
        lambda d: f"{d:%Y-%m-%d}",
        lambda d: f"{d:%Y.%m.%d}",
        lambda d: f"{d.year}/{d.month}/{d.day}",
        lambda d: f"{d.year}年{d.month}月{d.day}日",
    )
    for i in range(1, n + 1):
        male = rng.random() < 0.55
        minority = rng.random() < 0.03
        if minority:
            name, ethnicity = rng.choice(_MINORITY), "维吾尔族"
        else:
            given = "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))
            name = rng.choice(_SURNAMES) + given
            ethnicity = rng.choices(("汉族", "回族", "满族", "蒙古族"), (90, 4, 3, 3))[0]
        probationary = rng.random() < 0.1
        if probationary:
            join = SAMPLE_TODAY - dt.timedelta(days=rng.randint(10, 330))
            birth = add_years(join, -rng.randint(19, 35)) - dt.timedelta(days=rng.randint(0, 360))
            full = None
        else:
            birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 50))
            earliest = add_years(birth, 18) + dt.timedelta(days=1)
            latest = SAMPLE_TODAY - dt.timedelta(days=400)
            join = earliest + dt.timedelta(days=rng.randint(0, max(0, (latest - earliest).days)))
            full = add_years(join, 1)
        while True:
            id_number = make_id(rng.choice(_REGIONS), birth, rng.randint(0, 499), male)
            if id_number not in seen:
                seen.add(id_number)
                break
        if rng.random() < 0.2 and id_number.endswith("X"):
            id_number = id_number[:-1] + "x"
        birth_cell: object = (
            f"{birth.year}.{birth.month:02d}"
            if rng.random() < 0.3
            else rng.choice(date_styles)(birth)
        )
        rows.append(
            [
                i,
                name if rng.random() > 0.05 or len(name) != 2 else f"{name[0]}　{name[1]}",
                "男" if male else "女",
                id_number,
                ethnicity,
                birth_cell,
                rng.choice(EDUCATION_LEVELS),
                "预备党员" if probationary else "正式党员",
                SAMPLE_BRANCH,
                rng.choice(date_styles)(join),
                rng.choice(date_styles)(full) if full else None,
                rng.choice(_POSTS),
                f"1{rng.choice('3589')}{rng.randint(0, 999_999_999):09d}",
                SAMPLE_GROUPS[(i - 1) * len(SAMPLE_GROUPS) // n],
                "" if rng.random() < 0.9 else "退休",
            ]
        )
    return rows


def write_rows(
    path: Path,
    headers: Sequence[object],
    rows: Iterable[Sequence[object]],
    *,
    title_rows: Sequence[str] = (),
    merge_title: bool = True,
) -> Worksheet:
    """Write title lines (merged across the header width), the header, then the rows.

    Strings are written as text cells, numbers and dates as such; returns the worksheet
    (already saved) so callers can add merges and save again.
    """
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    for r, text in enumerate(title_rows, start=1):
        ws.cell(r, 1, text)
        if merge_title and len(headers) > 1:
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(headers))
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return ws
