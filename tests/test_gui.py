"""GUI tests: type and click in the real window, then check the book."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from branchdesk.app import choose_book
from branchdesk.store import open_book
from branchdesk.ui.first_start import FirstStartDialog
from branchdesk.ui.main_window import MainWindow
from branchdesk.ui.roster.member_dialog import MemberDialog
from qt_helpers import record_message_boxes, roll_shown, type_text, when_modal
from xlsx_samples import SAMPLE_HEADERS, make_sample_rows, write_rows


@pytest.fixture(autouse=True)
def no_blocking_boxes(monkeypatch):
    return record_message_boxes(monkeypatch)


@pytest.fixture
def window(qtbot, book):
    w = MainWindow(book)
    qtbot.addWidget(w)
    w.show()
    return w


def test_first_start_creates_a_book(qtbot, tmp_path, monkeypatch):
    target = tmp_path / "sub" / "branchdesk.db"

    def fill(self):
        type_text(qtbot, self.branch_name, "第三党支部")
        type_text(qtbot, self.parent_org, "机关党委")
        qtbot.mouseClick(self.create_button, Qt.MouseButton.LeftButton)
        return self.result()

    monkeypatch.setattr(FirstStartDialog, "exec", fill)
    path, how = choose_book(target)
    assert (path, how) == (target, "create")
    book = open_book(target)
    assert book.branch.profile().name == "第三党支部"
    assert book.branch.profile().parent_org == "机关党委"
    book.close(backup=False)


def test_first_start_needs_a_branch_name(qtbot, tmp_path):
    dialog = FirstStartDialog(tmp_path / "x.db")
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.choice is None and "支部名称" in dialog.error.text()


def test_first_start_demo_opens_a_separate_demo_book(qtbot, tmp_path, monkeypatch):
    def pick_demo(self):
        qtbot.mouseClick(self.demo_button, Qt.MouseButton.LeftButton)
        return self.result()

    monkeypatch.setattr(FirstStartDialog, "exec", pick_demo)
    target = tmp_path / "mine.db"
    path, how = choose_book(target)
    assert how == "demo" and path != target and not target.exists()
    book = open_book(path)
    assert book.roster.count() == 25
    book.close(backup=False)


def test_navigation_shows_every_area(window):
    for i, name in enumerate(window.nav_titles):
        window.nav.setCurrentRow(i)
        assert window.stack.currentIndex() == i, name
    from PySide6.QtWidgets import QLabel

    points = window.stack.widget(window.nav_titles.index("积分管理"))
    assert not any("尚未完成" in label.text() for label in points.findChildren(QLabel))
    from branchdesk.ui.talks.page import TalksArea

    assert isinstance(window.stack.widget(window.nav_titles.index("谈心谈话")), TalksArea)
    archive = window.stack.widget(window.nav_titles.index("档案"))
    assert not any("尚未完成" in label.text() for label in archive.findChildren(QLabel))


def test_add_member_by_typing(qtbot, window, book):
    window.show_page("党员名册")
    page = window.roster

    def fill(dialog: MemberDialog):
        type_text(qtbot, dialog.name, "阿依古丽·买买提")
        qtbot.keyClicks(dialog.id_number, "110105199005010587")
        dialog.id_number.editingFinished.emit()
        qtbot.keyClicks(dialog.join_date, "2013.7.1")
        type_text(qtbot, dialog.full_date, "2014年7月1日")
        type_text(qtbot, dialog.post, "三级主任科员")
        qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    when_modal(qtbot, fill)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    (m,) = book.roster.members()
    assert m.name == "阿依古丽·买买提"
    assert m.join_date == dt.date(2013, 7, 1) and m.full_date == dt.date(2014, 7, 1)
    assert m.birth_date == dt.date(1990, 5, 1) and m.gender == "女"  # filled from the ID
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)  # the page read the roll again
    id_col = page.model.ID
    assert "110105199005010587" not in page.model.index(0, id_col).data()  # masked
    assert page.model.index(0, id_col).data().endswith("0587")


def test_invalid_member_is_not_saved_and_says_why(qtbot, window, book):
    window.show_page("党员名册")
    seen = []

    def fill(dialog: MemberDialog):
        type_text(qtbot, dialog.name, "张三")
        qtbot.keyClicks(dialog.birth, "2005-01-01")
        qtbot.keyClicks(dialog.join_date, "2019-07-01")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        seen.append(dialog.error.text())
        dialog.done(0)

    when_modal(qtbot, fill)
    qtbot.mouseClick(window.roster.add_button, Qt.MouseButton.LeftButton)
    assert "入党日期" in seen[0] and "18" in seen[0]
    assert book.roster.count() == 0


def test_filter_by_pinyin_initials_and_group(qtbot, demo_book):
    w = MainWindow(demo_book)
    qtbot.addWidget(w)
    page = w.roster
    roll_shown(qtbot, page)
    qtbot.keyClicks(page.search, "zw")
    names = [r.member.name for r in page.model.rows]
    assert names == ["张伟"]
    page.search.clear()
    type_text(qtbot, page.search, "王")
    assert [r.member.name for r in page.model.rows] == ["王芳"]
    page.search.clear()
    page.group.setCurrentIndex(page.group.findText("第三党小组"))
    assert {r.member.group_name for r in page.model.rows} == {"第三党小组"}
    assert "谢文" not in [r.member.name for r in page.model.rows]  # transferred out
    page.group.setCurrentIndex(0)
    page.include_left.setChecked(True)
    assert "谢文" in [r.member.name for r in page.model.rows]


def test_roster_sorted_by_strokes_then_by_join_date(qtbot, demo_book):
    w = MainWindow(demo_book)
    qtbot.addWidget(w)
    page = w.roster
    roll_shown(qtbot, page)
    names = [r.member.name for r in page.model.rows]
    assert names.index("马晓东") < names.index("王芳") < names.index("刘洋") < names.index("胡志强")
    page.sort.setCurrentText("按入党日期")
    roll_shown(qtbot, page)
    joins = [r.member.join_date for r in page.model.rows]
    assert joins == sorted(joins)


def test_record_transfer_out(qtbot, demo_book):
    w = MainWindow(demo_book)
    qtbot.addWidget(w)
    page = w.roster
    roll_shown(qtbot, page)
    type_text(qtbot, page.search, "王芳")
    page.table.selectRow(0)

    def fill(dialog):
        dialog.kind.setCurrentText("转出")
        qtbot.keyClicks(dialog.date, "2026-10-08")
        type_text(qtbot, dialog.note, "调任市财政局")
        dialog.save()

    when_modal(qtbot, fill)
    qtbot.mouseClick(page.event_button, Qt.MouseButton.LeftButton)
    wang = next(m for m in demo_book.roster.members() if m.name == "王芳")
    assert not wang.belongs_on(dt.date(2026, 10, 8)) and wang.belongs_on(dt.date(2026, 10, 7))


def _xlsx(path: Path, rows) -> Path:
    write_rows(path, SAMPLE_HEADERS, rows, title_rows=["某某党支部党员名册"])
    return path


def test_import_with_errors_then_fix_and_import_again(
    qtbot, window, book, tmp_path, monkeypatch, no_blocking_boxes
):
    page = window.roster
    window.show_page("党员名册")
    rows = [list(r) for r in make_sample_rows(12, seed=5)]
    broken = [list(r) for r in rows]
    broken[2][SAMPLE_HEADERS.index("公民身份号码")] = "110105199001010000"
    bad = _xlsx(tmp_path / "bad.xlsx", broken)

    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.import_dialog is not None, timeout=10000)
    dialog = page.import_dialog
    assert not dialog.import_button.isEnabled()
    cells = [
        dialog.table.item(r, c).text() for r in range(dialog.table.rowCount()) for c in range(5)
    ]
    assert "错误" in cells and "5" in cells and "身份证号" in " ".join(cells)
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert book.roster.count() == 0

    good = _xlsx(tmp_path / "good.xlsx", rows)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(good), ""))
    page.import_dialog = None
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.import_dialog is not None, timeout=10000)
    assert page.import_dialog.import_button.isEnabled()
    qtbot.mouseClick(page.import_dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any("导入完成" in t for _, t in no_blocking_boxes), timeout=15000)
    assert book.roster.count() == 12
    qtbot.waitUntil(lambda: len(page.all_rows) == 12)


def test_settings_edit_profile_and_add_group(qtbot, window, book):
    window.show_page("设置")
    s = window.settings
    s.branch_name.clear()
    type_text(qtbot, s.branch_name, "改名后的支部")
    s.save_profile()
    assert book.branch.profile().name == "改名后的支部"
    assert "改名后的支部" in window.windowTitle()

    def fill(dialog):
        type_text(qtbot, dialog.name, "第四党小组")
        dialog.save()

    when_modal(qtbot, fill)
    s.add_group()
    assert [g.name for g in book.branch.groups()] == ["第四党小组"]
    assert window.roster.group.findText("第四党小组") >= 0


def test_closing_the_window_backs_up(qtbot, book, book_path):
    from branchdesk.domain.members import Member

    w = MainWindow(book)
    qtbot.addWidget(w)
    book.roster.add(Member(name="甲"))
    w.close()
    # The backup runs in the background; the window closes when it is done.
    qtbot.waitUntil(lambda: book.closed, timeout=10000)
    assert len(list((book_path.parent / "book-backups").glob("*.db"))) == 1


def test_second_window_on_the_same_book_is_told_it_is_open(
    qtbot, book_path, monkeypatch, no_blocking_boxes
):
    import sys

    from branchdesk import app as app_module
    from branchdesk.store import create_book
    from branchdesk.store.lock import BookLock

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # main() installs its own
    create_book(book_path, "支部").close(backup=False)
    with BookLock(book_path):  # the first window
        code = app_module.main(["--data", str(book_path)])
    assert code == 1
    assert any("另一个窗口" in text for kind, text in no_blocking_boxes if kind == "critical")


def test_unexpected_error_is_logged_and_explained(qtbot, tmp_path, monkeypatch):
    import sys

    from branchdesk.ui import errors

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(self.text()) or 0)
    log = errors.setup_logging(tmp_path / "logs")
    errors.install_excepthook(log)
    try:
        raise RuntimeError("模拟的错误")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    assert shown == ["程序遇到了一个意外错误。"]
    text = log.read_text(encoding="utf-8")
    # Where it failed is logged; the message is not (it may name a member).
    assert "RuntimeError" in text and "test_unexpected_error_is_logged_and_explained" in text
    assert "模拟的错误" not in text
    if os.name == "posix":
        assert stat.S_IMODE(log.stat().st_mode) == 0o600
        assert stat.S_IMODE(log.parent.stat().st_mode) == 0o700


def test_typed_member_survives_a_crash_as_a_draft(qtbot, book, no_blocking_boxes):
    first = MemberDialog(book)
    qtbot.addWidget(first)
    type_text(qtbot, first.name, "林堃")
    qtbot.keyClicks(first.join_date, "2011-06-29")
    qtbot.waitUntil(lambda: first.drafts.load("member-new") is not None, timeout=3000)
    # The program dies here: no save, no cancel. Next time the form opens:
    again = MemberDialog(book)
    qtbot.addWidget(again)
    assert again.restored_draft
    assert any("林堃" in text for kind, text in no_blocking_boxes if kind == "question")
    assert again.name.text() == "林堃" and again.join_date.text() == "2011-06-29"
    again.save()
    assert [m.name for m in book.roster.members()] == ["林堃"]
    assert again.drafts.load("member-new") is None


def test_print_roster_opens_preview_and_saves_pdf(
    qtbot, demo_book, tmp_path, monkeypatch, no_blocking_boxes
):
    from pypdf import PdfReader
    from PySide6.QtWidgets import QFileDialog

    w = MainWindow(demo_book)
    qtbot.addWidget(w)
    page = w.roster

    def choose(dialog):
        dialog.order.setCurrentIndex(dialog.order.findData("joined"))
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    when_modal(qtbot, choose)
    qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(page, "last_preview", None) is not None, timeout=20000)
    preview = page.last_preview
    assert preview.count.text() == f"共 {len(preview.images)} 页" and preview.images
    assert preview.images[0].pixelColor(5, 5).name() == "#ffffff"  # white paper
    target = tmp_path / "花名册.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    qtbot.mouseClick(preview.save_button, Qt.MouseButton.LeftButton)
    text = "".join(p.extract_text() for p in PdfReader(target).pages)
    assert "党员花名册" in text
    assert text.index("梁秀英") < text.index("马晓东")  # ordered by 入党日期 as chosen
    if os.name == "posix":  # a roster PDF may hold ID numbers: only the user reads it
        assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_print_to_a_pdf_printer(qtbot, demo_book, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    from branchdesk.areas.roster.jobs import signin_pdf_for
    from branchdesk.ui.print_preview import PrintPreviewDialog

    pdf = signin_pdf_for(demo_book, "党课", dt.date(2026, 12, 1), "会议室")
    preview = PrintPreviewDialog(pdf.data, "签到表", "签到表.pdf")
    qtbot.addWidget(preview)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    preview.print_to(printer)
    qtbot.waitUntil(lambda: preview.printed is not None, timeout=30000)  # page by page
    assert preview.printed == pdf.pages
    from pypdf import PdfReader

    assert len(PdfReader(out).pages) == pdf.pages


def test_choose_print_font_per_role(qtbot, window, book):
    window.show_page("设置")
    fonts = window.settings.fonts
    window.settings.tabs.setCurrentWidget(fonts)
    qtbot.waitUntil(lambda: fonts.combos["正文"].isEnabled(), timeout=30000)
    combo = fonts.combos["正文"]
    # each role says which font it prints in and why, before anything is chosen
    qtbot.waitUntil(lambda: fonts.reasons["楷体"].text() != "", timeout=30000)
    assert all(fonts.reasons[r].text().startswith(("本机的", "附带的")) for r in fonts.reasons)
    bundled = next(
        i
        for i in range(combo.count())
        if "程序自带" in combo.itemText(i) and "wqy-microhei.ttc" in combo.itemText(i)
    )
    combo.setCurrentIndex(bundled)
    assert book.settings.get("font.正文").endswith("wqy-microhei.ttc")
    assert fonts.samples["正文"].text().startswith("中国共产党")
    qtbot.waitUntil(lambda: fonts.reasons["正文"].text().startswith("设置中选定的"), timeout=30000)
    combo.setCurrentIndex(0)
    assert book.settings.get("font.正文") == ""
    # the 归档章 values the book cannot work out are set on the same page
    qtbot.keyClicks(fonts.fonds, "J001")
    fonts.fonds.editingFinished.emit()
    fonts.retention.setCurrentText("10年")
    fonts.stamp.setChecked(True)
    assert book.settings.get("archive.fonds") == "J001"
    assert book.settings.get("archive.retention.minutes") == "10年"
    assert book.settings.get("archive.stamp") == "1"


def test_calendar_shows_held_and_missing_and_dashboard_reminds(qtbot, demo_book):
    w = MainWindow(demo_book)
    qtbot.addWidget(w)
    w.show()  # the reminders are computed after the first paint
    w.show_page("会议记录")
    cal = w.page("会议记录").calendar
    cal.year.setValue(2026)
    qtbot.waitUntil(lambda: cal.shown is not None and cal.shown.year == 2026 and not cal.busy)
    labels = [cal.table.verticalHeaderItem(r).text() for r in range(cal.table.rowCount())]
    assert "支委会" in labels and "党小组会（第三党小组）" in labels
    row = labels.index("党小组会（第三党小组）")
    assert cal.table.item(row, 7).data(Qt.ItemDataRole.UserRole) == "未开展"  # August
    assert cal.table.item(row, 6).data(Qt.ItemDataRole.UserRole) == "已开展"  # July
    if dt.date.today().year == 2026:  # the demo's gap is in August 2026
        qtbot.waitUntil(
            lambda: any("第三党小组" in r.text for r in w.dashboard.reminders), timeout=5000
        )


def test_the_calendar_is_computed_on_a_worker_and_follows_a_saved_meeting(
    qtbot, demo_book, monkeypatch
):
    """The 年度落实情况 page computes on a worker thread (it reads every member's last
    attendance), fills in when ready, and shows a meeting saved meanwhile: the third
    group's missing August turns 已开展."""
    import threading

    from branchdesk.domain.meetings import Meeting, MeetingType, Scope
    from branchdesk.domain.minutes import MeetingRecord
    from branchdesk.ui.meetings import calendar

    threads: list[int] = []
    real = calendar.compute

    def compute(book, year, today):  # type: ignore[no-untyped-def]
        threads.append(threading.get_ident())
        return real(book, year, today)

    monkeypatch.setattr(calendar, "compute", compute)
    w = MainWindow(demo_book)
    qtbot.addWidget(w)
    w.show_page("会议记录")
    cal = w.page("会议记录").calendar
    cal.year.setValue(2026)
    qtbot.waitUntil(lambda: cal.shown is not None and cal.shown.year == 2026 and not cal.busy)
    assert threads and threading.get_ident() not in threads
    labels = [cal.table.verticalHeaderItem(r).text() for r in range(cal.table.rowCount())]
    row = labels.index("党小组会（第三党小组）")
    assert cal.table.item(row, 7).data(Qt.ItemDataRole.UserRole) == "未开展"
    group = next(g for g in demo_book.branch.groups() if g.name == "第三党小组")
    shown = cal.shown
    demo_book.meetings.save(
        MeetingRecord(
            meeting=Meeting(
                title="第三党小组8月党小组会",
                types=frozenset({MeetingType.GROUP}),
                date=dt.date(2026, 8, 20),
                scope=Scope.GROUP,
                group_id=group.id,
            ),
            place="小会议室",
            host="组长",
            recorder="组长",
        )  # fmt: skip
    )
    qtbot.waitUntil(lambda: cal.shown is not shown and not cal.busy)
    assert cal.table.item(row, 7).data(Qt.ItemDataRole.UserRole) == "已开展"


