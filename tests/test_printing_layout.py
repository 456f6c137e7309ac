"""The layout faults of real documents, each read back from the PDF (pypdf): titles broken
inside words, names split in their cells, numbers split at a line end, headings and single
lines alone at a page's foot or top, signatures apart from the record, the 归档章, duplex."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from branchdesk.domain.members import Member, roster_on
from branchdesk.printing.blocks import PAGES_FORM, ArchiveStamp
from branchdesk.printing.document import text_pdf
from branchdesk.printing.fonts import FontSet
from branchdesk.printing.minutes_form import minutes_pdf, minutes_volume_pdf, notice_pdf
from branchdesk.printing.page import (
    CHAR_PITCH,
    STAMP_CELL_H,
    STAMP_CELL_W,
    page_to_sheet,
    stamp_rect,
    text_block,
)
from branchdesk.printing.roster_form import roster_pdf
from branchdesk.printing.signin_form import signin_pdf
from branchdesk.printing.text import tokenize
from branchdesk.printing.words import word_tokens
from test_printing_helpers import BRANCH, ON, Page, Run, demo_members, fonts, read_pages  # noqa: F401
from test_printing_minutes import LONG_TEXT, VIEW, lines

HEADING = re.compile(r"^[一二三四五六七八九十]、")


def _word_bounds(text: str) -> set[int]:
    """Offsets in ``text`` where a line may end: between the words of ``word_tokens``."""
    bounds, at = set(), 0
    for token in word_tokens(tokenize(text)):
        at += len(token)
        bounds.add(at)
    return bounds


def _visible(line: str) -> int:
    return sum(1 for ch in line if "\u3400" <= ch <= "\u9fff" or ch.isalnum())


def _check_broken_between_words(parts: list[str], text: str) -> None:
    assert "".join(parts) == text
    bounds, at = _word_bounds(text), 0
    for part in parts[:-1]:
        at += len(part)
        assert at in bounds, f"{parts} breaks inside a word"
    assert all(_visible(p) >= 2 for p in parts), f"{parts}: a line of one character"


# --- titles ---------------------------------------------------------------------------------

TITLES = [
    "关于召开第二党支部支部党员大会暨主题党日活动的通知",
    "市发展改革委机关第二党支部2025年度组织生活会会议记录",
    "中共市发展改革委机关委员会第二党支部党员花名册",
    "第二党支部支部委员会会议暨党员发展工作推进会记录",
]


@pytest.mark.parametrize("title", TITLES)
def test_titles_break_between_words_balanced(title: str, fonts: FontSet) -> None:  # noqa: F811
    pdf = text_pdf(title, ["正文。"], fonts=fonts)
    parts = [r.text for r in lines(read_pages(pdf)[0]) if r.size == 22]
    assert len(parts) == 2
    _check_broken_between_words(parts, title)
    # 排列对称: about even, as far as whole words allow
    longest = max(len(w) for w in word_tokens(tokenize(title)))
    assert abs(len(parts[0]) - len(parts[1])) <= longest


def test_contents_names_break_between_words(fonts: FontSet) -> None:  # noqa: F811
    """The 会议名称 cells of a volume's 目录: "支部党员大/会", "第二党支/部" were printed."""
    names = ["第二党支部支部党员大会暨主题党日活动", "支部委员会会议暨党员发展工作推进会"]
    views = [dataclasses.replace(VIEW, title=n, content="会议内容。") for n in names]
    pdf = minutes_volume_pdf(views, volume_title="2025年度会议记录", fonts=fonts)
    contents = read_pages(pdf)[2]
    cells = [r for r in lines(contents) if r.size == 14 and r.x < text_block(3).x + 0.6 * 442]
    for name in names:
        parts = [r.text for r in cells if r.text and r.text in name]
        start = next(i for i, r in enumerate(cells) if name.startswith(r.text) and r.text)
        parts, joined = [], ""
        for r in cells[start:]:
            if not name.startswith(joined + r.text):
                break
            parts.append(r.text)
            joined += r.text
        _check_broken_between_words(parts, name)


# --- names in table cells -------------------------------------------------------------------

NAMES = ["张伟", "欧阳明月", "梁秀英", "阿依古丽·买买提", "司马相如明"]


def _roll() -> list[Member]:
    base = demo_members()
    template = base[0]
    extra = [dataclasses.replace(template, name=n, id=900 + i) for i, n in enumerate(NAMES)]
    return base + extra


