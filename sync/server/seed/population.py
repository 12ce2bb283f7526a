"""Households and persons of the demo county: plausible ages, relations, marriages, names and ID numbers."""

from __future__ import annotations

from typing import Any

import random
from datetime import date, timedelta

from client.domain.idnumber import make_id_number
from sync.server.seed.names import era_of, pick_given, pick_surname
from sync.server.seed.places import County, Village

DAY = timedelta(days=1)


def add_years(d: date, years: float) -> date:
    return d + timedelta(days=round(years * 365.25))


def age_at(birth: date, when: date) -> int:
    return when.year - birth.year - ((when.month, when.day) < (birth.month, birth.day))


def iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


# Household kinds and their shares: nuclear family, three generations (married son with
# wife and children), elderly couple, widowed elder, unmarried adult, single parent, nuclear
# family with the head's widowed parent.
KINDS = (("nuclear", 40), ("stem", 22), ("elder_couple", 12), ("widowed", 7), ("single", 6),
         ("single_parent", 5), ("with_parent", 8))


class Population:
    """Builds households and persons into plain dicts (canonical person fields of DOMAIN.md)."""

    def __init__(self, rng: random.Random, county: County, today: date) -> None:
        self.rng = rng
        self.county = county
        self.today = today
        self.persons: list[dict[str, Any]] = []
        self.households: list[dict[str, Any]] = []
        self.members: dict[str, list[dict[str, Any]]] = {}
        self.used_ids: set[str] = set()
        self.used_certs: set[str] = set()
        self._pid = 0
        self._hid = 0
        weights = [1.4 if v.urban else 1.0 for v in county.villages]
        self._village_cum = []
        total = 0.0
        for w in weights:
            total += w
            self._village_cum.append(total)

    # ---- identifiers -------------------------------------------------------------------
    def next_person_id(self) -> str:
        self._pid += 1
        return f"P{self._pid:09d}"

    def next_household_id(self) -> str:
        self._hid += 1
        return f"H{self._hid:08d}"

    def id_region(self, birth: date, native: bool) -> str:
        """Address code of the ID number: where the hukou was when the number was issued."""
        r = self.rng.random()
        if native:
            if birth.year < 1983 and r < 0.04:
                # Numbers issued before 1983 kept the code of the old 地区 (e.g. 612227 乾县).
                return _OLD_CODES.get(self.county.code, self.county.code)
            if r < 0.93:
                return self.county.code
        if self.county.neighbours and r < 0.975:
            return self.rng.choice(self.county.neighbours)
        return self.rng.choice(self.county.province_counties or (self.county.code,))

    def new_id_number(self, region: str, birth: date, sex: str) -> str:
        odd = sex == "1"
        for _ in range(200):
            seq = self.rng.randrange(1, 1000)
            if (seq % 2 == 1) != odd:
                seq = seq - 1 if seq > 1 else seq + 1
            number = make_id_number(region, birth, seq)
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number
        raise RuntimeError("ID sequence space exhausted")  # pragma: no cover - 999 numbers a day

    def new_cert_number(self) -> str:
        while True:
            cert = self.rng.choice("ABCDEFGHJKMNPQRST") + f"{self.rng.randrange(10**9):09d}"
            if cert not in self.used_certs:
                self.used_certs.add(cert)
                return cert

    def random_date(self, start: date, end: date) -> date:
        if end <= start:
            return start
        return start + timedelta(days=self.rng.randrange((end - start).days + 1))

    def stamp(self, earliest: date) -> str:
        """A registration time in office hours since the 2014 data migration (ISO, seconds)."""
        d = self.random_date(max(earliest, _MIGRATION), self.today - 30 * DAY)
        s = self.rng.randrange(8 * 3600, 18 * 3600)
        return f"{d.isoformat()}T{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}"

    def county_village(self, code12: str) -> Village:
        if not hasattr(self, "_villages_by_code"):
            self._villages_by_code = {v.code: v for v in self.county.villages}
        return self._villages_by_code[code12]

    # ---- persons -----------------------------------------------------------------------
    def village(self) -> Village:
        x = self.rng.random() * self._village_cum[-1]
        lo, hi = 0, len(self._village_cum) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if self._village_cum[mid] < x:
                lo = mid + 1
            else:
                hi = mid
        return self.county.villages[lo]

    def education(self, birth: date) -> str | None:
        age = age_at(birth, self.today)
        r = self.rng.random()
        if age < 6:
            return None
        if age < 13:
            return "80"
        if age < 16:
            return "70"
        if age < 19:
            return "60" if r < 0.7 else "40"
        y = birth.year
        if y < 1955:
            table: tuple[tuple[str, float], ...] = (("90", .25), ("81", .40), ("71", .25), ("61", .10))
        elif y < 1975:
            table = (("81", .20), ("71", .50), ("61", .20), ("41", .06), ("31", .04))
        elif y < 1990:
            table = (("81", .08), ("71", .45), ("61", .22), ("41", .10), ("31", .10), ("21", .05))
        else:
            table = (("71", .25), ("61", .25), ("44", .10), ("31", .22), ("21", .16), ("14", .02))
        acc = 0.0
        for code, share in table:
            acc += share
            if r < acc:
                return code
        return table[-1][0]

    def person(self, hh: dict[str, Any], village: Village, relation: str, sex: str, birth: date,
               surname: str | None = None, native: bool = True, ethnicity: str | None = None) -> dict[str, Any]:
        rng = self.rng
        name = (surname or pick_surname(rng)) + pick_given(rng, sex, birth.year)
        age = age_at(birth, self.today)
        number = self.new_id_number(self.id_region(birth, native), birth, sex)
        if ethnicity is None:
            r = rng.random()
            ethnicity = "01" if r < 0.985 else ("03" if r < 0.995 else rng.choice(("02", "06", "11")))
        p = {
            "person_id": self.next_person_id(),
            "household_id": hh["household_id"],
            "relation": relation,
            "name": name,
            "sex": sex,
            "birth_date": birth.isoformat(),
            "ethnicity": ethnicity,
            "id_type": "01" if age >= 16 else "02",
            "id_number": number,
            "nationality": "CHN",
            "hukou_type": hh["_hukou_type"],
            "hukou_place": village.code,
            "hukou_address": hh["address"],
            "residence_place": hh["_residence_place"],
            "residence_address": hh["_residence_address"],
            "managing_place": village.code,
            "marital_status": "10",
            "status": "active",
            "data_source": "全员人口库",
            "registering_unit": f"{village.township_name}计生办",
        }
        edu = self.education(birth)
        if edu:
            p["education"] = edu
            p["education_system"] = "2006"
            if birth.year < 1965 and rng.random() < 0.2:
                # Old records keep the 1984 list (文化程度): a different, incompatible code set.
                p["education"] = _EDU_1984.get(edu, "90")
                p["education_system"] = "1984"
        if sex == "2" and birth.year < 1975 and rng.random() < 0.02:
            p["former_name"] = name[:1] + pick_given(rng, sex, birth.year)
        if birth.year >= 1997 and rng.random() < 0.9:
            p["birth_cert_number"] = self.new_cert_number()
        reg = self.stamp(birth + DAY)
        p["registered_at"] = reg
        p["updated_at"] = max(reg, self.stamp(birth + DAY))
        self.persons.append(p)
        self.members[hh["household_id"]].append(p)
        return p

    def new_household(self, village: Village | None = None) -> tuple[dict[str, Any], Village]:
        v = village or self.village()
        rng = self.rng
        where = f"{self.county.address_prefix}{v.township_name}{v.short}"
        if v.urban:
            building, unit = rng.randrange(1, 40), rng.randrange(1, 7)
            flat = f"{rng.randrange(1, 7)}0{rng.randrange(1, 5)}"
            addr = f"{where}{building}号楼{unit}单元{flat}室"
            hukou_type = "1" if rng.random() < 0.7 else "2"
        else:
            addr = f"{where}{rng.randrange(1, 13)}组{rng.randrange(1, 120)}号"
            hukou_type = "2" if rng.random() < 0.95 else "1"
        if rng.random() < 0.12:
            # Records re-entered after 2014 use the GA 324.1 户口类别 codes instead of 1/2.
            hukou_type = {"1": "GA1", "2": "GA2"}[hukou_type]
        hh: dict[str, Any] = {"household_id": self.next_household_id(), "place": v.code, "address": addr,
              "head_person_id": None, "_hukou_type": hukou_type,
              "_residence_place": v.code, "_residence_address": addr}
        if rng.random() < 0.06:
            # Lives elsewhere in the county (work in the county town): residence differs from hukou.
            other = self.village()
            hh["_residence_place"] = other.code
            hh["_residence_address"] = f"{self.county.address_prefix}{other.township_name}{other.short}"
        self.households.append(hh)
        self.members[hh["household_id"]] = []
        return hh, v

    @staticmethod
    def set_parents(child: dict[str, Any], father: dict[str, Any] | None, mother: dict[str, Any] | None) -> None:
        if father:
            child["father_name"] = father["name"]
            child["father_id_number"] = father["id_number"]
        if mother and "name" in mother:
            child["mother_name"] = mother["name"]
            child["mother_id_number"] = mother["id_number"]

    def marry(self, a: dict[str, Any], b: dict[str, Any], wedding: date, status: str = "20") -> None:
        for x, y in ((a, b), (b, a)):
            x["marital_status"] = status
            x["first_marriage_date"] = wedding.isoformat()
            x["marital_change_date"] = wedding.isoformat()
            x["spouse_name"] = y["name"]
            x["spouse_id_number"] = y["id_number"]

    def wedding_date(self, husband: date, wife: date) -> date:
        start = max(add_years(wife, 20.2 + self.rng.random() * 4), add_years(husband, 22.2 + self.rng.random() * 3))
        return min(start, self.today - 60 * DAY)

    def children(self, hh: dict[str, Any], v: Village, father: dict[str, Any] | None, mother: dict[str, Any], wedding: date,
                 surname: str, rel_base: tuple[str, str] = ("20", "30"), keep_adults: bool = False,
                 max_children: int | None = None) -> list[dict[str, Any]]:
        """Children born after the wedding, spaced at least ~20 months apart, mother aged 20-40."""
        rng = self.rng
        mb = date.fromisoformat(mother["birth_date"])
        y = mb.year
        n = rng.choice((3, 4, 4, 5) if y < 1955 else (2, 2, 3) if y < 1970 else (1, 2, 2) if y < 1988 else (1, 1, 2))
        if max_children is not None:
            n = min(n, max_children)
        kids: list[dict[str, Any]] = []
        t = max(wedding + timedelta(days=300 + rng.randrange(500)), add_years(mb, 20.5))
        last_allowed = min(add_years(mb, 40), self.today - 40 * DAY)
        for _ in range(n):
            if t > last_allowed:
                break
            sex = "1" if rng.random() < 0.52 else "2"
            age = age_at(t, self.today)
            married_out = age >= (23 if sex == "2" else 28)
            if married_out and not keep_adults:
                t = t + timedelta(days=600 + rng.randrange(900))
                continue
            rel = rel_base[0] if sex == "1" else rel_base[1]
            kid = self.person(hh, v, rel, sex, t, surname=surname,
                              ethnicity=(father or mother)["ethnicity"])
            self.set_parents(kid, father, mother)
            kids.append(kid)
            t = t + timedelta(days=600 + rng.randrange(900))
        if rel_base == ("20", "30") and kids and rng.random() < 0.35:
            # Some registers record the birth order: 独生子/女, 长子, 次子…, 长女, 次女…
            if len(kids) == 1 and y >= 1955:
                kids[0]["relation"] = "21" if kids[0]["sex"] == "1" else "31"
            else:
                sons = [k for k in kids if k["sex"] == "1"]
                daughters = [k for k in kids if k["sex"] == "2"]
                for i, k in enumerate(sons):
                    k["relation"] = str(22 + min(i, 4))
                for i, k in enumerate(daughters):
                    k["relation"] = str(32 + min(i, 4))
        return kids

    def birth_for_age(self, lo: int, hi: int) -> date:
        """A birth date giving an age in [lo, hi] today."""
        start = add_years(self.today, -(hi + 1)) + DAY
        end = add_years(self.today, -lo)
        return self.random_date(start, end)

    def couple(self, hh: dict[str, Any], v: Village, head_age: tuple[int, int], head_male: bool = True
               ) -> tuple[dict[str, Any], dict[str, Any], date, str]:
        rng = self.rng
        surname = pick_surname(rng)
        hb = self.birth_for_age(*head_age)
        if head_male:
            husband_b = hb
            wife_b = self.random_date(add_years(hb, -1), add_years(hb, 5))
        else:
            wife_b = hb
            husband_b = self.random_date(add_years(hb, -5), add_years(hb, 1))
        # Keep the wife at least 21 and the husband 23 so a legal first marriage fits before today.
        wife_b = min(wife_b, add_years(self.today, -21.5))
        husband_b = min(husband_b, add_years(self.today, -23.5))
        if head_male:
            head = self.person(hh, v, "02", "1", husband_b, surname=surname)
            spouse = self.person(hh, v, "12", "2", wife_b, native=rng.random() < 0.6)
        else:
            head = self.person(hh, v, "02", "2", wife_b)
            spouse = self.person(hh, v, "11", "1", husband_b, surname=surname, native=rng.random() < 0.8)
        if rng.random() < 0.08:
            spouse["relation"] = "10"
        wedding = self.wedding_date(husband_b, wife_b)
        status = rng.choice(("20", "20", "20", "21"))
        self.marry(head, spouse, wedding, status)
        hh["head_person_id"] = head["person_id"]
        husband, wife = (head, spouse) if head_male else (spouse, head)
        return husband, wife, wedding, surname

    # ---- household kinds ---------------------------------------------------------------
    def household(self, kind: str) -> dict[str, Any]:
        rng = self.rng
        hh, v = self.new_household()
        hh["_kind"] = kind
        if kind == "nuclear":
            husband, wife, wedding, surname = self.couple(hh, v, (24, 62), head_male=rng.random() < 0.92)
            self.children(hh, v, husband, wife, wedding, surname)
        elif kind == "with_parent":
            husband, wife, wedding, surname = self.couple(hh, v, (30, 58))
            self.children(hh, v, husband, wife, wedding, surname)
            head = self.members[hh["household_id"]][0]
            hb = date.fromisoformat(head["birth_date"])
            if rng.random() < 0.7:
                pb = self.random_date(add_years(hb, -38), add_years(hb, -22))
                parent = self.person(hh, v, "52", "2", min(pb, add_years(self.today, -60)))
                self.set_parents(head, None, parent)
            else:
                pb = self.random_date(add_years(hb, -40), add_years(hb, -24))
                parent = self.person(hh, v, "51", "1", min(pb, add_years(self.today, -60)), surname=surname)
                self.set_parents(head, parent, None)
            parent["marital_status"] = "30"
            wed = self.wedding_date(pb, pb) if parent["sex"] == "2" else self.wedding_date(pb, pb)
            parent["first_marriage_date"] = wed.isoformat()
            parent["marital_change_date"] = self.random_date(add_years(wed, 15), self.today - 200 * DAY).isoformat()
            if rng.random() < 0.05:
                # Died recently; the record is closed as dead but still listed with the household.
                widowed = date.fromisoformat(parent["marital_change_date"])
                parent["death_date"] = self.random_date(widowed + 30 * DAY, self.today - 20 * DAY).isoformat()
                parent["status"] = "dead"
        elif kind == "stem":
            husband, wife, wedding, surname = self.couple(hh, v, (52, 78))
            wb = date.fromisoformat(wife["birth_date"])
            child_b = max(wedding + timedelta(days=300 + rng.randrange(900)), add_years(wb, 21))
            child_b = min(child_b, add_years(self.today, -24))
            if rng.random() < 0.8:
                # The married son stays with his parents, with his wife (儿媳) and children (孙子女).
                son = self.person(hh, v, rng.choice(("20", "22")), "1", child_b, surname=surname,
                                  ethnicity=husband["ethnicity"])
                self.set_parents(son, husband, wife)
                dil_b = self.random_date(add_years(child_b, -1), add_years(child_b, 4))
                dil_b = min(dil_b, add_years(self.today, -22))
                dil = self.person(hh, v, "38", "2", dil_b, native=rng.random() < 0.6)
                sw = self.wedding_date(child_b, dil_b)
                self.marry(son, dil, sw, "20")
                self.children(hh, v, son, dil, sw, surname, rel_base=("41", "42"), max_children=3)
            else:
                # 上门女婿: the daughter stays and her husband (女婿) joins; children are 外孙子女.
                daughter = self.person(hh, v, rng.choice(("30", "32")), "2", child_b, surname=surname,
                                       ethnicity=husband["ethnicity"])
                self.set_parents(daughter, husband, wife)
                sil_b = self.random_date(add_years(child_b, -4), add_years(child_b, 1))
                sil_b = min(sil_b, add_years(self.today, -24))
                sil = self.person(hh, v, "28", "1", sil_b, native=rng.random() < 0.5)
                sw = self.wedding_date(sil_b, child_b)
                self.marry(sil, daughter, sw, "20")
                kid_surname = surname if rng.random() < 0.5 else sil["name"][:1]
                self.children(hh, v, sil, daughter, sw, kid_surname, rel_base=("43", "44"), max_children=2)
        elif kind == "elder_couple":
            self.couple(hh, v, (62, 90), head_male=rng.random() < 0.85)
        elif kind == "widowed":
            sex = "2" if rng.random() < 0.65 else "1"
            b = self.birth_for_age(66, 96)
            head = self.person(hh, v, "02", sex, b)
            wed = self.wedding_date(b, b)
            head["marital_status"] = "30"
            head["first_marriage_date"] = wed.isoformat()
            head["marital_change_date"] = self.random_date(add_years(wed, 25), self.today - 100 * DAY).isoformat()
            hh["head_person_id"] = head["person_id"]
        elif kind == "single":
            sex = "1" if rng.random() < 0.7 else "2"
            head = self.person(hh, v, "02", sex, self.birth_for_age(22, 50))
            hh["head_person_id"] = head["person_id"]
        elif kind == "single_parent":
            sex = "2" if rng.random() < 0.6 else "1"
            b = self.birth_for_age(30, 55)
            surname = pick_surname(rng)
            head = self.person(hh, v, "02", sex, b, surname=surname)
            hh["head_person_id"] = head["person_id"]
            wed = self.wedding_date(b, b)
            head["marital_status"] = "40" if rng.random() < 0.7 else "30"
            head["first_marriage_date"] = wed.isoformat()
            if sex == "2":
                kids = self.children(hh, v, None, head, wed, pick_surname(rng), max_children=2)
            else:
                # A father's children: build them against a virtual mother of plausible age.
                mb = self.random_date(add_years(b, -1), add_years(b, 4))
                mother = {"birth_date": mb.isoformat(), "ethnicity": head["ethnicity"],
                          "hukou_type": head["hukou_type"]}
                kids = self.children(hh, v, head, mother, wed, surname, max_children=2)
            last = max([date.fromisoformat(k["birth_date"]) for k in kids] + [wed])
            head["marital_change_date"] = self.random_date(last + 30 * DAY, self.today - 30 * DAY).isoformat()
        else:  # pragma: no cover - KINDS lists every kind
            raise ValueError(kind)
        return hh

    def build(self, people: int) -> None:
        kinds = [k for k, _ in KINDS]
        cum = []
        acc = 0
        for _, w in KINDS:
            acc += w
            cum.append(acc)
        while len(self.persons) < people:
            self.household(self.rng.choices(kinds, cum_weights=cum)[0])


_MIGRATION = date(2014, 1, 1)
_EDU_1984 = {"90": "90", "81": "80", "71": "70", "61": "60", "41": "40", "31": "30", "21": "20"}
_OLD_CODES = {"610424": "612227", "610425": "612228", "610426": "612229"}
