"""谈心谈话 and 民主评议党员: talk records with the year's coverage matrix and the talks that
events require; the annual appraisal from ballots to result; the 组织生活会 cycle (征求意见,
检视材料, 整改清单). One area: the appraisal is prepared and followed up by talks (会前谈心,
结果反馈), so both live on one page, as tabs."""

from branchdesk.areas import Area

AREA = Area(
    key="talks",
    title="谈心谈话",
    page="branchdesk.ui.talks.page:TalksArea",
    shows=("roster", "branch", "settings", "meetings"),
    settings_tabs=(("谈心谈话", "branchdesk.ui.talks.settings:TalkSettings"),),
    cli="branchdesk.areas.talks.cli",
    reminders="branchdesk.areas.talks.reminders:reminders",
    demo="branchdesk.areas.talks.demo:populate_demo_talks",
)
