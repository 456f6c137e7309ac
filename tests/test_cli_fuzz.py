"""Fuzzed imports: whatever the file holds, `meeting import` and `roster import` end with a
Chinese message (exit 0 or 1, never the bug code 3, never a traceback) and write either
everything or nothing.

Bounded for CI: 1,500 meeting files + 500 roster workbooks (about 30-60 s on two shared cores).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils.exceptions import IllegalCharacterError

from branchdesk.cli import main
from xlsx_samples import SAMPLE_HEADERS, make_sample_rows, write_rows

MEETING_EXAMPLES = 1500
ROSTER_EXAMPLES = 500
_FUZZ = dict(
    deadline=None,
    derandomize=True,  # the same cases every run: a CI failure reproduces locally
    suppress_health_check=[
        HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture,
    ],
)  # fmt: skip


def _counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        conn.close()


@pytest.fixture(scope="module")
def fuzz_book(tmp_path_factory) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("fuzz")
    book = folder / "demo.db"
    assert main(["demo", str(book)]) == 0
    sample = folder / "sample.json"
    assert main(["--data", str(book), "meeting", "export", "1", "-o", str(sample)]) == 0
    return book, json.loads(sample.read_text(encoding="utf-8"))


_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True), st.text(max_size=20),
    st.sampled_from(["1900-06-01", "0001-01-01", "9999-12-31", "2026-02-30", "出席", "请假",
                     "支部党员大会", "主题党日", "\ud800", "a\udfffb", "王芳", "选举", "转正"]),
)  # fmt: skip
_json = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
_FIELDS = ["title", "types", "date", "belongs_to_year", "scope", "group", "place", "agenda",
           "content", "attendance", "excluded", "resolutions", "format", "start_time"]  # fmt: skip


@st.composite
def meeting_documents(draw, base: dict) -> bytes:
    kind = draw(st.sampled_from(["mutate", "mutate", "mutate", "items", "raw", "deep"]))
    if kind == "raw":
        return draw(st.binary(max_size=200))
    if kind == "deep":
        depth = draw(st.integers(min_value=500, max_value=200_000))
        return b"[" * depth + b"]" * draw(st.sampled_from([0, depth]))
    doc = json.loads(json.dumps(base))
    if kind == "items":  # keep the shape, break the items of a list
        key = draw(st.sampled_from(["attendance", "excluded", "resolutions"]))
        items = doc.get(key) or [{}]
        n = draw(st.integers(min_value=0, max_value=len(items) - 1))
        if draw(st.booleans()) and isinstance(items[n], dict) and items[n]:
            field = draw(st.sampled_from(sorted(items[n])))
            items[n][field] = draw(_json)
        else:
            items[n] = draw(_json)
        doc[key] = items
    for field in draw(st.lists(st.sampled_from(_FIELDS), max_size=3, unique=True)):
        if draw(st.booleans()):
            doc[field] = draw(_json)
        else:
            doc.pop(field, None)
    text = json.dumps(doc, ensure_ascii=draw(st.booleans()))
    return text.encode("utf-8", "surrogatepass")


def _run(capsys, *args: str) -> tuple[int, str]:
    code = main(list(args))
    _, err = capsys.readouterr()
    return code, err


def test_fuzzed_meeting_import_never_tracebacks_or_writes_partly(fuzz_book, tmp_path, capsys):
    book, base = fuzz_book
    seen: dict[int, int] = {}

    @settings(max_examples=MEETING_EXAMPLES, **_FUZZ)
    @given(meeting_documents(base))
    def check(content: bytes) -> None:
        path = tmp_path / "m.json"
        path.write_bytes(content)
        before = _counts(book)
        code, err = _run(capsys, "--data", str(book), "meeting", "import", str(path))
        seen[code] = seen.get(code, 0) + 1
        assert code in (0, 1), err
        assert "Traceback" not in err and err.startswith("错误：") == (code == 1)
        after = _counts(book)
        if code == 1:
            assert after == before
        else:
            assert after["meeting"] == before["meeting"] + 1

    check()
    # The generator reaches both outcomes; otherwise the test proves little.
    assert seen.get(0, 0) > 20 and seen.get(1, 0) > 200, seen


_cells = st.one_of(
    st.none(), st.integers(min_value=-(10**20), max_value=10**20), st.floats(allow_nan=False),
    st.text(max_size=12), st.dates(), st.datetimes(),
    st.sampled_from(["男", "女", "正式党员", "预备党员", "2001.1", "1900-06-01", "汉族",
                     "110101199001011234", "合计", "=SUM(A1:A2)"]),
)  # fmt: skip


@st.composite
def roster_sheets(draw) -> tuple[list[str], list[list[object]]]:
    headers = list(SAMPLE_HEADERS)
    if draw(st.booleans()):
        headers = draw(st.permutations(headers))
    rows = make_sample_rows(draw(st.integers(min_value=0, max_value=4)),
                            seed=draw(st.integers(0, 10**6)))  # fmt: skip
    rows = [[row[SAMPLE_HEADERS.index(h)] for h in headers] for row in rows]
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        rows.append(draw(st.lists(_cells, min_size=0, max_size=len(headers))))
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        if rows:
            r = draw(st.integers(0, len(rows) - 1))
            c = draw(st.integers(0, len(headers) - 1))
            rows[r] = list(rows[r]) + [None] * (len(headers) - len(rows[r]))
            rows[r][c] = draw(_cells)
    return headers, rows


def test_fuzzed_roster_import_never_tracebacks_or_writes_partly(fuzz_book, tmp_path, capsys):
    book, _ = fuzz_book
    seen: dict[int, int] = {}

    @settings(max_examples=ROSTER_EXAMPLES, **_FUZZ)
    @given(roster_sheets())
    def check(sheet: tuple[list[str], list[list[object]]]) -> None:
        headers, rows = sheet
        path = tmp_path / "r.xlsx"
        try:
            write_rows(path, headers, rows)
        except (ValueError, IllegalCharacterError):  # openpyxl refuses control characters
            return
        before = _counts(book)
        code, err = _run(capsys, "--data", str(book), "roster", "import", str(path))
        seen[code] = seen.get(code, 0) + 1
        assert code in (0, 1), err
        assert "Traceback" not in err
        after = _counts(book)
        if code == 1:
            assert after == before
        else:
            assert after["member"] >= before["member"]

    check()
    assert seen.get(0, 0) > 10 and seen.get(1, 0) > 30, seen


def test_lone_surrogate_and_bad_encoding_are_chinese(fuzz_book, tmp_path, capsys):
    book, base = fuzz_book
    path = tmp_path / "s.json"
    path.write_text(json.dumps({**base, "title": "\ud800会议"}), encoding="utf-8")
    code, err = _run(capsys, "--data", str(book), "meeting", "import", str(path))
    assert code == 1 and "title" in err and "代理项" in err
    path.write_bytes(json.dumps(base, ensure_ascii=False).encode()[:40] + b"\xed\xa0\x80\xff")
    code, err = _run(capsys, "--data", str(book), "meeting", "import", str(path))
    assert code == 1 and "UTF-8" in err and "第1行" in err and "codec" not in err


def test_a_date_the_schema_refuses_is_reported_with_its_place(fuzz_book, tmp_path, capsys):
    book, base = fuzz_book
    path = tmp_path / "d.json"
    path.write_text(json.dumps({**base, "date": "1900-06-01", "belongs_to_year": None}))
    code, err = _run(capsys, "--data", str(book), "meeting", "import", str(path))
    assert code == 1 and "date" in err and "1921" in err
