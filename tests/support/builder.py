"""A small deterministic data-set builder (tests, benchmarks): households, persons, cases, users.

Produces the same shape as the demo generator (sync.server.seed) so that load_dataset is exercised
the same way; it is not the realistic training data.
"""

from __future__ import annotations

from typing import Any

import random
from datetime import date, timedelta

from client.domain.idnumber import id_check_char
from sync.server.dataset import Dataset

COUNTY = "610424"
TOWN_A = "610424001"      # 城关街道
TOWN_B = "610424101"      # 薛录镇
VILLAGE_A = "610424001005"
VILLAGE_B = "610424101200"

_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红梅"


def make_id(region6: str, birth: date, seq3: int) -> str:
    first = f"{region6}{birth:%Y%m%d}{seq3 % 1000:03d}"
    return first + id_check_char(first)


class DataBuilder:
    def __init__(self, seed: int = 1, county: str = COUNTY) -> None:
        self.rng = random.Random(seed)
        self.county = county
        self.ds = Dataset(county_code=county)
        self._n = {"P": 0, "H": 0, "E": 0, "B": 0, "D": 0}
        self._persons: dict[str, dict[str, Any]] = {}
        self._households: dict[str, dict[str, Any]] = {}

    def _next(self, prefix: str) -> str:
        self._n[prefix] += 1
        return f"{prefix}-{self._n[prefix]}"

    def name(self) -> str:
        return self.rng.choice(_SURNAMES) + "".join(self.rng.choice(_GIVEN) for _ in range(self.rng.choice((1, 2))))

    def user(self, username: str, password: str = "secret-pw", role: str = "township",
             jurisdiction: str = TOWN_A, display_name: str | None = None) -> str:
        self.ds.accounts.append({"username": username, "password": password, "role": role,
                                 "jurisdiction": jurisdiction, "display_name": display_name or username})
        return username

    def household(self, place: str = VILLAGE_A, address: str | None = None) -> str:
        hid = self._next("H")
        h = {"household_id": hid, "place": place,
             "address": address or f"{self.rng.randint(1, 99)}组{self.rng.randint(1, 200)}号",
             "head_person_id": None}
        self.ds.households.append(h)
        self._households[hid] = h
        return hid

    def person(self, household_id: str | None, *, relation: str = "02", sex: str | None = None,
               birth: date | None = None, **fields: Any) -> str:
        pid = self._next("P")
        sex = sex or self.rng.choice("12")
        birth = birth or date(1950, 1, 1) + timedelta(days=self.rng.randint(0, 365 * 50))
        seq = self.rng.randint(0, 499) * 2 + (1 if sex == "1" else 0)
        h = self._households.get(household_id) if household_id else None
        place = h["place"] if h else VILLAGE_A
        p = {"person_id": pid, "household_id": household_id, "relation": relation, "name": self.name(),
             "sex": sex, "birth_date": birth.isoformat(), "ethnicity": "01", "id_type": "01",
             "id_number": make_id(self.county, birth, seq), "hukou_type": "1", "hukou_place": place, "residence_place": place,
             "marital_status": "20" if birth.year < 1990 else "10", "nationality": "CHN",
             "status": "active"}
        if p["marital_status"] == "20":
            p["first_marriage_date"] = date(birth.year + 23, 5, 1).isoformat()
        p.update(fields)
        self.ds.persons.append(p)
        self._persons[pid] = p
        if h is not None and relation == "02" and h["head_person_id"] is None:
            h["head_person_id"] = pid
        return pid

    def family(self, place: str = VILLAGE_A) -> tuple[str, str, str]:
        """A household with a husband (head) and a wife: (household_id, husband_id, wife_id)."""
        hid = self.household(place)
        husband = self.person(hid, relation="02", sex="1", birth=date(1985, 3, 4))
        wife = self.person(hid, relation="10", sex="2", birth=date(1988, 6, 7))
        return hid, husband, wife

    def get(self, person_id: str) -> dict[str, Any]:
        return self._persons[person_id]

    def error_case(self, person_id: str, assigned_to: str,
                   injected: tuple[str, ...] = ("id.check_char",)) -> str:
        cid = self._next("E")
        self.ds.cases.append({"id": cid, "kind": "error", "assigned_to": assigned_to,
                              "person_id": person_id, "injected": list(injected)})
        return cid

    def birth_case(self, mother_id: str, assigned_to: str, *, father_id: str | None = None,
                   household_ids: list[str] | None = None, match_ids: list[str] | None = None,
                   cert_number: str | None = None) -> str:
        cid = self._next("B")
        mother = self.get(mother_id)
        born = date(2024, 3, 1) + timedelta(days=self.rng.randint(0, 200))
        sex = self.rng.choice("12")
        cert = {"cert_number": cert_number or f"Q{self.rng.randint(10**8, 10**9 - 1):09d}",
                "issue_date": (born + timedelta(days=3)).isoformat(), "issuer": "乾县人民医院",
                "name": "", "sex": sex, "birth_date": born.isoformat(), "birth_time": "08:30",
                "birthplace": mother.get("hukou_place", VILLAGE_A), "gestation_weeks": 39,
                "length_cm": 50, "weight_g": 3300, "mother_name": mother["name"],
                "mother_nationality": "CHN", "mother_ethnicity": "01", "mother_id_type": "01",
                "mother_id_number": mother["id_number"], "father_name": None, "father_nationality": None,
                "father_ethnicity": None, "father_id_type": None, "father_id_number": None,
                "hospital": "乾县人民医院"}
        proposed = {"name": "", "sex": sex, "birth_date": born.isoformat(), "ethnicity": "01",
                    "mother_name": mother["name"], "mother_id_number": mother["id_number"],
                    "birth_cert_number": cert["cert_number"]}
        self.ds.cases.append({"id": cid, "kind": "birth", "assigned_to": assigned_to, "certificate": cert,
                              "proposed": proposed, "mother_id": mother_id, "father_id": father_id,
                              "household_ids": household_ids or [mother["household_id"]],
                              "match_ids": match_ids or [], "injected": []})
        return cid

    def twin(self, person_id: str, relation: str = "20") -> str:
        """A second record of the same person (same ID number and name) in the same household."""
        twin = dict(self.get(person_id))
        twin_id = self._next("P")
        twin.update(person_id=twin_id, relation=relation)
        self.ds.persons.append(twin)
        self._persons[twin_id] = twin
        return twin_id

    def duplicates_case(self, member_ids: list[str], assigned_to: str, pattern: str = "same_id") -> str:
        cid = self._next("D")
        self.ds.cases.append({"id": cid, "kind": "duplicates", "assigned_to": assigned_to,
                              "member_ids": list(member_ids), "pattern": pattern})
        return cid

    def build(self) -> Dataset:
        return self.ds


