"""Search by full pinyin and by initials, in the roster and in the meeting list."""

from __future__ import annotations

import datetime as dt

from branchdesk.domain.names import matches, search_key
from branchdesk.ui.main_window import MainWindow
from qt_helpers import roll_shown


def test_search_key_has_initials_and_full_pinyin():
    assert search_key("张三") == "zs zhangsan"
    assert search_key("阿依古丽·买买提") == "ayglmmt ayigulimaimaiti"
    assert matches("zhang", "张三", search_key("张三"))
    assert matches("ZS", "张三", search_key("张三"))
    assert matches("zhang san", "张三", search_key("张三"))
    assert not matches("li", "张三", search_key("张三"))


def test_roster_finds_by_full_pinyin_and_initials(qtbot, demo_book):
    w = MainWindow(demo_book)
    qtbot.addWidget(w)
    page = w.roster
    roll_shown(qtbot, page)
    qtbot.keyClicks(page.search, "zhangwei")
    assert [r.member.name for r in page.model.rows] == ["张伟"]
    page.search.clear()
    qtbot.keyClicks(page.search, "wang")
    assert [r.member.name for r in page.model.rows] == ["王芳"]
    page.search.clear()
    qtbot.keyClicks(page.search, "lj")
    assert "李建国" in [r.member.name for r in page.model.rows]


def test_a_record_saved_with_initials_only_is_found_by_full_pinyin(qtbot, book):
    from branchdesk.domain.members import Member

    member_id = book.roster.add(Member(name="林堃"))
    book.db.execute("UPDATE member SET pinyin = 'lk' WHERE id = ?", [member_id])  # old book
    assert book.roster.search_keys()[member_id] == "lk linkun"


def test_meeting_list_filter_by_text_and_pinyin(qtbot, demo_book):
    w = MainWindow(demo_book)
    qtbot.addWidget(w)
    w.show_page("会议记录")
    page = w.page("会议记录").list
    page.year.setCurrentIndex(page.year.findData(dt.date.today().year))
    total = page.model.rowCount()
    assert total > 3
    qtbot.keyClicks(page.search, "ztdr")
    titles = [s.title for s in page.model.rows]
    assert titles and all("主题党日" in t or "主题党日" in "、".join(x.value for x in s.types)
                          for t, s in zip(titles, page.model.rows, strict=True))  # fmt: skip
    assert "（全年" in page.count.text()
    page.search.clear()
    qtbot.keyClicks(page.search, "dangxiaozu")
    assert page.model.rows and all("党小组" in s.title for s in page.model.rows)
    page.search.clear()
    assert page.model.rowCount() == total
