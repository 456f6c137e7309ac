"""GUI tests of 会议记录: type and click in the real page and form, then check the book."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QDialog

from branchdesk.areas.meetings.rules import groups_of_members, rule_problems
from branchdesk.domain.meetings import (
    AttendanceStatus,
    Meeting,
    MeetingType,
    ResolutionKind,
    attendance_counts,
    expected_attendees,
)
from branchdesk.domain.minutes import MeetingRecord
from branchdesk.store import InputError
from branchdesk.ui.meetings.form import MeetingForm
from branchdesk.ui.meetings.list_page import MeetingPage
from qt_helpers import record_message_boxes, type_text, when_modal


@pytest.fixture(autouse=True)
def no_blocking_boxes(monkeypatch):
    return record_message_boxes(monkeypatch)


DAY = dt.date(2026, 11, 21)


def retype(qtbot, widget, text: str) -> None:
    widget.selectAll()
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    type_text(qtbot, widget, text)


def open_form(qtbot, book, record=None, **kw) -> MeetingForm:
    form = MeetingForm(book, record, **kw)
    qtbot.addWidget(form)
    form.show()
    form.activateWindow()
    qtbot.waitExposed(form)
    return form


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def set_date(qtbot, form: MeetingForm, day: dt.date) -> None:
    retype(qtbot, form.date, day.isoformat())
    qtbot.waitUntil(lambda: form._built_key is not None and form._built_key[0] == day)


def voting_rows(form: MeetingForm):
    return [(mid, row) for mid, row in form.attendance.rows.items() if row.entry.has_vote]


def test_record_a_general_meeting_with_an_admission(qtbot, demo_book):
    from branchdesk.domain.members import Category, Member

    # Admitted at this meeting: entered with the 支部大会 date as 入党日期.
    demo_book.roster.add(Member(name="赵新", category=Category.PROBATIONARY, join_date=DAY))
    form = open_form(qtbot, demo_book, new_type=MeetingType.GENERAL)
    retype(qtbot, form.title, "11月支部党员大会")
    set_date(qtbot, form, DAY)
    voters = voting_rows(form)
    assert len(voters) > 10
    on_leave = [voters[0][0], voters[1][0]]
    for mid, reason in zip(on_leave, ("出差", "病假"), strict=True):
        row = form.attendance.rows[mid]
        click(qtbot, row.leave)
        type_text(qtbot, row.reason, reason)
    counts_text = form.attendance.counts.text()
    assert "请假 2 人" in counts_text

    form.tabs.setCurrentWidget(form.resolutions)
    click(qtbot, form.resolutions.add_button)
    editor = form.resolutions.editors[0]
    type_text(qtbot, editor.text, "讨论接收赵新同志为中共预备党员")
    editor.kind.setCurrentIndex(editor.kind.findText("发展"))
    assert editor.candidate.findText("何娜") < 0  # a member since March: not offered
    assert editor.candidate.findText("王芳") < 0  # 正式党员 since 2004
    editor.candidate.setCurrentIndex(editor.candidate.findText("赵新"))
    assert editor.candidate.currentData() is not None
    voting_present = len(voters) - 2
    for spin, value in ((editor.votes_for, voting_present - 1), (editor.abstentions, 1)):
        retype(qtbot, spin, str(value))
    qtbot.waitUntil(editor.passed.isEnabled)
    assert "会议有效" in form.rules.text()
    assert "决议通过" in form.rules.text()
    click(qtbot, editor.passed)
    qtbot.waitUntil(lambda: "未发现不符合规定之处" in form.rules.text())

    form.activateWindow()
    qtbot.keyClick(form.title, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert form.result() == QDialog.DialogCode.Accepted, form.error.text()

    record = demo_book.meetings.get(form.saved_id)
    m = record.meeting
    assert m.title == "11月支部党员大会" and m.types == {MeetingType.GENERAL}
    assert m.date == DAY and m.belongs_to_year == 2026
    assert {mid: m.attendance[mid].reason for mid in on_leave} == {
        on_leave[0]: "出差",
        on_leave[1]: "病假",
    }
    assert all(m.attendance[mid].status == AttendanceStatus.LEAVE for mid in on_leave)
    (r,) = m.resolutions
    assert r.kind == ResolutionKind.ADMISSION and r.marked_passed
    assert r.votes_for == voting_present - 1 and r.abstentions == 1
    zhao = next(x for x in demo_book.roster.members() if x.name == "赵新")
    assert r.candidate_id == zhao.id
    expected = expected_attendees(
        m, demo_book.roster.on(DAY), demo_book.branch.committee(), groups_of_members(demo_book)
    )
    counts = attendance_counts(m, expected)
    assert counts.on_leave == 2 and counts.absent == 0 and counts.unrecorded == 0
    assert counts.present == counts.expected - 2
    assert counts.voting_present == voting_present

    # …and print it: the minutes read back with the resolution and the absences.
    import io

    from pypdf import PdfReader

    from branchdesk.areas.meetings.jobs import minutes_pdf_for

    pdf = minutes_pdf_for(demo_book, form.saved_id)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    text = text.replace("\n", "")
    wanted = (
        "11月支部党员大会",
        "讨论接收赵新同志为中共预备党员",
        "发展对象：赵新",
        "请假：出差",
        "请假：病假",
        "会议有效",
        "通过",
        "主持人签字",
    )
    for expected_text in wanted:
        assert expected_text in text, expected_text


def test_an_inquorate_meeting_cannot_pass_a_resolution(qtbot, demo_book):
    form = open_form(qtbot, demo_book, new_type=MeetingType.GENERAL)
    retype(qtbot, form.title, "学习会")
    set_date(qtbot, form, DAY)
    voters = voting_rows(form)
    for _mid, row in voters[3:]:
        click(qtbot, row.absent)
    form.tabs.setCurrentWidget(form.resolutions)
    click(qtbot, form.resolutions.add_button)
    editor = form.resolutions.editors[0]
    type_text(qtbot, editor.text, "关于开展志愿服务的决定")
    retype(qtbot, editor.votes_for, "3")
    qtbot.waitUntil(lambda: "不能进行表决" in form.rules.text())
    assert not editor.passed.isEnabled()
    assert "决议不能通过" in editor.passed.toolTip()
    assert "学习会" in form.rules.text()

    click(qtbot, form.save_button)
    assert form.result() == QDialog.DialogCode.Accepted, form.error.text()
    record = demo_book.meetings.get(form.saved_id)
    assert not record.meeting.resolutions[0].marked_passed
    absent = [a for a in record.meeting.attendance.values() if a.status == AttendanceStatus.ABSENT]
    assert len(absent) == len(voters) - 3

    # The store refuses a passed resolution at this meeting, whatever the GUI allowed.
    forced = replace(
        record.meeting, resolutions=(replace(record.meeting.resolutions[0], marked_passed=True),)
    )
    with pytest.raises(InputError, match="学习会"):
        demo_book.meetings.save(
            replace(record, meeting=forced), check=lambda r: rule_problems(demo_book, r)
        )


def test_a_passing_vote_must_be_ticked_before_saving(qtbot, demo_book):
    form = open_form(qtbot, demo_book, new_type=MeetingType.GENERAL)
    set_date(qtbot, form, DAY)
    click(qtbot, form.resolutions.add_button)
    editor = form.resolutions.editors[0]
    type_text(qtbot, editor.text, "通过年度工作计划")
    retype(qtbot, editor.votes_for, str(len(voting_rows(form))))
    qtbot.waitUntil(editor.passed.isEnabled)
    click(qtbot, form.save_button)
    assert form.result() != QDialog.DialogCode.Accepted
    assert "却记为未通过" in form.error.text()
    assert demo_book.meetings.summaries(2026)[0].title != form.title.text()


def test_new_lecture_starts_from_the_last_lecture(qtbot, demo_book):
    demo_book.meetings.save(
        MeetingRecord(
            meeting=Meeting(
                title="专题党课", types=frozenset({MeetingType.LECTURE}), date=dt.date(2026, 11, 12)
            ),
            place="党校报告厅",
            host="王芳",
            recorder="黄磊",
            agenda=("讲授党课", "交流心得"),
            content="不应沿用的内容",
        )
    )
    page = MeetingPage(demo_book)
    qtbot.addWidget(page)
    page.show()
    seen = {}

    def look(form: MeetingForm) -> None:
        seen["place"] = form.place.text()
        seen["host"] = form.host.currentText()
        seen["agenda"] = list(form.agenda.items())
        seen["types"] = {t for t, b in form.type_boxes.items() if b.isChecked()}
        seen["date"] = form.date.date()
        seen["content"] = form.content.toPlainText()
        seen["attendance"] = {r.status() for r in form.attendance.rows.values()}
        seen["resolutions"] = form.resolutions.editors

    done = when_modal(qtbot, look)
    page.new_meeting(MeetingType.LECTURE)
    assert done
    assert seen["place"] == "党校报告厅" and seen["host"] == "王芳"
    assert seen["agenda"] == ["讲授党课", "交流心得"]
    assert seen["types"] == {MeetingType.LECTURE}
    assert seen["date"] == dt.date.today()
    assert seen["content"] == "" and seen["resolutions"] == []
    assert seen["attendance"] == {AttendanceStatus.PRESENT}


def test_a_draft_survives_a_crash(qtbot, demo_book):
    form = open_form(qtbot, demo_book, new_type=MeetingType.THEME_DAY)
    set_date(qtbot, form, DAY)
    retype(qtbot, form.title, "草稿里的主题党日")
    type_text(qtbot, form.content, "发言要点：大家积极发言。")
    mid, row = voting_rows(form)[0]
    click(qtbot, row.leave)
    type_text(qtbot, row.reason, "出差")
    click(qtbot, form.resolutions.add_button)
    type_text(qtbot, form.resolutions.editors[0].text, "开展志愿服务")
    qtbot.waitUntil(
        lambda: (
            (form.drafts.load("meeting-new") or {}).get("resolutions", [{}])[0].get("text")
            == "开展志愿服务"
        )
    )
    # The window goes away without 取消: no confirmation, no discard.
    form.hide()
    form._draft_timer.stop()
    form.deleteLater()
    QApplication.processEvents()

    again = open_form(qtbot, demo_book, new_type=MeetingType.THEME_DAY)
    assert again.restored_draft
    assert again.title.text() == "草稿里的主题党日"
    assert again.content.toPlainText() == "发言要点：大家积极发言。"
    assert again.date.date() == DAY
    assert again.attendance.rows[mid].status() == AttendanceStatus.LEAVE
    assert again.attendance.rows[mid].reason.text() == "出差"
    assert [e.text.text() for e in again.resolutions.editors] == ["开展志愿服务"]
    again.reject()  # confirmed (the patched box says Yes): the draft goes
    assert again.drafts.load("meeting-new") is None


def test_the_list_filters_and_prints_the_minutes(qtbot, demo_book):
    page = MeetingPage(demo_book)
    qtbot.addWidget(page)
    page.show()
    assert page.year.currentData() == 2026
    assert page.model.rowCount() == len(demo_book.meetings.summaries(2026))
    page.type_filter.setCurrentIndex(page.type_filter.findText("党课"))
    assert 0 < page.model.rowCount() < len(demo_book.meetings.summaries(2026))
    assert all(MeetingType.LECTURE in s.types for s in page.model.rows)
    first = page.model.rows[0]
    assert (
        page.model.index(0, 0).data()
        == f"{first.date.year}年{first.date.month}月{first.date.day}日"
    )
    page.table.selectRow(0)
    click(qtbot, page.print_button)
    qtbot.waitUntil(lambda: getattr(page, "last_preview", None) is not None, timeout=20000)
    assert page.last_preview.images
    assert first.title in page.last_preview.windowTitle()


def test_a_large_photo_is_shrunk_and_stored_after_the_first_save(qtbot, demo_book, tmp_path):
    photo = tmp_path / "合影.png"
    image = QImage(3000, 1500, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.darkRed)
    assert image.save(str(photo))
    form = open_form(qtbot, demo_book, new_type=MeetingType.THEME_DAY)
    set_date(qtbot, form, DAY)
    retype(qtbot, form.title, "有照片的主题党日")
    assert form.attachments.shrink.isChecked()
    form.attachments.add_file(photo)  # decoded and shrunk in a worker
    qtbot.waitUntil(lambda: form.attachments.list.count() == 1, timeout=10000)
    assert form.attachments.loading == 0
    click(qtbot, form.save_button)
    assert form.result() == QDialog.DialogCode.Accepted, form.error.text()
    (info,) = demo_book.meetings.get(form.saved_id).attachments
    assert (info.width, info.height, info.mime) == (2000, 1000, "image/jpeg")
    assert info.name == "合影.jpg"


def test_signin_and_notice_from_the_list_follow_the_meeting_scope(qtbot, tmp_path):
    """A 支委会's sign-in sheet lists the committee only; the notice names them."""
    import io

    from pypdf import PdfReader

    from branchdesk.areas.meetings.jobs import meeting_signin_job, notice_job
    from branchdesk.demo import create_demo_book

    book = create_demo_book(tmp_path / "d.db", today=dt.date(2026, 12, 1))
    committee = next(s for s in book.meetings.summaries(2026) if s.title == "3月支委会")
    sheet = meeting_signin_job(book, committee.id)()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(sheet.data)).pages)
    assert "应到 5 人" in text and "胡志强" in text and "马晓东" not in text
    notice = notice_job(book, committee.id)()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(notice.data)).pages)
    assert "关于召开" in text.replace("\n", "") and "赵敏" in text
    book.close(backup=False)


