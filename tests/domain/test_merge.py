"""Duplicate reasons (incl. twins and 重号), merge blockers, default survivor, merged record, audit."""

from __future__ import annotations

from datetime import date

import pytest

from client.domain.idnumber import make_id_number
from client.domain.merge import (
    default_field_choices, default_survivor, differing_fields, duplicate_reasons, merge_audit, merge_blocker_details,
    merge_blockers, merge_sources, merged_person,
)
from client.domain.models import Person
from sync.server import validation

BIRTH = date(1990, 4, 5)
ID_A = make_id_number("610424", BIRTH, 111)
ID_B = make_id_number("610424", BIRTH, 113)
MOTHER_ID = make_id_number("610424", date(1965, 1, 1), 22)
VILLAGE = "610424101200"


def person(pid, **kw) -> Person:
    base = dict(person_id=pid, name="张伟", sex="1", birth_date=BIRTH.isoformat(), id_number=ID_A,
                mother_name="刘芳", mother_id_number=MOTHER_ID, hukou_place=VILLAGE, household_id="H1")
    base.update(kw)
    return Person(**base)


def codes(members) -> list[str]:
    return [r.code for r in duplicate_reasons(members)]


def swap(s: str, i: int) -> str:
    return s[:i] + s[i + 1] + s[i] + s[i + 2:]


def test_same_id():
    reasons = duplicate_reasons([person("A"), person("B", id_number=ID_A.lower().replace("x", "x"))])
    same = [r for r in reasons if r.code == "DUP_SAME_ID"]
    assert same and same[0].params["id_number"] == ID_A and same[0].params["person_ids"] == ["A", "B"]
    assert "身份证号码相同" in same[0].message
    assert merge_blockers([person("A"), person("B")]) == []


def test_same_id_with_spaces_and_15_digit_form_is_the_same_number():
    legacy = make_id_number("110105", date(1949, 12, 31), 2)
    assert legacy == "11010519491231002X"
    a = person("A", id_number="110105491231002", birth_date="1949-12-31")
    b = person("B", id_number="1101 0519 4912 3100 2x", birth_date="1949-12-31")
    assert "DUP_SAME_ID" in codes([a, b])


def test_chonghao_same_id_but_name_or_birth_conflicts():
    a, b = person("A"), person("B", name="李强", birth_date="1990-04-06")
    reasons = duplicate_reasons([a, b])
    assert [r.code for r in reasons] == ["DUP_CHONGHAO"]
    assert reasons[0].params["differs"] == "姓名、出生日期"
    assert "重号" in reasons[0].message
    assert "MERGE_CHONGHAO" in merge_blockers([a, b])


def test_id_typo_substitution_and_adjacent_swap():
    typo = ID_A[:10] + ("9" if ID_A[10] != "9" else "8") + ID_A[11:]
    assert "DUP_ID_TYPO" in codes([person("A"), person("B", id_number=typo)])
    swapped = swap(ID_A, 12) if ID_A[12] != ID_A[13] else swap(ID_A, 8)
    assert swapped != ID_A
    assert "DUP_ID_TYPO" in codes([person("A"), person("B", id_number=swapped)])
    # Two characters apart but not adjacent: not a typo match.
    far = ID_A[:3] + str((int(ID_A[3]) + 1) % 10) + ID_A[4:10] + str((int(ID_A[10]) + 1) % 10) + ID_A[11:]
    assert "DUP_ID_TYPO" not in codes([person("A"), person("B", id_number=far, mother_id_number=None,
                                                        mother_name=None, hukou_place=None)])
    # A one-character typo of the ID with another name is not flagged as a typo.
    assert "DUP_ID_TYPO" not in codes([person("A"), person("B", id_number=typo, name="李强")])
    # The typo is invalid, so only one valid ID remains: merging is allowed.
    assert merge_blockers([person("A"), person("B", id_number=typo)]) == []


def test_same_name_birth_sex_mother():
    a, b = person("A", id_number=None), person("B", id_number=ID_B, hukou_place=None)
    assert "DUP_SAME_NAME_BIRTH_MOTHER" in codes([a, b])
    # By mother's name when her ID is missing on one side.
    b2 = b.replace(mother_id_number=None)
    assert "DUP_SAME_NAME_BIRTH_MOTHER" in codes([a.replace(mother_id_number=None), b2])
    assert "DUP_SAME_NAME_BIRTH_MOTHER" not in codes([a, b.replace(sex="2")])
    assert "DUP_SAME_NAME_BIRTH_MOTHER" not in codes([a, b.replace(mother_id_number=make_id_number(
        "610424", date(1966, 1, 1), 22))])


