"""The import report: every error and warning by spreadsheet row and column, shown before
anything is written. With errors, nothing can be imported."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from branchdesk.ui.widgets import fit_to_screen


class ImportReportDialog(QDialog):
    def __init__(self, report: Any, file_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report = report
        self.setWindowTitle(f"导入检查结果 — {file_name}")
        fit_to_screen(self, 760, 480)

        summary = QLabel(report.summary())
        summary.setWordWrap(True)
        if report.ok:
            verdict = QLabel(f"检查通过：可以导入 {len(report.members)} 人。提示不影响导入。")
            verdict.setStyleSheet("color: #1b5e20; font-weight: bold;")
        else:
            verdict = QLabel(
                f"发现 {len(report.errors)} 处错误，本次不会导入任何人员。"
                "请在 Excel 中按下表修改后重新导入。"
            )
            verdict.setStyleSheet("color: #b00020; font-weight: bold;")
        verdict.setWordWrap(True)

        issues = [("错误", i) for i in report.errors] + [("提示", i) for i in report.warnings]
        self.table = QTableWidget(len(issues), 5)
        self.table.setHorizontalHeaderLabels(["类型", "行", "列", "字段", "说明"])
        for r, (kind, issue) in enumerate(issues):
            cells = (kind, str(issue.row or ""), issue.column or "", issue.field, issue.message)
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if kind == "错误":
                    item.setForeground(QColor("#b00020"))
                self.table.setItem(r, c, item)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.resizeColumnsToContents()

        buttons = QDialogButtonBox()
        self.import_button = buttons.addButton(
            f"导入 {len(report.members)} 人", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setEnabled(report.ok and bool(report.members))
        self.close_button = buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(verdict)
        layout.addWidget(summary)
        if issues:
            layout.addWidget(self.table)
        else:
            layout.addStretch()
        layout.addWidget(buttons)
