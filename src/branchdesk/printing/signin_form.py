"""签到表: the sign-in sheet of a meeting not yet held, signed on paper and filed with the
minutes.

Everyone who should attend (应到) on the meeting date is listed in 姓氏笔画 order with blank
签名 and 备注 cells tall enough to sign in by hand; the header row repeats on every page and
the sheet ends with 应到 N 人 / 实到 ___ 人.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from branchdesk.domain.branch import Branch
from branchdesk.domain.dates import format_cn
from branchdesk.domain.members import RosterEntry
from branchdesk.domain.strokes import sort_by_strokes
from branchdesk.printing.blocks import (
    META_STYLE,
    ArchiveStamp,
    Column,
    label_value_grid,
    ruled_table,
    table_styles,
    title_block,
    widen_for,
)
from branchdesk.printing.document import build_pdf
from branchdesk.printing.fonts import FontSet, resolve_fonts
from branchdesk.printing.page import LINE_PITCH, MM, TABLE_SIZE_LARGE, text_block
from branchdesk.printing.text import Typesetter

#: Rows must leave room for a handwritten signature.
ROW_HEIGHT = 12 * MM
WEEKDAYS = "一二三四五六日"
COLUMNS = (
    Column("序号", wrap=False),
    Column("姓名", min_chars=4, shrink=0.6),
    Column("人员类别", wrap=False),
    Column("签名"),
    Column("备注"),
)
#: Share of the block's width for each column (the blanks get the most).
SHARES = (0.09, 0.2, 0.17, 0.33, 0.21)
#: A long name (阿依古丽·买买提) may widen its column up to this share, taken from 签名.
NAME_SHARE_MAX = 0.3


def sheet_title(meeting: str) -> str:
    return meeting if meeting.endswith("签到表") else f"{meeting}签到表"


def signin_pdf(
    branch: Branch,
    title: str,
    day: dt.date,
    place: str,
    entries: Sequence[RosterEntry],
    *,
    time: str = "",
    fonts: FontSet | None = None,
    archive_stamp: ArchiveStamp | None = None,
) -> bytes:
    """The sign-in sheet of meeting ``title`` on ``day`` at ``place``.

    ``entries`` are those who should attend, normally ``roster_on(members, day)`` less anyone
    excused from 应到; they are printed in 姓氏笔画 order. ``time`` (e.g. "14:30") is added
    after the date when given. Raises MissingGlyphError if a character has no glyph in any
    font of ``fonts``.
    """
    ts = Typesetter(fonts or resolve_fonts())
    width = text_block(1, "portrait").width
    ordered = sort_by_strokes(entries, key=lambda e: e.member.name)
    when = f"{format_cn(day)}（星期{WEEKDAYS[day.weekday()]}）" + (f" {time}" if time else "")
    header, body = table_styles(TABLE_SIZE_LARGE)
    # 留党察看 members attend but have no vote: the sheet says so, as 预备党员 does.
    rows = [
        [str(n), e.member.name, e.category.value, "", "留党察看" if e.under_probation else ""]
        for n, e in enumerate(ordered, 1)
    ]
    heading = sheet_title(title)
    story = [
        title_block(ts, heading, space_after=0.5 * LINE_PITCH, snap=0),
        label_value_grid(
            ts, [("党支部", branch.name), ("时间", when), ("地点", place)], width=width, columns=2
        ),
        ruled_table(
            ts,
            COLUMNS,
            rows,
            width=width,
            widths=widen_for(ts, [s * width for s in SHARES], 1, [e.member.name for e in ordered],
                             body, donor=3, most=(NAME_SHARE_MAX - SHARES[1]) * width),  # fmt: skip
            records=[e.member.name for e in ordered],
            header_style=header,
            body_style=body,
            min_row_height=ROW_HEIGHT,
        ),
        ts.para(
            f"应到 {len(ordered)} 人\u3000\u3000实到 ______ 人",
            META_STYLE.but(space_before=0.5 * LINE_PITCH),
            field="合计",
        ),
    ]
    return build_pdf(
        story,
        ts,
        stamp=archive_stamp,
        title=heading,
        author=branch.name,
        subject=f"{format_cn(day)} {place}",
    )
