"""Row ↔ domain object conversion shared by the store modules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from branchdesk.store.database import Database


def to_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def from_date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def insert_row(db: Database, table: str, row: dict[str, Any]) -> int:
    """INSERT one row and return its id (plain SQL: sqlite-utils' insert introspects the
    table on every call, which dominated a 5,000-row import)."""
    columns = ", ".join(row)
    marks = ", ".join("?" * len(row))
    cursor = db.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(row.values()))
    assert cursor.lastrowid is not None
    return cursor.lastrowid
