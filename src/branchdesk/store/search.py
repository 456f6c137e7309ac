"""The search box's queries: every record of every year.

Each source — meetings (fields, agenda, resolutions, attachment names), talks (fields,
attachment names), points entries (原因, 项目), the 组织生活会 cycle (整改清单, 征求意见) — is
searched the first of three ways that is current:

- **held text**: the source's text as one string, newest record first, each field behind
  ENTRY and two characters numbering it, searched with ``str.find`` (tens of
  milliseconds over ten years). The window has it read on a worker when it opens a book
  (`SearchRepo.reader`, `adopt`).
- **the book's search index** (store/search_index.py): FTS5 over overlapping character
  pairs, so 1–2 character queries work on SQLite 3.40 (its trigram tokenizer finds nothing
  for them); every candidate is confirmed on the stored text. It lives in the book (in
  the same file, encrypted with it), is built on a worker the first time the window opens
  the book and caught up after every read of the held text (`SearchRepo.indexer`,
  `maintain`); no migration — a book without it (older, read-only) goes on to SQL. This
  is what the command line (one search per process) and the window's first searches use.
- **SQL on the base tables** (``instr`` for Chinese, ``LIKE`` for Latin letters).

Neither the held text nor the index is ever out of step: each knows the audit row it is
current to, and rows written since — the audit triggers see every connection's writes,
raw SQL from other programs included — are passed over there and read as they are now
(``changes_since``; a child's rows too when its parent's date changed). A source whose
tables lack their audit triggers, or whose trail was replaced (a restore), is searched by
SQL. ``PRAGMA data_version`` and ``total_changes`` say whether the held text needs a look.

Latin letters match case-insensitively; members are searched by SQL (names, pinyin
initials). benchmarks/bench_search.py measures all three against bare FTS5 queries.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, replace

from branchdesk.store import search_index as si
from branchdesk.store.connection import ERRORS
from branchdesk.store.database import Database

#: Characters shown either side of a match.
CONTEXT = 24
LIMIT = 300
#: Starts each field's entry in the held text, followed by two characters of the Unicode
#: private use area numbering the entry (its record, field, date and year are kept apart).
ENTRY = "\x1e"
_BASE, _DIGITS = 0xE000, 6400


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


@dataclass(frozen=True)
class Group:
    """Rows of one table (or a child joined to its parent): ``select`` gives ``rid`` (the
    row), ``id`` (the record a hit opens), ``day``, ``year`` and the text columns ``t0``,
    ``t1`` …, one per label."""

    select: str
    labels: tuple[str, ...]
    #: the table whose rowid ``rid`` is (the audit trail names its changed rows)
    table: str
    #: a child's parent table and the child's column naming it (the parent's date and
    #: year are the child's: a changed parent changes its children's rows too)
    parent: str | None = None
    key: str | None = None

    def texts(self) -> list[str]:
        return [f"t{n}" for n in range(len(self.labels))]


@dataclass(frozen=True)
class Source:
    """One kind of record the search box reads, and the tables whose change makes it
    read again."""

    name: str
    tables: tuple[str, ...]
    groups: tuple[Group, ...]

    def parts(self) -> list[tuple[Group, int, str]]:
        return [(g, n, label) for g in self.groups for n, label in enumerate(g.labels)]


def _fields(table: str, year: str, fields: tuple[tuple[str, str], ...], key: str = "id",
            day: str = "date") -> Group:  # fmt: skip
    columns = ", ".join(f"{column} AS t{n}" for n, (column, _label) in enumerate(fields))
    return Group(
        f"SELECT rowid AS rid, {key} AS id, {day} AS day, {year} AS year, {columns} FROM {table}",
        tuple(label for _column, label in fields),
        table,
    )


def _child(table: str, column: str, label: str, parent: str, key: str, year: str) -> Group:
    return Group(
        f"SELECT c.rowid AS rid, c.{key} AS id, p.date AS day, p.{year} AS year,"
        f" c.{column} AS t0 FROM {table} c JOIN {parent} p ON p.id = c.{key}",
        (label,),
        table,
        parent,
        key,
    )


MEETING_FIELDS = (
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
TALK_FIELDS = (
    ("topic", "谈话主题"),
    ("place", "谈话地点"),
    ("summary", "谈话内容要点"),
    ("views", "对方的意见和诉求"),
    ("follow_up", "后续措施"),
    ("result", "落实情况"),
)
RECTIFICATION_FIELDS = (
    ("problem", "整改清单·存在问题"),
    ("measures", "整改清单·整改措施"),
    ("owner", "整改清单·责任人"),
    ("completion", "整改清单·完成情况"),
)
OPINION = "征求意见"

MEETINGS = Source(
    "meetings",
    ("meeting", "meeting_agenda", "meeting_resolution", "meeting_attachment"),
    (
        _fields("meeting", "belongs_to_year", MEETING_FIELDS),
        _child("meeting_agenda", "text", "议题", "meeting", "meeting_id", "belongs_to_year"),
        _child("meeting_resolution", "text", "决议", "meeting", "meeting_id", "belongs_to_year"),
        _child("meeting_attachment", "name", "附件", "meeting", "meeting_id", "belongs_to_year"),
    ),
)
TALKS = Source(
    "talks",
    ("talk", "talk_attachment"),
    (
        _fields("talk", "year", TALK_FIELDS),
        _child("talk_attachment", "name", "附件", "talk", "talk_id", "year"),
    ),
)
POINTS = Source(
    "points",
    ("points_entry",),
    (_fields("points_entry", "NULL", (("reason", "原因"), ("item", "项目")), key="member_id"),),
)
LIFE = Source(
    "life",
    ("rectification", "life_opinion"),
    (
        _fields("rectification", "year", RECTIFICATION_FIELDS, day="due"),
        _fields("life_opinion", "year", (("text", OPINION), ("source", OPINION)), key="year"),
    ),
)
SOURCES = (MEETINGS, TALKS, POINTS, LIFE)
SOURCES_BY_NAME = {s.name: s for s in SOURCES}


@dataclass(frozen=True)
class Match:
    """One field of one record that holds the query."""

    record_id: int
    label: str
    text: str
    date: dt.date | None
    year: int | None


def _number(n: int) -> str:
    return chr(_BASE + n // _DIGITS) + chr(_BASE + n % _DIGITS)


def _numbered(at: str) -> int:
    return (ord(at[0]) - _BASE) * _DIGITS + ord(at[1]) - _BASE


@dataclass
class _Text:
    """A source's text as one string (each field behind ENTRY and its number), what each
    entry is, and the audit row that was the newest when it was read (None: the book
    keeps no audit trail to tell later changes by). Rows changed since are ``changed``
    ((group, rid): their entries are passed over) and searched in ``fresh``, as they
    are now."""

    text: str
    #: (record id, label, day, year, group, rid) of each entry, by number
    entries: list[tuple[int, str, str | None, int | None, int, int]]
    mark: tuple[object, ...] | None
    folded: str | None = None
    changed: frozenset[tuple[int, int]] = frozenset()
    fresh: tuple[tuple[int, int, int, str | None, int | None, tuple[str, ...]], ...] = ()

    def for_query(self, latin: bool) -> str:
        if not latin:
            return self.text
        if self.folded is None:
            self.folded = self.text.lower()
        return self.folded


def _read(conn: sqlite3.Connection, source: Source, mark: tuple[object, ...] | None) -> _Text:
    rows: list[tuple[str, int, int, int, str, int | None, str, int]] = []
    for g, group in enumerate(source.groups):
        labels = group.labels
        for rid, ident, day, year, *texts in conn.execute(group.select):
            for n, txt in enumerate(texts):
                if txt:
                    rows.append((day or "", ident, rid, n, labels[n], year, txt, g))
    rows.sort(key=lambda r: (r[0], r[1]), reverse=True)  # newest record first
    entries = []
    pieces = []
    for n, (day, ident, rid, _part, label, year, txt, g) in enumerate(rows):
        entries.append((ident, label, day or None, year, g, rid))
        pieces.append(ENTRY + _number(n) + (txt.replace(ENTRY, " ") if ENTRY in txt else txt))
    text = "".join(pieces)
    return _Text(text, entries, mark, text.lower())


#: More rows changed than this since a source was read: read it again instead.
MAX_CHANGED = 2000

_MARK_SQL = "SELECT id, at, tbl, row_id FROM archive_audit ORDER BY id DESC LIMIT 1"


def read_texts(conn: sqlite3.Connection) -> dict[str, _Text]:
    """Every source's text, read in one transaction with the audit row it is current to."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    out = {}
    conn.execute("BEGIN")
    try:
        last = conn.execute(_MARK_SQL).fetchone() if "archive_audit" in tables else None
        mark = (tuple(last) if last else ()) if "archive_audit" in tables else None
        for source in SOURCES:
            if set(source.tables) <= tables:
                out[source.name] = _read(conn, source, mark)
    finally:
        conn.execute("COMMIT")
    return out


