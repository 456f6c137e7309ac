"""档案 in the book: the filing log, the lock and audit triggers, corrections.

**Locking.** The lock triggers are *static*: created once per declared table (from the
areas' ``locked_tables``), each checks the `archive_filed` table, which only the
append-only filing log maintains. Filing or un-filing a year is then one row in the log —
no DDL in the user's action, nothing to forget for a table when a year is filed, and a
refusal that holds for any connection or tool that writes the file with plain SQL. The
triggers are re-synchronised (`install`) whenever the program opens a book, so a table an
area adds later, or one a migration rebuilt (which drops its triggers), is covered too.

**Audit.** Every declared table gets AFTER INSERT/UPDATE/DELETE triggers writing a row to
the append-only `archive_audit`: who (the name set for this PC, kept in meta by
`set_actor`), when, which table and row, and the old/new values as JSON. Private columns
(talk contents) and BLOBs are recorded as "（已修改）", never copied.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

from branchdesk.domain.archive import (
    FILE,
    UNFILE,
    AuditEntry,
    Correction,
    Filing,
    LockSpec,
    audit_entry,
)
from branchdesk.store.convert import insert_row
from branchdesk.store.database import Database
from branchdesk.store.errors import LOCK_PREFIX, InputError
from branchdesk.store.tx import Writer

LOCK_TRIGGER = "archive_lock_"
AUDIT_TRIGGER = "archive_audit_"
ACTOR_KEY = "audit.actor"
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
CHANGED = "（已修改）"
FILLED = "（已填写）"


def year_sql(expr: str, row: str) -> str:
    """The year of ``row`` (NEW/OLD) from a declared expression: a bare column gives
    its first four characters (an INTEGER year or an ISO date); otherwise ``{row}``."""
    if _IDENT.match(expr):
        return f"CAST(substr({row}.{expr}, 1, 4) AS INTEGER)"
    return expr.replace("{row}", row)


def _filed(year: str) -> str:
    return f"EXISTS (SELECT 1 FROM archive_filed WHERE year = {year})"


def lock_triggers(
    table: str, expr: str, columns: Sequence[str] = (), still_open: Sequence[str] = ()
) -> dict[str, str]:
    """name → CREATE TRIGGER for the three refusals of one table. ``still_open`` columns
    may still be filled in on a filed row (the end of a 留党察看 begun in a filed year)."""
    new, old = year_sql(expr, "NEW"), year_sql(expr, "OLD")
    changed = ""
    if still_open:
        fixed = [c for c in columns if c not in still_open]
        changed = " AND (" + (" OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in fixed) or "0") + ")"
    msg = (
        f"{LOCK_PREFIX}：该记录（{table}）所属年度已归档，不得修改、删除或补录；"
        "如有错误，请在“档案”页写更正说明"
    )
    body = f"BEGIN SELECT RAISE(ABORT, '{msg}'); END"
    return {
        f"{LOCK_TRIGGER}{table}_insert": (
            f"CREATE TRIGGER {LOCK_TRIGGER}{table}_insert BEFORE INSERT ON {table}"
            f" WHEN {_filed(new)} {body}"
        ),
        f"{LOCK_TRIGGER}{table}_update": (
            f"CREATE TRIGGER {LOCK_TRIGGER}{table}_update BEFORE UPDATE ON {table}"
            f" WHEN ({_filed(old)} OR {_filed(new)}){changed} {body}"
        ),
        f"{LOCK_TRIGGER}{table}_delete": (
            f"CREATE TRIGGER {LOCK_TRIGGER}{table}_delete BEFORE DELETE ON {table}"
            f" WHEN {_filed(old)} {body}"
        ),
    }


def _json(row: str, columns: Sequence[str], private: set[str], *, compare: bool) -> str:
    parts = []
    for c in columns:
        if c in private:
            if compare:
                value = f"CASE WHEN OLD.{c} IS NEW.{c} THEN NULL ELSE '{CHANGED}' END"
            else:
                value = f"CASE WHEN {row}.{c} IS NULL THEN NULL ELSE '{FILLED}' END"
        else:
            value = f"{row}.{c}"
        parts.append(f"'{c}', {value}")
    return f"json_object({', '.join(parts)})"


def audit_triggers(
    area: str, table: str, columns: Sequence[str], private: set[str]
) -> dict[str, str]:
    who = f"coalesce((SELECT value FROM meta WHERE key = '{ACTOR_KEY}'), '')"
    head = "INSERT INTO archive_audit (who, area, tbl, row_id, action, old, new) VALUES"
    watched = [c for c in columns if c not in ("updated_at", "created_at")]
    differs = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in watched) or "0"
    old_upd = _json("OLD", columns, private, compare=True)
    new_upd = _json("NEW", columns, private, compare=True)
    return {
        f"{AUDIT_TRIGGER}{table}_insert": (
            f"CREATE TRIGGER {AUDIT_TRIGGER}{table}_insert AFTER INSERT ON {table} BEGIN"
            f" {head} ({who}, '{area}', '{table}', NEW.rowid, '新增', NULL,"
            f" {_json('NEW', columns, private, compare=False)}); END"
        ),
        f"{AUDIT_TRIGGER}{table}_update": (
            f"CREATE TRIGGER {AUDIT_TRIGGER}{table}_update AFTER UPDATE ON {table}"
            f" WHEN {differs} BEGIN"
            f" {head} ({who}, '{area}', '{table}', NEW.rowid, '修改', {old_upd}, {new_upd});"
            " END"
        ),
        f"{AUDIT_TRIGGER}{table}_delete": (
            f"CREATE TRIGGER {AUDIT_TRIGGER}{table}_delete AFTER DELETE ON {table} BEGIN"
            f" {head} ({who}, '{area}', '{table}', OLD.rowid, '删除',"
            f" {_json('OLD', columns, private, compare=False)}, NULL); END"
        ),
    }


def _correction(row: Sequence[Any]) -> Correction:
    return Correction(
        id=row[0],
        kind=row[1],
        record_id=row[2],
        record_year=row[3],
        record_label=row[4],
        field=row[5],
        field_label=row[6],
        original=row[7],
        corrected=row[8],
        reason=row[9],
        date=dt.date.fromisoformat(row[10]),
        approved_by=row[11],
        who=row[12],
        created_at=row[13],
    )


_CORRECTION_COLUMNS = (
    "id, kind, record_id, record_year, record_label, field, field_label, original,"
    " corrected, reason, date, approved_by, who, created_at"
)


class ArchiveRepo:
    def __init__(self, db: Database, writer: Writer) -> None:
        self.db = db
        self.writer = writer
        self._specs: dict[str, LockSpec] = {}

    # -- triggers -------------------------------------------------------------------------
    def install(self, specs: Iterable[LockSpec]) -> list[str]:
        """Make the book's lock and audit triggers exactly those the declarations ask
        for; returns the names created or replaced (empty when all were in place)."""
        wanted: dict[str, str] = {}
        tables = {
            r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        for spec in specs:
            if spec.table not in tables:
                continue  # an area whose migration this book has not got yet
            self._specs[spec.table] = spec
            info = self.db.execute(f"PRAGMA table_info({spec.table})").fetchall()
            columns = [r[1] for r in info]
            private = set(spec.private) | {r[1] for r in info if r[2].upper() == "BLOB"}
            if spec.year:
                wanted.update(lock_triggers(spec.table, spec.year, columns, spec.still_open))
            wanted.update(audit_triggers(spec.area, spec.table, columns, private))
        drop, create = self._trigger_changes(wanted)
        if not drop and not create:
            return []
        made = []
        # Another program may be opening the book at the same moment: decide again under
        # the write lock, so a trigger is never created twice.
        with self.writer.write("archive"):
            drop, create = self._trigger_changes(wanted)
            for name in drop:
                self.db.execute(f"DROP TRIGGER {name}")
            for name in create:
                self.db.execute(wanted[name])
                made.append(name)
        return made

    def _trigger_changes(self, wanted: dict[str, str]) -> tuple[list[str], list[str]]:
        """(triggers to drop, triggers to create) to reach ``wanted``; both empty when the
        book already has exactly those."""
        present = {
            name: sql
            for name, sql in self.db.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
                " AND (name LIKE 'archive\\_lock\\_%' ESCAPE '\\'"
                "      OR name LIKE 'archive\\_audit\\_%' ESCAPE '\\')"
            )
            if not name.startswith("archive_audit_no_")
        }
        drop = [n for n in present if n not in wanted or present[n] != wanted[n]]
        create = [n for n in wanted if present.get(n) != wanted[n]]
        return drop, create

    def spec(self, table: str) -> LockSpec | None:
        return self._specs.get(table)

    # -- who --------------------------------------------------------------------------------
    def actor(self) -> str:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [ACTOR_KEY]).fetchone()
        return row[0] if row else ""

    def set_actor(self, name: str) -> None:
        """The name the audit trail, filings and corrections record (set for this PC)."""
        name = name.strip()
        if name == self.actor():
            return
        with self.writer.write("archive"):
            self.db.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [ACTOR_KEY, name],
            )

    # -- filing -----------------------------------------------------------------------------
    def filed_years(self) -> dict[int, Filing]:
        rows = self.db.execute(
            "SELECT f.id, f.year, f.action, f.reason, f.who, f.at, f.items FROM archive_filed a"
            " JOIN archive_filing f ON f.id = a.filing_id ORDER BY f.year"
        ).fetchall()
        return {r[1]: self._filing(r) for r in rows}

    def is_filed(self, year: int) -> bool:
        return bool(
            self.db.execute("SELECT 1 FROM archive_filed WHERE year = ?", [year]).fetchone()
        )

    def filings(self) -> list[Filing]:
        rows = self.db.execute(
            "SELECT id, year, action, reason, who, at, items FROM archive_filing ORDER BY id"
        ).fetchall()
        return [self._filing(r) for r in rows]

    @staticmethod
    def _filing(r: Sequence[Any]) -> Filing:
        return Filing(r[0], r[1], r[2], r[3], r[4], r[5], tuple(json.loads(r[6])))

    def file_year(self, year: int, items: Sequence[dict[str, Any]] = ()) -> Filing:
        """Lock the year: from now on its records cannot be changed by anyone."""
        if self.is_filed(year):
            raise InputError(f"{year}年度已经归档")
        with self.writer.write("archive", year):
            filing_id = insert_row(
                self.db,
                "archive_filing",
                {"year": year, "action": FILE, "who": self.actor(),
                 "items": json.dumps(list(items), ensure_ascii=False)},
            )  # fmt: skip
        return self._one(filing_id)

    def unfile_year(self, year: int, reason: str) -> Filing:
        """Un-file, only with a reason, which the log keeps for good."""
        if not reason.strip():
            raise InputError("撤销归档须写明原因")
        if not self.is_filed(year):
            raise InputError(f"{year}年度没有归档")
        with self.writer.write("archive", year):
            filing_id = insert_row(
                self.db,
                "archive_filing",
                {"year": year, "action": UNFILE, "reason": reason.strip(), "who": self.actor()},
            )
        return self._one(filing_id)

    def _one(self, filing_id: int) -> Filing:
        row = self.db.execute(
            "SELECT id, year, action, reason, who, at, items FROM archive_filing WHERE id = ?",
            [filing_id],
        ).fetchone()
        return self._filing(row)

    def record_year(self, table: str, record_id: int, expr: str) -> int | None:
        """The year a declared table's record belongs to (None: no such record)."""
        sql = year_sql(expr, "r")
        row = self.db.execute(f"SELECT {sql} FROM {table} r WHERE r.id = ?", [record_id]).fetchone()
        return None if row is None else row[0]

    # -- corrections ------------------------------------------------------------------------
    def field_value(self, table: str, record_id: int, field: str) -> str:
        """The stored value of a correctable field (what a correction quotes)."""
        if not _IDENT.match(field) or not _IDENT.match(table):
            raise InputError(f"不能更正字段 {field}")
        row = self.db.execute(f"SELECT {field} FROM {table} WHERE id = ?", [record_id]).fetchone()
        return "" if row is None or row[0] is None else str(row[0])

    def add_correction(
        self,
        *,
        kind: str,
        table: str,
        record_id: int,
        field: str,
        label: str,
        year_expr: str,
        record_label_sql: str = "''",
        corrected: str,
        reason: str,
        day: dt.date,
        approved_by: str,
    ) -> int:
        """A 更正 of a filed record's field. The original stays as it is; the correction
        quotes it, so it reads on its own."""
        if not _IDENT.match(field) or not _IDENT.match(table):
            raise InputError(f"不能更正字段 {field}")
        problems = []
        if not corrected.strip():
            problems.append("更正后内容：不能为空")
        if not reason.strip():
            problems.append("更正原因：不能为空")
        if not approved_by.strip():
            problems.append("批准人：不能为空")
        if problems:
            raise InputError("；".join(problems))
        row = self.db.execute(
            f"SELECT {field}, {record_label_sql or chr(39) * 2} FROM {table} WHERE id = ?",
            [record_id],
        ).fetchone()
        if row is None:
            raise InputError(f"没有编号为 {record_id} 的记录")
        year = self.record_year(table, record_id, year_expr)
        if year is None or not self.is_filed(year):
            raise InputError("只有已归档的记录需要写更正；未归档的记录请直接修改")
        with self.writer.write("archive") as changed:
            new_id = insert_row(
                self.db,
                "archive_correction",
                {"kind": kind, "record_id": record_id, "record_year": year,
                 "record_label": str(row[1] or ""), "field": field,
                 "field_label": label, "original": "" if row[0] is None else str(row[0]),
                 "corrected": corrected, "reason": reason.strip(), "date": day.isoformat(),
                 "approved_by": approved_by.strip(), "who": self.actor()},
            )  # fmt: skip
            changed.add(new_id)
        return new_id

    def corrections(
        self,
        kind: str | None = None,
        record_id: int | None = None,
        *,
        dated_in: int | None = None,
    ) -> list[Correction]:
        where: list[str] = ["1"]
        params: list[object] = []
        if kind is not None:
            where.append("kind = ?")
            params.append(kind)
        if record_id is not None:
            where.append("record_id = ?")
            params.append(record_id)
        if dated_in is not None:
            where.append("date BETWEEN ? AND ?")
            params += [f"{dated_in}-01-01", f"{dated_in}-12-31"]
        rows = self.db.execute(
            f"SELECT {_CORRECTION_COLUMNS} FROM archive_correction WHERE {' AND '.join(where)}"
            " ORDER BY date, id",
            params,
        ).fetchall()
        return [_correction(r) for r in rows]

    # -- audit ------------------------------------------------------------------------------
    def audit(
        self,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        area: str | None = None,
        limit: int = 2000,
    ) -> list[AuditEntry]:
        """Newest first."""
        where, params = ["1"], []
        if since is not None:
            where.append("at >= ?")
            params.append(since.isoformat())
        if until is not None:
            where.append("at < ?")
            params.append((until + dt.timedelta(days=1)).isoformat())
        if area:
            where.append("area = ?")
            params.append(area)
        rows = self.db.execute(
            "SELECT id, at, who, area, tbl, row_id, action, old, new FROM archive_audit"
            f" WHERE {' AND '.join(where)} ORDER BY id DESC LIMIT ?",
            [*params, limit],
        ).fetchall()
        return [audit_entry(r) for r in rows]
