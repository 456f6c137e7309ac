"""A year's 会议记录 bound as one volume (``minutes_volume_pdf``): a cover, 目录 (序号, 会议名称,
日期, 页码), then each meeting's minutes. Page numbers run on through the whole volume
("— N —" on every page but the cover). The volume is printed double-sided and bound, so the
contents and every meeting begin on an odd (right-hand) page: a meeting's record then never
shares a sheet with another's, so one record can be taken out, or a corrected one filed beside
it, without touching the others. The blank even page this sometimes leaves carries no page
number (GB/T 9704 numbers no blank pages; DA/T 22 counts only pages with content) but is
counted. ``odd_starts=False`` starts each meeting on the next page instead. The page numbers
in the contents come from laying the volume out: it is built again with the numbers found
until they no longer change (twice).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from functools import partial

from reportlab.platypus import Flowable, Spacer

from branchdesk.domain.dates import format_cn
from branchdesk.printing.blocks import (
    TITLE_STYLE,
    ArchiveStamp,
    Column,
    check_stamp,
    ruled_table,
    table_styles,
    title_block,
)
from branchdesk.printing.document import LazyStory, build_pdf
from branchdesk.printing.flow import MinutesDocument, PageState, _NewPage
from branchdesk.printing.fonts import FontSet, resolve_fonts
from branchdesk.printing.minutes_form import MinutesView, meeting_name, minutes_story
from branchdesk.printing.page import BLOCK_W_MM, LINE_PITCH, MM, TABLE_SIZE_LARGE
from branchdesk.printing.text import BODY_STYLE, Typesetter

COVER_TITLE_STYLE = TITLE_STYLE.but(size=26.0, leading=1.4 * 26.0)  # 一号
CONTENTS_COLUMNS = (
    Column("序号", wrap=False),
    Column("会议名称", align="left"),
    Column("日期", wrap=False),
    Column("页码", wrap=False),
)
CONTENTS_SHARES = (0.1, 0.5, 0.27, 0.13)
MAX_PASSES = 4


def _cover(ts: Typesetter, volume_title: str, views: Sequence[MinutesView]) -> list[Flowable]:
    branches = list(dict.fromkeys(v.branch for v in views if v.branch))
    lines = [*branches[:1], f"共{len(views)}次会议"]
    if views:
        first, last = min(v.day for v in views), max(v.day for v in views)
        lines.append(f"{format_cn(first)}至{format_cn(last)}")
    sub = BODY_STYLE.but(align="center", first_indent=0.0)
    return [
        Spacer(0, 5 * LINE_PITCH),
        title_block(ts, volume_title, style=COVER_TITLE_STYLE, space_after=3 * LINE_PITCH),
        *(ts.para(line, sub, field="封面") for line in lines),
    ]


def _volume(
    ts: Typesetter,
    state: PageState,
    volume_title: str,
    views: Sequence[MinutesView],
    pages: Sequence[str],
    odd: bool,
) -> LazyStory:
    """The volume's story: the cover and the 目录 at once, each record's minutes only as
    the layout comes to it (``LazyStory``)."""
    width = BLOCK_W_MM * MM
    header, body = table_styles(TABLE_SIZE_LARGE)
    rows = [
        [str(n), meeting_name(v), format_cn(v.day), page]
        for n, (v, page) in enumerate(zip(views, pages, strict=True), 1)
    ]
    head: list[Flowable] = [
        *_cover(ts, volume_title, views),
        _NewPage(state, odd=odd),
        title_block(ts, "目\u3000录"),
    ]
    if rows:
        head.append(
            ruled_table(
                ts,
                CONTENTS_COLUMNS,
                rows,
                width=width,
                widths=[s * width for s in CONTENTS_SHARES],
                header_style=header,
                body_style=body,
                records=[f"{r[2]} {r[1]}" for r in rows],
                min_row_height=LINE_PITCH,
            )
        )
    else:
        head.append(ts.para("（本册没有会议记录）", BODY_STYLE.but(align="center")))
    return LazyStory(head, _records(ts, state, views, odd))


def _records(
    ts: Typesetter, state: PageState, views: Sequence[MinutesView], odd: bool
) -> Iterator[list[Flowable]]:
    """Each record's flowables, made when the layout reaches it. Once a character no font
    has turns up, nothing more is laid out: the rest are made only to find every such
    character, and ``build_pdf`` raises MissingGlyphError when the layout ends."""
    for view in views:
        record = f"{format_cn(view.day)} {meeting_name(view)}"
        story = [_NewPage(state, odd=odd), *minutes_story(ts, view, state, record=record)]
        if not ts.problems:
            yield story


def record_pages(state: PageState) -> list[int]:
    """Pages of each record of a laid-out volume, blank pages left out (DA/T 22 counts the
    pages that have content)."""
    ends = [*state.starts[1:], state.last_page + 1]
    return [
        sum(1 for p in range(start, end) if p not in state.unnumbered)
        for start, end in zip(state.starts, ends, strict=True)
    ]


def minutes_volume_pdf(
    views: Sequence[MinutesView],
    *,
    volume_title: str,
    fonts: FontSet | None = None,
    odd_starts: bool = True,
    stamps: Sequence[ArchiveStamp] | None = None,
) -> bytes:
    """A year's minutes of one type as one PDF: cover, 目录 with the page each record starts
    on, then the records in the order given, page numbers running through the volume.

    With ``odd_starts`` (the default, for double-sided printing) the contents and each
    record begin on an odd page. ``stamps`` (one per record) prints each record's 归档章 on
    its first page, its 页数 counted from the layout when left empty. Raises
    MissingGlyphError (with the meeting as the record) before any PDF is made (the records
    are made as they are laid out, and none after the first with such a character)."""
    fonts = fonts or resolve_fonts()
    pages: list[str] = [""] * len(views)
    counts: list[int] = []
    for _ in range(MAX_PASSES):
        ts = Typesetter(fonts)
        state = PageState(unnumbered={1})
        for i, stamp in enumerate(stamps or ()):
            if not stamp.pages and counts:
                stamp = dataclasses.replace(stamp, pages=counts[i])
            check_stamp(ts, stamp)
            state.stamps[i] = stamp
        story = _volume(ts, state, volume_title, views, pages, odd_starts)
        pdf = build_pdf(
            story,
            ts,
            title=volume_title,
            author=views[0].branch if views else "",
            document=partial(MinutesDocument, state=state),
        )
        found = [str(p) for p in state.starts]
        found_counts = record_pages(state)
        if found == pages and (not stamps or found_counts == counts):
            return pdf
        pages, counts = found, found_counts
    raise RuntimeError("目录页码没有稳定下来")  # pragma: no cover - rows never change height
