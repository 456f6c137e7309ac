"""Every form the program prints, under every private font set (``fontsets.build_sets``).

One parametrised test: each form × each machine prints; the text read back from the PDF holds
everything the form was given (the rare name characters 堃 䶮 𠇔 included); every piece of
text is drawn in the font the role's per-character chain gives it (so which font each role
got is checked where it prints); that font has a glyph for every character drawn in it; and
every font is embedded. ``test_every_form_is_covered`` fails when a new ``*_pdf`` appears in
``printing/`` without a case here.

Pictures of the same cases, to look at: ``render_every_form`` below, run by hand
(``python tests/test_printing_every_form.py OUT_DIR``) writes the first page of each form under
each set as PNG (pdftoppm -r 70).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import inspect
import pkgutil
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import branchdesk.printing as printing_pkg
from branchdesk.domain.members import Category, Member, roster_on
from branchdesk.printing.archive_volume import (
    VolumeEntry,
    VolumeInfo,
    append_renumbered,
    volume_pdf,
)
from branchdesk.printing.document import font_sample_pdf, text_pdf
from branchdesk.printing.fonts import BODY, HEI, KAI, ROLES, SONG, TITLE, FontSet
from branchdesk.printing.glyphs import missing_glyphs
from branchdesk.printing.minutes_form import MinutesView, VoteLine, minutes_pdf
from branchdesk.printing.notice_form import notice_pdf
from branchdesk.printing.points_card import CardEntry, CardPeriod, card_pdf
from branchdesk.printing.points_notice import NoticeLine, SummaryLine, summary_pdf
from branchdesk.printing.points_notice import notice_pdf as points_notice_pdf
from branchdesk.printing.recovery_sheet import recovery_sheet_pdf
from branchdesk.printing.roster_form import roster_pdf
from branchdesk.printing.signin_form import signin_pdf
from branchdesk.printing.talk_appraisal import (
    RectificationLine,
    ResultLine,
    ballot_pdf,
    rectification_pdf,
    result_pdf,
)
from branchdesk.printing.talk_record import TalkView, register_pdf, talk_record_pdf
from branchdesk.printing.volume_form import minutes_volume_pdf
from fontsets import SETS, build_sets, machine
from test_printing_helpers import BRANCH, ON, Page, Run, demo_members, font_problems, read_pages

#: The rare name characters: 堃 (BMP), 䶮 (Extension A), 𠇔 (Extension B).
RARE = ("林堃", "王䶮", "李\U000201d4")
BRANCH_NAME = BRANCH.name


def _members() -> list[Member]:
    extra = [
        Member(name=name, gender="男", ethnicity="汉族", birth_date=dt.date(1980 + n, 3, 1),
               education="大学", category=Category.FULL, join_date=dt.date(2005 + n, 7, 1),
               full_date=dt.date(2006 + n, 7, 1), post="科员", group_name="第一党小组",
               id=900 + n)
        for n, name in enumerate(RARE)
    ]  # fmt: skip
    return demo_members() + extra


VIEW = MinutesView(
    branch=BRANCH_NAME,
    title="支部党员大会",
    types="支部党员大会",
    day=dt.date(2025, 12, 1),
    start_time="14:30",
    end_time="16:30",
    place="三楼第二会议室",
    host="林堃",
    recorder="阿依古丽·买买提",
    expected=24,
    present=20,
    absent_lines=("李\U000201d4（请假：出差）",),
    announcement="应到24人，实到20人，符合规定人数，会议有效。",
    agenda=("学习贯彻全会精神", "讨论发展对象"),
    content="与会党员逐一发言，啰嗦的话少说。\n会议强调，要把学习成果转化为实际成效。",
    resolutions=(VoteLine("同意王䶮同志为发展对象", "发展", "王䶮", 18, 1, 1, passed=True),),
)
TALK = TalkView(
    date=dt.date(2025, 11, 3),
    talkers="林堃",
    others="王䶮、李\U000201d4",
    kind="日常谈心",
    topic="工作和思想情况",
    place="书记办公室",
    summary="谈了近期工作中的困难和打算。",
    views="希望多组织业务学习。",
    follow_up="安排参加业务培训。",
    result="已参加培训。",
    result_date=dt.date(2025, 11, 20),
    number="2025-007",
)


@dataclass(frozen=True)
class Form:
    """A form's maker, what it must print, and which role prints which text."""

    make: Callable[[FontSet], bytes]
    expected: tuple[str, ...]
    roles: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Names of the printing functions this case covers ("module.function").
    covers: tuple[str, ...] = ()
    #: Names printed on one line, whole (shrunk if need be, never wrapped).
    whole: tuple[str, ...] = ()


