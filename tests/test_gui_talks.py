"""GUI tests of 谈心谈话: type and click in the real page and form, then check the book.

The committee is set up through the store API (`book.branch.save_post`) until the
`branch committee` commands exist."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit, QPushButton

from branchdesk.domain.appraisal import EXCELLENT_RULE
from branchdesk.domain.branch import CommitteePost
from branchdesk.domain.members import Category, Member
from branchdesk.ui.talks.form import TalkForm
from branchdesk.ui.talks.page import TalksArea
from qt_helpers import record_message_boxes, type_text, when_modal

TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def no_blocking_boxes(monkeypatch):
    return record_message_boxes(monkeypatch)


@pytest.fixture
def branch(book):
    ids = {}
    for name in ("李书记", "王委员", "张委员", "赵一", "钱二", "孙三", "周四"):
        ids[name] = book.roster.add(Member(name=name, join_date=dt.date(2000, 1, 1)))
    ids["预备甲"] = book.roster.add(
        Member(name="预备甲", category=Category.PROBATIONARY, join_date=TODAY.replace(day=1))
    )
    book.branch.save_post(CommitteePost(ids["李书记"], "李书记", "书记"))
    book.branch.save_post(CommitteePost(ids["王委员"], "王委员", "组织委员"))
    book.branch.save_post(CommitteePost(ids["张委员"], "张委员", "宣传委员"))
    return ids


def open_page(qtbot, book) -> TalksArea:
    page = TalksArea(book)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    qtbot.waitExposed(page)
    return page


def tick(qtbot, picker, name: str) -> None:
    """Filter the list by typing the name, then tick the one shown with the space bar."""
    type_text(qtbot, picker.filter, name)
    item = next(i for i in picker.items.values() if not i.isHidden())
    picker.list.setFocus()
    picker.list.setCurrentItem(item)
    qtbot.keyClick(picker.list, Qt.Key.Key_Space)
    picker.filter.clear()


def test_record_a_talk_and_the_matrix_cell_turns_green(qtbot, book, branch):
    page = open_page(qtbot, book)
    page.tabs.setCurrentWidget(page.coverage)
    sec, member = branch["李书记"], branch["钱二"]
    assert page.coverage.state_of(sec, member) == "missing"
    assert page.coverage.state_of(branch["王委员"], member) == "not_required"
    page.tabs.setCurrentWidget(page.list)
    summary = "谈了近期工作和家庭情况，对方表示压力较大。" * 100  # a long summary, typed

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, TalkForm)
        assert "不是纪律检查中的约谈、诫勉谈话" in dialog.note.text()
        tick(qtbot, dialog.talkers, "李书记")
        tick(qtbot, dialog.others, "钱二")
        type_text(qtbot, dialog.topic, "工作和家庭情况")
        type_text(qtbot, dialog.place, "书记办公室")
        type_text(qtbot, dialog.summary, summary)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    done = when_modal(qtbot, fill)
    qtbot.mouseClick(page.list.new_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(done), timeout=20000)
    talks = book.talks.talks(TODAY.year)
    assert len(talks) == 1
    assert talks[0].talkers == (sec,) and talks[0].others == (member,)
    assert talks[0].summary == summary and talks[0].place == "书记办公室"
    assert book.drafts.load("talk-new") is None  # saved: the draft is gone
    page.tabs.setCurrentWidget(page.coverage)
    assert page.coverage.state_of(sec, member) == "done"
    assert page.list.model.rowCount() == 1
    page.coverage.as_list.click()
    assert page.coverage.views.currentWidget() is page.coverage.list


def test_double_click_a_red_cell_opens_the_form_for_that_pair(qtbot, book, branch):
    page = open_page(qtbot, book)
    page.tabs.setCurrentWidget(page.coverage)
    cov = page.coverage.cov
    row, column = cov.talkers.index(branch["李书记"]), cov.members.index(branch["孙三"])
    seen = []

    def look(dialog):
        seen.append((dialog.talkers.chosen(), dialog.others.chosen()))
        dialog.done(0)

    done = when_modal(qtbot, look)
    page.coverage.matrix.cellDoubleClicked.emit(row, column)
    qtbot.waitUntil(lambda: bool(done), timeout=10000)
    assert seen == [([branch["李书记"]], [branch["孙三"]])]


def test_a_talk_draft_survives_a_crash_inside_the_book(qtbot, book, branch, tmp_path):
    form = TalkForm(book)
    qtbot.addWidget(form)
    form.show()
    type_text(qtbot, form.topic, "思想波动")
    type_text(qtbot, form.summary, "最近情绪低落，谈到家中变故")
    qtbot.waitUntil(lambda: book.drafts.load("talk-new") is not None, timeout=5000)
    qtbot.waitUntil(
        lambda: (book.drafts.load("talk-new") or {}).get("summary") == "最近情绪低落，谈到家中变故",
        timeout=5000,
    )
    form.hide()  # the window dies without saving or discarding (a crash)
    for path in tmp_path.rglob("*"):
        if path.is_file() and not path.name.startswith("book.db"):
            assert "情绪低落".encode() not in path.read_bytes(), path
    again = TalkForm(book)
    qtbot.addWidget(again)
    assert again.restored_draft
    assert again.summary.toPlainText() == "最近情绪低落，谈到家中变故"
    assert again.topic.text() == "思想波动"


def cell_editor(table) -> QLineEdit | None:
    """The open cell editor: a line edit directly on the viewport (not a combo's own)."""
    direct = Qt.FindChildOption.FindDirectChildrenOnly
    shown = [e for e in table.viewport().findChildren(QLineEdit, "", direct) if e.isVisible()]
    return shown[0] if shown else None


def edit_cell(qtbot, table, row: int, column: int, text: str) -> None:
    """Double-click a cell, type into its editor as a person does, then press Enter."""
    index = table.model().index(row, column)
    table.scrollTo(index)
    rect = table.visualRect(index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: cell_editor(table) is not None, timeout=2000)
    editor = cell_editor(table)
    assert editor is not None, "the cell did not open for editing"
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: cell_editor(table) is None, timeout=2000)
    assert table.item(row, column).text() == text


