"""Citizen ID numbers (GB 11643-1999): normalize what people type or paste, then check it.

Message codes are stable strings; ID_MESSAGES phrases them in Chinese for the rule engine and the UI.
"""

from __future__ import annotations

import functools
import operator
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from client.domain._tables import read_rows

# Errors (the number cannot be used as given).
ID_EMPTY = "ID_EMPTY"
ID_SCIENTIFIC = "ID_SCIENTIFIC"
ID_FORMAT = "ID_FORMAT"
ID_CHECKSUM = "ID_CHECKSUM"
ID_DATE = "ID_DATE"
ID_PROVINCE = "ID_PROVINCE"
ID_PLACEHOLDER = "ID_PLACEHOLDER"
# Warnings (the number is usable, somebody may want to look at it).
ID_CONVERTED_15 = "ID_CONVERTED_15"
ID_REGION_UNKNOWN = "ID_REGION_UNKNOWN"

ID_ERRORS = (ID_EMPTY, ID_SCIENTIFIC, ID_FORMAT, ID_CHECKSUM, ID_DATE, ID_PROVINCE, ID_PLACEHOLDER)
ID_WARNINGS = (ID_CONVERTED_15, ID_REGION_UNKNOWN)

ID_MESSAGES: dict[str, str] = {
    ID_EMPTY: "身份证号码为空",
    ID_SCIENTIFIC: "身份证号码被表格软件显示成了科学计数法（如 6.10102E+17），后几位已丢失，请按原件重新录入",
    ID_FORMAT: "身份证号码格式不对：应为18位（前17位数字，最后一位数字或X），或15位数字的旧号码",
    ID_CHECKSUM: "身份证号码校验位不对，可能有数字录错或两位数字顺序颠倒",
    ID_DATE: "身份证号码中的出生日期不存在，或早于1880年、晚于今天",
    ID_PROVINCE: "身份证号码前两位不是已知的省级代码",
    ID_PLACEHOLDER: "身份证号码是占位号码（全零、重复数字等），不是真实号码",
    ID_CONVERTED_15: "15位旧身份证号码已转换为18位",
    ID_REGION_UNKNOWN: "身份证号码前六位地址码不在1980—2024年行政区划代码表中（发证时的地址码，通常不影响使用）",
}

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
MIN_BIRTH = date(1880, 1, 1)

# Hyphen-like characters people paste from Word, web pages or phone keyboards.
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―−﹣－_]+")
_SCIENTIFIC = re.compile(r"^[+-]?\d+(\.\d*)?E[+-]?\d+$", re.ASCII)
_FORMAT_18 = re.compile(r"^\d{17}[\dX]$", re.ASCII)
_FORMAT_15 = re.compile(r"^\d{15}$", re.ASCII)
_ASCENDING = "01234567890123456789"
_DESCENDING = "98765432109876543210"


@dataclass(frozen=True)
class IdCheck:
    """Outcome of check_id_number.

    normalized is the 18-character form whenever the text has the right shape (even if the
    check character or date is wrong, so a typo can still be compared), else None.
    """

    valid: bool
    normalized: str | None
    birth_date: date | None
    sex: int | None
    region_code: str | None
    errors: tuple[str, ...]
    warnings: tuple[str, ...]
    placeholder: bool = False

    def messages(self) -> list[str]:
        return [ID_MESSAGES[c] for c in (*self.errors, *self.warnings)]


def normalize_id_text(text: str | None) -> str:
    """NFKC (full-width digits), drop spaces, hyphens and an Excel text apostrophe, upper-case x."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text))
    s = _SEPARATORS.sub("", s)
    s = s.strip("'\"`")  # Excel's text prefix and quotes from CSV exports
    return s.upper()


def id_check_char(first17: str) -> str:
    """The GB 11643 check character for 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError(f"need 17 ASCII digits, got {first17!r}")
    total = sum(map(operator.mul, map(int, first17), _WEIGHTS))  # map: C speed, this runs per record
    return _CHECK_CHARS[total % 11]


def make_id_number(region6: str, birth: date, seq3: int) -> str:
    """A valid 18-character number; odd seq3 means male."""
    if len(region6) != 6 or not region6.isascii() or not region6.isdigit():
        raise ValueError(f"region code must be 6 digits, got {region6!r}")
    if not 0 <= int(seq3) <= 999:
        raise ValueError(f"sequence must be 0..999, got {seq3!r}")
    first17 = f"{region6}{birth:%Y%m%d}{int(seq3):03d}"
    return first17 + id_check_char(first17)


def convert_15_to_18(number15: str) -> str:
    """Legacy 15-digit number to 18 characters: '19' before the year, check character appended."""
    first17 = number15[:6] + "19" + number15[6:]
    return first17 + id_check_char(first17)


@functools.cache
def _known_provinces() -> frozenset[str]:
    # 11..65 plus 71 (Taiwan) and 81/82/83 (residence permits of HK, Macao, Taiwan residents)
    return frozenset(r["code"][:2] for r in read_rows("divisions", "gbt2260_code_history_1980_2024.csv")
                     if r["level"] in ("province", "special"))


@functools.cache
def _known_regions() -> frozenset[str]:
    return frozenset(r["code"] for r in read_rows("divisions", "gbt2260_code_history_1980_2024.csv"))


def province_code_known(code2: str) -> bool:
    """Whether a 2-digit province code exists in GB/T 2260 (1980-2024) or is 81/82/83."""
    return code2 in _known_provinces()


def region_code_known(code6: str) -> bool:
    """Whether a 6-digit address code was in force at some time between 1980 and 2024."""
    return code6 in _known_regions()


def _is_placeholder(number: str) -> bool:
    body = number[:17]
    if len(set(number)) == 1 or len(set(body)) == 1:
        return True
    if number[:6] == "000000":  # 000000YYYYMMDD0000 and friends: no real address code
        return True
    return body in _ASCENDING or body in _DESCENDING


def _parse_date(yyyymmdd: str) -> date | None:
    try:
        return date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return None


def check_id_number(text: str | None, today: date | None = None) -> IdCheck:
    """Normalize and check a citizen ID number; never raises on bad input."""
    today = today or date.today()
    s = normalize_id_text(text)
    if not s:
        return IdCheck(False, None, None, None, None, (ID_EMPTY,), ())
    if _SCIENTIFIC.match(s):
        return IdCheck(False, None, None, None, None, (ID_SCIENTIFIC,), ())

    warnings: list[str] = []
    if _FORMAT_15.match(s):
        s = convert_15_to_18(s)
        warnings.append(ID_CONVERTED_15)
    elif not _FORMAT_18.match(s):
        return IdCheck(False, None, None, None, None, (ID_FORMAT,), ())

    birth = _parse_date(s[6:14])
    if birth is not None and not MIN_BIRTH <= birth <= today:
        birth = None
    if _is_placeholder(s):
        return IdCheck(False, s, birth, None, None, (ID_PLACEHOLDER,), tuple(warnings), placeholder=True)

    errors: list[str] = []
    if id_check_char(s[:17]) != s[17]:
        errors.append(ID_CHECKSUM)
    if birth is None:
        errors.append(ID_DATE)
    region = s[:6]
    if not province_code_known(region[:2]):
        errors.append(ID_PROVINCE)
    elif not region_code_known(region):
        warnings.append(ID_REGION_UNKNOWN)
    sex = 1 if int(s[16]) % 2 else 2
    return IdCheck(not errors, s, birth, sex, region, tuple(errors), tuple(warnings))
