"""党员积分登记卡: one member's year — every entry with date, item, points, reason and the
running total, a subtotal line after each scoring period (a quarter, or the year), and the
lines for 本人确认 and 支部审核."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from branchdesk.domain.branch import Branch
from branchdesk.printing.blocks import (
    Column,
    label_value_grid,
    ruled_table,
    signature_lines,
    table_styles,
    title_block,
)
from branchdesk.printing.document import build_pdf
from branchdesk.printing.fonts import FontSet, resolve_fonts
from branchdesk.printing.page import LINE_PITCH, TABLE_SIZE, text_block
from branchdesk.printing.text import Typesetter

COLUMNS = (
    Column("日期", wrap=False),
    Column("项目", min_chars=7),
    Column("分值", wrap=False),
    Column("原因", align="left", fill=3.0),
    Column("累计", wrap=False),
)


@dataclass(frozen=True)
class CardEntry:
    date: str  # "2026-07-10"
    item: str
    points: str
    reason: str
    running: str


@dataclass(frozen=True)
class CardPeriod:
    """One scoring period of the card: its entries and the subtotal line under them."""

    label: str  # "第三季度" / "全年"
    entries: tuple[CardEntry, ...]
    subtotal: str  # "基础分 80，加分 2，扣分 -0.5，良好"
    total: str  # "81.5"


def card_pdf(
    branch: Branch,
    year: int,
    name: str,
    facts: Sequence[tuple[str, str]],
    periods: Sequence[CardPeriod],
    *,
    result: str = "",
    fonts: FontSet | None = None,
) -> bytes:
    """``facts`` are label–value pairs under the title (党小组, 人员类别 …); ``result`` the
    year's result line."""
    ts = Typesetter(fonts or resolve_fonts())
    width = text_block(1, "portrait").width
    rows: list[list[str]] = []
    for p in periods:
        for e in p.entries:
            rows.append([e.date, e.item, e.points, e.reason, e.running])
        rows.append(["", f"{p.label}小计", "", p.subtotal, p.total])
    if not any(p.entries for p in periods):
        rows.append(["", "本年度无积分明细", "", "", ""])
    header, body = table_styles(TABLE_SIZE)
    heading = f"{branch.name}党员积分登记卡（{year}年度）"
    story = [
        title_block(ts, f"{branch.name}\n党员积分登记卡（{year}年度）",
                    space_after=0.5 * LINE_PITCH, snap=0),
        label_value_grid(ts, [("姓名", name), *facts], width=width, columns=2, record=name),
        ruled_table(
            ts,
            COLUMNS,
            rows,
            width=width,
            records=[name] * len(rows),
            header_style=header,
            body_style=body,
        ),
    ]
    if result:
        story.append(
            label_value_grid(ts, [("年度结果", result)], width=width, columns=1, record=name)
        )
    story.append(signature_lines(ts, ("本人确认", "日期", "支部审核", "日期"), width=width))
    return build_pdf(story, ts, title=heading, author=branch.name, subject=name)
