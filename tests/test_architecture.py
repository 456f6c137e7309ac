"""The house rules that no linter sees: the facade owns the connection, and an area is
picked up by the shell from the registry alone."""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "branchdesk"


def test_nothing_outside_store_reaches_the_connection():
    offenders = []
    for path in SRC.rglob("*.py"):
        if path.is_relative_to(SRC / "store"):
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if re.search(r"\bbook\.db\b|\.db\.(conn|execute|atomic|query|table)\b", line):
                offenders.append(f"{path.relative_to(SRC)}:{n}: {line.strip()}")
    assert offenders == []


@pytest.fixture
def extra_area(monkeypatch):
    """A made-up area declared the way a real one is, and registered in one place."""
    from branchdesk.areas import Area, Reminder, Target, registry

    module = types.ModuleType("branchdesk_test_dues")
    calls: list[str] = []

    def register(sub):
        dues = sub.add_parser("dues", help="党费（测试）")
        dues.set_defaults(run=lambda book, args: calls.append("run") or 0)

    def reminders(book, today):
        return [Reminder("党费未交", "测试提醒", Target("dues"))]

    module.register = register
    module.reminders = reminders
    monkeypatch.setitem(sys.modules, "branchdesk_test_dues", module)
    area = Area(
        key="dues",
        title="党费",
        placeholder="测试用的区域",
        cli="branchdesk_test_dues",
        reminders="branchdesk_test_dues:reminders",
    )
    monkeypatch.setattr(registry, "AREAS", (*registry.AREAS, area))
    for name in ("branchdesk.cli", "branchdesk.ui.main_window", "branchdesk.ui.dashboard"):
        if name in sys.modules:
            monkeypatch.setattr(sys.modules[name], "AREAS", registry.AREAS, raising=False)
    return calls


def test_an_area_in_the_registry_gets_its_command(extra_area, tmp_path):
    from branchdesk import cli
    from branchdesk.store import create_book

    path = tmp_path / "b.db"
    create_book(path, "测试党支部").close(backup=False)
    assert cli.main(["--data", str(path), "dues"]) == 0
    assert extra_area == ["run"]


def test_an_area_in_the_registry_gets_its_page_and_reminders(extra_area, qtbot, book):
    from branchdesk.ui.main_window import MainWindow

    w = MainWindow(book)
    qtbot.addWidget(w)
    w.dashboard.start()  # the window does this after its first paint
    assert "党费" in w.nav_titles
    qtbot.waitUntil(lambda: "党费未交" in w.dashboard.group_counts(), timeout=5000)
    w.show_page("dues")
    assert w.nav_titles[w.stack.currentIndex()] == "党费"
