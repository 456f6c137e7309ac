"""会议记录: one meeting's record (``minutes_pdf``) and the view-model of all meeting forms.

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

The volume (``minutes_volume_pdf``) is in ``volume_form``, the 会议通知 (``notice_pdf``) in
``notice_form``, the flowables that keep the pages in order in ``flow``; both names can still
be imported from here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from reportlab.platypus import (
    Flowable,
    Spacer,
    Table,
    TableStyle,
)

from branchdesk.domain.dates import format_cn
from branchdesk.printing.blocks import (
    CELL_PAD_X,
    CELL_PAD_Y,
    MAX_ROW_LINES,
    META_STYLE,
    ArchiveStamp,
    Column,
    continued_rows,
    ruled_commands,
    ruled_table,
    signature_lines,
    table_styles,
    title_block,
)
from branchdesk.printing.document import build_pdf
from branchdesk.printing.flow import (  # noqa: F401  (HEAD_STYLE: importable from here)
    HEAD_STYLE,
    KeepTail,
    MinutesDocument,
    OnGrid,
    PageState,
    _Start,
    keep_headings,
)
from branchdesk.printing.fonts import HEI, FontSet, resolve_fonts
from branchdesk.printing.page import (
    BLOCK_W_MM,
    LINE_PITCH,
    MM,
    TABLE_SIZE_LARGE,
)
from branchdesk.printing.text import BODY_STYLE, CnParagraph, TextStyle, Typesetter

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
# styles

#: Headings inside the body: 黑体 3号, one grid line.
HEADING_STYLE = BODY_STYLE.but(role=HEI, first_indent=0.0, align="left")
LABEL_STYLE = META_STYLE.but(role=HEI, align="center", balance=True)
VALUE_STYLE = META_STYLE.but(align="left")
NUMERALS = "一二三四五六七八九十"


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
    for row in laid:
        if len(row) == 1:
            # A long value (缺席人员及原因 of a branch-wide meeting of 800) is set as several
            # rows, each shorter than a page, so the grid flows onto the following pages.
            label, value = row[0]
            pair = [
                ts.para(label, LABEL_STYLE, field=label, record=record),
                ts.para(value, VALUE_STYLE, field=label, record=record),
            ]
            for part in continued_rows(ts, pair, [lab[0], width - lab[0]], VALUE_STYLE,
                                       marker_style=LABEL_STYLE,
                                       most=MAX_ROW_LINES * LINE_PITCH, record=record):  # fmt: skip
                spans.append(len(data))
                data.append([*part, Spacer(0, 0), Spacer(0, 0)])
            continue
        cells: list[Flowable] = []
        for label, value in row:
            cells += [
                ts.para(label, LABEL_STYLE, field=label, record=record),
                ts.para(value, VALUE_STYLE, field=label, record=record),
            ]
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
    headings: list[Flowable] = []

    def heading(text: str) -> None:
        nonlocal sections
        para(f"{NUMERALS[sections]}、{text}", HEADING_STYLE, "标题")
        headings.append(story[-1])
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
    labels = ("主持人签字", "记录人签字", "日期")
    signatures = signature_lines(ts, labels, width=width)
    if len(story) > 3:
        compact = signature_lines(
            ts,
            labels,
            width=width,
            per_row=3,
            space_before=0.5 * LINE_PITCH,
            row_height=1.5 * LINE_PITCH,
        )
        story[-1] = KeepTail(story[-1], signatures, compact=compact)
    else:
        story.append(signatures)
    return keep_headings(story, headings)


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


def __getattr__(name: str) -> object:
    """The volume and the notice live in their own modules; their names stay importable
    from here, where callers found them before."""
    import importlib

    module = _MOVED.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"branchdesk.printing.{module}"), name)


_MOVED = {
    "minutes_volume_pdf": "volume_form",
    "COVER_TITLE_STYLE": "volume_form",
    "notice_pdf": "notice_form",
    "notice_title": "notice_form",
}


__all__ = [
    "MinutesView",
    "VoteLine",
    "minutes_pdf",
]
