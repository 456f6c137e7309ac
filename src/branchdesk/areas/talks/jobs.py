"""谈心谈话 and 民主评议 print jobs: read the book now, build the PDF anywhere
(see areas/printjob.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from branchdesk.areas.printjob import Pdf, make_job
from branchdesk.domain.talks import Talk
from branchdesk.store import Book

if TYPE_CHECKING:
    from branchdesk.printing.fonts import FontSet
    from branchdesk.printing.talk_appraisal import ResultLine
    from branchdesk.printing.talk_record import TalkView


def names_of(book: Book) -> dict[int, str]:
    return {m.id or 0: m.name for m in book.roster.members()}


def talk_views(talks: Iterable[Talk], names: Mapping[int, str]) -> list[TalkView]:
    from branchdesk.printing.talk_record import TalkView

    def join(ids: Iterable[int]) -> str:
        return "、".join(names.get(i, f"（编号{i}）") for i in ids)

    out = []
    for n, t in enumerate(talks, 1):
        out.append(
            TalkView(
                date=t.date,
                talkers=join(t.talkers),
                others=join(t.others),
                kind=t.kind,
                topic=t.topic,
                place=t.place,
                summary=t.summary,
                views=t.views,
                follow_up=t.follow_up,
                result=t.result,
                result_date=t.result_date,
                number=f"{t.belongs_to_year}-{n:03d}",
            )
        )
    return out


def _numbered(book: Book, talk: Talk) -> str:
    year = book.talks.outlines(talk.belongs_to_year)
    position = next((n for n, t in enumerate(year, 1) if t.id == talk.id), 0)
    return f"{talk.belongs_to_year}-{position:03d}"


def record_job(book: Book, talk_ids: Iterable[int]) -> Callable[[], Pdf]:
    """谈心谈话记录表 of these talks, one per page. Raises KeyError for an unknown id."""
    from dataclasses import replace

    from branchdesk.printing.talk_record import talk_record_pdf

    talks = [book.talks.get(i) for i in talk_ids]
    names = names_of(book)
    views = [
        replace(v, number=_numbered(book, t))
        for t, v in zip(talks, talk_views(talks, names), strict=True)
    ]
    branch = book.branch.profile().name
    # A filed talk that was corrected prints with its 更正说明 after it: a reprint is
    # never the uncorrected record alone (as the minutes do).
    corrections = [c for t in talks for c in book.archive.corrections("talk", t.id)]
    if not corrections:
        return make_job(book, lambda fonts: talk_record_pdf(views, branch, fonts=fonts))
    from branchdesk.domain.archive import correction_paragraphs

    paragraphs = ["本记录已归档，原记录不变，更正如下：", *correction_paragraphs(corrections)]

    def render(fonts: FontSet) -> bytes:
        from branchdesk.printing.archive_volume import append_renumbered
        from branchdesk.printing.document import text_pdf

        addendum = text_pdf("谈心谈话记录更正说明", paragraphs, fonts=fonts,
                            signatures=("批准人签字", "日期"), author=branch)  # fmt: skip
        return append_renumbered(talk_record_pdf(views, branch, fonts=fonts), addendum,
                                 fonts=fonts)  # fmt: skip

    return make_job(book, render)


def register_job(book: Book, year: int) -> Callable[[], Pdf]:
    from branchdesk.printing.talk_record import register_pdf

    views = talk_views(book.talks.talks(year), names_of(book))
    branch = book.branch.profile().name
    return make_job(book, lambda fonts: register_pdf(views, branch, year, fonts=fonts))


def ballot_job(book: Book, year: int, copies: int = 1) -> Callable[[], Pdf]:
    """测评表: the session's rated members in 姓氏笔画 order. Raises KeyError without a session."""
    from branchdesk.domain.appraisal import share_text
    from branchdesk.domain.strokes import sort_by_strokes
    from branchdesk.printing.talk_appraisal import ballot_pdf

    people = [p for p in book.appraisal.participants(year) if p.rated]
    names = [p.name for p in sort_by_strokes(people, key=lambda p: p.name)]
    branch = book.branch.profile().name
    share = share_text(book.appraisal.excellent_share())
    return make_job(
        book,
        lambda fonts: ballot_pdf(
            branch, year, names, copies=copies, share_text=share, fonts=fonts
        ),  # fmt: skip
    )


def result_lines(book: Book, year: int) -> list[ResultLine]:
    from branchdesk.areas.talks.rules import appraisal_rows
    from branchdesk.printing.talk_appraisal import ResultLine

    lines = []
    for row in appraisal_rows(book, year):
        p, t, r = row.participant, row.tally, row.rating
        if p.excluded_reason:
            note = f"未参加（{p.excluded_reason}）"
        elif not p.rated:
            note = "预备党员，不评定等次"
        else:
            note = "；".join(x for x in (r.handling and f"处置：{r.handling}", r.note) if x)
        ex, ok, basic, bad = (t.count(k) for k in ("优秀", "合格", "基本合格", "不合格"))
        lines.append(ResultLine(p.name, ex, ok, basic, bad, r.proposed, r.final, note, p.rated))
    return lines


def result_summary(book: Book, year: int, lines: list[ResultLine]) -> str:
    """参评党员 N 人，其中优秀 a 人、… (the line under the 汇总表)."""
    from collections import Counter

    finals = Counter(x.final for x in lines if x.final)
    rated = sum(1 for p in book.appraisal.participants(year) if p.rated)
    return (
        f"参评党员 {rated} 人，其中"
        + "、".join(f"{k} {finals.get(k, 0)} 人" for k in ("优秀", "合格", "基本合格", "不合格"))
        + "。"
    )


def result_job(book: Book, year: int) -> Callable[[], Pdf]:
    from branchdesk.printing.talk_appraisal import result_pdf

    session = book.appraisal.session(year)
    lines = result_lines(book, year)
    summary = result_summary(book, year, lines)
    branch = book.branch.profile().name
    return make_job(
        book,
        lambda fonts: result_pdf(branch, year, lines, day=session.date, issued=session.issued,
                                 returned=session.returned, summary=summary, fonts=fonts),
    )  # fmt: skip


def rectification_job(book: Book, year: int) -> Callable[[], Pdf]:
    from branchdesk.printing.talk_appraisal import RectificationLine, rectification_pdf

    lines = [
        RectificationLine(x.problem, x.measures, x.owner, x.due, x.status, x.completion)
        for x in book.appraisal.rectifications(year)
    ]
    branch = book.branch.profile().name
    return make_job(book, lambda fonts: rectification_pdf(branch, year, lines, fonts=fonts))
