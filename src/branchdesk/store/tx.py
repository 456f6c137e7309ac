"""Transactions belong to the facade: one user action is one transaction, and what it
changed is announced once it has committed.

The outermost write starts with ``BEGIN IMMEDIATE`` (see store/database.py): a
transaction that reads before it writes must hold the write lock from the start, or a
second writer fails at once with "database is locked" although ``busy_timeout`` is set.
Nested writes become savepoints, and their changes are announced with the outer one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from branchdesk.store.changes import Change, ChangeBus
from branchdesk.store.database import Database
from branchdesk.store.errors import as_filed_error


class Pending:
    """The ids a running transaction touched, per area."""

    def __init__(self) -> None:
        self.by_area: dict[str, set[int]] = defaultdict(set)
        self._area = ""

    def add(self, *ids: int | None) -> None:
        """Mark records of the current write's area as changed."""
        self.by_area[self._area].update(i for i in ids if i is not None)


class Writer:
    def __init__(self, db: Database, bus: ChangeBus) -> None:
        self.db = db
        self.bus = bus
        self._pending: Pending | None = None
        #: Run once, just before the next write begins (then forgotten): what must hold
        #: before anything is written but need not delay opening — the window installs
        #: the areas' open hooks (lock and audit triggers) here as well as after its first
        #: paint, whichever comes first.
        self.before_first_write: list[Callable[[], object]] = []

    @contextmanager
    def write(self, area: str, *ids: int | None) -> Iterator[Pending]:
        """``with writer.write("roster", member_id) as changed: …`` — ``changed.add(id)``
        marks more records (e.g. an id the insert just made).

        The transaction is the book database's ``atomic()`` (store/database.py): the
        outermost one begins IMMEDIATE and names SQLite's failures in Chinese (busy, disk
        full, read-only); nested ones are savepoints, announced with the outer one."""
        outer = self._pending is None
        if outer and self.before_first_write:
            hooks, self.before_first_write = self.before_first_write, []
            for hook in hooks:
                hook()
        pending = self._pending if self._pending is not None else Pending()
        previous = pending._area
        pending._area = area
        pending.add(*ids)
        pending.by_area.setdefault(area, set())
        self._pending = pending
        try:
            with self.db.atomic():
                yield pending
        except BaseException as exc:
            pending._area = previous
            if outer:
                self._pending = None
            # A lock trigger refused (the year is filed): say so in the user's words.
            filed = as_filed_error(exc) or (
                as_filed_error(exc.__cause__) if exc.__cause__ is not None else None
            )
            if filed is not None:
                raise filed from exc
            raise
        pending._area = previous
        if outer:
            self._pending = None
            self._announce(pending)

    def _announce(self, pending: Pending) -> None:
        for area, ids in pending.by_area.items():
            self.bus.publish(Change(area, frozenset(ids), id(self)))
