"""会议通知 (``notice_pdf``): "关于召开…的通知", time, place, 议题, who attends, and the 落款.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from branchdesk.domain.dates import format_cn
from branchdesk.printing.blocks import title_block
from branchdesk.printing.document import build_pdf
from branchdesk.printing.flow import KeepTail, _font_cmd
from branchdesk.printing.fonts import HEI, FontSet, resolve_fonts
from branchdesk.printing.minutes_form import NUMERALS, MinutesView, meeting_name, time_text
from branchdesk.printing.page import BLOCK_W_MM, CHAR_PITCH, LINE_PITCH, MM
from branchdesk.printing.text import BODY_STYLE, Typesetter


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
    ``issued`` (default: the meeting day) right-aligned, four characters in.

    ``attendees`` are names in the order to print (姓氏笔画 is the caller's job), or
    ("全体党员",)."""
    ts = Typesetter(fonts or resolve_fonts())
    width = BLOCK_W_MM * MM
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

    def heading(text: str) -> None:
        nonlocal sections
        story.append(ts.para(f"{NUMERALS[sections]}、{text}", body.but(role=HEI), field="标题"))
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
    inset = 4 * CHAR_PITCH  # 右空四字
    right = body.but(align="right", first_indent=0.0)
    signoff = Table(
        [
            [ts.para(view.branch, right, field="落款"), Spacer(0, 0)],
            [ts.para(format_cn(issued or view.day), right, field="日期"), Spacer(0, 0)],
        ],
        colWidths=[width - inset, inset],
    )
    signoff.setStyle(TableStyle([_font_cmd(ts), *(
        (f"{side}PADDING", (0, 0), (-1, -1), 0) for side in ("LEFT", "RIGHT", "TOP", "BOTTOM")
    )]))  # fmt: skip
    signoff.spaceBefore = LINE_PITCH  # 空一行
    story[-1] = KeepTail(story[-1], signoff)
    return build_pdf(story, ts, title=notice_title(view), author=view.branch,
                     subject=time_text(view))  # fmt: skip
