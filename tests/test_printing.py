"""Printed forms read back with pypdf: page size, fonts, text and its order, page numbers,
the GB/T 9704 text block, line breaking."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from branchdesk.domain.members import Category, Member, roster_on
from branchdesk.domain.strokes import sort_by_strokes
from branchdesk.printing import ArchiveStamp, roster_pdf, signin_pdf, text_pdf
from branchdesk.printing.blocks import Column
from branchdesk.printing.fonts import SONG, FontSet, glyph_vertical_centre
from branchdesk.printing.page import (
    BODY_TRACKING,
    CHAR_PITCH,
    LINE_PITCH,
    page_size,
    page_to_sheet,
    sheet_block,
    stamp_rect,
    text_block,
)
from branchdesk.printing.roster_form import choose_layout, ordered_entries
from branchdesk.printing.text import Typesetter
from test_printing_helpers import (  # noqa: F401  (fonts is a fixture)
    BRANCH,
    ON,
    Page,
    Run,
    demo_members,
    font_problems,
    fonts,
    made_up_members,
    mm,
    read_pages,
)

A4 = (mm(210), mm(297))
NO_START = "，。、；：！？）》」』”’…"  # the house rules, apart from the code under test
NO_END = "（《「『“‘"
PAGE_NUMBER = "— {} —"

LONG_TEXT = (
    "为深入学习贯彻党的二十大精神，根据上级党委《关于开展“不忘初心、牢记使命”主题教育的通知》"
    "要求，支部于2025年12月1日召开党员大会。会议指出：一是要加强理论学习，做到学思用贯通、"
    "知信行统一；二是要改进工作作风，坚持问题导向、目标导向、结果导向；三是要严守纪律规矩！"
    "与会同志一致认为——“把学习成果转化为推动工作的实际成效”……是新时代党员的基本要求"
    "（见附件1）。会上，“组织委员”通报了“三会一课”、主题党日、谈心谈话的开展情况（含12.5%"
    "的缺勤率）。书记强调：“要‘以学促干’，把‘第一议题’制度落到实处。”"
)


# --- geometry ------------------------------------------------------------------------------


def test_page_geometry_is_gb_t_9704() -> None:
    odd, even = sheet_block(1), sheet_block(2)
    assert (odd.x, odd.y, odd.width, odd.height) == pytest.approx(
        (mm(28), mm(35), mm(156), mm(225))
    )
    assert mm(297) - odd.top == pytest.approx(mm(37))  # 天头
    assert even.x == pytest.approx(mm(26))  # mirrored: 订口 on the right
    assert mm(210) - even.right == pytest.approx(mm(28))
    assert pytest.approx(28.99, abs=0.005) == LINE_PITCH  # 225 mm / 22
    assert pytest.approx(mm(156)) == 28 * CHAR_PITCH
    assert pytest.approx(-0.207, abs=0.001) == BODY_TRACKING  # 16 pt set at 15.79 pt
    # Landscape: the same rectangle of the sheet, turned; top on the binding side of odd pages.
    land = text_block(1, "landscape")
    assert (land.x, land.y, land.width, land.height) == pytest.approx(
        (mm(35), mm(26), mm(225), mm(156))
    )
    assert mm(210) - land.top == pytest.approx(mm(28))
    assert text_block(2, "landscape").y == pytest.approx(mm(28))


# --- helpers -------------------------------------------------------------------------------


def body_runs(page: Page) -> list[Run]:
    """Everything but the page number and the stamp."""
    number = PAGE_NUMBER.format(page.number)
    return [r for r in page.runs if r.text != number and r.size != 10.0]


def check_page_numbers(pages: list[Page], fonts: FontSet, orientation: str) -> None:  # noqa: F811
    """ "— N —" on every page, 7 mm below the block (measured to the dash's middle), one
    character (14 pt) in from the block's outer edge: right on odd pages, left on even."""
    font = fonts.name(SONG)
    centre = glyph_vertical_centre(font, "—")
    assert centre is not None
    for page in pages:
        text = PAGE_NUMBER.format(page.number)
        (run,) = page.find(text)
        width = stringWidth(text, font, 14)
        block = sheet_block(page.number)  # the sheet held upright
        if orientation == "portrait":
            assert run.upright
            x, y = run.x, run.y
        else:  # printed turned with the sheet: reading downwards, on the left
            assert run.matrix == pytest.approx((0, -1, 1, 0))
            x, y = mm(210) - run.y, run.x  # back to upright-sheet coordinates
        dash_line = y + centre * 14
        assert block.y - dash_line == pytest.approx(mm(7), abs=0.01)
        if page.number % 2:
            assert block.right - (x + width) == pytest.approx(14, abs=0.01)
        else:
            assert x - block.x == pytest.approx(14, abs=0.01)


def check_inside_block(pages: list[Page], orientation: str) -> None:
    for page in pages:
        block = text_block(page.number, orientation)
        for run in body_runs(page):
            assert block.contains(run.x, run.y), (page.number, run)
            assert run.x < block.right - run.size / 2, (page.number, run)


def names_after_numbers(pages: list[Page], size: float, stop: set[str]) -> list[tuple[str, str]]:
    """(序号, 姓名) of each table row, in the order drawn: the runs after a row number up to
    the next column's value (a wrapped name is several runs)."""
    rows: list[tuple[str, str]] = []
    for page in pages:
        runs = body_runs(page)
        for i, run in enumerate(runs):
            if run.text.isdigit() and run.size == size:
                parts = []
                for after in runs[i + 1 :]:
                    if after.text in stop:
                        break
                    parts.append(after.text)
                rows.append((run.text, "".join(parts)))
    return rows


def check_line_starts(runs: list[Run]) -> None:
    for run in runs:
        assert run.text[0] not in NO_START, run
        assert run.text[-1] not in NO_END, run


# --- 党员花名册 -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def roll() -> list[Member]:
    return demo_members() + made_up_members(45)


@pytest.fixture(scope="module")
def roster(roll: list[Member], fonts: FontSet) -> bytes:  # noqa: F811
    return roster_pdf(BRANCH, roll, on=ON, fonts=fonts,
                      archive_stamp=ArchiveStamp("J001", 2025, "永久", 7))  # fmt: skip


def test_roster_pages_and_fonts(roster: bytes) -> None:
    pages = read_pages(roster)
    assert len(pages) >= 3
    assert all((p.width, p.height) == pytest.approx(A4[::-1]) for p in pages)  # landscape
    assert font_problems(roster) == []


def test_roster_names_in_stroke_order(roster: bytes, roll: list[Member]) -> None:
    pages = read_pages(roster)
    expected = sort_by_strokes(e.member.name for e in roster_on(roll, ON))
    rows = names_after_numbers(pages, 12, {"男", "女"})
    assert rows == [(str(n), name) for n, name in enumerate(expected, 1)]
    assert "阿依古丽·买买提" in expected  # wrapped in its cell, still read back whole
    assert "徐丽" in [m.name for m in roll] and "徐丽" not in expected  # joins in 2026


def test_roster_heading_header_rows_and_stamp(roster: bytes) -> None:
    pages = read_pages(roster)
    first = pages[0].texts()
    assert first[first.index("市发展改革委机关第二党支部党员花名册") + 2] == "截至2025年12月1日"
    header = ["序号", "姓名", "性别", "民族", "出生年月", "学历", "入党时间", "转正时间",
              "人员类别", "党小组", "工作岗位"]  # fmt: skip
    for page in pages:  # the header row repeats
        texts = page.texts()
        assert [t for t in texts if t in header] == header, page.number
        assert "公民身份号码" not in texts
    # the 归档章 sits at the sheet's top right, turned with the sheet like the page number:
    # clear of the binding margin (the landscape page's own top edge is the binding side)
    stamp = stamp_rect()
    for value in ("J001", "2025", "永久", "7"):
        (run,) = [r for r in pages[0].find(value) if r.size == 10]
        assert stamp.contains(*page_to_sheet(run.x, run.y, "landscape"))
        assert run.matrix == pytest.approx((0.0, -1.0, 1.0, 0.0))  # read with the sheet upright
    assert stamp.y > sheet_block(1).top  # in the 天头
    assert stamp.x > mm(28) + mm(50)  # well clear of the 28 mm binding margin
    assert all(r.size != 10 for r in pages[1].runs)  # the stamp is on the first page only


def test_roster_page_numbers_and_block(roster: bytes, fonts: FontSet) -> None:  # noqa: F811
    pages = read_pages(roster)
    check_page_numbers(pages, fonts, "landscape")
    check_inside_block(pages, "landscape")
    check_line_starts([r for p in pages for r in body_runs(p)])


def test_roster_with_id_and_by_join_date(roll: list[Member], fonts: FontSet) -> None:  # noqa: F811
    pdf = roster_pdf(BRANCH, roll, on=ON, order="joined", with_id=True, fonts=fonts)
    pages = read_pages(pdf)
    assert font_problems(pdf) == []
    texts = [t for p in pages for t in p.texts()]
    assert texts.count("公民身份号码") == len(pages)
    entries = ordered_entries(roll, ON, "joined")
    ids = [t for t in texts if len(t) == 18 and t[:17].isdigit()]
    assert ids == [e.member.id_number for e in entries]
    joins = [e.member.join_date for e in entries]
    assert joins == sorted(joins)
    check_page_numbers(pages, fonts, "landscape")
    check_inside_block(pages, "landscape")


def test_roster_category_as_of_the_date(fonts: FontSet) -> None:  # noqa: F811
    person = Member(name="罗晨", category=Category.FULL, join_date=dt.date(2024, 12, 15),
                    full_date=dt.date(2025, 12, 15), id=1)  # fmt: skip
    before = [t for p in read_pages(roster_pdf(BRANCH, [person], on=ON, fonts=fonts))
              for t in p.texts()]  # fmt: skip
    after = [t for p in read_pages(roster_pdf(BRANCH, [person], on=dt.date(2026, 1, 1),
                                              fonts=fonts)) for t in p.texts()]  # fmt: skip
    assert "预备党员" in before and "正式党员" not in before
    assert "正式党员" in after


def test_a_narrow_table_stays_portrait(fonts: FontSet) -> None:  # noqa: F811
    ts = Typesetter(fonts)
    columns = [Column("序号", wrap=False), Column("姓名")]
    entries = roster_on(demo_members(), ON)
    layout = choose_layout(ts, columns, entries, with_id=False)
    assert layout.orientation == "portrait"
    assert sum(layout.widths) == pytest.approx(text_block(1, "portrait").width)


# --- 签到表 --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def signin(fonts: FontSet) -> bytes:  # noqa: F811
    entries = roster_on(demo_members(), ON)
    return signin_pdf(BRANCH, "2025年12月主题党日暨支部党员大会", ON, "机关大楼三楼第二会议室",
                      entries, time="14:30", fonts=fonts)  # fmt: skip


def test_signin_sheet(signin: bytes, fonts: FontSet) -> None:  # noqa: F811
    pages = read_pages(signin)
    assert len(pages) >= 2
    assert all((p.width, p.height) == pytest.approx(A4) for p in pages)
    assert font_problems(signin) == []
    first = pages[0].texts()
    assert first[0:1] == ["— 1 —"] or "— 1 —" in first
    assert "2025年12月主题党日暨支部党员大会签到表" in first
    assert "2025年12月1日（星期一） 14:30" in first
    assert "机关大楼三楼第二会议室" in first
    entries = roster_on(demo_members(), ON)
    expected = [e.member.name for e in sort_by_strokes(entries, key=lambda e: e.member.name)]
    rows = names_after_numbers(pages, 14, {"正式党员", "预备党员"})
    assert rows == [(str(n), name) for n, name in enumerate(expected, 1)]
    for page in pages:
        texts = page.texts()
        assert [t for t in texts if t in ("序号", "姓名", "人员类别", "签名", "备注")] == [
            "序号", "姓名", "人员类别", "签名", "备注",
        ]  # fmt: skip
    last = pages[-1].texts()
    assert f"应到 {len(entries)} 人\u3000\u3000实到 ______ 人" in last
    check_page_numbers(pages, fonts, "portrait")
    check_inside_block(pages, "portrait")


def test_signin_rows_leave_room_to_sign(signin: bytes) -> None:
    for page in read_pages(signin):
        numbers = sorted((r.y for r in body_runs(page) if r.text.isdigit() and r.size == 14),
                         reverse=True)  # fmt: skip
        gaps = [a - b for a, b in zip(numbers, numbers[1:], strict=False)]
        assert gaps and min(gaps) >= mm(12) - 0.01, page.number


# --- plain text ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def long_text(fonts: FontSet) -> bytes:  # noqa: F811
    paragraphs = [LONG_TEXT, LONG_TEXT[40:] + LONG_TEXT[:40], LONG_TEXT[::2]] * 3
    return text_pdf("关于召开2025年度组织生活会的通知", paragraphs, fonts=fonts,
                    number="机关二支〔2025〕3号", day=ON,
                    signatures=("主持人签字", "记录人签字", "日期"))  # fmt: skip


def test_text_lines_obey_the_rules(long_text: bytes, fonts: FontSet) -> None:  # noqa: F811
    pages = read_pages(long_text)
    assert len(pages) >= 3
    assert font_problems(long_text) == []
    lines = [r for p in pages for r in body_runs(p) if r.size == 16]
    assert len(lines) > 60
    check_line_starts(lines)
    for line in lines:  # the grid: never more than 28 full-width characters
        assert sum(1 if ord(c) > 0x2000 else 0.5 for c in line.text) <= 28.5, line
    check_page_numbers(pages, fonts, "portrait")
    check_inside_block(pages, "portrait")


def test_text_fills_22_lines_on_full_pages(long_text: bytes) -> None:
    pages = read_pages(long_text)
    for page in pages[1:-1]:
        ys = sorted({round(r.y, 2) for r in body_runs(page) if r.size == 16}, reverse=True)
        assert len(ys) == 22, page.number
        pitches = [a - b for a, b in zip(ys, ys[1:], strict=False)]
        assert pitches == pytest.approx([LINE_PITCH] * 21, abs=0.01)


def test_text_keeps_everything_in_order(long_text: bytes) -> None:
    text = "".join(r.text for p in read_pages(long_text) for r in body_runs(p) if r.size == 16)
    paragraphs = [LONG_TEXT, LONG_TEXT[40:] + LONG_TEXT[:40], LONG_TEXT[::2]] * 3
    assert text == "".join(paragraphs)
    all_text = [r.text for p in read_pages(long_text) for r in p.runs]
    assert "主持人签字：" in all_text and "年\u3000\u3000月\u3000\u3000日" in all_text


def test_output_is_reproducible(fonts: FontSet) -> None:  # noqa: F811
    one = text_pdf("标题", ["正文。"], fonts=fonts)
    assert one == text_pdf("标题", ["正文。"], fonts=fonts)
    assert one != text_pdf("标题", ["正文！"], fonts=fonts)


def test_block_holds_no_more_than_it_should() -> None:
    """A4 at 72 dpi, and the margins add up."""
    assert page_size("portrait") == pytest.approx(A4)
    assert page_size("landscape") == pytest.approx(A4[::-1])
    assert math.isclose(mm(37) + mm(225) + mm(35), A4[1])


def test_signin_sheet_marks_members_under_probation() -> None:
    import datetime as dt

    from pypdf import PdfReader

    from branchdesk.domain.branch import Branch
    from branchdesk.domain.members import EventKind, Member, MembershipEvent, roster_on
    from branchdesk.printing import resolve_fonts, signin_pdf

    day = dt.date(2025, 6, 1)
    members = [
        Member("王芳", join_date=dt.date(2000, 1, 1), full_date=dt.date(2001, 1, 1), id=1),
        Member(
            "李强",
            join_date=dt.date(2000, 1, 1),
            full_date=dt.date(2001, 1, 1),
            id=2,
            events=(MembershipEvent(EventKind.PROBATION, dt.date(2025, 1, 1)),),
        ),
    ]
    pdf = signin_pdf(Branch("测试支部"), "支部党员大会", day, "会议室", roster_on(members, day),
                     fonts=resolve_fonts(search_system=False))
    import io

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    line = next(t for t in text.splitlines() if "李强" in t)
    assert "留党察看" in line
    assert "留党察看" not in next(t for t in text.splitlines() if "王芳" in t)
