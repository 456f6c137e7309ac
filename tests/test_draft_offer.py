"""Drafts left by a crash are offered at start-up, and 以后再说 keeps them."""

from __future__ import annotations

import pytest

from branchdesk.ui.draft_offer import offer_drafts, pending_drafts
from branchdesk.ui.drafts import DraftStore
from branchdesk.ui.main_window import MainWindow
from branchdesk.ui.meetings.form import MeetingForm
from branchdesk.ui.roster.member_dialog import MemberDialog
from qt_helpers import record_message_boxes, type_text


@pytest.fixture(autouse=True)
def boxes(monkeypatch):
    return record_message_boxes(monkeypatch)


def crash_typing_a_member(qtbot, book) -> None:
    first = MemberDialog(book)
    qtbot.addWidget(first)
    type_text(qtbot, first.name, "林堃")
    qtbot.waitUntil(lambda: first.drafts.load("member-new") is not None, timeout=3000)
    first._draft_timer.stop()
    first.hide()  # the program dies: no save, no cancel


def test_start_up_offers_the_draft_and_opens_the_form_filled_in(qtbot, book, boxes):
    crash_typing_a_member(qtbot, book)
    assert [d.text for d in pending_drafts(book)] == ["党员信息“林堃”（新增）"]
    w = MainWindow(book)
    qtbot.addWidget(w)
    boxes.clear()
    [form] = offer_drafts(w, book)
    assert len(boxes) == 1 and "林堃" in boxes[0][1]  # asked once, at start
    assert isinstance(form, MemberDialog) and form.isVisible()
    assert form.restored_draft and form.name.text() == "林堃"
    qtbot.keyClicks(form.join_date, "2011-06-29")
    form.save()
    assert [m.name for m in book.roster.members()] == ["林堃"]
    assert pending_drafts(book) == []


def test_later_keeps_the_draft_for_the_next_start(qtbot, book, boxes, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    crash_typing_a_member(qtbot, book)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    w = MainWindow(book)
    qtbot.addWidget(w)
    assert offer_drafts(w, book) == []
    assert DraftStore(book).load("member-new") is not None


def test_meeting_draft_is_described_by_its_title_and_reopened(qtbot, demo_book, boxes):
    DraftStore(demo_book).save("meeting-new", {"title": "草稿里的主题党日"})
    # A draft of a meeting deleted since is dropped quietly.
    DraftStore(demo_book).save("meeting-99999", {"title": "已删除的会"})
    assert [d.text for d in pending_drafts(demo_book)][0] == "会议记录“草稿里的主题党日”（新建）"
    w = MainWindow(demo_book)
    qtbot.addWidget(w)
    forms = offer_drafts(w, demo_book)
    assert [type(f) for f in forms] == [MeetingForm]
    assert forms[0].title.text() == "草稿里的主题党日"
    assert DraftStore(demo_book).load("meeting-99999") is None
    forms[0].done(0)


def test_no_drafts_no_question(qtbot, book, boxes):
    w = MainWindow(book)
    qtbot.addWidget(w)
    assert offer_drafts(w, book) == [] and boxes == []
