"""Chinese text: line breaking by the 标点挤压/禁则 rules, and the paragraph that prints it.

No line may start with a closing or pausing mark (，。、；：！？）》」』”’… and kin) and no
line may end with an opening one (（《「『“‘). ReportLab's CJK wrapping only knows part of
the first list, lets one mark hang into the margin, and ignores the second. Here a break that
would break a rule moves back ("push out", 推出): the characters before it go to the next line
too, and the short line is justified, so the right edge stays straight and nothing crosses the
text block. Runs of Latin letters and digits (2025, PDF, 12.5%) and the doubled marks —— and
…… are never split.

``CnParagraph`` is a ReportLab flowable for one paragraph of plain text in one role's font. A
character the role's font lacks is printed in the first font of the set that has it; one no
font has is listed in ``missing`` (the ``Typesetter`` collects them with field and record).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal
from weakref import WeakKeyDictionary

from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable

from branchdesk.printing.fonts import (
    BODY,
    FontSet,
    GlyphProblem,
    MissingGlyphError,
    glyph_vertical_centre,
)
from branchdesk.printing.page import BODY_INDENT, BODY_SIZE, BODY_TRACKING, LINE_PITCH
from branchdesk.printing.words import word_tokens

Align = Literal["justify", "left", "center", "right"]

#: Marks that may not begin a line (GB/T 15834 and the usual 禁则), full- and half-width;
#: units and signs that belong to the number before them (℃ ‰ ％ ° ′ ″).
NO_LINE_START = frozenset("，。、；：！？）》」』”’…〕】〉〗｝］〙〛·・.,;:!?)]}%\u00a0 ℃‰％°′″")
#: Marks that may not end a line; the 间隔号 of 阿依古丽·买买提 holds both sides.
NO_LINE_END = frozenset("（《「『“‘〔【〈〖｛［〘〚([{·・")

FUZZ = 1e-6
#: Fewest lines of a paragraph at the foot of a page, and carried to the next one.
ORPHANS = 2
#: A number or Latin word: 2025, 12.5, 14:30, 12,500 (thousands), 3-1, PDF.
_NUM = r"[0-9A-Za-z]+(?:(?:[.:/\-]|,(?=[0-9]{3}(?![0-9])))[0-9A-Za-z]+)*"
#: Units that never leave it: 12.5%, 36.5℃, 3‰.
_UNIT = r"[%％‰℃°]?"
#: A range stays whole: 14:30—16:30, 2025-2026, 9:00～11:30.
_TOKEN = re.compile(
    rf"——|……|星期[一二三四五六日天]|{_NUM}{_UNIT}(?:[—–~～\-]{_NUM}{_UNIT})?|.", re.S
)


def tokenize(text: str) -> list[str]:
    """Units that are never split: a Latin word or number (with its unit, or a range of two:
    "14:30—16:30", "12,500", "36.5℃"), a doubled dash or ellipsis, 星期五, or one
    character."""
    return _TOKEN.findall(text)


def can_break(tokens: Sequence[str], at: int) -> bool:
    """Whether a line may end before ``tokens[at]``."""
    return tokens[at][0] not in NO_LINE_START and tokens[at - 1][-1] not in NO_LINE_END


def break_lines(
    tokens: Sequence[str],
    widths: Sequence[float],
    width: float,
    first_width: float | None = None,
) -> list[tuple[int, int]]:
    """Split tokens into lines: (start, end) index pairs.

    Greedy: each line takes as many tokens as fit in ``width`` (``first_width`` for the
    first), then the break moves back while it would start a line with a mark of
    NO_LINE_START or end one with a mark of NO_LINE_END. Spaces at a line's end may hang
    (they are not printed). Only a line holding no allowed break at all (a run of marks wider
    than the line) is broken where it fills. A token wider than a line gets a line of its own.
    """
    n = len(tokens)
    lines: list[tuple[int, int]] = []
    start = 0
    while start < n:
        avail = first_width if (first_width is not None and not lines) else width
        end, used = start, 0.0
        while end < n and (used + widths[end] <= avail + FUZZ or tokens[end] == " "):
            used += widths[end]
            end += 1
        end = max(end, start + 1)  # a single token wider than the line gets one of its own
        if end == n:
            lines.append((start, n))
            break
        brk = end
        while brk > start + 1 and not can_break(tokens, brk):
            brk -= 1
        if not can_break(tokens, brk):
            brk = end  # nowhere to break by the rules in this whole line
        lines.append((start, brk))
        start = brk
    return lines


def split_unbreakable(
    tokens: Sequence[str], widths: Sequence[float], width: float
) -> tuple[list[str], list[float] | None]:
    """Take apart into characters every multi-character token that, with the marks glued to
    it (opening marks before, closing marks after), is wider than ``width``: a long number in
    a narrow column must wrap inside rather than run over the rule or leave “ at a line end.
    Returns the tokens and None for the widths if nothing changed (else they must be
    measured again)."""
    n = len(tokens)
    split = set()
    for i, token in enumerate(tokens):
        if len(token) < 2:
            continue
        total, j = widths[i], i - 1
        while j >= 0 and tokens[j][-1] in NO_LINE_END:
            total, j = total + widths[j], j - 1
        j = i + 1
        while j < n and tokens[j][0] in NO_LINE_START:
            total, j = total + widths[j], j + 1
        if total > width + FUZZ:
            split.add(i)
    if not split:
        return list(tokens), list(widths)
    out: list[str] = []
    for i, token in enumerate(tokens):
        out.extend(token if i in split else (token,))
    return out, None


def wrap_text(
    text: str, width: float, measure: Callable[[str], float], first_width: float | None = None
) -> list[str]:
    """The lines of one paragraph (no hard breaks) as strings; for tests and measuring."""
    narrowest = width if first_width is None else min(width, first_width)
    tokens, widths = split_unbreakable(
        tokenize(text), [measure(t) for t in tokenize(text)], narrowest
    )
    if widths is None:
        widths = [measure(t) for t in tokens]
    return ["".join(tokens[s:e]) for s, e in break_lines(tokens, widths, width, first_width)]


# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TextStyle:
    role: str = BODY
    size: float = BODY_SIZE
    leading: float = LINE_PITCH
    align: Align = "justify"
    first_indent: float = 0.0
    tracking: float = 0.0  # added after every character (negative: tighter)
    space_before: float = 0.0
    space_after: float = 0.0
    balance: bool = False  # wrapped lines of even length (titles, table cells)

    def but(self, **changes: object) -> TextStyle:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


#: 正文: 3号, 22 lines × 28 characters, 首行缩进二字, justified.
BODY_STYLE = TextStyle(BODY, BODY_SIZE, LINE_PITCH, "justify", BODY_INDENT, BODY_TRACKING)


_ADVANCES: dict[str, dict[str, float]] = {}


def advance(font_name: str, char: str) -> float:
    """Advance width of a character in ems."""
    table = _ADVANCES.get(font_name)
    if table is None:
        table = _ADVANCES[font_name] = {}
    try:
        return table[char]
    except KeyError:
        face = pdfmetrics.getFont(font_name).face
        value = table[char] = face.charWidths.get(ord(char), face.defaultWidth) / 1000
        return value


def text_width(fonts: FontSet, text: str, style: TextStyle) -> float:
    """Width of the longest hard line of ``text`` set on one line, first indent included."""
    table = _metrics_table(fonts, style)
    widest = 0.0
    for part in text.split("\n"):
        width = 0.0
        for ch in part.rstrip(" "):
            try:
                width += table[ch][1]
            except KeyError:
                font = fonts.font_for(ch, style.role) or fonts.name(style.role)
                table[ch] = (font, advance(font, ch) * style.size + style.tracking)
                width += table[ch][1]
        widest = max(widest, width)
    return widest + style.first_indent


_METRICS: WeakKeyDictionary[FontSet, dict[tuple[str, float, float], dict[str, tuple[str, float]]]]
_METRICS = WeakKeyDictionary()


def _metrics_table(fonts: FontSet, style: TextStyle) -> dict[str, tuple[str, float]]:
    """The shared char → (font, width) cache for a FontSet, role, size and tracking."""
    per_set = _METRICS.get(fonts)
    if per_set is None:
        per_set = _METRICS[fonts] = {}
    key = (style.role, style.size, style.tracking)
    table = per_set.get(key)
    if table is None:
        table = per_set[key] = {}
    return table


@cache
def ideograph_centre(font_name: str) -> float:
    """Height of an ideograph's middle above the baseline, in ems (lines are centred on it)."""
    for probe in "国中":
        centre = glyph_vertical_centre(font_name, probe)
        if centre is not None:
            return centre
    return 0.38


