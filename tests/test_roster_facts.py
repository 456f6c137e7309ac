"""离退休 and 流动党员: effective-dated events, read from Excel, written back, shown and
filtered in the roll."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from branchdesk.domain.members import EventKind, Member, MembershipEvent, roster_fact
from branchdesk.exchange.roster_xlsx import read_roster, write_roster
from branchdesk.ui.roster.model import filter_rows, make_rows
from xlsx_samples import write_rows

D = dt.date
TODAY = D(2026, 3, 1)
HEADERS = ("序号", "姓名", "性别", "人员类别", "入党日期", "工作岗位", "离退休时间",
           "是否流动党员", "流出时间", "流出地")  # fmt: skip


def test_excel_columns_give_events_and_warn_for_a_missing_date(tmp_path: Path) -> None:
    path = tmp_path / "in.xlsx"
    write_rows(path, HEADERS, [
        [1, "王芳", "女", "正式党员", "1990-07-01", "科员", "2024-05-01", "否", "", ""],
        [2, "李明", "男", "正式党员", "1980-07-01", "离退休干部", "", "", "", ""],
        [3, "张伟", "男", "正式党员", "2015-07-01", "工程师", "", "是", "2025-03-01", "深圳"],
        [4, "赵丽", "女", "正式党员", "2015-07-01", "科员", "", "也许", "", ""],
    ])  # fmt: skip
    report = read_roster(path, today=TODAY)
    assert [str(e) for e in report.errors] == ["第5行 H列 是否流动党员：“也许”应为 是 或 否"]
    by_name = {m.member.name: m.member for m in report.members}
    assert by_name["王芳"].events == (MembershipEvent(EventKind.RETIRED, D(2024, 5, 1)),)
    assert by_name["李明"].events[0].kind == EventKind.RETIRED
    assert by_name["李明"].events[0].date == TODAY
    assert any("离退休" in str(w) and "请在" in str(w) for w in report.warnings)
    mobile = MembershipEvent(EventKind.MOBILE, D(2025, 3, 1), None, "深圳")
    assert by_name["张伟"].events == (mobile,)


def test_import_records_the_events_and_export_writes_them_back(tmp_path: Path, book) -> None:
    path = tmp_path / "in.xlsx"
    write_rows(path, HEADERS, [
        [1, "王芳", "女", "正式党员", "1990-07-01", "科员", "2024-05-01", "", "", ""],
        [2, "张伟", "男", "正式党员", "2015-07-01", "工程师", "", "是", "2025-03-01", "深圳"],
    ])  # fmt: skip
    report = read_roster(path, today=TODAY)
    book.roster.add_many([m.member for m in report.members])
    members = {m.name: m for m in book.roster.members()}
    assert members["王芳"].retired_on(TODAY) and members["张伟"].mobile_on(TODAY)
    out = tmp_path / "out.xlsx"
    write_roster(out, list(members.values()), title="名册")
    again = {m.member.name: m.member for m in read_roster(out, today=TODAY).members}
    assert again["王芳"].events[0].date == D(2024, 5, 1)
    assert again["张伟"].events[0].note == "深圳"


def test_roll_shows_and_filters_the_facts() -> None:
    retired = Member(name="王芳", id=1, events=(MembershipEvent(EventKind.RETIRED, D(2024, 1, 1)),))
    away = Member(name="张伟", id=2, events=(
        MembershipEvent(EventKind.MOBILE, D(2025, 1, 1), D(2026, 6, 1), "深圳"),))  # fmt: skip
    at_work = Member(name="李明", id=3)
    assert roster_fact(away, TODAY) == "流动党员（深圳）"
    assert roster_fact(away, D(2026, 6, 1)) == ""
    rows = make_rows([retired, away, at_work], {}, TODAY)
    names = lambda f: [r.member.name for r in filter_rows(rows, "", None, True, f)]  # noqa: E731
    assert names("离退休") == ["王芳"] and names("流动党员") == ["张伟"]
    assert names("在职") == ["李明"] and len(names("全部党员")) == 3


def test_a_mobile_period_can_be_ended(book) -> None:
    mid = book.roster.add(Member(name="张伟", join_date=D(2015, 7, 1)))
    eid = book.roster.add_event(mid, MembershipEvent(EventKind.MOBILE, D(2025, 3, 1), None, "深圳"))
    book.roster.end_probation(eid, D(2026, 1, 10))
    assert not book.roster.member(mid).mobile_on(D(2026, 1, 10))


def test_the_event_dialog_records_and_ends_a_mobile_period(qtbot, book) -> None:
    from PySide6.QtCore import Qt

    from branchdesk.ui.roster.event_dialog import EventDialog
    from qt_helpers import type_text, when_modal

    mid = book.roster.add(Member(name="张伟", join_date=D(2015, 7, 1)))
    dialog = EventDialog(book, mid)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.kind.setCurrentText("流动")
    assert dialog.end_date.isEnabled()
    type_text(qtbot, dialog.date, "2025-03-01")
    type_text(qtbot, dialog.note, "深圳")
    dialog.save()
    assert book.roster.member(mid).mobile_on(D(2026, 1, 1))
    again = EventDialog(book, mid)
    qtbot.addWidget(again)
    again.show()
    again.history.selectRow(0)
    assert again.end_button.isEnabled()

    def end(dialog) -> None:  # the 结束流动 dialog asks for the end date and a reason
        type_text(qtbot, dialog.end_date, "2026-01-10")
        dialog.save()

    when_modal(qtbot, end)
    qtbot.mouseClick(again.end_button, Qt.MouseButton.LeftButton)
    assert not book.roster.member(mid).mobile_on(D(2026, 1, 10))
    assert book.roster.member(mid).events[0].note == "深圳"
