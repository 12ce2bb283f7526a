"""Rule engine: each rule triggered and not triggered, DOMAIN.md examples, configuration, overrides.

Rules that need the division tree or the name tables are in test_rules_names_places.py.
"""

from __future__ import annotations

from datetime import date

import pytest

from client.domain import messages, rules
from client.domain.idnumber import id_check_char, make_id_number
from client.domain.models import Finding, Person
from client.domain.rules import (
    RULES, RuleConfig, RuleContext, apply_overrides, derive_child_relation, validate_birth,
    validate_household, validate_person,
)

TODAY = date(2025, 6, 1)
BASE_ID = make_id_number("610424", date(1985, 3, 12), 123)  # male
VILLAGE = "610424101200"

BASE = Person(
    person_id="P1", household_id="H1", relation="02", name="王建国", sex="1",
    birth_date="1985-03-12", ethnicity="01", id_type="01", id_number=BASE_ID, hukou_type="2",
    hukou_place=VILLAGE, residence_place=VILLAGE, managing_place=VILLAGE, marital_status="21",
    first_marriage_date="2010-05-01", marital_change_date="2010-05-01", education="20",
    education_system="2006",
)
WIFE = Person(person_id="P2", relation="12", name="李秀英", sex="2", birth_date="1987-08-01",
              marital_status="21")
MOTHER = Person(person_id="M", name="张桂兰", sex="2", birth_date="1960-02-02")
FATHER = Person(person_id="F", name="王德福", sex="1", birth_date="1958-06-06")


def _modules_missing() -> bool:
    import importlib.util
    return any(importlib.util.find_spec(f"client.domain.{m}") is None for m in ("names", "divisions"))


MODULES_MISSING = _modules_missing()


def _check_no_failures(findings):
    # Until domain-core lands names.py and divisions.py the rules using them fail with ImportError.
    for f in findings:
        if f.code == "RULE_FAILED":
            assert MODULES_MISSING and "ImportError" in f.params["error"], f.message


def codes_of(person: Person | None = None, changes: dict | None = None, config=None, **ctx) -> list[str]:
    p = (person or BASE).replace(**(changes or {}))
    context = RuleContext(today=TODAY, **ctx)
    findings = validate_person(p, context, config)
    _check_no_failures(findings)
    return [f.code for f in findings]


def _id(first17: str) -> str:
    return first17 + id_check_char(first17)


HEAD_MALE = Person(person_id="H", relation="02", name="刘大山", sex="1", birth_date="1980-01-01",
                   marital_status="21")

