"""设置 → 账簿密码: set, change or remove the password, with the recovery choice, and the idle
lock's time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from branchdesk.paths import mark_encrypted
from branchdesk.store import Book, BookError, cipher
from branchdesk.ui.password import RECOVERY_BACKUP, RECOVERY_SHEET, SetPasswordDialog

IDLE_SETTING = "idle_lock_minutes"
DEFAULT_IDLE_MINUTES = 10


def idle_minutes(book: Book) -> int:
    try:
        return max(0, int(book.settings.get(IDLE_SETTING, str(DEFAULT_IDLE_MINUTES))))
    except ValueError:
        return DEFAULT_IDLE_MINUTES


class PasswordTab(QWidget):
    def __init__(self, book: Book, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.dialog: SetPasswordDialog | None = None
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.set_button = QPushButton("设置密码…")
        self.remove_button = QPushButton("取消密码…")
        self.set_button.clicked.connect(self.ask_new_password)
        self.remove_button.clicked.connect(self.remove_password)
        buttons = QHBoxLayout()
        buttons.addWidget(self.set_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch()
        self.idle = QSpinBox()
        self.idle.setRange(0, 240)
        self.idle.setSuffix(" 分钟")
        self.idle.setSpecialValueText("不锁定")
        self.idle.setValue(idle_minutes(book))
        self.idle.editingFinished.connect(self.save_idle)
        self.idle.valueChanged.connect(lambda _v: self.save_idle())
        about = QLabel(
            "账簿密码保护的是存放在磁盘上的账簿文件及其备份：别人拿到文件（如U盘丢失、"
            "电脑被借用）也读不出内容。它不保护已经打开的窗口、打印出的纸张、"
            "导出的表格和PDF。" + cipher.NO_BACK_DOOR
        )
        about.setWordWrap(True)
        form = QFormLayout()
        form.addRow("状态", self.status)
        form.addRow("无操作后锁定窗口", self.idle)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(about)
        layout.addStretch()
        self.refresh()

    @property
    def encrypted(self) -> bool:
        return cipher.book_is_encrypted(self.book)

    def refresh(self) -> None:
        reason = cipher.unavailable_reason()
        if reason:
            self.status.setText(reason)
        elif self.encrypted:
            self.status.setText("已设置密码：账簿和备份都已加密。")
        else:
            self.status.setText("未设置密码：账簿不加密。")
        usable = reason is None and not self.book.read_only
        self.set_button.setEnabled(usable)
        self.set_button.setText("更改密码…" if self.encrypted else "设置密码…")
        self.remove_button.setEnabled(usable and self.encrypted)
        self.idle.setEnabled(not self.book.read_only)

    def save_idle(self) -> None:
        if self.book.read_only or self.idle.value() == idle_minutes(self.book):
            return
        self.book.settings.set(IDLE_SETTING, str(self.idle.value()))

    # -- set / change ---------------------------------------------------------------------
    def ask_new_password(self) -> None:
        self.dialog = SetPasswordDialog(self, change=self.encrypted)
        self.dialog.accepted.connect(self._set_from_dialog)
        self.dialog.open()

    def _set_from_dialog(self) -> None:
        dialog = self.dialog
        assert dialog is not None
        try:
            change = cipher.set_password(self.book, dialog.password.text())
        except (BookError, OSError) as exc:
            QMessageBox.warning(self, "未能设置密码", f"{exc}\n账簿未改动。")
            return
        mark_encrypted(self.book.path, True)
        self.refresh()
        QMessageBox.information(self, "已设置密码", "已设置账簿密码：账簿和今后的备份都已加密。")
        if dialog.recovery == RECOVERY_SHEET:
            self.print_recovery_sheet()
        elif dialog.recovery == RECOVERY_BACKUP:
            self.save_plain_backup()
        self.offer_to_delete(change.plain_backups)

    def print_recovery_sheet(self) -> None:
        from branchdesk.printing.recovery_sheet import recovery_sheet_pdf
        from branchdesk.ui.print_preview import preview_pdf

        branch = self.book.branch.profile().name
        path, day = self.book.path, dt.date.today()
        preview_pdf(
            self,
            lambda: recovery_sheet_pdf(branch, path, day),
            "账簿密码恢复单",
            "账簿密码恢复单.pdf",
        )

    def save_plain_backup(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择可移动介质（如U盘）上的文件夹")
        if not folder:
            QMessageBox.warning(
                self, "未保存不加密的备份", "没有保存不加密的备份。请牢记密码，或打印恢复单。"
            )
            return
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = Path(folder) / f"{self.book.path.stem}-不加密备份-{stamp}.db"
        try:
            cipher.write_plain_copy(self.book, target)
        except (BookError, OSError) as exc:
            QMessageBox.warning(self, "未能保存备份", str(exc))
            return
        QMessageBox.information(
            self,
            "已保存不加密的备份",
            f"已保存到：\n{target}\n这份备份没有密码保护，请妥善保管该介质。",
        )

    def offer_to_delete(self, plain: list[Path]) -> None:
        """The backups taken before the password are not encrypted: say so, and delete
        them only if the user says yes."""
        if not plain:
            return
        answer = QMessageBox.question(
            self,
            "未加密的旧备份",
            f"备份文件夹中有 {len(plain)} 份设置密码之前的备份，它们没有加密，"
            "别人拿到即可读取。\n要删除这些未加密的备份吗？（删除后无法恢复到设置密码之前的状态）",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            n = cipher.delete_backups(plain)
            QMessageBox.information(self, "已删除", f"已删除 {n} 份未加密的备份。")

    # -- remove ---------------------------------------------------------------------------
    def remove_password(self) -> None:
        answer = QMessageBox.question(
            self,
            "取消账簿密码",
            "取消后账簿将不再加密，别人拿到文件即可读取。确定取消密码吗？\n"
            "（此前的备份仍有密码保护。）",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            cipher.remove_password(self.book)
        except (BookError, OSError) as exc:
            QMessageBox.warning(self, "未能取消密码", f"{exc}\n账簿未改动。")
            return
        mark_encrypted(self.book.path, False)
        self.refresh()
        QMessageBox.information(self, "已取消密码", "已取消账簿密码，账簿不再加密。")
