"""Building blocks of printed forms: title, 编号/日期 line, label–value grid, ruled table,
signature lines and the 归档章 (DA/T 22-2015).

Each block is made through a ``Typesetter``, which records every character the fonts cannot
print together with the field and record it belongs to.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from branchdesk.printing.fonts import BODY, HEI, SONG, TITLE, FontSet
from branchdesk.printing.page import (
    LINE_PITCH,
    STAMP_CELL_H,
    STAMP_CELL_W,
    TABLE_SIZE,
    TABLE_SIZE_LARGE,
    TITLE_SIZE,
    Rect,
)
from branchdesk.printing.text import FUZZ, CnParagraph, TextStyle, Typesetter, text_width

TITLE_LEADING = 1.3 * TITLE_SIZE
TITLE_STYLE = TextStyle(TITLE, TITLE_SIZE, TITLE_LEADING, "center", balance=True)
#: Lines under the title (编号, 日期, 时间 and 地点): 4号 仿宋.
META_STYLE = TextStyle(BODY, TABLE_SIZE_LARGE, 1.5 * TABLE_SIZE_LARGE, "left")
#: Table text: 小四 仿宋 in the body, 黑体 in the header.
CELL_STYLE = TextStyle(BODY, TABLE_SIZE, 1.25 * TABLE_SIZE, "center", balance=True)
HEADER_STYLE = TextStyle(HEI, TABLE_SIZE, 1.25 * TABLE_SIZE, "center", balance=True)


def table_styles(size: float) -> tuple[TextStyle, TextStyle]:
    """(header, body) styles of a table at ``size`` points."""
    return (
        HEADER_STYLE.but(size=size, leading=1.25 * size),
        CELL_STYLE.but(size=size, leading=1.25 * size),
    )


CELL_PAD_X = 3.0
CELL_PAD_Y = 2.5
RULE = 0.5  # inner table rules
FRAME_RULE = 1.0  # a table's outer frame


# ---------------------------------------------------------------------------------------------
# title and single lines


class _SnappedParagraph(CnParagraph):
    """A paragraph whose height (with the space after it) is rounded up to whole body lines,
    so that body text after it stays on the 22-line grid. It never splits."""

    def __init__(
        self, text: str, style: TextStyle, fonts: FontSet, after: float, snap: float
    ) -> None:
        super().__init__(text, style, fonts)
        self._after, self._snap = after, snap

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        width, height = super().wrap(availWidth, availHeight)
        total = height + self._after
        if self._snap > 0:
            total = math.ceil(total / self._snap - FUZZ) * self._snap
        self._text_height = height
        self.height = total
        return width, total

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        return []

    def draw(self) -> None:
        # CnParagraph.draw lays lines down from self.height: draw from the top, space below.
        canv = self.canv
        canv.saveState()
        canv.translate(0, self.height - self._text_height)
        full, self.height = self.height, self._text_height
        try:
            super().draw()
        finally:
            self.height = full
            canv.restoreState()


def title_block(
    ts: Typesetter,
    text: str,
    *,
    space_after: float = LINE_PITCH,
    snap: float = LINE_PITCH,
    style: TextStyle = TITLE_STYLE,
) -> Flowable:
    """The document title: 2号 标题 font, centred, wrapped by the same rules as the body."""
    return ts.track(_SnappedParagraph(text, style, ts.fonts, space_after, snap), field="标题")


def two_sided_line(
    ts: Typesetter,
    left: str,
    right: str,
    *,
    width: float,
    style: TextStyle = META_STYLE,
    space_after: float = 0.4 * LINE_PITCH,
    height: float | None = None,
    fields: tuple[str, str] = ("编号", "日期"),
) -> Flowable:
    """One line with text at the left and at the right: the 编号/日期 line. ``fields`` name
    the two sides in a missing-glyph report."""
    cells = [
        [
            ts.para(left, style.but(align="left"), field=fields[0]),
            ts.para(right, style.but(align="right"), field=fields[1]),
        ]
    ]
    table = Table(
        cells, colWidths=[width / 2, width / 2], rowHeights=None if height is None else [height]
    )
    table.setStyle(_plain(ts))
    table.spaceAfter = space_after
    return table


def _blanks(n: int) -> list[Flowable]:
    """Empty cells. (A "" cell would make Table set its default font, Helvetica, which is
    then listed in the PDF unembedded.)"""
    return [Spacer(0, 0) for _ in range(n)]


def _font(ts: Typesetter) -> tuple[object, ...]:
    """Table sets its cells' font even for flowables: without this, Helvetica (unembedded)."""
    return ("FONTNAME", (0, 0), (-1, -1), ts.fonts.name(SONG))


