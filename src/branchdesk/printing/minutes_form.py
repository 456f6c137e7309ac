"""会议记录, 会议通知 and a year's 会议记录 bound as one volume.

The forms take a plain view-model (``MinutesView``, ``VoteLine``: strings and numbers, names
already resolved by the caller), not the meeting store, so they stay a function from plain
data to PDF bytes.

**会议记录** (``minutes_pdf``): the title, a ruled header grid (会议类型, 时间, 地点, 主持人,
记录人, 应到/实到, 缺席人员及原因, 不计入应到 where any, 列席, 主讲人/题目 for a 党课, 主题 for
a 主题党日, 所属年度 when it is not the year of the meeting), then in 3号 仿宋 on the 22 × 28
grid: the chair's announcement, 议题 (numbered), 会议内容 (as long as it is: it flows over the
pages), 决议及表决情况 as a ruled table, and 主持人签字 / 记录人签字 / 日期 lines at the end.
Everything after the title is kept on the grid (the tables' heights are rounded up to whole
lines), so the body lines of every page lie on the same 22 lines. Every page after the first
carries a one-line head above the text block, "（续）支部党员大会 2025年12月1日", drawn by the
page template's onPageEnd hook.

**会议通知** (``notice_pdf``): "关于召开…的通知", time, place, 议题, who attends, and the branch
and date right-aligned at the end (four characters in from the right, as GB/T 9704 sets the
成文日期).

**A volume** (``minutes_volume_pdf``): a cover, 目录 (序号, 会议名称, 日期, 页码), then each
meeting's minutes. Page numbers run on through the whole volume ("— N —" on every page but the
cover). The volume is printed double-sided and bound, so the contents and every meeting begin
on an odd (right-hand) page: a meeting's record then never shares a sheet with another's, so
one record can be taken out, or a corrected one filed beside it, without touching the others.
The blank even page this sometimes leaves carries no page number (GB/T 9704 numbers no blank
pages; DA/T 22 counts only pages with content) but is counted. ``odd_starts=False`` starts
each meeting on the next page instead. The page numbers in the contents come from laying the
volume out: it is built again with the numbers found until they no longer change (twice).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    ActionFlowable,
    BaseDocTemplate,
    Flowable,
    Spacer,
    Table,
    TableStyle,
)

from branchdesk.domain.dates import format_cn
from branchdesk.printing.blocks import (
    CELL_PAD_X,
    CELL_PAD_Y,
    META_STYLE,
    RULE,
    TITLE_STYLE,
    ArchiveStamp,
    Column,
    ruled_commands,
    ruled_table,
    signature_lines,
    table_styles,
    title_block,
)
from branchdesk.printing.document import FormDocument, build_pdf
from branchdesk.printing.fonts import BODY, HEI, SONG, FontSet, resolve_fonts
from branchdesk.printing.page import (
    BLOCK_W_MM,
    CHAR_PITCH,
    LINE_PITCH,
    MM,
    TABLE_SIZE,
    TABLE_SIZE_LARGE,
    text_block,
)
from branchdesk.printing.text import BODY_STYLE, FUZZ, CnParagraph, TextStyle, Typesetter

# ---------------------------------------------------------------------------------------------
# the view-model


@dataclass(frozen=True)
class VoteLine:
    """One resolution and how it was voted on."""

    text: str
    kind: str  # 一般 / 选举 / 发展 / 转正
    candidate: str = ""  # for 发展 / 转正
    votes_for: int = 0
    votes_against: int = 0
    abstentions: int = 0
    written: str = ""  # e.g. "书面意见：赞成2" (already worded by the caller) or ""
    voting_present: int | None = None  # 到会有表决权的正式党员人数, for 发展 / 转正
    passed: bool | None = None  # None: not voted / not recordable


@dataclass(frozen=True)
class MinutesView:
    """One meeting as printed; every name already resolved by the caller."""

    branch: str
    title: str
    types: str  # e.g. "主题党日、支部党员大会、党课"
    day: dt.date
    start_time: str = ""
    end_time: str = ""
    place: str = ""
    host: str = ""
    recorder: str = ""
    expected: int = 0
    present: int = 0
    absent_lines: tuple[str, ...] = ()  # e.g. "张伟（请假：出差）", "李强（无故缺席）"
    excluded_lines: tuple[str, ...] = ()  # 不计入应到: "赵敏（长期病休；依据：…）"
    guests: str = ""  # 列席
    announcement: str = ""  # "应到24人，实到20人，符合规定人数，会议有效"
    agenda: tuple[str, ...] = ()
    lecturer: str = ""  # 党课
    topic: str = ""
    theme: str = ""  # 主题党日
    content: str = ""  # paragraphs separated by newlines (blank lines or not)
    resolutions: tuple[VoteLine, ...] = ()
    year: int = 0  # 所属年度 (0: the year of the meeting)


def minutes_title(view: MinutesView) -> str:
    """The title printed on the minutes: "支部党员大会记录", or "会议记录" with no title."""
    title = view.title.strip()
    if not title:
        return "会议记录"
    return title if title.endswith("记录") else f"{title}记录"


def meeting_name(view: MinutesView) -> str:
    """The meeting as the contents and the 续 head name it."""
    return view.title.strip() or view.types.strip() or "会议"


def continuation_head(view: MinutesView) -> str:
    """The line atop each page after a record's first: "（续）支部党员大会 2025年12月1日"."""
    return f"（续）{meeting_name(view)} {format_cn(view.day)}"


