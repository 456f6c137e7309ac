"""会议记录 print jobs: one meeting's minutes, a year's volume, the notice, the sign-in
sheet of a recorded meeting."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from branchdesk.areas.printjob import Pdf, Roll, make_job
from branchdesk.domain.minutes import MeetingRecord
from branchdesk.store import Book

if TYPE_CHECKING:
    from branchdesk.printing.fonts import FontSet
    from branchdesk.printing.minutes_form import MinutesView


def minutes_view(book: Book, record: MeetingRecord, roll: Roll | None = None) -> MinutesView:
    """Everything the 会议记录 page prints, worded from the book and the rules. ``roll``
    saves reading the roster again for each meeting of a volume."""
    from branchdesk.domain.meetings import AttendanceStatus, ResolutionKind, attendance_counts
    from branchdesk.domain.strokes import sort_by_strokes
    from branchdesk.domain.voting import chair_announcement, resolution_passes, written_opinions
    from branchdesk.printing.minutes_form import MinutesView, VoteLine

    m = record.meeting
    roll = roll or Roll.read(book)
    names = roll.names()
    expected = roll.expected(m)
    counts = attendance_counts(m, expected)
    absent = []
    for entry in sort_by_strokes(list(expected.expected), key=lambda e: e.member.name):
        a = m.attendance.get(entry.member.id or 0)
        if a is None or a.status == AttendanceStatus.PRESENT:
            continue
        if a.status == AttendanceStatus.LEAVE:
            absent.append(f"{entry.member.name}（请假：{a.reason or '未注明原因'}）")
        elif a.reason:
            absent.append(f"{entry.member.name}（缺席：{a.reason}）")
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
            written = written_opinions(r)
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


def minutes_job(
    book: Book,
    meeting_id: int,
    *,
    archive: bool | None = None,
    with_corrections: bool = True,
) -> Callable[[], Pdf]:
    """Read now (KeyError if there is no such meeting); build later, anywhere.

    ``archive``: with the 归档章 (None: as the book's setting). A filed meeting that was
    corrected prints with its 更正说明 after it, so a reprint is never the uncorrected
    record alone; the archive volume files the minutes as they were
    (``with_corrections=False``: the corrections go into the next year's volume)."""
    from branchdesk.areas.archiving import minutes_stamp, wanted
    from branchdesk.printing.minutes_form import minutes_pdf

    record = book.meetings.get(meeting_id)
    view = minutes_view(book, record)
    stamp = minutes_stamp(book, record) if wanted(book, archive) else None
    corrections = book.archive.corrections("meeting", meeting_id) if with_corrections else []
    if not corrections:
        return make_job(book, lambda fonts: minutes_pdf(view, fonts=fonts, archive_stamp=stamp))
    from branchdesk.domain.archive import correction_paragraphs

    paragraphs = ["本记录已归档，原记录不变，更正如下：", *correction_paragraphs(corrections)]

    def render(fonts: FontSet) -> bytes:
        from branchdesk.printing.archive_volume import append_renumbered
        from branchdesk.printing.document import text_pdf

        addendum = text_pdf(f"{view.title}更正说明", paragraphs, fonts=fonts,
                            signatures=("批准人签字", "日期"), author=view.branch)  # fmt: skip
        minutes = minutes_pdf(view, fonts=fonts, archive_stamp=stamp)
        return append_renumbered(minutes, addendum, fonts=fonts)

    return make_job(book, render)


def minutes_pdf_for(book: Book, meeting_id: int) -> Pdf:
    return minutes_job(book, meeting_id)()


def volume_job(
    book: Book, year: int, meeting_type: str | None, *, archive: bool | None = None
) -> Callable[[], Pdf]:
    """A year's minutes of one type (None: all) by 所属年度 as one PDF with a contents page;
    with ``archive`` each record's 归档章 on its first page (None: as the book's setting)."""
    from branchdesk.areas.archiving import volume_stamps, wanted
    from branchdesk.domain.meetings import MeetingType
    from branchdesk.printing.volume_form import minutes_volume_pdf

    kind = MeetingType(meeting_type) if meeting_type else None
    roll = Roll.read(book)
    records = book.meetings.records(year, kind)
    views = [minutes_view(book, r, roll) for r in records]
    stamps = volume_stamps(book, records, year) if wanted(book, archive) else None
    title = f"{book.branch.profile().name}{year}年度{kind.value if kind else '会议'}记录"
    return make_job(
        book,
        lambda fonts: minutes_volume_pdf(views, volume_title=title, fonts=fonts, stamps=stamps),
    )


def notice_job(book: Book, meeting_id: int) -> Callable[[], Pdf]:
    """会议通知 for a meeting: who attends is everyone expected on that date."""
    from branchdesk.domain.meetings import Scope
    from branchdesk.domain.strokes import sort_by_strokes
    from branchdesk.printing.notice_form import notice_pdf

    record = book.meetings.get(meeting_id)
    roll = Roll.read(book)
    view = minutes_view(book, record, roll)
    m = record.meeting
    if (m.scope or Scope.BRANCH) == Scope.BRANCH:
        attendees: list[str] = ["全体党员"]
    else:
        attendees = sort_by_strokes([e.member.name for e in roll.expected(m).expected])
    return make_job(book, lambda fonts: notice_pdf(view, attendees, fonts=fonts))


def meeting_signin_job(book: Book, meeting_id: int) -> Callable[[], Pdf]:
    """签到表 pre-filled for a recorded meeting: those who should attend it (its scope, on
    its date, less members excluded from 应到)."""
    from branchdesk.printing.signin_form import signin_pdf

    record = book.meetings.get(meeting_id)
    m = record.meeting
    expected = list(Roll.read(book).expected(m).expected)
    branch = book.branch.profile()
    return make_job(
        book,
        lambda fonts: signin_pdf(
            branch, m.title, m.date, record.place, expected, time=record.time_text(), fonts=fonts
        ),
    )


def minutes_docx_for(book: Book, meeting_id: int) -> bytes:
    """The 会议记录 of a meeting as a Word copy (.docx): same content and headings."""
    from branchdesk.printing.minutes_docx import minutes_docx

    return minutes_docx(minutes_view(book, book.meetings.get(meeting_id)))


def volume_docx_for(book: Book, year: int, meeting_type: str | None = None) -> bytes:
    """A year's minutes (by 所属年度; one type, or all) as one Word copy."""
    from branchdesk.domain.meetings import MeetingType
    from branchdesk.printing.minutes_docx import minutes_volume_docx

    kind = MeetingType(meeting_type) if meeting_type else None
    roll = Roll.read(book)
    views = [
        minutes_view(book, r, roll)
        for r in book.meetings.records(year)
        if kind is None or kind in r.meeting.types
    ]
    title = f"{book.branch.profile().name}{year}年度{kind.value if kind else '会议'}记录"
    return minutes_volume_docx(title, views)