# (code, changes to BASE, context kwargs, expected to fire)
CASES = [
    ("ID_SCIENTIFIC", {"id_number": "6.10424E+17"}, {}, True),
    ("ID_SCIENTIFIC", {}, {}, False),
    ("ID_FORMAT", {"id_number": "T60426199101010078"}, {}, True),
    ("ID_FORMAT", {"id_type": "03", "id_number": "E12345678"}, {}, False),  # passport: not GB 11643
    ("ID_CHECKSUM", {"id_number": "36042619910102009X"}, {}, True),
    ("ID_CHECKSUM", {"id_number": "610424 19850312 1238"}, {}, False),  # spaces are normalised
    ("ID_DATE", {"id_number": "360426199113010079"}, {}, True),
    ("ID_DATE", {}, {}, False),
    ("ID_PROVINCE", {"id_number": _id("99042419850312123")}, {}, True),
    ("ID_PROVINCE", {"id_number": _id("81000019850312123")}, {}, False),  # HK residence permit
    ("ID_REGION_UNKNOWN", {"id_number": _id("61999919850312123")}, {}, True),
    ("ID_REGION_UNKNOWN", {}, {}, False),
    ("ID_PLACEHOLDER", {"id_number": "000000198503120000"}, {}, True),
    ("ID_PLACEHOLDER", {}, {}, False),
    ("ID_CONVERTED_15", {"id_number": "610424850312123"}, {}, True),
    ("ID_CONVERTED_15", {}, {}, False),
    ("ID_BIRTH_MISMATCH", {"birth_date": "1985-03-13"}, {}, True),
    ("ID_BIRTH_MISMATCH", {"id_number": "000000198503130000", "birth_date": "1985-03-13"}, {}, False),
    ("ID_SEX_MISMATCH", {"sex": "2"}, {}, True),
    ("ID_SEX_MISMATCH", {"sex": "9"}, {}, False),
    ("REQ_RELATION", {"relation": None}, {}, True),
    ("REQ_RELATION", {}, {}, False),
    ("REQ_NAME", {"name": "  "}, {}, True),
    ("REQ_NAME", {}, {}, False),
    ("REQ_SEX", {"sex": ""}, {}, True),
    ("REQ_SEX", {}, {}, False),
    ("REQ_BIRTH_DATE", {"birth_date": None}, {}, True),
    ("REQ_BIRTH_DATE", {}, {}, False),
    ("REQ_ETHNICITY", {"ethnicity": None}, {}, True),
    ("REQ_ETHNICITY", {}, {}, False),
    ("REQ_HUKOU_TYPE", {"hukou_type": None}, {}, True),
    ("REQ_HUKOU_TYPE", {}, {}, False),
    ("REQ_ID_NUMBER", {"id_number": None}, {}, True),
    ("REQ_ID_NUMBER", {"id_number": None, "id_missing_reason": "待落户"}, {}, False),
    ("REQ_MARITAL", {"marital_status": None}, {}, True),
    ("REQ_MARITAL", {"marital_status": None, "birth_date": "2012-01-01"}, {}, False),
    ("REQ_FIRST_MARRIAGE_DATE", {"first_marriage_date": None, "marital_change_date": None}, {}, True),
    ("REQ_FIRST_MARRIAGE_DATE", {"marital_status": "10", "first_marriage_date": None,
                                 "marital_change_date": None}, {}, False),
    ("REQ_PLACE", {"hukou_place": None}, {}, True),
    ("REQ_PLACE", {"managing_place": None}, {}, False),  # not required by default
    ("CODE_INVALID", {"ethnicity": "60"}, {}, True),
    ("CODE_INVALID", {"education": "99"}, {}, True),
    ("CODE_INVALID", {"education": "41", "education_system": "1984"}, {}, True),
    ("CODE_INVALID", {"education_system": "1999"}, {}, True),
    ("CODE_INVALID", {"sex": "6", "id_number": None, "id_missing_reason": "无证"}, {}, False),
    ("CODE_INVALID", {}, {}, False),
    ("PLACE_FORMAT", {"residence_place": "61042410120"}, {}, True),
    ("PLACE_FORMAT", {}, {}, False),
    ("NAME_CHARS", {"name": "王建国A"}, {}, True),
    ("NAME_CHARS", {"former_name": "王 建国"}, {}, True),
    ("NAME_CHARS", {"name": "阿卜杜·热合曼"}, {}, False),
    ("NAME_CHARS", {"name": "John Smith", "nationality": "USA"}, {}, False),
    ("NAME_CHARS", {"name": "John Smith"}, {"foreign": True}, False),
    ("NAME_CHARS", {"name": "𠮷𡈽"}, {}, False),  # Ext-B characters are CJK
    ("NAME_LENGTH", {"name": "王"}, {}, True),
    ("NAME_LENGTH", {"name": "阿卜杜热合曼·买买提"}, {}, True),
    ("NAME_LENGTH", {"name": "欧阳娜娜"}, {}, False),
    ("DATE_FORMAT", {"death_date": "2020-13-01"}, {}, True),
    ("DATE_FORMAT", {"birth_date": "1985/03/12"}, {}, True),
    ("DATE_FORMAT", {}, {}, False),
    ("DATE_FUTURE", {"marital_change_date": "2026-01-01"}, {}, True),
    ("DATE_FUTURE", {"marital_change_date": "2025-06-01"}, {}, False),
    ("DATE_ORDER", {"first_marriage_date": "1980-01-01"}, {}, True),
    ("DATE_ORDER", {"marital_change_date": "2009-01-01"}, {}, True),
    ("DATE_ORDER", {"death_date": "1984-01-01"}, {}, True),
    ("DATE_ORDER", {"death_date": "2024-01-01"}, {}, False),
    ("AGE_OVER_110", {"birth_date": "1910-01-01"}, {}, True),
    ("AGE_OVER_110", {"birth_date": "1890-01-01"}, {}, False),  # the error says it
    ("AGE_OVER_110", {"birth_date": "1910-01-01", "death_date": "2000-01-01"}, {}, False),
    ("AGE_OVER_125", {"birth_date": "1890-01-01"}, {}, True),
    ("AGE_OVER_125", {"birth_date": "1910-01-01"}, {}, False),
    ("EVENT_AFTER_DEATH", {"death_date": "2009-01-01"}, {}, True),
    ("EVENT_AFTER_DEATH", {"death_date": "2011-01-01"}, {}, False),
    ("MARRIAGE_EARLY", {"first_marriage_date": "2005-05-01"}, {}, True),  # man at 20
    ("MARRIAGE_EARLY", {"sex": "2", "first_marriage_date": "2006-05-01"}, {}, False),  # woman at 21
    ("MARRIAGE_EARLY", {"first_marriage_date": "1999-01-01"}, {}, False),  # 13: the error says it
    ("MARRIAGE_UNDER_15", {"birth_date": "2015-01-01", "marital_status": "20"}, {}, True),
    ("MARRIAGE_UNDER_15", {"birth_date": "2015-01-01", "marital_status": "10"}, {}, False),
    ("FIRST_MARRIAGE_UNDER_15", {"first_marriage_date": "1999-01-01"}, {}, True),
    ("FIRST_MARRIAGE_UNDER_15", {}, {}, False),
    ("SPOUSE_OF_HEAD", {"relation": "12", "sex": "2", "marital_status": "10"}, {}, True),
    ("SPOUSE_OF_HEAD", {"relation": "12", "sex": "2"}, {}, False),
    ("SPOUSE_OF_HEAD_SEX", {"relation": "11"}, {"household": [HEAD_MALE]}, True),
    ("SPOUSE_OF_HEAD_SEX", {"relation": "11"}, {"household": [HEAD_MALE.replace(sex="2")]}, False),
    ("HH_RELATION_SEX", {"relation": "12"}, {}, True),
    ("HH_RELATION_SEX", {"relation": "11"}, {}, False),
    ("HH_GENERATION_GAP", {"relation": "20"}, {"household": [HEAD_MALE]}, True),
    ("HH_GENERATION_GAP", {"relation": "20"}, {"household": [HEAD_MALE.replace(birth_date="1960-01-01")]}, False),
    ("HH_GENERATION_GAP", {"relation": "51"}, {"household": [HEAD_MALE]}, True),  # father 5 years older
    ("HH_GENERATION_GAP", {"relation": "41"}, {"household": [HEAD_MALE.replace(birth_date="1965-01-01")]}, True),
    ("HH_GENERATION_GAP", {"relation": "41"}, {"household": [HEAD_MALE.replace(birth_date="1955-01-01")]}, False),
    ("HH_NO_HEAD", {"relation": "20"}, {"household": [WIFE.replace(relation="30")]}, True),
    ("HH_NO_HEAD", {}, {"household": []}, False),
    ("HH_NO_HEAD", {"relation": "20"}, {}, False),  # household unknown
    ("HH_MULTI_HEAD", {}, {"household": [HEAD_MALE]}, True),
    ("HH_MULTI_HEAD", {}, {"household": [WIFE]}, False),
    ("HH_MULTI_HEAD", {"relation": "20"}, {"household": [HEAD_MALE, HEAD_MALE.replace(person_id="H2")]}, False),
    ("HH_MULTI_SPOUSE", {"relation": "10"}, {"household": [HEAD_MALE.replace(sex="2"), WIFE]}, True),
    ("HH_MULTI_SPOUSE", {}, {"household": [WIFE]}, False),
    ("HH_DEAD_HEAD", {"death_date": "2020-01-01"}, {"household": [WIFE]}, True),
    ("HH_DEAD_HEAD", {"death_date": "2020-01-01"}, {"household": [WIFE.replace(death_date="2021-01-01")]}, False),
    ("HH_DEAD_HEAD", {"status": "dead"}, {"household": [WIFE]}, True),
    ("PARENT_MOTHER_AGE_W", {}, {"mother": MOTHER.replace(birth_date="1971-01-01")}, True),  # 14
    ("PARENT_MOTHER_AGE_W", {}, {"mother": MOTHER.replace(birth_date="1933-01-01")}, True),  # 52
    ("PARENT_MOTHER_AGE_W", {}, {"mother": MOTHER.replace(birth_date="1974-01-01")}, False),  # 11: error
    ("PARENT_MOTHER_AGE_W", {}, {"mother": MOTHER}, False),
    ("PARENT_MOTHER_AGE_E", {}, {"mother": MOTHER.replace(birth_date="1974-01-01")}, True),
    ("PARENT_MOTHER_AGE_E", {}, {"mother": MOTHER.replace(birth_date="1920-01-01")}, True),
    ("PARENT_MOTHER_AGE_E", {}, {"mother": MOTHER.replace(birth_date="1971-01-01")}, False),
    ("PARENT_FATHER_AGE", {}, {"father": FATHER.replace(birth_date="1910-01-01")}, True),
    ("PARENT_FATHER_AGE", {}, {"father": FATHER.replace(birth_date="1970-01-01")}, True),  # 15
    ("PARENT_FATHER_AGE", {}, {"father": FATHER}, False),
    ("PARENT_SEX", {}, {"mother": MOTHER.replace(sex="1")}, True),
    ("PARENT_SEX", {}, {"father": FATHER.replace(sex="2")}, True),
    ("PARENT_SEX", {}, {"mother": MOTHER, "father": FATHER}, False),
    ("PARENT_DEAD", {}, {"mother": MOTHER.replace(death_date="1984-01-01")}, True),
    ("PARENT_DEAD", {}, {"father": FATHER.replace(death_date="1984-01-01")}, True),
    ("PARENT_DEAD", {}, {"father": FATHER.replace(death_date="1984-12-01")}, False),  # posthumous
    ("PARENT_BIRTH_INTERVAL", {}, {"mother": MOTHER, "existing_children": [
        Person(person_id="S", name="王建华", birth_date="1985-07-01")]}, True),
    ("PARENT_BIRTH_INTERVAL", {}, {"mother": MOTHER, "existing_children": [
        Person(person_id="S", name="王建华", birth_date="1985-03-12")]}, False),  # twins
    ("PARENT_BIRTH_INTERVAL", {}, {"mother": MOTHER, "existing_children": [
        Person(person_id="S", name="王建华", birth_date="1986-07-01")]}, False),
]


