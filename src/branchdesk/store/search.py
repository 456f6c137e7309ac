"""The search box's queries: every record of every year, straight from the base tables.

No separate full-text index: the base tables' text, searched as substrings, finds 1–2
character queries (which the FTS5 trigram tokenizer of SQLite 3.40 cannot, and for which
LIKE on a trigram table gives wrong answers) and longer phrases alike, and there is no
index that could fall out of step with the records. benchmarks/bench_search.py measures
it on ten years of a 200-member branch against a bare FTS5 trigram query on the same
text. Latin letters match case-insensitively; letters alone also match members' pinyin
initials (zs: 张三).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlite_utils import Database

_LATIN = re.compile("[A-Z]")
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
    """Meeting text is read once and searched in memory (``str.find`` over ten years of
    minutes takes a few milliseconds; SQLite reading the same text takes tens). The copy is
    refreshed whenever the book changed: our own writes move ``total_changes``, any other
    connection's commit moves ``PRAGMA data_version`` — a result is never from stale text."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._state: tuple[int, int] | None = None
        self._entries: list[tuple[str, int, str, str]] = []  # (date, id, label, text)
        self._texts: list[str] = []
        self._folded: list[str] = []
        self._heads: dict[int, tuple[str, str, int]] = {}

    def _book_state(self) -> tuple[int, int]:
        version = self.db.execute("PRAGMA data_version").fetchone()[0]
        return (self.db.conn.total_changes, int(version))

    def warm(self) -> None:
        """Read the text now (the search box calls it when it opens)."""
        self._load()

    def _load(self) -> None:
        state = self._book_state()
        if state == self._state:
            return
        columns = [c for c, _label in _MEETING_FIELDS]
        labels = dict(_MEETING_FIELDS)
        entries: list[tuple[str, int, str, str]] = []
        heads: dict[int, tuple[str, str, int]] = {}
        for row in self.db.execute(
            f"SELECT id, date, belongs_to_year, {', '.join(columns)} FROM meeting"
        ):
            record_id, day, year, values = row[0], row[1], row[2], row[3:]
            heads[record_id] = (values[0], day, year)
            for column, value in zip(columns, values, strict=True):
                if value:
                    entries.append((day, record_id, labels[column], value))
        for table, column, label in _MEETING_CHILDREN:
            for record_id, text in self.db.execute(
                f"SELECT meeting_id, {column} FROM {table} WHERE {column} <> ''"
            ):
                if record_id in heads:
                    entries.append((heads[record_id][1], record_id, label, text))
        entries.sort(key=lambda e: (e[0], e[1]), reverse=True)
        self._entries, self._heads = entries, heads
        self._texts = [e[3] for e in entries]
        # Folded copies only where there are Latin letters to fold (most text has none).
        self._folded = [t.lower() if _LATIN.search(t) else t for t in self._texts]
        self._state = self._book_state()

    def meetings(self, query: str, limit: int = LIMIT) -> list[Found]:
        q = query.strip().lower()
        if not q:
            return []
        self._load()
        latin = any("a" <= ch <= "z" for ch in q)  # Latin letters match either case
        texts = self._folded if latin else self._texts
        out = []
        for entry, text in zip(self._entries, texts, strict=True):
            if q not in text:
                continue
            day, record_id, label, original = entry
            title, _day, year = self._heads[record_id]
            snip, start, end = snippet(original, q)
            out.append(
                Found(record_id, title, label, snip, start, end, dt.date.fromisoformat(day), year)
            )
            if len(out) >= limit:
                break
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
