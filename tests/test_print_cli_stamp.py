"""The 归档章 switch of the command line's prints of filed items (minutes, a year's volume,
the roll): ``--stamp`` / ``--no-stamp``, else the book's setting; the PDF is read back."""

from __future__ import annotations

import datetime as dt

import pytest

from branchdesk.areas.archiving import item_numbers
from branchdesk.store import open_book
from test_meetings_cli import run
from test_printing_helpers import read_pages
from test_printing_layout import _stamp_values


@pytest.fixture
def demo(tmp_path, capsys):
    path = tmp_path / "demo.db"
    assert run(capsys, "demo", str(path), "--as-of", "2026-12-01")[0] == 0
    book = open_book(path)
    book.settings.set("archive.fonds", "J207")
    book.settings.set("archive.retention.minutes", "永久")
    records = book.meetings.records(2026)
    numbers = item_numbers(records)
    chosen = records[len(records) // 2]
    book.close(backup=False)
    return path, chosen, numbers


def _first_stamp(pdf_path) -> tuple[list[str], int]:
    pages = read_pages(pdf_path.read_bytes())
    first = pages[0]
    orientation = "landscape" if first.width > first.height else "portrait"
    return _stamp_values(first, orientation), len(pages)


def _set_default(path, value: str) -> None:
    book = open_book(path)
    book.settings.set("archive.stamp", value)
    book.close(backup=False)


def test_meeting_print_stamp_switch_and_default(demo, tmp_path, capsys):
    path, record, numbers = demo
    out = tmp_path / "m.pdf"
    mid = str(record.meeting.id)
    assert run(capsys, "--data", str(path), "meeting", "print", mid, "-o", str(out),
               "--stamp")[0] == 0  # fmt: skip
    values, pages = _first_stamp(out)
    # 全宗号 年度 件号 / 保管期限 页数 (机构 unset: blank)
    assert values == ["J207", "2026", str(numbers[record.meeting.id]), "永久", str(pages)]
    assert run(capsys, "--data", str(path), "meeting", "print", mid, "-o", str(out))[0] == 0
    assert _first_stamp(out)[0] == []  # the book's default: no stamp
    _set_default(path, "1")
    assert run(capsys, "--data", str(path), "meeting", "print", mid, "-o", str(out))[0] == 0
    assert _first_stamp(out)[0][0] == "J207"
    assert run(capsys, "--data", str(path), "meeting", "print", mid, "-o", str(out),
               "--no-stamp")[0] == 0  # fmt: skip
    assert _first_stamp(out)[0] == []


def test_year_volume_prints_each_record_stamped(demo, tmp_path, capsys):
    path, record, numbers = demo
    out = tmp_path / "v.pdf"
    kind = sorted(record.meeting.types)[0].value
    code, text, err = run(capsys, "--data", str(path), "meeting", "print", "--year", "2026",
                          "--type", kind, "-o", str(out), "--stamp")  # fmt: skip
    assert code == 0, err
    pages = read_pages(out.read_bytes())
    stamped = [_stamp_values(p) for p in pages if _stamp_values(p)]
    book = open_book(path)
    of_kind = [r for r in book.meetings.records(2026) if kind in {t.value for t in r.meeting.types}]
    book.close(backup=False)
    assert len(stamped) == len(of_kind)
    assert sorted(int(v[2]) for v in stamped) == sorted(numbers[r.meeting.id] for r in of_kind)
    assert all(v[0] == "J207" and v[1] == "2026" and v[3] == "永久" for v in stamped)
    assert run(capsys, "--data", str(path), "meeting", "print", "--year", "2026", "--type", kind,
               "-o", str(out), "--no-stamp")[0] == 0  # fmt: skip
    assert not any(_stamp_values(p) for p in read_pages(out.read_bytes()))


def test_roll_print_stamp_switch(demo, tmp_path, capsys):
    path, _record, _numbers = demo
    out = tmp_path / "r.pdf"
    day = dt.date(2026, 12, 1).isoformat()
    assert run(capsys, "--data", str(path), "print", "roster", "--on", day, "-o", str(out),
               "--stamp")[0] == 0  # fmt: skip
    values, pages = _first_stamp(out)
    assert values == ["J207", "2026", "永久", str(pages)]  # 件号 blank: written by hand
    assert run(capsys, "--data", str(path), "print", "roster", "--on", day, "-o", str(out),
               "--no-stamp")[0] == 0  # fmt: skip
    assert _first_stamp(out)[0] == []


def test_print_needs_an_id_or_a_year_and_a_known_type(demo, tmp_path, capsys):
    path, record, _numbers = demo
    out = str(tmp_path / "x.pdf")
    code, _, err = run(capsys, "--data", str(path), "meeting", "print", "-o", out)
    assert code != 0 and "--year" in err
    code, _, err = run(capsys, "--data", str(path), "meeting", "print", "--year", "2026",
                       "--type", "茶话会", "-o", out)  # fmt: skip
    assert code != 0 and "茶话会" in err and "不存在" in err
    code, _, err = run(capsys, "--data", str(path), "meeting", "print", "--year", "1990",
                       "-o", out)  # fmt: skip
    assert code != 0 and "1990年度没有" in err
