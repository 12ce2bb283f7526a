"""Error injections: each breaks one stored person record (or its household/parents) so that a named
rule of DOMAIN.md fires; the case records the rule codes that must be found."""

from __future__ import annotations

import random

from datetime import date, timedelta
from typing import Any, Callable

from client.domain.idnumber import id_check_char, make_id_number
from sync.server.seed.population import Population, add_years, age_at

# Simplified → traditional for the NAME_TRADITIONAL injection (characters common in our names).
TRADITIONAL = {"刘": "劉", "陈": "陳", "杨": "楊", "张": "張", "赵": "趙", "吴": "吳", "黄": "黃",
               "孙": "孫", "马": "馬", "郑": "鄭", "冯": "馮", "国": "國", "华": "華", "军": "軍",
               "丽": "麗", "红": "紅", "兰": "蘭", "凤": "鳳", "东": "東", "龙": "龍", "涛": "濤",
               "伟": "偉", "韩": "韓", "邓": "鄧", "叶": "葉", "杰": "傑",
               "宝": "寶", "贵": "貴", "荣": "榮", "云": "雲", "莲": "蓮", "梦": "夢", "乐": "樂"}

Injected = tuple[dict[str, Any], list[str]] | None  # the record changed and the rule codes, or nothing
Inject = Callable[["Injector", list[Any]], Injected]


def _d(p: dict[str, Any], key: str = "birth_date") -> date:
    return date.fromisoformat(p[key])


class Injector:
    """The helpers the injections share (the CaseMaker provides rng, population and today)."""

    def __init__(self, rng: random.Random, pop: Population, today: date) -> None:
        self.rng = rng
        self.pop = pop
        self.today = today

    def age(self, p: dict[str, Any]) -> int:
        return age_at(_d(p), self.today)

    def region(self, p: dict[str, Any]) -> str:
        number = p.get("id_number") or ""
        return number[:6] if len(number) >= 6 and number[:6].isdigit() else self.pop.county.code

    def renumber(self, p: dict[str, Any], birth: date | None = None, sex: str | None = None) -> None:
        """Give p a fresh valid ID for a (new) birth date and sex, keeping the address code."""
        birth = birth or _d(p)
        sex = sex or p["sex"]
        p["birth_date"] = birth.isoformat()
        p["id_number"] = self.pop.new_id_number(self.region(p), birth, sex)

    def mother(self, p: dict[str, Any], members: list[Any]) -> dict[str, Any] | None:
        n = p.get("mother_id_number")
        return next((m for m in members if n and m.get("id_number") == n), None)

    def father(self, p: dict[str, Any], members: list[Any]) -> dict[str, Any] | None:
        n = p.get("father_id_number")
        return next((m for m in members if n and m.get("id_number") == n), None)

    def pick(self, members: list[Any], pred: Callable[[dict[str, Any]], bool]) -> dict[str, Any] | None:
        hits = [m for m in members if pred(m)]
        return self.rng.choice(hits) if hits else None


def _leaf(m: dict[str, Any]) -> bool:
    """A child of the household: nobody else's record refers to its ID number."""
    return m["relation"][:1] in "234" and m["relation"] not in ("28", "38") and not m.get("spouse_name")


def _married(m: dict[str, Any]) -> bool:
    return m.get("marital_status") in ("20", "21", "22", "23") and bool(m.get("first_marriage_date"))


def _head(members: list[Any]) -> dict[str, Any] | None:
    return next((m for m in members if m["relation"] == "02"), None)


