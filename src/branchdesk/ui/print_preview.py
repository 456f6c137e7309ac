"""Print preview: the PDF's pages on white paper, with 打印 (system dialog), 另存为PDF and
the page count. Pages are rendered with PDFium (pypdfium2) — the same pixels the printer
gets, whichever Qt wheel is installed (QtPdf is not in PySide6-Essentials before 6.12).

Memory stays bounded whatever the page count: the preview renders a page when it scrolls
into view and keeps only the last few (`PdfPages`), a page without colour in 8-bit grey;
printing renders, paints and lets go of one page at a time on a worker thread (a 300 dpi
A4 page is ~25 MB as an image).
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRect, QRectF, QSize
from PySide6.QtGui import QColor, QImage, QKeySequence, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from branchdesk.printing.pdfinfo import PDFIUM_LOCK
from branchdesk.ui.tasks import gc_paused, run_in_background
from branchdesk.ui.widgets import fit_to_screen, shortcut

#: Preview scale: 1 PDF point → this many screen pixels.
PREVIEW_SCALE = 1.25
#: Printer resolution used when rasterising pages for QPrinter.
PRINT_DPI = 300
#: Rendered preview pages kept (a screen shows two or three).
KEEP_PAGES = 8
GAP = 16  # pixels between pages, and around them


def _bitmap_image(page: object, scale: float) -> tuple[object, QImage]:
    """PDFium's bitmap of the page and a QImage over its buffer (valid while it lives)."""
    bitmap = page.render(  # type: ignore[attr-defined]
        scale=scale, rev_byteorder=True, fill_color=(255, 255, 255, 255)
    )
    image = QImage(
        bitmap.buffer,
        bitmap.width,
        bitmap.height,
        bitmap.stride,
        QImage.Format.Format_RGB888 if bitmap.n_channels == 3 else QImage.Format.Format_RGBA8888,
    )
    return bitmap, image


def _image(page: object, scale: float) -> QImage:
    _bitmap, image = _bitmap_image(page, scale)
    return image.copy()  # detach from PDFium's buffer


def _compact(image: QImage) -> QImage:
    """A page with no colour (black text on white: most forms) kept as 8-bit grey, a third
    of the memory, the very same pixels; a page with colour as it is."""
    if image.allGray():
        return image.convertToFormat(QImage.Format.Format_Grayscale8)
    return image


def iter_pages(pdf: bytes, scale: float, *, copy: bool = True) -> Iterator[QImage]:
    """Each page as a QImage, one at a time (thread-safe to use off the GUI thread:
    QImage, not QPixmap). Only the page being handed out is held. ``copy=False``: the
    image shares PDFium's buffer and is valid only until the next page is asked for (a
    printer that paints it at once saves a second 25 MB copy of a 300 dpi page)."""
    import pypdfium2 as pdfium

    # PDFium is not thread-safe: the lock is held for each call into it, and let go while
    # the caller paints a page (the preview may render on the GUI thread meanwhile).
    with PDFIUM_LOCK:
        doc = pdfium.PdfDocument(pdf)
        count = len(doc)
    try:
        for index in range(count):
            if copy:
                with PDFIUM_LOCK:
                    page = doc[index]
                    image = _image(page, scale)
                    page.close()
                yield image
            else:
                with PDFIUM_LOCK:
                    page = doc[index]
                    bitmap, image = _bitmap_image(page, scale)
                yield image
                with PDFIUM_LOCK:
                    del image, bitmap
                    page.close()
    finally:
        with PDFIUM_LOCK:
            doc.close()


def render_pages(pdf: bytes, scale: float) -> list[QImage]:
    """Every page as a QImage: for a few pages only (tests, thumbnails) — a long document
    is read with `iter_pages` or `PdfPages`."""
    return list(iter_pages(pdf, scale))


def pdf_duplex(pdf: bytes) -> str:
    """The PDF's /ViewerPreferences /Duplex ("DuplexFlipLongEdge", "DuplexFlipShortEdge",
    "Simplex" or "" when it names none)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    with PDFIUM_LOCK:
        doc = pdfium.PdfDocument(pdf)
        try:
            value = raw.FPDF_VIEWERREF_GetDuplex(doc.raw)
        finally:
            doc.close()
    return {raw.Simplex: "Simplex", raw.DuplexFlipShortEdge: "DuplexFlipShortEdge",
            raw.DuplexFlipLongEdge: "DuplexFlipLongEdge"}.get(value, "")  # fmt: skip


def duplex_mode(pdf: bytes) -> object:
    """The QPrinter duplex mode that the PDF's /Duplex names (None: it names none)."""
    from PySide6.QtPrintSupport import QPrinter

    return {"DuplexFlipLongEdge": QPrinter.DuplexMode.DuplexLongSide,
            "DuplexFlipShortEdge": QPrinter.DuplexMode.DuplexShortSide,
            "Simplex": QPrinter.DuplexMode.DuplexNone}.get(pdf_duplex(pdf))  # fmt: skip


