"""A meeting as JSON: the form `branchdesk-cli meeting export` writes and `meeting import`
reads, so export → edit → import makes a new meeting.

    {
      "format": "branchdesk.meeting/1",
      "title": "九月主题党日暨支部党员大会",
      "types": ["主题党日", "支部党员大会"],          # 支部党员大会 支委会 党小组会 党课 主题党日
                                                      # 组织生活会 民主评议党员 其他
      "date": "2026-09-10", "start_time": "14:30", "end_time": "16:30",
      "belongs_to_year": 2026,                         # optional: defaults from the date
      "scope": "全体党员",                              # or 支部委员会 / 党小组 (optional)
      "group": "第一党小组",                            # 党小组会 only
      "place": "", "host": "", "recorder": "", "guests": "",
      "agenda": ["…", "…"], "content": "…",
      "lecturer": "", "topic": "", "theme": "",
      "attendance": [{"name": "王芳", "id_number": "…", "status": "出席|请假|缺席", "reason": ""}],
      "excluded": [{"name": "…", "id_number": "…", "reason": "<ExclusionReason>", "basis": "…"}],
      "resolutions": [{"text": "…", "kind": "一般|选举|发展|转正",
                       "candidate": {"name": "…", "id_number": "…"},
                       "votes_for": 0, "votes_against": 0, "abstentions": 0,
                       "written_for": 0, "written_against": 0, "written_abstain": 0,
                       "marked_passed": false}]
    }

People are matched by 公民身份号码 when given, else by a name that is unique in the book.
Every problem is reported with its place (e.g. ``attendance[3].name``) and nothing is
written unless all is well. Attachments are not part of the JSON form.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from branchdesk.domain.meetings import (
    Attendance,
    AttendanceStatus,
    Exclusion,
    ExclusionReason,
    Meeting,
    MeetingType,
    Resolution,
    ResolutionKind,
    Scope,
)
from branchdesk.domain.members import Member
from branchdesk.domain.minutes import MeetingRecord

FORMAT = "branchdesk.meeting/1"
#: The book accepts 所属年度 from the founding of the Party to 2200 (a CHECK in the schema).
FIRST_YEAR, LAST_YEAR = 1921, 2200
MAX_COUNT = 100_000  # votes: far above any branch, far below SQLite's integer limit
MAX_FILE_BYTES = 20 * 2**20  # one meeting's JSON is kilobytes; attachments are not in it
_SURROGATE = re.compile("[\ud800-\udfff]")
_TEXT_FIELDS = ("start_time", "end_time", "place", "host", "recorder", "guests", "content",
                "lecturer", "topic", "theme")  # fmt: skip
_COUNTS = ("votes_for", "votes_against", "abstentions", "written_for", "written_against",
           "written_abstain")  # fmt: skip


class MeetingJsonError(ValueError):
    """The JSON cannot become a meeting; ``problems`` lists each one with its place."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        super().__init__("会议记录JSON有误，未导入：\n" + "\n".join(self.problems))


def _person(member: Member) -> dict[str, str]:
    return {"name": member.name, "id_number": member.id_number}


def to_json(record: MeetingRecord, members: Mapping[int, Member], groups: Mapping[int, str]) -> str:
    m = record.meeting
    data: dict[str, Any] = {
        "format": FORMAT,
        "title": m.title,
        "types": [t.value for t in sorted(m.types)],
        "date": m.date.isoformat(),
        "belongs_to_year": m.belongs_to_year,
        "scope": (m.scope or Scope.BRANCH).value,
        "group": groups.get(m.group_id, "") if m.group_id else "",
        "agenda": list(record.agenda),
    }
    for name in _TEXT_FIELDS:
        data[name] = getattr(record, name)
    data["attendance"] = [
        {**_person(members[mid]), "status": a.status.value, "reason": a.reason}
        for mid, a in m.attendance.items()
        if mid in members
    ]
    data["excluded"] = [
        {**_person(members[mid]), "reason": e.reason.value, "basis": e.basis}
        for mid, e in m.excluded.items()
        if mid in members
    ]
    data["resolutions"] = [
        {
            "text": r.text,
            "kind": r.kind.value,
            "candidate": (
                _person(members[r.candidate_id])
                if r.candidate_id is not None and r.candidate_id in members
                else None
            ),
            **{c: getattr(r, c) for c in _COUNTS},
            "marked_passed": r.marked_passed,
        }
        for r in m.resolutions
    ]
    return json.dumps(data, ensure_ascii=False, indent=2)


