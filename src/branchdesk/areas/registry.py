"""The areas of the book, in navigation order. Adding an area = adding it here."""

from __future__ import annotations

from branchdesk.areas import Area
from branchdesk.areas.archive import AREA as ARCHIVE
from branchdesk.areas.meetings import AREA as MEETINGS
from branchdesk.areas.points import AREA as POINTS
from branchdesk.areas.roster import AREA as ROSTER
from branchdesk.areas.talks import AREA as TALKS

AREAS: tuple[Area, ...] = (ROSTER, MEETINGS, POINTS, TALKS, ARCHIVE)


def area(key: str) -> Area:
    for a in AREAS:
        if a.key == key:
            return a
    raise KeyError(key)