@dataclass(frozen=True)
class Line:
    runs: tuple[tuple[str, str], ...]  # (font name, text), spaces at the end dropped
    chars: int
    width: float  # natural width, tracking included
    indent: float
    justify: bool  # spread to the full width (not the last line of a paragraph)
    #: Gaps (after character i) that a justified line does not widen: inside a number or a
    #: Latin word ("2025", "14:30—16:30"), a —— or a …….
    glued: frozenset[int] = frozenset()


def _balanced(
    tokens: Sequence[str], widths: Sequence[float], width: float, indent: float, count: int
) -> list[tuple[int, int]]:
    """``count`` lines as even as the words allow (排列对称), so that "硕士研究生" wraps as
    硕士 / 研究生, not 硕士研究 / 生: of all the ways to break at legal points into ``count``
    lines that fit, the one whose line widths have the least sum of squares (for a given total,
    the least spread), a line of one character counting as much as an overfull line would.
    A single token wider than the line still gets a line of its own."""
    n = len(tokens)
    if count < 2 or n < 2:
        return break_lines(tokens, widths, width, width - indent)
    prefix = [0.0]
    for w in widths:
        prefix.append(prefix[-1] + w)
    trailing = [0.0] * (n + 1)  # width of the spaces that end tokens[:e] (they hang)
    for e in range(1, n + 1):
        trailing[e] = trailing[e - 1] + widths[e - 1] if tokens[e - 1] == " " else 0.0
    cuts = [0, *(i for i in range(1, n) if can_break(tokens, i)), n]
    lone = (width * 4) ** 2  # the cost that makes a 孤字 the last resort
    seen = [0]  # visible characters before each token
    for token in tokens:
        seen.append(seen[-1] + _visible((token,)))

    def cost(s: int, e: int, first: bool) -> float | None:
        used = prefix[e] - prefix[s] - min(trailing[e], prefix[e] - prefix[s])
        if used > (width - indent if first else width) + FUZZ and e - s > 1:
            return None
        return used * used + (lone if seen[e] - seen[s] == 1 else 0.0)

    inf = float("inf")
    # best[k][j]: the least cost of k lines ending at cuts[j]
    best = [[inf] * len(cuts) for _ in range(count + 1)]
    back = [[-1] * len(cuts) for _ in range(count + 1)]
    best[0][0] = 0.0
    for k in range(1, count + 1):
        for j in range(1, len(cuts)):
            for i in range(j - 1, -1, -1):  # lines ending at cuts[j], shortest first
                c = cost(cuts[i], cuts[j], i == 0)
                if c is None:
                    if i == 0 or cost(cuts[i], cuts[j], False) is None:
                        break  # a longer line fits no better
                    continue
                if best[k - 1][i] != inf and best[k - 1][i] + c < best[k][j]:
                    best[k][j], back[k][j] = best[k - 1][i] + c, i
    last = len(cuts) - 1
    if best[count][last] == inf:
        return break_lines(tokens, widths, width, width - indent)
    out: list[tuple[int, int]] = []
    j = last
    for k in range(count, 0, -1):
        i = back[k][j]
        out.append((cuts[i], cuts[j]))
        j = i
    return out[::-1]


