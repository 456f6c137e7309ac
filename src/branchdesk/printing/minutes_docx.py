"""Word copies (.docx) of the minutes, for superiors who ask for an electronic copy: the
same content and headings as the printed 会议记录 (printing/minutes_form.py), A4 with the
GB/T 9704 margins, fonts *named* by role — 宋体 (title), 黑体 (headings), 仿宋_GB2312
(body) — so the recipient's Word or WPS renders them with its own fonts (nothing is
embedded). Page numbers "— N —" are a PAGE field in the footer, so Word numbers them.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from branchdesk.domain.dates import format_cn
from branchdesk.printing.minutes_form import (
    NUMERALS,
    VOTE_COLUMNS,
    MinutesView,
    header_rows,
    meeting_name,
    minutes_title,
    paragraphs_of,
    vote_row,
)
from branchdesk.printing.page import (
    BINDING_MARGIN_MM,
    BODY_SIZE,
    BOTTOM_MARGIN_MM,
    OUTER_MARGIN_MM,
    PAGE_H_MM,
    PAGE_NUMBER_SIZE,
    PAGE_W_MM,
    TABLE_SIZE,
    TITLE_SIZE,
    TOP_MARGIN_MM,
)

#: Role → the font name Word looks up on the recipient's machine.
TITLE_FONT = "宋体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
NUMBER_FONT = "宋体"
LINE_PITCH_PT = 28.95  # 22 lines in the 225 mm block


def _font(run: object, name: str, size: float, *, bold: bool = False) -> None:
    run.font.name = name  # type: ignore[attr-defined]
    run.font.size = Pt(size)  # type: ignore[attr-defined]
    run.font.bold = bold  # type: ignore[attr-defined]
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()  # type: ignore[attr-defined]
    for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), name)


def _para(
    doc: object,
    text: str,
    font: str,
    size: float,
    *,
    align: str = "justify",
    indent: bool = False,
    bold: bool = False,
    space_after: float = 0,
) -> Paragraph:
    p: Paragraph = doc.add_paragraph()  # type: ignore[attr-defined]
    fmt = p.paragraph_format
    fmt.line_spacing = Pt(LINE_PITCH_PT)
    fmt.space_after = Pt(space_after)
    fmt.space_before = Pt(0)
    fmt.alignment = {
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
    }[align]
    if indent:
        fmt.first_line_indent = Pt(2 * size)
    _font(p.add_run(text), font, size, bold=bold)
    return p


def _page_number_footer(section: object) -> None:
    """ "— PAGE —" in 4号 宋体, odd pages right and even pages left (GB/T 9704)."""
    odd = section.footer  # type: ignore[attr-defined]
    even = section.even_page_footer  # type: ignore[attr-defined]
    for footer, align in ((odd, WD_ALIGN_PARAGRAPH.RIGHT), (even, WD_ALIGN_PARAGRAPH.LEFT)):
        p = footer.paragraphs[0]
        p.alignment = align
        _font(p.add_run("— "), NUMBER_FONT, PAGE_NUMBER_SIZE)
        run = p.add_run()
        _font(run, NUMBER_FONT, PAGE_NUMBER_SIZE)
        for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
            if kind:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), kind)
            else:
                el = OxmlElement("w:instrText")
                el.set(qn("xml:space"), "preserve")
                el.text = text
            run._element.append(el)
        _font(p.add_run(" —"), NUMBER_FONT, PAGE_NUMBER_SIZE)


def _setup(doc: object) -> None:
    section = doc.sections[0]  # type: ignore[attr-defined]
    section.page_width, section.page_height = Mm(PAGE_W_MM), Mm(PAGE_H_MM)
    section.top_margin, section.bottom_margin = Mm(TOP_MARGIN_MM), Mm(BOTTOM_MARGIN_MM)
    section.left_margin, section.right_margin = Mm(BINDING_MARGIN_MM), Mm(OUTER_MARGIN_MM)
    section.footer_distance = Mm(BOTTOM_MARGIN_MM - 7 - 5)
    settings = doc.settings.element  # type: ignore[attr-defined]
    for tag in ("w:mirrorMargins", "w:evenAndOddHeaders"):  # bound on the left, both sides
        settings.append(OxmlElement(tag))
    _page_number_footer(section)
    normal = doc.styles["Normal"]  # type: ignore[attr-defined]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(BODY_SIZE)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)


def _table(doc: object, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    table = doc.add_table(rows=1 + len(rows), cols=len(header))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for c, text in enumerate(header):
        cell = table.rows[0].cells[c]
        cell.text = ""
        _font(cell.paragraphs[0].add_run(text), HEADING_FONT, TABLE_SIZE)
    for r, row in enumerate(rows, 1):
        for c, text in enumerate(row):
            cell = table.rows[r].cells[c]
            cell.text = ""
            _font(cell.paragraphs[0].add_run(text), BODY_FONT, TABLE_SIZE)


def _minutes(doc: object, view: MinutesView) -> None:
    _para(doc, minutes_title(view), TITLE_FONT, TITLE_SIZE, align="center", bold=True,
          space_after=LINE_PITCH_PT / 2)  # fmt: skip
    pairs = [pair for row in header_rows(view) for pair in row]
    table = doc.add_table(rows=len(pairs), cols=2)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    for r, (label, value) in enumerate(pairs):
        for c, text, font in ((0, label, HEADING_FONT), (1, value, BODY_FONT)):
            cell = table.rows[r].cells[c]
            cell.text = ""
            _font(cell.paragraphs[0].add_run(text), font, 14.0)
    sections = 0

    def heading(text: str) -> None:
        nonlocal sections
        _para(doc, f"{NUMERALS[sections]}、{text}", HEADING_FONT, BODY_SIZE, align="left")
        sections += 1

    if view.announcement.strip():
        _para(doc, view.announcement.strip(), BODY_FONT, BODY_SIZE, indent=True)
    if view.agenda:
        heading("议题")
        for n, item in enumerate(view.agenda, 1):
            _para(doc, f"{n}. {item.strip()}", BODY_FONT, BODY_SIZE, indent=True)
    content = paragraphs_of(view.content)
    if content:
        heading("会议内容")
        for text in content:
            _para(doc, text, BODY_FONT, BODY_SIZE, indent=True)
    if view.resolutions:
        heading("决议及表决情况")
        _table(doc, [c.title for c in VOTE_COLUMNS],
               [vote_row(n, v) for n, v in enumerate(view.resolutions, 1)])  # fmt: skip
    _para(doc, "", BODY_FONT, BODY_SIZE)
    _para(doc, "主持人签字：__________    记录人签字：__________    日期：____年__月__日",
          BODY_FONT, 14.0, align="left")  # fmt: skip


def _bytes(doc: object) -> bytes:
    out = io.BytesIO()
    doc.save(out)  # type: ignore[attr-defined]
    return out.getvalue()


def minutes_docx(view: MinutesView) -> bytes:
    """One meeting's 会议记录 as a .docx."""
    doc = Document()
    _setup(doc)
    doc.core_properties.title = minutes_title(view)
    doc.core_properties.author = view.branch
    _minutes(doc, view)
    return _bytes(doc)


