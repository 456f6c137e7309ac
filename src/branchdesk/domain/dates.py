"""Dates as a secretary writes them, and as official documents print them."""

from __future__ import annotations

import datetime as dt
import re

_SEP_DATE = re.compile(
    r"^\s*(\d{4})\s*[-./年]\s*(\d{1,2})\s*(?:[-./月]\s*(\d{1,2})\s*日?)?\s*月?\s*$"
)
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})?\s*$")


class DateParseError(ValueError):
    """The text is not a date we can read."""


def parse_date(value: object, *, allow_month: bool = False) -> dt.date | None:
    """Read a date from a spreadsheet cell or a typed string.

    Accepts date/datetime objects, 2019-07-01, 2019.07.01, 2019/7/1, 2019年7月1日, 20190701.
    With ``allow_month`` a year and month alone (2019.07, 2019年7月 — common in 出生年月)
    gives the first day of that month. Empty values give None; anything else raises
    DateParseError with a Chinese message.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip().replace("\u3000", "")
    if not text:
        return None
    m = _SEP_DATE.match(text) or _COMPACT.match(text)
    if not m:
        raise DateParseError(f"“{text}”不是有效日期（应如 2019-07-01 或 2019年7月1日）")
    year, month = int(m.group(1)), int(m.group(2))
    day_text = m.group(3)
    if day_text is None and not allow_month:
        raise DateParseError(f"“{text}”缺少日（应如 2019-07-01）")
    day = int(day_text) if day_text else 1
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise DateParseError(f"“{text}”不是有效日期") from None


def format_cn(value: dt.date | None) -> str:
    """2025年12月1日 — the form GB/T 9704 uses; empty for None."""
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


def format_cn_month(value: dt.date | None) -> str:
    """2025年12月 — for 出生年月 style columns."""
    if value is None:
        return ""
    return f"{value.year}年{value.month}月"


def age_on(birth: dt.date, on: dt.date) -> int:
    """Whole years of age on a date."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
