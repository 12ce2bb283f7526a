"""Suspected duplicates: why records were flagged (or why they are twins or 重号, not one person),
which record survives a merge by default, what blocks a merge, and the merged record with its audit."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from client.domain import messages
from client.domain.idnumber import check_id_number
from client.domain.models import PERSON_FIELDS, DuplicateReason, Person

if TYPE_CHECKING:  # names is imported on first use (below)
    from client.domain.names import NameMatch

# Fields that identify the record and its place: they always come from the survivor (moving the
# merged person to another household is a separate operation; the server refuses these choices).
IDENTITY_FIELDS = ("person_id", "household_id")
SIMILAR_KINDS = ("homophone", "shape")
_KIND_NAMES = {"same": "相同", "homophone": "同音", "shape": "形近"}


# client.domain.names loads pypinyin/rapidfuzz tables: the functions below import it on first use.


def _normalize_name(name: str) -> str:
    from client.domain.names import normalize_name
    return normalize_name(name)


def _name_similarity(a: str, b: str) -> NameMatch:
    from client.domain.names import name_similarity
    return name_similarity(a, b)


def _people(members: Iterable[Person | Mapping[str, Any]]) -> list[Person]:
    return [m if isinstance(m, Person) else Person.from_dict(m) for m in members]


def _text(value: str | None) -> str:
    return (value or "").strip()


@dataclass(frozen=True)
class _Id:
    normalized: str | None  # 18-character form when the shape is right (even with a bad check char)
    valid: bool


def _id_of(p: Person) -> _Id:
    if not _text(p.id_number):
        return _Id(None, False)
    c = check_id_number(p.id_number)
    if c.placeholder or c.normalized is None:
        return _Id(None, False)  # placeholders never count as a match
    return _Id(c.normalized, c.valid)


def _norm_name(p: Person) -> str:
    return _normalize_name(p.name or "") if _text(p.name) else ""


def _norm_mother_id(p: Person) -> str | None:
    if not _text(p.mother_id_number):
        return None
    c = check_id_number(p.mother_id_number)
    return None if c.placeholder else c.normalized


def _same_mother(a: Person, b: Person) -> str | None:
    """How the two share a mother (her ID number or her name), or None."""
    ma, mb = _norm_mother_id(a), _norm_mother_id(b)
    if ma and mb:
        return (a.mother_name or ma) if ma == mb else None
    na = _normalize_name(a.mother_name or "") if _text(a.mother_name) else ""
    nb = _normalize_name(b.mother_name or "") if _text(b.mother_name) else ""
    return a.mother_name if na and na == nb else None


def _id_typo(x: str, y: str) -> bool:
    """One substituted character or two adjacent characters swapped."""
    if len(x) != len(y) or x == y:
        return False
    diff = [i for i in range(len(x)) if x[i] != y[i]]
    if len(diff) == 1:
        return True
    return len(diff) == 2 and diff[1] == diff[0] + 1 and x[diff[0]] == y[diff[1]] and x[diff[1]] == y[diff[0]]


def _reason(code: str, fields: tuple[str, ...], a: Person, b: Person, **params: Any) -> DuplicateReason:
    params["person_ids"] = [a.person_id or "", b.person_id or ""]
    return DuplicateReason(code, fields, messages.render(code, params), params)


def _differs(a: Person, b: Person, fields: Iterable[str]) -> str:
    labels = []
    for f in fields:
        va, vb = (_norm_name(a), _norm_name(b)) if f == "name" else (_text(a.get(f)), _text(b.get(f)))
        if va and vb and va != vb:
            labels.append(messages.field_label(f))
    return "、".join(labels)


def _pair_twins(a: Person, b: Person) -> DuplicateReason | None:
    """Same mother and birth date but different sexes or clearly different names: twins."""
    mother = _same_mother(a, b)
    if not mother or not _text(a.birth_date) or _text(a.birth_date) != _text(b.birth_date):
        return None
    differs = []
    if _text(a.sex) and _text(b.sex) and _text(a.sex) != _text(b.sex):
        differs.append("性别")
    na, nb = _norm_name(a), _norm_name(b)
    if na and nb and na != nb and _name_similarity(na, nb).kind not in ("same", *SIMILAR_KINDS):
        differs.append("姓名")
    if not differs:
        return None
    return _reason("DUP_TWINS", ("mother_name", "birth_date", "name", "sex"), a, b, mother=mother,
                   birth_date=_text(a.birth_date), differs="、".join(differs))


def _pair_chonghao(a: Person, b: Person) -> DuplicateReason | None:
    ia, ib = _id_of(a), _id_of(b)
    if not ia.normalized or ia.normalized != ib.normalized:
        return None
    differs = _differs(a, b, ("name", "birth_date"))
    if not differs:
        return None
    return _reason("DUP_CHONGHAO", ("id_number", "name", "birth_date"), a, b,
                   id_number=ia.normalized, differs=differs)


def _pair_reasons(a: Person, b: Person) -> list[DuplicateReason]:
    out: list[DuplicateReason] = []
    ia, ib = _id_of(a), _id_of(b)
    name_a, name_b = _norm_name(a), _norm_name(b)
    same_name = bool(name_a) and name_a == name_b
    birth = _text(a.birth_date)
    same_birth = bool(birth) and birth == _text(b.birth_date)
    mother = _same_mother(a, b)

    twins = _pair_twins(a, b)
    if twins:
        out.append(twins)
    if ia.normalized and ia.normalized == ib.normalized:
        out.append(_pair_chonghao(a, b) or _reason("DUP_SAME_ID", ("id_number",), a, b,
                                                   id_number=ia.normalized))
    elif ia.normalized and ib.normalized and same_name and same_birth and _id_typo(ia.normalized, ib.normalized):
        out.append(_reason("DUP_ID_TYPO", ("id_number", "name", "birth_date"), a, b,
                           id_a=ia.normalized, id_b=ib.normalized))
    if twins:
        return out
    sex = _text(a.sex)
    if same_name and same_birth and mother and sex and sex == _text(b.sex):
        out.append(_reason("DUP_SAME_NAME_BIRTH_MOTHER", ("name", "birth_date", "sex", "mother_name"), a, b,
                           name=a.name, birth_date=birth, mother=mother))
    village = _text(a.hukou_place)
    if (same_name and same_birth and village and village == _text(b.hukou_place)
            and (not _text(a.id_number) or not _text(b.id_number))):
        out.append(_reason("DUP_NO_ID_SAME_VILLAGE", ("name", "birth_date", "hukou_place", "id_number"),
                           a, b, name=a.name, birth_date=birth))
    if name_a and name_b and not same_name and same_birth:
        match = _name_similarity(name_a, name_b)
        same_household = bool(_text(a.household_id)) and _text(a.household_id) == _text(b.household_id)
        if match.kind in SIMILAR_KINDS and (mother or same_household):
            link = "母亲" if mother else "户"
            out.append(_reason("DUP_SIMILAR_NAME", ("name", "birth_date"), a, b, kind=match.kind,
                               kind_name=_KIND_NAMES.get(match.kind, match.kind), name_a=a.name,
                               name_b=b.name, birth_date=birth, link=link,
                               chars=[list(c) for c in match.chars]))
    return out


def duplicate_reasons(members: Iterable[Person | Mapping[str, Any]]) -> list[DuplicateReason]:
    """For every pair of members: why they may be one person, or why they are not (DUP_TWINS,
    DUP_CHONGHAO). Each reason's params name the pair in person_ids."""
    people = _people(members)
    return [r for a, b in combinations(people, 2) for r in _pair_reasons(a, b)]


