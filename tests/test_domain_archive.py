"""档案 rules: 件 order, volumes split by pages, odd-page starts, the audit reading."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from branchdesk.domain.archive import (
    AuditEntry,
    item_number_text,
    longest_retention,
    number_items,
    split_volumes,
    without_rewrites,
)


@given(st.lists(st.integers(1, 60), max_size=40), st.integers(1, 200))
def test_volumes_hold_every_item_once_in_order_within_the_limit(pages, limit):
    volumes = split_volumes(pages, limit)
    covered = [i for v in volumes for i in range(v.first, v.last + 1)]
    assert covered == list(range(len(pages)))
    for v in volumes:
        assert v.pages == sum(pages[v.first : v.last + 1])
        assert v.pages <= limit or v.first == v.last  # an item is never split
    assert [v.number for v in volumes] == list(range(1, len(volumes) + 1))


def test_split_example():
    assert [(v.first, v.last, v.pages) for v in split_volumes([4, 4, 4, 10, 2], 10)] == [
        (0, 1, 8), (2, 2, 4), (3, 3, 10), (4, 4, 2)]  # fmt: skip


@given(st.lists(st.integers(1, 9), max_size=30))
def test_every_item_starts_on_an_odd_page(counts):
    from branchdesk.printing.archive_volume import place_items

    placed = place_items(counts)
    for (first, _blank), count, nxt in zip(placed, counts, [*placed[1:], None], strict=False):
        assert first % 2 == 1
        if nxt is not None:
            assert nxt[0] in (first + count, first + count + 1)
            assert nxt[1] == ((first + count) % 2 == 0)


@dataclass(frozen=True)
class _Item:
    key: str
    sort_class: int
    date: dt.date
    title: str


def test_items_are_numbered_by_class_then_date():
    items = [
        _Item("b", 20, dt.date(2025, 3, 1), "三月会议记录"),
        _Item("s", 30, dt.date(2025, 1, 5), "一月签到表"),
        _Item("a", 20, dt.date(2025, 1, 5), "一月会议记录"),
        _Item("r", 10, dt.date(2025, 12, 31), "花名册"),
    ]
    assert [i.key for i in number_items(items)] == ["r", "a", "b", "s"]
    assert item_number_text(7) == "007"
    assert longest_retention(["10年", "永久", "30年"]) == "永久"


def _entry(n, action, old=None, new=None, at="2026-01-01 10:00:00", table="meeting_attendance"):
    return AuditEntry(n, at, "黄磊", "meetings", table, n, action, old, new)


def test_unchanged_rewrites_are_hidden_and_real_changes_kept():
    same = {"meeting_id": 1, "member_id": 2, "status": "出席"}
    entries = [
        _entry(1, "删除", old=same),
        _entry(2, "新增", new=same),
        _entry(3, "删除", old=same | {"member_id": 3}),
        _entry(4, "新增", new=same | {"member_id": 3, "status": "请假"}),
        _entry(5, "修改", old={"place": "甲"}, new={"place": "乙", "updated_at": "x"},
               table="meeting"),  # fmt: skip
    ]
    kept = without_rewrites(entries)
    assert [e.id for e in kept] == [3, 4, 5]
    assert kept[-1].changed() == {"place": ("甲", "乙")}
    assert "甲 → 乙" in kept[-1].summary()
