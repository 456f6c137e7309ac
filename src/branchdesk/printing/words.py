"""Words of the titles and table cells, so that they break between words, not inside them.

GB/T 9704 asks a title that runs over two lines to break where the sense allows (回行时要做到
词意完整) and to be balanced (排列对称): "支部党员大/会" and "第二党支/部" are what it forbids.
Chinese has no spaces, so the words are found by longest match against a short vocabulary:
the words that make up the titles and names of this program's documents (organs, meeting
kinds, document kinds).

A title the user typed has words the vocabulary does not know ("网络安全宣传周"). Such a run
is cut by a word segmenter when one is installed (jieba: not a dependency, used if present),
else by rule: a function character (的 与 和 及 暨 之 …) is a word of its own, and what is
left is grouped two characters to a token — most Chinese words have two — with an odd last
character joining the group before ("宣传周"). The line breaker then balances the lines over
these tokens and never leaves one character alone on a line (``text._no_lone_character``).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Sequence
from functools import cache

#: Words of document titles, meeting names and table heads (longest match wins).
VOCABULARY = """
中国共产党 中共 党委 党组 党总支 党支部 支部 党小组 小组 委员会 委员 机关 纪律检查 纪委
支部委员会 支部党员大会 党员大会 党员 大会 会议 会议记录 记录 通知 关于 召开 举行 开展
主题党日 主题 党日 活动 党课 组织生活会 组织生活 民主生活会 民主评议 评议 专题 学习 学习会
集中 教育 讨论 研究 决定 决议 表决 选举 换届 发展 对象 预备 正式 转正 接收 入党 积极分子
花名册 签到表 名册 目录 年度 工作 计划 总结 报告 情况 汇报 推进会 推进 部署 动员 座谈会 座谈
第一 第二 第三 第四 第五 第六 第七 第八 第九 第十 办公室
发展改革委 发展改革 改革 政府 人民 社区 街道 公司 集团 学校 医院 中心 研究院
精神 贯彻 落实 全会 二十大 二十届 四中全会 三中全会 党章 党规 党纪 廉政 警示
缴纳 党费 谈心谈话 谈心 谈话 积分 管理 党建 联系 群众 志愿 服务
""".split()  # noqa: SIM905  (a word list reads better as words)
MAX_WORD = max(len(w) for w in VOCABULARY)
_WORDS = frozenset(VOCABULARY)
#: Characters that stand as a word of their own in a title (particles, conjunctions,
#: prepositions): a break may fall on either side of them.
FUNCTION_CHARS = frozenset("的之与和及暨并或等于对把被从向在为")

Segmenter = Callable[[str], list[str]]


@cache
def segmenter() -> Segmenter | None:
    """jieba's ``lcut`` when jieba is installed (it is not a dependency), else None."""
    if importlib.util.find_spec("jieba") is None:
        return None
    import logging

    import jieba  # type: ignore[import-not-found]

    jieba.setLogLevel(logging.WARNING)
    return jieba.lcut  # type: ignore[no-any-return]


def _pairs(run: str) -> list[str]:
    """A run of unknown hanzi as tokens of two characters (three at the end of an odd run)."""
    if len(run) <= 3:
        return [run]
    out = [run[i : i + 2] for i in range(0, len(run) - len(run) % 2, 2)]
    if len(run) % 2:
        out[-1] += run[-1]
    return out


def unknown_words(run: str, segment: Segmenter | None = None) -> list[str]:
    """Tokens for a run of hanzi that the vocabulary does not know: the segmenter's words if
    there is one, else function characters alone and the rest in pairs (``_pairs``)."""
    if segment is not None:
        words = [w for w in segment(run) if w]
        if "".join(words) == run:
            return words
    out: list[str] = []
    piece = ""
    for ch in run:
        if ch in FUNCTION_CHARS:
            if piece:
                out.extend(_pairs(piece))
                piece = ""
            out.append(ch)
        else:
            piece += ch
    if piece:
        out.extend(_pairs(piece))
    return out


def _hanzi(token: str) -> bool:
    return len(token) == 1 and "\u3400" <= token <= "\u9fff"


@cache
def _split(run: str) -> tuple[str, ...]:
    """A run of hanzi as words: longest vocabulary match from the left; what lies between
    the matches as ``unknown_words``."""
    out: list[str] = []
    unknown = ""
    i = 0
    while i < len(run):
        for size in range(min(MAX_WORD, len(run) - i), 1, -1):
            if run[i : i + size] in _WORDS:
                if unknown:
                    out.extend(unknown_words(unknown, segmenter()))
                    unknown = ""
                out.append(run[i : i + size])
                i += size
                break
        else:
            unknown += run[i]
            i += 1
    if unknown:
        out.extend(unknown_words(unknown, segmenter()))
    return tuple(out)


def word_tokens(tokens: Sequence[str]) -> list[str]:
    """Tokens (as ``text.tokenize`` makes them) with the runs of single hanzi regrouped into
    words; a number followed by 年/年度/月/日/届/次 stays with it ("2025年度")."""
    out: list[str] = []
    run = ""
    for token in tokens:
        if _hanzi(token):
            run += token
            continue
        if run:
            out.extend(_split(run))
            run = ""
        out.append(token)
    if run:
        out.extend(_split(run))
    glued: list[str] = []
    for token in out:
        if glued and glued[-1][-1:].isdigit() and token in ("年", "年度", "月", "日", "届", "次"):
            glued[-1] += token
        else:
            glued.append(token)
    return glued
