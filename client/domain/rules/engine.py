"""The rule engine: rules as registered functions, their configuration and context, and the
entry points validate_person / validate_household / validate_birth / apply_overrides."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from typing import Any, Callable, Iterable, Mapping, TypeGuard

from client.domain import messages
from client.domain.messages import QT_TRANSLATE_NOOP
from client.domain.codes import code_table
from client.domain.idnumber import IdCheck, check_id_number
from client.domain.models import BirthCase, Finding, Person

HEAD_RELATIONS = frozenset({"01", "02"})
SPOUSE_RELATIONS = frozenset({"10", "11", "12"})
EVER_MARRIED = frozenset({"20", "21", "22", "23", "30", "40"})
CITIZEN_ID_TYPES = frozenset({"", "01", "02"})  # 居民身份证 / 户口簿 carry the GB 11643 number
DATE_FIELDS = ("birth_date", "first_marriage_date", "marital_change_date", "death_date")
PLACE_FIELDS = ("hukou_place", "residence_place", "managing_place")
LEVEL_NAMES = {1: QT_TRANSLATE_NOOP("rules", "省级"), 2: QT_TRANSLATE_NOOP("rules", "地级"), 3: QT_TRANSLATE_NOOP("rules", "县级"), 4: QT_TRANSLATE_NOOP("rules", "乡级（乡镇街道）"), 5: QT_TRANSLATE_NOOP("rules", "村级（村居委会）")}
DOMESTIC_NATIONALITIES = frozenset({"", "CHN", "156", "中国", "中华人民共和国"})

# Tunable parameters (RuleConfig.params overrides any of them).
DEFAULT_PARAMS: dict[str, Any] = {
    "marital_required_age": 15,       # age from which marital status is required
    "placeholder_name_age": 7,        # age from which a placeholder name (未取名…) is an error
    "place_level": 5,                 # required precision of place codes (4 township, 5 village)
    "required_places": ("hukou_place", "residence_place"),
    "name_max_length": 6,
    "age_warn": 110,
    "age_error": 125,
    "marriage_age_female": 20,
    "marriage_age_male": 22,
    "married_min_age": 15,
    "generation_gap_years": 12,       # per generation: children 12, grandchildren 24
    "mother_age_warn": (15, 49),
    "mother_age_error": (12, 60),
    "father_age_warn": (16, 70),
    "birth_interval_days": 180,
    "father_death_days": 300,         # a father may die up to this long before the birth
    "birth_weight_g": (300, 7000),
    "gestation_weeks": (20, 45),
}


@dataclass
class RuleConfig:
    """Which rules run and with which parameters; `severity` can re-grade a rule (E/W/I)."""

    disabled: set[str] = field(default_factory=set)
    params: dict[str, Any] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)

    def param(self, name: str) -> Any:
        return self.params[name] if name in self.params else DEFAULT_PARAMS[name]

    def enabled(self, code: str) -> bool:
        return code not in self.disabled

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> RuleConfig:
        """From JSON-like settings: {"disabled": [...], "params": {...}, "severity": {...}}."""
        data = data or {}
        unknown = set(data.get("disabled") or ()) - set(RULES_BY_CODE)
        if unknown:
            raise ValueError(f"unknown rule codes: {', '.join(sorted(unknown))}")
        params = dict(data.get("params") or {})
        bad = set(params) - set(DEFAULT_PARAMS)
        if bad:
            raise ValueError(f"unknown rule parameters: {', '.join(sorted(bad))}")
        for k, v in params.items():  # JSON has no tuples
            if isinstance(DEFAULT_PARAMS[k], tuple):
                params[k] = tuple(v)
        severity = {k: str(v).upper() for k, v in (data.get("severity") or {}).items()}
        if any(v not in ("E", "W", "I") for v in severity.values()):
            raise ValueError("severity must be E, W or I")
        return cls(disabled=set(data.get("disabled") or ()), params=params, severity=severity)


@dataclass
class RuleContext:
    """What rules beyond the record itself need.

    household: the other members of the person's household (None = unknown: household-wide rules
    are skipped; [] = the person lives alone). existing_children: the mother's other children.
    used_cert_numbers: birth-certificate numbers already registered to other people.
    """

    today: date | None = None
    household: list[Person] | None = None
    mother: Person | None = None
    father: Person | None = None
    certificate: dict[str, Any] | None = None
    existing_children: list[Person] = field(default_factory=list)
    twins_confirmed: bool = False
    used_cert_numbers: frozenset[str] | set[str] = frozenset()
    foreign: bool = False
    birth: bool = False  # validating a newborn at birth confirmation: empty name and ID allowed

    def day(self) -> date:
        return self.today or date.today()


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str
    fields: tuple[str, ...]
    group: str
    scope: str  # "person", "household" or "birth"
    description: str
    function: Callable[[Subject], Iterable[dict[str, Any]]]


@dataclass(frozen=True)
class Verdict:
    """Outcome of applying override reasons: ok when no error and every warning has a reason."""

    ok: bool
    errors: tuple[Finding, ...]
    unexplained_warnings: tuple[Finding, ...]
    overridden: tuple[Finding, ...] = ()
    infos: tuple[Finding, ...] = ()


# ---------------------------------------------------------------------------------- helpers

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ].*)?$")


def parse_date(value: str | None) -> date | None:
    """An ISO date (a timestamp's date part is accepted); None for blank or malformed text."""
    if value is None or not value.strip():
        return None
    s = value.strip()
    if not _ISO_DATE.match(s):
        return None
    try:
        return date.fromisoformat(s[:10])
    except ValueError:
        return None


def _blank_free(value: str | None) -> TypeGuard[str]:
    return value is not None and value.strip() != ""


def age_on(birth: date, day: date) -> int:
    """Completed years of age on a day."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _number(value: Any) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return float(str(value).strip())
    except ValueError:
        return None


def _sex_name(code: Any) -> str:
    return messages.SEX_NAMES.get(str(code) if code is not None else "", str(code or "未填"))


def _binary_sex(code: str | None) -> int | None:
    # Only 1/2 are compared with ID parity and implied sex; 0/9 say nothing, 5/6 record a change.
    return {"1": 1, "2": 2}.get((code or "").strip())


def _is_head(p: Person) -> bool:
    return (p.relation or "").strip() in HEAD_RELATIONS


def _is_dead(p: Person) -> bool:
    return _blank_free(p.death_date) or (p.status or "").strip().lower() in ("dead", "deceased", "死亡")


def _code_name(table: str, code: str | None) -> str:
    return code_table(table).name(code) or (code or "未填")


def _label(field_name: str) -> str:
    return messages.field_label(field_name)


class Subject:
    """One evaluation: the person (or household, or certificate) with cached derived values."""

    def __init__(self, person: Person, ctx: RuleContext, cfg: RuleConfig,
                 members: list[Person] | None = None, certificate: Mapping[str, Any] | None = None):
        self.person = person
        self.ctx = ctx
        self.cfg = cfg
        self.today = ctx.day()
        self.members = members or []
        self.certificate = certificate or {}

    def p(self, name: str) -> Any:
        return self.cfg.param(name)

    @cached_property
    def birth(self) -> date | None:
        return parse_date(self.person.birth_date)

    @cached_property
    def death(self) -> date | None:
        return parse_date(self.person.death_date)

    @cached_property
    def age(self) -> int | None:
        """Age today, or at death for the dead."""
        if self.birth is None:
            return None
        return age_on(self.birth, min(self.death or self.today, self.today))

    @cached_property
    def id_check(self) -> IdCheck | None:
        p = self.person
        if not _blank_free(p.id_number) or (p.id_type or "").strip() not in CITIZEN_ID_TYPES:
            return None
        return check_id_number(p.id_number, today=self.today)

    @cached_property
    def foreign(self) -> bool:
        nat = (self.person.nationality or "").strip().upper()
        return self.ctx.foreign or nat not in DOMESTIC_NATIONALITIES

    @cached_property
    def head(self) -> Person | None:
        heads = [m for m in self._household_with_person() if _is_head(m) and not _is_dead(m)]
        return heads[0] if len(heads) == 1 else None

    def _household_with_person(self) -> list[Person]:
        return [self.person, *(self.ctx.household or ())]


def _rule(code: str, severity: str, fields: tuple[str, ...], group: str, description: str,
          scope: str = "person") -> Callable[..., Any]:
    def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        _REGISTRY.append(Rule(code, severity, fields, group, scope, description, fn))
        return fn
    return wrap


_REGISTRY: list[Rule] = []

# ---------------------------------------------------------------------------------- engine

# Filled by finalize() once the package has imported every rule module.
RULES: tuple[Rule, ...] = ()
RULES_BY_CODE: dict[str, Rule] = {}


def finalize() -> None:
    global RULES, RULES_BY_CODE
    RULES = tuple(_REGISTRY)
    RULES_BY_CODE = {r.code: r for r in RULES}
    if len(RULES_BY_CODE) != len(RULES):
        raise RuntimeError("duplicate rule code")
RULE_FAILED = "RULE_FAILED"


def list_rules(group: str | None = None) -> list[Rule]:
    return [r for r in RULES if group is None or r.group == group]


def rule(code: str) -> Rule:
    return RULES_BY_CODE[code]


def _run(rule_: Rule, subject: Subject, extra: Mapping[str, Any] | None = None) -> list[tuple[Finding, list[Any]]]:
    """Findings of one rule (with the people they concern); a crash becomes RULE_FAILED."""
    severity = subject.cfg.severity.get(rule_.code, rule_.severity)
    out = []
    try:
        for hit in rule_.function(subject):
            hit = dict(hit)
            fields = tuple(hit.pop("_fields", rule_.fields))
            who = hit.pop("_who", None)
            if who:
                hit.setdefault("person_ids", [m.person_id for m in who if m.person_id])
            hit.update(extra or {})
            out.append((Finding(rule_.code, severity, fields, messages.render(rule_.code, hit), hit), who))
    except Exception as exc:  # a broken rule must not stop the others or crash the caller
        # Information, not a warning: a crashed rule says nothing about the data, so it never
        # blocks the worker (the server and the workspace treat RULE_FAILED the same way).
        params = {"rule": rule_.code, "error": f"{type(exc).__name__}: {exc}"}
        out = [(Finding(RULE_FAILED, "I", rule_.fields, messages.render(RULE_FAILED, params), params), None)]
    return out


def _active(scope: str, cfg: RuleConfig, group: str | None = None) -> list[Rule]:
    return [r for r in RULES if r.scope == scope and cfg.enabled(r.code)
            and (group is None or r.group == group)]


def validate_person(person: Person | Mapping[str, Any], context: RuleContext | None = None,
                    config: RuleConfig | None = None) -> list[Finding]:
    """Every enabled person rule; with context.household also the household rules that concern
    this person (or the household as a whole)."""
    person = person if isinstance(person, Person) else Person.from_dict(person)
    ctx = context or RuleContext()
    cfg = config or RuleConfig()
    if ctx.household is not None:  # the household may list a stale copy of this person
        ctx = replace(ctx, household=[m for m in ctx.household if m is not person
                                      and not (person.person_id and m.person_id == person.person_id)])
    subject = Subject(person, ctx, cfg)
    findings = [f for r in _active("person", cfg) for f, _ in _run(r, subject)]
    if ctx.household is not None:
        hh = Subject(person, ctx, cfg, members=[person, *ctx.household])
        for r in _active("household", cfg):
            for f, who in _run(r, hh):
                if not who or any(m is person for m in who):
                    findings.append(f)
    return findings


def validate_household(members: Iterable[Person | Mapping[str, Any]], context: RuleContext | None = None,
                       config: RuleConfig | None = None) -> list[Finding]:
    """The household's structure: one head, one spouse, no dead head, and each member's relation
    checked against sex and the head's age. Member findings carry person_id and name params."""
    people = [m if isinstance(m, Person) else Person.from_dict(m) for m in members]
    ctx = context or RuleContext()
    cfg = config or RuleConfig()
    findings = [f for r in _active("household", cfg) for f, _ in _run(r, Subject(Person(), ctx, cfg, people))]
    member_rules = _active("person", cfg, "Household") + [
        r for r in _active("person", cfg, "Marriage") if r.code == "SPOUSE_OF_HEAD_SEX"]
    for m in people:
        mctx = replace(ctx, household=[o for o in people if o is not m])
        subject = Subject(m, mctx, cfg)
        for r in member_rules:
            findings.extend(f for f, _ in _run(r, subject, {"person_id": m.person_id or "",
                                                            "person_name": m.name or ""}))
    return findings


def _certificate_parent(cert: Mapping[str, Any], role: str) -> Person | None:
    # A parent known only from the certificate: birth date and sex come from the ID number.
    number = str(cert.get(f"{role}_id_number") or "").strip()
    name = str(cert.get(f"{role}_name") or "").strip()
    if not number and not name:
        return None
    p = Person(name=name or None, id_number=number or None)
    if number and str(cert.get(f"{role}_id_type") or "").strip() in CITIZEN_ID_TYPES:
        c = check_id_number(number)
        if c.valid and c.birth_date is not None:
            p = p.replace(birth_date=c.birth_date.isoformat(), sex=str(c.sex))
    return p


def validate_birth(certificate: Any, proposed: Person | Mapping[str, Any] | None = None,
                   context: RuleContext | None = None, config: RuleConfig | None = None) -> list[Finding]:
    """Birth-confirmation rules on the certificate and the proposed newborn, plus the person and
    parent rules (an empty or placeholder name and a missing ID number are allowed at birth).

    `certificate` may also be a BirthCase; its proposed person and parents are then used."""
    ctx = context or RuleContext()
    if isinstance(certificate, BirthCase):
        case = certificate
        certificate, proposed = case.certificate, proposed if proposed is not None else case.proposed
        ctx = replace(ctx, mother=ctx.mother or case.mother, father=ctx.father or case.father)
    cert = dict(certificate or {})
    person = proposed if isinstance(proposed, Person) else Person.from_dict(proposed)
    if not person.birth_date and cert.get("birth_date"):
        person = person.replace(birth_date=cert["birth_date"])
    if not person.sex and cert.get("sex"):
        person = person.replace(sex=cert["sex"])
    ctx = replace(ctx, birth=True, certificate=cert,
                  mother=ctx.mother or _certificate_parent(cert, "mother"),
                  father=ctx.father or _certificate_parent(cert, "father"))
    cfg = config or RuleConfig()
    subject = Subject(person, ctx, cfg, certificate=cert)
    findings = [f for r in _active("birth", cfg) for f, _ in _run(r, subject)]
    return findings + validate_person(person, ctx, cfg)


_DAUGHTERS = frozenset({"30", "31", "32", "33", "34", "35", "36", "37", "39"})


def derive_child_relation(mother_relation: str | None, child_sex: str | None) -> str | None:
    """A newborn's relation to the householder from the mother's (DOMAIN.md); None = worker chooses."""
    rel, sex = (mother_relation or "").strip(), _binary_sex(child_sex)
    if sex is None:
        return None
    if rel in ("01", "02", "10", "12"):
        return "20" if sex == 1 else "30"
    if rel == "38":
        return "41" if sex == 1 else "42"
    if rel in _DAUGHTERS:
        return "43" if sex == 1 else "44"
    return None


# Which parts of the RuleContext a rule cannot do without (household None = unknown; an empty
# parent list, children list or certificate-number set = unknown as well).
CONTEXT_NEEDS: dict[str, tuple[str, ...]] = {
    "SPOUSE_OF_HEAD_SEX": ("household",), "HH_GENERATION_GAP": ("household",),
    "HH_NO_HEAD": ("household",), "HH_MULTI_HEAD": ("household",), "HH_MULTI_SPOUSE": ("household",),
    "HH_DEAD_HEAD": ("household",),
    "PARENT_MOTHER_AGE_W": ("mother",), "PARENT_MOTHER_AGE_E": ("mother",), "PARENT_FATHER_AGE": ("father",),
    "PARENT_SEX": ("mother", "father"), "PARENT_DEAD": ("mother", "father"),
    "PARENT_BIRTH_INTERVAL": ("existing_children",),
    "BIRTH_CERT_DUPLICATE": ("used_cert_numbers",), "BIRTH_POSSIBLE_DUPLICATE": ("existing_children",),
}


def unverifiable_codes(context: RuleContext | None) -> set[str]:
    """Codes of rules that cannot be checked with this context (e.g. the parent rules on a client
    that only has the household): their earlier findings must be kept, not taken as fixed."""
    ctx = context or RuleContext()
    out = set()
    for code, parts in CONTEXT_NEEDS.items():
        for part in parts:
            value = getattr(ctx, part)
            if value is None or (part != "household" and not value):
                out.add(code)
    return out


def keep_unverifiable(previous: Iterable[Finding], fresh: Iterable[Finding],
                      context: RuleContext | None) -> list[Finding]:
    """Fresh findings plus the earlier ones (e.g. from the server) that this context cannot re-check."""
    fresh = list(fresh)
    blind = unverifiable_codes(context)
    seen = {(f.code, f.fields) for f in fresh}
    return fresh + [f for f in previous if f.code in blind and (f.code, f.fields) not in seen]


def apply_overrides(findings: Iterable[Finding], overrides: Mapping[str, str] | None = None) -> Verdict:
    """Errors always block; a warning passes only with a non-blank reason; information never blocks."""
    overrides = overrides or {}
    errors: list[Finding] = []
    unexplained: list[Finding] = []
    overridden: list[Finding] = []
    infos: list[Finding] = []
    for f in findings:
        if f.severity == "E":
            errors.append(f)
        elif f.severity == "W":
            reason = overrides.get(f.code)
            (overridden if reason is not None and str(reason).strip() else unexplained).append(f)
        else:
            infos.append(f)
    return Verdict(ok=not errors and not unexplained, errors=tuple(errors),
                   unexplained_warnings=tuple(unexplained), overridden=tuple(overridden), infos=tuple(infos))
