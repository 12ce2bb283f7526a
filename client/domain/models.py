"""Person, finding and case models: the canonical field names of DOMAIN.md and the case data shapes
of INTERFACES.md, as plain dataclasses that convert to and from JSON-ready dicts."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from collections.abc import Mapping
from typing import Any, ClassVar

# Canonical person field names (DOMAIN.md "Canonical field names"), plus a few in the same style:
# id_missing_reason (无证/待落户, the explicit reason an ID number is absent), status
# (active/dead/merged/...), close_reason, data_source, registering_unit, operator.
PERSON_FIELDS: tuple[str, ...] = (
    "person_id", "household_id", "relation", "name", "former_name", "sex", "birth_date",
    "ethnicity", "id_type", "id_number", "id_missing_reason", "nationality", "hukou_type",
    "hukou_place", "hukou_address", "residence_place", "residence_address", "managing_place",
    "marital_status", "first_marriage_date", "marital_change_date", "education",
    "education_system", "spouse_name", "spouse_id_number", "father_name", "father_id_number",
    "mother_name", "mother_id_number", "birth_cert_number", "death_date", "status",
    "close_reason", "data_source", "registering_unit", "operator", "registered_at", "updated_at",
)

# Fields of a birth pushed from the birth-certificate system (INTERFACES.md, kind "birth").
CERTIFICATE_FIELDS: tuple[str, ...] = (
    "cert_number", "issue_date", "issuer", "name", "sex", "birth_date", "birth_time",
    "birthplace", "gestation_weeks", "length_cm", "weight_g", "mother_name",
    "mother_nationality", "mother_ethnicity", "mother_id_type", "mother_id_number",
    "father_name", "father_nationality", "father_ethnicity", "father_id_type",
    "father_id_number", "hospital",
)

SEVERITIES = ("E", "W", "I")


def _text(value: Any) -> str | None:
    # Person fields are strings as in the standards; numbers from JSON or spreadsheets become text
    # (a float that is a whole number loses its ".0", which Excel adds to codes like 1).
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and abs(value) >= 1e15:
        # A float this large has lost digits (an ID number through a spreadsheet): keep it looking
        # broken, as Excel shows it, rather than inventing the missing digits.
        return f"{value:.5E}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else str(value)


@dataclass
class Person:
    """One person record; every field is a string or None (codes as in the standards, ISO dates)."""

    person_id: str | None = None
    household_id: str | None = None
    relation: str | None = None
    name: str | None = None
    former_name: str | None = None
    sex: str | None = None
    birth_date: str | None = None
    ethnicity: str | None = None
    id_type: str | None = None
    id_number: str | None = None
    id_missing_reason: str | None = None
    nationality: str | None = None
    hukou_type: str | None = None
    hukou_place: str | None = None
    hukou_address: str | None = None
    residence_place: str | None = None
    residence_address: str | None = None
    managing_place: str | None = None
    marital_status: str | None = None
    first_marriage_date: str | None = None
    marital_change_date: str | None = None
    education: str | None = None
    education_system: str | None = None
    spouse_name: str | None = None
    spouse_id_number: str | None = None
    father_name: str | None = None
    father_id_number: str | None = None
    mother_name: str | None = None
    mother_id_number: str | None = None
    birth_cert_number: str | None = None
    death_date: str | None = None
    status: str | None = None
    close_reason: str | None = None
    data_source: str | None = None
    registering_unit: str | None = None
    operator: str | None = None
    registered_at: str | None = None
    updated_at: str | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Person:
        """Build from a dict; unknown keys are ignored, non-string values become text."""
        if not data:
            return cls()
        return cls(**{k: _text(data[k]) for k in PERSON_FIELDS if k in data})

    def to_dict(self) -> dict[str, str]:
        """The fields that are set (None omitted), in canonical order."""
        return {k: v for k in PERSON_FIELDS if (v := getattr(self, k)) is not None}

    def get(self, field_name: str) -> str | None:
        return getattr(self, field_name) if field_name in PERSON_FIELDS else None

    def replace(self, **changes: Any) -> Person:
        """A copy with some fields changed (values converted like from_dict)."""
        unknown = set(changes) - set(PERSON_FIELDS)
        if unknown:
            raise KeyError(f"unknown person fields: {sorted(unknown)}")
        return dataclasses.replace(self, **{k: _text(v) for k, v in changes.items()})

    def filled_count(self) -> int:
        """How many fields hold a non-blank value (used to pick the most complete record)."""
        return sum(1 for k in PERSON_FIELDS if (getattr(self, k) or "").strip())


def _person_or_none(data: Any) -> Person | None:
    return Person.from_dict(data) if data else None


@dataclass(frozen=True)
class Finding:
    """One rule result: stable code, severity E/W/I, the fields concerned, Chinese message, params."""

    code: str
    severity: str
    fields: tuple[str, ...] = ()
    message: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "severity": self.severity, "fields": list(self.fields),
                "params": dict(self.params), "message": self.message}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        severity = str(data.get("severity") or "E").upper()
        return cls(code=str(data.get("code") or ""),
                   severity=severity if severity in SEVERITIES else "E",
                   fields=tuple(data.get("fields") or ()),
                   message=str(data.get("message") or ""),
                   params=dict(data.get("params") or {}))


@dataclass(frozen=True)
class DuplicateReason:
    """Why records were flagged as possible duplicates (or why they are not: twins, 重号)."""

    code: str
    fields: tuple[str, ...] = ()
    message: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "fields": list(self.fields), "params": dict(self.params),
                "message": self.message}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DuplicateReason:
        return cls(code=str(data.get("code") or ""), fields=tuple(data.get("fields") or ()),
                   message=str(data.get("message") or ""), params=dict(data.get("params") or {}))


@dataclass
class Household:
    """A candidate household for a birth: id, 12-digit place code, address and members."""

    household_id: str | None = None
    place: str | None = None
    address: str | None = None
    members: list[Person] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    _KEYS: ClassVar[tuple[str, ...]] = ("household_id", "place", "address", "members")

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Household:
        return cls(household_id=_text(data.get("household_id")), place=_text(data.get("place")),
                   address=_text(data.get("address")),
                   members=[Person.from_dict(m) for m in data.get("members") or ()],
                   extra={k: v for k, v in data.items() if k not in cls._KEYS})

    def to_data(self) -> dict[str, Any]:
        return {**self.extra, "household_id": self.household_id, "place": self.place,
                "address": self.address, "members": [m.to_dict() for m in self.members]}

    def head(self) -> Person | None:
        return next((m for m in self.members if m.relation in ("01", "02")), None)


@dataclass
class ErrorCase:
    """A person record that broke validation rules, with the other household members as context."""

    kind: ClassVar[str] = "error"
    _KEYS: ClassVar[tuple[str, ...]] = ("person", "findings", "household", "status")

    case_id: str
    person: Person
    findings: list[Finding] = field(default_factory=list)
    household: list[Person] = field(default_factory=list)
    status: str = "open"
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_data(cls, case_id: str, data: dict[str, Any]) -> ErrorCase:
        return cls(case_id=case_id, person=Person.from_dict(data.get("person")),
                   findings=[Finding.from_dict(f) for f in data.get("findings") or ()],
                   household=[Person.from_dict(m) for m in data.get("household") or ()],
                   status=str(data.get("status") or "open"),
                   extra={k: v for k, v in data.items() if k not in cls._KEYS})

    def to_data(self) -> dict[str, Any]:
        return {**self.extra, "person": self.person.to_dict(),
                "findings": [f.to_dict() for f in self.findings],
                "household": [m.to_dict() for m in self.household], "status": self.status}


@dataclass
class BirthCase:
    """A newborn reverse-pushed from a birth certificate, with parents and candidate households."""

    kind: ClassVar[str] = "birth"
    _KEYS: ClassVar[tuple[str, ...]] = ("certificate", "proposed", "mother", "father",
                                        "households", "matches", "status")

    case_id: str
    certificate: dict[str, Any] = field(default_factory=dict)
    proposed: Person = field(default_factory=Person)
    mother: Person | None = None
    father: Person | None = None
    households: list[Household] = field(default_factory=list)
    matches: list[Person] = field(default_factory=list)
    status: str = "open"
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_data(cls, case_id: str, data: dict[str, Any]) -> BirthCase:
        return cls(case_id=case_id, certificate=dict(data.get("certificate") or {}),
                   proposed=Person.from_dict(data.get("proposed")),
                   mother=_person_or_none(data.get("mother")),
                   father=_person_or_none(data.get("father")),
                   households=[Household.from_data(h) for h in data.get("households") or ()],
                   matches=[Person.from_dict(m) for m in data.get("matches") or ()],
                   status=str(data.get("status") or "open"),
                   extra={k: v for k, v in data.items() if k not in cls._KEYS})

    def to_data(self) -> dict[str, Any]:
        return {**self.extra, "certificate": dict(self.certificate),
                "proposed": self.proposed.to_dict(),
                "mother": self.mother.to_dict() if self.mother else None,
                "father": self.father.to_dict() if self.father else None,
                "households": [h.to_data() for h in self.households],
                "matches": [m.to_dict() for m in self.matches], "status": self.status}

    def household(self, household_id: str | None) -> Household | None:
        return next((h for h in self.households if h.household_id == household_id), None)


@dataclass
class DuplicateCase:
    """Two or more person records that may be one person, with the reasons they were flagged."""

    kind: ClassVar[str] = "duplicates"
    _KEYS: ClassVar[tuple[str, ...]] = ("members", "reasons", "status")

    case_id: str
    members: list[Person] = field(default_factory=list)
    reasons: list[DuplicateReason] = field(default_factory=list)
    status: str = "open"
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_data(cls, case_id: str, data: dict[str, Any]) -> DuplicateCase:
        return cls(case_id=case_id, members=[Person.from_dict(m) for m in data.get("members") or ()],
                   reasons=[DuplicateReason.from_dict(r) for r in data.get("reasons") or ()],
                   status=str(data.get("status") or "open"),
                   extra={k: v for k, v in data.items() if k not in cls._KEYS})

    def to_data(self) -> dict[str, Any]:
        return {**self.extra, "members": [m.to_dict() for m in self.members],
                "reasons": [r.to_dict() for r in self.reasons], "status": self.status}

    def member(self, person_id: str) -> Person | None:
        return next((m for m in self.members if m.person_id == person_id), None)


Case = ErrorCase | BirthCase | DuplicateCase
CASE_KINDS: dict[str, type[ErrorCase] | type[BirthCase] | type[DuplicateCase]] = {"error": ErrorCase, "birth": BirthCase, "duplicates": DuplicateCase}


def case_from_data(kind: str, case_id: str, data: dict[str, Any]) -> Case:
    """The case model for a record's type and data; an unknown kind is a ValueError."""
    try:
        model = CASE_KINDS[kind]
    except KeyError:
        raise ValueError(f"unknown case kind: {kind!r}") from None
    return model.from_data(case_id, data or {})