@pytest.mark.parametrize("code,changes,ctx,fires", CASES,
                         ids=[f"{c[0]}-{'fires' if c[3] else 'quiet'}-{i}" for i, c in enumerate(CASES)])
def test_rule(code, changes, ctx, fires):
    found = codes_of(changes=changes, **ctx)
    assert (code in found) == fires, found


def test_every_person_rule_has_a_firing_case_here_or_in_the_names_places_file():
    covered = {c[0] for c in CASES if c[3]} | BIRTH_CODES | NAMES_PLACES_CODES
    person_rules = {r.code for r in RULES}
    assert person_rules - covered == set()


BIRTH_CODES = {"BIRTH_CERT_FORMAT", "BIRTH_CERT_DUPLICATE", "BIRTH_ISSUE_DATE", "BIRTH_WEIGHT",
               "BIRTH_GESTATION", "BIRTH_MOTHER_ID", "BIRTH_POSSIBLE_DUPLICATE", "BIRTH_CERT_MISMATCH"}
NAMES_PLACES_CODES = {"NAME_PLACEHOLDER_AGE", "NAME_TRADITIONAL", "NAME_PRIVATE_USE", "PLACE_LEVEL",
                      "PLACE_NOT_CURRENT", "HUKOU_PLACE_UNKNOWN"}


