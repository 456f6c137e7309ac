"""GUI: 转正 and the 预备期, correcting and ending events, 人员类别 shown not typed, group
dates — through the real window, then checked in the book."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from branchdesk.domain.members import Category, EventKind, Member, MembershipEvent
from branchdesk.ui.main_window import MainWindow
from branchdesk.ui.roster.event_dialog import CorrectEventDialog, EventDialog
from branchdesk.ui.roster.member_dialog import MemberDialog
from qt_helpers import record_message_boxes, type_text, when_modal

D = dt.date


@pytest.fixture(autouse=True)
def no_blocking_boxes(monkeypatch):
    return record_message_boxes(monkeypatch)


@pytest.fixture
def people(book):
    luo = book.roster.add(
        Member(name="罗晨", category=Category.PROBATIONARY, join_date=D(2025, 12, 15))
    )
    wang = book.roster.add(
        Member(name="王芳", category=Category.FULL, join_date=D(2003, 5, 20),
               full_date=D(2004, 5, 20))  # fmt: skip
    )
    return {"罗晨": luo, "王芳": wang}


def test_early_confirmation_is_refused_with_the_reason_then_allowed_as_special(
    qtbot, book, people
):
    dialog = EventDialog(book, people["罗晨"])
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentText("转正")
    assert dialog.override.isVisibleTo(dialog)
    assert "2026年12月15日" in dialog.due.text()
    qtbot.keyClicks(dialog.date, "2026-06-01")
    dialog.save()
    assert "早于预备期届满日2026年12月15日" in dialog.error.text()
    assert book.roster.member(people["罗晨"]).full_date is None
    dialog.override.setChecked(True)
    dialog.save()
    assert "写明依据" in dialog.error.text()
    type_text(qtbot, dialog.note, "上级党委批复")
    dialog.save()
    saved = book.roster.member(people["罗晨"])
    assert saved.full_date == D(2026, 6, 1) and saved.category == Category.FULL
    assert saved.events[0].override


def test_correct_a_recorded_event_keeps_the_old_one_in_the_trail(qtbot, book, people):
    book.roster.add_event(people["王芳"], MembershipEvent(EventKind.TRANSFER_OUT, D(2026, 8, 15)))
    dialog = EventDialog(book, people["王芳"])
    qtbot.addWidget(dialog)
    assert not dialog.correct_button.isEnabled()
    dialog.history.selectRow(0)
    assert dialog.correct_button.isEnabled() and not dialog.end_button.isEnabled()

    def fix(d: CorrectEventDialog):
        d.date.clear()
        qtbot.keyClicks(d.date, "2026-08-16")
        d.save()
        assert "更正原因" in d.error.text()  # a reason is required
        type_text(qtbot, d.reason, "日期录错")
        d.save()

    when_modal(qtbot, fix)
    qtbot.mouseClick(dialog.correct_button, Qt.MouseButton.LeftButton)
    assert book.roster.member(people["王芳"]).events[0].date == D(2026, 8, 16)
    assert dialog.history.item(0, 0).text() == "2026年8月16日"
    assert dialog.corrections.rowCount() == 1
    assert "2026年8月15日" in dialog.corrections.item(0, 2).text()
    assert dialog.corrections.item(0, 4).text() == "日期录错"


def test_probation_without_end_can_be_ended_and_the_vote_returns(qtbot, book, people):
    book.roster.add_event(people["王芳"], MembershipEvent(EventKind.PROBATION, D(2025, 1, 10)))
    dialog = EventDialog(book, people["王芳"])
    qtbot.addWidget(dialog)
    dialog.history.selectRow(0)
    assert dialog.end_button.isEnabled()

    def end(d: CorrectEventDialog):
        qtbot.keyClicks(d.end_date, "2026-01-10")
        d.save()

    when_modal(qtbot, end)
    qtbot.mouseClick(dialog.end_button, Qt.MouseButton.LeftButton)
    [entry] = [e for e in book.roster.on(D(2026, 2, 1)) if e.member.name == "王芳"]
    assert entry.has_vote
    assert [c.action for c in book.roster.corrections()] == ["结束察看"]


def test_remove_an_event_recorded_by_mistake(qtbot, book, people, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    book.roster.add_event(people["王芳"], MembershipEvent(EventKind.DIED, D(2026, 3, 1)))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("录错了人", True))
    dialog = EventDialog(book, people["王芳"])
    qtbot.addWidget(dialog)
    dialog.history.selectRow(0)
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert book.roster.member(people["王芳"]).events == ()
    assert dialog.history.rowCount() == 0 and dialog.corrections.rowCount() == 1


def test_category_is_shown_from_the_full_date_never_chosen(qtbot, book):
    dialog = MemberDialog(book)
    qtbot.addWidget(dialog)
    assert dialog.category.text().startswith("预备党员")
    type_text(qtbot, dialog.name, "新人")
    qtbot.keyClicks(dialog.join_date, "2020-01-01")
    qtbot.keyClicks(dialog.full_date, "2021-01-01")
    assert dialog.category.text().startswith("正式党员")
    dialog.save()
    [m] = book.roster.members()
    assert m.category == Category.FULL and m.full_date == D(2021, 1, 1)


def test_group_with_a_start_date_is_not_expected_to_meet_before(qtbot, book, people):
    from branchdesk.domain.compliance import CellState
    from branchdesk.ui.settings.page import GroupDialog

    w = MainWindow(book)
    qtbot.addWidget(w)
    dialog = GroupDialog(book, None, w)
    type_text(qtbot, dialog.name, "第四党小组")
    qtbot.keyClicks(dialog.start, "2026-11-01")
    dialog.save()
    [group] = book.branch.groups()
    assert group.start_date == D(2026, 11, 1)
    w.show_page("会议记录")
    cal = w.page("会议记录").calendar
    cal.year.setValue(2026)
    qtbot.waitUntil(lambda: cal.shown is not None and cal.shown.year == 2026 and not cal.busy)
    labels = [cal.table.verticalHeaderItem(r).text() for r in range(cal.table.rowCount())]
    row = labels.index("党小组会（第四党小组）")
    assert cal.table.item(row, 0).data(Qt.ItemDataRole.UserRole) == CellState.NOT_REQUIRED.value
