"""档案 from the command line: check, file, correct, unfile, print (the volume read back),
search."""

from __future__ import annotations

import io
import json
import re

import pytest
from pypdf import PdfReader

from branchdesk.cli import main
from branchdesk.store import FiledError, open_book


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("BRANCHDESK_OPERATOR_FILE", str(tmp_path / "operator.json"))
    (tmp_path / "operator.json").write_text('{"name": "组织委员黄磊"}', encoding="utf-8")
    path = tmp_path / "demo.db"
    assert run(capsys, "demo", str(path))[0] == 0
    return path


def _org_life(path, capsys) -> dict:
    rows = json.loads(run(capsys, "--data", str(path), "meeting", "list", "--year", "2025",
                          "--format", "json")[1])  # fmt: skip
    return next(r for r in rows if "组织生活会" in r["types"])


def test_check_lists_items_in_number_order_and_gaps_with_exit_1(demo, capsys):
    code, out, _ = run(capsys, "--data", str(demo), "archive", "check", "--year", "2025",
                       "--format", "json")  # fmt: skip
    report = json.loads(out)
    assert code == 0 and report["gaps"] == [] and not report["filed"]
    titles = [i["title"] for i in report["items"]]
    assert titles[0].startswith("2025年度党员花名册") and report["items"][0]["retention"] == "永久"
    assert [i["number"] for i in report["items"] if i["retention"] == "30年"][:2] == ["001", "002"]
    assert any("组织生活会" in t for t in titles)  # held in January 2026, belongs to 2025
    book = open_book(demo)
    book.settings.set("archive.fonds", "")
    book.close(backup=False)
    code, out, _ = run(capsys, "--data", str(demo), "archive", "check", "--year", "2025")
    assert code == 1 and "全宗号" in out


def test_file_locks_the_year_and_prints_what_it_locked(demo, capsys):
    code, out, _ = run(capsys, "--data", str(demo), "archive", "file", "--year", "2025")
    assert code == 0 and "已归档 2025 年度" in out and "meeting_attendance" in out
    meeting = _org_life(demo, capsys)
    book = open_book(demo)
    with pytest.raises(FiledError):
        book.meetings.delete(meeting["id"])
    assert book.archive.filings()[0].who == "组织委员黄磊"
    book.close(backup=False)
    code, _, err = run(capsys, "--data", str(demo), "archive", "file", "--year", "2025")
    assert code == 1 and "已经归档" in err
    with pytest.raises(SystemExit) as no_reason:
        run(capsys, "--data", str(demo), "archive", "unfile", "--year", "2025")
    assert no_reason.value.code == 2
    code, out, _ = run(capsys, "--data", str(demo), "archive", "unfile", "--year", "2025",
                       "--reason", "归档过早")  # fmt: skip
    assert code == 0 and "已记录在案" in out


def test_correct_writes_a_correction_beside_the_unchanged_original(demo, capsys):
    meeting = _org_life(demo, capsys)
    args = ("archive", "correct", "meeting", str(meeting["id"]), "--field", "place",
            "--text", "党员活动室", "--reason", "地点记错", "--approved-by", "李建国")  # fmt: skip
    code, _, err = run(capsys, "--data", str(demo), *args)
    assert code == 1 and "未归档" in err  # an open record is simply edited
    assert run(capsys, "--data", str(demo), "archive", "file", "--year", "2025")[0] == 0
    code, out, _ = run(capsys, "--data", str(demo), *args)
    assert code == 0 and "原记录保持不变" in out
    code, _, err = run(capsys, "--data", str(demo), "archive", "correct", "meeting",
                       str(meeting["id"]), "--field", "nonsense", "--text", "x", "--reason", "y",
                       "--approved-by", "z")  # fmt: skip
    assert code == 1 and "没有可更正的字段" in err
    book = open_book(demo)
    (c,) = book.archive.corrections("meeting", meeting["id"])
    assert c.corrected == "党员活动室" and c.original == book.meetings.get(meeting["id"]).place
    book.close(backup=False)
    code, out, _ = run(capsys, "--data", str(demo), "archive", "log", "--area", "archive")
    assert code == 0


