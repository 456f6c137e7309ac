"""The xcb window plugin finds every system library it needs (tests run offscreen and
never load it, so this checks with ldd), and the helper names the right Debian packages."""

from __future__ import annotations

import sys

import pytest

from branchdesk import qtlibs

LDD = """\
\tlinux-vdso.so.1 (0x00007ffd)
\tlibQt6XcbQpa.so.6 => /x/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-icccm.so.4 => not found
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f)
"""


def test_ldd_output_is_read_once_per_library():
    assert qtlibs.missing_in(LDD) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]


@pytest.mark.parametrize(
    ("soname", "package"),
    [
        ("libxcb-icccm.so.4", "libxcb-icccm4"),
        ("libxcb-keysyms.so.1", "libxcb-keysyms1"),
        ("libxcb-cursor.so.0", "libxcb-cursor0"),
        ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
        ("libxcb-render-util.so.0", "libxcb-render-util0"),
        ("libdbus-1.so.3", "libdbus-1-3"),
        ("libX11-xcb.so.1", "libx11-xcb1"),
        ("libglib-2.0.so.0", "libglib2.0-0"),
        ("libfontconfig.so.1", "libfontconfig1"),
    ],
)
def test_package_names(soname, package):
    assert qtlibs.package_for(soname) == package


def test_install_command_is_exact():
    assert qtlibs.install_command(["libxcb-icccm4"], root=False) == [
        "sudo", "apt-get", "install", "-y", "--no-install-recommends", "libxcb-icccm4"
    ]  # fmt: skip


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the xcb plugin is Linux-only")
def test_xcb_plugin_libraries_resolve():
    plugin = qtlibs.xcb_plugin()
    assert plugin is not None, "PySide6's libqxcb.so not found"
    missing = qtlibs.missing_libraries(plugin)
    packages = sorted({qtlibs.package_for(m) for m in missing})
    assert not missing, (
        f"Qt's xcb plugin cannot find {', '.join(missing)}: `make run` would abort on a "
        f"desktop. Install with: {' '.join(qtlibs.install_command(packages, root=False))}"
    )