def small_dataset(seed: int = 1, training: bool = False) -> Dataset:
    """Two townships, a county worker, a county admin (and a trainer for a training server); every
    kind of case for user "alice".

    alice (township A): E-1..E-4 error cases, B-1 birth, D-1 duplicates; bob (township B): E-5;
    dora (township A) has no cases (a case of alice's can be reassigned to her).
    """
    b = DataBuilder(seed)
    b.user("alice", "alice-pw", "township", TOWN_A, "王小丽")
    b.user("bob", "bob-pw", "township", TOWN_B, "李大军")
    b.user("carol", "carol-pw", "county", COUNTY, "张县级")
    if training:   # a real database takes no trainer accounts
        b.user("trainer", "trainer-pw", "trainer", COUNTY, "培训讲师")
    b.user("dora", "dora-pw", "township", TOWN_A, "赵小朵")   # a second worker of township A
    b.user("admin", "admin-pw", "admin", COUNTY, "县管理员")  # accounts of the county
    people = []
    for _ in range(4):
        hid, husband, wife = b.family(VILLAGE_A)
        people.append((hid, husband, wife))
    # Error cases: a broken check character on the head of each household.
    for hid, husband, _ in people:
        p = b.get(husband)
        p["id_number"] = p["id_number"][:17] + ("0" if p["id_number"][17] != "0" else "1")
        b.error_case(husband, "alice")
    hid_b, husband_b, _ = b.family(VILLAGE_B)
    b.get(husband_b)["id_number"] = b.get(husband_b)["id_number"][:17] + (
        "0" if b.get(husband_b)["id_number"][17] != "0" else "1")
    b.error_case(husband_b, "bob")
    hid, husband, wife = people[0]
    b.birth_case(wife, "alice", father_id=husband, household_ids=[hid])
    dup_hid = b.household(VILLAGE_A)
    a = b.person(dup_hid, relation="02", sex="1", birth=date(1970, 1, 2))
    b.duplicates_case([a, b.twin(a)], "alice", "same_id")
    return b.build()


def synthetic_dataset(cases: int, seed: int = 7, users: int = 1) -> Dataset:
    """Many error cases (for benchmarks): one case per household head, households of 3-4."""
    b = DataBuilder(seed)
    names = [b.user(f"worker{i}", "bench-pw", "township", TOWN_A) for i in range(users)]
    for i in range(cases):
        hid = b.household(VILLAGE_A)
        head = b.person(hid, relation="02", sex="1")
        b.person(hid, relation="10", sex="2")
        b.person(hid, relation="20", sex="1", birth=date(2010, 1, 1) + timedelta(days=i % 3000))
        p = b.get(head)
        p["id_number"] = p["id_number"][:17] + ("0" if p["id_number"][17] != "0" else "1")
        b.error_case(head, names[i % users])
    return b.build()
