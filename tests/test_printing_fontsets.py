"""Every form under several private font sets, as new users' machines have them.

Each set is a folder that fontconfig is told to list alone (see ``fontsets.machine``). For
each: which font every role got and why. That every form prints under each set, with every
font embedded, page numbers drawn and nothing missing, is ``test_printing_every_form``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from branchdesk.printing.fonts import BODY, HEI, KAI, ROLES, SONG, TITLE, FontSet
from fontsets import build_sets, machine


@pytest.fixture(scope="module")
def sets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build_sets(tmp_path_factory.mktemp("fontsets"))


def _files(fonts: FontSet) -> dict[str, str]:
    return {role: f.path.name for role, f in fonts.fonts.items()}


def test_only_droid_sans_fallback(sets: dict[str, Path]) -> None:
    """Droid has no digits: it serves no role (every form printed nothing before), the
    bundled fonts fill them and Droid only fills gaps."""
    with machine(sets["droid"]) as fonts:
        assert _files(fonts) == {TITLE: "wqy-microhei.ttc", BODY: "uming-cn-subset.ttf",
                                 HEI: "wqy-microhei.ttc", KAI: "LXGWWenKai-Regular.ttf",
                                 SONG: "uming-cn-subset.ttf"}  # fmt: skip
        assert fonts.reasons[BODY] == "附带的 AR PL UMing CN，本机没有仿宋"
        assert any(n.startswith("本机的 Droid Sans Fallback 没有阿拉伯数字") for n in fonts.notes)
        assert "Droid Sans Fallback" in fonts.fallback_families()


def test_only_uming_and_ukai(sets: dict[str, Path]) -> None:
    """UKai is recognised as 楷 and UMing as 宋; 黑体 comes from the bundled Micro Hei rather
    than from a 宋 or 楷 of the machine."""
    with machine(sets["arphic"]) as fonts:
        assert _files(fonts) == {TITLE: "wqy-microhei.ttc", BODY: "uming.ttf",
                                 HEI: "wqy-microhei.ttc", KAI: "ukai.ttf",
                                 SONG: "uming.ttf"}  # fmt: skip
        assert fonts.reasons[KAI] == "本机的 AR PL UKai CN"
        assert fonts.reasons[SONG] == "本机的 AR PL UMing CN"
        assert fonts.reasons[BODY] == "本机的 AR PL UMing CN（本机没有仿宋）"
        assert fonts.reasons[HEI] == "附带的 文泉驿微米黑"


def test_wenkai_sungtil_and_a_traditional_fangsong(sets: dict[str, Path]) -> None:
    """The Traditional-only 仿宋 is named 仿宋 but lacks the common simplified characters:
    it is used for no role (before, it was both 正文 and 黑体). SungtiL lacks 啰 and 瞭 (GB
    2312), within the tolerance: it is the 宋 and the body, 啰 comes from the chain."""
    with machine(sets["patchwork"]) as fonts:
        assert _files(fonts) == {TITLE: "wqy-microhei.ttc", BODY: "gbsn00lp.ttf",
                                 HEI: "wqy-microhei.ttc", KAI: "LXGWWenKai.ttf",
                                 SONG: "gbsn00lp.ttf"}  # fmt: skip
        assert any(n.startswith("本机的 cwTeX 仿宋体 缺少常用字") for n in fonts.notes)
        assert fonts.font_for("啰", BODY) not in (None, fonts.name(BODY))
        # …from the bundled 宋, not from the 黑 or 楷 of the chain: a serif among serifs
        spare = next(f for f in fonts.registered() if f.name == fonts.font_for("啰", BODY))
        assert spare.family == "AR PL UMing CN"
        assert fonts.font_for("啰", HEI) == fonts.name(HEI)  # other roles keep their own


def test_no_chinese_fonts_at_all(sets: dict[str, Path]) -> None:
    """Only the bundled fonts: 宋, 楷 and 黑 are three different faces, not one sans."""
    with machine(sets["none"]) as fonts:
        families = {role: f.family for role, f in fonts.fonts.items()}
        assert families[BODY] == families[SONG] == "AR PL UMing CN"
        assert families[KAI] == "霞鹜文楷"
        assert families[HEI] == "文泉驿微米黑"
        assert all(fonts.reasons[r].startswith("附带的") for r in ROLES)
