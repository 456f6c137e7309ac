"""Make the bundled AR PL UMing subset in resources/fonts from Debian's fonts-arphic-uming.

    apt-get download fonts-arphic-uming && dpkg -x fonts-arphic-uming_*.deb /tmp/uming
    .venv/bin/pip install fonttools
    .venv/bin/python tools/build_fonts.py /tmp/uming/usr/share/fonts/truetype/arphic/uming.ttc

Takes face 0 (AR PL UMing CN, simplified-Chinese glyph forms) of the collection and keeps:
  * ASCII, Latin-1, general punctuation, letter-like symbols (℃ №), CJK symbols and
    punctuation, full-width forms — everything a form prints besides ideographs;
  * every ideograph of GB 2312 and of the 8,105 of 《通用规范汉字表》 (levels 1–3);
  * every ideograph of CJK Extension A and of Extensions B and beyond that UMing has: these are
    the rare characters of personal names (䶮, 𠇔) that the system fonts usually lack.
Ideographs of GBK outside those sets (mostly traditional and variant forms) are left out: the
bundled WenQuanYi Micro Hei has them, and a character missing from one font is printed from
the next font of the chain. Hinting and the embedded bitmaps (EBDT/EBLC) are dropped: they
matter on screens at small sizes, not in PDFs. The Arphic Public License asks modified files
to say so: the version string (name ID 5) is appended with what was done and when.

LXGW WenKai is bundled unmodified (LXGWWenKai-Regular.ttf from fonts-lxgw-wenkai): its
licence reserves the names "LXGW" and "霞鹜", which a subset would have to drop.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "fonts" / "uming-cn-subset.ttf"
LEVEL_FILES = [ROOT / "resources" / "charsets" / "tongyong-8105.txt"]

NON_CJK = [
    (0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x2100, 0x214F), (0x2150, 0x218F),
    (0x2190, 0x21FF), (0x2200, 0x22FF), (0x2460, 0x24FF), (0x2500, 0x257F), (0x25A0, 0x25FF),
    (0x2600, 0x26FF), (0x3000, 0x303F), (0x3200, 0x32FF), (0x3300, 0x33FF), (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),
]  # fmt: skip


def gb2312() -> set[int]:
    out = set()
    for hi in range(0xB0, 0xF8):
        for lo in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                out.add(ord(bytes((hi, lo)).decode("gb2312")))
    return out


def tongyong() -> set[int]:
    out = set()
    for path in LEVEL_FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.startswith("#"):
                out.update(ord(ch) for ch in line.strip())
    return out


def wanted(cmap: dict[int, str]) -> set[int]:
    keep = {cp for lo, hi in NON_CJK for cp in range(lo, hi + 1)}
    keep |= gb2312() | tongyong()
    keep |= {cp for cp in cmap if 0x3400 <= cp <= 0x4DBF or cp >= 0x20000}
    return keep & set(cmap)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("uming", type=Path, help="uming.ttc of fonts-arphic-uming")
    args = parser.parse_args()
    font = TTCollection(args.uming).fonts[0]
    unicodes = wanted(font.getBestCmap())
    options = subset.Options()
    options.hinting = False
    options.drop_tables += ["EBDT", "EBLC", "EBSC", "gasp", "vhea", "vmtx"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    sub = subset.Subsetter(options)
    sub.populate(unicodes=unicodes)
    sub.subset(font)
    note = f"; subset by branchdesk tools/build_fonts.py on {dt.date.today():%Y-%m-%d}"
    for rec in font["name"].names:
        if rec.nameID == 5:
            rec.string = rec.toUnicode() + note
    OUT.parent.mkdir(parents=True, exist_ok=True)
    font.save(OUT)
    print(f"{OUT.relative_to(ROOT)}: {len(unicodes)} characters, {OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
