"""The PyInstaller build (build.spec): builds the one-folder app and starts the frozen program in
its self-check mode (offscreen: open the window, start the demo server, sync once, quit 0)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from client import __version__

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_frozen_app_builds_and_passes_its_self_check(tmp_path):
    t0 = time.perf_counter()
    build = subprocess.run([sys.executable, "-m", "PyInstaller", str(ROOT / "build.spec"), "--noconfirm",
                            "--log-level", "WARN", "--distpath", str(tmp_path / "dist"),
                            "--workpath", str(tmp_path / "work")],
                           cwd=ROOT, capture_output=True, text=True, timeout=540)
    build_seconds = time.perf_counter() - t0
    assert build.returncode == 0, build.stderr[-4000:]
    app = tmp_path / "dist" / f"hecha-{__version__}"
    exe = app / ("hecha-console.exe" if os.name == "nt" else "hecha-console")
    assert exe.is_file() and (app / ("hecha.exe" if os.name == "nt" else "hecha")).is_file()
    internal = app / "_internal"
    assert (internal / "resources" / "data" / "divisions").is_dir()
    assert (internal / "resources" / "styles" / "hecha.qss").is_file()
    assert not list(internal.rglob("*Qt6Qml*")) and not list(internal.rglob("*Qt6Quick*"))

    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(HECHA_HOME=str(tmp_path / "home"), QT_QPA_PLATFORM="offscreen")
    version = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=60, env=env,
                             cwd=tmp_path)
    assert version.returncode == 0 and __version__ in version.stdout

    t1 = time.perf_counter()
    check = subprocess.run([str(exe), "demo", "--check", "--json"], capture_output=True, text=True,
                           timeout=180, env=env, cwd=tmp_path)
    check_seconds = time.perf_counter() - t1
    assert check.returncode == 0, check.stderr[-4000:]
    summary = json.loads(check.stdout.strip().splitlines()[-1])
    assert summary["ok"] is True and summary["pulled"] > 0
    # the console entry runs the reference server too (`hecha-console server`)
    server = subprocess.Popen([str(exe), "server", "--seed", "demo", "--people", "300", "--port", "0",
                               "--db", str(tmp_path / "frozen-server.db")], env=env, cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = None
        for line in server.stdout:
            if line.startswith("同步服务器："):
                url = line.split("：", 1)[1].split()[0]
                break
        assert url, "frozen server did not start"
        import requests
        assert requests.get(url + "/v1/health", timeout=30).json()["training"] is True
    finally:
        server.terminate()
        server.wait(30)
        server.stdout.close()
    size = sum(f.stat().st_size for f in app.rglob("*") if f.is_file() and not f.is_symlink())
    print(f"\nbuild {build_seconds:.0f} s; folder {size / 2**20:.0f} MiB; self-check {check_seconds:.1f} s; "
          f"first window {summary['seconds']['first_window']} s, main window {summary['seconds']['window']} s, "
          f"first sync {summary['seconds']['first_sync']} s")
