"""Person, finding and case models: canonical fields, dict round trips, tolerant loading."""

from __future__ import annotations

import json

import pytest

from client.domain.models import (
    PERSON_FIELDS, BirthCase, DuplicateCase, DuplicateReason, ErrorCase, Finding, Household,
    Person, case_from_data,
)

DOMAIN_FIELDS = (
    "person_id household_id relation name former_name sex birth_date ethnicity id_type id_number "
    "nationality hukou_type hukou_place hukou_address residence_place residence_address "
    "managing_place marital_status first_marriage_date marital_change_date education "
    "education_system spouse_name spouse_id_number father_name father_id_number mother_name "
    "mother_id_number birth_cert_number death_date registered_at updated_at"
).split()


def test_person_fields_cover_domain_md():
    assert set(DOMAIN_FIELDS) <= set(PERSON_FIELDS)
    assert len(set(PERSON_FIELDS)) == len(PERSON_FIELDS)
    assert [f.name for f in Person.__dataclass_fields__.values()] == list(PERSON_FIELDS)


def test_person_from_dict_ignores_unknown_and_to_dict_omits_none():
    p = Person.from_dict({"name": "张三", "sex": 1, "birth_date": "1990-01-01", "colour": "red",
                          "ethnicity": 1.0, "id_number": None})
    assert p.name == "张三" and p.sex == "1" and p.ethnicity == "1"
    assert p.to_dict() == {"name": "张三", "sex": "1", "birth_date": "1990-01-01", "ethnicity": "1"}
    assert list(p.to_dict()) == [k for k in PERSON_FIELDS if k in p.to_dict()]
    assert Person.from_dict(None) == Person()
    # Integers are exact; a float ID number has lost digits and must stay recognisably broken.
    assert Person.from_dict({"id_number": 610424198503121238}).id_number == "610424198503121238"
    assert Person.from_dict({"id_number": 6.10424198503121238e17}).id_number == "6.10424E+17"
    assert Person().to_dict() == {}


def test_person_replace_and_get():
    p = Person(name="李四")
    q = p.replace(sex=2, name="李思")
    assert (p.name, q.name, q.sex) == ("李四", "李思", "2")
    assert q.get("sex") == "2" and q.get("nonsense") is None
    with pytest.raises(KeyError):
        p.replace(colour="red")
    assert q.filled_count() == 2 and Person(name="  ").filled_count() == 0


def test_finding_round_trip_and_tolerance():
    f = Finding("ID_CHECKSUM", "E", ("id_number",), "公民身份号码校验位错误", {"expected": "X"})
    d = f.to_dict()
    assert json.loads(json.dumps(d)) == d
    assert Finding.from_dict(d) == f
    g = Finding.from_dict({"code": "X", "severity": "w"})
    assert g.severity == "W" and g.fields == () and g.params == {}
    assert Finding.from_dict({"code": "X", "severity": "bogus"}).severity == "E"


ERROR_DATA = {
    "person": {"person_id": "P1", "name": "王五", "relation": "02"},
    "findings": [{"code": "REQ_SEX", "severity": "E", "fields": ["sex"], "params": {},
                  "message": "缺少性别"}],
    "household": [{"person_id": "P2", "name": "赵六", "relation": "10"}],
    "status": "open",
}

BIRTH_DATA = {
    "certificate": {"cert_number": "A123456789", "issue_date": "2024-01-05", "name": "",
                    "sex": "2", "birth_date": "2024-01-01", "weight_g": 3200},
    "proposed": {"name": "", "sex": "2", "birth_date": "2024-01-01"},
    "mother": {"person_id": "M1", "name": "刘芳", "sex": "2"},
    "father": None,
    "households": [{"household_id": "H1", "place": "610424100201", "address": "一组",
                    "head_person_id": "M0",
                    "members": [{"person_id": "M1", "relation": "12"}]}],
    "matches": [{"person_id": "X9", "name": "婴儿"}],
    "status": "open",
}

DUP_DATA = {
    "members": [{"person_id": "A", "name": "张伟"}, {"person_id": "B", "name": "章伟"}],
    "reasons": [{"code": "DUP_HOMOPHONE", "fields": ["name"], "params": {"a": "张伟"},
                 "message": "姓名同音"}],
    "status": "open",
}


@pytest.mark.parametrize("kind,case_id,data,model", [
    ("error", "E-1", ERROR_DATA, ErrorCase),
    ("birth", "B-1", BIRTH_DATA, BirthCase),
    ("duplicates", "D-1", DUP_DATA, DuplicateCase),
])
def test_case_round_trip(kind, case_id, data, model):
    case = case_from_data(kind, case_id, data)
    assert isinstance(case, model) and case.kind == kind and case.case_id == case_id
    out = case.to_data()
    # Everything survives apart from values normalised to text (weight 3200 stays in the dict).
    assert json.loads(json.dumps(out, ensure_ascii=False)) == out
    assert case_from_data(kind, case_id, out).to_data() == out
    assert out["status"] == "open"


def test_case_details():
    err = ErrorCase.from_data("E-1", ERROR_DATA)
    assert err.person.name == "王五" and err.household[0].relation == "10"
    assert err.findings[0] == Finding("REQ_SEX", "E", ("sex",), "缺少性别", {})
    birth = BirthCase.from_data("B-1", BIRTH_DATA)
    assert birth.father is None and birth.mother.person_id == "M1"
    hh = birth.household("H1")
    assert isinstance(hh, Household) and hh.members[0].relation == "12"
    assert hh.to_data()["head_person_id"] == "M0"  # unknown household keys are kept
    assert birth.household("nope") is None
    assert birth.to_data()["mother"] == {"person_id": "M1", "name": "刘芳", "sex": "2"}
    dup = DuplicateCase.from_data("D-1", DUP_DATA)
    assert dup.member("B").name == "章伟" and dup.member("C") is None
    assert isinstance(dup.reasons[0], DuplicateReason) and dup.reasons[0].fields == ("name",)


def test_case_tolerates_missing_parts_and_keeps_unknown_keys():
    err = case_from_data("error", "E-2", {"person": {"name": "甲"}, "assigned_to": "t1"})
    assert err.findings == [] and err.household == [] and err.status == "open"
    assert err.to_data()["assigned_to"] == "t1"
    birth = case_from_data("birth", "B-2", {})
    assert birth.proposed == Person() and birth.mother is None and birth.households == []
    with pytest.raises(ValueError):
        case_from_data("weird", "X-1", {})


def test_household_head():
    hh = Household.from_data({"household_id": "H", "members": [
        {"person_id": "1", "relation": "10"}, {"person_id": "2", "relation": "02"}]})
    assert hh.head().person_id == "2"
    assert Household().head() is None
