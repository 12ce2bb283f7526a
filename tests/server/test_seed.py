"""The demo data generator: deterministic, realistic, and every injected problem is real."""

from __future__ import annotations

import time
from collections import Counter
from datetime import date, timedelta

import pytest

from client.domain.codes import code_table
from client.domain.idnumber import check_id_number
from client.domain.merge import duplicate_reasons, merge_blockers
from client.domain.models import Person
from client.domain.rules import RULES, validate_birth, validate_person
from sync.server.seed import DEFAULT_TODAY, DemoDataset, generate_demo
from sync.server.seed.classroom import make_classroom, select_cases
from sync.server.seed.places import all_division_codes, load_county

SMALL = 3000


@pytest.fixture(scope="module")
def demo() -> DemoDataset:
    return generate_demo("test-seed", people=SMALL)


def _age(p: dict, today: date = DEFAULT_TODAY) -> int:
    b = date.fromisoformat(p["birth_date"])
    return today.year - b.year - ((today.month, today.day) < (b.month, b.day))


def _case_person_ids(demo: DemoDataset) -> set[str]:
    ids: set[str] = set()
    for c in demo.cases:
        ids.update(c.get("member_ids", ()))
        ids.update(x for x in (c.get("person_id"), c.get("mother_id"), c.get("father_id")) if x)
        ids.update(c.get("match_ids", ()))
    return ids


def _clean_households(demo: DemoDataset) -> set[str]:
    """Households no case touches (the generator keeps injected problems away from them)."""
    touched = {demo.person(pid)["household_id"] for pid in _case_person_ids(demo)}
    for c in demo.cases:
        touched.update(c.get("household_ids", ()))
    return {h["household_id"] for h in demo.households} - touched


def test_same_seed_same_dataset_and_other_seed_differs():
    a = generate_demo("alpha", people=800)
    b = generate_demo("alpha", people=800)
    c = generate_demo("beta", people=800)
    assert a.persons == b.persons and a.households == b.households
    assert a.cases == b.cases and a.accounts == b.accounts
    assert a.persons != c.persons
    assert [x["password"] for x in a.accounts] != [x["password"] for x in c.accounts]


def _digest_in_subprocess(hash_seed: str) -> str:
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = ("import hashlib, json; from sync.server.seed import generate_demo; d = generate_demo('gamma', people=600); "
            "print(hashlib.sha256(json.dumps([d.persons, d.households, d.cases, d.accounts], "
            "ensure_ascii=False, sort_keys=True).encode()).hexdigest())")
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    return subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True,
                          check=True).stdout.strip()


def test_same_seed_same_dataset_across_processes():
    # String hashing is randomized per process: nothing may depend on set or hash order.
    assert _digest_in_subprocess("1") == _digest_in_subprocess("2024")


def test_bad_arguments_get_clear_messages():
    with pytest.raises(ValueError, match="区县代码"):
        generate_demo(county="110101")
    with pytest.raises(ValueError, match="区县代码"):
        generate_demo(county="6104")
    for bad in (0, -5, 10**9):
        with pytest.raises(ValueError, match="人口数"):
            generate_demo(people=bad)


def test_other_counties_and_tiny_sizes():
    urban = generate_demo("u", people=1500, county="610113")  # 雁塔区: only 街道 and 社区
    assert all(h["place"].startswith("610113") for h in urban.households)
    assert all(h["address"].startswith("陕西省西安市雁塔区") for h in urban.households)
    assert {a["username"] for a in urban.accounts} >= {"trainer", "county"}
    for n in (1, 30, 200):
        d = generate_demo("tiny", people=n)
        assert n <= len(d.persons) <= n + 40
        assert all(c["assigned_to"] in {a["username"] for a in d.accounts} for c in d.cases)


def test_size_and_case_mix(demo):
    assert SMALL <= len(demo.persons) <= SMALL * 1.05
    kinds = Counter(c["kind"] for c in demo.cases)
    assert kinds["error"] >= SMALL * 0.02
    assert kinds["birth"] >= SMALL * 0.008
    assert kinds["duplicates"] >= SMALL * 0.004
    assert len({c["id"] for c in demo.cases}) == len(demo.cases)
    for c in demo.cases:
        assert c["id"].startswith({"error": "E-", "birth": "B-", "duplicates": "D-"}[c["kind"]])
    assert len({p["person_id"] for p in demo.persons}) == len(demo.persons)
    assert len({h["household_id"] for h in demo.households}) == len(demo.households)


