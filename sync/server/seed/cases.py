"""Turns a built population into cases: error records, reverse-pushed births and suspected duplicates.

Each household takes part in at most one case, so the records around an injected problem stay clean
and every other household validates without errors ("tainted" marks the used ones).
"""

from __future__ import annotations

import random

from collections.abc import Iterator
from typing import Any

from datetime import date

from sync.server.seed.errors import CATALOG, Injector, add_second_problem
from sync.server.seed.population import Population

SECOND_SHARE = 0.12  # error cases whose record has a second, unrelated problem


class CaseMaker:
    def __init__(self, rng: random.Random, pop: Population, today: date) -> None:
        self.rng = rng
        self.pop = pop
        self.today = today
        self.cases: list[dict[str, Any]] = []
        self.tainted: set[str] = set()
        self.ij = Injector(rng, pop, today)
        self._seq = {"error": 0, "birth": 0, "duplicates": 0}
        order = list(range(len(pop.households)))
        rng.shuffle(order)
        self.order = order  # households in a seeded random order; each kind walks it with a cursor
        self.skipped: list[str] = []  # injections that found no suitable household
        self._by_township: dict[str, list[int]] | None = None

    def _case_id(self, kind: str) -> str:
        self._seq[kind] += 1
        return {"error": "E", "birth": "B", "duplicates": "D"}[kind] + f"-{self._seq[kind]}"

    def free_households(self, start: int, township: str | None = None) -> Iterator[dict[str, Any]]:
        """Untainted households in the shuffled order from start (wrapping once), optionally of one
        township (9-digit code)."""
        order = self.order if township is None else self.by_township.get(township, [])
        n = len(order)
        for k in range(n):
            hh = self.pop.households[order[(start + k) % n]]
            if hh["household_id"] not in self.tainted:
                yield hh

    @property
    def by_township(self) -> dict[str, list[int]]:
        if self._by_township is None:
            self._by_township = {}
            for i in self.order:
                self._by_township.setdefault(self.pop.households[i]["place"][:9], []).append(i)
        return self._by_township

    def townships(self) -> list[str]:
        return [code for code, _ in self.pop.county.townships if code in self.by_township]

    def coverage(self, items: list[Any], count: int, per_township_size: int | None = None) -> list[tuple[Any, ...]]:
        """(item, township) pairs: every item in every township when count allows it (so each
        township worker gets every kind of problem), else every item once in the county."""
        per = per_township_size or len(items)
        towns = self.townships()
        if towns and count >= per * len(towns):
            return [(item, t) for t in towns for item in items]
        return [(item, None) for item in items]

    # ---- error cases ----------------------------------------------------------------------------
    def errors(self, count: int) -> None:
        plan: list[Any] = []
        for inject, weight in CATALOG:
            plan.extend([inject] * weight)
        self.rng.shuffle(plan)
        first = self.coverage([inj for inj, _ in CATALOG], count)
        rest = [(inj, None) for inj in plan * (max(0, count - len(first)) // len(plan) + 1)]
        schedule = (first + rest)[:max(count, len(first))]
        cursors: dict[tuple[Any, ...], int] = {}
        for inject, township in schedule:
            key = (inject.__name__, township)
            size = len(self.order) if township is None else len(self.by_township[township])
            start = cursors.get(key, self.rng.randrange(size))
            done = False
            for steps, hh in enumerate(self.free_households(start, township)):
                members = self.pop.members[hh["household_id"]]
                got = inject(self.ij, members)
                if got:
                    person, codes = got
                    if self.rng.random() < SECOND_SHARE:
                        codes = add_second_problem(self.ij, person, codes)
                    self.tainted.add(hh["household_id"])
                    self.cases.append({"id": self._case_id("error"), "kind": "error",
                                       "person_id": person["person_id"], "injected": codes,
                                       "_place": hh["place"], "_cover": township is not None})
                    cursors[key] = start + steps + 1
                    done = True
                    break
                if steps > 4000:  # a rare shape in a small population: give up on this one
                    break
            if not done:
                self.skipped.append(inject.__name__)

    def births(self, count: int) -> None:
        from sync.server.seed.births import make_births
        make_births(self, count)

    def duplicates(self, count: int) -> None:
        from sync.server.seed.duplicates import make_duplicates
        make_duplicates(self, count)