def test_no_id_same_village():
    a = person("A", mother_name=None, mother_id_number=None)
    b = person("B", id_number=None, mother_name=None, mother_id_number=None)
    assert codes([a, b]) == ["DUP_NO_ID_SAME_VILLAGE"]
    assert codes([a, b.replace(hukou_place="610424101203")]) == []
    assert "DUP_NO_ID_SAME_VILLAGE" not in codes([a, b.replace(id_number=ID_B)])


@pytest.mark.parametrize("name_a,name_b,kind", [
    ("张伟", "章伟", "homophone"), ("王晓明", "王小明", "homophone"), ("李己", "李已", "shape"),
])
def test_similar_names_with_same_mother_or_household(name_a, name_b, kind):
    a = person("A", name=name_a, id_number=None)
    b = person("B", name=name_b, id_number=None, hukou_place=None)
    reasons = [r for r in duplicate_reasons([a, b]) if r.code == "DUP_SIMILAR_NAME"]
    assert reasons and reasons[0].params["kind"] == kind and reasons[0].params["link"] == "母亲"
    # Same household, no mother information.
    a2, b2 = a.replace(mother_name=None, mother_id_number=None), b.replace(mother_name=None, mother_id_number=None)
    reasons = [r for r in duplicate_reasons([a2, b2]) if r.code == "DUP_SIMILAR_NAME"]
    assert reasons and reasons[0].params["link"] == "户"
    # Neither mother nor household in common: not flagged.
    assert "DUP_SIMILAR_NAME" not in codes([a2, b2.replace(household_id="H2")])
    # A different birth date: not flagged.
    assert "DUP_SIMILAR_NAME" not in codes([a, b.replace(birth_date="1990-04-06")])


def test_unrelated_names_are_not_similar():
    a = person("A", name="张伟", id_number=None)
    b = person("B", name="赵刚", id_number=None, sex="1", hukou_place=None)
    assert "DUP_SIMILAR_NAME" not in codes([a, b])


def test_twins_are_not_duplicates():
    a = person("A", name="王大明", id_number=ID_A)
    b = person("B", name="王小红", sex="2", id_number=make_id_number("610424", BIRTH, 112))
    reasons = duplicate_reasons([a, b])
    assert [r.code for r in reasons] == ["DUP_TWINS"]
    assert reasons[0].params["differs"] == "性别、姓名"
    assert set(merge_blockers([a, b])) == {"MERGE_TWINS", "MERGE_DIFFERENT_VALID_IDS"}
    # Same sex, clearly different names, no IDs: still twins.
    c = person("C", name="王大明", id_number=None)
    d = person("D", name="王二明", id_number=None)
    assert codes([c, d]) == ["DUP_TWINS"] and merge_blockers([c, d]) == ["MERGE_TWINS"]
    # Same mother, same date, homophone names and same sex: one child registered twice.
    e = person("E", name="王晓明", id_number=None)
    f = person("F", name="王小明", id_number=None)
    assert "DUP_TWINS" not in codes([e, f]) and "DUP_SIMILAR_NAME" in codes([e, f])


def test_placeholder_ids_never_match():
    a = person("A", id_number="000000199004050000", mother_name=None, mother_id_number=None, hukou_place=None)
    b = person("B", id_number="000000199004050000", name="李强", mother_name=None, mother_id_number=None,
               hukou_place=None)
    assert codes([a, b]) == []


def test_different_valid_ids_block_the_merge():
    details = merge_blocker_details([person("A"), person("B", id_number=ID_B)])
    assert [d.code for d in details] == ["MERGE_DIFFERENT_VALID_IDS"]
    assert ID_A in details[0].message and ID_B in details[0].message
    assert merge_blockers([person("A")]) == ["MERGE_TOO_FEW"]


def test_three_members_give_reasons_per_pair():
    members = [person("A"), person("B"), person("C", id_number=None, hukou_place=None)]
    reasons = duplicate_reasons(members)
    pairs = {tuple(r.params["person_ids"]) for r in reasons}
    assert pairs == {("A", "B"), ("A", "C"), ("B", "C")}


def test_reasons_are_wire_ready():
    import json

    for r in duplicate_reasons([person("A", name="张伟", id_number=None),
                                person("B", name="章伟", id_number=None, hukou_place=None)]):
        d = r.to_dict()
        assert json.loads(json.dumps(d, ensure_ascii=False)) == d
        assert set(d) == {"code", "fields", "params", "message"} and d["message"]


# ---------------------------------------------------------------------------------- survivor


