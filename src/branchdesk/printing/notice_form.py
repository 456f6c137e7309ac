"""会议通知 (``notice_pdf``): "关于召开…的通知", time, place, 议题, who attends, and the 落款.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from reportlab.platypus import Flowable

from branchdesk.domain.dates import format_cn
from branchdesk.printing.blocks import title_block
from branchdesk.printing.document import build_pdf
from branchdesk.printing.flow import KeepTail, keep_headings
from branchdesk.printing.fonts import HEI, FontSet, resolve_fonts
from branchdesk.printing.minutes_form import NUMERALS, MinutesView, meeting_name, time_text
from branchdesk.printing.page import CHAR_PITCH, LINE_PITCH
from branchdesk.printing.text import BODY_STYLE, CnParagraph, Typesetter


def notice_title(view: MinutesView) -> str:
    name = meeting_name(view)
    if name.startswith("关于") and name.endswith("通知"):
        return name
    return f"关于召开{name}的通知"


def notice_pdf(
    view: MinutesView,
    attendees: Sequence[str],
    *,
    fonts: FontSet | None = None,
    issued: dt.date | None = None,
) -> bytes:
    """The 会议通知 of a meeting: when (with the weekday) and where, 议题 (with the 党课's
    speaker and topic, the 主题党日's theme), who attends, and at the end the branch and
    ``issued`` (default: today, the day it is issued — not the meeting day) as GB/T 9704
    §7.3.5 places them (see ``Signoff``).

    ``attendees`` are names in the order to print (姓氏笔画 is the caller's job), or
    ("全体党员",)."""
    ts = Typesetter(fonts or resolve_fonts())
    body = BODY_STYLE
    everyone = not attendees or tuple(attendees) == ("全体党员",)
    name = meeting_name(view)
    where = f"在{view.place}" if view.place else ""
    story: list[Flowable] = [
        title_block(ts, notice_title(view)),
        ts.para("全体党员：" if everyone else "各位同志：", body.but(first_indent=0.0),
                field="主送"),
        ts.para(f"{view.branch or '支部'}定于{time_text(view, weekday=True)}{where}召开{name}。"
                "现将有关事项通知如下：", body, field="正文"),
    ]  # fmt: skip
    sections = 0
    headings: list[Flowable] = []

    def heading(text: str) -> None:
        nonlocal sections
        story.append(ts.para(f"{NUMERALS[sections]}、{text}", body.but(role=HEI), field="标题"))
        headings.append(story[-1])
        sections += 1

    extra = []
    if view.lecturer or view.topic:
        extra.append(("党课", f"党课：{view.lecturer}同志讲授《{view.topic}》。"))
    if view.theme:
        extra.append(("主题", f"主题党日活动：{view.theme}。"))
    if view.agenda or extra:
        heading("会议议题")
        for n, item in enumerate(view.agenda, 1):
            story.append(ts.para(f"{n}. {item.strip()}", body, field=f"议题{n}"))
        story += [ts.para(text, body, field=label) for label, text in extra]
    heading("参会人员")
    story.append(ts.para("全体党员" if everyone else "、".join(attendees), body, field="参会人员"))
    if view.guests:
        story.append(ts.para(f"列席：{view.guests}", body, field="列席"))
    heading("有关要求")
    story.append(ts.para("请参会同志准时出席；因故不能参加的，请提前向支部书记请假。", body,
                         field="正文"))  # fmt: skip
    signoff = Signoff(
        ts.para(view.branch, body.but(first_indent=0.0, align="left"), field="落款"),
        ts.para(format_cn(issued or dt.date.today()), body.but(first_indent=0.0, align="left"),
                field="日期"),
    )  # fmt: skip
    story[-1] = KeepTail(story[-1], signoff)
    return build_pdf(keep_headings(story, headings), ts, title=notice_title(view),
                     author=view.branch, subject=time_text(view))  # fmt: skip


class Signoff(Flowable):
    """The 落款 (GB/T 9704 §7.3.5): one empty line below the text, the issuing branch, and
    under it the 成文日期, its end four characters in from the right edge (右空四字); the
    branch centred on the date (以成文日期为准居中编排), but never past the right edge."""

    INSET = 4 * CHAR_PITCH

    def __init__(self, issuer: CnParagraph, date: CnParagraph) -> None:
        super().__init__()
        self.issuer, self.date = issuer, date
        self.spaceBefore = LINE_PITCH  # 空一行

    def getSpaceBefore(self) -> float:  # noqa: N802
        return float(self.spaceBefore)

    def positions(self, width: float) -> tuple[float, float]:
        """x of the issuer's and the date's first character."""
        date_w = self.date.natural_width()
        date_x = width - self.INSET - date_w
        issuer_w = self.issuer.natural_width()
        issuer_x = min(date_x + (date_w - issuer_w) / 2, width - issuer_w)
        return max(issuer_x, 0.0), date_x

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        self.height = 2 * LINE_PITCH
        return self.width, self.height

    def draw(self) -> None:
        issuer_x, date_x = self.positions(self.width)
        for p, x, y in ((self.issuer, issuer_x, LINE_PITCH), (self.date, date_x, 0.0)):
            p.wrap(self.width - x, LINE_PITCH)
            p.drawOn(self.canv, x, y)