def time_text(view: MinutesView, *, weekday: bool = False) -> str:
    """2025年12月1日 14:30—16:30 (the times that are given)."""
    day, gap = format_cn(view.day), " "
    if weekday:
        day, gap = day + f"（星期{'一二三四五六日'[view.day.weekday()]}）", ""
    start, end = view.start_time.strip(), view.end_time.strip()
    if start and end:
        return f"{day}{gap}{start}—{end}"
    if start or end:
        return f"{day}{gap}{start or end}"
    return day


def paragraphs_of(text: str) -> list[str]:
    """Paragraphs of typed text: every non-empty line, without the spaces typed to indent."""
    return [p for p in (line.strip(" \t\u3000") for line in text.splitlines()) if p]


# ---------------------------------------------------------------------------------------------
# styles and small flowables

#: Headings inside the body: 黑体 3号, one grid line.
HEADING_STYLE = BODY_STYLE.but(role=HEI, first_indent=0.0, align="left")
LABEL_STYLE = META_STYLE.but(role=HEI, align="center", balance=True)
VALUE_STYLE = META_STYLE.but(align="left")
#: The 续 head above the block: 小四 仿宋.
HEAD_STYLE = TextStyle(BODY, TABLE_SIZE, 1.25 * TABLE_SIZE, "left")
HEAD_RULE_GAP = 2.5 * MM  # from the block's top edge up to the rule under the head
COVER_TITLE_STYLE = TITLE_STYLE.but(size=26.0, leading=1.4 * 26.0)  # 一号
NUMERALS = "一二三四五六七八九十"


class OnGrid(Flowable):
    """Another flowable (a table) whose height is rounded up to whole body lines, so the text
    after it stays on the 22-line grid. Splits where the flowable splits."""

    def __init__(self, inner: Flowable, pitch: float = LINE_PITCH, after: float = 0.0) -> None:
        super().__init__()
        self.inner = inner
        self.pitch = pitch
        self.after = after  # at least this many lines of space below
        self.hAlign = getattr(inner, "hAlign", "CENTER")
        self._inner_h = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        width, height = self.inner.wrap(availWidth, availHeight)
        self._inner_h = height
        self.width = width
        self.height = math.ceil(height / self.pitch + self.after - FUZZ) * self.pitch
        return width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        room = math.floor(availHeight / self.pitch + FUZZ) * self.pitch
        parts = self.inner.split(availWidth, room)
        return [
            OnGrid(part, self.pitch, self.after if i == len(parts) - 1 else 0.0)
            for i, part in enumerate(parts)
        ]

    def draw(self) -> None:
        self.inner.drawOn(self.canv, 0, self.height - self._inner_h)


class KeepTail(Flowable):
    """The end of a record: ``body`` (the last paragraph or table) followed by ``tail`` (the
    signature lines, the 落款). When both do not fit, at least ``keep`` points of ``body``
    (two lines) go over with the tail: signatures never stand alone on a page."""

    def __init__(self, body: Flowable, tail: Flowable, keep: float = 2 * LINE_PITCH) -> None:
        super().__init__()
        self.body, self.tail, self.keep = body, tail, keep
        self._body_h = self._tail_h = 0.0

    def _gap(self) -> float:
        return float(self.tail.getSpaceBefore())

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self._body_h = self.body.wrap(availWidth, availHeight)[1]
        self._tail_h = self.tail.wrap(availWidth, availHeight)[1]
        self.width = availWidth
        self.height = self._body_h + self._gap() + self._tail_h
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        self.wrap(availWidth, availHeight)
        if self.height <= availHeight + FUZZ:
            return [self]
        room = min(availHeight, self._body_h - self.keep)
        parts = self.body.split(availWidth, room) if room > 0 else []
        if len(parts) < 2:
            return []  # all of it on the next page
        return [*parts[:-1], KeepTail(parts[-1], self.tail, self.keep)]

    def draw(self) -> None:
        self.body.drawOn(self.canv, 0, self.height - self._body_h)
        self.tail.drawOn(self.canv, 0, 0)


