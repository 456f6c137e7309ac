"""党员名册: the roll, effective-dated (who belonged, in which category, on any day)."""

from branchdesk.areas import Area

AREA = Area(
    key="roster",
    title="党员名册",
    page="branchdesk.ui.roster.page:RosterPage",
    shows=("branch",),
    cli="branchdesk.areas.roster.cli",
    reminders="branchdesk.areas.roster.reminders:reminders",
    demo="branchdesk.areas.roster.demo:populate_demo",
)
