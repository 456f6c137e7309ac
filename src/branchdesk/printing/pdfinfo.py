"""Facts read back from a finished PDF (the page count shown in the preview and the CLI)."""

from __future__ import annotations

import threading

#: PDFium is not thread-safe (one library state for the whole process): every use of
#: pypdfium2 — here, in the print preview (GUI thread) and in print jobs (workers) —
#: holds this lock, so a page rendered for the preview never runs beside a job's.
PDFIUM_LOCK = threading.RLock()


def count_pages(data: bytes) -> int:
    import pypdfium2 as pdfium

    with PDFIUM_LOCK:
        doc = pdfium.PdfDocument(data)
        try:
            return len(doc)
        finally:
            doc.close()