def ruled_commands(ts: Typesetter) -> list[tuple[object, ...]]:
    """The TableStyle of every ruled form table: our font, thin grid, heavier frame, cells
    centred vertically with the house padding."""
    return [
        _font(ts),
        ("GRID", (0, 0), (-1, -1), RULE, colors.black),
        ("BOX", (0, 0), (-1, -1), FRAME_RULE, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD_X),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PAD_Y),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PAD_Y),
    ]


def _plain(ts: Typesetter) -> TableStyle:
    return TableStyle(
        [
            _font(ts),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]
    )


#: No ruled row is taller than this many of its lines: a longer cell goes on in rows marked
#: CONTINUED. ReportLab's Table breaks between rows only, so one row taller than a page (the
#: 缺席人员及原因 of a meeting of 800, a talk with the whole committee) could not be printed.
MAX_ROW_LINES = 10
CONTINUED = "（续）"


def split_tall(para: Flowable, width: float, most: float) -> list[Flowable]:
    """``para`` cut into pieces no taller than ``most`` (one piece when it fits)."""
    parts: list[Flowable] = []
    rest = para
    while rest.wrap(width, 1e6)[1] > most + FUZZ:
        pieces = rest.split(width, most)
        if len(pieces) < 2:
            break
        parts.append(pieces[0])
        rest = pieces[1]
    return [*parts, rest]


def continued_rows(
    ts: Typesetter,
    cells: Sequence[Flowable],
    widths: Sequence[float],
    style: TextStyle,
    *,
    marker_column: int = 0,
    marker_style: TextStyle | None = None,
    most: float | None = None,
    record: str = "",
) -> list[list[Flowable]]:
    """One table row as rows of at most MAX_ROW_LINES lines each: the k-th piece of every cell
    in the k-th row, CONTINUED in ``marker_column`` of the rows after the first (set smaller
    if the column is narrow; in ``marker_style`` if given). ``most`` overrides the height limit.
    A row that fits is returned as it is."""
    most = MAX_ROW_LINES * style.leading if most is None else most
    pieces = [
        split_tall(c, max(w - 2 * CELL_PAD_X, 1.0), most) if w > 0 else [c]
        for c, w in zip(cells, widths, strict=True)
    ]
    count = max((len(p) for p in pieces), default=1)
    if count == 1:
        return [list(cells)]
    marker = marker_style
    if marker is None:
        room = widths[marker_column] - 2 * CELL_PAD_X
        one = text_width(ts.fonts, CONTINUED, style.but(size=1.0))
        size = min(style.size, room / max(one, 1e-6))
        marker = style.but(align="center", size=size, leading=min(style.leading, size * 1.25))
    rows: list[list[Flowable]] = []
    for k in range(count):
        row = [p[k] if k < len(p) else Spacer(0, 0) for p in pieces]
        if k and len(pieces[marker_column]) == 1:
            row[marker_column] = ts.para(CONTINUED, marker, field="续", record=record)
        rows.append(row)
    return rows