def test_real_divisions_of_the_county(demo):
    county = load_county("610424")
    real = all_division_codes()
    assert county.name == "乾县" and len(county.townships) >= 10
    for h in demo.households:
        assert h["place"] in real and h["place"].startswith("610424") and h["place"][9:] != "000"
        assert h["address"].startswith("陕西省咸阳市乾县")
    used_townships = {h["place"][:9] for h in demo.households}
    assert len(used_townships) == len(county.townships)
    clean = _clean_households(demo)
    for p in demo.persons:
        if p["household_id"] in clean:
            assert p["hukou_place"] in real and p["residence_place"] in real


def test_normal_persons_have_valid_consistent_ids(demo):
    clean = _clean_households(demo)
    regions = Counter()
    seen = set()
    for p in demo.persons:
        if p["household_id"] not in clean:
            continue
        chk = check_id_number(p["id_number"], today=DEFAULT_TODAY)
        assert chk.valid, (p, chk)
        assert chk.birth_date.isoformat() == p["birth_date"]
        assert str(chk.sex) == p["sex"]
        assert p["id_number"] not in seen
        seen.add(p["id_number"])
        regions[p["id_number"][:6]] += 1
    # Mostly the county's own code, some neighbours and some older codes.
    assert regions.most_common(1)[0][0] == "610424"
    assert regions["610424"] / sum(regions.values()) > 0.7
    assert len(regions) > 5


def test_codes_and_relations_plausible(demo):
    tables = {f: code_table(t) for f, t in (("sex", "sex"), ("relation", "relation"),
                                             ("ethnicity", "ethnicity"), ("marital_status", "marital"),
                                             ("hukou_type", "hukou_type"), ("id_type", "id_type"))}
    clean = _clean_households(demo)
    for hh in demo.households:
        if hh["household_id"] not in clean:
            continue
        members = demo.members(hh["household_id"])
        heads = [m for m in members if m["relation"] == "02"]
        assert len(heads) == 1 and heads[0]["person_id"] == hh["head_person_id"]
        head = heads[0]
        assert len([m for m in members if m["relation"] in ("10", "11", "12")]) <= 1
        for m in members:
            for f, table in tables.items():
                assert table.get(m[f]) is not None, (f, m[f])
            age = _age(m)
            assert 0 <= age <= 105
            gap = _age(head) - age
            if m["relation"][:1] in "23" and m["relation"] not in ("28", "38"):
                assert gap >= 14, (head, m)
            if m["relation"] in ("41", "42", "43", "44"):
                assert gap >= 30
            if m["relation"] in ("51", "52"):
                assert gap <= -20
            if m["relation"] in ("11", "12", "20", "22", "30", "41", "42", "51", "52"):
                assert m["sex"] == ("1" if m["relation"] in ("11", "20", "22", "41", "51") else "2")
            if age < 15:
                assert m["marital_status"] == "10" and "first_marriage_date" not in m
            if m["marital_status"] in ("20", "21"):
                fm = date.fromisoformat(m["first_marriage_date"])
                b = date.fromisoformat(m["birth_date"])
                assert (fm - b).days >= (20 if m["sex"] == "2" else 22) * 365
                assert m.get("spouse_id_number") or m["relation"] == "02"
            if m.get("mother_id_number"):
                mother = next(x for x in members if x.get("id_number") == m["mother_id_number"])
                assert mother["sex"] == "2"
                at_birth = _age(mother, date.fromisoformat(m["birth_date"]))
                assert 18 <= at_birth <= 45, (mother, m)


def test_names_realistic(demo):
    surnames = Counter(p["name"][:1] for p in demo.persons if p.get("name"))
    top = [s for s, _ in surnames.most_common(5)]
    assert "王" in top and "李" in top and "张" in top
    clean = _clean_households(demo)
    for p in demo.persons:
        if p["household_id"] in clean:
            assert 2 <= len(p["name"]) <= 4 and all("\u4e00" <= ch <= "\u9fff" for ch in p["name"])