def _volume_entries(fonts: FontSet) -> list[VolumeEntry]:
    return [
        VolumeEntry("1", BRANCH_NAME, "支部党员大会会议记录", VIEW.day, "30年",
                    minutes_pdf(VIEW, fonts=fonts)),
        VolumeEntry("2", BRANCH_NAME, "党员花名册", ON, "永久",
                    roster_pdf(BRANCH, _members(), on=ON, fonts=fonts)),
    ]  # fmt: skip


INFO = VolumeInfo(fonds="J207", year=2025, retention="30年", branch=BRANCH_NAME, volume=1,
                  volumes=1, compiler="林堃", checker="王䶮",
                  compiled_on=dt.date(2026, 1, 10))  # fmt: skip

FORMS: dict[str, Form] = {
    "text": Form(
        lambda f: text_pdf("关于林堃同志转正的情况说明", ["王䶮同志和李\U000201d4同志参加了会议。",
                                                "会议时间14:30—16:30，费用12,500元。"],
                           signatures=("记录人", "日期"), fonts=f),
        ("关于林堃同志转正的情况说明", "王䶮同志和李\U000201d4同志参加了会议。",
         "会议时间14:30—16:30，费用12,500元。", "记录人"),
        {TITLE: ("关于林堃同志转正的情况说明",), BODY: ("王䶮同志和李\U000201d4同志参加了会议。",)},
        ("document.text_pdf",),
    ),
    "sample": Form(
        font_sample_pdf,
        ("打印字体样张", "生僻字：堃䶮\U000201d4"),
        {TITLE: ("打印字体样张",), BODY: ("生僻字：堃䶮\U000201d4",)},
        ("document.font_sample_pdf",),
    ),
    "roster": Form(
        lambda f: roster_pdf(BRANCH, _members(), on=ON, fonts=f),
        ("党员花名册", *RARE, "阿依古丽·买买提"),
        {TITLE: ("党员花名册",), HEI: ("姓名",), BODY: RARE},
        ("roster_form.roster_pdf",),
        ("阿依古丽·买买提", *RARE),
    ),
    "signin": Form(
        lambda f: signin_pdf(BRANCH, "主题党日", ON, "三楼第二会议室", roster_on(_members(), ON),
                             fonts=f),
        ("签到表", "三楼第二会议室", *RARE),
        {TITLE: ("签到表",), HEI: ("姓名",), BODY: RARE},
        ("signin_form.signin_pdf",),
        ("阿依古丽·买买提", *RARE),
    ),
    "minutes": Form(
        lambda f: minutes_pdf(VIEW, fonts=f),
        ("支部党员大会记录", "林堃", "阿依古丽·买买提", "李\U000201d4（请假：出差）",
         "同意王䶮同志为发展对象", "与会党员逐一发言，啰嗦的话少说。", "学习贯彻全会精神"),
        {TITLE: ("支部党员大会记录",), HEI: ("主持人",),
         BODY: ("与会党员逐一发言，啰嗦的话少说。", "林堃")},
        ("minutes_form.minutes_pdf",),
    ),
    "volume": Form(
        lambda f: minutes_volume_pdf(
            [VIEW, dataclasses.replace(VIEW, day=dt.date(2025, 12, 20), host="王䶮")],
            volume_title="2025年度支部党员大会记录", fonts=f),
        ("2025年度支部党员大会记录", "目录", "林堃", "王䶮", "李\U000201d4（请假：出差）"),
        {TITLE: ("目录",), BODY: ("与会党员逐一发言，啰嗦的话少说。",)},
        ("volume_form.minutes_volume_pdf",),
    ),
    "notice": Form(
        lambda f: notice_pdf(VIEW, ("林堃", "王䶮", "李\U000201d4", "阿依古丽·买买提"), fonts=f,
                             issued=dt.date(2025, 11, 25)),
        ("关于召开支部党员大会的通知", "林堃", "王䶮", "李\U000201d4", "阿依古丽·买买提",
         "三楼第二会议室", "2025年11月25日"),
        {TITLE: ("关于召开支部党员大会的通知",), HEI: ("一、",)},
        ("notice_form.notice_pdf",),
    ),
    "points notice": Form(
        lambda f: points_notice_pdf(
            BRANCH, "2025年第四季度",
            [NoticeLine("林堃", "80", "5", "0", "85", "优秀"),
             NoticeLine("王䶮", "80", "2", "-0.5", "81.5", "良好", note="迟交党费"),
             NoticeLine("李\U000201d4", "80", "0", "0", "80", "合格")],
            dt.date(2026, 1, 5), dt.date(2026, 1, 12), contact="组织委员 王䶮", fonts=f),
        ("党员积分情况公示", *RARE, "81.5", "迟交党费"),
        {TITLE: ("党员积分情况公示",), HEI: ("姓名",), BODY: RARE},
        ("points_notice.notice_pdf",),
    ),
    "points summary": Form(
        lambda f: summary_pdf(
            BRANCH, 2025,
            [SummaryLine("林堃", ("85", "86", "84", "88"), "85.8", "优秀"),
             SummaryLine("王䶮", ("81.5", "80", "82", "83"), "81.6", "良好"),
             SummaryLine("李\U000201d4", ("80", "80", "80", "80"), "80", "合格", note="病假")],
            quarterly=True, fonts=f),
        (*RARE, "85.8", "一季度"),
        {HEI: ("姓名",), BODY: RARE},
        ("points_notice.summary_pdf",),
    ),
    "points card": Form(
        lambda f: card_pdf(
            BRANCH, 2025, "王䶮", [("党小组", "第一党小组"), ("人员类别", "正式党员")],
            [CardPeriod("第四季度",
                        (CardEntry("2025-10-10", "参加主题党日", "+1", "按时参加", "81"),
                         CardEntry("2025-11-05", "迟交党费", "-0.5", "", "80.5")),
                        "基础分 80，加分 1，扣分 -0.5，良好", "80.5")],
            result="全年 80.5 分，良好", fonts=f),
        ("王䶮", "第一党小组", "参加主题党日", "第四季度小计", "全年 80.5 分，良好"),
        {HEI: ("日期",), BODY: ("参加主题党日",)},
        ("points_card.card_pdf",),
    ),
    "talk record": Form(
        lambda f: talk_record_pdf([TALK], BRANCH_NAME, fonts=f),
        ("谈心谈话记录表", "林堃", "王䶮、李\U000201d4", "谈了近期工作中的困难和打算。",
         "希望多组织业务学习。", "书记办公室"),
        {TITLE: ("谈心谈话记录表",), BODY: ("谈了近期工作中的困难和打算。",)},
        ("talk_record.talk_record_pdf",),
    ),
    "talk register": Form(
        lambda f: register_pdf([TALK, dataclasses.replace(TALK, talkers="王䶮", others="林堃")],
                               BRANCH_NAME, 2025, fonts=f),
        ("2025年度谈心谈话情况登记表", "林堃", "王䶮、李\U000201d4", "工作和思想情况",
         "安排参加业务培训；已参加培训。"),  # one mark between the two, not "。；"
        {TITLE: ("2025年度谈心谈话情况登记表",), HEI: ("谈话人",), BODY: ("工作和思想情况",)},
        ("talk_record.register_pdf",),
    ),
    "ballot": Form(
        lambda f: ballot_pdf(BRANCH_NAME, 2025, list(RARE) + ["阿依古丽·买买提"], fonts=f),
        ("2025年度民主评议党员测评表", *RARE, "阿依古丽·买买提", "基本合格"),
        {TITLE: ("2025年度民主评议党员测评表",), HEI: ("姓名",), BODY: RARE},
        ("talk_appraisal.ballot_pdf",),
        ("阿依古丽·买买提", *RARE),
    ),
    "appraisal result": Form(
        lambda f: result_pdf(
            BRANCH_NAME, 2025,
            [ResultLine("林堃", 10, 5, 0, 0, "优秀", "优秀", ""),
             ResultLine("王䶮", 2, 12, 1, 0, "合格", "合格", ""),
             ResultLine("李\U000201d4", 0, 0, 0, 0, "", "", "预备党员", rated=False)],
            day=dt.date(2026, 1, 8), issued=15, returned=15, fonts=f),
        ("民主评议党员结果汇总表", *RARE, "预备党员"),
        {TITLE: ("民主评议党员结果汇总表",), HEI: ("姓名",), BODY: RARE},
        ("talk_appraisal.result_pdf",),
    ),
    "rectification": Form(
        lambda f: rectification_pdf(
            BRANCH_NAME, 2025,
            [RectificationLine("理论学习不够深入", "每月集中学习一次", "林堃",
                               dt.date(2026, 3, 31), "整改中", ""),
             RectificationLine("联系群众不够", "每季度走访", "王䶮、李\U000201d4",
                               dt.date(2026, 6, 30), "未开始", "")],
            fonts=f),
        ("整改清单", "理论学习不够深入", "林堃", "王䶮、李\U000201d4"),
        {HEI: ("整改措施",), BODY: ("理论学习不够深入",)},
        ("talk_appraisal.rectification_pdf",),
    ),
    "archive volume": Form(
        lambda f: volume_pdf(INFO, _volume_entries(f), fonts=f)[0],
        ("文书档案", "卷内目录", "支部党员大会会议记录", "备考表", "林堃", "王䶮", "J207"),
        {HEI: ("本卷情况说明：",)},
        ("archive_volume.volume_pdf",),
    ),
    "minutes with 更正说明": Form(
        lambda f: append_renumbered(
            minutes_pdf(VIEW, fonts=f),
            text_pdf("支部党员大会更正说明", ["主持人应为林堃，记录人为王䶮。"], fonts=f,
                     signatures=("批准人签字", "日期")), fonts=f),
        ("支部党员大会记录", "支部党员大会更正说明", "主持人应为林堃，记录人为王䶮。"),
        {TITLE: ("支部党员大会更正说明",)},
        ("archive_volume.append_renumbered",),
    ),
    "recovery sheet": Form(
        lambda f: recovery_sheet_pdf(BRANCH_NAME, Path("/home/林堃/党支部.branchdesk"),
                                     dt.date(2026, 1, 10), fonts=f),
        ("账簿密码恢复单", "林堃", "BRANCHDESK_PASSWORD", "保管人签字"),
        {TITLE: ("账簿密码恢复单",)},
        ("recovery_sheet.recovery_sheet_pdf",),
    ),
}  # fmt: skip

