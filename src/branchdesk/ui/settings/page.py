"""设置: the branch profile (name, 上级党组织), the committee, 党小组, and backups."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from branchdesk.domain.branch import COMMITTEE_POSTS, CommitteePost, PartyGroup
from branchdesk.domain.dates import DateParseError, format_cn
from branchdesk.store import Book, BookError, InputError
from branchdesk.store.errors import PasswordRequiredError, WrongPasswordError
from branchdesk.ui.changes import watch
from branchdesk.ui.forms import RecordDialog
from branchdesk.ui.tasks import run_in_background
from branchdesk.ui.widgets import DateLineEdit, confirm, error_label


def _scrolled(widget: QWidget) -> QScrollArea:
    """A tab whose content may be taller than a laptop screen scrolls instead of making
    the whole window taller than the screen."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(widget)
    return area


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))


def _member_combo(book: Book, current: int | None, allow_none: bool) -> QComboBox:
    import datetime as dt

    combo = QComboBox()
    if allow_none:
        combo.addItem("（暂无）", None)
    for entry in book.roster.on(dt.date.today()):
        combo.addItem(entry.member.name, entry.member.id)
    index = combo.findData(current)
    combo.setCurrentIndex(max(index, 0))
    return combo


class PostDialog(RecordDialog):
    def __init__(self, book: Book, post: CommitteePost | None, parent: QWidget) -> None:
        super().__init__(parent, "支委会成员")
        self.book = book
        self.post = post
        self.member = _member_combo(book, post.member_id if post else None, allow_none=False)
        self.role = QComboBox()
        self.role.addItems(COMMITTEE_POSTS)
        self.start = DateLineEdit()
        self.end = DateLineEdit()
        if post:
            self.role.setCurrentText(post.post)
            self.start.set_date(post.term_start)
            self.end.set_date(post.term_end)
        form = QFormLayout()
        form.addRow("姓名", self.member)
        form.addRow("职务", self.role)
        form.addRow("任期起", self.start)
        form.addRow("任期止", self.end)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        self.finish_layout(layout)

    def write(self) -> None:
        if self.member.currentData() is None:
            raise InputError("姓名：请先在党员名册中录入党员")
        try:
            start, end = self.start.date(), self.end.date()
        except DateParseError as exc:
            raise InputError(f"任期：{exc}") from None
        self.book.branch.save_post(
            CommitteePost(
                id=self.post.id if self.post else None,
                member_id=self.member.currentData(),
                member_name=self.member.currentText(),
                post=self.role.currentText(),
                term_start=start,
                term_end=end,
            )
        )


class GroupDialog(RecordDialog):
    def __init__(self, book: Book, group: PartyGroup | None, parent: QWidget) -> None:
        super().__init__(parent, "党小组")
        self.book = book
        self.group = group
        self.name = QLineEdit(group.name if group else "")
        self.leader = _member_combo(book, group.leader_id if group else None, allow_none=True)
        self.start = DateLineEdit()
        self.start.setPlaceholderText("成立日期（不填：账簿开始时已有）")
        self.end = DateLineEdit()
        self.end.setPlaceholderText("撤销日期（不填：仍然存在）")
        if group:
            self.start.set_date(group.start_date)
            self.end.set_date(group.end_date)
        form = QFormLayout()
        form.addRow("党小组名称", self.name)
        form.addRow("党小组组长", self.leader)
        form.addRow("成立日期", self.start)
        form.addRow("撤销日期", self.end)
        note = QLabel("党小组会只在党小组存在期间按频次提醒和检查。")
        note.setWordWrap(True)
        form.addRow(note)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        self.finish_layout(layout)

    def write(self) -> None:
        try:
            start, end = self.start.date(), self.end.date()
        except DateParseError as exc:
            raise InputError(f"日期：{exc}") from None
        self.book.branch.save_group(
            PartyGroup(
                id=self.group.id if self.group else None,
                name=self.name.text(),
                leader_id=self.leader.currentData(),
                start_date=start,
                end_date=end,
            )
        )