def test_enter_a_tally_see_the_third_warning_and_print(qtbot, book, branch):
    year = TODAY.year
    book.appraisal.start(year, TODAY)
    page = open_page(qtbot, book)
    page.tabs.setCurrentWidget(page.appraisal)
    view = page.appraisal
    view.set_year(year)
    rated = [r for r in view.rows if r.participant.rated]
    assert len(rated) == 7 and len(view.rows) == 8
    view.issued.setFocus()
    view.issued.selectAll()
    qtbot.keyClicks(view.issued, "8")
    view.returned.selectAll()
    qtbot.keyClicks(view.returned, "8")
    first = view.rows.index(rated[0])
    edit_cell(qtbot, view.table, first, 2, "9")  # more than the 8 returned
    assert "超过收回的 8 张测评表" in view.checks.text()
    edit_cell(qtbot, view.table, first, 2, "6")
    edit_cell(qtbot, view.table, first, 3, "2")
    assert "超过" not in view.checks.text()
    # Three of seven rated 优秀: more than a third.
    for row in rated[:3]:
        r = view.rows.index(row)
        for column in (6, 7):
            combo = view.combo(r, column)
            combo.setFocus()
            qtbot.keyClick(combo, Qt.Key.Key_Down)  # "" → 优秀
            assert combo.currentText() == "优秀"
    assert EXCELLENT_RULE in view.checks.text()
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    session = book.appraisal.session(year)
    assert (session.issued, session.returned) == (8, 8)
    assert session.results[rated[0].participant.member_id].tally.count("优秀") == 6
    assert sum(1 for r in session.results.values() if r.rating.final == "优秀") == 3
    # The 预备党员 row cannot be rated.
    probationary = next(r for r in view.rows if not r.participant.rated)
    assert not view.combo(view.rows.index(probationary), 7).isEnabled()

    qtbot.mouseClick(view.ballot_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(view, "last_preview", None) is not None, timeout=20000)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(view.last_preview.pdf)).pages)
    assert "民主评议党员测评表" in text and "赵一" in text and "预备甲" not in text
    view.last_preview.done(0)
    view.last_preview = None
    qtbot.mouseClick(view.result_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(view, "last_preview", None) is not None, timeout=20000)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(view.last_preview.pdf)).pages)
    assert "民主评议党员结果汇总表" in text and "预备党员，不评定等次" in text
    view.last_preview.done(0)


