"""会议记录 demo: a realistic year of meetings of every type."""

from __future__ import annotations

import datetime as dt
import random

from branchdesk.store import Book


def populate_demo_meetings(book: Book, today: dt.date | None = None) -> None:
    """The demo's meetings relative to ``today``: the year the roster demo is set in (see
    roster.demo.demo_years) and, when today is in the next year, that year too — each up
    to yesterday, so the calendar shows a branch at work, not a stopped one."""
    from branchdesk.areas.roster.demo import DEMO_WRITTEN_FOR, demo_years

    today = today or dt.date.today()
    base = DEMO_WRITTEN_FOR.year + demo_years(today)
    until = today - dt.timedelta(days=1)
    for year in range(base, today.year + 1):
        populate_year(book, year, until, admissions=year == base)


def populate_year(
    book: Book, year: int, until: dt.date | None = None, *, admissions: bool = True
) -> None:
    """A realistic year of meetings of every type, up to ``until`` (default 20 November);
    with ``admissions``, the 党员大会 of March and June admit 何娜 and 徐丽."""
    from branchdesk.domain.meetings import (
        Attendance,
        AttendanceStatus,
        Meeting,
        MeetingType,
        Resolution,
        ResolutionKind,
        Scope,
    )
    from branchdesk.domain.minutes import MeetingRecord

    until = until or dt.date(year, 11, 20)
    rng = random.Random(year)
    members = book.roster.members()
    by_name = {m.name: m for m in members}
    groups = book.branch.groups()
    committee = book.branch.committee()
    leave_reasons = ("出差", "病假", "参加培训", "公务外出", "事假")

    def attendance(day: dt.date, ids: list[int]) -> dict[int, Attendance]:
        out = {}
        for mid in ids:
            roll = rng.random()
            if roll < 0.08:
                out[mid] = Attendance(AttendanceStatus.LEAVE, rng.choice(leave_reasons))
            elif roll < 0.09:
                out[mid] = Attendance(AttendanceStatus.ABSENT)
            else:
                out[mid] = Attendance(AttendanceStatus.PRESENT)
        return out

    def on_roll(day: dt.date, group_id: int | None = None) -> list[int]:
        return [
            e.member.id or 0
            for e in book.roster.on(day)
            if group_id is None or e.member.group_id == group_id
        ]

    def save(record: MeetingRecord) -> None:
        if record.meeting.date <= until:
            book.meetings.save(record)

    host, recorder, place = "李建国", "黄磊", "机关三楼党员活动室"
    themes = ("学习贯彻全会精神", "学习党章党规", "弘扬雷锋精神", "清明祭英烈",
              "五四青年座谈", "七一重温入党誓词", "参观廉政教育基地", "志愿服务进社区",
              "学习条例研讨", "读书分享会", "年终总结", "年终总结")  # fmt: skip
    with book.atomic():
        save(MeetingRecord(
            meeting=Meeting(title=f"{year - 1}年度组织生活会", types=frozenset(
                {MeetingType.ORG_LIFE, MeetingType.APPRAISAL}), date=dt.date(year, 1, 20),
                attendance=attendance(dt.date(year, 1, 20), on_roll(dt.date(year, 1, 20)))),
            start_time="14:30", end_time="17:30", place=place, host=host, recorder=recorder,
            guests="机关党委 组织部 张科长",
            agenda=("书记代表支委会对照检查", "党员逐一进行党性分析、开展批评和自我批评",
                    "开展民主评议党员"),
            content="会前，支委会广泛征求意见，支部书记与每名党员谈心谈话。\n"
                    "会上，书记代表支委会作对照检查，逐条列出问题、剖析原因、提出整改措施。"
                    "党员逐一发言，开展批评和自我批评，大家红红脸、出出汗，达到了团结—批评—团结的目的。",
        ))  # fmt: skip
        for month in range(1, 13):
            day = dt.date(year, month, 10 if month != 3 else 18)
            if month == 6:
                day = dt.date(year, 6, 26)
            types = {MeetingType.THEME_DAY}
            resolutions: tuple[Resolution, ...] = ()
            ids = on_roll(day)
            quarter_end = month in (3, 6, 9, 12)
            if quarter_end:
                types |= {MeetingType.GENERAL, MeetingType.LECTURE}
            att = attendance(day, ids)
            present = sum(1 for a in att.values() if a.status == AttendanceStatus.PRESENT)
            voters = [e for e in book.roster.on(day) if e.has_vote]
            voting_present = sum(
                1 for e in voters
                if att.get(e.member.id or 0, Attendance(AttendanceStatus.ABSENT)).status
                == AttendanceStatus.PRESENT
            )  # fmt: skip
            candidate = {3: "何娜", 6: "徐丽"}.get(month) if admissions else None
            if candidate and candidate in by_name:
                resolutions = (Resolution(
                    text=f"讨论接收{candidate}同志为中共预备党员", kind=ResolutionKind.ADMISSION,
                    candidate_id=by_name[candidate].id, votes_for=voting_present,
                    marked_passed=2 * voting_present > len(voters)),)  # fmt: skip
            title = f"{month}月主题党日" + ("暨支部党员大会、党课" if quarter_end else "")
            save(MeetingRecord(
                meeting=Meeting(title=title, types=frozenset(types), date=day, attendance=att,
                                resolutions=resolutions),
                start_time="14:30", end_time="17:00" if quarter_end else "16:30", place=place,
                host=host, recorder=recorder, theme=themes[month - 1],
                lecturer=host if quarter_end else "", topic="坚定理想信念 践行初心使命"
                if quarter_end else "",
                agenda=("集中学习", "开展主题活动")
                + (("讲授党课", "讨论支部事项") if quarter_end else ()),
                content=f"主持人通报到会情况：应到{len(ids)}人，实到{present}人。\n"
                        f"围绕“{themes[month - 1]}”开展学习和交流，党员结合工作实际发言。",
            ))  # fmt: skip
            committee_ids = [p.member_id for p in committee if p.serving_on(day)]
            save(MeetingRecord(
                meeting=Meeting(title=f"{month}月支委会", types=frozenset({MeetingType.COMMITTEE}),
                                date=day - dt.timedelta(days=3), scope=Scope.COMMITTEE,
                                attendance=attendance(day, committee_ids)),
                start_time="09:00", end_time="10:00", place="书记办公室", host=host,
                recorder=recorder, agenda=("研究本月主题党日安排", "通报党员教育管理情况"),
                content="支委会研究了本月工作安排，明确了分工。",
            ))  # fmt: skip
            for g in groups:
                leader = g.leader_name or host
                gday = day + dt.timedelta(days=5)
                if gday.month != day.month:
                    gday = day - dt.timedelta(days=8)
                if month == 8 and g.name == "第三党小组":
                    continue  # a realistic gap: the calendar shows it in red
                save(MeetingRecord(
                    meeting=Meeting(title=f"{g.name}{month}月党小组会",
                                    types=frozenset({MeetingType.GROUP}), date=gday,
                                    scope=Scope.GROUP, group_id=g.id,
                                    attendance=attendance(gday, on_roll(gday, g.id))),
                    start_time="16:00", end_time="17:00", place="小会议室", host=leader,
                    recorder=leader, agenda=("学习交流", "党员汇报思想工作情况"),
                    content="党员逐一汇报了思想、工作情况，小组长作了点评。",
                ))  # fmt: skip
