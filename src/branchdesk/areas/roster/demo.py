"""党员名册 demo: a realistic branch of 25, and a large generated roll for benchmarks.

Everything goes through the store facade, as the GUI's writes do.
"""

from __future__ import annotations

import datetime as dt
import random

from branchdesk.domain.branch import CommitteePost, PartyGroup
from branchdesk.domain.dates import add_years
from branchdesk.domain.idcard import check_digit
from branchdesk.domain.members import Category, EventKind, Member, MembershipEvent
from branchdesk.store import Book

#: The day the demo was written for: every date of it is moved by whole years so that this
#: day falls within the last year before today (demo_years). On 1 December 2026 the demo
#: is exactly as written; a year later every date is a year later.
DEMO_WRITTEN_FOR = dt.date(2026, 12, 1)

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


def demo_years(today: dt.date) -> int:
    """How many years the demo's dates move: the most that keeps DEMO_WRITTEN_FOR on or
    before ``today`` (so nothing in the demo lies in the future)."""
    shift = today.year - DEMO_WRITTEN_FOR.year
    if (today.month, today.day) < (DEMO_WRITTEN_FOR.month, DEMO_WRITTEN_FOR.day):
        shift -= 1
    return shift


def _term_around(today: dt.date) -> tuple[dt.date, dt.date]:
    """A three-year committee term, elected on a 15 March, that includes ``today``."""
    start = dt.date(today.year - 2, 3, 15)
    if today < dt.date(today.year, 3, 15):
        start = dt.date(today.year - 3, 3, 15)
    return start, add_years(start, 3) - dt.timedelta(days=1)


def populate_demo(book: Book, today: dt.date | None = None) -> None:
    """Fill an empty book with the demo branch: 25 members in 3 groups and a committee,
    dated relative to ``today`` (see demo_years)."""
    today = today or dt.date.today()
    years = demo_years(today)

    def day(text: str) -> dt.date:
        return add_years(dt.date.fromisoformat(text), years)

    rng = random.Random(20251201)
    with book.atomic():
        group_ids = [book.branch.save_group(PartyGroup(name=g)) for g in GROUPS]
        ids: dict[str, int] = {}
        for n, (name, gender, eth, birth, join, full, post, g) in enumerate(_DEMO_PEOPLE):
            birth_d = day(birth)
            ids[name] = book.roster.add(
                Member(
                    name=name,
                    gender=gender,
                    ethnicity=eth,
                    birth_date=birth_d,
                    id_number=make_id_number(birth_d, gender, n + 11),
                    education=_DEMO_EDU[n % len(_DEMO_EDU)],
                    category=Category.FULL if full else Category.PROBATIONARY,
                    join_date=day(join),
                    full_date=day(full) if full else None,
                    post=post,
                    phone=_phone(rng),
                    group_id=group_ids[g],
                ),
                today=today,
            )
        # 李建国 书记 and 第一党小组组长: one person, two roles (docs/domain.md edge case 5).
        term = _term_around(today)
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
                EventKind.TRANSFER_IN, day("2023-09-01"), note="由市统计局机关党支部转入"
            ),
        )
        book.roster.add_event(
            ids["谢文"],
            MembershipEvent(
                EventKind.TRANSFER_OUT, day("2026-08-15"), note="调任市财政局，组织关系转出"
            ),
        )


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
        # a year of probation to the day (365 days falls a day short across a 29 February)
        year_on = join.replace(year=join.year + 1, day=min(join.day, 28 if join.month == 2 else 31))
        full = year_on if rng.random() > 0.05 else None
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
    with book.atomic():
        for member_id in rng.sample(ids, members // 10):
            m = book.roster.member(member_id)
            day = (m.join_date or dt.date(2000, 1, 1)) + dt.timedelta(days=400)
            book.roster.add_event(member_id, MembershipEvent(EventKind.TRANSFER_OUT, day))
