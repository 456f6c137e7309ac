"""Start-up: BRANCHDESK_QUIT_AFTER_PAINT for timing a real start as a fresh process."""

from __future__ import annotations

import os
import subprocess
import sys


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
    """sqlite-utils (and click, dateutil, pluggy, tabulate: ~70 ms) is for migrations and
    the table API only: opening an up-to-date book and counting its roll imports none."""
    path = demo_book.path
    demo_book.close(backup=False)
    code = (
        "import sys, datetime as dt\n"
        "from branchdesk.store import open_book\n"
        f"book = open_book({str(path)!r})\n"
        "book.roster.counts_on(dt.date.today()); book.branch.groups(); book.close(backup=False)\n"
        "print(sorted(m for m in ('sqlite_utils', 'click', 'dateutil', 'pluggy', 'tabulate')"
        " if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
