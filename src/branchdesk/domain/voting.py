"""Quorum and passing: the arithmetic of 党员大会, 支委会 and elections, and the words the
minutes use for it (what the chair announces, 表决情况).

All arithmetic is in integers: "more than half of n" is ``2 * k > n``, "at least 4/5 of n" is
``5 * k >= 4 * n``. Sources are named in ``domain.meetings``.
"""

from __future__ import annotations

from dataclasses import dataclass

from branchdesk.domain.meetings import (
    GENERAL_MEETING_KINDS,
    PERSONAL_KINDS,
    AttendanceCounts,
    Meeting,
    MeetingType,
    Resolution,
    ResolutionKind,
)

# --- Quorum and passing --------------------------------------------------------------------


def more_than_half(k: int, n: int) -> bool:
    return 2 * k > n


def at_least_four_fifths(k: int, n: int) -> bool:
    return 5 * k >= 4 * n


def _fewest_over_half(n: int) -> int:
    return n // 2 + 1


def _fewest_four_fifths(n: int, strictly_more: bool) -> int:
    return 4 * n // 5 + 1 if strictly_more else (4 * n + 4) // 5


@dataclass(frozen=True)
class QuorumResult:
    ok: bool
    message: str
    expected: int  # the number the rule is taken of
    present: int
    needed: int  # the fewest present for ok


@dataclass(frozen=True)
class VoteResult:
    ok: bool
    message: str
    votes_for: int  # 赞成 as counted, written opinions included where they count
    base: int  # the number the majority is taken of
    needed: int  # the fewest 赞成 that pass
    quorate: bool


def quorum(voting_expected: int, voting_present: int) -> QuorumResult:
    """党员大会: a vote needs more than half of the voting members who should attend present.

    (The 条例 reads "半数以上"; like docs/domain.md we read it as strictly more than half.)
    """
    needed = _fewest_over_half(voting_expected)
    head = f"到会有表决权的正式党员{voting_present}人"
    if voting_expected <= 0:
        ok, msg = False, "没有应到会的有表决权的正式党员，不能进行表决。"
    elif more_than_half(voting_present, voting_expected):
        ok, msg = True, f"{head}，超过应到会{voting_expected}人的半数，可以进行表决。"
    else:
        ok = False
        msg = f"{head}，未超过应到会{voting_expected}人的半数（至少需{needed}人），不能进行表决。"
    return QuorumResult(ok, msg, voting_expected, voting_present, needed)


def election_quorum(
    voting_expected: int, voting_present: int, *, strictly_more: bool = False
) -> QuorumResult:
    """An election needs at least 4/5 of the voting members who should attend present.

    ``strictly_more`` reads the rule as "超过五分之四", the wording of the 1990 暂行条例 that
    some superiors still use; the default is docs/domain.md's "at least".
    """
    needed = _fewest_four_fifths(voting_expected, strictly_more)
    head = f"到会有选举权的党员{voting_present}人"
    if strictly_more:
        met = 5 * voting_present > 4 * voting_expected
    else:
        met = at_least_four_fifths(voting_present, voting_expected)
    reached, short = ("超过", "未超过") if strictly_more else ("达到", "不足")
    if voting_expected <= 0:
        ok, msg = False, "没有应到会的有选举权的党员，不能进行选举。"
    elif met:
        ok, msg = True, f"{head}，{reached}应到会{voting_expected}人的五分之四，可以进行选举。"
    else:
        ok = False
        msg = (
            f"{head}，{short}应到会{voting_expected}人的五分之四（至少需{needed}人），"
            "不能进行选举。"
        )
    return QuorumResult(ok, msg, voting_expected, voting_present, needed)


def committee_quorum(members_expected: int, members_present: int) -> QuorumResult:
    """A 支委会 needs more than half of the committee members present."""
    needed = _fewest_over_half(members_expected)
    head = f"到会委员{members_present}人"
    if members_expected <= 0:
        ok, msg = False, "该日没有在任的支部委员，不能召开支委会。"
    elif more_than_half(members_present, members_expected):
        ok, msg = True, f"{head}，超过应到会委员{members_expected}人的半数，会议有效。"
    else:
        ok = False
        msg = (
            f"{head}，未超过应到会委员{members_expected}人的半数（至少需{needed}人），"
            "不能作出决定。"
        )
    return QuorumResult(ok, msg, members_expected, members_present, needed)


