"""GUI tests of 档案: file a year from the page, a filed meeting opens read-only with the
reason, a correction written in it shows beside the original, Ctrl+F searches from the
main window and opens the hit."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from branchdesk.store import FiledError
from branchdesk.ui.main_window import MainWindow
from branchdesk.ui.meetings.form import MeetingForm
from qt_helpers import record_message_boxes, type_text, when_modal


@pytest.fixture(autouse=True)
def no_blocking_boxes(monkeypatch):
    return record_message_boxes(monkeypatch)


@pytest.fixture
def window(qtbot, demo_book):
    w = MainWindow(demo_book)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    return w


def _org_life_id(book) -> int:
    return next(s.id for s in book.meetings.summaries(2025) if "组织生活会" in s.types)


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_file_a_year_from_the_archive_page(qtbot, window, demo_book, monkeypatch, tmp_path):
    monkeypatch.setattr("branchdesk.ui.archive.page.confirm", lambda *a: True)
    window.show_page("archive")
    page = window.page("archive")
    assert page.year.currentData() == 2025
    assert "材料齐全" in page.gaps.item(0).text()
    from branchdesk.areas.archive.hooks import year_items

    items = year_items(demo_book, 2025)
    assert page.table.rowCount() == len(items)
    assert {i.area for i in items} == {"roster", "meetings", "points", "talks"}
    click(qtbot, page.number_button)
    assert page.table.item(0, 1).text() == "永久-001"
    click(qtbot, page.file_button)
    assert demo_book.archive.is_filed(2025)
    filing = demo_book.archive.filings()[-1]
    numbers = [i["number"] for i in filing.items]
    assert numbers[:3] == ["001", "001", "002"] and len(numbers) == len(items)
    qtbot.waitUntil(lambda: "已于" in page.state.text())  # the page follows the change
    assert not page.file_button.isEnabled() and page.unfile_button.isEnabled()
    page.grab().save(str(tmp_path / "archive_page.png"))


def _file_2025(book) -> None:
    from branchdesk.areas.archive.jobs import file_year

    file_year(book, 2025)


def test_a_filed_meeting_opens_read_only_with_the_reason(qtbot, window, demo_book):
    _file_2025(demo_book)
    mid = _org_life_id(demo_book)
    before = demo_book.meetings.get(mid)
    form = MeetingForm(demo_book, before, parent=window)
    qtbot.addWidget(form)
    form.show()
    banner = form.filed_banner.text()
    assert form.filed and "已归档" in banner and "不得涂改" in banner
    assert not form.save_button.isVisible()
    assert not form.tabs.widget(0).isEnabled()
    form.activateWindow()
    qtbot.keySequence(form, QKeySequence.StandardKey.Save)  # Ctrl+S still cannot change it
    assert demo_book.meetings.get(mid) == before
    with pytest.raises(FiledError):
        demo_book.meetings.save(before)
    form.reject()
    window.show_page("meetings")
    meetings = window.page("meetings")
    meetings.list.reload_years(2025)
    row = next(r for r, s in enumerate(meetings.list.model.rows) if s.id == mid)
    index = meetings.list.model.index(row, meetings.list.model.FILED)
    assert meetings.list.model.data(index, Qt.ItemDataRole.DisplayRole) == "已归档"


def test_write_a_correction_and_see_it_beside_the_original(qtbot, window, demo_book):
    _file_2025(demo_book)
    mid = _org_life_id(demo_book)
    original = demo_book.meetings.get(mid)
    form = MeetingForm(demo_book, original, parent=window)
    qtbot.addWidget(form)
    form.show()
    assert "没有更正" in form.corrections.label.text()

    def fill(dialog):
        dialog.field.setCurrentIndex(dialog.field.findData("place"))
        assert dialog.original.toPlainText() == original.place
        dialog.corrected.selectAll()
        type_text(qtbot, dialog.corrected, "机关五楼党员活动室")
        type_text(qtbot, dialog.reason, "地点记错，经核对会议通知更正")
        type_text(qtbot, dialog.approved_by, "李建国")
        click(qtbot, dialog.save_button)

    done = when_modal(qtbot, fill)
    click(qtbot, form.corrections.write_button)
    qtbot.waitUntil(lambda: bool(done))
    text = form.corrections.label.text()
    assert "更正（1处）" in text and "机关五楼党员活动室" in text and "地点记错" in text
    assert original.place in text  # the original quoted beside the correction
    assert demo_book.meetings.get(mid).place == original.place  # never changed
    (c,) = demo_book.archive.corrections("meeting", mid)
    assert c.approved_by == "李建国" and c.who
    window.show_page("meetings")
    meetings = window.page("meetings")
    meetings.list.reload_years(2025)
    assert "更正1处" in meetings.list.filed[mid]


def test_search_from_the_main_window_opens_the_record(qtbot, window, demo_book):
    # The shortcuts are added once the window is on screen (as the user sees it).
    qtbot.waitUntil(lambda: window.ready)
    window.activateWindow()
    qtbot.keySequence(window, QKeySequence.StandardKey.Find)
    qtbot.waitUntil(lambda: getattr(window, "search_dialog", None) is not None)
    dialog = window.search_dialog
    type_text(qtbot, dialog.query, "党课")
    qtbot.waitUntil(lambda: dialog.results.topLevelItemCount() > 0, timeout=3000)
    assert dialog.results.topLevelItem(0).text(0).startswith("会议记录")
    item = dialog.first_hit_item()
    target = item.data(0, Qt.ItemDataRole.UserRole)
    dialog.results.itemActivated.emit(item, 0)
    assert window.stack.currentWidget() is window.page("meetings")
    selected = window.page("meetings").list.selected()
    assert selected is not None and selected.id == target.id
    # two characters and pinyin initials work too
    window.open_search()
    dialog = window.search_dialog
    dialog.query.setText("ljg")
    dialog.run_search()
    assert dialog.results.topLevelItem(0).text(0).startswith("党员名册")


def test_audit_tab_shows_an_edit_with_who(qtbot, window, demo_book):
    from dataclasses import replace

    demo_book.archive.set_actor("组织委员黄磊")
    mid = next(s.id for s in demo_book.meetings.summaries(2026))
    record = demo_book.meetings.get(mid)
    demo_book.meetings.save(replace(record, place="新地点"))
    window.show_page("archive")
    page = window.page("archive")
    page.tabs.setCurrentIndex(1)
    page.audit.area.setCurrentIndex(page.audit.area.findData("meetings"))
    page.audit.reload()
    rows = [
        [page.audit.table.item(r, c).text() for c in range(7)]
        for r in range(page.audit.table.rowCount())
    ]
    edit = next(r for r in rows if r[3] == "会议记录" and r[5] == "修改")
    assert edit[1] == "组织委员黄磊" and "地点：" in edit[6] and "新地点" in edit[6]
    assert not any(r[3] == "出缺席" for r in rows)  # unchanged rewrites hidden


def test_deleting_a_filed_meeting_is_refused_with_the_reason(qtbot, window, demo_book,
                                                             no_blocking_boxes):  # fmt: skip
    _file_2025(demo_book)
    mid = _org_life_id(demo_book)
    window.show_page("meetings")
    meetings = window.page("meetings").list
    meetings.reload_years(2025)
    meetings.select_meeting(mid)
    meetings.delete_selected()
    assert any("已归档" in text for _kind, text in no_blocking_boxes)
    assert demo_book.meetings.get(mid)


def test_print_the_volumes_from_the_page(qtbot, window, demo_book):
    window.show_page("archive")
    page = window.page("archive")
    click(qtbot, page.print_button)
    qtbot.waitUntil(lambda: page.volume_choice.count() == 2, timeout=60000)
    assert "永久" in page.volume_choice.itemText(0) and "30年" in page.volume_choice.itemText(1)
    qtbot.waitUntil(lambda: getattr(page, "last_preview", None) is not None, timeout=60000)
    page.last_preview.close()


def test_unfiling_from_the_page_asks_for_a_reason_and_logs_it(qtbot, window, demo_book,
                                                              monkeypatch):  # fmt: skip
    from PySide6.QtWidgets import QInputDialog

    _file_2025(demo_book)
    window.show_page("archive")
    page = window.page("archive")
    page.reload_years()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("", True))
    click(qtbot, page.unfile_button)
    assert demo_book.archive.is_filed(2025)  # no reason: refused
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("归档过早，签到表未齐", True))
    click(qtbot, page.unfile_button)
    assert not demo_book.archive.is_filed(2025)
    assert demo_book.archive.filings()[-1].reason == "归档过早，签到表未齐"
    qtbot.waitUntil(lambda: page.file_button.isEnabled())
    page.audit.reload()
    logged = [r for r in page.audit.rows if r[3] == "年度归档"]
    assert [r[5] for r in logged] == ["撤销归档", "归档"] and "归档过早" in logged[0][6]


def test_archive_settings_are_kept_and_the_name_goes_into_the_trail(qtbot, window, demo_book):
    window.show_page("archive")
    settings = window.page("archive").settings
    settings.fonds.setText("Z200")
    settings.minutes_retention.setCurrentText("10年")
    settings.operator.setText("组织委员王芳")
    click(qtbot, settings.save_button)
    assert demo_book.settings.get("archive.fonds") == "Z200"
    assert demo_book.archive.actor() == "组织委员王芳"
    from branchdesk.areas.archive.hooks import operator_name, year_items

    assert operator_name() == "组织委员王芳"  # kept for this PC (a file, not the book)
    minutes = [i for i in year_items(demo_book, 2025) if i.area == "meetings"]
    assert minutes and all(i.retention == "10年" for i in minutes)


def test_the_dashboard_reminds_of_last_year_and_opens_it(qtbot, window, demo_book):
    import datetime as dt

    from branchdesk.areas.archive.reminders import reminders

    (reminder,) = reminders(demo_book, dt.date(2026, 2, 1))
    assert "2025年度" in reminder.text and reminder.target.area == "archive"
    window.open_target(reminder.target)
    page = window.page("archive")
    assert window.stack.currentWidget() is page and page.year.currentData() == 2025
    _file_2025(demo_book)
    assert reminders(demo_book, dt.date(2026, 2, 1)) == []


def test_a_filed_talk_is_read_only_and_takes_a_correction_beside_it(qtbot, window, demo_book,
                                                                     monkeypatch):  # fmt: skip
    """File 2025 on the 档案 page, open a 2025 talk: read-only with the reason; write a
    correction in it and see it beside the unchanged original."""
    monkeypatch.setattr("branchdesk.ui.archive.page.confirm", lambda *a: True)
    window.show_page("archive")
    click(qtbot, window.page("archive").file_button)
    assert demo_book.archive.is_filed(2025)
    window.show_page("talks")
    talks = window.page("talks").list
    talks.year.setCurrentIndex(talks.year.findData(2025))
    qtbot.waitUntil(lambda: bool(talks.talks) and talks.talks[0].belongs_to_year == 2025)
    talks.table.selectRow(0)
    tid = talks.talks[0].id
    original = demo_book.talks.get(tid)
    seen = {}

    def fill_correction(dialog):
        dialog.field.setCurrentIndex(dialog.field.findData("summary"))
        assert dialog.original.toPlainText() == original.summary
        dialog.corrected.selectAll()
        type_text(qtbot, dialog.corrected, "补记：对方提出希望多参加业务培训。")
        type_text(qtbot, dialog.reason, "漏记对方诉求，经谈话双方核对补记")
        type_text(qtbot, dialog.approved_by, "李建国")
        click(qtbot, dialog.save_button)

    def look(form):
        seen["banner"] = form.filed_banner.text()
        seen["save hidden"] = not form.save_button.isVisible()
        seen["fields off"] = not form.summary.isEnabled() and not form.topic.isEnabled()
        qtbot.keyClicks(form.summary, "abc")  # typing into a disabled field does nothing
        seen["typed"] = form.summary.toPlainText()
        done = when_modal(qtbot, fill_correction)
        click(qtbot, form.corrections.write_button)
        qtbot.waitUntil(lambda: bool(done))
        seen["beside"] = form.corrections.label.text()
        form.reject()

    shown = when_modal(qtbot, look)
    click(qtbot, talks.edit_button)
    qtbot.waitUntil(lambda: bool(shown))
    assert "已归档" in seen["banner"] and "不得涂改" in seen["banner"]
    assert seen["save hidden"] and seen["fields off"] and seen["typed"] == original.summary
    assert "更正（1处）" in seen["beside"] and "多参加业务培训" in seen["beside"]
    assert original.summary.strip()[:12] in seen["beside"]  # the original quoted beside it
    assert demo_book.talks.get(tid) == original  # never changed
    (c,) = demo_book.archive.corrections("talk", tid)
    assert c.field_label == "谈话内容要点" and c.approved_by == "李建国"
    click(qtbot, talks.delete_button)  # refused with the reason, nothing deleted
    assert demo_book.talks.get(tid) == original


def test_export_the_volumes_as_word_from_the_page(qtbot, window, demo_book, monkeypatch,
                                                  tmp_path, no_blocking_boxes):  # fmt: skip
    from docx import Document

    target = tmp_path / "卷.docx"
    monkeypatch.setattr("branchdesk.ui.archive.page.QFileDialog.getSaveFileName",
                        lambda *a, **k: (str(target), ""))  # fmt: skip
    window.show_page("archive")
    page = window.page("archive")
    page.table.item(0, 0).setCheckState(Qt.CheckState.Unchecked)  # leave the 花名册 out
    click(qtbot, page.docx_button)
    qtbot.waitUntil(target.exists, timeout=60000)
    texts = [p.text for p in Document(str(target)).paragraphs]
    assert texts.count("2025年度文书档案") == 1  # only the 30年 volume is left
    assert "保管期限：30年" in texts and not any("党员花名册" in t for t in texts)
    assert any("已导出" in text for _kind, text in no_blocking_boxes)


def test_the_window_reads_the_search_text_in_the_background(qtbot, window, demo_book):
    """Once the window is up, the text is read on a thread of its own: Ctrl+F then
    searches it in memory, and a talk saved since is found as it is now."""
    import dataclasses

    everything = {"meetings", "talks", "points", "life"}
    qtbot.waitUntil(lambda: set(demo_book.search.held_sources()) == everything, timeout=20000)
    talk = demo_book.talks.talks(2026)[0]
    demo_book.talks.save(dataclasses.replace(talk, summary="谈到想报名参加援疆工作。"))
    window.open_search()
    dialog = window.search_dialog
    dialog.query.setText("援疆")
    dialog.run_search()
    assert dialog.results.topLevelItem(0).text(0).startswith("谈心谈话")
    assert "talks" in demo_book.search.held_sources()  # updated in place, not dropped


def test_a_filed_points_entry_takes_a_correction_beside_it(qtbot, window, demo_book):
    """积分 of a filed year: the page says why it is locked, offers no entry, reversal or
    rescoring, and a 更正 written on an entry shows beside it; the ledger never changes."""
    import datetime as dt

    member = demo_book.roster.members()[0]
    item = next(i.name for i in demo_book.points.scheme(2025).items if i.points > 0)
    demo_book.points.add(member.id, dt.date(2025, 12, 7), item, reason="参加社区志愿服务",
                         entered_by="黄磊")  # fmt: skip
    _file_2025(demo_book)
    window.show_page("points")
    page = window.page("points")
    page.year.setCurrentIndex(page.year.findData(2025))
    assert page.filed and "已归档" in page.filed_banner.text()
    assert page.filed_banner.isVisible()
    assert not page.batch_button.isEnabled() and not page.reverse_button.isEnabled()
    assert not page.apply_button.isEnabled()
    page.period.setCurrentIndex(page.period.findData("2025"))  # 全年
    page.select_member(member.id)  # selected once the worker's totals are shown
    qtbot.waitUntil(lambda: page.shown == "2025" and not page.busy and bool(page.selected()))
    entry = next(e for e in page.entries if e.reason == "参加社区志愿服务")
    page.detail.selectRow(page.entries.index(entry))
    assert page.correct_button.isEnabled() and "没有更正" in page.corrections_label.text()
    before = demo_book.points.entry(entry.id)

    def fill(dialog):
        dialog.field.setCurrentIndex(dialog.field.findData("reason"))
        assert dialog.original.toPlainText() == entry.reason
        dialog.corrected.selectAll()
        type_text(qtbot, dialog.corrected, "参加社区志愿服务（12月7日）")
        type_text(qtbot, dialog.reason, "原因漏写日期，经核对活动记录更正")
        type_text(qtbot, dialog.approved_by, "李建国")
        click(qtbot, dialog.save_button)

    done = when_modal(qtbot, fill)
    click(qtbot, page.correct_button)
    qtbot.waitUntil(lambda: bool(done))
    assert demo_book.points.entry(entry.id) == before  # the ledger never changes
    (c,) = demo_book.archive.corrections("points_entry", entry.id)
    assert c.approved_by == "李建国"
    qtbot.waitUntil(lambda: not page.busy and any(  # the page follows the change
        "更正1处" in page.detail.item(n, 5).text() for n in range(page.detail.rowCount())
    ))  # fmt: skip
    row = next(n for n, e in enumerate(page.entries) if e.id == entry.id)
    assert "更正1处" in page.detail.item(row, 5).text()
    page.detail.selectRow(row)
    assert "参加社区志愿服务（12月7日）" in page.corrections_label.text()
    if shots := os.environ.get("BRANCHDESK_SHOTS"):
        window.grab().save(os.path.join(shots, "points_filed.png"))


def test_the_window_builds_the_search_index_in_the_background(qtbot, window, demo_book):
    """After the text is read, the book's search index is built on a worker; the first
    search of the next opening (before any text is read) then uses it."""
    from branchdesk.store.search import SOURCES, SearchRepo, index_mark

    conn = demo_book.db.conn
    qtbot.waitUntil(
        lambda: all(index_mark(conn, s) is not None for s in SOURCES)
        and not demo_book.search.indexing,
        timeout=60000,
    )
    fresh = SearchRepo(demo_book.db)  # as the next opening has it: nothing held
    talks = next(s for s in SOURCES if s.name == "talks")
    assert fresh._find_indexed(talks, "谈", False, 300) is not None
    held = demo_book.search.talks("谈")
    assert [h.record_id for h in fresh.talks("谈")] == [h.record_id for h in held]
