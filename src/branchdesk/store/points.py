"""The points book: one rule set per year and a ledger that is only ever added to.

The database itself forbids UPDATE and DELETE on ``points_entry`` (triggers of migration
0004); a correction is a reversing entry (same item and points, opposite count) that points
at the original. Automatic entries from meetings are re-derived whenever a meeting is saved
or deleted, inside the meeting's own transaction: what the rules call for is compared with
what the ledger holds for that meeting, and only the difference is written (reverse the
old, add the new), so saving an unchanged meeting adds nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from branchdesk.domain.meetings import (
    Attendance,
    AttendanceStatus,
    Exclusion,
    ExclusionReason,
    Meeting,
    MeetingType,
    Scope,
)
from branchdesk.domain.members import Member, roster_on
from branchdesk.domain.points import (
    Entry,
    ItemCategory,
    Line,
    RuleSet,
    Sums,
    meeting_points,
)
from branchdesk.domain.points import not_scored_reason as _not_scored
from branchdesk.domain.points_rules import rules_from_dict, rules_to_dict
from branchdesk.store.branch import BranchRepo
from branchdesk.store.convert import insert_row
from branchdesk.store.database import Database
from branchdesk.store.errors import InputError
from branchdesk.store.roster import RosterRepo
from branchdesk.store.tx import Writer

AREA = "points"
#: Who entered it, when nobody typed a name yet and the entry is automatic.
AUTOMATIC = "自动（会议记录）"
ENTERED_BY_KEY = "setting.points.entered_by"

_ENTRY_COLUMNS = (
    "e.id, e.member_id, e.date, e.item, e.category, e.points, e.count, e.reason, e.meeting_id,"
    " e.entered_by, e.entered_at, e.reverses, r.id"
)
_ENTRY_SQL = (
    f"SELECT {_ENTRY_COLUMNS} FROM points_entry e LEFT JOIN points_entry r ON r.reverses = e.id"
)


def _entry(r: Sequence[Any]) -> Entry:
    return Entry(
        id=r[0],
        member_id=r[1],
        date=dt.date.fromisoformat(r[2]),
        item=r[3],
        category=ItemCategory(r[4]),
        points=r[5],
        count=r[6],
        reason=r[7],
        meeting_id=r[8],
        entered_by=r[9],
        entered_at=r[10],
        reverses=r[11],
        reversed_by=r[12],
    )


@dataclass(frozen=True)
class Derived:
    """What re-deriving automatic entries wrote."""

    added: int = 0
    reversed: int = 0

    def __add__(self, other: Derived) -> Derived:
        return Derived(self.added + other.added, self.reversed + other.reversed)


def _whole_quarters(start: dt.date, end: dt.date) -> list[str] | None:
    """["2026Q1", …] when [start, end] is exactly whole calendar quarters, else None."""
    if start.day != 1 or start.month % 3 != 1 or end < start:
        return None
    after = end + dt.timedelta(days=1)
    if after.day != 1 or after.month % 3 != 1:
        return None
    keys = []
    year, quarter = start.year, (start.month - 1) // 3 + 1
    while (year, quarter) < (after.year, (after.month - 1) // 3 + 1):
        keys.append(f"{year}Q{quarter}")
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return keys


class PointsRepo:
    def __init__(self, db: Database, writer: Writer) -> None:
        self.db = db
        self.writer = writer

    # -- rule sets ------------------------------------------------------------------------
    def scheme(self, year: int) -> RuleSet | None:
        row = self.db.conn.execute(
            "SELECT rules FROM points_scheme WHERE year = ?", [year]
        ).fetchone()
        return rules_from_dict(json.loads(row[0])) if row else None

    def scheme_years(self) -> list[int]:
        return [r[0] for r in self.db.conn.execute("SELECT year FROM points_scheme ORDER BY 1")]

    def set_scheme(self, year: int, rules: RuleSet, template: str = "") -> Derived:
        """Choose or change a year's rule set, and apply it to that year's meetings at
        once (one transaction)."""
        text = json.dumps(rules_to_dict(rules), ensure_ascii=False)
        with self.writer.write(AREA):
            self.db.execute(
                "INSERT INTO points_scheme (year, rules, template) VALUES (?, ?, ?)"
                " ON CONFLICT(year) DO UPDATE SET rules = excluded.rules,"
                " template = excluded.template, updated_at = datetime('now')",
                [year, text, template],
            )
            return self.apply(year)

    # -- who enters -----------------------------------------------------------------------
    def entered_by(self) -> str:
        row = self.db.conn.execute("SELECT value FROM meta WHERE key = ?", [ENTERED_BY_KEY])
        found = row.fetchone()
        return found[0] if found else ""

    def set_entered_by(self, name: str) -> None:
        with self.writer.write("settings"):
            self.db.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [ENTERED_BY_KEY, name.strip()],
            )

    # -- manual entries -------------------------------------------------------------------
    def _members(self) -> dict[int, Member]:
        return {m.id or 0: m for m in RosterRepo(self.db, self.writer).members()}

    def add(
        self,
        member_id: int,
        day: dt.date,
        item: str,
        *,
        points: int | None = None,
        count: int = 1,
        reason: str = "",
        entered_by: str = "",
    ) -> int:
        return self.add_batch([member_id], day, item, points=points, count=count,
                              reason=reason, entered_by=entered_by)[0]  # fmt: skip

    def add_batch(
        self,
        member_ids: Iterable[int],
        day: dt.date,
        item: str,
        *,
        points: int | None = None,
        count: int = 1,
        reason: str = "",
        entered_by: str = "",
    ) -> list[int]:
        """One item on one date for several members: one transaction, all or nothing.
        Refused (naming member and date) for anyone not on the roll or not scored then."""
        ids = list(dict.fromkeys(member_ids))
        if not ids:
            raise InputError("请选择至少一名党员")
        if count < 1:
            raise InputError("次数：应为正整数（改错请用冲销）")
        rules = self.scheme(day.year)
        if rules is None:
            raise InputError(f"{day.year}年尚未选定积分细则，请先选定")
        rule = rules.item(item)
        if rule is None:
            names = "、".join(it.name for it in rules.items)
            raise InputError(f"{day.year}年积分细则中没有“{item}”这一项（可选：{names}）")
        value = rule.points if points is None else points
        if rule.category == ItemCategory.ADD and value < 0:
            raise InputError(f"“{item}”是加分项目，分值应为正数")
        if rule.category == ItemCategory.DEDUCT and value > 0:
            raise InputError(f"“{item}”是扣分项目，分值应为负数")
        who = entered_by.strip() or self.entered_by()
        if not who:
            raise InputError("登记人：请先填写登记人姓名")
        members = self._members()
        problems = []
        for mid in ids:
            member = members.get(mid)
            if member is None:
                problems.append(f"没有编号为 {mid} 的党员")
                continue
            why = _not_scored(member, day, rules.scored)
            if why is not None:
                problems.append(f"{member.name}在 {day.isoformat()} {why}，不能登记积分")
        if problems:
            raise InputError("；".join(problems))
        out = []
        with self.writer.write(AREA) as changed:
            for mid in ids:
                out.append(
                    insert_row(
                        self.db,
                        "points_entry",
                        {
                            "member_id": mid,
                            "date": day.isoformat(),
                            "item": item,
                            "category": rule.category.value,
                            "points": value,
                            "count": count,
                            "reason": reason.strip(),
                            "entered_by": who,
                        },
                    )  # fmt: skip
                )
            changed.add(*ids)
        return out

    def reverse(self, entry_id: int, reason: str, entered_by: str = "") -> int:
        """A reversing entry pointing at ``entry_id``; the original stays as it was."""
        if not reason.strip():
            raise InputError("冲销原因：不能为空")
        who = entered_by.strip() or self.entered_by()
        if not who:
            raise InputError("登记人：请先填写登记人姓名")
        with self.writer.write(AREA) as changed:
            original = self.entry(entry_id)
            if original.reverses is not None:
                raise InputError(f"明细 {entry_id} 本身是冲销记录，不能再冲销")
            if original.reversed_by is not None:
                raise InputError(f"明细 {entry_id} 已于明细 {original.reversed_by} 冲销")
            if original.meeting_id is not None:
                # Reversed by hand, it would come back the next time the meeting is saved.
                raise InputError(
                    f"明细 {entry_id} 是按会议记录（编号 {original.meeting_id}）出勤自动计的分："
                    "请修改该次会议的出勤登记，积分会随之更正"
                )
            changed.add(original.member_id)
            return self._reverse(original, reason.strip(), who)

    def _reverse(self, original: Entry, reason: str, who: str) -> int:
        return insert_row(
            self.db,
            "points_entry",
            {"member_id": original.member_id, "date": original.date.isoformat(),
             "item": original.item, "category": original.category.value,
             "points": original.points, "count": -original.count, "reason": reason,
             "meeting_id": original.meeting_id, "entered_by": who, "reverses": original.id},
        )  # fmt: skip

    # -- reading --------------------------------------------------------------------------
    def entry(self, entry_id: int) -> Entry:
        row = self.db.conn.execute(_ENTRY_SQL + " WHERE e.id = ?", [entry_id]).fetchone()
        if row is None:
            raise InputError(f"没有编号为 {entry_id} 的积分明细")
        return _entry(row)

    def entries(self, start: dt.date, end: dt.date, member_id: int | None = None) -> list[Entry]:
        """The ledger between two dates (inclusive), by date then id."""
        where = "e.date BETWEEN ? AND ?"
        params: list[Any] = [start.isoformat(), end.isoformat()]
        if member_id is not None:
            where = "e.member_id = ? AND " + where
            params = [member_id, *params]
        rows = self.db.conn.execute(
            f"{_ENTRY_SQL} WHERE {where} ORDER BY e.date, e.id", params
        ).fetchall()
        return [_entry(r) for r in rows]

    def lines(self, start: dt.date, end: dt.date) -> dict[int, list[Line]]:
        """member id → their entries of [start, end] summed per item."""
        out: dict[int, list[Line]] = defaultdict(list)
        categories = {c.value: c for c in ItemCategory}
        source, params = self._summed(start, end)
        for mid, item, category, value, count in self.db.conn.execute(source, params):
            out[mid].append(Line(item, categories[category], value, count))
        return dict(out)

    def _summed(self, start: dt.date, end: dt.date) -> tuple[str, list[Any]]:
        """SQL of (member_id, item, category, value, occurrences) over [start, end]: whole
        quarters from ``points_sum`` (kept by the insert trigger), any other range from the
        ledger itself."""
        quarters = _whole_quarters(start, end)
        if quarters is not None and len(quarters) == 1:
            return (
                "SELECT member_id, item, category, value, occurrences FROM points_sum"
                " WHERE quarter = ?",
                list(quarters),
            )
        if quarters is not None:
            return (
                "SELECT member_id, item, category, sum(value) AS value,"
                " sum(occurrences) AS occurrences FROM points_sum"
                f" WHERE quarter IN ({','.join('?' * len(quarters))})"
                " GROUP BY member_id, item, category",
                list(quarters),
            )
        return (
            # The planner, given ANALYZE statistics, prefers a skip-scan of the member
            # index and a lookup per row; the covering date index is 2-3× faster here.
            "SELECT member_id, item, category, sum(points * count) AS value,"
            " sum(count) AS occurrences FROM points_entry INDEXED BY points_entry_date"
            " WHERE date BETWEEN ? AND ? GROUP BY member_id, item, category",
            [start.isoformat(), end.isoformat()],
        )

    def sums(self, start: dt.date, end: dt.date, caps: Mapping[str, int]) -> dict[int, Sums]:
        """member id → their entries of [start, end] as ``Sums``: each item clipped to its
        cap (``caps``: item name → cap, see ``domain.points.item_caps``), then summed per
        category, in SQL — one row per member reaches Python instead of one per item.
        Computes exactly what ``domain.points.item_sums`` does with ``lines``
        (tests/test_points_sums.py holds the two together)."""
        source, params = self._summed(start, end)
        capped = "value"
        cap_params: list[Any] = []
        if caps:
            whens = " ".join("WHEN ? THEN max(-?, min(?, value))" for _ in caps)
            capped = f"CASE item {whens} ELSE value END"
            for name, cap in caps.items():
                cap_params += [name, cap, cap]
        rows = self.db.conn.execute(
            "SELECT member_id,"
            f" sum(CASE category WHEN '基础' THEN {capped} ELSE 0 END),"
            f" sum(CASE category WHEN '加分' THEN {capped} ELSE 0 END),"
            f" sum(CASE category WHEN '扣分' THEN {capped} ELSE 0 END),"
            " json_group_array(item) FILTER (WHERE category = '一票否决' AND occurrences > 0)"
            f" FROM ({source}) GROUP BY member_id",
            cap_params * 3 + params,
        )
        out: dict[int, Sums] = {}
        for mid, base, added, deducted, vetoes in rows:
            names = tuple(sorted(json.loads(vetoes))) if vetoes != "[]" else ()
            out[mid] = Sums(base, added, deducted, names)
        return out

    def sum_problems(self) -> list[str]:
        """Quarters whose kept sums differ from the ledger (only a write around the app, by
        raw SQL, can cause it); empty when all agree. Reads the whole ledger."""
        ledger = (
            "SELECT substr(date, 1, 4) || 'Q' || ((CAST(substr(date, 6, 2) AS INTEGER) + 2) / 3)"
            " AS quarter, member_id, item, category, sum(points * count) AS value,"
            " sum(count) AS occurrences FROM points_entry GROUP BY 1, 2, 3, 4"
        )
        columns = "quarter, member_id, item, category, value, occurrences"
        rows = self.db.conn.execute(
            f"SELECT quarter FROM ({ledger} EXCEPT SELECT {columns} FROM points_sum)"
            f" UNION SELECT quarter FROM (SELECT {columns} FROM points_sum EXCEPT {ledger})"
        ).fetchall()
        return [f"积分汇总与积分明细不一致：{q}" for q in sorted({r[0] for r in rows})]

    def count(self) -> int:
        return int(self.db.conn.execute("SELECT count(*) FROM points_entry").fetchone()[0])

    # -- printed 公示 ----------------------------------------------------------------------
    def record_notice(self, period: str, date_from: dt.date, date_to: dt.date) -> None:
        with self.writer.write(AREA):
            self.db.execute(
                "INSERT INTO points_notice (period, date_from, date_to) VALUES (?, ?, ?)",
                [period, date_from.isoformat(), date_to.isoformat()],
            )

    def notice_printed(self, period: str) -> tuple[dt.date, dt.date] | None:
        """The 公示期 of the latest printed 公示 of a period (None: never printed)."""
        row = self.db.conn.execute(
            "SELECT date_from, date_to FROM points_notice WHERE period = ?"
            " ORDER BY id DESC LIMIT 1",
            [period],
        ).fetchone()
        return (dt.date.fromisoformat(row[0]), dt.date.fromisoformat(row[1])) if row else None

    # -- automatic entries from meetings --------------------------------------------------
    def _meeting(self, meeting_id: int) -> Meeting | None:
        conn = self.db.conn
        row = conn.execute(
            "SELECT date, belongs_to_year, scope, group_id FROM meeting WHERE id = ?",
            [meeting_id],
        ).fetchone()
        if row is None:
            return None
        types = [r[0] for r in conn.execute(
            "SELECT type FROM meeting_type WHERE meeting_id = ?", [meeting_id])]  # fmt: skip
        attendance = {
            r[0]: Attendance(AttendanceStatus(r[1]))
            for r in conn.execute(
                "SELECT member_id, status FROM meeting_attendance WHERE meeting_id = ?",
                [meeting_id],
            )
        }
        excluded = {
            r[0]: Exclusion(ExclusionReason.OTHER)
            for r in conn.execute(
                "SELECT member_id FROM meeting_exclusion WHERE meeting_id = ?", [meeting_id]
            )
        }
        return Meeting(
            types=frozenset(MeetingType(t) for t in types),
            date=dt.date.fromisoformat(row[0]),
            belongs_to_year=row[1],
            scope=Scope(row[2]),
            group_id=row[3],
            attendance=attendance,
            excluded=excluded,
            id=meeting_id,
        )

    def derive_for_meeting(
        self,
        meeting_id: int,
        *,
        members: list[Member] | None = None,
        rules: dict[int, RuleSet | None] | None = None,
        reason: str = "会议记录修改",
    ) -> Derived:
        """Bring the ledger's automatic entries of one meeting in line with its record and
        the rule set of its year (a deleted meeting: reverse them all)."""
        with self.writer.write(AREA) as changed:
            meeting = self._meeting(meeting_id)
            wanted: dict[tuple[int, str], tuple[ItemCategory, int]] = {}
            day = meeting.date if meeting is not None else None
            if meeting is not None:
                year = meeting.date.year
                known = rules is not None and year in rules
                scheme = rules[year] if rules is not None and known else self.scheme(year)
                if scheme is not None:
                    # Only members with an attendance status there can get an entry.
                    roll = members if members is not None else RosterRepo(
                        self.db, self.writer).members_by_id(meeting.attendance)  # fmt: skip
                    roster = roster_on(roll, meeting.date)
                    wanted = meeting_points(
                        scheme,
                        meeting,
                        roster,
                        BranchRepo(self.db, self.writer).committee(),
                        {m.id or 0: m.group_id for m in roll},
                    )
            live = [
                _entry(r)
                for r in self.db.conn.execute(
                    f"{_ENTRY_SQL} WHERE e.meeting_id = ? AND e.reverses IS NULL AND r.id IS NULL",
                    [meeting_id],
                )
            ]
            who = self.entered_by() or AUTOMATIC
            result = Derived()
            kept: set[tuple[int, str]] = set()
            for old in live:
                key = (old.member_id, old.item)
                same = wanted.get(key) == (old.category, old.points) and old.date == day
                if same and key not in kept and old.count == 1:
                    kept.add(key)
                    continue
                why = reason if meeting is not None else "会议记录已删除"
                self._reverse(old, why, who)
                changed.add(old.member_id)
                result += Derived(reversed=1)
            assert day is not None or not wanted
            for (mid, item), (category, points) in wanted.items():
                if (mid, item) in kept or day is None:
                    continue
                insert_row(
                    self.db,
                    "points_entry",
                    {"member_id": mid, "date": day.isoformat(), "item": item,
                     "category": category.value, "points": points, "count": 1,
                     "reason": "会议出席情况", "meeting_id": meeting_id, "entered_by": who},
                )  # fmt: skip
                changed.add(mid)
                result += Derived(added=1)
            return result

    def apply(self, year: int) -> Derived:
        """Re-derive the automatic entries of every meeting dated in ``year`` and of every
        meeting that still has live automatic entries in it (idempotent)."""
        with self.writer.write(AREA):
            ids = [
                r[0]
                for r in self.db.conn.execute(
                    "SELECT id FROM meeting WHERE date BETWEEN ? AND ? UNION"
                    " SELECT DISTINCT meeting_id FROM points_entry WHERE meeting_id IS NOT NULL"
                    " AND date BETWEEN ? AND ?",
                    [f"{year}-01-01", f"{year}-12-31"] * 2,
                )
            ]
            members = list(self._members().values())
            rules = {year: self.scheme(year)}
            total = Derived()
            for mid in ids:
                total += self.derive_for_meeting(
                    mid, members=members, rules=rules, reason="积分细则变更"
                )
            return total