def _audited(conn: sqlite3.Connection, source: Source) -> bool:
    """Every table of the source has its audit triggers (they name every changed row)."""
    names = {
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'"
            " AND name LIKE 'archive\\_audit\\_%' ESCAPE '\\'"
        )
    }
    return all(
        f"archive_audit_{table}_{action}" in names
        for table in source.tables
        for action in ("insert", "update", "delete")
    )


def changes_since(
    conn: sqlite3.Connection, source: Source, mark: tuple[object, ...] | None,
    cap: int | None = MAX_CHANGED,
) -> dict[int, list[int]] | None:  # fmt: skip
    """The rows of each group (by its number) written since the audit row ``mark`` (()
    for an empty trail) — a child's rows too when its parent changed; None when that
    cannot be told (no mark, no audit triggers, a restored trail) or more than ``cap``
    rows changed."""
    if mark is None or not _audited(conn, source):
        return None
    since = 0
    if mark:  # the row newest then must still be there (a restore replaces it)
        again = conn.execute(
            "SELECT id, at, tbl, row_id FROM archive_audit WHERE id = ?", [mark[0]]
        ).fetchone()
        if again is None or tuple(again) != tuple(mark):
            return None
        since = int(str(mark[0]))
    marks = ",".join("?" * len(source.tables))
    rows = conn.execute(
        f"SELECT DISTINCT tbl, row_id FROM archive_audit WHERE id > ? AND tbl IN ({marks})"
        + ("" if cap is None else f" LIMIT {cap + 1}"),
        [since, *source.tables],
    ).fetchall()
    if cap is not None and len(rows) > cap:
        return None
    out: dict[int, list[int]] = {}
    for g, group in enumerate(source.groups):
        rids = {r for t, r in rows if t == group.table and r is not None}
        parents = sorted({r for t, r in rows if t == group.parent and r is not None})
        if parents:
            rids |= {
                r[0]
                for r in conn.execute(
                    f"SELECT c.rowid FROM {group.table} c JOIN {group.parent} p"
                    f" ON p.id = c.{group.key} WHERE p.rowid IN ({','.join('?' * len(parents))})",
                    parents,
                )
            }
        if rids:
            out[g] = sorted(rids)
    return out


