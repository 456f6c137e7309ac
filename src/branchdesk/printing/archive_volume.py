"""The archive volume (归档卷): cover, 卷内目录, the filed items with their 归档章, 备考表.

The items come as PDFs made by the areas' own print jobs (minutes, sign-in sheets, the
花名册, later points and talks forms): every form keeps its own layout. The volume is
composed page by page with pypdf: each item's own page numbers are taken out of its
content stream and the volume's continuous numbers are drawn in their place (same GB/T
9704 position, odd pages right, even left, landscape pages at the sheet's edge); the
归档章 is drawn on the item's first page; an item that would start on an even page gets a
blank page first, so every item starts on an odd (right-hand) page when printed
double-sided. The cover, the 目录 and the 备考表 are not numbered (档案 practice numbers
the filed pages only); the front matter is padded to an even count so page 1 is a
right-hand page.

The 归档章 is drawn here, not with ``blocks.draw_archive_stamp``: the volume fills it in
after the item was made, over a page it did not lay out.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass

from pypdf import PageObject, PdfReader, PdfWriter
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, PageBreak, Spacer

from branchdesk.domain.dates import format_cn
from branchdesk.printing.blocks import (
    CELL_STYLE,
    HEADER_STYLE,
    Column,
    ruled_table,
    signature_lines,
    title_block,
)
from branchdesk.printing.document import CREATOR, FormDocument, build_pdf, draw_page_number
from branchdesk.printing.fonts import HEI, SONG, TITLE, FontSet, resolve_fonts
from branchdesk.printing.page import (
    BLOCK_W_MM,
    BOTTOM_MARGIN_MM,
    LINE_PITCH,
    MM,
    PAGE_NUMBER_SIZE,
    SHEET_TO_LANDSCAPE,
    STAMP_CELL_H,
    STAMP_CELL_W,
    Orientation,
    Rect,
    page_size,
    stamp_rect,
)
from branchdesk.printing.text import BODY_STYLE, CnParagraph, TextStyle, Typesetter

COVER_TITLE = BODY_STYLE.but(role=TITLE, size=26.0, leading=1.4 * 26.0, align="center",
                             first_indent=0.0)  # fmt: skip
COVER_LINE = BODY_STYLE.but(align="left", first_indent=0.0, leading=2 * LINE_PITCH)
CONTENTS_COLUMNS = (
    Column("件号", wrap=False),
    Column("责任者"),
    Column("题名", align="left"),
    Column("日期", wrap=False),
    Column("页数", wrap=False),
    Column("页号", wrap=False),
    Column("备注"),
)
CONTENTS_SHARES = (0.07, 0.20, 0.33, 0.15, 0.07, 0.10, 0.08)
STAMP_SIZE = 10.0


@dataclass(frozen=True)
class FilingStamp:
    """归档章 (DA/T 22-2015) as filled for one item: 全宗号 年度 件号 / 机构 保管期限 页数."""

    fonds: str
    year: int
    number: str
    retention: str
    pages: int
    org: str = ""

    def cells(self) -> list[list[str]]:
        return [
            [self.fonds, str(self.year), self.number],
            [self.org, self.retention, str(self.pages)],
        ]


@dataclass(frozen=True)
class VolumeEntry:
    """One 件 as the 目录 lists it; ``pdf`` is the item as its area printed it."""

    number: str  # 件号
    responsible: str
    title: str
    day: dt.date
    retention: str
    pdf: bytes
    note: str = ""


@dataclass(frozen=True)
class VolumeInfo:
    fonds: str  # 全宗号
    year: int
    retention: str
    branch: str
    volume: int
    volumes: int
    compiler: str = ""  # 立卷人
    checker: str = ""  # 检查人
    compiled_on: dt.date | None = None  # 立卷时间
    remarks: str = ""  # 本卷情况说明 (added to what the volume counts itself)


@dataclass(frozen=True)
class PlacedItem:
    """Where an item landed: its first page number in the volume and its page count."""

    number: str
    first_page: int
    pages: int
    blank_before: bool


class _Unnumbered(FormDocument):
    """Front and back matter: the GB/T 9704 pages without page numbers."""

    def _decorate(self, canv: Canvas, _doc: object) -> None:
        return


# ---------------------------------------------------------------------------------------------
# taking an item's own page numbers out


def _multiply(m: Sequence[float], n: Sequence[float]) -> tuple[float, ...]:
    """m × n for PDF matrices (a b c d e f): apply m, then n."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _sheet_y(x: float, y: float, landscape: bool) -> float:
    """The height of a page point on the upright sheet (landscape: x' = y, y' = W − x)."""
    return x if landscape else y


