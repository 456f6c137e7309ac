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
    archive="branchdesk.areas.points.archive:archive_items",
    archive_gaps="branchdesk.areas.points.archive:year_gaps",
    # points_sum is derived from the entries by their own trigger: not declared.
    locked_tables=(
        ("points_entry", "date"),
        ("points_notice", "period"),
        ("points_scheme", "year"),
    ),  # fmt: skip
    search="branchdesk.areas.points.archive:search",
    corrections=(
        (
            "points_entry",
            "points_entry",
            (("reason", "原因"), ("item", "项目")),
            "date || ' ' || item",
        ),
    ),  # fmt: skip
)
