"""Facts read back from a finished PDF (the page count shown in the preview and the CLI)."""

from __future__ import annotations


def count_pages(data: bytes) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        return len(doc)
    finally:
        doc.close()
