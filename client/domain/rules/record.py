"""ID number, required-field and code-table rules."""

from __future__ import annotations

import re
from typing import Any, Iterator

from client.domain.codes import code_table
from client.domain.idnumber import id_check_char
from client.domain.messages import QT_TRANSLATE_NOOP
from client.domain.rules.engine import (
    EVER_MARRIED, LEVEL_NAMES, PLACE_FIELDS, Rule, Subject, _binary_sex, _blank_free, _code_name,
    _label, _REGISTRY, _rule, _sex_name,
)

# ---------------------------------------------------------------------------------- ID rules


def _id_rule(code: str, severity: str, description: str) -> None:
    def check(s: Subject) -> Iterator[dict[str, Any]]:
        c = s.id_check
        if c is None:
            return
        if code in c.errors or code in c.warnings:
            params = {"id_number": (s.person.id_number or "").strip(), "normalized": c.normalized or ""}
            if code == "ID_CHECKSUM" and c.normalized:
                params["expected"] = id_check_char(c.normalized[:17])
            if code == "ID_PROVINCE":
                params["province"] = (c.normalized or (s.person.id_number or "").strip())[:2]
            if code == "ID_REGION_UNKNOWN":
                params["region"] = c.region_code or ""
            yield params
    _REGISTRY.append(Rule(code, severity, ("id_number",), "ID", "person", description, check))


_id_rule("ID_SCIENTIFIC", "E", QT_TRANSLATE_NOOP("rules", "身份证号码被显示成科学计数法（已损坏）"))
_id_rule("ID_FORMAT", "E", QT_TRANSLATE_NOOP("rules", "身份证号码格式（18位，最后一位可为X；15位旧号可转换）"))
_id_rule("ID_CHECKSUM", "E", QT_TRANSLATE_NOOP("rules", "身份证号码校验位"))
_id_rule("ID_DATE", "E", QT_TRANSLATE_NOOP("rules", "身份证号码中的出生日期真实存在且在1880年至今天之间"))
_id_rule("ID_PROVINCE", "E", QT_TRANSLATE_NOOP("rules", "身份证号码前两位为已知省级代码（含81/82/83居住证）"))
_id_rule("ID_REGION_UNKNOWN", "W", QT_TRANSLATE_NOOP("rules", "身份证号码地址码在1980—2024年区划代码表中"))
_id_rule("ID_PLACEHOLDER", "E", QT_TRANSLATE_NOOP("rules", "身份证号码不是占位号码（全零、重复数字等）"))
_id_rule("ID_CONVERTED_15", "I", QT_TRANSLATE_NOOP("rules", "15位旧身份证号码转换为18位"))


@_rule("ID_BIRTH_MISMATCH", "E", ("birth_date", "id_number"), "ID", QT_TRANSLATE_NOOP("rules", "出生日期与身份证号码中的出生日期一致"))
def _id_birth(s: Subject) -> Iterator[dict[str, Any]]:
    c = s.id_check
    if c and not c.placeholder and c.birth_date and s.birth and c.birth_date != s.birth:
        yield {"birth_date": s.birth.isoformat(), "id_birth_date": c.birth_date.isoformat()}


@_rule("ID_SEX_MISMATCH", "E", ("sex", "id_number"), "ID", QT_TRANSLATE_NOOP("rules", "性别与身份证号码第17位的奇偶一致"))
def _id_sex(s: Subject) -> Iterator[dict[str, Any]]:
    c = s.id_check
    sex = _binary_sex(s.person.sex)
    if c and not c.placeholder and c.sex and sex and c.sex != sex:
        yield {"sex": str(sex), "sex_name": _sex_name(str(sex)), "id_sex_name": _sex_name(str(c.sex))}


# ---------------------------------------------------------------------------------- required


def _required(code: str, field_name: str, description: str, at_birth: bool = True) -> None:
    def check(s: Subject) -> Iterator[dict[str, Any]]:
        if not at_birth and s.ctx.birth:
            return
        if not _blank_free(s.person.get(field_name)):
            yield {"field": field_name, "field_label": _label(field_name)}
    _REGISTRY.append(Rule(code, "E", (field_name,), "Required", "person", description, check))


_required("REQ_RELATION", "relation", QT_TRANSLATE_NOOP("rules", "必填：与户主关系"))
_required("REQ_NAME", "name", QT_TRANSLATE_NOOP("rules", "必填：姓名（出生登记时可暂缺）"), at_birth=False)
_required("REQ_SEX", "sex", QT_TRANSLATE_NOOP("rules", "必填：性别"))
_required("REQ_BIRTH_DATE", "birth_date", QT_TRANSLATE_NOOP("rules", "必填：出生日期"))
_required("REQ_ETHNICITY", "ethnicity", QT_TRANSLATE_NOOP("rules", "必填：民族"))
_required("REQ_HUKOU_TYPE", "hukou_type", QT_TRANSLATE_NOOP("rules", "必填：户口性质"))


@_rule("REQ_ID_NUMBER", "E", ("id_number", "id_missing_reason"), "Required",
       QT_TRANSLATE_NOOP("rules", "必填：公民身份号码，或注明无号码的原因（无证、待落户）"))
def _req_id(s: Subject) -> Iterator[dict[str, Any]]:
    if s.ctx.birth:
        return
    if not _blank_free(s.person.id_number) and not _blank_free(s.person.id_missing_reason):
        yield {}


