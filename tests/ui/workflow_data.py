"""Data sets and helpers for the workflow-screen tests (newborns, duplicates, conflicts): every
kind of birth and duplicate case for user "alice", built with the server's DataBuilder."""

from __future__ import annotations

from datetime import date

from tests.support.builder import VILLAGE_A, DataBuilder

CHEAP_KEY = {"n": 2 ** 10}


def birth_dataset():
    """alice: B-1 plain (mother = wife of the head), B-2 mother living with her parents and the
    father heading his own household, B-3 twins (a sibling born the same day), B-4 a child
    already registered, B-5 and B-6 for rejections, B-7/B-8 twins both to be registered."""
    b = DataBuilder(seed=11)
    b.user("alice", "alice-pw", "township", "610424001", "王小丽")
    b.user("carol", "carol-pw", "county", "610424", "张县级")
    hid1, husband1, wife1 = b.family(VILLAGE_A)
    b.birth_case(wife1, "alice", father_id=husband1, household_ids=[hid1])          # B-1
    # Mother still in her parents' household (女), father heads his own.
    hid2 = b.household(VILLAGE_A)
    b.person(hid2, relation="02", sex="1", birth=date(1962, 2, 2))
    mother2 = b.person(hid2, relation="30", sex="2", birth=date(1996, 5, 5), marital_status="20",
                       first_marriage_date="2020-05-01")
    hid3 = b.household(VILLAGE_A)
    father2 = b.person(hid3, relation="02", sex="1", birth=date(1994, 7, 7))
    b.birth_case(mother2, "alice", father_id=father2, household_ids=[hid2, hid3])   # B-2
    for n in (3, 4):
        hid, husband, wife = b.family(VILLAGE_A)
        cid = b.birth_case(wife, "alice", father_id=husband, household_ids=[hid])
        case = b.ds.cases[-1]
        cert = case["certificate"]
        born = date.fromisoformat(cert["birth_date"])
        sibling = b.person(hid, relation="20" if cert["sex"] == "1" else "30", sex=cert["sex"],
                           birth=born, marital_status="10", mother_name=b.get(wife)["name"],
                           mother_id_number=b.get(wife)["id_number"])
        b.get(sibling).pop("first_marriage_date", None)
        case["match_ids"] = [sibling]
        assert cid == f"B-{n}"
    for _ in (5, 6):
        hid, husband, wife = b.family(VILLAGE_A)
        b.birth_case(wife, "alice", father_id=husband, household_ids=[hid])
    # B-7 and B-8: twins of the same sex, both still to be registered.
    hid, husband, wife = b.family(VILLAGE_A)
    b.birth_case(wife, "alice", father_id=husband, household_ids=[hid])
    b.birth_case(wife, "alice", father_id=husband, household_ids=[hid])
    first, second = b.ds.cases[-2], b.ds.cases[-1]
    for key in ("birth_date", "sex", "issue_date"):
        second["certificate"][key] = first["certificate"][key]
    for key in ("birth_date", "sex"):
        second["proposed"][key] = first["proposed"][key]
    return b.build()


