"""Start-up wiring: parse args → Qt → fonts/translator → find or create the book →
lock → (the password of a book that has one) → open (check version, back up, migrate) →
show the window (with the idle lock)."""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from branchdesk import APP_TITLE


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="branchdesk", description=APP_TITLE)
    p.add_argument("--data", metavar="FILE", help="账簿文件")
    p.add_argument("--demo", action="store_true", help="打开一份全新的演示账簿")
    return p.parse_args(argv)


def setup_qt(argv: list[str]):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
    from PySide6.QtWidgets import QApplication

    from branchdesk.ui.fonts import apply_app_font, ensure_cjk_font

    app = QApplication.instance() or QApplication(argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("branchdesk")
    app.setApplicationDisplayName(APP_TITLE)
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load("qtbase_zh_CN", folder):
        app.installTranslator(translator)
    from branchdesk.ui.translations import MissingStrings

    missing = MissingStrings(app)  # the file dialog's strings qtbase_zh_CN lacks
    app.installTranslator(missing)
    apply_app_font(app, ensure_cjk_font())
    from branchdesk.ui.widgets import ScreenFitter

    fitter = ScreenFitter(app)  # every window and dialog stays inside the screen
    app.installEventFilter(fitter)
    app.setProperty("bd_fitter", fitter)
    return app


def demo_path() -> Path:
    """A fresh demo book each time, apart from the user's own."""
    return Path(tempfile.mkdtemp(prefix="branchdesk-demo-")) / "演示账簿.db"


def choose_book(default: Path) -> tuple[Path, str] | None:
    """First start (or the last book is gone): ask, offering the books opened here before.
    Returns (path, how) with how in create/demo/open, or None."""
    from branchdesk.paths import recent_books
    from branchdesk.ui.first_start import FirstStartDialog

    dialog = FirstStartDialog(default, recent=recent_books())
    if not dialog.exec() or dialog.choice is None:
        return None
    if dialog.choice == FirstStartDialog.CREATE:
        from branchdesk.store import create_book

        create_book(default, dialog.branch_name.text(), dialog.parent_org.text()).close(
            backup=False
        )
        return default, "create"
    if dialog.choice == FirstStartDialog.DEMO:
        from branchdesk.demo import create_demo_book

        path = demo_path()
        create_demo_book(path).close(backup=False)
        return path, "demo"
    assert dialog.open_path is not None
    return dialog.open_path, "open"


def open_with_password(path: Path):  # type: ignore[no-untyped-def]  # -> Book | None
    """Open the book; a book with a password (账簿密码) is opened after asking for it.
    None when the user gave up (the refusal was said)."""
    from PySide6.QtWidgets import QMessageBox

    from branchdesk.store import open_book
    from branchdesk.store.errors import PasswordRequiredError
    from branchdesk.ui.password import ask_to_unlock

    # The full integrity check runs after the first paint (MainWindow); the inspection that
    # decides whether the file may be opened at all runs here.
    try:
        return open_book(path, full_check=False)
    except PasswordRequiredError as exc:
        if not ask_to_unlock(path, str(exc)):
            QMessageBox.critical(None, "无法打开账簿", str(exc))
            return None
    return open_book(path, full_check=False)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    app = setup_qt(sys.argv[:1])

    from PySide6.QtWidgets import QMessageBox

    from branchdesk.paths import default_book_path, log_dir, remember_book, start_book_path
    from branchdesk.store import BookError
    from branchdesk.store.lock import BookLock
    from branchdesk.ui.errors import install_excepthook, setup_logging

    if args.demo:
        from branchdesk.demo import create_demo_book

        path = demo_path()
        create_demo_book(path).close(backup=False)
    else:
        path = start_book_path(args.data)
        if not path.exists():
            chosen = choose_book(default_book_path(args.data))
            if chosen is None:
                return 0
            path = chosen[0]

    install_excepthook(setup_logging(log_dir(path)))
    lock = BookLock(path)
    try:
        lock.acquire()
        book = open_with_password(path)
        if book is None:
            lock.release()
            return 1
    except BookError as exc:
        QMessageBox.critical(None, "无法打开账簿", str(exc))
        lock.release()
        return 1

    from branchdesk.ui.main_window import MainWindow

    demo = args.demo or "branchdesk-demo-" in str(path)
    if not demo:
        remember_book(path)  # the next start opens it again, wherever it is
        from branchdesk.paths import is_marked_encrypted, mark_encrypted
        from branchdesk.store import cipher

        encrypted = cipher.book_is_encrypted(book)
        if encrypted != is_marked_encrypted(path):  # set or removed elsewhere (the CLI)
            mark_encrypted(path, encrypted)
    window = MainWindow(book, demo=demo)
    window.show()
    from branchdesk.ui.idle_lock import IdleLock

    window.idle_lock = IdleLock(window, book)  # type: ignore[attr-defined]
    from PySide6.QtCore import QTimer

    from branchdesk.ui.draft_offer import offer_drafts

    QTimer.singleShot(0, window, lambda: offer_drafts(window, book))
    try:
        return app.exec()
    finally:
        lock.release()


if __name__ == "__main__":
    sys.exit(main())
