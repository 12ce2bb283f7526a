"""client.domain.newborn: what registering a newborn decides, used by both the services layer
(Workspace.confirm_birth, Workspace.local_siblings) and the newborn screen."""

from __future__ import annotations

from client.domain import newborn
from client.domain.idnumber import id_check_char

MOTHER_ID = "610424199005052022"[:17]
MOTHER_ID += id_check_char(MOTHER_ID)


def _case(**kw):
    data = {"mother": {"person_id": "P-M", "household_id": "H-1", "hukou_type": "1",
                       "id_number": MOTHER_ID},
            "father": {"person_id": "P-F", "household_id": "H-2"},
            "certificate": {"birth_date": "2026-11-01", "sex": "2",
                            "mother_id_number": MOTHER_ID},
            "households": [
                {"household_id": "H-1", "place": "610424001001",
                 "members": [{"person_id": "P-H", "relation": "02"},
                             {"person_id": "P-M", "relation": "10"},
                             {"person_id": "P-S", "relation": "30", "birth_date": "2026-11-01",
                              "sex": "2", "mother_id_number": MOTHER_ID}]},
                {"household_id": "H-2", "place": "610424001002",
                 "members": [{"person_id": "P-F", "relation": "02"}]}],
            "matches": []}
    data.update(kw)
    return data


def test_a_household_gives_its_place_and_the_mothers_hukou_type():
    data = _case()
    assert newborn.newborn_defaults(data, newborn.household_of(data, "H-1")) == {
        "hukou_place": "610424001001", "residence_place": "610424001001", "hukou_type": "1"}
    assert newborn.newborn_defaults(data, None, "610424001009")["hukou_place"] == "610424001009"
    assert "hukou_place" not in newborn.newborn_defaults(data, None, None)
    assert newborn.household_of(data, "H-9") is None and newborn.household_of(data, None) is None


def test_relation_from_the_mother_else_the_father_heading_his_household():
    data = _case()
    by_mother = newborn.child_relation(newborn.household_of(data, "H-1"), data["mother"],
                                       data["father"], "2")
    assert by_mother == newborn.ChildRelation("30", "derived", "mother", "10")
    by_father = newborn.child_relation(newborn.household_of(data, "H-2"), data["mother"],
                                       data["father"], "1")
    assert by_father.code == "20" and by_father.who == "father"
    assert newborn.child_relation(None, data["mother"], None, "1").reason == "new_household"
    assert newborn.child_relation({"members": []}, data["mother"], None, "1").reason == \
        "parents_elsewhere"


def test_who_may_already_be_this_child():
    data = _case(matches=[{"person_id": "P-X", "birth_date": "2026-11-01", "sex": "1"}])
    local = [{"person_id": "P-B-9", "birth_date": "2026-11-01", "sex": "2", "local_case": "B-9"}]
    found = newborn.possible_registrations(data, local)
    assert [p["person_id"] for p in found] == ["P-X", "P-S", "P-B-9"]
    # Born the same day with the certificate's sex, or matched by the server whatever the sex.
    assert [p["person_id"] for p in newborn.born_the_same_day(data, found)] == \
        ["P-X", "P-S", "P-B-9"]
    assert newborn.born_the_same_day(data, [{"person_id": "P-Y", "birth_date": "2026-11-01",
                                             "sex": "1"}]) == []


def test_local_siblings_are_confirmed_newborns_of_the_same_mother_and_day():
    data = _case()
    twin_overlay = {"action": "confirm_birth", "payload": {"person": {"name": "王小花"}}}
    others = [("B-2", {"certificate": dict(data["certificate"])}, twin_overlay),
              ("B-3", {"certificate": dict(data["certificate"], birth_date="2026-10-01")},
               twin_overlay),
              ("B-4", {"certificate": dict(data["certificate"])},
               {"action": "reject_birth", "payload": {}}),
              ("B-1", {"certificate": dict(data["certificate"])}, twin_overlay)]
    assert newborn.local_siblings("B-1", data, others) == [
        {"name": "王小花", "person_id": "P-B-2", "local_case": "B-2"}]
    assert newborn.local_siblings("B-1", {"certificate": {}}, others) == []


def test_new_household_problems():
    assert newborn.new_household_problem(None, "3组", "610424001") == "place_missing"
    assert newborn.new_household_problem("6104240010", "3组", "610424001") == "place_missing"
    assert newborn.new_household_problem("610424002001", "3组", "610424001") == "place_outside"
    assert newborn.new_household_problem("610424001001", " ", "610424001") == "address_missing"
    assert newborn.new_household_problem("610424001001", "3组12号", "610424001") is None