def merge_blocker_details(members: Iterable[Person | Mapping[str, Any]]) -> list[DuplicateReason]:
    """What forbids merging these records, with a message each (empty list: may merge)."""
    people = _people(members)
    out: list[DuplicateReason] = []
    if len(people) < 2:
        return [DuplicateReason("MERGE_TOO_FEW", (), messages.render("MERGE_TOO_FEW", {}), {})]
    valid_ids = sorted({i.normalized for i in map(_id_of, people) if i.valid and i.normalized})
    if len(valid_ids) > 1:
        params = {"ids": "、".join(valid_ids)}
        out.append(DuplicateReason("MERGE_DIFFERENT_VALID_IDS", ("id_number",),
                                   messages.render("MERGE_DIFFERENT_VALID_IDS", params), params))
    for a, b in combinations(people, 2):
        for code, found in (("MERGE_TWINS", _pair_twins(a, b)), ("MERGE_CHONGHAO", _pair_chonghao(a, b))):
            if found and code not in {r.code for r in out}:
                params = {**found.params}
                out.append(DuplicateReason(code, found.fields, messages.render(code, params), params))
    return out


def merge_blockers(members: Iterable[Person | Mapping[str, Any]]) -> list[str]:
    """Codes of what forbids merging: MERGE_TOO_FEW, MERGE_DIFFERENT_VALID_IDS, MERGE_TWINS,
    MERGE_CHONGHAO. Two different valid ID numbers are never merged automatically."""
    return [r.code for r in merge_blocker_details(members)]


