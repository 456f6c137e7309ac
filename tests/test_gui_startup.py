"""Start-up: the window first, then (after its first paint) the full integrity check and
the reminders, both in the background; BRANCHDESK_QUIT_AFTER_PAINT for timing a real
start."""

from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtWidgets import QMessageBox

from branchdesk.ui.main_window import MainWindow


def test_reminders_and_check_wait_for_the_first_paint(qtbot, demo_book):
    w = MainWindow(demo_book)
    qtbot.addWidget(w)
    assert w.integrity_problems is None and w.dashboard.reminders == []
    assert "在册党员" in w.dashboard.facts.text()
    w.show()
    qtbot.waitUntil(lambda: w.integrity_problems == [], timeout=5000)
    qtbot.waitUntil(lambda: bool(w.dashboard.reminders), timeout=5000)


def corrupt_a_member_page(path):
    """Overwrite a page of the member index: the file still opens, quick_check fails."""
    import sqlite3

    conn = sqlite3.connect(path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'member'").fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    offset = root * page_size  # the page after the table's root
    data[offset + 8 : offset + page_size - 96] = b"\xab" * (page_size - 104)
    path.write_bytes(bytes(data))


def open_damaged_book(tmp_path, monkeypatch):
    """A 300-member book with a damaged member page, opened as the window opens it (the
    inspection alone lets it open); (book, the critical messages shown)."""
    from branchdesk.areas.roster.demo import populate_large
    from branchdesk.store import create_book, open_book

    path = tmp_path / "book.db"
    book = create_book(path, "测试党支部")
    populate_large(book, 300)
    book.close(backup=False)
    corrupt_a_member_page(path)
    shown: list = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: shown.append(a[1:3]))
    return open_book(path, full_check=False), shown


def test_a_damaged_book_is_reported_loudly_after_the_first_paint(qtbot, tmp_path, monkeypatch):
    book, shown = open_damaged_book(tmp_path, monkeypatch)
    try:
        w = MainWindow(book)
        qtbot.addWidget(w)
        w.show()
        qtbot.waitUntil(lambda: bool(shown), timeout=10000)
        assert shown[0][0] == "账簿已损坏" and "校验失败" in shown[0][1]
        assert w.integrity_problems
        assert "校验失败" in w.statusBar().currentMessage()
    finally:
        book.close(backup=False)