def test_photos_are_decoded_and_thumbnailed_off_the_gui_thread(qtbot, demo_book, tmp_path):
    photo = tmp_path / "会场.png"
    image = QImage(4000, 3000, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.darkBlue)
    assert image.save(str(photo))
    form = open_form(qtbot, demo_book, new_type=MeetingType.THEME_DAY)
    set_date(qtbot, form, DAY)
    retype(qtbot, form.title, "有照片的主题党日")
    form.attachments.add_file(photo)
    # add_file returned before the photo was decoded: the GUI thread did not do it.
    assert form.attachments.list.count() == 0 and form.attachments.loading == 1
    qtbot.waitUntil(lambda: form.attachments.list.count() == 1, timeout=20000)
    click(qtbot, form.save_button)
    assert form.result() == QDialog.DialogCode.Accepted, form.error.text()
    # Reopened, the stored photo is listed at once and its thumbnail follows from a worker.
    again = open_form(qtbot, demo_book, demo_book.meetings.get(form.saved_id))
    widget = again.attachments
    assert widget.list.count() == 1 and widget.loading == 1
    qtbot.waitUntil(lambda: widget.loading == 0, timeout=20000)
    assert "KB" in widget.list.item(0).toolTip()


def test_one_message_per_problem_and_rules_say_when_they_cannot_judge(qtbot, demo_book):
    form = open_form(qtbot, demo_book, new_type=MeetingType.THEME_DAY)
    set_date(qtbot, form, DAY)
    retype(qtbot, form.title, "测试")
    form.type_boxes[MeetingType.THEME_DAY].setChecked(False)
    retype(qtbot, form.start_time, "25:00")
    retype(qtbot, form.end_time, "16:00")
    form.save()
    text = form.error.text()
    assert text.count("会议类型") == 1 and "请选择会议类型" not in text
    assert "开始时间" in text and "早于开始时间" not in text
    retype(qtbot, form.date, "2026-13-45")
    form.refresh_rules()
    assert "暂时无法判断" in form.rules.text()
    assert "未发现不符合规定之处" not in form.rules.text()
    form.date.clear()
    form.refresh_rules()
    assert "还没有填写会议日期" in form.rules.text()


