"""Print preview: the PDF's pages on white paper, with 打印 (system dialog), 另存为PDF and
the page count. Pages are rendered with PDFium (pypdfium2) — the same pixels the printer
gets, whichever Qt wheel is installed (QtPdf is not in PySide6-Essentials before 6.12)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QKeySequence, QPainter, QPixmap
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

from branchdesk.ui.tasks import run_in_background
from branchdesk.ui.widgets import fit_to_screen, shortcut

#: Preview scale: 1 PDF point → this many screen pixels.
PREVIEW_SCALE = 1.25
#: Printer resolution used when rasterising pages for QPrinter.
PRINT_DPI = 300


def render_pages(pdf: bytes, scale: float) -> list[QImage]:
    """Every page as a QImage (thread-safe to call off the GUI thread: QImage, not QPixmap)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    images = []
    try:
        for index in range(len(doc)):
            bitmap = doc[index].render(
                scale=scale, rev_byteorder=True, fill_color=(255, 255, 255, 255)
            )
            image = QImage(
                bitmap.buffer,
                bitmap.width,
                bitmap.height,
                bitmap.stride,
                QImage.Format.Format_RGB888
                if bitmap.n_channels == 3
                else QImage.Format.Format_RGBA8888,
            )
            images.append(image.copy())  # detach from PDFium's buffer
    finally:
        doc.close()
    return images


def pdf_duplex(pdf: bytes) -> str:
    """The PDF's /ViewerPreferences /Duplex ("DuplexFlipLongEdge", "DuplexFlipShortEdge",
    "Simplex" or "" when it names none)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

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


class PrintPreviewDialog(QDialog):
    def __init__(
        self,
        pdf: bytes,
        title: str,
        file_name: str,
        parent: QWidget | None = None,
        *,
        images: list[QImage] | None = None,
        on_output: Callable[[str], None] | None = None,
    ) -> None:
        """``images``: the pages already rendered (preview_pdf renders them in the worker,
        so a long volume does not freeze the window); rendered here when not given.
        ``on_output``: called with "另存为PDF" or "打印" once the PDF was really saved or
        sent to the printer (a 公示 counts as printed only then, not when previewed)."""
        super().__init__(parent)
        self.pdf = pdf
        self.file_name = file_name
        self.on_output = on_output
        self.setWindowTitle(f"打印预览 — {title}")

        self.pages = QVBoxLayout()
        self.pages.setSpacing(16)
        holder = QWidget()
        holder.setLayout(self.pages)
        holder.setStyleSheet("background: #8a8a8a;")
        scroll = QScrollArea()
        scroll.setWidget(holder)
        scroll.setWidgetResizable(True)
        scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.images = images if images is not None else render_pages(pdf, PREVIEW_SCALE)
        for image in self.images:
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setStyleSheet("background: white; border: 1px solid #555;")
            self.pages.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)

        # Wide enough for the widest page (landscape rolls) and tall, as the screen allows.
        widest = max((image.width() for image in self.images), default=0)
        fit_to_screen(self, min(max(900, widest + 80), 1500), 860)
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
        """Rasterise each page at PRINT_DPI in the background, then paint them in order."""
        from PySide6.QtPrintSupport import QPrinter

        assert isinstance(printer, QPrinter)
        pdf = self.pdf

        def paint(images: list[QImage]) -> None:
            from PySide6.QtGui import QPageLayout

            def orient(image: QImage) -> None:
                printer.setPageOrientation(
                    QPageLayout.Orientation.Landscape
                    if image.width() > image.height()
                    else QPageLayout.Orientation.Portrait
                )

            printer.setFullPage(True)
            if images:
                orient(images[0])
            painter = QPainter()
            if not painter.begin(printer):
                QMessageBox.warning(self, "打印失败", "无法连接打印机。")
                return
            try:
                for n, image in enumerate(images):
                    if n:
                        orient(image)
                        printer.newPage()
                    target = QRectF(painter.viewport())
                    painter.drawImage(target, image)
            finally:
                painter.end()
            self._output("打印")

        run_in_background(
            self,
            lambda: render_pages(pdf, PRINT_DPI / 72),
            paint,
            lambda exc: QMessageBox.warning(self, "打印失败", str(exc)),
            label="正在准备打印…",
        )


def preview_pdf(
    parent: QWidget,
    make_pdf: Callable[[], bytes],
    title: str,
    file_name: str,
    *,
    on_output: Callable[[str], None] | None = None,
) -> None:
    """Build the PDF off the GUI thread, then open the preview (non-blocking).
    ``on_output``: see PrintPreviewDialog."""

    def build() -> tuple[bytes, list[QImage]]:
        pdf = make_pdf()
        return pdf, render_pages(pdf, PREVIEW_SCALE)

    def show(made: tuple[bytes, list[QImage]]) -> None:
        pdf, images = made
        dialog = PrintPreviewDialog(
            pdf, title, file_name, parent, images=images, on_output=on_output
        )
        parent.last_preview = dialog  # type: ignore[attr-defined]  # tests reach it here
        dialog.open()

    run_in_background(
        parent,
        build,
        show,
        lambda exc: QMessageBox.warning(parent, "无法生成PDF", str(exc)),
        label="正在生成PDF…",
    )
