"""谈心谈话 reminders for the 工作台: members not yet talked with this year (more prominent
from October), talks that events require, last year's 民主评议 steps not done by the end of
Q1, 整改 items overdue."""

from __future__ import annotations

import datetime as dt

from branchdesk.areas import Reminder, Target
from branchdesk.areas.talks.rules import coverage_for, due_for
from branchdesk.domain.appraisal import end_of_q1, steps_not_done
from branchdesk.domain.dates import format_cn
from branchdesk.domain.talks import not_talked_with
from branchdesk.store import Book

COVERAGE_GROUP = "谈心谈话"
DUE_GROUP = "应进行的谈话"
APPRAISAL_GROUP = "民主评议党员"
RECTIFY_GROUP = "整改事项逾期"
#: From this month on the year's remaining talks are urgent.
PROMINENT_MONTH = 10


def reminders(book: Book, today: dt.date) -> list[Reminder]:
    members = book.roster.members()
    names = {m.id: m.name for m in members}
    out: list[Reminder] = []
    cov = coverage_for(book, today.year, members=members, until=today)
    missing = not_talked_with(cov)
    if missing:
        late = today.month >= PROMINENT_MONTH
        shown = "、".join(names.get(x.member_id, "") for x in missing[:5])
        more = f"等 {len(missing)} 人" if len(missing) > 5 else f"共 {len(missing)} 人"
        text = f"本年度尚未完成谈心谈话的党员：{shown}{more}（缺 {len(cov.missing())} 对）"
        if late:
            text = "年底将至，" + text
        out.append(
            Reminder(
                COVERAGE_GROUP,
                text,
                Target("talks", "coverage", today.year),
                urgency=-1 if late else 1,
                detail={"count": len(missing)},
            )  # fmt: skip
        )
    for d in due_for(book, today, members):
        overdue = d.overdue_on(today)
        text = d.text + ("（已逾期）" if overdue else "")
        out.append(Reminder(DUE_GROUP, text, Target("talks", "due", d.member_id),
                            urgency=-1 if overdue else 0))  # fmt: skip
    last = today.year - 1
    deadline = end_of_q1(last)
    if today.month <= 3 or today > deadline:
        try:
            session = book.appraisal.session(last)
        except KeyError:
            session = None
        if session is None:
            if today > deadline:
                pass  # nothing was started: the branch may not use the book for it
        else:
            open_steps = steps_not_done(session.steps)
            if open_steps:
                which = "、".join(s.name for s in open_steps[:3]) + (
                    "等" if len(open_steps) > 3 else ""
                )
                text = (
                    f"{last}年度民主评议党员尚有 {len(open_steps)} 个步骤未完成（{which}），"
                    f"应于{format_cn(deadline)}前完成"
                )
                overdue = today > deadline
                out.append(Reminder(APPRAISAL_GROUP, text + ("（已逾期）" if overdue else ""),
                                    Target("talks", "appraisal", last),
                                    urgency=-1 if overdue else 0))  # fmt: skip
    for item in book.appraisal.rectifications():
        if item.overdue_on(today):
            out.append(Reminder(RECTIFY_GROUP, item.overdue_text + "，已逾期",
                                Target("talks", "rectification", item.id), urgency=-1))  # fmt: skip
    return out
