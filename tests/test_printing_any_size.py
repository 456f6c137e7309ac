"""A branch of any size prints: every form, for any number of members and any length of
name, lays out without ReportLab's LayoutError (a flowable taller than a page)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from branchdesk.domain.branch import Branch
from branchdesk.domain.members import Category, Member, RosterEntry
from branchdesk.printing.document import FormLayoutError
from branchdesk.printing.fonts import resolve_fonts
from branchdesk.printing.minutes_form import minutes_pdf, minutes_volume_pdf, notice_pdf
from branchdesk.printing.roster_form import roster_pdf
from branchdesk.printing.signin_form import signin_pdf
from test_printing_minutes import VIEW

CHARS = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
DAY = dt.date(2025, 12, 1)
FONTS = resolve_fonts(search_system=False)  # the bundled font: the same everywhere

sizes = st.integers(min_value=0, max_value=1200)
name_lengths = st.integers(min_value=1, max_value=40)
quick = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def names(count: int, length: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(CHARS) for _ in range(length)) for _ in range(count)]


def view_of(count: int, length: int):  # type: ignore[no-untyped-def]
    people = names(count, length)
    absent = tuple(
        f"{n}（请假：出差）" if i % 3 else f"{n}（无故缺席）" for i, n in enumerate(people)
    )
    excluded = tuple(f"{n}（长期病休；依据：批复）" for n in people[: count // 4])
    return dataclasses.replace(
        VIEW,
        expected=count * 2,
        present=count,
        absent_lines=absent,
        excluded_lines=excluded,
        guests="、".join(people[: count // 5]),
        host=people[0] if people else "王建国",
        recorder=people[-1] if people else "李红梅",
    )


def entries(count: int, length: int) -> list[RosterEntry]:
    return [
        RosterEntry(
            Member(
                id=i + 1,
                name=n,
                gender="男",
                join_date=dt.date(2000, 1, 1),
                category=Category.FULL,
            ),
            Category.FULL,
            False,
        )
        for i, n in enumerate(names(count, length))
    ]


@quick
@given(count=sizes, length=name_lengths)
def test_minutes_of_any_size(count, length):
    assert minutes_pdf(view_of(count, length), fonts=FONTS).startswith(b"%PDF")


@quick
@given(count=sizes, length=name_lengths)
def test_notice_of_any_size(count, length):
    attendees = names(count, length)
    assert notice_pdf(VIEW, attendees, fonts=FONTS).startswith(b"%PDF")


@quick
@given(count=st.integers(min_value=0, max_value=600), length=name_lengths)
def test_volume_of_any_size(count, length):
    views = [view_of(count, length), VIEW]
    assert minutes_volume_pdf(views, volume_title="年度会议记录", fonts=FONTS).startswith(b"%PDF")


@quick
@given(count=st.integers(min_value=0, max_value=600), length=name_lengths)
def test_signin_of_any_size(count, length):
    pdf = signin_pdf(Branch("测试党支部"), "支部党员大会", DAY, "会议室", entries(count, length),
                     fonts=FONTS)  # fmt: skip
    assert pdf.startswith(b"%PDF")


@quick
@given(count=st.integers(min_value=0, max_value=250), length=name_lengths)
def test_roster_of_any_size(count, length):
    members = [e.member for e in entries(count, length)]
    for with_id in (False, True):
        pdf = roster_pdf(Branch("测试党支部"), members, on=DAY, with_id=with_id, fonts=FONTS)
        assert pdf.startswith(b"%PDF")


def test_the_branch_wide_meeting_of_the_issue_prints():
    """800+ members, 缺席人员及原因 running over several pages (it crashed before): every
    name is printed, the list goes on in rows marked （续）."""
    import io

    from pypdf import PdfReader

    view = view_of(900, 3)
    reader = PdfReader(io.BytesIO(minutes_pdf(view, fonts=FONTS)))
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", "")
    assert len(reader.pages) >= 4
    assert "（续）" in text
    for line in (view.absent_lines[0], view.absent_lines[450], view.absent_lines[-1]):
        assert line in text


def _pdf_text(pdf: bytes) -> tuple[int, str]:
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), "".join(p.extract_text() for p in reader.pages).replace("\n", "")


def test_a_table_cell_longer_than_a_page_goes_on_in_continued_rows():
    """A resolution of 12,000 characters in one cell of the 决议 table (a table breaks only
    between rows, so this was a FormLayoutError): it goes on in rows marked （续）, over
    several pages, and not one character is lost."""
    from branchdesk.printing.minutes_form import VoteLine

    huge = VoteLine("同意" * 6000, "一般")
    pages, text = _pdf_text(
        minutes_pdf(dataclasses.replace(VIEW, resolutions=(huge,)), fonts=FONTS)
    )
    _, plain = _pdf_text(minutes_pdf(dataclasses.replace(VIEW, resolutions=()), fonts=FONTS))
    assert pages >= 8
    assert text.count("（续）") >= pages - 1
    assert text.count("同") - plain.count("同") == 6000


def test_a_talk_with_the_whole_committee_prints_on_the_register_and_the_record():
    """120 people on either side of a talk (a 会前谈心 of a whole branch): the 登记表's row
    and the 记录表's 谈话人 / 谈话对象 go on in rows marked （续）; every name is printed."""
    from branchdesk.printing.talk_record import TalkView, register_pdf, talk_record_pdf

    people = names(120, 2, seed=3)  # short names: a name is not broken across lines
    joined = "、".join(people)
    view = TalkView(DAY, joined, joined, "日常谈心", "思想和工作情况", summary="谈了工作。")
    for pdf in (register_pdf([view], "测试党支部", 2025, fonts=FONTS),
                talk_record_pdf([view], "测试党支部", fonts=FONTS)):  # fmt: skip
        pages, text = _pdf_text(pdf)
        assert pages >= 2 and "（续）" in text
        for name in (people[0], people[20], people[-1]):
            assert text.count(name) >= 2  # 谈话人 and 谈话对象


