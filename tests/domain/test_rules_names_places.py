"""Rules that use the name tables (names.py) and the division tree (divisions.py)."""

from __future__ import annotations

import pytest

from client.domain.models import Person
from client.domain.rules import RuleConfig, RuleContext, validate_birth, validate_person

from .test_rules import BASE, CERT, FATHER, MOTHER, NEWBORN, TODAY, WIFE



def codes_of(changes=None, config=None, **ctx) -> list[str]:
    findings = validate_person(BASE.replace(**(changes or {})), RuleContext(today=TODAY, **ctx), config)
    assert "RULE_FAILED" not in [f.code for f in findings], findings
    return [f.code for f in findings]


CASES = [
    ("NAME_PLACEHOLDER_AGE", {"name": "未取名"}, True),
    ("NAME_PLACEHOLDER_AGE", {"name": "男婴"}, True),
    ("NAME_PLACEHOLDER_AGE", {"name": "未取名", "birth_date": "2020-01-01"}, False),  # aged 5
    ("NAME_PLACEHOLDER_AGE", {}, False),
    ("NAME_TRADITIONAL", {"name": "王建國"}, True),
    ("NAME_TRADITIONAL", {"former_name": "劉備"}, True),
    ("NAME_TRADITIONAL", {}, False),
    ("NAME_PRIVATE_USE", {"name": "王\ue000国"}, True),
    ("NAME_PRIVATE_USE", {}, False),
    ("PLACE_LEVEL", {"hukou_place": "610424101000"}, True),  # township only
    ("PLACE_LEVEL", {"residence_place": "610424000000"}, True),
    ("PLACE_LEVEL", {}, False),
    ("PLACE_NOT_CURRENT", {"residence_place": "610424999999"}, True),
    ("PLACE_NOT_CURRENT", {"managing_place": "999999000000"}, True),
    ("PLACE_NOT_CURRENT", {"managing_place": "110105001001"}, False),  # no village data outside 61
    ("PLACE_NOT_CURRENT", {}, False),
    ("HUKOU_PLACE_UNKNOWN", {"hukou_place": "610424999999"}, True),
    ("HUKOU_PLACE_UNKNOWN", {}, False),
]


@pytest.mark.parametrize("code,changes,fires", CASES,
                         ids=[f"{c[0]}-{'fires' if c[2] else 'quiet'}-{i}" for i, c in enumerate(CASES)])
def test_rule(code, changes, fires):
    assert (code in codes_of(changes)) == fires


def test_a_clean_record_has_no_findings():
    ctx = RuleContext(today=TODAY, household=[WIFE], mother=MOTHER, father=FATHER,
                      existing_children=[Person(person_id="S", name="王建华", birth_date="1987-01-01")])
    assert validate_person(BASE, ctx) == []


def test_place_level_is_configurable():
    township = {"hukou_place": "610424101000", "residence_place": "610424101000"}
    assert "PLACE_LEVEL" in codes_of(township)
    assert "PLACE_LEVEL" not in codes_of(township, config=RuleConfig(params={"place_level": 4}))


def test_placeholder_name_allowed_at_birth():
    findings = validate_birth(CERT, NEWBORN.replace(name="未取名"), RuleContext(today=TODAY))
    codes = [f.code for f in findings]
    assert "NAME_PLACEHOLDER_AGE" not in codes and "REQ_NAME" not in codes and "RULE_FAILED" not in codes


def test_clean_birth_has_no_findings():
    from .test_rules import BIRTH_MOTHER

    findings = validate_birth(CERT, NEWBORN, RuleContext(today=TODAY, mother=BIRTH_MOTHER))
    assert findings == []
