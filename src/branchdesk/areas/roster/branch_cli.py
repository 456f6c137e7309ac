"""branchdesk-cli branch committee|group … and roster event …: the records the 设置 page and
the 组织关系变动 dialog keep, with the same rules (they live in the store and domain, so a
dialog and a command cannot disagree).

These belong to the roster area: a committee post and a group are people of the roll in a
role, and the roster area already shows the branch's changes. A separate area would add an
empty navigation entry for nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any

from branchdesk.areas.cli_common import CliError, Parser, print_table
from branchdesk.domain.branch import COMMITTEE_POSTS, CommitteePost, PartyGroup
from branchdesk.domain.dates import format_cn, parse_date
from branchdesk.domain.members import EventKind, Member, MembershipEvent
from branchdesk.store import Book, InputError


def register_branch(sub: Any) -> None:
    branch = sub.add_parser("branch", help="支部委员会和党小组").add_subparsers(
        dest="branch_command", required=True, parser_class=Parser
    )
    committee = branch.add_parser("committee", help="支部委员会").add_subparsers(
        dest="committee_command", required=True, parser_class=Parser
    )
    c_add = committee.add_parser("add", help="登记一名支委会成员")
    c_add.add_argument("--member", required=True, metavar="NAME", help="姓名（或公民身份号码）")
    c_add.add_argument("--post", required=True, choices=COMMITTEE_POSTS, help="职务")
    c_add.add_argument("--from", dest="start", required=True, metavar="DATE", help="任期起")
    c_add.add_argument("--to", dest="end", metavar="DATE", help="任期止")
    c_list = committee.add_parser("list", help="列出支委会成员")
    c_list.add_argument("--on", metavar="DATE", help="某日在任的成员（默认今天）")
    c_list.add_argument("--format", choices=("table", "json"), default="table")
    groups = branch.add_parser("group", help="党小组").add_subparsers(
        dest="group_command", required=True, parser_class=Parser
    )
    g_add = groups.add_parser("add", help="新建党小组")
    g_add.add_argument("name", metavar="NAME")
    g_add.add_argument("--leader", metavar="NAME", help="党小组组长")
    g_add.add_argument("--from", dest="start", metavar="DATE", help="成立日期")
    g_add.add_argument("--to", dest="end", metavar="DATE", help="撤销日期")
    g_list = groups.add_parser("list", help="列出党小组")
    g_list.add_argument("--format", choices=("table", "json"), default="table")
    for parser in (c_add, c_list, g_add, g_list):
        parser.set_defaults(run=_branch)


def register_events(roster: Any) -> None:
    """``roster event …`` under the roster command's subparsers."""
    events = roster.add_parser("event", help="组织关系变动").add_subparsers(
        dest="event_command", required=True, parser_class=Parser
    )
    e_add = events.add_parser("add", help="登记组织关系变动")
    e_add.add_argument("--member", required=True, metavar="NAME", help="姓名（或公民身份号码）")
    e_add.add_argument("--kind", required=True, choices=[k.value for k in EventKind])
    e_add.add_argument("--date", required=True, metavar="DATE")
    e_add.add_argument("--end", metavar="DATE", help="结束日期（留党察看、延长预备期）")
    e_add.add_argument("--note", default="", metavar="TEXT", help="说明")
    e_add.add_argument(
        "--override",
        action="store_true",
        help="特殊情况：预备期未满一年转正（须用 --note 写明依据）",
    )
    e_list = events.add_parser("list", help="列出组织关系变动")
    e_list.add_argument("--member", metavar="NAME")
    e_list.add_argument("--format", choices=("table", "json"), default="table")
    e_fix = events.add_parser("correct", help="更正一条变动（记入更正记录）")
    e_fix.add_argument("id", type=int, metavar="ID")
    e_fix.add_argument("--date", metavar="DATE")
    e_fix.add_argument("--end", metavar="DATE", help="结束日期（留党察看期满时填写）")
    e_fix.add_argument("--note", metavar="TEXT")
    e_fix.add_argument("--reason", required=True, metavar="TEXT", help="更正原因")
    e_rm = events.add_parser("remove", help="删除误登记的变动（记入更正记录）")
    e_rm.add_argument("id", type=int, metavar="ID")
    e_rm.add_argument("--reason", required=True, metavar="TEXT", help="删除原因")
    for parser in (e_add, e_list, e_fix, e_rm):
        parser.set_defaults(run=_event)


