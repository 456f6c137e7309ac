"""会议记录, 会议通知 and the year's volume, read back with pypdf."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from branchdesk.domain.dates import format_cn
from branchdesk.printing.fonts import MissingGlyphError
from branchdesk.printing.minutes_form import (
    HEAD_STYLE,
    MinutesView,
    VoteLine,
    continuation_head,
    meeting_name,
    minutes_pdf,
    minutes_title,
    minutes_volume_pdf,
    notice_pdf,
    paragraphs_of,
)
from branchdesk.printing.page import CHAR_PITCH, LINE_PITCH, text_block
from branchdesk.printing.text import BODY_STYLE, text_width
from test_printing import LONG_TEXT, body_runs, check_line_starts, check_page_numbers
from test_printing_helpers import Page, Run, font_problems, fonts, mm, read_pages  # noqa: F401

A4 = (mm(210), mm(297))
NO_START = "，。、；：！？）》」』”’…"
DAY = dt.date(2025, 12, 1)
RARE = "\U0002a6d6"  # 𪛖: in none of the bundled fonts

DEVELOP = VoteLine("同意接收孙磊同志为中共预备党员", "发展", "孙磊", 18, 1, 1, "书面意见：赞成2",
                   20, True)  # fmt: skip
CONFIRM = VoteLine("同意吴敏同志按期转为中共正式党员", "转正", "吴敏", 19, 0, 1, "", 20, True)
PLAN = VoteLine("通过支部2026年度工作计划", "一般")

VIEW = MinutesView(
    branch="市发展改革委机关第二党支部",
    title="支部党员大会",
    types="主题党日、支部党员大会、党课",
    day=DAY,
    start_time="14:30",
    end_time="16:30",
    place="机关大楼三楼第二会议室",
    host="王建国",
    recorder="李红梅",
    expected=24,
    present=20,
    absent_lines=("张伟（请假：出差）", "刘洋（请假：病假）", "李强（无故缺席）"),
    excluded_lines=("赵敏（长期病休；依据：机关党委批复）",),
    guests="机关党委组织委员周明",
    announcement="主持人宣布：应到24人，实到20人，符合规定人数，会议有效。",
    agenda=("学习贯彻党的二十届四中全会精神", "讨论接收孙磊同志为中共预备党员"),
    lecturer="王建国",
    topic="学习贯彻全会精神",
    theme="重温入党誓词",
    content="会议由王建国同志主持。\n\n与会党员逐一发言。",
    resolutions=(DEVELOP, CONFIRM, PLAN),
    year=2025,
)


def long_content(chars: int) -> str:
    """Paragraphs of LONG_TEXT rotated by different amounts, so that the marks fall at every
    position of a line; blank lines and typed indents between them."""
    parts, total, k = [], 0, 0
    while total < chars:
        text = LONG_TEXT[k % len(LONG_TEXT) :] + LONG_TEXT[: k % len(LONG_TEXT)]
        text = text[: 60 + (k * 37) % len(text)].lstrip(NO_START).rstrip("（《「『“‘")
        parts.append(("\u3000\u3000" if k % 3 == 0 else "") + text)
        total += len(text)
        k += 1
    return "\n\n".join(parts)


def lines(page: Page) -> list[Run]:
    """The page's lines, page number left out. pypdf reports a line as several runs where it
    switches between the 256-glyph subsets of a font: the runs of one text object (same
    start, same size) are joined again."""
    out: list[Run] = []
    for run in body_runs(page):
        last = out[-1] if out else None
        if last and (last.x, last.y, last.size) == (run.x, run.y, run.size):
            out[-1] = dataclasses.replace(last, text=last.text + run.text)
        else:
            out.append(run)
    return out


def texts(page: Page) -> list[str]:
    return [r.text for r in lines(page)]


def size_runs(page: Page, size: float) -> list[str]:
    return [r.text for r in lines(page) if r.size == size]


@pytest.fixture(scope="module")
def short_minutes(fonts) -> bytes:  # noqa: F811
    return minutes_pdf(VIEW, fonts=fonts)


@pytest.fixture(scope="module")
def long_view() -> MinutesView:
    return dataclasses.replace(VIEW, content=long_content(20_000))


@pytest.fixture(scope="module")
def long_minutes(long_view: MinutesView, fonts) -> bytes:  # noqa: F811
    return minutes_pdf(long_view, fonts=fonts)


# --- 会议记录 --------------------------------------------------------------------------------


def test_minutes_are_a4_with_embedded_fonts(short_minutes: bytes, long_minutes: bytes) -> None:
    for pdf in (short_minutes, long_minutes):
        pages = read_pages(pdf)
        assert all((p.width, p.height) == pytest.approx(A4) for p in pages)
        assert font_problems(pdf) == []


def test_minutes_header_in_order(short_minutes: bytes) -> None:
    pages = read_pages(short_minutes)
    runs = texts(pages[0])
    assert runs[0] == "支部党员大会记录"
    expected = [
        ("会议类型", "主题党日、支部党员大会、党课"),
        ("时间", "2025年12月1日 14:30—16:30"),
        ("地点", "机关大楼三楼第二会议室"),
        ("主持人", "王建国"),
        ("记录人", "李红梅"),
        ("应到人数", "24人"),
        ("实到人数", "20人"),
        ("缺席人员及原因", "张伟（请假：出差）；刘洋（请假：病假）；李强（无故缺席）"),
        ("不计入应到人员", "赵敏（长期病休；依据：机关党委批复）"),
        ("列席人员", "机关党委组织委员周明"),
        ("主讲人", "王建国"),
        ("党课题目", "学习贯彻全会精神"),
        ("活动主题", "重温入党誓词"),
    ]
    labels = [label for label, _ in expected]
    at = [runs.index(label) for label in labels]
    assert at == sorted(at)
    for (label, value), start, end in zip(expected, at, [*at[1:], None], strict=True):
        # a value may wrap in its cell: everything up to the next label
        following = runs[start + 1 : end] if end else runs[start + 1 : start + 2]
        assert "".join(following) == value, label
    assert "所属年度" not in runs  # only when it is not the meeting's year
    body = [t for p in pages for t in size_runs(p, 16)]
    # "效。" would be a line of one character: 有 goes down with it
    assert body[:2] == ["主持人宣布：应到24人，实到20人，符合规定人数，会议", "有效。"]
    assert body.index("一、议题") < body.index("1. 学习贯彻党的二十届四中全会精神")
    assert body.index("二、会议内容") < body.index("与会党员逐一发言。")
    assert body[-1] == "三、决议及表决情况"
    # (the ideographic spaces of the 日期 blank may be a run of their own, which pypdf drops)
    last = [r.text.replace("\u3000", "") for r in lines(pages[-1]) if r.size != HEAD_STYLE.size]
    assert last[-4:] == ["主持人签字：", "记录人签字：", "日期：",
                          "年月日"]  # fmt: skip


def test_minutes_vote_lines(short_minutes: bytes) -> None:
    table = "".join(t for p in read_pages(short_minutes) for t in size_runs(p, 14))
    assert "序号决议事项赞成反对弃权表决结果" in table
    develop = ("〔发展〕同意接收孙磊同志为中共预备党员"
               "（发展对象：孙磊；到会有表决权的正式党员20人；书面意见：赞成2）")  # fmt: skip
    assert f"1{develop}1811通过" in table
    confirm = ("〔转正〕同意吴敏同志按期转为中共正式党员"
               "（预备党员：吴敏；到会有表决权的正式党员20人）")  # fmt: skip
    assert f"2{confirm}1901通过" in table
    assert "3通过支部2026年度工作计划———未表决" in table


def test_a_rejected_vote_and_another_year(fonts) -> None:  # noqa: F811
    view = dataclasses.replace(
        VIEW,
        resolutions=(VoteLine("同意接收某某为预备党员", "发展", "某某", 9, 10, 1, "", 20, False),),
        day=dt.date(2026, 1, 15),
        year=2025,
    )
    runs = [t for page in read_pages(minutes_pdf(view, fonts=fonts)) for t in texts(page)]
    assert "未通过" in runs and "通过" not in runs
    assert runs[runs.index("所属年度") + 1] == "2025年度"
    assert "2026年1月15日 14:30—16:30" in runs


def test_long_content_flows_with_continuation_heads(
    long_minutes: bytes,
    long_view: MinutesView,
    fonts,  # noqa: F811
) -> None:
    pages = read_pages(long_minutes)
    assert len(pages) >= 25  # 20,000 characters at 22 × 28 a page
    check_page_numbers(pages, fonts, "portrait")
    head = continuation_head(long_view)
    assert head == "（续）支部党员大会 2025年12月1日"
    assert head not in texts(pages[0])
    for page in pages[1:]:
        (run,) = [r for r in lines(page) if r.text == head]
        assert run.size == HEAD_STYLE.size
        block = text_block(page.number)
        assert block.top < run.y < block.top + mm(10), page.number
        assert run.x == pytest.approx(block.x)
    text = "".join("".join(size_runs(p, 16)) for p in pages)
    assert "".join(paragraphs_of(long_view.content)) in text


def test_long_content_stays_on_the_grid(long_minutes: bytes, fonts) -> None:  # noqa: F811
    """Body lines (in the body font: a 黑体 heading centres its own glyphs on the same line, so
    its baseline differs by a fraction) lie on the 22 lines of every page."""
    pages = read_pages(long_minutes)
    body_font = fonts.fonts["正文"].ps_name
    grid = None
    full = 0
    for page in pages[1:-2]:  # full pages of content
        ys = sorted(
            {round(r.y, 2) for r in body_runs(page) if r.size == 16 and body_font in r.font},
            reverse=True,
        )
        # 22 lines; one short where a paragraph's last two lines went over together
        assert len(ys) in (21, 22), page.number
        pitches = [a - b for a, b in zip(ys, ys[1:], strict=False)]
        assert pitches == pytest.approx([LINE_PITCH] * (len(ys) - 1), abs=0.01)
        if len(ys) == 22:
            full += 1
            grid = grid or ys
            assert ys == pytest.approx(grid, abs=0.01)
        elif grid:
            assert ys == pytest.approx(grid[: len(ys)], abs=0.01)  # from the top line
    assert full >= 2
    # below the header grid, the first page's body lines lie on the same lines
    first = sorted(
        {round(r.y, 2) for r in body_runs(pages[0]) if r.size == 16 and body_font in r.font},
        reverse=True,
    )
    assert first and grid
    assert all(min(abs(y - g) for g in grid) < 0.01 for y in first)


def test_long_content_line_starts(long_minutes: bytes) -> None:
    pages = read_pages(long_minutes)
    body = [r for p in pages for r in lines(p) if r.size == 16]
    check_line_starts(body)
    starts = {r.text[0] for r in body}
    assert "“" in starts  # the text does put marks near line ends


@pytest.mark.parametrize("paragraphs", range(0, 24, 1))
def test_signatures_never_stand_alone(paragraphs: int, fonts) -> None:  # noqa: F811
    view = dataclasses.replace(
        VIEW, resolutions=(), content="\n".join(["会议内容一行。" * 4] * paragraphs)
    )
    last = read_pages(minutes_pdf(view, fonts=fonts))[-1]
    signatures = {"主持人签字：", "记录人签字：", "日期：", "年\u3000\u3000月\u3000\u3000日"}
    others = [r for r in lines(last) if r.text not in signatures and r.size != 12]
    assert others, "the signature lines are alone on the last page"


def test_missing_glyph_names_the_field(fonts) -> None:  # noqa: F811
    view = dataclasses.replace(VIEW, host=f"王{RARE}")
    with pytest.raises(MissingGlyphError) as info:
        minutes_pdf(view, fonts=fonts)
    assert [(p.char, p.field) for p in info.value.problems] == [(RARE, "主持人")]
    assert "主持人" in str(info.value)
    view = dataclasses.replace(VIEW, resolutions=(dataclasses.replace(DEVELOP,
                               candidate=f"孙{RARE}"),))  # fmt: skip
    with pytest.raises(MissingGlyphError) as info:
        minutes_pdf(view, fonts=fonts)
    assert {p.field for p in info.value.problems} == {"决议事项"}


# --- the volume ----------------------------------------------------------------------------


def volume_views() -> list[MinutesView]:
    lengths = (300, 3000, 50, 1500)
    return [
        dataclasses.replace(VIEW, title=f"第{n}次支部党员大会", day=dt.date(2025, 3 * n, 10),
                            content=long_content(chars))
        for n, chars in enumerate(lengths, 1)
    ]  # fmt: skip


def contents(pages: list[Page], views: list[MinutesView]) -> list[int]:
    """The page numbers the contents list, checking the dates on the way."""
    (page,) = [p for p in pages if "目\u3000录" in texts(p)]
    runs = texts(page)
    out = []
    for n, view in enumerate(views, 1):
        i = runs.index(meeting_name(view))
        assert runs[i - 1] == str(n)
        assert runs[i + 1] == f"{view.day.year}年{view.day.month}月{view.day.day}日"
        out.append(int(runs[i + 2]))
    return out


@pytest.mark.parametrize("odd", [True, False])
def test_volume_contents_point_at_the_records(odd: bool, fonts) -> None:  # noqa: F811
    views = volume_views()
    pdf = minutes_volume_pdf(views, volume_title="2025年度支部党员大会会议记录", fonts=fonts,
                             odd_starts=odd)  # fmt: skip
    pages = read_pages(pdf)
    assert font_problems(pdf) == []
    assert "2025年度支部党员大会会议记录" in texts(pages[0])
    starts = contents(pages, views)
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    for view, start in zip(views, starts, strict=True):
        title = minutes_title(view)
        assert title in texts(pages[start - 1]), (title, start)
        assert title not in texts(pages[start - 2])
        if odd:
            assert start % 2 == 1
    # each record's following pages carry its own 续 head, up to the next record
    ends = [*starts[1:], len(pages) + 1]
    for view, start, end in zip(views, starts, ends, strict=True):
        for page in pages[start : end - 1]:
            if page.runs:
                assert continuation_head(view) in texts(page), page.number
    # continuous numbers: every page but the cover and the blank ones
    numbered = [p for p in pages[1:] if p.runs]
    check_page_numbers(numbered, fonts, "portrait")
    assert pages[0].find("— 1 —") == []
    blanks = [p.number for p in pages if not p.runs]
    if odd:
        assert 2 in blanks
        assert all(n % 2 == 0 for n in blanks)
    else:
        assert blanks == []
    assert len(starts) == 4 and starts[1] - starts[0] >= 2  # a record of several pages


def test_volume_missing_glyph_names_the_meeting(fonts) -> None:  # noqa: F811
    views = volume_views()
    views[2] = dataclasses.replace(views[2], recorder=f"李{RARE}")
    with pytest.raises(MissingGlyphError) as info:
        minutes_volume_pdf(views, volume_title="会议记录", fonts=fonts)
    (problem,) = info.value.problems
    assert (problem.char, problem.field) == (RARE, "记录人")
    assert "第3次支部党员大会" in problem.record


# --- 会议通知 --------------------------------------------------------------------------------


def test_notice(fonts) -> None:  # noqa: F811
    pdf = notice_pdf(VIEW, ("全体党员",), fonts=fonts)
    (page,) = read_pages(pdf)
    assert (page.width, page.height) == pytest.approx(A4)
    assert font_problems(pdf) == []
    runs = texts(page)
    assert runs[0] == "关于召开支部党员大会的通知"
    body = "".join(size_runs(page, 16))
    assert "2025年12月1日（星期一）14:30—16:30在机关大楼三楼第二会议室召开支部党员大会" in body
    assert "1. 学习贯彻党的二十届四中全会精神" in runs
    assert runs[runs.index("二、参会人员") + 1] == "全体党员"
    branch, date = lines(page)[-2:]
    # 成文日期 defaults to the day the notice is issued, not the meeting day
    assert (branch.text, date.text) == ("市发展改革委机关第二党支部", format_cn(dt.date.today()))
    assert date.y == pytest.approx(branch.y - LINE_PITCH)
    # GB/T 9704 §7.3.5: the date ends four characters in from the right (右空四字), the
    # issuing branch is centred on the date
    style = BODY_STYLE.but(first_indent=0.0)
    right = text_block(1).right - 4 * CHAR_PITCH
    date_w = text_width(fonts, date.text, style)
    assert date.x + date_w == pytest.approx(right, abs=0.5)
    branch_w = text_width(fonts, branch.text, style)
    assert branch.x + branch_w / 2 == pytest.approx(date.x + date_w / 2, abs=0.5)
    issued = read_pages(notice_pdf(VIEW, ("全体党员",), fonts=fonts, issued=dt.date(2025, 11, 24)))
    assert texts(issued[0])[-1] == "2025年11月24日"
    named = read_pages(notice_pdf(VIEW, ("王建国", "李红梅"), fonts=fonts))[0]
    assert "王建国、李红梅" in texts(named) and "全体党员" not in "".join(texts(named))
    with pytest.raises(MissingGlyphError) as info:
        notice_pdf(VIEW, ("王建国", f"李{RARE}"), fonts=fonts)
    assert [p.field for p in info.value.problems] == ["参会人员"]


def test_points_notice_signoff_as_a_notice_has_it(fonts) -> None:  # noqa: F811
    """The 积分公示's 落款 follows GB/T 9704 §7.3.5 like the 会议通知: the date ends four
    characters in from the right, the branch is centred on it, a line above."""
    from branchdesk.domain.branch import Branch
    from branchdesk.printing.points_notice import NoticeLine
    from branchdesk.printing.points_notice import notice_pdf as points_notice_pdf

    rows = [NoticeLine("王建国", "80", "3", "0", "83", "良好")]
    pdf = points_notice_pdf(Branch("市发展改革委机关第二党支部"), "2026年第三季度", rows,
                            dt.date(2026, 10, 8), dt.date(2026, 10, 14), fonts=fonts)  # fmt: skip
    page = read_pages(pdf)[-1]
    branch, date = lines(page)[-2:]
    assert (branch.text, date.text) == ("市发展改革委机关第二党支部", "2026年10月8日")
    assert date.y == pytest.approx(branch.y - LINE_PITCH)
    style = BODY_STYLE.but(first_indent=0.0)
    date_w = text_width(fonts, date.text, style)
    assert date.x + date_w == pytest.approx(text_block(1).right - 4 * CHAR_PITCH, abs=0.5)
    branch_w = text_width(fonts, branch.text, style)
    assert branch.x + branch_w / 2 == pytest.approx(date.x + date_w / 2, abs=0.5)
