"""Just enough of the sfnt (TrueType / OpenType) format to choose fonts without loading them.

ReportLab's TTFont reads a whole file and parses every table (0.2 s for a 5 MB collection),
and it cannot embed CFF (PostScript) outlines. Choosing among the fonts of a machine only
needs the table directory, the ``name`` table (family names, Chinese ones included) and the
``OS/2`` code pages, which this module reads by seeking into the file.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

#: Tables a font must have for ReportLab to subset and embed it (TrueType outlines).
TRUETYPE_TABLES = frozenset({"cmap", "glyf", "head", "hhea", "hmtx", "loca", "maxp"})
#: Windows language ids of Chinese (PRC, Taiwan, Hong Kong, Singapore, Macao) names.
CHINESE_LANGS = frozenset({0x0804, 0x0404, 0x0C04, 0x1004, 0x1404})
_NAME_FAMILY, _NAME_FULL, _NAME_PS, _NAME_TYPO_FAMILY = 1, 4, 6, 16


class SfntError(ValueError):
    """The file is not a font this module can read."""


@dataclass(frozen=True)
class FaceInfo:
    """One face of a font file (a .ttc holds several), as read from its headers."""

    path: Path
    index: int
    tables: frozenset[str]
    families: tuple[str, ...]  # Chinese names first, then the others, no duplicates
    full_names: tuple[str, ...]
    ps_name: str
    chinese: bool  # OS/2 says it covers Chinese, or it has a Chinese name

    @property
    def cff(self) -> bool:
        return "CFF " in self.tables or "CFF2" in self.tables

    @property
    def truetype(self) -> bool:
        return self.tables >= TRUETYPE_TABLES and not self.cff

    @property
    def family(self) -> str:
        return self.families[0] if self.families else self.ps_name or self.path.stem

    def problem(self) -> str:
        """Why ReportLab cannot embed this face; empty when it can."""
        if self.cff:
            return "字形为 CFF（PostScript）轮廓，ReportLab 只能嵌入 TrueType 轮廓的字体"
        missing = TRUETYPE_TABLES - self.tables
        if missing:
            return "不是 TrueType 字体（缺少 " + "、".join(sorted(missing)) + " 表）"
        return ""


def _read(f: BinaryIO, offset: int, length: int) -> bytes:
    f.seek(offset)
    data = f.read(length)
    if len(data) != length:
        raise SfntError("文件被截断")
    return data


def face_offsets(f: BinaryIO) -> list[int]:
    """Offsets of the table directories: one for a single font, several for a collection."""
    head = _read(f, 0, 12)
    if head[:4] == b"ttcf":
        count = struct.unpack(">I", head[8:12])[0]
        if not 0 < count < 1000:
            raise SfntError("字体集合的字体数无效")
        return list(struct.unpack(f">{count}I", _read(f, 12, 4 * count)))
    if head[:4] in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
        return [0]
    raise SfntError("不是 TrueType/OpenType 字体文件")


def table_directory(f: BinaryIO, offset: int) -> dict[str, tuple[int, int]]:
    """tag -> (offset, length) for the face whose directory starts at ``offset``."""
    num_tables = struct.unpack(">H", _read(f, offset + 4, 2))[0]
    raw = _read(f, offset + 12, 16 * num_tables)
    tables: dict[str, tuple[int, int]] = {}
    for i in range(num_tables):
        tag, _checksum, where, length = struct.unpack(">4sIII", raw[16 * i : 16 * i + 16])
        tables[tag.decode("latin-1")] = (where, length)
    return tables


def _decode(platform: int, encoding: int, raw: bytes) -> str | None:
    if platform in (0, 3):
        return raw.decode("utf-16-be", errors="replace")
    if platform == 1:
        codec = {0: "mac_roman", 25: "gb2312", 2: "big5"}.get(encoding)
        if codec:
            return raw.decode(codec, errors="replace")
    return None


def _names(f: BinaryIO, where: int, length: int) -> dict[int, list[tuple[int, str]]]:
    """nameID -> [(preference, text)] from the ``name`` table: 0 for a zh-CN name, 1 for
    another Chinese one, 2 for US English, 3 for the rest."""
    data = _read(f, where, length)
    _fmt, count, string_offset = struct.unpack(">HHH", data[:6])
    found: dict[int, list[tuple[int, str]]] = {}
    for i in range(count):
        rec = data[6 + 12 * i : 18 + 12 * i]
        if len(rec) < 12:
            break
        platform, encoding, lang, name_id, n, off = struct.unpack(">6H", rec)
        if name_id not in (_NAME_FAMILY, _NAME_FULL, _NAME_PS, _NAME_TYPO_FAMILY):
            continue
        raw = data[string_offset + off : string_offset + off + n]
        text = _decode(platform, encoding, raw)
        if text:
            if platform == 3 and lang == 0x0804 or platform == 1 and encoding == 25:
                rank = 0
            elif platform == 3 and lang in CHINESE_LANGS or platform == 1 and encoding == 2:
                rank = 1
            else:
                rank = 2 if platform == 3 and lang == 0x0409 else 3
            found.setdefault(name_id, []).append((rank, text.strip("\x00 ")))
    return found


def _ordered(entries: list[tuple[int, str]]) -> tuple[str, ...]:
    ordered = sorted(entries, key=lambda e: e[0])  # stable: table order within a rank
    return tuple(dict.fromkeys(t for _, t in ordered if t))


def _covers_chinese(f: BinaryIO, tables: dict[str, tuple[int, int]]) -> bool:
    if "OS/2" not in tables:
        return False
    where, length = tables["OS/2"]
    data = _read(f, where, min(length, 86))
    if len(data) < 58:
        return False
    unicode_range2 = struct.unpack(">I", data[46:50])[0]
    if unicode_range2 & (1 << (59 - 32)):  # CJK Unified Ideographs
        return True
    if len(data) >= 82:
        code_pages = struct.unpack(">I", data[78:82])[0]
        return bool(code_pages & ((1 << 18) | (1 << 20)))  # cp936 / cp950
    return False


def _has_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


def read_faces(path: Path) -> list[FaceInfo]:
    """Every face in a font file. Raises SfntError (or OSError) if it cannot be read."""
    faces: list[FaceInfo] = []
    with open(path, "rb") as f:
        for index, offset in enumerate(face_offsets(f)):
            tables = table_directory(f, offset)
            names = _names(f, *tables["name"]) if "name" in tables else {}
            families = _ordered(names.get(_NAME_TYPO_FAMILY, []) + names.get(_NAME_FAMILY, []))
            full = _ordered(names.get(_NAME_FULL, []))
            ps = next(iter(_ordered(names.get(_NAME_PS, []))), "")
            chinese = _covers_chinese(f, tables) or any(map(_has_cjk, families))
            faces.append(
                FaceInfo(Path(path), index, frozenset(tables), families, full, ps, chinese)
            )
    return faces


def read_face(path: Path, index: int = 0) -> FaceInfo:
    faces = read_faces(path)
    if not 0 <= index < len(faces):
        raise SfntError(f"字体文件中没有第 {index} 个字体（共 {len(faces)} 个）")
    return faces[index]


def _cmap_subtable(data: bytes, offset: int) -> set[int]:
    """Code points mapped by one cmap subtable of format 4 or 12 (others: none)."""
    fmt = struct.unpack(">H", data[offset : offset + 2])[0]
    out: set[int] = set()
    if fmt == 4:
        seg2 = struct.unpack(">H", data[offset + 6 : offset + 8])[0]
        ends = struct.unpack(f">{seg2 // 2}H", data[offset + 14 : offset + 14 + seg2])
        base = offset + 16 + seg2
        starts = struct.unpack(f">{seg2 // 2}H", data[base : base + seg2])
        for start, end in zip(starts, ends, strict=True):
            if start != 0xFFFF:
                out.update(range(start, end + 1))
    elif fmt == 12:
        count = struct.unpack(">I", data[offset + 12 : offset + 16])[0]
        for i in range(count):
            where = offset + 16 + 12 * i
            start, end, _gid = struct.unpack(">III", data[where : where + 12])
            out.update(range(start, end + 1))
    return out


def read_cmap(path: Path, index: int = 0) -> frozenset[int]:
    """The code points a face's Unicode cmap maps (format 12 if it has one, else format 4).

    Read by seeking, without loading the font: enough to tell whether a font covers what the
    forms print before ReportLab spends time on it. Glyphs without outlines are not looked
    for here (``fonts.missing_glyphs`` does that for the fonts that are used)."""
    with open(path, "rb") as f:
        offsets = face_offsets(f)
        if not 0 <= index < len(offsets):
            raise SfntError(f"字体文件中没有第 {index} 个字体")
        tables = table_directory(f, offsets[index])
        if "cmap" not in tables:
            return frozenset()
        data = _read(f, *tables["cmap"])
    count = struct.unpack(">H", data[2:4])[0]
    best: tuple[int, int] | None = None  # (preference, offset)
    for i in range(count):
        platform, encoding, where = struct.unpack(">HHI", data[4 + 8 * i : 12 + 8 * i])
        fmt = struct.unpack(">H", data[where : where + 2])[0] if where + 2 <= len(data) else 0
        if fmt not in (4, 12) or platform not in (0, 3) or (platform == 3 and encoding not in
                                                             (1, 10)):  # fmt: skip
            continue
        rank = 0 if fmt == 12 else 1
        if best is None or rank < best[0]:
            best = (rank, where)
    return frozenset(_cmap_subtable(data, best[1])) if best else frozenset()
