"""branchdesk-cli: the book's actions without a window.

Exit codes (see cli_errors): 0 success; 1 bad input or an unhealthy book (a Chinese
message on stderr, no traceback); 2 usage errors; 3 a bug in branchdesk (logged).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from branchdesk.cli_errors import CliError
from branchdesk.domain.dates import parse_date
from branchdesk.domain.members import Member
from branchdesk.paths import default_book_path
from branchdesk.private_files import write_private
from branchdesk.store import Book, create_book, open_book
from branchdesk.store.lock import BookLock


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"用法错误：{message}\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="branchdesk-cli", description="党支部工作台（命令行）")
    p.add_argument(
        "--data", metavar="FILE", help="账簿文件（默认：$BRANCHDESK_DATA 或用户数据目录）"
    )
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    init = sub.add_parser("init", help="新建账簿")
    init.add_argument("--branch-name", required=True, help="支部名称")
    init.add_argument("--parent-org", default="", help="上级党组织")

    demo = sub.add_parser("demo", help="生成一份演示账簿")
    demo.add_argument("file", help="新账簿文件路径（不能已存在）")

    roster = sub.add_parser("roster", help="党员名册").add_subparsers(
        dest="roster_command", required=True, parser_class=_Parser
    )
    imp = roster.add_parser("import", help="从 Excel 导入")
    imp.add_argument("file")
    imp.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入")
    exp = roster.add_parser("export", help="导出为 Excel")
    exp.add_argument("file")
    lst = roster.add_parser("list", help="列出党员")
    lst.add_argument("--on", metavar="DATE", help="某日在册的党员（默认今天）")
    lst.add_argument("--all", action="store_true", help="包括已转出等不在册的人员")
    lst.add_argument("--format", choices=("table", "json"), default="table")

    bk = sub.add_parser("backup", help="备份账簿")
    bk.add_argument("-o", "--output", metavar="FILE", help="备份到指定文件（默认：备份目录）")
    rs = sub.add_parser("restore", help="从备份恢复（当前账簿先自动备份）")
    rs.add_argument("file")
    chk = sub.add_parser("check", help="检查账簿是否完好")
    chk.add_argument("--repair", action="store_true", help="修复发现的损坏（先自动保存副本）")

    mt = sub.add_parser("meeting", help="会议记录").add_subparsers(
        dest="meeting_command", required=True, parser_class=_Parser
    )
    ml = mt.add_parser("list", help="列出会议记录")
    ml.add_argument("--year", type=int, help="所属年度")
    ml.add_argument("--format", choices=("table", "json"), default="table")
    mp = mt.add_parser("print", help="打印会议记录为PDF")
    mp.add_argument("id", type=int)
    mp.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    mi = mt.add_parser("import", help="从JSON导入一次会议（全部检查通过才写入）")
    mi.add_argument("file")
    me = mt.add_parser("export", help="导出一次会议为JSON")
    me.add_argument("id", type=int)
    me.add_argument("-o", "--output", required=True, metavar="FILE.json")
    cal = sub.add_parser("calendar", help="三会一课等会议的年度落实情况")
    cal.add_argument("--year", type=int, required=True)
    cal.add_argument("--format", choices=("table", "json"), default="table")

    pr = sub.add_parser("print", help="生成打印用的PDF").add_subparsers(
        dest="print_command", required=True, parser_class=_Parser
    )
    roll = pr.add_parser("roster", help="党员花名册")
    roll.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    roll.add_argument(
        "--order",
        choices=("strokes", "joined"),
        default="strokes",
        help="strokes：按姓氏笔画（默认）；joined：按入党日期",
    )
    roll.add_argument("--with-id", action="store_true", help="包含公民身份号码")
    roll.add_argument("--on", metavar="DATE", help="名册日期（默认今天）")
    signin = pr.add_parser("signin", help="会议签到表")
    signin.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    signin.add_argument("--title", required=True, help="会议名称")
    signin.add_argument("--place", default="", help="地点")
    signin.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    from branchdesk.cli_errors import run_reporting, tolerant_streams

    tolerant_streams()
    args = build_parser().parse_args(argv)
    return run_reporting(lambda: _run(args), default_book_path(args.data))


#: Commands that only look at the book: opened read-only, so they work on a full disk and
#: on a book its owner protected, and never write to it.
_LOOKING = {
    ("roster", "list"), ("roster", "export"), ("print", "roster"), ("print", "signin"),
    ("meeting", "list"), ("meeting", "print"), ("meeting", "export"), ("calendar", None),
    ("backup", None),
}  # fmt: skip


def _only_looks(args: argparse.Namespace) -> bool:
    sub = getattr(args, f"{args.command}_command", None)
    if args.command == "roster" and sub == "import" and args.dry_run:
        return True
    return (args.command, sub) in _LOOKING


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
        create_demo_book(target).close(backup=False)
        print(f"已生成演示账簿：{target}")
        return 0
    if args.command == "check":
        from branchdesk.cli_check import check_command

        return check_command(path, args.repair)
    book = open_book(path, read_only=_only_looks(args))
    try:
        return _with_book(book, args)
    finally:
        book.close(backup=False)


def _with_book(book: Book, args: argparse.Namespace) -> int:
    if args.command == "roster":
        if args.roster_command == "list":
            return _roster_list(book, args)
        if args.roster_command == "import":
            return _roster_import(book, Path(args.file), args.dry_run)
        if args.roster_command == "export":
            return _roster_export(book, Path(args.file))
    if args.command == "print":
        return _print(book, args)
    if args.command == "meeting":
        from branchdesk.cli_meetings import meeting_command

        return meeting_command(book, args)
    if args.command == "calendar":
        from branchdesk.cli_meetings import calendar_command

        return calendar_command(book, args)
    if args.command == "backup":
        made = book.backup_to(Path(args.output)) if args.output else book.backup("manual").path
        print(f"已备份到：{made}")
        return 0
    if args.command == "restore":
        with BookLock(book.path):
            kept = book.restore_from(Path(args.file))
        print(f"已从 {args.file} 恢复。恢复前的账簿已备份到：{kept.path}")
        return 0
    raise CliError(f"未知命令：{args.command}")


def member_json(member: Member, category: str, status: str) -> dict[str, object]:
    def iso(d: dt.date | None) -> str | None:
        return d.isoformat() if d else None

    return {
        "name": member.name,
        "gender": member.gender,
        "ethnicity": member.ethnicity,
        "birth_date": iso(member.birth_date),
        "id_number": member.id_number,
        "education": member.education,
        "category": category,
        "join_date": iso(member.join_date),
        "full_date": iso(member.full_date),
        "post": member.post,
        "phone": member.phone,
        "group": member.group_name,
        "status": status,
    }


def _roster_list(book: Book, args: argparse.Namespace) -> int:
    from branchdesk.domain.idcard import mask_id
    from branchdesk.domain.members import status_today
    from branchdesk.domain.strokes import sort_by_strokes

    day = parse_date(args.on) if args.on else dt.date.today()
    assert day is not None
    members = book.roster.members()
    rows = []
    for m in sort_by_strokes(members, key=lambda m: m.name):
        belongs = m.belongs_on(day)
        if not belongs and not args.all:
            continue
        status = status_today(m, day)
        rows.append(member_json(m, m.category_on(day).value, status))
    if args.format == "json":
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    headers = ("姓名", "性别", "人员类别", "入党日期", "党小组", "身份证号", "状态")
    table = [
        (
            r["name"],
            r["gender"],
            r["category"],
            r["join_date"] or "",
            r["group"],
            mask_id(str(r["id_number"])),
            r["status"],
        )
        for r in rows
    ]
    _print_table(headers, table)
    print(f"共 {len(rows)} 人（{day.isoformat()}）")
    return 0


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _print_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    cells = [[str(c) for c in headers], *[[str(c) for c in r] for r in rows]]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(headers))]
    for row in cells:
        print("  ".join(c + " " * (w - _width(c)) for c, w in zip(row, widths, strict=True)))


def _roster_import(book: Book, file: Path, dry_run: bool) -> int:
    from branchdesk.exchange.roster_xlsx import RosterFormatError, read_roster

    try:
        report = read_roster(file, existing_ids=book.roster.id_numbers())
    except RosterFormatError as exc:
        raise CliError(str(exc)) from None
    for issue in report.errors:
        print(f"错误 {issue}", file=sys.stderr)
    for issue in report.warnings:
        print(f"提示 {issue}", file=sys.stderr)
    print(report.summary())
    if not report.ok:
        print("有错误，未导入任何人员。请修改表格后重新导入。", file=sys.stderr)
        return 1
    if dry_run:
        print("（试运行：未写入账簿）")
        return 0
    ids = book.roster.add_many([m.member for m in report.members])
    print(f"已导入 {len(ids)} 人。")
    return 0


def _print(book: Book, args: argparse.Namespace) -> int:
    from branchdesk.print_jobs import roster_pdf_for, signin_pdf_for
    from branchdesk.printing.fonts import MissingGlyphError

    out = Path(args.output)
    try:
        if args.print_command == "roster":
            day = parse_date(args.on) if args.on else dt.date.today()
            assert day is not None
            pdf = roster_pdf_for(book, day, order=args.order, with_id=args.with_id)
        else:
            day = parse_date(args.date)
            if day is None:
                raise CliError("--date：不能为空")
            pdf = signin_pdf_for(book, args.title, day, args.place)
    except MissingGlyphError as exc:
        raise CliError(str(exc)) from None
    write_private(out, pdf.data)
    print(f"已生成 {out}（{pdf.pages} 页）")
    return 0


def _roster_export(book: Book, file: Path) -> int:
    from branchdesk.domain.strokes import sort_by_strokes
    from branchdesk.exchange.roster_xlsx import write_roster

    today = dt.date.today()
    members = [m for m in book.roster.members() if m.belongs_on(today)]
    members = sort_by_strokes(members, key=lambda m: m.name)
    write_roster(file, members, title=f"{book.branch.profile().name}党员名册")
    print(f"已导出 {len(members)} 人到：{file}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