def duplicates_dataset():
    """alice: D-1 three records of one person (same ID, a homophone name, one without ID),
    D-2 twins, D-3 重号 (same valid ID, different people), D-4 an ID typo (two adjacent digits swapped),
    D-5 a pair to separate, D-6 a pair whose merged record can carry an under-age marriage,
    D-7 a pair whose survivor can break a household rule only the server checks."""
    b = DataBuilder(seed=12)
    b.user("alice", "alice-pw", "township", "610424001", "王小丽")
    b.user("carol", "carol-pw", "county", "610424", "张县级")
    hid, husband, wife = b.family(VILLAGE_A)
    mother = b.get(wife)
    born = date(2012, 4, 5)
    common = dict(sex="1", birth=born, marital_status="10", mother_name=mother["name"],
                  mother_id_number=mother["id_number"], ethnicity="01")
    a = b.person(hid, relation="20", name="张晓明", **common)
    idn = b.get(a)["id_number"]
    b.get(a)["updated_at"] = "2020-01-01T00:00:00+08:00"
    # B: a homophone name, no ID number, registered later in another household.
    hid_b = b.household(VILLAGE_A)
    b.person(hid_b, relation="02", sex="1", birth=date(1960, 8, 8))
    b2 = b.person(hid_b, relation="20", name="章小明", residence_address="新民村3组",
                  updated_at="2025-06-01T00:00:00+08:00", **common)
    b.get(b2).pop("id_number")
    # C: the same ID number and name as A.
    c = b.person(hid, relation="20", name="张晓明", id_number=idn, **common)
    b.duplicates_case([a, b2, c], "alice", "homophone")                              # D-1
    # Twins: same mother and birth date, different sexes and names.
    t1 = b.person(hid, relation="20", name="张大宝", **{**common, "birth": date(2015, 1, 1)})
    t2 = b.person(hid, relation="30", name="张二妹", **{**common, "sex": "2", "birth": date(2015, 1, 1)})
    b.duplicates_case([t1, t2], "alice", "twins")                                     # D-2
    # 重号: one valid number issued to two different people.
    p1 = b.person(b.household(VILLAGE_A), relation="02", sex="1", birth=date(1980, 3, 3),
                  name="李建国")
    p2 = b.person(b.household(VILLAGE_A), relation="02", sex="1", birth=date(1979, 9, 9),
                  name="赵红军", id_number=b.get(p1)["id_number"])
    b.duplicates_case([p1, p2], "alice", "chonghao")                                  # D-3
    # A typo: the valid number survives.
    q1 = b.person(b.household(VILLAGE_A), relation="02", sex="2", birth=date(1975, 6, 6),
                  name="刘芳")
    good = b.get(q1)["id_number"]
    i = next(k for k in range(13, 16) if good[k] != good[k + 1])
    typo = good[:i] + good[i + 1] + good[i] + good[i + 2:]  # two adjacent digits swapped
    q2 = b.person(b.household(VILLAGE_A), relation="02", sex="2", birth=date(1975, 6, 6),
                  name="刘芳", id_number=typo)
    b.duplicates_case([q1, q2], "alice", "id_typo")                                   # D-4
    # Same name and birth date in one village, one without ID: separated with an ID correction.
    r1 = b.person(b.household(VILLAGE_A), relation="02", sex="1", birth=date(1990, 1, 1),
                  name="王强")
    r2 = b.person(b.household(VILLAGE_A), relation="02", sex="1", birth=date(1990, 1, 1),
                  name="王强", id_number=b.get(r1)["id_number"])
    b.duplicates_case([r1, r2], "alice", "same_id")                                   # D-5
    # The same man twice, one record married at 19 (under the legal age: a warning).
    s1 = b.person(b.household(VILLAGE_A), relation="02", sex="1", birth=date(1990, 2, 2),
                  name="陈刚", marital_status="10")
    b.get(s1).pop("first_marriage_date", None)
    s2 = b.person(b.household(VILLAGE_A), relation="02", sex="1", birth=date(1990, 2, 2),
                  name="陈刚", id_number=b.get(s1)["id_number"], marital_status="20",
                  first_marriage_date="2009-05-01")
    b.duplicates_case([s1, s2], "alice", "same_id")                                   # D-6
    # Only 10 years younger than the head he is registered as a son of: a household warning the
    # server finds when he survives (this PC checks the merged record without its household).
    h1 = b.household(VILLAGE_A)
    b.person(h1, relation="02", sex="1", birth=date(1975, 1, 1))
    u1 = b.person(h1, relation="20", sex="1", birth=date(1985, 3, 3), name="孙磊", marital_status="10")
    h2 = b.household(VILLAGE_A)
    b.person(h2, relation="02", sex="1", birth=date(1955, 1, 1))
    u2 = b.person(h2, relation="20", sex="1", birth=date(1985, 3, 3), name="孙磊", marital_status="10",
                  id_number=b.get(u1)["id_number"])
    for pid in (u1, u2):
        b.get(pid).pop("first_marriage_date", None)
    b.duplicates_case([u1, u2], "alice", "same_id")                                   # D-7
    return b.build()


def login(server, tmp_path, user: str = "alice", password: str | None = None):
    from client.workspace import Workspace
    from sync.client.transport import RetryPolicy
    ws = Workspace.login(tmp_path / f"data-{user}", server.url, user, password or f"{user}-pw",
                         retry=RetryPolicy(base=0.01, cap=0.05, max_attempts=4),
                         key_cost=CHEAP_KEY)
    ws.sync()
    return ws


def server_case(server, case_id: str) -> dict:
    carol = server.client("carol", "carol-pw")
    r = carol.get(f"/v1/admin/cases/{case_id}")
    assert r.status_code == 200, r.text
    return r.json()


def server_person(server, person_id: str) -> dict | None:
    carol = server.client("carol", "carol-pw")
    r = carol.get(f"/v1/admin/persons/{person_id}")
    if r.status_code == 404:
        return None
    assert r.status_code == 200, r.text
    return r.json()
