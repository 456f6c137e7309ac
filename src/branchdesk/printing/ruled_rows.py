"""A long ruled table drawn row by row: the 积分公示 and the 年度汇总 of a big branch.

``blocks.ruled_table`` hands its cells to ReportLab's Table, which draws every cell as a
flowable of its own (save the graphics state, move, open a text object, restore), styles
every cell again for each page it splits off, and re-measures the rows of each part. For
1,700 rows of 8 cells that was most of a 4 s 公示 (profiled: Table._drawCell,
_setCellStyle, _calc_height, coordinate formatting).

``long_ruled_table`` takes the same columns and rows and makes the same cells — the same
``CnParagraph`` line breaking, fonts and fallback fonts, missing-glyph report, column
widths, padding, vertical centring and grid — but ``RuledRows`` lays them out once,
splits between rows repeating the header row as Table does, and draws a page's cells in
one text object and its rules as one path. The page looks the same; tests read it back.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate

from reportlab.lib import colors
from reportlab.platypus import Flowable

from branchdesk.printing.blocks import (
    CELL_PAD_X,
    CELL_PAD_Y,
    CELL_STYLE,
    FRAME_RULE,
    HEADER_STYLE,
    RULE,
    Column,
    cell_widths,
    column_minimums,
    fit_widths,
    shrink_minimums,
    shrunk,
)
from branchdesk.printing.text import FUZZ, CnParagraph, TextStyle, Typesetter, ideograph_centre


class RuledRows(Flowable):
    """Rows of one-paragraph cells under a header row, ruled like ``ruled_table``'s."""

    def __init__(
        self,
        header: Sequence[CnParagraph],
        rows: Sequence[Sequence[CnParagraph]],
        widths: Sequence[float],
        header_height: float,
        heights: Sequence[float],
    ) -> None:
        super().__init__()
        self.header = header
        self.rows = rows
        self.widths = list(widths)
        self.header_height = header_height
        self.heights = list(heights)
        self._tops = [0.0, *accumulate(self.heights)]  # height of the first n body rows
        self.hAlign = "CENTER"  # as Table: centred in the frame (it fills it anyway)

    def __repr__(self) -> str:
        return f"RuledRows({len(self.rows)} rows)"

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = sum(self.widths)
        self.height = self.header_height + self._tops[-1]
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        """Between rows: the first part as many rows as fit, the rest under the header
        again. Nothing when not even one row fits under the header (next page)."""
        room = availHeight - self.header_height + FUZZ
        fit = bisect_right(self._tops, room) - 1
        if fit < 1:
            return []
        if fit >= len(self.rows):
            return [self]
        return [self._part(0, fit), self._part(fit, len(self.rows))]

    def _part(self, start: int, end: int) -> RuledRows:
        return RuledRows(
            self.header,
            self.rows[start:end],
            self.widths,
            self.header_height,
            self.heights[start:end],
        )

    def draw(self) -> None:
        canv = self.canv
        text = canv.beginText()
        state: list[object] = [None, None]  # the text object's (font, size), char space
        top = self.height
        parts = zip(self.rows, self.heights, strict=True)
        for row, height in ((self.header, self.header_height), *parts):
            x = 0.0
            for cell, width in zip(row, self.widths, strict=True):
                _cell_text(text, state, cell, x + CELL_PAD_X, top - height, height,
                           width - 2 * CELL_PAD_X)  # fmt: skip
                x += width
            top -= height
        canv.drawText(text)
        self._draw_rules()

    def _draw_rules(self) -> None:
        """GRID at RULE, then BOX at FRAME_RULE, round caps and joins: ReportLab's Table
        draws ``ruled_commands`` so."""
        canv = self.canv
        width, height = self.width, self.height
        ys = [height, *(height - self.header_height - t for t in self._tops)]
        xs = [0.0, *accumulate(self.widths)]
        canv.saveState()
        canv.setLineCap(1)
        canv.setLineJoin(1)
        canv.setStrokeColor(colors.black)
        canv.setLineWidth(RULE)
        path = canv.beginPath()
        for y in ys:
            path.moveTo(0, y)
            path.lineTo(width, y)
        for x in xs:
            path.moveTo(x, 0)
            path.lineTo(x, height)
        canv.drawPath(path, stroke=1, fill=0)
        canv.setLineWidth(FRAME_RULE)
        box = canv.beginPath()
        for x0, y0, x1, y1 in ((0, height, width, height), (0, 0, width, 0),
                               (0, 0, 0, height), (width, 0, width, height)):  # fmt: skip
            box.moveTo(x0, y0)
            box.lineTo(x1, y1)
        canv.drawPath(box, stroke=1, fill=0)
        canv.restoreState()


