"""Cross-check with the demo data (sync/server/seed): every injected problem is found by the rules,
and the records around the cases, meant to be clean, raise no errors."""

from __future__ import annotations

import functools

from client.domain.models import Person
from client.domain.rules import RuleContext, validate_birth, validate_person
from sync.server import seed


@functools.cache
def dataset():
    return seed.generate_demo("hecha", people=3000)


def _context(ds, person: dict, **extra) -> RuleContext:
    members = [Person.from_dict(m) for m in ds.members(person["household_id"])
               if m["person_id"] != person["person_id"]]
    return RuleContext(today=ds.today, household=members, **extra)


def _parents(ds, person: dict) -> dict:
    by_id_number = _by_id_number(ds)
    out = {}
    for role in ("mother", "father"):
        parent = by_id_number.get(person.get(f"{role}_id_number") or "")
        if parent:
            out[role] = Person.from_dict(parent)
    return out


_ID_INDEX: dict[int, dict] = {}


def _by_id_number(ds) -> dict:
    if id(ds) not in _ID_INDEX:
        _ID_INDEX[id(ds)] = {p["id_number"]: p for p in ds.persons if p.get("id_number")}
    return _ID_INDEX[id(ds)]


def _children_of(ds, mother_id_number: str | None, exclude: str | None = None) -> list[Person]:
    if not mother_id_number:
        return []
    return [Person.from_dict(p) for p in ds.persons
            if p.get("mother_id_number") == mother_id_number and p["person_id"] != exclude]


def test_injected_errors_are_found():
    ds = dataset()
    missed = []
    for case in (c for c in ds.cases if c["kind"] == "error"):
        person = ds.person(case["person_id"])
        ctx = _context(ds, person, **_parents(ds, person),
                       existing_children=_children_of(ds, person.get("mother_id_number"), person["person_id"]))
        codes = {f.code for f in validate_person(person, ctx)}
        assert "RULE_FAILED" not in codes
        missing = set(case["injected"]) - codes
        if missing:
            missed.append((case["id"], sorted(missing), sorted(codes)))
    assert not missed, missed[:10]


def test_injected_birth_problems_are_found():
    ds = dataset()
    births = [c for c in ds.cases if c["kind"] == "birth"]
    registered = {p["birth_cert_number"] for p in ds.persons if p.get("birth_cert_number")}
    missed = []
    for case in births:
        # Numbers already taken: registered people and the other pushed births.
        used = registered | {c["certificate"].get("cert_number") for c in births if c is not case}
        mother = Person.from_dict(ds.person(case["mother_id"])) if case.get("mother_id") else None
        father = Person.from_dict(ds.person(case["father_id"])) if case.get("father_id") else None
        children = _children_of(ds, mother.id_number if mother else None)
        ctx = RuleContext(today=ds.today, mother=mother, father=father, existing_children=children,
                          used_cert_numbers=used)
        codes = {f.code for f in validate_birth(case["certificate"], case["proposed"], ctx)}
        assert "RULE_FAILED" not in codes
        missing = set(case["injected"]) - codes
        if missing:
            missed.append((case["id"], sorted(missing), sorted(codes)))
    assert not missed, missed[:10]


def test_people_outside_cases_have_no_errors():
    ds = dataset()
    in_cases = {c.get("person_id") for c in ds.cases} | {m for c in ds.cases for m in c.get("member_ids", ())}
    touched_households = {ds.person(pid)["household_id"] for pid in in_cases if pid}
    noisy = []
    for person in ds.persons[:1500]:
        if person["person_id"] in in_cases or person["household_id"] in touched_households:
            continue
        ctx = _context(ds, person, **_parents(ds, person))
        errors = [f for f in validate_person(person, ctx) if f.severity == "E"]
        if errors:
            noisy.append((person["person_id"], [f.message for f in errors]))
    assert not noisy, noisy[:10]