def default_survivor(members: Iterable[Person | Mapping[str, Any]]) -> str | None:
    """The record with a valid non-placeholder ID, then the newest hukou information (updated_at),
    then the most complete; ties keep the members' order."""
    people = _people(members)
    if not people:
        return None

    def key(item: tuple[int, Person]) -> tuple[Any, ...]:
        index, p = item
        return (_id_of(p).valid, _text(p.updated_at), p.filled_count(), -index)

    return max(enumerate(people), key=key)[1].person_id


def differing_fields(members: Iterable[Person | Mapping[str, Any]]) -> list[str]:
    """Fields whose non-blank values differ between members (what the worker has to choose)."""
    people = _people(members)
    out = []
    for f in PERSON_FIELDS:
        if f == "person_id":
            continue
        values = {_text(p.get(f)) for p in people} - {""}
        if len(values) > 1:
            out.append(f)
    return out


def default_field_choices(members: Iterable[Person | Mapping[str, Any]], survivor_id: str) -> dict[str, str]:
    """Suggested choices: for each field the survivor leaves blank, the first member that has a
    value. The UI pre-fills these; the merge payload sends them explicitly, so the preview and the
    server's result agree."""
    people = _people(members)
    survivor = _member(people, survivor_id)
    out = {}
    for f in PERSON_FIELDS:
        if f in IDENTITY_FIELDS or _text(survivor.get(f)):
            continue
        donor = next((p for p in people if _text(p.get(f))), None)
        if donor is not None and donor.person_id:
            out[f] = donor.person_id
    return out


def _member(people: list[Person], person_id: str) -> Person:
    for p in people:
        if p.person_id == person_id:
            return p
    raise ValueError(f"{person_id!r} is not a member")


def merge_sources(members: Iterable[Person | Mapping[str, Any]], survivor_id: str,
                  field_choices: Mapping[str, str] | None = None) -> dict[str, str]:
    """Which member each field of the merged record comes from: the worker's choice, else the
    survivor. Identity fields (person_id, household_id) always come from the survivor."""
    people = _people(members)
    _member(people, survivor_id)
    ids = {p.person_id for p in people}
    choices = dict(field_choices or {})
    for f, pid in choices.items():
        if f not in PERSON_FIELDS or f in IDENTITY_FIELDS:
            raise ValueError(f"field {f!r} cannot be chosen")
        if pid not in ids:
            raise ValueError(f"field {f!r}: {pid!r} is not a member")
    return {f: choices.get(f, survivor_id) for f in PERSON_FIELDS}


def merged_person(members: Iterable[Person | Mapping[str, Any]], survivor_id: str,
                  field_choices: Mapping[str, str] | None = None) -> Person:
    """The survivor with each chosen field taken from the chosen member (a blank choice clears it),
    the same result the server computes for merge_duplicates."""
    people = _people(members)
    sources = merge_sources(people, survivor_id, field_choices)
    return Person(**{f: _member(people, pid).get(f) for f, pid in sources.items()})


def merge_audit(members: Iterable[Person | Mapping[str, Any]], survivor_id: str,
                field_choices: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Everything needed to undo or explain a merge: every member's values, the field sources and
    the result; the other members are closed as merged into the survivor."""
    people = _people(members)
    merged = merged_person(people, survivor_id, field_choices)
    return {
        "survivor_id": survivor_id,
        "merged_ids": [p.person_id for p in people if p.person_id != survivor_id],
        "members": {p.person_id: p.to_dict() for p in people},
        "field_sources": merge_sources(people, survivor_id, field_choices),
        "field_choices": dict(field_choices or {}),
        "result": merged.to_dict(),
        "blockers": merge_blockers(people),
    }
