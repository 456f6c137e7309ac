"""Qt's file dialog reads Chinese throughout: the strings qtbase_zh_CN lacks are supplied."""

from __future__ import annotations

import re

from PySide6.QtCore import QLibraryInfo, QTranslator
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel

from branchdesk.ui.translations import MissingStrings


def test_file_dialog_labels_are_all_chinese(qtbot):
    app = QApplication.instance()
    qtbase = QTranslator()
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    assert qtbase.load("qtbase_zh_CN", folder)
    missing = MissingStrings()
    app.installTranslator(qtbase)
    app.installTranslator(missing)
    try:
        dialog = QFileDialog(None, "选择文件", "", "Excel 文件 (*.xlsx)")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        qtbot.addWidget(dialog)
        labels = [label.text() for label in dialog.findChildren(QLabel) if label.text()]
        assert len(labels) == 3, labels  # 查找范围, 文件名称 (from qtbase_zh_CN), 文件类型
        for text in labels:
            assert not re.search(r"[A-Za-z]{2,}", text), text
        assert "文件名称(&N)：" in labels
    finally:
        app.removeTranslator(missing)
        app.removeTranslator(qtbase)


def test_an_old_xls_is_told_to_be_saved_as_xlsx(qtbot, book, monkeypatch, tmp_path):
    from branchdesk.ui.main_window import MainWindow
    from qt_helpers import record_message_boxes

    boxes = record_message_boxes(monkeypatch)
    old = tmp_path / "名册.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    w = MainWindow(book)
    qtbot.addWidget(w)
    seen = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: seen.append(a) or (
        str(old), ""))  # fmt: skip
    w.roster.choose_import_file()
    assert "*.xls" in seen[0][3]  # the dialog lets the old file be picked
    qtbot.waitUntil(lambda: bool(boxes), timeout=10000)
    kind, text = boxes[0]
    assert kind == "warning" and "另存为" in text and ".xlsx" in text and "WPS" in text
