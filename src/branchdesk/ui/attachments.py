"""附件 of one record — a meeting or a talk: photos and scans kept inside the book, shown as
thumbnails.

A saved record writes each file to the book at once (so a photo is not lost with an
unsaved form); a new record keeps them pending until its first save. Where the files go is
an ``AttachmentStore``: ``MeetingFiles`` and ``TalkFiles`` below.

Decoding, shrinking and thumbnailing photos (and reading stored ones from the book) run
in a worker thread: a 20 MB photo takes a second to decode, and a meeting can have many.
QImage is safe off the GUI thread; only the final QPixmap is made on it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from branchdesk.store import Book
from branchdesk.ui.tasks import run_in_background
from branchdesk.ui.widgets import confirm

#: Photos larger than this on their long side are scaled down when 缩小大照片 is ticked.
MAX_SIDE = 2000
JPEG_QUALITY = 85
THUMB = 120
FILE_FILTER = "图片和PDF (*.jpg *.jpeg *.png *.bmp *.gif *.webp *.pdf);;所有文件 (*)"
MIMES = {
    ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".bmp": "image/bmp",
    ".gif": "image/gif", ".webp": "image/webp", ".pdf": "application/pdf",
}  # fmt: skip


@dataclass(frozen=True)
class PreparedFile:
    name: str
    mime: str
    data: bytes
    width: int = 0
    height: int = 0


def jpeg_bytes(image: QImage, quality: int = JPEG_QUALITY) -> bytes:
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # PySide6's stub names no overload taking a QIODevice, though Qt has one.
    image.save(buffer, "JPEG", quality)  # type: ignore[call-overload]
    buffer.close()
    return bytes(array.data())


def thumbnail(mime: str, data: bytes, side: int = THUMB) -> QImage | None:
    """A ``side``-sized image of a photo (None for other files); runs in a worker."""
    if not mime.startswith("image/"):
        return None
    image = QImage.fromData(data)
    if image.isNull():
        return None
    return image.scaled(
        side, side, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )


def prepare_file(path: Path, shrink: bool) -> PreparedFile:
    """Read a file; a photo over MAX_SIDE px is re-encoded as JPEG when ``shrink``."""
    data = path.read_bytes()
    mime = MIMES.get(path.suffix.lower(), "application/octet-stream")
    if not mime.startswith("image/"):
        return PreparedFile(path.name, mime, data)
    image = QImage.fromData(data)
    if image.isNull():
        return PreparedFile(path.name, mime, data)
    if shrink and max(image.width(), image.height()) > MAX_SIDE:
        image = image.scaled(
            MAX_SIDE,
            MAX_SIDE,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        return PreparedFile(
            path.with_suffix(".jpg").name,
            "image/jpeg",
            jpeg_bytes(image),
            image.width(),
            image.height(),
        )
    return PreparedFile(path.name, mime, data, image.width(), image.height())


class Listed(Protocol):
    """A stored file as the record lists it (no bytes)."""

    @property
    def id(self) -> int | None: ...
    @property
    def name(self) -> str: ...
    @property
    def mime(self) -> str: ...


class AttachmentStore(Protocol):
    """Where one kind of record keeps its files."""

    #: The record, in the note under the list ("保存会议记录时").
    record_word: str

    def add(self, owner_id: int, f: PreparedFile) -> int: ...
    def remove(self, attachment_id: int) -> None: ...
    def read_job(self, ids: list[int]) -> Callable[[], dict[int, bytes]]: ...


class MeetingFiles:
    record_word = "会议记录"

    def __init__(self, book: Book) -> None:
        self.book = book

    def add(self, owner_id: int, f: PreparedFile) -> int:
        return self.book.meetings.add_attachment(owner_id, f.name, f.mime, f.data, f.width,
                                                 f.height)  # fmt: skip

    def remove(self, attachment_id: int) -> None:
        self.book.meetings.remove_attachment(attachment_id)

    def read_job(self, ids: list[int]) -> Callable[[], dict[int, bytes]]:
        return self.book.attachments_job(ids)


class TalkFiles:
    record_word = "谈话记录"

    def __init__(self, book: Book) -> None:
        self.book = book

    def add(self, owner_id: int, f: PreparedFile) -> int:
        return self.book.talks.add_attachment(owner_id, f.name, f.data, f.mime)

    def remove(self, attachment_id: int) -> None:
        self.book.talks.delete_attachment(attachment_id)

    def read_job(self, ids: list[int]) -> Callable[[], dict[int, bytes]]:
        return self.book.attachments_job(ids, table="talk_attachment")


class AttachmentsWidget(QWidget):
    """The files of one record. ``owner_id`` None: a new record (files kept until
    ``store_pending``). ``thumb``: the thumbnail size (the talk form's column is narrow)."""

    changed = Signal()
    #: A file finished preparing or the thumbnails finished loading.
    loaded = Signal()

    def __init__(
        self,
        book: Book,
        owner_id: int | None,
        store: AttachmentStore,
        parent: QWidget | None = None,
        *,
        thumb: int = THUMB,
    ) -> None:
        super().__init__(parent)
        self.book = book
        self.owner_id = owner_id
        self.store = store
        self.thumb = thumb
        self.pending: list[PreparedFile] = []
        #: Files still being prepared (or thumbnails read) in a worker.
        self.loading = 0

        self.list = QListWidget()
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setIconSize(QSize(thumb, thumb))
        self.list.setGridSize(QSize(thumb + 40, thumb + 44))
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setWordWrap(True)
        self.shrink = QCheckBox(f"缩小大照片（长边超过{MAX_SIDE}像素的照片压缩后保存）")
        self.shrink.setChecked(True)
        self.add_button = QPushButton("添加照片或扫描件…")
        self.add_button.clicked.connect(self.choose_files)
        self.remove_button = QPushButton("删除所选")
        self.remove_button.clicked.connect(self.remove_selected)
        self.note = QLabel()
        self.note.setStyleSheet("color: #555;")

        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.shrink)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.list)
        layout.addWidget(self.note)

    def load(self, attachments: Sequence[Listed]) -> None:
        """Show the stored files by name at once; their thumbnails follow from a worker."""
        items = {}
        for info in attachments:
            items[info.id or 0] = self._show(info.name, info.mime, None, ("stored", info.id))
        self._update_note()
        if not items:
            return
        read = self.store.read_job(list(items))
        mimes = {info.id or 0: info.mime for info in attachments}
        side = self.thumb

        def thumbs() -> dict[int, tuple[int, QImage | None]]:
            return {i: (len(d), thumbnail(mimes[i], d, side)) for i, d in read().items()}

        self.loading += 1
        run_in_background(self, thumbs, lambda got: self._set_thumbs(items, got), self._failed,
                          label="正在载入附件…", progress=False)  # fmt: skip

    def _set_thumbs(
        self, items: dict[int, QListWidgetItem], got: dict[int, tuple[int, QImage | None]]
    ) -> None:
        self.loading -= 1
        for attachment_id, (size, thumb) in got.items():
            item = items.get(attachment_id)
            if item is None:
                continue
            if thumb is not None:
                item.setIcon(QIcon(QPixmap.fromImage(thumb)))
            item.setToolTip(f"{item.text()}（{size // 1024} KB）")
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        self.loading -= 1
        self.note.setText(f"附件未能处理：{exc}")
        self.loaded.emit()

    def _show(
        self, name: str, mime: str, thumb: QImage | None, key: object, size: int = -1
    ) -> QListWidgetItem:
        icon: QIcon
        if thumb is None:
            icon = self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        else:
            icon = QIcon(QPixmap.fromImage(thumb))
        item = QListWidgetItem(icon, name)
        item.setToolTip(f"{name}（{size // 1024} KB）" if size >= 0 else name)
        item.setData(Qt.ItemDataRole.UserRole, key)
        self.list.addItem(item)
        return item

    def _update_note(self) -> None:
        waiting = sum(1 for p in self.pending if p.name)
        if waiting:
            self.note.setText(f"{waiting} 个文件将在保存{self.store.record_word}时存入本记录本。")
        else:
            self.note.setText("附件保存在记录本内，随记录本一起备份。")

    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "选择照片或扫描件", "", FILE_FILTER)
        for p in paths:
            self.add_file(Path(p))

    def add_file(self, path: Path) -> None:
        """Prepare the file in a worker (decode, shrink, thumbnail), then keep it."""
        shrink = self.shrink.isChecked()
        side = self.thumb

        def prepare() -> tuple[PreparedFile, QImage | None]:
            prepared = prepare_file(path, shrink)
            return prepared, thumbnail(prepared.mime, prepared.data, side)

        self.loading += 1
        self.note.setText(f"正在处理“{path.name}”…")
        run_in_background(self, prepare, self._prepared, self._failed,
                          label=f"正在处理“{path.name}”…")  # fmt: skip

    def _prepared(self, result: tuple[PreparedFile, QImage | None]) -> None:
        self.loading -= 1
        prepared, thumb = result
        if self.owner_id is None:
            self.pending.append(prepared)
            key: object = ("pending", len(self.pending) - 1)
        else:
            key = ("stored", self.store.add(self.owner_id, prepared))
        self._show(prepared.name, prepared.mime, thumb, key, len(prepared.data))
        self._update_note()
        self.changed.emit()
        self.loaded.emit()

    def remove_selected(self) -> None:
        items = self.list.selectedItems()
        if not items:
            return
        item = items[0]
        if not confirm(self, "删除附件", f"确定删除附件“{item.text()}”吗？"):
            return
        kind, key = item.data(Qt.ItemDataRole.UserRole)
        if kind == "stored":
            self.store.remove(key)
        else:
            self.pending[key] = PreparedFile("", "", b"")  # keep the other keys stable
        self.list.takeItem(self.list.row(item))
        self._update_note()
        self.changed.emit()

    def store_pending(self, owner_id: int) -> None:
        """After the first save: write the files kept so far (a file still being prepared
        is written when it is ready, the record now having its id)."""
        self.owner_id = owner_id
        for p in self.pending:
            if p.name:
                self.store.add(owner_id, p)
        self.pending = []
