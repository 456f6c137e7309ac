"""设置 → 打印字体: pick the font of each role (标题/正文/黑体/楷体/宋体), see a sample.

The fonts found on this machine are listed in the background (scanning the font folders
can take a moment); "自动" lets the printing engine choose (system 仿宋/宋体/黑体/楷体, else
the bundled WenQuanYi Micro Hei).
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from branchdesk.store import Book
from branchdesk.ui.tasks import run_in_background

ROLES = ("标题", "正文", "黑体", "楷体", "宋体")
SAMPLE = "中国共产党党支部工作条例 2025年12月1日"
AUTO = ""


def _scan() -> list[object]:
    from branchdesk.printing.fonts import available_fonts, refresh

    refresh()  # newly installed fonts show up on 重新查找字体
    return list(available_fonts())


class FontSettings(QWidget):
    def __init__(self, book: Book, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.choices: list[object] = []
        self.loaded = False
        self.combos: dict[str, QComboBox] = {}
        self.samples: dict[str, QLabel] = {}
        self.status = QLabel("正在查找本机字体…")
        self.status.setWordWrap(True)
        grid = QGridLayout()
        for row, role in enumerate(ROLES):
            combo = QComboBox()
            combo.setMinimumWidth(340)
            combo.addItem("自动（推荐）", AUTO)
            combo.setEnabled(False)
            combo.currentIndexChanged.connect(lambda _i, r=role: self._changed(r))
            sample = QLabel(SAMPLE)
            sample.setMinimumHeight(34)
            self.combos[role], self.samples[role] = combo, sample
            grid.addWidget(QLabel(role), row, 0)
            grid.addWidget(combo, row, 1)
            grid.addWidget(sample, row, 2)
        grid.setColumnStretch(2, 1)
        self.rescan = QPushButton("重新查找字体")
        self.rescan.clicked.connect(self.load)
        layout = QVBoxLayout(self)
        note = QLabel(
            "打印的公文按 GB/T 9704：标题用小标宋（无则黑体），正文用仿宋。"
            "字体会嵌入 PDF，换一台电脑打开也一样。"
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addLayout(grid)
        layout.addWidget(self.status)
        layout.addWidget(self.rescan)
        layout.addStretch()

    def showEvent(self, event: object) -> None:  # noqa: N802
        if not self.loaded:
            self.loaded = True
            self.load()
        super().showEvent(event)  # type: ignore[arg-type]

    def load(self) -> None:
        self.status.setText("正在查找本机字体…")
        run_in_background(self, _scan, self._fill, lambda exc: self.status.setText(str(exc)))

    def _fill(self, choices: list[object]) -> None:
        self.choices = [c for c in choices if getattr(c, "usable", False)]
        saved = self.book.settings.all("font.")
        for role, combo in self.combos.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("自动（推荐）", AUTO)
            for c in self.choices:
                label = f"{c.family}（{c.path.name}）" + ("（程序自带）" if c.bundled else "")  # type: ignore[attr-defined]
                combo.addItem(label, c.key)  # type: ignore[attr-defined]
            index = combo.findData(saved.get(f"font.{role}", AUTO))
            combo.setCurrentIndex(max(index, 0))
            combo.setEnabled(True)
            combo.blockSignals(False)
            self._show_sample(role)
        unusable = len(choices) - len(self.choices)
        self.status.setText(
            f"找到可用的中文字体 {len(self.choices)} 种"
            + (
                f"；另有 {unusable} 种无法嵌入（如 OpenType/CFF 字体），未列出。"
                if unusable
                else "。"
            )
        )

    def _changed(self, role: str) -> None:
        self.book.settings.set(f"font.{role}", self.combos[role].currentData() or AUTO)
        self._show_sample(role)

    def _show_sample(self, role: str) -> None:
        key = self.combos[role].currentData()
        label = self.samples[role]
        if not key:
            label.setFont(QFont())
            label.setText(SAMPLE + "（自动选择）")
            return
        path = key.split("#")[0]
        font_id = QFontDatabase.addApplicationFont(path)
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        font = QFont(families[0]) if families else QFont()
        font.setPointSize(16 if role != "标题" else 20)
        label.setFont(font)
        label.setText(SAMPLE)
