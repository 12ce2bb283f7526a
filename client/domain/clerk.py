"""Values as clerks type them into spreadsheets, brought to the standard form before any rule runs.

Code fields by name as well as by code (男 → 1, 汉族 → 01, 户主 → 02, 农业户口 → 2, 已婚 → 20),
dates as 1985/2/3, 1985.2.3, 1985年2月3日, 19850203 or an Excel day number (31081), full-width digits
and letters (NFKC). Nothing is guessed: a value that has no standard form is left as it was, so the
rules report it. An ID number that Excel turned into 6.10424E+17 stays as it is: the ID rules report it
as lost (ID_SCIENTIFIC), since its last digits are gone.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from typing import Any

from client.domain.codes import code_table
from client.domain.idnumber import normalize_id_text

# field -> code table of the value (education depends on education_system: see normalize_person)
CODE_FIELDS = {"sex": "sex", "relation": "relation", "ethnicity": "ethnicity", "id_type": "id_type",
               "hukou_type": "hukou_type", "marital_status": "marital",
               "mother_ethnicity": "ethnicity", "father_ethnicity": "ethnicity",
               "mother_id_type": "id_type", "father_id_type": "id_type"}
DATE_FIELDS = ("birth_date", "first_marriage_date", "marital_change_date", "death_date", "issue_date",
               "registered_at", "updated_at")
ID_FIELDS = ("id_number", "spouse_id_number", "father_id_number", "mother_id_number")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_EXCEL_EPOCH = date(1899, 12, 30)     # Excel's day 1 is 1900-01-01 (with its 1900 leap-day bug)
_EXCEL_DAYS = (1, 80000)              # 1900 … 2119: other numbers in a date column are not days


def text(value: Any) -> str:
    """NFKC (full-width digits and letters become ASCII), surrounding spaces dropped."""
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip()


def parse_date(value: Any) -> str | None:
    """ISO date (YYYY-MM-DD) of a clerk's date, or None if it is not a date in any accepted form."""
    if isinstance(value, date):
        return value.isoformat()[:10]
    s = text(value)
    if not s:
        return None
    m = _DATE.match(s) or _COMPACT.match(s)
    if m is None:
        if re.fullmatch(r"\d+(\.0+)?", s) and _EXCEL_DAYS[0] <= float(s) <= _EXCEL_DAYS[1]:
            return (_EXCEL_EPOCH + timedelta(days=int(float(s)))).isoformat()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ].*", s):   # a date-time: its date
            s = s[:10]
            m = _DATE.match(s)
        if m is None:
            return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None


def code_of(table: str, value: Any) -> str | None:
    """The standard code of a value given as code, code without its leading zeros, or name."""
    s = text(value)
    if not s:
        return None
    t = code_table(table)
    code = t.normalize_code(s)
    if code is not None:
        return code
    entry = t.lookup_name(s)
    return entry.code if entry else None


def normalize_person(record: dict[str, Any]) -> dict[str, Any]:
    """A copy of the record with every value in standard form where one exists (see module doc)."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        if value is None or isinstance(value, (dict, list)):
            out[key] = value
            continue
        s = text(value) if not isinstance(value, date) else value
        if key in CODE_FIELDS:
            out[key] = code_of(CODE_FIELDS[key], s) or s
        elif key in DATE_FIELDS:
            out[key] = parse_date(s) or s
        elif key in ID_FIELDS or key.endswith("_id_number"):
            out[key] = s if isinstance(s, date) or "E+" in s.upper() else normalize_id_text(s)
        else:
            out[key] = s
    system = out.get("education_system") or "2006"
    if out.get("education"):
        table = "education_1984" if str(system).startswith("1984") else "education_2006"
        out["education"] = code_of(table, out["education"]) or out["education"]
    return {k: v for k, v in out.items() if v != ""}


def scientific_id(value: Any) -> bool:
    """An ID number that a spreadsheet turned into a number in scientific notation (digits lost)."""
    return bool(re.fullmatch(r"\d(\.\d+)?E\+?\d+", text(value).upper()))
