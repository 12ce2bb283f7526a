"""How fast the rule engine checks a county's people, against a same-run baseline.

Each person of the demo county is validated with its household and parents as context (what the
server does when it builds error cases). Baseline: check_id_number on the same people, the one
piece of work every validation must do anyway. Also times duplicate_reasons over the demo's
duplicate groups.
Usage: python bench/rules_validate.py [people]   (default 30000)
"""

from __future__ import annotations

import json
import sys
import time

from client.domain.idnumber import check_id_number
from client.domain.merge import duplicate_reasons
from client.domain.models import Person
from client.domain.rules import validate_person
from sync.server.seed import generate_demo


def main(argv: list[str]) -> None:
    n = int(argv[0]) if argv else 30000
    ds = generate_demo("bench", people=n)
    persons = [Person.from_dict(p) for p in ds.persons]
    contexts = [ds.rule_context(p.person_id) for p in persons]
    validate_person(persons[0], contexts[0])  # load tables before timing

    t = time.perf_counter()
    for p in persons:
        check_id_number(p.id_number)
    base = time.perf_counter() - t

    t = time.perf_counter()
    findings = 0
    for p, ctx in zip(persons, contexts):
        findings += len(validate_person(p, ctx))
    took = time.perf_counter() - t

    groups = [[ds.person(m) for m in c["member_ids"]] for c in ds.cases if c["kind"] == "duplicates"]
    t = time.perf_counter()
    reasons = sum(len(duplicate_reasons(g)) for g in groups)
    dup_took = time.perf_counter() - t

    print(f"people {len(persons)}: validate_person {took:.2f} s ({len(persons) / took:,.0f}/s, "
          f"{took / len(persons) * 1e6:.0f} µs each), {findings} findings")
    print(f"baseline check_id_number {base:.2f} s ({len(persons) / base:,.0f}/s); ratio {took / base:.1f}x")
    print(f"duplicate_reasons over {len(groups)} groups: {dup_took * 1000:.0f} ms, {reasons} reasons")
    print(json.dumps({"people": len(persons), "validate_s": round(took, 3), "baseline_s": round(base, 3),
                      "ratio": round(took / base, 2), "us_per_person": round(took / len(persons) * 1e6, 1),
                      "findings": findings, "dup_groups": len(groups), "dup_ms": round(dup_took * 1000, 1)}))


if __name__ == "__main__":
    main(sys.argv[1:])
