"""Two small charts of the 积分管理 page, painted directly (no chart library): how many
members fall in each band this period, and one member's totals over the year's periods."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from branchdesk.domain.points import format_points

BAR = QColor("#c0392b")
MUTED = QColor("#999999")


class _Chart(QWidget):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.setMinimumHeight(150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def _frame(self, painter: QPainter) -> QRectF:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = painter.fontMetrics()
        painter.drawText(4, fm.ascent() + 2, self.title)
        top = fm.height() + 8
        return QRectF(8, top, self.width() - 16, self.height() - top - 2 * fm.height() - 6)


class BandChart(_Chart):
    """Members per band: (band, count) in the rule set's order."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("等次分布", parent)
        self.counts: list[tuple[str, int]] = []

    def set_counts(self, counts: Sequence[tuple[str, int]]) -> None:
        self.counts = list(counts)
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        area = self._frame(painter)
        if not self.counts:
            painter.setPen(MUTED)
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, "无数据")
            return
        most = max((c for _, c in self.counts), default=0) or 1
        slot = area.width() / len(self.counts)
        fm = painter.fontMetrics()
        for n, (band, count) in enumerate(self.counts):
            h = area.height() * count / most
            x = area.left() + n * slot + slot * 0.2
            bar = QRectF(x, area.bottom() - h, slot * 0.6, h)
            painter.fillRect(bar, BAR)
            painter.setPen(Qt.GlobalColor.black)
            label = QRectF(area.left() + n * slot, area.bottom() + 2, slot, fm.height())
            painter.drawText(label, Qt.AlignmentFlag.AlignCenter, band)
            value = QRectF(
                area.left() + n * slot, area.bottom() + 2 + fm.height(), slot, fm.height()
            )
            painter.drawText(value, Qt.AlignmentFlag.AlignCenter, f"{count}人")


class TrendChart(_Chart):
    """One member's totals per period: (label, tenths or None when not scored)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("个人积分走势", parent)
        self.points: list[tuple[str, int | None]] = []

    def set_points(self, title: str, points: Sequence[tuple[str, int | None]]) -> None:
        self.title = title
        self.points = list(points)
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        area = self._frame(painter)
        values = [v for _, v in self.points if v is not None]
        if not values:
            painter.setPen(MUTED)
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, "在左侧选择党员")
            return
        # A band around the values (5 points below, 2 above), so small moves are visible.
        low, high = min(values) - 50, max(values) + 20
        fm0 = painter.fontMetrics()
        area = area.adjusted(0, fm0.height() + 4, 0, 0)  # room for the value labels
        slot = area.width() / len(self.points)
        fm = painter.fontMetrics()
        previous = None
        painter.setPen(QPen(BAR, 2))
        for n, (label, value) in enumerate(self.points):
            x = area.left() + (n + 0.5) * slot
            painter.setPen(Qt.GlobalColor.black)
            painter.drawText(
                QRectF(x - slot / 2, area.bottom() + 2, slot, fm.height()),
                Qt.AlignmentFlag.AlignCenter,
                label,
            )
            if value is None:
                previous = None
                continue
            y = area.bottom() - area.height() * (value - low) / (high - low)
            painter.setPen(QPen(BAR, 2))
            if previous is not None:
                painter.drawLine(int(previous[0]), int(previous[1]), int(x), int(y))
            painter.setBrush(BAR)
            painter.drawEllipse(QRectF(x - 3, y - 3, 6, 6))
            painter.setPen(Qt.GlobalColor.black)
            painter.drawText(
                QRectF(x - slot / 2, y - fm.height() - 4, slot, fm.height()),
                Qt.AlignmentFlag.AlignCenter,
                format_points(value),
            )
            previous = (x, y)
