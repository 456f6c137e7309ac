"""A Word copy (.docx) of a year's archive volume: the same cover, 卷内目录, items and
备考表 as the printed volume (printing/archive_volume.py), A4 with the GB/T 9704 margins,
fonts named by role (宋体 titles, 黑体 headings, 仿宋_GB2312 text) as the minutes' Word
copy names them (printing/minutes_docx.py), so the recipient's Word or WPS uses its own.

Each item starts on a new page with its 归档章 (全宗号, 年度, 保管期限, 件号, 页数) as a
small table, then its content: the blocks its area gives (`Heading`, `Para`, `Table`,
`Minutes`: the minutes exactly as their own Word copy), or else, for an item whose area
gives none, the text of its printed pages line by line. The 目录's 页号 are those of the
printed volume (the copy of record); Word numbers its own pages in the footer.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK
from pypdf import PdfReader

from branchdesk.printing.archive_volume import (
    VolumeEntry,
    VolumeInfo,
    back_lines,
    contents_rows,
    cover_lines,
    volume_remarks,
)
from branchdesk.printing.minutes_docx import (
    BODY_FONT,
    HEADING_FONT,
    LINE_PITCH_PT,
    TITLE_FONT,
    _font,
    _minutes,
    _para,
    _setup,
    _table,
)
from branchdesk.printing.minutes_form import MinutesView
from branchdesk.printing.page import BODY_SIZE, TABLE_SIZE, TITLE_SIZE

CONTENTS_HEADER = ("件号", "责任者", "题名", "日期", "页数", "页号", "备注")
STAMP_HEADER = ("全宗号", "年度", "保管期限", "件号", "页数")


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Para:
    text: str
    #: "left" for a line of a table's head (党支部：…), "justify" with an indent for text
    align: str = "justify"


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Minutes:
    view: MinutesView


Block = Heading | Para | Table | Minutes


@dataclass(frozen=True)
class DocVolume:
    """One volume as the Word copy needs it: what its PDF was built from, where each item
    landed (first page, blank before) and each item's blocks (None: its printed text)."""

    info: VolumeInfo
    entries: tuple[VolumeEntry, ...]
    counts: tuple[int, ...]
    placed: tuple[tuple[int, bool], ...]
    blocks: tuple[tuple[Block, ...] | None, ...]


_PAGE_NUMBER = re.compile(r"—\s*\d+\s*—")


def printed_lines(pdf: bytes) -> list[str]:
    """The text of a printed item, line by line, its "— N —" page numbers left out."""
    lines = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for line in (page.extract_text() or "").splitlines():
            text = _PAGE_NUMBER.sub("", line).strip()
            if text:
                lines.append(text)
    return lines


def _new_page(doc: object) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)  # type: ignore[attr-defined]


def _stamp(doc: object, info: VolumeInfo, entry: VolumeEntry, pages: int) -> None:
    """The 归档章, top right of the item's first page, filled from the book."""
    table = doc.add_table(rows=2, cols=len(STAMP_HEADER))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.RIGHT
    values = (info.fonds, str(info.year), entry.retention, entry.number, str(pages))
    for c, (label, value) in enumerate(zip(STAMP_HEADER, values, strict=True)):
        for r, text, font in ((0, label, HEADING_FONT), (1, value, BODY_FONT)):
            cell = table.rows[r].cells[c]
            cell.text = ""
            _font(cell.paragraphs[0].add_run(text), font, 10.0)


def _blocks(doc: object, blocks: Sequence[Block]) -> None:
    for block in blocks:
        if isinstance(block, Minutes):
            _minutes(doc, block.view)
        elif isinstance(block, Heading):
            _para(doc, block.text, TITLE_FONT, TITLE_SIZE, align="center", bold=True,
                  space_after=LINE_PITCH_PT / 2)  # fmt: skip
        elif isinstance(block, Table):
            _table(doc, block.header, block.rows)
        else:
            left = block.align == "left"
            _para(doc, block.text, BODY_FONT, BODY_SIZE if not left else TABLE_SIZE,
                  align=block.align, indent=not left)  # fmt: skip


def _volume(doc: object, v: DocVolume, first: bool) -> None:
    info = v.info
    if not first:
        doc.add_section(WD_SECTION.NEW_PAGE)  # type: ignore[attr-defined]
    for _ in range(3):
        _para(doc, "", BODY_FONT, BODY_SIZE)
    _para(doc, info.branch, TITLE_FONT, 26.0, align="center", bold=True)
    _para(doc, f"{info.year}年度文书档案", TITLE_FONT, 26.0, align="center", bold=True)
    for _ in range(3):
        _para(doc, "", BODY_FONT, BODY_SIZE)
    for label, value in cover_lines(info):
        p = _para(doc, f"{label}：{value}", BODY_FONT, 16.0, align="left")
        p.paragraph_format.left_indent = _indent(4)
    _new_page(doc)
    _para(doc, "卷内目录", TITLE_FONT, TITLE_SIZE, align="center", bold=True,
          space_after=LINE_PITCH_PT / 2)  # fmt: skip
    rows = contents_rows(v.entries, v.counts, v.placed)
    if rows:
        _table(doc, CONTENTS_HEADER, rows)
    else:
        _para(doc, "（本卷没有文件）", BODY_FONT, BODY_SIZE, align="center")
    for entry, count, blocks in zip(v.entries, v.counts, v.blocks, strict=True):
        _new_page(doc)
        _stamp(doc, info, entry, count)
        if blocks is None:
            _para(doc, entry.title, TITLE_FONT, TITLE_SIZE, align="center", bold=True,
                  space_after=LINE_PITCH_PT / 2)  # fmt: skip
            for line in printed_lines(entry.pdf):
                _para(doc, line, BODY_FONT, TABLE_SIZE, align="left")
        else:
            _blocks(doc, blocks)
    _new_page(doc)
    _para(doc, "备\u3000考\u3000表", TITLE_FONT, TITLE_SIZE, align="center", bold=True,
          space_after=LINE_PITCH_PT / 2)  # fmt: skip
    _para(doc, "本卷情况说明：", HEADING_FONT, BODY_SIZE, align="left")
    _para(doc, volume_remarks(info, v.counts, v.placed), BODY_FONT, BODY_SIZE, indent=True)
    _para(doc, "", BODY_FONT, BODY_SIZE)
    for line in back_lines(info):
        _para(doc, line, BODY_FONT, BODY_SIZE, align="left")
    _para(doc, "", BODY_FONT, BODY_SIZE)
    _para(doc, "立卷人签字：__________    检查人签字：__________", BODY_FONT, BODY_SIZE,
          align="left")  # fmt: skip


def _indent(chars: int) -> object:
    from docx.shared import Pt

    return Pt(chars * 16.0)


def volume_docx(volumes: Sequence[DocVolume]) -> bytes:
    """The volumes as one .docx, each from its cover to its 备考表, a new section each."""
    doc = Document()
    _setup(doc)
    if volumes:
        info = volumes[0].info
        doc.core_properties.title = f"{info.branch}{info.year}年度文书档案"
        doc.core_properties.author = info.branch
    for n, v in enumerate(volumes):
        _volume(doc, v, first=n == 0)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


__all__ = ["Block", "DocVolume", "Heading", "Minutes", "Para", "Table", "printed_lines",
           "volume_docx"]  # fmt: skip