@dataclass
class PageState:
    """What the page hooks need to know while a document is laid out."""

    head: str = ""  # the 续 line, for pages after head_page
    head_page: int = 0
    starts: list[int] = field(default_factory=list)  # where each record begins
    unnumbered: set[int] = field(default_factory=set)  # the cover, blank pages


class _Start(Flowable):
    """Where a record begins: notes its page, and the 续 head of the pages that follow."""

    def __init__(self, state: PageState, head: str) -> None:
        super().__init__()
        self.state, self.head = state, head
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0, 0

    def draw(self) -> None:
        page = self.canv.getPageNumber()
        self.state.starts.append(page)
        self.state.head, self.state.head_page = self.head, page


class _NewPage(ActionFlowable):
    """Go on on a new page (unless this one is still empty); with ``odd``, on an odd page,
    leaving an unnumbered blank page between if need be. Ends the current record's 续 head."""

    def __init__(self, state: PageState, *, odd: bool) -> None:
        super().__init__()
        self.state, self.odd = state, odd

    def apply(self, doc: BaseDocTemplate) -> None:
        if doc._curPageFlowableCount:  # the page has begun and holds something
            doc.handle_pageBreak()  # (its 续 head is drawn as it ends)
            self.state.head = ""
            upcoming = doc.page + 1
            if self.odd and upcoming % 2 == 0:
                self.state.unnumbered.add(upcoming)
                doc.clean_hanging()  # begin the blank page…
                doc.handle_pageBreak()  # …and end it
        elif self.odd and doc.page % 2 == 0:
            doc.handle_pageBreak()
        self.state.head = ""


