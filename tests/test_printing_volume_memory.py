"""The year's volume is made record by record as it is laid out (``LazyStory``), its
documents are let go at once, and font files are mapped, not copied — with the very same
PDF as the whole story laid out at once."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import mmap

import pytest
from reportlab.pdfbase import pdfmetrics

from branchdesk.printing import flow, volume_form
from branchdesk.printing.blocks import ArchiveStamp
from branchdesk.printing.fonts import ROLES, FontSet
from branchdesk.printing.minutes_form import MinutesView, minutes_title
from branchdesk.printing.volume_form import minutes_volume_pdf
from test_printing import check_page_numbers
from test_printing_helpers import fonts, read_pages  # noqa: F401
from test_printing_minutes import VIEW, long_content

LENGTHS = (300, 3000, 50, 1500, 4200, 800, 20, 2600, 1200, 90, 3300, 600)


def year_of_views() -> list[MinutesView]:
    """Twelve meetings, a few lines to five pages each: records that split, that end on an
    odd page (a blank one after) and on an even one."""
    return [
        dataclasses.replace(VIEW, title=f"第{n}次支部党员大会", day=dt.date(2025, n, 10),
                            content=long_content(chars))
        for n, chars in enumerate(LENGTHS, 1)
    ]  # fmt: skip


def whole_story(head, parts):  # type: ignore[no-untyped-def]
    """What the volume's story was before: every record's flowables in one list."""
    return [*head, *(f for part in parts for f in part)]


@pytest.mark.parametrize("odd", [True, False])
@pytest.mark.parametrize("stamped", [False, True])
def test_volume_made_as_laid_out_is_the_same_pdf(
    odd: bool,
    stamped: bool,
    fonts: FontSet,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    views = year_of_views()
    stamps = [ArchiveStamp("J001", 2025, "30年", n) for n in range(1, len(views) + 1)]
    options = dict(volume_title="2025年度支部党员大会会议记录", fonts=fonts, odd_starts=odd,
                   stamps=stamps if stamped else None)  # fmt: skip
    lazy = minutes_volume_pdf(views, **options)  # type: ignore[arg-type]
    monkeypatch.setattr(volume_form, "LazyStory", whole_story)
    whole = minutes_volume_pdf(views, **options)  # type: ignore[arg-type]
    assert lazy == whole  # same pages, page numbers, 目录, 归档章, fonts: byte for byte
    pages = read_pages(lazy)
    assert len(pages) > 2 * len(views)  # big enough to mean something
    check_page_numbers([p for p in pages[1:] if p.runs], fonts, "portrait")
    for view in views:
        assert sum(minutes_title(view) in p.texts() for p in pages) == 1


def test_volume_holds_the_record_laid_out_and_the_next_only(
    fonts: FontSet,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made: list[int] = []
    made_when_drawn: list[int] = []
    story = volume_form.minutes_story
    draw = flow._Start.draw

    def counting_story(*args, **kwargs):  # type: ignore[no-untyped-def]
        made.append(1)
        return story(*args, **kwargs)

    def noting_draw(self: flow._Start) -> None:
        made_when_drawn.append(len(made))
        draw(self)

    monkeypatch.setattr(volume_form, "minutes_story", counting_story)
    monkeypatch.setattr(flow._Start, "draw", noting_draw)
    views = year_of_views()
    minutes_volume_pdf(views, volume_title="会议记录", fonts=fonts)
    passes = len(made_when_drawn) // len(views)
    assert passes >= 2 and len(made) == passes * len(views)
    for n, count in enumerate(made_when_drawn[: len(views)], 1):  # the first pass
        assert count <= n + 1, (n, count)  # this record and at most the next one made


def test_a_built_volume_leaves_no_garbage_for_the_collector(fonts: FontSet) -> None:  # noqa: F811
    """Print jobs run with cyclic collection paused: a document whose pages only a
    collection could free would stay in memory until the job ends."""
    views = year_of_views()[:4]
    minutes_volume_pdf(views, volume_title="会议记录", fonts=fonts)  # fonts, caches warmed up
    was = gc.isenabled()
    gc.disable()
    try:
        gc.collect()
        minutes_volume_pdf(views, volume_title="会议记录", fonts=fonts)
        assert gc.collect() == 0
    finally:
        if was:
            gc.enable()


def test_font_files_are_mapped_not_read_into_memory(fonts: FontSet) -> None:  # noqa: F811
    for role in ROLES:
        face = pdfmetrics.getFont(fonts.name(role)).face
        assert isinstance(face._ttf_data, mmap.mmap)


def test_a_volume_names_every_missing_character_made_as_laid_out_or_not(
    fonts: FontSet,  # noqa: F811
) -> None:
    """A character no font has in the 目录 (a title) stops the volume before the layout;
    the records are all made all the same (none laid out once a problem is found), so
    every missing character is named, as when the whole story was made first."""
    from branchdesk.printing.fonts import MissingGlyphError
    from test_printing_minutes import RARE

    views = year_of_views()
    views[1] = dataclasses.replace(views[1], title=f"第2次支部党员大会{RARE}")
    views[9] = dataclasses.replace(views[9], recorder=f"李{RARE}")
    with pytest.raises(MissingGlyphError) as info:
        minutes_volume_pdf(views, volume_title="会议记录", fonts=fonts)
    fields = {(p.field, p.record.split()[-1] if p.record else "") for p in info.value.problems}
    assert ("记录人", "第10次支部党员大会") in fields
    assert any("第2次" in record for _field, record in fields)


def test_font_glyph_tables_are_tuples_the_collector_need_not_walk(fonts: FontSet) -> None:  # noqa: F811
    for role in ROLES:
        face = pdfmetrics.getFont(fonts.name(role)).face
        assert all(type(chars) is tuple for chars in face.glyphToChar.values())
        gid = face.charToGlyph[ord("党")]
        assert ord("党") in face.glyphToChar[gid]  # the same map, read as before
    gc.collect()
    face = pdfmetrics.getFont(fonts.name(ROLES[0])).face
    some = next(iter(face.glyphToChar.values()))
    assert not gc.is_tracked(some)
