"""Word copies read back with python-docx: the same content and headings as the printed
minutes, A4 with the GB/T 9704 margins, fonts named by role, a PAGE field for numbers."""

from __future__ import annotations

import io

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from branchdesk.cli import main


def run(capsys, *args: str) -> int:
    code = main(list(args))
    capsys.readouterr()
    return code


@pytest.fixture
def demo(tmp_path, capsys):
    path = tmp_path / "demo.db"
    assert run(capsys, "demo", str(path)) == 0
    return path


def _east_asia(run) -> str:
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def test_meeting_docx_reads_back(demo, tmp_path, capsys):
    from branchdesk.store import open_book

    book = open_book(demo)
    record = next(r for r in book.meetings.records(2026) if r.meeting.resolutions and r.agenda)
    book.close(backup=False)
    out = tmp_path / "m.docx"
    assert run(capsys, "--data", str(demo), "meeting", "docx", str(record.id), "-o", str(out)) == 0

    doc = Document(io.BytesIO(out.read_bytes()))
    section = doc.sections[0]
    for got, mm in ((section.page_width, 210), (section.page_height, 297),
                    (section.top_margin, 37), (section.left_margin, 28)):  # fmt: skip
        assert abs(got - Mm(mm)) < Mm(0.1)  # Word stores twentieths of a point
    texts = [p.text for p in doc.paragraphs]
    title = record.meeting.title if record.meeting.title.endswith("记录") else (
        record.meeting.title + "记录")  # fmt: skip
    assert texts[0] == title
    assert _east_asia(doc.paragraphs[0].runs[0]) == "宋体"
    heading = next(p for p in doc.paragraphs if p.text == "一、议题")
    assert _east_asia(heading.runs[0]) == "黑体"
    for n, item in enumerate(record.agenda, 1):
        assert f"{n}. {item}" in texts
    first_line = next(line.strip() for line in record.content.splitlines() if line.strip())
    body = next(p for p in doc.paragraphs if p.text == first_line)
    assert _east_asia(body.runs[0]) == "仿宋_GB2312"
    assert any(p.text.endswith("决议及表决情况") for p in doc.paragraphs)
    header = doc.tables[0]
    labels = [row.cells[0].text for row in header.rows]
    assert "主持人" in labels and header.rows[labels.index("主持人")].cells[1].text == record.host
    votes = doc.tables[-1]
    assert votes.rows[0].cells[1].text == "决议事项"
    assert record.meeting.resolutions[0].text in votes.rows[1].cells[1].text
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml and "—" in footer_xml


def test_year_docx_has_contents_and_every_meeting(demo, tmp_path, capsys):
    out = tmp_path / "y.docx"
    assert run(capsys, "--data", str(demo), "meeting", "docx", "--year", "2026",
               "--type", "支部党员大会", "-o", str(out)) == 0  # fmt: skip
    doc = Document(io.BytesIO(out.read_bytes()))
    contents = doc.tables[0]
    assert [c.text for c in contents.rows[0].cells] == ["序号", "会议名称", "日期"]
    names = [row.cells[1].text for row in contents.rows[1:]]
    assert names and all("大会" in n for n in names)
    titles = [p.text for p in doc.paragraphs]
    for name in names:
        assert any(t.startswith(name) for t in titles)


def test_docx_needs_an_id_or_a_year(demo, tmp_path, capsys):
    assert run(capsys, "--data", str(demo), "meeting", "docx", "-o", str(tmp_path / "x.docx")) == 1
    assert run(capsys, "--data", str(demo), "meeting", "docx", "9999", "-o",
               str(tmp_path / "x.docx")) == 1  # fmt: skip
