"""What every print job shares: the PDF it returns, the fonts chosen in 设置, and the
roll read once for a whole job.

A job is two halves. The first reads the book (on the thread that owns its connection);
it returns the second, which resolves fonts and builds the PDF, reads nothing from the
book, and may run on a worker thread. The CLI and the GUI call the same jobs, so both
print exactly the same thing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from branchdesk.domain.members import Member, RosterEntry, roster_on
from branchdesk.store import Book

if TYPE_CHECKING:
    from branchdesk.domain.branch import CommitteePost
    from branchdesk.domain.meetings import ExpectedAttendees, Meeting
    from branchdesk.printing.fonts import FontSet


@dataclass(frozen=True)
class Pdf:
    data: bytes
    pages: int


def _font_preferences(book: Book) -> dict[str, str]:
    """Role → font file chosen in 设置 (empty: find fonts automatically)."""
    return {k.removeprefix("font."): v for k, v in book.settings.all("font.").items()}


def make_job(book: Book, render: Callable[[FontSet], bytes]) -> Callable[[], Pdf]:
    """The deferred half of every job: resolve the chosen fonts, render, count pages.
    Reads nothing from the book, so it may run on a worker thread."""
    prefs = _font_preferences(book)

    def build() -> Pdf:
        from branchdesk.printing.fonts import resolve_fonts
        from branchdesk.printing.pdfinfo import count_pages

        data = render(resolve_fonts(prefs or None))
        return Pdf(data, count_pages(data))

    return build


@dataclass(frozen=True)
class Roll:
    """The roll, the committee and the groups, read once for a whole job (a year's volume
    prints hundreds of meetings)."""

    members: list[Member]
    committee: list[CommitteePost]
    groups: dict[int, int | None]

    @classmethod
    def read(cls, book: Book) -> Roll:
        members = book.roster.members()
        groups = {m.id or 0: m.group_id for m in members}
        return cls(members, book.branch.committee(), groups)

    def expected(self, meeting: Meeting) -> ExpectedAttendees:
        from branchdesk.domain.meetings import expected_attendees

        return expected_attendees(meeting, self.on(meeting.date), self.committee, self.groups)

    def names(self) -> dict[int | None, str]:
        """Member id → name, made once for the whole job."""
        cache = self.__dict__.get("_names")
        if cache is None:
            cache = self.__dict__["_names"] = {m.id: m.name for m in self.members}
        return cache

    def on(self, day: dt.date) -> list[RosterEntry]:
        """The roll on ``day``, worked out once per day for the whole job (a month's 20
        党小组会 of a big branch often share a date)."""
        cache = self.__dict__.setdefault("_rolls", {})
        if day not in cache:
            cache[day] = roster_on(self.members, day)
        return cache[day]
