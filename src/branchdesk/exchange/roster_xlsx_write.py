"""Writing the 党员名册 as an Excel workbook (the same columns the import reads, so an
export can be edited and imported again): title row, header row, one row per member;
written 0600 through a temporary name so a failure never leaves half a file."""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from branchdesk.domain.members import EventKind, Member
from branchdesk.private_files import write_private

#: The columns, in the order of the 全国党员管理信息系统 export the import also reads.
EXPORT_HEADERS: tuple[str, ...] = (
    "序号", "姓名", "性别", "民族", "公民身份号码", "出生日期", "学历",
    "人员类别", "入党日期", "转正日期", "工作岗位", "联系电话", "党小组", "备注",
    "离退休时间", "是否流动党员", "流出时间", "流出地",
)  # fmt: skip
_EXPORT_WIDTHS = (6, 12, 6, 8, 21, 12, 12, 10, 12, 12, 18, 15, 14, 24, 12, 8, 12, 14)
_DATE_FORMAT = "yyyy-mm-dd"


def _export_row(index: int, m: Member) -> tuple[object, ...]:
    retired = next((e.date for e in m.events if e.kind == EventKind.RETIRED), None)
    mobile = [e for e in m.events if e.kind == EventKind.MOBILE]
    current = mobile[-1] if mobile and mobile[-1].end_date is None else None
    return (
        index, m.name, m.gender, m.ethnicity, m.id_number, m.birth_date, m.education,
        m.category.value, m.join_date, m.full_date, m.post, m.phone, m.group_name, m.notes,
        retired, "是" if current else "否", current.date if current else None,
        current.note if current else "",
    )  # fmt: skip


def write_roster(path: str | os.PathLike[str], members: Sequence[Member], *, title: str) -> None:
    """Write the roster as xlsx: title row, header row, one row per member.

    Dates are real Excel dates (yyyy-mm-dd); 公民身份号码 and 联系电话 are text cells in text
    columns, so Excel neither mangles them nor does so to numbers typed later. The file is
    written to a temporary name and moved into place, so a failure leaves any old file
    intact. OSError (e.g. the file is open in Excel) propagates to the caller.
    """
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = "党员名册"
    ncols = len(EXPORT_HEADERS)
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)

    ws.cell(1, 1, _clean_text(title)).font = Font(bold=True, size=16)
    ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    ws.row_dimensions[1].height = 32

    header_fill = PatternFill("solid", fgColor="D9D9D9")
    for c, header in enumerate(EXPORT_HEADERS, start=1):
        cell = ws.cell(2, c, header)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)

    text_cols = {EXPORT_HEADERS.index("公民身份号码") + 1, EXPORT_HEADERS.index("联系电话") + 1}
    for r, member in enumerate(members, start=3):
        for c, value in enumerate(_export_row(r - 2, member), start=1):
            cell = ws.cell(r, c)
            if isinstance(value, dt.date):
                cell.value = value
                cell.number_format = _DATE_FORMAT
            elif isinstance(value, str):
                cell.value = _clean_text(value)
                cell.data_type = "s"  # never a formula, even if it starts with "="
                if c in text_cols:
                    cell.number_format = "@"
            elif value is not None:
                cell.value = value
            cell.border = border

    for c, width in enumerate(_EXPORT_WIDTHS, start=1):
        letter = get_column_letter(c)
        ws.column_dimensions[letter].width = width
        if c in text_cols:
            ws.column_dimensions[letter].number_format = "@"
    last_row = max(2, len(members) + 2)
    ws.freeze_panes = "C3"
    ws.auto_filter.ref = f"A2:{get_column_letter(ncols)}{last_row}"
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True

    # 0600, through a temporary name (the workbook is built in memory first).
    buffer = io.BytesIO()
    wb.save(buffer)
    write_private(path, buffer.getvalue())


def _clean_text(text: str) -> str:
    """Control characters are not allowed in xlsx cells."""
    return str(ILLEGAL_CHARACTERS_RE.sub("", text))
