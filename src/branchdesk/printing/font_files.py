"""Where fonts are: the bundled ones, and the machine's (fontconfig on Linux, else the usual
font folders). Tests give fontconfig a private configuration (``FONTCONFIG_FILE`` naming a
fonts.conf that lists one folder) to play a machine with a chosen set of fonts.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

from branchdesk.resources import resources_dir

BUNDLED_FONT = "fonts/wqy-microhei.ttc"  # 黑体, and the fallback of the screen
#: Fonts shipped with the program, best fallback first: AR PL UMing (宋, a subset: see
#: tools/build_fonts.py), LXGW WenKai (楷), WenQuanYi Micro Hei (黑). Licences beside them.
BUNDLED_FONTS = ("fonts/uming-cn-subset.ttf", "fonts/LXGWWenKai-Regular.ttf", BUNDLED_FONT)
FONT_SUFFIXES = (".ttf", ".ttc", ".otf", ".otc")


def bundled_font_path() -> Path:
    """The bundled WenQuanYi Micro Hei (the screen's fallback too)."""
    return resources_dir() / BUNDLED_FONT


def bundled_font_paths() -> list[Path]:
    """Every bundled font file, in fallback order (UMing, WenKai, Micro Hei)."""
    return [resources_dir() / name for name in BUNDLED_FONTS]


def _font_dirs() -> list[Path]:
    home = Path.home()
    if sys.platform == "win32":
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        dirs = [windir / "Fonts"]
        local = os.environ.get("LOCALAPPDATA")
        if local:  # fonts installed "for this user only" (Windows 10 1809 and later)
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
        return dirs
    if sys.platform == "darwin":
        return [home / "Library/Fonts", Path("/Library/Fonts"), Path("/System/Library/Fonts")]
    return [
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        home / ".fonts",
        home / ".local/share/fonts",
    ]


def _fontconfig_files() -> list[Path] | None:
    """Every font file fontconfig lists; None when fc-list is not there or fails.

    Not only those it counts as Chinese (``:lang=zh``): fontconfig wants a font to hold all
    of GB 2312 or Big5 for that, and a font that covers less still fills gaps. Which files
    have Chinese is decided by reading their headers (``sfnt.read_faces``)."""
    exe = shutil.which("fc-list")
    if exe is None:
        return None
    try:
        done = subprocess.run(
            [exe, "--format", "%{file}\n"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return [Path(line) for line in dict.fromkeys(done.stdout.splitlines()) if line.strip()]


def _scan_dirs(dirs: Iterable[Path]) -> list[Path]:
    found: list[Path] = []
    for root in dirs:
        if not root.is_dir():
            continue
        for dirpath, _dirs, files in os.walk(root):
            found.extend(Path(dirpath) / f for f in files if f.lower().endswith(FONT_SUFFIXES))
    return found


def system_font_files() -> list[Path]:
    """Font files of the machine that may hold Chinese, in a stable order."""
    files = None if sys.platform == "win32" else _fontconfig_files()
    if files is None:
        files = _scan_dirs(_font_dirs())
    return sorted(dict.fromkeys(files), key=lambda p: str(p).lower())


