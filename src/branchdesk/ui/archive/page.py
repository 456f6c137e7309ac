"""档案: a year's filing in the steps the secretary sees — ① check (each gap a link to
fix it) → ② choose the 件 and their 保管期限 → ③ number → ④ print the volumes → ⑤ lock —
plus the archive settings, un-filing (with a reason, logged) and the audit trail."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from branchdesk.areas import ArchiveItem, Target
from branchdesk.areas.archive.hooks import (
    operator_name,
    set_operator_name,
    year_gaps,
    year_items,
)
from branchdesk.areas.archive.jobs import Volume, file_year, plan, volume_docx_job, volumes_job
from branchdesk.areas.meetings.archive import minutes_retention
from branchdesk.domain.archive import DEFAULT_PAGES_PER_VOLUME, RETENTIONS
from branchdesk.store import Book, InputError
from branchdesk.ui.archive.audit import AuditView
from branchdesk.ui.changes import watch
from branchdesk.ui.print_preview import preview_pdf
from branchdesk.ui.tasks import run_in_background
from branchdesk.ui.widgets import confirm

CHOSEN, NUMBER, TITLE, DATE, RETENTION, AREA = range(6)


class ArchivePage(QWidget):
    def __init__(self, book: Book, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.items: list[ArchiveItem] = []
        self.volumes: list[Volume] = []
        from branchdesk.areas.registry import AREAS

        self._area_titles = {a.key: a.title for a in AREAS}
        title = QLabel("档案")
        title.setStyleSheet("font-size: 18px; font-weight: bold;")
        self.tabs = QTabWidget()
        self.tabs.addTab(self._filing_tab(), "年度归档")
        self.audit = AuditView(book)
        self.tabs.addTab(self.audit, "修改记录")
        self.settings = ArchiveSettings(book)
        self.tabs.addTab(self.settings, "归档设置")
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.tabs)
        watch(self, book, ("meetings", "roster", "archive", "settings", "branch"), self.refresh)
        self.reload_years()

    # -- building -------------------------------------------------------------------------
    def _filing_tab(self) -> QWidget:
        tab = QWidget()
        self.year = QComboBox()
        self.year.currentIndexChanged.connect(self.reload)
        self.state = QLabel()
        self.state.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel("年度"))
        top.addWidget(self.year)
        top.addWidget(self.state, 1)

        self.gaps = QListWidget()
        self.gaps.setMaximumHeight(110)
        self.gaps.itemActivated.connect(self._open_gap)
        self.gaps.itemDoubleClicked.connect(self._open_gap)
        step1 = QGroupBox("① 检查材料是否齐全（双击一行去补齐）")
        QVBoxLayout(step1).addWidget(self.gaps)

        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(["归档", "件号", "题名", "日期", "保管期限", "类别"])
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.setColumnWidth(TITLE, 380)
        self.table.verticalHeader().hide()
        step2 = QGroupBox(
            "② 选择归档文件与保管期限   ③ 编号（件号按保管期限分组，按类别、日期排列）"
        )
        box2 = QVBoxLayout(step2)
        box2.addWidget(self.table)
        self.number_button = QPushButton("③ 编号")
        self.number_button.clicked.connect(self.number)
        self.print_button = QPushButton("④ 打印归档卷…")
        self.print_button.clicked.connect(self.print_volumes)
        self.volume_choice = QComboBox()
        self.preview_button = QPushButton("预览所选卷")
        self.preview_button.clicked.connect(self.preview_volume)
        self.preview_button.setEnabled(False)
        self.docx_button = QPushButton("导出Word…")
        self.docx_button.setToolTip("归档卷的Word副本（.docx），内容与打印的归档卷相同")
        self.docx_button.clicked.connect(self.export_docx)
        self.file_button = QPushButton("⑤ 归档并锁定")
        self.file_button.setStyleSheet("font-weight: bold;")
        self.file_button.clicked.connect(self.file)
        self.unfile_button = QPushButton("撤销归档…")
        self.unfile_button.clicked.connect(self.unfile)
        steps = QHBoxLayout()
        for w in (self.number_button, self.print_button, self.volume_choice,
                  self.preview_button, self.docx_button):  # fmt: skip
            steps.addWidget(w)
        steps.addStretch()
        steps.addWidget(self.file_button)
        steps.addWidget(self.unfile_button)
        layout = QVBoxLayout(tab)
        layout.addLayout(top)
        layout.addWidget(step1)
        layout.addWidget(step2, 1)
        layout.addLayout(steps)
        return tab

    # -- data ---------------------------------------------------------------------------
    def reload_years(self) -> None:
        current = self.year.currentData()
        today = dt.date.today()
        years = sorted({*self.book.meetings.years(), today.year - 1, today.year}, reverse=True)
        self.year.blockSignals(True)
        self.year.clear()
        for y in years:
            self.year.addItem(f"{y}年", y)
        wanted = current if current is not None else today.year - 1
        self.year.setCurrentIndex(max(self.year.findData(wanted), 0))
        self.year.blockSignals(False)
        self.reload()

    def refresh(self, _change: object = None) -> None:
        self.reload_years()
        self.audit.reload()

    def reload(self) -> None:
        year = self.year.currentData()
        if year is None:
            return
        self.items = year_items(self.book, year)
        filed = self.book.archive.filed_years().get(year)
        if filed is not None:
            self.state.setText(f"{year}年度已于 {filed.at} 归档（经办人：{filed.who or '—'}）："
                               "记录已锁定，只能查看；错误请在记录中写更正。")  # fmt: skip
            self.state.setStyleSheet("color: #6a3d00; font-weight: bold;")
        else:
            self.state.setText(f"{year}年度尚未归档，共 {len(self.items)} 件可归档文件。")
            self.state.setStyleSheet("")
        self.gaps.clear()
        gaps = year_gaps(self.book, year, self.items)
        for gap in gaps:
            item = QListWidgetItem("⚠ " + gap.text)
            item.setData(Qt.ItemDataRole.UserRole, gap.target)
            self.gaps.addItem(item)
        if not gaps:
            self.gaps.addItem("✓ 材料齐全，可以归档")
        self.table.setRowCount(len(self.items))
        for r, it in enumerate(self.items):
            chosen = QTableWidgetItem()
            chosen.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            chosen.setCheckState(Qt.CheckState.Checked)
            self.table.setItem(r, CHOSEN, chosen)
            area = self._area_titles.get(it.area, it.area)
            for col, text in ((NUMBER, ""), (TITLE, it.title), (DATE, it.date.isoformat()),
                              (AREA, area)):  # fmt: skip
                cell = QTableWidgetItem(text)
                cell.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(r, col, cell)
            combo = QComboBox()
            combo.addItems(list(RETENTIONS))
            combo.setCurrentText(it.retention)
            combo.setEnabled(filed is None)
            self.table.setCellWidget(r, RETENTION, combo)
        for w in (self.number_button, self.file_button):
            w.setEnabled(filed is None)
        self.unfile_button.setEnabled(filed is not None)
        self.volumes = []
        self.volume_choice.clear()
        self.preview_button.setEnabled(False)

    def chosen(self) -> dict[str, str]:
        """key → 保管期限 of the rows ticked."""
        out = {}
        for r, it in enumerate(self.items):
            cell = self.table.item(r, CHOSEN)
            combo = self.table.cellWidget(r, RETENTION)
            if cell is not None and cell.checkState() == Qt.CheckState.Checked:
                out[it.key] = combo.currentText() if isinstance(combo, QComboBox) else it.retention
        return out

    # -- steps --------------------------------------------------------------------------
    def _open_gap(self, item: QListWidgetItem) -> None:
        target = item.data(Qt.ItemDataRole.UserRole)
        if not isinstance(target, Target):
            return
        if target.area == "archive":
            self.tabs.setCurrentIndex(2)
            return
        window = self.window()
        if hasattr(window, "open_target"):
            window.open_target(target)

    def number(self) -> None:
        planned = {p.item.key: p for p in plan(self.book, self.year.currentData(), self.chosen(),
                                               self.items)}  # fmt: skip
        for r, it in enumerate(self.items):
            p = planned.get(it.key)
            cell = self.table.item(r, NUMBER)
            if cell is not None:
                cell.setText(f"{p.retention}-{p.number}" if p else "")

    def print_volumes(self) -> None:
        year = self.year.currentData()
        try:
            job = volumes_job(self.book, year, self.chosen())
        except InputError as exc:
            QMessageBox.warning(self, "打印归档卷", str(exc))
            return
        self.number()

        def done(volumes: list[Volume]) -> None:
            self.volumes = volumes
            self.volume_choice.clear()
            for v in volumes:
                self.volume_choice.addItem(
                    f"第{v.number}卷（{v.retention}，{len(v.items)}件，{v.pages}页）", v.number
                )
            self.preview_button.setEnabled(bool(volumes))
            if volumes:
                self.preview_volume()

        run_in_background(self, job, done,
                          lambda exc: QMessageBox.warning(self, "打印归档卷", str(exc)),
                          label="正在生成归档卷…")  # fmt: skip

    def preview_volume(self) -> None:
        number = self.volume_choice.currentData()
        chosen = [v for v in self.volumes if v.number == number]
        if not chosen:
            return
        volume = chosen[0]
        year = self.year.currentData()
        preview_pdf(self, lambda: volume.data, f"{year}年度归档卷 第{volume.number}卷",
                    f"{year}年度归档卷-第{volume.number}卷.pdf")  # fmt: skip

    def export_docx(self) -> None:
        """The Word copy of the year's volumes (the chosen 件), one .docx."""
        year = self.year.currentData()
        name = f"{self.book.branch.profile().name}{year}年度归档卷.docx"
        path, _ = QFileDialog.getSaveFileName(self, "导出Word", name, "Word 文档 (*.docx)")
        if not path:
            return
        try:
            job = volume_docx_job(self.book, year, chosen=self.chosen())
        except InputError as exc:
            QMessageBox.warning(self, "导出Word", str(exc))
            return

        def done(data: bytes) -> None:
            try:
                Path(path).write_bytes(data)
            except OSError as exc:
                QMessageBox.warning(self, "导出Word", f"不能写入 {path}：{exc.strerror or exc}")
                return
            self.last_docx = path
            QMessageBox.information(self, "导出Word", f"已导出 {path}")

        run_in_background(self, job, done,
                          lambda exc: QMessageBox.warning(self, "导出Word", str(exc)),
                          label="正在生成Word文档…")  # fmt: skip

    def file(self) -> None:
        year = self.year.currentData()
        gaps = year_gaps(self.book, year, self.items)
        text = (f"确定将{year}年度归档吗？\n\n归档后，该年度的会议记录、出缺席、决议、名册变动等"
                "记录将被锁定，任何人都不能再修改或删除；发现错误只能另写更正说明。")  # fmt: skip
        if gaps:
            text += f"\n\n注意：还有{len(gaps)}处材料不完整（见①）。仍要归档吗？"
        if not confirm(self, "归档并锁定", text):
            return
        try:
            planned, _tables = file_year(self.book, year, self.chosen(), despite_gaps=True)
        except InputError as exc:
            QMessageBox.warning(self, "归档", str(exc))
            return
        QMessageBox.information(self, "归档", f"{year}年度已归档：{len(planned)} 件，记录已锁定。")

    def unfile(self) -> None:
        year = self.year.currentData()
        reason, ok = QInputDialog.getText(
            self, "撤销归档", f"撤销{year}年度的归档须写明原因（将永久记录在案）："
        )
        if not ok:
            return
        try:
            self.book.archive.unfile_year(year, reason)
        except InputError as exc:
            QMessageBox.warning(self, "撤销归档", str(exc))

    def show_target(self, target: object) -> None:
        year = getattr(target, "id", None)
        if getattr(target, "kind", "") == "year" and year is not None:
            self.tabs.setCurrentIndex(0)
            self.year.setCurrentIndex(max(self.year.findData(year), 0))


