"""The search box's queries: every record of every year, straight from the base tables.

No separate full-text index: ``instr`` over the base tables finds 1–2 character queries
(which the FTS5 trigram tokenizer of SQLite 3.40 cannot, and for which LIKE on a trigram
table gives wrong answers) and longer phrases alike, is never stale, and on ten years of a
200-member branch answers within the budget (benchmarks/bench_search.py compares it with
a bare FTS5 trigram query on the same text). Latin letters match case-insensitively;
letters alone also match members' pinyin initials (zs finds 张三).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlite_utils import Database

#: Characters shown either side of a match.
CONTEXT = 24
LIMIT = 300


@dataclass(frozen=True)
class Found:
    record_id: int
    title: str
    field: str
    text: str  # the snippet
    start: int  # the match within the snippet
    end: int
    date: dt.date | None = None
    year: int | None = None


def snippet(text: str, query: str) -> tuple[str, int, int]:
    """The text around the first match of ``query`` and where it lies in that text."""
    flat = text.replace("\r", "").replace("\n", " ")
    at = flat.lower().find(query.lower())
    if at < 0:
        return flat[: 2 * CONTEXT], 0, 0
    begin = max(0, at - CONTEXT)
    end = min(len(flat), at + len(query) + CONTEXT)
    prefix = "…" if begin > 0 else ""
    suffix = "…" if end < len(flat) else ""
    return (
        prefix + flat[begin:end] + suffix,
        len(prefix) + at - begin,
        len(prefix) + at - begin + len(query),
    )


_MEETING_FIELDS = (
    ("title", "会议名称"),
    ("place", "地点"),
    ("host", "主持人"),
    ("recorder", "记录人"),
    ("guests", "列席"),
    ("topic", "党课题目"),
    ("lecturer", "主讲人"),
    ("theme", "主题"),
    ("content", "会议内容"),
)

_MEETING_CHILDREN = (
    ("meeting_agenda", "text", "议题"),
    ("meeting_resolution", "text", "决议"),
    ("meeting_attachment", "name", "附件"),
)


class SearchRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    def meetings(self, query: str, limit: int = LIMIT) -> list[Found]:
        q = query.strip().lower()
        if not q:
            return []
        parts, params = [], []
        for column, label in _MEETING_FIELDS:
            parts.append(
                f"SELECT id, '{label}' AS label, {column} AS text FROM meeting"
                f" WHERE instr(lower({column}), ?) > 0"
            )
            params.append(q)
        for table, column, label in _MEETING_CHILDREN:
            parts.append(
                f"SELECT meeting_id AS id, '{label}' AS label, {column} AS text FROM {table}"
                f" WHERE instr(lower({column}), ?) > 0"
            )
            params.append(q)
        rows = self.db.execute(
            "SELECT h.id, h.label, h.text, m.title, m.date, m.belongs_to_year FROM ("
            + " UNION ALL ".join(parts)
            + ") h JOIN meeting m ON m.id = h.id ORDER BY m.date DESC, m.id DESC LIMIT ?",
            [*params, limit],
        ).fetchall()
        out = []
        for record_id, label, text, title, day, year in rows:
            snip, start, end = snippet(text, q)
            out.append(
                Found(record_id, title, label, snip, start, end, dt.date.fromisoformat(day), year)
            )
        return out

    def members(self, query: str, limit: int = LIMIT) -> list[Found]:
        q = query.strip().lower()
        if not q:
            return []
        rows = self.db.execute(
            "SELECT id, name, pinyin, post, notes FROM member WHERE instr(lower(name), ?) > 0"
            " OR instr(pinyin, ?) = 1 OR instr(lower(post), ?) > 0 OR instr(lower(notes), ?) > 0"
            " ORDER BY pinyin, id LIMIT ?",
            [q, q, q, q, limit],
        ).fetchall()
        out = []
        for record_id, name, pinyin, post, notes in rows:
            if q in name.lower():
                field, text = "姓名", name
            elif pinyin.startswith(q) and q.isascii():
                field, text = f"拼音首字母 {pinyin}", name
                out.append(Found(record_id, name, field, text, 0, len(name)))
                continue
            elif q in post.lower():
                field, text = "职务", post
            else:
                field, text = "备注", notes
            snip, start, end = snippet(text, q)
            out.append(Found(record_id, name, field, snip, start, end))
        return out
