"""The branch profile: name, 上级党组织, committee posts, 党小组."""

from __future__ import annotations

import datetime as dt

from branchdesk.domain.branch import (
    Branch,
    CommitteePost,
    PartyGroup,
    committee_problem,
    group_problem,
)
from branchdesk.store.convert import from_date, insert_row, to_date
from branchdesk.store.database import Database
from branchdesk.store.errors import InputError
from branchdesk.store.tx import Writer


class BranchRepo:
    def __init__(self, db: Database, writer: Writer) -> None:
        self.db = db
        self.writer = writer

    def _meta(self, key: str, default: str = "") -> str:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def _set_meta(self, key: str, value: str) -> None:
        self.db.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )

    def is_demo(self) -> bool:
        """A demo book says so itself, however it is opened (--demo, --data, a copy)."""
        return self._meta("demo") == "1"

    def mark_demo(self) -> None:
        with self.writer.write("branch"):
            self._set_meta("demo", "1")

    def profile(self) -> Branch:
        return Branch(name=self._meta("branch_name"), parent_org=self._meta("parent_org"))

    def set_profile(self, name: str, parent_org: str) -> None:
        if not name.strip():
            raise InputError("支部名称：不能为空")
        with self.writer.write("branch"):
            self._set_meta("branch_name", name.strip())
            self._set_meta("parent_org", parent_org.strip())

    # -- 党小组 -----------------------------------------------------------------------
    def groups(self) -> list[PartyGroup]:
        return [
            PartyGroup(
                id=r["id"],
                name=r["name"],
                leader_id=r["leader_id"],
                leader_name=r["leader"],
                start_date=to_date(r["start_date"]),
                end_date=to_date(r["end_date"]),
            )
            for r in self.db.query(
                "SELECT g.id, g.name, g.leader_id, coalesce(m.name, '') AS leader,"
                " g.start_date, g.end_date"
                " FROM party_group g LEFT JOIN member m ON m.id = g.leader_id"
                " ORDER BY g.sort, g.id"
            )
        ]

    def save_group(self, group: PartyGroup) -> int:
        name = group.name.strip()
        problem = group_problem(group)
        if problem:
            raise InputError(problem)
        with self.writer.write("branch"):
            clash = self.db.execute(
                "SELECT 1 FROM party_group WHERE name = ? AND id IS NOT ?", [name, group.id]
            ).fetchone()
            if clash:
                raise InputError(f"党小组名称：已有名为“{name}”的党小组")
            row = {
                "name": name,
                "leader_id": group.leader_id,
                "start_date": from_date(group.start_date),
                "end_date": from_date(group.end_date),
            }
            if group.id is None:
                return insert_row(self.db, "party_group", row)
            self.db.table("party_group").update(group.id, row)
            return group.id

    def delete_group(self, group_id: int) -> None:
        """Members of the group stay on the roll without a group."""
        with self.writer.write("branch"):
            self.db.execute("UPDATE member SET group_id = NULL WHERE group_id = ?", [group_id])
            self.db.execute("DELETE FROM party_group WHERE id = ?", [group_id])

    # -- 支委会 -------------------------------------------------------------------------
    def committee(self) -> list[CommitteePost]:
        return [
            CommitteePost(
                id=r["id"],
                member_id=r["member_id"],
                member_name=r["name"],
                post=r["post"],
                term_start=to_date(r["term_start"]),
                term_end=to_date(r["term_end"]),
            )
            for r in self.db.query(
                "SELECT c.*, m.name FROM committee_post c JOIN member m ON m.id = c.member_id"
                " ORDER BY c.sort, c.id"
            )
        ]

    def committee_on(self, day: dt.date) -> list[CommitteePost]:
        return [p for p in self.committee() if p.serving_on(day)]

    def group_named(self, name: str) -> PartyGroup | None:
        return next((g for g in self.groups() if g.name == name.strip()), None)

    def save_post(self, post: CommitteePost, today: dt.date | None = None) -> int:
        """One rule set for the dialog and the CLI: a known post, a sane term, and a member
        on the roll when the term begins (today when no start is given)."""
        from branchdesk.store.roster import RosterRepo

        if not post.post.strip():
            raise InputError("职务：不能为空")
        day = post.term_start or today or dt.date.today()
        member = RosterRepo(self.db, self.writer).member(post.member_id)
        problem = committee_problem(
            CommitteePost(post.member_id, member.name, post.post, post.term_start, post.term_end),
            member.belongs_on(day),
        )
        if problem:
            raise InputError(problem)
        row = {
            "member_id": post.member_id,
            "post": post.post.strip(),
            "term_start": from_date(post.term_start),
            "term_end": from_date(post.term_end),
        }
        with self.writer.write("branch"):
            if post.id is None:
                return insert_row(self.db, "committee_post", row)
            self.db.table("committee_post").update(post.id, row)
            return post.id

    def delete_post(self, post_id: int) -> None:
        with self.writer.write("branch"):
            self.db.execute("DELETE FROM committee_post WHERE id = ?", [post_id])