PAGE_NUMBER = re.compile(r"—\s*(\d+)\s*—")


def test_printed_volume_reads_back(demo, tmp_path, capsys):
    out = tmp_path / "v.pdf"
    code, text, _ = run(capsys, "--data", str(demo), "archive", "print", "--year", "2025",
                        "-o", str(out))  # fmt: skip
    assert code == 0
    files = sorted(tmp_path.glob("v-*.pdf"))
    assert len(files) == 2  # 永久 (the roll) and 30年 (the minutes): one retention per volume
    reader = PdfReader(io.BytesIO(files[1].read_bytes()))
    pages = [p.extract_text() for p in reader.pages]
    assert "全宗号：Z118" in pages[0] and "2025" in pages[0] and "保管期限：30年" in pages[0]
    assert "第2卷（共2卷）" in pages[0]
    assert "卷内目录" in pages[1]
    assert "备" in pages[-1] and "本卷情况说明" in pages[-1] and "立卷人：黄磊" in pages[-1]
    toc = [n for n, text in enumerate(pages) if "件号" in text and "责任者" in text]
    assert toc[0] == 1 and toc == list(range(1, toc[-1] + 1))  # the 目录 may run on
    front = toc[-1] + 1 + (toc[-1] + 1) % 2  # cover + 目录, padded: page 1 is right-hand
    numbered = {}
    for n, text in enumerate(pages[front:-1]):
        found = PAGE_NUMBER.findall(text)
        if text.strip():
            assert len(found) == 1, (n, found)  # the item's own number was taken out
            assert int(found[0]) == n + 1  # continuous; a blank page counts, unnumbered
            numbered[int(found[0])] = text
    contents = " ".join(pages[n] for n in toc).replace("\n", " ")
    rows = re.findall(r"(\d{3})\s.*?(\d{8})\s+(\d+)\s+(\d+)(?:–(\d+))?", contents)
    assert rows, pages[1]
    for number, _date, count, first, _last in rows:
        first_page = int(first)
        assert first_page % 2 == 1  # every item starts on an odd page
        stamp_page = numbered[first_page]
        assert "Z118" in stamp_page and number in stamp_page and "30年" in stamp_page
        assert re.search(rf"\b{count}\b", stamp_page)


def test_print_one_volume(demo, tmp_path, capsys):
    out = tmp_path / "one.pdf"
    code, text, _ = run(capsys, "--data", str(demo), "archive", "print", "--year", "2025",
                        "-o", str(out), "--volume", "1")  # fmt: skip
    assert code == 0 and "第1卷" in text and out.exists()
    code, _, err = run(capsys, "--data", str(demo), "archive", "print", "--year", "2025",
                       "-o", str(out), "--volume", "9")  # fmt: skip
    assert code == 1 and "没有第9卷" in err


def test_search_short_long_and_pinyin(demo, capsys):
    code, out, _ = run(capsys, "--data", str(demo), "search", "党课", "--format", "json")
    found = json.loads(out)
    assert code == 0 and "会议记录" in found
    hit = found["会议记录"][0]
    assert hit["text"][hit["start"] : hit["end"]] == "党课" and hit["kind"] == "meeting"
    one = json.loads(run(capsys, "--data", str(demo), "search", "课", "--format", "json")[1])
    assert len(one["会议记录"]) >= len(found["会议记录"])
    names = json.loads(run(capsys, "--data", str(demo), "search", "ljg", "--format", "json")[1])
    assert names["党员名册"][0]["text"] == "李建国"
    code, out, _ = run(capsys, "--data", str(demo), "search", "不存在的内容xyz")
    assert code == 0 and "没有找到" in out


