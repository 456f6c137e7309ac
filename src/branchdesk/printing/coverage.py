"""What a font must be able to print to serve a role (标题, 正文, 黑体, 楷体, 宋体).

A font is chosen for a role by what it covers, not only by its name: a name says 仿宋, but a
Traditional-only 仿宋 (cwTeX 仿宋) cannot print 们 or 这, and Droid Sans Fallback has Chinese
but no digits, so every page number would be missing. A candidate must have

* every ASCII digit, letter and punctuation mark (page numbers, dates, "14:30", "12.5%");
* the 3,500 characters of level 1 of 《通用规范汉字表》 (``resources/charsets/
  tongyong-level1.txt``), less at most ``LEVEL1_TOLERANCE`` of them: 仿宋_GB2312 and AR PL
  SungtiL GB, being GB 2312 fonts, lack 啰 and 瞭, which then come from the next font of the
  chain; a Traditional-only font lacks well over a thousand;
* the full-width punctuation the forms print (``FORM_PUNCTUATION``), all of it.

A font that fails is never the font of a role, but may still print single characters as a
fallback. The check reads the font's cmap only (``sfnt.read_cmap``), without loading it.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from branchdesk.printing.sfnt import SfntError, read_cmap
from branchdesk.resources import resources_dir

LEVEL1_FILE = "charsets/tongyong-level1.txt"
LEVEL1_TOLERANCE = 10
ASCII_PRINTABLE = frozenset(string.digits + string.ascii_letters + string.punctuation)
#: The full-width marks the forms print: 标点 of the body text, 〔〕 of the 决议 kinds, the
#: 一字线 of page numbers and ranges, ％ and the 间隔号 of minority names.
FORM_PUNCTUATION = frozenset("，。、；：！？（）《》“”‘’—…·〔〕％")


@cache
def level1() -> frozenset[str]:
    """The 3,500 common characters (通用规范汉字表 一级)."""
    text = (resources_dir() / LEVEL1_FILE).read_text(encoding="utf-8")
    chars = frozenset(
        ch for line in text.splitlines() if not line.startswith("#") for ch in line.strip()
    )
    if len(chars) != 3500:
        raise RuntimeError(f"{LEVEL1_FILE} 应有 3500 字，实有 {len(chars)} 字")
    return chars


@dataclass(frozen=True)
class Coverage:
    """What a face lacks of what a role needs; ``ok`` when it may serve a role."""

    ascii: str = ""  # missing ASCII characters
    level1: int = 0  # how many of the 3,500 it lacks
    punctuation: str = ""  # missing full-width marks
    unreadable: bool = False

    @property
    def ok(self) -> bool:
        return (
            not self.unreadable
            and not self.ascii
            and not self.punctuation
            and self.level1 <= LEVEL1_TOLERANCE
        )

    def reason(self) -> str:
        """Why the face cannot serve a role, in the words of the 设置 page; "" if it can."""
        if self.unreadable:
            return "读不出它的字符表"
        parts = []
        if self.ascii:
            digits = any(ch.isdigit() for ch in self.ascii)
            parts.append("没有阿拉伯数字" if digits else f"缺少半角字符 {self.ascii[:8]}")
        if self.level1 > LEVEL1_TOLERANCE:
            parts.append(f"缺少常用字 {self.level1} 个（多为只有繁体字形的字体）")
        if self.punctuation:
            parts.append(f"缺少全角标点 {self.punctuation}")
        return "，".join(parts)


@cache
def coverage(path: Path, index: int = 0) -> Coverage:
    """What the face ``index`` of the font file at ``path`` lacks (cached per file)."""
    try:
        cmap = read_cmap(path, index)
    except (OSError, SfntError, ValueError):
        return Coverage(unreadable=True)
    return Coverage(
        ascii="".join(sorted(ch for ch in ASCII_PRINTABLE if ord(ch) not in cmap)),
        level1=sum(1 for ch in level1() if ord(ch) not in cmap),
        punctuation="".join(sorted(ch for ch in FORM_PUNCTUATION if ord(ch) not in cmap)),
    )
