"""Printing: pages per second of the 党员花名册 and of long Chinese text, against ReportLab's floor.

Each round, interleaved:
  roster (ours)        roster_pdf of a 200-member roll (landscape, ruled table, page numbers);
  floor: roster        SimpleDocTemplate + a Table of Paragraph cells (wordWrap="CJK") holding
                       the same rows, same TTFont, same sizes, header repeated — what the roll
                       costs with stock ReportLab and nothing of ours;
  floor: roster, str   the same Table with plain strings in the cells (no wrapping at all);
  text (ours)          text_pdf of ~100 pages of Chinese paragraphs (禁则 wrapping, justified,
                       22 × 28 grid, page numbers);
  floor: text          SimpleDocTemplate + one Paragraph (wordWrap="CJK") per paragraph, same
                       TTFont, 16 pt, same leading.
Times are per page (a document's time divided by its page count), so documents that break
into slightly different page counts compare fairly. The fonts are resolved (and registered)
once before timing; the first roster of a process, which pays for that, is reported apart.

    .venv/bin/python benchmarks/bench_printing.py
"""

from __future__ import annotations

import datetime as dt
import io
import random
import statistics
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from _common import Result, fmt_time, main, progress

if TYPE_CHECKING:
    from branchdesk.domain.members import Member

TARGET_RATIO = 2.0
ROLL = 200
ON = dt.date(2025, 12, 1)
PARAGRAPH = (
    "为深入学习贯彻党的二十大精神，根据上级党委《关于开展“不忘初心、牢记使命”主题教育的通知》"
    "要求，支部于2025年12月1日召开党员大会。会议指出：一是要加强理论学习，做到学思用贯通、"
    "知信行统一；二是要改进工作作风，坚持问题导向、目标导向、结果导向；三是要严守纪律规矩！"
    "与会同志一致认为——“把学习成果转化为推动工作的实际成效”……是新时代党员的基本要求（见附件1）。"
)
TEXT_PARAGRAPHS = 170  # about 100 pages of text_pdf


def _members(n: int) -> list[Member]:
    from branchdesk.areas.roster.demo import _DEMO_EDU, _GIVEN, _SURNAMES, GROUPS, make_id_number
    from branchdesk.domain.members import Category, Member

    rng = random.Random(20251201)
    out = []
    for i in range(n):
        gender = rng.choice("男女")
        birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 40))
        join = birth + dt.timedelta(days=365 * 20 + rng.randrange(0, 365 * 12))
        full = join + dt.timedelta(days=365) if rng.random() > 0.05 else None
        if full and full > ON:
            full = None
        name = rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.randint(1, 2)))
        out.append(
            Member(
                name=name,
                gender=gender,
                ethnicity=rng.choice(("汉族",) * 9 + ("回族",)),
                birth_date=birth,
                id_number=make_id_number(birth, gender, i),
                education=rng.choice(_DEMO_EDU),
                category=Category.FULL if full else Category.PROBATIONARY,
                join_date=join,
                full_date=full,
                post=rng.choice(("科员", "一级主任科员", "四级调研员", "处长")),
                group_name=rng.choice(GROUPS),
                id=i + 1,
            )
        )
    return out


def _pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def _floor_roster(rows: list[list[str]], font: str, paragraphs: bool) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    style = ParagraphStyle(
        "cell", fontName=font, fontSize=12, leading=15, wordWrap="CJK", alignment=1
    )
    data = [[Paragraph(c, style) for c in r] for r in rows] if paragraphs else rows
    table = Table(data, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("FONTSIZE", (0, 0), (-1, -1), 12),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ]
        )
    )
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=landscape(A4)).build([table])
    return out.getvalue()


def _floor_text(paragraphs: list[str], font: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from branchdesk.printing.page import BODY_INDENT, BODY_SIZE, LINE_PITCH

    style = ParagraphStyle(
        "body",
        fontName=font,
        fontSize=BODY_SIZE,
        leading=LINE_PITCH,
        wordWrap="CJK",
        firstLineIndent=BODY_INDENT,
    )
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4).build([Paragraph(p, style) for p in paragraphs])
    return out.getvalue()


