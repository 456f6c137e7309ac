"""The roster (党员名册): members and their effective-dated membership events."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from sqlite_utils import Database

from branchdesk.domain.idcard import normalize_id
from branchdesk.domain.members import (
    LEAVING_KINDS,
    PERIOD_KINDS,
    Category,
    EventKind,
    Member,
    MembershipEvent,
    RosterEntry,
    roster_on,
    validate_member,
)
from branchdesk.domain.names import normalize_name, pinyin_initials
from branchdesk.store.convert import from_date, insert_row, to_date
from branchdesk.store.errors import InputError
from branchdesk.store.tx import Writer

_MEMBER_SQL = """
SELECT m.*, coalesce(g.name, '') AS group_name
FROM member m LEFT JOIN party_group g ON g.id = m.group_id
"""


_iso = dt.date.fromisoformat
_CATEGORIES = {c.value: c for c in Category}


def _event(row: dict[str, Any]) -> MembershipEvent:
    return MembershipEvent(
        kind=EventKind(row["kind"]),
        date=dt.date.fromisoformat(row["date"]),
        end_date=to_date(row["end_date"]),
        note=row["note"],
        id=row["id"],
        member_id=row["member_id"],
    )


def _member(row: dict[str, Any], events: Sequence[MembershipEvent]) -> Member:
    return Member(
        id=row["id"],
        name=row["name"],
        gender=row["gender"],
        ethnicity=row["ethnicity"],
        birth_date=to_date(row["birth_date"]),
        id_number=row["id_number"],
        education=row["education"],
        category=_CATEGORIES[row["category"]],
        join_date=to_date(row["join_date"]),
        full_date=to_date(row["full_date"]),
        post=row["post"],
        phone=row["phone"],
        group_id=row["group_id"],
        group_name=row["group_name"],
        notes=row["notes"],
        events=tuple(events),
    )


def _row(member: Member) -> dict[str, Any]:
    return {
        "name": member.name,
        "gender": member.gender,
        "ethnicity": member.ethnicity.strip(),
        "birth_date": from_date(member.birth_date),
        "id_number": member.id_number,
        "education": member.education.strip(),
        "category": member.category.value,
        "join_date": from_date(member.join_date),
        "full_date": from_date(member.full_date),
        "post": member.post.strip(),
        "phone": member.phone.strip(),
        "group_id": member.group_id,
        "notes": member.notes,
        "pinyin": pinyin_initials(member.name),
    }


class RosterRepo:
    def __init__(self, db: Database, writer: Writer) -> None:
        self.db = db
        self.writer = writer

    # -- reading ------------------------------------------------------------------
    def members(self) -> list[Member]:
        """Everyone ever on the roll (including those who left), with their events.

        Reads plain tuples rather than sqlite-utils dicts: this runs for every roster view
        and is the bulk of opening a 5,000-member book.
        """
        events: dict[int, list[MembershipEvent]] = defaultdict(list)
        conn = self.db.conn
        for eid, member_id, kind, day, end, note in conn.execute(
            "SELECT id, member_id, kind, date, end_date, note FROM member_event ORDER BY date, id"
        ):
            events[member_id].append(
                MembershipEvent(
                    EventKind(kind), _iso(day), _iso(end) if end else None, note, eid, member_id
                )
            )
        cursor = conn.execute(_MEMBER_SQL + " ORDER BY m.id")
        names = [d[0] for d in cursor.description]
        return [
            _member(dict(zip(names, row, strict=True)), events.get(row[0], ())) for row in cursor
        ]

    def members_by_id(self, ids: Iterable[int]) -> list[Member]:
        """Those members (with their events), by id; unknown ids are left out."""
        wanted = sorted(set(ids))
        if not wanted:
            return []
        marks = ",".join("?" * len(wanted))
        events: dict[int, list[MembershipEvent]] = defaultdict(list)
        conn = self.db.conn
        for eid, member_id, kind, day, end, note in conn.execute(
            "SELECT id, member_id, kind, date, end_date, note FROM member_event"
            f" WHERE member_id IN ({marks}) ORDER BY date, id",
            wanted,
        ):
            events[member_id].append(
                MembershipEvent(
                    EventKind(kind), _iso(day), _iso(end) if end else None, note, eid, member_id
                )
            )
        cursor = conn.execute(_MEMBER_SQL + f" WHERE m.id IN ({marks}) ORDER BY m.id", wanted)
        names = [d[0] for d in cursor.description]
        return [
            _member(dict(zip(names, row, strict=True)), events.get(row[0], ())) for row in cursor
        ]

    def member(self, member_id: int) -> Member:
        rows = list(self.db.query(_MEMBER_SQL + " WHERE m.id = ?", [member_id]))
        if not rows:
            raise KeyError(member_id)
        events = [
            _event(r)
            for r in self.db.query(
                "SELECT * FROM member_event WHERE member_id = ? ORDER BY date, id", [member_id]
            )
        ]
        return _member(rows[0], events)

    def on(self, day: dt.date) -> list[RosterEntry]:
        """Who belonged on ``day``, with category and vote as of then."""
        return roster_on(self.members(), day)

    def search_keys(self) -> dict[int, str]:
        """Pinyin initials per member id, computed when the member was saved."""
        return {r["id"]: r["pinyin"] for r in self.db.query("SELECT id, pinyin FROM member")}

    def group_ids(self) -> dict[int, int | None]:
        """member id → 党小组 id (None: no group), without reading whole members."""
        return {r[0]: r[1] for r in self.db.conn.execute("SELECT id, group_id FROM member")}

    def id_numbers(self) -> dict[str, str]:
        """id_number → name, for duplicate checks on import."""
        return {
            r["id_number"]: r["name"]
            for r in self.db.query("SELECT id_number, name FROM member WHERE id_number <> ''")
        }

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM member").fetchone()[0]

    # -- writing ------------------------------------------------------------------
    def _clean(self, member: Member, today: dt.date | None) -> Member:
        member = replace(
            member,
            name=normalize_name(member.name),
            id_number=normalize_id(member.id_number) if member.id_number else "",
        )
        errors = validate_member(member, today or dt.date.today())
        if member.id_number:
            clash = self.db.execute(
                "SELECT name FROM member WHERE id_number = ? AND id_number <> '' AND id IS NOT ?",
                [member.id_number, member.id],
            ).fetchone()
            if clash:
                errors.append(f"公民身份号码：与已登记的“{clash[0]}”重复")
        if errors:
            raise InputError("；".join(errors))
        return member

    def _group_id(self, member: Member, create: bool) -> int | None:
        if member.group_id is not None or not member.group_name:
            return member.group_id
        row = self.db.execute(
            "SELECT id FROM party_group WHERE name = ?", [member.group_name]
        ).fetchone()
        if row:
            return row[0]
        if not create:
            raise InputError(f"党小组：没有名为“{member.group_name}”的党小组")
        return insert_row(self.db, "party_group", {"name": member.group_name})

    def add(self, member: Member, today: dt.date | None = None) -> int:
        with self.writer.write("roster") as changed:
            new_id = self._insert(member, today)
            changed.add(new_id)
            return new_id

    def _insert(self, member: Member, today: dt.date | None) -> int:
        member = self._clean(member, today)
        member = replace(member, group_id=self._group_id(member, create=True))
        new_id = insert_row(self.db, "member", _row(member))
        # Facts an import read with the member (离退休, 流动) are recorded with it.
        for event in member.events:
            insert_row(
                self.db,
                "member_event",
                {"member_id": new_id, "kind": event.kind.value, "date": event.date.isoformat(),
                 "end_date": from_date(event.end_date), "note": event.note.strip()},
            )  # fmt: skip
        return new_id

    def add_many(self, members: Iterable[Member], today: dt.date | None = None) -> list[int]:
        """All or nothing: one transaction for the whole list (an import)."""
        ids = []
        with self.writer.write("roster") as changed:
            for n, member in enumerate(members, start=1):
                try:
                    ids.append(self._insert(member, today))
                except InputError as exc:
                    raise InputError(f"第{n}人（{member.name or '无姓名'}）{exc}") from None
            changed.add(*ids)
        return ids

    def update(self, member: Member, today: dt.date | None = None) -> None:
        member_id = member.id
        if member_id is None:
            raise ValueError("update needs a member id")
        with self.writer.write("roster", member_id):
            member = self._clean(member, today)
            member = replace(member, group_id=self._group_id(member, create=True))
            row = _row(member) | {"updated_at": dt.datetime.now().isoformat(" ", "seconds")}
            self.db.table("member").update(member_id, row)

    def delete(self, member_id: int) -> None:
        """Only for a record entered by mistake; people who leave get a 转出 event."""
        with self.writer.write("roster", member_id):
            if self.db.execute(
                "SELECT 1 FROM points_entry WHERE member_id = ? LIMIT 1", [member_id]
            ).fetchone():
                raise InputError("该党员已有积分明细，不能删除；离开本支部请登记“转出”")
            self.db.execute(
                "UPDATE party_group SET leader_id = NULL WHERE leader_id = ?", [member_id]
            )
            self.db.execute("DELETE FROM member WHERE id = ?", [member_id])

    def add_event(self, member_id: int, event: MembershipEvent) -> int:
        """Record a membership change. 转正 also sets the 转正日期 and 人员类别."""
        with self.writer.write("roster", member_id):
            member = self.member(member_id)
            problem = _event_problem(member, event)
            if problem:
                raise InputError(problem)
            if event.kind == EventKind.CONFIRMED:
                self.db.table("member").update(
                    member_id,
                    {"full_date": event.date.isoformat(), "category": Category.FULL.value},
                )
            return insert_row(
                self.db,
                "member_event",
                {
                    "member_id": member_id,
                    "kind": event.kind.value,
                    "date": event.date.isoformat(),
                    "end_date": from_date(event.end_date),
                    "note": event.note.strip(),
                },
            )

    def end_probation(self, event_id: int, end_date: dt.date) -> None:
        with self.writer.write("roster"):
            row = self.db.execute(
                "SELECT kind, date FROM member_event WHERE id = ?", [event_id]
            ).fetchone()
            if not row or row[0] not in PERIOD_KINDS:
                raise InputError("只能为“留党察看”和“流动”登记结束日期")
            if end_date < dt.date.fromisoformat(row[1]):
                raise InputError(f"结束日期：早于{row[0]}开始日期")
            self.db.table("member_event").update(event_id, {"end_date": end_date.isoformat()})


def _event_problem(member: Member, event: MembershipEvent) -> str | None:
    """Why this event cannot be recorded for this member, in words; None if it can."""
    day = event.date
    if member.join_date and day < member.join_date and event.kind != EventKind.TRANSFER_IN:
        return f"日期：{day.isoformat()} 早于入党日期"
    if event.kind == EventKind.TRANSFER_IN and member.belongs_on(day) and member.events:
        return f"{member.name}在 {day.isoformat()} 已在本支部，无需转入"
    if event.kind in LEAVING_KINDS and not member.belongs_on(day):
        return f"{member.name}在 {day.isoformat()} 已不在本支部"
    if event.kind == EventKind.CONFIRMED:
        if member.category_on(day) == Category.FULL and member.full_date is not None:
            return f"{member.name}已于 {member.full_date.isoformat()} 转正"
        if member.join_date and day < member.join_date:
            return "转正日期：早于入党日期"
    if event.end_date and event.kind not in PERIOD_KINDS:
        return "结束日期：只有“留党察看”和“流动”有结束日期"
    if event.end_date and event.end_date < day:
        return "结束日期：早于开始日期"
    return None
