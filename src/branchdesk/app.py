"""Start-up wiring: parse args → Qt → fonts/translator → find or create the book →
lock → (the password of a book that has one) → open (check version, back up, migrate) →
show the window (with the idle lock)."""

from __future__ import annotations

import argparse
import gc
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


def setup_qt(argv: list[str], *, complete: bool = True):  # type: ignore[no-untyped-def]
    """The application with its body font; with ``complete`` also the rest of
    `finish_qt_setup` (the Chinese locale and translations, the screen fitter).

    ``main`` finishes the set-up only after the main window's first paint — or before the
    first dialog it shows instead (choosing a book, a password, a refusal): the first
    picture shows none of Qt's own strings, and setting up the rest makes PySide build the
    Python types of QLocale, QLibraryInfo and every internal widget (~15 ms)."""
    from PySide6.QtWidgets import QApplication

    from branchdesk.ui.qtimports import speed_up_feature_check

    speed_up_feature_check()  # before the first of the program's Qt modules
    from branchdesk.ui.fonts import apply_app_font, ensure_cjk_font

    app = QApplication.instance() or QApplication(argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("branchdesk")
    app.setApplicationDisplayName(APP_TITLE)
    apply_app_font(app, ensure_cjk_font())
    if complete:
        finish_qt_setup(app)
    return app


def finish_qt_setup(app) -> None:  # type: ignore[no-untyped-def]
    """Chinese throughout (the default locale, Qt's translations and the strings they
    lack) and the screen fitter. Once per application; later calls do nothing."""
    if app.property("bd_setup_finished"):
        return
    app.setProperty("bd_setup_finished", True)
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load("qtbase_zh_CN", folder):
        app.installTranslator(translator)
    from branchdesk.ui.translations import MissingStrings

    missing = MissingStrings(app)  # the file dialog's strings qtbase_zh_CN lacks
    app.installTranslator(missing)
    install_screen_fitter(app)


def install_screen_fitter(app) -> None:  # type: ignore[no-untyped-def]
    """Every window and dialog stays inside the screen (an application-wide event filter)."""
    from branchdesk.ui.screen import ScreenFitter

    fitter = ScreenFitter(app)
    app.installEventFilter(fitter)
    app.setProperty("bd_fitter", fitter)


def _finish_before_dialog() -> None:
    gc.enable()  # see main(); the window's collector takes over later
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is not None:
        finish_qt_setup(app)


def demo_path() -> Path:
    """A fresh demo book each time, apart from the user's own."""
    return Path(tempfile.mkdtemp(prefix="branchdesk-demo-")) / "演示账簿.db"


def choose_book(default: Path) -> tuple[Path, str] | None:
    """First start (or the last book is gone): ask, offering the books opened here before.
    Returns (path, how) with how in create/demo/open, or None."""
    from branchdesk.paths import recent_books
    from branchdesk.ui.first_start import FirstStartDialog

    _finish_before_dialog()

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
    from branchdesk.store import open_book
    from branchdesk.store.errors import PasswordRequiredError

    # The full integrity check runs after the first paint (MainWindow); the inspection that
    # decides whether the file may be opened at all runs here.
    try:
        return open_book(path, full_check=False)
    except PasswordRequiredError as exc:
        _finish_before_dialog()
        from PySide6.QtWidgets import QMessageBox

        from branchdesk.ui.password import ask_to_unlock

        if not ask_to_unlock(path, str(exc)):
            QMessageBox.critical(None, "无法打开账簿", str(exc))
            return None
    return open_book(path, full_check=False)


def _import_before_qt() -> None:
    """Import the part of the program that does not use Qt before Qt itself.

    Once PySide6 is imported, every module imported after it is read back as source text
    (PySide checks whether it opts into its ``__feature__`` switches): ~0.12 ms a module,
    ~12 ms for the store, the areas and the standard modules they use. Imported first,
    they are not read."""
    import branchdesk.areas.registry
    import branchdesk.logfiles
    import branchdesk.paths
    import branchdesk.store
    import branchdesk.store.glance  # noqa: F401  (the 工作台's counts)
    import branchdesk.ui.qtimports  # noqa: F401  (used once Qt is imported)


def main(argv: Sequence[str] | None = None) -> int:
    # No cyclic garbage collection while starting: importing Qt and the program allocates
    # a great deal and nothing of it is garbage (~6 ms of collections). From the first
    # paint on, the first background job installs the collector that collects on the GUI
    # thread (ui/tasks.py); a dialog shown instead of the window turns it back on.
    gc.disable()
    args = parse_args(sys.argv[1:] if argv is None else argv)
    _import_before_qt()
    app = setup_qt(sys.argv[:1], complete=False)

    from branchdesk.paths import default_book_path, log_dir, start_book_path
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
        _finish_before_dialog()
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(None, "无法打开账簿", str(exc))
        lock.release()
        return 1

    from branchdesk.ui.main_window import MainWindow

    demo = args.demo or "branchdesk-demo-" in str(path)
    window = MainWindow(book, demo=demo)
    # What the first picture does not need waits for it: remembering the book for the
    # next start; the Chinese locale, Qt's translations and the screen fitter (the window
    # fits itself; the fitter's application-wide event filter first meets Qt's internal
    # widgets and makes PySide build their Python types, ~30 ms); the idle lock (its
    # filter too); and the offer of drafts left by a crash (a dialog over the window).
    if not demo:
        window.when_painted(lambda: _remember(path, book))
    window.when_painted(lambda: finish_qt_setup(app))
    window.when_painted(lambda: _start_idle_lock(window, book))
    window.when_painted(lambda: _offer_drafts(window, book))
    window.show()
    try:
        return app.exec()
    finally:
        from branchdesk.ui.tasks import wait_for_jobs

        wait_for_jobs()
        lock.release()


def _remember(path: Path, book) -> None:  # type: ignore[no-untyped-def]
    """The next start opens this book again, wherever it is, and the list of books knows
    whether it has a password (set or removed elsewhere, e.g. by the command line)."""
    from branchdesk.paths import is_marked_encrypted, mark_encrypted, remember_book
    from branchdesk.store import cipher

    remember_book(path)
    if book.closed:
        return
    encrypted = cipher.book_is_encrypted(book)
    if encrypted != is_marked_encrypted(path):
        mark_encrypted(path, encrypted)


def _start_idle_lock(window, book) -> None:  # type: ignore[no-untyped-def]
    from branchdesk.ui.idle_lock import IdleLock

    window.idle_lock = IdleLock(window, book)


def _offer_drafts(window, book) -> None:  # type: ignore[no-untyped-def]
    from branchdesk.ui.draft_offer import offer_drafts

    offer_drafts(window, book)


if __name__ == "__main__":
    sys.exit(main())
