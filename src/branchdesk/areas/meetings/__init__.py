"""会议记录: 三会一课, 主题党日, 组织生活会 — minutes, attendance, votes, the calendar."""

from branchdesk.areas import Area

#: A meeting's parts belong to the meeting's 所属年度.
_OF_MEETING = "(SELECT belongs_to_year FROM meeting WHERE id = {row}.meeting_id)"

AREA = Area(
    key="meetings",
    title="会议记录",
    page="branchdesk.ui.meetings.page:MeetingsArea",
    shows=("roster", "branch", "settings", "archive"),
    settings_tabs=(("会议频次", "branchdesk.ui.meetings.frequencies:FrequencySettings"),),
    cli="branchdesk.areas.meetings.cli",
    reminders="branchdesk.areas.meetings.reminders:reminders",
    demo="branchdesk.areas.meetings.demo:populate_demo_meetings",
    archive="branchdesk.areas.meetings.archive:archive_items",
    archive_gaps="branchdesk.areas.meetings.archive:year_gaps",
    locked_tables=(
        ("meeting", "belongs_to_year"),
        ("meeting_type", _OF_MEETING),
        ("meeting_agenda", _OF_MEETING),
        ("meeting_attendance", _OF_MEETING),
        ("meeting_exclusion", _OF_MEETING),
        ("meeting_resolution", _OF_MEETING),
        ("meeting_attachment", _OF_MEETING),
    ),
    search="branchdesk.areas.meetings.archive:search",
    corrections=(
        (
            "meeting",
            "meeting",
            (
                ("title", "会议名称"),
                ("content", "会议内容"),
                ("place", "地点"),
                ("host", "主持人"),
                ("recorder", "记录人"),
                ("guests", "列席"),
                ("topic", "党课题目"),
                ("lecturer", "主讲人"),
                ("theme", "主题"),
            ),
            "date || ' ' || title",
        ),
    ),
)
