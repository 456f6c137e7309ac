"""民主评议党员 sessions (one a year: steps, ballots, tallies, ratings) and the 组织生活会
cycle (征求意见, 检视材料, 整改清单). Writes publish changes of the "talks" area, whose
page shows them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from branchdesk.domain.appraisal import (
    BASIC,
    DEFAULT_EXCELLENT_SHARE,
    EXCELLENT,
    QUALIFIED,
    STEP_STATES,
    STEPS,
    UNQUALIFIED,
    MemberResult,
    Opinion,
    Participant,
    Rating,
    Rectification,
    Review,
    Session,
    Step,
    Tally,
    ballot_problems,
    parse_share,
    participants,
    rating_problems,
    rectification_problems,
    tally_problems,
)
from branchdesk.store.convert import from_date, insert_row, to_date
from branchdesk.store.database import Database
from branchdesk.store.errors import InputError
from branchdesk.store.roster import RosterRepo
from branchdesk.store.settings import SettingsRepo
from branchdesk.store.tx import Writer

AREA = "talks"
_COUNT_COLUMNS = {EXCELLENT: "excellent", QUALIFIED: "qualified", BASIC: "basic",
                  UNQUALIFIED: "unqualified"}  # fmt: skip


class AppraisalRepo:
    def __init__(self, db: Database, writer: Writer) -> None:
        self.db = db
        self.writer = writer
        self.settings = SettingsRepo(db, writer)
        self.roster = RosterRepo(db, writer)

    # -- settings -------------------------------------------------------------------------
    def excellent_share(self) -> Fraction:
        raw = self.settings.get("appraisal.excellent_share")
        try:
            return parse_share(raw) if raw else DEFAULT_EXCELLENT_SHARE
        except ValueError:
            return DEFAULT_EXCELLENT_SHARE

    def set_excellent_share(self, text: str) -> None:
        try:
            share = parse_share(text)
        except ValueError as exc:
            raise InputError(str(exc)) from None
        self.settings.set("appraisal.excellent_share", f"{share.numerator}/{share.denominator}")

    # -- sessions -------------------------------------------------------------------------
    def years(self) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT year FROM appraisal ORDER BY year DESC")]

    def start(self, year: int, date: dt.date) -> None:
        """Open the session of ``year`` held on ``date`` with its steps, all 未开始."""
        if abs(date.year - year) > 1:
            raise InputError(f"评议日期：{date.isoformat()} 与年度 {year} 相差太远")
        with self.writer.write(AREA):
            if self.db.execute("SELECT 1 FROM appraisal WHERE year = ?", [year]).fetchone():
                raise InputError(f"{year}年度的民主评议已经开始，不能重复开始")
            self.db.execute(
                "INSERT INTO appraisal(year, date) VALUES (?, ?)", [year, date.isoformat()]
            )
            for pos, name in enumerate(STEPS):
                self.db.execute(
                    "INSERT INTO appraisal_step(year, position, name) VALUES (?, ?, ?)",
                    [year, pos, name],
                )

    def session(self, year: int) -> Session:
        row = self.db.execute(
            "SELECT date, issued, returned FROM appraisal WHERE year = ?", [year]
        ).fetchone()
        if row is None:
            raise KeyError(year)
        steps = tuple(
            Step(r["name"], r["state"], to_date(r["date"]), r["note"], r["meeting_id"])
            for r in self.db.query(
                "SELECT * FROM appraisal_step WHERE year = ? ORDER BY position", [year]
            )
        )
        excluded = {
            r[0]: r[1]
            for r in self.db.execute(
                "SELECT member_id, reason FROM appraisal_exclusion WHERE year = ?", [year]
            )
        }
        results = {}
        for r in self.db.query("SELECT * FROM appraisal_result WHERE year = ?", [year]):
            mid = r["member_id"]
            tally = Tally(mid, {k: r[c] for k, c in _COUNT_COLUMNS.items()})
            rating = Rating(mid, r["proposed"], r["final"], r["handling"], r["note"])
            results[mid] = MemberResult(mid, tally, rating, to_date(r["decided_on"]))
        return Session(year, dt.date.fromisoformat(row[0]), row[1], row[2], steps, excluded,
                       results)  # fmt: skip

    def participants(self, year: int) -> list[Participant]:
        s = self.session(year)
        return participants(self.roster.on(s.date), s.excluded)

    def exclude(self, year: int, member_id: int, reason: str) -> None:
        """List a member apart (long illness, abroad …); an empty reason takes them back."""
        with self.writer.write(AREA):
            self.session(year)
            self.db.execute(
                "DELETE FROM appraisal_exclusion WHERE year = ? AND member_id = ?",
                [year, member_id],
            )
            if reason.strip():
                self.db.execute(
                    "INSERT INTO appraisal_exclusion(year, member_id, reason) VALUES (?, ?, ?)",
                    [year, member_id, reason.strip()],
                )

    def set_step(
        self,
        year: int,
        name: str,
        state: str,
        date: dt.date | None = None,
        note: str = "",
        meeting_id: int | None = None,
    ) -> None:
        if name not in STEPS:
            raise InputError(f"步骤：没有“{name}”这一步")
        if state not in STEP_STATES:
            raise InputError(f"状态：应为{'、'.join(STEP_STATES)}之一")
        with self.writer.write(AREA):
            cur = self.db.execute(
                "UPDATE appraisal_step SET state = ?, date = ?, note = ?, meeting_id = ?"
                " WHERE year = ? AND name = ?",
                [state, from_date(date), note.strip(), meeting_id, year, name],
            )
            if cur.rowcount == 0:
                raise InputError(f"{year}年度的民主评议尚未开始")

    def tally_problems(
        self, year: int, issued: int, returned: int, tallies: Mapping[int, Tally]
    ) -> list[str]:
        """What `set_tallies` would refuse, without writing anything."""
        people = {p.member_id: p for p in self.participants(year)}
        problems = ballot_problems(issued, returned)
        for mid, tally in tallies.items():
            p = people.get(mid)
            if p is None:
                problems.append(f"编号 {mid} 的党员不是本次评议的参评人员")
                continue
            if not p.rated:
                why = p.excluded_reason or "预备党员参加民主评议，但不评定等次"
                problems.append(f"{p.name}：不参加测评（{why}）")
            problems += tally_problems(tally, p.name, returned)
        for mid, result in self.session(year).results.items():
            if mid not in tallies and result.tally.total > returned:
                who = people[mid].name if mid in people else f"编号 {mid} 的党员"
                problems.append(f"已录入的{who}票数合计 {result.tally.total} 超过收回票数")
        return problems

    def set_tallies(
        self, year: int, issued: int, returned: int, tallies: Mapping[int, Tally]
    ) -> None:
        """The ballots issued and returned and the counts per member, all or nothing:
        counts over the ballots returned, people not in the session, 预备党员 and those
        listed apart are refused with every problem named."""
        with self.writer.write(AREA):
            problems = self.tally_problems(year, issued, returned, tallies)
            if problems:
                raise InputError("；".join(problems))
            self.db.execute(
                "UPDATE appraisal SET issued = ?, returned = ? WHERE year = ?",
                [issued, returned, year],
            )
            for mid, tally in tallies.items():
                counts = {c: tally.count(k) for k, c in _COUNT_COLUMNS.items()}
                self._upsert(year, mid, counts)

    def _upsert(self, year: int, member_id: int, values: Mapping[str, Any]) -> None:
        exists = self.db.execute(
            "SELECT 1 FROM appraisal_result WHERE year = ? AND member_id = ?", [year, member_id]
        ).fetchone()
        if exists:
            sets = ", ".join(f"{c} = ?" for c in values)
            self.db.execute(
                f"UPDATE appraisal_result SET {sets} WHERE year = ? AND member_id = ?",
                [*values.values(), year, member_id],
            )
        else:
            insert_row(self.db, "appraisal_result", {"year": year, "member_id": member_id,
                                                     **values})  # fmt: skip

    def rate(self, year: int, rating: Rating, decided_on: dt.date | None = None) -> None:
        """The committee's proposed rating and the final rating of one member."""
        with self.writer.write(AREA):
            people = {p.member_id: p for p in self.participants(year)}
            p = people.get(rating.member_id)
            if p is None:
                raise InputError(f"编号 {rating.member_id} 的党员不是本次评议的参评人员")
            problems = rating_problems(rating, p)
            if rating.handling and rating.final != UNQUALIFIED:
                problems.append(f"{p.name}：只有评为不合格的党员才记录处置方式")
            if problems:
                raise InputError("；".join(problems))
            # Saving the table again keeps the day a final rating was decided (the feedback
            # talk is due from it); a changed final rating is decided anew.
            kept = self.session(year).results.get(rating.member_id)
            if kept and kept.rating.final == rating.final and kept.decided_on:
                decided_on = kept.decided_on
            self._upsert(
                year,
                rating.member_id,
                {
                    "proposed": rating.proposed,
                    "final": rating.final,
                    "handling": rating.handling.strip(),
                    "note": rating.note.strip(),
                    "decided_on": from_date(decided_on) if rating.final else None,
                },
            )

    def decided(self) -> list[tuple[int, str, dt.date]]:
        """Every final rating with the day it was decided (for the feedback talks)."""
        return [
            (r[0], r[1], dt.date.fromisoformat(r[2] or r[3]))
            for r in self.db.execute(
                "SELECT r.member_id, r.final, r.decided_on, a.date FROM appraisal_result r"
                " JOIN appraisal a ON a.year = r.year WHERE r.final <> ''"
            )
        ]

    def attendance(self, year: int) -> dict[int, tuple[int, int]]:
        """(meetings attended, meetings recorded with the member on the list) in ``year``:
        a reference column of the appraisal table."""
        return {
            r[0]: (r[1], r[2])
            for r in self.db.execute(
                "SELECT a.member_id, sum(a.status = '出席'), count(*) FROM meeting_attendance a"
                " JOIN meeting m ON m.id = a.meeting_id WHERE m.belongs_to_year = ?"
                " GROUP BY a.member_id",
                [year],
            )
        }

    # -- 组织生活会: 征求意见, 检视材料, 整改清单 -------------------------------------------
    def opinions(self, year: int) -> list[Opinion]:
        return [
            Opinion(r["year"], r["text"], r["source"], to_date(r["date"]), r["id"])
            for r in self.db.query(
                "SELECT * FROM life_opinion WHERE year = ? ORDER BY date, id", [year]
            )
        ]

    def add_opinion(self, opinion: Opinion) -> int:
        if not opinion.text.strip():
            raise InputError("意见内容：不能为空")
        with self.writer.write(AREA):
            return insert_row(
                self.db,
                "life_opinion",
                {"year": opinion.year, "date": from_date(opinion.date),
                 "source": opinion.source.strip(), "text": opinion.text.strip()},
            )  # fmt: skip

    def delete_opinion(self, opinion_id: int) -> None:
        with self.writer.write(AREA):
            self.db.execute("DELETE FROM life_opinion WHERE id = ?", [opinion_id])

    def reviews(self, year: int) -> dict[int, Review]:
        return {
            r["member_id"]: Review(year, r["member_id"], bool(r["received"]), to_date(r["date"]))
            for r in self.db.query("SELECT * FROM life_review WHERE year = ?", [year])
        }

    def set_review(self, review: Review) -> None:
        with self.writer.write(AREA):
            self.db.execute(
                "INSERT INTO life_review(year, member_id, received, date) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(year, member_id) DO UPDATE SET received = excluded.received,"
                " date = excluded.date",
                [review.year, review.member_id, int(review.received), from_date(review.date)],
            )

    def rectifications(self, year: int | None = None) -> list[Rectification]:
        where, params = ("WHERE year = ?", [year]) if year is not None else ("", [])
        return [
            Rectification(
                r["year"],
                r["problem"],
                r["measures"],
                r["owner"],
                to_date(r["due"]),
                r["status"],
                r["completion"],
                r["id"],
            )  # fmt: skip
            for r in self.db.query(
                f"SELECT * FROM rectification {where} ORDER BY year, due IS NULL, due, id", params
            )
        ]

    def save_rectification(self, item: Rectification) -> int:
        problems = rectification_problems(item)
        if problems:
            raise InputError("；".join(problems))
        row = {
            "year": item.year,
            "problem": item.problem.strip(),
            "measures": item.measures.strip(),
            "owner": item.owner.strip(),
            "due": from_date(item.due),
            "status": item.status,
            "completion": item.completion.strip(),
        }
        with self.writer.write(AREA, item.id):
            if item.id is None:
                return insert_row(self.db, "rectification", row)
            self.db.table("rectification").update(item.id, row)
            return item.id

    def delete_rectification(self, item_id: int) -> None:
        with self.writer.write(AREA):
            self.db.execute("DELETE FROM rectification WHERE id = ?", [item_id])
