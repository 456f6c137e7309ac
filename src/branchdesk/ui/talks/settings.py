"""设置 → 谈心谈话: who must talk with whom and how often, the days within which an event's
talk is due, the 优秀 share of 民主评议, and the list of talk kinds."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from branchdesk.domain.talks import CoverageRules
from branchdesk.store import Book, InputError

DUE_LABELS = (
    ("transfer_in", "组织关系转入后（天）"),
    ("confirmation", "转正或延长预备期后（天）"),
    ("discipline", "受处分后（天）"),
    ("feedback", "民主评议结果确定后反馈（天）"),
)


class TalkSettings(QWidget):
    changed = Signal()

    def __init__(self, book: Book, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        rules = book.talks.rules()
        self.minimum = QComboBox()
        self.minimum.addItem("每年至少 1 次", 1)
        self.minimum.addItem("每年至少 2 次", 2)
        self.minimum.setCurrentIndex(self.minimum.findData(rules.minimum))
        self.secretary = QCheckBox("书记与每名支委委员、每名党员谈话")
        self.secretary.setChecked(rules.secretary_with_all)
        self.committee = QCheckBox("支委委员之间相互谈话")
        self.committee.setChecked(rules.committee_with_each_other)
        self.committee_members = QCheckBox("每名支委委员与每名党员谈话")
        self.committee_members.setChecked(rules.committee_with_members)
        due = book.talks.due_rules()
        self.days: dict[str, QSpinBox] = {}
        form = QFormLayout()
        form.addRow("每对谈话次数", self.minimum)
        form.addRow("", self.secretary)
        form.addRow("", self.committee)
        form.addRow("", self.committee_members)
        for key, label in DUE_LABELS:
            box = QSpinBox()
            box.setRange(1, 366)
            box.setValue(getattr(due, key))
            self.days[key] = box
            form.addRow(label, box)
        share = book.appraisal.excellent_share()
        self.share = QLineEdit(f"{share.numerator}/{share.denominator}")
        form.addRow("民主评议优秀比例上限", self.share)
        self.kinds = QPlainTextEdit("\n".join(book.talks.kinds()))
        form.addRow("谈话类型（每行一种）", self.kinds)
        self.save_button = QPushButton("保存")
        self.save_button.clicked.connect(self.save)
        self.message = QLabel()
        note = QLabel(
            "默认：书记与每名支委委员和党员、支委委员之间每年至少谈话 1 次；"
            "转入、转正、受处分后 30 天内谈话；民主评议被评为基本合格、不合格的 30 天内反馈谈话；"
            "优秀一般不超过参评党员的三分之一。"
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.save_button)
        layout.addWidget(self.message)
        layout.addStretch()

    def save(self) -> None:
        try:
            with self.book.atomic("settings"):
                self.book.talks.set_rules(
                    CoverageRules(
                        minimum=int(self.minimum.currentData()),
                        secretary_with_all=self.secretary.isChecked(),
                        committee_with_each_other=self.committee.isChecked(),
                        committee_with_members=self.committee_members.isChecked(),
                    )
                )
                for key, box in self.days.items():
                    self.book.talks.set_due_days(key, box.value())
                self.book.appraisal.set_excellent_share(self.share.text())
                self.book.talks.set_kinds(self.kinds.toPlainText().splitlines())
        except InputError as exc:
            self.message.setText(f"未保存：{exc}")
            return
        self.message.setText("已保存。")
        self.changed.emit()