def test_registry_is_complete_and_consistent():
    assert len({r.code for r in RULES}) == len(RULES)
    for r in RULES:
        assert r.severity in ("E", "W", "I")
        assert r.scope in ("person", "household", "birth")
        assert r.description and callable(r.function)
        assert messages.template(r.code), f"no message for {r.code}"
    assert rules.rule("ID_CHECKSUM").severity == "E"
    assert {r.code for r in rules.list_rules("Parents")} >= {"PARENT_SEX", "PARENT_FATHER_AGE"}
    # The codes the brief and the seed inject must exist.
    for code in ("ID_CHECKSUM", "ID_BIRTH_MISMATCH", "ID_SEX_MISMATCH", "REQ_NAME", "REQ_MARITAL",
                 "REQ_FIRST_MARRIAGE_DATE", "NAME_PLACEHOLDER_AGE", "CODE_INVALID", "PLACE_NOT_CURRENT",
                 "NAME_CHARS", "NAME_LENGTH", "NAME_TRADITIONAL", "NAME_PRIVATE_USE", "DATE_FUTURE",
                 "DATE_ORDER", "AGE_OVER_110", "AGE_OVER_125", "EVENT_AFTER_DEATH", "MARRIAGE_EARLY",
                 "MARRIAGE_UNDER_15", "SPOUSE_OF_HEAD", "HH_NO_HEAD", "HH_MULTI_HEAD", "HH_MULTI_SPOUSE",
                 "HH_RELATION_SEX", "HH_GENERATION_GAP", "HH_DEAD_HEAD", "PARENT_MOTHER_AGE_W",
                 "PARENT_MOTHER_AGE_E", "PARENT_FATHER_AGE", "PARENT_SEX", "PARENT_BIRTH_INTERVAL",
                 *BIRTH_CODES):
        assert code in rules.RULES_BY_CODE, code