#: A page number's baseline lies 7 mm and a little under the block's lower edge; body text
#: never starts below it.
_NUMBER_ZONE = (BOTTOM_MARGIN_MM - 3) * MM


def strip_page_numbers(page: PageObject) -> int:
    """Remove the text objects set in the page-number size below the text block (the
    "— N —" every FormDocument draws); returns how many were removed."""
    landscape = float(page.mediabox.width) > float(page.mediabox.height)
    content = page.get_contents()
    if content is None:
        return 0
    ops = content.operations
    ctm: tuple[float, ...] = (1, 0, 0, 1, 0, 0)
    stack: list[tuple[float, ...]] = []
    keep: list[tuple[object, bytes]] = []
    removed = 0
    block: list[tuple[object, bytes]] | None = None
    size, origin = 0.0, (0.0, 0.0)
    for operands, op in ops:
        if block is not None:
            block.append((operands, op))
            if op == b"Tf":
                size = float(operands[1])  # type: ignore[index]
            elif op == b"Tm":
                m = [float(v) for v in operands]  # type: ignore[union-attr]
                full = _multiply(m, ctm)
                origin = (full[4], full[5])
            elif op == b"ET":
                if abs(size - PAGE_NUMBER_SIZE) < 0.01 and 0 < _sheet_y(*origin, landscape) < (
                    _NUMBER_ZONE
                ):
                    removed += 1
                else:
                    keep.extend(block)
                block = None
            continue
        if op == b"q":
            stack.append(ctm)
        elif op == b"Q":
            ctm = stack.pop() if stack else (1, 0, 0, 1, 0, 0)
        elif op == b"cm":
            ctm = _multiply([float(v) for v in operands], ctm)  # type: ignore[union-attr]
        elif op == b"BT":
            block = [(operands, op)]
            size, origin = 0.0, (ctm[4], ctm[5])
            continue
        keep.append((operands, op))
    if removed:
        content.operations = keep
        page.replace_contents(content)
    return removed


# ---------------------------------------------------------------------------------------------
# drawing over the items


def draw_filing_stamp(canv: Canvas, stamp: FilingStamp, fonts: FontSet, rect: Rect) -> None:
    """The 2 × 3 box of the 归档章 with its values centred, shrunk to fit a cell."""
    canv.saveState()
    canv.setLineWidth(0.8)
    canv.setStrokeColorRGB(0.75, 0, 0)  # a stamp is red ink
    canv.rect(rect.x, rect.y, rect.width, rect.height)
    for i in (1, 2):
        canv.line(rect.x + i * STAMP_CELL_W, rect.y, rect.x + i * STAMP_CELL_W, rect.top)
    canv.line(rect.x, rect.y + STAMP_CELL_H, rect.right, rect.y + STAMP_CELL_H)
    style = TextStyle(SONG, STAMP_SIZE, STAMP_CELL_H, "center")
    for r, row in enumerate(stamp.cells()):
        for c, value in enumerate(row):
            if not value:
                continue
            p = CnParagraph(value, style, fonts)
            if p.natural_width() > STAMP_CELL_W - 2:
                p = CnParagraph(value, style.but(size=STAMP_SIZE * (STAMP_CELL_W - 2)
                                                 / p.natural_width()), fonts)  # fmt: skip
            p.wrap(STAMP_CELL_W, STAMP_CELL_H)
            p.drawOn(canv, rect.x + c * STAMP_CELL_W, rect.top - (r + 1) * STAMP_CELL_H + 2.5)
    canv.restoreState()


def _overlay(
    sizes: Sequence[tuple[float, float]],
    numbers: Sequence[int],
    stamp: FilingStamp | None,
    fonts: FontSet,
) -> PdfReader:
    """One page per item page: its volume page number, and the stamp on the first."""
    out = io.BytesIO()
    # initialFontName: else every page's stream opens with Helvetica, a font not embedded
    canv = Canvas(out, pagesize=sizes[0], invariant=1, initialFontName=fonts.name(SONG))
    for n, ((w, h), number) in enumerate(zip(sizes, numbers, strict=True)):
        canv.setPageSize((w, h))
        orientation: Orientation = "landscape" if w > h else "portrait"
        draw_page_number(canv, number, orientation, fonts)
        if n == 0 and stamp is not None:
            canv.saveState()
            if orientation == "landscape":  # stamp_rect is on the upright sheet
                canv.transform(*SHEET_TO_LANDSCAPE)
            draw_filing_stamp(canv, stamp, fonts, stamp_rect(orientation))
            canv.restoreState()
        canv.showPage()
    canv.save()
    return PdfReader(io.BytesIO(out.getvalue()))


