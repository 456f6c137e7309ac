"""The talk book (谈心谈话): talks with their people and attachments, the talk form's
drafts (kept inside the book, never in a file of their own), and the area's settings.

Talk contents are the most sensitive text in the book: nothing here logs them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from branchdesk.domain.talks import (
    DEFAULT_KINDS,
    FIXED_KINDS,
    CoverageRules,
    DueRules,
    Talk,
    talk_problems,
)
from branchdesk.store.convert import from_date, insert_row, to_date
from branchdesk.store.database import Database
from branchdesk.store.errors import InputError
from branchdesk.store.settings import SettingsRepo
from branchdesk.store.tx import Writer

TALKER, OTHER = "谈话人", "谈话对象"
_COLUMNS = ("date", "year", "kind", "topic", "place", "summary", "views", "follow_up",
            "result", "result_date")  # fmt: skip


@dataclass(frozen=True)
class AttachmentInfo:
    id: int
    name: str
    mime: str
    size: int


def _talk(row: dict[str, Any], people: dict[int, dict[str, list[int]]]) -> Talk:
    mine = people.get(row["id"], {})
    day = dt.date.fromisoformat(row["date"])
    return Talk(
        date=day,
        talkers=tuple(mine.get(TALKER, ())),
        others=tuple(mine.get(OTHER, ())),
        kind=row["kind"],
        topic=row["topic"],
        place=row["place"],
        summary=row["summary"],
        views=row["views"],
        follow_up=row["follow_up"],
        result=row["result"],
        result_date=to_date(row["result_date"]),
        year=row["year"] if row["year"] != day.year else None,
        id=row["id"],
    )


class TalksRepo:
    def __init__(self, db: Database, writer: Writer) -> None:
        self.db = db
        self.writer = writer
        self.settings = SettingsRepo(db, writer)

    # -- settings -------------------------------------------------------------------------
    def kinds(self) -> list[str]:
        """The editable list of talk kinds (设置 → 谈心谈话); the rules' own kinds stay in it."""
        raw = self.settings.get("talks.kinds")
        kinds = [k for k in json.loads(raw) if isinstance(k, str) and k.strip()] if raw else []
        kinds = kinds or list(DEFAULT_KINDS)
        return kinds + [k for k in FIXED_KINDS if k not in kinds]

    def set_kinds(self, kinds: Sequence[str]) -> None:
        cleaned = list(dict.fromkeys(k.strip() for k in kinds if k.strip()))
        if not cleaned:
            raise InputError("谈话类型：至少保留一种")
        self.settings.set("talks.kinds", json.dumps(cleaned, ensure_ascii=False))

    def rules(self) -> CoverageRules:
        get = self.settings.get
        return CoverageRules(
            minimum=int(get("talks.minimum", "1")),
            secretary_with_all=get("talks.secretary_with_all", "1") == "1",
            committee_with_each_other=get("talks.committee_with_each_other", "1") == "1",
            committee_with_members=get("talks.committee_with_members", "0") == "1",
        )

    def set_rules(self, rules: CoverageRules) -> None:
        with self.writer.write("settings"):
            self.settings.set("talks.minimum", str(rules.minimum))
            for key in ("secretary_with_all", "committee_with_each_other",
                        "committee_with_members"):  # fmt: skip
                self.settings.set(f"talks.{key}", "1" if getattr(rules, key) else "0")

    def due_rules(self) -> DueRules:
        base = DueRules()
        values = {
            key: int(self.settings.get(f"talks.due.{key}", str(getattr(base, key))))
            for key in ("transfer_in", "confirmation", "discipline", "feedback", "horizon")
        }
        return DueRules(**values)

    def set_due_days(self, key: str, days: int) -> None:
        if days < 1 or days > 366:
            raise InputError("天数：应在 1 到 366 之间")
        if not hasattr(DueRules(), key):
            raise InputError(f"未知的设置：{key}")
        self.settings.set(f"talks.due.{key}", str(days))

    # -- talks ----------------------------------------------------------------------------
    def _people(
        self, where: str = "", params: Sequence[object] = ()
    ) -> dict[int, dict[str, list[int]]]:
        out: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        for talk_id, member_id, role in self.db.execute(
            "SELECT p.talk_id, p.member_id, p.role FROM talk_person p"
            f" JOIN talk t ON t.id = p.talk_id {where} ORDER BY p.talk_id, p.position",
            list(params),
        ):
            out[talk_id][role].append(member_id)
        return out

    def talks(self, year: int | None = None) -> list[Talk]:
        """Talks of 所属年度 ``year`` (normally the year of their date), or all, oldest first."""
        where, params = "", []
        if year is not None:
            where, params = "WHERE t.year = ?", [year]
        people = self._people(where, params)
        rows = self.db.query(f"SELECT t.* FROM talk t {where} ORDER BY t.date, t.id", params)
        return [_talk(r, people) for r in rows]

    def outlines(
        self,
        year: int | None = None,
        *,
        kinds: Iterable[str] | None = None,
        since: dt.date | None = None,
    ) -> list[Talk]:
        """Talks of 所属年度 ``year`` (or all; only of ``kinds``; only held on or after
        ``since``) without their long texts (要点, 意见, 措施, 落实): what the due talks and
        the list need. One query."""
        where: list[str] = []
        params: list[object] = []
        if year is not None:
            where.append("t.year = ?")
            params.append(year)
        if kinds is not None:
            wanted = list(kinds)
            where.append(f"t.kind IN ({', '.join('?' * len(wanted))})" if wanted else "0")
            params += wanted
        if since is not None:
            where.append("t.date >= ?")
            params.append(since.isoformat())
        rows = self.db.execute(
            "SELECT t.id, t.date, t.year, t.kind, t.topic, t.place, p.member_id, p.role"
            " FROM talk t JOIN talk_person p ON p.talk_id = t.id"
            + (f" WHERE {' AND '.join(where)}" if where else "")
            + " ORDER BY t.date, t.id, p.role, p.position",
            params,
        )
        out: list[Talk] = []
        current: int | None = None
        head: tuple[Any, ...] = ()
        talkers: list[int] = []
        others: list[int] = []

        def flush() -> None:
            talk_id, day, talk_year, kind, topic, place = head
            date = dt.date.fromisoformat(day)
            own_year = talk_year if talk_year != date.year else None
            out.append(Talk(date, tuple(talkers), tuple(others), kind, topic, place,
                            year=own_year, id=talk_id))  # fmt: skip

        for talk_id, day, talk_year, kind, topic, place, member_id, role in rows:
            if talk_id != current:
                if current is not None:
                    flush()
                current, head = talk_id, (talk_id, day, talk_year, kind, topic, place)
                talkers, others = [], []
            (talkers if role == TALKER else others).append(member_id)
        if current is not None:
            flush()
        return out

    def pair_counts(
        self, year: int, *, kind: str | None = None, until: dt.date | None = None
    ) -> dict[frozenset[int], int]:
        """Talks per pair (谈话人 with 谈话对象, both ways) of 所属年度 ``year``, counted by
        SQLite: what the coverage matrix needs of a year of talks, without loading them."""
        where: list[str] = ["t.year = ?"]
        params: list[object] = [year]
        if kind is not None:
            where.append("t.kind = ?")
            params.append(kind)
        if until is not None:
            where.append("t.date <= ?")
            params.append(until.isoformat())
        out: dict[frozenset[int], int] = {}
        for a, b, n in self.db.execute(
            "SELECT a.member_id, b.member_id, count(*) FROM talk t"
            " JOIN talk_person a ON a.talk_id = t.id AND a.role = '谈话人'"
            " JOIN talk_person b ON b.talk_id = t.id AND b.role = '谈话对象'"
            f" WHERE {' AND '.join(where)} GROUP BY a.member_id, b.member_id",
            params,
        ):
            key = frozenset((a, b))
            out[key] = out.get(key, 0) + n
        return out

    def last_held(self, wanted: Iterable[tuple[int, str]]) -> dict[tuple[int, str], dt.date]:
        """The latest talk of each (member, kind) asked for, the member on either side."""
        pairs = set(wanted)
        if not pairs:
            return {}
        members = sorted({m for m, _ in pairs})
        kinds = sorted({k for _, k in pairs})
        out: dict[tuple[int, str], dt.date] = {}
        for mid, kind, day in self.db.execute(
            "SELECT p.member_id, t.kind, max(t.date) FROM talk t"
            " JOIN talk_person p ON p.talk_id = t.id"
            f" WHERE p.member_id IN ({', '.join('?' * len(members))})"
            f" AND t.kind IN ({', '.join('?' * len(kinds))}) GROUP BY p.member_id, t.kind",
            [*members, *kinds],
        ):
            if (mid, kind) in pairs:
                out[(mid, kind)] = dt.date.fromisoformat(day)
        return out

    def get(self, talk_id: int) -> Talk:
        rows = list(self.db.query("SELECT t.* FROM talk t WHERE t.id = ?", [talk_id]))
        if not rows:
            raise KeyError(talk_id)
        return _talk(rows[0], self._people("WHERE t.id = ?", [talk_id]))

    def years(self) -> list[int]:
        return [
            int(r[0]) for r in self.db.execute("SELECT DISTINCT year FROM talk ORDER BY year DESC")
        ]

    def _member_ids(self) -> set[int]:
        return {r[0] for r in self.db.execute("SELECT id FROM member")}

    def save(self, talk: Talk) -> int:
        """Insert or update one talk with its people, atomically; refuses with every
        problem named."""
        return self._save(talk, self.kinds(), self._member_ids())

    def _save(self, talk: Talk, kinds: Sequence[str], known: set[int]) -> int:
        if talk.id is not None:
            # A kind taken off the list since stays valid for the talks recorded with it.
            row = self.db.execute("SELECT kind FROM talk WHERE id = ?", [talk.id]).fetchone()
            kinds = [*kinds, row[0]] if row else kinds
        problems = talk_problems(talk, kinds)
        unknown = [i for i in (*talk.talkers, *talk.others) if i not in known]
        if unknown:
            problems.append(f"谈话人或谈话对象：账簿中没有编号为 {unknown[0]} 的党员")
        if problems:
            raise InputError("；".join(problems))
        row = {
            "date": talk.date.isoformat(),
            "year": talk.belongs_to_year,
            "kind": talk.kind.strip(),
            "topic": talk.topic.strip(),
            "place": talk.place.strip(),
            "summary": talk.summary,
            "views": talk.views,
            "follow_up": talk.follow_up,
            "result": talk.result,
            "result_date": from_date(talk.result_date),
        }
        with self.writer.write("talks", talk.id) as changed:
            if talk.id is None:
                talk_id = insert_row(self.db, "talk", row)
                changed.add(talk_id)
            else:
                talk_id = talk.id
                cur = self.db.execute(
                    "UPDATE talk SET "
                    + ", ".join(f"{c} = ?" for c in _COLUMNS)
                    + ", updated_at = datetime('now') WHERE id = ?",
                    [*row.values(), talk_id],
                )
                if cur.rowcount == 0:
                    raise InputError(f"没有编号为 {talk_id} 的谈话记录（可能已被删除）")
                self.db.execute("DELETE FROM talk_person WHERE talk_id = ?", [talk_id])
            for role, ids in ((TALKER, talk.talkers), (OTHER, talk.others)):
                for pos, mid in enumerate(dict.fromkeys(ids)):
                    self.db.execute(
                        "INSERT INTO talk_person(talk_id, member_id, role, position)"
                        " VALUES (?, ?, ?, ?)",
                        [talk_id, mid, role, pos],
                    )
        return talk_id

    def save_many(self, talks: Iterable[Talk]) -> list[int]:
        """Several talks in one transaction (an import, the demo): all or none."""
        with self.writer.write("talks"):
            kinds, known = self.kinds(), self._member_ids()
            return [self._save(t, kinds, known) for t in talks]

    def delete(self, talk_id: int) -> None:
        with self.writer.write("talks", talk_id):
            self.db.execute("DELETE FROM talk WHERE id = ?", [talk_id])

    # -- attachments ----------------------------------------------------------------------
    def attachments(self, talk_id: int) -> list[AttachmentInfo]:
        return [
            AttachmentInfo(r[0], r[1], r[2], r[3])
            for r in self.db.execute(
                "SELECT id, name, mime, length(data) FROM talk_attachment WHERE talk_id = ?"
                " ORDER BY id",
                [talk_id],
            )
        ]

    def add_attachment(self, talk_id: int, name: str, data: bytes, mime: str = "") -> int:
        with self.writer.write("talks", talk_id):
            return insert_row(
                self.db,
                "talk_attachment",
                {"talk_id": talk_id, "name": name, "mime": mime, "data": data},
            )

    def attachment_data(self, attachment_id: int) -> bytes:
        row = self.db.execute(
            "SELECT data FROM talk_attachment WHERE id = ?", [attachment_id]
        ).fetchone()
        if row is None:
            raise KeyError(attachment_id)
        return bytes(row[0])

    def delete_attachment(self, attachment_id: int) -> None:
        with self.writer.write("talks"):
            self.db.execute("DELETE FROM talk_attachment WHERE id = ?", [attachment_id])
