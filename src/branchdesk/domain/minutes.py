"""A meeting as it is written in the book: the rules part (domain.meetings.Meeting) plus
what the minutes page holds (time, place, host, recorder, agenda, content, …)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from branchdesk.domain.meetings import Meeting


@dataclass(frozen=True)
class AttachmentInfo:
    """A photo or scan kept inside the book; the bytes are loaded on demand."""

    name: str
    mime: str
    size: int
    id: int | None = None
    width: int = 0
    height: int = 0


@dataclass(frozen=True)
class MeetingRecord:
    meeting: Meeting
    start_time: str = ""  # "14:30"
    end_time: str = ""
    place: str = ""
    host: str = ""  # 主持人
    recorder: str = ""  # 记录人
    guests: str = ""  # 列席 (free names)
    agenda: tuple[str, ...] = ()  # 议题, in order
    content: str = ""  # 会议内容 / 发言要点
    lecturer: str = ""  # 党课 主讲人
    topic: str = ""  # 党课 题目
    theme: str = ""  # 主题党日 主题与活动
    attachments: tuple[AttachmentInfo, ...] = field(default=())

    @property
    def id(self) -> int | None:
        return self.meeting.id

    @property
    def date(self) -> dt.date:
        return self.meeting.date

    def time_text(self) -> str:
        """14:30—16:30, or whichever part is known."""
        if self.start_time and self.end_time:
            return f"{self.start_time}—{self.end_time}"
        return self.start_time or self.end_time


_TIME_FORMAT_HINT = "时间应写成 14:30 这样的 24 小时制"


def check_time(text: str) -> str | None:
    """None when ``text`` is empty or a valid HH:MM; else a message."""
    if not text:
        return None
    try:
        dt.datetime.strptime(text, "%H:%M")
    except ValueError:
        return f"“{text}”不是有效时间（{_TIME_FORMAT_HINT}）"
    return None