def test_a_correction_is_filed_with_the_next_year_as_更正说明(demo, tmp_path, capsys):
    meeting = _org_life(demo, capsys)
    assert run(capsys, "--data", str(demo), "archive", "file", "--year", "2025")[0] == 0
    assert run(capsys, "--data", str(demo), "archive", "correct", "meeting", str(meeting["id"]),
               "--field", "host", "--text", "王芳", "--reason", "主持人记错",
               "--approved-by", "李建国", "--date", "2026-03-02")[0] == 0  # fmt: skip
    code, out, _ = run(capsys, "--data", str(demo), "archive", "check", "--year", "2026",
                       "--format", "json")  # fmt: skip
    items = json.loads(out)["items"]
    note = next(i for i in items if i["key"] == "corrections:2026")
    assert note["title"] == "2026年更正说明（1条）" and note["retention"] == "永久"
    out_pdf = tmp_path / "v2026.pdf"
    assert run(capsys, "--data", str(demo), "archive", "print", "--year", "2026",
               "-o", str(out_pdf))[0] == 0  # fmt: skip
    permanent = PdfReader(io.BytesIO(sorted(tmp_path.glob("v2026-*.pdf"))[0].read_bytes()))
    text = "".join(p.extract_text() for p in permanent.pages).replace("\n", "")
    assert "更正说明" in text and "原记为“李建国”" in text and "更正为“王芳”" in text


def test_a_corrected_meeting_reprints_with_its_更正说明(demo, tmp_path, capsys):
    meeting = _org_life(demo, capsys)
    plain = tmp_path / "plain.pdf"
    assert run(capsys, "--data", str(demo), "meeting", "print", str(meeting["id"]),
               "-o", str(plain))[0] == 0  # fmt: skip
    before = len(PdfReader(plain).pages)
    assert run(capsys, "--data", str(demo), "archive", "file", "--year", "2025")[0] == 0
    assert run(capsys, "--data", str(demo), "archive", "correct", "meeting", str(meeting["id"]),
               "--field", "place", "--text", "党员活动室", "--reason", "地点记错",
               "--approved-by", "李建国")[0] == 0  # fmt: skip
    again = tmp_path / "again.pdf"
    assert run(capsys, "--data", str(demo), "meeting", "print", str(meeting["id"]),
               "-o", str(again))[0] == 0  # fmt: skip
    reader = PdfReader(again)
    texts = [p.extract_text() for p in reader.pages]
    assert len(texts) > before and "更正说明" in texts[-1] and "更正为“党员活动室”" in texts[-1]
    numbers = [int(n) for t in texts for n in PAGE_NUMBER.findall(t)]
    assert numbers == sorted(set(numbers)) and numbers[0] == 1  # numbered on, once a page
    assert PAGE_NUMBER.findall(texts[-1]) and int(PAGE_NUMBER.findall(texts[-1])[0]) % 2 == 1


def test_a_volume_too_big_for_one_binding_splits(demo, tmp_path, capsys):
    book = open_book(demo)
    book.settings.set("archive.pages_per_volume", "2")
    book.close(backup=False)
    code, text, _ = run(capsys, "--data", str(demo), "archive", "print", "--year", "2025",
                        "-o", str(tmp_path / "v.pdf"))  # fmt: skip
    assert code == 0
    files = sorted(tmp_path.glob("v-*.pdf"), key=lambda f: int(f.stem.split("-")[1]))
    # the roll (永久), then each 30年 item of two pages or less in a volume of its own
    planned = json.loads(run(capsys, "--data", str(demo), "archive", "check", "--year", "2025",
                             "--format", "json")[1])["items"]  # fmt: skip
    assert len(files) == len(planned) > 3
    third = PdfReader(files[2])
    assert f"第3卷（共{len(files)}卷）" in third.pages[0].extract_text()
    contents = third.pages[1].extract_text()
    assert "002" in contents and "001" not in contents  # 件号 run on across volumes
    assert PAGE_NUMBER.findall(third.pages[2].extract_text()) == ["1"]  # pages per volume