def _visible(tokens: Sequence[str]) -> int:
    """Characters of a line that are not marks (a lone "会。" counts one)."""
    marks = NO_LINE_START | NO_LINE_END
    return sum(1 for t in tokens for ch in t if ch not in marks and not ch.isspace())


def _no_lone_character(
    tokens: Sequence[str],
    widths: Sequence[float],
    breaks: list[tuple[int, int]],
    width: float,
) -> list[tuple[int, int]]:
    """Lines where no line holds a single character (孤字): a break before one is moved back
    a token, if that is a legal break, leaves the line before two characters and the line
    still fits ``width``."""
    out = list(breaks)
    for j in range(1, len(out)):
        (s0, e0), (s1, e1) = out[j - 1], out[j]
        if _visible(tokens[s1:e1]) > 1:
            continue
        brk = e0 - 1
        while brk > s0 and not can_break(tokens, brk):
            brk -= 1
        spaces = sum(w for t, w in zip(tokens[brk:e1], widths[brk:e1], strict=True) if t == " ")
        fits = sum(widths[brk:e1]) - spaces <= width + FUZZ
        if brk > s0 and _visible(tokens[s0:brk]) >= 2 and fits:
            out[j - 1], out[j] = (s0, brk), (brk, e1)
    return out


class CnParagraph(Flowable):
    """One paragraph of plain text (``\\n`` forces a line break) in one style."""

    def __init__(self, text: str, style: TextStyle, fonts: FontSet) -> None:
        super().__init__()
        self.text = text
        self.style = style
        self.fonts = fonts
        self.missing: set[str] = fonts.missing(text, style.role)
        self._metrics = _metrics_table(fonts, style)
        self._lines: list[Line] | None = None
        self._laid_for: float | None = None
        self._fixed = False  # a part of a split paragraph keeps its lines
        self._space_before = style.space_before
        self._space_after = style.space_after

    def __repr__(self) -> str:
        return f"CnParagraph({self.text[:20]!r}…)"

    # -- layout --------------------------------------------------------------------------

    def _metric(self, char: str) -> tuple[str, float]:
        """(font, width in points with tracking) of a character, cached per style."""
        try:
            return self._metrics[char]
        except KeyError:
            st = self.style
            font = self.fonts.font_for(char, st.role) or self.fonts.name(st.role)
            found = self._metrics[char] = (font, advance(font, char) * st.size + st.tracking)
            return found

    def natural_width(self) -> float:
        """Width of the longest hard line set on one line (for sizing table columns)."""
        return text_width(self.fonts, self.text, self.style)

    def _make_line(
        self, text: str, indent: float, justify: bool, glued: frozenset[int] = frozenset()
    ) -> Line:
        text = text.rstrip(" ")
        runs: list[tuple[str, str]] = []
        width = 0.0
        start, current = 0, ""
        for i, ch in enumerate(text):
            font, w = self._metric(ch)
            width += w
            if font != current:
                if i:
                    runs.append((current, text[start:i]))
                start, current = i, font
        if text:
            runs.append((current, text[start:]))
        return Line(tuple(runs), len(text), width, indent, justify, glued)

    def _token_widths(self, tokens: Sequence[str]) -> list[float]:
        metric = self._metric
        return [metric(t)[1] if len(t) == 1 else sum(metric(c)[1] for c in t) for t in tokens]

    def _layout(self, width: float) -> list[Line]:
        if self._lines is not None and (self._fixed or self._laid_for == width):
            return self._lines
        st = self.style
        lines: list[Line] = []
        for k, hard in enumerate(self.text.split("\n")):
            tokens = tokenize(hard)
            if st.balance:  # titles and table cells break between words
                tokens = word_tokens(tokens)
            tokens, maybe = split_unbreakable(
                tokens, self._token_widths(tokens), width - st.first_indent
            )
            widths = self._token_widths(tokens) if maybe is None else maybe
            indent = st.first_indent if k == 0 else 0.0
            breaks = break_lines(tokens, widths, width, width - indent) if tokens else [(0, 0)]
            if st.balance and len(breaks) > 1:
                breaks = _balanced(tokens, widths, width, indent, len(breaks))
            if len(breaks) > 1:  # no line of one character (孤字), in a title or a paragraph
                breaks = _no_lone_character(tokens, widths, breaks, width)
            for j, (s, e) in enumerate(breaks):
                last = j == len(breaks) - 1
                text = "".join(tokens[s:e])
                glued: set[int] = set()
                if not last and st.align == "justify":
                    at = 0
                    for token in tokens[s:e]:
                        if len(token) > 1 and not all(_is_hanzi(ch) for ch in token):
                            glued.update(range(at, at + len(token) - 1))
                        at += len(token)
                line = self._make_line(text, indent if j == 0 else 0.0, not last, frozenset(glued))
                lines.append(line)
        self._lines, self._laid_for = lines, width
        return lines

    @classmethod
    def _part(cls, whole: CnParagraph, lines: list[Line], first: bool, last: bool) -> CnParagraph:
        part = cls.__new__(cls)
        Flowable.__init__(part)
        part.text, part.style, part.fonts = whole.text, whole.style, whole.fonts
        part._metrics = whole._metrics
        part.missing = set()  # reported by the whole
        part._lines, part._laid_for, part._fixed = lines, whole._laid_for, True
        part._space_before = whole._space_before if first else 0.0
        part._space_after = whole._space_after if last else 0.0
        return part

    # -- the Flowable protocol -------------------------------------------------------------

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        lines = self._layout(availWidth)
        self.width = availWidth
        self.height = len(lines) * self.style.leading
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        """Two parts at a line break, each of at least ``ORPHANS`` lines: no single line of
        a paragraph is left alone at the foot of a page or carried alone to the top of the
        next. A paragraph too short to split so goes over whole."""
        lines = self._layout(availWidth)
        fit = int((availHeight + FUZZ) // self.style.leading)
        if fit >= len(lines):
            return [self]
        fit = min(fit, len(lines) - ORPHANS)
        if fit < ORPHANS:
            return []
        return [
            self._part(self, lines[:fit], True, False),
            self._part(self, lines[fit:], False, True),
        ]

    def getSpaceBefore(self) -> float:  # noqa: N802
        return self._space_before

    def getSpaceAfter(self) -> float:  # noqa: N802
        return self._space_after

    def draw(self) -> None:
        st = self.style
        canv = self.canv
        lines = self._lines or []
        width = self.width
        centre = ideograph_centre(self.fonts.name(st.role)) * st.size
        top = self.height
        for line in lines:
            baseline = top - st.leading / 2 - centre
            top -= st.leading
            if not line.runs:
                continue
            tracking = st.tracking
            x = line.indent
            room = width - line.indent - line.width
            extra = 0.0
            if st.align == "center":
                x += room / 2
            elif st.align == "right":
                x += room
            elif st.align == "justify" and line.justify and line.chars > 1 and room > 0:
                gaps = line.chars - 1 - len(line.glued)
                if gaps > 0:
                    extra = room / gaps
                else:  # nothing but one number: spread it all the same
                    tracking += room / (line.chars - 1)
            text = canv.beginText(x, baseline)
            if not extra:
                text.setCharSpace(tracking)
                for font, run in line.runs:
                    text.setFont(font, st.size)
                    text.textOut(run)
            else:
                # PDF adds the character spacing after every glyph: a glued gap takes the
                # tracking only, every other gap the tracking and its share of the room
                at = 0
                for font, run in line.runs:
                    text.setFont(font, st.size)
                    for piece, glued in _pieces(run, at, line.glued):
                        text.setCharSpace(tracking if glued else tracking + extra)
                        text.textOut(piece)
                    at += len(run)
            canv.drawText(text)


def _is_hanzi(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\U00020000" <= ch <= "\U0003134f"


def _pieces(run: str, start: int, glued: frozenset[int]) -> list[tuple[str, bool]]:
    """``run`` (its first character at ``start`` in the line) in pieces whose characters
    are all followed by a glued gap, or all not."""
    out: list[tuple[str, bool]] = []
    for i, ch in enumerate(run):
        g = start + i in glued
        if out and out[-1][1] == g:
            out[-1] = (out[-1][0] + ch, g)
        else:
            out.append((ch, g))
    return out


def font_runs(fonts: FontSet, text: str, role: str) -> list[tuple[str, str]]:
    """``text`` cut into (font name, run) pieces by the role's fallback chain: what is drawn
    outside a paragraph (page numbers, the 续 head) goes through the same chain as the body.
    A character no font has stays in the role's font (the forms refuse to print it first)."""
    runs: list[tuple[str, str]] = []
    for ch in text:
        font = fonts.font_for(ch, role) or fonts.name(role)
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + ch)
        else:
            runs.append((font, ch))
    return runs


def runs_width(runs: Sequence[tuple[str, str]], size: float) -> float:
    return sum(advance(font, ch) * size for font, run in runs for ch in run)


def draw_runs(canv: Any, x: float, y: float, runs: Sequence[tuple[str, str]], size: float) -> None:
    """Draw font runs from (x, y) on the baseline."""
    text = canv.beginText(x, y)
    for font, run in runs:
        text.setFont(font, size)
        text.textOut(run)
    canv.drawText(text)


class Typesetter:
    """Makes paragraphs in a FontSet and collects every character no font can print."""

    def __init__(self, fonts: FontSet) -> None:
        self.fonts = fonts
        self.problems: list[GlyphProblem] = []

    def para(
        self, text: str, style: TextStyle, *, field: str = "", record: str = ""
    ) -> CnParagraph:
        return self.track(CnParagraph(text, style, self.fonts), field=field, record=record)

    def track(self, p: CnParagraph, *, field: str = "", record: str = "") -> CnParagraph:
        """Record the characters of a paragraph made elsewhere that no font can print."""
        for ch in sorted(p.missing, key=p.text.index):
            self.problems.append(GlyphProblem(ch, field, record))
        return p

    def check(self, text: str, role: str, *, field: str = "", record: str = "") -> None:
        """Record missing characters of text printed outside a paragraph (page furniture)."""
        for ch in sorted(self.fonts.missing(text, role), key=text.index):
            self.problems.append(GlyphProblem(ch, field, record))

    def raise_if_missing(self) -> None:
        if self.problems:
            raise MissingGlyphError(self.problems)
