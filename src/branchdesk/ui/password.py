"""账簿密码 in the window: the password asked on opening (and by the idle lock), and the
dialog that sets or changes it with the user's recovery choice."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from branchdesk.store import cipher
from branchdesk.store.errors import InputError
from branchdesk.ui.widgets import error_label


def _password_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMinimumWidth(260)
    return field


class PasswordDialog(QDialog):
    """Asks for the password of ``path``; ``check(password)`` says whether it is right
    (it waits after a wrong one). Stays open on a wrong password, with the message."""

    def __init__(
        self,
        path: Path,
        check: Callable[[str], bool],
        parent: QWidget | None = None,
        *,
        text: str = "",
        cancel: bool = True,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("输入账簿密码")
        self.path = Path(path)
        self._check = check
        self.failures = 0
        intro = QLabel(text or f"账簿“{self.path.name}”设置了密码，请输入密码打开。")
        intro.setWordWrap(True)
        self.password = _password_field()
        self.error = error_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        if cancel:
            buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        else:
            self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        self._cancel = cancel
        buttons.accepted.connect(self.try_password)
        buttons.rejected.connect(self.reject)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        form = QFormLayout()
        form.addRow("密码", self.password)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def try_password(self) -> None:
        self.ok.setEnabled(False)
        self.error.setText("正在核对密码…")
        self.repaint()
        try:
            right = self._check(self.password.text())
        finally:
            self.ok.setEnabled(True)
        if right:
            self.error.setText("")
            self.accept()
            return
        self.failures += 1
        self.password.clear()
        self.error.setText(cipher.WRONG_PASSWORD_MESSAGE.format(name=self.path.name))

    def reject(self) -> None:
        if self._cancel:
            super().reject()

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        if not self._cancel and event.key() == Qt.Key.Key_Escape:
            return
        super().keyPressEvent(event)


def unlock_check(path: Path, *, process_key: bool = True) -> Callable[[str], bool]:
    """For opening: a right password is held for the process (store.cipher.unlock)."""

    def check(password: str) -> bool:
        try:
            cipher.unlock(path, password, process_key=process_key)
        except cipher.WrongPasswordError:
            return False
        return True

    return check


RECOVERY_SHEET = "sheet"
RECOVERY_BACKUP = "backup"


class SetPasswordDialog(QDialog):
    """New password twice, and the recovery choice (there is no back door)."""

    def __init__(self, parent: QWidget | None = None, *, change: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle("更改账簿密码" if change else "设置账簿密码")
        warning = QLabel(
            cipher.NO_BACK_DOOR + "\n设置后，账簿文件和今后的备份都会加密；打开账簿时需要输入密码。"
            "\n请选择一种防止遗失密码的办法："
        )
        warning.setWordWrap(True)
        self.password = _password_field()
        self.again = _password_field()
        self.sheet = QRadioButton("打印一张恢复单（不含密码：在单上手写密码后封存）")
        self.backup = QRadioButton("把一份不加密的备份保存到U盘等可移动介质（妥善保管）")
        self.error = error_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(warning)
        form = QFormLayout()
        form.addRow("新密码", self.password)
        form.addRow("确认新密码", self.again)
        layout.addLayout(form)
        layout.addWidget(self.sheet)
        layout.addWidget(self.backup)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    @property
    def recovery(self) -> str | None:
        if self.sheet.isChecked():
            return RECOVERY_SHEET
        if self.backup.isChecked():
            return RECOVERY_BACKUP
        return None

    def try_accept(self) -> None:
        try:
            cipher.validate_new_password(self.password.text(), self.again.text())
        except InputError as exc:
            self.error.setText(str(exc))
            return
        if self.recovery is None:
            self.error.setText("防止遗失密码：请选择打印恢复单，或保存一份不加密的备份")
            return
        self.accept()


def ask_to_unlock(path: Path, message: str, parent: QWidget | None = None) -> bool:
    """On opening a file that may be a book with a password: ask for it. A file this PC
    knows as encrypted (its book list) is asked for at once; another file that only might
    be one (e.g. copied from another PC) is asked for only if the user wants to try — a
    random file is not a book, and cancelling ends the attempt. True once unlocked."""
    from PySide6.QtWidgets import QMessageBox

    from branchdesk.paths import is_marked_encrypted, mark_encrypted

    if not is_marked_encrypted(path):
        answer = QMessageBox.question(
            parent,
            "无法打开账簿",
            f"{message}\n\n本机没有把这个文件记作带密码的账簿。如果它是设置了密码的账簿"
            "（例如从别的电脑复制来的），可以输入密码打开。要输入密码吗？",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
    dialog = PasswordDialog(path, unlock_check(path), parent)
    if not dialog.exec():
        return False
    mark_encrypted(path, True)
    return True
