"""Birth-confirmation rules on the certificate pushed from the birth-certificate system."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Iterator

from client.domain.idnumber import ID_MESSAGES, check_id_number
from client.domain.messages import QT_TRANSLATE_NOOP
from client.domain.rules.engine import (
    CITIZEN_ID_TYPES, Subject, _label, _number, _rule, _sex_name, parse_date,
)

# ---------------------------------------------------------------------------------- birth

_CERT_NUMBER = re.compile(r"^[A-Z]\d{9}$")


def _cert(s: Subject, key: str) -> str:
    value = s.certificate.get(key)
    return "" if value is None else str(value).strip()


def _out_of_range(s: Subject, key: str, param: str) -> tuple[str, Any, Any] | None:
    """(the certificate's value, low, high) when the value of key is given but is not a number
    within the range of the rule parameter param."""
    raw = _cert(s, key)
    number = _number(raw)
    lo, hi = s.p(param)
    if raw and (number is None or not lo <= number <= hi):
        return raw, lo, hi
    return None


@_rule("BIRTH_CERT_FORMAT", "E", ("birth_cert_number",), "Birth", QT_TRANSLATE_NOOP("rules", "出生医学证明编号为1个大写字母加9位数字"),
       scope="birth")
def _cert_format(s: Subject) -> Iterator[dict[str, Any]]:
    number = _cert(s, "cert_number") or (s.person.birth_cert_number or "").strip()
    if not _CERT_NUMBER.match(number):
        yield {"cert_number": number or "（空）"}


@_rule("BIRTH_CERT_DUPLICATE", "E", ("birth_cert_number",), "Birth", QT_TRANSLATE_NOOP("rules", "出生医学证明编号未被他人使用"),
       scope="birth")
def _cert_dup(s: Subject) -> Iterator[dict[str, Any]]:
    number = _cert(s, "cert_number") or (s.person.birth_cert_number or "").strip()
    if number and number in s.ctx.used_cert_numbers:
        yield {"cert_number": number}


# The issue date is what is wrong (the birth date is checked against the ID number and the
# certificate's other fields): the finding points at it.
@_rule("BIRTH_ISSUE_DATE", "E", ("issue_date",), "Birth", QT_TRANSLATE_NOOP("rules", "出生日期 ≤ 签发日期 ≤ 今天"), scope="birth")
def _issue_date(s: Subject) -> Iterator[dict[str, Any]]:
    issue = parse_date(_cert(s, "issue_date"))
    birth = parse_date(_cert(s, "birth_date")) or s.birth
    raw = _cert(s, "issue_date")
    if raw and issue is None:
        yield {"issue_date": raw, "birth_date": birth.isoformat() if birth else "？",
               "today": s.today.isoformat()}
    elif issue and ((birth and issue < birth) or issue > s.today):
        yield {"issue_date": issue.isoformat(), "birth_date": birth.isoformat() if birth else "？",
               "today": s.today.isoformat()}


@_rule("BIRTH_WEIGHT", "W", ("weight_g",), "Birth", QT_TRANSLATE_NOOP("rules", "出生体重在300—7000克之间"), scope="birth")
def _weight(s: Subject) -> Iterator[dict[str, Any]]:
    bad = _out_of_range(s, "weight_g", "birth_weight_g")
    if bad is not None:
        yield {"weight_g": bad[0], "min_g": bad[1], "max_g": bad[2]}


@_rule("BIRTH_GESTATION", "W", ("gestation_weeks",), "Birth", QT_TRANSLATE_NOOP("rules", "出生孕周在20—45周之间"), scope="birth")
def _gestation(s: Subject) -> Iterator[dict[str, Any]]:
    bad = _out_of_range(s, "gestation_weeks", "gestation_weeks")
    if bad is not None:
        yield {"weeks": bad[0], "min_weeks": bad[1], "max_weeks": bad[2]}


@_rule("BIRTH_MOTHER_ID", "E", ("mother_id_number",), "Birth", QT_TRANSLATE_NOOP("rules", "母亲身份证号码有效且为女性"), scope="birth")
def _mother_id(s: Subject) -> Iterator[dict[str, Any]]:
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
       QT_TRANSLATE_NOOP("rules", "母亲已有同日出生、同性别的子女时可能重复（确认双胞胎后除外）"), scope="birth")
def _possible_dup(s: Subject) -> Iterator[dict[str, Any]]:
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


@_rule("BIRTH_CERT_MISMATCH", "W", ("birth_date", "sex"), "Birth", QT_TRANSLATE_NOOP("rules", "出生日期、性别与出生医学证明一致"),
       scope="birth")
def _cert_mismatch(s: Subject) -> Iterator[dict[str, Any]]:
    pairs = (("birth_date", s.birth.isoformat() if s.birth else "", parse_date(_cert(s, "birth_date"))),
             ("sex", (s.person.sex or "").strip(), _cert(s, "sex")))
    for f, value, cert_value in pairs:
        cert_text = cert_value.isoformat() if isinstance(cert_value, date) else cert_value
        if value and cert_text and value != cert_text:
            shown = (_sex_name(value), _sex_name(cert_text)) if f == "sex" else (value, cert_text)
            yield {"_fields": (f,), "field": f, "field_label": _label(f), "value": shown[0],
                   "cert_value": shown[1]}


