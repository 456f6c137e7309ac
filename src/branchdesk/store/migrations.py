"""Schema migrations. Never edit a shipped migration: add a new one.

Each migration runs in one transaction together with its record in `_sqlite_migrations`
(sqlite-utils `Migrations`), so an upgrade is applied whole or not at all.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

MIGRATION_SET = "branchdesk"
#: PRAGMA application_id written into every book: "BDK1". A SQLite file without it is
#: not ours and is refused rather than written to.
APPLICATION_ID = 0x42444B31

migrations = Migrations(MIGRATION_SET)


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


def known_names() -> list[str]:
    return [m.name for m in migrations._migrations]


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
