"""Duplex: every PDF asks the print dialog for a flip on the sheet's long edge, portrait and
landscape alike (README, "Duplex (双面打印)"), and the print path presets QPrinter to it."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from branchdesk.domain.members import roster_on
from branchdesk.printing.document import text_pdf
from branchdesk.printing.fonts import FontSet
from branchdesk.printing.roster_form import roster_pdf
from branchdesk.printing.signin_form import signin_pdf
from test_printing_helpers import BRANCH, ON, demo_members, fonts  # noqa: F401


def _duplex_and_shapes(pdf: bytes) -> tuple[str, set[str]]:
    reader = PdfReader(io.BytesIO(pdf))
    prefs = reader.trailer["/Root"]["/ViewerPreferences"]
    shapes = {
        "landscape" if float(p.mediabox.width) > float(p.mediabox.height) else "portrait"
        for p in reader.pages
    }
    return str(prefs["/Duplex"]), shapes


def _documents(fonts: FontSet) -> dict[str, bytes]:  # noqa: F811
    members = demo_members()
    return {
        "portrait": text_pdf("标题", ["正文。"], fonts=fonts),
        "signin (portrait)": signin_pdf(BRANCH, "党课", ON, "会议室", roster_on(members, ON),
                                        fonts=fonts),
        "roll with ID numbers (landscape)": roster_pdf(BRANCH, members, on=ON, with_id=True,
                                                       fonts=fonts),
    }  # fmt: skip


def test_pdf_asks_for_the_long_edge_flip_portrait_and_landscape(fonts: FontSet) -> None:  # noqa: F811
    seen = set()
    for name, pdf in _documents(fonts).items():
        duplex, shapes = _duplex_and_shapes(pdf)
        assert duplex == "/DuplexFlipLongEdge", name
        assert len(shapes) == 1, name
        seen |= shapes
    assert seen == {"portrait", "landscape"}  # both kinds were checked


def _pdf_with(duplex: str | None) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out)
    if duplex:
        canvas.setViewerPreference("Duplex", duplex)
    canvas.drawString(72, 72, "x")
    canvas.save()
    return out.getvalue()


def test_print_path_presets_qprinter_from_the_pdf(qtbot, monkeypatch, fonts: FontSet) -> None:  # noqa: F811
    """The 打印 button's dialog opens with QPrinter's duplex mode set from the PDF: long side
    for the portrait forms and for the landscape roll (left at DuplexAuto, Qt's CUPS backend
    would send the landscape job as two-sided-short-edge). A QPrinter without a duplex
    printer (this machine: none at all) ignores setDuplex, so the call itself is recorded."""
    import PySide6.QtPrintSupport as qps
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QDialog

    from branchdesk.ui.print_preview import PrintPreviewDialog, duplex_mode, pdf_duplex

    asked: list[object] = []
    shown: list[object] = []

    class Printer(QPrinter):
        def setDuplex(self, mode: QPrinter.DuplexMode) -> None:  # noqa: N802
            asked.append(mode)
            super().setDuplex(mode)

    class Dialog:
        def __init__(self, printer: QPrinter, _parent: object) -> None:
            shown.append(asked[-1] if asked else None)  # set before the dialog opens

        def exec(self) -> QDialog.DialogCode:
            return QDialog.DialogCode.Rejected  # nothing is sent to a printer

    monkeypatch.setattr(qps, "QPrinter", Printer)
    monkeypatch.setattr(qps, "QPrintDialog", Dialog)
    cases = [(pdf, QPrinter.DuplexMode.DuplexLongSide) for pdf in _documents(fonts).values()]
    cases += [
        (_pdf_with("DuplexFlipShortEdge"), QPrinter.DuplexMode.DuplexShortSide),
        (_pdf_with("Simplex"), QPrinter.DuplexMode.DuplexNone),
    ]
    for pdf, mode in cases:
        assert duplex_mode(pdf) == mode
        preview = PrintPreviewDialog(pdf, "预览", "x.pdf")
        qtbot.addWidget(preview)
        preview.print_document()
    assert shown == [mode for _pdf, mode in cases]
    assert pdf_duplex(_pdf_with(None)) == "" and duplex_mode(_pdf_with(None)) is None


@pytest.mark.parametrize("value", ["DuplexFlipLongEdge", "DuplexFlipShortEdge", "Simplex"])
def test_pdf_duplex_reads_the_viewer_preference(value: str) -> None:
    from branchdesk.ui.print_preview import pdf_duplex

    assert pdf_duplex(_pdf_with(value)) == value
