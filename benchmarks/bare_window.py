"""The start-up yardstick: a bare PySide6 window (QMainWindow + QLabel, the same size and
title as branchdesk's) that quits right after its first paint, as branchdesk does under
BRANCHDESK_QUIT_AFTER_PAINT=1.

    QT_QPA_PLATFORM=offscreen python benchmarks/bare_window.py
"""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow


class Window(QMainWindow):
    painted = False

    def paintEvent(self, event):  # noqa: N802
        super().paintEvent(event)
        if not self.painted:
            self.painted = True
            QTimer.singleShot(0, self.painted_once)

    def painted_once(self) -> None:
        print(f"first paint at {time.monotonic():.6f}", file=sys.stderr, flush=True)
        QApplication.quit()


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = Window()
    window.setWindowTitle("党支部工作台")
    window.setCentralWidget(QLabel("党支部工作台"))
    window.resize(1180, 720)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
