"""A new meeting starts from the last one of its type: the same place, chair, recorder,
times, scope and agenda, dated today and titled by the month ("11月支委会")."""

from __future__ import annotations

import datetime as dt

from branchdesk.domain.meetings import Meeting, MeetingType
from branchdesk.domain.minutes import MeetingRecord
from branchdesk.store import Book


def new_meeting_record(book: Book, new_type: MeetingType | None, today: dt.date) -> MeetingRecord:
    types = frozenset({new_type}) if new_type else frozenset()
    title = f"{today.month}月{new_type.value}" if new_type else ""
    template = book.meetings.last_of_type(new_type) if new_type else None
    if template is None:
        return MeetingRecord(meeting=Meeting(types=types, date=today, title=title))
    t = template.meeting
    return MeetingRecord(
        meeting=Meeting(types=types, date=today, title=title, scope=t.scope, group_id=t.group_id),
        start_time=template.start_time,
        end_time=template.end_time,
        place=template.place,
        host=template.host,
        recorder=template.recorder,
        agenda=template.agenda,
    )