def test_findings_carry_params_for_their_message():
    p = BASE.replace(birth_date="1990-01-02", id_number=make_id_number("360426", date(1990, 1, 1), 7))
    findings = validate_person(p, RuleContext(today=TODAY))
    f = next(f for f in findings if f.code == "ID_BIRTH_MISMATCH")
    assert f.severity == "E" and f.fields == ("birth_date", "id_number")
    assert f.message == "出生日期(1990-01-02)与身份证号中的出生日期(1990-01-01)不一致"
    assert f.params == {"birth_date": "1990-01-02", "id_birth_date": "1990-01-01"}
    # Every finding's template gets all its parameters (no "？" holes).
    everything = validate_person(BASE.replace(
        name="王A", sex="2", ethnicity="77", first_marriage_date="1980-01-01", relation="11",
        residence_place="123", death_date="2030-01-01"), RuleContext(
        today=TODAY, household=[HEAD_MALE], mother=MOTHER.replace(birth_date="1974-01-01", sex="1")))
    assert len(everything) >= 8
    for f in everything:
        missing = messages.template_fields(f.code) - set(f.params)
        assert not missing, (f.code, missing)
        assert "？" not in f.message, f.message


def test_domain_md_id_examples_through_rules():
    ok = {"11010519491231002X": "1949-12-31", "440524188001010014": "1880-01-01",
          "360426199101010071": "1991-01-01", "44011320141005001X": "2014-10-05"}
    for number, birth in ok.items():
        found = codes_of(changes={"id_number": number, "birth_date": birth, "sex": None})
        assert not {c for c in found if c.startswith("ID_") and c != "ID_REGION_UNKNOWN"}, (number, found)
    assert "ID_CHECKSUM" in codes_of(changes={"id_number": "36042619910102009X"})
    assert "ID_DATE" in codes_of(changes={"id_number": "360426199113010079"})
    assert "ID_FORMAT" in codes_of(changes={"id_number": "T60426199101010078"})
    legacy = codes_of(changes={"id_number": "110105491231002", "birth_date": "1949-12-31", "sex": "2"})
    assert "ID_CONVERTED_15" in legacy and "ID_CHECKSUM" not in legacy and "ID_SEX_MISMATCH" not in legacy


def test_config_switches_rules_off_and_tunes_them():
    p = {"birth_date": "1890-01-01"}
    assert "AGE_OVER_125" in codes_of(changes=p)
    off = RuleConfig(disabled={"AGE_OVER_125"})
    found = codes_of(changes=p, config=off)
    assert "AGE_OVER_125" not in found and "AGE_OVER_110" in found  # the warning takes over
    # Tuning: require marital status from 18, so a 16-year-old passes.
    teen = {"birth_date": "2009-01-01", "marital_status": None, "first_marriage_date": None,
            "marital_change_date": None}
    assert "REQ_MARITAL" in codes_of(changes=teen)
    assert "REQ_MARITAL" not in codes_of(changes=teen, config=RuleConfig(params={"marital_required_age": 18}))
    # Tuning the generation gap and the name length.
    assert "HH_GENERATION_GAP" not in codes_of(changes={"relation": "20"}, household=[HEAD_MALE],
                                               config=RuleConfig(params={"generation_gap_years": 4}))
    assert "NAME_LENGTH" in codes_of(changes={"name": "欧阳娜娜"}, config=RuleConfig(params={"name_max_length": 3}))
    # Re-grading a rule's severity.
    cfg = RuleConfig(severity={"NAME_LENGTH": "I"})
    f = [f for f in validate_person(BASE.replace(name="王"), RuleContext(today=TODAY), cfg)
         if f.code == "NAME_LENGTH"]
    assert f and f[0].severity == "I"


def test_config_from_dict_validates():
    cfg = RuleConfig.from_dict({"disabled": ["NAME_LENGTH"], "params": {"mother_age_warn": [16, 45]},
                                "severity": {"BIRTH_WEIGHT": "e"}})
    assert cfg.param("mother_age_warn") == (16, 45) and cfg.severity == {"BIRTH_WEIGHT": "E"}
    assert cfg.param("age_warn") == 110
    for bad in ({"disabled": ["NO_SUCH_RULE"]}, {"params": {"nonsense": 1}}, {"severity": {"X": "Q"}}):
        with pytest.raises(ValueError):
            RuleConfig.from_dict(bad)
    assert RuleConfig.from_dict(None).disabled == set()


