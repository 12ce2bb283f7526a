"""The server's one door to the rule engine (client.domain, the same engine as the client):
findings, blocking errors, duplicate reasons, merges."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from client.domain import merge as _merge
from client.domain import rules as _rules
from client.domain.models import PERSON_FIELDS, DuplicateReason, Finding, Person
from sync.protocol.actions import NON_BLOCKING, READ_ONLY_FIELDS

__all__ = ["NON_BLOCKING", "PERSON_FIELDS", "READ_ONLY_FIELDS", "birth_findings", "blocking",
           "duplicate_reasons", "findings_key", "merged_person", "person_findings"]


def _to_dict(f: Finding | DuplicateReason) -> dict[str, Any]:
    return {"code": f.code, "severity": getattr(f, "severity", "E"), "fields": list(f.fields or ()),
            "params": dict(f.params or {}), "message": f.message or ""}


def normalized_changes(values: dict[str, str | None]) -> dict[str, str | None]:
    """Field values as they are stored (client.domain.values); a refused value rejects the op."""
    from client.domain.values import ValueRefused, normalize_value

    out: dict[str, str | None] = {}
    refused = []
    for f, v in values.items():
        try:
            out[f] = normalize_value(f, v)
        except ValueRefused as exc:
            refused.append({"code": "value_refused", "severity": "E", "fields": [f], "params": {},
                            "message": str(exc)})
    if refused:
        raise ValueRefusedError(refused)
    return out


class ValueRefusedError(ValueError):
    def __init__(self, findings: list[dict[str, Any]]):
        super().__init__(findings[0]["message"])
        self.findings = findings


def _clean(person: dict[str, Any]) -> dict[str, Any]:
    # "active" is the server's default status; the engine only tells dead persons apart, and the
    # client never sees the status at all (render strips it), so it is left out like a blank.
    return {k: v for k, v in person.items() if v not in (None, "") and (k != "status" or v != "active")}


def _person(p: dict[str, Any] | None) -> Person | None:
    return Person.from_dict(_clean(p)) if p else None


def _people(items: list[dict[str, Any]] | None) -> list[Person]:
    return [Person.from_dict(_clean(m)) for m in items or []]


def person_findings(person: dict[str, Any], household: list[dict[str, Any]] | None = None, *,
                    today: date | None = None, mother: dict[str, Any] | None = None,
                    father: dict[str, Any] | None = None,
                    existing_children: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Every finding of the rule engine for one person (all severities)."""
    ctx = _rules.RuleContext(today=today or date.today(), household=_people(household),
                             mother=_person(mother), father=_person(father),
                             existing_children=_people(existing_children))
    return [_to_dict(f) for f in _rules.validate_person(Person.from_dict(_clean(person)), ctx)]


def findings_key(person: dict[str, Any], household: list[dict[str, Any]] | None = None, *,
                 today: date | None = None, mother: dict[str, Any] | None = None,
                 father: dict[str, Any] | None = None,
                 existing_children: list[dict[str, Any]] | None = None) -> Any:
    """Everything person_findings depends on, canonically (hashable): equal keys, equal findings."""
    def frozen(p: dict[str, Any] | None) -> tuple[tuple[str, Any], ...] | None:
        return None if not p else tuple(sorted(_clean(p).items()))

    key = (frozen(person), None if household is None else tuple(frozen(m) for m in household),
           frozen(mother), frozen(father), tuple(frozen(c) for c in existing_children or ()),
           (today or date.today()).isoformat())
    try:
        hash(key)
    except TypeError:   # a value that is a list or dict: fall back to its canonical JSON
        return json.dumps(key, sort_keys=True, ensure_ascii=False, default=str)
    return key


def blocking(findings: list[dict[str, Any]], overrides: dict[str, str] | None, *,
             strict_warnings: bool = True) -> list[dict[str, Any]]:
    """The findings that stop an op: errors, and warnings without a recorded reason."""
    overrides = {k: v for k, v in (overrides or {}).items() if isinstance(v, str) and v.strip()}
    out = []
    for f in findings:
        sev = f.get("severity", "E")
        if f.get("code") in NON_BLOCKING:
            continue
        if sev == "E":
            out.append(f)
        elif sev == "W" and strict_warnings and f["code"] not in overrides:
            out.append(f)
    return out


def birth_findings(person: dict[str, Any], *, certificate: dict[str, Any] | None,
                   mother: dict[str, Any] | None, father: dict[str, Any] | None,
                   household: list[dict[str, Any]], twins_confirmed: bool,
                   used_cert_numbers: set[str] | None = None, today: date | None = None,
                   existing_children: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Findings for confirming a birth: the newborn's record plus the birth-specific rules."""
    ctx = _rules.RuleContext(
        today=today or date.today(), household=_people(household), mother=_person(mother),
        father=_person(father), twins_confirmed=twins_confirmed,
        used_cert_numbers=frozenset(used_cert_numbers or ()),
        existing_children=_people(existing_children))
    found = _rules.validate_birth(dict(certificate or {}), Person.from_dict(_clean(person)), ctx)
    return [_to_dict(f) for f in found]


def duplicate_reasons(members: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Why the members of a duplicates case may be one person (or are not: twins, 重号)."""
    return [_to_dict(r) for r in _merge.duplicate_reasons(_people(members))]


def merged_person(members: list[dict[str, Any]], survivor_id: str,
                  field_choices: dict[str, str]) -> dict[str, Any]:
    """The survivor's record after the merge: its own values, with the chosen fields taken over."""
    by_id = {m["person_id"]: m for m in members}
    out = dict(by_id[survivor_id])
    for field, pid in field_choices.items():
        value = by_id[pid].get(field)
        if value is None:
            out.pop(field, None)
        else:
            out[field] = value
    out["person_id"] = survivor_id
    out["household_id"] = by_id[survivor_id].get("household_id")
    return out
