"""Reverse-pushed births: certificate data for newborns of mothers in the demo households, with twins,
already-registered children, unnamed babies and injected certificate problems."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from datetime import date, timedelta

from sync.server.seed.names import pick_given
from sync.server.seed.places import County
from sync.server.seed.population import age_at

if TYPE_CHECKING:  # cases.py imports this module where it makes births
    from sync.server.seed.cases import CaseMaker

Person = dict[str, Any]

_PARENT_RELATIONS = ("02", "10", "12", "38", "30", "32")
_CHILD_RELATION = {"02": ("20", "30"), "10": ("20", "30"), "12": ("20", "30"), "38": ("41", "42"),
                   "30": ("43", "44"), "32": ("43", "44")}


def _hospitals(county: County) -> tuple[tuple[str, str, float], ...]:
    """(hospital, birthplace, weight): county hospitals first, township health centres, the city."""
    here = county.address_prefix
    out = [(f"{county.name}人民医院", here, 40.0), (f"{county.name}妇幼保健院", here, 30.0),
           (f"{county.name}中医医院", here, 8.0)]
    for _, name in county.townships[:6]:
        out.append((f"{county.name}{name}卫生院", here + name, 1.5))
    out += [(f"{county.prefecture_name}中心医院", f"{county.province_name}{county.prefecture_name}", 8.0),
            ("西北妇女儿童医院", "陕西省西安市雁塔区", 4.0), ("陕西省人民医院", "陕西省西安市碑林区", 2.0)]
    return tuple(out)


class _Births:
    def __init__(self, mk: CaseMaker) -> None:
        self.mk = mk
        self.rng = mk.rng
        self.pop = mk.pop
        self.today = mk.today
        self.hospitals = _hospitals(self.pop.county)
        self.certs: list[str] = []
        self.cover = False  # the case being made is part of a township's coverage set

    def kids_of(self, mother: dict[str, Any], members: list[Any]) -> list[dict[str, Any]]:
        return [m for m in members if m.get("mother_id_number") == mother["id_number"]]

    def mother_ok(self, m: dict[str, Any], members: list[Any], birth: date,
                  relations: tuple[str, ...] = _PARENT_RELATIONS) -> bool:
        if m["sex"] != "2" or m["relation"] not in relations or m.get("status") != "active":
            return False
        age = age_at(date.fromisoformat(m["birth_date"]), birth)
        if not 21 <= age <= 41:
            return False
        if relations is _PARENT_RELATIONS and m.get("marital_status") not in ("20", "21"):
            return False
        kids = self.kids_of(m, members)
        return all((birth - date.fromisoformat(k["birth_date"])).days > 400 for k in kids)

    def find_parents(self, start: int, birth: date, unmarried: bool, township: str | None = None,
                     father_known: bool = True
                     ) -> tuple[Person, Person, Person | None, Person | None] | None:
        """(mother, mother's household, father|None, father's household|None) from free households."""
        mk = self.mk
        for hh in mk.free_households(start, township):
            members = self.pop.members[hh["household_id"]]
            rel = ("30",) if unmarried else _PARENT_RELATIONS
            mothers = [m for m in members if self.mother_ok(m, members, birth, rel)
                       and (not unmarried or m.get("marital_status") == "10")]
            if not mothers:
                continue
            mother = mothers[0]
            if unmarried and not father_known:
                return mother, hh, None, None
            if unmarried:
                father, fhh = self.find_single_father(birth, hh["household_id"])
                if not father:
                    continue
                return mother, hh, father, fhh
            father = next((m for m in members if m.get("id_number") == mother.get("spouse_id_number")), None)
            if father is not None and age_at(date.fromisoformat(father["birth_date"]), birth) > 55:
                continue
            return mother, hh, father, hh if father else None
        return None

    def find_single_father(self, birth: date, not_hh: str
                           ) -> tuple[Person, Person] | tuple[None, None]:
        mk = self.mk
        for hh in mk.free_households(self.rng.randrange(len(mk.order))):
            if hh["household_id"] == not_hh or hh.get("_kind") != "single":
                continue
            head = self.pop.members[hh["household_id"]][0]
            if head["sex"] == "1" and 22 <= age_at(date.fromisoformat(head["birth_date"]), birth) <= 40:
                return head, hh
        return None, None

    def certificate(self, mother: dict[str, Any], father: dict[str, Any] | None, birth: date, sex: str, name: str) -> dict[str, Any]:
        rng = self.rng
        hospital, birthplace, _ = rng.choices(self.hospitals, weights=[h[2] for h in self.hospitals])[0]
        cert = self.pop.new_cert_number()
        self.certs.append(cert)
        issue = min(birth + timedelta(days=rng.randrange(1, 40)), self.today)
        gest = rng.choices((35, 36, 37, 38, 39, 40, 41, 42), weights=(2, 4, 10, 20, 28, 24, 10, 2))[0]
        weight = int(max(1800, min(4800, rng.gauss(3300 + (gest - 39) * 180, 380))))
        c = {
            "cert_number": cert, "issue_date": issue.isoformat(), "issuer": hospital,
            "name": name, "sex": sex, "birth_date": birth.isoformat(),
            "birth_time": f"{rng.randrange(24):02d}:{rng.randrange(60):02d}",
            "birthplace": birthplace, "gestation_weeks": gest,
            "length_cm": round(max(44.0, min(56.0, rng.gauss(50 + (gest - 39) * 0.6, 1.6))), 1),
            "weight_g": weight, "hospital": hospital,
            "mother_name": mother["name"], "mother_nationality": "CHN",
            "mother_ethnicity": mother.get("ethnicity") or "01", "mother_id_type": "01",
            "mother_id_number": mother["id_number"],
        }
        if father:
            c.update({"father_name": father["name"], "father_nationality": "CHN",
                      "father_ethnicity": father.get("ethnicity") or "01", "father_id_type": "01",
                      "father_id_number": father["id_number"]})
        else:
            c.update({"father_name": "", "father_nationality": "", "father_ethnicity": "",
                      "father_id_type": "", "father_id_number": ""})
        return c

    def proposed(self, cert: dict[str, Any], mother: dict[str, Any], father: dict[str, Any] | None, hh: dict[str, Any]) -> dict[str, Any]:
        boy, girl = _CHILD_RELATION.get(mother["relation"], ("20", "30"))
        p = {
            "relation": boy if cert["sex"] == "1" else girl, "name": cert["name"], "sex": cert["sex"],
            "birth_date": cert["birth_date"], "ethnicity": (father or mother).get("ethnicity") or "01",
            "id_missing_reason": "待落户", "nationality": "CHN",
            "hukou_type": mother.get("hukou_type") or "2", "hukou_place": hh["place"],
            "hukou_address": hh["address"], "residence_place": hh["place"],
            "residence_address": hh["address"], "managing_place": hh["place"],
            "marital_status": "10", "mother_name": mother["name"], "mother_id_number": mother["id_number"],
            "birth_cert_number": cert["cert_number"], "status": "active", "data_source": "出生医学证明",
        }
        if father:
            p["father_name"] = father["name"]
            p["father_id_number"] = father["id_number"]
        return p

    def baby_name(self, surname: str, sex: str, birth: date) -> str:
        r = self.rng.random()
        if r < 0.12:
            return ""
        if r < 0.2:
            return "未取名"
        return surname + pick_given(self.rng, sex, birth.year)

    def make(self, count: int) -> None:
        mk, rng = self.mk, self.rng
        problems = list(PROBLEMS)
        # Every variant in every township when the size allows (twins make two cases).
        variants = ["plain", "twins", "match"] + [("problem", i) for i in range(len(problems))]
        first = mk.coverage(variants, count, per_township_size=len(variants) + 1)
        n_first = sum(2 if v == "twins" else 1 for v, _ in first)
        left = max(0, count - n_first)
        n_problem = round(left * 0.15)
        n_twins = left // 40
        n_match = left // 25
        rest = (["problem"] * n_problem + ["twins"] * n_twins + ["match"] * n_match)
        rest += ["plain"] * max(0, left - len(rest) - n_twins)
        rng.shuffle(rest)
        plan = first + [(v, None) for v in rest]
        problem_cycle = 0
        cursors: dict[str | None, int] = {}
        for what, township in plan:
            birth = self.today - timedelta(days=rng.randrange(7, 250))
            unmarried = what == "plain" and rng.random() < 0.1
            # A third of the unmarried mothers name no father on the certificate.
            father_known = not unmarried or rng.random() < 0.67
            size = len(mk.order) if township is None else len(mk.by_township[township])
            cursor = cursors.get(township, rng.randrange(size))
            found = self.find_parents(cursor, birth, unmarried, township, father_known)
            cursors[township] = cursor + 37
            if not found:
                continue
            mother, hh, father, fhh = found
            mk.tainted.add(hh["household_id"])
            if fhh:
                mk.tainted.add(fhh["household_id"])
            surname = (father or mother)["name"][:1] if father else mother["name"][:1]
            hh_ids = [hh["household_id"]] + ([fhh["household_id"]] if fhh and fhh is not hh else [])
            self.cover = township is not None
            if what == "twins":
                sexes = rng.choice((("1", "2"), ("1", "1"), ("2", "2")))
                first_case = self.add_case(mother, father, hh, hh_ids, birth, sexes[0], surname, [], [])
                second = self.add_case(mother, father, hh, hh_ids, birth, sexes[1], surname, [], [])
                while second["certificate"]["name"] and second["certificate"]["name"] == first_case["certificate"]["name"]:
                    second["certificate"]["name"] = second["proposed"]["name"] = self.baby_name(surname, sexes[1], birth)
                first_case["twin_case_id"], second["twin_case_id"] = second["id"], first_case["id"]
                continue
            sex = "1" if rng.random() < 0.52 else "2"
            case = self.add_case(mother, father, hh, hh_ids, birth, sex, surname, [], [])
            if what == "match":
                child = self.register_existing(case, mother, father, hh)
                case["match_ids"].append(child["person_id"])
                case["injected"].append("BIRTH_POSSIBLE_DUPLICATE")
            elif what == "problem" or isinstance(what, tuple):
                if isinstance(what, tuple):
                    fn, code = problems[what[1]]
                else:
                    fn, code = problems[problem_cycle % len(problems)]
                    problem_cycle += 1
                fn(self, case, mother, father)
                case["injected"].append(code)

    def add_case(self, mother: Person, father: Person | None, hh: Person, hh_ids: list[str], birth: date,
                 sex: str, surname: str, match_ids: list[str], injected: list[str]) -> Person:
        name = self.baby_name(surname, sex, birth)
        cert = self.certificate(mother, father, birth, sex, name)
        case = {"id": self.mk._case_id("birth"), "kind": "birth", "certificate": cert,
                "proposed": self.proposed(cert, mother, father, hh),
                "mother_id": mother["person_id"], "father_id": father["person_id"] if father else None,
                "household_ids": list(hh_ids), "match_ids": list(match_ids), "injected": list(injected),
                "_place": hh["place"], "_cover": self.cover}
        self.mk.cases.append(case)
        return case

    def register_existing(self, case: dict[str, Any], mother: dict[str, Any], father: dict[str, Any] | None, hh: dict[str, Any]) -> dict[str, Any]:
        """The child already entered by the village (same mother, birth date, sex): the case must find it."""
        cert, prop = case["certificate"], case["proposed"]
        birth = date.fromisoformat(cert["birth_date"])
        name = cert["name"] or prop["name"] or (mother["name"][:1] + pick_given(self.rng, cert["sex"], birth.year))
        child = self.pop.person(hh, self.pop.county_village(hh["place"]), prop["relation"], cert["sex"], birth,
                                surname=name[:1], ethnicity=prop["ethnicity"])
        child["name"] = name
        if self.rng.random() < 0.5:
            # Registered from the same certificate: the number is already taken as well.
            child["birth_cert_number"] = cert["cert_number"]
            case["injected"].append("BIRTH_CERT_DUPLICATE")
        else:
            child.pop("birth_cert_number", None)
        self.pop.set_parents(child, father, mother)
        return child


# ---- certificate problems (validate_birth) ---------------------------------------------------------
def _cert_format(b: _Births, case: dict[str, Any], mother: dict[str, Any], father: Person | None) -> None:
    c = case["certificate"]
    good = c["cert_number"]
    c["cert_number"] = b.rng.choice((good.lower(), good[:9], good[0] + good[0] + good[2:], good + "0"))
    case["proposed"]["birth_cert_number"] = c["cert_number"]


def _cert_duplicate(b: _Births, case: dict[str, Any], mother: dict[str, Any], father: Person | None) -> None:
    # The number of a child already registered elsewhere (a typo or a reused form at the hospital).
    c = case["certificate"]
    persons = b.pop.persons
    while True:
        other = persons[b.rng.randrange(len(persons))]
        if other.get("birth_cert_number") and other["household_id"] != mother["household_id"]:
            break
    c["cert_number"] = other["birth_cert_number"]
    case["proposed"]["birth_cert_number"] = c["cert_number"]


def _issue_date(b: _Births, case: dict[str, Any], mother: dict[str, Any], father: Person | None) -> None:
    c = case["certificate"]
    birth = date.fromisoformat(c["birth_date"])
    if b.rng.random() < 0.7:
        c["issue_date"] = (birth - timedelta(days=b.rng.randrange(2, 60))).isoformat()
    else:
        c["issue_date"] = (b.today + timedelta(days=b.rng.randrange(400, 900))).isoformat()


def _weight(b: _Births, case: dict[str, Any], mother: dict[str, Any], father: Person | None) -> None:
    case["certificate"]["weight_g"] = b.rng.choice((180, 250, 7400, 8200, 32))


def _gestation(b: _Births, case: dict[str, Any], mother: dict[str, Any], father: Person | None) -> None:
    case["certificate"]["gestation_weeks"] = b.rng.choice((16, 18, 47, 50))


def _mother_id(b: _Births, case: dict[str, Any], mother: dict[str, Any], father: Person | None) -> None:
    c = case["certificate"]
    n = c["mother_id_number"]
    if father and b.rng.random() < 0.3:
        c["mother_id_number"] = father["id_number"]  # the father's number typed in the mother's box
    else:
        c["mother_id_number"] = n[:17] + ("0" if n[17] != "0" else "1")
    case["proposed"]["mother_id_number"] = c["mother_id_number"]


def _cert_mismatch(b: _Births, case: dict[str, Any], mother: dict[str, Any], father: Person | None) -> None:
    prop = case["proposed"]
    birth = date.fromisoformat(prop["birth_date"])
    if b.rng.random() < 0.5:
        prop["birth_date"] = (birth - timedelta(days=1)).isoformat()
    else:  # the village typed the other sex: relation follows the typed sex
        prop["sex"] = "2" if prop["sex"] == "1" else "1"
        boy, girl = _CHILD_RELATION.get(mother["relation"], ("20", "30"))
        prop["relation"] = boy if prop["sex"] == "1" else girl


PROBLEMS = ((_cert_format, "BIRTH_CERT_FORMAT"), (_cert_duplicate, "BIRTH_CERT_DUPLICATE"),
            (_issue_date, "BIRTH_ISSUE_DATE"), (_weight, "BIRTH_WEIGHT"),
            (_gestation, "BIRTH_GESTATION"), (_mother_id, "BIRTH_MOTHER_ID"),
            (_cert_mismatch, "BIRTH_CERT_MISMATCH"))


def make_births(mk: CaseMaker, count: int) -> None:
    _Births(mk).make(count)

