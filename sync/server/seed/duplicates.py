"""Suspected-duplicate groups for every pattern of DOMAIN.md, plus twins and a 重号 pair that must not merge.

The extra records are stored as persons like any other (a second registration in another household,
a re-entered child without an ID number, a typo in the number...).
"""

from __future__ import annotations

from collections.abc import Callable

from typing import TYPE_CHECKING, Any

from datetime import date, timedelta

from sync.server.seed.errors import TRADITIONAL
from sync.server.seed.names import HOMOPHONE_GIVEN, HOMOPHONE_SURNAMES, pick_given, pick_surname
from sync.server.seed.population import age_at

if TYPE_CHECKING:  # cases.py imports this module where it makes duplicates
    from sync.server.seed.cases import CaseMaker

# (pattern, weight, three-member share)
PATTERNS = (("same_id", 20, 0.2), ("id_typo", 18, 0.0), ("same_mother", 15, 0.2),
            ("no_id_same_village", 15, 0.0), ("homophone", 16, 0.0), ("twins", 8, 0.0),
            ("chonghao", 8, 0.0))
_SHAPE_NAMES = (("克己", "克已"), ("修己", "修已"), ("正己", "正已"), ("末", "未"))
_HOMO_SUR = dict(HOMOPHONE_SURNAMES)
_HOMO_GIVEN = dict(HOMOPHONE_GIVEN)
_PRIVATE = ("household_id", "person_id")


Group = tuple[list[dict[str, Any]], dict[str, Any]]  # the records of one case and its extra fields


