"""党员积分: the branch's own rule set per year, a ledger that is never edited (corrections
are reversing entries), automatic entries from meeting attendance, the quarterly 公示."""

from branchdesk.areas import Area

AREA = Area(
    key="points",
    title="积分管理",
    placeholder="“积分管理”的页面尚未完成；积分账目已可在命令行中使用。",
    cli="branchdesk.areas.points.cli",
    reminders="branchdesk.areas.points.reminders:reminders",
    demo="branchdesk.areas.points.demo:populate_demo_points",
)
