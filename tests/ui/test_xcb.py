"""The app on a real X server (issue 14.10): every library of Qt's xcb platform plugin resolves,
and `hecha demo --check` runs under Xvfb with QT_QPA_PLATFORM=xcb (offscreen tests never load
the xcb plugin, so a missing system library would otherwise go unnoticed)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import PySide6

from tests.support.xvfb import Xvfb

ROOT = Path(__file__).resolve().parents[2]
QT = Path(PySide6.__file__).parent / "Qt"


def _unresolved(lib: Path) -> list[str]:
    out = subprocess.run(["ldd", str(lib)], capture_output=True, text=True, check=True).stdout
    return [line.strip() for line in out.splitlines() if "not found" in line]


def test_every_library_of_the_xcb_plugin_resolves():
    plugin = QT / "plugins" / "platforms" / "libqxcb.so"
    assert plugin.is_file()
    libs = [plugin, *sorted((QT / "lib").glob("libQt6XcbQpa.so*"))]
    assert len(libs) >= 2, "libQt6XcbQpa (the plugin's own Qt library) is missing"
    missing = {str(lib.name): _unresolved(lib) for lib in libs}
    assert not any(missing.values()), f"install these with scripts/setup: {missing}"


def test_demo_check_runs_on_a_real_x_server_with_xcb(tmp_path):
    with Xvfb(width=1366, height=768) as display:
        env = dict(os.environ, HECHA_HOME=str(tmp_path / "home"), QT_QPA_PLATFORM="xcb",
                   DISPLAY=display)
        r = subprocess.run([sys.executable, "-m", "client", "demo", "--check", "--json",
                            "--people", "1500"], cwd=ROOT, env=env, capture_output=True,
                           text=True, timeout=240)
    assert r.returncode == 0, r.stderr[-3000:]
    assert "Could not load the Qt platform plugin" not in r.stderr
    summary = json.loads(r.stdout.strip().splitlines()[-1])
    assert summary["ok"] is True and summary["pulled"] > 0
    assert summary["platform"] == "xcb"
