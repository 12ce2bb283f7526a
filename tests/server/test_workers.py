"""Several worker processes on one database share everything that must be shared.

Two servers in this process on the same database stand for two workers of `hecha server --workers N`
(each its own Store, app and engine, as a worker has): a request may land on either. Then the real
`hecha server --workers 2` as a process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import requests

from client.domain.idnumber import id_check_char
from tests.support.live_server import ApiClient, make_op, start_server

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def two_workers(live_server_factory):
    a = live_server_factory(training=True)   # the fault hooks exist on training servers only
    b = start_server(a.config.db_url, None, clock=a.clock)
    yield a, b
    b.stop()


def on(server, client: ApiClient) -> ApiClient:
    """The same logged-in client, its next requests going to `server` (another worker)."""
    other = server.client()
    other.device_id, other.access_token, other.refresh_token = client.device_id, client.access_token, \
        client.refresh_token
    return other


def test_tokens_cursors_and_the_grace_window_work_across_workers(two_workers):
    a, b = two_workers
    alice = a.client("alice")
    boot = alice.bootstrap_all()
    alice_b = on(b, alice)
    assert alice_b.changes(boot["cursor"]).status_code == 200          # A's cursor, B's key
    first = alice.refresh_token
    r1 = alice.refresh()
    assert r1.status_code == 200
    # the answer was lost; the retry lands on the other worker, inside the grace window: the same pair
    r2 = alice_b.refresh(first)
    assert r2.status_code == 200 and r2.json()["refresh_token"] == r1.json()["refresh_token"]
    a.clock.advance(seconds=a.config.refresh_grace_seconds + 1)
    assert alice_b.refresh(first).json()["code"] == "refresh_token_reused"
    assert alice.refresh(r1.json()["refresh_token"]).status_code == 401     # the family, on A too


def test_a_fault_set_on_one_worker_is_counted_down_by_all(two_workers):
    a, b = two_workers
    trainer = a.client("trainer")
    assert trainer.post("/v1/admin/faults", {"path_prefix": "/v1/sync/push", "status": 503, "count": 3,
                                             "retry_after": 2}).status_code == 200
    alice_a = a.client("alice")
    alice_b = on(b, alice_a)
    codes = [c.push([]).status_code for c in (alice_b, alice_a, alice_b, alice_a, alice_b)]
    assert codes == [503, 503, 503, 200, 200]
    assert trainer.post("/v1/admin/faults", {"path_prefix": "/v1/sync", "status": 429, "count": 9,
                                             "retry_after": 1}).status_code == 200
    assert on(b, trainer).request("DELETE", "/v1/admin/faults").status_code == 200
    assert alice_a.push([]).status_code == 200


def test_the_same_op_on_two_workers_at_once_applies_once(two_workers):
    a, b = two_workers
    alice = a.client("alice")
    rec = alice.bootstrap_all()["records"]["E-1"]
    idn = rec["data"]["person"]["id_number"]
    op = make_op("E-1", "fix_error", rec["version"], changes={"id_number": {
        "from": idn, "to": idn[:17] + id_check_char(idn[:17])}}, payload={"note": "按户口簿更正"})
    clients = [alice, on(b, alice)] * 3
    statuses: list[str] = []
    barrier = threading.Barrier(len(clients))

    def push(c):
        barrier.wait()
        r = c.push([op])
        statuses.append(r.json()["results"][0]["status"] if r.status_code == 200 else str(r.status_code))

    threads = [threading.Thread(target=push, args=(c,)) for c in clients]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert statuses.count("applied") == 1, statuses
    assert set(statuses) <= {"applied", "duplicate", "409"}, statuses
    with a.store.read() as conn:
        assert a.store.get_case(conn, "E-1")["version"] == rec["version"] + 1


def _read_until(proc, marker: str, lines: list[str]) -> str:
    for line in proc.stdout:
        lines.append(line)
        if marker in line:
            return line
    raise AssertionError("server exited: " + "".join(lines))


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        out += [int(x) for x in (task / "children").read_text().split()]
    return out


def test_hecha_server_workers_serves_from_several_processes(tmp_path, new_server_db):
    accounts_file = tmp_path / "accounts.json"
    proc = subprocess.Popen(
        [sys.executable, "-m", "client", "server", "--port", "0", "--db", new_server_db("workers"),
         "--workers", "2", "--seed", "demo", "--people", "800", "--accounts-file", str(accounts_file)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env=dict(os.environ, PYTHONUNBUFFERED="1"))
    lines: list[str] = []
    try:
        line = _read_until(proc, "同步服务器：http://", lines)
        assert "2 个工作进程" in line
        url = line.split("：", 1)[1].split()[0]
        worker = next(a for a in json.loads(accounts_file.read_text("utf-8")) if a["role"] == "township")
        for _ in range(6):   # new connections: the kernel hands them to either worker
            with requests.Session() as s:
                r = s.post(url + "/v1/auth/token", json={"username": worker["username"],
                                                         "password": worker["password"], "device_id": "w"},
                           timeout=60)
                assert r.status_code == 200, r.text
                token = r.json()["access_token"]
            r = requests.get(url + "/v1/sync/bootstrap", headers={"Authorization": f"Bearer {token}"},
                             timeout=60)
            assert r.status_code == 200 and r.json()["records"]
        assert len(_children(proc.pid)) >= 2
    finally:
        proc.terminate()
        assert proc.wait(30) == 0, "".join(lines)
