"""Private font sets for tests: a folder of fonts, and fontconfig told to list only it.

A machine's fonts are played by a folder and a fonts.conf naming it (``FONTCONFIG_FILE``),
which is what ``printing.font_files`` asks through ``fc-list``; without fontconfig the
function that lists the machine's fonts is pointed at the folder instead. No font is installed
anywhere. The fonts in the folders are made here from the bundled ones with fontTools: copied,
cut down to a set of characters and renamed, so that each stands for a font a real machine has
(Droid Sans Fallback: Chinese without digits; cwTeX 仿宋: Traditional forms only; AR PL UKai).
"""

from __future__ import annotations

import os
import shutil
import string
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

from branchdesk.printing import font_files
from branchdesk.printing import fonts as fontmod
from branchdesk.printing.coverage import FORM_PUNCTUATION, level1
from branchdesk.printing.fonts import FontSet, bundled_font_paths

UMING, WENKAI, MICROHEI = bundled_font_paths()
#: What the test forms print beyond the 3,500 (names, 𪛖 aside).
EXTRA = "堃䶮\U000201d4买提"


def _load(path: Path, index: int = 0) -> TTFont:
    if path.suffix.lower() == ".ttc":
        return TTCollection(path, lazy=True).fonts[index]
    return TTFont(path, lazy=True)


def _rename(font: TTFont, family: str, ps_name: str) -> None:
    name = font["name"]
    for rec in list(name.names):
        if rec.nameID in (1, 3, 4, 6, 16, 17):
            name.removeNames(nameID=rec.nameID)
    for name_id, text in ((1, family), (4, family), (6, ps_name), (3, ps_name)):
        name.setName(text, name_id, 3, 1, 0x409)
        if text.isascii():
            name.setName(text, name_id, 1, 0, 0)


def make_font(
    source: Path, out: Path, chars: Iterable[str], *, family: str, ps_name: str, index: int = 0
) -> Path:
    """A TrueType font at ``out`` with only ``chars`` of ``source``, named ``family``."""
    font = _load(source, index)
    options = subset.Options()
    options.hinting = False
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["EBDT", "EBLC", "vhea", "vmtx", "gasp"]
    sub = subset.Subsetter(options)
    sub.populate(text="".join(chars))
    sub.subset(font)
    _rename(font, family, ps_name)
    out.parent.mkdir(parents=True, exist_ok=True)
    font.save(out)
    return out


def complete() -> str:
    """Enough for a font to serve a role: ASCII, the 3,500, the forms' marks (and a few more
    the test forms print)."""
    return (
        string.digits + string.ascii_letters + string.punctuation + " "
        + "".join(sorted(level1())) + "".join(FORM_PUNCTUATION) + EXTRA
    )  # fmt: skip


def traditional_only() -> str:
    """Traditional forms (and what is shared with Simplified) but no 们 这 国 …: a cwTeX 仿宋."""
    shared = [ch for ch in sorted(level1()) if ch.encode("big5", errors="ignore")]
    return string.digits + string.ascii_letters + string.punctuation + "".join(shared)


def write_fonts_conf(folder: Path) -> Path:
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"  <dir>{folder / 'fonts'}</dir>\n  <cachedir>{folder / 'cache'}</cachedir>\n"
        "</fontconfig>\n",
        encoding="utf-8",
    )
    (folder / "fonts").mkdir(exist_ok=True)
    return conf


@contextmanager
def machine(folder: Path, prefs: dict[str, str] | None = None) -> Iterator[FontSet]:
    """The FontSet the program resolves on a machine whose only fonts are those in
    ``folder/fonts``."""
    conf = write_fonts_conf(folder)
    with pytest.MonkeyPatch.context() as mp:
        if shutil.which("fc-list"):
            mp.setenv("FONTCONFIG_FILE", str(conf))
            mp.delenv("FONTCONFIG_PATH", raising=False)
        else:  # no fontconfig: list the folder as the font folders would be
            found = font_files._scan_dirs([folder / "fonts"])
            mp.setattr(fontmod, "system_font_files", lambda: sorted(found))
        fontmod.refresh()
        try:
            yield fontmod.resolve_fonts(prefs)
        finally:
            fontmod.refresh()
    assert "FONTCONFIG_FILE" not in os.environ or os.environ["FONTCONFIG_FILE"] != str(conf)


#: The machines the tests play, by folder name (see ``build_sets``).
SETS = ("droid", "arphic", "patchwork", "none")


def build_sets(root: Path) -> dict[str, Path]:
    """A folder per machine under ``root``, each with a ``fonts`` folder:

    * droid — only Droid Sans Fallback: Chinese, but no Latin digits or letters and no curly
      quotes (it serves no role);
    * arphic — AR PL UMing CN and AR PL UKai CN (fonts-arphic-uming / -ukai);
    * patchwork — LXGW WenKai, AR PL SungtiL GB (GB 2312: no 啰 瞭) and a Traditional-only
      cwTeX 仿宋;
    * none — no fonts at all: the bundled ones do everything.
    """
    folders = {name: root / name for name in SETS}
    for folder in folders.values():
        (folder / "fonts").mkdir(parents=True, exist_ok=True)
    no_latin = "".join(ch for ch in complete() if ord(ch) > 0x7F and ch not in "“”‘’")
    make_font(MICROHEI, folders["droid"] / "fonts" / "DroidSansFallback.ttf", no_latin,
              family="Droid Sans Fallback", ps_name="DroidSansFallback")  # fmt: skip
    shutil.copy(UMING, folders["arphic"] / "fonts" / "uming.ttf")
    make_font(WENKAI, folders["arphic"] / "fonts" / "ukai.ttf", complete(),
              family="AR PL UKai CN", ps_name="UKaiCN")  # fmt: skip
    make_font(WENKAI, folders["patchwork"] / "fonts" / "LXGWWenKai.ttf", complete(),
              family="LXGW WenKai", ps_name="LXGWWenKai-Regular")  # fmt: skip
    make_font(UMING, folders["patchwork"] / "fonts" / "gbsn00lp.ttf",
              complete().replace("啰", "").replace("瞭", ""),
              family="AR PL SungtiL GB", ps_name="ARPLSungtiLGB")  # fmt: skip
    make_font(UMING, folders["patchwork"] / "fonts" / "cwfs.ttf", traditional_only(),
              family="cwTeX 仿宋体", ps_name="cwTeXFangSong")  # fmt: skip
    return folders