class _Dups:
    def __init__(self, mk: CaseMaker) -> None:
        self.mk = mk
        self.rng = mk.rng
        self.pop = mk.pop
        self.today = mk.today

    def age(self, p: dict[str, Any]) -> int:
        return age_at(date.fromisoformat(p["birth_date"]), self.today)

    def is_child(self, p: dict[str, Any], members: list[Any]) -> bool:
        return (p["relation"][:1] in "234" and p["relation"] not in ("28", "38") and not p.get("spouse_name")
                and any(m.get("id_number") == p.get("mother_id_number") for m in members))

    def is_active_adult(self, p: dict[str, Any], members: list[Any]) -> bool:
        return self.age(p) >= 18 and p.get("status") == "active"

    def clone(self, p: dict[str, Any], hh: dict[str, Any], relation: str | None = None) -> dict[str, Any]:
        d = dict(p)
        d["person_id"] = self.pop.next_person_id()
        d["household_id"] = hh["household_id"]
        if relation:
            d["relation"] = relation
        if hh["place"] != p["hukou_place"]:
            d.update(hukou_place=hh["place"], hukou_address=hh["address"], residence_place=hh["place"],
                     residence_address=hh["address"], managing_place=hh["place"])
        d["registered_at"] = self.pop.stamp(date.fromisoformat(p["birth_date"]) + timedelta(days=1))
        d["updated_at"] = d["registered_at"]
        d.pop("birth_cert_number", None)
        self.pop.persons.append(d)
        self.pop.members[hh["household_id"]].append(d)
        return d

    def other_household(self, not_place: str | None = None, same_place: str | None = None) -> dict[str, Any]:
        """A new household (for a second registration), in another village or in same_place."""
        if same_place:
            village = self.pop.county_village(same_place)
        else:
            village = self.pop.village()
            for _ in range(20):
                if village.code != not_place:
                    break
                village = self.pop.village()
        hh, _ = self.pop.new_household(village)
        hh["_kind"] = "duplicate"
        self.mk.tainted.add(hh["household_id"])
        return hh

    def as_head(self, d: dict[str, Any]) -> None:
        """A record alone in its own household: head, no spouse on file."""
        d["relation"] = "02"
        for k in ("spouse_name", "spouse_id_number"):
            d.pop(k, None)

    def without_id(self, d: dict[str, Any]) -> None:
        d.pop("id_number", None)
        d["id_missing_reason"] = self.rng.choice(("无证", "待落户"))

    def find(self, start: int, pred: Callable[[dict[str, Any], list[dict[str, Any]]], bool],
             township: str | None = None
             ) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any]] | None:
        for hh in self.mk.free_households(start, township):
            members = self.pop.members[hh["household_id"]]
            hits = [m for m in members if pred(m, members)]
            if hits:
                return hh, members, self.rng.choice(hits)
        return None

    # ---- patterns ------------------------------------------------------------------------------
    def same_id(self, p: dict[str, Any], hh: dict[str, Any], members: list[dict[str, Any]], three: bool) -> Group:
        out = [p]
        for _ in range(2 if three else 1):
            other = self.other_household(not_place=hh["place"])
            d = self.clone(p, other)
            self.as_head(d)
            n = p["id_number"]
            style = self.rng.random()
            if style < 0.2:
                d["id_number"] = f"{n[:6]} {n[6:14]} {n[14:]}"
            elif style < 0.3 and n.endswith("X"):
                d["id_number"] = n[:17] + "x"
            d["hukou_type"] = self.rng.choice(("1", "2"))
            out.append(d)
        return out, {}

    def id_typo(self, p: dict[str, Any], hh: dict[str, Any], members: list[dict[str, Any]], three: bool) -> Group:
        n = p["id_number"]
        digits = list(n)
        if self.rng.random() < 0.5:
            for _ in range(10):
                i = self.rng.randrange(6, 16)  # swap two neighbours among the first 17 digits
                if digits[i] != digits[i + 1]:
                    digits[i], digits[i + 1] = digits[i + 1], digits[i]
                    break
            typo, how = "".join(digits), "swap"
        else:
            i = self.rng.choice((6, 7, 10, 11, 12, 13, 14, 15))
            digits[i] = self.rng.choice([c for c in "0123456789" if c != n[i]])
            typo, how = "".join(digits), "substitution"
        if typo == n:  # all candidate neighbours equal: fall back to a substitution
            digits = list(n)
            digits[15] = "1" if n[15] != "1" else "2"
            typo, how = "".join(digits), "substitution"
        if self.is_child(p, members):
            d = self.clone(p, hh)
        else:
            d = self.clone(p, self.other_household(not_place=hh["place"]))
            self.as_head(d)
        d["id_number"] = typo
        return [p, d], {"typo": how}

    def grandparents(self, p: dict[str, Any], hh: dict[str, Any]) -> dict[str, Any] | None:
        """A free household in another village whose head could be the child's grandparent."""
        b = date.fromisoformat(p["birth_date"])
        for other in self.mk.free_households(self.rng.randrange(len(self.mk.order))):
            if other["place"] == hh["place"]:
                continue
            head = next((m for m in self.pop.members[other["household_id"]] if m["relation"] == "02"), None)
            if head and 40 <= age_at(date.fromisoformat(head["birth_date"]), b) <= 75:
                self.mk.tainted.add(other["household_id"])
                return other
        return None

    def same_mother(self, p: dict[str, Any], hh: dict[str, Any], members: list[dict[str, Any]], three: bool) -> Group:
        out = [p]
        # Half the time the second record is at the grandparents' in another village (the child was
        # registered there too), so only the mother links the records, not the village.
        elsewhere = None if three or self.rng.random() < 0.5 else self.grandparents(p, hh)
        for k in range(2 if three else 1):
            d = self.clone(p, elsewhere or hh)
            if elsewhere:
                d["relation"] = "41" if d["sex"] == "1" else "42"
            self.without_id(d)
            name = p["name"]
            if k == 0 and self.rng.random() < 0.5:
                # Same after normalization: a space typed in, or a traditional character.
                i = next((i for i, c in enumerate(name) if c in TRADITIONAL), None)
                d["name"] = (name[:i] + TRADITIONAL[name[i]] + name[i + 1:]) if i is not None else name[:1] + " " + name[1:]
            out.append(d)
        return out, {}

    def no_id_same_village(self, p: dict[str, Any], hh: dict[str, Any], members: list[dict[str, Any]], three: bool) -> Group:
        other = self.other_household(same_place=hh["place"])
        d = self.clone(p, other)
        self.as_head(d)
        self.without_id(d)
        for k in ("mother_name", "mother_id_number", "father_name", "father_id_number"):
            d.pop(k, None)
        return [p, d], {}

    def homophone(self, p: dict[str, Any], hh: dict[str, Any], members: list[dict[str, Any]], three: bool, shape: bool = False) -> Group:
        name = p["name"]
        kind = "homophone"
        if shape or self.rng.random() < 0.25:
            good, bad = self.rng.choice(_SHAPE_NAMES)
            p["name"] = name[:1] + good
            variant = name[:1] + bad
            kind = "shape"
        elif name[:1] in _HOMO_SUR and self.rng.random() < 0.6:
            variant = _HOMO_SUR[name[:1]] + name[1:]
        else:
            i = next((i for i, c in enumerate(name) if i > 0 and c in _HOMO_GIVEN), None)
            if i is None:
                # Give the original a name with a character that has a common homophone.
                src = self.rng.choice(list(_HOMO_GIVEN))
                p["name"] = name[:1] + src + (name[2:] if len(name) > 2 else "")
                i = 1
            variant = p["name"][:i] + _HOMO_GIVEN[p["name"][i]] + p["name"][i + 1:]
        d = self.clone(p, hh)
        d["name"] = variant
        self.without_id(d)
        return [p, d], {"name_kind": kind}

    def twins(self, p: dict[str, Any], hh: dict[str, Any], members: list[dict[str, Any]], three: bool) -> Group:
        sex = self.rng.choice(("1", "2"))
        b = date.fromisoformat(p["birth_date"])
        t = self.clone(p, hh)
        t["sex"] = sex
        base = p["relation"]
        boy, girl = (("41", "42") if base in ("41", "42") else ("43", "44") if base in ("43", "44")
                     else ("20", "30"))
        t["relation"] = boy if sex == "1" else girl
        surname = p["name"][:1]
        # A clearly different given name (no shared character), or the pair would look like one
        # person typed twice rather than twins.
        t["name"] = surname + pick_given(self.rng, sex, b.year)
        while set(t["name"][1:]) & set(p["name"][1:]):
            t["name"] = surname + pick_given(self.rng, sex, b.year)
        t["id_number"] = self.pop.new_id_number(p["id_number"][:6], b, sex)
        if p.get("birth_cert_number"):
            t["birth_cert_number"] = self.pop.new_cert_number()
        return [p, t], {}

    def chonghao(self, p: dict[str, Any], hh: dict[str, Any], members: list[dict[str, Any]], three: bool) -> Group:
        other = self.other_household(not_place=hh["place"])
        c = self.clone(p, other)
        self.as_head(c)
        b = date.fromisoformat(p["birth_date"])
        nb = b + timedelta(days=self.rng.choice((-1, 1)) * self.rng.randrange(40, 3000))
        nb = min(nb, self.today - timedelta(days=6000))
        c["birth_date"] = nb.isoformat()
        c["name"] = pick_surname(self.rng) + pick_given(self.rng, c["sex"], nb.year)
        for k in ("mother_name", "mother_id_number", "father_name", "father_id_number"):
            c.pop(k, None)
        return [p, c], {}

    # ---- driver --------------------------------------------------------------------------------
    def make(self, count: int) -> None:
        rng, mk = self.rng, self.mk
        variants: list[tuple[str, object]] = [(name, False) for name, _, _ in PATTERNS]
        variants += [("same_id", True), ("same_mother", True), ("homophone", "shape")]
        plan = [(v, t) for v, t in mk.coverage(variants, count)]
        names = [n for n, _, _ in PATTERNS]
        weights = [w for _, w, _ in PATTERNS]
        shares = {n: s for n, _, s in PATTERNS}
        while len(plan) < count:
            name = rng.choices(names, weights=weights)[0]
            plan.append(((name, rng.random() < shares[name]), None))
        needs_child = {"same_mother", "homophone", "twins"}
        for (name, three), township in plan:
            pred: Callable[[dict[str, Any], list[dict[str, Any]]], bool] = (
                self.is_child if name in needs_child else self.is_active_adult)
            size = len(mk.order) if township is None else len(mk.by_township[township])
            found = self.find(rng.randrange(size), pred, township)
            if not found:
                continue
            hh, members, p = found
            mk.tainted.add(hh["household_id"])
            if three == "shape":
                group, extra = self.homophone(p, hh, members, False, shape=True)
            else:
                group, extra = getattr(self, name)(p, hh, members, three)
            case = {"id": mk._case_id("duplicates"), "kind": "duplicates",
                    "member_ids": [m["person_id"] for m in group], "pattern": name, "_place": hh["place"],
                    "_cover": township is not None}
            case.update(extra)
            mk.cases.append(case)


def make_duplicates(mk: CaseMaker, count: int) -> None:
    _Dups(mk).make(count)
