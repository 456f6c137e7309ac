"""GUI tests of 积分管理: type and click in the real page and its dialogs, then check the
book — a batch award, a reversal, printing the 公示, the ranking switch."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from branchdesk.areas.points.reminders import reminders as points_reminders
from branchdesk.domain.points import Period
from branchdesk.ui.points.page import PointsArea
from qt_helpers import record_message_boxes, type_text, when_modal


@pytest.fixture(autouse=True)
def no_blocking_boxes(monkeypatch):
    return record_message_boxes(monkeypatch)


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def retype(qtbot, widget, text: str) -> None:
    widget.selectAll()
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    type_text(qtbot, widget, text)


@pytest.fixture
def page(qtbot, demo_book):
    p = PointsArea(demo_book)
    qtbot.addWidget(p)
    p.resize(1366, 768)
    p.show()
    qtbot.waitExposed(p)
    p.year.setCurrentIndex(p.year.findData(2026))
    p.period.setCurrentIndex(p.period.findData("2026Q3"))
    shown(qtbot, p)
    return p


def shown(qtbot, page, key: str | None = None) -> None:
    """Wait until the table shows the totals the worker computed (of period ``key``)."""
    key = key or page.period.currentData()
    qtbot.waitUntil(lambda: page.shown == key and not page.busy, timeout=10000)


def row_of(page, name: str) -> int:
    return next(n for n, r in enumerate(page.model.rows) if r.member.name == name)


def test_table_is_in_stroke_order_without_rank(page):
    names = [r.member.name for r in page.model.rows]
    assert names[:3] == ["马晓东", "王芳", "朱琳"]  # 马 (3), 王 (4), 朱 (6)
    assert "名次" not in page.model.columns()
    assert "公示：尚未打印" in page.notice_label.text()


def test_batch_award_for_two_members_in_one_transaction(qtbot, page, demo_book):
    page.table.selectRow(row_of(page, "王芳"))
    before = demo_book.points.count()

    def fill(dialog):
        dialog.item.setCurrentIndex(dialog.item.findData("参加志愿服务"))
        retype(qtbot, dialog.date, "2026-09-20")
        type_text(qtbot, dialog.reason, "社区志愿服务")
        for n in range(dialog.members.count()):
            if dialog.members.item(n).text().startswith("刘洋"):
                dialog.members.item(n).setCheckState(Qt.CheckState.Checked)
        click(qtbot, dialog.save_button)

    done = when_modal(qtbot, fill)
    click(qtbot, page.batch_button)
    qtbot.waitUntil(lambda: bool(done))
    assert demo_book.points.count() == before + 2
    added = demo_book.points.entries(dt.date(2026, 9, 20), dt.date(2026, 9, 20))
    assert {e.reason for e in added} == {"社区志愿服务"} and len(added) == 2
    # The page follows the change (its totals recomputed on the worker).
    qtbot.waitUntil(lambda: not page.busy and page.model.rows[row_of(page, "王芳")].added == 20)


def test_batch_refuses_a_member_not_scored_and_writes_nothing(qtbot, page, demo_book):
    before = demo_book.points.count()
    errors = []

    def fill(dialog):
        retype(qtbot, dialog.date, "2026-09-25")
        for n in range(dialog.members.count()):
            if dialog.members.item(n).text().startswith(("谢文", "王芳")):
                dialog.members.item(n).setCheckState(Qt.CheckState.Checked)
        click(qtbot, dialog.save_button)
        errors.append(dialog.error.text())

    done = when_modal(qtbot, fill)
    click(qtbot, page.batch_button)
    qtbot.waitUntil(lambda: bool(done))
    assert "谢文在 2026-09-25 不在本支部名册" in errors[0]
    assert demo_book.points.count() == before


def test_reversal_from_the_member_entries(qtbot, page, demo_book):
    page.table.selectRow(row_of(page, "朱琳"))
    qtbot.waitUntil(lambda: page.detail.rowCount() > 0)
    manual = next(n for n, e in enumerate(page.entries) if e.meeting_id is None)
    original = page.entries[manual]
    page.detail.selectRow(manual)
    click(qtbot, page.reverse_button)  # no reason yet: refused
    assert demo_book.points.entry(original.id).reversed_by is None
    page.detail.selectRow(manual)
    type_text(qtbot, page.reverse_reason, "重复登记")
    click(qtbot, page.reverse_button)
    entry = demo_book.points.entry(original.id)
    assert entry.reversed_by is not None
    assert demo_book.points.entry(entry.reversed_by).reason == "重复登记"
    qtbot.waitUntil(lambda: any("已冲销" in (page.detail.item(r, 5).text() or "")
                                for r in range(page.detail.rowCount())))  # fmt: skip


def test_print_the_notice_refuses_a_short_period_then_prints(qtbot, page, demo_book):
    seen = []

    def fill(dialog):
        retype(qtbot, dialog.date_from, "2026-10-08")
        retype(qtbot, dialog.date_to, "2026-10-12")
        click(qtbot, dialog.ok_button)
        seen.append(dialog.error.text())
        retype(qtbot, dialog.date_to, "2026-10-14")
        retype(qtbot, dialog.contact, "黄磊 12345678")
        click(qtbot, dialog.ok_button)

    done = when_modal(qtbot, fill)
    click(qtbot, page.notice_button)
    qtbot.waitUntil(lambda: bool(done))
    assert "不少于7天" in seen[0]
    qtbot.waitUntil(lambda: getattr(page, "last_preview", None) is not None, timeout=20000)
    preview = page.last_preview
    assert preview.images
    # Previewed is not printed: closing the preview leaves the 公示 unprinted.
    assert demo_book.points.notice_printed("2026Q3") is None
    click(qtbot, next(b for b in preview.findChildren(QPushButton) if b.text() == "关闭"))
    assert not preview.isVisible()
    assert demo_book.points.notice_printed("2026Q3") is None
    assert "尚未打印" in page.notice_label.text()
    assert any(
        "公示表尚未打印" in r.text for r in points_reminders(demo_book, dt.date(2026, 10, 20))
    )
    assert demo_book.settings.get("points.contact") == "黄磊 12345678"


def open_notice_preview(qtbot, page):
    page.last_preview = None

    def fill(dialog):
        retype(qtbot, dialog.date_from, "2026-10-08")
        retype(qtbot, dialog.date_to, "2026-10-14")
        click(qtbot, dialog.ok_button)

    done = when_modal(qtbot, fill)
    click(qtbot, page.notice_button)
    qtbot.waitUntil(lambda: bool(done))
    qtbot.waitUntil(lambda: getattr(page, "last_preview", None) is not None, timeout=20000)
    return page.last_preview


def test_the_notice_counts_as_printed_once_saved_as_pdf(qtbot, page, demo_book, tmp_path,
                                                        monkeypatch):  # fmt: skip
    from pypdf import PdfReader
    from PySide6.QtWidgets import QFileDialog

    preview = open_notice_preview(qtbot, page)
    assert demo_book.points.notice_printed("2026Q3") is None
    target = tmp_path / "公示.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    click(qtbot, preview.save_button)
    assert "2026年第三季度党员积分情况公示" in PdfReader(target).pages[0].extract_text().replace(
        "\n", ""
    )
    assert demo_book.points.notice_printed("2026Q3") == (dt.date(2026, 10, 8),
                                                         dt.date(2026, 10, 14))  # fmt: skip
    qtbot.waitUntil(lambda: "已打印" in page.notice_label.text())
    assert not any(
        "公示表尚未打印" in r.text for r in points_reminders(demo_book, dt.date(2026, 10, 20))
    )


def test_the_notice_counts_as_printed_once_sent_to_the_printer(qtbot, page, demo_book,
                                                               tmp_path, monkeypatch):  # fmt: skip
    import PySide6.QtPrintSupport as qps
    from PySide6.QtWidgets import QDialog

    out = tmp_path / "printed.pdf"

    class PrintDialog:  # the system dialog, answered 打印 with a PDF printer chosen
        answer = QDialog.DialogCode.Accepted

        def __init__(self, printer, _parent=None):
            printer.setOutputFormat(qps.QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(out))

        def exec(self):
            return self.answer

    monkeypatch.setattr(qps, "QPrintDialog", PrintDialog)
    preview = open_notice_preview(qtbot, page)
    PrintDialog.answer = QDialog.DialogCode.Rejected  # 取消 in the system dialog
    click(qtbot, preview.print_button)
    assert demo_book.points.notice_printed("2026Q3") is None
    PrintDialog.answer = QDialog.DialogCode.Accepted
    click(qtbot, preview.print_button)
    qtbot.waitUntil(lambda: demo_book.points.notice_printed("2026Q3") is not None,
                    timeout=60000)  # fmt: skip
    assert out.exists() and out.stat().st_size > 10000
    qtbot.waitUntil(lambda: "已打印" in page.notice_label.text())


def test_ranking_column_only_when_switched_on(qtbot, page, demo_book):
    from branchdesk.ui.points.settings import PointsSettings

    settings = PointsSettings(demo_book)
    qtbot.addWidget(settings)
    settings.show()
    qtbot.waitExposed(settings)
    click(qtbot, settings.ranking)
    qtbot.waitUntil(lambda: not page.busy and "名次" in page.model.columns())
    assert all(r.rank for r in page.model.rows if r.scored)


def test_filters_by_group_and_band(qtbot, page):
    page.band.setCurrentIndex(page.band.findText("合格"))
    assert page.model.rows and all(r.band == "合格" for r in page.model.rows)
    page.band.setCurrentIndex(0)
    page.group.setCurrentIndex(page.group.findText("第一党小组"))
    assert all(r.member.group_name == "第一党小组" for r in page.model.rows)


def test_year_of_a_yearly_scheme_offers_only_the_year(qtbot, page, demo_book):
    from branchdesk.areas.points.rules import use_template

    use_template(demo_book, "base-60", 2027)
    page.year.setCurrentIndex(page.year.findData(2027))
    assert [page.period.itemData(i) for i in range(page.period.count())] == ["2027"]
    assert page.current() == Period(2027)


def test_edit_the_rule_set_lists_errors_then_saves_and_reapplies(qtbot, page, demo_book):
    from branchdesk.ui.points.scheme_dialog import NAME, POINTS

    seen = []

    def edit(dialog):
        names = [dialog.items.item(r, NAME).text() for r in range(dialog.items.rowCount())]
        r = names.index("参加志愿服务")
        dialog.items.item(r, POINTS).setText("0.25")
        click(qtbot, dialog.save_button)
        seen.append(dialog.error.text())
        dialog.items.item(r, POINTS).setText("3")
        click(qtbot, dialog.add_button)
        last = dialog.items.rowCount() - 1
        dialog.items.item(last, NAME).setText("参加党史学习")
        dialog.items.item(last, POINTS).setText("1")
        dialog.items.setCurrentCell(last, NAME)
        click(qtbot, dialog.up_button)
        seen.append(dialog.items.item(last - 1, NAME).text())
        click(qtbot, dialog.save_button)

    done = when_modal(qtbot, edit)
    click(qtbot, page.edit_scheme_button)
    qtbot.waitUntil(lambda: bool(done))
    assert "items 第2项（参加志愿服务）.points" in seen[0] and "一位小数" in seen[0]
    assert seen[1] == "参加党史学习"
    rules = demo_book.points.scheme(2026)
    assert rules.item("参加志愿服务").points == 30 and rules.item("参加党史学习").points == 10
    assert rules.name == "quarterly-100（已修改）"
    assert demo_book.points.apply(2026).added == 0  # saving applied it already


def test_charts_show_the_band_distribution_and_the_member_trend(qtbot, page):
    scored = [r for r in page.model.rows if r.scored]
    assert sum(c for _, c in page.band_chart.counts) == len(scored)
    assert [b for b, _ in page.band_chart.counts] == ["优秀", "良好", "合格", "不合格"]
    page.table.selectRow(row_of(page, "朱琳"))
    labels = [label for label, _ in page.trend_chart.points]
    assert labels == ["第一季度", "第二季度", "第三季度", "第四季度"]
    assert dict(page.trend_chart.points)["第三季度"] == page.model.rows[row_of(page, "朱琳")].total
    page.trend_chart.grab()  # paints without error
    page.band_chart.grab()


def test_reapply_after_a_retirement_is_entered_late(qtbot, page, demo_book, no_blocking_boxes):
    from branchdesk.domain.members import EventKind, MembershipEvent

    wang = next(m for m in demo_book.roster.members() if m.name == "王芳")
    q3 = demo_book.points.entries(dt.date(2026, 7, 1), dt.date(2026, 9, 30), wang.id)
    assert any(e.meeting_id for e in q3)
    demo_book.roster.add_event(wang.id, MembershipEvent(EventKind.RETIRED, dt.date(2026, 7, 1)))
    click(qtbot, page.apply_button)
    assert any("冲销" in text for _, text in no_blocking_boxes)
    live = [e for e in demo_book.points.entries(dt.date(2026, 7, 1), dt.date(2026, 12, 31), wang.id)
            if e.meeting_id and e.reverses is None and e.reversed_by is None]  # fmt: skip
    assert live == []


def test_reminder_targets_open_the_period_and_the_member(qtbot, page, demo_book):
    from branchdesk.areas import Target
    from branchdesk.areas.points.reminders import last_ended_period

    page.period.setCurrentIndex(0)
    page.show_target(Target("points", "notice"))
    ended = last_ended_period(demo_book, dt.date.today())
    assert ended is not None and page.current() == ended
    page.period.setCurrentIndex(page.period.findData("2026Q3"))
    wang = next(m for m in demo_book.roster.members() if m.name == "王芳")
    page.band.setCurrentIndex(page.band.findText("优秀"))
    # Asked for while the totals are being computed: selected once they are shown.
    assert page.busy
    page.show_target(Target("points", "member", wang.id))
    shown(qtbot, page, "2026Q3")
    assert page.selected() is not None and page.selected().member.id == wang.id
    assert page.band.currentIndex() == 0  # the filter that hid them was cleared


def test_totals_are_computed_on_a_worker_and_the_last_period_asked_wins(qtbot, page):
    q3 = {r.member.name: r.total for r in page.model.rows}
    page.period.setCurrentIndex(page.period.findData("2026Q2"))
    # Meanwhile: the page says so and does not show the third quarter under the second.
    assert page.busy and page.shown is None and "正在计算积分" in page.count.text()
    assert page.model.rows == []
    page.period.setCurrentIndex(page.period.findData("2026Q1"))  # changed again at once
    shown(qtbot, page, "2026Q1")
    q1 = {r.member.name: r.total for r in page.model.rows}
    assert page.current() == Period(2026, 1) and q1 and q1 != q3
    assert f"共 {len(page.model.rows)} 人" in page.count.text()
    # What is shown is what the rules give for that quarter, not a stale answer.
    from branchdesk.areas.points.rules import totals

    expected = {r.member.name: r.total for r in totals(page.book, Period(2026, 1))}
    assert q1 == expected


def test_a_refresh_keeps_the_rows_and_the_selection_while_it_computes(qtbot, page, demo_book):
    page.table.selectRow(row_of(page, "朱琳"))
    before = list(page.model.rows)
    page.refresh()
    assert page.busy and page.model.rows == before  # the same period: nothing blanked
    shown(qtbot, page)
    assert page.selected() is not None and page.selected().member.name == "朱琳"