def _single_runs(pages: list[Page], name: str) -> list[Run]:
    return [r for p in pages for r in lines(p) if r.text == name]


def test_names_shrink_to_fit_their_cells(fonts: FontSet) -> None:  # noqa: F811
    """In the sign-in sheet and the roll every name is one line: a long one is set smaller
    (not below 60 %), a two-character name is never split nor shrunk."""
    members = _roll()
    signin = read_pages(signin_pdf(BRANCH, "主题党日", ON, "会议室", roster_on(members, ON),
                                   fonts=fonts))  # fmt: skip
    roll = read_pages(roster_pdf(BRANCH, members, on=ON, fonts=fonts))
    for pages, size in ((signin, 14.0), (roll, None)):
        full = size or max(r.size for r in _single_runs(pages, "张伟"))
        for name in NAMES:
            runs = _single_runs(pages, name)  # one line, whole
            assert runs, name
            assert all(0.6 * full - 1e-6 <= r.size <= full for r in runs), name
        assert all(r.size == full for r in _single_runs(pages, "张伟"))
        for name in NAMES[1:]:  # no piece of a name printed on a line of its own
            pieces = {r.text for p in pages for r in lines(p) if r.text and r.text in name}
            assert pieces == {name}, pieces
    # the sheet widens its 姓名 column (from the 签名 blank) for a long name, up to a limit;
    # a longer one still shrinks
    assert _single_runs(signin, "阿依古丽·买买提")[0].size == 14.0
    longer = "阿依古丽·买买提·热合曼"
    sheet = read_pages(signin_pdf(BRANCH, "主题党日", ON, "会议室",
                                  roster_on([*members, dataclasses.replace(members[0], name=longer,
                                                                           id=990)], ON),
                                  fonts=fonts))  # fmt: skip
    assert 0.6 * 14.0 - 1e-6 <= _single_runs(sheet, longer)[0].size < 14.0  # it did shrink


# --- numbers, times, weekdays, units --------------------------------------------------------

KEEP = ["14:30—17:00", "星期五", "12,500", "36.5℃", "3‰", "98％"]


def test_numbers_times_weekdays_and_units_stay_whole(fonts: FontSet) -> None:  # noqa: F811
    """At every position on the line: no "14:30—/17:00", "星期/五", "12,/500", and no ℃ ‰ ％ at
    the start of a line."""
    sentence = "会议定于14:30—17:00召开，星期五，经费12,500元，气温36.5℃，增长3‰，完成98％。"
    paragraphs = ["党" * k + sentence for k in range(28)]
    pages = read_pages(text_pdf("标题", paragraphs, fonts=fonts))
    body = [r.text for p in pages for r in lines(p) if r.size == 16]
    for a, b in zip(body, body[1:], strict=False):
        assert b[:1] not in "℃‰％", (a, b)
        for word in KEEP:
            for i in range(1, len(word)):
                assert not (a.endswith(word[:i]) and b.startswith(word[i:])), (a, b)
    assert "".join(body).count(sentence) == len(paragraphs)


# --- headings, widows and orphans -----------------------------------------------------------


def _minutes_of(fonts: FontSet, lines_of_text: int, **changes: object) -> list[Page]:  # noqa: F811
    content = "\n".join(LONG_TEXT[:28] for _ in range(lines_of_text))
    view = dataclasses.replace(VIEW, content=content, **changes)
    return read_pages(minutes_pdf(view, fonts=fonts))


def _page_lines(page: Page) -> list[Run]:
    return [r for r in lines(page) if r.size == 16]


def _content(page: Page) -> list[Run]:
    """The page's lines of text, tables included, without the 续 head (小四) and the stamp."""
    return [r for r in lines(page) if r.size not in (12.0,) and r.size > 10]


@pytest.mark.parametrize("n", range(1, 24, 2))
def test_a_heading_is_never_last_on_a_page(n: int, fonts: FontSet) -> None:  # noqa: F811
    for page in _minutes_of(fonts, n)[:-1]:
        body = _content(page)
        assert body and not HEADING.match(body[-1].text), (n, page.number, body[-1].text)


def test_notice_heading_goes_over_with_its_lines(fonts: FontSet) -> None:  # noqa: F811
    for count in range(40, 130, 6):
        attendees = [f"同志{n:03d}" for n in range(count)]
        pages = read_pages(notice_pdf(VIEW, attendees, fonts=fonts, issued=ON))
        for page in pages[:-1]:
            body = _page_lines(page)
            assert not HEADING.match(body[-1].text), (count, body[-1].text)