# ---------------------------------------------------------------------------------------------
# front and back matter


def cover_lines(info: VolumeInfo) -> list[tuple[str, str]]:
    """(label, value) of the cover, below the branch and "Y年度文书档案"."""
    return [
        ("全宗号", info.fonds or "\u3000"),
        ("年\u3000度", f"{info.year}年"),
        ("保管期限", info.retention),
        ("卷\u3000号", f"第{info.volume}卷（共{info.volumes}卷）"),
        ("立卷单位", info.branch),
    ]


def back_lines(info: VolumeInfo) -> list[str]:
    """The 备考表's lines after 本卷情况说明."""
    return [
        f"立卷人：{info.compiler}",
        f"检查人：{info.checker}",
        f"立卷时间：{format_cn(info.compiled_on) if info.compiled_on else ''}",
    ]


def contents_rows(
    entries: Sequence[VolumeEntry], counts: Sequence[int], placed: Sequence[tuple[int, bool]]
) -> list[list[str]]:
    """The 卷内目录 rows: 件号, 责任者, 题名, 日期, 页数, 页号, 备注."""
    return [
        [e.number, e.responsible, e.title, contents_date(e.day), str(n),
         f"{first}" if n == 1 else f"{first}–{first + n - 1}", e.note]
        for e, n, (first, _blank) in zip(entries, counts, placed, strict=True)
    ]  # fmt: skip


def volume_remarks(
    info: VolumeInfo, counts: Sequence[int], placed: Sequence[tuple[int, bool]]
) -> str:
    """本卷情况说明: what the volume holds, then the remarks given."""
    total = (placed[-1][0] + counts[-1] - 1) if counts else 0
    blanks = sum(1 for _p, b in placed if b)
    return f"本卷共{len(counts)}件，{total}页（其中空白页{blanks}页，未编页号）。" + info.remarks


def _front_matter(
    ts: Typesetter, info: VolumeInfo, rows: Sequence[Sequence[str]], records: Sequence[str]
) -> list[Flowable]:
    width = BLOCK_W_MM * MM
    cover = cover_lines(info)
    story: list[Flowable] = [
        Spacer(0, 3 * LINE_PITCH),
        ts.para(f"{info.branch}", COVER_TITLE, field="封面"),
        ts.para(f"{info.year}年度文书档案", COVER_TITLE, field="封面"),
        Spacer(0, 3 * LINE_PITCH),
    ]
    story += [ts.para(f"{label}：{value}", COVER_LINE.but(first_indent=4 * 15.8), field="封面")
              for label, value in cover]  # fmt: skip
    story += [PageBreak(), title_block(ts, "卷内目录")]
    header = HEADER_STYLE.but(size=12.0, leading=15.0)
    body = CELL_STYLE.but(size=12.0, leading=15.0)
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
                records=records,
                min_row_height=LINE_PITCH,
            )
        )
    else:
        story.append(ts.para("（本卷没有文件）", BODY_STYLE.but(align="center")))
    return story


def _back_matter(ts: Typesetter, info: VolumeInfo, remarks: str) -> list[Flowable]:
    width = BLOCK_W_MM * MM
    story: list[Flowable] = [
        title_block(ts, "备\u3000考\u3000表"),
        ts.para("本卷情况说明：", BODY_STYLE.but(role=HEI, first_indent=0.0), field="备考表"),
        ts.para(remarks, BODY_STYLE, field="本卷情况说明"),
        Spacer(0, 2 * LINE_PITCH),
    ]
    lines = back_lines(info)
    story += [ts.para(text, BODY_STYLE.but(first_indent=0.0), field="备考表") for text in lines]
    story.append(signature_lines(ts, ("立卷人签字", "检查人签字"), width=width))
    return story


def _unnumbered_pdf(story: list[Flowable], ts: Typesetter, title: str) -> bytes:
    return build_pdf(story, ts, title=title, document=_Unnumbered)


