"""branchdesk-cli points …: rule sets, the ledger, totals, the 公示 and the 积分登记卡."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from branchdesk.areas.cli_common import CliError, Parser, print_table
from branchdesk.domain.dates import parse_date
from branchdesk.domain.points import Period, format_points, parse_points, points_number
from branchdesk.store import Book


def register(sub: Any) -> None:
    pts = sub.add_parser("points", help="党员积分").add_subparsers(
        dest="points_command", required=True, parser_class=Parser
    )
    scheme = pts.add_parser("scheme", help="积分细则（每年一套）").add_subparsers(
        dest="scheme_command", required=True, parser_class=Parser
    )
    stp = scheme.add_parser("templates", help="列出随软件提供的模板")
    su = scheme.add_parser("use", help="选用模板作为某年的积分细则（并立即按会议记录计分）")
    su.add_argument("template")
    su.add_argument("--year", type=int, required=True)
    se = scheme.add_parser("export", help="导出某年的积分细则为JSON")
    se.add_argument("--year", type=int, required=True)
    se.add_argument("-o", "--output", required=True, metavar="FILE.json")
    si = scheme.add_parser("import", help="从JSON导入某年的积分细则（全部检查通过才写入）")
    si.add_argument("file")
    si.add_argument("--year", type=int, required=True)

    add = pts.add_parser("add", help="登记一条积分")
    add.add_argument("--member", required=True, metavar="NAME_OR_ID")
    add.add_argument("--date", required=True)
    add.add_argument("--item", required=True)
    add.add_argument("--points", help="每次分值（默认：细则中的分值）")
    add.add_argument("--count", type=int, default=1)
    add.add_argument("--reason", default="")
    add.add_argument("--by", default="", help="登记人（填写一次后记在账簿中）")
    rev = pts.add_parser("reverse", help="冲销一条积分明细")
    rev.add_argument("entry_id", type=int)
    rev.add_argument("--reason", required=True)
    rev.add_argument("--by", default="")
    ap = pts.add_parser(
        "apply", help="按积分细则重新计算某年会议的自动积分（重复执行不会重复计分）"
    )
    ap.add_argument("--year", type=int, required=True)
    led = pts.add_parser("ledger", help="积分明细")
    when = led.add_mutually_exclusive_group()
    when.add_argument("--year", type=int)
    when.add_argument("--period", help="如 2026Q3 或 2026")
    led.add_argument("--member", metavar="NAME_OR_ID")
    led.add_argument("--format", choices=("table", "json"), default="table")
    tot = pts.add_parser("totals", help="某季度或某年的积分汇总")
    tot.add_argument("--period", required=True, help="如 2026Q3 或 2026")
    tot.add_argument("--format", choices=("table", "json"), default="table")
    pr = pts.add_parser("print", help="打印积分公示表、积分登记卡或年度汇总").add_subparsers(
        dest="print_command", required=True, parser_class=Parser
    )
    pn = pr.add_parser("notice", help="积分公示表（公示期不少于7天）")
    pn.add_argument("--period", required=True)
    pn.add_argument("--from", dest="date_from", required=True)
    pn.add_argument("--to", dest="date_to", required=True)
    pn.add_argument("--contact", default="", help="监督电话/联系人")
    pn.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    pc = pr.add_parser("card", help="党员积分登记卡")
    pc.add_argument("--member", required=True)
    pc.add_argument("--year", type=int, required=True)
    pc.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    ps = pr.add_parser("summary", help="年度积分汇总表")
    ps.add_argument("--year", type=int, required=True)
    ps.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    ex = pts.add_parser("export", help="导出某年的积分汇总与明细为Excel")
    ex.add_argument("--year", type=int, required=True)
    ex.add_argument("-o", "--output", required=True, metavar="FILE.xlsx")
    for parser in (stp, su, se, si, add, rev, ap, led, tot, pn, pc, ps, ex):
        parser.set_defaults(run=points_command)


def _dump(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    print()


def _date(text: str, label: str) -> Any:
    day = parse_date(text)
    if day is None:
        raise CliError(f"{label}：不能为空")
    return day


def points_command(book: Book, args: argparse.Namespace) -> int:
    # The points rules word bad values (a point with two decimals, a period like 2026Q5)
    # as ValueError: for the command line that is bad input, exit 1, not a bug.
    try:
        return _points_command(book, args)
    except ValueError as exc:
        raise CliError(str(exc)) from None


def _points_command(book: Book, args: argparse.Namespace) -> int:
    command = args.points_command
    if command == "scheme":
        return _scheme(book, args)
    if command == "add":
        return _add(book, args)
    if command == "reverse":
        if args.by:
            book.points.set_entered_by(args.by)
        rid = book.points.reverse(args.entry_id, args.reason)
        print(f"已冲销明细 {args.entry_id}，冲销记录编号 {rid}")
        return 0
    if command == "apply":
        result = book.points.apply(args.year)
        print(f"{args.year}年自动积分：新增 {result.added} 条，冲销 {result.reversed} 条")
        return 0
    if command == "ledger":
        return _ledger(book, args)
    if command == "totals":
        return _totals(book, args)
    if command == "print":
        return _print(book, args)
    if command == "export":
        from branchdesk.areas.points.jobs import export_xlsx

        export_xlsx(book, args.year, Path(args.output))
        print(f"已导出到：{args.output}")
        return 0
    raise CliError(f"未知命令：points {command}")


def _scheme(book: Book, args: argparse.Namespace) -> int:
    from branchdesk.areas.points.rules import templates, use_template

    if args.scheme_command == "templates":
        for t in templates():
            print(f"{t.id}\t{t.title}")
        return 0
    if args.scheme_command == "use":
        result = use_template(book, args.template, args.year)
        print(f"{args.year}年积分细则：{args.template}；按会议记录自动计分 {result.added} 条")
        return 0
    if args.scheme_command == "export":
        from branchdesk.areas.points.rules import scheme_for
        from branchdesk.domain.points_rules import rules_to_dict

        data = rules_to_dict(scheme_for(book, args.year))
        text = json.dumps(data, ensure_ascii=False, indent=2)
        Path(args.output).write_text(text + "\n", encoding="utf-8")
        print(f"已导出到：{args.output}")
        return 0
    if args.scheme_command == "import":
        from branchdesk.domain.points_rules import RulesError, rules_from_dict

        try:
            data = json.loads(Path(args.file).read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise CliError(
                f"{args.file} 不是有效的JSON（第{exc.lineno}行第{exc.colno}列）"
            ) from None
        try:
            rules = rules_from_dict(data)
        except RulesError as exc:
            raise CliError("积分细则有误，未写入：\n  " + "\n  ".join(exc.problems)) from None
        result = book.points.set_scheme(args.year, rules, "")
        print(f"已导入{args.year}年积分细则；按会议记录自动计分 {result.added} 条")
        return 0
    raise CliError(f"未知命令：points scheme {args.scheme_command}")


def _add(book: Book, args: argparse.Namespace) -> int:
    from branchdesk.areas.points.rules import find_member

    if args.by:
        book.points.set_entered_by(args.by)
    elif not book.points.entered_by():
        raise CliError("请用 --by 填写登记人姓名（填写一次后记在账簿中）")
    member = find_member(book, args.member)
    points = parse_points(args.points) if args.points is not None else None
    day = _date(args.date, "日期")
    eid = book.points.add(
        member.id or 0, day, args.item, points=points, count=args.count, reason=args.reason
    )
    entry = book.points.entry(eid)
    print(
        f"已登记：{member.name} {day.isoformat()} {entry.item} "
        f"{format_points(entry.value)} 分（明细编号 {eid}）"
    )
    return 0


def _ledger(book: Book, args: argparse.Namespace) -> int:
    from branchdesk.areas.points.rules import find_member

    members = book.roster.members()
    names = {m.id: m.name for m in members}
    period = Period.parse(args.period) if args.period else None
    if args.year:
        period = Period(args.year)
    member_id = find_member(book, args.member, members).id if args.member else None
    # Without a period: the whole ledger (the schema keeps dates within 1921–2200).
    start, end = (period.start, period.end) if period else (Period(1921).start, Period(2200).end)
    rows = book.points.entries(start, end, member_id)
    if args.format == "json":
        _dump(
            [
                {
                    "id": e.id,
                    "name": names.get(e.member_id, ""),
                    "date": e.date.isoformat(),
                    "item": e.item,
                    "points": points_number(e.points),
                    "count": e.count,
                    "reason": e.reason,
                    "source": e.source,
                    "reverses": e.reverses,
                }
                for e in rows
            ]
        )
        return 0
    print_table(
        ("编号", "日期", "姓名", "项目", "分值", "次数", "原因", "来源", "冲销"),
        [
            (
                e.id,
                e.date.isoformat(),
                names.get(e.member_id, ""),
                e.item,
                format_points(e.points),
                e.count,
                e.reason,
                e.source,
                f"冲销 {e.reverses}"
                if e.reverses
                else (f"已被 {e.reversed_by} 冲销" if e.reversed_by else ""),
            )
            for e in rows
        ],
    )
    print(f"共 {len(rows)} 条")
    return 0


def totals_json(rows: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "name": r.member.name,
            "id_number": r.member.id_number,
            "category": r.member.category.value,
            "scored": r.scored,
            "base": points_number(r.base),
            "added": points_number(r.added),
            "deducted": points_number(r.deducted),
            "total": points_number(r.total),
            "band": r.band,
            "rank": r.rank,
            "note": r.note,
        }
        for r in rows
    ]


def _totals(book: Book, args: argparse.Namespace) -> int:
    from branchdesk.areas.points.rules import ranking_on, totals

    period = Period.parse(args.period)
    rows = totals(book, period)
    if args.format == "json":
        _dump(totals_json(rows))
        return 0
    ranked = ranking_on(book)
    headers = (
        "姓名",
        "基础分",
        "加分",
        "扣分",
        "总分",
        "等次",
        *(("名次",) if ranked else ()),
        "备注",
    )
    print(f"{period.label}党员积分")
    print_table(
        headers,
        [
            (
                r.member.name,
                format_points(r.base),
                format_points(r.added),
                format_points(r.deducted),
                format_points(r.total),
                r.band,
                *((r.rank or "",) if ranked else ()),
                r.note,
            )
            for r in rows
        ],
    )
    return 0


def _print(book: Book, args: argparse.Namespace) -> int:
    from branchdesk.areas.points import jobs

    if args.print_command == "notice":
        day_from, day_to = (
            _date(args.date_from, "公示开始日期"),
            _date(args.date_to, "公示结束日期"),
        )
        period = Period.parse(args.period)
        pdf = jobs.notice_job(book, period, day_from, day_to, args.contact)()
        Path(args.output).write_bytes(pdf.data)
        # Recorded as printed only once the file is written (a failed write records nothing).
        jobs.notice_printed(book, period, day_from, day_to)
        print(f"已生成 {args.output}（{pdf.pages} 页）")
        return 0
    elif args.print_command == "card":
        from branchdesk.areas.points.rules import find_member

        pdf = jobs.card_job(book, find_member(book, args.member).id or 0, args.year)()
    else:
        pdf = jobs.summary_job(book, args.year)()
    Path(args.output).write_bytes(pdf.data)
    print(f"已生成 {args.output}（{pdf.pages} 页）")
    return 0