def test_no_paragraph_line_alone_at_a_foot_or_top(fonts: FontSet) -> None:  # noqa: F811
    """A paragraph's first line (indented two characters) is never the last line of a page,
    and a paragraph's last line never the only one at the top of the next."""
    lengths = [3, 5, 2, 7, 4, 6, 3, 9, 2, 5, 8, 3, 4, 6, 2, 7, 5, 3]
    paragraphs = [LONG_TEXT[: 28 * k - 10] for k in lengths]
    pages = read_pages(text_pdf("标题", paragraphs, fonts=fonts))
    for page, after in zip(pages, pages[1:], strict=False):
        block = text_block(page.number)
        body, nxt = _page_lines(page), _page_lines(after)
        indent = [r.x > block.x + 1.5 * CHAR_PITCH for r in body]
        assert not indent[-1], f"page {page.number} ends on a paragraph's first line"
        next_block = text_block(after.number)
        nxt_indent = [r.x > next_block.x + 1.5 * CHAR_PITCH for r in nxt]
        if len(nxt) > 1:
            assert not (not nxt_indent[0] and nxt_indent[1]), f"one line atop {after.number}"


# --- signatures -----------------------------------------------------------------------------


def test_signatures_stay_with_the_records_last_lines(fonts: FontSet) -> None:  # noqa: F811
    """Whatever the length, the signature lines share their page with at least two lines of
    the record; a record that only just overflows keeps them on its last page, set on one
    row, instead of carrying two lines and the signatures onto a page of their own."""
    saved = 0
    for votes in (VIEW.resolutions, ()):
        before = 0
        for n in range(2, 22):
            pages = _minutes_of(fonts, n, resolutions=votes)
            (sign,) = [p for p in pages if any(r.text == "主持人签字：" for r in p.runs)]
            labels = {r.text: r.y for r in sign.runs if r.text in ("主持人签字：", "日期：")}
            above = [r for r in _content(sign) if r.y > labels["主持人签字："] + 1]
            assert len(above) >= 2, n  # lines of the record (paragraph or table) above them
            one_row = labels["主持人签字："] == pytest.approx(labels["日期："])
            if one_row:
                assert len(pages) == before, n  # only where it saves a page
                saved += 1
            before = len(pages)
    assert saved >= 1


# --- 归档章 ---------------------------------------------------------------------------------


def _stamp_values(page: Page, orientation: str = "portrait") -> list[str]:
    """The stamp's values, row by row. A 页数 counted from the layout is a form XObject the
    document defines at its end; pypdf reports the text inside it in the form's own
    coordinates (the cell), so it is found there."""
    rect = stamp_rect()
    placed = [r.text for r in page.runs if r.size <= 10 and rect.contains(
        *page_to_sheet(r.x, r.y, orientation))]  # fmt: skip
    in_form = [
        r.text
        for r in page.runs
        if r.size <= 10 and 0 <= r.x <= STAMP_CELL_W and 0 <= r.y <= STAMP_CELL_H
    ]
    return placed + in_form


def test_archive_stamp_on_minutes_counts_its_pages(fonts: FontSet) -> None:  # noqa: F811
    view = dataclasses.replace(VIEW, content="\n".join(LONG_TEXT for _ in range(12)))
    pdf = minutes_pdf(view, fonts=fonts, archive_stamp=ArchiveStamp("J001", 2025, "30年", 3))
    pages = read_pages(pdf)
    assert len(pages) > 1
    assert _stamp_values(pages[0]) == ["J001", "2025", "3", "30年", str(len(pages))]
    assert all(not _stamp_values(p) for p in pages[1:])
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    forms = page["/Resources"]["/XObject"]
    assert any(PAGES_FORM in name for name in forms)  # used on page 1, defined once at the end
    name = next(n for n in forms if PAGES_FORM in n)
    assert f"{name} Do".encode() in page.get_contents().get_data()


