"""branchdesk-cli: the book's actions without a window.

Exit codes (see cli_errors): 0 success; 1 bad input or an unhealthy book (a Chinese
message on stderr, no traceback); 2 usage errors; 3 a bug in branchdesk (logged).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from branchdesk.areas import load, opened
from branchdesk.areas.cli_common import CliError, Parser
from branchdesk.areas.registry import AREAS
from branchdesk.paths import default_book_path
from branchdesk.store import Book, create_book, open_book
from branchdesk.store.lock import BookLock


def build_parser() -> argparse.ArgumentParser:
    p = Parser(prog="branchdesk-cli", description="党支部工作台（命令行）")
    p.add_argument(
        "--data", metavar="FILE", help="账簿文件（默认：$BRANCHDESK_DATA 或用户数据目录）"
    )
    sub = p.add_subparsers(dest="command", required=True, parser_class=Parser)

    init = sub.add_parser("init", help="新建账簿")
    init.add_argument("--branch-name", required=True, help="支部名称")
    init.add_argument("--parent-org", default="", help="上级党组织")

    demo = sub.add_parser("demo", help="生成一份演示账簿")
    demo.add_argument("file", help="新账簿文件路径（不能已存在）")
    demo.add_argument(
        "--as-of", metavar="DATE", help="演示数据以这一天为“今天”生成（默认今天）"
    )

    bk = sub.add_parser("backup", help="备份账簿")
    bk.add_argument("-o", "--output", metavar="FILE", help="备份到指定文件（默认：备份目录）")
    rs = sub.add_parser("restore", help="从备份恢复（当前账簿先自动备份）")
    rs.add_argument("file")
    chk = sub.add_parser("check", help="检查账簿是否完好")
    chk.add_argument("--repair", action="store_true", help="修复发现的损坏（先自动保存副本）")

    for area in AREAS:
        if area.cli:
            load(area.cli).register(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    from branchdesk.areas.cli_errors import run_reporting, tolerant_streams

    tolerant_streams()
    args = build_parser().parse_args(argv)
    return run_reporting(lambda: _run(args), default_book_path(args.data))


def _only_looks(args: argparse.Namespace) -> bool:
    """Commands that only look at the book are opened read-only, so they work on a full
    disk and on a book its owner protected, and never write to it. An area's command says
    so with ``set_defaults(looks_only=True)`` (or a function of the arguments)."""
    if args.command == "backup":
        return True
    looks = getattr(args, "looks_only", False)
    return bool(looks(args) if callable(looks) else looks)


def _run(args: argparse.Namespace) -> int:
    path = default_book_path(args.data)
    if args.command == "init":
        if path.exists():
            raise CliError(f"账簿已存在，不会覆盖：{path}")
        create_book(path, args.branch_name, args.parent_org).close(backup=False)
        print(f"已新建账簿：{path}")
        return 0
    if args.command == "demo":
        from branchdesk.demo import create_demo_book

        target = Path(args.file)
        if target.exists():
            raise CliError(f"文件已存在，不会覆盖：{target}")
        from branchdesk.domain.dates import parse_date

        as_of = parse_date(args.as_of) if args.as_of else None
        create_demo_book(target, today=as_of).close(backup=False)
        print(f"已生成演示账簿：{target}")
        return 0
    if args.command == "check":
        from branchdesk.cli_check import check_command

        return check_command(path, args.repair)
    book = open_book(path, read_only=_only_looks(args))
    try:
        if args.command not in ("backup", "restore"):
            # The areas' opening hooks (the archive's lock triggers, who is at this PC);
            # a backup or a restore handles the file as it is.
            opened(book, AREAS)
        return _with_book(book, args)
    finally:
        book.close(backup=False)


def _with_book(book: Book, args: argparse.Namespace) -> int:
    if args.command == "backup":
        made = book.backup_to(Path(args.output)) if args.output else book.backup("manual").path
        print(f"已备份到：{made}")
        return 0
    if args.command == "restore":
        with BookLock(book.path):
            kept = book.restore_from(Path(args.file))
        print(f"已从 {args.file} 恢复。恢复前的账簿已备份到：{kept.path}")
        return 0
    run = getattr(args, "run", None)
    if run is None:
        raise CliError(f"未知命令：{args.command}")
    return int(run(book, args))


if __name__ == "__main__":
    sys.exit(main())
