"""branchdesk-cli: the book's actions without a window.

Exit codes (see cli_errors): 0 success; 1 bad input or an unhealthy book (a Chinese
message on stderr, no traceback); 2 usage errors; 3 a bug in branchdesk (logged).

A book with a password (账簿密码) is opened with the password from $BRANCHDESK_PASSWORD (for
scripts), else asked for at a terminal (three tries); without a terminal (or with
CI=true) and without the variable the command stops with a message instead of waiting.
A wrong password is refused after a delay, exit 1.
"""

from __future__ import annotations

import argparse
import os
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
    demo.add_argument("--as-of", metavar="DATE", help="演示数据以这一天为“今天”生成（默认今天）")

    bk = sub.add_parser("backup", help="备份账簿")
    bk.add_argument("-o", "--output", metavar="FILE", help="备份到指定文件（默认：备份目录）")
    rs = sub.add_parser("restore", help="从备份恢复（当前账簿先自动备份）")
    rs.add_argument("file")
    chk = sub.add_parser("check", help="检查账簿是否完好")
    chk.add_argument("--repair", action="store_true", help="修复发现的损坏（先自动保存副本）")
    pw = sub.add_parser(
        "password",
        help="账簿密码：设置、更改或取消（新密码从终端输入，或 $BRANCHDESK_NEW_PASSWORD）",
    )
    pw.add_argument("action", choices=["set", "remove"], help="set 设置或更改；remove 取消")
    pw.add_argument(
        "--delete-plain-backups",
        action="store_true",
        help="设置密码后删除未加密的旧备份（不加此项时只列出它们）",
    )

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
    _unlock_if_encrypted(path)
    if args.command == "restore":
        _unlock_if_encrypted(Path(args.file))
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


PASSWORD_ENV = "BRANCHDESK_PASSWORD"
NEW_PASSWORD_ENV = "BRANCHDESK_NEW_PASSWORD"
TRIES = 3


def _interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty() and os.environ.get("CI") != "true"


def _unlock_if_encrypted(path: Path) -> None:
    """Before opening a file that may be a book with a password, hold its password."""
    from branchdesk.store import cipher
    from branchdesk.store.connection import key_for

    if not path.exists() or not cipher.looks_encrypted(path) or key_for(path) is not None:
        return
    if not cipher.available():
        raise CliError(cipher.refusal(path).args[0])
    given = os.environ.get(PASSWORD_ENV)
    if given is not None:
        cipher.unlock(path, given)  # WrongPasswordError after the delay: exit 1
        return
    if not _interactive():
        raise CliError(
            f"“{path.name}”设置了账簿密码（或不是账簿文件）。请在终端中运行以输入密码，"
            f"或用环境变量 {PASSWORD_ENV} 提供密码。"
        )
    import getpass

    from branchdesk.store.errors import WrongPasswordError

    for attempt in range(TRIES):
        try:
            cipher.unlock(path, getpass.getpass(f"“{path.name}”的账簿密码："))
            return
        except WrongPasswordError:
            if attempt == TRIES - 1:
                raise
            print(cipher.WRONG_PASSWORD_MESSAGE.format(name=path.name), file=sys.stderr)


def _new_password() -> str:
    from branchdesk.store import cipher

    given = os.environ.get(NEW_PASSWORD_ENV)
    if given is not None:
        cipher.validate_new_password(given, given)
        return given
    if not _interactive():
        raise CliError(f"请在终端中运行以输入新密码，或用环境变量 {NEW_PASSWORD_ENV} 提供新密码。")
    import getpass

    print(cipher.NO_BACK_DOOR, file=sys.stderr)
    first = getpass.getpass("新密码：")
    cipher.validate_new_password(first, getpass.getpass("再输入一遍新密码："))
    return first


def _password(book: Book, args: argparse.Namespace) -> int:
    from branchdesk.store import cipher

    if not cipher.available():
        raise CliError(cipher.unavailable_reason() or "")
    from branchdesk.paths import mark_encrypted

    if args.action == "remove":
        change = cipher.remove_password(book)
        mark_encrypted(book.path, False)
        print(f"已取消账簿密码，账簿不再加密。取消前的备份仍有密码保护：{change.before.path}")
        return 0
    change = cipher.set_password(book, _new_password())
    mark_encrypted(book.path, True)
    print("已设置账簿密码：账簿和今后的备份都已加密。" + cipher.NO_BACK_DOOR)
    print("请另外保存一份不加密的备份（例如在U盘上，妥善保管），或牢记密码。")
    if change.plain_backups and args.delete_plain_backups:
        n = cipher.delete_backups(change.plain_backups)
        print(f"已删除 {n} 份未加密的旧备份。")
    elif change.plain_backups:
        print(
            f"以下 {len(change.plain_backups)} 份旧备份没有加密"
            "（可用 --delete-plain-backups 删除）："
        )
        for p in change.plain_backups:
            print(f"  {p}")
    return 0


def _exports(args: argparse.Namespace) -> bool:
    """An area's `… export` command (writes a file meant to be opened elsewhere)."""
    return any(k.endswith("_command") and v == "export" for k, v in vars(args).items())


def _with_book(book: Book, args: argparse.Namespace) -> int:
    if args.command == "password":
        with BookLock(book.path):
            return _password(book, args)
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
    if _exports(args):
        from branchdesk.store import cipher

        if cipher.book_is_encrypted(book):
            print(cipher.PLAIN_EXPORT_WARNING, file=sys.stderr)
    return int(run(book, args))


if __name__ == "__main__":
    sys.exit(main())
