"""谈心谈话 and 民主评议党员: talk records with the year's coverage matrix and the talks that
events require; the annual appraisal from ballots to result; the 组织生活会 cycle (征求意见,
检视材料, 整改清单). One area: the appraisal is prepared and followed up by talks (会前谈心,
结果反馈), so both live on one page, as tabs."""

from branchdesk.areas import Area

#: A talk's people and attachments belong to the talk's 所属年度.
_OF_TALK = "(SELECT year FROM talk WHERE id = {row}.talk_id)"

AREA = Area(
    key="talks",
    title="谈心谈话",
    page="branchdesk.ui.talks.page:TalksArea",
    shows=("roster", "branch", "settings", "meetings"),
    settings_tabs=(("谈心谈话", "branchdesk.ui.talks.settings:TalkSettings"),),
    cli="branchdesk.areas.talks.cli",
    reminders="branchdesk.areas.talks.reminders:reminders",
    demo="branchdesk.areas.talks.demo:populate_demo_talks",
    archive="branchdesk.areas.talks.archive:archive_items",
    archive_gaps="branchdesk.areas.talks.archive:year_gaps",
    locked_tables=(
        ("talk", "year"),
        ("talk_person", _OF_TALK),
        ("talk_attachment", _OF_TALK),
        ("appraisal", "year"),
        ("appraisal_step", "year"),
        ("appraisal_exclusion", "year"),
        ("appraisal_result", "year"),
        ("life_opinion", "year"),
        ("life_review", "year"),
        # 整改 goes on after the year is filed: its state and completion note are kept up.
        ("rectification", "year", ("status", "completion")),
    ),
    # Talk contents and the opinions gathered: the audit trail says "（已修改）" only.
    private_columns=(
        ("talk", "summary"),
        ("talk", "views"),
        ("talk", "follow_up"),
        ("talk", "result"),
        ("life_opinion", "text"),
    ),
    search="branchdesk.areas.talks.archive:search",
    corrections=(
        (
            "talk",
            "talk",
            (
                ("topic", "谈话主题"),
                ("place", "谈话地点"),
                ("summary", "谈话内容要点"),
                ("views", "对方的意见和诉求"),
                ("follow_up", "后续措施"),
                ("result", "落实情况"),
            ),
            "date || ' ' || topic",
        ),
        (
            "rectification",
            "rectification",
            (("problem", "存在问题"), ("measures", "整改措施"), ("owner", "责任人")),
            "problem",
        ),
    ),
)