def test_default_survivor_prefers_valid_id_then_newest_then_most_complete():
    bad_id = person("A", id_number="36042619910102009X", updated_at="2025-01-01T00:00:00")
    placeholder = person("B", id_number="000000199004050000", updated_at="2025-02-01")
    good_old = person("C", updated_at="2019-01-01")
    good_new = person("D", updated_at="2024-01-01", education=None)
    assert default_survivor([bad_id, placeholder, good_old]) == "C"
    assert default_survivor([bad_id, good_old, good_new]) == "D"
    # Same validity and time: the most complete record.
    sparse = person("E", updated_at=None, education=None, mother_name=None)
    full = person("F", updated_at=None, education="20")
    assert default_survivor([sparse, full]) == "F"
    # Nothing to tell them apart: the first one.
    assert default_survivor([person("G"), person("H")]) == "G"
    assert default_survivor([]) is None
    # Dicts work too.
    assert default_survivor([{"person_id": "X"}, {"person_id": "Y", "id_number": ID_A}]) == "Y"


# ---------------------------------------------------------------------------------- merging


def test_merged_person_takes_survivor_then_choices():
    a = person("A", name="张伟", education=None, residence_place=None, updated_at="2024-01-01")
    b = person("B", name="章伟", id_number=None, education="20", residence_place="610424101203",
               hukou_place="610424101205", household_id="H2")
    merged = merged_person([a, b], "A", {"hukou_place": "B"})
    assert merged.person_id == "A" and merged.name == "张伟" and merged.id_number == ID_A
    assert merged.hukou_place == "610424101205"  # chosen
    assert merged.education is None and merged.household_id == "H1"  # not chosen: the survivor's
    sources = merge_sources([a, b], "A", {"hukou_place": "B"})
    assert sources["hukou_place"] == "B" and sources["education"] == "A" and sources["name"] == "A"
    # The worker may pick a blank value deliberately.
    assert merged_person([a, b], "B", {"id_number": "B"}).id_number is None
    assert merged_person([a, b], "B", {"id_number": "A"}).id_number == ID_A


def test_default_choices_fill_the_survivors_blanks():
    a = person("A", name="张伟", education=None, residence_place=None)
    b = person("B", name="章伟", id_number=None, education="20", residence_place="610424101203",
               household_id="H2")
    choices = default_field_choices([a, b], "A")
    assert choices == {"residence_place": "B", "education": "B"}
    merged = merged_person([a, b], "A", choices)
    assert merged.education == "20" and merged.residence_place == "610424101203" and merged.name == "张伟"
    assert default_field_choices([a, b], "B")["id_number"] == "A"
    with pytest.raises(ValueError):
        default_field_choices([a, b], "Z")


def test_matches_the_server_merge():
    # sync/server/validation.merged_person is the server's own implementation: same result.
    a = person("A", name="张伟", education=None)
    b = person("B", name="章伟", id_number=None, education="20", household_id="H2")
    choices = {"name": "B", "id_number": "B", **default_field_choices([a, b], "A")}
    server = validation.merged_person([a.to_dict(), b.to_dict()], "A", choices)
    assert merged_person([a, b], "A", choices).to_dict() == server


@pytest.mark.parametrize("survivor,choices", [
    ("Z", {}), ("A", {"name": "Z"}), ("A", {"colour": "B"}), ("A", {"person_id": "B"}),
    ("A", {"household_id": "B"}),
])
def test_merged_person_rejects_bad_choices(survivor, choices):
    with pytest.raises(ValueError):
        merged_person([person("A"), person("B")], survivor, choices)


def test_merge_audit_keeps_every_member():
    a = person("A", name="张伟")
    b = person("B", name="章伟", id_number=None, education="20")
    audit = merge_audit([a, b], "A", {"name": "B"})
    assert audit["survivor_id"] == "A" and audit["merged_ids"] == ["B"]
    assert audit["members"] == {"A": a.to_dict(), "B": b.to_dict()}
    assert audit["result"]["name"] == "章伟" and audit["result"]["person_id"] == "A"
    assert audit["field_sources"]["name"] == "B" and audit["field_choices"] == {"name": "B"}
    assert audit["blockers"] == []


def test_differing_fields():
    a = person("A", name="张伟")
    b = person("B", name="章伟", id_number=None, education="20")
    assert differing_fields([a, b]) == ["name"]  # blanks are not differences
    assert "person_id" not in differing_fields([a, b])
    assert differing_fields([a, b.replace(household_id="H9")]) == ["household_id", "name"]


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@given(st.integers(0, 17), st.integers(0, 9), st.booleans())
def test_any_single_typo_or_adjacent_swap_is_flagged(pos, digit, do_swap):
    a = person("A", mother_name=None, mother_id_number=None, hukou_place=None, household_id=None)
    if do_swap:
        pos = min(pos, 16)
        typo = swap(ID_A, pos)
    else:
        typo = ID_A[:pos] + str(digit) + ID_A[pos + 1:]
    b = a.replace(person_id="B", id_number=typo)
    found = codes([a, b])
    if typo == ID_A:
        assert found == ["DUP_SAME_ID"]
    else:
        assert found == ["DUP_ID_TYPO"], (typo, found)
        # GB 11643's check character catches every such typo, so one ID stays invalid: mergeable.
        assert merge_blockers([a, b]) == []
