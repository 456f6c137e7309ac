"""A realistic demo branch, and a large generated book for benchmarks.

Everything goes through the store facade, as the GUI's writes do.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from branchdesk.domain.branch import CommitteePost, PartyGroup
from branchdesk.domain.idcard import check_digit
from branchdesk.domain.members import Category, EventKind, Member, MembershipEvent
from branchdesk.store import Book, create_book

DEMO_BRANCH = "市发展改革委机关第二党支部"
DEMO_PARENT = "中共市发展改革委机关委员会"
GROUPS = ("第一党小组", "第二党小组", "第三党小组")

# name, gender, ethnicity, birth, join, full (None: 预备), post, group index
_DEMO_PEOPLE: tuple[tuple[str, str, str, str, str, str | None, str, int], ...] = (
    ("李建国", "男", "汉族", "1972-03-14", "1995-06-28", "1996-06-28", "处长", 0),
    ("王芳", "女", "汉族", "1980-11-02", "2003-05-20", "2004-05-20", "副处长", 0),
    ("张伟", "男", "汉族", "1985-07-19", "2008-06-30", "2009-06-30", "四级调研员", 0),
    ("刘洋", "男", "汉族", "1990-01-08", "2012-12-10", "2013-12-10", "一级主任科员", 0),
    ("陈静", "女", "汉族", "1988-04-23", "2010-07-01", "2011-07-01", "二级主任科员", 0),
    ("杨帆", "男", "汉族", "1993-09-30", "2016-11-15", "2017-11-15", "一级科员", 0),
    ("赵敏", "女", "回族", "1979-12-12", "2001-06-18", "2002-06-18", "处长", 0),
    ("黄磊", "男", "汉族", "1983-02-27", "2006-05-08", "2007-05-08", "副处长", 1),
    ("周婷", "女", "汉族", "1991-06-05", "2014-06-20", "2015-06-20", "二级主任科员", 1),
    ("吴刚", "男", "汉族", "1976-08-16", "1999-07-01", "2000-07-01", "二级调研员", 1),
    ("徐丽", "女", "汉族", "1995-03-03", "2026-06-26", None, "一级科员", 1),
    ("孙浩", "男", "满族", "1987-10-21", "2009-12-01", "2010-12-01", "三级主任科员", 1),
    ("马晓东", "男", "汉族", "1982-05-11", "2004-11-30", "2005-11-30", "四级调研员", 1),
    ("朱琳", "女", "汉族", "1994-12-25", "2018-05-04", "2019-05-04", "一级科员", 1),
    ("胡志强", "男", "汉族", "1975-04-09", "1998-06-15", "1999-06-15", "一级调研员", 2),
    ("郭雪", "女", "汉族", "1992-08-08", "2015-10-12", "2016-10-12", "二级主任科员", 2),
    ("林堃", "男", "汉族", "1989-01-17", "2011-06-29", "2012-06-29", "一级主任科员", 2),
    ("何娜", "女", "壮族", "1996-02-14", "2026-03-18", None, "二级科员", 2),
    (
        "阿依古丽·买买提",
        "女",
        "维吾尔族",
        "1990-05-01",
        "2013-07-01",
        "2014-07-01",
        "三级主任科员",
        2,
    ),
    ("高峰", "男", "汉族", "1978-11-11", "2000-12-20", "2001-12-20", "处长", 2),
    ("罗晨", "男", "汉族", "1997-07-07", "2025-12-15", None, "二级科员", 2),
    ("梁秀英", "女", "汉族", "1968-09-09", "1990-06-30", "1991-06-30", "二级巡视员", 0),
    ("宋佳", "女", "汉族", "1986-03-28", "2008-11-11", "2009-11-11", "三级调研员", 1),
    ("郑凯", "男", "汉族", "1984-06-06", "2007-04-16", "2008-04-16", "副处长", 2),
    ("谢文", "男", "汉族", "1981-10-10", "2003-10-08", "2004-10-08", "四级调研员", 0),
)
_DEMO_EDU = ("大学本科", "硕士研究生", "大学本科", "博士研究生", "大学本科", "硕士研究生")


def make_id_number(birth: dt.date, gender: str, serial: int, area: str = "110105") -> str:
    """A checksum-valid 公民身份号码 for made-up people (sequence code odd for 男)."""
    seq = (serial * 2) % 1000
    seq = seq + 1 if gender == "男" else seq
    first17 = f"{area}{birth:%Y%m%d}{seq % 1000:03d}"
    return first17 + check_digit(first17)


def _phone(rng: random.Random) -> str:
    return "1" + rng.choice("3589") + "".join(rng.choice("0123456789") for _ in range(9))


def populate_demo(book: Book) -> None:
    """Fill an empty book with the demo branch: 25 members in 3 groups and a committee."""
    rng = random.Random(20251201)
    with book.db.atomic():
        group_ids = [book.branch.save_group(PartyGroup(name=g)) for g in GROUPS]
        ids: dict[str, int] = {}
        for n, (name, gender, eth, birth, join, full, post, g) in enumerate(_DEMO_PEOPLE):
            birth_d = dt.date.fromisoformat(birth)
            ids[name] = book.roster.add(
                Member(
                    name=name,
                    gender=gender,
                    ethnicity=eth,
                    birth_date=birth_d,
                    id_number=make_id_number(birth_d, gender, n + 11),
                    education=_DEMO_EDU[n % len(_DEMO_EDU)],
                    category=Category.FULL if full else Category.PROBATIONARY,
                    join_date=dt.date.fromisoformat(join),
                    full_date=dt.date.fromisoformat(full) if full else None,
                    post=post,
                    phone=_phone(rng),
                    group_id=group_ids[g],
                )
            )
        # 李建国 书记 and 第一党小组组长: one person, two roles (domain.md edge case 5).
        term = (dt.date(2024, 3, 15), dt.date(2027, 3, 14))
        for name, post in (
            ("李建国", "书记"),
            ("赵敏", "副书记"),
            ("黄磊", "组织委员"),
            ("胡志强", "宣传委员"),
            ("王芳", "纪检委员"),
        ):
            book.branch.save_post(CommitteePost(ids[name], name, post, *term))
        for group_id, leader in zip(group_ids, ("李建国", "吴刚", "高峰"), strict=True):
            gname = GROUPS[group_ids.index(group_id)]
            book.branch.save_group(PartyGroup(id=group_id, name=gname, leader_id=ids[leader]))
        book.roster.add_event(
            ids["郑凯"],
            MembershipEvent(
                EventKind.TRANSFER_IN, dt.date(2023, 9, 1), note="由市统计局机关党支部转入"
            ),
        )
        book.roster.add_event(
            ids["谢文"],
            MembershipEvent(
                EventKind.TRANSFER_OUT, dt.date(2026, 8, 15), note="调任市财政局，组织关系转出"
            ),
        )


def create_demo_book(path: Path, *, meetings: bool = True) -> Book:
    book = create_book(path, DEMO_BRANCH, DEMO_PARENT)
    populate_demo(book)
    if meetings:
        populate_demo_meetings(book)
    return book


_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力国宁燕春雪晨浩宇欣"
    "佳怡鹏飞晓东海波斌琳颖凯"
)


def populate_large(book: Book, members: int = 5000, seed: int = 7) -> None:
    """A big branch for benchmarks: ``members`` people in 20 groups, with events."""
    rng = random.Random(seed)
    group_ids = [book.branch.save_group(PartyGroup(name=f"第{i + 1}党小组")) for i in range(20)]
    batch: list[Member] = []
    for n in range(members):
        gender = rng.choice("男女")
        birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 40))
        join = birth + dt.timedelta(days=365 * 19 + rng.randrange(0, 365 * 15))
        join = min(join, dt.date(2025, 12, 1))
        full = join + dt.timedelta(days=365) if rng.random() > 0.05 else None
        if full and full > dt.date(2025, 12, 31):
            full = None
        name = rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.randint(1, 2)))
        batch.append(
            Member(
                name=name,
                gender=gender,
                ethnicity="汉族",
                birth_date=birth,
                id_number=make_id_number(birth, gender, n, area=f"{110101 + n // 500}"),
                education=rng.choice(_DEMO_EDU),
                category=Category.FULL if full else Category.PROBATIONARY,
                join_date=join,
                full_date=full,
                post=rng.choice(("科员", "主任科员", "调研员", "处长")),
                phone=_phone(rng),
                group_id=rng.choice(group_ids),
            )
        )
    ids = book.roster.add_many(batch, today=dt.date(2026, 1, 1))
    with book.db.atomic():
        for member_id in rng.sample(ids, members // 10):
            m = book.roster.member(member_id)
            day = (m.join_date or dt.date(2000, 1, 1)) + dt.timedelta(days=400)
            book.roster.add_event(member_id, MembershipEvent(EventKind.TRANSFER_OUT, day))


def populate_demo_meetings(book: Book, year: int = 2026, until: dt.date | None = None) -> None:
    """A realistic year of meetings of every type, up to ``until`` (default 20 November)."""
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
    with book.db.atomic():
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
            candidate = {3: "何娜", 6: "徐丽"}.get(month)
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
