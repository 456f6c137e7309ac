"""The meeting book: one row per real event, its types, agenda, attendance, exclusions,
resolutions and attachments. A save replaces the event's child rows in one transaction."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from branchdesk.domain.compliance import NO_GROUP, NO_TYPE
from branchdesk.domain.meetings import (
    Attendance,
    AttendanceStatus,
    Exclusion,
    ExclusionReason,
    Meeting,
    MeetingType,
    Resolution,
    ResolutionKind,
    Scope,
    default_scope,
    default_year,
)
from branchdesk.domain.minutes import AttachmentInfo, MeetingRecord, check_time
from branchdesk.store.convert import insert_row
from branchdesk.store.database import Database
from branchdesk.store.errors import InputError
from branchdesk.store.tx import Writer

_MEETING_COLUMNS = (
    "title", "date", "start_time", "end_time", "belongs_to_year", "scope", "group_id",
    "place", "host", "recorder", "guests", "content", "lecturer", "topic", "theme",
)  # fmt: skip


@dataclass(frozen=True)
class MeetingSummary:
    """One line of the meeting list (cheap to load for ten years of meetings)."""

    id: int
    title: str
    date: dt.date
    year: int
    types: frozenset[MeetingType]
    place: str
    present: int
    resolutions: int


def _problems(record: MeetingRecord) -> list[str]:
    m = record.meeting
    problems = []
    if not m.types:
        problems.append(NO_TYPE)
    if not record.meeting.title.strip():
        problems.append("会议名称：不能为空")
    bad_time = False
    for label, value in (("开始时间", record.start_time), ("结束时间", record.end_time)):
        problem = check_time(value)
        if problem:
            problems.append(f"{label}：{problem}")
            bad_time = True
    # Compared only when both are valid times: one problem, one message.
    if (
        not bad_time
        and record.start_time
        and record.end_time
        and record.end_time < record.start_time
    ):
        problems.append("结束时间：早于开始时间")
    if (m.scope or default_scope(m.types)) == Scope.GROUP and m.group_id is None:
        problems.append(NO_GROUP)
    for n, r in enumerate(m.resolutions, start=1):
        if not r.text.strip():
            problems.append(f"决议{n}：内容不能为空")
        if r.kind in (ResolutionKind.ADMISSION, ResolutionKind.CONFIRMATION) and not r.candidate_id:
            problems.append(f"决议{n}：{r.kind.value}须选择表决对象")
    return problems


def read_attachment_blobs(
    conn: sqlite3.Connection, ids: Iterable[int], table: str = "meeting_attachment"
) -> dict[int, bytes]:
    """The bytes of these attachments of ``table`` (meeting_attachment or talk_attachment)."""
    if table not in ("meeting_attachment", "talk_attachment"):
        raise ValueError(table)
    out: dict[int, bytes] = {}
    for attachment_id in ids:
        row = conn.execute(f"SELECT data FROM {table} WHERE id = ?", [attachment_id]).fetchone()
        if row is not None:
            out[attachment_id] = bytes(row[0])
    return out


class MeetingsRepo:
    def __init__(self, db: Database, writer: Writer) -> None:
        self.db = db
        self.writer = writer
        #: Called with the meeting id inside the transaction of every save and delete,
        #: after the meeting's rows are written (or gone): the points book derives its
        #: automatic entries here, so a meeting and its points commit together.
        self.after_write: list[Callable[[int], object]] = []

    # -- writing ------------------------------------------------------------------------
    def save(self, record: MeetingRecord, *, check: Any = None) -> int:
        """Insert or update one meeting with all its parts, atomically.

        ``check`` (optional) is called with the record inside the transaction and returns a
        list of rule violations (e.g. a resolution marked passed at an inquorate meeting);
        any violation aborts the save with an InputError that lists them.
        """
        m = record.meeting
        year = m.belongs_to_year or default_year(m.types, m.date)
        scope = m.scope or default_scope(m.types)
        record = replace(record, meeting=replace(m, belongs_to_year=year, scope=scope))
        problems = _problems(record)
        if check is not None:
            # The rules repeat some of the record's own checks: say each problem once.
            problems += [p for p in check(record) if p not in problems]
        if problems:
            # The rules and the record's own checks may find the same thing: say it once.
            raise InputError("；".join(dict.fromkeys(problems)))
        m = record.meeting
        row = {
            "title": m.title.strip(),
            "date": m.date.isoformat(),
            "start_time": record.start_time,
            "end_time": record.end_time,
            "belongs_to_year": year,
            "scope": scope.value,
            "group_id": m.group_id if scope == Scope.GROUP else None,
            "place": record.place.strip(),
            "host": record.host.strip(),
            "recorder": record.recorder.strip(),
            "guests": record.guests.strip(),
            "content": record.content,
            "lecturer": record.lecturer.strip(),
            "topic": record.topic.strip(),
            "theme": record.theme.strip(),
        }
        with self.writer.write("meetings", m.id) as changed:
            if m.id is None:
                meeting_id = insert_row(self.db, "meeting", row)
            else:
                meeting_id = m.id
                if not self.db.execute(
                    "SELECT 1 FROM meeting WHERE id = ?", [meeting_id]
                ).fetchone():
                    raise InputError(f"会议记录 {meeting_id} 不存在")
                sets = ", ".join(f"{k} = ?" for k in row)
                self.db.execute(
                    f"UPDATE meeting SET {sets}, updated_at = datetime('now') WHERE id = ?",
                    [*row.values(), meeting_id],
                )
                for table in (
                    "meeting_type",
                    "meeting_agenda",
                    "meeting_attendance",
                    "meeting_exclusion",
                    "meeting_resolution",
                ):
                    self.db.execute(f"DELETE FROM {table} WHERE meeting_id = ?", [meeting_id])
            self._write_children(meeting_id, record)
            changed.add(meeting_id)
            for hook in self.after_write:
                hook(meeting_id)
        return meeting_id

    def _write_children(self, meeting_id: int, record: MeetingRecord) -> None:
        m = record.meeting
        execute = self.db.conn.executemany
        execute(
            "INSERT INTO meeting_type (meeting_id, type) VALUES (?, ?)",
            [(meeting_id, t.value) for t in sorted(m.types)],
        )
        execute(
            "INSERT INTO meeting_agenda (meeting_id, position, text) VALUES (?, ?, ?)",
            [(meeting_id, n, text.strip()) for n, text in enumerate(record.agenda) if text.strip()],
        )
        execute(
            "INSERT INTO meeting_attendance (meeting_id, member_id, status, reason) "
            "VALUES (?, ?, ?, ?)",
            [
                (meeting_id, mid, a.status.value, a.reason.strip())
                for mid, a in m.attendance.items()
            ],
        )
        execute(
            "INSERT INTO meeting_exclusion (meeting_id, member_id, reason, basis)"
            " VALUES (?, ?, ?, ?)",
            [(meeting_id, mid, e.reason.value, e.basis.strip()) for mid, e in m.excluded.items()],
        )
        execute(
            "INSERT INTO meeting_resolution (meeting_id, position, text, kind, candidate_id,"
            " votes_for, votes_against, abstentions, written_for, written_against,"
            " written_abstain, marked_passed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (meeting_id, n, r.text.strip(), r.kind.value, r.candidate_id, r.votes_for,
                 r.votes_against, r.abstentions, r.written_for, r.written_against,
                 r.written_abstain, int(r.marked_passed))
                for n, r in enumerate(m.resolutions)
            ],
        )  # fmt: skip

    def delete(self, meeting_id: int) -> None:
        with self.writer.write("meetings", meeting_id):
            self.db.execute("DELETE FROM meeting WHERE id = ?", [meeting_id])
            for hook in self.after_write:
                hook(meeting_id)

    # -- attachments ----------------------------------------------------------------------
    def add_attachment(
        self, meeting_id: int, name: str, mime: str, data: bytes, width: int = 0, height: int = 0
    ) -> int:
        with self.writer.write("meetings", meeting_id):
            return insert_row(
                self.db,
                "meeting_attachment",
                {"meeting_id": meeting_id, "name": name, "mime": mime, "data": data,
                 "width": width, "height": height},
            )  # fmt: skip

    def attachment_data(self, attachment_id: int) -> bytes:
        row = self.db.execute(
            "SELECT data FROM meeting_attachment WHERE id = ?", [attachment_id]
        ).fetchone()
        if row is None:
            raise KeyError(attachment_id)
        return bytes(row[0])

    def remove_attachment(self, attachment_id: int) -> None:
        with self.writer.write("meetings"):
            self.db.execute("DELETE FROM meeting_attachment WHERE id = ?", [attachment_id])

    # -- reading --------------------------------------------------------------------------
    def get(self, meeting_id: int) -> MeetingRecord:
        found = self._load("m.id = ?", [meeting_id])
        if not found:
            raise KeyError(meeting_id)
        return found[0]

    def records(self, year: int | None = None, kind: str | None = None) -> list[MeetingRecord]:
        """Full records, by date; of one 所属年度 when ``year`` is given, of one meeting
        type when ``kind`` is (a year's volume reads only the meetings it prints)."""
        where: list[str] = ["1"]
        params: list[Any] = []
        if year is not None:
            where.append("m.belongs_to_year = ?")
            params.append(year)
        if kind is not None:
            where.append("m.id IN (SELECT meeting_id FROM meeting_type WHERE type = ?)")
            params.append(str(kind))
        return self._load(" AND ".join(where), params)

    def records_since(self, day: dt.date) -> list[MeetingRecord]:
        """Full records dated on or after ``day`` (recent attendance, without reading years)."""
        return self._load("m.date >= ?", [day.isoformat()])

    def last_attended(
        self,
        since: dt.date,
        today: dt.date,
        groups: dict[int, int | None],
        serving: Any = None,
        members: Iterable[int] | None = None,
    ) -> dict[int, dt.date]:
        """member id → the last 组织生活 they attended (出席) between ``since`` and
        ``today``: a meeting of the whole branch, of their 党小组 (``groups``: member id →
        group id, as `RosterRepo.group_ids`), or a 支委会 while they held a post —
        ``serving(day)`` gives the ids serving on a day (None: a recorded 出席 at a 支委会
        is trusted). The scope rule of `compliance.members_without_activity`, read with
        three small queries over the meetings of the period (``members``: only these)."""
        wanted = None if members is None else set(members)
        args = [since.isoformat(), today.isoformat(), AttendanceStatus.PRESENT.value]
        last: dict[int, str] = {}  # ISO dates compare as strings

        def seen(member_id: int, day: str) -> None:
            if day > last.get(member_id, ""):
                last[member_id] = day

        conn = self.db.conn
        only = wanted is not None and len(wanted) <= 500  # a few: look them up by the key
        head = _attended_head(len(wanted) if only and wanted is not None else 0)
        ids = sorted(wanted) if only and wanted is not None else []
        for member_id, day in conn.execute(
            f"SELECT a.member_id, max(m.date) {head} GROUP BY a.member_id",
            [*args, Scope.BRANCH.value, *ids],
        ):
            if wanted is None or member_id in wanted:
                last[member_id] = day  # one row per member: the first to fill ``last``
        for member_id, group_id, day in conn.execute(
            f"SELECT a.member_id, m.group_id, max(m.date) {head} GROUP BY a.member_id, m.group_id",
            [*args, Scope.GROUP.value, *ids],
        ):
            if groups.get(member_id) == group_id and (wanted is None or member_id in wanted):
                seen(member_id, day)
        for member_id, day in conn.execute(
            f"SELECT a.member_id, m.date {head}", [*args, Scope.COMMITTEE.value, *ids]
        ):
            if wanted is not None and member_id not in wanted:
                continue
            if serving is None or member_id in serving(dt.date.fromisoformat(day)):
                seen(member_id, day)
        return {member_id: dt.date.fromisoformat(day) for member_id, day in last.items()}

    def attended(
        self, since: dt.date, today: dt.date, groups: dict[int, int | None], serving: Any = None
    ) -> set[int]:
        """The ids of the members `last_attended` gives a date for, without the dates: who
        attended 组织生活 in scope between ``since`` and ``today`` (the same rule, read
        without grouping: a set of ids is all the 3-month list needs, ~3× quicker)."""
        args = [since.isoformat(), today.isoformat(), AttendanceStatus.PRESENT.value]
        conn = self.db.conn
        head = _attended_head(0)
        found = {
            r[0] for r in conn.execute(f"SELECT a.member_id {head}", [*args, Scope.BRANCH.value])
        }
        get = groups.get
        found.update(
            member_id
            for member_id, group_id in conn.execute(
                f"SELECT a.member_id, m.group_id {head}", [*args, Scope.GROUP.value]
            )
            if get(member_id) == group_id
        )
        for member_id, day in conn.execute(
            f"SELECT a.member_id, m.date {head}", [*args, Scope.COMMITTEE.value]
        ):
            if serving is None or member_id in serving(dt.date.fromisoformat(day)):
                found.add(member_id)
        return found

    def first_date(self) -> dt.date | None:
        row = self.db.conn.execute("SELECT min(date) FROM meeting").fetchone()
        return dt.date.fromisoformat(row[0]) if row and row[0] else None

    def _load(self, where: str, params: list[Any]) -> list[MeetingRecord]:
        conn = self.db.conn
        cursor = conn.execute(
            f"SELECT m.id, {', '.join('m.' + c for c in _MEETING_COLUMNS)} FROM meeting m"
            f" WHERE {where} ORDER BY m.date, m.start_time, m.id",
            params,
        )
        rows = cursor.fetchall()
        if not rows:
            return []
        ids = [r[0] for r in rows]
        marks = ",".join("?" * len(ids))
        children: dict[str, dict[int, list[tuple[Any, ...]]]] = {}
        for table, cols, order in (
            ("meeting_type", "type", "type"),
            ("meeting_agenda", "text", "position"),
            ("meeting_attendance", "member_id, status, reason", "member_id"),
            ("meeting_exclusion", "member_id, reason, basis", "member_id"),
            ("meeting_resolution", "text, kind, candidate_id, votes_for, votes_against,"
             " abstentions, written_for, written_against, written_abstain, marked_passed",
             "position"),
            ("meeting_attachment", "id, name, mime, length(data), width, height", "id"),
        ):  # fmt: skip
            grouped: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
            for r in conn.execute(
                f"SELECT meeting_id, {cols} FROM {table} WHERE meeting_id IN ({marks})"
                f" ORDER BY meeting_id, {order}",
                ids,
            ):
                grouped[r[0]].append(r[1:])
            children[table] = grouped
        out = []
        for r in rows:
            mid = r[0]
            v = dict(zip(_MEETING_COLUMNS, r[1:], strict=True))
            meeting = Meeting(
                id=mid,
                title=v["title"],
                types=frozenset(MeetingType(t[0]) for t in children["meeting_type"][mid]),
                date=dt.date.fromisoformat(v["date"]),
                belongs_to_year=v["belongs_to_year"],
                scope=Scope(v["scope"]),
                group_id=v["group_id"],
                attendance={
                    a[0]: Attendance(AttendanceStatus(a[1]), a[2])
                    for a in children["meeting_attendance"][mid]
                },
                excluded={
                    e[0]: Exclusion(ExclusionReason(e[1]), e[2])
                    for e in children["meeting_exclusion"][mid]
                },
                resolutions=tuple(
                    Resolution(
                        text=x[0],
                        kind=ResolutionKind(x[1]),
                        candidate_id=x[2],
                        votes_for=x[3],
                        votes_against=x[4],
                        abstentions=x[5],
                        written_for=x[6],
                        written_against=x[7],
                        written_abstain=x[8],
                        marked_passed=bool(x[9]),
                    )
                    for x in children["meeting_resolution"][mid]
                ),
            )
            out.append(
                MeetingRecord(
                    meeting=meeting,
                    start_time=v["start_time"],
                    end_time=v["end_time"],
                    place=v["place"],
                    host=v["host"],
                    recorder=v["recorder"],
                    guests=v["guests"],
                    agenda=tuple(a[0] for a in children["meeting_agenda"][mid]),
                    content=v["content"],
                    lecturer=v["lecturer"],
                    topic=v["topic"],
                    theme=v["theme"],
                    attachments=tuple(
                        AttachmentInfo(a[1], a[2], a[3], a[0], a[4], a[5])
                        for a in children["meeting_attachment"][mid]
                    ),
                )
            )
        return out

    def outlines(self, year: int | None = None) -> list[Meeting]:
        """Meetings with their types, date, 所属年度 and group only — what the compliance
        calendar needs, in two queries. With ``year``: those dated in it or belonging to it."""
        where, params = "", []
        if year is not None:
            where = " WHERE (date BETWEEN ? AND ?) OR belongs_to_year = ?"
            params = [f"{year}-01-01", f"{year}-12-31", year]
        types: dict[int, set[MeetingType]] = defaultdict(set)
        for mid, kind in self.db.conn.execute(
            "SELECT meeting_id, type FROM meeting_type WHERE meeting_id IN"
            f" (SELECT id FROM meeting{where})",
            params,
        ):
            types[mid].add(MeetingType(kind))
        return [
            Meeting(
                id=r[0],
                title=r[1],
                types=frozenset(types[r[0]]),
                date=dt.date.fromisoformat(r[2]),
                belongs_to_year=r[3],
                scope=Scope(r[4]),
                group_id=r[5],
            )
            for r in self.db.conn.execute(
                f"SELECT id, title, date, belongs_to_year, scope, group_id FROM meeting{where}"
                " ORDER BY date, id",
                params,
            )
        ]

    def summaries(self, year: int | None = None) -> list[MeetingSummary]:
        """The list view: one query, no content or attachments."""
        where, params = ("WHERE m.belongs_to_year = ?", [year]) if year is not None else ("", [])
        rows = self.db.conn.execute(
            "SELECT m.id, m.title, m.date, m.belongs_to_year, m.place,"
            " (SELECT group_concat(type, '、') FROM meeting_type t WHERE t.meeting_id = m.id),"
            " (SELECT count(*) FROM meeting_attendance a WHERE a.meeting_id = m.id"
            "  AND a.status = '出席'),"
            " (SELECT count(*) FROM meeting_resolution r WHERE r.meeting_id = m.id)"
            f" FROM meeting m {where} ORDER BY m.date DESC, m.start_time DESC, m.id DESC",
            params,
        ).fetchall()
        return [
            MeetingSummary(
                id=r[0],
                title=r[1],
                date=dt.date.fromisoformat(r[2]),
                year=r[3],
                place=r[4],
                types=frozenset(MeetingType(t) for t in (r[5] or "").split("、") if t),
                present=r[6],
                resolutions=r[7],
            )
            for r in rows
        ]

    def years(self) -> list[int]:
        return [r[0] for r in self.db.conn.execute(
            "SELECT DISTINCT belongs_to_year FROM meeting ORDER BY 1 DESC")]  # fmt: skip

    def last_of_type(self, meeting_type: MeetingType) -> MeetingRecord | None:
        """The newest meeting of a type: the template for the next one."""
        row = self.db.conn.execute(
            "SELECT m.id FROM meeting m JOIN meeting_type t ON t.meeting_id = m.id"
            " WHERE t.type = ? ORDER BY m.date DESC, m.id DESC LIMIT 1",
            [meeting_type.value],
        ).fetchone()
        return self.get(row[0]) if row else None

    def dates_attended(self, member_ids: Iterable[int] | None = None) -> dict[int, list[dt.date]]:
        """member id → dates of meetings they attended (出席), for the 3/6-month alarm."""
        out: dict[int, list[dt.date]] = defaultdict(list)
        for member_id, day in self.db.conn.execute(
            "SELECT a.member_id, m.date FROM meeting_attendance a JOIN meeting m"
            " ON m.id = a.meeting_id WHERE a.status = '出席' ORDER BY m.date"
        ):
            out[member_id].append(dt.date.fromisoformat(day))
        if member_ids is not None:
            wanted = set(member_ids)
            return {k: v for k, v in out.items() if k in wanted}
        return dict(out)


def _attended_head(members: int) -> str:
    """FROM … WHERE of the attendance queries: 出席 at meetings of one scope in a period
    (parameters: since, today, status, scope, then ``members`` ids when not 0). CROSS JOIN:
    the period's meetings drive the search (index on date), not the million attendance
    rows of ten years."""
    only = f" AND a.member_id IN ({','.join('?' * members)})" if members else ""
    return (
        "FROM meeting m CROSS JOIN meeting_attendance a ON a.meeting_id = m.id"
        f" WHERE m.date BETWEEN ? AND ? AND a.status = ? AND m.scope = ?{only}"
    )