def label_value_grid(
    ts: Typesetter,
    items: Sequence[tuple[str, str]],
    *,
    width: float,
    columns: int = 2,
    style: TextStyle = META_STYLE,
    ruled: bool = False,
    record: str = "",
    space_after: float = 0.4 * LINE_PITCH,
) -> Flowable:
    """Pairs like 时间：… 地点：… laid out ``columns`` to a row; a value too long for its slot
    takes a whole row. With ``ruled`` the grid is a ruled box (labels in 黑体)."""
    label_style = style.but(align="left", role=HEI if ruled else style.role)
    value_style = style.but(align="left")
    pad = CELL_PAD_X if ruled else 0.0
    slot = width / columns
    widest = max((text_width(ts.fonts, lab + "：", label_style) for lab, _ in items), default=0.0)
    label_w = widest + 2 * pad + (0 if ruled else 0.5 * style.size)
    value_w = slot - label_w
    rows: list[list[Flowable]] = []
    #: (row, first column) of a value that runs to the end of its row
    spans: list[tuple[int, int]] = []
    current: list[Flowable] = []

    def close_row() -> None:
        # the last pair of a short row runs to the row's end: no empty ruled cells after it
        spans.append((len(rows), len(current) - 1))
        rows.append(current + _blanks(2 * columns - len(current)))

    for label, value in items:
        lab = ts.para(label if ruled else label + "：", label_style, field=label, record=record)
        val = ts.para(value, value_style, field=label, record=record)
        if val.natural_width() + 2 * pad > value_w + FUZZ and columns > 1:
            if current:
                close_row()
                current = []
            # a value longer than MAX_ROW_LINES goes on in rows labelled CONTINUED
            inside = [label_w, width - label_w]
            for part in continued_rows(
                ts, [lab, val], inside, value_style, marker_style=label_style, record=record
            ):
                spans.append((len(rows), 1))
                rows.append([*part, *_blanks(2 * columns - 2)])
            continue
        current += [lab, val]
        if len(current) == 2 * columns:
            rows.append(current)
            current = []
    if current:
        close_row()
    table = Table(rows, colWidths=[label_w, value_w] * columns)
    cmds: list[tuple[object, ...]] = [_font(ts), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    for side, amount in (("LEFT", pad), ("RIGHT", pad), ("TOP", 2.0), ("BOTTOM", 2.0)):
        cmds.append((f"{side}PADDING", (0, 0), (-1, -1), amount))
    cmds += [("SPAN", (c, r), (2 * columns - 1, r)) for r, c in spans if c < 2 * columns - 1]
    if ruled:
        cmds += [
            ("GRID", (0, 0), (-1, -1), RULE, colors.black),
            ("BOX", (0, 0), (-1, -1), FRAME_RULE, colors.black),
        ]
    table.setStyle(TableStyle(cmds))
    table.spaceAfter = space_after
    return table


# ---------------------------------------------------------------------------------------------
# ruled tables


@dataclass(frozen=True)
class Column:
    title: str
    align: Literal["left", "center", "right"] = "center"
    wrap: bool = True  # may wrap onto more lines when the table is short of room
    min_chars: float = 2.0  # narrowest it may get, in characters of the body size
    fill: float = 1.0  # share of spare width it takes (0: keeps its natural width)
    #: A cell too wide for the column is set smaller, down to this share of the size, before
    #: it wraps (names: "张伟" is never split, 阿依古丽·买买提 stays on one line).
    shrink: float = 1.0


def cell_widths(
    ts: Typesetter,
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    header_style: TextStyle,
    body_style: TextStyle,
) -> list[list[float]]:
    """Width of every cell set on one line, padding included, column by column; the header
    row first (it may wrap too, but that costs a row like any other)."""
    pad = 2 * CELL_PAD_X
    return [
        [
            text_width(ts.fonts, col.title, header_style) + pad,
            *(text_width(ts.fonts, row[c], body_style) + pad for row in rows),
        ]
        for c, col in enumerate(columns)
    ]


def column_minimums(
    ts: Typesetter, columns: Sequence[Column], header_style: TextStyle, body_style: TextStyle
) -> list[float]:
    """The narrowest each column may get: its header on at most two lines, and for a column
    that wraps ``min_chars`` characters; padding included."""
    out = []
    for col in columns:
        head = text_width(ts.fonts, col.title, header_style)
        per_char = head / max(1, len(col.title))
        least = max(per_char * math.ceil(len(col.title) / 2), col.min_chars * body_style.size)
        out.append(least + 2 * CELL_PAD_X)
    return out


def shrink_minimums(
    columns: Sequence[Column], cells: Sequence[Sequence[float]], minimum: Sequence[float]
) -> list[float]:
    """``minimum`` raised, for a column that shrinks its cells, to its widest body cell set at
    the smallest size allowed: such a column is never narrowed into wrapping."""
    out = list(minimum)
    for i, col in enumerate(columns):
        if col.shrink < 1.0 and len(cells[i]) > 1:
            widest = max(cells[i][1:]) - 2 * CELL_PAD_X
            out[i] = max(out[i], widest * col.shrink + 2 * CELL_PAD_X)
    return out


def widen_for(
    ts: Typesetter,
    widths: Sequence[float],
    column: int,
    texts: Sequence[str],
    style: TextStyle,
    *,
    donor: int,
    most: float,
) -> list[float]:
    """``widths`` with ``column`` widened, by at most ``most`` points taken from ``donor`` (a
    blank to write in), so that the widest of ``texts`` fits at full size: a long name
    (阿依古丽·买买提) in a form of fixed column shares shrinks only if it must."""
    out = list(widths)
    widest = max((text_width(ts.fonts, t, style) for t in texts), default=0.0) + 2 * CELL_PAD_X
    extra = min(max(0.0, widest - out[column]), most)
    out[column] += extra
    out[donor] -= extra
    return out


def shrunk(ts: Typesetter, text: str, style: TextStyle, column: Column, width: float) -> TextStyle:
    """The style of a cell of ``column`` whose text must fit ``width`` (padding included):
    smaller, down to ``column.shrink`` of its size, if that saves a wrap."""
    if column.shrink >= 1.0 or "\n" in text:
        return style
    room = width - 2 * CELL_PAD_X
    natural = text_width(ts.fonts, text, style.but(tracking=0.0))
    if natural <= room + FUZZ:
        return style
    size = max(style.size * column.shrink, style.size * room / natural * (1 - 1e-4))
    return style.but(size=size, tracking=0.0)


def fit_widths(
    cells: Sequence[Sequence[float]],
    minimum: Sequence[float],
    columns: Sequence[Column],
    width: float,
) -> list[float]:
    """Column widths that add up to ``width``, wrapping as few cells as possible.

    ``cells`` holds each column's cell widths on one line (see ``cell_widths``). With room to
    spare, every column gets its widest cell plus a share of the rest (by ``Column.fill``).
    Short of room, the wrappable column that gives up the most width for the fewest wrapped
    cells narrows, step by step, down to its minimum; if even that is not enough, all columns
    shrink in proportion.
    """
    current = [max(max(c, default=0.0), m) for c, m in zip(cells, minimum, strict=True)]
    while sum(current) > width + FUZZ:
        overflow = sum(current) - width
        best: tuple[float, int, float] | None = None
        for i, col in enumerate(columns):
            if not col.wrap or current[i] <= minimum[i] + FUZZ:
                continue
            narrower = [w for w in cells[i] if w < current[i] - FUZZ]
            target = max(max(narrower, default=minimum[i]), minimum[i], current[i] - overflow)
            wrapped = sum(1 for w in cells[i] if w > target + FUZZ)
            score = wrapped / (current[i] - target)
            if best is None or score < best[0]:
                best = (score, i, target)
        if best is None:
            return [w * width / sum(current) for w in current]
        current[best[1]] = best[2]
    spare = width - sum(current)
    weights = [col.fill * w for col, w in zip(columns, current, strict=True)]
    if sum(weights) <= 0:
        weights = list(current)
    return [w + spare * k / sum(weights) for w, k in zip(current, weights, strict=True)]


def wrapped_rows(cells: Sequence[Sequence[float]], widths: Sequence[float]) -> tuple[int, int]:
    """(rows with a cell wider than its column, extra lines those rows need — roughly)."""
    rows = len(cells[0]) if cells else 0
    wrapped = extra = 0
    for r in range(rows):
        lines = max(
            (
                math.ceil((c[r] - 2 * CELL_PAD_X) / max(w - 2 * CELL_PAD_X, 1.0) - FUZZ)
                for c, w in zip(cells, widths, strict=True)
            ),
            default=1,
        )
        if lines > 1:
            wrapped += 1
            extra += lines - 1
    return wrapped, extra


def ruled_table(
    ts: Typesetter,
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    *,
    width: float,
    records: Sequence[str] | None = None,
    header_style: TextStyle = HEADER_STYLE,
    body_style: TextStyle = CELL_STYLE,
    min_row_height: float = 0.0,
    widths: Sequence[float] | None = None,
) -> Table:
    """A ruled table filling ``width``; splits between rows, repeating the header row.

    ``records`` names each row (a member's name) for the missing-glyph report.
    """
    if widths is None:
        cells = cell_widths(ts, columns, rows, header_style, body_style)
        minimum = column_minimums(ts, columns, header_style, body_style)
        widths = fit_widths(cells, shrink_minimums(columns, cells, minimum), columns, width)
    header = [ts.para(c.title, header_style, field="表头") for c in columns]
    data: list[list[Flowable]] = [header]
    for i, row in enumerate(rows):
        record = records[i] if records is not None else ""
        cells = [
            ts.para(
                text,
                shrunk(ts, text, body_style.but(align=col.align), col, w),
                field=col.title,
                record=record,
            )
            for col, text, w in zip(columns, row, widths, strict=True)
        ]
        data += continued_rows(ts, cells, widths, body_style, record=record)
    heights = [_row_height(cells, widths, min_row_height) for cells in data]
    table = Table(data, colWidths=list(widths), rowHeights=heights, repeatRows=1)
    table.setStyle(TableStyle(ruled_commands(ts)))
    return table


def _row_height(cells: Sequence[Flowable], widths: Sequence[float], least: float) -> float:
    tallest = max(
        (c.wrap(w - 2 * CELL_PAD_X, 1e6)[1] for c, w in zip(cells, widths, strict=True)),
        default=0.0,
    )
    return max(least, tallest + 2 * CELL_PAD_Y)


# ---------------------------------------------------------------------------------------------
# signatures


def signature_lines(
    ts: Typesetter,
    labels: Sequence[str] = ("主持人签字", "记录人签字", "日期"),
    *,
    width: float,
    style: TextStyle = META_STYLE,
    space_before: float = LINE_PITCH,
    per_row: int = 2,
    row_height: float | None = None,
) -> Flowable:
    """Labels with a ruled blank to sign on, ``per_row`` to a line (two; three for the
    compact form that lets a short record keep its signatures on its last page); a 日期
    blank reads 年 月 日."""
    label_style = style.but(align="left")
    blank_style = style.but(align="right")
    row: list[Flowable] = []
    rows: list[list[Flowable]] = []
    for label in labels:
        blank = "年\u3000\u3000月\u3000\u3000日" if label.endswith("日期") else ""
        row += [
            ts.para(label + "：", label_style, field="签字"),
            ts.para(blank, blank_style, field="签字"),
        ]
        if len(row) == 2 * per_row:
            rows.append(row)
            row = []
    if row:
        rows.append(row + _blanks(2 * per_row - len(row)))
    label_w = max(text_width(ts.fonts, lab + "：", label_style) for lab in labels)
    gap = (2 if per_row == 2 else 1) * style.size
    blank_w = (width - per_row * label_w - (per_row - 1) * gap) / per_row
    col_widths = [label_w, blank_w] + [label_w + gap, blank_w] * (per_row - 1)
    table = Table(
        rows,
        colWidths=col_widths,
        rowHeights=[row_height or 2 * style.leading] * len(rows),
    )
    cmds: list[tuple[object, ...]] = [
        _font(ts),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]
    cmds += [("LEFTPADDING", (c, 0), (c, -1), gap) for c in range(2, 2 * per_row, 2)]
    for r, cells in enumerate(rows):
        for c in range(1, 2 * per_row, 2):
            if not isinstance(cells[c - 1], Spacer):
                cmds.append(("LINEBELOW", (c, r), (c, r), RULE, colors.black))
    table.setStyle(TableStyle(cmds))
    table.spaceBefore = space_before
    table.hAlign = "LEFT"
    return table


# ---------------------------------------------------------------------------------------------
# 归档章


@dataclass(frozen=True)
class ArchiveStamp:
    """归档章 (DA/T 22-2015): 全宗号, 年度, 保管期限 and 件号 are required; 机构（问题）and
    页数 optional. Printed in a 2 × 3 box above the top right of the first page; an empty
    item leaves its cell blank to be filled in by hand."""

    fonds: str = ""  # 全宗号
    year: str | int = ""  # 年度
    retention: str = ""  # 保管期限: 永久 / 30年 / 10年
    item: str | int = ""  # 件号
    org: str = ""  # 机构（问题）
    pages: str | int = ""  # 页数

    def cells(self) -> list[list[str]]:
        """The two rows of the stamp: 全宗号 年度 件号 / 机构（问题） 保管期限 页数."""
        return [
            [str(self.fonds), str(self.year), str(self.item)],
            [str(self.org), str(self.retention), str(self.pages)],
        ]


STAMP_SIZE = 10.0


def check_stamp(ts: Typesetter, stamp: ArchiveStamp) -> None:
    for text in (t for row in stamp.cells() for t in row):
        ts.check(text, SONG, field="归档章")


#: The PDF form (XObject) that holds a stamp's 页数 when it is counted from the layout: the
#: first page refers to it, the document defines it once the last page is known (one build).
PAGES_FORM = "bdStampPages"


def draw_stamp_value(canv: Canvas, value: str, fonts: FontSet, x: float, y: float) -> None:
    """One value of the stamp in the cell whose lower left corner is (x, y): centred, set
    smaller if it is too wide."""
    style = TextStyle(SONG, STAMP_SIZE, STAMP_CELL_H, "center")
    p = CnParagraph(value, style, fonts)
    if p.natural_width() > STAMP_CELL_W - 2:
        size = STAMP_SIZE * (STAMP_CELL_W - 2) / p.natural_width()
        p = CnParagraph(value, style.but(size=size), fonts)
    p.wrap(STAMP_CELL_W, STAMP_CELL_H)
    p.drawOn(canv, x, y)


def draw_archive_stamp(
    canv: Canvas, stamp: ArchiveStamp, fonts: FontSet, rect: Rect, *, pages_form: bool = False
) -> None:
    """The stamp's box and values. With ``pages_form`` an empty 页数 is the form
    ``PAGES_FORM``, which the document defines at its end (``FormDocument``)."""
    canv.saveState()
    canv.setLineWidth(0.8)
    canv.rect(rect.x, rect.y, rect.width, rect.height)
    for i in (1, 2):
        canv.line(rect.x + i * STAMP_CELL_W, rect.y, rect.x + i * STAMP_CELL_W, rect.top)
    canv.line(rect.x, rect.y + STAMP_CELL_H, rect.right, rect.y + STAMP_CELL_H)
    for r, row in enumerate(stamp.cells()):
        for c, value in enumerate(row):
            x, y = rect.x + c * STAMP_CELL_W, rect.top - (r + 1) * STAMP_CELL_H
            if value:
                draw_stamp_value(canv, value, fonts, x, y)
            elif pages_form and (r, c) == (1, 2):
                canv.saveState()
                canv.translate(x, y)
                canv.doForm(PAGES_FORM)
                canv.restoreState()
    canv.restoreState()
