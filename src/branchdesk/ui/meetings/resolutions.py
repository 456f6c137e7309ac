"""决议 of one meeting: one card per motion (text, kind, candidate, votes, written opinions for
发展/转正, 通过). Whether it passes is decided by the rules, not typed: the 通过 box is enabled
only when the tally passes, and says why not in its tooltip."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from branchdesk.domain.meetings import PERSONAL_KINDS, Resolution, ResolutionKind

#: (member id, name) to choose from, per resolution kind; None: every other kind.
Candidates = dict[ResolutionKind | None, list[tuple[int, str]]]

MAX_VOTES = 9999


def _spin() -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(0, MAX_VOTES)
    spin.setMinimumWidth(64)
    return spin


class ResolutionEditor(QFrame):
    changed = Signal()
    remove_requested = Signal(object)

    def __init__(self, candidates: Candidates, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.number = QLabel()
        self.number.setStyleSheet("font-weight: bold;")
        self.text = QLineEdit()
        self.text.setPlaceholderText("决议内容，如：讨论接收张三同志为中共预备党员")
        self.kind = QComboBox()
        for k in ResolutionKind:
            self.kind.addItem(k.value, k)
        self.candidate = QComboBox()
        self.candidate.setToolTip("表决对象：每名对象单独表决")
        self._by_kind: Candidates = {}
        self._names: dict[int, str] = {}
        self.set_candidates(candidates)
        self.remove_button = QPushButton("删除")
        self.votes_for, self.votes_against, self.abstentions = _spin(), _spin(), _spin()
        self.written_for, self.written_against, self.written_abstain = _spin(), _spin(), _spin()
        self.written_box = QWidget()
        written = QHBoxLayout(self.written_box)
        written.setContentsMargins(0, 0, 0, 0)
        written.addWidget(QLabel("未到会党员书面意见：赞成"))
        written.addWidget(self.written_for)
        written.addWidget(QLabel("反对"))
        written.addWidget(self.written_against)
        written.addWidget(QLabel("弃权"))
        written.addWidget(self.written_abstain)
        written.addStretch()
        self.passed = QCheckBox("通过")
        self.passed.setEnabled(False)  # until the rules have seen the tally
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)

        grid = QGridLayout(self)
        head = QHBoxLayout()
        head.addWidget(self.number)
        head.addWidget(self.text, 1)
        head.addWidget(self.kind)
        self.candidate_label = QLabel("表决对象")
        head.addWidget(self.candidate_label)
        head.addWidget(self.candidate)
        head.addWidget(self.remove_button)
        grid.addLayout(head, 0, 0)
        votes = QHBoxLayout()
        votes.addWidget(QLabel("到会表决：赞成"))
        votes.addWidget(self.votes_for)
        votes.addWidget(QLabel("反对"))
        votes.addWidget(self.votes_against)
        votes.addWidget(QLabel("弃权"))
        votes.addWidget(self.abstentions)
        votes.addStretch()
        votes.addWidget(self.passed)
        grid.addLayout(votes, 1, 0)
        grid.addWidget(self.written_box, 2, 0)
        grid.addWidget(self.verdict, 3, 0)

        self.text.textChanged.connect(self.changed)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.candidate.currentIndexChanged.connect(self.changed)
        for spin in self.spins():
            spin.valueChanged.connect(self.changed)
        self.passed.toggled.connect(self.changed)
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))
        self._kind_changed()

    def spins(self) -> tuple[QSpinBox, ...]:
        return (
            self.votes_for,
            self.votes_against,
            self.abstentions,
            self.written_for,
            self.written_against,
            self.written_abstain,
        )

    def set_candidates(self, candidates: Candidates) -> None:
        """People to choose from per kind (None: any other kind, e.g. 选举): 发展 offers
        those not yet members, 转正 the 预备党员 — see domain candidates_for."""
        self._by_kind = candidates
        self._names = {mid: name for people in candidates.values() for mid, name in people}
        self._fill_candidates(self.candidate.currentData())

    def _fill_candidates(self, keep: int | None) -> None:
        kind = ResolutionKind(self.kind.currentData())
        people = self._by_kind.get(kind, self._by_kind.get(None, []))
        self.candidate.blockSignals(True)
        self.candidate.clear()
        self.candidate.addItem("（请选择）", None)
        for mid, name in people:
            self.candidate.addItem(name, mid)
        if keep is not None and self.candidate.findData(keep) < 0 and keep in self._names:
            # Chosen earlier (a saved record): kept, and the rules panel says why it is odd.
            self.candidate.addItem(self._names[keep], keep)
        self.candidate.setCurrentIndex(max(self.candidate.findData(keep), 0))
        self.candidate.blockSignals(False)

    def _kind_changed(self) -> None:
        self._fill_candidates(self.candidate.currentData())
        kind = ResolutionKind(self.kind.currentData())
        personal = kind in PERSONAL_KINDS
        self.written_box.setVisible(personal)
        for w in (self.candidate, self.candidate_label):
            w.setVisible(personal or kind == ResolutionKind.ELECTION)
        self.changed.emit()

    def value(self) -> Resolution:
        kind = ResolutionKind(self.kind.currentData())
        personal = kind in PERSONAL_KINDS
        has_candidate = personal or kind == ResolutionKind.ELECTION
        candidate = self.candidate.currentData() if has_candidate else None
        return Resolution(
            text=self.text.text().strip(),
            kind=kind,
            candidate_id=candidate,
            votes_for=self.votes_for.value(),
            votes_against=self.votes_against.value(),
            abstentions=self.abstentions.value(),
            written_for=self.written_for.value() if personal else 0,
            written_against=self.written_against.value() if personal else 0,
            written_abstain=self.written_abstain.value() if personal else 0,
            marked_passed=self.passed.isChecked(),
        )

    def set_value(self, r: Resolution) -> None:
        self.text.setText(r.text)
        self.kind.setCurrentIndex(max(self.kind.findData(r.kind), 0))
        self._fill_candidates(r.candidate_id)
        values = (
            r.votes_for,
            r.votes_against,
            r.abstentions,
            r.written_for,
            r.written_against,
            r.written_abstain,
        )
        for spin, v in zip(self.spins(), values, strict=True):
            spin.setValue(v)
        self.passed.setChecked(r.marked_passed)

    def show_verdict(self, ok: bool, message: str, problems: list[str]) -> None:
        """The rules' word on this motion: 通过 can be ticked only when it passes."""
        self.passed.setEnabled(ok)
        self.passed.setToolTip(message if not ok else "表决结果符合规定，可以记为通过")
        if not ok and self.passed.isChecked():
            self.passed.setChecked(False)
        colour = "#1b5e20" if ok else "#8a4b00"
        lines = [f"<span style='color:{colour}'>{message}</span>"]
        lines += [f"<span style='color:#b00020'>{p}</span>" for p in problems]
        self.verdict.setText("<br>".join(lines))


