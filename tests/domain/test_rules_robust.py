"""Bad input everywhere: arbitrary text in any field never crashes a rule (no RULE_FAILED),
and the merge helpers never raise on arbitrary records."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from client.domain.merge import default_survivor, duplicate_reasons, merge_blockers
from client.domain.models import CERTIFICATE_FIELDS, PERSON_FIELDS, Person
from client.domain.rules import RuleContext, validate_birth, validate_household, validate_person

# Values that look almost right are the ones that reach deep into the rules.
NEAR_MISSES = st.sampled_from([
    "", " ", "0", "1", "2", "9", "01", "02", "12", "20", "30", "38", "99", "21", "10", "GA1",
    "1990-01-01", "1990-02-30", "2999-01-01", "1880-01-01", "0001-01-01", "1990-01-01T08:00:00",
    "610424101200", "610424000000", "999999999999", "6104241012", "11010519491231002X",
    "110105491231002", "000000199001010000", "6.10424E+17", "未取名", "王建國", "王\ue000", "·",
    "A123456789", "３２", "NaN", "-5", "1e9", "１９９０-０１-０１",
])
VALUE = st.one_of(st.none(), NEAR_MISSES, st.text(max_size=20))
PERSON = st.fixed_dictionaries({}, optional={f: VALUE for f in PERSON_FIELDS})
CERT = st.fixed_dictionaries({}, optional={f: st.one_of(VALUE, st.integers(-10, 10 ** 6),
                                                         st.floats(allow_nan=True)) for f in CERTIFICATE_FIELDS})
TODAY = date(2025, 6, 1)


def _no_failures(findings):
    failed = [f.message for f in findings if f.code == "RULE_FAILED"]
    assert not failed, failed


@given(PERSON, st.lists(PERSON, max_size=2), st.one_of(st.none(), PERSON), st.one_of(st.none(), PERSON),
       st.lists(PERSON, max_size=2))
def test_validate_person_never_fails(person, household, mother, father, children):
    ctx = RuleContext(today=TODAY, household=[Person.from_dict(m) for m in household],
                      mother=Person.from_dict(mother) if mother else None,
                      father=Person.from_dict(father) if father else None,
                      existing_children=[Person.from_dict(c) for c in children])
    _no_failures(validate_person(Person.from_dict(person), ctx))
    _no_failures(validate_household([Person.from_dict(person), *ctx.household], RuleContext(today=TODAY)))


@given(CERT, PERSON, st.lists(PERSON, max_size=2), st.booleans())
def test_validate_birth_never_fails(cert, proposed, children, twins):
    ctx = RuleContext(today=TODAY, existing_children=[Person.from_dict(c) for c in children],
                      twins_confirmed=twins, used_cert_numbers={"A123456789"})
    _no_failures(validate_birth(cert, proposed, ctx))


@given(st.lists(PERSON.map(lambda d: {**d, "person_id": d.get("person_id") or "x"}), min_size=1, max_size=3))
def test_merge_helpers_never_raise(members):
    for r in duplicate_reasons(members):
        assert r.code and r.message
    merge_blockers(members)
    assert default_survivor(members) in {Person.from_dict(m).person_id for m in members}
