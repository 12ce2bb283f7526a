"""The server's one door to the rule engine: findings, blocking errors, duplicate reasons, merges.

Uses client.domain (the same engine as the client) when it is importable; until then a small
built-in check of the ID number and the required fields keeps the server honest.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

try:  # the shared rule engine (helper "domain-rules")
    from client.domain import rules as _rules
    from client.domain.models import Person as _Person
except Exception:  # pragma: no cover - depends on what has landed
    _rules = None
    _Person = None

PERSON_FIELDS = (
    "person_id", "household_id", "relation", "name", "former_name", "sex", "birth_date",
    "ethnicity", "id_type", "id_number", "nationality", "hukou_type", "hukou_place",
    "hukou_address", "residence_place", "residence_address", "managing_place", "marital_status",
    "first_marriage_date", "marital_change_date", "education", "education_system", "spouse_name",
    "spouse_id_number", "father_name", "father_id_number", "mother_name", "mother_id_number",
    "birth_cert_number", "death_date", "registered_at", "updated_at",
)
try:
    from client.domain.models import PERSON_FIELDS as _DOMAIN_FIELDS
    PERSON_FIELDS = tuple(dict.fromkeys(tuple(_DOMAIN_FIELDS) + PERSON_FIELDS))
except Exception:  # pragma: no cover
    pass

# Fields a worker may not change through fix_error (identity is the province's).
READ_ONLY_FIELDS = frozenset({"person_id", "household_id", "registered_at", "updated_at"})

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def id_check_char(first17: str) -> str:
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS)) % 11]


def _finding(code, severity, fields, message, **params) -> dict[str, Any]:
    return {"code": code, "severity": severity, "fields": list(fields), "params": params,
            "message": message}


def _parse_date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except (TypeError, ValueError):
        return None


def _fallback_findings(person: dict, today: date) -> list[dict]:
    out = []
    for f, label in (("name", "姓名"), ("sex", "性别"), ("birth_date", "出生日期")):
        if not person.get(f):
            out.append(_finding(f"required.{f}", "E", [f], f"{label}不能为空"))
    birth = person.get("birth_date")
    if birth and (_parse_date(birth) is None or _parse_date(birth) > today):
        out.append(_finding("date.birth_invalid", "E", ["birth_date"], "出生日期无效或在将来"))
    if person.get("sex") and person["sex"] not in ("0", "1", "2", "5", "6", "9"):
        out.append(_finding("code.sex", "E", ["sex"], "性别代码不在标准中"))
    idn = person.get("id_number")
    if idn:
        if not re.fullmatch(r"\d{17}[\dX]", idn):
            out.append(_finding("id.format", "E", ["id_number"], "身份证号码格式错误"))
        elif id_check_char(idn[:17]) != idn[17]:
            out.append(_finding("id.check_char", "E", ["id_number"], "身份证号码校验码错误"))
        else:
            id_birth = _parse_date(f"{idn[6:10]}-{idn[10:12]}-{idn[12:14]}")
            if id_birth is None:
                out.append(_finding("id.date", "E", ["id_number"], "身份证号码中的出生日期无效"))
            elif birth and birth != id_birth.isoformat():
                out.append(_finding("id.birth_mismatch", "E", ["birth_date", "id_number"],
                                    "出生日期与身份证号码不一致"))
            if person.get("sex") in ("1", "2") and int(idn[16]) % 2 != (1 if person["sex"] == "1" else 0):
                out.append(_finding("id.sex_mismatch", "E", ["sex", "id_number"],
                                    "性别与身份证号码不一致"))
    return out


def _to_dict(f: Any) -> dict[str, Any]:
    if isinstance(f, dict):
        return f
    return {"code": f.code, "severity": getattr(f, "severity", "E"),
            "fields": list(getattr(f, "fields", ()) or ()), "params": dict(getattr(f, "params", {}) or {}),
            "message": getattr(f, "message", "") or ""}


def _clean(person: dict) -> dict:
    # "active" is the server's default status; the engine only tells dead persons apart, and the
    # client never sees the status at all (render strips it), so it is left out like a blank.
    return {k: v for k, v in person.items() if v not in (None, "") and (k != "status" or v != "active")}


def _people(items) -> list:
    return [_Person.from_dict(_clean(m)) for m in items or []]


def person_findings(person: dict, household: list[dict] | None = None, *,
                    today: date | None = None, mother: dict | None = None,
                    father: dict | None = None, existing_children: list[dict] | None = None) -> list[dict]:
    """Every finding of the rule engine for one person (all severities)."""
    today = today or date.today()
    if _rules is not None and _Person is not None:
        ctx = _rules.RuleContext(today=today, household=_people(household),
                                 mother=_Person.from_dict(_clean(mother)) if mother else None,
                                 father=_Person.from_dict(_clean(father)) if father else None,
                                 existing_children=_people(existing_children))
        return [_to_dict(f) for f in _rules.validate_person(_Person.from_dict(_clean(person)), ctx)]
    return _fallback_findings(person, today)


def findings_key(person: dict, household: list[dict] | None = None, *, today: date | None = None,
                 mother: dict | None = None, father: dict | None = None,
                 existing_children: list[dict] | None = None) -> Any:
    """Everything person_findings depends on, canonically (hashable): equal keys, equal findings."""
    def frozen(p: dict | None):
        return None if not p else tuple(sorted(_clean(p).items()))

    key = (frozen(person), None if household is None else tuple(frozen(m) for m in household),
           frozen(mother), frozen(father), tuple(frozen(c) for c in existing_children or ()),
           (today or date.today()).isoformat())
    try:
        hash(key)
    except TypeError:   # a value that is a list or dict: fall back to its canonical JSON
        return json.dumps(key, sort_keys=True, ensure_ascii=False, default=str)
    return key


# A rule that crashed says nothing about the data: it never blocks the worker's op.
NON_BLOCKING = frozenset({"RULE_FAILED"})


def blocking(findings: list[dict], overrides: dict[str, str] | None, *,
             strict_warnings: bool = True) -> list[dict]:
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


def birth_findings(person: dict, *, certificate: dict | None, mother: dict | None,
                   father: dict | None, household: list[dict], twins_confirmed: bool,
                   used_cert_numbers: set[str] | None = None, today: date | None = None,
                   existing_children: list[dict] | None = None) -> list[dict]:
    """Findings for confirming a birth: the newborn's record plus the birth-specific rules."""
    today = today or date.today()
    if _rules is not None and _Person is not None:
        ctx = _rules.RuleContext(
            today=today, household=_people(household),
            mother=_Person.from_dict(_clean(mother)) if mother else None,
            father=_Person.from_dict(_clean(father)) if father else None,
            twins_confirmed=twins_confirmed, used_cert_numbers=frozenset(used_cert_numbers or ()),
            existing_children=_people(existing_children))
        found = _rules.validate_birth(dict(certificate or {}), _Person.from_dict(_clean(person)), ctx)
        return [_to_dict(f) for f in found]
    out = [f for f in _fallback_findings(person, today) if f["code"] != "required.name"]
    cert = (certificate or {}).get("cert_number") or person.get("birth_cert_number")
    if cert and not re.fullmatch(r"[A-Z]\d{9}", cert):
        out.append(_finding("birth.cert_format", "E", ["birth_cert_number"], "出生医学证明编号格式错误"))
    if cert and cert in (used_cert_numbers or ()):
        out.append(_finding("birth.cert_duplicate", "E", ["birth_cert_number"], "出生医学证明编号已被登记"))
    return out


def duplicate_reasons(members: list[dict], pattern: str | None = None) -> list[dict]:
    try:
        from client.domain import merge as _merge
        people = [_Person.from_dict(_clean(m)) for m in members]
        return [_to_dict(r) for r in _merge.duplicate_reasons(people)]
    except Exception:
        pass
    fields = {"same_id": ["id_number"], "id_typo": ["id_number", "name", "birth_date"],
              "same_mother": ["name", "birth_date", "mother_name"],
              "no_id_same_village": ["name", "birth_date", "hukou_place"],
              "homophone": ["name", "birth_date"], "twins": ["mother_name", "birth_date"],
              "chonghao": ["id_number"]}.get(pattern or "", ["name", "birth_date"])
    return [_finding(f"dup.{pattern or 'similar'}", "I", fields, "疑似重复")]


def merged_person(members: list[dict], survivor_id: str, field_choices: dict[str, str]) -> dict:
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
