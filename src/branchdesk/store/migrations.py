"""Schema migrations. Never edit a shipped migration: add a new one.

Each migration runs in one transaction together with its record in `_sqlite_migrations`
(sqlite-utils `Migrations`), so an upgrade is applied whole or not at all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

    from branchdesk.store.database import BookDatabase

MIGRATION_SET = "branchdesk"
#: PRAGMA application_id written into every book: "BDK1". A SQLite file without it is
#: not ours and is refused rather than written to.
APPLICATION_ID = 0x42444B31


class _Migrations:
    """The registered steps, in order. They are handed to sqlite-utils' ``Migrations``
    only when a book is created or upgraded: opening an up-to-date book reads just the
    names (no sqlite-utils import on the start-up path)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._steps: list[tuple[str, Callable[[Database], None]]] = []

    def __call__(
        self, *, name: str
    ) -> Callable[[Callable[[Database], None]], Callable[[Database], None]]:
        def register(fn: Callable[[Database], None]) -> Callable[[Database], None]:
            self._steps.append((name, fn))
            return fn

        return register

    def names(self) -> list[str]:
        return [name for name, _ in self._steps]

    def _utils(self):  # type: ignore[no-untyped-def]
        from sqlite_utils import Migrations

        steps = Migrations(self.name)
        for name, fn in self._steps:
            steps(name=name)(fn)
        return steps

    def pending(self, db: BookDatabase) -> list[str]:
        return [m.name for m in self._utils().pending(db.utils)]

    def apply(self, db: BookDatabase) -> None:
        """Each pending step in one transaction with its record (the book's ``atomic``)."""
        self._utils().apply(db.utils)


migrations = _Migrations(MIGRATION_SET)


@migrations(name="0001_roster")
def m0001_roster(db: Database) -> None:
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    for statement in _SCHEMA_0001.split(";\n"):
        if statement.strip():
            db.execute(statement)


_SCHEMA_0001 = """
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
CREATE TABLE party_group (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    leader_id INTEGER REFERENCES member(id) ON DELETE SET NULL,
    sort INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE TABLE member (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    gender TEXT NOT NULL DEFAULT '' CHECK (gender IN ('', '男', '女')),
    ethnicity TEXT NOT NULL DEFAULT '',
    birth_date TEXT CHECK (birth_date IS NULL OR date(birth_date) = birth_date),
    id_number TEXT NOT NULL DEFAULT '',
    education TEXT NOT NULL DEFAULT '',
    category TEXT NOT NULL DEFAULT '正式党员' CHECK (category IN ('正式党员', '预备党员')),
    join_date TEXT CHECK (join_date IS NULL OR date(join_date) = join_date),
    full_date TEXT CHECK (full_date IS NULL OR date(full_date) = full_date),
    post TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    group_id INTEGER REFERENCES party_group(id) ON DELETE SET NULL,
    notes TEXT NOT NULL DEFAULT '',
    pinyin TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT (datetime('now')),
    updated_at TEXT NOT NULL DEFAULT (datetime('now'))
) STRICT;
CREATE UNIQUE INDEX member_id_number ON member(id_number) WHERE id_number <> '';
CREATE INDEX member_group ON member(group_id);
CREATE TABLE member_event (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES member(id) ON DELETE CASCADE,
    kind TEXT NOT NULL
        CHECK (kind IN ('转入', '转出', '转正', '留党察看', '出党', '去世', '停止党籍')),
    date TEXT NOT NULL CHECK (date(date) = date),
    end_date TEXT CHECK (end_date IS NULL OR (date(end_date) = end_date AND end_date >= date)),
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT (datetime('now'))
) STRICT;
CREATE INDEX member_event_member ON member_event(member_id, date);
CREATE TABLE committee_post (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES member(id) ON DELETE CASCADE,
    post TEXT NOT NULL CHECK (length(trim(post)) > 0),
    term_start TEXT CHECK (term_start IS NULL OR date(term_start) = term_start),
    term_end TEXT CHECK (term_end IS NULL OR date(term_end) = term_end),
    sort INTEGER NOT NULL DEFAULT 0
) STRICT
"""


