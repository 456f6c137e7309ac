"""What 谈心谈话 files for a year — the 谈心谈话情况登记表, the 民主评议党员结果汇总表 and
the 整改清单 of the year's 组织生活会 — what the year misses, and how talks, 整改 items and
征求意见 are found by the search box. Talk contents (要点, 意见和诉求, 措施, 落实) are
private columns: the audit trail records that they changed, never what they say."""

from __future__ import annotations

import datetime as dt
from functools import partial

from branchdesk.areas import ArchiveItem, Gap, Hit, Target
from branchdesk.areas.meetings.archive import minutes_retention
from branchdesk.store import Book

TALKS_CLASS = 50
APPRAISAL_CLASS = 60


def archive_items(book: Book, year: int) -> list[ArchiveItem]:
    from branchdesk.areas.talks.jobs import rectification_job, register_job, result_job

    branch = book.branch.profile().name
    retention = minutes_retention(book)
    items = []
    talks = book.talks.outlines(year)
    if talks:
        items.append(
            ArchiveItem(
                area="talks",
                key=f"talks:{year}:register",
                title=f"{year}年度谈心谈话情况登记表（{len(talks)}次）",
                responsible=branch,
                date=max(t.date for t in talks),
                sort_class=TALKS_CLASS,
                retention=retention,
                print=partial(register_job, book, year),
                content=partial(register_content, book, year),
            )
        )
    if year in book.appraisal.years():
        session = book.appraisal.session(year)
        items.append(
            ArchiveItem(
                area="talks",
                key=f"appraisal:{year}:result",
                title=f"{year}年度民主评议党员结果汇总表",
                responsible=branch,
                date=session.date,
                sort_class=APPRAISAL_CLASS,
                retention=retention,
                print=partial(result_job, book, year),
                content=partial(result_content, book, year),
                gaps=_appraisal_gaps(book, year),
            )
        )
    fixes = book.appraisal.rectifications(year)
    if fixes:
        dates = [x.due for x in fixes if x.due is not None]
        items.append(
            ArchiveItem(
                area="talks",
                key=f"rectification:{year}",
                title=f"{year}年度组织生活会整改清单（{len(fixes)}项）",
                responsible=branch,
                date=min(dates) if dates else dt.date(year, 12, 31),
                sort_class=APPRAISAL_CLASS,
                retention=retention,
                print=partial(rectification_job, book, year),
                content=partial(rectification_content, book, year),
            )
        )
    return items


def register_content(book: Book, year: int) -> list[object]:
    """The 登记表 in the volume's Word copy: the same title, head line and rows."""
    from branchdesk.areas.talks.jobs import names_of, talk_views
    from branchdesk.printing.talk_record import REGISTER_COLUMNS, register_rows
    from branchdesk.printing.volume_docx import Heading, Para, Table

    views = talk_views(book.talks.talks(year), names_of(book))
    branch = book.branch.profile().name
    return [
        Heading(f"{year}年度谈心谈话情况登记表"),
        Para(f"党支部：{branch}\u3000\u3000共 {len(views)} 次谈话", "left"),
        Table(tuple(c.title for c in REGISTER_COLUMNS),
              tuple(tuple(r) for r in register_rows(views, year))),
    ]  # fmt: skip


def result_content(book: Book, year: int) -> list[object]:
    from branchdesk.areas.talks.jobs import result_lines, result_summary
    from branchdesk.domain.dates import format_cn
    from branchdesk.printing.talk_appraisal import RESULT_COLUMNS, result_rows
    from branchdesk.printing.volume_docx import Heading, Para, Table

    session = book.appraisal.session(year)
    branch = book.branch.profile().name
    lines = result_lines(book, year)
    return [
        Heading(f"{year}年度民主评议党员结果汇总表"),
        Para(f"党支部：{branch}\u3000\u3000评议日期：{format_cn(session.date)}", "left"),
        Para(f"发出测评表 {session.issued} 张，收回 {session.returned} 张", "left"),
        Table(tuple(c.title for c in RESULT_COLUMNS), tuple(tuple(r) for r in result_rows(lines))),
        Para(result_summary(book, year, lines)),
        Para("支部书记签字：__________    日期：____年__月__日", "left"),
    ]


def rectification_content(book: Book, year: int) -> list[object]:
    from branchdesk.printing.talk_appraisal import (
        RECTIFY_COLUMNS,
        RectificationLine,
        rectification_rows,
    )
    from branchdesk.printing.volume_docx import Heading, Para, Table

    lines = [
        RectificationLine(x.problem, x.measures, x.owner, x.due, x.status, x.completion)
        for x in book.appraisal.rectifications(year)
    ]
    branch = book.branch.profile().name
    return [
        Heading(f"{year}年度组织生活会整改清单"),
        Para(f"党支部：{branch}\u3000\u3000共 {len(lines)} 项", "left"),
        Table(tuple(c.title for c in RECTIFY_COLUMNS),
              tuple(tuple(r) for r in rectification_rows(lines))),
    ]  # fmt: skip


def _appraisal_gaps(book: Book, year: int) -> tuple[Gap, ...]:
    """Rated members without a final 评议等次."""
    session = book.appraisal.session(year)
    missing = [
        p.name
        for p in book.appraisal.participants(year)
        if p.rated
        and not p.excluded_reason
        and not (session.results.get(p.member_id) and session.results[p.member_id].rating.final)
    ]
    if not missing:
        return ()
    names = "、".join(missing[:5]) + (f"等{len(missing)}人" if len(missing) > 5 else "")
    return (Gap(f"{year}年度民主评议：{names}没有评议等次", Target("talks", "appraisal", year)),)


def year_gaps(book: Book, year: int) -> list[Gap]:
    """No talk recorded, no 民主评议 session, no 整改清单 after the year's 组织生活会."""
    gaps = []
    if not book.talks.outlines(year):
        gaps.append(Gap(f"{year}年度没有谈心谈话记录", Target("talks", "coverage", year)))
    if year not in book.appraisal.years():
        gaps.append(
            Gap(f"{year}年度没有民主评议党员的测评和评议结果", Target("talks", "appraisal", year))
        )
    if not book.appraisal.rectifications(year):
        gaps.append(Gap(f"{year}年度组织生活会没有整改清单", Target("talks", "life", year)))
    return gaps


def search(book: Book, query: str) -> list[Hit]:
    """Talks (topic, place, contents, attachment names), 整改清单, 征求意见."""
    hits = [
        Hit.of(found, "talks", Target("talks", "talk", found.record_id))
        for found in book.search.talks(query)
    ]
    for found in book.search.life(query):
        opinion = found.field == "征求意见"
        target = (
            Target("talks", "life", found.year)
            if opinion
            else Target("talks", "rectification", found.record_id)
        )
        hits.append(Hit.of(found, "talks", target, dated=False))
    return hits
