"""The roster filter as typed: the quick way (`RowFilter`, which narrows from its earlier
answers and keeps the last ones) gives exactly the rows, in the order, of filtering from
scratch (`filter_rows`); and typing in the real window shows them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QHeaderView

from branchdesk.domain.members import Member
from branchdesk.ui.main_window import MainWindow
from branchdesk.ui.roster.model import FACT_FILTERS, NO_GROUP, RosterRow, RowFilter, filter_rows
from qt_helpers import roll_shown, type_text

#: Few letters, so that needles often match, extend one another and come back.
LETTERS = "azhZ张·"
GROUPS = (None, 1, 2, NO_GROUP)
FACTS = ("", "离退休", "流动党员（深圳）", "流动党员")

letters = st.text(alphabet="azh", max_size=4)
rows_strategy = st.lists(
    st.builds(
        lambda i, name, initials, full, present, group, fact: RosterRow(
            member=Member(name=name, id=i + 1),
            category="",
            status="",
            present=present,
            name_key=name.lower(),
            pinyin_key=f"{initials} {full}" if initials or full else "",
            group_id=group,
            fact=fact,
        ),
        st.integers(0, 10_000),
        st.text(alphabet=LETTERS, max_size=4),
        letters,
        letters,
        st.booleans(),
        st.sampled_from((None, 1, 2)),
        st.sampled_from(FACTS),
    ),
    min_size=8,
    max_size=40,
)
#: What a user does to the filters: mostly keys and Backspace; clear, paste, another filter.
keys = st.tuples(st.just("key"), st.sampled_from(LETTERS + " "))
backspace = st.tuples(st.just("backspace"), st.just(""))
steps_strategy = st.lists(
    st.one_of(
        keys,
        keys,
        keys,
        backspace,
        backspace,
        st.tuples(st.just("clear"), st.just("")),
        st.tuples(st.just("paste"), st.text(alphabet=LETTERS + " ", max_size=5)),
        st.tuples(st.just("group"), st.sampled_from(GROUPS)),
        st.tuples(st.just("left"), st.booleans()),
        st.tuples(st.just("fact"), st.sampled_from(FACT_FILTERS)),
    ),
    min_size=12,
    max_size=60,
)


@settings(max_examples=150)  # each example is a whole session of typing
@given(rows=rows_strategy, steps=steps_strategy, keep=st.sampled_from((1, 2, 3, 32)))
def test_the_quick_filter_gives_the_rows_of_filtering_from_scratch(rows, steps, keep):
    quick = RowFilter(rows)
    quick.KEEP = keep  # a small cache: answers are dropped and worked out again
    text, group, left, fact = "", None, False, FACT_FILTERS[0]
    for what, arg in steps:
        if what == "key":
            text += arg
        elif what == "backspace":
            text = text[:-1]
        elif what == "clear":
            text = ""
        elif what == "paste":
            text = arg
        elif what == "group":
            group = arg
        elif what == "left":
            left = arg
        else:
            fact = arg
        got = quick(text, group, left, fact)
        want = filter_rows(rows, text, group, left, fact)
        assert [id(r) for r in got] == [id(r) for r in want], (text, group, left, fact)
        got.clear()  # what the caller does with its list is not the filter's memory
        assert len(quick(text, group, left, fact)) == len(want)


def test_a_needle_inside_a_name_and_its_pinyin_does_not_match_across_them():
    row = RosterRow(Member(name="张伟", id=1), "", "", True, "张伟", "zw zhangwei", None)
    quick = RowFilter([row])
    assert quick("zw", None, False) == [row]
    assert quick("weiz", None, False) == []  # the end of the full pinyin + the initials
    assert quick("伟z", None, False) == []  # the end of the name + the initials
    assert quick("zwzh", None, False) == []


def _names(page) -> list[str]:
    return [r.member.name for r in page.model.rows]


def _roster_window(qtbot, book, *, wait: bool = True):
    """The main window on 党员名册 (``wait``: until it shows the roll its worker read)."""
    w = MainWindow(book)
    qtbot.addWidget(w)
    w.show()
    w.show_page("roster")
    if wait:
        roll_shown(qtbot, w.roster)
    return w, w.roster


def test_typing_and_erasing_in_the_window_shows_the_matching_rows(qtbot, demo_book):
    w, page = _roster_window(qtbot, demo_book)
    everyone = _names(page)

    def shown_as_from_scratch() -> list[str]:
        want = filter_rows(
            page.all_rows,
            page.search.text(),
            page.group.currentData(),
            page.include_left.isChecked(),
            page.fact.currentText(),
        )
        assert _names(page) == [r.member.name for r in want]
        assert page.count.text().startswith(f"显示 {len(want)} 人")
        return _names(page)

    qtbot.keyClicks(page.search, "z")
    with_z = shown_as_from_scratch()
    qtbot.keyClicks(page.search, "w")
    assert shown_as_from_scratch() == ["张伟"]
    qtbot.keyClick(page.search, Qt.Key.Key_Backspace)
    assert shown_as_from_scratch() == with_z
    qtbot.keyClicks(page.search, "hang")
    assert "张伟" in shown_as_from_scratch()
    for _ in "hang":
        qtbot.keyClick(page.search, Qt.Key.Key_Backspace)
    assert shown_as_from_scratch() == with_z
    qtbot.keyClick(page.search, Qt.Key.Key_Backspace)
    assert shown_as_from_scratch() == everyone
    # another filter under the same needle, and back
    type_text(qtbot, page.search, "王")
    assert shown_as_from_scratch() == ["王芳"]
    page.include_left.setChecked(True)
    shown_as_from_scratch()
    page.group.setCurrentIndex(page.group.findText("第三党小组"))
    shown_as_from_scratch()
    page.group.setCurrentIndex(0)
    page.include_left.setChecked(False)
    assert shown_as_from_scratch() == ["王芳"]


def test_the_selected_member_stays_selected_while_shown(qtbot, demo_book):
    w, page = _roster_window(qtbot, demo_book)
    page.select_member(next(r.member.id for r in page.model.rows if r.member.name == "张伟"))
    qtbot.keyClicks(page.search, "z")
    assert page.selected_member().name == "张伟"
    assert page.model.member_at(page.table.currentIndex().row()).name == "张伟"
    qtbot.keyClicks(page.search, "w")
    assert page.selected_member().name == "张伟"
    qtbot.keyClicks(page.search, "q")  # nobody: nothing is selected
    assert page.model.rows == [] and page.selected_member() is None


class _Paints(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, _obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def test_a_keystroke_paints_the_rows_once(qtbot, demo_book):
    """The table is laid out at once after the filter, not on the view's zero timer
    after the keystroke's repaint (which then drew the rows a second time)."""
    w, page = _roster_window(qtbot, demo_book)
    w.activateWindow()
    page.search.setFocus()
    paints = _Paints()
    page.table.viewport().installEventFilter(paints)
    for key in (Qt.Key.Key_Z, Qt.Key.Key_H, Qt.Key.Key_Backspace, Qt.Key.Key_Backspace):
        for _ in range(3):
            QApplication.processEvents()
        paints.count = 0
        QTest.keyClick(w.windowHandle(), key)  # through the window, as a real key comes
        QApplication.processEvents()
        assert paints.count == 1, (page.search.text(), paints.count)
    assert page.search.text() == ""