def button(parent, text: str) -> QPushButton:
    return next(b for b in parent.findChildren(QPushButton) if b.text() == text)


def test_rectification_list_and_reminder_target(qtbot, book, branch):
    from branchdesk.areas import Target

    page = open_page(qtbot, book)
    page.show_target(Target("talks", "rectification", None))
    assert page.tabs.currentWidget() is page.life
    life = page.life
    qtbot.mouseClick(
        next(
            b for b in life.findChildren(type(page.list.new_button)) if b.text() == "添加整改事项"
        ),
        Qt.MouseButton.LeftButton,
    )
    row = life.items.rowCount() - 1
    edit_cell(qtbot, life.items, row, 0, "xuexi")
    edit_cell(qtbot, life.items, row, 3, "2020-01-31")
    qtbot.mouseClick(
        next(
            b for b in life.findChildren(type(page.list.new_button)) if b.text() == "保存整改清单"
        ),
        Qt.MouseButton.LeftButton,
    )
    items = book.appraisal.rectifications(life.current_year)
    assert [i.problem for i in items] == ["xuexi"] and items[0].due == dt.date(2020, 1, 31)
    from branchdesk.areas.talks.reminders import RECTIFY_GROUP, reminders

    assert any(r.group == RECTIFY_GROUP for r in reminders(book, TODAY))


def test_exclude_a_member_and_link_the_meeting(qtbot, book, branch, monkeypatch):
    from PySide6.QtWidgets import QComboBox, QInputDialog

    from branchdesk.domain.meetings import Meeting, MeetingType
    from branchdesk.domain.minutes import MeetingRecord

    year = TODAY.year
    meeting_id = book.meetings.save(
        MeetingRecord(
            Meeting(date=TODAY, types=frozenset({MeetingType.GENERAL}), title="审议民主评议结果")
        )  # fmt: skip
    )
    book.appraisal.start(year, TODAY)
    page = open_page(qtbot, book)
    page.tabs.setCurrentWidget(page.appraisal)
    view = page.appraisal
    view.set_year(year)
    row = next(i for i, r in enumerate(view.rows) if r.participant.name == "周四")
    view.table.setCurrentCell(row, 0)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("长期病休", True))
    qtbot.mouseClick(view.exclude_button, Qt.MouseButton.LeftButton)
    people = {p.name: p for p in book.appraisal.participants(year)}
    assert people["周四"].excluded_reason == "长期病休" and not people["周四"].rated
    row = next(i for i, r in enumerate(view.rows) if r.participant.name == "周四")
    assert "不参评" in view.table.item(row, 1).text()
    step_row = next(r for r in range(view.steps.rowCount())
                    if view.steps.item(r, 0).text() == "支部党员大会审议")  # fmt: skip
    link = view.steps.cellWidget(step_row, 4)
    assert isinstance(link, QComboBox)
    link.setFocus()
    qtbot.keyClick(link, Qt.Key.Key_Down)
    qtbot.mouseClick(view.save_steps_button, Qt.MouseButton.LeftButton)
    assert book.appraisal.session(year).step("支部党员大会审议").meeting_id == meeting_id


