"""The Qt binding must not leak references to None.

PySide6 6.12.0 on Python 3.11 decrements None's reference count on every call of a Qt
method that returns void; after a few thousand calls the interpreter aborts with
"none_dealloc" — in a secretary's session, after some minutes of typing. pyproject.toml
excludes that version; this test fails if a future upgrade brings the bug back.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_void_qt_calls_do_not_consume_none(qtbot):
    label = QLabel("x")
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(200):
        label.update()
        label.setText("党支部")
    after = sys.getrefcount(None)
    # Immortal None (3.12+) reports a constant huge count; elsewhere it must not fall.
    assert after >= before - 20
