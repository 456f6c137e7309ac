"""A meeting record as the plain (JSON-ready) fields of the meeting form: loading a record,
starting from a template and keeping a draft all go through the same dict."""

from __future__ import annotations

from typing import Any

from branchdesk.domain.dates import format_cn
from branchdesk.domain.meetings import Resolution, ResolutionKind, default_scope
from branchdesk.domain.minutes import MeetingRecord


def resolution_dict(r: Resolution) -> dict[str, Any]:
    return {
        "text": r.text, "kind": r.kind.value, "candidate_id": r.candidate_id,
        "votes_for": r.votes_for, "votes_against": r.votes_against,
        "abstentions": r.abstentions, "written_for": r.written_for,
        "written_against": r.written_against, "written_abstain": r.written_abstain,
        "marked_passed": r.marked_passed,
    }  # fmt: skip


def resolution_from(d: dict[str, Any]) -> Resolution:
    return Resolution(**{**d, "kind": ResolutionKind(d["kind"])})


def record_fields(record: MeetingRecord, *, year_auto: bool, scope_auto: bool) -> dict[str, Any]:
    """A record as the plain (JSON) fields of this form: loading and drafts share it."""
    m = record.meeting
    return {
        "title": m.title,
        "types": sorted(t.value for t in m.types),
        "date": format_cn(m.date),
        "start_time": record.start_time,
        "end_time": record.end_time,
        "year": m.belongs_to_year,
        "year_auto": year_auto,
        "scope": (m.scope or default_scope(m.types)).value,
        "scope_auto": scope_auto,
        "group_id": m.group_id,
        "place": record.place,
        "host": record.host,
        "recorder": record.recorder,
        "guests": record.guests,
        "agenda": list(record.agenda),
        "content": record.content,
        "lecturer": record.lecturer,
        "topic": record.topic,
        "theme": record.theme,
        "attendance": {str(k): [a.status.value, a.reason] for k, a in m.attendance.items()},
        "excluded": {str(k): [x.reason.value, x.basis] for k, x in m.excluded.items()},
        "resolutions": [resolution_dict(r) for r in m.resolutions],
    }