def _inquorate(q: QuorumResult, votes: int, base: int, needed: int, end: str) -> VoteResult:
    message = q.message.removesuffix("。") + f"，{end}。"
    return VoteResult(False, message, votes, base, needed, False)


def _for_text(votes_for: int, written_for: int) -> str:
    extra = f"（含书面意见{written_for}票）" if written_for else ""
    return f"赞成{votes_for + written_for}票{extra}"


def motion_passes(
    votes_for: int, voting_expected: int, voting_present: int, *, written_for: int = 0
) -> VoteResult:
    """党员大会: passes when 赞成 (with ``written_for``, the written opinions of absent voting
    members for 发展/转正) is more than half of the voting members who should attend — not of
    those present: 20 expected, 11 present, 10 in favour fails.

    A vote at an inquorate meeting never passes, whatever the count: the rules on quorum
    and on majority are both required, so ``ok`` implies ``quorum(...).ok``.
    """
    tally = votes_for + written_for
    needed = _fewest_over_half(voting_expected)
    q = quorum(voting_expected, voting_present)
    if not q.ok:
        return _inquorate(q, tally, voting_expected, needed, "决议不能通过")
    head = _for_text(votes_for, written_for)
    base = f"应到会有表决权的正式党员{voting_expected}人的半数"
    if more_than_half(tally, voting_expected):
        msg = f"{head}，超过{base}，决议通过。"
        return VoteResult(True, msg, tally, voting_expected, needed, True)
    msg = f"{head}，未超过{base}（至少需{needed}票），决议未通过。"
    return VoteResult(False, msg, tally, voting_expected, needed, True)


def election_passes(
    votes_for: int, voting_expected: int, voting_present: int, *, strictly_more: bool = False
) -> VoteResult:
    """A candidate is elected with 赞成 more than half of the voting members *present*
    (选举工作条例), at a meeting with the 4/5 quorum."""
    needed = _fewest_over_half(voting_present)
    q = election_quorum(voting_expected, voting_present, strictly_more=strictly_more)
    if not q.ok:
        return _inquorate(q, votes_for, voting_present, needed, "选举无效")
    base = f"实到会有选举权的党员{voting_present}人的半数"
    if more_than_half(votes_for, voting_present):
        msg = f"赞成{votes_for}票，超过{base}，当选。"
        return VoteResult(True, msg, votes_for, voting_present, needed, True)
    msg = f"赞成{votes_for}票，未超过{base}（至少需{needed}票），未当选。"
    return VoteResult(False, msg, votes_for, voting_present, needed, True)


def committee_motion_passes(
    votes_for: int, members_expected: int, members_present: int
) -> VoteResult:
    """支委会: passes with 赞成 more than half of the committee members who should attend (the
    党组/党委 rule; the 支部条例 says only that a 支委会 needs more than half present).
    Written opinions of absent committee members do not count."""
    needed = _fewest_over_half(members_expected)
    q = committee_quorum(members_expected, members_present)
    if not q.ok:
        return _inquorate(q, votes_for, members_expected, needed, "决议不能通过")
    base = f"应到会委员{members_expected}人的半数"
    if more_than_half(votes_for, members_expected):
        msg = f"赞成{votes_for}票，超过{base}，决议通过。"
        return VoteResult(True, msg, votes_for, members_expected, needed, True)
    msg = f"赞成{votes_for}票，未超过{base}（至少需{needed}票），决议未通过。"
    return VoteResult(False, msg, votes_for, members_expected, needed, True)


_KIND_DECISION = {
    ResolutionKind.ADMISSION: "接收预备党员",
    ResolutionKind.CONFIRMATION: "预备党员转正",
    ResolutionKind.ELECTION: "选举",
}


def resolution_passes(
    meeting: Meeting, resolution: Resolution, counts: AttendanceCounts
) -> VoteResult:
    """Whether one resolution passes at this meeting, by the rules of its deciding body."""
    r = resolution
    body = meeting.decides_as
    if r.kind in GENERAL_MEETING_KINDS and body != MeetingType.GENERAL:
        msg = f"{_KIND_DECISION[r.kind]}须由支部党员大会表决，本次会议不能作出决定。"
        return VoteResult(False, msg, r.tally_for, 0, 0, False)
    if body is None:
        msg = "本次会议不是支部党员大会或支委会，不能作出决议。"
        return VoteResult(False, msg, r.tally_for, 0, 0, False)
    if r.kind == ResolutionKind.ELECTION:
        return election_passes(r.votes_for, counts.voting_expected, counts.voting_present)
    if body == MeetingType.COMMITTEE:
        return committee_motion_passes(r.votes_for, counts.expected, counts.present)
    written = r.written_for if r.kind in PERSONAL_KINDS else 0
    return motion_passes(
        r.votes_for, counts.voting_expected, counts.voting_present, written_for=written
    )