@migrations(name="0002_meetings")
def m0002_meetings(db: Database) -> None:
    for statement in _SCHEMA_0002.split(";\n"):
        if statement.strip():
            db.execute(statement)


_SCHEMA_0002 = """
CREATE TABLE meeting (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL DEFAULT '',
    date TEXT NOT NULL CHECK (date(date) = date),
    start_time TEXT NOT NULL DEFAULT '',
    end_time TEXT NOT NULL DEFAULT '',
    belongs_to_year INTEGER NOT NULL CHECK (belongs_to_year BETWEEN 1921 AND 2200),
    scope TEXT NOT NULL DEFAULT '全体党员' CHECK (scope IN ('全体党员', '支部委员会', '党小组')),
    group_id INTEGER REFERENCES party_group(id) ON DELETE SET NULL,
    place TEXT NOT NULL DEFAULT '',
    host TEXT NOT NULL DEFAULT '',
    recorder TEXT NOT NULL DEFAULT '',
    guests TEXT NOT NULL DEFAULT '',
    content TEXT NOT NULL DEFAULT '',
    lecturer TEXT NOT NULL DEFAULT '',
    topic TEXT NOT NULL DEFAULT '',
    theme TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT (datetime('now')),
    updated_at TEXT NOT NULL DEFAULT (datetime('now'))
) STRICT;
CREATE INDEX meeting_date ON meeting(date);
CREATE INDEX meeting_year ON meeting(belongs_to_year);
CREATE TABLE meeting_type (
    meeting_id INTEGER NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
    type TEXT NOT NULL CHECK (type IN ('支部党员大会', '支委会', '党小组会', '党课', '主题党日',
                                       '组织生活会', '民主评议党员', '其他')),
    PRIMARY KEY (meeting_id, type)
) STRICT;
CREATE TABLE meeting_agenda (
    meeting_id INTEGER NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (meeting_id, position)
) STRICT;
CREATE TABLE meeting_attendance (
    meeting_id INTEGER NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES member(id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('出席', '请假', '缺席')),
    reason TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (meeting_id, member_id)
) STRICT;
CREATE INDEX meeting_attendance_member ON meeting_attendance(member_id);
CREATE TABLE meeting_exclusion (
    meeting_id INTEGER NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES member(id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    basis TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (meeting_id, member_id)
) STRICT;
CREATE TABLE meeting_resolution (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT '一般' CHECK (kind IN ('一般', '选举', '发展', '转正')),
    candidate_id INTEGER REFERENCES member(id) ON DELETE SET NULL,
    votes_for INTEGER NOT NULL DEFAULT 0 CHECK (votes_for >= 0),
    votes_against INTEGER NOT NULL DEFAULT 0 CHECK (votes_against >= 0),
    abstentions INTEGER NOT NULL DEFAULT 0 CHECK (abstentions >= 0),
    written_for INTEGER NOT NULL DEFAULT 0 CHECK (written_for >= 0),
    written_against INTEGER NOT NULL DEFAULT 0 CHECK (written_against >= 0),
    written_abstain INTEGER NOT NULL DEFAULT 0 CHECK (written_abstain >= 0),
    marked_passed INTEGER NOT NULL DEFAULT 0 CHECK (marked_passed IN (0, 1))
) STRICT;
CREATE TABLE meeting_attachment (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    mime TEXT NOT NULL DEFAULT '',
    data BLOB NOT NULL,
    width INTEGER NOT NULL DEFAULT 0,
    height INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL DEFAULT (datetime('now'))
) STRICT
"""


@migrations(name="0003_drafts")
def m0003_drafts(db: Database) -> None:
    for statement in _SCHEMA_0003.split(";\n--\n"):
        if statement.strip():
            db.execute(statement)


