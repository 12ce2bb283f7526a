"""Findings only the server can check (parents found by ID number elsewhere, the mother's other
children) must survive the client's re-validation: the worker answers them locally, the strict
reference server then applies the op instead of rejecting it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from client.domain.models import Person
from client.domain.rules import error_findings
from client.workspace import ValidationRefused
from tests.support.builder import TOWN_A, VILLAGE_A, VILLAGE_B, DataBuilder, make_id


def _dataset():
    b = DataBuilder(5)
    b.user("alice", "alice-pw", "township", TOWN_A, "王小丽")
    b.user("bob", "bob-pw", "township", "610424101", "李大军")
    b.user("carol", "carol-pw", "county", "610424", "张县级")
    b.user("admin", "admin-pw", "admin", "610424", "县管理员")
    # The mothers live in another township's household: the worker's case never carries them.
    _, _, mother = b.family(VILLAGE_B)  # born 1988-06-07
    m = b.get(mother)

    def child(birth: date, seq: int) -> str:
        hid = b.household(VILLAGE_A)
        b.person(hid, relation="02", sex="1", birth=date(1960, 2, 3))  # a grandfather as head
        return b.person(hid, relation="41", sex="1", birth=birth, id_number=make_id("610424", birth, seq),
                        mother_name=m["name"], mother_id_number=m["id_number"])

    young = child(date(2001, 9, 1), 11)     # mother aged 13: warning
    b.error_case(young, "alice", injected=["PARENT_MOTHER_AGE_W"])             # E-1 confirm
    young2 = child(date(2001, 10, 1), 13)
    b.error_case(young2, "alice", injected=["PARENT_MOTHER_AGE_W"])            # E-2 fix other field
    too_young = child(date(1999, 12, 1), 15)  # mother aged 11: error
    b.error_case(too_young, "alice", injected=["PARENT_MOTHER_AGE_E"])         # E-3 fix birth date
    # A mother who lives in the same household: the client can re-check her rules itself.
    hid = b.household(VILLAGE_A)
    b.person(hid, relation="02", sex="1", birth=date(1985, 3, 4))
    own = b.person(hid, relation="10", sex="2", birth=date(1988, 6, 7))
    o = b.get(own)
    kid = b.person(hid, relation="20", sex="1", birth=date(2001, 9, 1),
                   id_number=make_id("610424", date(2001, 9, 1), 17),
                   mother_name=o["name"], mother_id_number=o["id_number"])
    b.error_case(kid, "alice", injected=["PARENT_MOTHER_AGE_W"])               # E-4
    # B-1: the mother's other child, born 100 days before the newborn, lives in her household.
    hid, husband, wife = b.family(VILLAGE_A)
    b.birth_case(wife, "alice", father_id=husband, household_ids=[hid])
    born = date.fromisoformat(b.ds.cases[-1]["certificate"]["birth_date"]) - timedelta(days=100)
    w = b.get(wife)
    b.person(hid, relation="20", sex="1", birth=born, id_number=make_id("610424", born, 21),
             mother_name=w["name"], mother_id_number=w["id_number"])
    # D-1: two records with one ID number (the same people as in small_dataset's D-1).
    dup_hid = b.household(VILLAGE_A)
    a = b.person(dup_hid, relation="02", sex="1", birth=date(1970, 1, 2))
    twin = {**b.get(a), "person_id": "P-twin", "relation": "20"}
    b.ds.persons.append(twin)
    b.duplicates_case([a, "P-twin"], "alice", "same_id")
    return b.build()


@pytest.fixture
def server(live_server_factory):
    return live_server_factory(_dataset())


def _codes(findings) -> set[str]:
    return {f["code"] if isinstance(f, dict) else f.code for f in findings}


def _server_case(office, case_id: str) -> dict:
    case = office.case(case_id)
    return case.get("record", case)


def test_server_parent_warnings_reach_the_case(open_ws):
    ws = open_ws()
    ws.sync()
    for cid in ("E-1", "E-2", "E-4"):
        assert "PARENT_MOTHER_AGE_W" in _codes(ws.task(cid).data["findings"]), cid
    assert "PARENT_MOTHER_AGE_E" in _codes(ws.task("E-3").data["findings"])


def test_confirm_error_explains_server_only_warning(open_ws, office):
    ws = open_ws()
    ws.sync()
    ws.confirm_error("E-1", "已核对户口簿原件")
    op = ws.outbox()[0]
    report = ws.sync()
    assert report.rejected == [], ws.task("E-1").errors
    assert op.payload["overrides"].get("PARENT_MOTHER_AGE_W") == "已核对户口簿原件"
    assert ws.task("E-1").status == "done"
    assert _server_case(office, "E-1")["data"]["status"] == "completed"


def test_fix_error_of_another_field_asks_for_the_server_warning(open_ws, office):
    ws = open_ws()
    ws.sync()
    with pytest.raises(ValidationRefused) as exc:
        ws.fix_error("E-2", {"residence_address": "城关街道3组5号"})
    # E-1 is a sibling born 30 days earlier: the server also sees the birth interval.
    assert {f.code for f in exc.value.warnings} == {"PARENT_MOTHER_AGE_W", "PARENT_BIRTH_INTERVAL"}
    assert not exc.value.errors
    ws.fix_error("E-2", {"residence_address": "城关街道3组5号"},
                 overrides={"PARENT_MOTHER_AGE_W": "母亲年龄已核实",
                            "PARENT_BIRTH_INTERVAL": "出生日期已核对出生医学证明"})
    report = ws.sync()
    assert report.rejected == [], ws.task("E-2").errors
    case = _server_case(office, "E-2")
    assert case["data"]["status"] == "completed"
    assert case["data"]["person"]["residence_address"] == "城关街道3组5号"


def test_server_only_error_refuses_locally_until_its_field_is_fixed(open_ws, office):
    ws = open_ws()
    ws.sync()
    with pytest.raises(ValidationRefused) as exc:
        ws.confirm_error("E-3", "已核实")
    assert "PARENT_MOTHER_AGE_E" in [f.code for f in exc.value.errors]
    with pytest.raises(ValidationRefused):
        ws.fix_error("E-3", {"residence_address": "城关街道1组1号"})
    born = date(2010, 1, 1)
    ws.fix_error("E-3", {"birth_date": born.isoformat(), "id_number": make_id("610424", born, 15)})
    report = ws.sync()
    assert report.rejected == [], ws.task("E-3").errors
    case = _server_case(office, "E-3")
    assert case["data"]["status"] == "completed"
    assert case["data"]["person"]["birth_date"] == "2010-01-01"


def test_mother_in_the_household_is_checked_locally(open_ws, office):
    ws = open_ws()
    ws.sync()
    data = ws.task("E-4").data
    person = dict(data["person"])
    assert "PARENT_MOTHER_AGE_W" in _codes(error_findings(data, person))
    # Her age at the birth is re-computed from the household, not copied from the server.
    person.update(birth_date="2012-01-01", id_number=make_id("610424", date(2012, 1, 1), 17))
    assert "PARENT_MOTHER_AGE_W" not in _codes(error_findings(data, Person.from_dict(person)))
    ws.confirm_error("E-4", "已核实")
    assert ws.sync().rejected == []
    assert _server_case(office, "E-4")["data"]["status"] == "completed"


def test_confirm_birth_asks_about_the_sibling_in_the_household(open_ws, office):
    ws = open_ws()
    ws.sync()
    data = ws.task("B-1").data
    hid = data["households"][0]["household_id"]
    relation = "20" if data["proposed"]["sex"] == "1" else "30"
    with pytest.raises(ValidationRefused) as exc:
        ws.confirm_birth("B-1", {"name": "张小花"}, household_id=hid, relation=relation)
    assert [f.code for f in exc.value.warnings] == ["PARENT_BIRTH_INTERVAL"]
    ws.confirm_birth("B-1", {"name": "张小花"}, household_id=hid, relation=relation,
                     overrides={"PARENT_BIRTH_INTERVAL": "早产，已核对出生医学证明"})
    report = ws.sync()
    assert report.rejected == [], ws.task("B-1").errors
    assert office.case("B-1")["status"] == "completed"


def test_not_duplicate_reason_explains_id_warnings(open_ws, office):
    ws = open_ws()
    ws.sync()
    # A valid number whose address code is not in the 1980-2024 tables: a warning, not an error.
    new_id = make_id("610499", date(1970, 1, 2), 901)
    ws.mark_not_duplicate("D-1", "双胞胎兄弟，身份证号已核对", {"P-twin": new_id})
    assert ws.outbox()[0].payload["overrides"] == {"ID_REGION_UNKNOWN": "双胞胎兄弟，身份证号已核对"}
    report = ws.sync()
    assert report.rejected == [], ws.task("D-1").errors
    case = office.case("D-1")
    assert case["status"] == "completed"
    twin = next(m for m in case["record"]["data"]["members"] if m["person_id"] == "P-twin")
    assert twin["id_number"] == new_id
