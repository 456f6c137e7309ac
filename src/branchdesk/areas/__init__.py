"""The application layer, one package per area of the book (党员名册, 会议记录, …).

An area's package holds what reads the book and calls the rules in domain/ and the forms
in printing/: its print jobs, its reminders, its command-line commands, its demo data.
Its `AREA` (in the package's ``__init__``) declares, by dotted name so nothing heavy is
imported before it is needed, everything the shell picks up: the navigation page, the
settings tabs, the CLI commands, the 工作台 reminders and the demo. The list of areas is
`branchdesk.areas.registry.AREAS` — the one place to touch when an area is added.

Nothing here imports Qt: pages are named, never imported, so the CLI loads no GUI.

The 档案 area covers every area through three more declarations (docs/architecture.md,
"How an area is filed"): ``archive`` (what the area files for a year), ``locked_tables``
(which tables hold a year's records, so filing locks them) and ``search`` (how its records
are found); ``private_columns`` keeps a column's content out of the audit trail.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Area:
    #: Short key, also the area of the `Change` its writes publish ("roster", "meetings").
    key: str
    #: The navigation entry, as the secretary reads it.
    title: str
    #: "module:Class" of its page (built on first show with the book); None while the
    #: area is not built yet and `placeholder` says so.
    page: str | None = None
    placeholder: str = ""
    #: Change areas whose writes the page shows (its own key is always included).
    shows: tuple[str, ...] = ()
    #: (tab title, "module:Class") added to 设置.
    settings_tabs: tuple[tuple[str, str], ...] = ()
    #: Module with ``register(subparsers)``: adds its commands, each with
    #: ``set_defaults(run=function(book, args) -> exit code)``.
    cli: str | None = None
    #: "module:function(book, today) -> list[Reminder]" for the 工作台.
    reminders: str | None = None
    #: "module:function(book, today)" filling the demo book, called in registry order;
    #: its dates are relative to ``today`` (the demo never looks years old).
    demo: str | None = None
    #: "module:function(book)" run whenever the program (window or command line) opens a
    #: book, after its migrations: e.g. the archive's lock and audit triggers.
    on_open: str | None = None
    #: "module:function(book, year) -> list[ArchiveItem]": what the area files for a year.
    archive: str | None = None
    #: The tables holding this area's records, each with the SQL giving a row's year:
    #: a column name (an INTEGER year or an ISO date: its first four characters count) or
    #: an expression in which ``{row}`` stands for the row, e.g.
    #: ``"(SELECT belongs_to_year FROM meeting WHERE id = {row}.meeting_id)"``. Filing a
    #: year makes the book refuse INSERT, UPDATE and DELETE of that year's rows; every
    #: change to these tables is kept in the audit trail. An empty year: audited only. A
    #: third element names columns that may still be filled in on a filed row.
    locked_tables: tuple[tuple[str, str] | tuple[str, str, tuple[str, ...]], ...] = ()
    #: "module:function(book, year) -> list[Gap]": what the area misses for the year as a
    #: whole (no 组织生活会 held, a quarter's 公示 not printed); items report their own gaps.
    archive_gaps: str | None = None
    #: (table, column) whose content the audit trail records only as "changed" (talk
    #: contents); BLOB columns are never copied either.
    private_columns: tuple[tuple[str, str], ...] = ()
    #: "module:function(book, query) -> list[Hit]" for the search box (Ctrl+F).
    search: str | None = None
    #: Correctable fields of a filed record: (kind, table, ((column, label), …), SQL naming
    #: the record), e.g. ("meeting", "meeting", (("content", "会议内容"), …),
    #: "date || ' ' || title"). A 更正 names kind, id and column; the table must be one of
    #: ``locked_tables`` (its year says whether the record is filed).
    corrections: tuple[tuple[str, str, tuple[tuple[str, str], ...], str], ...] = ()

    @property
    def watches(self) -> tuple[str, ...]:
        return (self.key, *self.shows)


@dataclass(frozen=True)
class Target:
    """Where a reminder is dealt with: an area's page, and what to show on it."""

    area: str
    #: e.g. "member" (select that member), "calendar" (the year's compliance tab).
    kind: str = ""
    id: int | None = None


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


def opened(book: Any, areas: Any = None) -> None:
    """Run every area's ``on_open`` for a book just opened. A book opened read-only (a
    command that only looks, a protected file, a full disk) is left exactly as it is:
    the hooks may write (the archive re-synchronises its lock triggers)."""
    if getattr(book, "read_only", False):
        return
    if areas is None:
        from branchdesk.areas.registry import AREAS

        areas = AREAS
    for area in areas:
        if area.on_open:
            load(area.on_open)(book)


def load(dotted: str) -> Any:
    """``"package.module:name"`` → the object; ``"package.module"`` → the module."""
    module, _, name = dotted.partition(":")
    loaded = importlib.import_module(module)
    return getattr(loaded, name) if name else loaded