def test_accounts_and_assignment(demo):
    county = load_county("610424")
    users = {a["username"]: a for a in demo.accounts}
    assert len(users) == len(demo.accounts) == len(county.townships) + 2
    assert users["trainer"]["role"] == "trainer" and users["county"]["jurisdiction"] == "610424"
    for code, name in county.townships:
        a = users["xz" + code[6:]]
        assert a["role"] == "township" and a["jurisdiction"] == code
        assert a["display_name"] == f"{name} 专干"
    for a in demo.accounts:
        assert len(a["password"]) >= 8 and a["password"] != a["username"]
    per_user = Counter()
    for c in demo.cases:
        a = users[c["assigned_to"]]
        per_user[a["role"]] += 1
        if c["kind"] == "error":
            place = demo.households_by_id()[demo.person(c["person_id"])["household_id"]]["place"]
        elif c["kind"] == "birth":
            place = demo.households_by_id()[c["household_ids"][0]]["place"]
        else:
            place = demo.households_by_id()[demo.person(c["member_ids"][0])["household_id"]]["place"]
        assert place.startswith(a["jurisdiction"]), (c, a)
    assert per_user["township"] > per_user["county"] > 0


def test_birth_cases_complete(demo):
    births = [c for c in demo.cases if c["kind"] == "birth"]
    certs = Counter(c["certificate"]["cert_number"] for c in births)
    hh_ids = {h["household_id"] for h in demo.households}
    twins = 0
    for c in births:
        cert, prop = c["certificate"], c["proposed"]
        mother = demo.person(c["mother_id"])
        assert mother["sex"] == "2" and cert["mother_name"] == mother["name"]
        assert set(c["household_ids"]) <= hh_ids and mother["household_id"] == c["household_ids"][0]
        assert cert["hospital"] and cert["issuer"] and cert["birthplace"].startswith("陕西省")
        assert "person_id" not in prop and prop["hukou_place"] == demo.households_by_id()[c["household_ids"][0]]["place"]
        if not c["injected"]:
            assert cert["cert_number"][0].isupper() and cert["cert_number"][1:].isdigit() and len(cert["cert_number"]) == 10
            assert certs[cert["cert_number"]] == 1
            assert 300 <= cert["weight_g"] <= 7000 and 20 <= cert["gestation_weeks"] <= 45
            assert cert["birth_date"] <= cert["issue_date"] <= DEFAULT_TODAY.isoformat()
            assert check_id_number(cert["mother_id_number"]).valid
        if c.get("twin_case_id"):
            twins += 1
        for pid in c["match_ids"]:
            m = demo.person(pid)
            assert m["birth_date"] == cert["birth_date"] and m["sex"] == cert["sex"]
            assert m["mother_id_number"] == mother["id_number"]
    assert twins >= 2
    assert any(c["match_ids"] for c in births)
    assert any(c["certificate"]["name"] in ("", "未取名") for c in births)


def test_every_duplicate_pattern_present(demo):
    patterns = Counter(c["pattern"] for c in demo.cases if c["kind"] == "duplicates")
    for p in ("same_id", "id_typo", "same_mother", "no_id_same_village", "homophone", "twins", "chonghao"):
        assert patterns[p] >= 1, p
    dups = [c for c in demo.cases if c["kind"] == "duplicates"]
    assert any(len(c["member_ids"]) == 3 for c in dups)
    assert any(c.get("name_kind") == "shape" for c in dups) or SMALL < 2000
    for c in dups:
        members = [demo.person(pid) for pid in c["member_ids"]]
        a, b = members[0], members[1]
        if c["pattern"] == "chonghao":
            assert a["id_number"] == b["id_number"] and a["name"] != b["name"]
            assert a["birth_date"] != b["birth_date"]
        if c["pattern"] == "twins":
            assert a["mother_id_number"] == b["mother_id_number"] and a["birth_date"] == b["birth_date"]
            assert a["name"] != b["name"]


