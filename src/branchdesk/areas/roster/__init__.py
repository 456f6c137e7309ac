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
    archive="branchdesk.areas.roster.archive:archive_items",
    # Membership events (转入, 转正, 转出 …) are dated: a filed year's are locked. The
    # member rows themselves are the living roll (phone, post change every year): they
    # are audited, not locked; the roll as it stood is the filed 花名册.
    locked_tables=(
        # A 留党察看 begun in a filed year still gets its end date when it ends.
        ("member_event", "date", ("end_date",)),
        ("member", ""),
        ("party_group", ""),
        ("committee_post", ""),
    ),
    search="branchdesk.areas.roster.archive:search",
)
