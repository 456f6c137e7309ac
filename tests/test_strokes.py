"""姓氏笔画 sorting: the stroke table, the sort key and where the resources are found."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from branchdesk import resources
from branchdesk.domain import strokes
from branchdesk.domain.strokes import (
    DIAN,
    HENG,
    PIE,
    SHU,
    ZHE,
    char_strokes,
    first_stroke,
    sort_by_strokes,
    stroke_count,
    stroke_key,
)

TABLE = Path(__file__).resolve().parents[1] / "resources" / "strokes" / "strokes.tsv"


def _read_table() -> dict[str, tuple[int, int | None]]:
    rows: dict[str, tuple[int, int | None]] = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        char, count, first = line.split("\t")
        rows[char] = (int(count), int(first) if first else None)
    return rows


ROWS = _read_table()
ROW_CHARS = sorted(ROWS)


def _clear_caches() -> None:
    strokes._table.cache_clear()
    strokes.char_strokes.cache_clear()
    strokes._char_key.cache_clear()


# --- facts ----------------------------------------------------------------------------------


# 張 is the traditional form and keeps its own count.
COUNTS = {"王": 4, "白": 5, "张": 7, "李": 7, "刘": 6, "马": 3, "丁": 2, "于": 3, "毛": 4}
COUNTS |= {"一": 1, "龘": 48, "張": 11}


@pytest.mark.parametrize(("char", "count"), COUNTS.items())
def test_known_stroke_counts(char: str, count: int) -> None:
    assert stroke_count(char) == count


# 火 starts with a dot; 小 with 竖钩, which counts as 折 (GB13000.1 折笔规范).
FIRSTS = {"王": HENG, "于": HENG, "丁": HENG, "李": HENG, "山": SHU, "田": SHU, "毛": PIE}
FIRSTS |= {"白": PIE, "刘": DIAN, "火": DIAN, "马": ZHE, "张": ZHE, "乙": ZHE, "小": ZHE}


@pytest.mark.parametrize(("char", "first"), FIRSTS.items())
def test_known_first_strokes(char: str, first: int) -> None:
    assert first_stroke(char) == first


@pytest.mark.parametrize(("char", "count"), [("堃", 11), ("䶮", 9), ("𠇔", 6)])
def test_rare_name_characters_have_a_stroke_count(char: str, count: int) -> None:
    assert stroke_count(char) == count
    # …and so sort among the Chinese characters, before any Latin letter.
    assert sort_by_strokes(["Li", char]) == [char, "Li"]


def test_not_in_table() -> None:
    for char in "A·1a":
        assert char_strokes(char) is None


def test_compatibility_ideograph_falls_back_to_its_canonical_form() -> None:
    compat = "\U0002f800"  # CJK COMPATIBILITY IDEOGRAPH-2F800, canonically 丽
    assert compat not in ROWS
    assert unicodedata.normalize("NFC", compat) == "丽"
    assert char_strokes(compat) == char_strokes("丽") == (7, HENG)


def test_char_strokes_wants_one_character() -> None:
    with pytest.raises(ValueError):
        char_strokes("王芳")


# --- order ----------------------------------------------------------------------------------


def test_same_count_then_first_stroke() -> None:
    assert sort_by_strokes(["毛", "王"]) == ["王", "毛"]  # 4 strokes each: 横 before 撇
    assert sort_by_strokes(["马", "于", "丁"]) == ["丁", "于", "马"]  # 2; 3 横; 3 折
    assert sort_by_strokes(["张", "李"]) == ["李", "张"]  # 7 strokes each: 横 before 折


def test_a_typical_list() -> None:
    names = ["张伟", "王芳", "李娜", "刘洋", "马丽", "丁一", "于涛", "毛峰", "白雪", "王一"]
    expected = ["丁一", "于涛", "马丽", "王一", "王芳", "毛峰", "白雪", "刘洋", "李娜", "张伟"]
    assert sort_by_strokes(names) == expected


def test_surname_decides_before_given_name() -> None:
    assert sort_by_strokes(["王一", "丁龘"]) == ["丁龘", "王一"]


def test_same_surname_compares_following_characters() -> None:
    assert sort_by_strokes(["王芳", "王", "王一"]) == ["王", "王一", "王芳"]


def test_unknown_first_stroke_after_known_of_same_count() -> None:
    unknown = next(c for c in ROW_CHARS if ROWS[c] == (4, None))
    assert sort_by_strokes([unknown, "毛", "王"]) == ["王", "毛", unknown]


def test_latin_after_chinese() -> None:
    assert sort_by_strokes(["Alice", "龘", "王芳"]) == ["王芳", "龘", "Alice"]


def test_middle_dot_and_spaces_are_ignored() -> None:
    plain = stroke_key("阿依古丽买买提")
    for variant in ("阿依古丽·买买提", "阿依古丽・买买提", "阿依古丽．买买提", "阿依古丽 买买提"):
        assert stroke_key(variant) == plain
    assert stroke_key("王　芳") == stroke_key("王芳")
    # Sorted by its characters: 阿 (7 strokes) after 王 (4), before 龘 (48).
    assert sort_by_strokes(["龘", "阿依古丽·买买提", "王芳"]) == ["王芳", "阿依古丽·买买提", "龘"]
    # The dot does not make a name sort as if it ended there.
    assert sort_by_strokes(["阿依·买买提", "阿依一"]) == ["阿依一", "阿依·买买提"]


def test_empty_and_none_names_sort_first() -> None:
    assert stroke_key(None) == stroke_key("") == ()
    assert sort_by_strokes(["王", "", None]) == ["", None, "王"]


def test_sort_by_strokes_with_key() -> None:
    people = [{"name": "毛峰"}, {"name": "王芳"}, {"name": "丁一"}]
    ordered = sort_by_strokes(people, key=lambda p: p["name"])
    assert [p["name"] for p in ordered] == ["丁一", "王芳", "毛峰"]


# --- properties ----------------------------------------------------------------------------

ALPHABET = "王毛马于丁白李张張刘一乙堃䶮𠇔龘阿依买提AbZ1· "
names = st.text(alphabet=ALPHABET, max_size=5)


def _stripped(name: str) -> str:
    return "".join(c for c in name if c not in strokes.IGNORED and not c.isspace())


@given(names, names)
def test_key_equal_exactly_when_names_equal_apart_from_dots(a: str, b: str) -> None:
    assert (stroke_key(a) == stroke_key(b)) == (_stripped(a) == _stripped(b))


@given(names, names, names)
def test_order_is_transitive(a: str, b: str, c: str) -> None:
    x, y, z = sorted((a, b, c), key=stroke_key)
    assert stroke_key(x) <= stroke_key(y) <= stroke_key(z)
    assert stroke_key(x) <= stroke_key(z)


@given(st.lists(names, max_size=20))
def test_sort_is_stable_and_a_permutation(items: list[str]) -> None:
    tagged = list(enumerate(items))
    result = sort_by_strokes(tagged, key=lambda t: t[1])
    assert sorted(result) == sorted(tagged)
    for (i, a), (j, b) in zip(result, result[1:], strict=False):
        assert stroke_key(a) <= stroke_key(b)
        if stroke_key(a) == stroke_key(b):
            assert i < j  # equal names keep their input order
    assert sort_by_strokes([n for _, n in result]) == [n for _, n in result]  # idempotent


@given(st.sampled_from(ROW_CHARS), st.sampled_from(ROW_CHARS), names, names)
def test_first_character_dominates(a: str, b: str, rest_a: str, rest_b: str) -> None:
    sa, sb = ROWS[a][0], ROWS[b][0]
    if sa != sb:
        expected_first = a if sa < sb else b
        first = sort_by_strokes([a + rest_a, b + rest_b])[0]
        assert first[0] == expected_first


@settings(max_examples=300)
@given(st.sampled_from(ROW_CHARS))
def test_lookup_agrees_with_every_table_row(char: str) -> None:
    assert char_strokes(char) == ROWS[char]


@given(st.characters())
def test_lookup_of_any_character(char: str) -> None:
    canonical = unicodedata.normalize("NFC", char)
    expected = ROWS.get(char) or (ROWS.get(canonical) if len(canonical) == 1 else None)
    assert char_strokes(char) == expected


# --- the table ------------------------------------------------------------------------------


def test_table_format_and_order() -> None:
    previous = -1
    lines = TABLE.read_text(encoding="utf-8").split("\n")
    assert lines.pop() == ""  # ends with a newline
    for line in lines:
        char, count, first = line.split("\t")
        assert len(char) == 1 and ord(char) > previous, line  # one code point, sorted
        previous = ord(char)
        assert 1 <= int(count) <= 99, line
        assert first in {"", "1", "2", "3", "4", "5"}, line


def test_table_coverage() -> None:
    def in_block(lo: int, hi: int) -> int:
        return sum(1 for c in ROWS if lo <= ord(c) <= hi)

    assert in_block(0x4E00, 0x9FFF) == 0x9FFF - 0x4E00 + 1  # every URO ideograph
    assert in_block(0x3400, 0x4DBF) >= 6500  # Extension A
    assert in_block(0x20000, 0x2A6DF) >= 42000  # Extension B
    assert sum(1 for v in ROWS.values() if v[1] is not None) >= 9000
    assert TABLE.stat().st_size < 1_000_000


# --- resources ------------------------------------------------------------------------------


@pytest.fixture
def clean_resources(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    monkeypatch.delenv(resources.ENV_VAR, raising=False)
    monkeypatch.delattr("sys._MEIPASS", raising=False)
    _clear_caches()
    yield monkeypatch
    _clear_caches()


def test_resources_dir_in_a_checkout(clean_resources: pytest.MonkeyPatch) -> None:
    assert resources.resources_dir() == TABLE.parents[1]
    assert strokes.table_path() == TABLE


def test_resources_dir_in_a_pyinstaller_bundle(
    clean_resources: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    clean_resources.setattr("sys._MEIPASS", str(tmp_path), raising=False)
    assert resources.resources_dir() == tmp_path / "resources"


def test_resources_dir_from_environment(
    clean_resources: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    clean_resources.setattr("sys._MEIPASS", str(tmp_path / "bundle"), raising=False)
    (tmp_path / "strokes").mkdir()
    (tmp_path / "strokes" / "strokes.tsv").write_text("王\t9\t2\n", encoding="utf-8")
    clean_resources.setenv(resources.ENV_VAR, str(tmp_path))
    assert resources.resources_dir() == tmp_path.resolve()
    assert char_strokes("王") == (9, SHU)  # the table there is the one read
    assert char_strokes("毛") is None


def test_missing_table_says_where_it_looked(
    clean_resources: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    clean_resources.setenv(resources.ENV_VAR, str(tmp_path))
    with pytest.raises(FileNotFoundError, match="stroke table not found"):
        stroke_count("王")
