"""Reproducible training data: a real Shaanxi county with households, births, injected errors and duplicates.

`generate_demo(seed_value, people, county)` returns a DemoDataset (INTERFACES.md "Demo data"); the
server's loader stores it. Everything is drawn from one random.Random(seed) in a fixed order, so the
same seed gives the same dataset on every machine and Python run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the rule engine is imported where it is used
    from client.domain.rules import RuleContext

import random
from dataclasses import dataclass, field
from datetime import date

from sync.server.seed.accounts import make_accounts, township_username
from sync.server.seed.places import load_county
from sync.server.seed.population import Population

DEFAULT_TODAY = date(2026, 11, 1)

# Shares of the population that become cases (of `people`).
ERROR_SHARE = 0.03
BIRTH_SHARE = 0.01
DUPLICATE_SHARE = 0.006
MAX_PEOPLE = 2_000_000  # a large prefecture; beyond that generation takes minutes and gigabytes
COUNTY_SHARE = 0.05  # of the cases outside the coverage sets: assigned to the county worker instead of a township worker


@dataclass
class DemoDataset:
    county_code: str
    persons: list[dict[str, Any]] = field(default_factory=list)
    households: list[dict[str, Any]] = field(default_factory=list)
    cases: list[dict[str, Any]] = field(default_factory=list)
    accounts: list[dict[str, Any]] = field(default_factory=list)
    seed_value: str = ""
    today: date = DEFAULT_TODAY

    def __post_init__(self) -> None:
        self._by_id: dict[str, dict[str, Any]] | None = None
        self._by_household: dict[str, list[dict[str, Any]]] | None = None
        self._hh: dict[str, dict[str, Any]] | None = None

    def _index(self) -> tuple[dict[str, dict[str, Any]], dict[str, list[dict[str, Any]]]]:
        """(persons by id, members by household), built on first use."""
        if self._by_id is None or self._by_household is None:
            by_household: dict[str, list[dict[str, Any]]] = {}
            for p in self.persons:
                by_household.setdefault(p["household_id"], []).append(p)
            self._by_id = {p["person_id"]: p for p in self.persons}
            self._by_household = by_household
        return self._by_id, self._by_household

    def person(self, person_id: str) -> dict[str, Any]:
        return self._index()[0][person_id]

    def households_by_id(self) -> dict[str, dict[str, Any]]:
        if self._hh is None:
            self._hh = {h["household_id"]: h for h in self.households}
        return self._hh

    def members(self, household_id: str) -> list[dict[str, Any]]:
        return self._index()[1].get(household_id, [])

    def context_of(self, person_id: str) -> dict[str, Any]:
        """The rule context of a person: the other household members, mother and father (or None).

        Parents are found in the person's household by ID number, then by name.
        """
        p = self.person(person_id)
        others = [m for m in self.members(p["household_id"]) if m["person_id"] != person_id]

        def find(name_key: str, id_key: str) -> dict[str, Any] | None:
            number, name = p.get(id_key), p.get(name_key)
            if number:
                hit = next((m for m in others if m.get("id_number") == number), None)
                if hit:
                    return hit
            if name:
                return next((m for m in others if m.get("name") == name), None)
            return None

        return {"household": others, "mother": find("mother_name", "mother_id_number"),
                "father": find("father_name", "father_id_number")}

    def siblings(self, person: dict[str, Any]) -> list[dict[str, Any]]:
        """Other registered children of the person's mother (same mother ID number), any household."""
        number = person.get("mother_id_number")
        if not number:
            return []
        if getattr(self, "_by_mother", None) is None:
            self._by_mother: dict[str, list[dict[str, Any]]] = {}
            for p in self.persons:
                if p.get("mother_id_number"):
                    self._by_mother.setdefault(p["mother_id_number"], []).append(p)
        return [p for p in self._by_mother.get(number, []) if p.get("person_id") != person.get("person_id")]

    def used_cert_numbers(self) -> frozenset[str]:
        return frozenset(p["birth_cert_number"] for p in self.persons if p.get("birth_cert_number"))

    def rule_context(self, person_id: str, today: date | None = None) -> RuleContext:
        """client.domain.rules.RuleContext for validating a stored person the way the platform did."""
        from client.domain.models import Person
        from client.domain.rules import RuleContext

        ctx = self.context_of(person_id)
        as_person = Person.from_dict
        return RuleContext(today=today or self.today, household=[as_person(m) for m in ctx["household"]],
                           mother=as_person(ctx["mother"]) if ctx["mother"] else None,
                           father=as_person(ctx["father"]) if ctx["father"] else None,
                           existing_children=[as_person(m) for m in self.siblings(self.person(person_id))])

    def birth_context(self, case: dict[str, Any], used_cert_numbers: frozenset[str] | None = None,
                      today: date | None = None) -> RuleContext:
        """RuleContext for validate_birth(case["certificate"], case["proposed"], context)."""
        from client.domain.models import Person
        from client.domain.rules import RuleContext

        mother = self.person(case["mother_id"])
        father = self.person(case["father_id"]) if case.get("father_id") else None
        kids = [Person.from_dict(p) for p in self.siblings({"mother_id_number": mother["id_number"]})]
        return RuleContext(today=today or self.today,
                           household=[Person.from_dict(m) for m in self.members(case["household_ids"][0])],
                           mother=Person.from_dict(mother), father=Person.from_dict(father) if father else None,
                           existing_children=kids,
                           used_cert_numbers=used_cert_numbers if used_cert_numbers is not None else self.used_cert_numbers())


def generate_demo(seed_value: str = "hecha", people: int = 30000, county: str = "610424",
                  today: date = DEFAULT_TODAY) -> DemoDataset:
    """The demo dataset for a seed: about `people` persons in `county` (a Shaanxi county code)."""
    if not isinstance(people, int) or not 1 <= people <= MAX_PEOPLE:
        raise ValueError(f"演示人口数应在 1 到 {MAX_PEOPLE} 之间，收到 {people!r}")
    rng = random.Random(f"hecha-demo:{seed_value}")
    place = load_county(county)
    pop = Population(rng, place, today)
    pop.build(people)
    accounts = make_accounts(random.Random(f"hecha-accounts:{seed_value}"), place)

    from sync.server.seed.cases import CaseMaker  # after the population: it draws from the same rng
    maker = CaseMaker(rng, pop, today)
    maker.errors(max(1, round(people * ERROR_SHARE)))
    maker.births(max(1, round(people * BIRTH_SHARE)))
    maker.duplicates(max(1, round(people * DUPLICATE_SHARE)))

    for case in maker.cases:
        township = case.pop("_place")[:9]
        # The county worker gets a few cases, never one of a township's coverage set (every
        # township worker keeps an example of every problem).
        to_county = not case.pop("_cover") and rng.random() < COUNTY_SHARE
        case["assigned_to"] = "county" if to_county else township_username(township)

    households = [{k: v for k, v in hh.items() if not k.startswith("_")} for hh in pop.households]
    return DemoDataset(county_code=county, persons=pop.persons, households=households,
                       cases=maker.cases, accounts=accounts, seed_value=seed_value, today=today)


__all__ = ["DemoDataset", "generate_demo", "DEFAULT_TODAY"]