def minutes_volume_docx(volume_title: str, views: Sequence[MinutesView]) -> bytes:
    """A year's minutes as one .docx: a cover, the contents (件号, 题名, 日期), then each
    record starting on a new page (Word numbers the pages)."""
    doc = Document()
    _setup(doc)
    doc.core_properties.title = volume_title
    for _ in range(5):
        _para(doc, "", BODY_FONT, BODY_SIZE)
    _para(doc, volume_title, TITLE_FONT, 26.0, align="center", bold=True)
    if views:
        first, last = min(v.day for v in views), max(v.day for v in views)
        _para(doc, f"共{len(views)}次会议，{format_cn(first)}至{format_cn(last)}", BODY_FONT,
              BODY_SIZE, align="center")  # fmt: skip
    doc.add_section(WD_SECTION.NEW_PAGE)
    _para(doc, "目\u3000录", TITLE_FONT, TITLE_SIZE, align="center", bold=True)
    rows = [[str(n), meeting_name(v), format_cn(v.day)] for n, v in enumerate(views, 1)]
    _table(doc, ["序号", "会议名称", "日期"], rows)
    for view in views:
        p = doc.add_paragraph()
        p.add_run().add_break(WD_BREAK.PAGE)
        _minutes(doc, view)
    return _bytes(doc)
