"""党员花名册: the roll of the branch on a date, as a ruled table.

Portrait if the columns fit the 156 mm block at 小四, else landscape (225 mm across); which
is measured from the content, not assumed. Columns that hold words (姓名, 民族, 学历, 人员类别,
党小组, 工作岗位) may wrap; dates, numbers and 公民身份号码 never do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from branchdesk.domain.branch import Branch
from branchdesk.domain.dates import format_cn, format_cn_month
from branchdesk.domain.idcard import IdNumberError, parse_id
from branchdesk.domain.members import Category, Member, RosterEntry, roster_on
from branchdesk.domain.strokes import sort_by_strokes, stroke_key
from branchdesk.printing.blocks import (
    ArchiveStamp,
    Column,
    cell_widths,
    column_minimums,
    fit_widths,
    ruled_table,
    shrink_minimums,
    table_styles,
    title_block,
    two_sided_line,
    wrapped_rows,
)
from branchdesk.printing.document import build_pdf
from branchdesk.printing.fonts import FontSet, resolve_fonts
from branchdesk.printing.page import TABLE_SIZE, TABLE_SIZE_SMALL, Orientation, text_block
from branchdesk.printing.text import TextStyle, Typesetter

RosterOrder = Literal["strokes", "joined"]
#: A layout is good enough when at most this share of rows needs a second line.
MAX_WRAPPED_SHARE = 0.1

COLUMNS = (
    Column("序号", wrap=False, fill=0.3),
    Column("姓名", min_chars=3, shrink=0.6),
    Column("性别", wrap=False, fill=0.3),
    Column("民族", min_chars=2),
    Column("出生年月", wrap=False, fill=0.5),
    Column("学历", min_chars=3),
    Column("入党时间", wrap=False, fill=0.5),
    Column("转正时间", wrap=False, fill=0.5),
    Column("人员类别", min_chars=2, fill=0.5),
    Column("党小组", min_chars=3),
    Column("工作岗位", align="left", min_chars=4, fill=1.5),
)
ID_COLUMN = Column("公民身份号码", wrap=False, fill=0.3)


def _birth(member: Member) -> dt.date | None:
    if member.birth_date is not None or not member.id_number:
        return member.birth_date
    try:
        return parse_id(member.id_number).birth_date
    except IdNumberError:
        return None


def ordered_entries(
    members: Sequence[Member], on: dt.date, order: RosterOrder = "strokes"
) -> list[RosterEntry]:
    """Who was on the roll on ``on``, in 姓氏笔画 order or by 入党日期 (then 姓氏笔画)."""
    entries = sort_by_strokes(roster_on(members, on), key=lambda e: e.member.name)
    if order == "joined":
        entries.sort(key=lambda e: (e.member.join_date or dt.date.max, stroke_key(e.member.name)))
    elif order != "strokes":
        raise ValueError(f"unknown order {order!r}: 'strokes' or 'joined'")
    return entries


DateStyle = Literal["cn", "dotted"]


def _date(day: dt.date | None, style: DateStyle, month_only: bool = False) -> str:
    """2025年12月1日 (GB/T 9704), or 2025.12.01 as 组织人事 forms write dates when short of room."""
    if day is None:
        return ""
    if style == "dotted":
        return f"{day:%Y.%m}" if month_only else f"{day:%Y.%m.%d}"
    return format_cn_month(day) if month_only else format_cn(day)


def roster_table_rows(
    entries: Sequence[RosterEntry], *, with_id: bool, dates: DateStyle = "cn"
) -> list[list[str]]:
    rows = []
    for n, e in enumerate(entries, 1):
        m = e.member
        row = [
            str(n),
            m.name,
            m.gender,
            m.ethnicity,
            _date(_birth(m), dates, month_only=True),
            m.education,
            _date(m.join_date, dates),
            _date(m.full_date, dates) if e.category == Category.FULL else "",
            e.category.value,
            m.group_name,
            m.post,
        ]
        if with_id:
            row.append(m.id_number)
        rows.append(row)
    return rows


@dataclass(frozen=True)
class TableLayout:
    orientation: Orientation
    header: TextStyle
    body: TextStyle
    rows: list[list[str]]
    widths: list[float]
    wrapped: int  # rows that need more than one line
    extra_lines: int  # lines they need beyond one each


#: Tried in order: (size, dates, orientation).
LAYOUTS: tuple[tuple[float, DateStyle, Orientation], ...] = (
    (TABLE_SIZE, "cn", "portrait"),
    (TABLE_SIZE, "cn", "landscape"),
    (TABLE_SIZE, "dotted", "landscape"),
    (TABLE_SIZE_SMALL, "dotted", "landscape"),
)


def choose_layout(
    ts: Typesetter, columns: Sequence[Column], entries: Sequence[RosterEntry], *, with_id: bool
) -> TableLayout:
    """The first of LAYOUTS in which at most a tenth of the rows need a second line; failing
    that, the one whose rows need the least extra height."""
    tried: list[TableLayout] = []
    for size, dates, orientation in LAYOUTS:
        header, body = table_styles(size)
        rows = roster_table_rows(entries, with_id=with_id, dates=dates)
        cells = cell_widths(ts, columns, rows, header, body)
        minimum = shrink_minimums(columns, cells, column_minimums(ts, columns, header, body))
        widths = fit_widths(cells, minimum, columns, text_block(1, orientation).width)
        # a name that shrinks to fit its cell does not wrap: count it at its smallest
        at_least = [
            [c[0], *(w * col.shrink for w in c[1:])] for c, col in zip(cells, columns, strict=True)
        ]
        layout = TableLayout(
            orientation, header, body, rows, widths, *wrapped_rows(at_least, widths)
        )
        if layout.wrapped <= MAX_WRAPPED_SHARE * len(rows):
            return layout
        tried.append(layout)
    return min(tried, key=lambda t: t.extra_lines * t.body.leading)


def roster_pdf(
    branch: Branch,
    members: Sequence[Member],
    *,
    on: dt.date,
    order: RosterOrder = "strokes",
    with_id: bool = False,
    fonts: FontSet | None = None,
    archive_stamp: ArchiveStamp | None = None,
) -> bytes:
    """The 党员花名册 of ``branch`` on ``on`` as PDF bytes.

    ``members`` may include people who had left or not yet joined on that date: only those on
    the roll then are printed (``roster_on``), with their 人员类别 as of that date (a 转正
    date after ``on`` prints as 预备党员, without 转正时间). Raises MissingGlyphError if a
    character has no glyph in any font of ``fonts``.
    """
    ts = Typesetter(fonts or resolve_fonts())
    entries = ordered_entries(members, on, order)
    columns = [*COLUMNS, ID_COLUMN] if with_id else list(COLUMNS)
    layout = choose_layout(ts, columns, entries, with_id=with_id)
    width = text_block(1, layout.orientation).width
    full = sum(1 for e in entries if e.category == Category.FULL)
    summary = f"共 {len(entries)} 名（正式党员 {full} 名，预备党员 {len(entries) - full} 名）"
    heading = f"{branch.name}党员花名册"
    story = [
        title_block(ts, heading),
        two_sided_line(ts, summary, f"截至{format_cn(on)}", width=width, fields=("人数", "日期")),
        ruled_table(
            ts,
            columns,
            layout.rows,
            width=width,
            widths=layout.widths,
            header_style=layout.header,
            body_style=layout.body,
            records=[f"序号{n} {e.member.name}" for n, e in enumerate(entries, 1)],
        ),
    ]
    return build_pdf(
        story,
        ts,
        orientation=layout.orientation,
        stamp=archive_stamp,
        title=heading,
        author=branch.name,
        subject=f"截至{format_cn(on)}",
    )
