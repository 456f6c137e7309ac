"""The 账簿密码 recovery sheet: what the secretary keeps, sealed, with the branch's records.

It does not print the password — a printed password (or one left in a PDF file or a print
queue) opens the book to anyone who finds it. It holds what a successor needs to find the
book and open it, and a box where the secretary writes the password by hand before the
sheet is sealed in an envelope and locked away.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from branchdesk.printing.fonts import FontSet


def recovery_sheet_pdf(
    branch: str, book_path: Path, day: dt.date, *, fonts: FontSet | None = None
) -> bytes:
    from branchdesk.printing.document import text_pdf

    paragraphs = [
        f"支部：{branch}",
        f"账簿文件：{book_path}",
        f"备份文件夹：{book_path.with_name(book_path.stem + '-backups')}",
        f"设置密码日期：{day.year}年{day.month}月{day.day}日",
        "本账簿设置了账簿密码，账簿和它的备份都已加密。密码没有后门：忘记密码，"
        "账簿中的数据就无法再读出，任何人（包括软件作者）都无法恢复。",
        "本单不打印密码。请在下方手写密码，核对无误后装入信封封存，"
        "放在保密柜中；更改密码后请销毁旧单、重新打印。",
        "打开账簿：启动党支部工作台，在提示时输入密码；命令行可设置环境变量 BRANCHDESK_PASSWORD。",
        "账簿密码（手写）：" + "\uff3f" * 16,
    ]
    return text_pdf(
        "账簿密码恢复单",
        paragraphs,
        fonts=fonts,
        day=day,
        # the password line is a paragraph of its own: as a signature label it squeezed
        # the 封存日期 blank until 年 月 日 wrapped
        signatures=("保管人签字", "封存日期"),
    )
