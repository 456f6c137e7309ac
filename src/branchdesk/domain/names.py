"""Names as they arrive from spreadsheets, and how they are searched."""

from __future__ import annotations

import functools
import re

# Variants of the middle dot seen in minority names (阿依古丽·买买提).
_DOTS = "．・‧•∙⋅･"
_SPACES = re.compile(r"[\s\u3000]+")


def normalize_name(text: str | None) -> str:
    """Remove spaces (incl. full-width padding 王　芳) and unify the middle dot to ·."""
    if not text:
        return ""
    name = _SPACES.sub("", str(text))
    for dot in _DOTS:
        name = name.replace(dot, "·")
    # A Latin full stop between two Chinese runs is a mistyped middle dot.
    name = re.sub(r"(?<=[\u4e00-\u9fff])\.(?=[\u4e00-\u9fff])", "·", name)
    return name


def pinyin_initials(name: str) -> str:
    """zs for 张三; other characters are kept as they are, lower-cased.

    pypinyin is imported here, not at module level, so start-up does not pay for its
    dictionary; callers compute this once when a member is saved.
    """
    return "".join(_initial(ch) for ch in name if ch != "·")


def search_key(text: str) -> str:
    """What a search matches besides the text itself: the initials and the full pinyin,
    "zs zhangsan" for 张三, so that both "zs" and "zhang" find him."""
    from pypinyin import lazy_pinyin

    letters = "".join(lazy_pinyin(text.replace("·", ""), errors="default")).lower()
    return f"{pinyin_initials(text)} {''.join(letters.split())}"


def matches(needle: str, text: str, key: str) -> bool:
    """``needle`` (spaces ignored, any case) in the text, its initials or its full pinyin."""
    needle = "".join(needle.split()).lower()
    return not needle or needle in text.lower() or any(needle in part for part in key.split())


@functools.lru_cache(maxsize=20000)
def _initial(ch: str) -> str:
    from pypinyin import Style, lazy_pinyin

    parts = lazy_pinyin(ch, style=Style.FIRST_LETTER, errors="default")
    return "".join(parts).lower()
