"""The 档案 area's own 件: the 更正说明 of the corrections dated in a year (filed with that
year's volume, so a correction of an earlier year travels with the next volume)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial

from branchdesk.areas import ArchiveItem
from branchdesk.areas.printjob import Pdf, make_job
from branchdesk.domain.archive import PERMANENT, correction_paragraphs
from branchdesk.store import Book

CORRECTIONS_CLASS = 90


def corrections_job(book: Book, year: int) -> Callable[[], Pdf]:
    from branchdesk.printing.document import text_pdf

    corrections = book.archive.corrections(dated_in=year)
    branch = book.branch.profile().name
    paragraphs = [
        "下列已归档记录经核实有误，原记录保持不变，特作更正说明如下：",
        *correction_paragraphs(corrections),
    ]
    return make_job(
        book,
        lambda fonts: text_pdf(
            f"{branch}{year}年更正说明",
            paragraphs,
            fonts=fonts,
            day=max((c.date for c in corrections), default=None),
            signatures=("批准人签字", "经办人签字", "日期"),
            author=branch,
        ),
    )


def correction_items(book: Book, year: int) -> list[ArchiveItem]:
    corrections = book.archive.corrections(dated_in=year)
    if not corrections:
        return []
    return [
        ArchiveItem(
            area="archive",
            key=f"corrections:{year}",
            title=f"{year}年更正说明（{len(corrections)}条）",
            responsible=book.branch.profile().name,
            date=max(c.date for c in corrections) if corrections else dt.date(year, 12, 31),
            sort_class=CORRECTIONS_CLASS,
            # A correction is kept as long as the longest-kept record it may correct.
            retention=PERMANENT,
            print=partial(corrections_job, book, year),
        )
    ]
