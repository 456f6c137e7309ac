"""会议记录: 三会一课, 主题党日, 组织生活会 — minutes, attendance, votes, the calendar."""

from branchdesk.areas import Area

AREA = Area(
    key="meetings",
    title="会议记录",
    page="branchdesk.ui.meetings.page:MeetingsArea",
    shows=("roster", "branch", "settings"),
    settings_tabs=(("会议频次", "branchdesk.ui.meetings.frequencies:FrequencySettings"),),
    cli="branchdesk.areas.meetings.cli",
    reminders="branchdesk.areas.meetings.reminders:reminders",
    demo="branchdesk.areas.meetings.demo:populate_demo_meetings",
)