def _date(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    day = parse_date(text)
    if day is None:
        raise CliError(f"{option}：不能为空")
    return day


def find_member(book: Book, text: str) -> Member:
    """A member by name, or by 公民身份号码 when two share the name."""
    wanted = text.strip()
    members = book.roster.members()
    found = [m for m in members if m.id_number and m.id_number == wanted.upper()]
    found = found or [m for m in members if m.name == wanted]
    if not found:
        raise CliError(f"名册中没有“{wanted}”")
    if len(found) > 1:
        raise CliError(f"名册中有 {len(found)} 位“{wanted}”，请改用公民身份号码指定")
    return found[0]


# -- branch ------------------------------------------------------------------------------
def _branch(book: Book, args: argparse.Namespace) -> int:
    if args.branch_command == "committee":
        return (
            _committee_add(book, args)
            if args.committee_command == "add"
            else _committee(book, args)
        )
    return _group_add(book, args) if args.group_command == "add" else _groups(book, args)


def _committee_add(book: Book, args: argparse.Namespace) -> int:
    member = find_member(book, args.member)
    assert member.id is not None
    start, end = _date(args.start, "--from"), _date(args.end, "--to")
    book.branch.save_post(CommitteePost(member.id, member.name, args.post, start, end))
    term = f"{format_cn(start)}至{format_cn(end) or '今'}"
    print(f"已登记：{member.name}，{args.post}（任期{term}）")
    return 0


def _committee(book: Book, args: argparse.Namespace) -> int:
    day = _date(args.on, "--on") or dt.date.today()
    posts = book.branch.committee_on(day)
    rows = [
        {
            "id": p.id,
            "name": p.member_name,
            "post": p.post,
            "from": p.term_start.isoformat() if p.term_start else None,
            "to": p.term_end.isoformat() if p.term_end else None,
        }
        for p in posts
    ]
    if args.format == "json":
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    table = [(p.member_name, p.post, format_cn(p.term_start), format_cn(p.term_end)) for p in posts]
    print_table(("姓名", "职务", "任期起", "任期止"), table)
    print(f"共 {len(posts)} 人（{format_cn(day)}在任）")
    return 0


def _group_add(book: Book, args: argparse.Namespace) -> int:
    leader_id = None
    if args.leader:
        leader_id = find_member(book, args.leader).id
    start, end = _date(args.start, "--from"), _date(args.end, "--to")
    book.branch.save_group(
        PartyGroup(name=args.name, leader_id=leader_id, start_date=start, end_date=end)
    )
    print(f"已新建党小组：{args.name.strip()}")
    return 0


def _groups(book: Book, args: argparse.Namespace) -> int:
    groups = book.branch.groups()
    if args.format == "json":
        rows = [
            {
                "id": g.id,
                "name": g.name,
                "leader": g.leader_name,
                "from": g.start_date.isoformat() if g.start_date else None,
                "to": g.end_date.isoformat() if g.end_date else None,
            }
            for g in groups
        ]
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    table = [
        (g.name, g.leader_name, format_cn(g.start_date), format_cn(g.end_date)) for g in groups
    ]
    print_table(("党小组", "组长", "成立日期", "撤销日期"), table)
    print(f"共 {len(groups)} 个党小组")
    return 0


# -- roster event ------------------------------------------------------------------------
def _event(book: Book, args: argparse.Namespace) -> int:
    command = args.event_command
    if command == "add":
        member = find_member(book, args.member)
        assert member.id is not None
        day = _date(args.date, "--date")
        assert day is not None
        event = MembershipEvent(
            EventKind(args.kind), day, _date(args.end, "--end"), args.note, override=args.override
        )
        try:
            event_id = book.roster.add_event(member.id, event)
        except InputError as exc:
            special = "特殊情况" in str(exc)
            hint = "（命令行：加 --override，并用 --note 写明依据）" if special else ""
            raise CliError(f"{exc}{hint}") from None
        print(f"已登记（编号 {event_id}）：{member.name} {format_cn(day)} {args.kind}")
        return 0
    if command == "list":
        return _event_list(book, args)
    if command == "remove":
        book.roster.delete_event(args.id, args.reason)
        print(f"已删除变动 {args.id}（原记录保留在更正记录中）")
        return 0
    if args.date is None and args.end is None and args.note is None:
        raise CliError("更正：请至少给出 --date、--end 或 --note 之一")
    old = book.roster.event(args.id)
    if args.end is not None and old.kind == EventKind.PROBATION and args.date is None:
        end = _date(args.end, "--end")
        assert end is not None
        book.roster.end_probation(args.id, end, args.reason)
        if args.note is not None:
            book.roster.correct_event(args.id, note=args.note, reason=args.reason)
    else:
        kwargs: dict[str, Any] = {"date": _date(args.date, "--date"), "note": args.note}
        if args.end is not None:
            kwargs["end_date"] = _date(args.end, "--end")
        book.roster.correct_event(args.id, reason=args.reason, **kwargs)
    print(f"已更正变动 {args.id}（更正前的内容和原因已记入更正记录）")
    return 0


def _event_list(book: Book, args: argparse.Namespace) -> int:
    member_id = find_member(book, args.member).id if args.member else None
    events = book.roster.events(member_id)
    if args.format == "json":
        rows = [
            {
                "id": e.id,
                "member": name,
                "kind": e.kind.value,
                "date": e.date.isoformat(),
                "end_date": e.end_date.isoformat() if e.end_date else None,
                "note": e.note,
                "override": e.override,
            }
            for name, e in events
        ]
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    table = [
        (e.id, name, e.kind.value, format_cn(e.date), format_cn(e.end_date), e.note)
        for name, e in events
    ]
    print_table(("编号", "姓名", "变动", "日期", "结束日期", "说明"), table)
    print(f"共 {len(events)} 条")
    return 0
