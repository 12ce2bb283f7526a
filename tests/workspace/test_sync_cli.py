"""`python -m client sync`: one sync in a subprocess, JSON summary, non-zero exit with the reason."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, password: str = "alice-pw") -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
    return subprocess.run([sys.executable, "-m", "client", "sync", *args, "--password-stdin"],
                          input=password + "\n", cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def test_sync_once_prints_a_json_summary(server, tmp_path):
    out = run_cli("--server", server.url, "--user", "alice", "--data-dir", str(tmp_path))
    assert out.returncode == 0, out.stderr
    summary = json.loads(out.stdout.strip().splitlines()[-1])
    assert summary["ok"] and summary["pulled"] == 6 and summary["pending"] == 0
    assert {"pushed", "pulled", "conflicts", "rejected", "gone", "pending"} <= set(summary)
    again = run_cli("--server", server.url, "--user", "alice", "--data-dir", str(tmp_path))
    assert json.loads(again.stdout.strip().splitlines()[-1])["pulled"] == 0


def test_progress_only_when_asked_for(server, tmp_path):
    """A plain `hecha sync` keeps no progress figures (`hecha report progress` has none: exit 2);
    `--progress` fetches them for the report."""
    from client.workspace import Workspace
    out = run_cli("--server", server.url, "--user", "carol", "--data-dir", str(tmp_path), password="carol-pw")
    assert out.returncode == 0, out.stderr
    ws = Workspace.unlock(tmp_path, "carol", "carol-pw")
    try:
        assert ws.cached_progress("township") is None
    finally:
        ws.close()
    out = run_cli("--server", server.url, "--user", "carol", "--data-dir", str(tmp_path), "--progress",
                  password="carol-pw")
    assert out.returncode == 0, out.stderr
    ws = Workspace.unlock(tmp_path, "carol", "carol-pw")
    try:
        assert ws.cached_progress("township").level == "township" and ws.cached_progress("village") is not None
    finally:
        ws.close()


def test_wrong_password_fails_with_the_reason(server, tmp_path):
    out = run_cli("--server", server.url, "--user", "alice", "--data-dir", str(tmp_path),
                  password="wrong")
    assert out.returncode == 3
    assert json.loads(out.stdout.strip().splitlines()[-1])["error"] == "login_failed"
    assert "用户名或密码错误" in out.stderr


def test_server_unreachable_says_check_the_vpn(tmp_path):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = run_cli("--server", f"http://127.0.0.1:{port}", "--user", "alice",
                  "--data-dir", str(tmp_path), "--attempts", "1")
    assert out.returncode == 1
    assert json.loads(out.stdout.strip().splitlines()[-1])["error"] == "offline"
    assert "VPN" in out.stderr
