"""A global exception hook: log to the data folder, show a readable dialog, keep running."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

log = logging.getLogger("branchdesk")


def setup_logging(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "branchdesk.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


def install_excepthook(log_path: Path | None) -> None:
    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        text = "".join(traceback.format_exception(exc_type, exc, tb))
        log.error("未处理的错误：\n%s", text)
        if QApplication.instance() is None:
            sys.__excepthook__(exc_type, exc, tb)
            return
        box = QMessageBox(QMessageBox.Icon.Critical, "程序出错", "程序遇到了一个意外错误。")
        where = f"\n详细信息已记录到：{log_path}" if log_path else ""
        box.setInformativeText(
            "已保存的记录不受影响：每次保存都已立即写入账簿。"
            "刚才的操作可能没有完成，请检查后重试。" + where
        )
        box.setDetailedText(text)
        box.exec()

    sys.excepthook = hook