def run(quick: bool = False) -> Result:
    from branchdesk.domain.branch import Branch
    from branchdesk.printing import roster_pdf, text_pdf
    from branchdesk.printing.blocks import ArchiveStamp
    from branchdesk.printing.fonts import BODY, resolve_fonts
    from branchdesk.printing.roster_form import COLUMNS, ordered_entries, roster_table_rows

    reps = 2 if quick else 9
    branch = Branch("市发展改革委机关第二党支部")
    members = _members(ROLL)
    paragraphs = [PARAGRAPH * 2] * TEXT_PARAGRAPHS
    clock = time.perf_counter

    t0 = clock()
    fonts = resolve_fonts()
    roster_pdf(branch, members, on=ON, fonts=fonts)
    first = clock() - t0
    font = fonts.name(BODY)
    rows = [
        [c.title for c in COLUMNS],
        *roster_table_rows(ordered_entries(members, ON), with_id=False),
    ]
    stamp = ArchiveStamp("J001", 2025, "永久", 1)

    cases: dict[str, Callable[[], bytes]] = {
        "roster (ours)": lambda: roster_pdf(
            branch, members, on=ON, fonts=fonts, archive_stamp=stamp
        ),
        "floor: roster, Table of Paragraphs": lambda: _floor_roster(rows, font, True),
        "floor: roster, Table of strings": lambda: _floor_roster(rows, font, False),
        "text (ours)": lambda: text_pdf("关于召开组织生活会的通知", paragraphs, fonts=fonts),
        "floor: text, Paragraphs": lambda: _floor_text(paragraphs, font),
    }
    per_page: dict[str, list[float]] = {c: [] for c in cases}
    pages: dict[str, int] = {}
    for rnd in range(reps + 1):  # round 0 warms up
        for name, make in cases.items():
            t0 = clock()
            pdf = make()
            elapsed = clock() - t0
            pages[name] = _pages(pdf)
            if rnd:
                per_page[name].append(elapsed / pages[name])
        progress(f"printing: round {rnd}/{reps}")

    result = Result("Printing")
    for floor, ours in (
        ("floor: roster, Table of Paragraphs", "roster (ours)"),
        ("floor: text, Paragraphs", "text (ours)"),
    ):
        result.add(floor, per_page[floor])
        ratio = statistics.median(per_page[ours]) / statistics.median(per_page[floor])
        result.add(
            ours,
            per_page[ours],
            baseline=floor,
            target="≤ 2× floor per page",
            met=ratio <= TARGET_RATIO,
        )
    result.add("floor: roster, Table of strings", per_page["floor: roster, Table of strings"])
    rates = ", ".join(
        f"{name} {1 / statistics.median(v):.0f} pages/s ({pages[name]} pages)"
        for name, v in per_page.items()
    )
    result.notes.append(f"Times are per page. Pages per second (median): {rates}.")
    result.notes.append(
        f"First roster in a fresh process, fonts found and registered: {first:.2f} s "
        f"({', '.join(fonts.describe()[:1])}; {len(fonts.fallbacks)} fallback font(s))."
    )
    _branch_wide(result, 2 if quick else 5)
    return result


def _branch_wide(result: Result, reps: int) -> None:
    """The minutes of the 5,000 × 10 years book's last branch-wide meeting with the most
    people away (hundreds of names under 缺席人员及原因), read and built as 打印 does."""
    from _common import LARGE, book

    from branchdesk.areas.meetings.jobs import minutes_job
    from branchdesk.store import open_book

    bk = open_book(book(LARGE))
    meeting_id, away = bk.db.execute(
        "SELECT m.id, count(*) FROM meeting m JOIN meeting_attendance a ON a.meeting_id = m.id"
        " WHERE m.scope = '全体党员' AND a.status <> '出席'"
        " GROUP BY m.id ORDER BY count(*) DESC, m.date DESC LIMIT 1"
    ).fetchone()
    samples, pages, failure = [], 0, ""
    for _ in range(reps):
        t0 = time.perf_counter()
        try:
            made = minutes_job(bk, meeting_id)()
        except Exception as exc:  # what would reach the user
            failure = f"{type(exc).__name__}: {exc}"
            break
        samples.append(time.perf_counter() - t0)
        pages = made.pages
    bk.close(backup=False)
    name = "minutes of the 5,000-member branch's biggest branch-wide meeting"
    row = result.add(name, samples or [0.0], target="prints")
    row.met = not failure
    row.headline = "minutes of a branch-wide meeting, 800+ members"
    row.target = "prints (no LayoutError)"
    row.measured = (
        f"prints: {pages} pages with {away} names under 缺席人员及原因 in "
        f"{fmt_time(row.median)} p50 (read + build)"
        if not failure
        else f"fails: {failure}"
    )


def profile() -> None:
    from _common import profile_call

    from branchdesk.domain.branch import Branch
    from branchdesk.printing import roster_pdf, text_pdf
    from branchdesk.printing.fonts import resolve_fonts

    fonts = resolve_fonts()
    members = _members(ROLL)
    branch = Branch("市发展改革委机关第二党支部")

    def work() -> None:
        roster_pdf(branch, members, on=ON, fonts=fonts)
        text_pdf("标题", [PARAGRAPH * 2] * TEXT_PARAGRAPHS, fonts=fonts)

    print(profile_call(work))


if __name__ == "__main__":
    main(run, profile)
