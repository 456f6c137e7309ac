"""Page geometry from GB/T 9704-2012, every number in one place.

A4, printed on both sides and bound on the left. The text block (版心) is 156 × 225 mm with
its top 37 mm from the top edge (天头) and 28 mm from the binding edge (订口): on odd pages
the left margin is 28 mm, on even pages the right one, so the blocks of the two sides of a
sheet coincide. Body text is 3号 (16 pt), 22 lines × 28 characters: the line pitch is
225 mm / 22 = 28.99 pt and the character pitch 156 mm / 28 = 15.80 pt, so 16 pt characters
are set 0.20 pt tighter than their advance (what Word's document grid does too).

Page numbers are "— 1 —" in 4号 (14 pt) 宋体 with half-width digits; the dashes sit 7 mm below
the block; odd pages right, even pages left, one character (14 pt) in from the block's edge.

Landscape pages (wide tables) keep the sheet's logic (GB/T 9704 §8, 公文中的横排表格: "A4
纸型的表格横排时，页码位置与公文其他页码保持一致，单页码表头在订口一边，双页码表头在切口一边"):
the page is read
turned a quarter clockwise, so its top edge lies on the binding side of an odd page and on
the outer side of an even page, the block is the same physical rectangle (225 × 156 mm
across), and the page number stays where it is on every other sheet, printed in the sheet's
own orientation — at the left of the landscape page, bottom corner on odd pages, top on even.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Orientation = Literal["portrait", "landscape"]

MM = 72 / 25.4  # points per millimetre

PAGE_W_MM, PAGE_H_MM = 210.0, 297.0  # A4
TOP_MARGIN_MM = 37.0  # 天头
BINDING_MARGIN_MM = 28.0  # 订口
BLOCK_W_MM, BLOCK_H_MM = 156.0, 225.0  # 版心
BOTTOM_MARGIN_MM = PAGE_H_MM - TOP_MARGIN_MM - BLOCK_H_MM  # 35 mm
OUTER_MARGIN_MM = PAGE_W_MM - BINDING_MARGIN_MM - BLOCK_W_MM  # 26 mm (切口)

LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
BODY_SIZE = 16.0  # 3号
TITLE_SIZE = 22.0  # 2号
TABLE_SIZE_LARGE = 14.0  # 4号
TABLE_SIZE = 12.0  # 小四
TABLE_SIZE_SMALL = 10.5  # 五号: only for a table too wide for 小四 on a landscape page
PAGE_NUMBER_SIZE = 14.0  # 4号
LINE_PITCH = BLOCK_H_MM * MM / LINES_PER_PAGE  # 28.99 pt
CHAR_PITCH = BLOCK_W_MM * MM / CHARS_PER_LINE  # 15.80 pt
BODY_TRACKING = CHAR_PITCH - BODY_SIZE  # -0.20 pt between characters
BODY_INDENT = 2 * CHAR_PITCH  # 首行缩进二字

PAGE_NUMBER_DROP = 7 * MM  # from the block's lower edge down to the dashes
PAGE_NUMBER_INSET = PAGE_NUMBER_SIZE  # "空一字"
PAGE_NUMBER_DASH = "\u2014"  # 一字线
#: Height of a dash above the baseline, in ems, when the font cannot tell.
DEFAULT_DASH_CENTRE = 0.3

#: 归档章 (DA/T 22-2015): 2 rows × 3 cells of 15 × 8 mm, above the block's top right corner.
STAMP_CELL_W = 15 * MM
STAMP_CELL_H = 8 * MM
STAMP_GAP = 4 * MM  # between the stamp and the block


@dataclass(frozen=True)
class Rect:
    """A rectangle in points, origin at the bottom left (PDF coordinates)."""

    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def top(self) -> float:
        return self.y + self.height

    def contains(self, x: float, y: float, tolerance: float = 0.01) -> bool:
        return (
            self.x - tolerance <= x <= self.right + tolerance
            and self.y - tolerance <= y <= self.top + tolerance
        )


def page_size(orientation: Orientation = "portrait") -> tuple[float, float]:
    """(width, height) of the page in points."""
    if orientation == "landscape":
        return PAGE_H_MM * MM, PAGE_W_MM * MM
    return PAGE_W_MM * MM, PAGE_H_MM * MM


def is_odd(page_number: int) -> bool:
    return page_number % 2 == 1


def sheet_block(page_number: int) -> Rect:
    """The text block on the sheet held upright (portrait coordinates)."""
    left = BINDING_MARGIN_MM if is_odd(page_number) else OUTER_MARGIN_MM
    return Rect(left * MM, BOTTOM_MARGIN_MM * MM, BLOCK_W_MM * MM, BLOCK_H_MM * MM)


#: Maps upright-sheet coordinates onto a landscape page: x' = y, y' = 210 mm − x.
#: As a PDF matrix (a b c d e f) for ``canvas.transform``.
SHEET_TO_LANDSCAPE = (0.0, -1.0, 1.0, 0.0, 0.0, PAGE_W_MM * MM)


def sheet_to_page(x: float, y: float, orientation: Orientation) -> tuple[float, float]:
    """A point of the upright sheet in the coordinates of the page as printed."""
    if orientation == "landscape":
        a, b, c, d, e, f = SHEET_TO_LANDSCAPE
        return a * x + c * y + e, b * x + d * y + f
    return x, y


def text_block(page_number: int, orientation: Orientation = "portrait") -> Rect:
    """The text block of a page, in the page's own coordinates."""
    block = sheet_block(page_number)
    if orientation == "portrait":
        return block
    (x0, y0), (x1, y1) = (
        sheet_to_page(block.x, block.y, orientation),
        sheet_to_page(block.right, block.top, orientation),
    )
    return Rect(min(x0, x1), min(y0, y1), abs(x1 - x0), abs(y1 - y0))


