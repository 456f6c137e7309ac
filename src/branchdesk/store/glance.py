"""What the window's first picture shows, in SQL: the branch's name, the 工作台's counts.

Kept apart from `store.roster` and `store.branch` so that the first paint needs neither
the members' nor the branch's domain model (their import costs ~8 ms at start-up). The
values are the domain's own (`Category`, `EventKind`); `store.roster` checks at import
that they still are, and tests/test_store_counts.py holds every figure equal to the one
the domain model gives (`Member.belongs_on`, `CommitteePost.serving_on`,
`PartyGroup.exists_on`).
"""

from __future__ import annotations

import datetime as dt

from branchdesk.store.database import Database

#: The values of `Category.FULL` and of the `EventKind`s that move a member onto or off
#: the roll (转入; the `LEAVING_KINDS`).
FULL = "正式党员"
TRANSFER_IN = "转入"
LEAVING = {"out": "转出", "expelled": "出党", "died": "去世", "stopped": "停止党籍"}

#: Everyone on the roll on :day — `Member.belongs_on` in SQL: the last move (转入, or a
#: leaving event) on or before the day decides; without one, a history that starts with a
#: 转入 is not yet in, else the member is in from the 入党日期. ``full``: `category_on`;
#: ``entered``: the last 转入 on or before the day, else the 入党日期 (`entered_on`).
ON_ROLL_SQL = """
    WITH moves AS (
        SELECT member_id, kind,
               row_number() OVER (PARTITION BY member_id ORDER BY date, id) AS n_first,
               CASE WHEN date <= :day THEN row_number() OVER (
                   PARTITION BY member_id, date <= :day ORDER BY date DESC, id DESC)
               END AS n_last
        FROM member_event WHERE kind IN (:transfer_in, :out, :expelled, :died, :stopped)
    )
    SELECT m.id,
           CASE WHEN m.full_date IS NOT NULL THEN m.full_date <= :day
                ELSE m.category = :full END AS full,
           coalesce((SELECT max(e.date) FROM member_event e WHERE e.member_id = m.id
                     AND e.kind = :transfer_in AND e.date <= :day), m.join_date) AS entered
    FROM member m
    LEFT JOIN moves l ON l.member_id = m.id AND l.n_last = 1
    LEFT JOIN moves f ON f.member_id = m.id AND f.n_first = 1
    WHERE CASE WHEN l.kind IS NOT NULL THEN l.kind = :transfer_in
               WHEN f.kind = :transfer_in THEN 0
               ELSE m.join_date IS NULL OR m.join_date <= :day END
"""


def on_roll_args(day: dt.date) -> dict[str, str]:
    return {"day": day.isoformat(), "transfer_in": TRANSFER_IN, "full": FULL, **LEAVING}


def counts_on(db: Database, day: dt.date) -> tuple[int, int]:
    """(on the roll, of whom 正式党员) on ``day``."""
    row = db.execute(
        f"SELECT count(*), coalesce(sum(full), 0) FROM ({ON_ROLL_SQL})", on_roll_args(day)
    ).fetchone()
    return int(row[0]), int(row[1])


def _meta(db: Database, key: str) -> str:
    row = db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return str(row[0]) if row else ""


def title(db: Database) -> tuple[str, bool]:
    """(the branch's name, a demo book?) — `BranchRepo.profile().name`, `is_demo()`."""
    return _meta(db, "branch_name"), _meta(db, "demo") == "1"


class Glance:
    """The 工作台's facts on a day (a plain class: a dataclass costs ~0.5 ms to define)."""

    __slots__ = ("name", "parent_org", "on_roll", "full", "committee", "groups")

    def __init__(
        self, name: str, parent_org: str, on_roll: int, full: int, committee: int, groups: int
    ) -> None:
        self.name = name
        self.parent_org = parent_org
        self.on_roll = on_roll  # on the roll
        self.full = full  # of whom 正式党员
        self.committee = committee  # committee posts serving
        self.groups = groups  # 党小组 existing


def at_a_glance(db: Database, day: dt.date) -> Glance:
    """The 工作台's facts on ``day``."""
    on_roll, full = counts_on(db, day)
    iso = day.isoformat()
    committee = db.execute(
        "SELECT count(*) FROM committee_post c JOIN member m ON m.id = c.member_id"
        " WHERE (coalesce(c.term_start, '') = '' OR c.term_start <= :day)"
        " AND (coalesce(c.term_end, '') = '' OR :day <= c.term_end)",
        {"day": iso},
    ).fetchone()[0]
    groups = db.execute(
        "SELECT count(*) FROM party_group"
        " WHERE (coalesce(start_date, '') = '' OR start_date <= :day)"
        " AND (coalesce(end_date, '') = '' OR :day <= end_date)",
        {"day": iso},
    ).fetchone()[0]
    return Glance(
        _meta(db, "branch_name"),
        _meta(db, "parent_org"),
        on_roll,
        full,
        int(committee),
        int(groups),
    )
