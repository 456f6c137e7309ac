"""党员积分 demo: the quarterly-100 rule set for every year with meetings and for this year
(its automatic entries follow from the demo meetings), and a few manual entries dated
relative to today, so the demo still looks alive next year."""

from __future__ import annotations

import datetime as dt

from branchdesk.store import Book

#: (days before today, item, reason); the members are picked in roll order.
MANUAL = (
    (5, "参加志愿服务", "社区志愿服务"),
    (12, "撰写信息或文章", "支部工作信息被机关党委采用"),
    (33, "受到表彰", "获评年度优秀共产党员"),
    (47, "未按时交纳党费", "连续两个月未交纳党费"),
    (70, "参加志愿服务", "无偿献血"),
    (95, "未完成支部交办任务", "未按期提交学习心得"),
)


def populate_demo_points(book: Book, today: dt.date | None = None) -> None:
    from branchdesk.areas.points.rules import template
    from branchdesk.domain.points import not_scored_reason

    today = today or dt.date.today()
    rules = template("quarterly-100").rules
    days = [today - dt.timedelta(days=d) for d, _, _ in MANUAL]
    years = sorted({*book.meetings.years(), today.year, *(d.year for d in days)})
    if not book.points.entered_by():
        book.points.set_entered_by("黄磊")
    members = book.roster.members()
    with book.atomic("points"):
        for year in years:
            book.points.set_scheme(year, rules, "quarterly-100")
        for n, ((_, item, reason), day) in enumerate(zip(MANUAL, days, strict=True)):
            scored = [m for m in members if not_scored_reason(m, day, rules.scored) is None]
            if scored:
                member = scored[(3 * n + 1) % len(scored)]
                book.points.add(member.id or 0, day, item, reason=reason)