def test_meeting_frequency_setting_changes_the_calendar(qtbot, demo_book):
    from branchdesk.areas.meetings.rules import calendar_for
    from branchdesk.domain.meetings import MeetingType

    w = MainWindow(demo_book)
    qtbot.addWidget(w)
    w.show_page("设置")
    combos = w.settings.area_tabs["会议频次"].combos
    assert combos[MeetingType.LECTURE].currentData() == "quarter"  # docs/domain.md default
    combos[MeetingType.LECTURE].setCurrentIndex(combos[MeetingType.LECTURE].findData("month"))
    grid = calendar_for(demo_book, 2026, dt.date(2026, 11, 22))
    lecture = next(r for r in grid["rows"] if r["type"] == "党课")
    assert len(lecture["cells"]) == 12
    combos[MeetingType.LECTURE].setCurrentIndex(combos[MeetingType.LECTURE].findData("none"))
    grid = calendar_for(demo_book, 2026, dt.date(2026, 11, 22))
    assert all(r["type"] != "党课" for r in grid["rows"])


def test_a_busy_or_full_book_is_a_plain_warning_not_a_crash(qtbot, tmp_path, monkeypatch):
    import sys

    from branchdesk.store.sqlerrors import DISK_FULL_MESSAGE, DiskFullError
    from branchdesk.ui import errors

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(self.text()) or 0)
    errors.install_excepthook(errors.setup_logging(tmp_path / "logs"))
    try:
        raise DiskFullError(DISK_FULL_MESSAGE)
    except DiskFullError:
        sys.excepthook(*sys.exc_info())
    assert shown == [f"刚才的操作没有完成：{DISK_FULL_MESSAGE}"]