def test_archive_stamp_on_each_record_of_a_volume(fonts: FontSet) -> None:  # noqa: F811
    long = dataclasses.replace(VIEW, content="\n".join(LONG_TEXT for _ in range(12)))
    views = [long, dataclasses.replace(VIEW, content="会议内容。")]
    stamps = [ArchiveStamp("J001", 2025, "30年", 1), ArchiveStamp("J001", 2025, "30年", 2)]
    pages = read_pages(minutes_volume_pdf(views, volume_title="会议记录", stamps=stamps,
                                          fonts=fonts))  # fmt: skip
    stamped = [(p.number, _stamp_values(p)) for p in pages if _stamp_values(p)]
    assert [values[2] for _, values in stamped] == ["1", "2"]
    first, second = stamped[0][0], stamped[1][0]
    assert stamped[0][1][-1] == str(len([p for p in pages[first - 1 : second - 1] if p.runs]))
    assert stamped[1][1][-1] == str(len([p for p in pages[second - 1 :] if p.runs]))
    assert int(stamped[0][1][-1]) > 1


def test_landscape_duplex_flips_on_the_long_edge(fonts: FontSet) -> None:  # noqa: F811
    """The roll's landscape sheets are bound on their long edge like every other sheet."""
    for pdf in (roster_pdf(BRANCH, demo_members(), on=ON, fonts=fonts),
                text_pdf("标题", ["正文。"], fonts=fonts)):  # fmt: skip
        prefs = PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/ViewerPreferences"]
        assert prefs["/Duplex"] == "/DuplexFlipLongEdge"


def test_archive_values_come_from_the_book(demo_book) -> None:  # noqa: ANN001
    from branchdesk.areas.archiving import item_numbers, minutes_stamp, roll_stamp

    demo_book.settings.set("archive.fonds", "J123")
    demo_book.settings.set("archive.retention.minutes", "10年")
    records = demo_book.meetings.records()
    record = records[-1]
    year = record.meeting.belongs_to_year
    stamp = minutes_stamp(demo_book, record)
    numbers = item_numbers(demo_book.meetings.records(year))
    assert (stamp.fonds, stamp.year, stamp.retention) == ("J123", year, "10年")
    assert stamp.item == numbers[record.meeting.id or 0]
    assert sorted(numbers.values()) == list(range(1, len(numbers) + 1))
    roll = roll_stamp(demo_book, dt.date(2025, 12, 1))
    assert (roll.fonds, roll.year, roll.retention, roll.item) == ("J123", 2025, "永久", "")


def test_print_jobs_offer_the_stamp(demo_book) -> None:  # noqa: ANN001
    """The minutes, the volume and the roll print the 归档章 when asked (or when the book's
    setting says so), with the book's 全宗号 and 保管期限 and the 页数 counted."""
    from branchdesk.areas.meetings.jobs import minutes_job, volume_job
    from branchdesk.areas.roster.jobs import roster_job

    demo_book.settings.set("archive.fonds", "J123")
    record = demo_book.meetings.records()[0]
    pdf = minutes_job(demo_book, record.meeting.id, archive=True)()
    values = _stamp_values(read_pages(pdf.data)[0])
    assert values[:2] == ["J123", str(record.meeting.belongs_to_year)]
    assert values[-1] == str(pdf.pages)
    assert "30年" in values
    assert not _stamp_values(read_pages(minutes_job(demo_book, record.meeting.id)().data)[0])
    demo_book.settings.set("archive.stamp", "1")  # the default from 设置
    assert _stamp_values(read_pages(minutes_job(demo_book, record.meeting.id)().data)[0])
    roll = roster_job(demo_book, dt.date(2025, 12, 1))()
    first = read_pages(roll.data)[0]
    orientation = "landscape" if first.width > first.height else "portrait"
    assert "永久" in _stamp_values(first, orientation)
    year, kind = record.meeting.belongs_to_year, sorted(record.meeting.types)[0].value
    volume = read_pages(volume_job(demo_book, year, kind)().data)
    assert sum(1 for p in volume if _stamp_values(p)) >= 1


def test_a_short_last_row_of_a_ruled_grid_has_no_empty_cells(fonts: FontSet) -> None:  # noqa: F811
    """The 谈心谈话记录表's 谈话主题 (the odd last pair) runs to the row's end instead of
    leaving an empty label and value cell beside it."""
    from branchdesk.printing.blocks import label_value_grid
    from branchdesk.printing.text import Typesetter

    ts = Typesetter(fonts)
    items = [("编号", "1"), ("谈话时间", "2025年1月1日"), ("谈话主题", "工作情况")]
    table = label_value_grid(ts, items, width=400, columns=2, ruled=True)
    spans = [cmd for cmd in table._bkgrndcmds + table._linecmds + list(table._spanCmds)
             if cmd[0] == "SPAN"]  # fmt: skip
    assert ("SPAN", (1, 1), (3, 1)) in spans