def page_number_text(page_number: int) -> str:
    return f"{PAGE_NUMBER_DASH} {page_number} {PAGE_NUMBER_DASH}"


def page_number_origin(
    page_number: int, text_width: float, dash_centre: float
) -> tuple[float, float]:
    """Where the page number's baseline starts, in upright-sheet coordinates.

    ``text_width`` is the width of the whole "— N —" in points, ``dash_centre`` the height
    of the dash's middle above the baseline in ems.
    """
    block = sheet_block(page_number)
    baseline = block.y - PAGE_NUMBER_DROP - dash_centre * PAGE_NUMBER_SIZE
    if is_odd(page_number):
        return block.right - PAGE_NUMBER_INSET - text_width, baseline
    return block.x + PAGE_NUMBER_INSET, baseline


def stamp_rect(orientation: Orientation = "portrait") -> Rect:
    """The 归档章 on the first page, in upright-sheet coordinates: in the 天头 above the block,
    flush with the block's right edge, i.e. at the top right of the sheet and clear of the
    binding margin (DA/T 22-2015 puts it on the first page's upper blank). A landscape page
    prints it there too, turned with the sheet like the page number (``sheet_to_page``):
    placed by the landscape page's own top right it would fall into the binding margin, since
    that page's top edge lies on the binding side. ``orientation`` is accepted for callers
    that pass it; the place on the sheet is the same."""
    del orientation
    block = sheet_block(1)
    width, height = 3 * STAMP_CELL_W, 2 * STAMP_CELL_H
    return Rect(block.right - width, block.top + STAMP_GAP, width, height)


def page_to_sheet(x: float, y: float, orientation: Orientation) -> tuple[float, float]:
    """A point of the page as printed in upright-sheet coordinates (inverse of
    ``sheet_to_page``)."""
    if orientation == "landscape":
        return PAGE_W_MM * MM - y, x
    return x, y
