"""The rules panel beside the meeting form: what the chair will announce, whether the
meeting is quorate, how each vote stands, and every problem — in words, while typing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from branchdesk.domain.branch import CommitteePost
from branchdesk.domain.compliance import validate_meeting
from branchdesk.domain.meetings import (
    Meeting,
    MeetingType,
    attendance_counts,
    candidate_problem,
    expected_attendees,
)
from branchdesk.domain.members import Member, RosterEntry
from branchdesk.domain.voting import chair_announcement, meeting_quorum, resolution_passes

OK_COLOUR = "#1b5e20"
BAD_COLOUR = "#b00020"
CHECK_COLOUR = "#8a4b00"
WAIT_COLOUR = "#b26a00"


class RulesPanel(QLabel):
    def __init__(self, committee: Sequence[CommitteePost]) -> None:
        super().__init__()
        self.committee = list(committee)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def counts_line(
        self, m: Meeting, entries: Sequence[RosterEntry], groups: Mapping[int, int | None]
    ) -> str:
        """应到 / 实到 / 请假 / 缺席 (and the voting members at a 党员大会), for the
        attendance tab. ``groups``: each member's 党小组 on the meeting's date."""
        expected = expected_attendees(m, list(entries), self.committee, groups)
        c = attendance_counts(m, expected)
        text = f"应到 {c.expected} 人　实到 {c.present} 人　请假 {c.on_leave} 人　"
        text += f"缺席 {c.absent} 人"
        if c.excluded:
            text += f"　不计入应到 {c.excluded} 人"
        if m.decides_as == MeetingType.GENERAL:
            text += f"　（有表决权：应到 {c.voting_expected} 人，实到 {c.voting_present} 人）"
        return text

    def show_rules(
        self,
        m: Meeting,
        entries: Sequence[RosterEntry],
        editors: Sequence[Any],
        groups: Mapping[int, int | None],
        members: Sequence[Member],
        cannot_judge: str = "",
    ) -> None:
        """Word the rules for ``m``; each resolution editor shows its own verdict too.
        ``cannot_judge``: why the form cannot be judged yet (an invalid date): said first,
        and never followed by "all is well"."""
        entries = list(entries)
        expected = expected_attendees(m, entries, self.committee, groups)
        counts = attendance_counts(m, expected)
        problems = validate_meeting(m, entries, self.committee, groups)
        parts = [f"<p><b>到会情况</b><br>{chair_announcement(m, counts)}</p>"]
        q = meeting_quorum(m, counts)
        if q is not None:
            colour = OK_COLOUR if q.ok else BAD_COLOUR
            parts.append(f"<p style='color:{colour}'>{q.message}</p>")
            if not q.ok:
                parts.append("<p>不足规定人数的会议可作为学习会记录保存，但决议不能记为通过。</p>")
        by_id = {mm.id: mm for mm in members}
        odd = []
        for i, (r, editor) in enumerate(zip(m.resolutions, editors, strict=True)):
            vote = resolution_passes(m, r, counts)
            own = [p.message for p in problems if p.resolution_index == i]
            person = by_id.get(r.candidate_id) if r.candidate_id else None
            warning = candidate_problem(r.kind, person, m.date) if person else None
            if warning:
                own.append(f"请核对：{warning}")
                odd.append(f"第{i + 1}项决议：{warning}")
            editor.show_verdict(vote.ok, vote.message, own)
            parts.append(f"<p><b>第{i + 1}项决议</b>：{vote.message}</p>")
        if problems:
            items = "".join(f"<li>{p.message}</li>" for p in problems)
            parts.append(f"<p style='color:{BAD_COLOUR}'><b>需要处理</b></p><ul>{items}</ul>")
        if odd:
            items = "".join(f"<li>{text}</li>" for text in odd)
            parts.append(
                f"<p style='color:{CHECK_COLOUR}'><b>请核对表决对象</b></p><ul>{items}</ul>"
            )
        if cannot_judge:
            # The rules above used the last valid date: say so, never "all is well".
            parts.insert(
                0, f"<p style='color:{WAIT_COLOUR}'><b>暂时无法判断</b>：{cannot_judge}</p>"
            )
        elif not problems:
            parts.append(f"<p style='color:{OK_COLOUR}'>未发现不符合规定之处。</p>")
        self.setText("".join(parts))
