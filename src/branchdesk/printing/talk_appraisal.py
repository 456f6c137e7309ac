"""民主评议党员 forms: the anonymous 测评表 (N copies), the 民主评议党员结果汇总表, and the
组织生活会 整改清单 — GB/T 9704 page geometry, tables at 小四/4号."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.platypus import Flowable

from branchdesk.domain.dates import format_cn
from branchdesk.printing.blocks import (
    META_STYLE,
    Column,
    ruled_table,
    signature_lines,
    table_styles,
    title_block,
    widen_for,
)
from branchdesk.printing.document import build_pdf
from branchdesk.printing.fonts import FontSet, resolve_fonts
from branchdesk.printing.page import LINE_PITCH, MM, TABLE_SIZE, TABLE_SIZE_LARGE, text_block
from branchdesk.printing.text import Typesetter

BALLOT_COLUMNS = (
    Column("序号", wrap=False),
    Column("姓名", min_chars=4, shrink=0.6),
    Column("优秀", wrap=False),
    Column("合格", wrap=False),
    Column("基本合格", wrap=False),
    Column("不合格", wrap=False),
    Column("存在问题", min_chars=6),
)
BALLOT_SHARES = (0.08, 0.16, 0.1, 0.1, 0.16, 0.12, 0.28)
BALLOT_ROW = 9 * MM
NOTE_STYLE = META_STYLE.but(size=TABLE_SIZE, leading=1.45 * TABLE_SIZE)


def ballot_title(year: int) -> str:
    return f"{year}年度民主评议党员测评表"


def ballot_pdf(
    branch: str,
    year: int,
    names: Sequence[str],
    *,
    copies: int = 1,
    share_text: str = "三分之一",
    fonts: FontSet | None = None,
) -> bytes:
    """The anonymous 测评表: every rated member (``names``, already in 姓氏笔画 order) with
    the four choices and a 存在问题 column; ``copies`` copies, each starting on its own
    page with its own page numbers. One copy is typeset and its pages repeated."""
    if copies < 1:
        raise ValueError("份数至少为 1")
    ts = Typesetter(fonts or resolve_fonts())
    width = text_block(1).width
    header, body = table_styles(TABLE_SIZE_LARGE)
    rows = [[str(n), name, "", "", "", "", ""] for n, name in enumerate(names, 1)]
    title = ballot_title(year)
    story: list[Flowable] = [
        title_block(ts, title, space_after=0.3 * LINE_PITCH, snap=0),
        ts.para(f"党支部：{branch}\u3000\u3000参评党员 {len(names)} 人", META_STYLE, field="表头"),
        ts.para(
            "填表说明：请在每名党员对应的等次栏内划“√”，每人只选一个等次；"
            f"评为“优秀”的一般不超过参评党员的{share_text}；本表不记名。",
            NOTE_STYLE.but(space_after=0.3 * LINE_PITCH),
            field="填表说明",
        ),
        ruled_table(
            ts,
            BALLOT_COLUMNS,
            rows,
            width=width,
            # a long name widens 姓名 from 存在问题 (which keeps 16 % of the block)
            widths=widen_for(ts, [s * width for s in BALLOT_SHARES], 1, list(names), body,
                             donor=6, most=0.12 * width),  # fmt: skip
            records=list(names),
            header_style=header,
            body_style=body,
            min_row_height=BALLOT_ROW,
        ),
    ]
    one = build_pdf(story, ts, title=title, author=branch, subject="不记名测评表")
    return one if copies == 1 else repeat_pages(one, copies)


def repeat_pages(pdf: bytes, copies: int) -> bytes:
    """``copies`` copies of a document, one after the other (fonts embedded once per copy)."""
    import pypdfium2 as pdfium

    from branchdesk.printing.pdfinfo import PDFIUM_LOCK

    with PDFIUM_LOCK:
        return _repeat(pdfium, pdf, copies)


def _repeat(pdfium: Any, pdf: bytes, copies: int) -> bytes:
    src = pdfium.PdfDocument(pdf)
    out = pdfium.PdfDocument.new()
    try:
        for _ in range(copies):
            out.import_pages(src)
        buf = io.BytesIO()
        out.save(buf)
        return buf.getvalue()
    finally:
        out.close()
        src.close()


@dataclass(frozen=True)
class ResultLine:
    name: str
    excellent: int
    qualified: int
    basic: int
    unqualified: int
    proposed: str
    final: str
    note: str  # 备注: 预备党员, a handling, an exclusion …
    rated: bool = True  # unrated (预备党员, listed apart): no tallies printed


RESULT_COLUMNS = (
    Column("序号", wrap=False),
    Column("姓名", min_chars=4, shrink=0.6),
    Column("优秀", wrap=False),
    Column("合格", wrap=False),
    Column("基本合格", wrap=False),
    Column("不合格", wrap=False),
    Column("支委会意见", wrap=False),
    Column("评议等次", wrap=False),
    Column("备注", align="left", min_chars=6),
)


def result_rows(lines: Sequence[ResultLine]) -> list[list[str]]:
    """The rows of the 结果汇总表 (its Word copy has the same)."""
    rows = []
    for n, x in enumerate(lines, 1):
        counts = (x.excellent, x.qualified, x.basic, x.unqualified)
        shown = [str(c) for c in counts] if x.rated else ["—"] * 4
        rows.append([str(n), x.name, *shown, x.proposed, x.final, x.note])
    return rows


def result_pdf(
    branch: str,
    year: int,
    lines: Sequence[ResultLine],
    *,
    day: dt.date | None = None,
    issued: int = 0,
    returned: int = 0,
    summary: str = "",
    fonts: FontSet | None = None,
) -> bytes:
    """民主评议党员结果汇总表 (姓名, the four tallies, 支委会意见, 评议等次, 备注), landscape."""
    ts = Typesetter(fonts or resolve_fonts())
    width = text_block(1, "landscape").width
    header, body = table_styles(TABLE_SIZE)
    rows = result_rows(lines)
    title = f"{year}年度民主评议党员结果汇总表"
    when = f"\u3000\u3000评议日期：{format_cn(day)}" if day else ""
    story: list[Flowable] = [
        title_block(ts, title, space_after=0.3 * LINE_PITCH, snap=0),
        ts.para(f"党支部：{branch}{when}", META_STYLE, field="表头"),
        ts.para(f"发出测评表 {issued} 张，收回 {returned} 张", META_STYLE, field="表头"),
        ruled_table(
            ts,
            RESULT_COLUMNS,
            rows,
            width=width,
            records=[x.name for x in lines],
            header_style=header,
            body_style=body,
        ),  # fmt: skip
    ]
    if summary:
        story.append(ts.para(summary, NOTE_STYLE.but(space_before=0.3 * LINE_PITCH), field="统计"))
    story.append(signature_lines(ts, ("支部书记签字", "日期"), width=width))
    return build_pdf(
        story, ts, orientation="landscape", title=title, author=branch, subject=f"{year}年度"
    )


@dataclass(frozen=True)
class RectificationLine:
    problem: str
    measures: str
    owner: str
    due: dt.date | None
    status: str
    completion: str


RECTIFY_COLUMNS = (
    Column("序号", wrap=False),
    Column("存在问题", align="left", min_chars=6),
    Column("整改措施", align="left", min_chars=8),
    Column("责任人", min_chars=3),
    Column("完成时限", wrap=False),
    Column("状态", wrap=False),
    Column("完成情况", align="left", min_chars=6),
)


def rectification_rows(lines: Sequence[RectificationLine]) -> list[list[str]]:
    """The rows of the 整改清单 (its Word copy has the same)."""
    return [
        [str(n), x.problem, x.measures, x.owner, format_cn(x.due) if x.due else "", x.status,
         x.completion]
        for n, x in enumerate(lines, 1)
    ]  # fmt: skip


def rectification_pdf(
    branch: str, year: int, lines: Sequence[RectificationLine], *, fonts: FontSet | None = None
) -> bytes:
    """The 组织生活会 整改清单 of ``year``, landscape."""
    ts = Typesetter(fonts or resolve_fonts())
    width = text_block(1, "landscape").width
    header, body = table_styles(TABLE_SIZE)
    rows = rectification_rows(lines)
    title = f"{year}年度组织生活会整改清单"
    story: list[Flowable] = [
        title_block(ts, title, space_after=0.3 * LINE_PITCH, snap=0),
        ts.para(f"党支部：{branch}\u3000\u3000共 {len(lines)} 项", META_STYLE, field="表头"),
        ruled_table(
            ts, RECTIFY_COLUMNS, rows, width=width, header_style=header, body_style=body
        ),  # fmt: skip
    ]
    return build_pdf(
        story, ts, orientation="landscape", title=title, author=branch, subject=f"{year}年度"
    )
