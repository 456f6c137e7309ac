"""The branch profile: its committee and its party groups."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

COMMITTEE_POSTS = ("书记", "副书记", "组织委员", "宣传委员", "纪检委员", "青年委员", "委员")
#: A branch may have a committee only with at least this many 正式党员 (支部工作条例).
COMMITTEE_MIN_FULL_MEMBERS = 7
#: The committee term in a 机关 branch, in years.
COMMITTEE_TERM_YEARS = 3


@dataclass(frozen=True)
class Branch:
    name: str
    parent_org: str = ""


@dataclass(frozen=True)
class CommitteePost:
    member_id: int
    member_name: str
    post: str
    term_start: dt.date | None = None
    term_end: dt.date | None = None
    id: int | None = None

    def serving_on(self, day: dt.date) -> bool:
        return (self.term_start is None or self.term_start <= day) and (
            self.term_end is None or day <= self.term_end
        )


@dataclass(frozen=True)
class PartyGroup:
    name: str
    leader_id: int | None = None
    leader_name: str = ""
    id: int | None = None
    #: 成立 and 撤销 dates; None: since the book began / still exists.
    start_date: dt.date | None = None
    end_date: dt.date | None = None

    def exists_on(self, day: dt.date) -> bool:
        return (self.start_date is None or self.start_date <= day) and (
            self.end_date is None or day <= self.end_date
        )

    def exists_throughout(self, start: dt.date, end: dt.date) -> bool:
        """Existed on every day from ``start`` to ``end``: only then is a meeting due."""
        return self.exists_on(start) and self.exists_on(end)


def committee_problem(post: CommitteePost, on_roll: bool) -> str | None:
    """Why a committee post cannot be saved, in words (the dialog's and the CLI's rule)."""
    if post.post.strip() not in COMMITTEE_POSTS:
        return f"职务：应为{'、'.join(COMMITTEE_POSTS)}之一，不是“{post.post.strip()}”"
    if post.term_start and post.term_end and post.term_end < post.term_start:
        return "任期止：早于任期起"
    if not on_roll:
        return f"姓名：{post.member_name}在任期开始时不在本支部名册中"
    return None


def group_problem(group: PartyGroup) -> str | None:
    if not group.name.strip():
        return "党小组名称：不能为空"
    if group.start_date and group.end_date and group.end_date < group.start_date:
        return "撤销日期：早于成立日期"
    return None
