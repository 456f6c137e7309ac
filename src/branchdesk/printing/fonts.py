"""Fonts for printing: found on the machine, else the bundled ones; always embedded.

Five roles, as GB/T 9704 uses them: 标题 (小标宋, else 黑体, else 宋体), 正文 (仿宋, else 宋体),
黑体, 楷体 and 宋体. Each role is filled from the fonts the machine has — Windows'
simfang/simsun/simhei/simkai, fonts the user installed (方正小标宋, 仿宋_GB2312), whatever
fontconfig lists for Chinese on Linux — or else from the bundled fonts: AR PL UMing (宋),
LXGW WenKai (楷), WenQuanYi Micro Hei (黑). There is no free TrueType 仿宋 to ship: without
one on the machine the body is set in 宋 and ``FontSet.reasons`` says so. A user's choice
(role → font file, from the 设置 page) comes first.

A font serves a role only if it covers what the forms print (``coverage``: ASCII, the 3,500
common characters, the full-width marks); its names decide among those that do, exact family
names before matches by substring. A font that fails (Droid Sans Fallback has no digits, a
Traditional-only 仿宋 lacks simplified forms) is still tried for single characters.

Every character is printed in the first font of its role's chain that has it: the role's own
font, extension-plane fonts (SimSun-ExtB), the other roles' fonts, the bundled fonts (UMing
has 堃 䶮 𠇔), then the fonts that failed the coverage check.

ReportLab embeds a subset of every TrueType font it uses. Two things go wrong silently and are
guarded here:

* CFF-outline fonts (Noto CJK, Source Han: OpenType with a ``CFF `` table) cannot be embedded.
  The table directory is read before ReportLab sees the file, and TTFError is caught too.
* ``pdfmetrics.registerFont`` maps a second font whose internal PostScript name equals an
  earlier one's onto the *earlier* font, without a word. Each face is registered once under a
  name derived from its path and index; a face whose PostScript name is already taken by
  another file is renamed before registering, and the registration is checked afterwards.

A character that no font of the set has is never printed as a blank: ``FontSet.missing``
finds it, the forms collect every such character with the field and record it came from, and
raise ``MissingGlyphError`` before anything is drawn.
"""

from __future__ import annotations

import hashlib
import mmap
import os
import re
import struct
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from branchdesk.printing import tounicode
from branchdesk.printing.coverage import coverage
from branchdesk.printing.font_files import (  # noqa: F401  (names of this module before)
    BUNDLED_FONT,
    BUNDLED_FONTS,
    FONT_SUFFIXES,
    _fontconfig_files,
    bundled_font_path,
    bundled_font_paths,
    system_font_files,
)
from branchdesk.printing.glyphs import (  # noqa: F401  (names of this module before)
    FULL_WIDTH_QUOTES,
    _first_with,
    _needs_glyph,
    glyph_vertical_centre,
    missing_glyphs,
)
from branchdesk.printing.sfnt import FaceInfo, SfntError, read_face, read_faces

tounicode.install()  # so that 𠇔 and other non-BMP characters can be searched and copied

TITLE, BODY, HEI, KAI, SONG = "标题", "正文", "黑体", "楷体", "宋体"
ROLES = (TITLE, BODY, HEI, KAI, SONG)

