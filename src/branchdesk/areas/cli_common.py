"""What every area's commands share: the error that means "bad input, exit 1", and the
plain-text table the list commands print."""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections.abc import Sequence
from typing import NoReturn

from branchdesk.areas.cli_errors import CliError

__all__ = ["CliError", "Parser", "print_table"]


class Parser(argparse.ArgumentParser):
    """Usage errors in Chinese, exit 2."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"用法错误：{message}\n")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    cells = [[str(c) for c in headers], *[[str(c) for c in r] for r in rows]]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(headers))]
    for row in cells:
        print("  ".join(c + " " * (w - _width(c)) for c, w in zip(row, widths, strict=True)))


def add_stamp_switch(parser: argparse.ArgumentParser) -> None:
    """``--stamp/--no-stamp`` on a print of filed items: the 归档章 (DA/T 22-2015) with
    全宗号, 年度, 保管期限, 件号 and 页数 from the book; left out, the book's setting
    (设置 → 归档) decides. ``args.stamp`` is True, False or None."""
    parser.add_argument(
        "--stamp",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="加盖归档章（全宗号、年度、保管期限、件号、页数取自记录本；默认按设置）",
    )
