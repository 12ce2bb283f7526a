"""Name, date and marriage rules."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from typing import Any

from client.domain.codes import marital_is_married
from client.domain.messages import QT_TRANSLATE_NOOP
from client.domain.rules.engine import (
    DATE_FIELDS, EVER_MARRIED, SPOUSE_RELATIONS, Subject, _binary_sex, _blank_free, _code_name, _label,
    _rule, _sex_name, age_on, parse_date,
)

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


@_rule("NAME_CHARS", "E", _NAME_FIELDS, "Names", QT_TRANSLATE_NOOP("rules", "姓名只含汉字和间隔号“·”（外籍人员可含字母）"))
def _name_chars(s: Subject) -> Iterator[dict[str, Any]]:
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


@_rule("NAME_LENGTH", "W", ("name",), "Names", QT_TRANSLATE_NOOP("rules", "姓名为1个字或超过6个字时请核实"))
def _name_len(s: Subject) -> Iterator[dict[str, Any]]:
    name = (s.person.name or "").strip()
    if not name or s.foreign:
        return
    n, max_len = _name_length(name), s.p("name_max_length")
    if n == 1 or n > max_len:
        yield {"field": "name", "field_label": _label("name"), "name": name, "length": n,
               "max_length": max_len}


def _names_where(s: Subject, test: Callable[[str], bool]) -> Iterator[tuple[str, str]]:
    """(field, name) of each name field whose value passes test."""
    for f in _NAME_FIELDS:
        name = (s.person.get(f) or "").strip()
        if name and test(name):
            yield f, name


@_rule("NAME_TRADITIONAL", "W", _NAME_FIELDS, "Names", QT_TRANSLATE_NOOP("rules", "姓名中的繁体字"))
def _name_traditional(s: Subject) -> Iterator[dict[str, Any]]:
    from client.domain.names import has_traditional  # zhconv tables: on first use
    for f, name in _names_where(s, has_traditional):
        chars = "、".join(ch for ch in dict.fromkeys(name) if has_traditional(ch))
        yield {"_fields": (f,), "field": f, "field_label": _label(f), "name": name, "chars": chars}


@_rule("NAME_PRIVATE_USE", "W", _NAME_FIELDS, "Names", QT_TRANSLATE_NOOP("rules", "姓名中的自造字（私用区字符）"))
def _name_private(s: Subject) -> Iterator[dict[str, Any]]:
    from client.domain.names import has_private_use
    for f, name in _names_where(s, has_private_use):
        yield {"_fields": (f,), "field": f, "field_label": _label(f), "name": name}


# ---------------------------------------------------------------------------------- dates


@_rule("DATE_FORMAT", "E", DATE_FIELDS, "Dates", QT_TRANSLATE_NOOP("rules", "日期为有效的 年-月-日"))
def _date_format(s: Subject) -> Iterator[dict[str, Any]]:
    for f in DATE_FIELDS:
        value = s.person.get(f)
        if _blank_free(value) and parse_date(value) is None:
            yield {"_fields": (f,), "field": f, "field_label": _label(f), "value": value}


@_rule("DATE_FUTURE", "E", DATE_FIELDS, "Dates", QT_TRANSLATE_NOOP("rules", "日期不晚于今天"))
def _date_future(s: Subject) -> Iterator[dict[str, Any]]:
    for f in DATE_FIELDS:
        d = parse_date(s.person.get(f))
        if d and d > s.today:
            yield {"_fields": (f,), "field": f, "field_label": _label(f), "value": d.isoformat(),
                   "today": s.today.isoformat()}


_DATE_ORDER_PAIRS = (("birth_date", "first_marriage_date"), ("first_marriage_date", "marital_change_date"),
                     ("birth_date", "marital_change_date"), ("birth_date", "death_date"))


@_rule("DATE_ORDER", "E", DATE_FIELDS, "Dates", QT_TRANSLATE_NOOP("rules", "出生 ≤ 初婚 ≤ 婚姻变动；出生 ≤ 死亡"))
def _date_order(s: Subject) -> Iterator[dict[str, Any]]:
    reported: set[str] = set()
    for a, b in _DATE_ORDER_PAIRS:
        da, db = parse_date(s.person.get(a)), parse_date(s.person.get(b))
        # birth > change is implied when birth > first marriage > change; report the first only
        if da and db and da > db and not (a == "birth_date" and b == "marital_change_date"
                                          and {"first_marriage_date"} & reported):
            reported.update((a, b))
            yield {"_fields": (a, b), "earlier": da.isoformat(), "later": db.isoformat(),
                   "earlier_label": _label(a), "later_label": _label(b)}


@_rule("AGE_OVER_110", "W", ("birth_date",), "Dates", QT_TRANSLATE_NOOP("rules", "年龄超过110岁时请核实"))
def _age_110(s: Subject) -> Iterator[dict[str, Any]]:
    warn, err = s.p("age_warn"), s.p("age_error")
    if s.age is None or s.age <= warn:
        return
    if s.age > err and s.cfg.enabled("AGE_OVER_125"):
        return  # the error says it already
    yield {"age": s.age, "max_age": warn}


@_rule("AGE_OVER_125", "E", ("birth_date",), "Dates", QT_TRANSLATE_NOOP("rules", "年龄不超过125岁"))
def _age_125(s: Subject) -> Iterator[dict[str, Any]]:
    if s.age is not None and s.age > s.p("age_error"):
        yield {"age": s.age, "max_age": s.p("age_error")}


@_rule("EVENT_AFTER_DEATH", "E", ("first_marriage_date", "marital_change_date", "death_date"),
       "Dates", QT_TRANSLATE_NOOP("rules", "死亡之后没有其他事件（结婚、婚姻变动）"))
def _after_death(s: Subject) -> Iterator[dict[str, Any]]:
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
       QT_TRANSLATE_NOOP("rules", "初婚年龄低于法定婚龄（女20岁、男22岁）时请核实"))
def _marriage_early(s: Subject) -> Iterator[dict[str, Any]]:
    age = _first_marriage_age(s)
    sex = _binary_sex(s.person.sex)
    if age is None or sex is None:
        return
    min_age = s.p("marriage_age_male") if sex == 1 else s.p("marriage_age_female")
    if age < min_age and not (age < s.p("married_min_age") and s.cfg.enabled("FIRST_MARRIAGE_UNDER_15")):
        yield {"age": age, "min_age": min_age, "sex_name": _sex_name(str(sex))}


@_rule("MARRIAGE_UNDER_15", "E", ("marital_status", "birth_date"), "Marriage", QT_TRANSLATE_NOOP("rules", "不满15周岁不能为已婚"))
def _married_child(s: Subject) -> Iterator[dict[str, Any]]:
    status = (s.person.marital_status or "").strip()
    min_age = s.p("married_min_age")
    if s.age is not None and s.age < min_age and status in EVER_MARRIED:
        yield {"age": s.age, "min_age": min_age, "marital_name": _code_name("marital", status)}


@_rule("FIRST_MARRIAGE_UNDER_15", "E", ("first_marriage_date", "birth_date"), "Marriage",
       QT_TRANSLATE_NOOP("rules", "初婚时不满15周岁"))
def _first_marriage_child(s: Subject) -> Iterator[dict[str, Any]]:
    age = _first_marriage_age(s)
    min_age = s.p("married_min_age")
    if age is not None and age < min_age:
        yield {"age": age, "min_age": min_age, "first_marriage_date": s.person.first_marriage_date}


@_rule("SPOUSE_OF_HEAD", "E", ("relation", "marital_status"), "Marriage", QT_TRANSLATE_NOOP("rules", "户主的配偶婚姻状况应为已婚"))
def _spouse_married(s: Subject) -> Iterator[dict[str, Any]]:
    rel = (s.person.relation or "").strip()
    status = (s.person.marital_status or "").strip()
    if rel in SPOUSE_RELATIONS and status and marital_is_married(status) is False:
        yield {"relation_name": _code_name("relation", rel), "marital_name": _code_name("marital", status)}


@_rule("SPOUSE_OF_HEAD_SEX", "E", ("relation", "sex"), "Marriage", QT_TRANSLATE_NOOP("rules", "户主的配偶与户主性别不同"))
def _spouse_sex(s: Subject) -> Iterator[dict[str, Any]]:
    rel = (s.person.relation or "").strip()
    head = s.head
    if rel not in SPOUSE_RELATIONS or head is None or head is s.person:
        return
    sex, head_sex = _binary_sex(s.person.sex), _binary_sex(head.sex)
    if sex and sex == head_sex:
        yield {"relation_name": _code_name("relation", rel), "head_name": head.name or "",
               "sex_name": _sex_name(str(sex))}


