"""What `check` says about a damaged book, and the repair it offers.

integrity_check speaks of b-tree pages and index entries; the user (or whoever helps)
needs to know which table or index is hit. An index holds nothing that is not also in its
table, so damage confined to indexes is repaired by REINDEX; anything else by rebuilding
the records that can still be read into a new file (VACUUM INTO), which is checked and
left beside the book for `restore` — the damaged book itself is never overwritten. Both
start with a copy of the book as it was, in its backup folder.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from branchdesk.store import backup as backups
from branchdesk.store.connection import DATABASE_ERRORS
from branchdesk.store.errors import CorruptBookError
from branchdesk.store.readonly import inspection_connection
from branchdesk.store.sqlerrors import translated

_INDEX_MESSAGE = re.compile(
    r"(?:missing from index|wrong # of entries in index|non-unique entry in index)\s+(\S+)"
)
_TREE = re.compile(r"Tree (\d+) page")
_COLUMN = re.compile(r"(?:NULL value in|CHECK constraint failed in)\s+([\w.]+)")


@dataclass(frozen=True)
class Damage:
    kind: str  # "index", "table" or "" (not placed)
    name: str
    table: str
    detail: str

    def __str__(self) -> str:
        if self.kind == "index":
            return f"索引 {self.name}（表 {self.table}）：{self.detail}"
        if self.kind == "table":
            return f"表 {self.name}：{self.detail}"
        return self.detail


def _objects(conn: sqlite3.Connection) -> tuple[dict[str, str], dict[int, tuple[str, str, str]]]:
    tables: dict[str, str] = {}
    roots: dict[int, tuple[str, str, str]] = {}
    for kind, name, table, root in conn.execute(
        "SELECT type, name, tbl_name, rootpage FROM sqlite_master"
    ):
        if kind == "index":
            tables[name] = table
        if root:
            roots[int(root)] = (kind, name, table)
    return tables, roots


def damage_of(conn: sqlite3.Connection, limit: int = 50) -> list[Damage]:
    """integrity_check and foreign_key_check, each finding placed in a table or index."""
    try:
        messages = [r[0] for r in conn.execute(f"PRAGMA integrity_check({limit})")]
    except DATABASE_ERRORS:
        # Damage bad enough to stop the check itself: find the tables that cannot be read.
        return _unreadable_tables(conn)
    if messages == ["ok"]:
        messages = []
    try:
        index_tables, roots = _objects(conn)
    except DATABASE_ERRORS:
        index_tables, roots = {}, {}
    found = []
    for message in messages:
        if m := _INDEX_MESSAGE.search(message):
            name = m.group(1)
            found.append(Damage("index", name, index_tables.get(name, "?"), message))
        elif (m := _TREE.search(message)) and int(m.group(1)) in roots:
            kind, name, table = roots[int(m.group(1))]
            found.append(Damage(kind, name, table, message))
        elif m := _COLUMN.search(message):
            table = m.group(1).split(".")[0]
            found.append(Damage("table", table, table, message))
        else:
            found.append(Damage("", "", "", message))
    try:
        for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check"):
            found.append(
                Damage("table", table, table, f"第 {rowid} 行引用了不存在的 {parent} 记录")
            )
    except DATABASE_ERRORS as exc:
        found.append(Damage("", "", "", f"外键检查无法完成（{exc}）"))
    return found


def _unreadable_tables(conn: sqlite3.Connection) -> list[Damage]:
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    except DATABASE_ERRORS as exc:
        return [Damage("", "", "", f"账簿的结构表无法读取（{exc}）")]
    found = []
    for table in tables:
        try:
            for _ in conn.execute(f'SELECT * FROM "{table}"'):
                pass
        except DATABASE_ERRORS as exc:
            found.append(Damage("table", table, table, f"无法读出（{exc}）"))
    return found or [Damage("", "", "", "完整检查无法完成，但每张表都能读出")]


def damage_in_file(path: Path) -> list[Damage]:
    """The damage of a book that may be too damaged to open as a book; read-only."""
    try:
        conn = inspection_connection(path)
        try:
            return damage_of(conn)
        finally:
            conn.close()
    except DATABASE_ERRORS as exc:
        return [Damage("", "", "", f"文件无法读取（{exc}）")]


@dataclass(frozen=True)
class RepairResult:
    kept: Path  # the book as it was before the repair
    reindexed: tuple[str, ...]
    rebuilt: Path | None  # a new, checked file to restore from, when REINDEX was not enough
    remaining: tuple[Damage, ...]  # what the rebuilt file could not fix (empty: repaired)


def repair(path: Path, now: dt.datetime | None = None) -> RepairResult:
    """Back up the damaged book as it is, REINDEX what is damaged, and when that is not
    enough, rebuild the readable records into ``<book>-rebuilt-<time>.db``."""
    from branchdesk.store.database import connect

    now = now or dt.datetime.now()
    db = connect(path)
    conn = db.conn
    try:
        with translated(path.parent):
            folder = backups.backup_dir_for(path)
            folder.mkdir(parents=True, exist_ok=True)
            # Not ".db": a damaged copy is never listed or rotated as a backup.
            kept = folder / f"{path.stem}-{now:%Y%m%d-%H%M%S}-damaged.sqlite"
            backups.copy_database(conn, kept, verify=False)
            damage = damage_of(conn)
            indexes = sorted({d.name for d in damage if d.kind == "index"})
            if damage and len(indexes) == len(
                {(d.kind, d.name) for d in damage}
            ):  # only indexes are hit
                for name in indexes:
                    conn.execute(f'REINDEX "{name}"')
                if not damage_of(conn):
                    return RepairResult(kept, tuple(indexes), None, ())
            rebuilt = path.with_name(f"{path.stem}-rebuilt-{now:%Y%m%d-%H%M%S}.db")
            try:
                conn.execute("VACUUM INTO ?", [str(rebuilt)])
            except DATABASE_ERRORS as exc:
                rebuilt.unlink(missing_ok=True)
                raise CorruptBookError(
                    f"损坏太严重，无法重建（{exc}）。请从备份恢复；损坏前的副本已保存在 {kept}。"
                ) from exc
            backups.make_private(rebuilt)
            left = tuple(damage_in_file(rebuilt))
            return RepairResult(kept, tuple(indexes), rebuilt, left)
    finally:
        db.close()
