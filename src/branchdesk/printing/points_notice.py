"""积分公示表 and the annual 积分汇总表.

The 公示 names the period in its title ("XX党支部2026年第三季度党员积分情况公示"), lists
序号/姓名/基础分/加分/扣分/总分/等次/备注 (名次 only when the branch ranks) in the order it
is given (姓氏笔画), states the 公示期 (at least seven days: a shorter one is refused before
anything is drawn), the 监督电话/联系人, and ends with the branch and the date.

Both tables run to dozens of pages in a big branch: they are ``long_ruled_table``s (the
same cells as ``ruled_table``, drawn a page at a time; see printing/ruled_rows.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from branchdesk.domain.branch import Branch
from branchdesk.domain.dates import format_cn
from branchdesk.domain.points import notice_period_problem
from branchdesk.printing.blocks import META_STYLE, Column, table_styles, title_block
from branchdesk.printing.document import build_pdf
from branchdesk.printing.fonts import FontSet, resolve_fonts
from branchdesk.printing.notice_form import Signoff
from branchdesk.printing.page import LINE_PITCH, TABLE_SIZE, TABLE_SIZE_LARGE, text_block
from branchdesk.printing.ruled_rows import long_ruled_table
from branchdesk.printing.text import BODY_STYLE, Typesetter


@dataclass(frozen=True)
class NoticeLine:
    """One member's line, points already written as the secretary reads them ("84.5")."""

    name: str
    base: str
    added: str
    deducted: str
    total: str
    band: str
    note: str = ""
    rank: str = ""


def notice_title(branch: Branch, period_label: str) -> str:
    return f"{branch.name}{period_label}党员积分情况公示"


def notice_pdf(
    branch: Branch,
    period_label: str,
    lines: Sequence[NoticeLine],
    date_from: dt.date,
    date_to: dt.date,
    *,
    contact: str = "",
    ranked: bool = False,
    fonts: FontSet | None = None,
) -> bytes:
    """The 公示 of one period. Raises ValueError when the 公示期 is shorter than seven days."""
    problem = notice_period_problem(date_from, date_to)
    if problem:
        raise ValueError(problem)
    ts = Typesetter(fonts or resolve_fonts())
    width = text_block(1, "portrait").width
    columns = [
        Column("序号", wrap=False),
        Column("姓名", min_chars=4),
        Column("基础分", wrap=False),
        Column("加分", wrap=False),
        Column("扣分", wrap=False),
        Column("总分", wrap=False),
        Column("等次", wrap=False),
        *((Column("名次", wrap=False),) if ranked else ()),
        Column("备注", align="left", fill=3.0),
    ]
    rows = [
        [
            str(n),
            x.name,
            x.base,
            x.added,
            x.deducted,
            x.total,
            x.band,
            *((x.rank,) if ranked else ()),
            x.note,
        ]
        for n, x in enumerate(lines, start=1)
    ]
    header, body = table_styles(TABLE_SIZE)
    heading = notice_title(branch, period_label)
    intro = (
        f"根据《{branch.name}党员积分管理实施细则》，现将{period_label}党员积分情况予以公示。"
        f"公示期为{format_cn(date_from)}至{format_cn(date_to)}。公示期间如有异议，"
        "请向党支部反映。"
    )
    meta = META_STYLE.but(space_before=0.5 * LINE_PITCH)
    left = BODY_STYLE.but(first_indent=0.0, align="left")
    # Branch name on its own line, so a line never breaks between "2026" and "年".
    story = [
        title_block(ts, f"{branch.name}\n{period_label}党员积分情况公示"),
        ts.para(intro, BODY_STYLE, field="说明"),
        long_ruled_table(
            ts,
            columns,
            rows,
            width=width,
            records=[x.name for x in lines],
            header_style=header,
            body_style=body,
        ),
        ts.para(f"监督电话/联系人：{contact or '　' * 8}", meta, field="监督电话"),
        # the 落款 as a notice has it (GB/T 9704 §7.3.5): the date 右空四字, the branch
        # centred on it
        Signoff(
            ts.para(branch.name, left, field="落款"),
            ts.para(format_cn(date_from), left, field="日期"),
        ),
    ]
    return build_pdf(story, ts, title=heading, author=branch.name, subject=period_label)


@dataclass(frozen=True)
class SummaryLine:
    name: str
    #: The quarters' totals (a quarterly scheme), else empty.
    quarters: tuple[str, ...]
    total: str
    band: str
    note: str = ""


def summary_pdf(
    branch: Branch,
    year: int,
    lines: Sequence[SummaryLine],
    *,
    quarterly: bool,
    footnote: str = "",
    fonts: FontSet | None = None,
) -> bytes:
    """Each member's quarters and the year's result (one column per quarter)."""
    ts = Typesetter(fonts or resolve_fonts())
    width = text_block(1, "portrait").width
    quarter_cols = [Column(f"{q}季度", wrap=False) for q in "一二三四"] if quarterly else []
    columns = [
        Column("序号", wrap=False),
        Column("姓名", min_chars=4),
        *quarter_cols,
        Column("年度积分", wrap=False),
        Column("等次", wrap=False),
        Column("备注", align="left", fill=3.0),
    ]
    rows = [
        [str(n), x.name, *(x.quarters if quarterly else ()), x.total, x.band, x.note]
        for n, x in enumerate(lines, start=1)
    ]
    header, body = table_styles(TABLE_SIZE)
    heading = f"{branch.name}{year}年度党员积分汇总表"
    story = [
        title_block(ts, f"{branch.name}\n{year}年度党员积分汇总表"),
        long_ruled_table(
            ts,
            columns,
            rows,
            width=width,
            records=[x.name for x in lines],
            header_style=header,
            body_style=body,
        ),
    ]
    if footnote:
        note_style = META_STYLE.but(size=TABLE_SIZE_LARGE, space_before=0.5 * LINE_PITCH)
        story.append(ts.para(footnote, note_style, field="说明"))
    return build_pdf(story, ts, title=heading, author=branch.name, subject=f"{year}年度")
