"""Shared fixtures. Qt runs headless: without a display it would abort."""

from __future__ import annotations

import contextlib
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The name set for this PC (the audit trail's "who") lives in a per-PC file: never the
# real one of whoever runs the tests.
import tempfile  # noqa: E402

os.environ["BRANCHDESK_OPERATOR_FILE"] = os.path.join(tempfile.mkdtemp(), "operator.json")

import datetime as dt  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

settings.register_profile("ci", deadline=None, max_examples=60)
settings.load_profile("ci")


@pytest.fixture(autouse=True)
def _private_recent_list(tmp_path_factory, monkeypatch):
    """The recent-books list of a test run is its own, never the user's."""
    monkeypatch.setenv("BRANCHDESK_RECENT", str(tmp_path_factory.mktemp("cfg") / "recent.json"))


@pytest.fixture(autouse=True)
def _no_job_outlives_its_test():
    """A background job a test started (a backup on close, a full check of the file) ends
    before the next test begins: no test's job runs on beside another test's widgets. Only
    when Qt was imported (the test used it)."""
    yield
    import sys

    if "PySide6.QtCore" in sys.modules:
        from PySide6.QtCore import QThreadPool

        QThreadPool.globalInstance().waitForDone(30_000)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item):
    """A main window still open when its test ends is closed without its backup on close,
    before pytest-qt closes and deletes it: that backup would run on a worker while the
    test's book and fixtures are torn down, and its answer — a message box on a window
    already handed to ``deleteLater`` — would open a nested event loop in which the window
    is deleted under it (the suite aborted so, now and then). The tests of closing close
    their window themselves and wait for it."""
    import sys

    module = sys.modules.get("branchdesk.ui.main_window")
    for ref, _before_close in getattr(item, "qt_widgets", ()):  # pytest-qt's own list
        window = ref()
        open_window = module is not None and isinstance(window, module.MainWindow)
        if open_window and not (window._closing or window._closed):
            window._finish_close()
    return (yield)


@pytest.fixture
def book_path(tmp_path: Path) -> Path:
    return tmp_path / "book.db"


@pytest.fixture
def book(book_path: Path):
    from branchdesk.store import create_book

    b = create_book(book_path, "测试党支部", "测试机关党委")
    yield b
    with contextlib.suppress(Exception):  # already closed by the test
        b.close(backup=False)


@pytest.fixture
def demo_book(tmp_path: Path):
    from branchdesk.areas.roster.demo import DEMO_WRITTEN_FOR
    from branchdesk.demo import create_demo_book

    # The tests read the demo as it was written; tests/test_demo.py checks other days.
    b = create_demo_book(tmp_path / "demo.db", today=DEMO_WRITTEN_FOR)
    yield b
    with contextlib.suppress(Exception):
        b.close(backup=False)


@pytest.fixture
def today() -> dt.date:
    return dt.date.today()