# Drafts live inside the book, so they are as private as the book, travel in its backups
# and go when their record goes. Keys: member-new, member-<id>, meeting-new, meeting-<id>.
_SCHEMA_0003 = """
CREATE TABLE draft (
    key TEXT PRIMARY KEY CHECK (length(key) > 0),
    fields TEXT NOT NULL CHECK (json_valid(fields)),
    updated_at TEXT NOT NULL DEFAULT (datetime('now'))
) STRICT;
--
CREATE TRIGGER member_drafts_go_with_it AFTER DELETE ON member BEGIN
    DELETE FROM draft WHERE key = 'member-' || old.id;
END;
--
CREATE TRIGGER meeting_drafts_go_with_it AFTER DELETE ON meeting BEGIN
    DELETE FROM draft WHERE key = 'meeting-' || old.id;
END
"""


@migrations(name="0004_points")
def m0004_points(db: Database) -> None:
    """党员积分: rule sets per year, the ledger (no UPDATE, no DELETE: triggers), its sums
    per member, item and quarter (kept by an insert trigger: the ledger only grows, so they
    cannot drift), printed 公示; and the roster events 离退休 and 流动, which need
    member_event's CHECK rebuilt the SQLite way (new table, copy, drop, rename)."""
    # Statements end with ";" at a line's end (a trigger's inner ";" does not).
    for statement in _SCHEMA_0004.split(";\n"):
        if statement.strip():
            db.execute(statement)


_SCHEMA_0004 = """
CREATE TABLE member_event_0004 (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES member(id) ON DELETE CASCADE,
    kind TEXT NOT NULL
        CHECK (kind IN ('转入', '转出', '转正', '留党察看', '出党', '去世', '停止党籍',
                        '离退休', '流动')),
    date TEXT NOT NULL CHECK (date(date) = date),
    end_date TEXT CHECK (end_date IS NULL OR (date(end_date) = end_date AND end_date >= date)),
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT (datetime('now'))
) STRICT;
INSERT INTO member_event_0004 (id, member_id, kind, date, end_date, note, created_at)
    SELECT id, member_id, kind, date, end_date, note, created_at FROM member_event;
DROP TABLE member_event;
ALTER TABLE member_event_0004 RENAME TO member_event;
CREATE INDEX member_event_member ON member_event(member_id, date);
CREATE TABLE points_scheme (
    year INTEGER PRIMARY KEY CHECK (year BETWEEN 1921 AND 2200),
    rules TEXT NOT NULL CHECK (json_valid(rules)),
    template TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT (datetime('now'))
) STRICT;
CREATE TABLE points_entry (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES member(id),
    date TEXT NOT NULL CHECK (date(date) = date),
    item TEXT NOT NULL CHECK (length(trim(item)) > 0),
    category TEXT NOT NULL CHECK (category IN ('基础', '加分', '扣分', '一票否决')),
    points INTEGER NOT NULL,
    count INTEGER NOT NULL CHECK (count <> 0),
    reason TEXT NOT NULL DEFAULT '',
    meeting_id INTEGER,
    entered_by TEXT NOT NULL DEFAULT '',
    entered_at TEXT NOT NULL DEFAULT (datetime('now')),
    reverses INTEGER UNIQUE REFERENCES points_entry(id)
) STRICT;
-- Covers a period's totals (sum per member and item) without touching the table.
CREATE INDEX points_entry_date ON points_entry(date, member_id, item, category, points, count);
CREATE INDEX points_entry_member ON points_entry(member_id, date);
CREATE INDEX points_entry_meeting ON points_entry(meeting_id) WHERE meeting_id IS NOT NULL;
CREATE TRIGGER points_entry_no_update BEFORE UPDATE ON points_entry
BEGIN SELECT RAISE(ABORT, '积分明细不能修改，请登记一条冲销记录'); END;
CREATE TRIGGER points_entry_no_delete BEFORE DELETE ON points_entry
BEGIN SELECT RAISE(ABORT, '积分明细不能删除，请登记一条冲销记录'); END;
CREATE TABLE points_sum (
    quarter TEXT NOT NULL,
    member_id INTEGER NOT NULL,
    item TEXT NOT NULL,
    category TEXT NOT NULL,
    value INTEGER NOT NULL,
    occurrences INTEGER NOT NULL,
    PRIMARY KEY (quarter, member_id, item, category)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER points_entry_sum AFTER INSERT ON points_entry
BEGIN
    INSERT INTO points_sum (quarter, member_id, item, category, value, occurrences)
    VALUES (substr(NEW.date, 1, 4) || 'Q' || ((CAST(substr(NEW.date, 6, 2) AS INTEGER) + 2) / 3),
            NEW.member_id, NEW.item, NEW.category, NEW.points * NEW.count, NEW.count)
    ON CONFLICT (quarter, member_id, item, category) DO UPDATE
    SET value = value + excluded.value, occurrences = occurrences + excluded.occurrences; END;
CREATE TABLE points_notice (
    id INTEGER PRIMARY KEY,
    period TEXT NOT NULL,
    date_from TEXT NOT NULL CHECK (date(date_from) = date_from),
    date_to TEXT NOT NULL CHECK (date(date_to) = date_to AND date_to >= date_from),
    printed_at TEXT NOT NULL DEFAULT (datetime('now'))
) STRICT;
CREATE INDEX points_notice_period ON points_notice(period)
"""


