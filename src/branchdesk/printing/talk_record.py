"""谈心谈话记录表 (one talk per page, signed by 谈话人 and 谈话对象) and the year's
谈心谈话情况登记表 (a table of talks, without their contents), in GB/T 9704 geometry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.platypus import Flowable, PageBreak

from branchdesk.domain.dates import format_cn
from branchdesk.printing.blocks import (
    META_STYLE,
    Column,
    label_value_grid,
    ruled_table,
    signature_lines,
    table_styles,
    title_block,
)
from branchdesk.printing.document import build_pdf
from branchdesk.printing.fonts import HEI, FontSet, resolve_fonts
from branchdesk.printing.minutes_form import KeepTail, paragraphs_of
from branchdesk.printing.page import LINE_PITCH, TABLE_SIZE, TABLE_SIZE_LARGE, text_block
from branchdesk.printing.text import Typesetter

RECORD_TITLE = "谈心谈话记录表"
NOTE = "注：本表记录党组织谈心谈话，不是约谈、诫勉谈话。"
SECTION_STYLE = META_STYLE.but(role=HEI)
TEXT_STYLE = META_STYLE.but(first_indent=2 * TABLE_SIZE_LARGE)
NOTE_STYLE = META_STYLE.but(size=TABLE_SIZE, leading=1.4 * TABLE_SIZE)


@dataclass(frozen=True)
class TalkView:
    """One talk as printed: names already joined."""

    date: dt.date
    talkers: str
    others: str
    kind: str
    topic: str
    place: str = ""
    summary: str = ""
    views: str = ""
    follow_up: str = ""
    result: str = ""
    result_date: dt.date | None = None
    number: str = ""  # 编号 within the year, e.g. "2026-017"


def _record_story(ts: Typesetter, view: TalkView, branch: str) -> list[Flowable]:
    width = text_block(1).width
    record = view.number or format_cn(view.date)
    story: list[Flowable] = [
        title_block(ts, RECORD_TITLE, space_after=0.5 * LINE_PITCH, snap=0),
        label_value_grid(
            ts,
            [
                ("党支部", branch),
                ("编号", view.number),
                ("谈话时间", format_cn(view.date)),
                ("谈话地点", view.place),
                ("谈话人", view.talkers),
                ("谈话对象", view.others),
                ("谈话类型", view.kind),
                ("谈话主题", view.topic),
            ],
            width=width,
            columns=2,
            ruled=True,
            record=record,
        ),
    ]
    result = view.result
    if view.result_date is not None:
        result = (
            f"{result}（{format_cn(view.result_date)}）" if result else format_cn(view.result_date)
        )
    for n, (head, text) in enumerate(
        (
            ("谈话内容要点", view.summary),
            ("对方的意见和诉求", view.views),
            ("后续措施", view.follow_up),
            ("落实情况", result),
        )
    ):
        story.append(ts.para(f"{'一二三四'[n]}、{head}", SECTION_STYLE, field="标题"))
        lines = paragraphs_of(text) or ["（无）"]
        story += [ts.para(p, TEXT_STYLE, field=head, record=record) for p in lines]
    signatures = signature_lines(ts, ("谈话人签字", "谈话对象签字", "日期", "日期"), width=width)
    story[-1] = KeepTail(story[-1], signatures)
    story.append(ts.para(NOTE, NOTE_STYLE.but(space_before=0.5 * LINE_PITCH), field="说明"))
    return story


def talk_record_pdf(
    views: Sequence[TalkView], branch: str, *, fonts: FontSet | None = None
) -> bytes:
    """谈心谈话记录表: each talk starts on a page of its own."""
    ts = Typesetter(fonts or resolve_fonts())
    story: list[Flowable] = []
    for n, view in enumerate(views):
        if n:
            story.append(PageBreak())
        story += _record_story(ts, view, branch)
    first = views[0] if views else None
    return build_pdf(
        story,
        ts,
        title=RECORD_TITLE,
        author=branch,
        subject=f"谈心谈话记录（含谈话内容）{format_cn(first.date) if first else ''}",
    )


REGISTER_COLUMNS = (
    Column("序号", wrap=False),
    Column("谈话时间", wrap=False),
    Column("谈话人", min_chars=3),
    Column("谈话对象", min_chars=3),
    Column("谈话类型", min_chars=4),
    Column("谈话主题", align="left", min_chars=6),
    Column("后续措施及落实情况", align="left", min_chars=6),
)


def register_rows(views: Sequence[TalkView], year: int) -> list[list[str]]:
    """The rows of the 登记表 (its Word copy has the same)."""
    rows = []
    for n, v in enumerate(views, 1):
        # "安排培训。" + "已参加。" → "安排培训；已参加。", not "安排培训。；已参加。"
        parts = [x.strip() for x in (v.follow_up, v.result) if x.strip()]
        follow = "；".join(x.rstrip("。；;，,") if i < len(parts) - 1 else x
                          for i, x in enumerate(parts))  # fmt: skip
        date = f"{v.date.month}月{v.date.day}日" if v.date.year == year else format_cn(v.date)
        rows.append([str(n), date, v.talkers, v.others, v.kind, v.topic, follow])
    return rows


def register_pdf(
    views: Sequence[TalkView], branch: str, year: int, *, fonts: FontSet | None = None
) -> bytes:
    """The year's 谈心谈话情况登记表: one row per talk, oldest first; the talk contents (要点,
    意见) are not on it, so it can be shown to an inspector."""
    ts = Typesetter(fonts or resolve_fonts())
    width = text_block(1, "landscape").width
    header, body = table_styles(TABLE_SIZE)
    rows = register_rows(views, year)
    title = f"{year}年度谈心谈话情况登记表"
    story: list[Flowable] = [
        title_block(ts, title, space_after=0.4 * LINE_PITCH, snap=0),
        ts.para(f"党支部：{branch}\u3000\u3000共 {len(views)} 次谈话", META_STYLE, field="表头"),
        ruled_table(
            ts,
            REGISTER_COLUMNS,
            rows,
            width=width,
            records=[v.number or format_cn(v.date) for v in views],
            header_style=header,
            body_style=body,
        ),
    ]
    return build_pdf(
        story, ts, orientation="landscape", title=title, author=branch, subject=f"{year}年度"
    )
