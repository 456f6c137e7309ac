"""Titles the user types (new meeting topics): words the vocabulary does not know still never
leave one character on a line, and the lines stay balanced (GB/T 9704: 回行时要做到词意完整，
排列对称). Property tests over random titles."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from branchdesk.printing import words
from branchdesk.printing.blocks import CELL_STYLE, TITLE_STYLE
from branchdesk.printing.coverage import level1
from branchdesk.printing.fonts import FontSet
from branchdesk.printing.page import BLOCK_W_MM, MM
from branchdesk.printing.text import CnParagraph, tokenize
from branchdesk.printing.words import FUNCTION_CHARS, VOCABULARY, unknown_words, word_tokens
from test_printing_helpers import fonts  # noqa: F401  (fixture)

#: Common characters that are no word of the vocabulary: what a typed topic brings.
UNKNOWN = "".join(sorted(set(level1()) - set("".join(VOCABULARY)) - FUNCTION_CHARS))[:600]
BLOCK = BLOCK_W_MM * MM

piece = st.one_of(
    st.sampled_from(VOCABULARY),
    st.text(UNKNOWN, min_size=1, max_size=7),
    st.sampled_from(sorted(FUNCTION_CHARS)),
    st.integers(2000, 2030).map(lambda y: f"{y}年度"),
)
titles = st.lists(piece, min_size=2, max_size=14).map("".join).filter(lambda t: len(t) >= 4)


def _lines(text: str, fonts: FontSet, style=TITLE_STYLE, width: float = BLOCK) -> list[str]:  # noqa: F811
    p = CnParagraph(text, style, fonts)
    p.wrap(width, 1e6)
    return ["".join(run for _, run in line.runs) for line in p._lines or []]


def _em(text: str) -> float:
    """Width in ems: digits and Latin letters are half-width in the bundled fonts."""
    return sum(0.5 if ch.isascii() else 1.0 for ch in text)


def _cuts(parts: list[str]) -> set[int]:
    cuts, at = set(), 0
    for part in parts[:-1]:
        at += len(part)
        cuts.add(at)
    return cuts


def _bounds(text: str) -> set[int]:
    bounds, at = set(), 0
    for token in word_tokens(tokenize(text)):
        at += len(token)
        bounds.add(at)
    return bounds


@settings(max_examples=300, deadline=None)
@given(title=titles)
def test_random_titles_balanced_no_lone_character(fonts: FontSet, title: str) -> None:  # noqa: F811
    parts = _lines(title, fonts)
    assert "".join(parts) == title
    assert _cuts(parts) <= _bounds(title), f"{parts}: a break inside a word"
    if len(parts) > 1:
        assert all(len(p) >= 2 for p in parts), f"{parts}: a line of one character"
        longest = max(_em(t) for t in word_tokens(tokenize(title)))
        # 排列对称: the lines differ by no more than one word
        assert max(map(_em, parts)) - min(map(_em, parts)) <= longest + 0.01, parts


@settings(max_examples=200, deadline=None)
@given(title=titles, chars=st.integers(4, 9))
@example(title="丁四中全会丁", chars=5)  # one lone 丁 is unavoidable there (CI found it)
def test_random_names_in_narrow_cells(fonts: FontSet, title: str, chars: int) -> None:  # noqa: F811
    """The same in a table cell (the volume's 目录, the roll): a few characters wide."""
    width = chars * CELL_STYLE.size + 0.01
    parts = _lines(title, fonts, CELL_STYLE, width)
    assert "".join(parts) == title
    if len(parts) > 1 and any(len(p) == 1 for p in parts):
        # one character alone only where no arrangement avoids it: no way to cut the title
        # between words into lines that each fit and each hold two characters or more
        # ("丁" / "2000年度" in a cell four characters wide; "丁四中全会" / "丁" in five)
        cuts = sorted(_bounds(title) | {0})
        reach = {0}
        for j in cuts[1:]:
            if any(i in reach and j - i >= 2 and _em(title[i:j]) <= chars for i in cuts if i < j):
                reach.add(j)
        assert len(title) not in reach, parts


@pytest.mark.parametrize(
    ("title", "not_split"),
    [
        ("市发展改革委机关第二党支部关于开展网络安全宣传周活动的通知", ["网络", "安全"]),
        ("市发展改革委机关第二党支部关于垃圾分类志愿服务情况的总结", ["垃圾", "分类"]),
        (
            "市发展改革委机关第二党支部读书分享会暨青年理论学习小组会议记录",
            ["读书", "分享", "青年", "理论"],
        ),
    ],
)
def test_typed_topics_keep_their_two_character_words(
    fonts: FontSet,  # noqa: F811
    title: str,
    not_split: list[str],
) -> None:
    parts = _lines(title, fonts)
    assert len(parts) >= 2
    assert all(len(p) >= 2 for p in parts)
    for cut in _cuts(parts):
        for word in not_split:
            at = title.index(word)
            assert not at < cut < at + len(word), f"{parts} splits {word}"


def test_unknown_runs_by_rule() -> None:
    assert unknown_words("网络安全宣传周") == ["网络", "安全", "宣传周"]
    assert unknown_words("读书分享的心得") == ["读书", "分享", "的", "心得"]
    assert unknown_words("垃圾") == ["垃圾"] and unknown_words("宣传周") == ["宣传周"]


@contextmanager
def _segmenter(fn) -> Iterator[None]:  # noqa: ANN001
    with pytest.MonkeyPatch.context() as mp:
        words._split.cache_clear()
        mp.setattr(words, "segmenter", lambda: fn)
        try:
            yield
        finally:
            words._split.cache_clear()
    words._split.cache_clear()


@settings(max_examples=150, deadline=None)
@given(title=titles)
def test_a_segmenters_words_are_never_split(fonts: FontSet, title: str) -> None:  # noqa: F811
    """jieba is used when it is installed (it is not here): a stand-in that cuts every unknown
    run into words of two characters from the right shows that its words are kept whole."""
    made: list[str] = []

    def segment(run: str) -> list[str]:
        out = [run[max(i - 2, 0) : i] for i in range(len(run), 0, -2)][::-1]
        made.extend(w for w in out if len(w) == 2)
        return out

    with _segmenter(segment):
        parts = _lines(title, fonts)
        tokens = word_tokens(tokenize(title))
    assert "".join(parts) == title
    at, spans = 0, []
    for token in tokens:
        if token in made:
            spans.append((at, at + len(token)))
        at += len(token)
    for cut in _cuts(parts):
        assert not any(s < cut < e for s, e in spans), f"{parts} splits a segmenter's word"
    if len(parts) > 1:
        assert all(len(p) >= 2 for p in parts), parts


def test_jieba_is_used_when_installed() -> None:
    words.segmenter.cache_clear()
    try:
        import jieba  # type: ignore[import-not-found]  # noqa: F401
    except ImportError:
        assert words.segmenter() is None
    else:
        assert words.segmenter() is not None
