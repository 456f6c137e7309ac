"""Make Chinese render on machines without a CJK font: register the bundled one."""

from __future__ import annotations

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


def apply_app_font(app: object, family: str | None) -> None:
    """Use the registered family as the application default font, at the platform size."""
    from PySide6.QtWidgets import QApplication

    assert isinstance(app, QApplication)
    if family:
        font = QFont(app.font())
        font.setFamilies([family, *font.families()])
        app.setFont(font)