#: Printing functions that are not forms of their own.
NOT_FORMS = {
    "minutes_form.notice_pdf",  # the same function as notice_form.notice_pdf
    "minutes_form.minutes_volume_pdf",  # the same as volume_form.minutes_volume_pdf
    "talk_appraisal.repeat_pages",  # copies of a ballot
    "document.build_pdf",  # what every form calls to build its story
}


def test_every_form_is_covered() -> None:
    """Every public ``*_pdf`` function of ``printing/`` has a case in FORMS."""
    found = set()
    for info in pkgutil.iter_modules(printing_pkg.__path__):
        module = importlib.import_module(f"branchdesk.printing.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if (
                name.endswith("_pdf")
                and not name.startswith("_")
                and fn.__module__ == module.__name__
            ):
                found.add(f"{info.name}.{name}")
    covered = {c for form in FORMS.values() for c in form.covers}
    assert found - NOT_FORMS <= covered, sorted(found - NOT_FORMS - covered)


@pytest.fixture(scope="module")
def machines(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, FontSet]]:
    """Each machine's FontSet, resolved once (the fonts stay registered with ReportLab)."""
    folders = build_sets(tmp_path_factory.mktemp("every-form-fonts"))
    resolved = {}
    for name, folder in folders.items():
        with machine(folder) as fonts:
            resolved[name] = fonts
    yield resolved