def test_the_row_numbers_are_as_wide_as_qt_measures_them(qtbot, demo_book):
    w, page = _roster_window(qtbot, demo_book)
    header = page.table.verticalHeader()
    for text in ("", "z", "zw", "zzzz", ""):
        page.search.setText(text)
        QApplication.processEvents()
        assert header.sizeHint() == QHeaderView.sizeHint(header), text  # Qt's own measure
        assert header.width() == header.sizeHint().width()


def test_the_roll_is_read_on_a_worker_and_what_was_typed_meanwhile_applies(qtbot, demo_book):
    w, page = _roster_window(qtbot, demo_book, wait=False)
    assert page.busy and "正在读取名册" in page.count.text()  # says so, does not freeze
    qtbot.keyClicks(page.search, "zw")  # typed before the roll is in
    roll_shown(qtbot, page)
    assert [r.member.name for r in page.model.rows] == ["张伟"]
    assert page.count.text().startswith("显示 1 人")


def test_a_refresh_keeps_the_rows_and_the_selection_while_it_reads(qtbot, demo_book):
    w, page = _roster_window(qtbot, demo_book)
    wang = next(r.member for r in page.model.rows if r.member.name == "王芳")
    page.select_member(wang.id or 0)
    before = list(page.model.rows)
    page.refresh()
    assert page.busy and page.model.rows == before  # nothing blanked meanwhile
    roll_shown(qtbot, page)
    assert page.selected_member() is not None and page.selected_member().id == wang.id
    # A member asked for while the roll is read is selected once it is shown.
    zhu = next(r.member for r in page.model.rows if r.member.name == "朱琳")
    page.refresh()
    page.select_member(zhu.id or 0)
    assert page.selected_member().id == wang.id  # not yet
    roll_shown(qtbot, page)
    assert page.selected_member().id == zhu.id
