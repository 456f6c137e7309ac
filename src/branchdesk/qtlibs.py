"""Does Qt's window plugin find its system libraries? (Linux only.)

Qt runs from its PyPI wheel, but the xcb platform plugin (the one that opens windows on a
Linux desktop) links against X11/xcb libraries of the system. A fresh Debian 12 desktop
lacks two of them (libxcb-icccm4, libxcb-keysyms1), and Qt then aborts with a message that
names a third. This module asks ``ldd`` what the plugin cannot find, names the Debian
packages that provide it, and on Debian/Ubuntu installs them (as root) or prints the one
command to run. Tests run offscreen and never load the plugin, so `make test` runs this
check too (tests/test_qt_libs.py).

    python -m branchdesk.qtlibs            # check; exit 1 with the command when missing
    python -m branchdesk.qtlibs --install  # also install them with apt-get when root

No Qt import: it must work when Qt itself cannot start.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

#: Libraries whose Debian package name does not follow from the file name.
_PACKAGES = {
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libgobject-2.0.so.0": "libglib2.0-0",
    "libgio-2.0.so.0": "libglib2.0-0",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libICE.so.6": "libice6",
    "libSM.so.6": "libsm6",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libGLX.so.0": "libglx0",
}
_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found", re.MULTILINE)


def xcb_plugin() -> Path | None:
    """The wheel's libqxcb.so, found without importing Qt; None when PySide6 is missing."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        plugin = Path(folder) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
        if plugin.exists():
            return plugin
    return None


def missing_in(ldd_output: str) -> list[str]:
    """The libraries ``ldd`` reports as "not found", each once, in order."""
    return list(dict.fromkeys(_NOT_FOUND.findall(ldd_output)))


def package_for(soname: str) -> str:
    """Debian's package for a library: libxcb-icccm.so.4 → libxcb-icccm4,
    libxkbcommon-x11.so.0 → libxkbcommon-x11-0 (a hyphen when the name ends in a digit)."""
    if soname in _PACKAGES:
        return _PACKAGES[soname]
    name, _, version = soname.partition(".so.")
    name = name.lower()
    version = version.split(".")[0]
    return f"{name}-{version}" if name[-1:].isdigit() else f"{name}{version}"


def missing_libraries(plugin: Path | None = None) -> list[str]:
    plugin = plugin or xcb_plugin()
    if plugin is None or shutil.which("ldd") is None:
        return []
    result = subprocess.run(
        ["ldd", str(plugin)], capture_output=True, text=True, check=False, timeout=60
    )
    return missing_in(result.stdout + result.stderr)


def is_debian_like() -> bool:
    return Path("/etc/debian_version").exists() and shutil.which("apt-get") is not None


def install_command(packages: Sequence[str], *, root: bool) -> list[str]:
    prefix = [] if root else ["sudo"]
    return [*prefix, "apt-get", "install", "-y", "--no-install-recommends", *packages]


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m branchdesk.qtlibs", description=__doc__)
    p.add_argument("--install", action="store_true", help="安装缺少的系统库（需要 root）")
    args = p.parse_args(argv)
    if not sys.platform.startswith("linux"):
        return 0
    plugin = xcb_plugin()
    if plugin is None:
        print("未找到 PySide6 的 xcb 插件（PySide6 未安装？）", file=sys.stderr)
        return 1
    missing = missing_libraries(plugin)
    if not missing:
        print("Qt 窗口插件所需的系统库齐全。")
        return 0
    packages = sorted(dict.fromkeys(package_for(m) for m in missing))
    print("Qt 窗口插件缺少系统库：" + "、".join(missing), file=sys.stderr)
    if not is_debian_like():
        print("请用本系统的软件包管理器安装提供这些库的软件包：" + " ".join(packages))
        return 1
    if args.install and _is_root():
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        command = install_command(packages, root=True)
        print("正在安装：" + " ".join(packages))
        if subprocess.run(command, env=env, check=False).returncode != 0:
            # A fresh machine may have no package lists yet.
            subprocess.run(["apt-get", "update"], env=env, check=False)
            if subprocess.run(command, env=env, check=False).returncode != 0:
                print("安装失败。请检查网络后重试：" + " ".join(command), file=sys.stderr)
                return 1
        still = missing_libraries(plugin)
        if still:
            print("安装后仍缺少：" + "、".join(still), file=sys.stderr)
            return 1
        print("已安装，Qt 窗口插件所需的系统库齐全。")
        return 0
    print("请运行下面这条命令安装后再试：", file=sys.stderr)
    print("  " + " ".join(install_command(packages, root=_is_root())), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
