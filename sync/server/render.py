"""Renders a case's wire `data` (INTERFACES.md shapes) from the current persons and households."""

from __future__ import annotations

import json
from datetime import date
from typing import Any, Protocol, runtime_checkable

from sync.server import validation

# Person keys that stay on the server.
_INTERNAL = frozenset({"status", "merged_into"})


class Lookup(Protocol):
    def person(self, person_id: str) -> dict[str, Any] | None: ...
    def household(self, household_id: str) -> dict[str, Any] | None: ...
    def members(self, household_id: str) -> list[dict[str, Any]]: ...
    def by_id_number(self, id_number: str | None) -> dict[str, Any] | None: ...
    def children_of(self, mother_id_number: str | None) -> list[dict[str, Any]]: ...


@runtime_checkable
class FindingsMemo(Protocol):
    """A lookup that remembers rule results while it tracks one write (the store's)."""

    tracking: bool
    findings: dict[Any, str]  # rule inputs (canonical JSON) -> findings JSON


def family_of(person: dict[str, Any], lk: Lookup) -> dict[str, Any]:
    """Rule context beyond the household: parents by ID number, the mother's other children."""
    mother = lk.by_id_number(person.get("mother_id_number"))
    father = lk.by_id_number(person.get("father_id_number"))
    children = [c for c in lk.children_of(person.get("mother_id_number"))
                if c["person_id"] != person.get("person_id")]
    return {"mother": mother, "father": father, "existing_children": children}


def person_findings(person: dict[str, Any], household: list[dict[str, Any]], lk: Lookup, today: date | None) -> list[dict[str, Any]]:
    """The rule findings of an error case's person with its family from `lk`. A push op's lookup
    memoizes them by their inputs: the op's check and the case's re-render run the engine once."""
    family = family_of(person, lk)
    memo = lk.findings if isinstance(lk, FindingsMemo) and lk.tracking else None
    if memo is None:
        return validation.person_findings(person, household, today=today, **family)
    key = validation.findings_key(person, household, today=today, **family)
    if key not in memo:
        memo[key] = json.dumps(validation.person_findings(person, household, today=today, **family),
                               ensure_ascii=False)
    fresh: list[dict[str, Any]] = json.loads(memo[key])  # fresh objects for every caller
    return fresh


