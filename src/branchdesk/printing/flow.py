"""Page flow of the records: flowables that keep text on the 22-line grid and keep what
belongs together on one page, and the document that prints the 续 head.

* ``OnGrid`` rounds a table's height up to whole body lines.
* ``KeepTail`` keeps the last lines of a record with its signature lines (or a notice's
  落款): they never stand alone on a page.
* ``_Start`` / ``_NewPage`` / ``PageState`` note where each record begins and begin the next
  one on a new (odd) page.
* ``MinutesDocument`` draws the 续 head of every page after a record's first.

**The continuation head** ("（续）支部党员大会 2025年12月1日", 小四 仿宋 over a thin rule) is a
*running header* in the top margin (天头), not a line of the text block: its baseline sits
between the rule (2.5 mm above the block) and about 7 mm above the block, i.e. 30–35 mm from
the top edge. It stays out of the block so that every page keeps GB/T 9704's 22 lines × 28
characters, and the body lines of the first page and of the pages after it lie on the same
grid; the 37 mm 天头 has room for it, and the 归档章 (first page only, where there is no head)
is the only other thing printed there.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import ActionFlowable, BaseDocTemplate, Flowable

from branchdesk.printing.blocks import RULE, ArchiveStamp
from branchdesk.printing.document import FormDocument, draw_stamp
from branchdesk.printing.fonts import BODY, SONG, FontSet
from branchdesk.printing.page import LINE_PITCH, MM, TABLE_SIZE, text_block
from branchdesk.printing.text import FUZZ, CnParagraph, TextStyle, Typesetter

#: The 续 head above the block: 小四 仿宋.
HEAD_STYLE = TextStyle(BODY, TABLE_SIZE, 1.25 * TABLE_SIZE, "left")
HEAD_RULE_GAP = 2.5 * MM  # from the block's top edge up to the rule under the head


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
        if len(parts) == 1:  # fits as it is, not once rounded up and given its space after
            tighter = room - math.ceil(self.after + 1) * self.pitch
            parts = self.inner.split(availWidth, tighter) if tighter > 0 else []
            if len(parts) < 2:
                return []  # all of it on the next page
        return [
            OnGrid(part, self.pitch, self.after if i == len(parts) - 1 else 0.0)
            for i, part in enumerate(parts)
        ]

    def draw(self) -> None:
        self.inner.drawOn(self.canv, 0, self.height - self._inner_h)


class KeepTail(Flowable):
    """The end of a record: ``body`` (the last paragraph or table) followed by ``tail`` (the
    signature lines, the 落款). When both do not fit, at least ``keep`` points of ``body``
    (two lines) go over with the tail: signatures never stand alone on a page. If a
    ``compact`` tail (the signature lines on one row) lets the whole end stay on the page,
    it is used instead: a short record does not spill two lines and its signatures onto a
    page of their own."""

    def __init__(
        self,
        body: Flowable,
        tail: Flowable,
        keep: float = 2 * LINE_PITCH,
        compact: Flowable | None = None,
    ) -> None:
        super().__init__()
        self.body, self.tail, self.keep, self.compact = body, tail, keep, compact
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
        if self.compact is not None:
            small = KeepTail(self.body, self.compact, self.keep)
            if small.wrap(availWidth, availHeight)[1] <= availHeight + FUZZ:
                return [small]
        room = min(availHeight, self._body_h - self.keep)
        parts = self.body.split(availWidth, room) if room > 0 else []
        if len(parts) < 2:
            return []  # all of it on the next page
        return [*parts[:-1], KeepTail(parts[-1], self.tail, self.keep)]

    def draw(self) -> None:
        self.body.drawOn(self.canv, 0, self.height - self._body_h)
        self.tail.drawOn(self.canv, 0, 0)


class KeepHeading(Flowable):
    """A heading ("三、有关要求") and what follows it: the heading never stands last on a page;
    at least ``keep`` points (two lines) of what follows stay with it, or it goes over."""

    def __init__(self, heading: Flowable, body: Flowable, keep: float = 2 * LINE_PITCH) -> None:
        super().__init__()
        self.heading, self.body, self.keep = heading, body, keep
        self._head_h = self._body_h = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self._head_h = self.heading.wrap(availWidth, availHeight)[1]
        self._body_h = self.body.wrap(availWidth, availHeight)[1]
        self.width = availWidth
        self.height = self._head_h + self._body_h
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        self.wrap(availWidth, availHeight)
        if self.height <= availHeight + FUZZ:
            return [self]
        room = availHeight - self._head_h
        if room < min(self.keep, self._body_h) - FUZZ:
            return []
        parts = self.body.split(availWidth, room)
        if not parts:
            return []
        first = parts[0].wrap(availWidth, room)[1]
        if len(parts) == 1:  # the body found a smaller form that fits (KeepTail, compact)
            fits = first <= room + FUZZ
            return [KeepHeading(self.heading, parts[0], 0.0)] if fits else []
        if first < min(self.keep, self._body_h) - FUZZ:
            return []
        return [KeepHeading(self.heading, parts[0], 0.0), *parts[1:]]

    def draw(self) -> None:
        self.heading.drawOn(self.canv, 0, self.height - self._head_h)
        self.body.drawOn(self.canv, 0, 0)


def keep_headings(story: list[Flowable], headings: Sequence[Flowable]) -> list[Flowable]:
    """``story`` with each of ``headings`` joined to the flowable after it (KeepHeading)."""
    marked = {id(h) for h in headings}
    out: list[Flowable] = []
    i = 0
    while i < len(story):
        item = story[i]
        if id(item) in marked and i + 1 < len(story):
            out.append(KeepHeading(item, story[i + 1]))
            i += 2
        else:
            out.append(item)
            i += 1
    return out


@dataclass
class PageState:
    """What the page hooks need to know while a document is laid out."""

    head: str = ""  # the 续 line, for pages after head_page
    head_page: int = 0
    starts: list[int] = field(default_factory=list)  # where each record begins
    unnumbered: set[int] = field(default_factory=set)  # the cover, blank pages
    #: The 归档章 of each record (by its place in the volume), printed on its first page.
    stamps: dict[int, ArchiveStamp] = field(default_factory=dict)
    stamp_pages: dict[int, ArchiveStamp] = field(default_factory=dict)
    last_page: int = 0


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
        stamp = self.state.stamps.get(len(self.state.starts))
        if stamp is not None:
            self.state.stamp_pages[page] = stamp
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
        state.last_page = page
        stamp = state.stamp_pages.get(page)
        if stamp is not None:
            draw_stamp(canv, stamp, self.fonts, self.orientation)
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


