"""Integrity of person field values before they are stored or sent (client and server alike):
ID numbers normalized (full-width to ASCII, `x` to `X`, spaces removed), a maximum length for every
text field that no override lifts, and no invisible control or direction characters (U+202E)."""

from __future__ import annotations

import unicodedata
from typing import Any

from client.domain.idnumber import normalize_id_text

ID_FIELDS: tuple[str, ...] = ("id_number", "spouse_id_number", "father_id_number", "mother_id_number")

_CODE = 12          # division and standard codes
_DATE = 10          # ISO dates
MAX_LENGTH: dict[str, int] = {
    "person_id": 64, "household_id": 64,
    "name": 50, "former_name": 50, "spouse_name": 50, "father_name": 50, "mother_name": 50,
    **{f: 18 for f in ID_FIELDS},
    "birth_cert_number": 32,
    "hukou_address": 200, "residence_address": 200,
    "birth_date": _DATE, "first_marriage_date": _DATE, "marital_change_date": _DATE, "death_date": _DATE,
    "hukou_place": _CODE, "residence_place": _CODE, "managing_place": _CODE,
    "relation": 4, "sex": 2, "ethnicity": 4, "id_type": 4, "nationality": 4, "hukou_type": 4,
    "marital_status": 4, "education": 4, "education_system": 4,
}
DEFAULT_MAX_LENGTH = 100


class ValueRefused(ValueError):
    """A field value that cannot be stored; `str()` is the Chinese reason."""

    def __init__(self, field: str, why: str, kind: str, limit: int = 0):
        super().__init__(why)
        self.field = field
        self.kind = kind      # "too_long" or "hidden_chars"
        self.limit = limit


def _hidden(ch: str) -> bool:
    # Cc: control characters; Cf: format characters (U+202E RIGHT-TO-LEFT OVERRIDE, zero widths).
    return unicodedata.category(ch) in ("Cc", "Cf")


def normalize_value(field: str, value: str | None) -> str | None:
    """The value as it is stored: stripped, ID numbers normalized, empty -> None. Raises
    ValueRefused for a value that is too long or holds invisible characters."""
    if value is None:
        return None
    text = str(value).strip()
    if field in ID_FIELDS:
        text = normalize_id_text(text)
    if any(_hidden(c) for c in text):
        raise ValueRefused(field, f"字段 {field} 含有不可见的控制字符", "hidden_chars")
    limit = MAX_LENGTH.get(field, DEFAULT_MAX_LENGTH)
    if len(text) > limit:
        raise ValueRefused(field, f"字段 {field} 超过最大长度 {limit}", "too_long", limit)
    return text or None


def normalize_person(person: dict[str, Any]) -> dict[str, Any]:
    """Every field of a person record through normalize_value (keys kept; None stays None)."""
    return {k: normalize_value(k, v) if isinstance(v, str) else v for k, v in person.items()}
