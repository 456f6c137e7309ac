"""Every window and dialog fits a small laptop screen: on 1366×768 and 1024×700 (each with
a 40 px taskbar) the buttons lie inside the screen, with room for the title bar."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

import branchdesk.ui.screen as screen_fit
from qt_helpers import record_message_boxes

SCREENS = {"1366x768": QRect(0, 0, 1366, 768 - 40), "1024x700": QRect(0, 0, 1024, 700 - 40)}


@pytest.fixture(autouse=True)
def no_blocking_boxes(monkeypatch):
    return record_message_boxes(monkeypatch)


@pytest.fixture(autouse=True)
def app_font(qapp):
    """The application's own (larger) body font, as setup_qt sets it."""
    from branchdesk.ui.fonts import apply_app_font

    app = QApplication.instance()
    before = app.font()
    apply_app_font(app, None)
    yield
    app.setFont(before)


@pytest.fixture(params=list(SCREENS))
def screen(request, monkeypatch) -> QRect:
    area = SCREENS[request.param]
    monkeypatch.setattr(screen_fit, "available_geometry", lambda _w=None: area)
    return area


def assert_fits(window: QWidget, area: QRect, *, has_buttons: bool = True) -> None:
    window.show()
    QApplication.processEvents()
    geometry = window.geometry()
    assert geometry.width() + screen_fit.FRAME_WIDTH <= area.width(), window.windowTitle()
    assert geometry.height() + screen_fit.FRAME_HEIGHT <= area.height(), window.windowTitle()
    assert geometry.top() >= area.top() + screen_fit.FRAME_HEIGHT - 8  # the title bar too
    buttons = [b for b in window.findChildren(QAbstractButton) if b.isVisibleTo(window)]
    assert buttons or not has_buttons
    for b in buttons:
        rect = QRect(b.mapToGlobal(QPoint(0, 0)), b.size())
        if b.visibleRegion().isEmpty():  # scrolled out of view inside a scroll area
            continue
        assert area.contains(rect), f"{window.windowTitle()}: “{b.text()}” at {rect}"


def test_main_window_and_its_pages(qtbot, demo_book, screen):
    from branchdesk.ui.main_window import MainWindow

    w = MainWindow(demo_book)
    qtbot.addWidget(w)
    for title in w.nav_titles:
        w.show_page(title)
        assert_fits(w, screen, has_buttons=False)  # 工作台 and placeholders have none


def test_meeting_form_new_and_with_a_record(qtbot, demo_book, screen):
    from branchdesk.ui.meetings.form import MeetingForm

    form = MeetingForm(demo_book)
    qtbot.addWidget(form)
    assert_fits(form, screen)
    assert form.save_button.isVisible()
    record = demo_book.meetings.records(dt.date.today().year)[0]
    form = MeetingForm(demo_book, record)
    qtbot.addWidget(form)
    assert_fits(form, screen)


def test_print_preview_portrait_and_landscape(qtbot, demo_book, screen):
    from branchdesk.areas.roster.jobs import roster_pdf_for, signin_pdf_for
    from branchdesk.ui.print_preview import PrintPreviewDialog

    for pdf in (
        signin_pdf_for(demo_book, "党课", dt.date.today(), "会议室"),
        roster_pdf_for(demo_book, dt.date.today(), order="strokes", with_id=False),
    ):
        preview = PrintPreviewDialog(pdf.data, "预览", "x.pdf")
        qtbot.addWidget(preview)
        assert_fits(preview, screen)
        assert preview.print_button.isVisible() and preview.save_button.isVisible()


def test_dialogs(qtbot, demo_book, screen, tmp_path):
    from branchdesk.ui.first_start import FirstStartDialog
    from branchdesk.ui.roster.event_dialog import EventDialog
    from branchdesk.ui.roster.member_dialog import MemberDialog

    wang = next(m for m in demo_book.roster.members() if m.name == "王芳")
    assert wang.id is not None
    for dialog in (
        FirstStartDialog(tmp_path / "x.db", recent=[tmp_path / "a.db", tmp_path / "b.db"]),
        MemberDialog(demo_book, wang),
        EventDialog(demo_book, wang.id),
    ):
        qtbot.addWidget(dialog)
        screen_fit.fit_to_screen(dialog)  # what the application's ScreenFitter does on show
        assert_fits(dialog, screen)


