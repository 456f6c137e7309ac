"""Fonts: choosing, the CFF guard, ReportLab's silent name collision, missing glyphs."""

from __future__ import annotations

import io
import shutil
import struct
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from branchdesk.domain.members import Member, roster_on
from branchdesk.printing import fonts as fontmod
from branchdesk.printing.coverage import Coverage, coverage
from branchdesk.printing.document import font_sample_pdf, text_pdf
from branchdesk.printing.fonts import (
    BODY,
    HEI,
    KAI,
    ROLES,
    SONG,
    TITLE,
    FontSet,
    FontUnusableError,
    GlyphProblem,
    MissingGlyphError,
    available_fonts,
    bundled_font_path,
    bundled_font_paths,
    missing_glyphs,
    register_face,
    resolve_fonts,
)
from branchdesk.printing.roster_form import roster_pdf
from branchdesk.printing.sfnt import TRUETYPE_TABLES, FaceInfo, read_face
from branchdesk.printing.signin_form import signin_pdf
from test_printing_helpers import (  # noqa: F401  (fonts is a fixture)
    BRANCH,
    ON,
    demo_members,
    font_problems,
    fonts,
    page_fonts,
    read_pages,
)

RARE_B = "\U000201d4"  # 𠇔, CJK Extension B
RARE_A = "\u4dae"  # 䶮, CJK Extension A
NO_FONT = "\U0002a6d6"  # 𪛖 (Extension B): in none of the bundled fonts
NO_FONT_2 = "\U00030000"  # 𰀀 (Extension G): neither
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _sfnt(tables: dict[bytes, bytes], version: bytes = b"OTTO") -> bytes:
    """A minimal sfnt file: header, table directory, tables."""
    head = version + struct.pack(">HHHH", len(tables), 0, 0, 0)
    offset = 12 + 16 * len(tables)
    directory, body = b"", b""
    for tag, data in tables.items():
        directory += tag + struct.pack(">III", 0, offset + len(body), len(data))
        body += data + b"\0" * (-len(data) % 4)
    return head + directory + body


def _name_table(family: str) -> bytes:
    raw = family.encode("utf-16-be")
    records = struct.pack(">6H", 3, 1, 0x0804, 1, len(raw), 0)
    return struct.pack(">HHH", 0, 1, 6 + 12) + records + raw


@pytest.fixture
def cff_font(tmp_path: Path) -> Path:
    """An OpenType font with CFF outlines and a Chinese name, as Noto/Source Han are."""
    path = tmp_path / "SourceHanSerifSC-Regular.otf"
    path.write_bytes(_sfnt({b"CFF ": b"\1\0\4\4", b"name": _name_table("思源宋体")}))
    return path


# --- what is found -------------------------------------------------------------------------


def test_bundled_fonts_fill_every_role(fonts: FontSet) -> None:  # noqa: F811
    """宋 and the body from AR PL UMing, 楷 from LXGW WenKai, 黑 and the title from Micro Hei;
    each role says why (there is no 仿宋 or 小标宋 to ship)."""
    assert set(fonts.fonts) == set(ROLES)
    files = {role: f.path.name for role, f in fonts.fonts.items()}
    assert files == {TITLE: "wqy-microhei.ttc", BODY: "uming-cn-subset.ttf",
                     HEI: "wqy-microhei.ttc", KAI: "LXGWWenKai-Regular.ttf",
                     SONG: "uming-cn-subset.ttf"}  # fmt: skip
    assert fonts.reasons[BODY] == "附带的 AR PL UMing CN，本机没有仿宋"
    assert fonts.reasons[TITLE] == "附带的 文泉驿微米黑，本机没有小标宋"
    assert fonts.reasons[KAI] == "附带的 霞鹜文楷"
    assert all(pdfmetrics.getFont(fonts.name(r)).face.filename for r in ROLES)
    bundled = {Path(fontmod.os.path.realpath(p)) for p in bundled_font_paths()}
    assert {f.path for f in fonts.fallbacks} <= bundled


def test_rare_name_characters_print_through_the_chain(fonts: FontSet) -> None:  # noqa: F811
    """Micro Hei (黑) has 堃 but neither 𠇔 (Extension B) nor 䶮 (Extension A); the bundled
    UMing has all three, so a heading with them still prints."""
    hei = fonts.name(HEI)
    assert missing_glyphs(f"林堃{RARE_B}{RARE_A} 党", hei) == {RARE_B, RARE_A}
    assert fonts.missing(f"林堃{RARE_B}{RARE_A}", HEI) == set()
    assert fonts.font_for(RARE_B, HEI) == fonts.name(SONG)
    assert fonts.missing(f"{NO_FONT}{NO_FONT_2}党", BODY) == {NO_FONT, NO_FONT_2}
    face = read_face(bundled_font_path())
    assert face.truetype and not face.cff


