"""积分 print jobs (公示, 登记卡, 年度汇总) and the Excel export; each reads the book now and
returns a builder that may run on a worker thread (see areas/printjob.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from branchdesk.areas.points.rules import (
    TotalRow,
    check_period,
    ranking_on,
    scheme_for,
    totals,
)
from branchdesk.areas.printjob import Pdf, make_job
from branchdesk.domain.points import (
    Annual,
    Line,
    Period,
    PeriodKind,
    format_points,
    notice_period_problem,
    period_result,
    scoring_periods,
)
from branchdesk.store import Book, InputError

if TYPE_CHECKING:
    from branchdesk.printing.points_notice import NoticeLine


def _notice_lines(rows: list[TotalRow]) -> list[NoticeLine]:
    from branchdesk.printing.points_notice import NoticeLine

    return [
        NoticeLine(
            r.member.name,
            format_points(r.base),
            format_points(r.added),
            format_points(r.deducted),
            format_points(r.total),
            r.band,
            r.note,
            str(r.rank or ""),
        )
        for r in rows
        if r.scored
    ]


def notice_job(
    book: Book, period: Period, date_from: dt.date, date_to: dt.date, contact: str = ""
) -> Callable[[], Pdf]:
    """The 公示 of a period; refused now (InputError) when the 公示期 is under 7 days."""
    from branchdesk.printing.points_notice import notice_pdf

    problem = notice_period_problem(date_from, date_to)
    if problem:
        raise InputError(problem)
    lines = _notice_lines(totals(book, period))
    branch = book.branch.profile()
    ranked = ranking_on(book)
    return make_job(
        book,
        lambda fonts: notice_pdf(
            branch,
            period.label,
            lines,
            date_from,
            date_to,
            contact=contact,
            ranked=ranked,
            fonts=fonts,
        ),
    )


def notice_printed(book: Book, period: Period, date_from: dt.date, date_to: dt.date) -> None:
    """Remember that the 公示 of ``period`` was printed (the page and the 工作台 show it)."""
    book.points.record_notice(period.key, date_from, date_to)


def card_job(book: Book, member_id: int, year: int) -> Callable[[], Pdf]:
    from branchdesk.printing.points_card import CardEntry, CardPeriod, card_pdf

    rules = scheme_for(book, year)
    member = book.roster.member(member_id)
    periods = []
    for part in scoring_periods(rules, year):
        entries = book.points.entries(part.start, part.end, member_id)
        running = rules.base
        lines = []
        for e in entries:
            running += e.value
            lines.append(
                CardEntry(
                    e.date.isoformat(),
                    e.item,
                    format_points(e.value),
                    e.reason + (f"（冲销明细 {e.reverses}）" if e.reverses else ""),
                    format_points(running),
                )
            )
        result = period_result(rules, [Line(e.item, e.category, e.value, e.count) for e in entries])
        subtotal = (
            f"基础分{format_points(result.base)}，加分{format_points(result.added)}，"
            f"扣分{format_points(result.deducted)}，{result.band}"
        )
        label = part.label.removeprefix(f"{year}年") if part.quarter else "全年"
        periods.append(CardPeriod(label, tuple(lines), subtotal, format_points(result.total)))
    row = next((r for r in totals(book, Period(year)) if r.member.id == member_id), None)
    result_text = ""
    if row is not None and row.scored:
        result_text = f"{format_points(row.total)} 分，{row.band}" + (
            f"（{row.note}）" if row.note else ""
        )
    facts = [
        ("党小组", member.group_name or "—"),
        ("人员类别", member.category.value),
        ("积分细则", f"基础分 {format_points(rules.base)}，按{rules.period.value}计分"),
    ]
    branch = book.branch.profile()
    return make_job(
        book,
        lambda fonts: card_pdf(
            branch, year, member.name, facts, periods, result=result_text, fonts=fonts
        ),
    )


def summary_job(book: Book, year: int) -> Callable[[], Pdf]:
    from branchdesk.printing.points_notice import SummaryLine, summary_pdf

    rules = scheme_for(book, year)
    quarterly = rules.period == PeriodKind.QUARTER
    lines = [
        SummaryLine(
            r.member.name,
            tuple(format_points(q) if q is not None else "—" for q in r.quarters),
            format_points(r.total),
            r.band,
            r.note,
        )
        for r in totals(book, Period(year))
        if r.scored
    ]
    footnote = ""
    if quarterly:
        footnote = (
            "注：年度积分为参加积分各季度的平均值，保留一位小数（四舍五入）。"
            if rules.annual == Annual.MEAN
            else "注：年度积分为参加积分各季度之和。"
        )
    branch = book.branch.profile()
    return make_job(
        book,
        lambda fonts: summary_pdf(
            branch, year, lines, quarterly=quarterly, footnote=footnote, fonts=fonts
        ),
    )


def export_xlsx(book: Book, year: int, path: Path) -> None:
    """积分汇总 (each period and the year) and 积分明细 of ``year`` as one workbook."""
    from branchdesk.exchange.points_xlsx import write_points

    rules = scheme_for(book, year)
    sheets: list[tuple[str, Sequence[str], Sequence[Sequence[object]]]] = []
    parts = scoring_periods(rules, year)
    for period in [*parts, Period(year)] if len(parts) > 1 else parts:
        check_period(rules, period)
        rows = [
            (
                n,
                r.member.name,
                r.member.id_number,
                "是" if r.scored else "否",
                format_points(r.base),
                format_points(r.added),
                format_points(r.deducted),
                format_points(r.total),
                r.band,
                r.note,
            )
            for n, r in enumerate(totals(book, period), start=1)
        ]
        name = period.label.removeprefix(f"{year}年") if period.quarter else f"{year}年度"
        sheets.append(
            (
                name,
                (
                    "序号",
                    "姓名",
                    "公民身份号码",
                    "参加积分",
                    "基础分",
                    "加分",
                    "扣分",
                    "总分",
                    "等次",
                    "备注",
                ),
                rows,
            )
        )
    names = {m.id: m.name for m in book.roster.members()}
    entries = book.points.entries(Period(year).start, Period(year).end)
    sheets.append(
        (
            "积分明细",
            (
                "编号",
                "日期",
                "姓名",
                "项目",
                "类别",
                "每次分值",
                "次数",
                "分值",
                "原因",
                "来源",
                "登记人",
                "登记时间",
                "冲销明细",
            ),
            [
                (
                    e.id,
                    e.date.isoformat(),
                    names.get(e.member_id, ""),
                    e.item,
                    e.category.value,
                    format_points(e.points),
                    e.count,
                    format_points(e.value),
                    e.reason,
                    e.source,
                    e.entered_by,
                    e.entered_at,
                    e.reverses or "",
                )
                for e in entries
            ],
        )
    )
    write_points(path, sheets, title=f"{book.branch.profile().name}{year}年度党员积分")