@_rule("REQ_MARITAL", "E", ("marital_status",), "Required", QT_TRANSLATE_NOOP("rules", "满15周岁须填写婚姻状况"))
def _req_marital(s: Subject) -> Iterator[dict[str, Any]]:
    min_age = s.p("marital_required_age")
    if s.age is not None and s.age >= min_age and not _blank_free(s.person.marital_status):
        yield {"age": s.age, "min_age": min_age}


@_rule("REQ_FIRST_MARRIAGE_DATE", "E", ("first_marriage_date",), "Required",
       QT_TRANSLATE_NOOP("rules", "满15周岁且非未婚须填写初婚日期"))
def _req_first_marriage(s: Subject) -> Iterator[dict[str, Any]]:
    status = (s.person.marital_status or "").strip()
    if s.age is None or s.age < s.p("marital_required_age"):
        return
    if status in EVER_MARRIED and not _blank_free(s.person.first_marriage_date):
        yield {"marital_name": _code_name("marital", status)}


@_rule("NAME_PLACEHOLDER_AGE", "E", ("name",), "Required", QT_TRANSLATE_NOOP("rules", "满7周岁不能使用临时姓名（未取名、男婴、X之子…）"))
def _placeholder_name(s: Subject) -> Iterator[dict[str, Any]]:
    min_age = s.p("placeholder_name_age")
    name = (s.person.name or "").strip()
    from client.domain.names import is_placeholder_name  # pypinyin tables: on first use

    if name and s.age is not None and s.age >= min_age and is_placeholder_name(name):
        yield {"name": name, "age": s.age, "min_age": min_age}


def _place_level(code: str) -> int:
    from client.domain.divisions import level_of  # the division tables: on first use
    return level_of(code)


@_rule("REQ_PLACE", "E", ("hukou_place", "residence_place"), "Required", QT_TRANSLATE_NOOP("rules", "必填：户籍地、现居住地代码"))
def _req_place(s: Subject) -> Iterator[dict[str, Any]]:
    for f in s.p("required_places"):
        if not _blank_free(s.person.get(f)):
            yield {"_fields": (f,), "field": f, "field_label": _label(f)}


@_rule("PLACE_LEVEL", "E", PLACE_FIELDS, "Required", QT_TRANSLATE_NOOP("rules", "地点代码精确到规定级别（默认村级）"))
def _place_level_rule(s: Subject) -> Iterator[dict[str, Any]]:
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
       QT_TRANSLATE_NOOP("rules", "代码字段的值在对应国家标准代码表中"))
def _codes(s: Subject) -> Iterator[dict[str, Any]]:
    p = s.person
    checks = list(CODED_FIELDS.items())
    system = (p.education_system or "").strip()
    if system and system not in EDUCATION_SYSTEMS:
        yield {"_fields": ("education_system",), "field": "education_system",
               "field_label": _label("education_system"), "value": system,
               "table_title": "“2006”或“1984”"}
    elif _blank_free(p.education):
        checks.append(("education", EDUCATION_SYSTEMS[system or "2006"]))
    for f, table in checks:
        value = p.get(f)
        if _blank_free(value) and code_table(table).get(value.strip()) is None:
            yield {"_fields": (f,), "field": f, "field_label": _label(f), "value": value,
                   "table_title": code_table(table).title}


def _place_known(code12: str) -> bool:
    # Village level exists only for the provinces shipped with villages (61); elsewhere a
    # village code is accepted when its township is known.
    from client.domain.divisions import division_tree  # the division tables: on first use
    tree = division_tree()
    if tree.get(code12) is not None:
        return True
    if code12[9:] != "000" and code12[:2] != "61":
        township = code12[:9] + "000"
        return tree.get(township) is not None
    return False


@_rule("PLACE_FORMAT", "E", PLACE_FIELDS, "Codes", QT_TRANSLATE_NOOP("rules", "地点代码为12位统计用区划代码"))
def _place_format(s: Subject) -> Iterator[dict[str, Any]]:
    for f in PLACE_FIELDS:
        value = s.person.get(f)
        if _blank_free(value) and not re.fullmatch(r"\d{12}", value.strip()):
            yield {"_fields": (f,), "field": f, "field_label": _label(f), "place": value}


@_rule("PLACE_NOT_CURRENT", "E", ("residence_place", "managing_place"), "Codes",
       QT_TRANSLATE_NOOP("rules", "现居住地和管理地在现行区划代码表中"))
def _place_current(s: Subject) -> Iterator[dict[str, Any]]:
    for f in ("residence_place", "managing_place"):
        value = (s.person.get(f) or "").strip()
        if re.fullmatch(r"\d{12}", value) and not _place_known(value):
            yield {"_fields": (f,), "field": f, "field_label": _label(f), "place": value}


@_rule("HUKOU_PLACE_UNKNOWN", "W", ("hukou_place",), "Codes", QT_TRANSLATE_NOOP("rules", "户籍地在现行区划代码表中"))
def _hukou_place_known(s: Subject) -> Iterator[dict[str, Any]]:
    value = (s.person.hukou_place or "").strip()
    if re.fullmatch(r"\d{12}", value) and not _place_known(value):
        yield {"field": "hukou_place", "field_label": _label("hukou_place"), "place": value}


