"""A global exception hook: log to the data folder, show a readable dialog, keep running."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication

log = logging.getLogger("branchdesk")


def setup_logging(folder: Path) -> Path:
    """The data folder's log: folder 0700, file 0600 (see branchdesk.logfiles)."""
    from branchdesk.logfiles import add_file_handler

    return add_file_handler(folder)


def install_excepthook(log_path: Path | None) -> None:
    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        from branchdesk.logfiles import describe_failure
        from branchdesk.store import BookError

        if issubclass(exc_type, BookError) and QApplication.instance() is not None:
            # Busy, disk full, read-only …: not a bug. Say it plainly; nothing was half done
            # (the action's transaction was rolled back).
            log.warning("操作未完成：%s", exc_type.__name__)
            from PySide6.QtWidgets import QMessageBox

            box = QMessageBox(QMessageBox.Icon.Warning, "未完成", f"刚才的操作没有完成：{exc}")
            box.exec()
            return
        text = "".join(traceback.format_exception(exc_type, exc, tb))
        # The log gets where it failed, not the message: that may hold personal data.
        # The dialog (on the user's own screen) shows the whole text.
        log.error("未处理的错误：\n%s", describe_failure(exc_type, exc, tb))
        if QApplication.instance() is None:
            sys.__excepthook__(exc_type, exc, tb)
            return
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Critical, "程序出错", "程序遇到了一个意外错误。")
        where = f"\n详细信息已记录到：{log_path}" if log_path else ""
        box.setInformativeText(
            "已保存的记录不受影响：每次保存都已立即写入账簿。"
            "刚才的操作可能没有完成，请检查后重试。" + where
        )
        box.setDetailedText(text)
        box.exec()

    sys.excepthook = hook
