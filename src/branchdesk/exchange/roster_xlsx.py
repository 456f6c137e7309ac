"""The 党员名册 as an Excel workbook: read one for import, write one for export.

Reading accepts the columns the 全国党员管理信息系统 exports and the usual hand-made
variants, finds the header row under title lines, spreads merged cells over their range
and checks every row. It only reads and reports: the caller writes to the book only when
``report.ok`` (the import is all-or-nothing). No Qt and no SQLite here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType

from openpyxl.utils import get_column_letter

from branchdesk.domain.dates import DateParseError, add_years, age_on, format_cn, parse_date
from branchdesk.domain.idcard import IdNumberError, normalize_id, parse_id
from branchdesk.domain.members import Category, EventKind, Member, MembershipEvent
from branchdesk.domain.names import normalize_name

# The writer (and the columns it writes, which the reader also knows) lives apart.
from branchdesk.exchange.roster_xlsx_write import EXPORT_HEADERS, write_roster
from branchdesk.exchange.xlsx_sheet import SheetData, SheetFormatError, read_sheets

__all__ = [
    "EXPORT_HEADERS", "ImportReport", "ImportedMember", "Issue", "RosterFormatError",
    "read_roster", "write_roster",
]  # fmt: skip

# Field key → accepted header texts (after _clean_header). The first is the canonical one.
_HEADERS: dict[str, tuple[str, ...]] = {
    "seq": ("序号",),
    "name": ("姓名",),
    "gender": ("性别",),
    "id_number": ("公民身份号码", "身份证号", "身份证号码", "身份证"),
    "ethnicity": ("民族",),
    "birth_date": ("出生日期", "出生年月"),
    "education": ("学历", "文化程度"),
    "category": ("人员类别", "党员类别"),
    "branch": ("所在党支部",),
    "join_date": ("入党日期", "入党时间"),
    "full_date": ("转正日期", "转为正式党员日期", "转正时间"),
    "post": ("工作岗位", "职务", "岗位"),
    "phone": ("联系电话", "手机号码", "联系方式", "手机号", "手机"),
    "group": ("党小组", "所在党小组"),
    "notes": ("备注",),
    "retired_date": ("离退休时间", "退休时间", "离退休日期", "退休日期"),
    "mobile": ("是否流动党员", "流动党员"),
    "mobile_from": ("流出时间", "外出时间"),
    "mobile_place": ("流出地", "外出地点"),
}
_ALIASES = {alias: key for key, aliases in _HEADERS.items() for alias in aliases}
#: Columns that a template may have pre-filled: a row with only these is blank.
_NOT_DATA = frozenset({"seq", "branch"})
_HEADER_SCAN_ROWS = 15
#: Rows of members one import takes: far above any branch (a big 机关 branch has a few
#: hundred), far below what would strain memory. More is a wrong file or sheet.
MAX_ROWS = 10_000
_FOOTER_PREFIXES = ("合计", "共计", "总计", "小计", "填表", "制表", "审核", "注：", "注:", "说明")
_HEADER_MARKS = re.compile(r"^[*＊]+|(?:[*＊]|[（(]必填[)）])+$")

_CATEGORIES = {"正式党员": Category.FULL, "正式": Category.FULL,
               "预备党员": Category.PROBATIONARY, "预备": Category.PROBATIONARY}  # fmt: skip
_GENDERS = {"男": "男", "女": "女", "男性": "男", "女性": "女"}
_EDUCATION = {  # short forms → the names the book uses (members.EDUCATION_LEVELS)
    "本科": "大学本科", "大学": "大学本科", "专科": "大学专科", "大专": "大学专科",
    "中专": "中等专科", "硕士": "硕士研究生", "博士": "博士研究生",
}  # fmt: skip
_NUMERIC_ID = "身份证号被 Excel 存成了数字，请将该列设为文本后重新填写"

#: Export columns: header, width.
_NO_IDS: Mapping[str, str] = MappingProxyType({})


class RosterFormatError(ValueError):
    """The file is not an xlsx workbook, or no sheet has a recognisable roster header."""


@dataclasses.dataclass(frozen=True)
class Issue:
    """One finding, placed as Excel shows it: 1-based row, column letter, header text."""

    row: int
    column: str  # "" when the column is absent from the file
    field: str
    message: str

    def __str__(self) -> str:
        where = f"第{self.row}行"
        if self.column:
            where += f" {self.column}列"
        if self.field:
            where += f" {self.field}"
        return f"{where}：{self.message}"


@dataclasses.dataclass(frozen=True)
class ImportedMember:
    member: Member
    row: int  # spreadsheet row it came from


@dataclasses.dataclass(frozen=True)
class ImportReport:
    members: list[ImportedMember]
    errors: list[Issue]
    warnings: list[Issue]
    infos: list[Issue] = dataclasses.field(default_factory=list)  # not counted as 提示
    rows_read: int = 0
    sheet_name: str = ""
    header_row: int = 0
    branch_names: tuple[str, ...] = ()  # distinct 所在党支部 values, in order of appearance
    #: 党小组 named in the sheet that the book does not have: importing creates them.
    new_groups: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        return (
            f"共读取 {self.rows_read} 行：可导入 {len(self.members)} 人，"
            f"错误 {len(self.errors)} 处，提示 {len(self.warnings)} 处"
        )


# ---------------------------------------------------------------------------- reading


def read_roster(
    path: str | os.PathLike[str],
    *,
    existing_ids: Mapping[str, str] = _NO_IDS,
    today: dt.date | None = None,
    existing_groups: Collection[str] | None = None,
) -> ImportReport:
    """Read and check a roster workbook; never writes anything.

    ``existing_ids`` maps the id_number of members already in the book to their name.
    Raises RosterFormatError (Chinese message) when the file cannot be read as xlsx or no
    sheet has a header row with 姓名 and at least two other known columns.
    With ``existing_groups`` (the book's 党小组 names), every other group named in the sheet
    is reported once as a warning: importing would create it, and a typo ("第四党小组")
    must not create a group silently.
    """
    sheet, header_row, columns, infos = _locate_header(Path(path))
    reader = _RowReader(sheet, columns, existing_ids, today or dt.date.today(), infos)
    reader.read_from(header_row + 1)
    if sheet.too_many:
        message = (
            f"表格中有数据的行超过 {MAX_ROWS} 行，党支部名册不会有这么多人。请检查是否选错了"
            "文件或工作表，或删除多余的行后再导入；本次未导入任何人员"
        )
        reader.errors.append(Issue(sheet.last_row, "", "", message))
    new_groups: dict[str, list[int]] = {}
    if existing_groups is not None:
        known = set(existing_groups)
        for item in reader.members:
            name = item.member.group_name
            if name and name not in known:
                new_groups.setdefault(name, []).append(item.row)
        have = "、".join(existing_groups) or "（账簿中还没有党小组）"
        for name, rows in new_groups.items():
            where = "、".join(str(r) for r in rows[:5]) + ("等" if len(rows) > 5 else "")
            reader._warn(
                rows[0],
                "group",
                f"账簿中没有“{name}”，导入时将新建这个党小组（第{where}行，共{len(rows)}人）。"
                f"如是笔误，请在 Excel 中改正。现有党小组：{have}",
            )
    return ImportReport(
        members=reader.members,
        errors=reader.errors,
        warnings=reader.warnings,
        infos=reader.infos,
        rows_read=reader.rows_read,
        sheet_name=sheet.title,
        header_row=header_row,
        branch_names=tuple(reader.branches),
        new_groups=tuple(new_groups),
    )


def _sheets(path: Path) -> Iterator[SheetData]:
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise RosterFormatError(f"无法读取文件“{path.name}”：{exc.strerror or exc}") from exc
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise RosterFormatError(
            f"“{path.name}”是旧版 .xls 文件或设置了密码。请在 Excel 或 WPS 中打开它，"
            "“另存为”Excel 工作簿（.xlsx，并取消密码）后再导入"
        )
    if not head.startswith(b"PK"):
        raise RosterFormatError(f"“{path.name}”不是 Excel（.xlsx）文件")
    try:
        yield from read_sheets(path, max_rows=MAX_ROWS + _HEADER_SCAN_ROWS)
    except SheetFormatError as exc:
        raise RosterFormatError(str(exc)) from exc
    except OSError as exc:
        raise RosterFormatError(f"无法读取文件“{path.name}”：{exc.strerror or exc}") from exc


def _clean_header(value: object) -> str:
    if value is None:
        return ""
    text = "".join(str(value).split())  # spaces, full-width spaces, line breaks
    return _HEADER_MARKS.sub("", text)


_Columns = dict[str, tuple[int, str]]  # field key → (1-based column, header text)


def _locate_header(path: Path) -> tuple[SheetData, int, _Columns, list[Issue]]:
    for sheet in _sheets(path):
        for r in range(1, _HEADER_SCAN_ROWS + 1):
            columns: _Columns = {}
            infos: list[Issue] = []
            unknown: list[str] = []
            width = max(len(sheet.values(r)), sheet.merges.widest_before(r))
            for c in range(1, width + 1):
                text = _clean_header(sheet.filled(r, c))
                key = _ALIASES.get(text)
                if key is None:
                    if text:
                        unknown.append(text)
                elif key in columns:
                    first = columns[key]
                    infos.append(
                        Issue(
                            r,
                            get_column_letter(c),
                            text,
                            f"与{get_column_letter(first[0])}列“{first[1]}”重复，已忽略",
                        )
                    )
                else:
                    columns[key] = (c, text)
            if "name" in columns and len(columns) >= 3:
                if unknown:
                    infos.append(Issue(r, "", "", f"未识别的列已忽略：{'、'.join(unknown)}"))
                return sheet, r, columns, infos
    expected = "、".join(aliases[0] for aliases in _HEADERS.values())
    raise RosterFormatError(
        f"在前{_HEADER_SCAN_ROWS}行中找不到表头行。表头应包含“姓名”及至少两个下列列名："
        f"{expected}（也可用 身份证号、出生年月、入党时间 等常见写法）"
    )


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).replace("\u3000", " ").replace("\xa0", " ").strip()


def _date_input(value: object, number_format: str) -> object:
    """What parse_date should see for a cell: numbers become the text Excel displays."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if isinstance(value, int) or value.is_integer():
        return str(int(value))
    decimals = number_format.split(".", 1)[1].count("0") if "." in number_format else 0
    text = f"{value:.{decimals}f}" if decimals >= 2 else repr(value)
    if re.fullmatch(r"\d{4}\.1", text):
        raise DateParseError(
            f"“{text}”是数字格式，分不清是1月还是10月，请将该列设为文本后写成 {text}0 或 {text}"
            "（表示1月请写 -01）"
        )
    return text


class _RowReader:
    """Reads the data rows under the header and collects members and issues."""

    def __init__(
        self,
        sheet: SheetData,
        columns: _Columns,
        existing_ids: Mapping[str, str],
        today: dt.date,
        infos: list[Issue],
    ) -> None:
        self.sheet = sheet
        self.columns = columns
        self.existing = {normalize_id(k): v for k, v in existing_ids.items()}
        self.today = today
        self.members: list[ImportedMember] = []
        self.errors: list[Issue] = []
        self.warnings: list[Issue] = []
        self.infos = infos
        self.rows_read = 0
        self.branches: list[str] = []
        self._branch_rows: dict[str, int] = {}
        self._seen_ids: dict[str, tuple[int, str]] = {}
        self._data_cols = [c for k, (c, _) in columns.items() if k not in _NOT_DATA]
        self._width = max(c for c, _ in columns.values())

    # -- helpers
    def _where(self, key: str) -> tuple[str, str]:
        if key in self.columns:
            col, header = self.columns[key]
            return get_column_letter(col), header
        return "", _HEADERS[key][0]

    def _error(self, row: int, key: str, message: str) -> None:
        self.errors.append(Issue(row, *self._where(key), message))

    def _warn(self, row: int, key: str, message: str) -> None:
        self.warnings.append(Issue(row, *self._where(key), message))

    def _info(self, row: int, key: str, message: str) -> None:
        self.infos.append(Issue(row, *self._where(key), message))

    def read_from(self, first_row: int) -> None:
        sheet = self.sheet
        for r, values in sheet.rows.items():  # only rows holding a value, in order
            if r < first_row:
                continue
            raw = list(values[: self._width]) + [None] * (self._width - len(values))
            if self._is_footer(raw) or not any(_text(raw[c - 1]) for c in self._data_cols):
                continue
            self.rows_read += 1
            cells = {key: sheet.filled(r, c) for key, (c, _) in self.columns.items()}
            self._read_row(r, cells)

    def _is_footer(self, raw: list[object]) -> bool:
        name = _text(raw[self.columns["name"][0] - 1])
        if name and not name.startswith(_FOOTER_PREFIXES[:4]):
            return False
        first = next((t for t in map(_text, raw) if t), "")
        return first.startswith(_FOOTER_PREFIXES)

    def _date(
        self, row: int, key: str, value: object, *, allow_month: bool = False
    ) -> tuple[dt.date | None, bool]:
        """The date and whether it was year+month only; errors are recorded, giving None."""
        try:
            number_format = "General"
            if isinstance(value, float) and key in self.columns:
                number_format = self.sheet.number_format(row, self.columns[key][0])
            value = _date_input(value, number_format)
            try:
                return parse_date(value), False
            except DateParseError:
                if not allow_month:
                    raise
                return parse_date(value, allow_month=True), True
        except DateParseError as exc:
            self._error(row, key, str(exc))
            return None, False

    # -- one row
    def _read_row(self, r: int, cells: dict[str, object]) -> None:
        errors_before = len(self.errors)
        name = normalize_name(_text(cells.get("name")))
        if not name:
            self._error(r, "name", "姓名为空")

        gender_text = "".join(_text(cells.get("gender")).split())
        gender = _GENDERS.get(gender_text, "")
        if gender_text and not gender:
            self._error(r, "gender", f"“{gender_text}”不是有效性别（应为 男 或 女）")

        id_info = None
        birth_from_id = False
        raw_id = cells.get("id_number")
        if isinstance(raw_id, int | float) and not isinstance(raw_id, bool):
            self._error(r, "id_number", _NUMERIC_ID)
        elif _text(raw_id):
            try:
                id_info = parse_id(_text(raw_id))
            except IdNumberError as exc:
                message = str(exc)
                if re.search(r"\d[.]\d+E\+\d+", _text(raw_id), re.IGNORECASE):
                    message = _NUMERIC_ID
                self._error(r, "id_number", message)
        else:
            self._warn(r, "id_number", "未填写身份证号，无法核对出生日期、性别和重复")

        birth, birth_month_only = self._date(
            r, "birth_date", cells.get("birth_date"), allow_month=True
        )
        join, _ = self._date(r, "join_date", cells.get("join_date"))
        full, _ = self._date(r, "full_date", cells.get("full_date"))

        category_text = "".join(_text(cells.get("category")).split())
        category = _CATEGORIES.get(category_text)
        if category is None:
            if category_text:
                self._error(
                    r, "category", f"“{category_text}”不是有效人员类别（应为 正式党员 或 预备党员）"
                )
            elif full is not None:
                category = Category.FULL
                self._info(r, "category", "人员类别未填，按已填转正日期视为正式党员")
            else:
                self._error(r, "category", "人员类别未填（应为 正式党员 或 预备党员）")

        if id_info is not None:
            number = id_info.number
            if number in self._seen_ids:
                first_row, first_name = self._seen_ids[number]
                self._error(r, "id_number", f"与第{first_row}行（{first_name}）的身份证号重复")
            else:
                self._seen_ids[number] = (r, name)
            if number in self.existing:
                self._error(r, "id_number", f"该身份证号已在名册中（{self.existing[number]}）")
            if not gender_text:
                gender = id_info.gender
                self._info(r, "gender", f"性别未填，按身份证号填为“{gender}”")
            elif gender and gender != id_info.gender:
                self._warn(r, "gender", f"性别“{gender}”与身份证号（{id_info.gender}）不一致")
            id_birth = id_info.birth_date
            if birth is None and not _text(cells.get("birth_date")):
                birth, birth_from_id = id_birth, True
                self._info(r, "birth_date", f"出生日期未填，按身份证号填为 {id_birth}")
            elif birth is not None and birth_month_only:
                if (birth.year, birth.month) == (id_birth.year, id_birth.month):
                    birth = id_birth  # the ID gives the day the column leaves out
                else:
                    self._warn(
                        r, "birth_date", f"出生年月 {birth:%Y-%m} 与身份证号中的 {id_birth} 不一致"
                    )
            elif birth is not None and birth != id_birth:
                self._warn(
                    r,
                    "birth_date",
                    f"出生日期{format_cn(birth)}与身份证号中的{format_cn(id_birth)}不一致",
                )

        self._check_dates(r, birth, join, full, category, birth_from_id=birth_from_id)
        if category == Category.PROBATIONARY and full is not None and full <= self.today:
            # 人员类别 follows from the 转正日期 (the book refuses a 预备党员 with one).
            category = Category.FULL
        self._note_branch(r, _text(cells.get("branch")))
        events = self._roster_facts(r, cells)

        if len(self.errors) > errors_before or category is None:
            return
        education = _text(cells.get("education"))
        member = Member(
            name=name,
            gender=gender,
            ethnicity=_text(cells.get("ethnicity")),
            birth_date=birth,
            id_number=id_info.number if id_info else "",
            education=_EDUCATION.get(education, education),
            category=category,
            join_date=join,
            full_date=full,
            post=_text(cells.get("post")),
            phone=_text(cells.get("phone")),
            group_name=_text(cells.get("group")),
            notes=_text(cells.get("notes")),
            events=events,
        )
        self.members.append(ImportedMember(member, r))

    def _roster_facts(self, r: int, cells: dict[str, object]) -> tuple[MembershipEvent, ...]:
        """离退休 (from its date) and 流动 (from 流出时间, at 流出地) as events."""
        events: list[MembershipEvent] = []
        retired, _ = self._date(r, "retired_date", cells.get("retired_date"))
        if retired is not None:
            events.append(MembershipEvent(EventKind.RETIRED, retired))
        elif "离退休" in _text(cells.get("post")):
            self._warn(r, "post", f"工作岗位为离退休但未填离退休时间，暂按导入日期 {self.today} "
                       "视为离退休，请在“组织关系变动”中改为实际日期")  # fmt: skip
            events.append(MembershipEvent(EventKind.RETIRED, self.today, note="导入时未填日期"))
        mobile = "".join(_text(cells.get("mobile")).split())
        if mobile in ("是", "Y", "y", "√"):
            since, _ = self._date(r, "mobile_from", cells.get("mobile_from"))
            place = _text(cells.get("mobile_place"))
            if since is None:
                self._warn(r, "mobile_from", f"流动党员未填流出时间，暂按导入日期 {self.today} 记")
                since = self.today
            events.append(MembershipEvent(EventKind.MOBILE, since, None, place))
        elif mobile and mobile not in ("否", "N", "n"):
            self._error(r, "mobile", f"“{mobile}”应为 是 或 否")
        return tuple(events)

    def _check_dates(
        self,
        r: int,
        birth: dt.date | None,
        join: dt.date | None,
        full: dt.date | None,
        category: Category | None,
        *,
        birth_from_id: bool,
    ) -> None:
        if birth is not None and join is not None and age_on(birth, join) < 18:
            source = "身份证号中的出生日期" if birth_from_id else "出生日期"
            self._error(
                r,
                "join_date",
                f"入党时未满18周岁（{source}{format_cn(birth)}，入党日期{format_cn(join)}）",
            )
        if join is not None and full is not None and full < join:
            self._error(
                r, "full_date", f"转正日期{format_cn(full)}早于入党日期{format_cn(join)}"
            )
        elif join is not None and full is not None and full < add_years(join, 1):
            self._error(
                r,
                "full_date",
                f"转正日期{format_cn(full)}早于预备期届满日{format_cn(add_years(join, 1))}"
                "（预备期一年）",
            )
        if join is not None and join > self.today:
            self._warn(r, "join_date", f"入党日期{format_cn(join)}晚于今天")
        if category == Category.PROBATIONARY and join is not None:
            if full is not None and full <= self.today:
                self._warn(
                    r,
                    "category",
                    f"人员类别为预备党员，但转正日期{format_cn(full)}已过：按转正日期记为正式党员",
                )
            elif full is None and add_years(join, 1) < self.today:
                self._warn(
                    r,
                    "category",
                    f"预备党员入党已满一年（入党日期{format_cn(join)}），预备期可能已到期，请及时讨论转正",
                )

    def _note_branch(self, r: int, branch: str) -> None:
        if not branch or branch in self._branch_rows:
            return
        self._branch_rows[branch] = r
        self.branches.append(branch)
        if len(self.branches) > 1:
            first = self.branches[0]
            self._warn(
                r,
                "branch",
                f"所在党支部“{branch}”与第{self._branch_rows[first]}行的"
                f"“{first}”不同，请确认名册只含本支部党员",
            )


# ---------------------------------------------------------------------------- writing

