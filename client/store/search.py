"""Search columns of a case (name, ID number, place, pinyin initials) and the worklist text filter."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, false, func, literal_column, or_, select, true

from client.domain.names import normalize_name, pinyin_initials
from client.store.models import case_initials_table, cases_table


@dataclass(frozen=True, slots=True)
class SearchColumns:
    name_norm: str
    id_number: str
    place: str
    initials: tuple[str, ...]


def _searchable_people(kind: str, data: dict[str, Any]) -> list[dict[str, Any]]:
    """The people a worker would type to find this case, most important first."""
    def person(value: Any) -> list[dict[str, Any]]:
        return [value] if isinstance(value, dict) else []

    if kind == "error":
        return person(data.get("person"))
    if kind == "birth":
        people = person(data.get("proposed")) + person(data.get("mother"))
        cert = data.get("certificate")
        if isinstance(cert, dict) and not people:
            # No matched records yet: the certificate still names the child and the mother.
            people = [{"name": cert.get("name")},
                      {"name": cert.get("mother_name"), "id_number": cert.get("mother_id_number")}]
        return people
    if kind == "duplicates":
        members = data.get("members")
        return person(members[0]) if isinstance(members, list) and members else []
    return []


@lru_cache(maxsize=1 << 16)
def _name_keys(name: str) -> tuple[str, tuple[str, ...]]:
    # Bootstraps repeat the same names many times; pinyin is the costly part of an upsert.
    norm = normalize_name(name)
    return norm, tuple(pinyin_initials(norm)) if norm else ()


def _place_of(kind: str, data: dict[str, Any], people: list[dict[str, Any]]) -> str:
    if kind == "birth":
        households = data.get("households")
        if isinstance(households, list):
            for household in households:
                if isinstance(household, dict) and household.get("place"):
                    return str(household["place"])
    for person in people:
        for field in ("hukou_place", "residence_place", "managing_place"):
            if person.get(field):
                return str(person[field])
    return ""


def search_columns(kind: str, data: dict[str, Any] | None) -> SearchColumns:
    """Derive the indexed search columns from a case's data (shadow, or shadow + overlay).

    error: the person; birth: the proposed child and the mother (place: first candidate
    household); duplicates: the first member. `name_norm` holds every searched name,
    space-separated; `id_number` the first ID number found.
    """
    if not isinstance(data, dict):
        return SearchColumns("", "", "", ())
    people = _searchable_people(kind, data)
    names: list[str] = []
    initials: dict[str, None] = {}
    id_number = ""
    for person in people:
        raw = person.get("name")
        if isinstance(raw, str) and raw.strip():
            norm, readings = _name_keys(raw)
            if norm:
                names.append(norm)
                initials.update(dict.fromkeys(readings))
        number = person.get("id_number")
        if not id_number and isinstance(number, str) and number.strip():
            id_number = number.strip().upper()
    return SearchColumns(" ".join(names), id_number, _place_of(kind, data, people), tuple(initials))


_GLOB_SPECIAL = re.compile(r"([*?\[])")
_ID_TEXT = re.compile(r"[0-9]+[0-9X]*")
_LETTERS = re.compile(r"[a-z]+")
_CASE_ID = re.compile(r"[A-Z]-[0-9]*")


def _glob_prefix(text: str) -> str:
    return _GLOB_SPECIAL.sub(r"[\1]", text) + "*"


def _rows_where(condition: ColumnElement[bool]) -> ColumnElement[bool]:
    # `rowid IN (SELECT rowid ... WHERE condition)` lets SQLite evaluate a substring test by
    # scanning the narrow column index instead of the wide rows (each holds a case's JSON).
    inner = select(literal_column("rowid")).select_from(cases_table).where(condition)
    return literal_column("cases.rowid").in_(inner.scalar_subquery())


def text_filter(text: str | None) -> ColumnElement[bool]:
    """SQL condition on `cases` for what the worker typed in the worklist filter box.

    Matches a name substring (normalized), an ID number prefix (4+ characters: substring),
    a pinyin-initials prefix (any reading of a polyphone), a place code prefix, or a case id
    prefix. Every branch is answered from an index (GLOB is case-sensitive, so SQLite can use
    an index for a prefix; substrings scan an index, not the table).
    """
    raw = (text or "").strip()
    if not raw:
        return true()
    conditions: list[ColumnElement[bool]] = []
    c = cases_table.c
    compact = re.sub(r"[\s\-]", "", raw)
    upper = compact.upper()
    if _ID_TEXT.fullmatch(upper):
        if len(upper) >= 4:
            conditions.append(_rows_where(func.instr(c.id_number, upper) > 0))
        else:
            conditions.append(c.id_number.op("GLOB")(_glob_prefix(upper)))
        if upper.isdigit():
            conditions.append(c.place.op("GLOB")(_glob_prefix(upper)))
    lower = compact.lower()
    if _LETTERS.fullmatch(lower):
        conditions.append(c.id.in_(
            select(case_initials_table.c.case_id)
            .where(case_initials_table.c.initials.op("GLOB")(_glob_prefix(lower)))))
    if _CASE_ID.fullmatch(raw.upper()):
        conditions.append(c.id.op("GLOB")(_glob_prefix(raw.upper())))
    name = normalize_name(raw)
    if name and not name.isascii():
        conditions.append(_rows_where(c.name_norm.contains(name, autoescape=True)))
    return or_(*conditions) if conditions else false()
