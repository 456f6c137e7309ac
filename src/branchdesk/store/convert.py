"""Row ↔ domain object conversion shared by the store modules."""

from __future__ import annotations

import datetime as dt


def to_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def from_date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None