class SettingsPage(QWidget):
    changed = Signal()

    def __init__(self, book: Book, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        tabs = QTabWidget()
        tabs.addTab(self._profile_tab(), "支部信息")
        tabs.addTab(self._committee_tab(), "支部委员会")
        tabs.addTab(self._groups_tab(), "党小组")
        from branchdesk.areas import load
        from branchdesk.areas.registry import AREAS
        from branchdesk.ui.settings.fonts import FontSettings

        self.fonts = FontSettings(book)
        tabs.addTab(self.fonts, "打印字体")
        #: The tabs the areas add (会议频次 …), by title.
        self.area_tabs: dict[str, QWidget] = {}
        for area in AREAS:
            for tab_title, dotted in area.settings_tabs:
                tab = load(dotted)(book)
                self.area_tabs[tab_title] = tab
                tabs.addTab(_scrolled(tab), tab_title)
        tabs.addTab(self._backup_tab(), "数据与备份")
        from branchdesk.ui.settings.password import PasswordTab

        self.password = PasswordTab(book)
        tabs.addTab(_scrolled(self.password), "账簿密码")
        self.tabs = tabs
        self._tab = 0
        tabs.currentChanged.connect(self._tab_changed)
        layout = QVBoxLayout(self)
        title = QLabel("设置")
        title.setStyleSheet("font-size: 18px; font-weight: bold;")
        layout.addWidget(title)
        layout.addWidget(tabs)
        watch(self, book, ("branch", "roster", "*"), lambda _c: self.reload())
        self.reload()

    # -- 支部信息 ------------------------------------------------------------------------
    def _profile_tab(self) -> QWidget:
        w = QWidget()
        self.branch_name = QLineEdit()
        self.parent_org = QLineEdit()
        self.profile_error = error_label()
        save = QPushButton("保存支部信息")
        save.clicked.connect(self.save_profile)
        form = QFormLayout(w)
        form.addRow("支部名称 *", self.branch_name)
        form.addRow("上级党组织", self.parent_org)
        form.addRow(self.profile_error)
        form.addRow(save)
        return w

    def save_profile(self) -> bool:
        try:
            self.book.branch.set_profile(self.branch_name.text(), self.parent_org.text())
        except InputError as exc:
            self.profile_error.setText(f"未保存：{exc}")
            self.profile_error.show()
            return False
        self.profile_error.hide()
        self._profile = self.book.branch.profile()
        self.changed.emit()
        return True

    def profile_dirty(self) -> bool:
        p = self._profile
        return (self.branch_name.text().strip(), self.parent_org.text().strip()) != (
            p.name,
            p.parent_org,
        )

    def can_leave(self) -> bool:
        """Unsaved 支部信息: ask to save, discard or stay. True when leaving is fine."""
        if not self.profile_dirty():
            return True
        answer = QMessageBox.question(
            self,
            "支部信息尚未保存",
            "支部信息已修改但还没有保存。要保存吗？",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save_profile()
        if answer == QMessageBox.StandardButton.Discard:
            self.branch_name.setText(self._profile.name)
            self.parent_org.setText(self._profile.parent_org)
            self.profile_error.hide()
            return True
        return False

    def _tab_changed(self, index: int) -> None:
        if self._tab == 0 and index != 0 and not self.can_leave():
            self.tabs.blockSignals(True)
            self.tabs.setCurrentIndex(0)
            self.tabs.blockSignals(False)
            return
        self._tab = index

    # -- 支部委员会 ----------------------------------------------------------------------
    def _committee_tab(self) -> QWidget:
        w = QWidget()
        self.committee = _table(["姓名", "职务", "任期起", "任期止"])
        self.committee.doubleClicked.connect(lambda _i: self.edit_post())
        note = QLabel("正式党员7人以上的党支部设支部委员会；机关党支部委员会每届任期3年。")
        note.setWordWrap(True)
        buttons = QHBoxLayout()
        for text, slot in (
            ("添加", self.add_post),
            ("编辑", self.edit_post),
            ("移除", self.remove_post),
        ):
            b = QPushButton(text)
            b.clicked.connect(slot)
            buttons.addWidget(b)
        buttons.addStretch()
        layout = QVBoxLayout(w)
        layout.addWidget(note)
        layout.addWidget(self.committee)
        layout.addLayout(buttons)
        return w

    def _selected(self, table: QTableWidget, items: list) -> object | None:
        rows = table.selectionModel().selectedRows()
        return items[rows[0].row()] if rows else None

    def add_post(self) -> None:
        if PostDialog(self.book, None, self).exec():
            self.reload()

    def edit_post(self) -> None:
        post = self._selected(self.committee, self._posts)
        if isinstance(post, CommitteePost) and PostDialog(self.book, post, self).exec():
            self.reload()

    def remove_post(self) -> None:
        post = self._selected(self.committee, self._posts)
        if isinstance(post, CommitteePost) and confirm(
            self, "移除", f"确定从支委会名单中移除“{post.member_name}（{post.post}）”吗？"
        ):
            self.book.branch.delete_post(post.id or 0)
            self.reload()

    # -- 党小组 --------------------------------------------------------------------------
    def _groups_tab(self) -> QWidget:
        w = QWidget()
        self.groups = _table(["党小组", "组长", "成立日期", "撤销日期"])
        self.groups.doubleClicked.connect(lambda _i: self.edit_group())
        buttons = QHBoxLayout()
        for text, slot in (
            ("新建党小组", self.add_group),
            ("编辑", self.edit_group),
            ("删除", self.remove_group),
        ):
            b = QPushButton(text)
            b.clicked.connect(slot)
            buttons.addWidget(b)
        buttons.addStretch()
        layout = QVBoxLayout(w)
        layout.addWidget(self.groups)
        layout.addLayout(buttons)
        return w

    def add_group(self) -> None:
        if GroupDialog(self.book, None, self).exec():
            self.reload()
            self.changed.emit()

    def edit_group(self) -> None:
        group = self._selected(self.groups, self._groups)
        if isinstance(group, PartyGroup) and GroupDialog(self.book, group, self).exec():
            self.reload()
            self.changed.emit()

    def remove_group(self) -> None:
        group = self._selected(self.groups, self._groups)
        if isinstance(group, PartyGroup) and confirm(
            self, "删除党小组", f"确定删除“{group.name}”吗？组内党员仍在名册中，变为未分组。"
        ):
            self.book.branch.delete_group(group.id or 0)
            self.reload()
            self.changed.emit()

    # -- 数据与备份 ----------------------------------------------------------------------
    def _backup_tab(self) -> QWidget:
        w = QWidget()
        self.book_path = QLabel(str(self.book.path))
        self.book_path.setWordWrap(True)
        self.backups = _table(["时间", "类型", "文件"])
        buttons = QHBoxLayout()
        for text, slot in (
            ("立即备份", self.backup_now),
            ("备份到…（如U盘）", self.backup_to),
            ("从备份恢复…", self.restore),
        ):
            b = QPushButton(text)
            b.clicked.connect(slot)
            buttons.addWidget(b)
        buttons.addStretch()
        note = QLabel(
            "关闭程序时及每天首次修改后自动备份，保留最近7天、4周、12个月的备份。"
            "恢复前会先备份当前账簿。"
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(w)
        form = QFormLayout()
        form.addRow("账簿文件", self.book_path)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.backups)
        layout.addLayout(buttons)
        return w

    def backup_now(self) -> None:
        job, token = self.book.backup_job("manual")

        def done(made: object) -> None:
            self.book.backed_up(token)
            self.reload()
            QMessageBox.information(self, "备份完成", f"已备份到：\n{getattr(made, 'path', made)}")

        run_in_background(
            self,
            job,
            done,
            lambda exc: QMessageBox.warning(self, "备份失败", str(exc)),
            label="正在备份账簿…",
        )

    def backup_to(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "备份到", f"{self.book.path.stem}-备份.db", "账簿文件 (*.db)"
        )
        if not path:
            return
        try:
            job = self.book.backup_to_job(Path(path))
        except (OSError, BookError) as exc:
            QMessageBox.warning(self, "备份失败", str(exc))
            return
        run_in_background(
            self,
            job,
            lambda _t: QMessageBox.information(self, "备份完成", f"已备份到：\n{path}"),
            lambda exc: QMessageBox.warning(self, "备份失败", str(exc)),
            label="正在备份账簿…",
        )

    def restore(self) -> None:
        backups = self.book.list_backups()
        folder = str(backups[0].path.parent) if backups else ""
        path, _ = QFileDialog.getOpenFileName(self, "选择要恢复的备份", folder, "账簿文件 (*.db)")
        if not path or not confirm(
            self,
            "从备份恢复",
            f"将用备份“{Path(path).name}”替换当前账簿的全部内容。\n当前账簿会先自动备份。确定吗？",
        ):
            return
        try:
            job = self.book.restore_job(Path(path))
        except (PasswordRequiredError, WrongPasswordError):
            # A backup with a password (another one than the book's, or the book has none
            # now): ask for the backup's own password.
            if not self._unlock_backup(Path(path)):
                return
            try:
                job = self.book.restore_job(Path(path))
            except BookError as exc:
                QMessageBox.warning(self, "无法恢复", str(exc))
                return
        except BookError as exc:
            QMessageBox.warning(self, "无法恢复", str(exc))
            return

        def done(kept: object) -> None:
            self.book.restored()  # every page shows the restored book
            self.changed.emit()
            QMessageBox.information(
                self, "恢复完成", f"已恢复。恢复前的账簿保存在：\n{getattr(kept, 'path', kept)}"
            )

        run_in_background(
            self,
            job,
            done,
            lambda exc: QMessageBox.warning(self, "无法恢复", str(exc)),
            label="正在从备份恢复…",
        )

    def _unlock_backup(self, path: Path) -> bool:
        from branchdesk.ui.password import PasswordDialog, unlock_check

        dialog = PasswordDialog(
            path,
            unlock_check(path, process_key=False),
            self,
            text=f"备份“{path.name}”设置了密码（可能是更改密码之前的旧密码），请输入它的密码。",
        )
        return bool(dialog.exec())

    def show_target(self, target: object) -> None:
        """A reminder about the committee opens its tab."""
        if getattr(target, "kind", "") == "committee":
            self.tabs.setCurrentIndex(1)

    # -- all -----------------------------------------------------------------------------
    def reload(self) -> None:
        profile = self.book.branch.profile()
        if not hasattr(self, "_profile") or not self.profile_dirty():
            # Text being typed is kept when something else in the book changes.
            self.branch_name.setText(profile.name)
            self.parent_org.setText(profile.parent_org)
        self._profile = profile
        self._posts = self.book.branch.committee()
        _fill(
            self.committee,
            [
                (p.member_name, p.post, format_cn(p.term_start), format_cn(p.term_end))
                for p in self._posts
            ],
        )
        self._groups = self.book.branch.groups()
        _fill(
            self.groups,
            [
                (g.name, g.leader_name, format_cn(g.start_date), format_cn(g.end_date))
                for g in self._groups
            ],
        )
        _fill(
            self.backups,
            [
                (b.taken_at.strftime("%Y-%m-%d %H:%M"), b.label, b.path.name)
                for b in self.book.list_backups()
            ],
        )
