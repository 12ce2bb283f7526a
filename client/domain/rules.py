"""The validation rule engine: every rule of DOMAIN.md with a stable code, severity, fields and a
Chinese message; rules can be switched off and tuned (RuleConfig), warnings overridden with a reason.

The server and the client run the same rules: validate_person for a record, validate_household for
a household's structure, validate_birth for a birth pushed from the birth-certificate system.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from typing import Any, Callable, Iterable, Iterator, Mapping

from client.domain import messages
from client.domain.codes import code_table, marital_is_married, relation_generation, relation_implied_sex
from client.domain.idnumber import ID_MESSAGES, IdCheck, check_id_number, id_check_char
from client.domain.models import Finding, Person

HEAD_RELATIONS = frozenset({"01", "02"})
SPOUSE_RELATIONS = frozenset({"10", "11", "12"})
EVER_MARRIED = frozenset({"20", "21", "22", "23", "30", "40"})
CITIZEN_ID_TYPES = frozenset({"", "01", "02"})  # 居民身份证 / 户口簿 carry the GB 11643 number
DATE_FIELDS = ("birth_date", "first_marriage_date", "marital_change_date", "death_date")
PLACE_FIELDS = ("hukou_place", "residence_place", "managing_place")
LEVEL_NAMES = {1: "省级", 2: "地级", 3: "县级", 4: "乡级（乡镇街道）", 5: "村级（村居委会）"}
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
    if not _blank_free(value):
        return None
    s = value.strip()
    if not _ISO_DATE.match(s):
        return None
    try:
        return date.fromisoformat(s[:10])
    except ValueError:
        return None


def _blank_free(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


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


def _names_module():
    # names.py (helper "domain-core") loads pypinyin and zhconv; imported on first use.
    from client.domain import names
    return names


def _divisions_module():
    from client.domain import divisions
    return divisions


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
          scope: str = "person") -> Callable:
    def wrap(fn: Callable) -> Callable:
        _REGISTRY.append(Rule(code, severity, fields, group, scope, description, fn))
        return fn
    return wrap


_REGISTRY: list[Rule] = []

# ---------------------------------------------------------------------------------- ID rules


def _id_rule(code: str, severity: str, description: str) -> None:
    def check(s: Subject) -> Iterator[dict]:
        c = s.id_check
        if c is None:
            return
        if code in c.errors or code in c.warnings:
            params = {"id_number": s.person.id_number.strip(), "normalized": c.normalized or ""}
            if code == "ID_CHECKSUM" and c.normalized:
                params["expected"] = id_check_char(c.normalized[:17])
            if code == "ID_PROVINCE":
                params["province"] = (c.normalized or s.person.id_number.strip())[:2]
            if code == "ID_REGION_UNKNOWN":
                params["region"] = c.region_code or ""
            yield params
    _REGISTRY.append(Rule(code, severity, ("id_number",), "ID", "person", description, check))


_id_rule("ID_SCIENTIFIC", "E", "身份证号码被显示成科学计数法（已损坏）")
_id_rule("ID_FORMAT", "E", "身份证号码格式（18位，最后一位可为X；15位旧号可转换）")
_id_rule("ID_CHECKSUM", "E", "身份证号码校验位")
_id_rule("ID_DATE", "E", "身份证号码中的出生日期真实存在且在1880年至今天之间")
_id_rule("ID_PROVINCE", "E", "身份证号码前两位为已知省级代码（含81/82/83居住证）")
_id_rule("ID_REGION_UNKNOWN", "W", "身份证号码地址码在1980—2024年区划代码表中")
_id_rule("ID_PLACEHOLDER", "E", "身份证号码不是占位号码（全零、重复数字等）")
_id_rule("ID_CONVERTED_15", "I", "15位旧身份证号码转换为18位")


@_rule("ID_BIRTH_MISMATCH", "E", ("birth_date", "id_number"), "ID", "出生日期与身份证号码中的出生日期一致")
def _id_birth(s: Subject) -> Iterator[dict]:
    c = s.id_check
    if c and not c.placeholder and c.birth_date and s.birth and c.birth_date != s.birth:
        yield {"birth_date": s.birth.isoformat(), "id_birth_date": c.birth_date.isoformat()}


@_rule("ID_SEX_MISMATCH", "E", ("sex", "id_number"), "ID", "性别与身份证号码第17位的奇偶一致")
def _id_sex(s: Subject) -> Iterator[dict]:
    c = s.id_check
    sex = _binary_sex(s.person.sex)
    if c and not c.placeholder and c.sex and sex and c.sex != sex:
        yield {"sex": str(sex), "sex_name": _sex_name(str(sex)), "id_sex_name": _sex_name(str(c.sex))}


# ---------------------------------------------------------------------------------- required


def _required(code: str, field_name: str, description: str, at_birth: bool = True) -> None:
    def check(s: Subject) -> Iterator[dict]:
        if not at_birth and s.ctx.birth:
            return
        if not _blank_free(s.person.get(field_name)):
            yield {"field": field_name, "field_label": _label(field_name)}
    _REGISTRY.append(Rule(code, "E", (field_name,), "Required", "person", description, check))


_required("REQ_RELATION", "relation", "必填：与户主关系")
_required("REQ_NAME", "name", "必填：姓名（出生登记时可暂缺）", at_birth=False)
_required("REQ_SEX", "sex", "必填：性别")
_required("REQ_BIRTH_DATE", "birth_date", "必填：出生日期")
_required("REQ_ETHNICITY", "ethnicity", "必填：民族")
_required("REQ_HUKOU_TYPE", "hukou_type", "必填：户口性质")


@_rule("REQ_ID_NUMBER", "E", ("id_number", "id_missing_reason"), "Required",
       "必填：公民身份号码，或注明无号码的原因（无证、待落户）")
def _req_id(s: Subject) -> Iterator[dict]:
    if s.ctx.birth:
        return
    if not _blank_free(s.person.id_number) and not _blank_free(s.person.id_missing_reason):
        yield {}


@_rule("REQ_MARITAL", "E", ("marital_status",), "Required", "满15周岁须填写婚姻状况")
def _req_marital(s: Subject) -> Iterator[dict]:
    min_age = s.p("marital_required_age")
    if s.age is not None and s.age >= min_age and not _blank_free(s.person.marital_status):
        yield {"age": s.age, "min_age": min_age}


@_rule("REQ_FIRST_MARRIAGE_DATE", "E", ("first_marriage_date",), "Required",
       "满15周岁且非未婚须填写初婚日期")
def _req_first_marriage(s: Subject) -> Iterator[dict]:
    status = (s.person.marital_status or "").strip()
    if s.age is None or s.age < s.p("marital_required_age"):
        return
    if status in EVER_MARRIED and not _blank_free(s.person.first_marriage_date):
        yield {"marital_name": _code_name("marital", status)}


@_rule("NAME_PLACEHOLDER_AGE", "E", ("name",), "Required", "满7周岁不能使用临时姓名（未取名、男婴、X之子…）")
def _placeholder_name(s: Subject) -> Iterator[dict]:
    min_age = s.p("placeholder_name_age")
    name = (s.person.name or "").strip()
    if name and s.age is not None and s.age >= min_age and _names_module().is_placeholder_name(name):
        yield {"name": name, "age": s.age, "min_age": min_age}


def _place_level(code: str) -> int:
    return _divisions_module().level_of(code)


@_rule("REQ_PLACE", "E", ("hukou_place", "residence_place"), "Required", "必填：户籍地、现居住地代码")
def _req_place(s: Subject) -> Iterator[dict]:
    for f in s.p("required_places"):
        if not _blank_free(s.person.get(f)):
            yield {"_fields": (f,), "field": f, "field_label": _label(f)}


@_rule("PLACE_LEVEL", "E", PLACE_FIELDS, "Required", "地点代码精确到规定级别（默认村级）")
def _place_level_rule(s: Subject) -> Iterator[dict]:
    required = int(s.p("place_level"))
    for f in s.p("required_places"):
        code = (s.person.get(f) or "").strip()
        if not re.fullmatch(r"\d{12}", code):
            continue
        level = _place_level(code)
        if level < required:
            yield {"_fields": (f,), "field": f, "field_label": _label(f), "place": code,
                   "level": level, "level_name": LEVEL_NAMES.get(level, str(level)),
                   "required_level": required,
                   "required_level_name": LEVEL_NAMES.get(required, str(required))}


# ---------------------------------------------------------------------------------- codes

CODED_FIELDS = {"sex": "sex", "relation": "relation", "ethnicity": "ethnicity", "id_type": "id_type",
                "hukou_type": "hukou_type", "marital_status": "marital"}
EDUCATION_SYSTEMS = {"2006": "education_2006", "GB/T 4658-2006": "education_2006",
                     "1984": "education_1984"}


@_rule("CODE_INVALID", "E", tuple(CODED_FIELDS) + ("education", "education_system"), "Codes",
       "代码字段的值在对应国家标准代码表中")
def _codes(s: Subject) -> Iterator[dict]:
    p = s.person
    checks = list(CODED_FIELDS.items())
    system = (p.education_system or "").strip()
    if system and system not in EDUCATION_SYSTEMS:
        yield {"_fields": ("education_system",), "field": "education_system",
               "field_label": _label("education_system"), "value": system,
               "table_title": "“2006”或“1984”"}
    elif _blank_free(p.education):
        checks.append(("education", EDUCATION_SYSTEMS.get(system or "2006")))
    for f, table in checks:
        value = p.get(f)
        if _blank_free(value) and code_table(table).get(value.strip()) is None:
            yield {"_fields": (f,), "field": f, "field_label": _label(f), "value": value,
                   "table_title": code_table(table).title}


def _place_known(code12: str) -> bool:
    # Village level exists only for the provinces shipped with villages (61); elsewhere a
    # village code is accepted when its township is known.
    d = _divisions_module()
    tree = d.division_tree()
    if tree.get(code12) is not None:
        return True
    if code12[9:] != "000" and code12[:2] != "61":
        township = code12[:9] + "000"
        return tree.get(township) is not None
    return False


@_rule("PLACE_FORMAT", "E", PLACE_FIELDS, "Codes", "地点代码为12位统计用区划代码")
def _place_format(s: Subject) -> Iterator[dict]:
    for f in PLACE_FIELDS:
        value = s.person.get(f)
        if _blank_free(value) and not re.fullmatch(r"\d{12}", value.strip()):
            yield {"_fields": (f,), "field": f, "field_label": _label(f), "place": value}


@_rule("PLACE_NOT_CURRENT", "E", ("residence_place", "managing_place"), "Codes",
       "现居住地和管理地在现行区划代码表中")
def _place_current(s: Subject) -> Iterator[dict]:
    for f in ("residence_place", "managing_place"):
        value = (s.person.get(f) or "").strip()
        if re.fullmatch(r"\d{12}", value) and not _place_known(value):
            yield {"_fields": (f,), "field": f, "field_label": _label(f), "place": value}


@_rule("HUKOU_PLACE_UNKNOWN", "W", ("hukou_place",), "Codes", "户籍地在现行区划代码表中")
def _hukou_place_known(s: Subject) -> Iterator[dict]:
    value = (s.person.hukou_place or "").strip()
    if re.fullmatch(r"\d{12}", value) and not _place_known(value):
        yield {"field": "hukou_place", "field_label": _label("hukou_place"), "place": value}


# ---------------------------------------------------------------------------------- names

_NAME_FIELDS = ("name", "former_name")


def _is_cjk(ch: str) -> bool:
    cp = ord(ch)
    return (0x3400 <= cp <= 0x4DBF or 0x4E00 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF
            or 0x20000 <= cp <= 0x3FFFF or ch == "〇")


def _is_private_use(ch: str) -> bool:
    return unicodedata.category(ch) == "Co"


_DOTS = "·•・‧∙⋅"


def _bad_name_chars(name: str, foreign: bool) -> list[str]:
    bad = []
    for ch in name:
        if _is_cjk(ch) or ch in _DOTS or _is_private_use(ch):  # private use has its own rule
            continue
        if foreign and (ch.isalpha() or ch in " -'.,"):
            continue
        if ch not in bad:
            bad.append(ch)
    return bad


@_rule("NAME_CHARS", "E", _NAME_FIELDS, "Names", "姓名只含汉字和间隔号“·”（外籍人员可含字母）")
def _name_chars(s: Subject) -> Iterator[dict]:
    for f in _NAME_FIELDS:
        name = s.person.get(f)
        if not _blank_free(name):
            continue
        bad = _bad_name_chars(name.strip(), s.foreign)
        if bad:
            shown = "、".join("空格" if c.isspace() else c for c in bad)
            yield {"_fields": (f,), "field": f, "field_label": _label(f), "name": name, "chars": shown}


def _name_length(name: str) -> int:
    return sum(1 for ch in name if not ch.isspace() and ch not in _DOTS)


@_rule("NAME_LENGTH", "W", ("name",), "Names", "姓名为1个字或超过6个字时请核实")
def _name_len(s: Subject) -> Iterator[dict]:
    name = (s.person.name or "").strip()
    if not name or s.foreign:
        return
    n, max_len = _name_length(name), s.p("name_max_length")
    if n == 1 or n > max_len:
        yield {"field": "name", "field_label": _label("name"), "name": name, "length": n,
               "max_length": max_len}


@_rule("NAME_TRADITIONAL", "W", _NAME_FIELDS, "Names", "姓名中的繁体字")
def _name_traditional(s: Subject) -> Iterator[dict]:
    names = _names_module()
    for f in _NAME_FIELDS:
        name = (s.person.get(f) or "").strip()
        if name and names.has_traditional(name):
            chars = "、".join(ch for ch in dict.fromkeys(name) if names.has_traditional(ch))
            yield {"_fields": (f,), "field": f, "field_label": _label(f), "name": name,
                   "chars": chars}


@_rule("NAME_PRIVATE_USE", "W", _NAME_FIELDS, "Names", "姓名中的自造字（私用区字符）")
def _name_private(s: Subject) -> Iterator[dict]:
    names = _names_module()
    for f in _NAME_FIELDS:
        name = (s.person.get(f) or "").strip()
        if name and names.has_private_use(name):
            yield {"_fields": (f,), "field": f, "field_label": _label(f), "name": name}


# ---------------------------------------------------------------------------------- dates


@_rule("DATE_FORMAT", "E", DATE_FIELDS, "Dates", "日期为有效的 年-月-日")
def _date_format(s: Subject) -> Iterator[dict]:
    for f in DATE_FIELDS:
        value = s.person.get(f)
        if _blank_free(value) and parse_date(value) is None:
            yield {"_fields": (f,), "field": f, "field_label": _label(f), "value": value}


@_rule("DATE_FUTURE", "E", DATE_FIELDS, "Dates", "日期不晚于今天")
def _date_future(s: Subject) -> Iterator[dict]:
    for f in DATE_FIELDS:
        d = parse_date(s.person.get(f))
        if d and d > s.today:
            yield {"_fields": (f,), "field": f, "field_label": _label(f), "value": d.isoformat(),
                   "today": s.today.isoformat()}


_DATE_ORDER_PAIRS = (("birth_date", "first_marriage_date"), ("first_marriage_date", "marital_change_date"),
                     ("birth_date", "marital_change_date"), ("birth_date", "death_date"))


@_rule("DATE_ORDER", "E", DATE_FIELDS, "Dates", "出生 ≤ 初婚 ≤ 婚姻变动；出生 ≤ 死亡")
def _date_order(s: Subject) -> Iterator[dict]:
    reported: set[str] = set()
    for a, b in _DATE_ORDER_PAIRS:
        da, db = parse_date(s.person.get(a)), parse_date(s.person.get(b))
        # birth > change is implied when birth > first marriage > change; report the first only
        if da and db and da > db and not (a == "birth_date" and b == "marital_change_date"
                                          and {"first_marriage_date"} & reported):
            reported.update((a, b))
            yield {"_fields": (a, b), "earlier": da.isoformat(), "later": db.isoformat(),
                   "earlier_label": _label(a), "later_label": _label(b)}


@_rule("AGE_OVER_110", "W", ("birth_date",), "Dates", "年龄超过110岁时请核实")
def _age_110(s: Subject) -> Iterator[dict]:
    warn, err = s.p("age_warn"), s.p("age_error")
    if s.age is None or s.age <= warn:
        return
    if s.age > err and s.cfg.enabled("AGE_OVER_125"):
        return  # the error says it already
    yield {"age": s.age, "max_age": warn}


@_rule("AGE_OVER_125", "E", ("birth_date",), "Dates", "年龄不超过125岁")
def _age_125(s: Subject) -> Iterator[dict]:
    if s.age is not None and s.age > s.p("age_error"):
        yield {"age": s.age, "max_age": s.p("age_error")}


@_rule("EVENT_AFTER_DEATH", "E", ("first_marriage_date", "marital_change_date", "death_date"),
       "Dates", "死亡之后没有其他事件（结婚、婚姻变动）")
def _after_death(s: Subject) -> Iterator[dict]:
    if s.death is None:
        return
    for f in ("first_marriage_date", "marital_change_date"):
        d = parse_date(s.person.get(f))
        if d and d > s.death:
            yield {"_fields": (f, "death_date"), "field": f, "field_label": _label(f),
                   "value": d.isoformat(), "death_date": s.death.isoformat()}


# ---------------------------------------------------------------------------------- marriage


def _first_marriage_age(s: Subject) -> int | None:
    fm = parse_date(s.person.first_marriage_date)
    if fm is None or s.birth is None or fm < s.birth:
        return None
    return age_on(s.birth, fm)


@_rule("MARRIAGE_EARLY", "W", ("first_marriage_date", "birth_date"), "Marriage",
       "初婚年龄低于法定婚龄（女20岁、男22岁）时请核实")
def _marriage_early(s: Subject) -> Iterator[dict]:
    age = _first_marriage_age(s)
    sex = _binary_sex(s.person.sex)
    if age is None or sex is None:
        return
    min_age = s.p("marriage_age_male") if sex == 1 else s.p("marriage_age_female")
    if age < min_age and not (age < s.p("married_min_age") and s.cfg.enabled("FIRST_MARRIAGE_UNDER_15")):
        yield {"age": age, "min_age": min_age, "sex_name": _sex_name(str(sex))}


@_rule("MARRIAGE_UNDER_15", "E", ("marital_status", "birth_date"), "Marriage", "不满15周岁不能为已婚")
def _married_child(s: Subject) -> Iterator[dict]:
    status = (s.person.marital_status or "").strip()
    min_age = s.p("married_min_age")
    if s.age is not None and s.age < min_age and status in EVER_MARRIED:
        yield {"age": s.age, "min_age": min_age, "marital_name": _code_name("marital", status)}


@_rule("FIRST_MARRIAGE_UNDER_15", "E", ("first_marriage_date", "birth_date"), "Marriage",
       "初婚时不满15周岁")
def _first_marriage_child(s: Subject) -> Iterator[dict]:
    age = _first_marriage_age(s)
    min_age = s.p("married_min_age")
    if age is not None and age < min_age:
        yield {"age": age, "min_age": min_age, "first_marriage_date": s.person.first_marriage_date}


@_rule("SPOUSE_OF_HEAD", "E", ("relation", "marital_status"), "Marriage", "户主的配偶婚姻状况应为已婚")
def _spouse_married(s: Subject) -> Iterator[dict]:
    rel = (s.person.relation or "").strip()
    status = (s.person.marital_status or "").strip()
    if rel in SPOUSE_RELATIONS and status and marital_is_married(status) is False:
        yield {"relation_name": _code_name("relation", rel), "marital_name": _code_name("marital", status)}


@_rule("SPOUSE_OF_HEAD_SEX", "E", ("relation", "sex"), "Marriage", "户主的配偶与户主性别不同")
def _spouse_sex(s: Subject) -> Iterator[dict]:
    rel = (s.person.relation or "").strip()
    head = s.head
    if rel not in SPOUSE_RELATIONS or head is None or head is s.person:
        return
    sex, head_sex = _binary_sex(s.person.sex), _binary_sex(head.sex)
    if sex and sex == head_sex:
        yield {"relation_name": _code_name("relation", rel), "head_name": head.name or "",
               "sex_name": _sex_name(str(sex))}


# ---------------------------------------------------------------------------------- household


@_rule("HH_RELATION_SEX", "E", ("relation", "sex"), "Household", "与户主关系隐含的性别与登记性别一致")
def _relation_sex(s: Subject) -> Iterator[dict]:
    rel = (s.person.relation or "").strip()
    implied, sex = relation_implied_sex(rel), _binary_sex(s.person.sex)
    if implied and sex and implied != sex:
        yield {"relation_name": _code_name("relation", rel), "implied_sex_name": _sex_name(str(implied)),
               "sex_name": _sex_name(str(sex))}


@_rule("HH_GENERATION_GAP", "W", ("relation", "birth_date"), "Household",
       "辈分年龄差：子女比户主至少小12岁，孙辈至少小24岁")
def _generation_gap(s: Subject) -> Iterator[dict]:
    rel = (s.person.relation or "").strip()
    gen = relation_generation(rel)
    head = s.head
    if not gen or head is None or head is s.person or s.birth is None:
        return
    head_birth = parse_date(head.birth_date)
    if head_birth is None:
        return
    min_gap = abs(gen) * s.p("generation_gap_years")
    older, younger = (head_birth, s.birth) if gen < 0 else (s.birth, head_birth)
    gap = age_on(older, younger) if younger >= older else -age_on(younger, older)
    if gap < min_gap:
        yield {"relation_name": _code_name("relation", rel), "head_name": head.name or "",
               "gap": gap, "min_gap": min_gap}


def _who(people: Iterable[Person]) -> list[Person]:
    return list(people)


@_rule("HH_NO_HEAD", "E", ("relation",), "Household", "每户恰有一名户主", scope="household")
def _no_head(s: Subject) -> Iterator[dict]:
    living = [m for m in s.members if not _is_dead(m)]
    if living and not any(_is_head(m) for m in living):
        yield {"_who": []}


def _names_of(people: list[Person]) -> str:
    return "、".join(p.name or p.person_id or "？" for p in people)


@_rule("HH_MULTI_HEAD", "E", ("relation",), "Household", "每户只能有一名户主", scope="household")
def _multi_head(s: Subject) -> Iterator[dict]:
    heads = [m for m in s.members if _is_head(m) and not _is_dead(m)]
    if len(heads) > 1:
        yield {"_who": heads, "count": len(heads), "names": _names_of(heads)}


@_rule("HH_MULTI_SPOUSE", "E", ("relation",), "Household", "户主至多有一名配偶", scope="household")
def _multi_spouse(s: Subject) -> Iterator[dict]:
    spouses = [m for m in s.members if (m.relation or "").strip() in SPOUSE_RELATIONS and not _is_dead(m)]
    if len(spouses) > 1:
        yield {"_who": spouses, "count": len(spouses), "names": _names_of(spouses)}


@_rule("HH_DEAD_HEAD", "E", ("relation", "death_date"), "Household", "已死亡的人不能是在册户的户主",
       scope="household")
def _dead_head(s: Subject) -> Iterator[dict]:
    living = [m for m in s.members if not _is_dead(m)]
    for m in s.members:
        if living and _is_head(m) and _is_dead(m):
            yield {"_who": [m], "name": m.name or "", "death_date": m.death_date or "已死亡"}


# ---------------------------------------------------------------------------------- parents


def _parent_age(s: Subject, parent: Person | None) -> int | None:
    if parent is None or s.birth is None:
        return None
    pb = parse_date(parent.birth_date)
    if pb is None or pb > s.birth:
        return None if pb is None else -age_on(s.birth, pb)
    return age_on(pb, s.birth)


@_rule("PARENT_MOTHER_AGE_W", "W", ("birth_date",), "Parents", "生育时母亲年龄在15—49岁之间")
def _mother_age_w(s: Subject) -> Iterator[dict]:
    age = _parent_age(s, s.ctx.mother)
    if age is None:
        return
    lo, hi = s.p("mother_age_warn")
    elo, ehi = s.p("mother_age_error")
    if (age < elo or age > ehi) and s.cfg.enabled("PARENT_MOTHER_AGE_E"):
        return
    if age < lo or age > hi:
        yield {"mother_name": s.ctx.mother.name or "", "age": age, "min_age": lo, "max_age": hi}


@_rule("PARENT_MOTHER_AGE_E", "E", ("birth_date",), "Parents", "生育时母亲不小于12岁、不大于60岁")
def _mother_age_e(s: Subject) -> Iterator[dict]:
    age = _parent_age(s, s.ctx.mother)
    lo, hi = s.p("mother_age_error")
    if age is not None and (age < lo or age > hi):
        yield {"mother_name": s.ctx.mother.name or "", "age": age, "min_age": lo, "max_age": hi}


@_rule("PARENT_FATHER_AGE", "W", ("birth_date",), "Parents", "生育时父亲年龄在16—70岁之间")
def _father_age(s: Subject) -> Iterator[dict]:
    age = _parent_age(s, s.ctx.father)
    lo, hi = s.p("father_age_warn")
    if age is not None and (age < lo or age > hi):
        yield {"father_name": s.ctx.father.name or "", "age": age, "min_age": lo, "max_age": hi}


@_rule("PARENT_SEX", "E", ("mother_name", "father_name"), "Parents", "母亲为女性，父亲为男性")
def _parent_sex(s: Subject) -> Iterator[dict]:
    for role, parent, want, f in (("母亲", s.ctx.mother, 2, "mother_name"), ("父亲", s.ctx.father, 1, "father_name")):
        if parent is None:
            continue
        sex = _binary_sex(parent.sex)
        if sex and sex != want:
            yield {"_fields": (f,), "role_name": role, "parent_name": parent.name or "",
                   "sex_name": _sex_name(str(sex))}


@_rule("PARENT_DEAD", "E", ("birth_date",), "Parents", "母亲在出生前未死亡，父亲死亡不早于出生前300天")
def _parent_dead(s: Subject) -> Iterator[dict]:
    if s.birth is None:
        return
    for role, parent, slack in (("母亲", s.ctx.mother, 0), ("父亲", s.ctx.father, s.p("father_death_days"))):
        death = parse_date(parent.death_date) if parent else None
        if death and (s.birth - death).days > slack:
            yield {"role_name": role, "parent_name": parent.name or "", "death_date": death.isoformat(),
                   "birth_date": s.birth.isoformat()}


@_rule("PARENT_BIRTH_INTERVAL", "W", ("birth_date",), "Parents",
       "同一母亲两次生育间隔不少于180天（同日出生除外）")
def _birth_interval(s: Subject) -> Iterator[dict]:
    if s.birth is None or not s.ctx.existing_children:
        return
    min_days = s.p("birth_interval_days")
    mother_name = s.ctx.mother.name if s.ctx.mother else (s.person.mother_name or "")
    for other in s.ctx.existing_children:
        if other is s.person or (other.person_id and other.person_id == s.person.person_id):
            continue
        ob = parse_date(other.birth_date)
        if ob is None or ob == s.birth:
            continue
        days = abs((s.birth - ob).days)
        if days < min_days:
            yield {"mother_name": mother_name or "", "other_name": other.name or "",
                   "other_birth_date": ob.isoformat(), "days": days, "min_days": min_days}


# ---------------------------------------------------------------------------------- birth

_CERT_NUMBER = re.compile(r"^[A-Z]\d{9}$")


def _cert(s: Subject, key: str) -> str:
    value = s.certificate.get(key)
    return "" if value is None else str(value).strip()


@_rule("BIRTH_CERT_FORMAT", "E", ("birth_cert_number",), "Birth", "出生医学证明编号为1个大写字母加9位数字",
       scope="birth")
def _cert_format(s: Subject) -> Iterator[dict]:
    number = _cert(s, "cert_number") or (s.person.birth_cert_number or "").strip()
    if not _CERT_NUMBER.match(number):
        yield {"cert_number": number or "（空）"}


@_rule("BIRTH_CERT_DUPLICATE", "E", ("birth_cert_number",), "Birth", "出生医学证明编号未被他人使用",
       scope="birth")
def _cert_dup(s: Subject) -> Iterator[dict]:
    number = _cert(s, "cert_number") or (s.person.birth_cert_number or "").strip()
    if number and number in s.ctx.used_cert_numbers:
        yield {"cert_number": number}


@_rule("BIRTH_ISSUE_DATE", "E", ("birth_date",), "Birth", "出生日期 ≤ 签发日期 ≤ 今天", scope="birth")
def _issue_date(s: Subject) -> Iterator[dict]:
    issue = parse_date(_cert(s, "issue_date"))
    birth = parse_date(_cert(s, "birth_date")) or s.birth
    raw = _cert(s, "issue_date")
    if raw and issue is None:
        yield {"issue_date": raw, "birth_date": birth.isoformat() if birth else "？",
               "today": s.today.isoformat()}
    elif issue and ((birth and issue < birth) or issue > s.today):
        yield {"issue_date": issue.isoformat(), "birth_date": birth.isoformat() if birth else "？",
               "today": s.today.isoformat()}


@_rule("BIRTH_WEIGHT", "W", ("weight_g",), "Birth", "出生体重在300—7000克之间", scope="birth")
def _weight(s: Subject) -> Iterator[dict]:
    raw = _cert(s, "weight_g")
    w = _number(raw)
    lo, hi = s.p("birth_weight_g")
    if raw and (w is None or not lo <= w <= hi):
        yield {"weight_g": raw, "min_g": lo, "max_g": hi}


@_rule("BIRTH_GESTATION", "W", ("gestation_weeks",), "Birth", "出生孕周在20—45周之间", scope="birth")
def _gestation(s: Subject) -> Iterator[dict]:
    raw = _cert(s, "gestation_weeks")
    w = _number(raw)
    lo, hi = s.p("gestation_weeks")
    if raw and (w is None or not lo <= w <= hi):
        yield {"weeks": raw, "min_weeks": lo, "max_weeks": hi}


@_rule("BIRTH_MOTHER_ID", "E", ("mother_id_number",), "Birth", "母亲身份证号码有效且为女性", scope="birth")
def _mother_id(s: Subject) -> Iterator[dict]:
    id_type = _cert(s, "mother_id_type")
    if id_type not in CITIZEN_ID_TYPES:
        return  # passports and other documents are not GB 11643 numbers
    number = _cert(s, "mother_id_number") or (s.person.mother_id_number or "").strip()
    if not number:
        yield {"id_number": "空", "problem": "缺失"}
        return
    c = check_id_number(number, today=s.today)
    if not c.valid:
        problems = "；".join(ID_MESSAGES.get(code, code) for code in c.errors)
        yield {"id_number": number, "problem": f"无效：{problems}"}
    elif c.sex != 2:
        yield {"id_number": number, "problem": "表示的性别为男"}


@_rule("BIRTH_POSSIBLE_DUPLICATE", "E", ("birth_date", "sex"), "Birth",
       "母亲已有同日出生、同性别的子女时可能重复（确认双胞胎后除外）", scope="birth")
def _possible_dup(s: Subject) -> Iterator[dict]:
    if s.ctx.twins_confirmed:
        return
    birth = s.birth or parse_date(_cert(s, "birth_date"))
    sex = (s.person.sex or _cert(s, "sex") or "").strip()
    mother = s.ctx.mother
    for other in s.ctx.existing_children:
        if other.person_id and other.person_id == s.person.person_id:
            continue
        if birth and parse_date(other.birth_date) == birth and (other.sex or "").strip() == sex:
            yield {"mother_name": (mother.name if mother else _cert(s, "mother_name")) or "",
                   "other_name": other.name or "", "other_birth_date": birth.isoformat(),
                   "other_person_id": other.person_id or ""}


@_rule("BIRTH_CERT_MISMATCH", "W", ("birth_date", "sex"), "Birth", "出生日期、性别与出生医学证明一致",
       scope="birth")
def _cert_mismatch(s: Subject) -> Iterator[dict]:
    pairs = (("birth_date", s.birth.isoformat() if s.birth else "", parse_date(_cert(s, "birth_date"))),
             ("sex", (s.person.sex or "").strip(), _cert(s, "sex")))
    for f, value, cert_value in pairs:
        cert_text = cert_value.isoformat() if isinstance(cert_value, date) else cert_value
        if value and cert_text and value != cert_text:
            shown = (_sex_name(value), _sex_name(cert_text)) if f == "sex" else (value, cert_text)
            yield {"_fields": (f,), "field": f, "field_label": _label(f), "value": shown[0],
                   "cert_value": shown[1]}


# ---------------------------------------------------------------------------------- engine

RULES: tuple[Rule, ...] = tuple(_REGISTRY)
RULES_BY_CODE: dict[str, Rule] = {r.code: r for r in RULES}
assert len(RULES_BY_CODE) == len(RULES), "duplicate rule code"
RULE_FAILED = "RULE_FAILED"


def list_rules(group: str | None = None) -> list[Rule]:
    return [r for r in RULES if group is None or r.group == group]


def rule(code: str) -> Rule:
    return RULES_BY_CODE[code]


def _run(rule_: Rule, subject: Subject, extra: Mapping[str, Any] | None = None) -> list[tuple[Finding, list]]:
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
        params = {"rule": rule_.code, "error": f"{type(exc).__name__}: {exc}"}
        out = [(Finding(RULE_FAILED, "W", rule_.fields, messages.render(RULE_FAILED, params), params), None)]
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
        if c.valid:
            p = p.replace(birth_date=c.birth_date.isoformat(), sex=str(c.sex))
    return p


def validate_birth(certificate: Any, proposed: Person | Mapping[str, Any] | None = None,
                   context: RuleContext | None = None, config: RuleConfig | None = None) -> list[Finding]:
    """Birth-confirmation rules on the certificate and the proposed newborn, plus the person and
    parent rules (an empty or placeholder name and a missing ID number are allowed at birth).

    `certificate` may also be a BirthCase; its proposed person and parents are then used."""
    from client.domain.models import BirthCase

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


def apply_overrides(findings: Iterable[Finding], overrides: Mapping[str, str] | None = None) -> Verdict:
    """Errors always block; a warning passes only with a non-blank reason; information never blocks."""
    overrides = overrides or {}
    errors, unexplained, overridden, infos = [], [], [], []
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
