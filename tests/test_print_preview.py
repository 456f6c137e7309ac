"""The preview holds a few rendered pages, not all of them; printing goes page by page."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from branchdesk.ui.print_preview import KEEP_PAGES, PrintPreviewDialog, iter_pages


def pdf_of(pages: int) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    for n in range(pages):
        canvas.drawString(72, 720, f"page {n + 1}")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def test_scrolling_a_long_preview_keeps_only_a_few_pages(qtbot):
    pages = 40
    dialog = PrintPreviewDialog(pdf_of(pages), "长文档", "长文档.pdf")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.count.text() == f"共 {pages} 页" and len(dialog.images) == pages
    qtbot.waitUntil(lambda: dialog.images.held > 0)
    assert dialog.images.held <= 3  # only what is on screen was rendered
    bar = dialog.scroll_area.verticalScrollBar()
    for value in range(0, bar.maximum() + 1, max(bar.pageStep(), 1)):
        bar.setValue(value)
        qtbot.wait(1)
    assert dialog.images.held <= KEEP_PAGES
    last = dialog.images[pages - 1]
    assert last.pixelColor(5, 5).name() == "#ffffff"  # white paper
    dialog.reject()


def test_pages_are_handed_out_one_at_a_time():
    seen = 0
    for image in iter_pages(pdf_of(5), 0.5):
        assert image.width() > 0
        seen += 1
    assert seen == 5


def test_a_page_without_colour_is_kept_in_grey_with_the_same_pixels(qtbot):
    from PySide6.QtGui import QColor, QImage

    from branchdesk.ui.print_preview import PREVIEW_SCALE, render_pages

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    canvas.drawString(72, 720, "黑白 page")  # grey only
    canvas.showPage()
    canvas.setFillColorRGB(0.8, 0.1, 0.1)  # a red 归档章, say
    canvas.rect(72, 600, 100, 50, fill=1)
    canvas.showPage()
    canvas.save()
    pdf = out.getvalue()
    dialog = PrintPreviewDialog(pdf, "两页", "两页.pdf")
    qtbot.addWidget(dialog)
    grey, colour = dialog.images[0], dialog.images[1]
    full = render_pages(pdf, PREVIEW_SCALE)
    assert grey.format() == QImage.Format.Format_Grayscale8
    assert grey.sizeInBytes() < full[0].sizeInBytes() / 2
    assert grey.convertToFormat(full[0].format()) == full[0]  # not one pixel changed
    assert colour.format() == full[1].format() and colour == full[1]
    red = colour.pixelColor(round(100 * PREVIEW_SCALE), round((842 - 620) * PREVIEW_SCALE))
    assert red.red() > 150 and red.green() < 80, QColor(red).name()
    dialog.reject()
