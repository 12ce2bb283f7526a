"""Turns a built population into cases: error records, reverse-pushed births and suspected duplicates.

Each household takes part in at most one case, so the records around an injected problem stay clean
and every other household validates without errors ("tainted" marks the used ones).
"""

from __future__ import annotations

from datetime import date

from sync.server.seed.errors import CATALOG, Injector


class CaseMaker:
    def __init__(self, rng, pop, today: date):
        self.rng = rng
        self.pop = pop
        self.today = today
        self.cases: list[dict] = []
        self.tainted: set[str] = set()
        self.ij = Injector(rng, pop, today)
        self._seq = {"error": 0, "birth": 0, "duplicates": 0}
        order = list(range(len(pop.households)))
        rng.shuffle(order)
        self.order = order  # households in a seeded random order; each kind walks it with a cursor
        self.skipped: list[str] = []  # injections that found no suitable household

    def _case_id(self, kind: str) -> str:
        self._seq[kind] += 1
        return {"error": "E", "birth": "B", "duplicates": "D"}[kind] + f"-{self._seq[kind]}"

    def free_households(self, start: int):
        """Untainted households, walking the shuffled order from start (wrapping once)."""
        n = len(self.order)
        for k in range(n):
            hh = self.pop.households[self.order[(start + k) % n]]
            if hh["household_id"] not in self.tainted:
                yield hh

    # ---- error cases ----------------------------------------------------------------------------
    def errors(self, count: int) -> None:
        plan: list = []
        for inject, weight in CATALOG:
            plan.extend([inject] * weight)
        self.rng.shuffle(plan)
        # Every injection at least once (if a household fits), then by weight.
        schedule = [inj for inj, _ in CATALOG] + plan * (count // len(plan) + 1)
        schedule = schedule[:max(count, len(CATALOG))]
        cursors: dict[str, int] = {}
        for inject in schedule:
            name = inject.__name__
            start = cursors.get(name, self.rng.randrange(len(self.order)))
            done = False
            for steps, hh in enumerate(self.free_households(start)):
                members = self.pop.members[hh["household_id"]]
                got = inject(self.ij, members)
                if got:
                    person, codes = got
                    self.tainted.add(hh["household_id"])
                    self.cases.append({"id": self._case_id("error"), "kind": "error",
                                       "person_id": person["person_id"], "injected": codes,
                                       "_place": hh["place"]})
                    cursors[name] = start + steps + 1
                    done = True
                    break
                if steps > 4000:  # a rare shape in a small population: give up on this one
                    break
            if not done:
                self.skipped.append(name)

    def births(self, count: int) -> None:
        from sync.server.seed.births import make_births
        make_births(self, count)

    def duplicates(self, count: int) -> None:
        from sync.server.seed.duplicates import make_duplicates
        make_duplicates(self, count)
