"""离退休 and 流动党员 typed in the member dialog itself: saved as effective-dated events in
the member's own transaction, so the roster and the points book (who is scored on a date)
follow; a change of a recorded fact needs its reason; a refused fact saves nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from branchdesk.areas.points.rules import totals, use_template
from branchdesk.domain.members import Category, EventKind, Member, roster_fact, roster_on
from branchdesk.domain.points import Period, not_scored_reason
from branchdesk.ui.roster.member_dialog import MemberDialog
from qt_helpers import record_message_boxes, type_text

D = dt.date


@pytest.fixture(autouse=True)
def no_blocking_boxes(monkeypatch):
    return record_message_boxes(monkeypatch)


@pytest.fixture
def li(book):
    member_id = book.roster.add(
        Member(name="李明", join_date=D(2010, 7, 1), full_date=D(2011, 7, 1),
               category=Category.FULL)  # fmt: skip
    )
    use_template(book, "quarterly-100", 2026)
    return member_id


def open_dialog(qtbot, book, member_id=None) -> MemberDialog:
    member = book.roster.member(member_id) if member_id is not None else None
    dialog = MemberDialog(book, member)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def retype(qtbot, widget, text: str) -> None:
    widget.selectAll()
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    type_text(qtbot, widget, text)


def test_retired_and_mobile_typed_in_the_dialog_decide_who_is_scored(qtbot, book, li):
    dialog = open_dialog(qtbot, book, li)
    type_text(qtbot, dialog.retired, "2026-03-01")
    type_text(qtbot, dialog.mobile_from, "2025-05-01")
    type_text(qtbot, dialog.mobile_to, "2025-08-31")
    type_text(qtbot, dialog.mobile_place, "广东省深圳市")
    click(qtbot, dialog.add_mobile_button)
    assert dialog.mobile.rowCount() == 1
    assert dialog.mobile.item(0, 2).text() == "广东省深圳市"
    click(qtbot, dialog.save_button)
    assert not dialog.isVisible()

    m = book.roster.member(li)
    assert [(e.kind, e.date, e.end_date, e.note) for e in m.events] == [
        (EventKind.MOBILE, D(2025, 5, 1), D(2025, 8, 31), "广东省深圳市"),
        (EventKind.RETIRED, D(2026, 3, 1), None, ""),
    ]
    scored = book.points.scheme(2026).scored
    assert not_scored_reason(m, D(2026, 2, 28), scored) is None
    assert not_scored_reason(m, D(2026, 3, 1), scored) == "离退休"
    assert not_scored_reason(m, D(2025, 6, 1), scored) == "流动党员"
    assert not_scored_reason(m, D(2025, 8, 31), scored) is None  # back on that day
    # Retired members stay on the roll; the roll says so.
    assert [e.member.id for e in roster_on(book.roster.members(), D(2026, 4, 1))] == [li]
    assert roster_fact(m, D(2026, 4, 1)) == "离退休"
    row = next(r for r in totals(book, Period(2026, 2)) if r.member.id == li)
    assert not row.scored and "离退休" in row.note
    assert next(r for r in totals(book, Period(2026, 1)) if r.member.id == li).scored

    # Shown again when the dialog is opened; a change needs its reason.
    dialog = open_dialog(qtbot, book, li)
    assert dialog.retired.text() == "2026年3月1日"
    assert dialog.mobile.item(0, 0).text() == "2025年5月1日"
    retype(qtbot, dialog.retired, "2026-04-01")
    click(qtbot, dialog.save_button)
    assert dialog.isVisible() and "更正原因" in dialog.error.text()
    assert book.roster.member(li).retired_on(D(2026, 3, 1))  # nothing written
    type_text(qtbot, dialog.fact_reason, "按退休审批表更正")
    dialog.mobile.selectRow(0)
    click(qtbot, dialog.remove_mobile_button)
    assert dialog.mobile.rowCount() == 0
    click(qtbot, dialog.save_button)
    assert not dialog.isVisible()
    m = book.roster.member(li)
    assert [(e.kind, e.date) for e in m.events] == [(EventKind.RETIRED, D(2026, 4, 1))]
    audit = book.db.execute("SELECT action, reason FROM member_event_correction").fetchall()
    assert sorted(audit) == [("删除", "按退休审批表更正"), ("更正", "按退休审批表更正")]
    assert not_scored_reason(m, D(2026, 3, 15), scored) is None  # scored again until April
    assert not_scored_reason(m, D(2026, 4, 1), scored) == "离退休"
    assert not_scored_reason(m, D(2025, 6, 1), scored) is None  # the 流动 is gone


def test_a_mobile_period_is_edited_in_place(qtbot, book, li):
    dialog = open_dialog(qtbot, book, li)
    type_text(qtbot, dialog.mobile_from, "2026-05-01")
    type_text(qtbot, dialog.mobile_place, "上海市")
    click(qtbot, dialog.add_mobile_button)
    click(qtbot, dialog.save_button)
    assert book.roster.member(li).mobile_on(D(2026, 12, 1))  # not back yet

    dialog = open_dialog(qtbot, book, li)
    dialog.mobile.selectRow(0)
    assert dialog.mobile_place.text() == "上海市"
    type_text(qtbot, dialog.mobile_to, "2026-06-30")
    type_text(qtbot, dialog.fact_reason, "已返回")
    click(qtbot, dialog.change_mobile_button)
    assert dialog.mobile.item(0, 1).text() == "2026年6月30日"
    click(qtbot, dialog.save_button)
    m = book.roster.member(li)
    assert m.mobile_on(D(2026, 6, 29)) and not m.mobile_on(D(2026, 6, 30))
    assert roster_fact(m, D(2026, 6, 1)) == "流动党员（上海市）"


def test_a_period_that_ends_before_it_starts_is_not_added(qtbot, book, li):
    dialog = open_dialog(qtbot, book, li)
    type_text(qtbot, dialog.mobile_from, "2026-05-01")
    type_text(qtbot, dialog.mobile_to, "2026-04-01")
    click(qtbot, dialog.add_mobile_button)
    assert dialog.mobile.rowCount() == 0 and "返回时间" in dialog.mobile_error.text()


def test_a_new_member_with_a_refused_fact_is_not_saved_either(qtbot, book, li):
    dialog = open_dialog(qtbot, book)
    type_text(qtbot, dialog.name, "赵丽")
    type_text(qtbot, dialog.join_date, "2015-07-01")
    type_text(qtbot, dialog.full_date, "2016-07-01")
    type_text(qtbot, dialog.retired, "2014-01-01")  # before she joined
    click(qtbot, dialog.save_button)
    assert dialog.isVisible()
    assert "离退休时间" in dialog.error.text() and "早于入党日期" in dialog.error.text()
    assert [m.name for m in book.roster.members()] == ["李明"]
    retype(qtbot, dialog.retired, "2025-12-31")
    click(qtbot, dialog.save_button)
    assert not dialog.isVisible()
    zhao = next(m for m in book.roster.members() if m.name == "赵丽")
    assert [(e.kind, e.date) for e in zhao.events] == [(EventKind.RETIRED, D(2025, 12, 31))]
    assert zhao.retired_on(D(2026, 1, 1))


def test_typed_facts_are_kept_in_the_draft_until_saved(qtbot, book, li):
    first = open_dialog(qtbot, book, li)
    type_text(qtbot, first.retired, "2026-03-01")
    type_text(qtbot, first.mobile_from, "2025-05-01")
    type_text(qtbot, first.mobile_place, "上海市")
    click(qtbot, first.add_mobile_button)
    key = f"member-{li}"
    qtbot.waitUntil(lambda: bool((first.drafts.load(key) or {}).get("mobile")), timeout=3000)
    first._draft_timer.stop()
    first.hide()  # the program dies: no save, no cancel
    again = MemberDialog(book, book.roster.member(li), restore_draft=True)
    qtbot.addWidget(again)
    assert again.restored_draft
    assert again.retired.date() == D(2026, 3, 1)
    assert again.mobile.rowCount() == 1 and again.mobile.item(0, 2).text() == "上海市"
    click(qtbot, again.save_button)
    assert [e.kind for e in book.roster.member(li).events] == [EventKind.MOBILE,
                                                               EventKind.RETIRED]  # fmt: skip
    assert first.drafts.load(key) is None
