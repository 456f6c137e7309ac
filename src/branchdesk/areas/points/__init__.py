"""党员积分: the branch's own rule set per year, a ledger that is never edited (corrections
are reversing entries), automatic entries from meeting attendance, the quarterly 公示."""

from branchdesk.areas import Area

AREA = Area(
    key="points",
    title="积分管理",
    page="branchdesk.ui.points.page:PointsArea",
    shows=("roster", "meetings", "settings", "branch"),
    settings_tabs=(("积分", "branchdesk.ui.points.settings:PointsSettings"),),
    cli="branchdesk.areas.points.cli",
    reminders="branchdesk.areas.points.reminders:reminders",
    demo="branchdesk.areas.points.demo:populate_demo_points",
)
