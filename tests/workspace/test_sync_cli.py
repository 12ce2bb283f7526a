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


def test_a_password_set_by_an_admin_is_replaced_at_the_prompt(server, tmp_path):
    """An admin set the password: the new one is asked twice, a mismatch and the server's policy
    reason (in Chinese) ask again, then the login goes on with it and the sync runs."""
    from client.workspace import Workspace
    admin = server.client("admin")
    assert admin.post("/v1/admin/users", {"username": "newbie", "password": "Initial-pw-1", "role": "township",
                                          "jurisdiction": "610424001"}).status_code == 201
    args = ("--server", server.url, "--user", "newbie", "--data-dir", str(tmp_path))
    # password, then: a mismatch, a password the policy refuses (twice), then a good one twice
    out = run_cli(*args, password="Initial-pw-1\nMy-0wn-pass\nMy-0wn-pasz\n111111\n111111\n"
                                  "My-0wn-pass\nMy-0wn-pass")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.strip().splitlines()[-1])["ok"] is True
    assert "管理员" in out.stderr and "新密码" in out.stderr
    assert "两次输入的新密码不一致" in out.stderr
    assert "新密码不符合要求：" in out.stderr   # the server's policy reason, in Chinese
    Workspace.unlock(tmp_path, "newbie", "My-0wn-pass").close()          # the store has the new one
    again = run_cli(*args, password="My-0wn-pass")                       # and the next login is normal
    assert again.returncode == 0, again.stderr


def test_no_acceptable_new_password_fails_with_the_reason(server, tmp_path):
    admin = server.client("admin")
    assert admin.post("/v1/admin/users", {"username": "newbie", "password": "Initial-pw-1", "role": "township",
                                          "jurisdiction": "610424001"}).status_code == 201
    args = ("--server", server.url, "--user", "newbie", "--data-dir", str(tmp_path))
    out = run_cli(*args, password="Initial-pw-1\n111111\n111111\n222222\n222222\n333333\n333333")
    assert out.returncode == 3
    assert json.loads(out.stdout.strip().splitlines()[-1])["error"] == "password_rejected"
    assert "同步失败" in out.stderr
    out = run_cli(*args, password="Initial-pw-1")                          # no new password given
    assert out.returncode == 3
    assert json.loads(out.stdout.strip().splitlines()[-1])["error"] == "no_new_password"
    assert "没有提供新密码" in out.stderr
    assert not (tmp_path / "users" / "newbie").exists()                    # no store made with it


def test_the_new_password_is_asked_twice_without_echo(server, tmp_path, monkeypatch, capsys):
    """Without --password-stdin every password is asked with getpass (no echo): the password,
    then the new one and its repetition."""
    import argparse
    import getpass

    from client.tools import sync_cli
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    admin = server.client("admin")
    assert admin.post("/v1/admin/users", {"username": "newbie", "password": "Initial-pw-1", "role": "township",
                                          "jurisdiction": "610424001"}).status_code == 201
    answers = {"密码: ": ["Initial-pw-1"], "新密码: ": ["My-0wn-pass"], "再次输入新密码: ": ["My-0wn-pass"]}
    asked = []
    monkeypatch.setattr(getpass, "getpass", lambda prompt: (asked.append(prompt), answers[prompt].pop())[1])
    parser = argparse.ArgumentParser()
    sync_cli.add_arguments(parser)
    args = parser.parse_args(["--server", server.url, "--user", "newbie", "--data-dir", str(tmp_path)])
    assert sync_cli.run(args) == 0
    assert asked == ["密码: ", "新密码: ", "再次输入新密码: "]
    assert '"ok": true' in capsys.readouterr().out