def fresh_rows(
    conn: sqlite3.Connection, source: Source, changed: dict[int, list[int]]
) -> list[tuple[int, int, int, str | None, int | None, tuple[str, ...]]]:
    """(group, rid, record id, day, year, texts) of the changed rows as they are now."""
    out = []
    for g, rids in changed.items():
        group = source.groups[g]
        for i in range(0, len(rids), 500):
            part = rids[i : i + 500]
            for rid, ident, day, year, *texts in conn.execute(
                f"SELECT * FROM ({group.select}) WHERE rid IN ({','.join('?' * len(part))})",
                part,
            ):
                out.append((g, rid, ident, day, year, tuple(t or "" for t in texts)))
    return out


def _signature(source: Source) -> str:
    """What an index of the source was built for (its groups and fields)."""
    return hashlib.sha1(repr((si.VERSION, source.groups)).encode()).hexdigest()[:16]


def index_mark(conn: sqlite3.Connection, source: Source) -> tuple[object, ...] | None:
    """The audit row the source's index is current to, or None: no complete index (or
    one built for other fields)."""
    got = si.state(conn, source.name)
    if not got or got[0] != _signature(source):
        return None
    return tuple(got[1:])


def _catch_up(conn: sqlite3.Connection, source: Source) -> bool:
    """Fold the rows written since into the source's index; False: it must be built."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        mark = index_mark(conn, source)
        changed = changes_since(conn, source, mark, cap=None)
        if changed is None:
            conn.execute("ROLLBACK")
            return False
        if changed:
            now = si._mark(conn)
            for g, rids in changed.items():
                for i in range(0, len(rids), 500):
                    si._forget(conn, source.name, g, rids[i : i + 500])
            now_rows = fresh_rows(conn, source, changed)
            found = [(g, rid, ident, day, year, list(texts))
                     for g, rid, ident, day, year, texts in now_rows]  # fmt: skip
            si.write(conn, source.name, si.prepared(conn, source.name, found, None))
            _set_mark(conn, source, now)
        conn.execute("COMMIT")
        return True
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _set_mark(conn: sqlite3.Connection, source: Source, mark: tuple[object, ...]) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO search_state (source, mark) VALUES (?, ?)",
        [source.name, json.dumps([_signature(source), *mark])],
    )


def _build(conn: sqlite3.Connection, source: Source) -> None:
    """Index the source afresh, a chunk of rows a transaction (writes of others go on
    meanwhile: rows written after the mark taken first are folded in afterwards)."""
    name = source.name
    conn.execute("BEGIN IMMEDIATE")
    try:
        si._create(conn, name)
        conn.execute("DELETE FROM search_state WHERE source = ?", [name])
        mark = si._mark(conn)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    counters: dict[int, int] = {}
    for g, group in enumerate(source.groups):
        last = -(1 << 62)
        while True:
            got = conn.execute(
                f"SELECT * FROM ({group.select}) WHERE rid > ? ORDER BY rid LIMIT {si.CHUNK}",
                [last],
            ).fetchall()
            chunk = [(g, rid, ident, day, year, list(texts))
                     for rid, ident, day, year, *texts in got]  # fmt: skip
            ready = si.prepared(conn, name, chunk, counters)
            conn.execute("BEGIN IMMEDIATE")  # (a save of the window's waits this long)
            try:
                si.write(conn, name, ready)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            if not got:
                break
            last = got[-1][0]
    with conn:
        _set_mark(conn, source, mark)


def maintain(conn: sqlite3.Connection) -> list[str]:
    """Build or catch up the search index of every source whose tables are audited (on a
    worker, through a connection of its own); returns the sources indexed now."""
    tables = si.tables(conn)
    if "archive_audit" not in tables:
        return []
    done = []
    for source in SOURCES:
        if not set(source.tables) <= tables or not _audited(conn, source):
            continue
        if "search_state" in si.tables(conn) and _catch_up(conn, source):
            done.append(source.name)
            continue
        _build(conn, source)
        _catch_up(conn, source)
        done.append(source.name)
    return done


class SearchRepo:
    """Searches the text held in memory when it is current, else the book's search index,
    else the base tables by SQL (a command-line search is one search: reading everything
    first would cost more; it uses the index). The window has the text read on a worker
    (`reader`, then `adopt` on its own thread) when it opens a book and whenever the held
    text is out of date (`on_stale`), and the index kept on a worker (`indexer`)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._texts: dict[str, _Text] = {}
        self._verified: tuple[int, int] | None = None
        #: Called (on the book's thread) when a source has no current text held: the
        #: window schedules a `reader` then. None: searches simply go to SQL.
        self.on_stale: Callable[[], object] | None = None
        #: A read is under way (set by whoever runs the reader).
        self.loading = False
        #: The index is being built or caught up (set by whoever runs the indexer).
        self.indexing = False
        #: The last run of the indexer was the only connection that committed to the
        #: file while it ran: its commits (derived rows, no record changed) need not be
        #: announced as another program's (`Book.poll_external`).
        self.indexed_alone = False

    # -- keeping the text current -------------------------------------------------------
    def _book_state(self) -> tuple[int, int]:
        version = self.db.execute("PRAGMA data_version").fetchone()[0]
        return (self.db.conn.total_changes, int(version))

    def warm(self) -> None:
        """Read the text now, on this thread (tests, benchmarks)."""
        self.adopt(read_texts(self.db.conn))

    def reader(self) -> Callable[[], dict[str, _Text]] | None:
        """A function reading every source through a connection of its own, to run on a
        worker thread; its result goes to `adopt`. None when the book is closed or has
        no file."""
        try:
            path = self.db.execute("PRAGMA database_list").fetchone()[2]
        except ERRORS:
            return None
        if not path:
            return None

        def read() -> dict[str, _Text]:
            from branchdesk.store.connection import open_sqlite

            conn = open_sqlite(path)
            try:
                return read_texts(conn)
            finally:
                conn.close()

        return read

    def adopt(self, texts: dict[str, _Text]) -> None:
        """Hold the text a reader read (it is brought up to date before it is used)."""
        self._texts.update(texts)
        self._verified = None

    def held_sources(self) -> list[str]:
        """The sources whose text is held in memory and current (for tests)."""
        return [s.name for s in SOURCES if self._held(s) is not None]

    def _held(self, source: Source) -> _Text | None:
        """The source's text, brought up to date (rows changed since it was read are
        read again), or None (and a fresh read is started when the window asked for
        them)."""
        state = self._book_state()
        if state != self._verified:
            for name, kept in list(self._texts.items()):
                fresh = self._update(SOURCES_BY_NAME[name], kept)
                if fresh is None:
                    del self._texts[name]
                else:
                    self._texts[name] = fresh
            self._verified = state
        held = self._texts.get(source.name)
        if held is None and self.on_stale is not None and not self.loading:
            self.on_stale()
        return held

    def _update(self, source: Source, held: _Text) -> _Text | None:
        """``held`` with the rows written since it was read (the audit trail's triggers
        see every connection's writes); None when that cannot be told (no audit
        triggers, a restored trail) or too much changed."""
        changed = changes_since(self.db.conn, source, held.mark)
        if changed is None:
            return None
        if not changed:  # (a restore may have taken back what the last overlay held)
            return replace(held, changed=frozenset(), fresh=())
        return replace(
            held,
            changed=frozenset((g, r) for g, rids in changed.items() for r in rids),
            fresh=tuple(fresh_rows(self.db.conn, source, changed)),
        )

    # -- finding ----------------------------------------------------------------------------
    def find(self, source: Source, query: str, limit: int = LIMIT) -> list[Match]:
        """Each field holding ``query`` (newest record first, at most ``limit``)."""
        q = query.strip().lower().replace(ENTRY, "")
        if not q:
            return []
        latin = any("a" <= ch <= "z" for ch in q)  # Latin letters match either case
        held = self._held(source)
        if held is None:
            indexed = self._find_indexed(source, q, latin, limit)
            if indexed is not None:
                return indexed
            return self._find_sql(source, q, latin, limit)
        text = held.for_query(latin)
        # A fold that changed a length (rare letters) would misplace the original text.
        original = held.text if not latin or len(text) == len(held.text) else text
        out: list[Match] = []
        pos = 0
        while len(out) < limit:
            at = text.find(q, pos)
            if at < 0:
                break
            head = text.rfind(ENTRY, 0, at)
            body = head + 3
            end = text.find(ENTRY, at)
            end = len(text) if end < 0 else end
            pos = end
            if head < 0 or at < body:  # it took in an entry's number: look on
                pos = at + 1
                continue
            ident, label, day, year, g, rid = held.entries[_numbered(text[head + 1 : body])]
            if held.changed and (g, rid) in held.changed:
                continue  # written since: searched as it is now, below
            out.append(Match(ident, label, original[body:end],
                             dt.date.fromisoformat(day) if day else None, year))  # fmt: skip
        if held.fresh:
            for g, _rid, ident, day, year, texts in held.fresh:
                when = dt.date.fromisoformat(day) if day else None
                for n, txt in enumerate(texts):
                    if txt and q in (txt.lower() if latin else txt):
                        out.append(Match(ident, source.groups[g].labels[n], txt, when, year))
            out.sort(key=lambda m: (m.date or dt.date.min, m.record_id), reverse=True)
            del out[limit:]
        return out

    def _find_indexed(self, source: Source, q: str, latin: bool, limit: int) -> list[Match] | None:
        """The newest ``limit`` fields holding ``q`` by the book's search index (rows
        written since it was brought up to date are read as they are now), or None: no
        current index to tell by."""
        conn = self.db.conn
        mark = index_mark(conn, source)
        changed = changes_since(conn, source, mark)
        if changed is None:
            return None
        skip = {(g, r) for g, rids in changed.items() for r in rids}
        fts, rows = si.fts(source.name), si.rows(source.name)
        out: list[Match] = []
        pending: list[tuple[int, int, int, str]] = []
        cursor = conn.execute(
            f"SELECT r.grp, r.rid, r.n, r.text FROM {fts}"
            f" JOIN {rows} r ON r.id = {fts}.rowid WHERE {fts} MATCH ? ORDER BY {fts}.rowid DESC",
            [si.match_expr(q)],
        )
        try:
            for g, rid, n, txt in cursor:
                if skip and (g, rid) in skip:
                    continue
                if q in (txt.lower() if latin else txt):
                    pending.append((g, rid, n, txt))
                    if len(out) + len(pending) >= limit:
                        out += self._as_now(source, pending, q, latin)
                        pending = []
                        if len(out) >= limit:
                            break
        finally:
            cursor.close()
        out += self._as_now(source, pending, q, latin)
        if changed:
            for g, _rid, ident, day, year, texts in fresh_rows(conn, source, changed):
                when = dt.date.fromisoformat(day) if day else None
                for n, txt in enumerate(texts):
                    if txt and q in (txt.lower() if latin else txt):
                        out.append(Match(ident, source.groups[g].labels[n], txt, when, year))
        out.sort(key=lambda m: (m.date or dt.date.min, m.record_id), reverse=True)
        return out[:limit]

    def _as_now(self, source: Source, hits: list[tuple[int, int, int, str]], q: str,
                latin: bool) -> list[Match]:  # fmt: skip
        """The index's hits (group, rid, field, text) as their rows are now: a row gone or
        changed in a way the audit trail did not see (a REPLACE's silent delete) is not
        reported as it was."""
        out: list[Match] = []
        for g, group in enumerate(source.groups):
            mine = [h for h in hits if h[0] == g]
            if not mine:
                continue
            rids = sorted({h[1] for h in mine})
            now = {
                rid: (ident, day, year, texts)
                for rid, ident, day, year, *texts in self.db.execute(
                    f"SELECT * FROM ({group.select}) WHERE rid IN ({','.join('?' * len(rids))})",
                    rids,
                )
            }
            for _g, rid, n, _txt in mine:
                if rid not in now:
                    continue
                ident, day, year, texts = now[rid]
                txt = texts[n] or ""
                if txt and q in (txt.lower() if latin else txt):
                    when = dt.date.fromisoformat(day) if day else None
                    out.append(Match(ident, group.labels[n], txt, when, year))
        return out

    def indexer(self) -> Callable[[], list[str]] | None:
        """A function building or catching up the book's search index through a
        connection of its own, to run on a worker (ui/tasks); None when the book is
        open read-only or has no file."""
        if getattr(self.db, "read_only", False):
            return None
        try:
            path = self.db.execute("PRAGMA database_list").fetchone()[2]
        except ERRORS:
            return None
        if not path:
            return None

        def index() -> list[str]:
            from branchdesk.store.connection import open_sqlite

            conn = open_sqlite(path)
            try:
                before = conn.execute("PRAGMA data_version").fetchone()[0]
                sources = maintain(conn)
                # data_version moves with every other connection's commit, not its own
                after = conn.execute("PRAGMA data_version").fetchone()[0]
                self.indexed_alone = after == before
                return sources
            finally:
                conn.close()

        self.indexed_alone = False
        return index

    def _find_sql(self, source: Source, q: str, latin: bool, limit: int) -> list[Match]:
        """The newest ``limit`` fields holding ``q``, one query per table for the rows,
        then their text (a sort of whole texts would cost more than the search)."""
        if not all(self._exists(t) for t in source.tables):
            return []
        found: list[tuple[str, int, int, Group]] = []
        for group in source.groups:
            if latin:  # LIKE folds ASCII letters without copying the text
                term = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
                test = "{} LIKE ? ESCAPE '\\'"
            else:
                term, test = q, "instr({}, ?) > 0"
            where = " OR ".join(test.format(t) for t in group.texts())
            for rid, ident, day in self.db.execute(
                f"SELECT rid, id, day FROM ({group.select}) WHERE {where}"
                # "+": scan the table, not the date index (whose row lookups cost more)
                " ORDER BY +day DESC, +id DESC LIMIT ?",
                [*([term] * len(group.labels)), limit],
            ):
                found.append((day or "", ident, rid, group))
        found.sort(key=lambda f: (f[0], f[1]), reverse=True)
        out: list[Match] = []
        for group in source.groups:
            rids = [f[2] for f in found[:limit] if f[3] is group]
            if not rids:
                continue
            marks = ",".join("?" * len(rids))
            for _rid, ident, day, year, *texts in self.db.execute(
                f"SELECT * FROM ({group.select}) WHERE rid IN ({marks})", rids
            ):
                when = dt.date.fromisoformat(day) if day else None
                for n, txt in enumerate(texts):
                    if txt and q in (txt.lower() if latin else txt):
                        out.append(Match(ident, group.labels[n], txt, when, year))
        out.sort(key=lambda m: (m.date or dt.date.min, m.record_id), reverse=True)
        return out[:limit]

    def _exists(self, table: str) -> bool:
        return bool(
            self.db.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [table]
            ).fetchone()
        )

    def _titles(self, sql: str, ids: set[int]) -> dict[int, str]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        return {r[0]: r[1] for r in self.db.execute(sql.format(marks), sorted(ids))}

    def _found(self, matches: list[Match], query: str, titles: dict[int, str]) -> list[Found]:
        out = []
        for m in matches:
            snip, start, end = snippet(m.text, query.strip())
            out.append(Found(m.record_id, titles.get(m.record_id, ""), m.label, snip, start,
                             end, m.date, m.year))  # fmt: skip
        return out

    def meetings(self, query: str, limit: int = LIMIT) -> list[Found]:
        """Titles, places, people, content, agenda, resolutions, attachment names."""
        matches = self.find(MEETINGS, query, limit)
        titles = self._titles("SELECT id, title FROM meeting WHERE id IN ({})",
                              {m.record_id for m in matches})  # fmt: skip
        return self._found(matches, query, titles)

    def talks(self, query: str, limit: int = LIMIT) -> list[Found]:
        """Talks by topic, place, 谈话内容要点, 意见和诉求, 后续措施, 落实情况, attachment
        names; newest first. ``record_id`` is the talk, ``title`` its topic (or kind)."""
        matches = self.find(TALKS, query, limit)
        titles = self._titles(
            "SELECT id, CASE WHEN topic <> '' THEN topic ELSE kind END FROM talk WHERE id IN ({})",
            {m.record_id for m in matches},
        )
        return self._found(matches, query, titles)

    def points(self, query: str, limit: int = LIMIT) -> list[Found]:
        """Points entries by 原因 and 项目; ``record_id`` is the member (the 积分 page opens
        a member's entries), ``title`` the member's name."""
        matches = self.find(POINTS, query, limit)
        titles = self._titles("SELECT id, name FROM member WHERE id IN ({})",
                              {m.record_id for m in matches})  # fmt: skip
        found = self._found(matches, query, titles)
        return [
            Found(f.record_id, f.title, f.field, f.text, f.start, f.end, f.date,
                  f.date.year if f.date else None)
            for f in found
        ]  # fmt: skip

    def life(self, query: str, limit: int = LIMIT) -> list[Found]:
        """整改清单 items and 征求意见 opinions; ``record_id`` is the 整改 item, or the
        year for an opinion (field 征求意见); ``title`` the problem, or the year's 组织生活会."""
        matches = self.find(LIFE, query, limit)
        titles = self._titles(
            "SELECT id, problem FROM rectification WHERE id IN ({})",
            {m.record_id for m in matches if m.label != OPINION},
        )
        out = []
        for f in self._found(matches, query, titles):
            if f.field == OPINION:
                f = Found(f.record_id, f"{f.record_id}年度组织生活会", f.field, f.text,
                          f.start, f.end, f.date, f.year)  # fmt: skip
            out.append(f)
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
