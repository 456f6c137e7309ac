"""The document every form is printed in: GB/T 9704 pages, page numbers, 归档章; and
``text_pdf``, a plain document of paragraphs (minutes will be printed with it).

Missing glyphs: every function that makes a PDF raises ``MissingGlyphError`` (listing each
character with its field and record) *before* drawing anything, if any character of the
content has no glyph in any font of the FontSet. Nothing is ever printed as a blank.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator, Sequence

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, NextPageTemplate, PageTemplate
from reportlab.platypus.doctemplate import LayoutError

from branchdesk.domain.dates import format_cn
from branchdesk.printing.blocks import (
    META_STYLE,
    PAGES_FORM,
    ArchiveStamp,
    check_stamp,
    draw_archive_stamp,
    draw_stamp_value,
    signature_lines,
    title_block,
    two_sided_line,
)
from branchdesk.printing.fonts import (
    BODY,
    HEI,
    ROLES,
    SONG,
    TITLE,
    FontSet,
    glyph_vertical_centre,
    resolve_fonts,
)
from branchdesk.printing.page import (
    BLOCK_W_MM,
    BODY_SIZE,
    DEFAULT_DASH_CENTRE,
    LINE_PITCH,
    MM,
    PAGE_NUMBER_DASH,
    PAGE_NUMBER_SIZE,
    SHEET_TO_LANDSCAPE,
    STAMP_CELL_H,
    STAMP_CELL_W,
    TITLE_SIZE,
    Orientation,
    page_number_origin,
    page_number_text,
    page_size,
    stamp_rect,
    text_block,
)
from branchdesk.printing.text import BODY_STYLE, Typesetter, draw_runs, font_runs, runs_width

CREATOR = "branchdesk 党支部工作台"


class FormDocument(BaseDocTemplate):
    """A4 pages with the GB/T 9704 block, mirrored on even pages, numbered "— N —"."""

    def __init__(
        self,
        out: io.BytesIO,
        fonts: FontSet,
        *,
        orientation: Orientation = "portrait",
        stamp: ArchiveStamp | None = None,
        title: str = "",
        author: str = "",
        subject: str = "",
    ) -> None:
        super().__init__(
            out,
            pagesize=page_size(orientation),
            title=title,
            author=author,
            subject=subject,
            creator=CREATOR,
            invariant=1,
            initialFontName=fonts.name(SONG),
            lang="zh-CN",
            # Printing at 100 % keeps the margins. Duplex: every sheet — a landscape table's too —
            # is bound on its left long edge and turned about it, so the print dialog's "沿长边
            # 翻转 / flip on long edge" (the PDF's /Duplex names an edge of the *sheet*). A
            # landscape page is laid out in the sheet's coordinates (block, page number, 归档章:
            # SHEET_TO_LANDSCAPE), its top edge on the binding side of an odd sheet (§8); when
            # the reader turns it onto the A4 sheet, the blocks of the two sides coincide only
            # if the sheet flips about that long edge. Flip on the short edge would turn the
            # back upside down against the binding: what the roll printed before.
            printScaling="None",
            duplex="DuplexFlipLongEdge",
        )
        self.fonts = fonts
        self.orientation: Orientation = orientation
        self.stamp = stamp
        templates = []
        for parity, page_no in (("odd", 1), ("even", 2)):
            block = text_block(page_no, orientation)
            frame = Frame(
                block.x,
                block.y,
                block.width,
                block.height,
                id=parity,
                leftPadding=0,
                rightPadding=0,
                topPadding=0,
                bottomPadding=0,
            )
            templates.append(
                PageTemplate(
                    parity,
                    [frame],
                    onPage=self._decorate,
                    pagesize=self.pagesize,
                )
            )
        self.addPageTemplates(templates)

    def _decorate(self, canv: Canvas, _doc: BaseDocTemplate) -> None:
        page_no = canv.getPageNumber()
        draw_page_number(canv, page_no, self.orientation, self.fonts)
        if page_no == 1 and self.stamp is not None:
            draw_stamp(canv, self.stamp, self.fonts, self.orientation, pages_form=True)

    def handle_pageBegin(self) -> None:  # noqa: N802
        super().handle_pageBegin()
        self.last_page = self.page

    def _endBuild(self) -> None:  # noqa: N802
        """End the last page, then define the form of the stamp's 页数 (the page count is known
        now), then save: one layout, however many pages."""
        self._doSave = 0
        super()._endBuild()
        if self.stamp is not None and self.stamp.pages == "":
            self.canv.beginForm(PAGES_FORM, 0, 0, STAMP_CELL_W, STAMP_CELL_H)
            draw_stamp_value(self.canv, str(getattr(self, "last_page", 1)), self.fonts, 0, 0)
            self.canv.endForm()
        self.canv.save()


def draw_stamp(
    canv: Canvas,
    stamp: ArchiveStamp,
    fonts: FontSet,
    orientation: Orientation,
    *,
    pages_form: bool = False,
) -> None:
    """The 归档章 at the sheet's top right (``page.stamp_rect``), turned with the sheet on a
    landscape page."""
    canv.saveState()
    if orientation == "landscape":
        canv.transform(*SHEET_TO_LANDSCAPE)
    draw_archive_stamp(canv, stamp, fonts, stamp_rect(), pages_form=pages_form)
    canv.restoreState()


def draw_page_number(canv: Canvas, page_no: int, orientation: Orientation, fonts: FontSet) -> None:
    """ "— N —" 7 mm below the block, one character in from its outer edge; in 宋体, each
    character through the fallback chain (a 宋体 without digits still gets its numbers)."""
    runs = font_runs(fonts, page_number_text(page_no), SONG)
    width = runs_width(runs, PAGE_NUMBER_SIZE)
    dash_font = fonts.font_for(PAGE_NUMBER_DASH, SONG) or fonts.name(SONG)
    centre = glyph_vertical_centre(dash_font, PAGE_NUMBER_DASH)
    x, y = page_number_origin(page_no, width, DEFAULT_DASH_CENTRE if centre is None else centre)
    canv.saveState()
    if orientation == "landscape":
        canv.transform(*SHEET_TO_LANDSCAPE)  # printed as on every other sheet
    draw_runs(canv, x, y, runs, PAGE_NUMBER_SIZE)
    canv.restoreState()


class LazyStory(list[Flowable]):
    """A story that is made as ReportLab lays it out: ``head`` at once, then ``parts`` (one
    record's flowables each) one at a time, so a 500-page volume never holds the
    flowables of all its records (~17 MB) — only of the record being laid out and the next.

    ReportLab consumes a story from the front (it deletes what it placed and puts split
    pieces back at the front) and looks ahead only within a record (keep-with-next chains
    end at the record's own first flowable, a page break); the next record is appended as
    soon as the first flowable of the last one appended has been taken, so the look-ahead
    sees just what it would see in the whole list, and the layout is the same.
    """

    def __init__(self, head: Iterable[Flowable], parts: Iterable[Sequence[Flowable]]) -> None:
        super().__init__(head)
        self._parts: Iterator[Sequence[Flowable]] | None = iter(parts)
        self._marker: Flowable | None = None  # first flowable of the last part appended
        self._marker_from_end = 0  # its place, counted from the end (stable: see above)
        self._refill()

    def _marker_pending(self) -> bool:
        n = list.__len__(self)
        at = n - self._marker_from_end
        if self._marker is None or not 0 <= at < n:
            return False
        return list.__getitem__(self, at) is self._marker

    def _refill(self) -> None:
        while self._parts is not None and not self._marker_pending():
            part = next(self._parts, None)
            if part is None:
                self._parts = None
                self._marker = None
                return
            if part:
                self.extend(part)
                self._marker, self._marker_from_end = part[0], len(part)

    def __len__(self) -> int:
        self._refill()
        return list.__len__(self)

    def __bool__(self) -> bool:
        return len(self) > 0


def build_pdf(
    story: Sequence[Flowable],
    ts: Typesetter,
    *,
    orientation: Orientation = "portrait",
    stamp: ArchiveStamp | None = None,
    title: str = "",
    author: str = "",
    subject: str = "",
    document: Callable[..., FormDocument] = FormDocument,
) -> bytes:
    """Lay the flowables out on FormDocument pages; raises MissingGlyphError first if the
    Typesetter found characters no font has. ``document`` makes the document (called like
    FormDocument): a form that draws more page furniture passes a subclass."""
    ts.check(PAGE_NUMBER_DASH + " 0123456789", SONG, field="页码")
    if stamp is not None:
        check_stamp(ts, stamp)
    ts.raise_if_missing()
    out = io.BytesIO()
    doc = document(
        out,
        ts.fonts,
        orientation=orientation,
        stamp=stamp,
        title=title,
        author=author,
        subject=subject,
    )
    # Pages alternate odd, even, odd… ReportLab 4–5's autoNextPageTemplate repeats the second
    # template once (odd, even, even, odd, odd…), so the cycle is set by a flowable instead.
    cycle = NextPageTemplate(["even", "odd"])
    if isinstance(story, LazyStory):  # made as it is laid out: handed over as it is
        story.insert(0, cycle)
        flowables: list[Flowable] = story
    else:
        flowables = [cycle, *story]
    try:
        doc.build(flowables)
    except LayoutError as exc:  # a piece taller than a page that cannot be split
        raise FormLayoutError(
            f"《{title or '表单'}》中有一项内容过长，一页放不下，无法排版。"
            "请把过长的内容分成几段后再打印。"
        ) from exc
    finally:
        _let_go(doc)
    ts.raise_if_missing()  # a LazyStory's records are checked as they are made
    return out.getvalue()


def _let_go(doc: BaseDocTemplate) -> None:
    """Break the reference cycles of a built document (the template's page hooks name the
    document, ReportLab's PDF objects name each other) so that reference counting frees
    its pages at once: a print job runs with garbage collection paused (ui/tasks), and a
    500-page volume laid out twice kept its first layout meanwhile (~10 MB)."""
    canv = getattr(doc, "canv", None)
    pdfdoc = getattr(canv, "_doc", None)
    for obj in (pdfdoc, canv, doc):
        if obj is not None:
            obj.__dict__.clear()


class FormLayoutError(ValueError):
    """A form could not be laid out (ReportLab's LayoutError), in words for the user."""


def text_pdf(
    title: str,
    paragraphs: Sequence[str],
    *,
    fonts: FontSet | None = None,
    number: str = "",
    day: dt.date | None = None,
    signatures: Sequence[str] = (),
    archive_stamp: ArchiveStamp | None = None,
    author: str = "",
) -> bytes:
    """A plain document: the title, an optional 编号/日期 line, then body paragraphs in 3号
    仿宋, 22 lines of 28 characters, first lines indented two characters; optional signature
    lines (e.g. ("主持人签字", "记录人签字", "日期")) at the end."""
    fonts = fonts or resolve_fonts()
    ts = Typesetter(fonts)
    width = BLOCK_W_MM * MM
    story: list[Flowable] = [title_block(ts, title)]
    if number or day:
        story.append(
            two_sided_line(
                ts,
                f"编号：{number}" if number else "",
                format_cn(day),
                width=width,
                space_after=0,
                height=LINE_PITCH,
            )
        )
    story += [ts.para(text, BODY_STYLE, field=f"第{i}段") for i, text in enumerate(paragraphs, 1)]
    if signatures:
        story.append(signature_lines(ts, signatures, width=width))
    return build_pdf(story, ts, stamp=archive_stamp, title=title, author=author)


#: What the 设置 page's sample shows in each role.
SAMPLE_TEXT = "中国共产党党支部工作条例（试行）——“三会一课”、主题党日。2025年12月1日"
SAMPLE_RARE = "堃䶮\U000201d4"


def font_sample_pdf(fonts: FontSet) -> bytes:
    """One page showing each role's font and why it was chosen (for the 设置 page to preview),
    and which of a few rare name characters (堃 䶮 𠇔) no font has — listed by code point, not
    printed. It never fails for a missing glyph: a character no font has (in a note naming a
    file, say) is shown as its code point instead."""
    ts = Typesetter(fonts)

    def safe(text: str, role: str = BODY) -> str:
        missing = fonts.missing(text, role)
        return "".join(f"U+{ord(ch):04X}" if ch in missing else ch for ch in text)

    story: list[Flowable] = [title_block(ts, "打印字体样张")]
    for role in ROLES:
        why = fonts.reasons.get(role) or fonts.fonts[role].family
        story.append(ts.para(safe(f"{role}：{why}", HEI), META_STYLE.but(role=HEI)))
        size = TITLE_SIZE if role == TITLE else BODY_SIZE
        sample = BODY_STYLE.but(role=role, size=size, first_indent=0, space_after=6)
        story.append(ts.para(safe(SAMPLE_TEXT, role), sample))
    missing = fonts.missing(SAMPLE_RARE, BODY)
    shown = "".join(ch for ch in SAMPLE_RARE if ch not in missing)
    lacking = "、".join(f"U+{ord(ch):04X}" for ch in SAMPLE_RARE if ch in missing)
    story.append(ts.para(f"生僻字：{shown}" + (f"（没有字形：{lacking}）" if lacking else ""),
                         BODY_STYLE.but(first_indent=0)))  # fmt: skip
    story += [ts.para(safe(note), META_STYLE) for note in fonts.notes]
    return build_pdf(story, ts, title="打印字体样张")
