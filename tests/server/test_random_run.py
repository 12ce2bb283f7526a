"""A seeded random run of office edits, reassignments, withdrawals, pushes (fresh and stale, resent)
and pulls by two workers; afterwards every pulled shadow equals the server's scope, versions are
dense, and no op took effect twice."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from sqlalchemy import select

from sync.protocol import compute_scope_digest
from sync.server import schema as t
from client.domain.idnumber import id_check_char
from tests.support.live_server import make_op

FIELDS = ("residence_address", "former_name", "hukou_address", "name")


class Worker:
    """A minimal client: shadows only move forward; tombstones drop the case."""

    def __init__(self, api):
        self.api = api
        boot = api.bootstrap_all(limit=3)
        self.shadow = {k: r for k, r in boot["records"].items()}
        self.cursor = boot["cursor"]

    def take(self, rec: dict) -> None:
        old = self.shadow.get(rec["id"])
        if "removed" in rec:
            if old is None or old["version"] <= rec["version"]:
                self.shadow.pop(rec["id"], None)
        elif old is None or old["version"] <= rec["version"]:
            self.shadow[rec["id"]] = rec

    def pull(self) -> dict:
        changes, self.cursor, last = self.api.pull_all(self.cursor, limit=2, max_bytes=2048)
        for ch in changes:
            self.take(ch)
        return last


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_run_keeps_the_invariants(live_server, seed):
    rng = random.Random(seed)
    office = live_server.client("admin")
    workers = {name: Worker(live_server.client(name)) for name in ("alice", "carol")}
    sent: list[tuple[str, dict]] = []
    statuses: Counter = Counter()
    persons = sorted({m["person_id"] for w in workers.values() for r in w.shadow.values()
                      for m in ([r["data"].get("person")] + r["data"].get("members", []) if r["data"].get("person")
                                else r["data"].get("members", [])) if m})
    for step in range(60):
        live_server.clock.advance(seconds=1)
        roll = rng.random()
        if roll < 0.2 and persons:
            pid = rng.choice(persons)
            office.request("PATCH", f"/v1/admin/persons/{pid}",
                            json_body={"changes": {rng.choice(FIELDS[:3]): f"改{step}"}})
        elif roll < 0.3:
            case = rng.choice(["E-1", "E-2", "E-3", "E-4", "B-1", "D-1"])
            office.post(f"/v1/admin/cases/{case}/reassign", {"to": rng.choice(["alice", "carol"])})
        elif roll < 0.33:
            office.post(f"/v1/admin/cases/{rng.choice(['E-2', 'E-4'])}/withdraw", {})
        elif roll < 0.75:
            name = rng.choice(list(workers))
            w = workers[name]
            errors = [r for r in w.shadow.values() if r["type"] == "error"]
            if errors:
                rec = rng.choice(errors)
                base = rec["version"] - (1 if rng.random() < 0.2 and rec["version"] > 1 else 0)
                field = rng.choice(FIELDS[:2])
                person = rec["data"]["person"]
                changes = {field: {"from": person.get(field), "to": f"{name}{step}"}}
                idn = person["id_number"]
                if rng.random() < 0.8:     # mostly also fix the ID number (else the op is rejected)
                    changes["id_number"] = {"from": idn, "to": idn[:17] + id_check_char(idn[:17])}
                op = make_op(rec["id"], "fix_error", base, changes=changes)
                if rng.random() < 0.3:
                    op = make_op(rec["id"], "cannot_verify", base, payload={"reason_code": "not_local"})
                sent.append((name, op))
                res = w.api.push([op]).json()["results"][0]
                statuses[res["status"]] += 1
                assert res["status"] in ("applied", "applied_with_merge", "conflict", "rejected", "gone",
                                         "forbidden"), res
                if res["status"] in ("applied", "applied_with_merge"):
                    assert res["new_version"] > base
        elif roll < 0.85 and sent:
            name, op = rng.choice(sent)          # a resend after a lost response
            again = workers[name].api.push([op]).json()["results"][0]
            assert again["status"] not in ("applied", "applied_with_merge")
        else:
            workers[rng.choice(list(workers))].pull()
    # the run reached the interesting outcomes
    assert statuses["applied"] and statuses["rejected"] + statuses["conflict"] + statuses["gone"], statuses
    # caught up: each worker's shadows are exactly its scope
    for name, w in workers.items():
        last = w.pull()
        manifest = w.api.get("/v1/sync/manifest").json()
        assert {r["id"]: r["version"] for r in manifest["records"]} == \
            {k: v["version"] for k, v in w.shadow.items()}, name
        assert last["scope_digest"] == manifest["scope_digest"] == \
            compute_scope_digest((k, v["version"]) for k, v in w.shadow.items())
    with live_server.store.read() as conn:
        hist = conn.execute(select(t.history.c.case_id, t.history.c.version, t.history.c.op_id)).all()
        cases = dict(conn.execute(select(t.cases.c.case_id, t.cases.c.version)).all())
    versions: dict[str, list[int]] = {}
    for h in hist:
        versions.setdefault(h.case_id, []).append(h.version)
    for case_id, vs in versions.items():
        assert sorted(vs) == list(range(1, cases[case_id] + 1)), case_id     # dense, no gaps
    own = Counter((h.op_id, h.case_id) for h in hist if h.op_id)
    by_op = {op["op_id"]: op["record_id"] for _, op in sent}
    assert all(n == 1 for (op_id, case_id), n in own.items() if by_op.get(op_id) == case_id)
