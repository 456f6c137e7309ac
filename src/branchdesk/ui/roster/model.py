"""The roster table: a small model over precomputed rows, filtered in Python.

Filtering builds the visible row list and resets the model; the view then asks only for
the rows on screen. `RowFilter` answers a keystroke from what it answered before: a
longer needle searches only the rows the shorter one kept, and Backspace finds its answer
in a small cache, so typing costs a fraction of a millisecond on 5,000 members. A row's
texts are worked out once, when it is first shown, and kept across filter steps (the view
asks for every cell on every repaint). See benchmarks/bench_filter.py.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass
from itertools import compress

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from branchdesk.domain.dates import format_cn
from branchdesk.domain.idcard import mask_id
from branchdesk.domain.members import Member, roster_fact, status_today

Index = QModelIndex | QPersistentModelIndex
# Roles as plain ints: data() is called for every cell and role on every repaint, and
# comparing with PySide6's enum members costs more than the rest of data().
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_USER = int(Qt.ItemDataRole.UserRole.value)


@dataclass(frozen=True)
class RosterRow:
    member: Member
    category: str
    status: str
    present: bool  # on the roll today
    name_key: str
    pinyin_key: str
    group_id: int | None
    fact: str = ""  # 离退休 / 流动党员（流出地）today


def make_rows(members: list[Member], pinyin: dict[int, str], today: dt.date) -> list[RosterRow]:
    return [
        RosterRow(
            member=m,
            category=m.category_on(today).value,
            status=status_today(m, today),
            present=m.belongs_on(today),
            name_key=m.name.lower(),
            pinyin_key=pinyin.get(m.id or 0, ""),
            group_id=m.group_id,
            fact=roster_fact(m, today),
        )
        for m in members
    ]


NO_GROUP = -1


#: The 离退休/流动 filter: label → test on a row's fact.
FACT_FILTERS = ("全部党员", "在职", "离退休", "流动党员")


def filter_rows(
    rows: list[RosterRow],
    text: str,
    group_id: int | None,
    include_left: bool,
    fact: str = "全部党员",
) -> list[RosterRow]:
    """Name substring, or initials or full pinyin (zs, zhang → 张三); group; left or not;
    离退休 / 流动党员 / 在职 (neither)."""
    needle = "".join(text.split()).lower()
    out = []
    for row in rows:
        if not _kept_by_others(row, group_id, include_left, fact):
            continue
        if needle and needle not in row.name_key and not _in_key(needle, row.pinyin_key):
            continue
        out.append(row)
    return out


def _kept_by_others(row: RosterRow, group_id: int | None, include_left: bool, fact: str) -> bool:
    """Whether the filters other than the search text keep ``row``."""
    if fact == "在职" and row.fact:
        return False
    if fact in ("离退休", "流动党员") and fact not in row.fact:
        return False
    if not include_left and not row.present:
        return False
    return group_id is None or (row.group_id or NO_GROUP) == group_id


def _in_key(needle: str, key: str) -> bool:
    initials, _, full = key.partition(" ")
    return needle in initials or needle in full


#: Between the parts of a row's haystack: whitespace, which a needle never holds (it is
#: taken out), so a needle found in the haystack lies inside one part.
_SEP = "\n"


def _haystack(row: RosterRow) -> str:
    initials, _, full = row.pinyin_key.partition(" ")
    return _SEP.join((row.name_key, initials, full))


FilterKey = tuple[str, int | None, bool, str]


class RowFilter:
    """`filter_rows` over one list of rows (the page's, until the next reload), quick
    enough to run on every keystroke: the same rows in the same order, worked out from
    what it answered before.

    Each row's name, initials and full pinyin are one lower-case string, searched with
    ``in``. A needle that holds an earlier needle (with the other filters the same) can
    only keep rows the earlier one kept, in their order, so only those are searched; the
    last answers are kept (Backspace, or a filter switched back, costs a look-up)."""

    KEEP = 32  # answers kept: a few searches typed and erased, under each filter

    def __init__(self, rows: list[RosterRow]) -> None:
        self.rows = rows
        self._hays = [_haystack(r) for r in rows]
        self._answers: OrderedDict[FilterKey, tuple[list[RosterRow], list[str]]] = (
            OrderedDict()
        )

    def __call__(
        self, text: str, group_id: int | None, include_left: bool, fact: str = "全部党员"
    ) -> list[RosterRow]:
        needle = "".join(text.split()).lower()
        if _SEP in needle:  # cannot happen (split() took it out); the plain way is right
            return filter_rows(self.rows, text, group_id, include_left, fact)
        rows, _hays = self._answer((needle, group_id, include_left, fact))
        return list(rows)

    def _answer(self, key: FilterKey) -> tuple[list[RosterRow], list[str]]:
        answers = self._answers
        found = answers.get(key)
        if found is not None:
            answers.move_to_end(key)
            return found
        needle, group_id, include_left, fact = key
        if needle:
            rows, hays = self._narrowest(key)
            keep = [needle in h for h in hays]
            found = list(compress(rows, keep)), list(compress(hays, keep))
        else:
            found = self._unsearched(group_id, include_left, fact)
        answers[key] = found
        if len(answers) > self.KEEP:
            answers.popitem(last=False)
        return found

    def _narrowest(self, key: FilterKey) -> tuple[list[RosterRow], list[str]]:
        """The fewest rows known to hold every row ``key`` keeps: an answer kept for a
        needle inside this needle, under the same other filters (at worst, the empty
        needle's)."""
        needle, group_id, include_left, fact = key
        best = self._answer(("", group_id, include_left, fact))
        for kept, answer in list(self._answers.items()):
            if kept[1:] == key[1:] and kept[0] in needle and len(answer[0]) < len(best[0]):
                best = answer
        return best

    def _unsearched(
        self, group_id: int | None, include_left: bool, fact: str
    ) -> tuple[list[RosterRow], list[str]]:
        """The rows the other filters keep (the same tests as `filter_rows`)."""
        rows, hays = [], []
        for row, hay in zip(self.rows, self._hays, strict=True):
            if not _kept_by_others(row, group_id, include_left, fact):
                continue
            rows.append(row)
            hays.append(hay)
        return rows, hays


class RosterTableModel(QAbstractTableModel):
    # The columns a secretary looks at every day come first, so that at 1366 pixels wide
    # 联系电话 and 状态 show without scrolling; the rarely read ones follow.
    (
        NAME,
        GENDER,
        CATEGORY,
        GROUP,
        POST,
        PHONE,
        STATUS,
        JOIN,
        FULL,
        BIRTH,
        ETHNICITY,
        EDUCATION,
        ID,
        FACT,
    ) = range(14)
    HEADERS = (
        "姓名",
        "性别",
        "人员类别",
        "党小组",
        "工作岗位",
        "联系电话",
        "状态",
        "入党日期",
        "转正日期",
        "出生日期",
        "民族",
        "学历",
        "公民身份号码",
        "离退休/流动",
    )

    #: Column widths in character cells; fixed, because measuring 5,000 rows is slow.
    WIDTHS = (7, 3, 5, 6, 8, 7, 4, 8, 8, 8, 5, 6, 11, 7)
    #: Columns whose text is mostly digits: at least as wide as this longest text.
    SAMPLES = {
        PHONE: "13800000000",
        JOIN: "2000年12月30日",
        FULL: "2000年12月30日",
        BIRTH: "2000年12月30日",
        ID: "**************000X",
    }

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[RosterRow] = []
        self._texts: dict[int, tuple[str, ...]] = {}  # id(row) → its cells' texts
        self._grey = QColor("#888888")

    def set_rows(self, rows: list[RosterRow], *, fresh: bool = True) -> None:
        """``fresh=False``: some of the same rows as before, filtered (their texts stay
        cached); ``fresh``: new rows (a reload)."""
        self.beginResetModel()
        if fresh:
            self._texts = {}
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal:
                return self.HEADERS[section]
            return str(section + 1)
        return None

    def data(self, index: Index, role: int = 0) -> object:
        role = int(role)
        if role == _DISPLAY:
            row = self.rows[index.row()]
            texts = self._texts.get(id(row))
            if texts is None:
                texts = self._texts[id(row)] = self._row_texts(row)
            return texts[index.column()]
        if role == _FOREGROUND:
            return None if self.rows[index.row()].present else self._grey
        if role == _USER:
            return self.rows[index.row()].member.id
        return None

    def _row_texts(self, row: RosterRow) -> tuple[str, ...]:
        m = row.member
        return (
            m.name,
            m.gender,
            row.category,
            m.group_name,
            m.post,
            m.phone,
            row.status,
            format_cn(m.join_date),
            format_cn(m.full_date),
            format_cn(m.birth_date),
            m.ethnicity,
            m.education,
            mask_id(m.id_number),
            row.fact,
        )

    def member_at(self, row: int) -> Member:
        return self.rows[row].member
