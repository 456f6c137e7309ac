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
