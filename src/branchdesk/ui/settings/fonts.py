"""设置 → 打印字体: which font each role (标题/正文/黑体/楷体/宋体) prints in and why; pick
another, see a sample.

The fonts of this machine are looked for in the background (scanning the font folders can
take a moment), and so is the choice the printing engine makes with the saved preferences:
each role then says which font it uses and why — "本机的 仿宋_GB2312", "附带的 AR PL UMing
CN，本机没有仿宋" — so a secretary sees before printing that the body will not be in 仿宋. The
sample under each role is drawn by Qt, which falls back on its own for any character a font
lacks: it always shows something.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from branchdesk.store import Book
from branchdesk.ui.tasks import run_in_background

ROLES = ("标题", "正文", "黑体", "楷体", "宋体")
SAMPLE = "中国共产党党支部工作条例 2025年12月1日"
AUTO = ""


@dataclass(frozen=True)
class Scan:
    """What the background look-up found: the usable fonts, how many could not be used, and
    per role the font the printing engine takes with the saved preferences and why."""

    choices: list[object]
    unusable: int
    reasons: dict[str, str]
    families: dict[str, str]
    files: dict[str, str]  # role → the chosen font's key (path, #index), for the sample
    notes: list[str]


def _resolve(prefs: dict[str, str], *, rescan: bool) -> Scan:
    from branchdesk.printing.fonts import available_fonts, refresh, resolve_fonts

    if rescan:
        refresh()  # newly installed fonts show up on 重新查找字体
    found = list(available_fonts())
    fonts = resolve_fonts(prefs or None)
    usable: list[object] = [c for c in found if c.usable]
    return Scan(
        usable,
        len(found) - len(usable),
        dict(fonts.reasons),
        {role: f.family for role, f in fonts.fonts.items()},
        {r: f"{f.path}#{f.index}" if f.index else str(f.path) for r, f in fonts.fonts.items()},
        list(fonts.notes),
    )


class FontSettings(QWidget):
    def __init__(self, book: Book, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.choices: list[object] = []
        self.loaded = False
        self.combos: dict[str, QComboBox] = {}
        self.samples: dict[str, QLabel] = {}
        self.reasons: dict[str, QLabel] = {}
        self._files: dict[str, str] = {}
        self.status = QLabel("正在查找本机字体…")
        self.status.setWordWrap(True)
        grid = QGridLayout()
        for row, role in enumerate(ROLES):
            combo = QComboBox()
            combo.setMinimumWidth(340)
            combo.addItem("自动（推荐）", AUTO)
            combo.setEnabled(False)
            combo.currentIndexChanged.connect(lambda _i, r=role: self._changed(r))
            reason = QLabel("")
            reason.setWordWrap(True)
            sample = QLabel(SAMPLE)
            sample.setMinimumHeight(34)
            self.combos[role], self.samples[role], self.reasons[role] = combo, sample, reason
            grid.addWidget(QLabel(role), 2 * row, 0)
            grid.addWidget(combo, 2 * row, 1)
            grid.addWidget(reason, 2 * row, 2)
            grid.addWidget(sample, 2 * row + 1, 1, 1, 2)
        grid.setColumnStretch(2, 1)
        self.rescan = QPushButton("重新查找字体")
        self.rescan.clicked.connect(self.load)
        # The page is taller than a laptop screen: it scrolls inside its tab instead of
        # making the whole window taller than the screen.
        inner = QWidget()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        layout = QVBoxLayout(inner)
        note = QLabel(
            "打印的公文按 GB/T 9704：标题用小标宋（无则黑体），正文用仿宋（无则宋体）。"
            "本机没有的，用程序附带的宋体（AR PL UMing）、楷体（霞鹜文楷）和黑体（文泉驿微米黑）；"
            "仿宋没有可以随程序附带的免费字体。字体会嵌入 PDF，换一台电脑打开也一样。"
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addLayout(grid)
        layout.addWidget(self.status)
        layout.addWidget(self.rescan)
        layout.addWidget(self._archive_box())
        layout.addStretch()

    def _archive_box(self) -> QGroupBox:
        """归档章 (DA/T 22-2015): what the book cannot work out (see areas/archiving.py)."""
        settings = self.book.settings
        box = QGroupBox("归档章")
        form = QFormLayout(box)
        self.fonds = QLineEdit(settings.get("archive.fonds"))
        self.fonds.setPlaceholderText("如 J001（不填则留空手写）")
        self.fonds.editingFinished.connect(
            lambda: settings.set("archive.fonds", self.fonds.text().strip())
        )
        self.org = QLineEdit(settings.get("archive.org"))
        self.org.setPlaceholderText("可不填")
        self.org.editingFinished.connect(
            lambda: settings.set("archive.org", self.org.text().strip())
        )
        self.retention = QComboBox()
        self.retention.addItems(["30年", "10年", "永久"])
        current = self.retention.findText(settings.get("archive.retention.minutes", "30年"))
        self.retention.setCurrentIndex(max(current, 0))
        self.retention.currentTextChanged.connect(
            lambda text: settings.set("archive.retention.minutes", text)
        )
        self.stamp = QCheckBox("打印会议记录、合订本和花名册时加盖归档章")
        self.stamp.setChecked(settings.get("archive.stamp") == "1")
        self.stamp.toggled.connect(lambda on: settings.set("archive.stamp", "1" if on else ""))
        form.addRow("全宗号", self.fonds)
        form.addRow("会议记录保管期限", self.retention)
        form.addRow("机构（问题）", self.org)
        form.addRow("", self.stamp)
        note = QLabel("年度、件号（按年度内日期顺序）和页数自动填写；花名册保管期限为永久。")
        note.setWordWrap(True)
        form.addRow("", note)
        return box

    def showEvent(self, event: object) -> None:  # noqa: N802
        if not self.loaded:
            self.loaded = True
            self.load()
        super().showEvent(event)  # type: ignore[arg-type]

    def _prefs(self) -> dict[str, str]:
        saved = self.book.settings.all("font.")
        return {k.removeprefix("font."): v for k, v in saved.items() if v}

    def load(self) -> None:
        self.status.setText("正在查找本机字体…")
        prefs = self._prefs()
        run_in_background(
            self,
            lambda: _resolve(prefs, rescan=True),
            self._fill,
            lambda exc: self.status.setText(str(exc)),
        )

    def _fill(self, scan: Scan) -> None:
        self.choices = scan.choices
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
        self._show_resolved(scan)
        self.status.setText(
            f"找到可用的中文字体 {len(self.choices)} 种"
            + (
                f"；另有 {scan.unusable} 种无法嵌入（如 OpenType/CFF 字体），未列出。"
                if scan.unusable
                else "。"
            )
        )

    def _show_resolved(self, scan: Scan) -> None:
        """Per role: the font printing will use and why; the sample in that font."""
        self._files = scan.files
        for role in ROLES:
            self.reasons[role].setText(scan.reasons.get(role, scan.families.get(role, "")))
            self._show_sample(role)
        extra = [n for n in scan.notes if "只用来补字" in n or "不能使用" in n]
        self.reasons[ROLES[-1]].setToolTip("\n".join(extra))

    def _changed(self, role: str) -> None:
        self.book.settings.set(f"font.{role}", self.combos[role].currentData() or AUTO)
        self._show_sample(role)
        prefs = self._prefs()
        run_in_background(
            self,
            lambda: _resolve(prefs, rescan=False),
            self._show_resolved,
            lambda exc: self.reasons[role].setText(str(exc)),
        )

    def _show_sample(self, role: str) -> None:
        key = self.combos[role].currentData() or self._files.get(role, "")
        label = self.samples[role]
        font = QFont()
        if key:
            path = key.split("#")[0]
            font_id = QFontDatabase.addApplicationFont(path)
            families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
            if families:
                font = QFont(families[0])
        font.setPointSize(16 if role != "标题" else 20)
        label.setFont(font)
        label.setText(SAMPLE)