class _Reader:
    def __init__(self, members: Iterable[Member], groups: Mapping[str, int]) -> None:
        self.by_id = {m.id_number: m for m in members if m.id_number}
        self.by_name: dict[str, list[Member]] = {}
        for m in [*self.by_id.values(), *(m for m in members if not m.id_number)]:
            self.by_name.setdefault(m.name, []).append(m)
        self.groups = groups
        self.problems: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}：{message}")

    def text(self, data: Mapping[str, Any], key: str, where: str) -> str:
        value = data.get(key, "")
        if value is None:
            return ""
        if not isinstance(value, str):
            self.fail(where + key, "应为文字")
            return ""
        return value

    def count(self, data: Mapping[str, Any], key: str, where: str) -> int:
        value = data.get(key, 0)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
            self.fail(where + key, f"应为0到{MAX_COUNT}之间的整数，不是 {_short(value)}")
            return 0
        return value

    def items(self, data: Mapping[str, Any], key: str) -> list[tuple[str, Mapping[str, Any]]]:
        """The objects of the list ``data[key]``, with their places; problems recorded."""
        value = data.get(key) or []
        if not isinstance(value, list):
            self.fail(key, "应为列表 […]")
            return []
        found = []
        for n, item in enumerate(value):
            if isinstance(item, Mapping):
                found.append((f"{key}[{n}]", item))
            else:
                self.fail(f"{key}[{n}]", "应为一个对象 {…}")
        return found

    def enum(self, kind: Any, value: Any, where: str) -> Any:
        try:
            return kind(value)
        except (ValueError, TypeError):
            choices = "、".join(v.value for v in kind)
            self.fail(where, f"“{value}”不是可选值（{choices}）")
            return None

    def person(self, data: Any, where: str) -> int | None:
        if not isinstance(data, Mapping):
            self.fail(where, '应为 {"name": …, "id_number": …}')
            return None
        number = str(data.get("id_number") or "").strip().upper()
        name = str(data.get("name") or "").strip()
        if number:
            found = self.by_id.get(number)
            if found is None:
                self.fail(
                    where + ".id_number", f"账簿中没有身份证号为 {number[-4:]}（后4位）的党员"
                )
                return None
            if name and found.name != name:
                self.fail(where + ".name", f"身份证号对应的是“{found.name}”，不是“{name}”")
            return found.id
        matches = self.by_name.get(name, [])
        if not matches:
            self.fail(where + ".name", f"账簿中没有“{name}”")
            return None
        if len(matches) > 1:
            self.fail(where + ".name", f"账簿中有{len(matches)}位“{name}”，请填写 id_number 区分")
            return None
        return matches[0].id


