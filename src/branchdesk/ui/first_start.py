"""First start with no book: 新建 (branch name, 上级党组织), 打开演示数据, or open a file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from branchdesk import APP_TITLE
from branchdesk.ui.widgets import error_label


class FirstStartDialog(QDialog):
    CREATE, DEMO, OPEN = "create", "demo", "open"

    def __init__(
        self,
        book_path: Path,
        parent: QWidget | None = None,
        recent: list[Path] | None = None,
    ) -> None:
        super().__init__(parent)
        self.choice: str | None = None
        self.open_path: Path | None = None
        self.setWindowTitle(f"欢迎使用{APP_TITLE}")
        self.setMinimumWidth(520)

        recent = list(recent or [])
        intro = QLabel(
            f"<b>欢迎使用{APP_TITLE}</b><br>"
            + (
                "请选择要打开的账簿。"
                if recent
                else "这台电脑上还没有账簿。"
                "账簿是一个文件，保存本支部的名册、会议记录、积分和谈心谈话记录。"
            )
        )
        intro.setWordWrap(True)

        #: One button per recently opened book, most recent first.
        self.recent_buttons: list[QPushButton] = []
        opened = QGroupBox("最近打开的账簿")
        opened_layout = QVBoxLayout(opened)
        for path in recent:
            button = QPushButton(f"打开  {path.name}    （{path.parent}）")
            button.setToolTip(str(path))
            button.setStyleSheet("text-align: left; padding: 4px 8px;")
            button.clicked.connect(lambda _c=False, p=path: self._open_recent(p))
            opened_layout.addWidget(button)
            self.recent_buttons.append(button)

        create = QGroupBox("新建本支部的账簿" if not recent else "或者：新建另一个账簿")
        self.branch_name = QLineEdit()
        self.branch_name.setPlaceholderText("如：市发展改革委机关第二党支部")
        self.parent_org = QLineEdit()
        self.parent_org.setPlaceholderText("如：中共市发展改革委机关委员会")
        self.error = error_label()
        self.create_button = QPushButton("新建账簿")
        self.create_button.setDefault(not recent)
        self.create_button.clicked.connect(self._create)
        form = QFormLayout(create)
        form.addRow("支部名称 *", self.branch_name)
        form.addRow("上级党组织", self.parent_org)
        form.addRow(self.error)
        form.addRow(self.create_button)
        where = QLabel(f"账簿将保存在：{book_path}")
        where.setWordWrap(True)
        where.setStyleSheet("color: #666;")
        form.addRow(where)

        others = QHBoxLayout()
        self.demo_button = QPushButton("打开演示数据（先看看）")
        self.demo_button.clicked.connect(self._demo)
        self.open_button = QPushButton("打开已有账簿文件…")
        self.open_button.clicked.connect(self._open)
        others.addWidget(self.demo_button)
        others.addWidget(self.open_button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        if recent:
            layout.addWidget(opened)
            self.recent_buttons[0].setDefault(True)
            self.recent_buttons[0].setFocus()
        layout.addWidget(create)
        layout.addLayout(others)
        hint = QLabel("演示数据是一个虚构的支部，单独保存，不会混入您的账簿。")
        hint.setStyleSheet("color: #666;")
        layout.addWidget(hint)

    def _create(self) -> None:
        if not self.branch_name.text().strip():
            self.error.setText("支部名称：不能为空")
            self.error.show()
            self.branch_name.setFocus()
            return
        self.choice = self.CREATE
        self.accept()

    def _demo(self) -> None:
        self.choice = self.DEMO
        self.accept()

    def _open_recent(self, path: Path) -> None:
        self.choice = self.OPEN
        self.open_path = path
        self.accept()

    def _open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "打开账簿文件", "", "账簿文件 (*.db);;所有文件 (*)"
        )
        if path:
            self.choice = self.OPEN
            self.open_path = Path(path)
            self.accept()