def test_place_required_level_is_configurable():
    cfg = RuleConfig(params={"required_places": ("hukou_place", "residence_place", "managing_place")})
    assert "REQ_PLACE" in codes_of(changes={"managing_place": None}, config=cfg)


def test_a_broken_rule_becomes_rule_failed(monkeypatch):
    def boom(subject):
        raise RuntimeError("表坏了")
        yield  # pragma: no cover

    broken = rules.Rule("HH_RELATION_SEX", "E", ("relation", "sex"), "Household", "person", "x", boom)
    monkeypatch.setattr(rules.engine, "RULES", tuple(broken if r.code == "HH_RELATION_SEX" else r for r in rules.RULES))
    findings = validate_person(BASE, RuleContext(today=TODAY))
    failed = [f for f in findings if f.code == "RULE_FAILED" and "ImportError" not in f.params["error"]]
    assert len(failed) == 1 and failed[0].params["rule"] == "HH_RELATION_SEX"
    assert "表坏了" in failed[0].message and failed[0].severity == "I"
    assert apply_overrides(failed).ok  # never blocks
    assert any(f.code != "RULE_FAILED" for f in validate_person(BASE.replace(sex="2"), RuleContext(today=TODAY)))


def test_validate_person_accepts_dicts_and_defaults_today():
    findings = validate_person({"name": "王建国", "unknown": 1})
    assert {"REQ_SEX", "REQ_BIRTH_DATE"} <= {f.code for f in findings}
    assert all(isinstance(f, Finding) for f in findings)


def test_household_rules_in_validate_person_only_concern_the_person():
    # Two other members are both heads: that is not this member's problem to fix.
    found = codes_of(changes={"relation": "20"}, household=[HEAD_MALE, HEAD_MALE.replace(person_id="H2")])
    assert "HH_MULTI_HEAD" not in found
    # A stale copy of the person in the household list is replaced by the edited record.
    found = codes_of(changes={"relation": "02"}, household=[BASE.replace(relation="20"), WIFE])
    assert "HH_NO_HEAD" not in found and "HH_MULTI_HEAD" not in found


def test_validate_household():
    son = Person(person_id="S", relation="20", name="王小明", sex="2", birth_date="1983-01-01")
    findings = validate_household([BASE, WIFE, son, WIFE.replace(person_id="P3", name="赵红")],
                                  RuleContext(today=TODAY))
    by_code = {f.code: f for f in findings}
    assert by_code["HH_MULTI_SPOUSE"].params["count"] == 2
    assert set(by_code["HH_MULTI_SPOUSE"].params["person_ids"]) == {"P2", "P3"}
    assert by_code["HH_RELATION_SEX"].params["person_id"] == "S"
    assert by_code["HH_GENERATION_GAP"].params["person_name"] == "王小明"
    assert "HH_NO_HEAD" not in by_code
    assert [f.code for f in validate_household([BASE, WIFE], RuleContext(today=TODAY))] == []
    no_head = validate_household([WIFE, son.replace(sex="1")], RuleContext(today=TODAY))
    assert [f.code for f in no_head] == ["HH_NO_HEAD"]
    # All members dead: nothing to say about the head.
    assert validate_household([BASE.replace(death_date="2020-01-01")], RuleContext(today=TODAY)) == []


# ---------------------------------------------------------------------------------- birth

CERT = {"cert_number": "Q610012345", "issue_date": "2025-05-20", "issuer": "乾县人民医院",
        "name": "", "sex": "2", "birth_date": "2025-05-10", "birth_time": "08:15",
        "gestation_weeks": "39", "weight_g": "3250", "length_cm": "50",
        "mother_name": "李秀英", "mother_id_type": "01",
        "mother_id_number": make_id_number("610424", date(1995, 4, 4), 24),
        "father_name": "王建国", "father_id_type": "01", "father_id_number": BASE_ID}
BIRTH_MOTHER = Person(person_id="M2", relation="12", name="李秀英", sex="2", birth_date="1995-04-04",
                      id_number=CERT["mother_id_number"])
NEWBORN = Person(name="", sex="2", birth_date="2025-05-10", relation="30", ethnicity="01",
                 hukou_type="2", hukou_place=VILLAGE, residence_place=VILLAGE, birth_cert_number="Q610012345")