def _cell_text(
    text: object,
    state: list[object],
    cell: CnParagraph,
    left: float,
    bottom: float,
    height: float,
    inner: float,
) -> None:
    """One cell into the page's text object: centred vertically in its row (VALIGN
    MIDDLE between equal paddings), each line placed as ``CnParagraph.draw`` places it."""
    st = cell.style
    lines = cell._layout(inner)  # laid out at this width when the row was measured
    top = bottom + (height + len(lines) * st.leading) / 2
    centre = ideograph_centre(cell.fonts.name(st.role)) * st.size
    for line in lines:
        baseline = top - st.leading / 2 - centre
        top -= st.leading
        if not line.runs:
            continue
        tracking = st.tracking
        x = line.indent
        room = inner - line.indent - line.width
        if st.align == "center":
            x += room / 2
        elif st.align == "right":
            x += room
        elif st.align == "justify" and line.justify and line.chars > 1 and room > 0:
            tracking += room / (line.chars - 1)
        text.setTextOrigin(left + x, baseline)  # type: ignore[attr-defined]
        if tracking != state[1]:
            text.setCharSpace(tracking)  # type: ignore[attr-defined]
            state[1] = tracking
        for font, run in line.runs:
            if state[0] != (font, st.size):
                text.setFont(font, st.size)  # type: ignore[attr-defined]
                state[0] = (font, st.size)
            text.textOut(run)  # type: ignore[attr-defined]


def long_ruled_table(
    ts: Typesetter,
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    *,
    width: float,
    records: Sequence[str] | None = None,
    header_style: TextStyle = HEADER_STYLE,
    body_style: TextStyle = CELL_STYLE,
) -> RuledRows:
    """What ``blocks.ruled_table`` prints, for tables of hundreds of rows."""
    natural = cell_widths(ts, columns, rows, header_style, body_style)
    minimum = column_minimums(ts, columns, header_style, body_style)
    widths = fit_widths(natural, shrink_minimums(columns, natural, minimum), columns, width)
    inner = [w - 2 * CELL_PAD_X for w in widths]
    styles = [body_style.but(align=col.align) for col in columns]

    def height(row: Sequence[CnParagraph]) -> float:
        return max(c.wrap(w, 1e6)[1] for c, w in zip(row, inner, strict=True)) + 2 * CELL_PAD_Y

    header = [ts.para(c.title, header_style, field="表头") for c in columns]
    # A cell is laid out once per column and text: a 公示 has 2,000 names but few distinct
    # scores and bands. A shared paragraph is only read (RuledRows draws it, never Table),
    # and each occurrence still reports its missing characters with its own record.
    made: dict[tuple[int, str], CnParagraph] = {}
    body: list[list[CnParagraph]] = []
    for i, row in enumerate(rows):
        record = records[i] if records is not None else ""
        line: list[CnParagraph] = []
        for c, (col, text, w, style) in enumerate(zip(columns, row, widths, styles, strict=True)):
            cell = made.get((c, text))
            if cell is None:
                cell = made[(c, text)] = CnParagraph(
                    text, shrunk(ts, text, style, col, w), ts.fonts
                )
            line.append(ts.track(cell, field=col.title, record=record))
        body.append(line)
    return RuledRows(header, body, widths, height(header), [height(r) for r in body])