class MinutesDocument(FormDocument):
    """FormDocument pages that also print the 续 head above the block of every page after a
    record's first, and leave the page number off the pages in ``state.unnumbered``."""

    def __init__(self, out: Any, fonts: FontSet, *, state: PageState, **options: Any) -> None:
        super().__init__(out, fonts, **options)
        self.state = state
        for template in self.pageTemplates:
            template.onPageEnd = self._running_head

    def _decorate(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        if canv.getPageNumber() not in self.state.unnumbered:
            super()._decorate(canv, doc)

    def _running_head(self, canv: Canvas, _doc: BaseDocTemplate) -> None:
        state, page = self.state, canv.getPageNumber()
        if not state.head or page <= state.head_page or page in state.unnumbered:
            return
        draw_running_head(canv, state.head, self.fonts, page)


def draw_running_head(canv: Canvas, text: str, fonts: FontSet, page: int) -> None:
    """One line at the left above the text block, over a thin rule as wide as the block."""
    block = text_block(page)
    style = HEAD_STYLE
    p = CnParagraph(text, style, fonts)
    if p.natural_width() > block.width:  # a very long title: smaller, never two lines
        style = style.but(size=style.size * block.width / p.natural_width())
        p = CnParagraph(text, style, fonts)
    p.wrap(block.width, style.leading)
    rule_y = block.top + HEAD_RULE_GAP
    p.drawOn(canv, block.x, rule_y + 0.5 * MM)
    canv.saveState()
    canv.setLineWidth(RULE)
    canv.line(block.x, rule_y, block.right, rule_y)
    canv.restoreState()


def _font_cmd(ts: Typesetter) -> tuple[object, ...]:
    # Without it Table names Helvetica (unembedded) for its cells.
    return ("FONTNAME", (0, 0), (-1, -1), ts.fonts.name(SONG))


# ---------------------------------------------------------------------------------------------
# the header grid


Pair = tuple[str, str]


def header_rows(view: MinutesView) -> list[list[Pair]]:
    """The rows of the header grid, one or two (label, value) pairs each."""
    rows: list[list[Pair]] = [
        [("会议类型", view.types)],
        [("时间", time_text(view))],
        [("地点", view.place)],
        [("主持人", view.host), ("记录人", view.recorder)],
        [("应到人数", f"{view.expected}人"), ("实到人数", f"{view.present}人")],
        [("缺席人员及原因", "；".join(view.absent_lines) or "无")],
    ]
    if view.excluded_lines:
        rows.append([("不计入应到人员", "；".join(view.excluded_lines))])
    rows.append([("列席人员", view.guests or "无")])
    if "党课" in view.types or view.lecturer or view.topic:
        rows += [[("主讲人", view.lecturer)], [("党课题目", view.topic)]]
    if "主题党日" in view.types or view.theme:
        rows.append([("活动主题", view.theme)])
    if view.year and view.year != view.day.year:
        rows.append([("所属年度", f"{view.year}年度")])
    return rows


def header_grid(
    ts: Typesetter, rows: Sequence[Sequence[Pair]], *, width: float, record: str = ""
) -> Table:
    """A ruled grid: labels in 黑体 centred in their cells, values in 仿宋; a row of one pair
    spans the whole width, a row of two whose values do not fit is set as two rows."""
    lab = [0.0, 0.0]
    for row in rows:
        for i, (label, _) in enumerate(row):
            probe = CnParagraph(label, LABEL_STYLE, ts.fonts)
            lab[min(i, 1)] = max(lab[min(i, 1)], probe.natural_width() + 2 * CELL_PAD_X + 4)
    slot = (width - lab[0] - lab[1]) / 2
    laid: list[list[Pair]] = []
    for row in rows:
        fits = all(
            CnParagraph(v, VALUE_STYLE, ts.fonts).natural_width() + 2 * CELL_PAD_X <= slot
            for _, v in row
        )
        laid += [list(row)] if len(row) == 1 or fits else [[pair] for pair in row]
    data: list[list[Flowable]] = []
    spans: list[int] = []
    for r, row in enumerate(laid):
        cells: list[Flowable] = []
        for label, value in row:
            cells += [
                ts.para(label, LABEL_STYLE, field=label, record=record),
                ts.para(value, VALUE_STYLE, field=label, record=record),
            ]
        if len(row) == 1:
            spans.append(r)
            cells += [Spacer(0, 0), Spacer(0, 0)]
        data.append(cells)
    widths = [lab[0], slot, lab[1], slot]
    heights = []
    for r, cells in enumerate(data):
        spanned = [lab[0], sum(widths[1:]), 0, 0] if r in spans else widths
        tallest = max(
            c.wrap(max(w - 2 * CELL_PAD_X, 1), 1e6)[1]
            for c, w in zip(cells, spanned, strict=True)
            if w > 0
        )
        heights.append(max(LINE_PITCH, tallest + 2 * CELL_PAD_Y))
    table = Table(data, colWidths=widths, rowHeights=heights)
    cmds = ruled_commands(ts)
    cmds += [("SPAN", (1, r), (3, r)) for r in spans]
    table.setStyle(TableStyle(cmds))
    return table


# ---------------------------------------------------------------------------------------------
# 决议及表决情况

VOTE_COLUMNS = (
    Column("序号", wrap=False),
    Column("决议事项", align="left"),
    Column("赞成", wrap=False),
    Column("反对", wrap=False),
    Column("弃权", wrap=False),
    Column("表决结果", wrap=False),
)
VOTE_SHARES = (0.08, 0.47, 0.1, 0.1, 0.1, 0.15)
CANDIDATE_LABELS = {"发展": "发展对象", "转正": "预备党员", "选举": "候选人"}


def vote_details(vote: VoteLine) -> str:
    """The second line of a 决议事项 cell: candidate, voting members present, written opinions."""
    parts = []
    if vote.candidate:
        parts.append(f"{CANDIDATE_LABELS.get(vote.kind, '对象')}：{vote.candidate}")
    if vote.voting_present is not None:
        parts.append(f"到会有表决权的正式党员{vote.voting_present}人")
    if vote.written:
        parts.append(vote.written)
    return "；".join(parts)


def vote_row(n: int, vote: VoteLine) -> list[str]:
    details = vote_details(vote)
    kind = f"〔{vote.kind}〕" if vote.kind and vote.kind != "一般" else ""
    matter = kind + vote.text + (f"\n（{details}）" if details else "")
    counted = vote.votes_for or vote.votes_against or vote.abstentions or vote.passed is not None
    if not counted:
        return [str(n), matter, "—", "—", "—", "未表决"]
    result = {True: "通过", False: "未通过", None: "—"}[vote.passed]
    counts = [f"{vote.votes_for}", f"{vote.votes_against}", f"{vote.abstentions}"]
    return [str(n), matter, *counts, result]


def votes_table(
    ts: Typesetter, votes: Sequence[VoteLine], *, width: float, record: str = ""
) -> Table:
    header, body = table_styles(TABLE_SIZE_LARGE)
    return ruled_table(
        ts,
        VOTE_COLUMNS,
        [vote_row(n, v) for n, v in enumerate(votes, 1)],
        width=width,
        widths=[s * width for s in VOTE_SHARES],
        header_style=header,
        body_style=body.but(balance=False),  # the matter reads on, line after line
        records=[f"{record}决议{n}" for n in range(1, len(votes) + 1)],
        min_row_height=LINE_PITCH,
    )


# ---------------------------------------------------------------------------------------------
# the record


def minutes_story(
    ts: Typesetter, view: MinutesView, state: PageState, *, record: str = ""
) -> list[Flowable]:
    """The flowables of one 会议记录, starting with the marker of where it begins."""
    width = BLOCK_W_MM * MM
    head = continuation_head(view)
    ts.check(head, HEAD_STYLE.role, field="续页页眉", record=record)
    story: list[Flowable] = [
        _Start(state, head),
        title_block(ts, minutes_title(view), space_after=0.5 * LINE_PITCH),
        OnGrid(header_grid(ts, header_rows(view), width=width, record=record), after=0.3),
    ]
    body = BODY_STYLE

    def para(text: str, style: TextStyle, field_name: str) -> None:
        story.append(ts.para(text, style, field=field_name, record=record))

    sections = 0

    def heading(text: str) -> None:
        nonlocal sections
        para(f"{NUMERALS[sections]}、{text}", HEADING_STYLE, "标题")
        sections += 1

    if view.announcement.strip():
        para(view.announcement.strip(), body, "会议宣布")
    if view.agenda:
        heading("议题")
        for n, item in enumerate(view.agenda, 1):
            para(f"{n}. {item.strip()}", body, f"议题{n}")
    content = paragraphs_of(view.content)
    if content:
        heading("会议内容")
        for n, text in enumerate(content, 1):
            para(text, body, f"会议内容第{n}段")
    if view.resolutions:
        heading("决议及表决情况")
        story.append(OnGrid(votes_table(ts, view.resolutions, width=width, record=record)))
    signatures = signature_lines(ts, ("主持人签字", "记录人签字", "日期"), width=width)
    if len(story) > 2:
        story[-1] = KeepTail(story[-1], signatures)
    else:
        story.append(signatures)
    return story


def minutes_pdf(
    view: MinutesView,
    *,
    fonts: FontSet | None = None,
    archive_stamp: ArchiveStamp | None = None,
) -> bytes:
    """The 会议记录 of one meeting as PDF bytes. Raises MissingGlyphError, naming the field
    (主持人, 会议内容第3段, 决议事项…), if a character has no glyph in any font of ``fonts``."""
    ts = Typesetter(fonts or resolve_fonts())
    state = PageState()
    story = minutes_story(ts, view, state)
    return build_pdf(
        story,
        ts,
        stamp=archive_stamp,
        title=minutes_title(view),
        author=view.branch,
        subject=time_text(view),
        document=partial(MinutesDocument, state=state),
    )


# ---------------------------------------------------------------------------------------------
# the volume

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
) -> list[Flowable]:
    width = BLOCK_W_MM * MM
    header, body = table_styles(TABLE_SIZE_LARGE)
    rows = [
        [str(n), meeting_name(v), format_cn(v.day), page]
        for n, (v, page) in enumerate(zip(views, pages, strict=True), 1)
    ]
    story: list[Flowable] = [
        *_cover(ts, volume_title, views),
        _NewPage(state, odd=odd),
        title_block(ts, "目\u3000录"),
    ]
    if rows:
        story.append(
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
        story.append(ts.para("（本册没有会议记录）", BODY_STYLE.but(align="center")))
    for view in views:
        story.append(_NewPage(state, odd=odd))
        record = f"{format_cn(view.day)} {meeting_name(view)}"
        story += minutes_story(ts, view, state, record=record)
    return story


def minutes_volume_pdf(
    views: Sequence[MinutesView],
    *,
    volume_title: str,
    fonts: FontSet | None = None,
    odd_starts: bool = True,
) -> bytes:
    """A year's minutes of one type as one PDF: cover, 目录 with the page each record starts
    on, then the records in the order given, page numbers running through the volume.

    With ``odd_starts`` (the default, for double-sided printing) the contents and each
    record begin on an odd page. Raises MissingGlyphError (with the meeting as the record)
    before anything is laid out."""
    fonts = fonts or resolve_fonts()
    pages: list[str] = [""] * len(views)
    for _ in range(MAX_PASSES):
        ts = Typesetter(fonts)
        state = PageState(unnumbered={1})
        story = _volume(ts, state, volume_title, views, pages, odd_starts)
        pdf = build_pdf(
            story,
            ts,
            title=volume_title,
            author=views[0].branch if views else "",
            document=partial(MinutesDocument, state=state),
        )
        found = [str(p) for p in state.starts]
        if found == pages:
            return pdf
        pages = found
    raise RuntimeError("目录页码没有稳定下来")  # pragma: no cover - rows never change height


# ---------------------------------------------------------------------------------------------
# 会议通知


def notice_title(view: MinutesView) -> str:
    name = meeting_name(view)
    if name.startswith("关于") and name.endswith("通知"):
        return name
    return f"关于召开{name}的通知"


def notice_pdf(
    view: MinutesView,
    attendees: Sequence[str],
    *,
    fonts: FontSet | None = None,
    issued: dt.date | None = None,
) -> bytes:
    """The 会议通知 of a meeting: when (with the weekday) and where, 议题 (with the 党课's
    speaker and topic, the 主题党日's theme), who attends, and at the end the branch and
    ``issued`` (default: the meeting day) right-aligned, four characters in.

    ``attendees`` are names in the order to print (姓氏笔画 is the caller's job), or
    ("全体党员",)."""
    ts = Typesetter(fonts or resolve_fonts())
    width = BLOCK_W_MM * MM
    body = BODY_STYLE
    everyone = not attendees or tuple(attendees) == ("全体党员",)
    name = meeting_name(view)
    where = f"在{view.place}" if view.place else ""
    story: list[Flowable] = [
        title_block(ts, notice_title(view)),
        ts.para("全体党员：" if everyone else "各位同志：", body.but(first_indent=0.0),
                field="主送"),
        ts.para(f"{view.branch or '支部'}定于{time_text(view, weekday=True)}{where}召开{name}。"
                "现将有关事项通知如下：", body, field="正文"),
    ]  # fmt: skip
    sections = 0

    def heading(text: str) -> None:
        nonlocal sections
        story.append(ts.para(f"{NUMERALS[sections]}、{text}", body.but(role=HEI), field="标题"))
        sections += 1

    extra = []
    if view.lecturer or view.topic:
        extra.append(("党课", f"党课：{view.lecturer}同志讲授《{view.topic}》。"))
    if view.theme:
        extra.append(("主题", f"主题党日活动：{view.theme}。"))
    if view.agenda or extra:
        heading("会议议题")
        for n, item in enumerate(view.agenda, 1):
            story.append(ts.para(f"{n}. {item.strip()}", body, field=f"议题{n}"))
        story += [ts.para(text, body, field=label) for label, text in extra]
    heading("参会人员")
    story.append(ts.para("全体党员" if everyone else "、".join(attendees), body, field="参会人员"))
    if view.guests:
        story.append(ts.para(f"列席：{view.guests}", body, field="列席"))
    heading("有关要求")
    story.append(ts.para("请参会同志准时出席；因故不能参加的，请提前向支部书记请假。", body,
                         field="正文"))  # fmt: skip
    inset = 4 * CHAR_PITCH  # 右空四字
    right = body.but(align="right", first_indent=0.0)
    signoff = Table(
        [
            [ts.para(view.branch, right, field="落款"), Spacer(0, 0)],
            [ts.para(format_cn(issued or view.day), right, field="日期"), Spacer(0, 0)],
        ],
        colWidths=[width - inset, inset],
    )
    signoff.setStyle(TableStyle([_font_cmd(ts), *(
        (f"{side}PADDING", (0, 0), (-1, -1), 0) for side in ("LEFT", "RIGHT", "TOP", "BOTTOM")
    )]))  # fmt: skip
    signoff.spaceBefore = LINE_PITCH  # 空一行
    story[-1] = KeepTail(story[-1], signoff)
    return build_pdf(story, ts, title=notice_title(view), author=view.branch,
                     subject=time_text(view))  # fmt: skip


__all__ = [
    "MinutesView",
    "VoteLine",
    "minutes_pdf",
    "minutes_volume_pdf",
    "notice_pdf",
]