@migrations(name="0005_roster_corrections")
def m0005_roster_corrections(db: Database) -> None:
    """延长预备期 as an event kind and the 转正 override flag (the kind list is a CHECK, so
    member_event is rebuilt, keeping every id); the corrections audit trail; start and end
    dates of 党小组; effective-dated group membership seeded from today's groups; the
    search key of every member gains the full pinyin ("zs" → "zs zhangsan")."""
    from branchdesk.domain.names import search_key

    for statement in _SCHEMA_0005.split(";\n"):
        if statement.strip():
            db.execute(statement)
    rows = db.execute("SELECT id, name FROM member").fetchall()
    db.conn.executemany(
        "UPDATE member SET pinyin = ? WHERE id = ?", [(search_key(n), i) for i, n in rows]
    )


_SCHEMA_0005 = """
CREATE TABLE member_event_0005 (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES member(id) ON DELETE CASCADE,
    kind TEXT NOT NULL
        CHECK (kind IN ('转入', '转出', '转正', '延长预备期', '留党察看', '出党', '去世',
                        '停止党籍', '离退休', '流动')),
    date TEXT NOT NULL CHECK (date(date) = date),
    end_date TEXT CHECK (end_date IS NULL OR (date(end_date) = end_date AND end_date >= date)),
    note TEXT NOT NULL DEFAULT '',
    override INTEGER NOT NULL DEFAULT 0 CHECK (override IN (0, 1)),
    created_at TEXT NOT NULL DEFAULT (datetime('now'))
) STRICT;
INSERT INTO member_event_0005 (id, member_id, kind, date, end_date, note, created_at)
    SELECT id, member_id, kind, date, end_date, note, created_at FROM member_event;
DROP TABLE member_event;
ALTER TABLE member_event_0005 RENAME TO member_event;
CREATE INDEX member_event_member ON member_event(member_id, date);
CREATE TABLE member_event_correction (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL,
    member_id INTEGER NOT NULL REFERENCES member(id) ON DELETE CASCADE,
    action TEXT NOT NULL CHECK (action IN ('更正', '删除', '结束察看')),
    before TEXT NOT NULL,
    after TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    made_at TEXT NOT NULL DEFAULT (datetime('now', 'localtime'))
) STRICT;
CREATE INDEX member_event_correction_member ON member_event_correction(member_id);
ALTER TABLE party_group ADD COLUMN
    start_date TEXT CHECK (start_date IS NULL OR date(start_date) = start_date);
ALTER TABLE party_group ADD COLUMN
    end_date TEXT CHECK (end_date IS NULL OR date(end_date) = end_date);
CREATE TABLE group_membership (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES member(id) ON DELETE CASCADE,
    group_id INTEGER NOT NULL REFERENCES party_group(id) ON DELETE CASCADE,
    start_date TEXT CHECK (start_date IS NULL OR date(start_date) = start_date),
    end_date TEXT CHECK (end_date IS NULL OR date(end_date) = end_date)
) STRICT;
CREATE INDEX group_membership_member ON group_membership(member_id);
INSERT INTO group_membership (member_id, group_id)
    SELECT id, group_id FROM member WHERE group_id IS NOT NULL
"""


