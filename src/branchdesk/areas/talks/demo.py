"""谈心谈话 demo, relative to today: this year's talks with a few required pairs still
missing, last year's 民主评议 session with tallies and
ratings (one 基本合格 not yet given feedback), and last year's 组织生活会 with its 整改清单."""

from __future__ import annotations

import datetime as dt
import random

from branchdesk.store import Book

TOPICS = (
    "工作和思想情况",
    "学习贯彻情况",
    "岗位履职情况",
    "家庭和生活情况",
    "对支部工作的意见建议",
)
PLACES = ("书记办公室", "党员活动室", "小会议室")
SUMMARIES = (
    "围绕近期工作和学习情况交流思想。对方表示工作任务较重，但能够按时完成；"
    "学习方面坚持参加支部集中学习，自学时间还不够。",
    "交流了岗位职责落实情况和个人发展想法。对方谈到希望多参加业务培训，"
    "并对支部活动形式提出了建议。",
)


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    span = max((end - start).days, 0)
    return start + dt.timedelta(days=rng.randint(0, span))


def populate_demo_talks(book: Book, today: dt.date | None = None) -> None:
    from branchdesk.areas.talks.rules import coverage_for
    from branchdesk.domain.appraisal import STEPS, Opinion, Rating, Rectification, Review, Tally
    from branchdesk.domain.talks import CONFIRMATION, DAILY, FEEDBACK, PRE_MEETING, Talk

    today = today or dt.date.today()
    rng = random.Random(today.year)
    year, last = today.year, today.year - 1
    members = book.roster.members()
    by_name = {m.name: m.id or 0 for m in members}
    secretary = by_name["李建国"]
    with book.atomic("talks"):
        # Last year: 会前谈心 before the 组织生活会 on 15 December, daily talks before that.
        life_day = dt.date(last, 12, 15)
        cov = coverage_for(book, last, members=members)
        for pair in cov.pairs():
            kind = PRE_MEETING if rng.random() < 0.6 else DAILY
            start = dt.date(last, 11, 1) if kind == PRE_MEETING else dt.date(last, 2, 1)
            day = _day(rng, start, life_day - dt.timedelta(days=2))
            book.talks.save(Talk(day, (pair.talker,), (pair.other,), kind, rng.choice(TOPICS),
                                 rng.choice(PLACES), rng.choice(SUMMARIES)))  # fmt: skip
        # This year: all but a few pairs, between 1 January and a few days ago (none in the
        # first days of January: a demo never holds talks in the future).
        end = today - dt.timedelta(days=3)
        cov = coverage_for(book, year, members=members, until=max(end, dt.date(year, 1, 1)))
        pairs = cov.pairs() if end.year == year else []
        rng.shuffle(pairs)
        # The last day on the roll of someone who left this year.
        left = {
            m.id: e.date - dt.timedelta(days=1)
            for m in members
            if (e := m.left_event()) and e.date.year == year
        }
        for pair in pairs[4:]:
            last_day = min(end, left.get(pair.talker, end), left.get(pair.other, end))
            first_day = min(dt.date(year, 1, 5), last_day)
            day = _day(rng, first_day, last_day)
            book.talks.save(
                Talk(
                    day,
                    (pair.talker,),
                    (pair.other,),
                    DAILY,
                    rng.choice(TOPICS),
                    rng.choice(PLACES),
                    rng.choice(SUMMARIES),
                    "工作安排合理，注意劳逸结合",
                    "定期了解思想动态",
                )  # fmt: skip
            )

    # Last year's 民主评议党员, decided at the 党员大会 on 28 December.
    session_day, decided = dt.date(last, 12, 20), dt.date(last, 12, 28)
    book.appraisal.start(last, session_day)
    people = book.appraisal.participants(last)
    rated = [p for p in people if p.rated]
    returned = len(people) - 1
    tallies = {}
    # The one rated 基本合格 is still on the roll, so the feedback talk shows as due.
    stays = [p.member_id for p in rated if book.roster.member(p.member_id).belongs_on(today)]
    weak = stays[-1]
    for n, p in enumerate(rated):
        strong = n % 4 == 0 and p.member_id != weak
        excellent = rng.randint(returned // 2, returned) if strong else rng.randint(0, 3)
        rest = returned - excellent
        basic = 3 if p.member_id == weak else 0
        tallies[p.member_id] = Tally(p.member_id, {"优秀": excellent, "合格": rest - basic,
                                                   "基本合格": basic})  # fmt: skip
    book.appraisal.set_tallies(last, len(people), returned, tallies)
    limit = len(rated) // 3
    for n, p in enumerate(rated):
        rating = "优秀" if n % 4 == 0 and n // 4 < limit else "合格"
        if p.member_id == weak:
            rating = "基本合格"
        book.appraisal.rate(last, Rating(p.member_id, rating, rating), decided)
    for pos, name in enumerate(STEPS):
        done = name != "结果反馈"
        day = session_day + dt.timedelta(days=min(pos, 8) - 5)
        book.appraisal.set_step(last, name, "已完成" if done else "进行中", day)
    # Feedback given to all but the 基本合格 member, so one feedback talk stays due.
    with book.atomic("talks"):
        for p in [p for p in rated if p.member_id not in (secretary, weak)][:3]:
            book.talks.save(Talk(decided + dt.timedelta(days=5), (secretary,), (p.member_id,),
                                 FEEDBACK, "反馈民主评议结果", "书记办公室",
                                 "通报评议结果，肯定成绩，指出不足。"))  # fmt: skip
        confirmed = [m for m in members if m.full_date and m.full_date.year == year]
        for m in [m for m in confirmed if m.id != secretary][:1]:
            book.talks.save(Talk(m.full_date or today, (secretary,), (m.id or 0,), CONFIRMATION,
                                 "转正谈话", "书记办公室", "谈转正后的努力方向。"))  # fmt: skip

    # Last year's 组织生活会: opinions, 检视材料, 整改清单.
    for text, source in (("理论学习与业务结合不够紧密", "群众座谈会"),
                         ("主题党日活动形式较单一", "征求意见箱"),
                         ("联系服务群众还不够深入", "走访服务对象")):  # fmt: skip
        book.appraisal.add_opinion(Opinion(last, text, source, dt.date(last, 11, 10)))
    for p in people:
        book.appraisal.set_review(Review(last, p.member_id, True, dt.date(last, 12, 10)))
    items = (
        ("理论学习与业务结合不够紧密", "每季度开展一次业务专题研讨", "黄磊",
         dt.date(year, 3, 31), "已完成", "已开展专题研讨 2 次"),
        ("主题党日活动形式较单一", "与社区党组织联建，开展志愿服务", "胡志强",
         today - dt.timedelta(days=20), "整改中", ""),
        ("联系服务群众还不够深入", "每名党员每年走访服务对象不少于 2 次", "赵敏",
         dt.date(year, 12, 31), "整改中", ""),
    )  # fmt: skip
    for problem, measures, owner, due, status, note in items:
        book.appraisal.save_rectification(
            Rectification(last, problem, measures, owner, due, status, note)
        )
