"""The search box's queries: every record of every year, straight from the base tables.

No separate full-text index: a byte search (or LIKE for Latin letters) over the base
tables finds 1–2 character queries (which the FTS5 trigram tokenizer of SQLite 3.40
cannot, and for which LIKE on a trigram table gives wrong answers) and longer phrases
alike, and is never stale. benchmarks/bench_search.py measures it on ten years of a
200-member branch against a bare FTS5 trigram query on the same text. Latin letters
match case-insensitively; letters alone also match members' pinyin initials (zs: 张三).
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


def _contains(column: str, query: str) -> str:
    """SQL: ``column`` contains the query (one ``?``, bound by `_param`).

    Latin letters fold case with LIKE (ASCII only, and without copying the text as
    lower() would). Otherwise the bytes are searched: a UTF-8 needle can only match a
    UTF-8 text at a character boundary, and a byte search skips instr()'s character
    counting — a third faster on ten years of minutes."""
    if any("a" <= ch <= "z" for ch in query):
        return f"{column} LIKE ? ESCAPE '\\'"
    return f"instr(CAST({column} AS BLOB), ?) > 0"


def _param(query: str) -> object:
    if any("a" <= ch <= "z" for ch in query):
        escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return f"%{escaped}%"
    return query.encode("utf-8")


class SearchRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    def meetings(self, query: str, limit: int = LIMIT) -> list[Found]:
        q = query.strip().lower()
        if not q:
            return []
        # One pass over the meeting rows (their content spills into overflow pages: one
        # scan per column would read it again and again), then the small child tables.
        columns = [c for c, _label in _MEETING_FIELDS]
        where = " OR ".join(_contains(c, q) for c in columns)
        labels = dict(_MEETING_FIELDS)
        found: list[tuple[str, int, str, str]] = []  # (date, id, label, text)
        heads: dict[int, tuple[str, str, int]] = {}
        for row in self.db.execute(
            f"SELECT id, date, belongs_to_year, {', '.join(columns)} FROM meeting"
            f" WHERE {where} ORDER BY date DESC, id DESC LIMIT ?",
            [*([_param(q)] * len(columns)), limit],
        ):
            record_id, day, year, values = row[0], row[1], row[2], row[3:]
            heads[record_id] = (values[0], day, year)
            for column, value in zip(columns, values, strict=True):
                if value and q in value.lower():
                    found.append((day, record_id, labels[column], value))
        for table, column, label in _MEETING_CHILDREN:
            for record_id, title, day, year, text in self.db.execute(
                f"SELECT c.meeting_id, m.title, m.date, m.belongs_to_year, c.{column}"
                f" FROM {table} c JOIN meeting m ON m.id = c.meeting_id"
                f" WHERE {_contains('c.' + column, q)} LIMIT ?",
                [_param(q), limit],
            ):
                heads.setdefault(record_id, (title, day, year))
                found.append((day, record_id, label, text))
        found.sort(key=lambda f: (f[0], f[1]), reverse=True)
        out = []
        for day, record_id, label, text in found[:limit]:
            title, _day, year = heads[record_id]
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