@pytest.mark.slow
def test_default_size_is_fast_enough_and_every_township_gets_every_problem():
    t = time.perf_counter()
    d = generate_demo()
    elapsed = time.perf_counter() - t
    assert 30000 <= len(d.persons) <= 31500
    assert elapsed < 60, elapsed  # ~2 s on an idle 2-core machine; only catches a pathology
    codes = {r.code for r in RULES} - {"RULE_FAILED"}
    per_user: dict[str, set] = {}
    patterns: dict[str, set] = {}
    for c in d.cases:
        per_user.setdefault(c["assigned_to"], set()).update(c.get("injected", ()))
        if c["kind"] == "duplicates":
            patterns.setdefault(c["assigned_to"], set()).add(c["pattern"])
        if c["kind"] == "birth" and c.get("twin_case_id"):
            patterns.setdefault(c["assigned_to"], set()).add("birth_twins")
    for a in d.accounts:
        if a["role"] == "township":
            assert codes <= per_user[a["username"]], (a["username"], sorted(codes - per_user[a["username"]]))
            assert set(EXPECTED_REASON) | {"birth_twins"} <= patterns[a["username"]], a["username"]
    assert per_user["county"] or patterns.get("county")


# ---- the rule engine finds what was injected -------------------------------------------------------

def _codes(findings) -> set[str]:
    return {f.code for f in findings}


def check_error_cases(ds: DemoDataset, cases: list[dict], today: date) -> None:
    errors = [c for c in cases if c["kind"] == "error"]
    assert errors
    for c in errors:
        assert c["injected"], c
        person = Person.from_dict(ds.person(c["person_id"]))
        found = _codes(validate_person(person, ds.rule_context(c["person_id"], today=today)))
        assert set(c["injected"]) <= found, (c, sorted(found), ds.person(c["person_id"]))
        assert "RULE_FAILED" not in found


def check_birth_cases(ds: DemoDataset, cases: list[dict], today: date) -> set[str]:
    used = ds.used_cert_numbers()
    seen: set[str] = set()
    for c in cases:
        if c["kind"] != "birth":
            continue
        findings = validate_birth(c["certificate"], c["proposed"], ds.birth_context(c, used, today=today))
        found = _codes(findings)
        assert set(c["injected"]) <= found, (c, sorted(found))
        if not c["injected"]:
            assert not findings, (c, [(f.code, f.message) for f in findings])
        seen.update(c["injected"])
    return seen


EXPECTED_REASON = {"same_id": "DUP_SAME_ID", "id_typo": "DUP_ID_TYPO",
                   "same_mother": "DUP_SAME_NAME_BIRTH_MOTHER", "no_id_same_village": "DUP_NO_ID_SAME_VILLAGE",
                   "homophone": "DUP_SIMILAR_NAME", "twins": "DUP_TWINS", "chonghao": "DUP_CHONGHAO"}


def check_duplicate_cases(ds: DemoDataset, cases: list[dict]) -> None:
    for c in cases:
        if c["kind"] != "duplicates":
            continue
        members = [ds.person(pid) for pid in c["member_ids"]]
        reasons = duplicate_reasons(members)
        codes = {r.code for r in reasons}
        assert EXPECTED_REASON[c["pattern"]] in codes, (c, codes, members)
        blockers = merge_blockers(members)
        if c["pattern"] == "twins":
            assert "MERGE_TWINS" in blockers, (c, blockers)
        elif c["pattern"] == "chonghao":
            assert "MERGE_CHONGHAO" in blockers, (c, blockers)
            assert "DUP_SAME_ID" not in codes
        else:
            assert not blockers, (c, blockers, members)
        if c["pattern"] == "homophone":
            similar = [r for r in reasons if r.code == "DUP_SIMILAR_NAME"]
            assert similar[0].params["kind"] == c["name_kind"]


@pytest.mark.parametrize("later_days", [0, 120])
def test_every_injected_error_is_found_by_the_rule_engine(demo, later_days):
    # Also months after the data's `today`: a class may use the data long after it was generated.
    check_error_cases(demo, demo.cases, demo.today + timedelta(days=later_days))


def test_normal_persons_break_no_rule(demo):
    clean = _clean_households(demo)
    checked = 0
    for p in demo.persons:
        if p["household_id"] not in clean:
            continue
        findings = validate_person(Person.from_dict(p), demo.rule_context(p["person_id"]))
        assert not findings, (p, [(f.code, f.message) for f in findings])
        checked += 1
    assert checked > SMALL * 0.6


