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
