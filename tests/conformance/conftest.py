"""Starts `hecha server --seed demo` as a user would (a subprocess on an ephemeral loopback port)."""

from __future__ import annotations

import json
import queue
import re
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conformance.wire import Wire

REPO = Path(__file__).resolve().parents[2]
PEOPLE = 15000         # small demo county: every township still gets cases of every kind
START_TIMEOUT = 120


@dataclass
class DemoServer:
    url: str
    accounts: dict[str, dict]
    proc: subprocess.Popen
    _taken: set = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wire(self, username: str) -> Wire:
        w = Wire(self.url)
        w.login(username, self.accounts[username]["password"])
        return w

    def office(self) -> Wire:
        """The trainer account: the demo's office/trainer role for /v1/admin."""
        return self.wire(next(u for u, a in self.accounts.items() if a["role"] == "trainer"))

    def township(self, select=None) -> tuple[Wire, dict[str, dict], list[dict]]:
        """A township worker with a fresh bootstrapped scope that holds cases of every kind, and the
        cases `select(unclaimed records)` picks, which become this test's alone (tests that change data
        touch only their picked cases, so tests share townships without interfering)."""
        with self._lock:
            for name, acc in self.accounts.items():
                if acc["role"] != "township":
                    continue
                w = self.wire(name)
                records, _, _ = w.bootstrap()
                if not {r["type"] for r in records.values()} >= {"error", "birth", "duplicates"}:
                    continue
                free = {i: r for i, r in records.items() if i not in self._taken}
                picked = select(free) if select else []
                if picked is None or (select and not picked):
                    w.close()
                    continue
                self._taken.update(r["id"] for r in picked)
                return w, records, picked
        raise AssertionError("no township has the cases this test needs")

    def other_township(self, than: str) -> str:
        return next(u for u, a in self.accounts.items() if a["role"] == "township" and u != than)


def _die_with_parent() -> None:
    """In the child: get SIGTERM when the test process dies, so a killed run leaves no server behind."""
    import ctypes
    import signal
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@pytest.fixture(scope="package", params=["sqlite", "postgresql"])
def conformance_backend(request) -> str:
    """The whole suite runs against the server on SQLite, then on PostgreSQL."""
    return request.param


@pytest.fixture
def db_backend(conformance_backend) -> str:
    return conformance_backend


@pytest.fixture(scope="package")
def demo(request, conformance_backend, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("conformance")
    accounts_file = tmp / "accounts.json"
    db = str(tmp / "server.db")
    cmd = [sys.executable, "-m", "client", "server", "--seed", "demo", "--port", "0",
           "--accounts-file", str(accounts_file), "--people", str(PEOPLE)]
    if conformance_backend == "postgresql":
        db = request.getfixturevalue("pg_cluster").new_database()
        cmd += ["--secret-file", str(tmp / "server.key")]   # the signing key is never in the database
    cmd += ["--db", db]
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            text=True, encoding="utf-8", errors="replace",
                            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)
    lines: queue.Queue = queue.Queue()
    output: list[str] = []

    def drain():
        for line in proc.stdout:
            output.append(line)
            lines.put(line)
        lines.put(None)

    threading.Thread(target=drain, daemon=True).start()
    url = None
    try:
        while url is None:
            line = lines.get(timeout=START_TIMEOUT)
            if line is None:
                raise AssertionError("server exited before listening:\n" + "".join(output))
            m = re.search(r"http://127\.0\.0\.1:\d+", line)
            if m:
                url = m.group(0)
        accounts = {a["username"]: a for a in json.loads(accounts_file.read_text("utf-8"))}
        for a in accounts.values():
            assert set(a) >= {"username", "password", "role", "jurisdiction"}, a
        yield DemoServer(url=url, accounts=accounts, proc=proc)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
