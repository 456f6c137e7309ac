"""The Word copy of a year's archive volume, read back with python-docx: the same cover,
卷内目录 (页号 as in the printed volume), every item with its 归档章 and content, the
备考表; A4, fonts named by role. And a corrected filed talk reprinted from the command line
with its 更正说明."""

from __future__ import annotations

import io

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from branchdesk.cli import main
from branchdesk.store import open_book


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("BRANCHDESK_OPERATOR_FILE", str(tmp_path / "operator.json"))
    path = tmp_path / "demo.db"
    assert run(capsys, "demo", str(path))[0] == 0
    return path


def _east_asia(paragraph) -> str:
    return paragraph.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia"))


def _volumes(path):
    from branchdesk.areas.archive.jobs import volumes_job

    book = open_book(path)
    try:
        return volumes_job(book, 2025)()
    finally:
        book.close(backup=False)


def test_volume_docx_reads_back_with_the_printed_volumes_contents(demo, tmp_path, capsys):
    out = tmp_path / "v.docx"
    code, text, _ = run(capsys, "--data", str(demo), "archive", "docx", "--year", "2025",
                        "-o", str(out))  # fmt: skip
    assert code == 0 and "全部卷" in text
    doc = Document(io.BytesIO(out.read_bytes()))
    section = doc.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.1)
    assert abs(section.page_height - Mm(297)) < Mm(0.1)
    texts = [p.text for p in doc.paragraphs]
    volumes = _volumes(demo)
    assert texts.count("2025年度文书档案") == len(volumes) == 2
    assert (
        "全宗号：Z118" in texts
        and "保管期限：30年" in texts
        and "卷\u3000号：第2卷（共2卷）" in texts
    )
    cover = next(p for p in doc.paragraphs if p.text == "2025年度文书档案")
    assert _east_asia(cover) == "宋体"
    # the 目录 of each volume: one row per item, 件号, 题名 and 页号 as the printed volume
    contents = [t for t in doc.tables if t.rows[0].cells[0].text == "件号" and
                t.rows[0].cells[2].text == "题名"]  # fmt: skip
    assert len(contents) == 2
    for table, volume in zip(contents, volumes, strict=True):
        rows = [[c.text for c in r.cells] for r in table.rows[1:]]
        assert len(rows) == len(volume.items)
        for row, (number, title, first, pages) in zip(rows, volume.items, strict=True):
            span = f"{first}" if pages == 1 else f"{first}–{first + pages - 1}"
            assert (row[0], row[2], row[4], row[5]) == (number, title, str(pages), span)
    # every item carries its 归档章, filled
    stamps = [t for t in doc.tables if t.rows[0].cells[0].text == "全宗号"]
    assert len(stamps) == sum(len(v.items) for v in volumes)
    filled = [[c.text for c in t.rows[1].cells] for t in stamps]
    assert all(f[0] == "Z118" and f[1] == "2025" and f[2] in ("永久", "30年") for f in filled)
    assert [f[3] for f in filled[1:4]] == ["001", "002", "003"]  # 30年 numbered from 001
    # content: the minutes with their headings, the talk register and 整改清单 as tables
    heading = next(p for p in doc.paragraphs if p.text.endswith("、会议内容"))
    assert _east_asia(heading) == "黑体"
    assert any(t.rows[0].cells[0].text == "序号" and t.rows[0].cells[1].text == "谈话时间"
               for t in doc.tables)  # fmt: skip
    rect = next(
        t for t in doc.tables if len(t.columns) == 7 and t.rows[0].cells[1].text == "存在问题"
    )
    assert len(rect.rows) == 4  # the demo's three 整改 items
    roll = next(t for t in doc.tables if t.rows[0].cells[1].text == "姓名" and
                t.rows[0].cells[2].text == "性别")  # fmt: skip
    assert "李建国" in [r.cells[1].text for r in roll.rows]
    assert "2025年第四季度党员积分公示" in texts and any("本年度无积分明细" in t or "小计" in t
                                                       for t in texts)  # fmt: skip
    body = next(p for p in doc.paragraphs if p.text.startswith("党支部：") and p.runs)
    assert _east_asia(body) == "仿宋_GB2312"
    # the 备考表 closes each volume
    assert texts.count("备\u3000考\u3000表") == 2
    remark = [t for t in texts if t.startswith("本卷共")]
    assert len(remark) == 2 and "立卷人：黄磊" in texts


def test_one_volume_and_a_missing_one(demo, tmp_path, capsys):
    out = tmp_path / "v2.docx"
    assert run(capsys, "--data", str(demo), "archive", "docx", "--year", "2025", "-o", str(out),
               "--volume", "2")[0] == 0  # fmt: skip
    texts = [p.text for p in Document(str(out)).paragraphs]
    assert texts.count("2025年度文书档案") == 1 and "卷\u3000号：第2卷（共2卷）" in texts
    code, _, err = run(capsys, "--data", str(demo), "archive", "docx", "--year", "2025",
                       "-o", str(tmp_path / "x.docx"), "--volume", "9")  # fmt: skip
    assert code == 1 and "没有第9卷" in err and not (tmp_path / "x.docx").exists()


def test_a_corrected_filed_talk_reprints_with_its_更正说明(demo, tmp_path, capsys):
    """The CLI corrects a filed talk; its 谈心谈话记录表 then prints with the 更正说明 after
    it, numbered on; the original text stays on the record's page."""
    from pypdf import PdfReader

    book = open_book(demo)
    talk = book.talks.talks(2025)[0]
    book.close(backup=False)
    assert run(capsys, "--data", str(demo), "archive", "file", "--year", "2025")[0] == 0
    code, out, _ = run(capsys, "--data", str(demo), "archive", "correct", "talk", str(talk.id),
                       "--field", "summary", "--text", "补记：对方希望多参加业务培训。",
                       "--reason", "漏记对方诉求", "--approved-by", "李建国")  # fmt: skip
    assert code == 0 and "原记录保持不变" in out
    pdf = tmp_path / "t.pdf"
    assert run(capsys, "--data", str(demo), "talk", "print", "record", str(talk.id),
               "-o", str(pdf))[0] == 0  # fmt: skip
    pages = [p.extract_text().replace("\n", "") for p in PdfReader(str(pdf)).pages]
    assert talk.summary[:10] in pages[0]  # the original, unchanged
    assert "更正说明" in pages[-1] and "更正为“补记：对方希望多参加业务培训。”" in pages[-1]
    assert "谈话内容要点" in pages[-1] and len(pages) % 2 == 1  # addendum on an odd page