def known_names() -> list[str]:
    return migrations.names()


@migrations(name="0006_talks")
def m0006_talks(db: Database) -> None:
    for statement in _SCHEMA_0006.split(";\n"):
        if statement.strip():
            db.execute(statement)


# 谈心谈话, 民主评议党员 and the 组织生活会 cycle. What is typed into the talk form is kept in
# the book's draft table (0003) and deleted with its talk by a trigger: talk contents are
# never written to a file of their own. Statements are split at ";" + newline, so each
# trigger body stays on one line.
_SCHEMA_0006 = """
CREATE TABLE talk (
    id INTEGER PRIMARY KEY,
    date TEXT NOT NULL CHECK (date(date) = date),
    year INTEGER NOT NULL CHECK (year BETWEEN 1921 AND 2200),
    kind TEXT NOT NULL CHECK (length(trim(kind)) > 0),
    topic TEXT NOT NULL DEFAULT '',
    place TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    views TEXT NOT NULL DEFAULT '',
    follow_up TEXT NOT NULL DEFAULT '',
    result TEXT NOT NULL DEFAULT '',
    result_date TEXT CHECK (result_date IS NULL OR date(result_date) = result_date),
    created_at TEXT NOT NULL DEFAULT (datetime('now')),
    updated_at TEXT NOT NULL DEFAULT (datetime('now'))
) STRICT;
CREATE INDEX talk_date ON talk(date);
CREATE INDEX talk_year ON talk(year);
CREATE TABLE talk_person (
    talk_id INTEGER NOT NULL REFERENCES talk(id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES member(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('谈话人', '谈话对象')),
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (talk_id, member_id)
) STRICT;
CREATE INDEX talk_person_member ON talk_person(member_id);
CREATE TABLE talk_attachment (
    id INTEGER PRIMARY KEY,
    talk_id INTEGER NOT NULL REFERENCES talk(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    mime TEXT NOT NULL DEFAULT '',
    data BLOB NOT NULL,
    created_at TEXT NOT NULL DEFAULT (datetime('now'))
) STRICT;
CREATE TRIGGER talk_drafts_go_with_it AFTER DELETE ON talk
BEGIN DELETE FROM draft WHERE key = 'talk-' || old.id; END;
CREATE TABLE appraisal (
    year INTEGER PRIMARY KEY CHECK (year BETWEEN 1921 AND 2200),
    date TEXT NOT NULL CHECK (date(date) = date),
    issued INTEGER NOT NULL DEFAULT 0 CHECK (issued >= 0),
    returned INTEGER NOT NULL DEFAULT 0 CHECK (returned >= 0 AND returned <= issued)
) STRICT;
CREATE TABLE appraisal_step (
    year INTEGER NOT NULL REFERENCES appraisal(year) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT '未开始' CHECK (state IN ('未开始', '进行中', '已完成')),
    date TEXT CHECK (date IS NULL OR date(date) = date),
    note TEXT NOT NULL DEFAULT '',
    meeting_id INTEGER REFERENCES meeting(id) ON DELETE SET NULL,
    PRIMARY KEY (year, name)
) STRICT;
CREATE TABLE appraisal_exclusion (
    year INTEGER NOT NULL REFERENCES appraisal(year) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES member(id) ON DELETE CASCADE,
    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    PRIMARY KEY (year, member_id)
) STRICT;
CREATE TABLE appraisal_result (
    year INTEGER NOT NULL REFERENCES appraisal(year) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES member(id) ON DELETE CASCADE,
    excellent INTEGER NOT NULL DEFAULT 0 CHECK (excellent >= 0),
    qualified INTEGER NOT NULL DEFAULT 0 CHECK (qualified >= 0),
    basic INTEGER NOT NULL DEFAULT 0 CHECK (basic >= 0),
    unqualified INTEGER NOT NULL DEFAULT 0 CHECK (unqualified >= 0),
    proposed TEXT NOT NULL DEFAULT ''
        CHECK (proposed IN ('', '优秀', '合格', '基本合格', '不合格')),
    final TEXT NOT NULL DEFAULT '' CHECK (final IN ('', '优秀', '合格', '基本合格', '不合格')),
    handling TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    decided_on TEXT CHECK (decided_on IS NULL OR date(decided_on) = decided_on),
    PRIMARY KEY (year, member_id)
) STRICT;
CREATE TRIGGER appraisal_result_within_returned_insert
BEFORE INSERT ON appraisal_result
WHEN NEW.excellent + NEW.qualified + NEW.basic + NEW.unqualified
     > (SELECT returned FROM appraisal WHERE year = NEW.year)
BEGIN SELECT RAISE(ABORT, '票数合计超过收回的测评表张数'); END;
CREATE TRIGGER appraisal_result_within_returned_update
BEFORE UPDATE ON appraisal_result
WHEN NEW.excellent + NEW.qualified + NEW.basic + NEW.unqualified
     > (SELECT returned FROM appraisal WHERE year = NEW.year)
BEGIN SELECT RAISE(ABORT, '票数合计超过收回的测评表张数'); END;
CREATE TABLE life_opinion (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL CHECK (year BETWEEN 1921 AND 2200),
    date TEXT CHECK (date IS NULL OR date(date) = date),
    source TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL CHECK (length(trim(text)) > 0)
) STRICT;
CREATE TABLE life_review (
    year INTEGER NOT NULL CHECK (year BETWEEN 1921 AND 2200),
    member_id INTEGER NOT NULL REFERENCES member(id) ON DELETE CASCADE,
    received INTEGER NOT NULL CHECK (received IN (0, 1)),
    date TEXT CHECK (date IS NULL OR date(date) = date),
    PRIMARY KEY (year, member_id)
) STRICT;
CREATE TABLE rectification (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL CHECK (year BETWEEN 1921 AND 2200),
    problem TEXT NOT NULL CHECK (length(trim(problem)) > 0),
    measures TEXT NOT NULL DEFAULT '',
    owner TEXT NOT NULL DEFAULT '',
    due TEXT CHECK (due IS NULL OR date(due) = due),
    status TEXT NOT NULL DEFAULT '未开始' CHECK (status IN ('未开始', '整改中', '已完成')),
    completion TEXT NOT NULL DEFAULT ''
) STRICT
"""


