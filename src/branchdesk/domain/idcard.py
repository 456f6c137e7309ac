"""公民身份号码 (GB 11643-1999): checksum, birth date and sex."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


@dataclass(frozen=True)
class IdInfo:
    number: str  # normalised: 18 characters, upper-case X
    birth_date: dt.date
    gender: str  # 男 / 女


class IdNumberError(ValueError):
    """The number fails GB 11643."""


def check_digit(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def normalize_id(text: str) -> str:
    """Full-width digits/Ｘ to ASCII (NFKC), all whitespace removed, x upper-cased."""
    return "".join(unicodedata.normalize("NFKC", text).split()).upper()


def parse_id(text: str) -> IdInfo:
    """Validate an 18-digit number; lower-case x is accepted and normalised."""
    number = normalize_id(text)
    if len(number) != 18:
        raise IdNumberError(f"身份证号“{text}”应为18位（现为{len(number)}位）")
    if (
        not number.isascii()
        or not number[:17].isdigit()
        or not (number[17].isdigit() or number[17] == "X")
    ):
        raise IdNumberError(f"身份证号“{text}”含有非法字符")
    if check_digit(number[:17]) != number[17]:
        raise IdNumberError(f"身份证号“{text}”校验位错误（应为 {check_digit(number[:17])}）")
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdNumberError(f"身份证号“{text}”中的出生日期无效") from None
    gender = "男" if int(number[16]) % 2 == 1 else "女"
    return IdInfo(number=number, birth_date=birth, gender=gender)


def mask_id(number: str | None) -> str:
    """Show only the last four characters, as tables must."""
    if not number:
        return ""
    return "*" * (len(number) - 4) + number[-4:] if len(number) > 4 else number
