"""Print jobs: gather what a form needs from the book, then call the form.

The forms in printing/ take domain objects only (no SQL, no Qt); this is the glue the CLI
and the GUI share, so both print exactly the same thing. The functions here read the
book, so they run on the thread that owns its connection; the PDF building they call
is the slow part and can run anywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from branchdesk.domain.members import Member, RosterEntry, roster_on
from branchdesk.domain.minutes import MeetingRecord
from branchdesk.store import Book

if TYPE_CHECKING:
    from branchdesk.domain.branch import CommitteePost
    from branchdesk.domain.meetings import ExpectedAttendees, Meeting
    from branchdesk.printing.fonts import FontSet
    from branchdesk.printing.minutes_form import MinutesView


@dataclass(frozen=True)
class Pdf:
    data: bytes
    pages: int


def count_pages(data: bytes) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        return len(doc)
    finally:
        doc.close()


def _font_preferences(book: Book) -> dict[str, str]:
    """Role → font file chosen in 设置 (empty: find fonts automatically)."""
    return {k.removeprefix("font."): v for k, v in book.settings.all("font.").items()}


def _job(book: Book, render: Callable[[FontSet], bytes]) -> Callable[[], Pdf]:
    """The deferred half of every job: resolve the chosen fonts, render, count pages.
    Reads nothing from the book, so it may run on a worker thread."""
    prefs = _font_preferences(book)

    def build() -> Pdf:
        from branchdesk.printing.fonts import resolve_fonts

        data = render(resolve_fonts(prefs or None))
        return Pdf(data, count_pages(data))

    return build


@dataclass(frozen=True)
class _Roll:
    """The roll, the committee and the groups, read once for a whole job (a year's volume
    prints hundreds of meetings)."""

    members: list[Member]
    committee: list[CommitteePost]
    groups: dict[int, int | None]

    @classmethod
    def read(cls, book: Book) -> _Roll:
        members = book.roster.members()
        groups = {m.id or 0: m.group_id for m in members}
        return cls(members, book.branch.committee(), groups)

    def expected(self, meeting: Meeting) -> ExpectedAttendees:
        from branchdesk.domain.meetings import expected_attendees

        roster = roster_on(self.members, meeting.date)
        return expected_attendees(meeting, roster, self.committee, self.groups)


def roster_job(
    book: Book,
    day: dt.date,
    *,
    order: str = "strokes",
    with_id: bool = False,
    archive: bool | None = None,
) -> Callable[[], Pdf]:
    """Read now; return a function that builds the PDF (safe to run in a worker).
    ``archive``: with the 归档章 (None: as the book's setting; see ``archiving``)."""
    from branchdesk.archiving import roll_stamp, wanted
    from branchdesk.printing.roster_form import roster_pdf

    if order not in ("strokes", "joined"):
        raise ValueError(f"排序方式应为 strokes 或 joined，不是 {order}")
    sort: Literal["strokes", "joined"] = "joined" if order == "joined" else "strokes"
    branch = book.branch.profile()
    members: list[Member] = [e.member for e in roster_on(book.roster.members(), day)]
    stamp = roll_stamp(book, day) if wanted(book, archive) else None
    return _job(
        book,
        lambda fonts: roster_pdf(
            branch, members, on=day, order=sort, with_id=with_id, fonts=fonts, archive_stamp=stamp
        ),
    )


def signin_job(book: Book, title: str, day: dt.date, place: str) -> Callable[[], Pdf]:
    from branchdesk.printing.signin_form import signin_pdf

    branch = book.branch.profile()
    entries: list[RosterEntry] = roster_on(book.roster.members(), day)
    return _job(book, lambda fonts: signin_pdf(branch, title, day, place, entries, fonts=fonts))


def roster_pdf_for(book: Book, day: dt.date, *, order: str, with_id: bool) -> Pdf:
    return roster_job(book, day, order=order, with_id=with_id)()


def signin_pdf_for(book: Book, title: str, day: dt.date, place: str) -> Pdf:
    return signin_job(book, title, day, place)()


def minutes_view(book: Book, record: MeetingRecord, roll: _Roll | None = None) -> MinutesView:
    """Everything the 会议记录 page prints, worded from the book and the rules. ``roll``
    saves reading the roster again for each meeting of a volume."""
    from branchdesk.domain.meetings import (
        AttendanceStatus,
        ResolutionKind,
        attendance_counts,
        chair_announcement,
        resolution_passes,
    )
    from branchdesk.domain.strokes import sort_by_strokes
    from branchdesk.printing.minutes_form import MinutesView, VoteLine

    m = record.meeting
    roll = roll or _Roll.read(book)
    names = {mm.id: mm.name for mm in roll.members}
    expected = roll.expected(m)
    counts = attendance_counts(m, expected)
    absent = []
    for entry in sort_by_strokes(list(expected.expected), key=lambda e: e.member.name):
        a = m.attendance.get(entry.member.id or 0)
        if a is None or a.status == AttendanceStatus.PRESENT:
            continue
        if a.status == AttendanceStatus.LEAVE:
            absent.append(f"{entry.member.name}（请假：{a.reason or '未注明原因'}）")
        else:
            absent.append(f"{entry.member.name}（无故缺席）")
    excluded = [
        f"{x.entry.member.name}（{x.exclusion.reason.value}"
        + (f"；依据：{x.exclusion.basis}" if x.exclusion.basis else "")
        + "）"
        for x in expected.excluded
    ]
    votes = []
    for r in m.resolutions:
        personal = r.kind in (ResolutionKind.ADMISSION, ResolutionKind.CONFIRMATION)
        written = ""
        if personal and r.written:
            written = (
                f"书面意见：赞成{r.written_for}、反对{r.written_against}、弃权{r.written_abstain}"
            )
        passed = resolution_passes(m, r, counts).ok if r.cast or r.written else None
        votes.append(
            VoteLine(
                text=r.text,
                kind=r.kind.value,
                candidate=names.get(r.candidate_id, "") if r.candidate_id else "",
                votes_for=r.votes_for,
                votes_against=r.votes_against,
                abstentions=r.abstentions,
                written=written,
                voting_present=counts.voting_present if personal else None,
                passed=passed,
            )
        )
    return MinutesView(
        branch=book.branch.profile().name,
        title=m.title,
        types="、".join(t.value for t in sorted(m.types)),
        day=m.date,
        start_time=record.start_time,
        end_time=record.end_time,
        place=record.place,
        host=record.host,
        recorder=record.recorder,
        expected=counts.expected,
        present=counts.present,
        absent_lines=tuple(absent),
        excluded_lines=tuple(excluded),
        guests=record.guests,
        announcement=chair_announcement(m, counts),
        agenda=record.agenda,
        lecturer=record.lecturer,
        topic=record.topic,
        theme=record.theme,
        content=record.content,
        resolutions=tuple(votes),
        year=m.belongs_to_year,
    )


def minutes_job(book: Book, meeting_id: int, *, archive: bool | None = None) -> Callable[[], Pdf]:
    """Read now (KeyError if there is no such meeting); build later, anywhere.
    ``archive``: with the 归档章 (None: as the book's setting)."""
    from branchdesk.archiving import minutes_stamp, wanted
    from branchdesk.printing.minutes_form import minutes_pdf

    record = book.meetings.get(meeting_id)
    view = minutes_view(book, record)
    stamp = minutes_stamp(book, record) if wanted(book, archive) else None
    return _job(book, lambda fonts: minutes_pdf(view, fonts=fonts, archive_stamp=stamp))


def minutes_pdf_for(book: Book, meeting_id: int) -> Pdf:
    return minutes_job(book, meeting_id)()


def volume_job(
    book: Book, year: int, meeting_type: str, *, archive: bool | None = None
) -> Callable[[], Pdf]:
    """A year's minutes of one type (by 所属年度) as one PDF with a contents page; with
    ``archive`` each record's 归档章 on its first page (None: as the book's setting)."""
    from branchdesk.archiving import volume_stamps, wanted
    from branchdesk.domain.meetings import MeetingType
    from branchdesk.printing.minutes_form import minutes_volume_pdf

    kind = MeetingType(meeting_type)
    roll = _Roll.read(book)
    records = [r for r in book.meetings.records(year) if kind in r.meeting.types]
    views = [minutes_view(book, r, roll) for r in records]
    stamps = volume_stamps(book, records, year) if wanted(book, archive) else None
    title = f"{book.branch.profile().name}{year}年度{kind.value}记录"
    return _job(
        book,
        lambda fonts: minutes_volume_pdf(views, volume_title=title, fonts=fonts, stamps=stamps),
    )


def notice_job(book: Book, meeting_id: int) -> Callable[[], Pdf]:
    """会议通知 for a meeting: who attends is everyone expected on that date."""
    from branchdesk.domain.meetings import Scope
    from branchdesk.domain.strokes import sort_by_strokes
    from branchdesk.printing.minutes_form import notice_pdf

    record = book.meetings.get(meeting_id)
    roll = _Roll.read(book)
    view = minutes_view(book, record, roll)
    m = record.meeting
    if (m.scope or Scope.BRANCH) == Scope.BRANCH:
        attendees: list[str] = ["全体党员"]
    else:
        attendees = sort_by_strokes([e.member.name for e in roll.expected(m).expected])
    return _job(book, lambda fonts: notice_pdf(view, attendees, fonts=fonts))


def meeting_signin_job(book: Book, meeting_id: int) -> Callable[[], Pdf]:
    """签到表 pre-filled for a recorded meeting: those who should attend it (its scope, on
    its date, less members excluded from 应到)."""
    from branchdesk.printing.signin_form import signin_pdf

    record = book.meetings.get(meeting_id)
    m = record.meeting
    expected = list(_Roll.read(book).expected(m).expected)
    branch = book.branch.profile()
    return _job(
        book,
        lambda fonts: signin_pdf(
            branch, m.title, m.date, record.place, expected, time=record.time_text(), fonts=fonts
        ),
    )
