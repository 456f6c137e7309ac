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

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any


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


#: Declared in `branchdesk.areas.records`, imported from here on first use: the window's
#: first picture needs only `Area` and `Target` (a dataclass costs ~0.5 ms to define).
_RECORDS = ("ArchiveItem", "Gap", "Hit", "Reminder")

if TYPE_CHECKING:
    from branchdesk.areas.records import ArchiveItem as ArchiveItem
    from branchdesk.areas.records import Gap as Gap
    from branchdesk.areas.records import Hit as Hit
    from branchdesk.areas.records import Reminder as Reminder


def __getattr__(name: str) -> Any:
    if name in _RECORDS:
        from branchdesk.areas import records

        return getattr(records, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