def from_json(text: str, members: Iterable[Member], groups: Mapping[str, int]) -> MeetingRecord:
    """Parse and check; raises MeetingJsonError listing every problem. The result has no id:
    saving it makes a new meeting."""
    try:
        data = json.loads(text)
    except RecursionError:
        raise MeetingJsonError(["JSON 嵌套层数过多，不是会议记录的格式"]) from None
    except ValueError as exc:
        raise MeetingJsonError([f"不是有效的JSON（{exc}）"]) from None
    if not isinstance(data, dict):
        raise MeetingJsonError(["顶层应为一个对象 {…}"])
    broken = _surrogate_places(data)
    if broken:
        raise MeetingJsonError(
            f"{where}：含有无法保存的字符（孤立的代理项 \\u{code:04x}），请删除后重试"
            for where, code in broken[:10]
        )
    r = _Reader(list(members), groups)
    if data.get("format") not in (None, FORMAT):
        r.fail("format", f"应为 {FORMAT}")
    raw_types = data.get("types") or []
    if not isinstance(raw_types, list):
        r.fail("types", '应为列表，如 ["主题党日"]')
        raw_types = []
    parsed = [r.enum(MeetingType, t, f"types[{n}]") for n, t in enumerate(raw_types)]
    types = frozenset(t for t in parsed if t is not None)
    if not raw_types and not r.problems:
        r.fail("types", "至少一种会议类型")
    day: dt.date | None = None
    try:
        day = dt.date.fromisoformat(str(data.get("date", "")))
    except ValueError:
        r.fail("date", f"“{data.get('date')}”不是 YYYY-MM-DD 形式的日期")
    scope = r.enum(Scope, data["scope"], "scope") if data.get("scope") else None
    group_name = r.text(data, "group", "")
    group_id = None
    if group_name:
        group_id = groups.get(group_name)
        if group_id is None:
            r.fail("group", f"没有名为“{group_name}”的党小组")
    year = data.get("belongs_to_year") or 0
    if isinstance(year, bool) or not isinstance(year, int):
        r.fail("belongs_to_year", "应为年份数字")
        year = 0
    elif year and not FIRST_YEAR <= year <= LAST_YEAR:
        r.fail("belongs_to_year", f"{year} 不在 {FIRST_YEAR}—{LAST_YEAR} 年之间")
    elif not year and day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
        r.fail("date", f"{day.isoformat()} 不在 {FIRST_YEAR}—{LAST_YEAR} 年之间")
    attendance: dict[int, Attendance] = {}
    for where, item in r.items(data, "attendance"):
        mid = r.person(item, where)
        status = r.enum(AttendanceStatus, item.get("status"), where + ".status")
        if mid is not None and status is not None:
            if mid in attendance:
                r.fail(where, "同一人出现了两次")
            attendance[mid] = Attendance(status, r.text(item, "reason", where + "."))
    excluded: dict[int, Exclusion] = {}
    for where, item in r.items(data, "excluded"):
        mid = r.person(item, where)
        reason = r.enum(ExclusionReason, item.get("reason"), where + ".reason")
        if mid is not None and reason is not None:
            if mid in excluded:
                r.fail(where, "同一人出现了两次")
            excluded[mid] = Exclusion(reason, r.text(item, "basis", where + "."))
    resolutions = []
    for place, item in r.items(data, "resolutions"):
        where = place + "."
        kind = r.enum(ResolutionKind, item.get("kind", "一般"), where + "kind")
        candidate = (
            r.person(item["candidate"], where + "candidate") if item.get("candidate") else None
        )
        counts = {c: r.count(item, c, where) for c in _COUNTS}
        resolutions.append(
            Resolution(
                text=r.text(item, "text", where),
                kind=kind or ResolutionKind.GENERAL,
                candidate_id=candidate,
                marked_passed=bool(item.get("marked_passed", False)),
                **counts,
            )
        )
    agenda = data.get("agenda") or []
    if not isinstance(agenda, list) or not all(isinstance(a, str) for a in agenda):
        r.fail("agenda", "应为文字列表")
        agenda = []
    texts = {key: r.text(data, key, "") for key in _TEXT_FIELDS}
    title = r.text(data, "title", "")
    if r.problems or day is None:
        raise MeetingJsonError(r.problems)
    meeting = Meeting(
        title=title, types=types, date=day, belongs_to_year=year, scope=scope, group_id=group_id,
        attendance=attendance, excluded=excluded, resolutions=tuple(resolutions),
    )  # fmt: skip
    t = texts
    return MeetingRecord(
        meeting=meeting, agenda=tuple(agenda), start_time=t["start_time"],
        end_time=t["end_time"], place=t["place"], host=t["host"], recorder=t["recorder"],
        guests=t["guests"], content=t["content"], lecturer=t["lecturer"], topic=t["topic"],
        theme=t["theme"],
    )  # fmt: skip


def read_file(path: Path, members: Iterable[Member], groups: Mapping[str, int]) -> MeetingRecord:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise MeetingJsonError([f"无法读取 {path}（{exc.strerror or exc}）"]) from None
    if len(raw) > MAX_FILE_BYTES:
        raise MeetingJsonError(
            [f"{path.name} 超过 {MAX_FILE_BYTES // 2**20} MB，不是一次会议的记录"]
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise MeetingJsonError(
            [f"第{line}行（第{exc.start + 1}字节）：不是 UTF-8 编码的文字，请用 UTF-8 保存后重试"]
        ) from None
    return from_json(text, members, groups)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "…"


def _surrogate_places(data: Any) -> list[tuple[str, int]]:
    """(place, code point) of every lone surrogate in keys and strings. SQLite cannot store
    one; json.loads lets "\\ud800" through. Walked without recursion (depth is unbounded)."""
    found: list[tuple[str, int]] = []
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            bad = _SURROGATE.search(value)
            if bad:
                found.append((where or "(顶层)", ord(bad.group())))
        elif isinstance(value, dict):
            for key, item in value.items():
                place = f"{where}.{key}" if where else str(key)
                if _SURROGATE.search(key):
                    found.append((place.encode("utf-8", "backslashreplace").decode(), 0xD800))
                    continue
                stack.append((place, item))
        elif isinstance(value, list):
            stack.extend((f"{where}[{n}]", item) for n, item in enumerate(value))
    return sorted(found)
