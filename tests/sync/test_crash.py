"""kill -9 of a client process at the crash points of SYNC_PROTOCOL.md, then a restart that
must lose nothing and apply nothing twice (I1-I9)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from client.workspace import Workspace
from tests.support.sync_env import (
    CHEAP_KEY,
    FAST,
    check_invariants,
    server_tables,
)

ROOT = Path(__file__).resolve().parents[2]


class Child:
    def __init__(self, data_dir: Path, url: str, mode: str):
        env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.sync.crash_child", str(data_dir), url, mode],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line.strip())

    def wait_for(self, marker: str, timeout: float = 60) -> None:
        end = time.monotonic() + timeout
        while marker not in self.lines:
            if self.proc.poll() is not None and marker not in self.lines:
                time.sleep(0.05)
                if marker in self.lines:
                    break
                raise AssertionError(f"child ended before {marker}: {self.lines} "
                                     f"{self.proc.stderr.read()[-3000:]}")
            if time.monotonic() > end:
                self.kill()
                raise AssertionError(f"no {marker} from child: {self.lines}")
            time.sleep(0.01)

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)


def restart(data_dir: Path, server) -> Workspace:
    return Workspace.login(data_dir, server.url, "alice", "alice-pw", key_cost=CHEAP_KEY,
                           retry=FAST)


def after_crash_checks(data_dir: Path, server) -> Workspace:
    ws = restart(data_dir, server)
    check_invariants(ws, server, drained=False)  # I8 holds right after the crash
    ws.sync()
    check_invariants(ws, server)
    return ws


def test_killed_after_the_local_commit(tmp_path, server):
    child = Child(tmp_path / "data", server.url, "commit")
    child.wait_for("COMMITTED")
    child.kill()
    ws = restart(tmp_path / "data", server)
    try:
        assert ws.pending_count() == 1  # the saved edit survived
        check_invariants(ws, server, drained=False)
        assert ws.sync().pushed == 1
        check_invariants(ws, server)
    finally:
        ws.close()


def test_killed_after_sending(tmp_path, server, proxy):
    proxy.inject("hang_after_commit", path="/v1/sync/push")
    child = Child(tmp_path / "data", proxy.url, "send")
    child.wait_for("EDITED")
    deadline = time.monotonic() + 30
    while not server_tables(server)[2]:  # the server committed the op
        assert time.monotonic() < deadline, child.lines
        time.sleep(0.02)
    child.kill()
    ws = after_crash_checks(tmp_path / "data", server)
    try:
        _, _, results = server_tables(server)
        assert list(results.values()) == ["applied"]
        assert [o.state for o in ws.outbox(include_finished=True)] == ["done"]
    finally:
        ws.close()


@pytest.mark.parametrize("page", [1, 3])
def test_killed_in_the_middle_of_a_bootstrap_page(tmp_path, server, page):
    child = Child(tmp_path / "data", server.url, f"midpage:{page}")
    child.wait_for("MIDPAGE")
    child.kill()
    ws = after_crash_checks(tmp_path / "data", server)
    ws.close()


def test_killed_in_the_middle_of_a_changes_page(tmp_path, server, office):
    ws = restart(tmp_path / "data", server)
    ws.sync()
    ws.close()
    for cid, former in (("E-2", "王甲"), ("E-3", "王乙"), ("E-4", "王丙")):   # names the rules accept
        pid = office.case(cid)["record"]["data"]["person"]["person_id"]
        office.edit_person(pid, {"former_name": former})
    child = Child(tmp_path / "data", server.url, "midpage:2")
    child.wait_for("MIDPAGE")
    child.kill()
    ws = after_crash_checks(tmp_path / "data", server)
    try:
        assert ws.task("E-4").shadow["person"]["former_name"] == "王丙"
    finally:
        ws.close()