def preset_duplex(printer: object, pdf: bytes) -> None:
    """Preselect in the print dialog the PDF's own duplex choice, named explicitly: left at
    DuplexAuto, Qt's CUPS backend sends a job whose first page is landscape (the roll) as
    two-sided-short-edge, which turns the back upside down against the binding (README,
    "Duplex (双面打印)"). The user can still change it in the dialog; a printer that cannot
    print on both sides ignores it."""
    from PySide6.QtPrintSupport import QPrinter

    assert isinstance(printer, QPrinter)
    mode = duplex_mode(pdf)
    if isinstance(mode, QPrinter.DuplexMode):
        printer.setDuplex(mode)


def _close_document(doc: Any) -> None:
    with PDFIUM_LOCK:
        doc.close()


class PdfPages:
    """A PDF's pages, rendered when asked for; the last KEEP_PAGES are kept. Sized like a
    list of QImages (``len``, ``[i]``), so it stands where a list of every page stood."""

    def __init__(self, pdf: bytes, scale: float, keep: int = KEEP_PAGES) -> None:
        import pypdfium2 as pdfium

        with PDFIUM_LOCK:
            self.doc = pdfium.PdfDocument(pdf)
            self.sizes = [
                QSize(round(w * scale), round(h * scale))
                for w, h in (self.doc.get_page_size(i) for i in range(len(self.doc)))
            ]
        # A preview dropped without close() lets go of its document under the lock too
        # (not in pypdfium2's own finaliser, beside a print job on a worker).
        self._finalizer = weakref.finalize(self, _close_document, self.doc)
        self.scale = scale
        self.keep = keep
        self.closed = False
        self._cache: OrderedDict[int, QImage] = OrderedDict()

    def __len__(self) -> int:
        return len(self.sizes)

    def __bool__(self) -> bool:
        return bool(self.sizes)

    def __getitem__(self, index: int) -> QImage:
        if not -len(self) <= index < len(self):
            raise IndexError(index)
        index %= len(self)
        if index in self._cache:
            self._cache.move_to_end(index)
            return self._cache[index]
        if self.closed:  # painted after the dialog was closed: white paper
            blank = QImage(self.sizes[index], QImage.Format.Format_RGB888)
            blank.fill(QColor("white"))
            return blank
        with PDFIUM_LOCK:
            page = self.doc[index]
            image = _image(page, self.scale)
            page.close()  # PDFium keeps an open page's parsed content until it is closed
        self._cache[index] = image = _compact(image)
        while len(self._cache) > self.keep:
            self._cache.popitem(last=False)
        return image

    @property
    def held(self) -> int:
        """How many rendered pages are in memory now."""
        return len(self._cache)

    def close(self) -> None:
        self._cache.clear()
        if not self.closed:
            self.closed = True
            self._finalizer()  # closes the document, under the lock, once


class PagesView(QWidget):
    """All pages one under the other, painted only where they are on screen."""

    def __init__(self, pages: PdfPages) -> None:
        super().__init__()
        self.pages = pages
        self.tops: list[int] = []
        y = GAP
        for size in pages.sizes:
            self.tops.append(y)
            y += size.height() + GAP
        widest = max((s.width() for s in pages.sizes), default=600)
        self.setFixedSize(widest + 2 * GAP, max(y, 200))
        self.setAutoFillBackground(False)

    def page_rect(self, index: int) -> QRect:
        size = self.pages.sizes[index]
        return QRect((self.width() - size.width()) // 2, self.tops[index], size.width(),
                     size.height())  # fmt: skip

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        exposed = event.rect()
        painter.fillRect(exposed, QColor("#8a8a8a"))
        for index in range(len(self.pages)):
            rect = self.page_rect(index)
            if rect.bottom() < exposed.top():
                continue
            if rect.top() > exposed.bottom():
                break
            painter.drawImage(rect, self.pages[index])
            painter.setPen(QColor("#555555"))
            painter.drawRect(rect.adjusted(-1, -1, 0, 0))
        painter.end()


