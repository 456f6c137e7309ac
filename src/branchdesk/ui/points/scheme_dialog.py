"""编辑积分细则: one year's rule set — period, base, floor/ceiling, who is scored, bands and
the items (add, remove, reorder, change points, automatic source) — started from the year's
rule set, last year's or a JSON file. Saving checks everything (every problem listed with
its place, nothing written otherwise) and applies the rules to that year's meetings at once.

The widgets are read into the same JSON object `points scheme import` reads, so the GUI,
the files and the command line share one set of checks.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from branchdesk.domain.points import ItemCategory, RuleSet
from branchdesk.domain.points_rules import SCORED_KEYS, RulesError, rules_from_dict, rules_to_dict
from branchdesk.store import Book
from branchdesk.ui.widgets import error_label

ITEM_COLUMNS = (
    "名称",
    "类别",
    "每次分值",
    "每期上限",
    "自动计分的会议类型",
    "出席",
    "请假",
    "无故缺席",
    "否决后封顶",
)
NAME, CATEGORY, POINTS, CAP, TYPES, PRESENT, LEAVE, ABSENT, VETO_CAP = range(9)
AUTO_COLUMNS = ((PRESENT, "出席"), (LEAVE, "请假"), (ABSENT, "无故缺席"))


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _number(text: str) -> Any:
    """A cell as JSON: empty → None, a number when it reads as one, else the text (so
    the rule-set checks report it with its place)."""
    text = text.strip()
    if not text:
        return None
    try:
        return float(text) if "." in text else int(text)
    except ValueError:
        return text


class SchemeDialog(QDialog):
    def __init__(self, book: Book, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{year}年积分细则")
        self.book = book
        self.year = year
        self.saved = False
        self.period = QComboBox()
        self.period.addItems(["季度", "年度"])
        self.annual = QComboBox()
        self.annual.addItems(["平均", "合计"])
        self.base = QLineEdit()
        self.floor = QLineEdit()
        self.ceiling = QLineEdit()
        self.additions_cap = QLineEdit()
        for w, hint in (
            (self.floor, "不设则留空"),
            (self.ceiling, "不设则留空"),
            (self.additions_cap, "不设则留空"),
        ):
            w.setPlaceholderText(hint)
        self.scored = {key: QCheckBox(key) for key in SCORED_KEYS}
        self.bands = QLineEdit()
        self.bands.setPlaceholderText("如：优秀 90，良好 80，合格 60，不合格")
        self.items = QTableWidget(0, len(ITEM_COLUMNS))
        self.items.setHorizontalHeaderLabels(ITEM_COLUMNS)
        self.items.horizontalHeader().setStretchLastSection(True)
        self.items.setColumnWidth(NAME, 150)
        self.items.setColumnWidth(TYPES, 240)
        self.error = error_label()

        top = QFormLayout()
        top.addRow("计分周期", self.period)
        top.addRow("基础分", self.base)
        top.addRow("最低分", self.floor)
        top.addRow("最高分", self.ceiling)
        top.addRow("加分合计每期上限", self.additions_cap)
        top.addRow("年度结果（按季度计分时）", self.annual)
        who = QHBoxLayout()
        for box in self.scored.values():
            who.addWidget(box)
        top.addRow("参加积分", who)
        top.addRow("等次（从高到低）", self.bands)
        row_buttons = QHBoxLayout()
        self.add_button = QPushButton("添加项目")
        self.add_button.clicked.connect(lambda: self.add_item({"category": "加分"}))
        self.remove_button = QPushButton("删除项目")
        self.remove_button.clicked.connect(self.remove_item)
        self.up_button = QPushButton("上移")
        self.up_button.clicked.connect(lambda: self.move_item(-1))
        self.down_button = QPushButton("下移")
        self.down_button.clicked.connect(lambda: self.move_item(1))
        self.copy_button = QPushButton(f"复制{year - 1}年细则")
        self.copy_button.setEnabled(book.points.scheme(year - 1) is not None)
        self.copy_button.clicked.connect(self.copy_last_year)
        self.import_button = QPushButton("从JSON导入…")
        self.import_button.clicked.connect(self.import_json)
        self.export_button = QPushButton("导出JSON…")
        self.export_button.clicked.connect(self.export_json)
        for b in (self.add_button, self.remove_button, self.up_button, self.down_button):
            row_buttons.addWidget(b)
        row_buttons.addStretch()
        for b in (self.copy_button, self.import_button, self.export_button):
            row_buttons.addWidget(b)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("保存并按会议记录计分")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        note = QLabel(
            "分值最多一位小数；扣分项目的分值写负数。自动计分：一次会议记录只计一次，"
            "会议类型用“、”分隔，可写“三会一课”。"
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(note)
        layout.addLayout(row_buttons)
        layout.addWidget(self.items, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(1100, 680)
        rules = book.points.scheme(year) or book.points.scheme(year - 1)
        if rules is not None:
            self.load(rules_to_dict(rules))

    # -- widgets ↔ the JSON object ----------------------------------------------------------
    def load(self, data: dict[str, Any]) -> None:
        self.period.setCurrentText(data.get("period", "季度"))
        self.annual.setCurrentText(data.get("annual", "平均"))
        self.base.setText(_text(data.get("base")))
        self.floor.setText(_text(data.get("floor")))
        self.ceiling.setText(_text(data.get("ceiling")))
        self.additions_cap.setText(_text(data.get("additions_cap")))
        scored = data.get("scored", {})
        for key, box in self.scored.items():
            box.setChecked(bool(scored.get(key, key in SCORED_KEYS[:2])))
        self.bands.setText(
            "，".join(
                f"{b['name']} {b['min']}" if b.get("min") is not None else b["name"]
                for b in data.get("bands", [])
            )
        )
        self._name = data.get("name", "")
        self.items.setRowCount(0)
        for item in data.get("items", []):
            self.add_item(item)

    def add_item(self, item: dict[str, Any]) -> None:
        r = self.items.rowCount()
        self.items.insertRow(r)
        auto = item.get("auto") or {}
        cells = {
            NAME: item.get("name"),
            POINTS: item.get("points"),
            CAP: item.get("cap"),
            TYPES: "、".join(auto.get("types", [])),
            VETO_CAP: item.get("veto_cap"),
        }
        cells.update({col: auto.get(key) for col, key in AUTO_COLUMNS})
        for col, value in cells.items():
            self.items.setItem(r, col, QTableWidgetItem(_text(value)))
        combo = QComboBox()
        combo.addItems([c.value for c in ItemCategory])
        combo.setCurrentText(item.get("category", "加分"))
        self.items.setCellWidget(r, CATEGORY, combo)

    def _cell(self, r: int, col: int) -> str:
        cell = self.items.item(r, col)
        return cell.text() if cell is not None else ""

    def _row(self, r: int) -> dict[str, Any]:
        combo = self.items.cellWidget(r, CATEGORY)
        assert isinstance(combo, QComboBox)
        row: dict[str, Any] = {
            "name": self._cell(r, NAME).strip(),
            "category": combo.currentText(),
            "points": _number(self._cell(r, POINTS)),
        }
        for col, key in ((CAP, "cap"), (VETO_CAP, "veto_cap")):
            if self._cell(r, col).strip():
                row[key] = _number(self._cell(r, col))
        types = [t for t in self._cell(r, TYPES).replace("，", "、").split("、") if t.strip()]
        if types:
            auto: dict[str, Any] = {"types": [t.strip() for t in types]}
            for col, key in AUTO_COLUMNS:
                if self._cell(r, col).strip():
                    auto[key] = _number(self._cell(r, col))
            row["auto"] = auto
        return row

    def to_dict(self) -> dict[str, Any]:
        bands = []
        for part in self.bands.text().replace(",", "，").replace("、", "，").split("，"):
            words = part.split()
            if words:
                bands.append(
                    {"name": words[0], "min": _number(words[1]) if len(words) > 1 else None}
                )
        return {
            "name": getattr(self, "_name", ""),
            "period": self.period.currentText(),
            "base": _number(self.base.text()),
            "floor": _number(self.floor.text()),
            "ceiling": _number(self.ceiling.text()),
            "annual": self.annual.currentText(),
            "additions_cap": _number(self.additions_cap.text()),
            "scored": {k: box.isChecked() for k, box in self.scored.items()},
            "bands": bands,
            "items": [self._row(r) for r in range(self.items.rowCount())],
        }

    def rules(self) -> RuleSet:
        return rules_from_dict(self.to_dict())

    # -- actions ----------------------------------------------------------------------------
    def remove_item(self) -> None:
        r = self.items.currentRow()
        if r >= 0:
            self.items.removeRow(r)

    def move_item(self, step: int) -> None:
        r = self.items.currentRow()
        target = r + step
        if r < 0 or not 0 <= target < self.items.rowCount():
            return
        rows = [self._row(n) for n in range(self.items.rowCount())]
        rows[r], rows[target] = rows[target], rows[r]
        self.items.setRowCount(0)
        for row in rows:
            self.add_item(row)
        self.items.setCurrentCell(target, NAME)

    def copy_last_year(self) -> None:
        rules = self.book.points.scheme(self.year - 1)
        if rules is not None:
            self.load(rules_to_dict(rules))

    def import_json(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "导入积分细则", "", "JSON (*.json)")
        if not path:
            return
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            rules_from_dict(data)
        except (OSError, json.JSONDecodeError) as exc:
            self._show([f"无法读取 {path}：{exc}"])
            return
        except RulesError as exc:
            self._show(exc.problems)
            return
        self.load(data)
        self.error.hide()

    def export_json(self) -> None:
        try:
            data = rules_to_dict(self.rules())
        except RulesError as exc:
            self._show(exc.problems)
            return
        path, _ = QFileDialog.getSaveFileName(
            self, "导出积分细则", f"{self.year}年积分细则.json", "JSON (*.json)"
        )
        if path:
            text = json.dumps(data, ensure_ascii=False, indent=2)
            Path(path).write_text(text + "\n", encoding="utf-8")

    def _show(self, problems: list[str]) -> None:
        self.error.setText("细则有误，未保存：\n" + "\n".join(problems))
        self.error.show()

    def save(self) -> None:
        try:
            rules = self.rules()
        except RulesError as exc:
            self._show(exc.problems)
            return
        from dataclasses import replace

        from branchdesk.areas.points.rules import TEMPLATE_IDS, template

        # A template's name stays only while the rules are still exactly the template.
        if rules.name in TEMPLATE_IDS and rules != replace(template(rules.name).rules):
            rules = replace(rules, name=f"{rules.name}（已修改）")
        result = self.book.points.set_scheme(self.year, rules, "")
        self.saved = True
        QMessageBox.information(
            self,
            "积分细则",
            f"已保存{self.year}年积分细则，按会议记录自动计分 {result.added} 条，"
            f"冲销 {result.reversed} 条。",
        )
        self.accept()
