"""The demo county loaded into the server, and `hecha server` as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from datetime import datetime, timezone
from pathlib import Path

import pytest
import requests

from sync.server import seed
from sync.server.config import ManualClock

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo():
    return seed.generate_demo("hecha", people=2000)


def test_demo_dataset_serves_every_account(live_server_factory, demo):
    server = live_server_factory(demo, clock=ManualClock(datetime(2026, 11, 2, 9, tzinfo=timezone.utc)),
                                 training=True)   # the demo data set has a trainer
    by_user: dict[str, set[str]] = {}
    for c in demo.cases:
        by_user.setdefault(c["assigned_to"], set()).add(c["id"])
    accounts = {a["username"]: a for a in demo.accounts}
    assert set(by_user) <= set(accounts)
    for username, case_ids in sorted(by_user.items())[:6]:
        client = server.client(username, accounts[username]["password"])
        boot = client.bootstrap_all()
        assert set(boot["records"]) == case_ids, username
        for rec in boot["records"].values():
            assert rec["data"]["status"] == "open"
            if rec["type"] == "error":
                codes = {f["code"] for f in rec["data"]["findings"]}
                spec = next(c for c in demo.cases if c["id"] == rec["id"])
                # the server's own rendering (rule engine + household/parents context) finds every
                # injected problem
                assert set(spec["injected"]) <= codes and "RULE_FAILED" not in codes, \
                    (rec["id"], spec["injected"], codes)
            elif rec["type"] == "birth":
                assert rec["data"]["certificate"]["cert_number"] and rec["data"]["mother"]
            else:
                assert len(rec["data"]["members"]) >= 2
    # the trainer sees everyone's progress
    trainer = accounts["trainer"]
    t = server.client("trainer", trainer["password"])
    users = t.get("/v1/admin/users").json()["users"]
    assert sum(u["open"] for u in users) == len(demo.cases)


def _read_until(proc, marker: str, lines: list[str]) -> str:
    for line in proc.stdout:
        lines.append(line)
        if marker in line:
            return line
    raise AssertionError("server exited: " + "".join(lines))


def test_cli_server_with_demo_seed(tmp_path):
    accounts_file = tmp_path / "accounts.json"
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "client", "server", "--port", "0", "--db", str(tmp_path / "demo.db"),
         "--seed", "demo", "--people", "800", "--accounts-file", str(accounts_file)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    lines: list[str] = []
    try:
        line = _read_until(proc, "同步服务器：http://", lines)
        url = line.split("：", 1)[1].split()[0]
        assert url.startswith("http://127.0.0.1:")
        assert "演示账号" in "".join(lines)
        accounts = json.loads(accounts_file.read_text(encoding="utf-8"))
        assert {a["role"] for a in accounts} >= {"trainer", "county", "township"}
        assert requests.get(url + "/v1/health", timeout=10).json()["training"] is True
        worker = next(a for a in accounts if a["role"] == "township")
        r = requests.post(url + "/v1/auth/token", json={"username": worker["username"],
                                                        "password": worker["password"], "device_id": "cli"},
                          timeout=10)
        assert r.status_code == 200
        threading.Thread(target=lambda: [lines.append(x) for x in proc.stdout], daemon=True).start()
    finally:
        proc.terminate()
        proc.wait(20)


def test_cli_adduser(tmp_path):
    db = tmp_path / "u.db"
    cmd = [sys.executable, "-m", "client", "server", "adduser", "--db", str(db), "zhang",
           "--role", "county", "--jurisdiction", "610424", "--password", "Wei-pw-2026"]
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0 and "已添加用户 zhang" in out.stdout
    again = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert again.returncode == 1 and "已存在" in again.stderr
    bad = subprocess.run(cmd[:-4] + ["--jurisdiction", "61x", "--password", "Wei-pw-2026"], cwd=ROOT,
                         capture_output=True, text=True)
    assert bad.returncode == 2
    # a trainer account is only meaningful on a training server: not added to this real database
    trainer = subprocess.run(cmd[:7] + ["lin", "--role", "trainer", "--jurisdiction", "610424",
                                        "--password", "Wei-pw-2026"], cwd=ROOT, capture_output=True, text=True)
    assert trainer.returncode == 2 and "培训数据库" in trainer.stderr