# ---------------------------------------------------------------------------------------------
# the volume


def contents_date(day: dt.date) -> str:
    """日期 in the 目录 as DA/T 22-2015 writes it: eight digits, 20250305."""
    return day.strftime("%Y%m%d")


def place_items(page_counts: Sequence[int]) -> list[tuple[int, bool]]:
    """(first page, blank page before it) for items of these page counts, numbered from 1,
    each starting on an odd page."""
    out = []
    page = 1
    for count in page_counts:
        blank = page % 2 == 0
        if blank:
            page += 1
        out.append((page, blank))
        page += count
    return out


def volume_pdf(
    info: VolumeInfo,
    entries: Sequence[VolumeEntry],
    *,
    fonts: FontSet | None = None,
) -> tuple[bytes, list[PlacedItem]]:
    """The volume as PDF bytes and where each item landed. Raises MissingGlyphError (with
    the field) before anything is drawn if a character has no glyph."""
    fonts = fonts or resolve_fonts()
    readers = [PdfReader(io.BytesIO(e.pdf)) for e in entries]
    counts = [len(r.pages) for r in readers]
    placed = place_items(counts)
    rows = contents_rows(entries, counts, placed)
    ts = Typesetter(fonts)
    front = _unnumbered_pdf(_front_matter(ts, info, rows, [e.title for e in entries]), ts,
                            f"{info.branch}{info.year}年度文书档案 第{info.volume}卷")  # fmt: skip
    remarks = volume_remarks(info, counts, placed)
    ts_back = Typesetter(fonts)
    back = _unnumbered_pdf(_back_matter(ts_back, info, remarks), ts_back, "备考表")

    writer = PdfWriter()
    front_reader = PdfReader(io.BytesIO(front))
    for page in front_reader.pages:
        writer.add_page(page)
    if len(front_reader.pages) % 2:
        writer.add_blank_page(*page_size("portrait"))
    out_items: list[PlacedItem] = []
    for entry, reader, count, (first, blank) in zip(entries, readers, counts, placed, strict=True):
        if blank:
            writer.add_blank_page(*page_size("portrait"))
        sizes = [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]
        stamp = FilingStamp(info.fonds, info.year, entry.number, entry.retention, count)
        overlay = _overlay(sizes, [first + i for i in range(count)], stamp, fonts)
        for page, over in zip(reader.pages, overlay.pages, strict=True):
            mine = writer.add_page(page)
            strip_page_numbers(mine)
            mine.merge_page(over)
        out_items.append(PlacedItem(entry.number, first, count, blank))
    back_reader = PdfReader(io.BytesIO(back))
    if (len(writer.pages)) % 2:
        writer.add_blank_page(*page_size("portrait"))
    for page in back_reader.pages:
        writer.add_page(page)
    title = f"{info.branch}{info.year}年度文书档案 第{info.volume}卷"
    writer.add_metadata({"/Title": title, "/Author": info.branch, "/Creator": CREATOR})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), out_items


def append_renumbered(first: bytes, second: bytes, *, fonts: FontSet | None = None) -> bytes:
    """``second`` (a FormDocument PDF) after ``first``, its pages numbered on from it:
    an addendum (更正说明) printed with the record it corrects."""
    fonts = fonts or resolve_fonts()
    head, tail = PdfReader(io.BytesIO(first)), PdfReader(io.BytesIO(second))
    writer = PdfWriter()
    for page in head.pages:
        writer.add_page(page)
    start = len(head.pages) + 1
    if start % 2 == 0:  # the addendum starts on a right-hand page too
        writer.add_blank_page(*page_size("portrait"))
        start += 1
    sizes = [(float(p.mediabox.width), float(p.mediabox.height)) for p in tail.pages]
    overlay = _overlay(sizes, [start + i for i in range(len(sizes))], None, fonts)
    for page, over in zip(tail.pages, overlay.pages, strict=True):
        mine = writer.add_page(page)
        strip_page_numbers(mine)
        mine.merge_page(over)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


__all__ = [
    "append_renumbered",
    "back_lines",
    "contents_rows",
    "cover_lines",
    "volume_remarks",
    "FilingStamp",
    "PlacedItem",
    "VolumeEntry",
    "VolumeInfo",
    "place_items",
    "strip_page_numbers",
    "volume_pdf",
]
