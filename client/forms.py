"""入户核查表 content (no Qt): the worker's cases grouped by village and household, each with its
form number (printed as text and as a QR code; a USB scanner types it back in) and the fields a
village cadre checks at the door. ui/village_forms.py lays the pages out and prints them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from client.worklist import WorkQuery, task_ids

# The fields a cadre checks besides the ones with a problem, per kind.
CHECK_FIELDS = {
    "error": ("name", "id_number", "sex", "birth_date", "relation", "hukou_place"),
    "birth": ("name", "sex", "birth_date", "mother_name", "mother_id_number", "father_name",
              "father_id_number", "birth_cert_number"),
    "duplicates": ("name", "id_number", "sex", "birth_date", "relation"),
}
FORM_PREFIX = "HC"


def form_number(case_id: str) -> str:
    """What the form carries for its case: 'HC' + the case id (E-12 -> HCE-12); the scanner types it."""
    return FORM_PREFIX + case_id


def case_of_form(text: str) -> str:
    """The case id a typed or scanned form number names (the prefix is optional)."""
    text = text.strip()
    return text[len(FORM_PREFIX):] if text.upper().startswith(FORM_PREFIX) else text


@dataclass(frozen=True)
class FormRow:
    field: str
    value: Any
    problems: tuple[dict[str, Any], ...] = ()   # findings {code, params, message} on this field


@dataclass(frozen=True)
class FormSection:
    """One case on a household's page; `person` is the record checked (a duplicate: each member)."""

    case_id: str
    number: str
    kind: str
    title: str
    rows: list[FormRow]
    problems: list[dict[str, Any]] = field(default_factory=list)   # findings not tied to a field
    deadline: str | None = None


@dataclass(frozen=True)
class FormHousehold:
    village: str
    household_id: str
    address: str
    head: str
    sections: list[FormSection]


def _rows(person: dict[str, Any], fields: tuple[str, ...], findings: list[dict[str, Any]]) -> list[FormRow]:
    by_field: dict[str, list[dict[str, Any]]] = {}
    for f in findings:
        for name in f.get("fields") or []:
            by_field.setdefault(name, []).append(f)
    names = list(dict.fromkeys([*by_field, *fields]))
    return [FormRow(n, person.get(n), tuple(by_field.get(n, ()))) for n in names]


def _section(task: Any) -> tuple[str, str, str, FormSection]:
    """(village, household id, address, section) of a TaskView."""
    d = task.data
    number = form_number(task.id)
    if task.kind == "error":
        person = d.get("person") or {}
        findings = [f for f in d.get("findings") or [] if isinstance(f, dict)]
        rows = _rows(person, CHECK_FIELDS["error"], findings)
        loose = [f for f in findings if not f.get("fields")]
        village = person.get("hukou_place") or person.get("residence_place") or ""
        hid = person.get("household_id") or f"-{task.id}"
        address = person.get("hukou_address") or person.get("residence_address") or ""
        return village, hid, address, FormSection(task.id, number, "error", person.get("name") or "", rows,
                                                  loose, d.get("deadline"))
    if task.kind == "birth":
        child = dict(d.get("proposed") or {})
        cert = d.get("certificate") or {}
        child.setdefault("birth_cert_number", cert.get("cert_number"))
        households = d.get("households") or []
        first = households[0] if households else {}
        mother = d.get("mother") or {}
        village = first.get("place") or cert.get("birthplace") or mother.get("hukou_place") or ""
        hid = first.get("household_id") or mother.get("household_id") or f"-{task.id}"
        return village, hid, first.get("address") or "", FormSection(
            task.id, number, "birth", child.get("name") or "",
            _rows(child, CHECK_FIELDS["birth"], []), [], d.get("deadline"))
    members = d.get("members") or []
    first = members[0] if members else {}
    member_rows: list[FormRow] = []
    for i, m in enumerate(members):
        member_rows += [FormRow(f"{i + 1}:{r.field}", r.value, r.problems)
                        for r in _rows(m, CHECK_FIELDS["duplicates"], [])]
    village = first.get("hukou_place") or first.get("residence_place") or ""
    return village, first.get("household_id") or f"-{task.id}", first.get("hukou_address") or "", FormSection(
        task.id, number, "duplicates", "、".join(m.get("name") or "" for m in members), member_rows,
        [r for r in d.get("reasons") or [] if isinstance(r, dict)], d.get("deadline"))


def households(ws: Any, case_ids: list[str] | None = None, village: str | None = None) -> list[FormHousehold]:
    """The forms for the given cases (default: every open case, or the open cases of a village),
    one household per entry, sorted by village, then household."""
    if case_ids is None:
        case_ids = task_ids(ws, WorkQuery(states=("open", "rejected", "conflict"), place=village or ""))
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for cid in case_ids:
        task = ws.task(cid)
        vill, hid, address, section = _section(task)
        if village and not vill.startswith(village):
            continue
        g = groups.setdefault((vill, hid), {"address": address, "sections": []})
        g["address"] = g["address"] or address
        g["sections"].append(section)
    out = []
    for (vill, hid), g in sorted(groups.items()):
        head = g["sections"][0].title
        out.append(FormHousehold(vill, hid, g["address"], head, g["sections"]))
    return out