def test_quit_after_paint_starts_for_real_and_writes_no_backup(demo_book):
    from branchdesk.store.backup import backup_dir_for

    path = demo_book.path
    demo_book.close(backup=False)
    env = dict(os.environ, BRANCHDESK_QUIT_AFTER_PAINT="1", QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-m", "branchdesk.app", "--data", str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "first paint at " in done.stderr
    folder = backup_dir_for(path)
    assert not folder.exists() or not any(folder.iterdir())


def test_opening_a_book_does_not_import_sqlite_utils(demo_book):
    """sqlite-utils (and click, dateutil, pluggy, tabulate: ~70 ms) is for migrations only."""
    path = demo_book.path
    demo_book.close(backup=False)
    code = (
        "import sys, datetime as dt\n"
        "from branchdesk.store import open_book\n"
        f"book = open_book({str(path)!r}, full_check=False)\n"
        "book.roster.counts_on(dt.date.today()); book.branch.groups(); book.close(backup=False)\n"
        "print(sorted(m for m in ('sqlite_utils', 'click', 'dateutil', 'pluggy', 'tabulate')"
        " if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_damaged_book_is_not_backed_up_on_close(qtbot, tmp_path, monkeypatch):
    """The check before the backup on close: a damaged book must not rotate a good backup
    out; the user is told why there was no backup."""
    from branchdesk.store.backup import backup_dir_for

    book, shown = open_damaged_book(tmp_path, monkeypatch)
    path = book.path
    w = MainWindow(book)
    qtbot.addWidget(w)
    book.settings.set("freq.党课", "quarter")  # something changed: a backup would be due
    assert book.changed_since_backup
    w.close()
    qtbot.waitUntil(lambda: book.closed, timeout=10000)
    assert any(title == "账簿已损坏，未备份" for title, _text in shown)
    folder = backup_dir_for(path)
    assert not folder.exists() or not any(folder.iterdir())


def test_open_hooks_wait_for_the_first_paint_but_never_for_a_write(qtbot, tmp_path, monkeypatch):
    """The archive's triggers and the operator's name are installed after the first paint
    — or before the first write, if a write comes sooner: nothing is ever written without
    its audit trail naming who wrote it."""
    import datetime as dt
    import json

    from branchdesk.domain.members import Category, Member
    from branchdesk.store import create_book

    operator = tmp_path / "operator.json"
    operator.write_text(json.dumps({"name": "李书记"}), encoding="utf-8")
    monkeypatch.setenv("BRANCHDESK_OPERATOR_FILE", str(operator))
    book = create_book(tmp_path / "book.db", "测试党支部")
    try:
        w = MainWindow(book)
        qtbot.addWidget(w)
        assert book.archive.actor() == ""  # not yet: the window has not been painted
        book.roster.add(
            Member(name="王小红", category=Category.FULL, join_date=dt.date(2010, 7, 1))
        )
        assert book.archive.actor() == "李书记"
        added = [e for e in book.archive.audit() if e.table == "member"]
        assert [(e.action, e.who) for e in added] == [("新增", "李书记")]
        w.show()  # after the first paint the hooks do not run twice
        qtbot.waitUntil(lambda: w.integrity_problems == [], timeout=5000)
        assert not book.writer.before_first_write
    finally:
        book.close(backup=False)


def test_a_window_painted_first_installs_the_hooks_without_a_write(qtbot, tmp_path, monkeypatch):
    import json

    from branchdesk.store import create_book

    operator = tmp_path / "operator.json"
    operator.write_text(json.dumps({"name": "赵委员"}), encoding="utf-8")
    monkeypatch.setenv("BRANCHDESK_OPERATOR_FILE", str(operator))
    book = create_book(tmp_path / "book.db", "测试党支部")
    try:
        w = MainWindow(book)
        qtbot.addWidget(w)
        w.show()
        qtbot.waitUntil(lambda: book.archive.actor() == "赵委员", timeout=5000)
        assert not book.writer.before_first_write
    finally:
        book.close(backup=False)


FIRST_PAINT_PROBE = r"""
import json, sys
from PySide6.QtCore import QLocale, QTimer
from PySide6.QtWidgets import QApplication
import branchdesk.app
import branchdesk.ui.main_window as mw

seen = {}
after = mw.MainWindow._after_first_paint

def probe(self):
    app = QApplication.instance()
    seen["at_paint"] = [bool(app.property("bd_setup_finished")), hasattr(self, "idle_lock"),
                        self.book.archive.actor()]
    after(self)
    seen["after"] = [bool(app.property("bd_setup_finished")), hasattr(self, "idle_lock"),
                     self.book.archive.actor(), QLocale().name(),
                     app.property("bd_fitter") is not None]
    print(json.dumps(seen), flush=True)
    QTimer.singleShot(0, lambda: QApplication.exit(0))

mw.MainWindow._after_first_paint = probe
sys.exit(branchdesk.app.main(["--data", sys.argv[1]]))
"""


def test_the_real_start_defers_what_the_first_picture_does_not_need(demo_book, tmp_path):
    """`branchdesk` as started: at the first paint the locale, translations, screen fitter,
    idle lock and the archive's open hooks are not there yet; right after it they are."""
    import json

    path = demo_book.path
    demo_book.close(backup=False)
    operator = tmp_path / "operator.json"
    operator.write_text(json.dumps({"name": "钱书记"}), encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", BRANCHDESK_OPERATOR_FILE=str(operator))
    env.pop("BRANCHDESK_QUIT_AFTER_PAINT", None)
    done = subprocess.run(
        [sys.executable, "-c", FIRST_PAINT_PROBE, str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["at_paint"][:2] == [False, False] and seen["at_paint"][2] != "钱书记"
    assert seen["after"] == [True, True, "钱书记", "zh_CN", True]


def test_a_book_without_a_password_opens_without_sqlcipher_and_its_errors_are_still_caught(
    demo_book,
):
    """SQLCipher's own SQLite (~5 ms to load) is loaded only when needed; every error tuple
    names its classes as soon as anything reads or binds one."""
    path = demo_book.path
    demo_book.close(backup=False)
    code = (
        "import sys, datetime as dt, sqlite3\n"
        "from branchdesk.store import open_book\n"
        f"book = open_book({str(path)!r}, full_check=False)\n"
        "book.at_a_glance(dt.date.today()); book.title()\n"
        "print('sqlcipher3' in sys.modules)\n"
        "from branchdesk.store.connection import ERRORS, DATABASE_ERRORS\n"
        "import sqlcipher3.dbapi2 as c\n"
        "print(c.Error in ERRORS and sqlite3.Error in ERRORS"
        " and c.DatabaseError in DATABASE_ERRORS)\n"
        "from branchdesk.store import connection, sqlerrors\n"
        "print(c.IntegrityError in connection.INTEGRITY_ERRORS)\n"
        "print(sqlerrors.is_disk_full(c.OperationalError('x')) is False)\n"
        "book.close(backup=False)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True", "True", "True"]
