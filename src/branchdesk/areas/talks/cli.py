"""branchdesk-cli talk … and appraisal … (谈心谈话, 民主评议党员)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Any

from branchdesk.areas.cli_common import CliError, Parser, print_table
from branchdesk.areas.talks.rules import (
    appraisal_checks,
    appraisal_rows,
    coverage_for,
    due_for,
    resolve,
)
from branchdesk.domain.appraisal import MEETING_STEP, RATINGS, STEP_STATES, STEPS, Rating, Tally
from branchdesk.domain.dates import parse_date
from branchdesk.domain.members import Member
from branchdesk.domain.talks import DAILY, Talk
from branchdesk.store import Book

#: Said at the top of every exported talk: what the file holds.
EXPORT_NOTICE = (
    "本文件含谈心谈话记录的全部内容（谈话内容要点、对方的意见和诉求、后续措施、落实情况），"
    "属敏感信息，请妥善保管，用后删除。"
)


def _date(text: str) -> dt.date:
    day = parse_date(text)
    if day is None:
        raise argparse.ArgumentTypeError(f"不是日期：{text}")
    return day


def register(sub: Any) -> None:
    tk = sub.add_parser("talk", help="谈心谈话").add_subparsers(
        dest="talk_command", required=True, parser_class=Parser
    )
    add = tk.add_parser("add", help="记录一次谈心谈话")
    add.add_argument("--date", type=_date, required=True)
    add.add_argument("--talker", action="append", required=True, help="谈话人（可多次）")
    add.add_argument("--with", dest="others", action="append", required=True,
                     help="谈话对象（可多次）")  # fmt: skip
    add.add_argument("--kind", default=DAILY, help=f"谈话类型（默认：{DAILY}）")
    add.add_argument("--topic", required=True)
    add.add_argument("--summary", default="", help="谈话内容要点")
    add.add_argument("--place", default="")
    add.add_argument("--views", default="", help="对方的意见和诉求")
    add.add_argument("--follow-up", default="", help="后续措施")
    add.add_argument("--year", type=int, help="所属年度（会前谈心可属上一年度）")
    ls = tk.add_parser("list", help="列出谈心谈话记录（不含谈话内容）")
    ls.add_argument("--year", type=int)
    ls.add_argument("--format", choices=("table", "json"), default="table")
    ex = tk.add_parser("export", help="导出一次谈话为JSON（含谈话内容）")
    ex.add_argument("id", type=int)
    ex.add_argument("-o", "--output", required=True, metavar="FILE.json")
    im = tk.add_parser("import", help="从JSON导入一次谈话（全部检查通过才写入）")
    im.add_argument("file")
    cv = tk.add_parser("coverage", help="年度谈心谈话覆盖情况")
    cv.add_argument("--year", type=int, required=True)
    cv.add_argument("--format", choices=("table", "json"), default="table")
    cv.add_argument("--kind", help="只计这一类谈话（如：会前谈心）")
    cv.add_argument("--until", type=_date, help="截至日期（如组织生活会的日期）")
    du = tk.add_parser("due", help="因事项应进行而尚未进行的谈话")
    du.add_argument("--on", type=_date, default=None, help="日期（默认今天）")
    du.add_argument("--format", choices=("table", "json"), default="table")
    pr = tk.add_parser("print", help="打印谈话记录表或登记表").add_subparsers(
        dest="print_what", required=True, parser_class=Parser
    )
    prr = pr.add_parser("record", help="谈心谈话记录表")
    prr.add_argument("id", type=int)
    prr.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    prg = pr.add_parser("register", help="谈心谈话情况登记表")
    prg.add_argument("--year", type=int, required=True)
    prg.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    for p in (add, ls, ex, im, cv, du, prr, prg):
        p.set_defaults(run=talk_command)

    ap = sub.add_parser("appraisal", help="民主评议党员").add_subparsers(
        dest="appraisal_command", required=True, parser_class=Parser
    )
    st = ap.add_parser("start", help="开始一个年度的民主评议")
    st.add_argument("--year", type=int, required=True)
    st.add_argument("--date", type=_date, required=True)
    bl = ap.add_parser("ballots", help="打印测评表")
    bl.add_argument("--year", type=int, required=True)
    bl.add_argument("--copies", type=int, default=1, help="份数")
    bl.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    ta = ap.add_parser("tally", help="录入测评票数（JSON）")
    ta.add_argument("--year", type=int, required=True)
    ta.add_argument("file")
    ra = ap.add_parser("rate", help="录入支委会意见和评议等次")
    ra.add_argument("--year", type=int, required=True)
    ra.add_argument("--member", required=True)
    ra.add_argument("--proposed", choices=RATINGS, required=True)
    ra.add_argument("--final", choices=RATINGS, required=True)
    ra.add_argument("--note", default="")
    ra.add_argument("--handling", default="", help="不合格的处置方式（限期改正、劝其退党、除名…）")
    ra.add_argument("--date", type=_date, default=None, help="党员大会审议日期（默认今天）")
    exc = ap.add_parser("exclude", help="列为不参加评议（长期病休、出国等），原因为空则取消")
    exc.add_argument("--year", type=int, required=True)
    exc.add_argument("--member", required=True)
    exc.add_argument("--reason", required=True)
    stp = ap.add_parser("step", help="登记评议步骤的状态和日期")
    stp.add_argument("--year", type=int, required=True)
    stp.add_argument("--step", choices=STEPS, required=True)
    stp.add_argument("--state", choices=STEP_STATES, required=True)
    stp.add_argument("--date", type=_date, default=None)
    stp.add_argument("--note", default="")
    stp.add_argument("--meeting", type=int, default=None,
                     help="审议该结果的支部党员大会的会议记录编号")  # fmt: skip
    rs = ap.add_parser("result", help="评议结果及检查")
    rs.add_argument("--year", type=int, required=True)
    rs.add_argument("--format", choices=("table", "json"), default="table")
    ptr = ap.add_parser("print", help="打印民主评议党员结果汇总表")
    ptr.add_argument("--year", type=int, required=True)
    ptr.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    for p in (st, bl, ta, ra, exc, stp, rs, ptr):
        p.set_defaults(run=appraisal_command)


def _dump(data: object) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    print()


def _private_write(path: Path, text: str) -> None:
    """Talk contents go only to a file its owner alone can read."""
    fd = os.open(path, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)


def _ids(members: list[Member], names: list[str]) -> tuple[int, ...]:
    return tuple(resolve(members, n).id or 0 for n in names)


def _talk_from_json(data: Any, members: list[Member]) -> Talk:
    try:
        t = data["talk"]
        return Talk(
            date=_date(t["date"]),
            talkers=_ids(members, list(t["talkers"])),
            others=_ids(members, list(t["with"])),
            kind=t.get("kind", DAILY),
            topic=t.get("topic", ""),
            place=t.get("place", ""),
            summary=t.get("summary", ""),
            views=t.get("views", ""),
            follow_up=t.get("follow_up", ""),
            result=t.get("result", ""),
            result_date=_date(t["result_date"]) if t.get("result_date") else None,
            year=t.get("year"),
        )
    except (KeyError, TypeError, argparse.ArgumentTypeError) as exc:
        raise CliError(f"谈话记录文件格式不对：缺少或无法读取 {exc}") from None


def talk_command(book: Book, args: argparse.Namespace) -> int:
    cmd = args.talk_command
    members = book.roster.members()
    names = {m.id or 0: m.name for m in members}
    if cmd == "add":
        talk = Talk(
            date=args.date,
            talkers=_ids(members, args.talker),
            others=_ids(members, args.others),
            kind=args.kind,
            topic=args.topic,
            place=args.place,
            summary=args.summary,
            views=args.views,
            follow_up=args.follow_up,
            year=args.year,
        )
        print(f"已记录，谈话记录编号 {book.talks.save(talk)}")
        return 0
    if cmd == "list":
        talks = book.talks.outlines(args.year)
        if args.format == "json":
            _dump([
                {"id": t.id, "date": t.date.isoformat(), "year": t.belongs_to_year,
                 "kind": t.kind, "topic": t.topic, "place": t.place,
                 "talkers": [names.get(i, "") for i in t.talkers],
                 "with": [names.get(i, "") for i in t.others]}
                for t in talks
            ])  # fmt: skip
            return 0
        print_table(
            ("编号", "日期", "谈话人", "谈话对象", "类型", "主题"),
            [
                (t.id, t.date.isoformat(), "、".join(names.get(i, "") for i in t.talkers),
                 "、".join(names.get(i, "") for i in t.others), t.kind, t.topic)
                for t in talks
            ],
        )  # fmt: skip
        print(f"共 {len(talks)} 次谈话")
        return 0
    if cmd == "export":
        try:
            t = book.talks.get(args.id)
        except KeyError:
            raise CliError(f"没有编号为 {args.id} 的谈话记录") from None
        data = {
            "说明": EXPORT_NOTICE,
            "contains": ["谈话人", "谈话对象", "谈话内容要点", "对方的意见和诉求", "后续措施",
                         "落实情况"],
            "talk": {
                "date": t.date.isoformat(), "year": t.belongs_to_year, "kind": t.kind,
                "topic": t.topic, "place": t.place,
                "talkers": [names[i] for i in t.talkers], "with": [names[i] for i in t.others],
                "summary": t.summary, "views": t.views, "follow_up": t.follow_up,
                "result": t.result,
                "result_date": t.result_date.isoformat() if t.result_date else None,
            },
        }  # fmt: skip
        _private_write(Path(args.output), json.dumps(data, ensure_ascii=False, indent=2))
        print(f"已导出到：{args.output}（含谈话内容，请妥善保管）")
        return 0
    if cmd == "import":
        try:
            data = json.loads(Path(args.file).read_text(encoding="utf-8"))
        except ValueError as exc:
            raise CliError(f"不是有效的JSON文件：{exc}") from None
        print(f"已导入，谈话记录编号 {book.talks.save(_talk_from_json(data, members))}")
        return 0
    if cmd == "coverage":
        return _coverage(book, args, members, names)
    if cmd == "due":
        due = due_for(book, args.on or dt.date.today(), members)
        if args.format == "json":
            _dump([
                {"name": d.name, "kind": d.kind, "reason": d.reason,
                 "since": d.since.isoformat(), "due": d.due.isoformat()}
                for d in due
            ])  # fmt: skip
            return 0
        print_table(("姓名", "谈话类型", "事由", "发生日期", "应谈日期"),
                    [(d.name, d.kind, d.reason, d.since.isoformat(), d.due.isoformat())
                     for d in due])  # fmt: skip
        print(f"共 {len(due)} 次谈话待进行")
        return 0
    if cmd == "print":
        from branchdesk.areas.talks.jobs import record_job, register_job

        if args.print_what == "record":
            try:
                job = record_job(book, [args.id])
            except KeyError:
                raise CliError(f"没有编号为 {args.id} 的谈话记录") from None
        else:
            job = register_job(book, args.year)
        pdf = job()
        Path(args.output).write_bytes(pdf.data)
        print(f"已生成 {args.output}（{pdf.pages} 页）")
        return 0
    raise CliError(f"未知命令：talk {cmd}")


def _coverage(book: Book, args: argparse.Namespace, members: list[Member],
              names: dict[int, str]) -> int:  # fmt: skip
    cov = coverage_for(book, args.year, members=members, kind=args.kind, until=args.until)
    pairs = cov.pairs()
    if args.format == "json":
        _dump({
            "year": args.year,
            "pairs": [{"talker": names[p.talker], "with": names[p.other], "needed": p.needed,
                       "done": p.done} for p in pairs],
            "missing": [[names[p.talker], names[p.other]] for p in cov.missing()],
        })  # fmt: skip
        return 0
    print(f"{args.year}年度谈心谈话覆盖情况（每对至少 {book.talks.rules().minimum} 次）")
    print_table(("谈话人", "谈话对象", "应谈", "已谈", "情况"),
                [(names[p.talker], names[p.other], p.needed, p.done,
                  "✓" if p.state == "done" else "✗ 未谈") for p in pairs])  # fmt: skip
    print(f"应谈 {len(pairs)} 对，尚缺 {len(cov.missing())} 对")
    return 0


def appraisal_command(book: Book, args: argparse.Namespace) -> int:
    cmd = args.appraisal_command
    year = args.year
    if cmd == "start":
        book.appraisal.start(year, args.date)
        people = book.appraisal.participants(year)
        rated = sum(1 for p in people if p.rated)
        print(f"已开始{year}年度民主评议：参加 {len(people)} 人，评定等次 {rated} 人")
        return 0
    try:
        book.appraisal.session(year)
    except KeyError:
        raise CliError(f"{year}年度的民主评议尚未开始（appraisal start）") from None
    if cmd == "ballots":
        from branchdesk.areas.talks.jobs import ballot_job

        if args.copies < 1:
            raise CliError("份数至少为 1")
        pdf = ballot_job(book, year, args.copies)()
        Path(args.output).write_bytes(pdf.data)
        print(f"已生成 {args.output}（{args.copies} 份，共 {pdf.pages} 页）")
        return 0
    if cmd == "tally":
        return _tally(book, year, Path(args.file))
    if cmd == "rate":
        members = [m for m in book.roster.members()]
        m = resolve(members, args.member)
        book.appraisal.rate(
            year,
            Rating(m.id or 0, args.proposed, args.final, args.handling, args.note),
            args.date or dt.date.today(),
        )
        print(f"已录入{m.name}：支委会意见 {args.proposed}，评议等次 {args.final}")
        return 0
    if cmd == "exclude":
        m = resolve(book.roster.members(), args.member)
        book.appraisal.exclude(year, m.id or 0, args.reason)
        print(f"{m.name}：" + (f"不参加评议（{args.reason.strip()}）" if args.reason.strip()
                                else "参加评议"))  # fmt: skip
        return 0
    if cmd == "step":
        if args.meeting is not None:
            if args.step != MEETING_STEP:
                raise CliError(f"只有“{MEETING_STEP}”一步可以关联会议记录")
            try:
                book.meetings.get(args.meeting)
            except KeyError:
                raise CliError(f"没有编号为 {args.meeting} 的会议记录") from None
        book.appraisal.set_step(year, args.step, args.state, args.date, args.note, args.meeting)
        print(f"{year}年度民主评议：{args.step} {args.state}")
        return 0
    if cmd == "result":
        return _result(book, year, args.format)
    if cmd == "print":
        from branchdesk.areas.talks.jobs import result_job

        pdf = result_job(book, year)()
        Path(args.output).write_bytes(pdf.data)
        print(f"已生成 {args.output}（{pdf.pages} 页）")
        return 0
    raise CliError(f"未知命令：appraisal {cmd}")


def _tally(book: Book, year: int, file: Path) -> int:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        issued, returned = int(data["issued"]), int(data["returned"])
        entries = list(data["tallies"])
    except (ValueError, KeyError, TypeError) as exc:
        raise CliError(f"票数文件格式不对（需要 issued、returned、tallies）：{exc}") from None
    members = book.roster.members()
    problems: list[str] = []
    tallies: dict[int, Tally] = {}
    for n, entry in enumerate(entries, 1):
        try:
            m = resolve(members, str(entry["name"]))
            counts = {r: int(entry.get(r, 0)) for r in RATINGS}
        except CliError as exc:
            problems.append(f"第{n}项：{exc}")
            continue
        except (KeyError, TypeError, ValueError, AttributeError):
            problems.append(f"第{n}项：需要 name 和四项票数（整数）")
            continue
        unknown = set(entry) - {"name", *RATINGS}
        if unknown:
            problems.append(f"第{n}项：未知的字段“{'、'.join(sorted(unknown))}”")
        if (m.id or 0) in tallies:
            problems.append(f"第{n}项：{m.name}重复出现")
        tallies[m.id or 0] = Tally(m.id or 0, counts)
    problems += book.appraisal.tally_problems(year, issued, returned, tallies)
    if problems:
        raise CliError("未写入任何票数：" + "；".join(problems))
    book.appraisal.set_tallies(year, issued, returned, tallies)
    print(f"已录入 {len(tallies)} 人的测评票数（发出 {issued} 张，收回 {returned} 张）")
    return 0


def _result(book: Book, year: int, fmt: str) -> int:
    rows = appraisal_rows(book, year)
    if fmt == "json":
        _dump([
            {"name": r.participant.name, "rated": r.participant.rated,
             "tally": {k: r.tally.count(k) for k in RATINGS},
             "proposed": r.rating.proposed or None, "final": r.rating.final or None,
             "note": r.rating.note}
            for r in rows
        ])  # fmt: skip
    else:
        print_table(
            ("姓名", "评定", *RATINGS, "支委会意见", "评议等次", "积分", "出勤", "谈话"),
            [(r.participant.name, "是" if r.participant.rated else "否",
              *(r.tally.count(k) for k in RATINGS), r.rating.proposed, r.rating.final,
              r.points, r.attendance_text, r.talks) for r in rows],
        )  # fmt: skip
    checks = appraisal_checks(book, year) + [
        c for c in appraisal_checks(book, year, which="proposed") if c.rule.startswith("优秀")
    ]
    for c in checks:
        print(f"检查未通过：{c.message}", file=sys.stderr)
    return 1 if checks else 0