@migrations(name="0007_archive")
def m0007_archive(db: Database) -> None:
    for statement in _SCHEMA_0007.split(";\n--\n"):
        if statement.strip():
            db.execute(statement)


# The filing log is the truth: a year is filed when its newest log row says 归档.
# `archive_filed` is kept by the log's own trigger so the lock triggers of every area
# (store/archive.py) look a year up by its primary key. Logs are append-only.
_SCHEMA_0007 = """
CREATE TABLE archive_filing (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL CHECK (year BETWEEN 1921 AND 2200),
    action TEXT NOT NULL CHECK (action IN ('归档', '撤销归档')),
    reason TEXT NOT NULL DEFAULT '',
    who TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL DEFAULT (datetime('now', 'localtime')),
    items TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(items)),
    CHECK (action = '归档' OR length(trim(reason)) > 0)
) STRICT;
--
CREATE INDEX archive_filing_year ON archive_filing(year, id);
--
CREATE TABLE archive_filed (
    year INTEGER PRIMARY KEY,
    filing_id INTEGER NOT NULL REFERENCES archive_filing(id)
) STRICT;
--
CREATE TRIGGER archive_filing_no_update BEFORE UPDATE ON archive_filing
BEGIN SELECT RAISE(ABORT, '归档记录只能追加，不能修改'); END;
--
CREATE TRIGGER archive_filing_no_delete BEFORE DELETE ON archive_filing
BEGIN SELECT RAISE(ABORT, '归档记录只能追加，不能删除'); END;
--
CREATE TRIGGER archive_filing_twice BEFORE INSERT ON archive_filing
WHEN (NEW.action = '归档') = EXISTS (SELECT 1 FROM archive_filed WHERE year = NEW.year)
BEGIN SELECT RAISE(ABORT, '已归档的年度不能再归档，未归档的年度不能撤销归档'); END;
--
CREATE TRIGGER archive_filing_apply AFTER INSERT ON archive_filing
BEGIN
    DELETE FROM archive_filed WHERE year = NEW.year;
    INSERT INTO archive_filed (year, filing_id) SELECT NEW.year, NEW.id WHERE NEW.action = '归档';
END;
--
CREATE TRIGGER archive_filed_insert BEFORE INSERT ON archive_filed
WHEN NEW.filing_id IS NOT (SELECT max(id) FROM archive_filing WHERE year = NEW.year)
  OR (SELECT action FROM archive_filing WHERE id = NEW.filing_id) IS NOT '归档'
BEGIN SELECT RAISE(ABORT, '归档只能通过归档记录进行'); END;
--
CREATE TRIGGER archive_filed_delete BEFORE DELETE ON archive_filed
WHEN OLD.filing_id = (SELECT max(id) FROM archive_filing WHERE year = OLD.year)
BEGIN SELECT RAISE(ABORT, '撤销归档须写明原因并记录在案'); END;
--
CREATE TRIGGER archive_filed_update BEFORE UPDATE ON archive_filed
BEGIN SELECT RAISE(ABORT, '归档只能通过归档记录进行'); END;
--
CREATE TABLE archive_audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL DEFAULT (datetime('now', 'localtime')),
    who TEXT NOT NULL DEFAULT '',
    area TEXT NOT NULL,
    tbl TEXT NOT NULL,
    row_id INTEGER,
    action TEXT NOT NULL CHECK (action IN ('新增', '修改', '删除')),
    old TEXT CHECK (old IS NULL OR json_valid(old)),
    new TEXT CHECK (new IS NULL OR json_valid(new))
) STRICT;
--
CREATE INDEX archive_audit_at ON archive_audit(at);
--
CREATE TRIGGER archive_audit_no_update BEFORE UPDATE ON archive_audit
BEGIN SELECT RAISE(ABORT, '修改记录只能追加，不能修改'); END;
--
CREATE TRIGGER archive_audit_no_delete BEFORE DELETE ON archive_audit
BEGIN SELECT RAISE(ABORT, '修改记录只能追加，不能删除'); END;
--
CREATE TABLE archive_correction (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    record_id INTEGER NOT NULL,
    record_year INTEGER NOT NULL,
    record_label TEXT NOT NULL DEFAULT '',
    field TEXT NOT NULL,
    field_label TEXT NOT NULL,
    original TEXT NOT NULL,
    corrected TEXT NOT NULL CHECK (length(trim(corrected)) > 0),
    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    date TEXT NOT NULL CHECK (date(date) = date),
    approved_by TEXT NOT NULL CHECK (length(trim(approved_by)) > 0),
    who TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT (datetime('now', 'localtime'))
) STRICT;
--
CREATE INDEX archive_correction_record ON archive_correction(kind, record_id);
--
CREATE TRIGGER archive_correction_no_update BEFORE UPDATE ON archive_correction
BEGIN SELECT RAISE(ABORT, '更正一经写入不能修改；如有错误，请再写一条更正'); END;
--
CREATE TRIGGER archive_correction_no_delete BEFORE DELETE ON archive_correction
BEGIN SELECT RAISE(ABORT, '更正一经写入不能删除；如有错误，请再写一条更正'); END
"""