# Kinds of typeface, each recognised by words in its family names or file name (lower case).
# The first list holds exact family names (ranked first), the second substrings. Besides the
# Windows names: AR PL UMing / SungtiL / New Sung (宋, 明体 in Taiwan), AR PL UKai / KaitiM and
# LXGW WenKai (楷), WenQuanYi Zen Hei (正黑) and Micro Hei (微米黑), FangSong (仿宋).
_KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "小标宋": (
        ("方正小标宋简体", "方正小标宋_gbk", "fzxiaobiaosong-b05s"),
        ("小标宋", "xiaobiaosong", "fzxbs"),
    ),
    "仿宋_GB2312": (
        ("仿宋_gb2312", "fangsong_gb2312"),
        ("仿宋_gb2312", "fangsong_gb2312", "fs_gb2312"),
    ),
    "仿宋": (("仿宋", "fangsong", "华文仿宋", "stfangsong"), ("仿宋", "fangsong", "simfang")),
    "黑体": (
        ("黑体", "simhei", "文泉驿正黑", "wenquanyi zen hei", "wqy zenhei"),
        ("黑体", "simhei", "heiti", "正黑", "zenhei", "zen hei", "微米黑", "microhei", "黑"),
    ),
    "楷体_GB2312": (("楷体_gb2312", "kaiti_gb2312"), ("楷体_gb2312", "kaiti_gb2312")),
    "楷体": (
        ("楷体", "kaiti", "ar pl ukai cn", "ar pl kaitim gb", "lxgw wenkai", "霞鹜文楷"),
        ("楷体", "kaiti", "simkai", "楷", "ukai", "kaitim", "wenkai"),
    ),
    "宋体": (
        ("宋体", "simsun", "新宋体", "nsimsun", "ar pl uming cn", "ar pl sungtil gb"),
        ("宋体", "simsun", "songti", "宋", "uming", "sungtil", "new sung", "明体", "mingti"),
    ),
    "扩展": ((), ("extb", "ext-b", "extg", "ext-g", "hanamin", "hanazono", "babelstone")),
}
#: Words that keep a face out of a kind (仿宋 and 小标宋 contain 宋; ExtB fonts are fallbacks).
_NOT_KIND: dict[str, tuple[str, ...]] = {
    "宋体": ("仿宋", "小标宋", "fangsong", "xiaobiaosong", "extb", "ext-b", "extg", "ext-g"),
    "楷体": ("extb", "ext-b"),
    "黑体": ("extb", "ext-b"),
}
#: Kinds tried for each role, in order; then any Chinese TrueType font, then the bundled ones.
ROLE_KINDS: dict[str, tuple[str, ...]] = {
    TITLE: ("小标宋", "黑体", "宋体"),
    BODY: ("仿宋_GB2312", "仿宋", "宋体"),
    HEI: ("黑体",),
    KAI: ("楷体_GB2312", "楷体", "仿宋", "宋体"),
    SONG: ("宋体",),
}
#: How a role's wanted kind is named to the user ("本机没有仿宋").
_KIND_WORD = {"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体"}
#: Fallback order for characters a role's font lacks: extension-plane fonts first.
_FALLBACK_ROLES = (SONG, BODY, HEI, KAI, TITLE)


class FontUnusableError(ValueError):
    """A font file cannot be used for printing (unreadable, CFF outlines, …)."""


class FontCollisionError(RuntimeError):
    """ReportLab mapped a font name onto another font: printing would use wrong glyphs."""


@dataclass(frozen=True)
class GlyphProblem:
    """A character no font of the set can print, and where it was to be printed."""

    char: str
    field: str = ""
    record: str = ""

    def __str__(self) -> str:
        where = "".join(
            (self.field, f"（{self.record}）" if self.record else "", "：" if self.field else "")
        )
        return f"{where}“{self.char}”（U+{ord(self.char):04X}）"


class MissingGlyphError(ValueError):
    """Some characters have no glyph in any chosen font; nothing was printed.

    ``problems`` lists each character with the field and record it came from. The remedy is a
    font that has them (设置 → 打印字体, or installing e.g. SimSun-ExtB).
    """

    def __init__(self, problems: Iterable[GlyphProblem]) -> None:
        self.problems: tuple[GlyphProblem, ...] = tuple(dict.fromkeys(problems))
        shown = "；".join(str(p) for p in self.problems[:20])
        more = f"等 {len(self.problems)} 处" if len(self.problems) > 20 else ""
        super().__init__(f"以下字符在所选字体中都没有字形，无法打印：{shown}{more}")


@dataclass(frozen=True)
class FontChoice:
    """A font face the machine has, for the 设置 page to offer (or to say why not)."""

    path: Path
    index: int
    family: str
    usable: bool
    reason: str = ""  # why it is not usable
    kinds: tuple[str, ...] = ()  # 宋体 / 仿宋 / 黑体 / … as recognised from its names
    bundled: bool = False

    @property
    def key(self) -> str:
        """The preference value that selects this face: the path, ``#index`` in a collection."""
        return f"{self.path}#{self.index}" if self.index else str(self.path)


@dataclass(frozen=True)
class RegisteredFont:
    name: str  # the ReportLab font name
    path: Path
    index: int
    family: str
    ps_name: str  # as embedded (renamed if another file had the same one)
    renamed: bool = False