def _plain(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def _registered(fonts: FontSet) -> dict[str, str]:
    """Embedded font name (no subset tag or number) → ReportLab font name."""
    return {f.ps_name: f.name for f in fonts.registered()}


def _font_of(run: Run, fonts: FontSet) -> str:
    names = _registered(fonts)
    base = run.font if run.font in names else re.sub(r"-\d+$", "", run.font)  # "UMingCN-0"
    assert base in names, f"{run.text!r} is drawn in {run.font}, not a font of the chain"
    return names[base]


def _find(pages: list[Page], sample: str) -> list[tuple[str, Run]]:
    """The characters of the first place ``sample`` is drawn (it may run over several runs:
    a title of two lines, a word in another font), each with its run."""
    want = _plain(sample)
    for page in pages:
        chars = [(ch, run) for run in page.runs for ch in _plain(run.text)]
        flat = "".join(ch for ch, _ in chars)
        at = flat.find(want)
        if at >= 0:
            return chars[at : at + len(want)]
    return []


def check_form(pdf: bytes, form: Form, fonts: FontSet) -> list[Page]:
    assert font_problems(pdf) == []  # every font an embedded TrueType subset
    pages = read_pages(pdf)
    text = _plain("".join(r.text for p in pages for r in p.runs))
    assert "\ufffd" not in text
    for wanted in form.expected:
        assert _plain(wanted) in text, f"{wanted!r} not read back"
    # every character drawn has a glyph in the font it is drawn in
    for page in pages:
        for run in page.runs:
            font = _font_of(run, fonts)
            assert not missing_glyphs(run.text, font), (run.text, run.font)
            # a character drawn as the font's .notdef (a box) reads back as U+0000
            assert not any(unicodedata.category(ch) == "Cc" for ch in run.text.strip("\n")), (
                run.text, run.font)  # fmt: skip
    texts = [_plain(r.text) for p in pages for r in p.runs]
    assert any(re.fullmatch(r"—\d+—", t) for t in texts), "no page number drawn"
    for name in form.whole:
        assert any(name in r.text for p in pages for r in p.runs), f"{name} split"
    # which font each role got: the text of a role is drawn in the font its chain gives
    for role, samples in form.roles.items():
        for sample in samples:
            chars = _find(pages, sample)
            assert chars, f"{role} text {sample!r} not found"
            for ch, run in chars:
                assert fonts.font_for(ch, role) == _font_of(run, fonts), (role, sample, ch,
                                                                          run.font)  # fmt: skip
    return pages


@pytest.mark.parametrize("machine_name", SETS)
@pytest.mark.parametrize("form_name", list(FORMS))
def test_every_form_under_every_font_set(
    machines: dict[str, FontSet], machine_name: str, form_name: str
) -> None:
    fonts = machines[machine_name]
    form = FORMS[form_name]
    pdf = form.make(fonts)  # raises MissingGlyphError if any character had no font
    check_form(pdf, form, fonts)


def test_the_filing_stamp_is_on_a_landscape_item_too(machines: dict[str, FontSet]) -> None:
    """The roll (landscape) filed in the volume gets its 归档章 at the sheet's top right,
    turned with the sheet — it was drawn off the landscape page before."""
    from branchdesk.printing.page import page_to_sheet, stamp_rect

    fonts = machines["none"]
    pdf, placed = volume_pdf(INFO, _volume_entries(fonts), fonts=fonts)
    pages = read_pages(pdf)
    for item in placed:
        # the item's first page: the one numbered "— N —" with N its first page number
        first = next(p for p in pages
                     if any(_plain(r.text) == f"—{item.first_page}—" for r in p.runs))  # fmt: skip
        orientation = "landscape" if first.width > first.height else "portrait"
        rect = stamp_rect()
        on_sheet = [(r, page_to_sheet(r.x, r.y, orientation)) for r in first.runs]
        values = [r.text for r, at in on_sheet if r.size <= 10 and rect.contains(*at)]
        assert values[:3] == ["J207", "2025", item.number], (item.number, orientation, values)
    assert any(p.width > p.height for p in pages)  # a landscape item was filed


def test_the_font_sample_shows_every_roles_font(machines: dict[str, FontSet]) -> None:
    """The sample prints its line in each role's own font, on every machine."""
    for fonts in machines.values():
        runs = [r for p in read_pages(font_sample_pdf(fonts)) for r in p.runs]
        used = {_font_of(r, fonts) for r in runs}
        assert {fonts.name(role) for role in ROLES} <= used
        assert fonts.name(KAI) != fonts.name(SONG)  # 楷 and 宋 are two faces on every machine


def render_every_form(out: Path, tmp: Path) -> list[Path]:
    """First page of every form under every set, as PNG (pdftoppm -r 70) in ``out``."""
    import subprocess

    folders = build_sets(tmp)
    made = []
    for set_name, folder in folders.items():
        with machine(folder) as fonts:
            for form_name, form in FORMS.items():
                pdf = tmp / f"{set_name}-{form_name}.pdf".replace(" ", "_")
                pdf.write_bytes(form.make(fonts))
                stem = out / pdf.stem
                subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1",
                                "-singlefile", str(pdf), str(stem)], check=True)  # fmt: skip
                made.append(stem.with_suffix(".png"))
    return made


if __name__ == "__main__":  # python tests/test_printing_every_form.py OUT_DIR
    import sys
    import tempfile

    target = Path(sys.argv[1])
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        for png in render_every_form(target, Path(scratch)):
            print(png)