def wire_person(p: dict[str, Any] | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {k: v for k, v in p.items() if v is not None and k not in _INTERNAL}


def case_place(kind: str, spec: dict[str, Any], lk: Lookup) -> str:
    """The 12-digit division code that decides whose jurisdiction a case is in."""
    pids: list[str | None] = []
    if kind == "error":
        pids = [spec.get("person_id")]
    elif kind == "birth":
        for hid in spec.get("household_ids") or []:
            h = lk.household(hid)
            if h and h.get("place"):
                return str(h["place"])
        pids = [spec.get("mother_id"), spec.get("father_id")]
        cert = spec.get("certificate") or {}
        if not any(pids) and cert.get("birthplace"):
            return str(cert["birthplace"])
    elif kind == "duplicates":
        pids = list(spec.get("member_ids") or [])
    for pid in pids:
        p = lk.person(pid) if pid else None
        if not p:
            continue
        hid = p.get("household_id")
        h = lk.household(hid) if hid else None
        if h and h.get("place"):
            return str(h["place"])
        if p.get("hukou_place"):
            return str(p["hukou_place"])
    return ""


def links_of(kind: str, spec: dict[str, Any], lk: Lookup) -> tuple[set[str], set[str]]:
    """(person ids, household ids) whose change re-renders the case."""
    persons: set[str] = set()
    households: set[str] = set()
    if kind == "error":
        persons.add(spec["person_id"])
        p = lk.person(spec["person_id"])
        if p and p.get("household_id"):
            households.add(p["household_id"])
        if p:
            fam = family_of(p, lk)
            persons.update(x["person_id"] for x in (fam["mother"], fam["father"]) if x)
    elif kind == "birth":
        for key in ("mother_id", "father_id"):
            if spec.get(key):
                persons.add(spec[key])
        persons.update(spec.get("match_ids") or [])
        households.update(spec.get("household_ids") or [])
    elif kind == "duplicates":
        persons.update(spec.get("member_ids") or [])
    return persons, households


def deadline_of(spec: dict[str, Any]) -> str | None:
    """The case's deadline (`deadline` of the feed or set by the office) as YYYY-MM-DD, or None;
    ValueError for anything that is not a date."""
    value = spec.get("deadline")
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(f"deadline must be YYYY-MM-DD, not {value!r}")
    return date.fromisoformat(value.strip()[:10]).isoformat()


def render(kind: str, spec: dict[str, Any], lk: Lookup, *, status: str = "open",
           today: date | None = None) -> dict[str, Any]:
    data = _render(kind, spec, lk, status=status, today=today)
    deadline = deadline_of(spec)
    if deadline:
        data["deadline"] = deadline
    return data


def _render(kind: str, spec: dict[str, Any], lk: Lookup, *, status: str, today: date | None) -> dict[str, Any]:
    if kind == "error":
        person = lk.person(spec["person_id"]) or {"person_id": spec["person_id"]}
        hid = person.get("household_id")
        household = [m for m in (lk.members(hid) if hid else []) if m["person_id"] != person["person_id"]]
        findings = person_findings(person, household, lk, today)
        return {"person": wire_person(person), "findings": findings,
                "household": [wire_person(m) for m in household], "status": status}
    if kind == "birth":
        households = []
        for hid in spec.get("household_ids") or []:
            h = lk.household(hid)
            if h is None:
                continue
            households.append({"household_id": hid, "place": h.get("place", ""),
                               "address": h.get("address", ""),
                               "members": [wire_person(m) for m in lk.members(hid)]})
        return {"certificate": spec.get("certificate") or {},
                "proposed": {k: v for k, v in (spec.get("proposed") or {}).items()
                             if k not in ("person_id", "status") and v is not None},
                "mother": wire_person(lk.person(spec["mother_id"])) if spec.get("mother_id") else None,
                "father": wire_person(lk.person(spec["father_id"])) if spec.get("father_id") else None,
                "households": households,
                "matches": [wire_person(p) for p in (lk.person(i) for i in spec.get("match_ids") or []) if p],
                "status": status}
    if kind == "duplicates":
        members = [p for p in (lk.person(i) for i in spec.get("member_ids") or []) if p]
        return {"members": [wire_person(m) for m in members],
                "reasons": validation.duplicate_reasons(members),
                "status": status}
    raise ValueError(f"unknown case kind {kind!r}")


class DictLookup:
    """Lookup over in-memory dicts (bulk loading)."""

    def __init__(self, persons: dict[str, dict[str, Any]], households: dict[str, dict[str, Any]]) -> None:
        self._persons = persons
        self._households = households
        self._members: dict[str, list[dict[str, Any]]] = {}
        for p in persons.values():
            if p.get("status", "active") in ("active", "dead") and p.get("household_id"):
                self._members.setdefault(p["household_id"], []).append(p)
        for lst in self._members.values():
            lst.sort(key=lambda m: (m.get("relation") or "99", m["person_id"]))

    def person(self, person_id: str) -> dict[str, Any] | None:
        return self._persons.get(person_id)

    def household(self, household_id: str) -> dict[str, Any] | None:
        return self._households.get(household_id)

    def members(self, household_id: str) -> list[dict[str, Any]]:
        return self._members.get(household_id, [])

    def _index(self) -> None:
        if not hasattr(self, "_by_idn"):
            self._by_idn: dict[str, dict[str, Any]] = {}
            self._children: dict[str, list[dict[str, Any]]] = {}
            for p in sorted(self._persons.values(), key=lambda p: p["person_id"], reverse=True):
                if p.get("status", "active") not in ("active", "dead"):
                    continue
                if p.get("id_number"):
                    self._by_idn[p["id_number"]] = p
                if p.get("mother_id_number"):
                    self._children.setdefault(p["mother_id_number"], []).insert(0, p)

    def by_id_number(self, id_number: str | None) -> dict[str, Any] | None:
        self._index()
        return self._by_idn.get(id_number) if id_number else None

    def children_of(self, mother_id_number: str | None) -> list[dict[str, Any]]:
        self._index()
        return self._children.get(mother_id_number, [])[:50] if mother_id_number else []