@dataclass(frozen=True, eq=False)
class FontSet:
    """The font of each role, and the fonts tried for characters a role's font lacks."""

    fonts: Mapping[str, RegisteredFont]
    fallbacks: tuple[RegisteredFont, ...] = ()
    notes: tuple[str, ...] = ()
    #: Per role, which font and why, as the 设置 page says it: "本机的 仿宋_GB2312",
    #: "附带的 AR PL UMing CN，本机没有仿宋".
    reasons: Mapping[str, str] = field(default_factory=dict)
    #: Faces tried after ``fallbacks`` (the bundled fonts that fill no role, the machine's
    #: fonts that failed the coverage check): (path, index, family). Loading a font costs
    #: ReportLab ~0.3 s, so each is registered only when a character is not found before it.
    later: tuple[tuple[Path, int, str], ...] = ()
    #: The bundled 宋 (AR PL UMing), when it fills no role: a character that the machine's
    #: 仿宋/宋 lacks is taken from it before a 黑 or 楷 font of the chain, so that one 啰 in
    #: the body is not a bold sans character among serif ones. Registered when first needed.
    serif_spares: tuple[tuple[Path, int], ...] = ()
    _spares: dict[tuple[Path, int], RegisteredFont | None] = field(
        default_factory=dict, compare=False, repr=False
    )
    _loaded: list[RegisteredFont] = field(default_factory=list, compare=False, repr=False)
    _next: list[int] = field(default_factory=lambda: [0], compare=False, repr=False)
    _chains: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)
    _maps: dict[str, dict[str, str | None]] = field(default_factory=dict, compare=False, repr=False)

    def name(self, role: str) -> str:
        """The registered ReportLab font name of a role."""
        return self.fonts[role].name

    def chain(self, role: str) -> tuple[str, ...]:
        """Font names to try for a character, the role's own first (of the fonts loaded)."""
        found = self._chains.get(role)
        if found is None:
            names = [self.fonts[role].name, *(f.name for f in (*self.fallbacks, *self._loaded))]
            found = self._chains[role] = tuple(dict.fromkeys(names))
        return found

    def fallback_families(self) -> list[str]:
        """Every font tried for a missing character, in order, loaded or not."""
        return [f.family for f in self.fallbacks] + [family for *_, family in self.later]

    def font_for(self, char: str, role: str) -> str | None:
        """The first font of the role's chain that has ``char``; None if none has."""
        found = self._maps.get(role)
        if found is None:
            found = self._maps[role] = {}
        try:
            return found[char]
        except KeyError:
            font = _first_with(self.chain(role), char)
            while font is None and _needs_glyph(char) and self._load_next():
                found = self._maps[role] = {}  # the chain grew: look again from the start
                font = _first_with(self.chain(role), char)
            if font is not None and role in (BODY, SONG) and _needs_glyph(char):
                serif = {self.fonts[BODY].name, self.fonts[SONG].name}
                if font not in serif:
                    font = self._serif_spare_with(char) or font
            found[char] = font
            return font

    def _serif_spare_with(self, char: str) -> str | None:
        """The first of ``serif_spares`` that has ``char`` (registering it if need be)."""
        for where in self.serif_spares:
            if where not in self._spares:
                with _LOCK:
                    try:
                        self._spares[where] = register_face(*where)
                    except (FontUnusableError, FontCollisionError):
                        self._spares[where] = None
            reg = self._spares[where]
            if reg is not None and not missing_glyphs(char, reg.name):
                return reg.name
        return None

    def registered(self) -> list[RegisteredFont]:
        """Every font this set has registered so far: roles, fallbacks, loaded ones."""
        spares = [f for f in self._spares.values() if f is not None]
        return list(dict.fromkeys([*self.fonts.values(), *self.fallbacks, *self._loaded, *spares]))

    def _load_next(self) -> bool:
        """Register the next face of ``later``; False when there is none left."""
        with _LOCK:
            while self._next[0] < len(self.later):
                path, face, _family = self.later[self._next[0]]
                self._next[0] += 1
                try:
                    self._loaded.append(register_face(path, face))
                except (FontUnusableError, FontCollisionError):
                    continue
                self._chains.clear()
                self._maps.clear()
                return True
            return False

    def missing(self, text: str, role: str) -> set[str]:
        """Characters of ``text`` that no font of the role's chain can print."""
        return {ch for ch in set(text) if _needs_glyph(ch) and self.font_for(ch, role) is None}

    def describe(self) -> list[str]:
        lines = [
            f"{role}：{self.reasons.get(role) or f.family}（{f.path}"
            + (f"#{f.index}）" if f.index else "）")
            for role, f in self.fonts.items()
        ]
        if self.fallback_families():
            lines.append("缺字时依次尝试：" + "、".join(self.fallback_families()))
        return lines + list(self.notes)