def test_every_applicable_rule_is_injected_somewhere(demo):
    injected = {code for c in demo.cases for code in c.get("injected", ())}
    # RULE_FAILED is the engine's own report of a crashed rule, not a data problem.
    missing = sorted(r.code for r in RULES if r.code not in injected and r.code != "RULE_FAILED")
    assert not missing, missing
    scopes = {r.code: r.scope for r in RULES}
    for c in demo.cases:
        for code in c.get("injected", ()):
            assert (scopes[code] == "birth") == (c["kind"] == "birth"), (c, code)


@pytest.mark.parametrize("later_days", [0, 120])
def test_birth_problems_found_and_clean_births_pass(demo, later_days):
    seen = check_birth_cases(demo, demo.cases, demo.today + timedelta(days=later_days))
    for code in ("BIRTH_CERT_FORMAT", "BIRTH_CERT_DUPLICATE", "BIRTH_ISSUE_DATE", "BIRTH_WEIGHT",
                 "BIRTH_GESTATION", "BIRTH_MOTHER_ID", "BIRTH_POSSIBLE_DUPLICATE", "BIRTH_CERT_MISMATCH"):
        assert code in seen, code


def test_duplicate_patterns_explained_and_twins_chonghao_blocked(demo):
    check_duplicate_cases(demo, demo.cases)


# ---- classroom copies ----------------------------------------------------------------------------

TRAINEES = 4


@pytest.fixture(scope="module")
def county_demo() -> DemoDataset:
    return generate_demo("classroom", people=30000)


@pytest.fixture(scope="module")
def classroom(county_demo) -> DemoDataset:
    return make_classroom(county_demo, trainees=TRAINEES)


def _universe(person_id: str) -> str:
    return person_id[-3:] if person_id[-3] == "T" else "base"


def test_classroom_gives_each_trainee_the_same_teaching_cases(county_demo, classroom):
    base_n = len(county_demo.cases)
    assert classroom.persons[:len(county_demo.persons)] == county_demo.persons
    assert classroom.cases[:base_n] == county_demo.cases
    template = select_cases(county_demo, "xz001")
    kinds = Counter(c["kind"] for c in template)
    assert kinds["error"] >= 14 and kinds["birth"] >= 5 and kinds["duplicates"] >= 7
    assert {c["pattern"] for c in template if c["kind"] == "duplicates"} == set(EXPECTED_REASON)

    def shape(c):
        return (c["kind"], tuple(c.get("injected", ())), c.get("pattern"), bool(c.get("twin_case_id")))

    users = {a["username"]: a for a in classroom.accounts}
    ids = [c["id"] for c in classroom.cases]
    assert len(ids) == len(set(ids))
    for k in range(1, TRAINEES + 1):
        u = f"t{k:02d}"
        assert users[u]["role"] == "township" and users[u]["jurisdiction"] == "610424001"
        mine = [c for c in classroom.cases if c["assigned_to"] == u]
        assert [shape(c) for c in mine] == [shape(c) for c in template]
        for c in mine:
            refs = ([c["person_id"]] if c["kind"] == "error" else c.get("member_ids", [])
                    + [x for x in (c.get("mother_id"), c.get("father_id")) if x] + c.get("match_ids", []))
            assert refs and all(_universe(r) == f"T{k:02d}" for r in refs), c
        twins = [c for c in mine if c.get("twin_case_id")]
        assert twins and all(t["twin_case_id"] in {c["id"] for c in twins} for t in twins)
    assert len({p["person_id"] for p in classroom.persons}) == len(classroom.persons)
    assert len({h["household_id"] for h in classroom.households}) == len(classroom.households)
    assert make_classroom(county_demo, trainees=TRAINEES) == classroom


def test_classroom_copies_share_no_id_or_certificate_number(classroom):
    # A birth confirmed or an ID corrected by one trainee must never touch another trainee's copy.
    owners: dict[str, set[str]] = {}
    for p in classroom.persons:
        chk = check_id_number(p.get("id_number"))
        if chk.valid:
            owners.setdefault(chk.normalized, set()).add(_universe(p["person_id"]))
        if p.get("birth_cert_number"):
            owners.setdefault(p["birth_cert_number"], set()).add(_universe(p["person_id"]))
    for c in classroom.cases:
        if c["kind"] == "birth" and "BIRTH_CERT_DUPLICATE" not in c["injected"]:
            owner = "base" if c["assigned_to"][0] != "t" else "T" + c["assigned_to"][1:]
            owners.setdefault(c["certificate"]["cert_number"], set()).add(owner)
    shared = {k: v for k, v in owners.items() if len(v) > 1}
    assert not shared, list(shared.items())[:5]