def test_absence_with_an_optional_note_prints_apart_from_leave(qtbot, demo_book):
    import io

    from pypdf import PdfReader

    from branchdesk.areas.meetings.jobs import minutes_pdf_for

    form = open_form(qtbot, demo_book, new_type=MeetingType.THEME_DAY)
    retype(qtbot, form.title, "缺席说明测试")
    set_date(qtbot, form, DAY)
    rows = list(form.attendance.rows.values())
    with_note, without, leave = rows[0], rows[1], rows[2]
    click(qtbot, with_note.absent)
    assert with_note.reason.isEnabled() and "可不填" in with_note.reason.placeholderText()
    type_text(qtbot, with_note.reason, "联系不上")
    click(qtbot, without.absent)
    click(qtbot, leave.leave)
    assert "必填" in leave.reason.placeholderText()
    type_text(qtbot, leave.reason, "出差")
    form.save()
    assert form.result() == QDialog.DialogCode.Accepted, form.error.text()
    m = demo_book.meetings.get(form.saved_id).meeting
    assert m.attendance[with_note.entry.member.id].reason == "联系不上"
    assert m.attendance[without.entry.member.id].status == AttendanceStatus.ABSENT
    assert m.attendance[without.entry.member.id].reason == ""
    pdf = minutes_pdf_for(demo_book, form.saved_id)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    text = "".join(text.split())
    assert f"{with_note.entry.member.name}（缺席：联系不上）" in text
    assert f"{without.entry.member.name}（无故缺席）" in text
    assert f"{leave.entry.member.name}（请假：出差）" in text


def test_confirmation_offers_probationary_members_and_an_odd_choice_is_flagged(
    qtbot, demo_book
):
    form = open_form(qtbot, demo_book, new_type=MeetingType.GENERAL)
    set_date(qtbot, form, DAY)
    form.tabs.setCurrentWidget(form.resolutions)
    click(qtbot, form.resolutions.add_button)
    editor = form.resolutions.editors[0]
    editor.kind.setCurrentIndex(editor.kind.findText("转正"))
    offered = {editor.candidate.itemText(i) for i in range(1, editor.candidate.count())}
    assert offered == {"罗晨", "何娜", "徐丽"}  # the 预备党员 on 21 November 2026
    # A record saved earlier about a 正式党员 keeps the name and is flagged.
    wang = next(m for m in demo_book.roster.members() if m.name == "王芳")
    from branchdesk.domain.meetings import Resolution, ResolutionKind

    editor.set_value(Resolution(text="转正", kind=ResolutionKind.CONFIRMATION,
                                candidate_id=wang.id))  # fmt: skip
    assert editor.candidate.currentText() == "王芳"
    form.refresh_rules()
    assert "请核对表决对象" in form.rules.text()
    assert "王芳自2004年5月20日起已是正式党员" in form.rules.text()