def test_system_fonts_are_found_with_fontconfig() -> None:
    if shutil.which("fc-list") is None:
        pytest.skip("no fontconfig on this machine")
    choices = available_fonts()
    assert any(c.bundled for c in choices)
    system = [c for c in choices if not c.bundled]
    listed = fontmod._fontconfig_files() or []
    assert {c.path for c in system} <= set(listed)
    complete = [c for c in system if c.usable and coverage(c.path, c.index).ok]
    chosen = resolve_fonts()
    if complete:  # then a machine's font serves some role (which depends on its kind)
        assert any(not f.path.is_relative_to(bundled_font_path().parent)
                   for f in chosen.fonts.values())  # fmt: skip
    else:  # a machine without a complete Chinese font prints in the bundled ones
        assert all(r.startswith("附带的") for r in chosen.reasons.values())


def test_cff_fonts_are_skipped(cff_font: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    face = read_face(cff_font)
    assert face.cff and face.chinese and face.family == "思源宋体"
    assert "CFF" in face.problem()
    with pytest.raises(FontUnusableError, match="CFF"):
        register_face(cff_font)
    with pytest.raises(TTFError, match="postscript"):  # what the guard spares ReportLab
        TTFont("cff-test", str(cff_font))
    monkeypatch.setattr(fontmod, "system_font_files", lambda: [cff_font])
    fontmod.refresh()
    try:
        choice = next(c for c in available_fonts() if c.path == cff_font)
        assert not choice.usable and "CFF" in choice.reason
        chosen = resolve_fonts({SONG: cff_font})
        assert chosen.fonts[SONG].path != cff_font
        assert any("宋体" in n and "CFF" in n for n in chosen.notes)
    finally:
        fontmod.refresh()


def test_a_font_reportlab_rejects_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    copy_dir = Path(fontmod.os.path.realpath(bundled_font_path())).parent

    def broken(*_args: object, **_kw: object) -> None:
        raise TTFError("bad table")

    monkeypatch.setattr(fontmod, "TTFont", broken)
    target = copy_dir / "wqy-microhei.ttc"
    monkeypatch.setattr(fontmod, "_REGISTERED", {})
    with pytest.raises(FontUnusableError, match="bad table"):
        register_face(target, 1)


def test_roles_follow_the_windows_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    """With Windows' fonts (and a user-installed 方正小标宋) each role gets the right one."""
    monkeypatch.setattr(fontmod, "coverage", lambda path, index=0: Coverage())  # all complete

    def face(file: str, *names: str, index: int = 0) -> fontmod._Face:
        info = FaceInfo(Path("C:/Windows/Fonts") / file, index, frozenset(TRUETYPE_TABLES),
                        names, (), names[-1], True)  # fmt: skip
        return fontmod._Face(info, fontmod._kinds_of(info), "")

    faces = [
        face("simsun.ttc", "宋体", "SimSun"),
        face("simsun.ttc", "新宋体", "NSimSun", index=1),
        face("simfang.ttf", "仿宋", "FangSong"),
        face("simhei.ttf", "黑体", "SimHei"),
        face("simkai.ttf", "楷体", "KaiTi"),
        face("simsunb.ttf", "SimSun-ExtB"),
        face("FZXBSJW.TTF", "方正小标宋简体", "FZXiaoBiaoSong-B05S"),
    ]
    best = {role: fontmod._candidates(faces, role)[0].info.path.name for role in ROLES}
    assert best == {TITLE: "FZXBSJW.TTF", BODY: "simfang.ttf", HEI: "simhei.ttf",
                    "楷体": "simkai.ttf", SONG: "simsun.ttc"}  # fmt: skip
    assert fontmod._candidates(faces, SONG)[0].info.index == 0  # 宋体, not 新宋体
    assert fontmod._candidates(faces[:1] + faces[3:4], TITLE)[0].info.path.name == "simhei.ttf"
    assert "扩展" in dict(faces[5].kinds)  # SimSun-ExtB is a fallback, never 宋体


# --- registering ---------------------------------------------------------------------------


def test_same_postscript_name_does_not_collide(tmp_path: Path, fonts: FontSet) -> None:  # noqa: F811
    """ReportLab maps a second font with an earlier one's internal name onto the earlier font,
    silently; register_face renames it instead."""
    copy = tmp_path / "another-wqy.ttc"
    shutil.copy(bundled_font_path(), copy)
    stock = TTFont("stock-collision-demo", str(copy))
    pdfmetrics.registerFont(stock)
    assert pdfmetrics.getFont("stock-collision-demo") is not stock  # the silent merge

    first = fonts.fonts[HEI]
    second = register_face(copy)
    assert second.name != first.name
    assert second.renamed and second.ps_name != first.ps_name
    assert pdfmetrics.getFont(second.name).face.filename == str(copy)
    assert register_face(copy) is second  # once per file

    both = resolve_fonts({TITLE: copy, BODY: bundled_font_path()}, search_system=False)
    pdf = text_pdf("党支部会议记录", ["会议强调，要把学习成果转化为实际成效。"], fonts=both)
    assert font_problems(pdf) == []
    embedded = {n.split("+", 1)[1] for n in _font_names(pdf)}
    assert {f"{first.ps_name}-0", f"{second.ps_name}-0"} <= embedded


def _font_names(pdf: bytes) -> set[str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return {str(f.get_object()["/BaseFont"]) for p in reader.pages for f in page_fonts(p)}


def test_preferences_choose_the_font_and_bad_ones_are_noted(tmp_path: Path) -> None:
    chosen = resolve_fonts({BODY: f"{bundled_font_path()}#1"}, search_system=False)
    assert chosen.fonts[BODY].index == 1
    assert chosen.reasons[BODY] == "设置中选定的 文泉驿等宽微米黑"
    assert chosen.fonts[HEI].index == 0
    missing = resolve_fonts({HEI: tmp_path / "nope.ttf"}, search_system=False)
    assert missing.fonts[HEI].path.name == "wqy-microhei.ttc"
    assert any("黑体" in n for n in missing.notes)


# --- missing glyphs ------------------------------------------------------------------------


def test_missing_glyph_stops_the_roster(fonts: FontSet) -> None:  # noqa: F811
    members = [*demo_members(), Member(name=f"李{NO_FONT}", ethnicity=f"{NO_FONT_2}族", id=99)]
    with pytest.raises(MissingGlyphError) as err:
        roster_pdf(BRANCH, members, on=ON, fonts=fonts)
    problems = {(p.char, p.field, p.record.split()[-1]) for p in err.value.problems}
    assert problems == {(NO_FONT, "姓名", f"李{NO_FONT}"), (NO_FONT_2, "民族", f"李{NO_FONT}")}
    assert "U+2A6D6" in str(err.value) and "U+30000" in str(err.value)


def test_missing_glyph_stops_the_signin_sheet_and_text(fonts: FontSet) -> None:  # noqa: F811
    members = [*demo_members(), Member(name=f"王{NO_FONT_2}", id=99)]
    with pytest.raises(MissingGlyphError) as err:
        signin_pdf(BRANCH, "主题党日", ON, f"{NO_FONT}会议室", roster_on(members, ON), fonts=fonts)
    found = {(p.char, p.field) for p in err.value.problems}
    assert found == {(NO_FONT_2, "姓名"), (NO_FONT, "地点")}
    with pytest.raises(MissingGlyphError) as err:
        text_pdf("会议记录", ["第一段。", f"第二段有{NO_FONT}字。"], fonts=fonts)
    assert err.value.problems == (GlyphProblem(NO_FONT, "第2段"),)


@pytest.mark.skipif(not DEJAVU.exists(), reason="needs DejaVu Sans (fonts-dejavu-core)")
def test_a_character_the_role_font_lacks_comes_from_another_font() -> None:
    """正文 set in a Latin-only font: the hanzi come from the fallback (the bundled font),
    nothing is missing, and both fonts are embedded."""
    mixed = resolve_fonts({BODY: DEJAVU}, search_system=False)
    assert mixed.missing("党支部 ABC", BODY) == set()
    assert mixed.font_for("A", BODY) == mixed.name(BODY)
    assert mixed.font_for("党", BODY) != mixed.name(BODY)
    pdf = text_pdf("标题", ["Party 党支部 meeting 会议。"], fonts=mixed)
    assert font_problems(pdf) == []
    assert any("DejaVu" in n for n in _font_names(pdf))
    assert "Party 党支部 meeting 会议。" in "".join(read_pages(pdf)[0].texts())


@pytest.mark.skipif(not DEJAVU.exists(), reason="needs DejaVu Sans (fonts-dejavu-core)")
def test_characters_beyond_the_bmp_can_be_read_back() -> None:
    """A name with an Extension B character prints from a font that has it (SimSun-ExtB on
    Windows); its text must come back out of the PDF too. DejaVu's U+10300 stands in here."""
    old_italic = "\U00010300"
    mixed = resolve_fonts({BODY: DEJAVU}, search_system=False)
    pdf = text_pdf("标题", [f"A{old_italic}B 党"], fonts=mixed)
    assert f"A{old_italic}B" in "".join(read_pages(pdf)[0].texts())


def test_font_sample_names_each_role_and_the_missing_characters(fonts: FontSet) -> None:  # noqa: F811
    pdf = font_sample_pdf(fonts)
    assert font_problems(pdf) == []
    text = "".join(t for p in read_pages(pdf) for t in p.texts())
    for role in ROLES:
        assert f"{role}：{fonts.reasons[role]}" in text
    assert "生僻字：堃䶮𠇔" in text  # all three in the bundled UMing


def test_quotes_are_set_full_width(fonts: FontSet) -> None:  # noqa: F811
    """LXGW WenKai (the bundled 楷) has narrow Latin quotes: in 楷体 text they come from the
    next font of the chain that has full-width ones, so “三会一课” keeps the grid."""
    kai = fonts.name(KAI)
    assert pdfmetrics.getFont(kai).face.charWidths[ord("“")] < 500
    for mark in "“”‘’":
        font = fonts.font_for(mark, KAI)
        assert font is not None and font != kai
        assert pdfmetrics.getFont(font).face.charWidths[ord(mark)] == 1000
    assert fonts.font_for("党", KAI) == kai
    from branchdesk.printing.blocks import title_block
    from branchdesk.printing.document import build_pdf
    from branchdesk.printing.text import BODY_STYLE, Typesetter

    ts = Typesetter(fonts)
    story = [title_block(ts, "样张"), ts.para("学习“三会一课”制度", BODY_STYLE.but(role=KAI))]
    runs = [r for p in read_pages(build_pdf(story, ts)) for r in p.runs if r.size == 16]
    by_text = {r.text: r.font for r in runs}
    assert any("“" in t and "WenKai" not in f for t, f in by_text.items())
    assert any("三会一课" in t and "WenKai" in f for t, f in by_text.items())


def test_fallback_fonts_are_loaded_when_first_needed() -> None:
    """A bundled font that fills no role costs ReportLab ~0.3 s to load: it is registered only
    when a character is found in no font before it (䶮 is in UMing, not in Micro Hei)."""
    hei = str(bundled_font_path())
    only_hei = resolve_fonts({role: hei for role in ROLES}, search_system=False)
    assert [Path(p).name for p, _, _ in only_hei.later] == [
        "uming-cn-subset.ttf", "LXGWWenKai-Regular.ttf"]  # fmt: skip
    assert only_hei.fallback_families()[-2:] == ["AR PL UMing CN", "霞鹜文楷"]
    assert only_hei.font_for("党", BODY) == only_hei.name(BODY)
    assert only_hei._loaded == []  # nothing needed yet
    font = only_hei.font_for(RARE_A, BODY)
    assert font is not None and "umingcnsubset" in font
    assert [f.path.name for f in only_hei._loaded] == ["uming-cn-subset.ttf"]
    assert only_hei.missing(NO_FONT, BODY) == {NO_FONT}  # then all are tried
    assert len(only_hei._loaded) == 2


@pytest.mark.parametrize(
    ("names", "kind", "exact"),
    [
        (("AR PL UKai CN",), "楷体", True),
        (("LXGW WenKai", "霞鹜文楷"), "楷体", True),
        (("AR PL KaitiM GB",), "楷体", True),
        (("WenQuanYi Zen Hei", "文泉驿正黑"), "黑体", True),
        (("WenQuanYi Micro Hei", "文泉驿微米黑"), "黑体", False),
        (("AR PL UMing CN",), "宋体", True),
        (("AR PL SungtiL GB", "文鼎ＰＬ简报宋"), "宋体", True),
        (("AR PL New Sung",), "宋体", False),
        (("FangSong", "仿宋"), "仿宋", True),
        (("cwTeX 仿宋体",), "仿宋", False),
        (("仿宋_GB2312",), "仿宋_GB2312", True),
    ],
)
def test_family_names_are_recognised(names: tuple[str, ...], kind: str, exact: bool) -> None:
    info = FaceInfo(Path("/fonts/x.ttf"), 0, frozenset(TRUETYPE_TABLES), names, (), "", True)
    kinds = dict(fontmod._kinds_of(info))
    assert kind in kinds
    assert kinds[kind] == (2 if exact else 1)
    if kind != "宋体":
        assert "宋体" not in kinds  # 仿宋 is not 宋体


def test_a_sans_fallback_is_no_kind() -> None:
    info = FaceInfo(Path("/fonts/DroidSansFallbackFull.ttf"), 0, frozenset(TRUETYPE_TABLES),
                    ("Droid Sans Fallback",), (), "DroidSansFallback", True)  # fmt: skip
    assert fontmod._kinds_of(info) == ()