# ---------------------------------------------------------------------------------------------
# finding fonts


def _kinds_of(face: FaceInfo) -> tuple[tuple[str, int], ...]:
    """(kind, 2 for an exact family name, 1 for a match by substring) for each kind matched."""
    names = [n.lower() for n in (*face.families, *face.full_names, face.ps_name)]
    words = [*names, face.path.stem.lower()]
    out = []
    for kind, (exact, parts) in _KINDS.items():
        if any(bad in w for w in words for bad in _NOT_KIND.get(kind, ())):
            continue
        if any(n in exact for n in names):
            out.append((kind, 2))
        elif any(p in w for w in words for p in parts):
            out.append((kind, 1))
    return tuple(out)


@dataclass(frozen=True)
class _Face:
    info: FaceInfo
    kinds: tuple[tuple[str, int], ...]
    problem: str
    bundled: bool = False


def _faces_of(paths: Iterable[Path], bundled: bool = False) -> list[_Face]:
    faces: list[_Face] = []
    for path in paths:
        try:
            infos = read_faces(path)
        except (OSError, SfntError, struct.error):
            continue
        for info in infos:
            kinds = _kinds_of(info)
            if info.chinese or kinds:
                faces.append(_Face(info, kinds, info.problem(), bundled))
    return faces


@cache
def _system_faces() -> tuple[_Face, ...]:
    return tuple(_faces_of(system_font_files()))


def _bundled_faces() -> list[_Face]:
    return _faces_of([p for p in bundled_font_paths() if p.exists()], bundled=True)


def refresh() -> None:
    """Forget what was found on the machine (after the user installed a font)."""
    _system_faces.cache_clear()
    coverage.cache_clear()
    _RESOLVED.clear()


def available_fonts(*, search_system: bool = True) -> list[FontChoice]:
    """Chinese fonts of the machine and the bundled one, usable or not (with the reason)."""
    faces = [*(_system_faces() if search_system else ()), *_bundled_faces()]
    return [
        FontChoice(
            f.info.path,
            f.info.index,
            f.info.family,
            not f.problem,
            f.problem,
            tuple(k for k, _ in f.kinds),
            f.bundled,
        )
        for f in faces
    ]


# ---------------------------------------------------------------------------------------------
# registering


class _MappedFile:
    """A font file for ReportLab's parser, read through a read-only memory map: ReportLab
    keeps the whole file as its data (28 MB for the three bundled fonts) and only slices
    it. Mapped, only the pages it reads — the tables it parses, the glyphs a PDF embeds —
    are in memory, and those are the file's own pages, which the system may drop again.
    The map lives as long as the font."""

    def __init__(self, path: str) -> None:
        self.name = path

    def read(self) -> mmap.mmap | bytes:
        with open(self.name, "rb") as fh:
            try:
                return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
            except (OSError, ValueError):  # an empty file, a file system without maps
                return fh.read()


def _compact_face(face: object) -> None:
    """ReportLab keeps, for every glyph of a face, a list of the characters mapped to it
    (``glyphToChar``, read only by its text shaping): some 30,000 lists for a Chinese
    font, which every full garbage collection walks. Tuples hold the same, in less memory,
    and the collector stops tracking them: a full collection after the first print took
    twice as long. (Shaping adds entries only for glyphs not in the map: new lists.)"""
    glyphs = getattr(face, "glyphToChar", None)
    if isinstance(glyphs, dict):
        face.glyphToChar = {g: tuple(chars) for g, chars in glyphs.items()}  # type: ignore[attr-defined]


_LOCK = threading.RLock()
_REGISTERED: dict[tuple[str, int], RegisteredFont] = {}
_PS_OWNERS: dict[bytes, tuple[str, int]] = {}


def _registered_name(real: str, index: int) -> str:
    stem = re.sub(r"[^A-Za-z0-9]+", "", Path(real).stem)[:24] or "font"
    digest = hashlib.sha1(f"{real}#{index}".encode()).hexdigest()[:8]
    return f"bd-{stem}-{index}-{digest}"