def test_screen_fitter_shrinks_an_oversized_window(qtbot, screen):
    fitter = screen_fit.ScreenFitter()
    QApplication.instance().installEventFilter(fitter)
    try:
        from PySide6.QtWidgets import QDialog, QMenu

        menu = QMenu()  # pop-ups place themselves: left alone
        qtbot.addWidget(menu)
        menu.addAction("一项")
        menu.popup(QPoint(screen.width() - 5, screen.height() - 5))
        QApplication.processEvents()
        assert not menu.property("bd_fitted")
        big = QDialog()
        qtbot.addWidget(big)
        big.resize(1600, 1000)
        big.show()
        QApplication.processEvents()
        assert big.width() + screen_fit.FRAME_WIDTH <= screen.width()
        assert big.height() + screen_fit.FRAME_HEIGHT <= screen.height()
    finally:
        QApplication.instance().removeEventFilter(fitter)


def test_roster_shows_phone_and_status_without_scrolling_at_1366(qtbot, demo_book, monkeypatch):
    from branchdesk.ui.main_window import MainWindow

    monkeypatch.setattr(screen_fit, "available_geometry", lambda _w=None: SCREENS["1366x768"])
    w = MainWindow(demo_book)
    qtbot.addWidget(w)
    w.show_page("党员名册")
    w.show()
    QApplication.processEvents()
    table, model = w.roster.table, w.roster.model
    for col in (model.NAME, model.CATEGORY, model.GROUP, model.PHONE, model.STATUS, model.FULL):
        right = table.columnViewportPosition(col) + table.columnWidth(col)
        assert right <= table.viewport().width(), model.HEADERS[col]
    date = model.index(0, model.JOIN).data()
    assert table.fontMetrics().horizontalAdvance(date) < table.columnWidth(model.JOIN)


def test_body_text_is_at_least_10_5_points():
    from branchdesk.ui.fonts import MIN_POINT_SIZE

    assert QApplication.instance().font().pointSizeF() >= MIN_POINT_SIZE == 10.5


def test_asking_for_the_screen_leaves_it_owned_by_qt(qapp):
    """A window's screen is looked up without tying the screen to the window's Python
    object: with ``widget.screen()`` PySide made the QScreen a child of the dialog's
    object, and a dialog collected in a reference cycle could destroy the screen — the
    test suite then crashed in QScreen::virtualSiblings, two runs in five."""
    import gc

    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QDialog

    dialog = QDialog()
    dialog.resize(300, 200)
    area = screen_fit.available_geometry(dialog)
    primary = QGuiApplication.primaryScreen()
    assert area == primary.availableGeometry()
    # The dialog's object holds no reference to the screen's (it would with screen()).
    assert not any(ref is primary for ref in gc.get_referents(dialog))
    screen_fit.fit_to_screen(dialog, 5000, 5000)  # the show-time path
    assert not any(ref is primary for ref in gc.get_referents(dialog))
    assert dialog.width() <= area.width()


def test_a_watch_emptied_by_the_garbage_collector_ignores_the_last_events(qtbot, book):
    """The garbage collector empties the Python objects of a window in a reference cycle
    before Qt destroys its widgets, which still get events on the way out: a page's
    `Watch` then has no attributes and must let them pass, not raise (an error dialog
    while a window goes)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication, QWidget

    from branchdesk.ui.changes import watch

    page = QWidget()
    qtbot.addWidget(page)
    seen = []
    w = watch(page, book, ("roster",), seen.append)
    w.__dict__.clear()  # what the collector's clearing of the cycle leaves
    QApplication.sendEvent(page, QEvent(QEvent.Type.Show))
    page.show()
    assert seen == []


def test_the_years_calendar_tab_fits(qtbot, demo_book, screen):
    """年度落实情况 with its table and lists filled in fits both screens, in the program's
    own Chinese font: its legend beside the year made the page ~950 px wide at the least
    (the window grew to 1135 px on the 1024 px screen)."""
    from branchdesk.ui.fonts import apply_app_font, ensure_cjk_font
    from branchdesk.ui.main_window import MainWindow

    apply_app_font(QApplication.instance(), ensure_cjk_font())  # as setup_qt does

    w = MainWindow(demo_book)
    qtbot.addWidget(w)
    w.show_page("会议记录")
    page = w.page("meetings")
    page.tabs.setCurrentWidget(page.calendar)
    with qtbot.waitSignal(page.calendar.loaded, timeout=10000):
        page.calendar.reload()
    assert page.calendar.table.rowCount() > 0
    assert_fits(w, screen, has_buttons=False)
