"""姓氏笔画排序: names in the order official Chinese lists use.

Names compare character by character. A character ranks by its total stroke count, then by the
class of its first stroke (1 横 2 竖 3 撇 4 点 5 折), then by code point, so that the order is total
and the same on every machine. Characters the stroke table lacks (Latin letters, digits, …) rank
after every Chinese character; the middle dot of minority names (and its look-alikes) and
whitespace are skipped, so 阿依古丽·买买提 sorts by 阿依古丽买买提.

The table is ``resources/strokes/strokes.tsv`` (built by ``tools/build_strokes.py``): one line per
character, ``<char>\\t<total strokes>\\t<first stroke or empty>``, sorted by code point. It is read
once as bytes and searched by bisection, which keeps start-up cost near zero (no 70 000-entry
dict is built).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from functools import cache, lru_cache
from pathlib import Path
from typing import TypeVar, cast

from branchdesk.resources import resources_dir

T = TypeVar("T")

CharKey = tuple[int, int, int]
NameKey = tuple[CharKey, ...]

#: First-stroke classes.
HENG, SHU, PIE, DIAN, ZHE = 1, 2, 3, 4, 5
#: Sorts a character whose first stroke is unknown after those of the same stroke count.
UNKNOWN_FIRST_STROKE = 6
#: Stroke count given to characters not in the table: after every Chinese character.
NOT_IN_TABLE = 1000

#: Skipped when sorting: the middle dot, the look-alikes typed for it, and spaces.
IGNORED = frozenset("·．・‧•∙⋅･")


def table_path() -> Path:
    return resources_dir() / "strokes" / "strokes.tsv"


@cache
def _table() -> bytes:
    """The whole table as UTF-8 bytes, read on first use."""
    path = table_path()
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise FileNotFoundError(
            f"stroke table not found at {path}; is the resources folder shipped "
            "(or BRANCHDESK_RESOURCES set)?"
        ) from exc


def _find(char: str) -> tuple[int, int | None] | None:
    """Bisect the code-point-sorted lines for ``char`` (UTF-8 byte order = code-point order)."""
    if "\ud800" <= char <= "\udfff":  # a lone surrogate (a broken name): no strokes
        return None
    data = _table()
    target = char.encode("utf-8")
    lo, hi = 0, len(data)  # both always at the start of a line
    while lo < hi:
        mid = (lo + hi) // 2
        newline = data.rfind(b"\n", lo, mid)
        start = lo if newline < 0 else newline + 1
        tab = data.find(b"\t", start, hi)
        if tab < 0:  # a malformed tail: nothing to find there
            return None
        end = data.find(b"\n", tab)
        if end < 0:
            end = len(data)
        key = data[start:tab]
        if key == target:
            strokes, _, first = data[tab + 1 : end].rstrip(b"\r").partition(b"\t")
            return int(strokes), (int(first) if first else None)
        if key < target:
            lo = end + 1
        else:
            hi = start
    return None


@lru_cache(maxsize=8192)
def char_strokes(char: str) -> tuple[int, int | None] | None:
    """(total strokes, first-stroke class or None) for one character; None if not in the table.

    A CJK compatibility ideograph not in the table is looked up as its canonical equivalent.
    """
    if len(char) != 1:
        raise ValueError(f"one character expected, got {char!r}")
    found = _find(char)
    if found is None:
        canonical = unicodedata.normalize("NFC", char)
        if canonical != char and len(canonical) == 1:
            found = _find(canonical)
    return found


def stroke_count(char: str) -> int | None:
    info = char_strokes(char)
    return None if info is None else info[0]


def first_stroke(char: str) -> int | None:
    info = char_strokes(char)
    return None if info is None else info[1]


@lru_cache(maxsize=8192)
def _char_key(char: str) -> CharKey:
    info = char_strokes(char)
    if info is None:
        return (NOT_IN_TABLE, 0, ord(char))
    strokes, first = info
    return (strokes, UNKNOWN_FIRST_STROKE if first is None else first, ord(char))


def stroke_key(name: str | None) -> NameKey:
    """Sort key: per character (strokes, first stroke, code point); dots and spaces skipped."""
    if not name:
        return ()
    return tuple(_char_key(ch) for ch in name if ch not in IGNORED and not ch.isspace())


def sort_by_strokes(items: Iterable[T], key: Callable[[T], str | None] | None = None) -> list[T]:
    """A new list in 姓氏笔画 order; stable, so equal names keep their order.

    ``key`` extracts the name from an item (default: the item is the name).
    """
    if key is None:
        return sorted(items, key=lambda item: stroke_key(cast("str | None", item)))
    return sorted(items, key=lambda item: stroke_key(key(item)))
