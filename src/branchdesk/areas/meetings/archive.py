"""What 会议记录 files for a year (each meeting's minutes and sign-in sheet, by 所属年度)
and how its records are found by the search box."""

from __future__ import annotations

from functools import partial

from branchdesk.areas import ArchiveItem, Gap, Hit, Target
from branchdesk.domain.archive import DEFAULT_MINUTES_RETENTION, RETENTIONS
from branchdesk.domain.minutes import MeetingRecord
from branchdesk.store import Book

MINUTES_CLASS = 20
SIGNIN_CLASS = 30


def minutes_retention(book: Book) -> str:
    value = book.settings.get("archive.minutes_retention", DEFAULT_MINUTES_RETENTION)
    return value if value in RETENTIONS else DEFAULT_MINUTES_RETENTION


def meeting_gaps(record: MeetingRecord) -> tuple[Gap, ...]:
    """What a meeting's minutes lack before they can be filed."""
    m = record.meeting
    target = Target("meetings", "meeting", m.id)
    name = f"{m.date.month}月{m.date.day}日“{m.title}”"
    missing = []
    if not record.host.strip():
        missing.append("主持人")
    if not record.recorder.strip():
        missing.append("记录人")
    if not record.content.strip():
        missing.append("会议内容")
    if not m.attendance:
        missing.append("出席情况")
    return (Gap(f"{name}：没有填写{'、'.join(missing)}", target),) if missing else ()


#: Meetings a year's volume must hold, once a year.
YEARLY = ("组织生活会", "民主评议党员")


def year_gaps(book: Book, year: int) -> list[Gap]:
    """The yearly meetings a filed year must have records of."""
    held = {t.value for m in book.meetings.outlines(year) if m.belongs_to_year == year
            for t in m.types}  # fmt: skip
    return [
        Gap(f"{year}年度没有{kind}记录", Target("meetings", "calendar", year))
        for kind in YEARLY
        if kind not in held
    ]


def _minutes_title(title: str) -> str:
    return title if title.endswith("记录") else f"{title}记录"


def minutes_content(book: Book, meeting_id: int) -> list[object]:
    """The minutes in the volume's Word copy: exactly as their own Word copy."""
    from branchdesk.areas.meetings.jobs import minutes_view
    from branchdesk.printing.volume_docx import Minutes

    return [Minutes(minutes_view(book, book.meetings.get(meeting_id)))]


def archive_items(book: Book, year: int) -> list[ArchiveItem]:
    from branchdesk.areas.meetings.jobs import meeting_signin_job, minutes_job

    branch = book.branch.profile().name
    retention = minutes_retention(book)
    items = []
    for record in book.meetings.records(year):
        m = record.meeting
        assert m.id is not None
        items.append(
            ArchiveItem(
                area="meetings",
                key=f"meeting:{m.id}:minutes",
                title=_minutes_title(m.title),
                responsible=branch,
                date=m.date,
                sort_class=MINUTES_CLASS,
                retention=retention,
                print=partial(minutes_job, book, m.id, with_corrections=False),
                content=partial(minutes_content, book, m.id),
                gaps=meeting_gaps(record),
            )
        )
        items.append(
            ArchiveItem(
                area="meetings",
                key=f"meeting:{m.id}:signin",
                title=f"{m.title}签到表",
                responsible=branch,
                date=m.date,
                sort_class=SIGNIN_CLASS,
                retention=retention,
                print=partial(meeting_signin_job, book, m.id),
            )
        )
    return items


def search(book: Book, query: str) -> list[Hit]:
    """Titles, places, people, minutes content, agenda, resolutions, attachment names."""
    hits = []
    for found in book.search.meetings(query):
        hits.append(Hit.of(found, "meetings", Target("meetings", "meeting", found.record_id)))
    return hits