# ---- ID number -------------------------------------------------------------------------------
def id_format(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    p = ij.pick(members, _leaf)
    if not p:
        return None
    p["id_number"] = ij.rng.choice(("T", "G", "Y")) + p["id_number"][1:] if ij.rng.random() < 0.5 else p["id_number"][:17]
    return p, ["ID_FORMAT"]


def id_checksum(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    p = ij.pick(members, lambda m: True)
    if not p or any(m.get("mother_id_number") == p["id_number"] or m.get("father_id_number") == p["id_number"]
                    for m in members):
        p = ij.pick(members, _leaf)
    if not p:
        return None
    n = p["id_number"]
    wrong = ij.rng.choice([c for c in "0123456789X" if c != n[17]])
    p["id_number"] = n[:17] + wrong
    return p, ["ID_CHECKSUM"]


def id_date(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    p = ij.pick(members, _leaf)
    if not p:
        return None
    b = _d(p)
    first17 = f"{p['id_number'][:6]}{b.year}{ij.rng.choice(('13', '00', '14'))}{b.day:02d}{p['id_number'][14:17]}"
    p["id_number"] = first17 + id_check_char(first17)
    return p, ["ID_DATE"]


def id_province(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    p = ij.pick(members, _leaf)
    if not p:
        return None
    first17 = ij.rng.choice(("96", "27", "39")) + p["id_number"][2:17]
    p["id_number"] = first17 + id_check_char(first17)
    return p, ["ID_PROVINCE"]


def id_region_unknown(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    p = ij.pick(members, _leaf)
    if not p:
        return None
    p["id_number"] = make_id_number(ij.pop.county.code[:4] + "99", _d(p), int(p["id_number"][14:17]))
    return p, ["ID_REGION_UNKNOWN"]


def id_placeholder(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    p = ij.pick(members, _leaf)
    if not p:
        return None
    b = _d(p)
    p["id_number"] = ij.rng.choice((f"000000{b:%Y%m%d}0000", "111111111111111111", "000000000000000000"))
    return p, ["ID_PLACEHOLDER"]


def id_scientific(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    p = ij.pick(members, lambda m: True)
    if not p or not p["id_number"][:7].isdigit():
        return None
    n = p["id_number"]
    p["id_number"] = f"{n[0]}.{n[1:6]}E+17"
    return p, ["ID_SCIENTIFIC"]


def id_converted_15(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    p = ij.pick(members, lambda m: _d(m).year < 1970 and not any(
        x.get("mother_id_number") == m["id_number"] or x.get("father_id_number") == m["id_number"]
        or x.get("spouse_id_number") == m["id_number"] for x in members))
    if not p:
        return None
    b = _d(p)
    p["id_number"] = f"{p['id_number'][:6]}{b:%y%m%d}{p['id_number'][14:17]}"
    return p, ["ID_CONVERTED_15"]


def id_birth_mismatch(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    p = ij.pick(members, _leaf)
    if not p:
        return None
    b = _d(p)
    shift = ij.rng.choice((1, 2, 10, 31, -1, -3, -30))
    nb = min(b + timedelta(days=shift), ij.today - timedelta(days=1))
    if nb == b:
        nb = b - timedelta(days=2)
    p["birth_date"] = nb.isoformat()
    return p, ["ID_BIRTH_MISMATCH"]


def id_sex_mismatch(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    p = ij.pick(members, _leaf)
    if not p:
        return None
    ij.pop.used_ids.discard(p["id_number"])
    p["id_number"] = ij.pop.new_id_number(ij.region(p), _d(p), "2" if p["sex"] == "1" else "1")
    return p, ["ID_SEX_MISMATCH"]


# ---- required fields ---------------------------------------------------------------------------
def _drop(field: str, code: str, pred: Callable[[dict[str, Any]], bool]=_leaf) -> Inject:
    def inject(ij: Injector, members: list[dict[str, Any]]) -> Injected:
        p = ij.pick(members, pred)
        if not p:
            return None
        p.pop(field, None)
        return p, [code]
    inject.__name__ = f"drop_{field}"
    return inject


def req_marital(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    p = ij.pick(members, lambda m: ij.age(m) >= 15 and not _married(m) and _leaf(m))
    if not p:
        return None
    p.pop("marital_status", None)
    return p, ["REQ_MARITAL"]


def req_id_number(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    p = ij.pick(members, _leaf)
    if not p:
        return None
    p.pop("id_number", None)
    p.pop("id_missing_reason", None)
    return p, ["REQ_ID_NUMBER"]


def req_first_marriage(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    p = ij.pick(members, _married)
    if not p:
        return None
    p.pop("first_marriage_date", None)
    p.pop("marital_change_date", None)
    return p, ["REQ_FIRST_MARRIAGE_DATE"]


def name_placeholder_age(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    p = ij.pick(members, lambda m: _leaf(m) and 7 <= ij.age(m) < 18)
    if not p:
        return None
    p["name"] = ij.rng.choice(("未取名", "男婴" if p["sex"] == "1" else "女婴"))
    return p, ["NAME_PLACEHOLDER_AGE"]


def req_place(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    p = ij.pick(members, _leaf)
    if not p:
        return None
    p.pop("residence_place", None)
    return p, ["REQ_PLACE"]


def place_level(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    p = ij.pick(members, _leaf)
    if not p:
        return None
    p["residence_place"] = p["residence_place"][:9] + "000"
    return p, ["PLACE_LEVEL"]


# ---- codes --------------------------------------------------------------------------------------
def code_invalid(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    field, value = ij.rng.choice((("ethnicity", "60"), ("ethnicity", "99"), ("marital_status", "25"),
                                  ("education", "55"), ("hukou_type", "7"), ("id_type", "09"),
                                  ("relation", "19"), ("sex", "3"),
                                  ("education_system", "1990")))
    pred = (lambda m: _leaf(m) and "education" in m) if field.startswith("education") else _leaf
    p = ij.pick(members, pred)
    if not p:
        return None
    p[field] = value
    return p, ["CODE_INVALID"]


def place_format(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    p = ij.pick(members, _leaf)
    if not p:
        return None
    p["residence_place"] = p["residence_place"][:10]
    return p, ["PLACE_FORMAT"]


def place_not_current(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    p = ij.pick(members, _leaf)
    if not p:
        return None
    p["residence_place"] = p["residence_place"][:9] + "597"
    return p, ["PLACE_NOT_CURRENT"]


def hukou_place_unknown(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    p = ij.pick(members, _leaf)
    if not p:
        return None
    p["hukou_place"] = p["hukou_place"][:9] + "599"
    return p, ["HUKOU_PLACE_UNKNOWN"]


# ---- names --------------------------------------------------------------------------------------
def name_chars(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    p = ij.pick(members, _leaf)
    if not p:
        return None
    name = p["name"]
    bad = ij.rng.choice(("a", "2", "?", "B"))
    p["name"] = name[:1] + bad + name[1:]
    return p, ["NAME_CHARS"]


def name_length(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    p = ij.pick(members, _leaf)
    if not p:
        return None
    p["name"] = p["name"][:1] if ij.rng.random() < 0.5 else p["name"] + "阿依古丽娜"
    return p, ["NAME_LENGTH"]


def name_traditional(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    p = ij.pick(members, lambda m: _leaf(m) and any(c in TRADITIONAL for c in m["name"]))
    if not p:
        return None
    i = next(i for i, c in enumerate(p["name"]) if c in TRADITIONAL)
    p["name"] = p["name"][:i] + TRADITIONAL[p["name"][i]] + p["name"][i + 1:]
    return p, ["NAME_TRADITIONAL"]


def name_private_use(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    p = ij.pick(members, _leaf)
    if not p:
        return None
    p["name"] = p["name"][:-1] + chr(0xE000 + ij.rng.randrange(0x800))
    return p, ["NAME_PRIVATE_USE"]


# ---- dates --------------------------------------------------------------------------------------
def date_format(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    p = ij.pick(members, _married)
    if not p:
        return None
    d = _d(p, "first_marriage_date")
    p["first_marriage_date"] = ij.rng.choice((f"{d.year}-02-30", f"{d.year}-13-{d.day:02d}", f"{d.year}年{d.month}月"))
    return p, ["DATE_FORMAT"]


def date_future(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    p = ij.pick(members, _married)
    if not p:
        return None
    # Over a year ahead: still in the future when a class uses the data months after `today`.
    p["marital_change_date"] = (ij.today + timedelta(days=ij.rng.randrange(400, 1500))).isoformat()
    return p, ["DATE_FUTURE"]


def date_order(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    p = ij.pick(members, _married)
    if not p:
        return None
    p["marital_change_date"] = (_d(p, "first_marriage_date") - timedelta(days=ij.rng.randrange(200, 1500))).isoformat()
    return p, ["DATE_ORDER"]


def _old(years: int, code: str) -> Inject:
    def inject(ij: Injector, members: list[dict[str, Any]]) -> Injected:
        if len(members) != 1 or members[0]["relation"] != "02":
            return None
        p = members[0]
        b = add_years(ij.today, -(years + ij.rng.random() * 3))
        ij.renumber(p, birth=b)
        return p, [code]
    inject.__name__ = f"age_{code}"
    return inject


def event_after_death(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    p = ij.pick(members, lambda m: m["relation"] in ("51", "52") and bool(m.get("marital_change_date")))
    if not p:
        return None
    p["death_date"] = (_d(p, "marital_change_date") - timedelta(days=ij.rng.randrange(100, 2000))).isoformat()
    p["status"] = "dead"
    return p, ["EVENT_AFTER_DEATH"]


# ---- marriage ------------------------------------------------------------------------------------
def marriage_early(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    p = ij.pick(members, _married)
    if not p:
        return None
    min_age = 20 if p["sex"] == "2" else 22
    when = add_years(_d(p), min_age - 1.5 - ij.rng.random())
    p["first_marriage_date"] = when.isoformat()
    if p.get("marital_change_date") and _d(p, "marital_change_date") < when:
        p["marital_change_date"] = when.isoformat()
    if p.get("marital_status") in ("20", "21"):
        p["marital_change_date"] = when.isoformat()
    return p, ["MARRIAGE_EARLY"]


def marriage_under_15(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    p = ij.pick(members, lambda m: _leaf(m) and 4 <= ij.age(m) < 13)
    if not p:
        return None
    p["marital_status"] = "20"
    return p, ["MARRIAGE_UNDER_15"]


def first_marriage_under_15(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    p = ij.pick(members, _married)
    if not p:
        return None
    when = add_years(_d(p), 13 + ij.rng.random())
    p["first_marriage_date"] = when.isoformat()
    if p.get("marital_status") in ("20", "21"):
        p["marital_change_date"] = when.isoformat()
    return p, ["FIRST_MARRIAGE_UNDER_15"]


def spouse_of_head(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    p = ij.pick(members, lambda m: m["relation"] in ("10", "11", "12"))
    if not p:
        return None
    p["marital_status"] = "10"
    return p, ["SPOUSE_OF_HEAD"]


def spouse_of_head_sex(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    p = ij.pick(members, lambda m: m["relation"] in ("10", "11", "12"))
    if not p:
        return None
    p["relation"] = "10"
    ij.pop.used_ids.discard(p["id_number"])
    ij.renumber(p, sex="2" if p["sex"] == "1" else "1")
    p["sex"] = "2" if p["sex"] == "1" else "1"
    return p, ["SPOUSE_OF_HEAD_SEX"]


# ---- household ----------------------------------------------------------------------------------
def hh_no_head(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    head = _head(members)
    if not head or len(members) < 2 or any(m["relation"] in ("10", "11", "12") for m in members):
        return None
    head["relation"] = ij.rng.choice(("99", "97"))
    return head, ["HH_NO_HEAD"]


def hh_multi_head(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    p = ij.pick(members, lambda m: _leaf(m) and ij.age(m) >= 18)
    if not p:
        return None
    p["relation"] = "02"
    return p, ["HH_MULTI_HEAD"]


def hh_multi_spouse(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    if not any(m["relation"] in ("10", "11", "12") for m in members):
        return None
    p = ij.pick(members, lambda m: m["relation"] == "38")
    if not p:
        return None
    p["relation"] = "12"
    return p, ["HH_MULTI_SPOUSE"]


def hh_relation_sex(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    p = ij.pick(members, lambda m: _leaf(m) and m["relation"] in ("20", "22", "30"))
    if not p:
        return None
    p["relation"] = {"20": "30", "22": "32", "30": "20"}[p["relation"]]
    return p, ["HH_RELATION_SEX"]


def hh_generation_gap(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    p = ij.pick(members, lambda m: m["relation"] in ("11", "12"))
    if not p:
        return None
    p["relation"] = "30" if p["sex"] == "2" else "20"
    return p, ["HH_GENERATION_GAP"]


def hh_dead_head(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    head = _head(members)
    if not head or len(members) < 2:
        return None
    head["death_date"] = (ij.today - timedelta(days=ij.rng.randrange(60, 700))).isoformat()
    head["status"] = "dead"
    return head, ["HH_DEAD_HEAD"]


# ---- parents ------------------------------------------------------------------------------------
def _child_with(ij: Injector, members: list[dict[str, Any]], role: str
                ) -> tuple[dict[str, Any], dict[str, Any]] | None:
    find = ij.mother if role == "mother" else ij.father
    kids = [(m, par) for m in members if _leaf(m) and (par := find(m, members)) is not None]
    return ij.rng.choice(kids) if kids else None


def _rebirth(ij: Injector, child: dict[str, Any], parent: dict[str, Any], years: float) -> bool:
    b = add_years(_d(parent), years)
    if b >= ij.today - timedelta(days=30):
        return False
    ij.pop.used_ids.discard(child["id_number"])
    ij.renumber(child, birth=b)
    return True


def mother_age_w(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    found = _child_with(ij, members, "mother")
    if found is None:
        return None
    child, mother = found
    if not _rebirth(ij, child, mother, 13.2 + ij.rng.random() * 1.5):
        return None
    return child, ["PARENT_MOTHER_AGE_W"]


def mother_age_e(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    found = _child_with(ij, members, "mother")
    if found is None:
        return None
    child, mother = found
    young = ij.rng.random() < 0.6 or ij.age(mother) < 62
    if not _rebirth(ij, child, mother, (10.2 + ij.rng.random() * 1.5) if young else 61.2):
        return None
    return child, ["PARENT_MOTHER_AGE_E"]


def father_age(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    found = _child_with(ij, members, "father")
    if found is None:
        return None
    child, father = found
    if not _rebirth(ij, child, father, 14.2 + ij.rng.random() * 1.5):
        return None
    return child, ["PARENT_FATHER_AGE"]


def parent_sex(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    # 父母信息填反: the child's mother and father fields were typed into each other's boxes.
    kids = [m for m in members if _leaf(m) and ij.mother(m, members) and ij.father(m, members)]
    if not kids:
        return None
    child = ij.rng.choice(kids)
    for a, b in (("mother_name", "father_name"), ("mother_id_number", "father_id_number")):
        child[a], child[b] = child[b], child[a]
    return child, ["PARENT_SEX"]


def parent_birth_interval(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    kids = sorted((m for m in members if _leaf(m) and m.get("mother_id_number")), key=lambda m: m["birth_date"])
    for a, b in zip(kids, kids[1:]):
        if a["mother_id_number"] == b["mother_id_number"]:
            nb = _d(a) + timedelta(days=ij.rng.randrange(60, 170))
            if nb >= ij.today:
                continue
            ij.pop.used_ids.discard(b["id_number"])
            ij.renumber(b, birth=nb)
            return b, ["PARENT_BIRTH_INTERVAL"]
    return None


def parent_dead(ij: Injector, members: list[dict[str, Any]]) -> Injected:
    # The child is linked to the wrong mother: the head's mother, who died before it was born.
    grandma = next((m for m in members if m["relation"] == "52" and m.get("marital_change_date")), None)
    if grandma is None:
        return None
    widowed = _d(grandma, "marital_change_date")
    kids = [m for m in members if _leaf(m) and ij.mother(m, members) and (_d(m) - widowed).days > 120]
    if not kids:
        return None
    child = ij.rng.choice(kids)
    death = _d(child) - timedelta(days=ij.rng.randrange(30, min(900, (_d(child) - widowed).days)))
    grandma["death_date"] = death.isoformat()
    grandma["status"] = "dead"
    child["mother_name"] = grandma["name"]
    child["mother_id_number"] = grandma["id_number"]
    return child, ["PARENT_DEAD"]


# (injection, weight): common real-world problems weigh more.
CATALOG: tuple[tuple[Inject, int], ...] = (
    (id_format, 2), (id_checksum, 5), (id_date, 1), (id_province, 1), (id_region_unknown, 1),
    (id_placeholder, 2), (id_scientific, 1), (id_converted_15, 1), (id_birth_mismatch, 4),
    (id_sex_mismatch, 2),
    (_drop("relation", "REQ_RELATION"), 1), (_drop("name", "REQ_NAME"), 1),
    (_drop("sex", "REQ_SEX"), 1), (_drop("birth_date", "REQ_BIRTH_DATE"), 1),
    (_drop("ethnicity", "REQ_ETHNICITY"), 2), (_drop("hukou_type", "REQ_HUKOU_TYPE"), 2),
    (req_marital, 3), (req_id_number, 2), (req_first_marriage, 3), (name_placeholder_age, 2),
    (req_place, 1), (place_level, 1),
    (code_invalid, 3), (place_format, 1), (place_not_current, 1), (hukou_place_unknown, 1),
    (name_chars, 1), (name_length, 1), (name_traditional, 2), (name_private_use, 1),
    (date_format, 1), (date_future, 1), (date_order, 1),
    (_old(111, "AGE_OVER_110"), 1), (_old(127, "AGE_OVER_125"), 1), (event_after_death, 1),
    (marriage_early, 2), (marriage_under_15, 1), (first_marriage_under_15, 1),
    (spouse_of_head, 1), (spouse_of_head_sex, 1),
    (hh_no_head, 1), (hh_multi_head, 1), (hh_multi_spouse, 1), (hh_relation_sex, 2),
    (hh_generation_gap, 1), (hh_dead_head, 1),
    (mother_age_w, 1), (mother_age_e, 1), (father_age, 1), (parent_sex, 1),
    (parent_birth_interval, 1), (parent_dead, 1),
)


# ---- a second problem on the same record -------------------------------------------------------
# Real records often break more than one rule. Each of these touches one field; it is added only
# when the first problem's rule does not concern that field (so neither hides the other).
def _second_ethnicity(ij: Injector, p: dict[str, Any]) -> str | None:
    if not p.get("ethnicity"):
        return None
    p.pop("ethnicity")
    return "REQ_ETHNICITY"


def _second_hukou_type(ij: Injector, p: dict[str, Any]) -> str | None:
    if not p.get("hukou_type"):
        return None
    p.pop("hukou_type")
    return "REQ_HUKOU_TYPE"


def _second_education(ij: Injector, p: dict[str, Any]) -> str | None:
    if not p.get("education") or p.get("education_system") != "2006":
        return None
    p["education"] = ij.rng.choice(("55", "18a", "99"))
    return "CODE_INVALID"


def _second_traditional(ij: Injector, p: dict[str, Any]) -> str | None:
    name = p.get("name") or ""
    i = next((i for i, c in enumerate(name) if c in TRADITIONAL), None)
    if i is None:
        return None
    p["name"] = name[:i] + TRADITIONAL[name[i]] + name[i + 1:]
    return "NAME_TRADITIONAL"


# (field it touches, injection)
SECOND = (("ethnicity", _second_ethnicity), ("hukou_type", _second_hukou_type),
          ("education", _second_education), ("name", _second_traditional))


def add_second_problem(ij: Injector, p: dict[str, Any], codes: list[str]) -> list[str]:
    """codes plus the code of a second problem put on p, if one fits (else codes unchanged)."""
    from client.domain.rules import RULES_BY_CODE

    touched = {f for code in codes for f in (RULES_BY_CODE[code].fields if code in RULES_BY_CODE else ())}
    if any(code.startswith("NAME_") or code == "REQ_NAME" for code in codes):
        touched.add("name")
    options = list(SECOND)
    ij.rng.shuffle(options)
    for field, second in options:
        if field in touched:
            continue
        code = second(ij, p)
        if code:
            return codes if code in codes else codes + [code]
    return codes