def test_attach_a_scan_then_print_the_record_and_the_register(qtbot, book, branch, tmp_path,
                                                               monkeypatch):  # fmt: skip
    from PySide6.QtWidgets import QFileDialog

    scan = tmp_path / "签字扫描.pdf"
    scan.write_bytes(b"%PDF-1.4 scan")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(scan)], ""))
    form = TalkForm(book, talker=branch["李书记"], other=branch["赵一"])
    qtbot.addWidget(form)
    form.show()
    type_text(qtbot, form.topic, "岗位调整")
    type_text(qtbot, form.summary, "谈岗位调整后的打算。")
    qtbot.mouseClick(form.attachments.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.attachments.list.count() == 1, timeout=10000)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.saved_id is not None
    assert [a.name for a in book.talks.attachments(form.saved_id)] == ["签字扫描.pdf"]
    page = open_page(qtbot, book)
    page.list.table.selectRow(0)
    qtbot.mouseClick(page.list.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(page.list, "last_preview", None) is not None, timeout=20000)
    text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(page.list.last_preview.pdf)).pages
    )
    assert "谈心谈话记录表" in text and "谈岗位调整后的打算" in text and "谈话对象签字" in text
    page.list.last_preview.done(0)
    page.list.last_preview = None
    qtbot.mouseClick(page.list.register_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(page.list, "last_preview", None) is not None, timeout=20000)
    text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(page.list.last_preview.pdf)).pages
    )
    assert "谈心谈话情况登记表" in text and "岗位调整" in text
    assert "谈岗位调整后的打算" not in text
    page.list.last_preview.done(0)


def test_settings_twice_a_year_and_an_old_kind_kept(qtbot, book, branch):
    from branchdesk.domain.talks import Talk
    from branchdesk.ui.talks.settings import TalkSettings

    talk_id = book.talks.save(
        Talk(TODAY, (branch["李书记"],), (branch["赵一"],), "家庭困难", "困难帮扶")
    )
    settings = TalkSettings(book)
    qtbot.addWidget(settings)
    settings.show()
    settings.minimum.setFocus()
    qtbot.keyClick(settings.minimum, Qt.Key.Key_Down)  # 每年至少 2 次
    settings.kinds.selectAll()
    type_text(qtbot, settings.kinds, "日常谈心")
    qtbot.mouseClick(settings.save_button, Qt.MouseButton.LeftButton)
    assert book.talks.rules().minimum == 2
    assert "家庭困难" not in book.talks.kinds()
    page = open_page(qtbot, book)
    page.tabs.setCurrentWidget(page.coverage)
    assert page.coverage.state_of(branch["李书记"], branch["赵一"]) == "missing"  # 1 of 2
    form = TalkForm(book, book.talks.get(talk_id))
    qtbot.addWidget(form)
    assert form.kind.currentText() == "家庭困难"  # not silently changed on edit
    type_text(qtbot, form.views, "希望得到帮扶")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.saved_id == talk_id, form.error.text()
    assert book.talks.get(talk_id).kind == "家庭困难"
    assert book.talks.get(talk_id).views == "希望得到帮扶"


def test_life_meeting_tab_takes_the_recorded_meeting_date(qtbot, book, branch):
    from branchdesk.domain.meetings import Meeting, MeetingType
    from branchdesk.domain.minutes import MeetingRecord
    from branchdesk.domain.talks import PRE_MEETING, Talk

    year = TODAY.year - 1
    held = dt.date(year + 1, 1, 10)  # last year's 组织生活会, held in January
    book.meetings.save(
        MeetingRecord(
            Meeting(
                date=held,
                types=frozenset({MeetingType.ORG_LIFE}),
                title="组织生活会",
                belongs_to_year=year,
            )
        )  # fmt: skip
    )
    book.talks.save(Talk(dt.date(year + 1, 1, 5), (branch["李书记"],), (branch["赵一"],),
                         PRE_MEETING, "会前谈心", year=year))  # fmt: skip
    page = open_page(qtbot, book)
    page.tabs.setCurrentWidget(page.life)
    page.life.set_year(year)
    assert page.life.meeting_date.date() == held
    assert "已于" in page.life.meeting_note.text()
    text = page.life.pre_talks.text()
    assert "尚缺" in text and "李书记—赵一" not in text and "李书记—钱二" in text


