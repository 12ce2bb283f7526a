"""What registering a newborn decides (DOMAIN.md "出生反推"), in one place for the services layer
and the newborn screen: the values a household gives the child, the child's relation to the
householder, and the persons who may already be this child (earlier registrations, twins)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from client.domain.idnumber import check_id_number
from client.domain.rules import derive_child_relation

# A father who heads the household, or is the head's husband, gives the same relation as a
# mother who is the head's wife.
FATHER_AS_HEAD = frozenset({"01", "02", "10", "11"})


def household_of(data: dict[str, Any], household_id: str | None) -> dict[str, Any] | None:
    """One of the households the birth case offers (None: a new household, or not offered)."""
    return next((h for h in data.get("households") or []
                 if household_id is not None and h.get("household_id") == household_id), None)


def newborn_defaults(data: dict[str, Any], household: dict[str, Any] | None,
                     new_place: str | None = None) -> dict[str, str]:
    """The values registering into `household` (or a new household at `new_place`) gives the
    newborn: its hukou and residence place, and the mother's hukou type. Blank ones are left out;
    the worker's own values win over them."""
    place = household.get("place") if household is not None else new_place
    values = {"hukou_place": place, "residence_place": place,
              "hukou_type": (data.get("mother") or {}).get("hukou_type")}
    return {k: v for k, v in values.items() if v}


@dataclass(frozen=True)
class ChildRelation:
    """The derived relation to the householder and why: `reason` is "derived" (from `who`'s
    relation `parent_relation`), "not_derivable" (that relation gives no answer),
    "new_household" or "parents_elsewhere"."""

    code: str | None
    reason: str
    who: str | None = None
    parent_relation: str | None = None


def child_relation(household: dict[str, Any] | None, mother: dict[str, Any] | None,
                   father: dict[str, Any] | None, sex: str | None) -> ChildRelation:
    """The newborn's relation to the head of `household`, from the mother's relation there, else
    the father's (DOMAIN.md: the child follows the mother)."""
    if household is None:
        return ChildRelation(None, "new_household")
    members = {m.get("person_id"): m for m in household.get("members") or []}
    for who, parent in (("mother", mother), ("father", father)):
        if not parent or parent.get("person_id") not in members:
            continue
        rel = members[parent["person_id"]].get("relation")
        derived = derive_child_relation(rel, sex)
        if who == "father" and derived is None and rel in FATHER_AS_HEAD:
            derived = derive_child_relation("02", sex)
        return ChildRelation(derived, "derived" if derived else "not_derivable", who, rel)
    return ChildRelation(None, "parents_elsewhere")


def _normalized(number: str | None) -> str:
    return check_id_number(number or "").normalized or ""


def possible_registrations(data: dict[str, Any],
                           local_siblings: Iterable[dict[str, Any]] = ()) -> list[dict[str, Any]]:
    """Persons who may already be this child: the case's matches, the mother's children in the
    offered households (same mother ID number), and newborns of the same mother confirmed on
    this PC and not yet uploaded."""
    out = {p.get("person_id"): p for p in data.get("matches") or []}
    mother_id = _normalized((data.get("mother") or {}).get("id_number")
                            or (data.get("certificate") or {}).get("mother_id_number"))
    if mother_id:
        for h in data.get("households") or []:
            for m in h.get("members") or []:
                if _normalized(m.get("mother_id_number")) == mother_id:
                    out.setdefault(m.get("person_id"), m)
    for p in local_siblings:
        out.setdefault(p.get("person_id"), p)
    return [p for pid, p in out.items() if pid]


def born_the_same_day(data: dict[str, Any],
                      candidates: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Of the candidates, those born on the certificate's day with its sex (or matched by the
    server whatever the sex): the possible earlier registration, or a twin."""
    cert = data.get("certificate") or {}
    matched = {m.get("person_id") for m in data.get("matches") or []}
    return [p for p in candidates if p.get("birth_date") == cert.get("birth_date")
            and (p.get("sex") == cert.get("sex") or p.get("person_id") in matched)]


def local_siblings(task_id: str, data: dict[str, Any],
                   others: Iterable[tuple[str, dict[str, Any], dict[str, Any] | None]]) -> list[dict[str, Any]]:
    """Newborns of the same mother and birth date among `others` ((case id, data, overlay) of
    birth cases) that were confirmed on this PC: persons "P-<case>" the server will create."""
    cert = data.get("certificate") or {}
    mother = _normalized(cert.get("mother_id_number"))
    if not mother or not cert.get("birth_date"):
        return []
    out = []
    for other_id, other_data, overlay in others:
        overlay = overlay or {}
        if other_id == task_id or overlay.get("action") != "confirm_birth":
            continue
        c = (other_data or {}).get("certificate") or {}
        if c.get("birth_date") == cert.get("birth_date") and \
                _normalized(c.get("mother_id_number")) == mother:
            person = dict((overlay.get("payload") or {}).get("person") or {})
            person.update(person_id=f"P-{other_id}", local_case=other_id)
            out.append(person)
    return out


def new_household_problem(place: str | None, address: str | None,
                          jurisdiction: str | None) -> str | None:
    """Why a new household (新立户) cannot be set up yet: "place_missing" (no village-level
    place), "place_outside" (not in the worker's jurisdiction), "address_missing"; None: fine."""
    if not place or len(place) != 12:
        return "place_missing"
    if jurisdiction and not place.startswith(jurisdiction):
        return "place_outside"
    if not (address or "").strip():
        return "address_missing"
    return None
