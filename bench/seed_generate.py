"""How long the demo data generator takes for a real county and a large one, against a same-run baseline.

Baseline: drawing the same number of bare person dicts (name, birth date, valid ID number) from
random.Random, i.e. the least any generator of this data must do.
Usage: python bench/seed_generate.py [people ...]   (default 30000 300000)
"""

from __future__ import annotations

import json
import random
import sys
import time
from datetime import date, timedelta

from client.domain.idnumber import make_id_number
from sync.server.seed import generate_demo


def baseline(n: int) -> float:
    rng = random.Random(1)
    t = time.perf_counter()
    out = []
    start = date(1930, 1, 1)
    for i in range(n):
        b = start + timedelta(days=rng.randrange(35000))
        out.append({"person_id": f"P{i:09d}", "name": "王" + rng.choice("伟芳娜敏静"), "birth_date": b.isoformat(),
                    "id_number": make_id_number("610424", b, rng.randrange(1000))})
    return time.perf_counter() - t


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [30000, 300000]
    results = []
    for n in sizes:
        base = baseline(n)
        t = time.perf_counter()
        d = generate_demo("bench", people=n)
        took = time.perf_counter() - t
        kinds = {k: sum(1 for c in d.cases if c["kind"] == k) for k in ("error", "birth", "duplicates")}
        print(f"{n:>8} people: {took:6.2f} s ({len(d.persons)} persons, {len(d.households)} households, "
              f"cases {kinds}); baseline bare dicts {base:5.2f} s → {took / base:4.1f}×")
        results.append({"people": n, "seconds": round(took, 3), "baseline_seconds": round(base, 3),
                        "persons": len(d.persons), "households": len(d.households), "cases": kinds})
    print(json.dumps({"bench": "seed_generate", "results": results}, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
