"""branchdesk-cli archive … and search."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from branchdesk.areas.cli_common import CliError, Parser, print_table
from branchdesk.domain.dates import parse_date
from branchdesk.store import Book


def register(sub: Any) -> None:
    ar = sub.add_parser("archive", help="档案：年度归档、更正").add_subparsers(
        dest="archive_command", required=True, parser_class=Parser
    )
    check = ar.add_parser("check", help="检查年度归档材料是否完整（不完整时退出码为1）")
    check.add_argument("--year", type=int, required=True)
    check.add_argument("--format", choices=("table", "json"), default="table")
    pr = ar.add_parser("print", help="打印年度归档卷为PDF")
    pr.add_argument("--year", type=int, required=True)
    pr.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    pr.add_argument("--volume", type=int, help="只打印第N卷（默认：全部卷，文件名后加卷号）")
    wd = ar.add_parser("docx", help="导出年度归档卷为Word文档（与打印的归档卷内容相同）")
    wd.add_argument("--year", type=int, required=True)
    wd.add_argument("-o", "--output", required=True, metavar="FILE.docx")
    wd.add_argument("--volume", type=int, help="只导出第N卷（默认：全部卷，一个文件）")
    fi = ar.add_parser("file", help="归档：锁定该年度的全部记录")
    fi.add_argument("--year", type=int, required=True)
    fi.add_argument("--despite-gaps", action="store_true", help="材料不完整也归档")
    un = ar.add_parser("unfile", help="撤销归档（须写明原因，记录在案）")
    un.add_argument("--year", type=int, required=True)
    un.add_argument("--reason", required=True)
    co = ar.add_parser("correct", help="为已归档的记录写更正说明（原记录不变）")
    co.add_argument("kind", help="记录类别：meeting、talk、rectification、points_entry")
    co.add_argument("id", type=int)
    co.add_argument("--field", required=True, help="更正的字段，如 content、host")
    co.add_argument("--text", required=True, help="更正后的内容")
    co.add_argument("--reason", required=True, help="更正原因")
    co.add_argument("--approved-by", default="", help="批准人（默认：支部书记）")
    co.add_argument("--date", help="更正日期（默认：今天）")
    lg = ar.add_parser("log", help="修改记录（审计日志）")
    lg.add_argument("--area")
    lg.add_argument("--since")
    lg.add_argument("--limit", type=int, default=50)
    for p in (check, pr, wd, fi, un, co, lg):
        p.set_defaults(run=archive_command)

    se = sub.add_parser("search", help="在全部年度的全部记录中查找")
    se.add_argument("query")
    se.add_argument("--format", choices=("table", "json"), default="table")
    se.set_defaults(run=search_command)


def archive_command(book: Book, args: argparse.Namespace) -> int:
    command = args.archive_command
    if command == "check":
        return _check(book, args)
    if command == "print":
        return _print(book, args)
    if command == "docx":
        from branchdesk.areas.archive.jobs import volume_docx_job

        data = volume_docx_job(book, args.year, args.volume)()
        Path(args.output).write_bytes(data)
        which = f"第{args.volume}卷" if args.volume is not None else "全部卷"
        print(f"已生成 {args.output}（{args.year}年度归档卷，{which}）")
        return 0
    if command == "file":
        from branchdesk.areas.archive.jobs import file_year

        planned, tables = file_year(book, args.year, despite_gaps=args.despite_gaps)
        print(f"已归档 {args.year} 年度：{len(planned)} 件")
        for p in planned:
            print(f"  {p.retention} {p.number} {p.item.title}")
        print(f"已锁定的表：{'、'.join(tables)}")
        return 0
    if command == "unfile":
        book.archive.unfile_year(args.year, args.reason)
        print(f"已撤销 {args.year} 年度的归档（原因：{args.reason}），已记录在案")
        return 0
    if command == "correct":
        from branchdesk.areas.archive.hooks import write_correction

        day = parse_date(args.date) if args.date else None
        approved = args.approved_by.strip() or _secretary(book)
        if not approved:
            raise CliError("请用 --approved-by 写明批准人")
        new_id = write_correction(
            book, args.kind, args.id, args.field,
            text=args.text, reason=args.reason, approved_by=approved, day=day,
        )  # fmt: skip
        print(f"已写入更正（编号 {new_id}）；原记录保持不变")
        return 0
    if command == "log":
        since = parse_date(args.since) if args.since else None
        entries = book.archive.audit(area=args.area, since=since, limit=args.limit)
        rows = [(e.at, e.who, e.area, e.table, e.row_id, e.action, e.summary(60)) for e in entries]
        if args.area in (None, "archive"):
            rows += [
                (f.at, f.who, "archive", "archive_filing", f.year, f.action, f.reason)
                for f in book.archive.filings()
                if since is None or f.at[:10] >= since.isoformat()
            ]
            rows.sort(key=lambda r: str(r[0]), reverse=True)
        print_table(("时间", "操作人", "范围", "表", "记录", "操作", "内容"), rows[: args.limit])
        return 0
    raise CliError(f"未知命令：archive {command}")


def _secretary(book: Book) -> str:
    import datetime as dt

    today = dt.date.today()
    for post in book.branch.committee():
        if post.post == "书记" and post.serving_on(today):
            return post.member_name
    return ""


def _check(book: Book, args: argparse.Namespace) -> int:
    from branchdesk.areas.archive.hooks import year_gaps, year_items
    from branchdesk.areas.archive.jobs import plan

    items = year_items(book, args.year)
    gaps = year_gaps(book, args.year, items)
    planned = plan(book, args.year, items=items)
    if args.format == "json":
        json.dump(
            {
                "year": args.year,
                "filed": book.archive.is_filed(args.year),
                "items": [
                    {"number": p.number, "retention": p.retention, "key": p.item.key,
                     "title": p.item.title, "date": p.item.date.isoformat(), "area": p.item.area}
                    for p in planned
                ],
                "gaps": [
                    {"text": g.text, "area": g.target.area, "kind": g.target.kind,
                     "id": g.target.id}
                    for g in gaps
                ],
            },
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )  # fmt: skip
        print()
    else:
        state = "已归档" if book.archive.is_filed(args.year) else "未归档"
        print(f"{args.year}年度（{state}）：{len(planned)} 件")
        for g in gaps:
            print(f"  缺：{g.text}")
        if not gaps:
            print("  材料齐全，可以归档")
    return 1 if gaps else 0


def _print(book: Book, args: argparse.Namespace) -> int:
    from branchdesk.areas.archive.jobs import volumes_job

    volumes = volumes_job(book, args.year)()
    if not volumes:
        raise CliError(f"{args.year}年度没有可归档的文件")
    if args.volume is not None:
        chosen = [v for v in volumes if v.number == args.volume]
        if not chosen:
            raise CliError(f"没有第{args.volume}卷（共{len(volumes)}卷）")
        Path(args.output).write_bytes(chosen[0].data)
        print(f"已生成 {args.output}（第{args.volume}卷，{chosen[0].pages} 页）")
        return 0
    out = Path(args.output)
    for v in volumes:
        target = out if len(volumes) == 1 else out.with_name(f"{out.stem}-{v.number}{out.suffix}")
        target.write_bytes(v.data)
        print(f"已生成 {target}（第{v.number}卷，{v.retention}，{len(v.items)} 件，{v.pages} 页）")
    return 0


def search_command(book: Book, args: argparse.Namespace) -> int:
    from branchdesk.areas.archive.hooks import search_all

    found = search_all(book, args.query)
    if args.format == "json":
        json.dump(
            {
                area: [
                    {"title": h.title, "text": h.text, "start": h.start, "end": h.end,
                     "area": h.target.area, "kind": h.target.kind, "id": h.target.id,
                     "year": h.year}
                    for h in hits
                ]
                for area, hits in found.items()
            },
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )  # fmt: skip
        print()
        return 0
    if not found:
        print(f"没有找到“{args.query}”")
        return 0
    for area, hits in found.items():
        print(f"【{area}】{len(hits)} 条")
        for h in hits:
            marked = h.text[: h.start] + "【" + h.text[h.start : h.end] + "】" + h.text[h.end :]
            print(f"  {h.title}：{marked}")
    return 0