@quick
@given(count=st.integers(min_value=0, max_value=600), length=name_lengths)
def test_points_notice_of_any_size(count, length):
    from branchdesk.printing.points_notice import NoticeLine
    from branchdesk.printing.points_notice import notice_pdf as points_notice_pdf

    lines = [NoticeLine(n, "100", "5", "0", "105", "优秀", note=n) for n in names(count, length)]
    pdf = points_notice_pdf(Branch("测试党支部"), "2025年第四季度", lines, DAY,
                            DAY + dt.timedelta(days=7), fonts=FONTS)  # fmt: skip
    assert pdf.startswith(b"%PDF")


@quick
@given(count=st.integers(min_value=0, max_value=600), length=name_lengths)
def test_appraisal_ballot_of_any_size(count, length):
    from branchdesk.printing.talk_appraisal import ballot_pdf

    assert ballot_pdf("测试党支部", 2025, names(count, length), fonts=FONTS).startswith(b"%PDF")


@quick
@given(count=st.integers(min_value=0, max_value=300), length=name_lengths)
def test_talk_register_of_any_size(count, length):
    """A talk with many people on either side (a 会前谈心 of the whole committee)."""
    from branchdesk.printing.talk_record import TalkView, register_pdf, talk_record_pdf

    people = "、".join(names(count, length))
    view = TalkView(DAY, people or "王建国", people or "李红梅", "日常谈心", "思想和工作情况",
                    summary=people, views=people)  # fmt: skip
    assert register_pdf([view, view], "测试党支部", 2025, fonts=FONTS).startswith(b"%PDF")
    assert talk_record_pdf([view], "测试党支部", fonts=FONTS).startswith(b"%PDF")


def test_a_layout_error_is_told_in_words_on_the_command_line():
    """The CLI shows a FormLayoutError as a message (exit code for input), no traceback."""
    from branchdesk.areas.cli_errors import message_for

    message = message_for(FormLayoutError("《会议记录》中有一项内容过长"), None)
    assert message is not None and "过长" in message