class PrintPreviewDialog(QDialog):
    def __init__(
        self,
        pdf: bytes,
        title: str,
        file_name: str,
        parent: QWidget | None = None,
        *,
        on_output: Callable[[str], None] | None = None,
    ) -> None:
        """``on_output``: called with "另存为PDF" or "打印" once the PDF was really saved or
        sent to the printer (a 公示 counts as printed only then, not when previewed)."""
        super().__init__(parent)
        self.pdf = pdf
        self.file_name = file_name
        self.on_output = on_output
        self.setWindowTitle(f"打印预览 — {title}")
        #: The pages, rendered as they are scrolled to (see PdfPages).
        self.images = PdfPages(pdf, PREVIEW_SCALE)
        self.view = PagesView(self.images)
        self.scroll_area = scroll = QScrollArea()
        scroll.setWidget(self.view)
        scroll.setWidgetResizable(False)
        scroll.setStyleSheet("QScrollArea { background: #8a8a8a; }")
        # Wide enough for the widest page (landscape rolls) and tall, as the screen allows.
        fit_to_screen(self, min(max(900, self.view.width() + 40), 1500), 860)
        self.count = QLabel(f"共 {len(self.images)} 页")
        self.print_button = QPushButton("打印… (Ctrl+P)")
        self.print_button.clicked.connect(self.print_document)
        self.save_button = QPushButton("另存为PDF…")
        self.save_button.clicked.connect(self.save_as)
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        bar = QHBoxLayout()
        bar.addWidget(self.count)
        bar.addStretch()
        bar.addWidget(self.print_button)
        bar.addWidget(self.save_button)
        bar.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addLayout(bar)
        shortcut(QKeySequence.StandardKey.Print, self, self.print_document)
        shortcut(QKeySequence.StandardKey.Save, self, self.save_as)
        self.finished.connect(lambda _result: self.images.close())
        #: Pages sent to the printer by the last 打印, once it has finished.
        self.printed: int | None = None

    def save_as(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "另存为PDF", self.file_name, "PDF 文件 (*.pdf)")
        if path:
            self.write_pdf(Path(path))

    def write_pdf(self, path: Path) -> None:
        try:
            from branchdesk.private_files import write_private

            write_private(path, self.pdf)  # a roster PDF may hold ID numbers
        except OSError as exc:
            QMessageBox.warning(self, "保存失败", f"无法写入 {path}：{exc.strerror}")
            return
        self._output("另存为PDF")
        QMessageBox.information(self, "已保存", f"已保存到：\n{path}")

    def _output(self, how: str) -> None:
        if self.on_output is not None:
            self.on_output(how)

    def print_document(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.file_name)
        preset_duplex(printer, self.pdf)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.print_to(printer)

    def print_to(self, printer: object) -> None:
        """Rasterise each page at PRINT_DPI and paint it, one page at a time, on a worker
        thread (QPainter may paint on a QPrinter off the GUI thread): one page in memory."""
        from PySide6.QtPrintSupport import QPrinter

        assert isinstance(printer, QPrinter)
        self._printer = printer  # kept alive while the worker paints on it
        pdf = self.pdf

        def paint() -> int:
            return print_pdf(pdf, printer)

        def failed(exc: BaseException) -> None:
            QMessageBox.warning(self, "打印失败", str(exc))

        def done(pages: int) -> None:
            self.printed = pages
            self._output("打印")

        self.printed = None
        run_in_background(self, paint, done, failed, label="正在打印…")


def print_pdf(pdf: bytes, printer: object, dpi: int = PRINT_DPI) -> int:
    """Paint every page of ``pdf`` on ``printer``, rendered at ``dpi`` one at a time;
    returns the number of pages. Runs on any thread."""
    from PySide6.QtGui import QPageLayout
    from PySide6.QtPrintSupport import QPrinter

    assert isinstance(printer, QPrinter)

    def orient(image: QImage) -> None:
        printer.setPageOrientation(
            QPageLayout.Orientation.Landscape
            if image.width() > image.height()
            else QPageLayout.Orientation.Portrait
        )

    printer.setFullPage(True)
    painter = QPainter()
    pages = 0
    for image in iter_pages(pdf, dpi / 72, copy=False):
        if pages == 0:
            orient(image)
            if not painter.begin(printer):
                raise OSError("无法连接打印机。")
        else:
            orient(image)
            printer.newPage()
        painter.drawImage(QRectF(painter.viewport()), image)
        pages += 1
        del image  # the next page is rendered only after this one is let go
    if pages:
        painter.end()
    return pages


def preview_pdf(
    parent: QWidget,
    make_pdf: Callable[[], bytes],
    title: str,
    file_name: str,
    *,
    on_output: Callable[[str], None] | None = None,
) -> None:
    """Build the PDF off the GUI thread (``make_pdf`` may also read the book there, on
    its own connection), then open the preview (non-blocking). ``on_output``: see
    PrintPreviewDialog."""

    def build() -> bytes:
        with gc_paused():
            return make_pdf()

    def show(pdf: bytes) -> None:
        dialog = PrintPreviewDialog(pdf, title, file_name, parent, on_output=on_output)
        parent.last_preview = dialog  # type: ignore[attr-defined]  # tests reach it here
        dialog.open()

    run_in_background(
        parent,
        build,
        show,
        lambda exc: QMessageBox.warning(parent, "无法生成PDF", str(exc)),
        label="正在生成PDF…",
    )


def preview_job(
    parent: QWidget, book: Any, read: Callable[[Any], Callable[[], Any]], title: str, file_name: str
) -> None:
    """Preview a print job whose reading half (``read(book)``: meetings × members for a
    year's volume) runs on the worker too, on a read-only connection of its own; the job
    it returns builds the PDF there as well."""
    reading = book.read_job(read)
    preview_pdf(parent, lambda: reading()().data, title, file_name)
