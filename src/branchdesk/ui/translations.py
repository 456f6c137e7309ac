"""Qt's own dialogs in Chinese throughout.

Qt's shipped qtbase_zh_CN lacks a few strings of Qt 6's file dialog ("Look in:", "Files of
type:", "Folder" …), so the dialog came up half in English. This translator supplies
them; it is installed after qtbase_zh_CN, so Qt asks it first, and it answers only what
it knows (no answer lets Qt fall through to qtbase_zh_CN).
"""

from __future__ import annotations

from PySide6.QtCore import QTranslator

MISSING: dict[tuple[str, str], str] = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Look in:"): "查找范围：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
    ("QFileDialog", "Files of type"): "文件类型",
    ("QFileDialog", "Cancel"): "取消",
    ("QFileDialog", "Directory"): "文件夹",
    ("QAbstractFileIconProvider", "Folder"): "文件夹",
    ("QAbstractFileIconProvider", "Drive"): "驱动器",
    ("QAbstractFileIconProvider", "File"): "文件",
    ("QAbstractFileIconProvider", "%1 File"): "%1 文件",
    ("QAbstractFileIconProvider", "Shortcut"): "快捷方式",
    ("QAbstractFileIconProvider", "Alias"): "替身",
    ("QAbstractFileIconProvider", "Unknown"): "未知",
    ("QFileSystemModel", "Folder"): "文件夹",
    ("QFileSystemModel", "Drive"): "驱动器",
    ("QFileSystemModel", "File"): "文件",
    ("QFileSystemModel", "%1 File"): "%1 文件",
    ("QFileSystemModel", "Shortcut"): "快捷方式",
    ("QFileSystemModel", "Unknown"): "未知",
}


class MissingStrings(QTranslator):
    def translate(  # type: ignore[override]
        self,
        context: str,
        source: str,
        disambiguation: str | None = None,
        n: int = -1,
    ) -> str | None:
        # None, not "": Qt takes an empty string for a translation and stops looking.
        return MISSING.get((context, source))

    def isEmpty(self) -> bool:  # noqa: N802
        return False
