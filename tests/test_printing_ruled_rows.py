"""The long 积分公示 table (printing/ruled_rows.py) prints what ``blocks.ruled_table`` printed:
the same text on the same pages, the header on every page, wrapped notes and shrunk long
names, the fonts embedded — only faster (benchmarks/bench_points.py)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

import branchdesk.printing.points_notice as notice
from branchdesk.domain.branch import Branch
from branchdesk.printing import blocks
from branchdesk.printing.fonts import resolve_fonts
from test_printing_helpers import font_problems

BRANCH = Branch("第一党支部")
SURNAMES = "王李张刘陈杨赵黄周吴"


def lines(n: int) -> list[notice.NoticeLine]:
    out = []
    for i in range(n):
        name = SURNAMES[i % 10] + "晓明"[: 1 + i % 2]
        note = ""
        if i % 37 == 5:
            name = "阿依古丽·买买提江"  # shrunk, never split
        if i % 23 == 7:
            note = "转出日期 2026-08-01；另有一段较长的说明文字，需要在备注栏内换行显示"
        out.append(notice.NoticeLine(name, "80", "3", "-5.5", "77.5", "合格", note))
    return out


def pages(pdf: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize("ranked", [False, True])
def test_long_table_prints_what_the_ruled_table_printed(monkeypatch, ranked):
    fonts = resolve_fonts()
    rows = lines(260)

    def make() -> bytes:
        return notice.notice_pdf(BRANCH, "2026年第三季度", rows, dt.date(2026, 10, 8),
                                 dt.date(2026, 10, 14), contact="黄磊", ranked=ranked,
                                 fonts=fonts)  # fmt: skip

    fast = make()
    monkeypatch.setattr(notice, "long_ruled_table", blocks.ruled_table)
    table = make()
    assert pages(fast) == pages(table)
    got = pages(fast)
    assert len(got) > 5
    assert all(p.count("序号 姓名 基础分") == 1 for p in got)  # the header on every page
    assert "阿依古丽·买买提江" in got[0].replace("\n", "")
    assert ("名次" in got[0]) == ranked
    assert font_problems(fast) == []


def test_summary_table_too():
    fonts = resolve_fonts()
    rows = [notice.SummaryLine(x.name, ("80", "81", "—", "90.5"), "83.8", "良好", x.note)
            for x in lines(120)]  # fmt: skip
    pdf = notice.summary_pdf(BRANCH, 2026, rows, quarterly=True, footnote="注：平均。",
                             fonts=fonts)  # fmt: skip
    text = "".join(pages(pdf)).replace("\n", "")
    assert text.count("一季度") == len(pages(pdf)) and "注：平均。" in text
    assert font_problems(pdf) == []
