"""Make Chinese render on machines without a CJK font: register the bundled one."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QFont, QFontDatabase

from branchdesk.resources import resources_dir

BUNDLED_FONT = "fonts/wqy-microhei.ttc"
_PROBE = "党支部会议记录"


def has_cjk_font() -> bool:
    for family in QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese):
        if family:
            return True
    return False


def ensure_cjk_font() -> str | None:
    """Register the bundled font when the system has none; returns its family name."""
    if has_cjk_font():
        return None
    path = resources_dir() / BUNDLED_FONT
    if not path.exists():
        return None
    font_id = QFontDatabase.addApplicationFont(str(path))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    return families[0] if families else None


#: The smallest body text, in points: platform defaults (9 pt) are hard to read for the
#: secretaries this is for, often past 50, on a laptop screen.
MIN_POINT_SIZE = 10.5


def apply_app_font(app: object, family: str | None) -> None:
    """Use the registered family as the application default font, at least
    MIN_POINT_SIZE."""
    from PySide6.QtWidgets import QApplication

    assert isinstance(app, QApplication)
    font = QFont(app.font())
    if family:
        font.setFamilies([family, *font.families()])
    if font.pointSizeF() < MIN_POINT_SIZE:
        font.setPointSizeF(MIN_POINT_SIZE)
    app.setFont(font)


def set_pixel_font(widget: Any, pixels: int, *, bold: bool = False) -> None:
    """The widget's font at ``pixels`` px (bold if asked): what a ``font-size`` style
    sheet gives, at less cost. A widget with a style sheet is polished through Qt's
    style-sheet machinery again whenever it moves into another widget: the 工作台's four
    styled labels cost the window's first picture ~2 ms."""
    font = QFont(widget.font())
    font.setPixelSize(pixels)
    if bold:
        font.setBold(True)
    widget.setFont(font)