def test_classroom_problems_still_found(classroom):
    trainee_cases = [c for c in classroom.cases if c["assigned_to"].startswith("t") and c["assigned_to"] != "trainer"]
    assert trainee_cases
    check_error_cases(classroom, trainee_cases, classroom.today)
    check_birth_cases(classroom, trainee_cases, classroom.today)
    check_duplicate_cases(classroom, trainee_cases)


def test_classroom_rejects_bad_arguments(county_demo):
    with pytest.raises(ValueError):
        make_classroom(county_demo, trainees=0)
    with pytest.raises(ValueError):
        make_classroom(county_demo, trainees=2, template_user="nobody")


def test_classroom_on_the_live_server_trainees_do_not_collide(live_server_factory):
    # Two trainees confirm their copy of the same birth: both apply (no certificate or
    # same-mother duplicate across copies), and each sees only their own cases.
    from datetime import datetime, timezone

    from sync.server.config import ManualClock
    from tests.support.live_server import make_op

    base = generate_demo("classroom-live", people=6000)
    ds = make_classroom(base, trainees=2)
    server = live_server_factory(ds, clock=ManualClock(datetime(2026, 11, 2, 9, tzinfo=timezone.utc)), training=True)
    accounts = {a["username"]: a for a in ds.accounts}
    results = []
    seen: list[set] = []
    for user in ("t01", "t02"):
        c = server.client(user, accounts[user]["password"])
        boot = c.bootstrap_all()
        mine = {x["id"] for x in ds.cases if x["assigned_to"] == user}
        assert set(boot["records"]) == mine
        seen.append(mine)
        for rec in boot["records"].values():
            if rec["type"] == "error":
                spec = next(x for x in ds.cases if x["id"] == rec["id"])
                assert set(spec["injected"]) <= {f["code"] for f in rec["data"]["findings"]}, rec["id"]
        birth = next(x for x in ds.cases if x["assigned_to"] == user and x["kind"] == "birth"
                     and not x["injected"] and not x.get("twin_case_id"))
        data = boot["records"][birth["id"]]["data"]
        child = {k: v for k, v in birth["proposed"].items() if k != "relation"}
        child["name"] = child.get("name") or "王小宝"
        payload = {"person": child, "household_id": birth["household_ids"][0],
                   "relation": birth["proposed"]["relation"], "overrides": {}}
        res = c.push([make_op(birth["id"], "confirm_birth", 1, payload=payload)]).json()["results"][0]
        if res["status"] == "rejected" and all(e["severity"] == "W" for e in res["errors"]):
            payload["overrides"] = {e["code"]: "已核实" for e in res["errors"]}
            res = c.push([make_op(birth["id"], "confirm_birth", 1, payload=payload)]).json()["results"][0]
        results.append((data["certificate"]["cert_number"], res))
    assert not seen[0] & seen[1]
    assert results[0][0] != results[1][0]
    for _, res in results:
        assert res["status"] == "applied", res


def test_accounts_sheet_for_the_class(tmp_path, county_demo):
    from openpyxl import load_workbook

    from sync.server.seed.accounts import write_accounts_xlsx

    ds = make_classroom(county_demo, trainees=3)
    path = tmp_path / "accounts.xlsx"
    write_accounts_xlsx(ds.accounts, path)
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0] == ("用户名", "密码", "角色", "辖区代码", "辖区", "显示名")
    assert len(rows) == len(ds.accounts) + 1
    by_user = {r[0]: r for r in rows[1:]}
    assert by_user["t03"][1] == next(a["password"] for a in ds.accounts if a["username"] == "t03")
    assert by_user["t03"][2] == "乡镇专干" and by_user["t03"][4] == "陕西省咸阳市乾县城关街道"
    assert by_user["trainer"][2] == "培训讲师" and by_user["county"][4] == "陕西省咸阳市乾县"
