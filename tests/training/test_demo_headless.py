"""`hecha demo --headless`: one process starts the training server, logs the demo worker in and
syncs once; training data lives in its own directory apart from real users' data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PEOPLE = "1500"


def demo(home: Path, *args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    env = dict(os.environ, HECHA_HOME=str(home), PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, "-m", "client", "demo", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    return home, demo(home, "--headless", "--people", PEOPLE)


def test_headless_demo_starts_logs_in_and_syncs(first_run):
    home, r = first_run
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "正在生成演示数据" in out
    assert "培训模式 · 账号 xz001（城关街道 专干）" in out
    assert "同步完成" in out and "待办任务" in out
    url = next(line for line in out.splitlines() if line.startswith("培训服务器："))
    assert url.split("：", 1)[1].startswith("http://127.0.0.1:")


def test_training_data_lives_apart_from_real_users(first_run):
    home, r = first_run
    training = home / "data" / "training"
    assert (training / "server.db").is_file()
    assert (training / "client" / "users" / "xz001" / "store.db").is_file()
    assert not (home / "data" / "users").exists()  # nothing in the real users' tree


def test_second_run_reuses_the_data_and_reports_json(first_run):
    home, first = first_run
    assert first.returncode == 0, first.stderr
    r = demo(home, "--headless", "--json", "--people", PEOPLE)
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout.strip().splitlines()[-1])
    assert summary["ok"] is True and summary["username"] == "xz001"
    assert summary["tasks"] == sum(summary["by_kind"].values()) > 0
    assert set(summary["by_kind"]) <= {"error", "birth", "duplicates"}
    assert summary["pushed"] == 0 and summary["pulled"] == 0  # already in sync from the first run
    assert "正在生成" not in r.stdout


def test_unknown_demo_account_fails_with_a_clear_reason(first_run):
    home, _ = first_run
    r = demo(home, "--headless", "--user", "nobody", "--people", PEOPLE)
    assert r.returncode == 1
    assert "培训模式启动失败：演示数据中没有账号 nobody" in r.stderr
    assert "Traceback" not in r.stderr


def test_bad_people_value_is_refused(tmp_path):
    r = demo(tmp_path, "--headless", "--people", "0")
    assert r.returncode == 2 and "--people 必须大于 0" in r.stderr


def test_a_second_demo_on_the_same_directory_is_refused(tmp_path):
    from client.training.lock import DemoAlreadyRunning
    from client.training.server import DemoServer

    first = DemoServer(tmp_path / "training", people=300).start()
    try:
        r = demo(tmp_path, "--headless", "--data-dir", str(tmp_path / "training"), "--people", "300")
        assert r.returncode == 1
        assert "培训模式已经在运行" in r.stderr and "Traceback" not in r.stderr
        with pytest.raises(DemoAlreadyRunning):
            DemoServer(tmp_path / "training", people=300).start()
        r = demo(tmp_path, "--headless", "--fresh", "--data-dir", str(tmp_path / "training"), "--people", "300")
        assert r.returncode == 1 and "培训模式已经在运行" in r.stderr
        assert (tmp_path / "training" / "server.db").is_file()  # --fresh did not pull it away
    finally:
        first.stop()
    again = DemoServer(tmp_path / "training", people=300).start()  # free again after stop()
    again.stop()


def test_demo_leaves_no_refresh_token_in_the_keyring(tmp_path):
    import keyring

    from client.training.demo import DemoSession
    from tests.support.sync_env import MemoryKeyring

    old = keyring.get_keyring()
    kr = MemoryKeyring()
    keyring.set_keyring(kr)
    session = DemoSession(tmp_path / "training", people=300)
    try:
        session.start()
        session.open()
        assert session.workspace.auth.keyring_used  # the login did put it there
        session.sync()
        session.close_workspace()
        assert not [k for k in kr_entries(kr) if k.startswith("refresh:")]
    finally:
        session.close()
        keyring.set_keyring(old)


def kr_entries(kr) -> list[str]:
    return [name for (_service, name) in kr.data]


def test_fresh_starts_over_and_damaged_data_says_how_to(tmp_path):
    root = tmp_path / "training"
    root.mkdir()
    (root / "server.db").write_bytes(b"this is not a database" * 100)
    r = demo(tmp_path, "--headless", "--data-dir", str(root), "--people", "300")
    assert r.returncode == 1 and "hecha demo --fresh" in r.stderr and "Traceback" not in r.stderr
    r = demo(tmp_path, "--headless", "--fresh", "--data-dir", str(root), "--people", "300")
    assert r.returncode == 0, r.stderr
    assert "正在生成演示数据" in r.stdout