def register_face(path: str | Path, index: int = 0) -> RegisteredFont:
    """Register one face with ReportLab (once per file and index) and return its name.

    Raises FontUnusableError for a file ReportLab cannot embed, FontCollisionError if
    ReportLab still maps the name onto another font.
    """
    real = os.path.realpath(path)
    key = (real, index)
    with _LOCK:
        if key in _REGISTERED:
            return _REGISTERED[key]
        try:
            info = read_face(Path(real), index)
        except (OSError, SfntError, struct.error) as exc:
            raise FontUnusableError(f"无法读取字体 {path}：{exc}") from exc
        if info.problem():
            raise FontUnusableError(f"{path}：{info.problem()}")
        name = _registered_name(real, index)
        try:
            font = TTFont(name, _MappedFile(real), subfontIndex=index)
        except (TTFError, OSError, struct.error, ValueError, KeyError, IndexError) as exc:
            raise FontUnusableError(f"ReportLab 无法使用字体 {path}：{exc}") from exc
        _compact_face(font.face)
        ps = bytes(font.face.name)
        taken = _PS_OWNERS.get(ps)
        foreign = getattr(pdfmetrics, "_dynFaceNames", {}).get(ps)
        renamed = (taken is not None and taken != key) or (taken is None and foreign is not None)
        if renamed:  # same internal name as another file: ReportLab would merge the two
            ps = ps + b"-" + name.rsplit("-", 1)[-1].encode()
            font.face.name = ps
        pdfmetrics.registerFont(font)
        if pdfmetrics.getFont(name) is not font:
            internal = ps.decode(errors="replace")
            raise FontCollisionError(
                f"ReportLab 把字体名 {name} 对应到了另一个字体（内部名 {internal}）"
            )
        _PS_OWNERS[ps] = key
        reg = RegisteredFont(name, Path(real), index, info.family, ps.decode("latin-1"), renamed)
        _REGISTERED[key] = reg
        return reg


def _parse_preference(value: str | Path) -> tuple[Path, int]:
    text = str(value)
    m = re.fullmatch(r"(.*)#(\d+)", text)
    if m and not Path(text).exists():
        return Path(m.group(1)), int(m.group(2))
    return Path(text), 0


_RESOLVED: dict[tuple[tuple[str, str], ...], FontSet] = {}


def resolve_fonts(
    preferences: Mapping[str, str | Path] | None = None, *, search_system: bool = True
) -> FontSet:
    """The FontSet for printing: each role's preferred file, else the best font found.

    ``preferences`` maps a role (标题 / 正文 / 黑体 / 楷体 / 宋体) to a font file, ``path#N`` for
    face N of a collection (see ``FontChoice.key``). A preference that cannot be used is
    noted in ``FontSet.notes`` and the role is filled as if there were none. With
    ``search_system=False`` only the bundled font is used (tests, reproducible output).
    The result is cached per preferences; ``refresh()`` forgets it.
    """
    prefs = {role: str(v) for role, v in (preferences or {}).items() if v and role in ROLES}
    cache_key = (*sorted(prefs.items()), ("system", str(search_system)))
    with _LOCK:
        if cache_key in _RESOLVED:
            return _RESOLVED[cache_key]
        faces = [*(_system_faces() if search_system else ()), *_bundled_faces()]
        notes: list[str] = []
        unusable: set[tuple[Path, int]] = set()

        def try_face(face: _Face) -> RegisteredFont | None:
            where = (face.info.path, face.info.index)
            if face.problem or where in unusable:
                return None
            try:
                return register_face(*where)
            except FontUnusableError as exc:
                unusable.add(where)
                notes.append(str(exc))
                return None

        chosen: dict[str, RegisteredFont] = {}
        reasons: dict[str, str] = {}
        for role in ROLES:
            if role in prefs:
                path, index = _parse_preference(prefs[role])
                try:
                    chosen[role] = register_face(path, index)
                    reasons[role] = f"设置中选定的 {chosen[role].family}"
                    continue
                except FontUnusableError as exc:
                    notes.append(f"设置中为“{role}”选择的字体不能使用（{exc}），已自动选择")
            for face in _candidates(faces, role):
                reg = try_face(face)
                if reg is not None:
                    chosen[role] = reg
                    reasons[role] = _reason(role, face)
                    break
            else:
                raise FontUnusableError(f"找不到可用于“{role}”的中文字体，附带的字体也无法使用")
        rejected = _rejected(faces)
        for face in rejected:
            lacks = coverage(*_where(face)).reason()
            notes.append(f"本机的 {face.info.family} {lacks}，只用来补字")
        fallbacks: list[RegisteredFont] = []
        for face in faces:  # fonts for the extension planes (SimSun-ExtB …) first
            if "扩展" in dict(face.kinds):
                reg = try_face(face)
                if reg is not None:
                    fallbacks.append(reg)
        fallbacks.extend(chosen[role] for role in _FALLBACK_ROLES)
        later: list[tuple[Path, int, str]] = []
        for face in [f for f in faces if f.bundled and f.info.index == 0] + rejected:
            if not face.problem and not _same_font(face.info, fallbacks):
                later.append((face.info.path, face.info.index, face.info.family))
        serif_spares = tuple(
            _where(face)
            for face in faces
            if face.bundled
            and not face.problem
            and "宋体" in dict(face.kinds)
            and not _same_font(face.info, [chosen[BODY], chosen[SONG]])
        )
        result = FontSet(
            dict(chosen),
            tuple(dict.fromkeys(fallbacks)),
            tuple(dict.fromkeys(notes)),
            reasons,
            tuple(dict.fromkeys(later)),
            serif_spares,
        )
        _RESOLVED[cache_key] = result
        return result


