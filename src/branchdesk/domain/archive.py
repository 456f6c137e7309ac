"""档案 (DA/T 22-2015): retention periods, the numbering of 件 within a year, splitting a
year into volumes, and the records of filing, correcting and auditing the book.

No I/O: the store returns these objects, the archive area and the printed volume use them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from branchdesk.domain.dates import format_cn

PERMANENT = "永久"
RETENTIONS = (PERMANENT, "30年", "10年")
#: The unit decides how long branch minutes are kept; 30年 is the common choice.
DEFAULT_MINUTES_RETENTION = "30年"
DEFAULT_PAGES_PER_VOLUME = 200

FILE = "归档"
UNFILE = "撤销归档"


@dataclass(frozen=True)
class Filing:
    """One row of the filing log: a year filed, or un-filed with its reason."""

    id: int
    year: int
    action: str  # 归档 / 撤销归档
    reason: str
    who: str
    at: str
    items: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class Correction:
    """A 更正: its own record, pointing at the original, which never changes."""

    id: int
    kind: str
    record_id: int
    record_year: int
    record_label: str
    field: str
    field_label: str
    original: str
    corrected: str
    reason: str
    date: dt.date
    approved_by: str
    who: str
    created_at: str


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    who: str
    area: str
    table: str
    row_id: int | None
    action: str  # 新增 / 修改 / 删除
    old: dict[str, Any] | None
    new: dict[str, Any] | None

    def changed(self) -> dict[str, tuple[Any, Any]]:
        """Column → (old, new) for the columns an edit changed (every column of an
        insert or a delete)."""
        old, new = self.old or {}, self.new or {}
        keys = list(dict.fromkeys([*old, *new]))
        return {
            k: (old.get(k), new.get(k))
            for k in keys
            if old.get(k) != new.get(k) and k not in ("updated_at", "created_at")
        }

    def summary(self, limit: int = 80) -> str:
        parts = []
        for key, (before, after) in self.changed().items():
            if self.action == "修改":
                parts.append(f"{key}：{_short(before)} → {_short(after)}")
            else:
                parts.append(f"{key}={_short(after if self.action == '新增' else before)}")
        text = "；".join(parts)
        return text if len(text) <= limit else text[: limit - 1] + "…"


def _short(value: Any, limit: int = 24) -> str:
    text = "" if value is None else str(value)
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def audit_entry(row: Sequence[Any]) -> AuditEntry:
    return AuditEntry(
        id=row[0],
        at=row[1],
        who=row[2],
        area=row[3],
        table=row[4],
        row_id=row[5],
        action=row[6],
        old=json.loads(row[7]) if row[7] else None,
        new=json.loads(row[8]) if row[8] else None,
    )


def without_rewrites(entries: Sequence[AuditEntry]) -> list[AuditEntry]:
    """Drop the pairs a save makes by deleting child rows and writing them back unchanged
    (a meeting save rewrites its attendance): a deletion and an insertion of the same row
    content in the same table at the same second tell the reader nothing."""
    inserted: dict[tuple[str, str, str], list[int]] = {}
    for n, e in enumerate(entries):
        if e.action == "新增":
            key = (e.at, e.table, json.dumps(e.new, sort_keys=True, ensure_ascii=False))
            inserted.setdefault(key, []).append(n)
    dropped: set[int] = set()
    for n, e in enumerate(entries):
        if e.action != "删除":
            continue
        key = (e.at, e.table, json.dumps(e.old, sort_keys=True, ensure_ascii=False))
        partners = inserted.get(key)
        if partners:
            dropped.add(n)
            dropped.add(partners.pop())
    return [e for n, e in enumerate(entries) if n not in dropped]


@dataclass(frozen=True)
class Numbered:
    """An item with its 件号 (1-based, within the year) and where it sits in the volume."""

    number: int
    key: str
    sort_class: int
    date: dt.date
    title: str


def number_items(items: Sequence[Any]) -> list[Any]:
    """The order of 件 in a year: by class (名册 before 会议记录 before 签到表 …), then
    date, then title; ``items`` need ``sort_class``, ``date``, ``title``, ``key``."""
    return sorted(items, key=lambda i: (i.sort_class, i.date, i.title, i.key))


def item_number_text(number: int) -> str:
    """件号 as written in the stamp and the 目录: at least three digits (001)."""
    return f"{number:03d}"


@dataclass(frozen=True)
class VolumeSlice:
    """Which 件 (0-based indexes into the numbered list) one volume holds."""

    number: int
    first: int
    last: int  # inclusive
    pages: int


def split_volumes(page_counts: Sequence[int], pages_per_volume: int) -> list[VolumeSlice]:
    """Split items (each ``page_counts[i]`` pages, already padded to an even count where
    it must start on an odd page) into volumes of at most ``pages_per_volume`` pages; an
    item is never split, so an item larger than the limit makes a volume of its own."""
    if pages_per_volume <= 0:
        raise ValueError("每卷页数须大于0")
    out: list[VolumeSlice] = []
    start, total = 0, 0
    for n, pages in enumerate(page_counts):
        if n > start and total + pages > pages_per_volume:
            out.append(VolumeSlice(len(out) + 1, start, n - 1, total))
            start, total = n, 0
        total += pages
    if page_counts:
        out.append(VolumeSlice(len(out) + 1, start, len(page_counts) - 1, total))
    return out


def retention_rank(retention: str) -> int:
    return RETENTIONS.index(retention) if retention in RETENTIONS else len(RETENTIONS)


def longest_retention(retentions: Sequence[str]) -> str:
    """A volume's 保管期限 is that of its longest-kept item."""
    if not retentions:
        return ""
    return min(retentions, key=retention_rank)


@dataclass(frozen=True)
class LockSpec:
    """A table an area declares: its records' year (SQL; empty = audited, never locked)."""

    area: str
    table: str
    year: str = ""
    private: tuple[str, ...] = field(default_factory=tuple)
    #: Columns that may still be filled in on a filed row.
    still_open: tuple[str, ...] = field(default_factory=tuple)


def correction_paragraphs(corrections: Sequence[Correction]) -> list[str]:
    """The 更正说明, one paragraph per correction, quoting the original."""
    out = []
    for n, c in enumerate(corrections, 1):
        original = c.original.strip() or "（空）"
        record = _dated(c.record_label)
        out.append(
            f"{n}. {c.record_year}年度“{record}”{c.field_label}：原记为“{original}”，"
            f"更正为“{c.corrected.strip()}”。更正原因：{c.reason}。"
            f"批准人：{c.approved_by}；更正日期：{format_cn(c.date)}；经办人：{c.who or '—'}。"
        )
    return out


_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _dated(label: str) -> str:
    """A record's name with its ISO dates written as printed forms write them (2025年3月5日)."""
    return _ISO_DAY.sub(lambda m: format_cn(dt.date(*map(int, m.groups()))), label)
