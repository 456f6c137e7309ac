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


def _fold(text: str) -> str:
    """Lower-cased where there are Latin capitals (most text has none: no copy then)."""
    return text.lower() if _LATIN.search(text) else text


class SearchRepo:
    """Meeting text is read once and searched in memory (``str.find`` over ten years of
    minutes takes a few milliseconds; SQLite reading the same text takes tens). The copy is
    refreshed whenever the book changed: our own writes move ``total_changes``, any other
    connection's commit moves ``PRAGMA data_version`` — a result is never from stale text.
    Only the meetings the audit trail names as changed are read again."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._state: tuple[int, int] | None = None
        #: (date, id, label, text, text with Latin letters folded)
        self._entries: list[tuple[str, int, str, str, str]] = []
        self._texts: list[str] = []
        self._folded: list[str] = []
        self._heads: dict[int, tuple[str, str, int]] = {}
        self._audit_mark: int | None = None
        self._audit_sig: tuple[object, ...] = ()

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
        changed = self._changed_meetings()
        if changed is None:
            self._read(None)
        elif changed:
            self._read(changed)
        self._state = self._book_state()

    def _changed_meetings(self) -> set[int] | None:
        """The meetings changed since the text was read, from the audit trail (its triggers
        see every connection's writes); None when everything must be read again (first
        time, no audit triggers in this book, or too much changed)."""
        if self._audit_mark is None:
            return None
        audited = self.db.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
            " AND name IN ('archive_audit_meeting_update', 'archive_audit_meeting_agenda_insert')"
        ).fetchone()[0]
        if audited < 2:
            return None
        # The trail must be the one read last time (a restore replaces it wholesale).
        sig = self.db.execute(
            "SELECT id, at, tbl, row_id FROM archive_audit WHERE id = ?", [self._audit_mark]
        ).fetchone()
        if self._audit_mark and (sig is None or tuple(sig) != self._audit_sig):
            return None
        rows = self.db.execute(
            "SELECT id, tbl, row_id, coalesce(json_extract(new, '$.meeting_id'),"
            " json_extract(old, '$.meeting_id')) FROM archive_audit WHERE id > ?"
            " AND tbl IN ('meeting', 'meeting_agenda', 'meeting_resolution',"
            " 'meeting_attachment')",
            [self._audit_mark],
        ).fetchall()
        if len(rows) > 5000:
            return None
        return {r[2] if r[1] == "meeting" else r[3] for r in rows if r[2] or r[3]}

    def _read(self, only: set[int] | None) -> None:
        """Read the text of every meeting, or of ``only`` those (merged into what is held)."""
        mark = self.db.execute(
            "SELECT id, at, tbl, row_id FROM archive_audit ORDER BY id DESC LIMIT 1"
        ).fetchone()
        columns = [c for c, _label in _MEETING_FIELDS]
        labels = dict(_MEETING_FIELDS)
        where, params = "", []
        if only is not None:
            where = f" WHERE id IN ({','.join('?' * len(only))})"
            params = sorted(only)
            kept = [e for e in self._entries if e[1] not in only]
            heads = {k: v for k, v in self._heads.items() if k not in only}
        else:
            kept, heads = [], {}
        fresh: list[tuple[str, int, str, str, str]] = []
        for row in self.db.execute(
            f"SELECT id, date, belongs_to_year, {', '.join(columns)} FROM meeting{where}", params
        ):
            record_id, day, year, values = row[0], row[1], row[2], row[3:]
            heads[record_id] = (values[0], day, year)
            for column, value in zip(columns, values, strict=True):
                if value:
                    fresh.append((day, record_id, labels[column], value, _fold(value)))
        child_where = where.replace("id IN", "meeting_id IN") if where else ""
        for table, column, label in _MEETING_CHILDREN:
            for record_id, text in self.db.execute(
                f"SELECT meeting_id, {column} FROM {table}{child_where}", params
            ):
                if text and record_id in heads:
                    fresh.append((heads[record_id][1], record_id, label, text, _fold(text)))
        entries = kept + fresh
        entries.sort(key=lambda e: (e[0], e[1]), reverse=True)
        self._entries, self._heads = entries, heads
        self._texts = [e[3] for e in entries]
        self._folded = [e[4] for e in entries]
        self._audit_mark = mark[0] if mark else 0
        self._audit_sig = tuple(mark) if mark else ()

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
            day, record_id, label, original, _folded = entry
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

    # -- talks, points, the 组织生活会 cycle (plain SQL over the base tables) ----------------
    def _where(self, columns: tuple[str, ...], q: str) -> tuple[str, list[str]]:
        """``instr`` on each column (on its lower-cased text when the query has Latin
        letters: lower() costs a copy of every value, so Chinese queries skip it)."""
        latin = any("a" <= ch <= "z" for ch in q)
        wrap = "lower({})" if latin else "{}"
        return " OR ".join(f"instr({wrap.format(c)}, ?) > 0" for c in columns), [q] * len(columns)

    def talks(self, query: str, limit: int = LIMIT) -> list[Found]:
        """Talks by topic, place, 谈话内容要点, 意见和诉求, 后续措施, 落实情况, attachment
        names; newest first. ``record_id`` is the talk."""
        q = query.strip().lower()
        if not q:
            return []
        columns = tuple(c for c, _label in _TALK_FIELDS)
        where, params = self._where(columns, q)
        out = []
        for row in self.db.execute(
            f"SELECT id, date, year, kind, {', '.join(columns)} FROM talk WHERE {where}"
            " ORDER BY date DESC, id DESC LIMIT ?",
            [*params, limit],
        ):
            record_id, day, year, kind, values = row[0], row[1], row[2], row[3], row[4:]
            for (_column, label), value in zip(_TALK_FIELDS, values, strict=True):
                if value and q in _fold(value):
                    snip, start, end = snippet(value, q)
                    title = values[0] or kind
                    out.append(Found(record_id, title, label, snip, start, end,
                                     dt.date.fromisoformat(day), year))  # fmt: skip
                    break
        for record_id, name, day, year, topic, kind in self.db.execute(
            "SELECT a.talk_id, a.name, t.date, t.year, t.topic, t.kind FROM talk_attachment a"
            " JOIN talk t ON t.id = a.talk_id WHERE "
            + self._where(("a.name",), q)[0]
            + " ORDER BY t.date DESC LIMIT ?",
            [q, limit],
        ):
            snip, start, end = snippet(name, q)
            out.append(Found(record_id, topic or kind, "附件", snip, start, end,
                             dt.date.fromisoformat(day), year))  # fmt: skip
        return out[:limit]

    def points(self, query: str, limit: int = LIMIT) -> list[Found]:
        """Points entries by 项目 and 原因; ``record_id`` is the member (the 积分 page opens
        a member's entries), ``title`` the member's name and the item."""
        q = query.strip().lower()
        if not q:
            return []
        where, params = self._where(("e.reason", "e.item"), q)
        out = []
        for member_id, day, item, reason, name in self.db.execute(
            "SELECT e.member_id, e.date, e.item, e.reason, m.name FROM points_entry e"
            f" JOIN member m ON m.id = e.member_id WHERE {where}"
            " ORDER BY e.date DESC, e.id DESC LIMIT ?",
            [*params, limit],
        ):
            field, text = ("原因", reason) if q in _fold(reason) else ("项目", item)
            snip, start, end = snippet(text, q)
            day_ = dt.date.fromisoformat(day)
            out.append(Found(member_id, f"{name} {item}", field, snip, start, end, day_,
                             day_.year))  # fmt: skip
        return out

    def life(self, query: str, limit: int = LIMIT) -> list[Found]:
        """整改清单 items (problem, measures, owner, completion) and 征求意见 opinions;
        ``record_id`` is the item, or the year for an opinion (field 征求意见)."""
        q = query.strip().lower()
        if not q:
            return []
        columns = ("problem", "measures", "owner", "completion")
        labels = ("存在问题", "整改措施", "责任人", "完成情况")
        where, params = self._where(columns, q)
        out = []
        for row in self.db.execute(
            f"SELECT id, year, due, {', '.join(columns)} FROM rectification WHERE {where}"
            " ORDER BY year DESC, id LIMIT ?",
            [*params, limit],
        ):
            record_id, year, due, values = row[0], row[1], row[2], row[3:]
            for label, value in zip(labels, values, strict=True):
                if value and q in _fold(value):
                    snip, start, end = snippet(value, q)
                    day = dt.date.fromisoformat(due) if due else None
                    field = f"整改清单·{label}"
                    out.append(Found(record_id, values[0], field, snip, start, end, day, year))
                    break
        where, params = self._where(("text", "source"), q)
        for year, day, text in self.db.execute(
            f"SELECT year, date, text FROM life_opinion WHERE {where}"
            " ORDER BY year DESC, id LIMIT ?",
            [*params, limit],
        ):
            snip, start, end = snippet(text, q)
            out.append(Found(year, f"{year}年度组织生活会", "征求意见", snip, start, end,
                             dt.date.fromisoformat(day) if day else None, year))  # fmt: skip
        return out[:limit]


_TALK_FIELDS = (
    ("topic", "谈话主题"),
    ("place", "谈话地点"),
    ("summary", "谈话内容要点"),
    ("views", "对方的意见和诉求"),
    ("follow_up", "后续措施"),
    ("result", "落实情况"),
)
