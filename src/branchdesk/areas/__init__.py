"""The application layer, one package per area of the book (党员名册, 会议记录, …).

An area's package holds what reads the book and calls the rules in domain/ and the forms
in printing/: its print jobs, its reminders, its command-line commands, its demo data.
Its `AREA` (in the package's ``__init__``) declares, by dotted name so nothing heavy is
imported before it is needed, everything the shell picks up: the navigation page, the
settings tabs, the CLI commands, the 工作台 reminders and the demo. The list of areas is
`branchdesk.areas.registry.AREAS` — the one place to touch when an area is added.

Nothing here imports Qt: pages are named, never imported, so the CLI loads no GUI.
"""

from __future__ import annotations

import importlib
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


def load(dotted: str) -> Any:
    """``"package.module:name"`` → the object; ``"package.module"`` → the module."""
    module, _, name = dotted.partition(":")
    loaded = importlib.import_module(module)
    return getattr(loaded, name) if name else loaded