def test_talk_reminders_on_the_dashboard_open_their_tab(qtbot, demo_book):
    from branchdesk.areas.talks.reminders import COVERAGE_GROUP, DUE_GROUP, RECTIFY_GROUP
    from branchdesk.ui.main_window import MainWindow

    w = MainWindow(demo_book)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: RECTIFY_GROUP in w.dashboard.group_counts(), timeout=10000)
    counts = w.dashboard.group_counts()
    assert counts[COVERAGE_GROUP] == 1 and counts[DUE_GROUP] >= 1
    tree = w.dashboard.tree

    def click(group_name: str):
        group = next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
                     if tree.topLevelItem(i).text(0).startswith(group_name + "（"))  # fmt: skip
        child = group.child(0)
        tree.scrollToItem(child)
        rect = tree.visualItemRect(child)
        qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        return w.page("谈心谈话")

    page = click(RECTIFY_GROUP)
    assert w.nav_titles[w.stack.currentIndex()] == "谈心谈话"
    assert page.tabs.currentWidget() is page.life
    assert page.life.current_year == TODAY.year - 1  # the year the overdue item belongs to
    w.show_page("工作台")
    page = click(COVERAGE_GROUP)
    assert page.tabs.currentWidget() is page.coverage


def test_unqualified_needs_its_handling_typed(qtbot, book, branch):
    from branchdesk.domain.appraisal import UNQUALIFIED_RULE

    year = TODAY.year
    book.appraisal.start(year, TODAY)
    page = open_page(qtbot, book)
    page.tabs.setCurrentWidget(page.appraisal)
    view = page.appraisal
    view.set_year(year)
    r = next(i for i, row in enumerate(view.rows) if row.participant.name == "钱二")
    final = view.combo(r, 7)
    final.setFocus()
    for _ in range(4):  # "" → 优秀 → 合格 → 基本合格 → 不合格
        qtbot.keyClick(final, Qt.Key.Key_Down)
    assert final.currentText() == "不合格"
    assert (
        "处置方式" in view.checks.text() and UNQUALIFIED_RULE.split("（")[0] in view.checks.text()
    )
    edit_cell(qtbot, view.table, r, 8, "xqgz")
    assert "处置方式" not in view.checks.text()
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    assert book.appraisal.session(year).results[branch["钱二"]].rating.handling == "xqgz"


def test_talk_photos_are_decoded_and_thumbnailed_off_the_gui_thread(qtbot, book, branch,
                                                                   tmp_path):  # fmt: skip
    """The talk form shares the meeting form's attachments widget: a large photo is decoded,
    shrunk and thumbnailed in a worker, and a reopened talk's thumbnails come from one too."""
    import threading

    from PySide6.QtGui import QImage

    import branchdesk.ui.attachments as attachments

    photo = tmp_path / "谈话现场.png"
    image = QImage(4000, 3000, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.darkGreen)
    assert image.save(str(photo))
    threads: list[str] = []
    real = attachments.thumbnail

    def watched(mime, data, side=attachments.THUMB):
        threads.append(threading.current_thread().name)
        return real(mime, data, side)

    main = threading.current_thread().name
    form = TalkForm(book, talker=branch["李书记"], other=branch["赵一"])
    qtbot.addWidget(form)
    form.show()
    type_text(qtbot, form.topic, "工作情况")
    type_text(qtbot, form.summary, "谈工作。")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(attachments, "thumbnail", watched)
        form.attachments.add_file(photo)
        # add_file returned before the photo was decoded: the GUI thread did not do it.
        assert form.attachments.list.count() == 0 and form.attachments.loading == 1
        qtbot.waitUntil(lambda: form.attachments.list.count() == 1, timeout=20000)
        assert not form.attachments.list.item(0).icon().isNull()
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
        assert form.saved_id is not None
        (info,) = book.talks.attachments(form.saved_id)
        assert (info.name, info.mime) == ("谈话现场.jpg", "image/jpeg")  # shrunk to 2000 px
        stored = QImage.fromData(book.talks.attachment_data(info.id))
        assert max(stored.width(), stored.height()) == attachments.MAX_SIDE
        # Reopened: listed at once, the thumbnail follows from a worker.
        again = TalkForm(book, talk=book.talks.get(form.saved_id))
        qtbot.addWidget(again)
        widget = again.attachments
        assert widget.list.count() == 1 and widget.loading == 1
        qtbot.waitUntil(lambda: widget.loading == 0, timeout=20000)
        assert "KB" in widget.list.item(0).toolTip()
    assert len(threads) == 2 and main not in threads, threads
