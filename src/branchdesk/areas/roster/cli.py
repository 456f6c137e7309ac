"""branchdesk-cli roster … and print roster|signin."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from branchdesk.areas.cli_common import CliError, Parser, add_stamp_switch, print_table
from branchdesk.domain.dates import parse_date
from branchdesk.domain.members import Member
from branchdesk.private_files import write_private
from branchdesk.store import Book


def register(sub: Any) -> None:
    roster = sub.add_parser("roster", help="党员名册").add_subparsers(
        dest="roster_command", required=True, parser_class=Parser
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
    from branchdesk.areas.roster.branch_cli import register_branch, register_events

    register_events(roster)
    register_branch(sub)

    pr = sub.add_parser("print", help="生成打印用的PDF").add_subparsers(
        dest="print_command", required=True, parser_class=Parser
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
    add_stamp_switch(roll)
    signin = pr.add_parser("signin", help="会议签到表")
    signin.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    signin.add_argument("--title", required=True, help="会议名称")
    signin.add_argument("--place", default="", help="地点")
    signin.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    for parser in (exp, lst):
        parser.set_defaults(run=_roster, looks_only=True)
    imp.set_defaults(run=_roster, looks_only=lambda args: args.dry_run)
    for parser in (roll, signin):
        parser.set_defaults(run=_print, looks_only=True)


def _roster(book: Book, args: argparse.Namespace) -> int:
    if args.roster_command == "list":
        return _roster_list(book, args)
    if args.roster_command == "import":
        return _roster_import(book, Path(args.file), args.dry_run)
    return _roster_export(book, Path(args.file))


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
    print_table(headers, table)
    print(f"共 {len(rows)} 人（{day.isoformat()}）")
    return 0


def _roster_import(book: Book, file: Path, dry_run: bool) -> int:
    from branchdesk.exchange.roster_xlsx import RosterFormatError, read_roster

    try:
        report = read_roster(
            file,
            existing_ids=book.roster.id_numbers(),
            existing_groups=[g.name for g in book.branch.groups()],
        )
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
    from branchdesk.areas.roster.jobs import roster_job, signin_pdf_for
    from branchdesk.printing.fonts import MissingGlyphError

    out = Path(args.output)
    try:
        if args.print_command == "roster":
            day = parse_date(args.on) if args.on else dt.date.today()
            assert day is not None
            pdf = roster_job(book, day, order=args.order, with_id=args.with_id,
                             archive=args.stamp)()  # fmt: skip
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
