"""The year's archive: which 件 are filed, their 件号, and the volume PDFs.

件 are grouped by 保管期限 (永久 before 30年 before 10年: a volume holds items of one
retention period, as DA/T 22-2015 boxes them) and numbered within the group by class,
then date. A group longer than the pages-per-volume setting is split into volumes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from branchdesk.areas import ArchiveItem
from branchdesk.areas.archive.hooks import year_items
from branchdesk.areas.printjob import _font_preferences
from branchdesk.domain.archive import (
    DEFAULT_PAGES_PER_VOLUME,
    RETENTIONS,
    item_number_text,
    number_items,
    retention_rank,
    split_volumes,
)
from branchdesk.store import Book, InputError


@dataclass(frozen=True)
class PlannedItem:
    item: ArchiveItem
    retention: str
    number: str  # 件号 within the year's retention group


@dataclass(frozen=True)
class Volume:
    number: int
    retention: str
    data: bytes
    pages: int
    #: (件号, title, first page, pages) of each item, as the 目录 lists them.
    items: tuple[tuple[str, str, int, int], ...]
    #: What the volume's Word copy is made of (printing/volume_docx.DocVolume), when asked.
    doc: Any = None


def archive_settings(book: Book) -> dict[str, str]:
    s = book.settings
    return {
        "fonds": s.get("archive.fonds", ""),
        "pages_per_volume": s.get("archive.pages_per_volume", str(DEFAULT_PAGES_PER_VOLUME)),
        "compiler": s.get("archive.compiler", ""),
        "checker": s.get("archive.checker", ""),
    }


def plan(
    book: Book,
    year: int,
    chosen: Mapping[str, str] | None = None,
    items: Sequence[ArchiveItem] | None = None,
) -> list[PlannedItem]:
    """The 件 filed for ``year``: all, or those whose key is in ``chosen`` (key → the
    保管期限 chosen for it), numbered."""
    items = list(items) if items is not None else year_items(book, year)
    if chosen is not None:
        unknown = set(chosen) - {i.key for i in items}
        if unknown:
            raise InputError(f"没有这些归档文件：{'、'.join(sorted(unknown))}")
        items = [i for i in items if i.key in chosen]
    out: list[PlannedItem] = []
    by_retention: dict[str, list[ArchiveItem]] = {}
    for item in items:
        retention = (chosen or {}).get(item.key) or item.retention
        if retention not in RETENTIONS:
            raise InputError(f"保管期限应为{'、'.join(RETENTIONS)}，不是“{retention}”")
        by_retention.setdefault(retention, []).append(item)
    for retention in sorted(by_retention, key=retention_rank):
        for n, item in enumerate(number_items(by_retention[retention]), 1):
            out.append(PlannedItem(item, retention, item_number_text(n)))
    return out


def register(planned: Sequence[PlannedItem]) -> list[dict[str, object]]:
    """What the filing log keeps of the filed 件."""
    return [
        {"number": p.number, "key": p.item.key, "area": p.item.area, "title": p.item.title,
         "date": p.item.date.isoformat(), "retention": p.retention}
        for p in planned
    ]  # fmt: skip


def volumes_job(
    book: Book,
    year: int,
    chosen: Mapping[str, str] | None = None,
    *,
    today: dt.date | None = None,
    word: bool = False,
) -> Callable[[], list[Volume]]:
    """Read now (every item's print job reads its records); build anywhere. ``word``:
    each volume also carries what its Word copy needs (`Volume.doc`)."""
    planned = plan(book, year, chosen)
    builders = [p.item.print() for p in planned]
    contents = [
        tuple(p.item.content()) if word and p.item.content is not None else None for p in planned
    ]
    settings = archive_settings(book)
    try:
        per_volume = max(1, int(settings["pages_per_volume"]))
    except ValueError:
        per_volume = DEFAULT_PAGES_PER_VOLUME
    branch = book.branch.profile().name
    prefs = _font_preferences(book)
    corrections = len(book.archive.corrections(dated_in=year))
    compiled_on = today or dt.date.today()

    def build() -> list[Volume]:
        from branchdesk.printing.archive_volume import VolumeEntry, VolumeInfo, volume_pdf
        from branchdesk.printing.fonts import resolve_fonts
        from branchdesk.printing.pdfinfo import count_pages

        fonts = resolve_fonts(prefs or None)
        pdfs = [b() for b in builders]
        groups: dict[str, list[int]] = {}
        for n, p in enumerate(planned):
            groups.setdefault(p.retention, []).append(n)
        slices = []
        for retention in sorted(groups, key=retention_rank):
            members = groups[retention]
            padded = [pdfs[n].pages + pdfs[n].pages % 2 for n in members]
            for s in split_volumes(padded, per_volume):
                slices.append((retention, members[s.first : s.last + 1]))
        out = []
        for number, (retention, members) in enumerate(slices, 1):
            info = VolumeInfo(
                fonds=settings["fonds"],
                year=year,
                retention=retention,
                branch=branch,
                volume=number,
                volumes=len(slices),
                compiler=settings["compiler"],
                checker=settings["checker"],
                compiled_on=compiled_on,
                remarks=f"本年度更正说明{corrections}条，随本年度文件归档。" if corrections else "",
            )
            entries = [
                VolumeEntry(planned[n].number, planned[n].item.responsible, planned[n].item.title,
                            planned[n].item.date, retention, pdfs[n].data, planned[n].item.note)
                for n in members
            ]  # fmt: skip
            data, placed = volume_pdf(info, entries, fonts=fonts)
            doc = None
            if word:
                from branchdesk.printing.volume_docx import DocVolume

                doc = DocVolume(
                    info,
                    tuple(entries),
                    tuple(p.pages for p in placed),
                    tuple((p.first_page, p.blank_before) for p in placed),
                    tuple(contents[n] for n in members),
                )
            out.append(
                Volume(
                    number,
                    retention,
                    data,
                    count_pages(data),
                    tuple(
                        (p.number, e.title, p.first_page, p.pages)
                        for p, e in zip(placed, entries, strict=True)
                    ),  # fmt: skip
                    doc,
                )
            )
        return out

    return build


def volume_docx_job(
    book: Book,
    year: int,
    volume: int | None = None,
    *,
    chosen: Mapping[str, str] | None = None,
    today: dt.date | None = None,
) -> Callable[[], bytes]:
    """The Word copy of the year's volumes (or of volume ``volume``) as one .docx: read
    now, build anywhere. Raises InputError when there is nothing to file or no such
    volume."""
    build_volumes = volumes_job(book, year, chosen, today=today, word=True)
    if not plan(book, year, chosen):
        raise InputError(f"{year}年度没有可归档的文件")

    def build() -> bytes:
        from branchdesk.printing.volume_docx import volume_docx

        volumes = build_volumes()
        if volume is not None:
            volumes = [v for v in volumes if v.number == volume]
            if not volumes:
                raise InputError(f"没有第{volume}卷")
        return volume_docx([v.doc for v in volumes])

    return build


def file_year(
    book: Book, year: int, chosen: Mapping[str, str] | None = None, *, despite_gaps: bool = False
) -> tuple[list[PlannedItem], list[str]]:
    """Lock ``year``: returns the 件 filed and the locked tables. Refuses while the year
    has gaps, unless ``despite_gaps``."""
    from branchdesk.areas.archive.hooks import install, lock_specs, year_gaps

    items = year_items(book, year)
    gaps = year_gaps(book, year, items)
    if gaps and not despite_gaps:
        raise InputError(
            f"{year}年度还有{len(gaps)}处不完整，暂不归档：" + "；".join(g.text for g in gaps[:5])
        )
    planned = plan(book, year, chosen, items)
    install(book)  # the triggers of every declared table are in place before the lock
    book.archive.file_year(year, register(planned))
    tables = [s.table for s in lock_specs() if s.year]
    return planned, tables