class ResolutionsWidget(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editors: list[ResolutionEditor] = []
        self.candidates: Candidates = {}
        self.add_button = QPushButton("添加决议")
        self.add_button.clicked.connect(lambda: self.add())
        hint = QLabel(
            "党员大会的决议，赞成票须超过应到会有表决权的正式党员的半数；"
            "发展、转正时未到会党员的书面意见计入票数。"
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        self.cards = QVBoxLayout()
        holder = QWidget()
        inner = QVBoxLayout(holder)
        inner.addLayout(self.cards)
        inner.addStretch()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        top = QHBoxLayout()
        top.addWidget(hint, 1)
        top.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(scroll)

    def set_candidates(self, candidates: Candidates) -> None:
        self.candidates = candidates
        for e in self.editors:
            e.set_candidates(candidates)

    def add(self, resolution: Resolution | None = None) -> ResolutionEditor:
        editor = ResolutionEditor(self.candidates)
        if resolution is not None:
            editor.set_value(resolution)
        editor.changed.connect(self.changed)
        editor.remove_requested.connect(self.remove)
        self.editors.append(editor)
        self.cards.addWidget(editor)
        self._renumber()
        self.changed.emit()
        if resolution is None:
            editor.text.setFocus()
        return editor

    def remove(self, editor: ResolutionEditor) -> None:
        self.editors.remove(editor)
        editor.setParent(None)
        editor.deleteLater()
        self._renumber()
        self.changed.emit()

    def set_resolutions(self, resolutions: tuple[Resolution, ...]) -> None:
        for e in list(self.editors):
            self.remove(e)
        for r in resolutions:
            self.add(r)

    def _renumber(self) -> None:
        for n, e in enumerate(self.editors, start=1):
            e.number.setText(f"第{n}项")

    def resolutions(self) -> tuple[Resolution, ...]:
        return tuple(e.value() for e in self.editors)