def _same_font(info: FaceInfo, fonts: Iterable[RegisteredFont]) -> bool:
    """Whether one of ``fonts`` is the same font as ``info`` (a system copy of the bundled
    font): same PostScript name, index and file size. Loading it twice would only cost time."""
    size = info.path.stat().st_size if info.path.exists() else -1
    return any(
        f.ps_name.split("-")[0] == info.ps_name.split("-")[0]
        and f.index == info.index
        and f.path.exists()
        and f.path.stat().st_size == size
        for f in fonts
    )


def _where(face: _Face) -> tuple[Path, int]:
    return (face.info.path, face.info.index)


def _reason(role: str, face: _Face) -> str:
    """Why a role got a face, for the 设置 page: "本机的 仿宋_GB2312", "本机的 文泉驿正黑
    （本机没有小标宋）", "附带的 AR PL UMing CN，本机没有仿宋"."""
    wanted = ROLE_KINDS[role][0]
    kinds = dict(face.kinds)
    own = wanted in kinds or (role == BODY and "仿宋" in kinds) or (role == KAI and "楷体" in kinds)
    word = _KIND_WORD.get(wanted, wanted)
    if face.bundled:
        return f"附带的 {face.info.family}" + ("" if own else f"，本机没有{word}")
    return f"本机的 {face.info.family}" + ("" if own else f"（本机没有{word}）")


def _rejected(faces: list[_Face]) -> list[_Face]:
    """Chinese TrueType faces of the machine that cannot serve a role for what they lack
    (Droid Sans Fallback: no digits; cwTeX 仿宋: Traditional only); they still fill gaps.
    A face with hardly any of the common characters (a maths font whose header claims a
    Chinese code page) is left out."""
    return [
        f
        for f in faces
        if not f.bundled and not f.problem and f.info.chinese and "扩展" not in dict(f.kinds)
        and not coverage(*_where(f)).ok and coverage(*_where(f)).level1 < 3000
    ][:4]  # fmt: skip


def _candidates(faces: list[_Face], role: str) -> list[_Face]:
    """Faces that cover what a role prints (see ``coverage``), best first: by kind in
    ROLE_KINDS order, exact names before substrings, the machine's before the bundled ones
    (so a bundled 黑体 beats a 宋体 of the machine for the 黑体 role); then any other Chinese
    font of the machine, then the other bundled fonts."""
    ranked: list[tuple[int, int, int, int, int, _Face]] = []
    kinds = ROLE_KINDS[role]
    for n, face in enumerate(faces):
        if face.problem:
            continue
        matches = dict(face.kinds)
        for rank, kind in enumerate(kinds):
            if kind in matches:
                key = (0, rank, -matches[kind], int(face.bundled), n)
                break
        else:
            if not face.info.chinese or "扩展" in matches:
                continue
            key = (1, int(face.bundled), 0, 0, n)
        if coverage(*_where(face)).ok:
            ranked.append((*key, face))
    ranked.sort(key=lambda t: t[:5])
    return [face for *_, face in ranked]
