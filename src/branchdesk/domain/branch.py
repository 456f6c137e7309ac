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
