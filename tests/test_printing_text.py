"""Chinese line breaking (禁则) and the paragraph flowable."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from branchdesk.printing.fonts import BODY, FontSet
from branchdesk.printing.page import (
    BLOCK_H_MM,
    BLOCK_W_MM,
    BODY_SIZE,
    BODY_TRACKING,
    CHARS_PER_LINE,
    LINE_PITCH,
    LINES_PER_PAGE,
    MM,
)
from branchdesk.printing.text import (
    BODY_STYLE,
    NO_LINE_END,
    NO_LINE_START,
    CnParagraph,
    TextStyle,
    advance,
    break_lines,
    can_break,
    tokenize,
    wrap_text,
)
from test_printing_helpers import fonts  # noqa: F401  (fixture)

HANZI = "党支部会议记录学习贯彻精神组织生活民主评议发展对象预备期转正同志认为要求工作作风纪律"
#: The rules as the house style states them, kept here apart from the code under test.
OPENERS = "（《「『“‘"  # may not end a line
CLOSERS = "，。、；：！？）》」』”’…"  # may not start one


def violations(lines: list[str]) -> list[str]:
    """Each line that starts with a closing mark or ends with an opening one."""
    bad = []
    for i, line in enumerate(lines):
        if i and line[:1] and line[:1] in CLOSERS:
            bad.append(f"line {i} starts with {line[:1]}: {line!r}")
        if i < len(lines) - 1 and line.rstrip(" ")[-1:] and line.rstrip(" ")[-1:] in OPENERS:
            bad.append(f"line {i} ends with {line.rstrip()[-1:]}: {line!r}")
    return bad


def unit(text: str) -> float:
    return float(len(text))


# Text built from segments: up to two opening marks, one to four hanzi or a number (or a
# hanzi with —— or …… after it), up to three closing marks. Real Chinese never has more in a
# row, so a legal break always exists in a line of eight or more characters.
segment = st.tuples(
    st.text(OPENERS, max_size=2),
    st.one_of(
        st.text(HANZI, min_size=1, max_size=4),
        st.integers(0, 99999).map(str),
        st.sampled_from(["是——", "等……", "12.5%", "PDF"]),
    ),
    st.text(CLOSERS, max_size=3),
).map("".join)
chinese_text = st.lists(segment, min_size=1, max_size=60).map("".join)


@given(chinese_text, st.integers(8, 40))
def test_no_line_starts_or_ends_with_a_forbidden_mark(text: str, width: int) -> None:
    lines = wrap_text(text, width, unit)
    assert "".join(lines) == text  # nothing lost, nothing added
    assert violations(lines) == []
    for line in lines:
        # A line only overflows if it is one unbreakable token wider than the line.
        assert len(line) <= width or len(tokenize(line)) == 1


@given(chinese_text, st.integers(14, 40), st.integers(0, 6))
def test_first_line_may_be_narrower(text: str, width: int, indent: int) -> None:
    lines = wrap_text(text, width, unit, first_width=width - indent)
    assert "".join(lines) == text
    assert violations(lines) == []
    assert len(lines[0]) <= width - indent or len(tokenize(lines[0])) == 1


@given(chinese_text, st.integers(8, 30))
def test_lines_are_as_full_as_the_rules_allow(text: str, width: int) -> None:
    """Push-out moves a break back only as far as it must: no later break that fits the
    line is allowed by the rules."""
    tokens = tokenize(text)
    breaks = break_lines(tokens, [unit(t) for t in tokens], width)
    for start, end in breaks[:-1]:
        for later in range(end + 1, len(tokens)):
            if sum(len(t) for t in tokens[start:later]) > width:
                break
            assert not can_break(tokens, later), (tokens[start:later], tokens[later])


@given(st.text(HANZI + CLOSERS + OPENERS, min_size=1, max_size=200), st.integers(1, 30))
def test_any_text_is_broken_without_loss(text: str, width: int) -> None:
    """Even nonsense (a run of marks longer than a line) is broken somewhere, and kept whole."""
    lines = wrap_text(text, width, unit)
    assert "".join(lines) == text
    assert all(lines)


def test_stock_reportlab_lets_marks_through_and_we_do_not(fonts: FontSet) -> None:  # noqa: F811
    """Why this module exists: ReportLab's CJK wrapping starts a line with ， and ends one with
    “ (it only knows part of the list)."""
    style = ParagraphStyle("s", fontName=fonts.name(BODY), fontSize=10, leading=12, wordWrap="CJK")
    samples = ["一二三四五，六七八九十", "一二三四“五六七", "一二三四五六七八九十”，好"]
    for text in samples:
        p = Paragraph(text, style)
        p.wrap(50.01, 1000)
        para = p.blPara
        if para.kind == 0:  # one fragment: (space, words) tuples
            stock = ["".join(words) for _, words in para.lines]
        else:
            stock = ["".join(w.text for w in line.words) for line in para.lines]
        assert violations(stock), stock
        assert violations(wrap_text(text, 5, unit)) == []


def test_numbers_and_doubled_marks_stay_whole() -> None:
    assert tokenize("于2025年12.5%——是……PDF文件") == [
        "于", "2025", "年", "12.5%", "——", "是", "……", "PDF", "文", "件",
    ]  # fmt: skip
    lines = wrap_text("一二三四五六七八2025年", 10, unit)
    assert lines == ["一二三四五六七八", "2025年"]


def test_the_house_rules_are_in_the_rule_sets() -> None:
    assert set(CLOSERS) <= NO_LINE_START
    assert set(OPENERS) <= NO_LINE_END


# --- the paragraph ---------------------------------------------------------------------------


def test_grid_holds_28_characters_by_22_lines(fonts: FontSet) -> None:  # noqa: F811
    """3号 in a 156 × 225 mm block: 28 hanzi fill a line exactly, the 29th wraps; 22 lines
    fill the block exactly, the 23rd goes to the next page."""
    style = BODY_STYLE.but(first_indent=0)
    width, height = BLOCK_W_MM * MM, BLOCK_H_MM * MM
    line = HANZI[:CHARS_PER_LINE]
    p = CnParagraph(line, style, fonts)
    assert p.wrap(width, height)[1] == pytest.approx(LINE_PITCH)
    p = CnParagraph(line + "党", style, fonts)
    assert p.wrap(width, height)[1] == pytest.approx(2 * LINE_PITCH)
    body = (HANZI * 30)[: CHARS_PER_LINE * (LINES_PER_PAGE + 1)]
    p = CnParagraph(body, style, fonts)
    assert p.wrap(width, height)[1] == pytest.approx((LINES_PER_PAGE + 1) * LINE_PITCH)
    head, tail = p.split(width, height)
    # the 23rd line would stand alone at the top of the next page: the 22nd goes with it
    assert head.wrap(width, height)[1] == pytest.approx(height - LINE_PITCH)
    assert tail.wrap(width, height)[1] == pytest.approx(2 * LINE_PITCH)
    body = (HANZI * 30)[: CHARS_PER_LINE * (LINES_PER_PAGE + 2)]
    head, tail = CnParagraph(body, style, fonts).split(width, height)
    assert head.wrap(width, height)[1] == pytest.approx(height)  # a full page, then two


@given(chinese_text, st.sampled_from([120.0, 200.0, 442.2]))
def test_paragraph_lines_fit_and_obey_the_rules(
    fonts: FontSet,  # noqa: F811
    text: str,
    width: float,
) -> None:
    p = CnParagraph(text, TextStyle(BODY, 12, 15, first_indent=24), fonts)
    p.wrap(width, 1e6)
    lines = p._lines or []
    texts = ["".join(run for _, run in line.runs) for line in lines]
    assert "".join(texts) == text.rstrip(" ")
    assert violations(texts) == []
    for line in lines:
        assert line.indent + line.width <= width + 1e-6 or len(tokenize(texts[0])) == 1


def test_balanced_cells_wrap_evenly(fonts: FontSet) -> None:  # noqa: F811
    style = TextStyle(BODY, 12, 15, "center", balance=True)
    p = CnParagraph("硕士研究生", style, fonts)
    p.wrap(50, 100)  # room for four characters: not 硕士研究 / 生, nor 硕士研 / 究生
    assert ["".join(r for _, r in line.runs) for line in p._lines or []] == ["硕士", "研究生"]


@given(st.text(HANZI + "，。", min_size=2, max_size=200), st.sampled_from([120.0, 200.0, 442.2]))
def test_no_line_of_a_single_character(
    fonts: FontSet,  # noqa: F811
    text: str,
    width: float,
) -> None:
    """A paragraph's last line (or a cell's) never holds one character alone (孤字)."""
    p = CnParagraph(text, TextStyle(BODY, 12, 15), fonts)
    p.wrap(width, 1e6)
    texts = ["".join(run for _, run in line.runs) for line in p._lines or []]
    marks = NO_LINE_START | NO_LINE_END
    counts = [sum(1 for ch in t if ch not in marks and not ch.isspace()) for t in texts]
    # where the line before has a character to spare, the last line is never one character
    if len(texts) > 1 and counts[-2] >= 3:
        assert counts[-1] != 1, texts


def test_justified_lines_do_not_spread_numbers(fonts: FontSet) -> None:  # noqa: F811
    """A justified line widens the gaps between characters, not inside a number or a dash:
    "2 0 2 5 年" was printed when "（星期一）" could not end the line before it."""
    import pypdfium2 as pdfium

    from branchdesk.printing.document import text_pdf

    text = "市发展改革委机关第二党支部定于2025年12月1日（星期一）14:30—16:30在三楼召开会议。"
    pdf = text_pdf("通知", [text], fonts=fonts)
    doc = pdfium.PdfDocument(pdf)
    page = doc[0].get_textpage()
    chars = [page.get_text_range(i, 1) for i in range(page.count_chars())]
    boxes = [page.get_charbox(i) for i in range(len(chars))]
    doc.close()
    at = "".join(chars).index("2025年")
    left = [boxes[at + k][0] for k in range(6)]  # 2 0 2 5 年 1
    digit_steps = [left[k + 1] - left[k] for k in range(3)]
    hanzi = "".join(chars).index("定于")
    hanzi_step = boxes[hanzi + 1][0] - boxes[hanzi][0]
    digit = fonts.font_for("2", BODY)
    assert digit is not None
    natural = advance(digit, "2") * BODY_SIZE + BODY_TRACKING
    assert all(abs(step - natural) < 0.3 for step in digit_steps), (digit_steps, natural)
    assert hanzi_step > BODY_SIZE + 1.0  # the line was spread, between the hanzi
