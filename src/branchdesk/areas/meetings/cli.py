"""branchdesk-cli meeting … and calendar."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from branchdesk.areas.cli_common import CliError, Parser, add_stamp_switch, print_table
from branchdesk.domain.members import Member
from branchdesk.private_files import write_private
from branchdesk.store import Book


def register(sub: Any) -> None:
    mt = sub.add_parser("meeting", help="会议记录").add_subparsers(
        dest="meeting_command", required=True, parser_class=Parser
    )
    ml = mt.add_parser("list", help="列出会议记录")
    ml.add_argument("--year", type=int, help="所属年度")
    ml.add_argument("--format", choices=("table", "json"), default="table")
    mp = mt.add_parser("print", help="打印会议记录为PDF（一次会议，或 --year 一个年度的记录本）")
    mp.add_argument("id", type=int, nargs="?", help="会议记录编号")
    mp.add_argument("--year", type=int, help="打印该所属年度的会议记录（一本，含目录）")
    mp.add_argument("--type", help="与 --year 同用：只打印这一类会议，如 支部党员大会")
    mp.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    add_stamp_switch(mp)
    mi = mt.add_parser("import", help="从JSON导入一次会议（全部检查通过才写入）")
    mi.add_argument("file")
    me = mt.add_parser("export", help="导出一次会议为JSON")
    me.add_argument("id", type=int)
    me.add_argument("-o", "--output", required=True, metavar="FILE.json")
    md = mt.add_parser("docx", help="导出会议记录为Word文档（一次会议，或 --year 一个年度）")
    md.add_argument("id", type=int, nargs="?", help="会议记录编号")
    md.add_argument("--year", type=int, help="导出该所属年度的全部会议记录（一卷）")
    md.add_argument("--type", help="只导出这一类会议，如 支部党员大会")
    md.add_argument("-o", "--output", required=True, metavar="FILE.docx")
    cal = sub.add_parser("calendar", help="三会一课等会议的年度落实情况")
    cal.add_argument("--year", type=int, required=True)
    cal.add_argument("--format", choices=("table", "json"), default="table")

    for parser in (ml, mp, me, md):
        parser.set_defaults(run=meeting_command, looks_only=True)
    mi.set_defaults(run=meeting_command)
    cal.set_defaults(run=calendar_command, looks_only=True)


def _members_and_groups(book: Book) -> tuple[dict[int, Member], dict[int, str]]:
    members = {m.id or 0: m for m in book.roster.members()}
    groups = {g.id or 0: g.name for g in book.branch.groups()}
    return members, groups


def meeting_command(book: Book, args: argparse.Namespace) -> int:
    if args.meeting_command == "list":
        rows = book.meetings.summaries(args.year)
        if args.format == "json":
            json.dump(
                [
                    {
                        "id": s.id,
                        "title": s.title,
                        "date": s.date.isoformat(),
                        "belongs_to_year": s.year,
                        "types": sorted(t.value for t in s.types),
                        "place": s.place,
                        "present": s.present,
                        "resolutions": s.resolutions,
                    }
                    for s in rows
                ],
                sys.stdout,
                ensure_ascii=False,
                indent=2,
            )
            print()
            return 0
        print_table(
            ("编号", "日期", "所属年度", "会议名称", "类型", "实到"),
            [
                (s.id, s.date.isoformat(), s.year, s.title, "、".join(sorted(s.types)), s.present)
                for s in rows
            ],
        )
        print(f"共 {len(rows)} 次会议")
        return 0
    if args.meeting_command == "export":
        from branchdesk.exchange.meeting_json import to_json

        try:
            record = book.meetings.get(args.id)
        except KeyError:
            raise CliError(f"没有编号为 {args.id} 的会议记录") from None
        members, groups = _members_and_groups(book)
        write_private(args.output, to_json(record, members, groups))
        print(f"已导出到：{args.output}")
        return 0
    if args.meeting_command == "import":
        from branchdesk.exchange.meeting_json import MeetingJsonError, read_file

        groups_by_name = {g.name: g.id or 0 for g in book.branch.groups()}
        try:
            record = read_file(Path(args.file), book.roster.members(), groups_by_name)
        except MeetingJsonError as exc:
            raise CliError(str(exc)) from None
        from branchdesk.areas.meetings.rules import rule_problems

        new_id = book.meetings.save(record, check=lambda r: rule_problems(book, r))
        print(f"已导入，会议记录编号 {new_id}")
        return 0
    if args.meeting_command == "print":
        return _print(book, args)
    if args.meeting_command == "docx":
        from branchdesk.areas.meetings.jobs import minutes_docx_for, volume_docx_for

        if (args.id is None) == (args.year is None):
            raise CliError("请给出会议记录编号，或用 --year 导出一个年度")
        if args.id is not None:
            try:
                data = minutes_docx_for(book, args.id)
            except KeyError:
                raise CliError(f"没有编号为 {args.id} 的会议记录") from None
        else:
            data = volume_docx_for(book, args.year, args.type)
        Path(args.output).write_bytes(data)
        print(f"已导出Word文档：{args.output}")
        return 0
    raise CliError(f"未知命令：meeting {args.meeting_command}")


def _print(book: Book, args: argparse.Namespace) -> int:
    """One meeting's minutes, or a year's as one volume; ``--stamp/--no-stamp``: the 归档章
    on each record's first page (default: the book's setting)."""
    from branchdesk.areas.meetings.jobs import minutes_job, volume_job
    from branchdesk.domain.meetings import MeetingType

    if (args.id is None) == (args.year is None):
        raise CliError("请给出会议记录编号，或用 --year 打印一个年度")
    if args.id is not None:
        if args.type:
            raise CliError("--type 只能与 --year 同用")
        try:
            pdf = minutes_job(book, args.id, archive=args.stamp)()
        except KeyError:
            raise CliError(f"没有编号为 {args.id} 的会议记录") from None
    else:
        kinds = [k.value for k in MeetingType]
        if args.type and args.type not in kinds:
            raise CliError(f"会议类型“{args.type}”不存在，可选：{'、'.join(kinds)}")
        if not any(
            args.type is None or args.type in {t.value for t in r.meeting.types}
            for r in book.meetings.records(args.year)
        ):
            raise CliError(f"{args.year}年度没有{args.type or ''}会议记录")
        pdf = volume_job(book, args.year, args.type, archive=args.stamp)()
    write_private(args.output, pdf.data)
    print(f"已生成 {args.output}（{pdf.pages} 页）")
    return 0


def calendar_command(book: Book, args: argparse.Namespace) -> int:
    from branchdesk.areas.meetings.rules import calendar_for

    grid = calendar_for(book, args.year, dt.date.today())
    if args.format == "json":
        json.dump(grid, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    marks = {"held": "✓", "missing": "✗", "not_yet_due": "·"}
    print(f"{grid['year']}年度会议落实情况")
    for row in grid["rows"]:
        cells = "  ".join(f"{c['period']}{marks[c['state']]}" for c in row["cells"])
        print(f"{row['label']}：{cells}")
    print("✓ 已开展  ✗ 未开展  · 未到期")
    return 0
