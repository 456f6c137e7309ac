"""A year of points as an Excel workbook: a sheet of totals (per period and the year) and a
sheet of every ledger entry. Written atomically (a temporary file renamed into place)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter


def write_points(
    path: str | os.PathLike[str],
    sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence[object]]]],
    *,
    title: str,
) -> None:
    """``sheets``: (sheet name, headers, rows). Each sheet starts with ``title``."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, headers, rows in sheets:
        ws = wb.create_sheet(name[:31])
        ws.append([title])
        ws.cell(1, 1).font = Font(bold=True, size=14)
        ws.append(list(headers))
        for cell in ws[2]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center")
        for row in rows:
            ws.append(list(row))
        for i, head in enumerate(headers, start=1):
            longest = max([len(str(head)), *(len(str(r[i - 1])) for r in rows)], default=4)
            ws.column_dimensions[get_column_letter(i)].width = min(40, 2 * longest + 2)
        ws.freeze_panes = "A3"
    target = Path(path)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".xlsx")
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