def birth_codes(cert_changes=None, person_changes=None, **ctx):
    cert = {**CERT, **(cert_changes or {})}
    ctx.setdefault("mother", BIRTH_MOTHER)
    findings = validate_birth(cert, NEWBORN.replace(**(person_changes or {})), RuleContext(today=TODAY, **ctx))
    _check_no_failures(findings)
    return [f.code for f in findings]


BIRTH_CASES = [
    ("BIRTH_CERT_FORMAT", {"cert_number": "q61001234"}, {}, {}, True),
    ("BIRTH_CERT_FORMAT", {}, {}, {}, False),
    ("BIRTH_CERT_DUPLICATE", {}, {}, {"used_cert_numbers": {"Q610012345"}}, True),
    ("BIRTH_CERT_DUPLICATE", {}, {}, {"used_cert_numbers": {"Q610099999"}}, False),
    ("BIRTH_ISSUE_DATE", {"issue_date": "2025-05-01"}, {}, {}, True),
    ("BIRTH_ISSUE_DATE", {"issue_date": "2025-07-01"}, {}, {}, True),
    ("BIRTH_ISSUE_DATE", {"issue_date": "2025-05-10"}, {}, {}, False),
    ("BIRTH_WEIGHT", {"weight_g": "250"}, {}, {}, True),
    ("BIRTH_WEIGHT", {"weight_g": "7200"}, {}, {}, True),
    ("BIRTH_WEIGHT", {"weight_g": "3.2kg"}, {}, {}, True),
    ("BIRTH_WEIGHT", {"weight_g": 3000}, {}, {}, False),
    ("BIRTH_GESTATION", {"gestation_weeks": "19"}, {}, {}, True),
    ("BIRTH_GESTATION", {"gestation_weeks": "46"}, {}, {}, True),
    ("BIRTH_GESTATION", {"gestation_weeks": "28"}, {}, {}, False),
    ("BIRTH_MOTHER_ID", {"mother_id_number": ""}, {}, {}, True),
    ("BIRTH_MOTHER_ID", {"mother_id_number": "36042619910102009X"}, {}, {}, True),
    ("BIRTH_MOTHER_ID", {"mother_id_number": make_id_number("610424", date(1995, 4, 4), 25)}, {}, {}, True),
    ("BIRTH_MOTHER_ID", {"mother_id_type": "03", "mother_id_number": "E1234"}, {}, {}, False),
    ("BIRTH_MOTHER_ID", {}, {}, {}, False),
    ("BIRTH_POSSIBLE_DUPLICATE", {}, {}, {"existing_children": [
        Person(person_id="K", name="王小花", sex="2", birth_date="2025-05-10")]}, True),
    ("BIRTH_POSSIBLE_DUPLICATE", {}, {}, {"twins_confirmed": True, "existing_children": [
        Person(person_id="K", name="王小花", sex="2", birth_date="2025-05-10")]}, False),
    ("BIRTH_POSSIBLE_DUPLICATE", {}, {}, {"existing_children": [
        Person(person_id="K", name="王小虎", sex="1", birth_date="2025-05-10")]}, False),
    ("BIRTH_CERT_MISMATCH", {}, {"birth_date": "2025-05-11"}, {}, True),
    ("BIRTH_CERT_MISMATCH", {}, {"sex": "1", "relation": "20"}, {}, True),
    ("BIRTH_CERT_MISMATCH", {}, {}, {}, False),
]


@pytest.mark.parametrize("code,cert_changes,person_changes,ctx,fires", BIRTH_CASES,
                         ids=[f"{c[0]}-{'fires' if c[4] else 'quiet'}-{i}" for i, c in enumerate(BIRTH_CASES)])
def test_birth_rule(code, cert_changes, person_changes, ctx, fires):
    found = birth_codes(cert_changes, person_changes, **ctx)
    assert (code in found) == fires, found


def test_birth_allows_empty_name_and_no_id_and_checks_parents():
    found = birth_codes()
    assert "REQ_NAME" not in found and "REQ_ID_NUMBER" not in found
    # The mother is known only from the certificate: her age comes from her ID number.
    young = make_id_number("610424", date(2014, 1, 1), 22)
    found = birth_codes({"mother_id_number": young}, mother=None)
    assert "PARENT_MOTHER_AGE_E" in found
    # A registered mother who is male is caught by the parent rule too.
    assert "PARENT_SEX" in birth_codes(mother=BIRTH_MOTHER.replace(sex="1"))