def meeting_quorum(meeting: Meeting, counts: AttendanceCounts) -> QuorumResult | None:
    """The quorum that governs the meeting's votes; None for a meeting that does not vote."""
    if meeting.decides_as == MeetingType.GENERAL:
        return quorum(counts.voting_expected, counts.voting_present)
    if meeting.decides_as == MeetingType.COMMITTEE:
        return committee_quorum(counts.expected, counts.present)
    return None


# --- What the chair announces and the minutes record -----------------------------------------


def chair_announcement(meeting: Meeting, counts: AttendanceCounts) -> str:
    """The counts the chair announces and the record states.

    At a 党员大会 the numbers are those of voting members: quorum and majority are both
    defined over them, and a head-count that included 预备党员 (who attend but do not vote)
    could call an inquorate meeting valid. Those without a vote are named apart.
    """
    left_out = f"经上级党组织同意不计入应到会人数{counts.excluded}人。" if counts.excluded else ""
    if meeting.decides_as == MeetingType.GENERAL:
        ve, vp = counts.voting_expected, counts.voting_present
        text = f"应到会有表决权的正式党员{ve}人，实到{vp}人，"
        if quorum(ve, vp).ok:
            text += "符合规定人数，会议有效。"
        else:
            text += "不足规定人数，不能进行表决。"
        if counts.non_voting_present:
            text += f"另有无表决权的党员{counts.non_voting_present}人到会。"
        if any(r.kind == ResolutionKind.ELECTION for r in meeting.resolutions):
            if election_quorum(ve, vp).ok:
                text += "到会人数达到应到会人数的五分之四，可以进行选举。"
            else:
                text += "到会人数不足应到会人数的五分之四，不能进行选举。"
        return text + left_out
    if meeting.decides_as == MeetingType.COMMITTEE:
        text = f"应到会委员{counts.expected}人，实到{counts.present}人，"
        if committee_quorum(counts.expected, counts.present).ok:
            return text + "符合规定人数，会议有效。" + left_out
        return text + "不足规定人数，不能作出决定。" + left_out
    text = f"应到{counts.expected}人，实到{counts.present}人"
    if counts.on_leave:
        text += f"，请假{counts.on_leave}人"
    if counts.absent:
        text += f"，缺席{counts.absent}人"
    return text + "。" + left_out


def written_opinions(resolution: Resolution) -> str:
    """The written opinions of absent voting members (发展/转正 only), one wording for the
    minutes' table and for the 表决情况 sentence."""
    r = resolution
    return (
        f"书面意见{r.written}份：赞成{r.written_for}、反对{r.written_against}、"
        f"弃权{r.written_abstain}"
    )


def vote_record(meeting: Meeting, resolution: Resolution, counts: AttendanceCounts) -> str:
    """表决情况 for the minutes. For 发展/转正 it states the voting full members present, and
    the written opinions of absent members, which are in the totals but not in 实到."""
    r = resolution
    personal = r.kind in PERSONAL_KINDS
    total_for = r.votes_for + (r.written_for if personal else 0)
    total_against = r.votes_against + (r.written_against if personal else 0)
    total_abstain = r.abstentions + (r.written_abstain if personal else 0)
    tally = f"赞成{total_for}票，反对{total_against}票，弃权{total_abstain}票"
    if personal and r.written:
        tally += f"（含未到会党员{written_opinions(r)}）"
    if meeting.decides_as == MeetingType.COMMITTEE and r.kind not in GENERAL_MEETING_KINDS:
        head = f"应到会委员{counts.expected}人，实到会委员{counts.present}人"
    else:
        head = (
            f"应到会有表决权的正式党员{counts.voting_expected}人，"
            f"实到会有表决权的正式党员{counts.voting_present}人"
        )
    return f"表决情况：{head}；{tally}。"
