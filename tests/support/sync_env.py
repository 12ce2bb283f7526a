"""Shared fixtures and checks for the sync and workspace tests: an in-memory keyring, the live
reference server behind the fault proxy, workspaces logged in through it, and invariants I1-I9."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from sqlalchemy import select

from client.domain.idnumber import id_check_char
from client.store import Case, OutboxOp
from client.workspace import Workspace
from sync.client.engine import active_cases
from sync.client.transport import RetryPolicy
from tests.support.fault_proxy import FaultProxy
from tests.support.live_server import PASSWORDS

CHEAP_KEY = {"n": 2 ** 10}
FAST = RetryPolicy(base=0.01, cap=0.05, max_attempts=6)
TIMEOUTS = {"timeout": (2.0, 2.0), "deadline": 10.0}


class MemoryKeyring(KeyringBackend):
    priority = 1

    def __init__(self):
        super().__init__()
        self.data: dict = {}

    def get_password(self, service, username):
        return self.data.get((service, username))

    def set_password(self, service, username, password):
        self.data[(service, username)] = password

    def delete_password(self, service, username):
        self.data.pop((service, username), None)


@pytest.fixture(autouse=True)
def memory_keyring():
    old = keyring.get_keyring()
    kr = MemoryKeyring()
    keyring.set_keyring(kr)
    yield kr
    keyring.set_keyring(old)


@pytest.fixture
def server(live_server_factory):
    return live_server_factory()


@pytest.fixture
def proxy(server):
    p = FaultProxy(server.url, seed=7).start()
    yield p
    p.stop()


@pytest.fixture
def open_ws(tmp_path, server, proxy):
    opened: list[Workspace] = []

    def make(user: str = "alice", password: str | None = None, *, direct: bool = False,
             data_dir: Path | None = None, **kw) -> Workspace:
        kw.setdefault("key_cost", CHEAP_KEY)
        kw.setdefault("retry", FAST)
        for k, v in TIMEOUTS.items():
            kw.setdefault(k, v)
        ws = Workspace.login(data_dir or tmp_path / "data", server.url if direct else proxy.url,
                             user, password or PASSWORDS[user], **kw)
        ws.today = None
        opened.append(ws)
        return ws

    yield make
    for ws in opened:
        try:
            ws.close()
        except Exception:  # noqa: BLE001 - already closed by the test
            pass


@pytest.fixture
def office(server):
    """The county office (carol) editing through the admin API of the same server."""
    return Office(server)


class Office:
    def __init__(self, server):
        self.server = server
        self.api = server.client("carol")

    def edit_person(self, person_id: str, changes: dict, note: str = "") -> dict:
        r = self.api.request("PATCH", f"/v1/admin/persons/{person_id}",
                             json_body={"changes": changes, "note": note})
        assert r.status_code == 200, r.text
        return r.json()

    def withdraw(self, case_id: str) -> None:
        r = self.api.post(f"/v1/admin/cases/{case_id}/withdraw", {"note": "测试收回"})
        assert r.status_code == 200, r.text

    def reassign(self, case_id: str, to: str) -> None:
        r = self.api.post(f"/v1/admin/cases/{case_id}/reassign", {"to": to, "note": "改派"})
        assert r.status_code == 200, r.text

    def case(self, case_id: str) -> dict:
        r = self.api.get(f"/v1/admin/cases/{case_id}")
        assert r.status_code == 200, r.text
        return r.json()


def corrected_id(number: str) -> str:
    return number[:17] + id_check_char(number[:17])


def person_of(ws: Workspace, task_id: str) -> dict:
    return ws.task(task_id).data["person"]


def server_scope(server, user: str = "alice") -> dict[str, int]:
    api = server.client(user)
    r = api.get("/v1/sync/manifest")
    assert r.status_code == 200, r.text
    return {m["id"]: m["version"] for m in r.json()["records"]}


def local_state(ws: Workspace) -> tuple[dict[str, int], dict[str, dict], list]:
    with ws.store.read() as s:
        active = dict(s.execute(select(Case.id, Case.shadow_version).where(active_cases())).all())
        cases = {c.id: {"version": c.shadow_version, "overlay": c.overlay, "state": c.local_state,
                        "removed": c.removed} for c in s.execute(select(Case)).scalars()}
        ops = [{"op_id": o.op_id, "case": o.case_id, "state": o.state, "attempts": o.attempts,
                "action": o.action} for o in s.execute(select(OutboxOp)).scalars()]
    return active, cases, ops


def server_tables(server):
    from sync.server import schema as t
    with server.store.read() as conn:
        history = [dict(r._mapping) for r in conn.execute(select(
            t.history.c.case_id, t.history.c.version, t.history.c.op_id))]
        person_history = [dict(r._mapping) for r in conn.execute(select(
            t.person_history.c.person_id, t.person_history.c.version,
            t.person_history.c.op_id))]
        results = {r.op_id: r.status for r in conn.execute(select(t.op_results.c.op_id,
                                                                  t.op_results.c.status))}
    return history, person_history, results


UNFINISHED_OK = {"conflict", "rejected", "gone"}


def check_invariants(ws: Workspace, server, user: str = "alice", *, drained: bool = True,
                     stale_ops: set[str] | None = None) -> None:
    """I1-I9 of SYNC_PROTOCOL.md over one client and the server (after the outbox drained)."""
    active, cases, ops = local_state(ws)
    history, person_history, results = server_tables(server)
    # I1: no op changed the server twice (one version per case, one per person, per op)
    per_case = Counter((h["case_id"], h["op_id"]) for h in history if h["op_id"])
    assert all(n == 1 for n in per_case.values()), [k for k, n in per_case.items() if n > 1]
    per_person = Counter((h["person_id"], h["op_id"]) for h in person_history if h["op_id"])
    assert all(n == 1 for n in per_person.values()), [k for k, n in per_person.items() if n > 1]
    # I2: every op the client marked done is on the server
    for o in ops:
        if o["state"] == "done":
            assert results.get(o["op_id"]) in ("applied", "applied_with_merge"), o
    # I3: every op ends done or superseded, or stays visible as conflict/rejected/gone
    if drained:
        left = [o for o in ops if o["state"] not in {"done", "superseded"} | UNFINISHED_OK]
        assert not left, left
    # I4: server versions are dense per case
    versions: dict[str, list[int]] = {}
    for h in history:
        versions.setdefault(h["case_id"], []).append(h["version"])
    for cid, vs in versions.items():
        assert sorted(vs) == list(range(1, len(vs) + 1)), (cid, sorted(vs))
    # I5 + I9: shadows equal the server's scope; nothing else is active locally
    if drained:
        scope = server_scope(server, user)
        assert active == scope, {"local_only": set(active) - set(scope),
                                 "server_only": set(scope) - set(active),
                                 "differ": {k for k in set(active) & set(scope)
                                            if active[k] != scope[k]}}
    # I7: a stale op touching a changed field got conflict, never applied
    for op_id in stale_ops or ():
        assert results.get(op_id) not in ("applied", "applied_with_merge"), op_id
    # I8: a case differs from its shadow only if it has an unfinished op
    unfinished = {o["case"] for o in ops if o["state"] not in ("done", "superseded")}
    for cid, c in cases.items():
        if c["overlay"] or c["state"] in ("pending", "conflict", "rejected"):
            assert cid in unfinished, (cid, c)
    # the outbox belongs to this user
    with ws.store.read() as s:
        owners = set(s.execute(select(OutboxOp.owner)).scalars())
    assert owners <= {user}


def dump(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1, default=str)