def test_birth_accepts_a_birth_case():
    from client.domain.models import BirthCase

    case = BirthCase.from_data("B-1", {"certificate": {**CERT, "weight_g": "100"},
                                       "proposed": NEWBORN.to_dict(), "mother": BIRTH_MOTHER.to_dict()})
    found = [f.code for f in validate_birth(case, context=RuleContext(today=TODAY))]
    assert "BIRTH_WEIGHT" in found and "BIRTH_CERT_FORMAT" not in found


@pytest.mark.parametrize("mother_relation,child_sex,expected", [
    ("02", "1", "20"), ("02", "2", "30"), ("01", "1", "20"), ("12", "2", "30"),
    ("38", "1", "41"), ("38", "2", "42"), ("30", "1", "43"), ("32", "2", "44"),
    ("52", "1", None), ("99", "2", None), (None, "1", None), ("02", "9", None), ("02", None, None),
])
def test_derive_child_relation(mother_relation, child_sex, expected):
    assert derive_child_relation(mother_relation, child_sex) == expected


# ---------------------------------------------------------------------------------- overrides

E = Finding("ID_CHECKSUM", "E", ("id_number",), "x", {})
W1 = Finding("NAME_LENGTH", "W", ("name",), "x", {})
W2 = Finding("AGE_OVER_110", "W", ("birth_date",), "x", {})
I1 = Finding("ID_CONVERTED_15", "I", ("id_number",), "x", {})


def test_errors_always_block():
    v = apply_overrides([E, I1], {"ID_CHECKSUM": "我确认号码无误"})
    assert not v.ok and v.errors == (E,) and v.infos == (I1,)


def test_warnings_need_a_reason():
    v = apply_overrides([W1, W2, I1], {"NAME_LENGTH": "户口簿上就是单字名"})
    assert not v.ok and v.unexplained_warnings == (W2,) and v.overridden == (W1,)
    v = apply_overrides([W1, W2], {"NAME_LENGTH": "原件如此", "AGE_OVER_110": "   "})
    assert not v.ok and v.unexplained_warnings == (W2,)  # a blank reason is no reason
    v = apply_overrides([W1, W2, I1], {"NAME_LENGTH": "原件如此", "AGE_OVER_110": "百岁老人，已入户核实"})
    assert v.ok and v.errors == () and v.unexplained_warnings == ()


def test_information_never_blocks():
    assert apply_overrides([I1]).ok
    assert apply_overrides([]).ok


def test_render_never_raises():
    assert messages.render("REQ_SEX") == "缺少性别"
    assert messages.render("NO_SUCH_CODE", {"x": 1}) == "未通过检查（NO_SUCH_CODE）"
    assert "？" in messages.render("ID_BIRTH_MISMATCH", {"birth_date": "1990-01-01"})
    assert messages.message_for("MERGE_TOO_FEW") == "至少需要两条记录才能合并"
    assert messages.render("DATE_ORDER", {"earlier_label": "{evil}", "later_label": None, "earlier": 1,
                                          "later": "x"}).startswith("{evil}")


def test_context_needs_name_real_rules():
    assert set(rules.CONTEXT_NEEDS) <= set(rules.RULES_BY_CODE)
    for parts in rules.CONTEXT_NEEDS.values():
        assert all(hasattr(RuleContext(), p) for p in parts)


def test_findings_the_client_cannot_recheck_are_kept():
    # The server found the mother aged 10 at the birth; the client has only the household.
    server = validate_person(BASE, RuleContext(today=TODAY, household=[WIFE],
                                               mother=MOTHER.replace(birth_date="1975-01-01")))
    assert "PARENT_MOTHER_AGE_E" in [f.code for f in server]
    client_ctx = RuleContext(today=TODAY, household=[WIFE])
    assert "PARENT_MOTHER_AGE_E" in rules.unverifiable_codes(client_ctx)
    assert "HH_NO_HEAD" not in rules.unverifiable_codes(client_ctx)
    assert "HH_NO_HEAD" in rules.unverifiable_codes(RuleContext())
    fresh = validate_person(BASE.replace(name="王"), client_ctx)
    kept = rules.keep_unverifiable(server, fresh, client_ctx)
    assert [f.code for f in kept] == ["NAME_LENGTH", "PARENT_MOTHER_AGE_E"]
    # With the mother at hand the client's own verdict counts.
    full = RuleContext(today=TODAY, household=[WIFE], mother=MOTHER)
    assert rules.keep_unverifiable(server, validate_person(BASE, full), full) == []
