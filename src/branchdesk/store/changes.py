"""One change signal for the whole program.

Every write through the facade ends in a `Change` (which area, which records) published on
the book's `ChangeBus` once its transaction has committed — whichever connection or thread
made it. The GUI listens and refreshes what shows that data (the model is Anki's
`operation_did_execute`); a worker thread's import reaches the same bus, because the bus
belongs to the book file, not to one connection.

Writes made by *another process* (the command line while the window is open) cannot call
us; `Book.poll_external()` notices them from `PRAGMA data_version` and publishes
`Change(EVERYTHING)`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

#: The area of a change that may touch anything (a restore, another program's write).
EVERYTHING = "*"


@dataclass(frozen=True)
class Change:
    """What one committed transaction changed: an area key and the ids it touched (empty
    when the write concerns the area as a whole)."""

    area: str
    ids: frozenset[int] = field(default_factory=frozenset)
    #: Which `Writer` (one per connection) committed it; 0 when not known (a restore,
    #: another program).
    writer: int = 0

    def touches(self, areas: Iterable[str]) -> bool:
        wanted = set(areas)
        return self.area == EVERYTHING or EVERYTHING in wanted or self.area in wanted


Listener = Callable[[Change], None]


class ChangeBus:
    """Listeners are called on the thread that committed; a GUI listener hands the change
    to its own thread (ui/changes.py does it with a queued Qt signal)."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def publish(self, change: Change) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(change)


_buses: dict[str, ChangeBus] = {}
_buses_lock = threading.Lock()


def bus_for(path: Path) -> ChangeBus:
    """The bus of a book file: every `Book` opened on that file in this process shares it."""
    key = str(Path(path).resolve())
    with _buses_lock:
        if key not in _buses:
            _buses[key] = ChangeBus()
        return _buses[key]
