"""Rule contexts of the client's cases: what the client knows around an error record or a birth
(from the case data the server sent), and the findings the worker must answer before saving."""

from __future__ import annotations

from datetime import date
from typing import Any

from client.domain.models import PERSON_FIELDS, Finding, Person
from client.domain.rules.engine import RuleConfig, RuleContext, keep_unverifiable, validate_person

# Changing one of these points the server at other parents, so its parent findings may be stale.
PARENT_LINK_FIELDS = frozenset({"mother_id_number", "father_id_number"})


def error_context(data: dict[str, Any], person: Person | dict[str, Any],
                  today: date | None = None) -> RuleContext:
    """What the client knows around an error record: its household, and the parents when they
    live in it (found by ID number, as the server finds them). The mother's other children are
    unknown here (the server looks them up county-wide), so those rules stay the server's."""
    p = person if isinstance(person, Person) else Person.from_dict(person or {})
    members = [Person.from_dict(m) for m in data.get("household") or []]

    def parent(id_number: str | None) -> Person | None:
        return next((m for m in members if id_number and m.id_number == id_number), None)

    return RuleContext(today=today, household=members, mother=parent(p.mother_id_number),
                       father=parent(p.father_id_number))


def error_findings(data: dict[str, Any], person: Person | dict[str, Any],
                   today: date | None = None, *,
                   config: RuleConfig | None = None) -> list[Finding]:
    """Findings of `person` (the worker's version of the record of error case `data`, the server's
    version): the local rule engine's, plus the server's findings the client cannot re-check
    (PARENT_* when a parent lives elsewhere, the birth interval), so that warnings get the
    worker's reason and errors are shown before the strict server would reject the op.
    A kept error whose fields the worker changed is left to the server: it may be fixed."""
    p = person if isinstance(person, Person) else Person.from_dict(
        {k: v for k, v in (person or {}).items() if v is not None})
    ctx = error_context(data, p, today)
    fresh = validate_person(p, ctx, config)
    base = data.get("person") or {}
    changed = {f for f in PERSON_FIELDS if (base.get(f) or None) != (getattr(p, f, None) or None)}
    previous = []
    for raw in data.get("findings") or []:
        if not isinstance(raw, dict):
            continue
        f = Finding.from_dict(raw)
        if f.severity == "E" and changed & (set(f.fields) | PARENT_LINK_FIELDS):
            continue
        previous.append(f)
    return keep_unverifiable(previous, fresh, ctx)


def known_children(data: dict[str, Any]) -> list[Person]:
    """The mother's children the birth case shows (members of the offered households with her
    ID number as mother_id_number, as the server finds them): birth interval, possible twin."""
    mother_id = (data.get("mother") or {}).get("id_number")
    if not mother_id:
        return []
    seen: dict[str, Person] = {}
    for h in data.get("households") or []:
        for m in h.get("members") or []:
            if m.get("mother_id_number") == mother_id and m.get("person_id"):
                seen.setdefault(m["person_id"], Person.from_dict(m))
    return list(seen.values())


def birth_context(data: dict[str, Any], household: dict[str, Any] | None,
                  today: date | None = None, *, twins_confirmed: bool = False,
                  children: list[Person] | None = None) -> RuleContext:
    """What the client knows around the newborn of birth case `data` registered into
    `household` (one of the offered households, or None for a new one). `children`: the
    mother's children to compare with (default: those the offered households show)."""
    return RuleContext(
        today=today,
        household=[Person.from_dict(m) for m in (household or {}).get("members") or []],
        mother=Person.from_dict(data["mother"]) if data.get("mother") else None,
        father=Person.from_dict(data["father"]) if data.get("father") else None,
        existing_children=known_children(data) if children is None else children,
        certificate=data.get("certificate"), twins_confirmed=twins_confirmed, birth=True)
