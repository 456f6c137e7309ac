"""档案: filing a year (an archive volume, the book locking the year's records), dated
corrections, the audit trail, and the search box over every area's records.

It covers the other areas only through their declarations (`Area.archive`,
`Area.locked_tables`, `Area.private_columns`, `Area.search`, `Area.corrections`), read
from the registry: an area added later is filed, locked, audited and searched as soon as
it declares them.
"""

from branchdesk.areas import Area

AREA = Area(
    key="archive",
    title="档案",
    page="branchdesk.ui.archive.page:ArchivePage",
    settings_tabs=(("档案", "branchdesk.ui.archive.page:ArchiveSettings"),),
    shows=("meetings", "roster", "points", "talks", "appraisal", "settings", "branch"),
    cli="branchdesk.areas.archive.cli",
    on_open="branchdesk.areas.archive.hooks:install",
    demo="branchdesk.areas.archive.hooks:populate_demo",
    reminders="branchdesk.areas.archive.reminders:reminders",
    archive="branchdesk.areas.archive.items:correction_items",
    # A 更正 is dated; one dated in a filed year would slip into a closed volume.
    locked_tables=(("archive_correction", "date"),),
    # A 更正 of a talk quotes its contents: the trail records that one was written.
    private_columns=(("archive_correction", "original"), ("archive_correction", "corrected")),
)
