"""Search and sort columns of a case (name, ID number, place, pinyin initials, sex, birth date,
main problem) and the worklist text filter."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Select, false, func, select, true, union_all

from client.store.models import case_initials_table, cases_table


# client.domain.names is imported on first use (in the functions below): pypinyin loads its
# dictionaries (~0.4 s) at import, and opening the store, or a process that only writes edits,
# should not pay for that.


@dataclass(frozen=True, slots=True)
class SearchColumns:
    name_norm: str
    id_number: str
    place: str
    initials: tuple[str, ...]
    name_key: str = ""  # the shown name's pinyin (the worklist sorts names as people read them)
    sex: str = ""
    birth_date: str = ""
    problem: str = ""  # the main problem's code (worklist sort), see main_finding()
    problem_text: str = ""  # its words (the domain's message; a birth's certificate number)

    def row(self) -> tuple[str, ...]:
        """The stored columns in the order of the cases table."""
        return (self.name_norm, self.id_number, self.place, self.name_key, self.sex,
                self.birth_date, self.problem, self.problem_text)


_SEVERITY_ORDER = {"E": 0, "W": 1, "I": 2}


def main_finding(findings: Any) -> dict[str, Any]:
    """The finding a worklist line shows for an error case (errors before warnings), with the
    number of others: {code, params, message, more}; {} when there is none."""
    ranked = sorted((f for f in (findings if isinstance(findings, list) else []) if isinstance(f, dict)),
                    key=lambda f: _SEVERITY_ORDER.get(str(f.get("severity", "E")).upper(), 3))
    if not ranked:
        return {}
    first = ranked[0]
    return {"code": first.get("code") or "", "params": first.get("params") or {},
            "message": first.get("message") or "", "more": len(ranked) - 1}


def _problem(kind: str, data: dict[str, Any]) -> tuple[str, str]:
    """(code, words) of the problem a worklist line shows: they order the 问题 column."""
    if kind == "error":
        main = main_finding(data.get("findings"))
        return str(main.get("code") or ""), str(main.get("message") or "")
    if kind == "duplicates":
        reasons = data.get("reasons")
        first = reasons[0] if isinstance(reasons, list) and reasons and isinstance(reasons[0], dict) else {}
        return str(first.get("code") or ""), str(first.get("message") or "")
    cert = data.get("certificate")
    return "", str(cert.get("cert_number") or "") if isinstance(cert, dict) else ""


def _searchable_people(kind: str, data: dict[str, Any]) -> list[dict[str, Any]]:
    """The people a worker would type to find this case, most important first."""
    def person(value: Any) -> list[dict[str, Any]]:
        return [value] if isinstance(value, dict) else []

    if kind == "error":
        return person(data.get("person"))
    if kind == "birth":
        # The certificate stands in for a child or mother with no record (yet).
        cert = data.get("certificate")
        cert = cert if isinstance(cert, dict) else {}
        child = person(data.get("proposed")) or [{"name": cert.get("name")}]
        if not child[0].get("name") and cert.get("name"):
            child = [dict(child[0], name=cert["name"])]
        mother = person(data.get("mother")) or [
            {"name": cert.get("mother_name"), "id_number": cert.get("mother_id_number")}]
        return child + mother
    if kind == "duplicates":
        members = data.get("members")
        return person(members[0]) if isinstance(members, list) and members else []
    return []


@lru_cache(maxsize=1 << 16)
def _name_keys(name: str) -> tuple[str, tuple[str, ...], str]:
    """(normalized name, pinyin initials of every reading, sort key: full pinyin, then the
    characters). Bootstraps repeat the same names many times; pinyin is the costly part."""
    from client.domain.names import name_pinyin, normalize_name, pinyin_initials

    norm = normalize_name(name)
    if not norm:
        return norm, (), ""
    return norm, tuple(pinyin_initials(norm)), f"{name_pinyin(norm)}\x1f{norm}"


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


_EDITED_PERSON = {"error": "person", "birth": "proposed"}


def with_overlay(kind: str, data: dict[str, Any] | None, overlay: Any) -> dict[str, Any] | None:
    """Case data as the worker sees it: `overlay["changes"]` ({person field: value}, the
    workspace's convention) laid over the edited person (error: person, birth: proposed)."""
    changes = overlay.get("changes") if isinstance(overlay, dict) else None
    key = _EDITED_PERSON.get(kind)
    if not isinstance(data, dict) or not isinstance(changes, dict) or not changes or key is None:
        return data
    edited = data.get(key)
    merged = {**(edited if isinstance(edited, dict) else {}), **changes}
    return {**data, key: {k: v for k, v in merged.items() if v is not None}}


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
    name_key = ""
    for i, person in enumerate(people):
        raw = person.get("name")
        if isinstance(raw, str) and raw.strip():
            norm, readings, key = _name_keys(raw)
            if i == 0:
                name_key = key
            if norm:
                names.append(norm)
                initials.update(dict.fromkeys(readings))
        number = person.get("id_number")
        if not id_number and isinstance(number, str) and number.strip():
            id_number = number.strip().upper()
    shown = _shown_person(kind, data)
    problem = _problem(kind, data)
    return SearchColumns(" ".join(names), id_number, _place_of(kind, data, people), tuple(initials),
                         name_key=name_key, sex=_text(shown.get("sex")),
                         birth_date=_text(shown.get("birth_date")),
                         problem=problem[0], problem_text=problem[1])


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _shown_person(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """The person whose sex and birth date a worklist line shows (client.worklist.summarize)."""
    if kind in _EDITED_PERSON:
        value = data.get(_EDITED_PERSON[kind])
    else:
        members = data.get("members")
        value = members[0] if isinstance(members, list) and members else None
    return value if isinstance(value, dict) else {}


_GLOB_SPECIAL = re.compile(r"([*?\[])")
_ID_TEXT = re.compile(r"[0-9]+[0-9X]*")
_LETTERS = re.compile(r"[a-z]+")
_CASE_ID = re.compile(r"[A-Z]-[0-9]*")


def _glob_prefix(text: str) -> str:
    return _GLOB_SPECIAL.sub(r"[\1]", text) + "*"


def text_filter(text: str | None) -> ColumnElement[bool]:
    """SQL condition on `cases` for what the worker typed in the worklist filter box.

    Matches a name substring (normalized), an ID number prefix (4+ characters: substring),
    a pinyin-initials prefix (any reading of a polyphone), a place code prefix, or a case id
    prefix. The condition is `cases.id IN (<one id query per branch>)`: every branch reads
    only an index ending in `id` (GLOB is case-sensitive, so SQLite uses an index for a
    prefix; a substring scans an index, not the ~1 KB rows behind the cipher).
    """
    # NFKC: full-width digits and letters from a Chinese input method become ASCII.
    raw = unicodedata.normalize("NFKC", text or "").strip()
    if not raw:
        return true()
    c = cases_table.c
    branches: list[Select[Any]] = []

    def ids_where(condition: ColumnElement[bool]) -> None:
        branches.append(select(c.id).where(condition))

    compact = re.sub(r"[\s\-]", "", raw)
    upper = compact.upper()
    if _ID_TEXT.fullmatch(upper):
        if len(upper) >= 4:
            ids_where(func.instr(c.id_number, upper) > 0)
        else:
            ids_where(c.id_number.op("GLOB")(_glob_prefix(upper)))
        if upper.isdigit():
            ids_where(c.place.op("GLOB")(_glob_prefix(upper)))
    lower = compact.lower()
    if _LETTERS.fullmatch(lower):
        branches.append(select(case_initials_table.c.case_id)
                        .where(case_initials_table.c.initials.op("GLOB")(_glob_prefix(lower))))
    if _CASE_ID.fullmatch(raw.upper()):
        ids_where(c.id.op("GLOB")(_glob_prefix(raw.upper())))
    from client.domain.names import normalize_name

    name = normalize_name(raw)
    if name and not name.isascii():
        ids_where(c.name_norm.contains(name, autoescape=True))
    if not branches:
        return false()
    ids = branches[0] if len(branches) == 1 else union_all(*branches)
    return c.id.in_(ids)
