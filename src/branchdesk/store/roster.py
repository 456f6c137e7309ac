"""The roster (党员名册): members and their effective-dated membership events."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from branchdesk.domain.dates import format_cn
from branchdesk.domain.idcard import normalize_id
from branchdesk.domain.members import (
    LEAVING_KINDS,
    PERIOD_KINDS,
    Category,
    EventCorrection,
    EventKind,
    Member,
    MembershipEvent,
    RosterEntry,
    category_from_record,
    event_problem,
    history_problems,
    roster_on,
    validate_member,
)
from branchdesk.domain.names import normalize_name, search_key
from branchdesk.store import glance
from branchdesk.store.convert import from_date, insert_row, to_date
from branchdesk.store.database import Database
from branchdesk.store.errors import InputError
from branchdesk.store.tx import Writer

_MEMBER_SQL = """
SELECT m.*, coalesce(g.name, '') AS group_name
FROM member m LEFT JOIN party_group g ON g.id = m.group_id
"""


# The roll's SQL names the domain's values one by one (store/glance.py, kept free of the
# domain model for the window's start-up): they must still be these.
if (
    Category.FULL.value != glance.FULL
    or EventKind.TRANSFER_IN.value != glance.TRANSFER_IN
    or set(glance.LEAVING.values()) != {k.value for k in LEAVING_KINDS}
):
    raise RuntimeError("store/glance.py must name Category.FULL, 转入 and the LEAVING_KINDS")

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
        override=bool(row["override"]),
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
        "pinyin": search_key(member.name),
    }


class _Keep:
    """Marks an argument left out (``None`` there means "clear it")."""


KEEP = _Keep()


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
        for eid, member_id, kind, day, end, note, override in conn.execute(
            "SELECT id, member_id, kind, date, end_date, note, override FROM member_event"
            " ORDER BY date, id"
        ):
            events[member_id].append(
                MembershipEvent(
                    EventKind(kind),
                    _iso(day),
                    _iso(end) if end else None,
                    note,
                    eid,
                    member_id,
                    bool(override),
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
        """Initials and full pinyin per member id ("zs zhangsan"), computed when the member
        was saved; a record saved before full pinyin was kept (initials only) gets it here."""
        return {
            member_id: key if " " in key else search_key(name)
            for member_id, name, key in self.db.conn.execute("SELECT id, name, pinyin FROM member")
        }

    def group_ids(self) -> dict[int, int | None]:
        """member id → 党小组 id (None: no group), without reading whole members."""
        return {r[0]: r[1] for r in self.db.conn.execute("SELECT id, group_id FROM member")}

    def id_numbers(self) -> dict[str, str]:
        """id_number → name, for duplicate checks on import."""
        return {
            r["id_number"]: r["name"]
            for r in self.db.query("SELECT id_number, name FROM member WHERE id_number <> ''")
        }

    def counts_on(self, day: dt.date) -> tuple[int, int]:
        """(on the roll, of whom 正式党员) on ``day``, counted in SQL: the rules of
        `Member.belongs_on` and `Member.category_on`, without building every member."""
        return glance.counts_on(self.db, day)

    def roll_on(self, day: dt.date) -> list[tuple[int, bool, dt.date | None]]:
        """(id, 正式党员?, in the branch since) of everyone on the roll on ``day``, in SQL;
        "since" is `compliance.entered_on`: the last 转入 on or before ``day``, else the
        入党日期."""
        return [
            (r[0], bool(r[1]), _iso(r[2]) if r[2] else None)
            for r in self.db.execute(
                f"SELECT id, full, entered FROM ({glance.ON_ROLL_SQL}) ORDER BY id",
                glance.on_roll_args(day),
            )
        ]

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
        member_id = insert_row(self.db, "member", _row(member))
        if member.group_id is not None:
            # In the group since the record began (no start date: as far back as it goes).
            insert_row(
                self.db, "group_membership", {"member_id": member_id, "group_id": member.group_id}
            )
        # Facts an import read with the member (离退休, 流动) are recorded with it.
        for event in member.events:
            insert_row(
                self.db,
                "member_event",
                {"member_id": member_id, "kind": event.kind.value, "date": event.date.isoformat(),
                 "end_date": from_date(event.end_date), "note": event.note.strip()},
            )  # fmt: skip
        return member_id

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
        """Save an edited record. Where a 转正 event exists, it decides the 转正日期; the
        人员类别 always follows from the 转正日期 (an old record kept as 正式党员 without
        one stays so). A change of 党小组 takes effect today for group membership."""
        member_id = member.id
        if member_id is None:
            raise ValueError("update needs a member id")
        with self.writer.write("roster", member_id):
            stored = self.member(member_id)
            if any(e.kind == EventKind.CONFIRMED for e in stored.events):
                member = replace(member, full_date=stored.full_date)
            member = replace(
                member,
                events=stored.events,
                category=category_from_record(member.full_date, stored.category, known=True),
            )
            member = self._clean(member, today)
            member = replace(member, group_id=self._group_id(member, create=True))
            row = _row(member) | {"updated_at": dt.datetime.now().isoformat(" ", "seconds")}
            self.db.table("member").update(member_id, row)
            if member.group_id != stored.group_id:
                self._move_group(member_id, member.group_id, today or dt.date.today())

    def _move_group(self, member_id: int, group_id: int | None, day: dt.date) -> None:
        """Close the open group membership the day before ``day`` and open the new one. A
        membership begun the same day is simply replaced (a corrected choice)."""
        self.db.execute(
            "DELETE FROM group_membership WHERE member_id = ? AND end_date IS NULL"
            " AND start_date = ?",
            [member_id, day.isoformat()],
        )
        self.db.execute(
            "UPDATE group_membership SET end_date = ? WHERE member_id = ? AND end_date IS NULL",
            [(day - dt.timedelta(days=1)).isoformat(), member_id],
        )
        if group_id is not None:
            insert_row(
                self.db,
                "group_membership",
                {"member_id": member_id, "group_id": group_id, "start_date": day.isoformat()},
            )

    def group_ids_on(self, day: dt.date) -> dict[int, int | None]:
        """member id → the 党小组 the member belonged to on ``day`` (None: no group)."""
        out: dict[int, int | None] = dict.fromkeys(
            (r[0] for r in self.db.conn.execute("SELECT id FROM member")), None
        )
        for member_id, group_id in self.db.conn.execute(
            "SELECT member_id, group_id FROM group_membership"
            " WHERE (start_date IS NULL OR start_date <= ?)"
            " AND (end_date IS NULL OR end_date >= ?)",
            [day.isoformat(), day.isoformat()],
        ):
            out[member_id] = group_id
        return out

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
        """Record a membership change. 转正 also sets the 转正日期 and so the 人员类别."""
        with self.writer.write("roster", member_id):
            member = self.member(member_id)
            problem = event_problem(member, event)
            if problem:
                raise InputError(problem)
            event_id = insert_row(
                self.db,
                "member_event",
                {
                    "member_id": member_id,
                    "kind": event.kind.value,
                    "date": event.date.isoformat(),
                    "end_date": from_date(event.end_date),
                    "note": event.note.strip(),
                    "override": int(event.override),
                },
            )
            self._sync_full_date(member_id)
            return event_id

    def _sync_full_date(self, member_id: int) -> None:
        """转正日期 and 人员类别 follow the 转正 event (when there is one)."""
        row = self.db.execute(
            "SELECT min(date) FROM member_event WHERE member_id = ? AND kind = ?",
            [member_id, EventKind.CONFIRMED.value],
        ).fetchone()
        if row[0] is not None:
            self.db.table("member").update(
                member_id, {"full_date": row[0], "category": Category.FULL.value}
            )

    def event(self, event_id: int) -> MembershipEvent:
        rows = list(self.db.query("SELECT * FROM member_event WHERE id = ?", [event_id]))
        if not rows:
            raise InputError(f"没有编号为 {event_id} 的组织关系变动")
        return _event(rows[0])

    def events(self, member_id: int | None = None) -> list[tuple[str, MembershipEvent]]:
        """(name, event) in date order, of one member or of everyone."""
        where = "WHERE e.member_id = ?" if member_id is not None else ""
        rows = self.db.query(
            "SELECT e.*, m.name AS member_name FROM member_event e"
            f" JOIN member m ON m.id = e.member_id {where} ORDER BY e.date, e.id",
            [member_id] if member_id is not None else [],
        )
        return [(r["member_name"], _event(r)) for r in rows]

    def correct_event(
        self,
        event_id: int,
        *,
        reason: str,
        date: dt.date | None = None,
        end_date: dt.date | None | _Keep = KEEP,
        note: str | None = None,
        override: bool | None = None,
    ) -> None:
        """Change a recorded event; the old and new values and the reason go to the audit
        trail. The member's whole history must still hold together afterwards."""
        if not reason.strip():
            raise InputError("更正原因：不能为空（更正会记入更正记录）")
        old = self.event(event_id)
        new = replace(
            old,
            date=date or old.date,
            end_date=old.end_date if isinstance(end_date, _Keep) else end_date,
            note=old.note if note is None else note.strip(),
            override=old.override if override is None else override,
        )
        if new == old:
            raise InputError("更正：没有改动任何内容")
        assert old.member_id is not None
        with self.writer.write("roster", old.member_id):
            self._check_history(old.member_id, old, new)
            self.db.table("member_event").update(
                event_id,
                {
                    "date": new.date.isoformat(),
                    "end_date": from_date(new.end_date),
                    "note": new.note,
                    "override": int(new.override),
                },
            )
            self._audit(old, "更正", reason, new)
            if old.kind == EventKind.CONFIRMED:
                self._sync_full_date(old.member_id)

    def delete_event(self, event_id: int, reason: str) -> None:
        """Remove an event recorded by mistake; it stays readable in the audit trail."""
        if not reason.strip():
            raise InputError("删除原因：不能为空（删除会记入更正记录）")
        old = self.event(event_id)
        assert old.member_id is not None
        with self.writer.write("roster", old.member_id):
            self._check_history(old.member_id, old, None)
            self.db.execute("DELETE FROM member_event WHERE id = ?", [event_id])
            self._audit(old, "删除", reason, None)
            if old.kind == EventKind.CONFIRMED:
                self.db.table("member").update(
                    old.member_id, {"full_date": None, "category": Category.PROBATIONARY.value}
                )
                self._sync_full_date(old.member_id)

    def end_probation(
        self, event_id: int, end_date: dt.date, reason: str = "察看期满，恢复党员权利"
    ) -> None:
        """End a 留党察看 (or a 流动 period) recorded without an end date (or change its end)."""
        old = self.event(event_id)
        if old.kind not in PERIOD_KINDS:
            raise InputError("只能为“留党察看”和“流动”登记结束日期")
        if end_date < old.date:
            raise InputError(f"结束日期：早于{old.kind.value}开始日期{format_cn(old.date)}")
        if not reason.strip():
            raise InputError("原因：不能为空")
        assert old.member_id is not None
        with self.writer.write("roster", old.member_id):
            new = replace(old, end_date=end_date)
            self.db.table("member_event").update(event_id, {"end_date": end_date.isoformat()})
            self._audit(old, "结束察看", reason, new)

    def _check_history(
        self, member_id: int, old: MembershipEvent, new: MembershipEvent | None
    ) -> None:
        member = self.member(member_id)
        events = tuple(e for e in member.events if e.id != old.id)
        if new is not None:
            events = (*events, new)
        since = min(old.date, new.date) if new is not None else old.date
        problems = history_problems(replace(member, events=events), since)
        if problems:
            raise InputError("；".join(problems))

    def _audit(
        self, old: MembershipEvent, action: str, reason: str, new: MembershipEvent | None
    ) -> None:
        insert_row(
            self.db,
            "member_event_correction",
            {
                "event_id": old.id,
                "member_id": old.member_id,
                "action": action,
                "before": _event_json(old),
                "after": _event_json(new) if new is not None else "",
                "reason": reason.strip(),
            },
        )

    def corrections(self, member_id: int | None = None) -> list[EventCorrection]:
        """The audit trail of corrected, removed and ended events, oldest first."""
        where = "WHERE c.member_id = ?" if member_id is not None else ""
        rows = self.db.query(
            "SELECT c.*, m.name FROM member_event_correction c"
            f" JOIN member m ON m.id = c.member_id {where} ORDER BY c.id",
            [member_id] if member_id is not None else [],
        )
        return [
            EventCorrection(
                id=r["id"],
                event_id=r["event_id"],
                member_id=r["member_id"],
                member_name=r["name"],
                action=r["action"],
                before=_event_from_json(r["before"]),
                after=_event_from_json(r["after"]) if r["after"] else None,
                reason=r["reason"],
                made_at=dt.datetime.fromisoformat(r["made_at"]),
            )
            for r in rows
        ]


def _event_json(event: MembershipEvent) -> str:
    return json.dumps(
        {
            "kind": event.kind.value,
            "date": event.date.isoformat(),
            "end_date": from_date(event.end_date),
            "note": event.note,
            "override": event.override,
        },
        ensure_ascii=False,
    )


def _event_from_json(text: str) -> MembershipEvent:
    d = json.loads(text)
    return MembershipEvent(
        EventKind(d["kind"]),
        dt.date.fromisoformat(d["date"]),
        to_date(d["end_date"]),
        d["note"],
        override=bool(d["override"]),
    )
