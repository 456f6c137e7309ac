"""The archive's view of every area: their declarations, gathered from the registry."""

from __future__ import annotations

import getpass
import json
import os
from dataclasses import dataclass
from pathlib import Path

from branchdesk.areas import ArchiveItem, Area, Gap, Hit, load
from branchdesk.domain.archive import LockSpec, number_items
from branchdesk.store import Book, InputError

#: The name of whoever uses this PC (a per-PC setting; the audit trail records it).
OPERATOR_FILE = "operator.json"


def _areas() -> tuple[Area, ...]:
    from branchdesk.areas.registry import AREAS

    return AREAS


def lock_specs(areas: tuple[Area, ...] | None = None) -> list[LockSpec]:
    specs = []
    for area in areas if areas is not None else _areas():
        private: dict[str, list[str]] = {}
        for table, column in area.private_columns:
            private.setdefault(table, []).append(column)
        for table, year, *still_open in area.locked_tables:
            open_columns = tuple(still_open[0]) if still_open else ()
            specs.append(
                LockSpec(area.key, table, year, tuple(private.get(table, ())), open_columns)
            )
    return specs


def operator_path() -> Path:
    explicit = os.environ.get("BRANCHDESK_OPERATOR_FILE")
    if explicit:
        return Path(explicit)
    from branchdesk.paths import data_dir

    return data_dir() / OPERATOR_FILE


def operator_name() -> str:
    """The name set for this PC; the login name until one is set."""
    try:
        name = json.loads(operator_path().read_text(encoding="utf-8")).get("name", "")
    except (OSError, ValueError):
        name = ""
    if name:
        return str(name)
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return ""


def set_operator_name(name: str, book: Book | None = None) -> None:
    path = operator_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"name": name.strip()}, ensure_ascii=False), encoding="utf-8")
    if book is not None:
        book.archive.set_actor(operator_name())


def install(book: Book) -> list[str]:
    """Lock and audit triggers as the areas declare them, and who is at this PC. Called
    whenever the program opens a book (window, command line)."""
    made = book.archive.install(lock_specs())
    book.archive.set_actor(operator_name())
    return made


def year_items(book: Book, year: int) -> list[ArchiveItem]:
    """Every 件 the areas file for ``year``, in 件号 order."""
    items: list[ArchiveItem] = []
    for area in _areas():
        if area.archive:
            items.extend(load(area.archive)(book, year))
    return number_items(items)


def year_gaps(book: Book, year: int, items: list[ArchiveItem] | None = None) -> list[Gap]:
    items = items if items is not None else year_items(book, year)
    from branchdesk.areas import Target

    gaps = [g for item in items for g in item.gaps]
    for area in _areas():
        if area.archive_gaps:
            gaps.extend(load(area.archive_gaps)(book, year))
    if not any(i.area == "meetings" for i in items):
        gaps.append(Gap(f"{year}年度没有会议记录", Target("meetings", "calendar", year)))
    if not book.settings.get("archive.fonds", "").strip():
        gaps.append(Gap("没有填写全宗号（归档章要用）", Target("archive", "settings")))
    return gaps


def search_all(book: Book, query: str) -> dict[str, list[Hit]]:
    """Area title → hits, in navigation order; areas without hits are left out."""
    out: dict[str, list[Hit]] = {}
    if not query.strip():
        return out
    for area in _areas():
        if area.search:
            hits = load(area.search)(book, query.strip())
            if hits:
                out[area.title] = hits
    return out


@dataclass(frozen=True)
class Correctable:
    kind: str
    table: str
    year: str
    fields: dict[str, str]
    label_sql: str


def correctables() -> dict[str, Correctable]:
    """kind → what a 更正 of that kind may correct, and how its record's year is found."""
    out = {}
    for area in _areas():
        years = {t[0]: t[1] for t in area.locked_tables}
        for kind, table, fields, label_sql in area.corrections:
            out[kind] = Correctable(kind, table, years.get(table, ""), dict(fields), label_sql)
    return out


def write_correction(
    book: Book,
    kind: str,
    record_id: int,
    field: str,
    *,
    text: str,
    reason: str,
    approved_by: str,
    day: object = None,
) -> int:
    import datetime as dt

    known = correctables()
    if kind not in known:
        raise InputError(f"不能更正“{kind}”；可更正的记录：{'、'.join(known)}")
    spec = known[kind]
    if field not in spec.fields:
        raise InputError(f"“{kind}”没有可更正的字段 {field}；可更正：{'、'.join(spec.fields)}")
    return book.archive.add_correction(
        kind=kind,
        table=spec.table,
        record_id=record_id,
        field=field,
        label=spec.fields[field],
        year_expr=spec.year,
        record_label_sql=spec.label_sql,
        corrected=text,
        reason=reason,
        day=day if isinstance(day, dt.date) else dt.date.today(),
        approved_by=approved_by,
    )


def populate_demo(book: Book, today: object = None) -> None:
    """The demo book's archive settings (a 全宗号 is given by the archive room), and the
    积分公示 of every scoring period of past years printed, so last year can be filed."""
    import datetime as dt

    from branchdesk.domain.points import scoring_periods

    day = today if isinstance(today, dt.date) else dt.date.today()
    for year in book.points.scheme_years():
        rules = book.points.scheme(year)
        if year >= day.year or rules is None:
            continue
        for period in scoring_periods(rules, year):
            if book.points.notice_printed(period.key) is None:
                start = period.end + dt.timedelta(days=5)
                book.points.record_notice(period.key, start, start + dt.timedelta(days=7))
    for key, value in (("archive.fonds", "Z118"), ("archive.compiler", "黄磊"),
                       ("archive.checker", "李建国")):  # fmt: skip
        book.settings.set(key, value)