class ArchiveSettings(QWidget):
    """全宗号, the minutes' 保管期限, pages per volume, 立卷人/检查人 (in the book), and the
    name of whoever uses this PC (a per-PC file: the audit trail's "who")."""

    def __init__(self, book: Book, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        s = book.settings
        self.fonds = QLineEdit(s.get("archive.fonds", ""))
        self.fonds.setPlaceholderText("由档案室给定，如 Z118")
        self.minutes_retention = QComboBox()
        self.minutes_retention.addItems(["30年", "10年"])
        self.minutes_retention.setCurrentText(minutes_retention(book))
        self.pages_per_volume = QSpinBox()
        self.pages_per_volume.setRange(20, 2000)
        try:
            pages = int(s.get("archive.pages_per_volume", str(DEFAULT_PAGES_PER_VOLUME)))
        except ValueError:
            pages = DEFAULT_PAGES_PER_VOLUME
        self.pages_per_volume.setValue(pages)
        self.compiler = QLineEdit(s.get("archive.compiler", ""))
        self.checker = QLineEdit(s.get("archive.checker", ""))
        self.operator = QLineEdit(operator_name())
        self.saved = QLabel()
        save = QPushButton("保存设置")
        save.clicked.connect(self.save)
        self.save_button = save
        form = QFormLayout(self)
        form.addRow("全宗号", self.fonds)
        form.addRow("会议记录保管期限", self.minutes_retention)
        form.addRow("每卷最多页数", self.pages_per_volume)
        form.addRow("立卷人", self.compiler)
        form.addRow("检查人", self.checker)
        form.addRow("本机使用人（记入修改记录）", self.operator)
        form.addRow(save, self.saved)

    def save(self) -> None:
        with self.book.atomic("settings"):
            s = self.book.settings
            s.set("archive.fonds", self.fonds.text().strip())
            s.set("archive.minutes_retention", self.minutes_retention.currentText())
            s.set("archive.pages_per_volume", str(self.pages_per_volume.value()))
            s.set("archive.compiler", self.compiler.text().strip())
            s.set("archive.checker", self.checker.text().strip())
        set_operator_name(self.operator.text(), self.book)
        self.saved.setText("已保存")
