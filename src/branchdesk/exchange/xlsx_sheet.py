"""Reading a worksheet in bounded time and memory.

openpyxl's normal mode builds an object for every cell of a merged range and for every
row up to the last one used: a 5 KB file with a whole-column merge (H2:H1048576), or one
stray cell at row 1,048,576, took a minute and 2 GB. Here the sheet XML is streamed once
(openpyxl's read-only parser), only rows holding a value are kept, merged ranges stay
ranges (a lookup, never expanded), and reading stops once more rows hold data than any
roster can have. No Qt and no SQLite here.
"""

from __future__ import annotations

import bisect
import os
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.cell.read_only import ReadOnlyCell
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet._reader import WorkSheetParser

#: Columns read; a roster has about 15, the 全国党员管理信息系统 export about 30.
MAX_COLUMNS = 100


class SheetFormatError(ValueError):
    """The file is not a readable xlsx workbook (message in Chinese)."""


class Merges:
    """Merged ranges as ranges: which top-left cell a covered cell takes its value from."""

    def __init__(self, ranges: list[tuple[int, int, int, int]]) -> None:
        # column → ranges covering it, sorted by first row (ranges never overlap)
        by_col: dict[int, list[tuple[int, int, int, int]]] = {}
        for min_col, min_row, max_col, max_row in ranges:
            for c in range(min_col, min(max_col, MAX_COLUMNS) + 1):
                by_col.setdefault(c, []).append((min_row, max_row, min_col, min_row))
        self._starts = {c: [r[0] for r in sorted(v)] for c, v in by_col.items()}
        self._ranges = {c: sorted(v) for c, v in by_col.items()}
        self.max_col_by_first_rows = {
            min_row: max(min(max_col, MAX_COLUMNS), 0) for min_col, min_row, max_col, _ in ranges
        }

    def source(self, row: int, col: int) -> tuple[int, int] | None:
        """(row, col) of the top-left cell whose value covers (row, col), or None."""
        starts = self._starts.get(col)
        if not starts:
            return None
        i = bisect.bisect_right(starts, row) - 1
        if i < 0:
            return None
        first, last, top_col, top_row = self._ranges[col][i]
        if first <= row <= last and (row, col) != (top_row, top_col):
            return top_row, top_col
        return None

    def widest_before(self, row: int) -> int:
        """The last column any range starting at or above ``row`` reaches."""
        return max((c for r, c in self.max_col_by_first_rows.items() if r <= row), default=0)


@dataclass
class SheetData:
    title: str
    rows: dict[int, tuple[object, ...]]  # row number → values (only rows holding one)
    formats: dict[tuple[int, int], str]  # number format of each numeric cell
    merges: Merges
    #: Reading stopped early: more rows hold data than ``max_rows``.
    too_many: bool = False
    last_row: int = 0
    _empty: tuple[object, ...] = field(default=(), repr=False)

    def values(self, row: int) -> tuple[object, ...]:
        return self.rows.get(row, self._empty)

    def filled(self, row: int, col: int) -> object:
        """The cell's value, or the value of the merged range that covers it."""
        values = self.values(row)
        value = values[col - 1] if col <= len(values) else None
        if value is not None:
            return value
        top = self.merges.source(row, col)
        if top is None:
            return None
        top_values = self.values(top[0])
        return top_values[top[1] - 1] if top[1] <= len(top_values) else None

    def number_format(self, row: int, col: int) -> str:
        return self.formats.get((row, col), "General")


def read_sheets(path: Path, max_rows: int) -> Iterator[SheetData]:
    """The workbook's worksheets, the active one first, each read in one streamed pass.

    ``max_rows``: stop a sheet once this many rows hold a value (``too_many`` is set).
    Raises SheetFormatError when the file is not a readable xlsx workbook.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "extension is not supported" and the like
            wb = load_workbook(os.fspath(path), read_only=True, data_only=True)
    except OSError:
        raise
    except Exception as exc:  # zipfile/xml/KeyError…: a damaged or foreign zip file
        raise SheetFormatError(f"“{path.name}”不是有效的 Excel（.xlsx）文件") from exc
    try:
        sheets = list(wb.worksheets)
        active = wb.active
        if active in sheets:
            sheets.remove(active)
            sheets.insert(0, active)
        for ws in sheets:
            try:
                data = _read(ws, max_rows)
            except Exception as exc:  # a damaged sheet inside a valid zip
                raise SheetFormatError(
                    f"“{path.name}”中的工作表“{ws.title}”已损坏，无法读取"
                ) from exc
            yield data
    finally:
        wb.close()


def _read(ws: object, max_rows: int) -> SheetData:
    wb = ws.parent  # type: ignore[attr-defined]
    rows: dict[int, tuple[object, ...]] = {}
    formats: dict[tuple[int, int], str] = {}
    too_many = False
    last_row = 0
    with ws._get_source() as src:  # type: ignore[attr-defined]
        parser = WorkSheetParser(
            src,
            ws._shared_strings,  # type: ignore[attr-defined]
            data_only=True,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
        )
        for number, cells in parser.parse():
            values: list[object] = []
            for cell in cells:
                column, value = cell["column"], cell["value"]
                if value is None or column > MAX_COLUMNS:
                    continue
                if len(values) < column:
                    values.extend([None] * (column - len(values)))
                values[column - 1] = value
                if isinstance(value, float) and cell["style_id"]:
                    formats[(number, column)] = ReadOnlyCell(ws, **cell).number_format
            if values:
                if len(rows) >= max_rows:
                    too_many = True
                    break
                rows[number] = tuple(values)
                last_row = number
        merged = parser.merged_cells
    ranges: list[tuple[int, int, int, int]] = []
    if merged is not None and not too_many:
        for cell_range in merged.mergeCell:
            bounds = range_boundaries(cell_range.ref)
            if None in bounds or bounds[0] > MAX_COLUMNS:  # type: ignore[operator]
                continue
            ranges.append(bounds)  # type: ignore[arg-type]
    return SheetData(ws.title, rows, formats, Merges(ranges), too_many, last_row)  # type: ignore[attr-defined]
