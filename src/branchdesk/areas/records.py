"""What the areas hand the shell: reminders, gaps, archive items and search hits.

Imported from `branchdesk.areas` (``from branchdesk.areas import Reminder``), which loads
this module on first use.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from branchdesk.areas import Target


@dataclass(frozen=True)
class Reminder:
    """One line of the 工作台: grouped under ``group``, clickable to ``target``."""

    group: str
    text: str
    target: Target
    #: Smaller comes first within the 工作台 (overdue before due soon).
    urgency: int = 0
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Gap:
    """Something missing before a year can be filed, and where to fix it."""

    text: str
    target: Target


@dataclass(frozen=True)
class ArchiveItem:
    """One 件 an area files for a year.

    ``sort_class`` orders 件 within the year before the date (DA/T 22-2015 numbers 件 by
    class, then date): 10 名册, 20 会议记录, 30 签到表, 40 积分, 50 谈话, 60 评议, 90 更正说明.
    ``print`` reads the book now and returns the builder of the item's PDF (a
    printing/document.FormDocument PDF, so the volume can renumber its pages).
    """

    area: str
    #: Stable within the year, e.g. "meeting:12:minutes": the item's identity when chosen.
    key: str
    title: str
    responsible: str  # 责任者
    date: dt.date
    sort_class: int
    retention: str  # 保管期限: 永久 / 30年 / 10年
    print: Callable[[], Callable[[], Any]]
    #: What is missing for this item (no 记录人, no attendance …), each with its link.
    gaps: tuple[Gap, ...] = ()
    note: str = ""  # 备注
    #: Reads the book now and returns the item's content for the volume's Word copy
    #: (printing/volume_docx blocks: headings, paragraphs, tables, minutes); None: the
    #: Word copy gives the text of the printed pages.
    content: Callable[[], Sequence[Any]] | None = None


@dataclass(frozen=True)
class Hit:
    """One search result: grouped by area, ``text`` holds the match (``start``/``end``
    index it, for highlighting), ``target`` opens the record."""

    area: str
    title: str
    text: str
    start: int
    end: int
    target: Target
    year: int | None = None

    @classmethod
    def of(cls, found: Any, area: str, target: Target, *, dated: bool = True) -> Hit:
        """The hit for one ``store.search.Found``: titled by its date (``dated``), the
        field it matched in and its record's title."""
        when = f"{found.date}" if dated else ""
        return cls(area=area, title=f"{when}［{found.field}］{found.title}", text=found.text,
                   start=found.start, end=found.end, target=target, year=found.year)  # fmt: skip
