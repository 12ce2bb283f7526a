"""`hecha` starts the GUI (offscreen here), `hecha gui --help` stays Qt-free and instant."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_gui_is_registered_and_help_is_qt_free():
    code = ("import sys\nfrom client.cli import build_parser\n"
            "p = build_parser()\nassert p.parse_args(['gui', '--large-font']).large_font\n"
            "assert not [m for m in sys.modules if m.startswith('PySide6')]\n")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_hecha_without_subcommand_means_gui(monkeypatch):
    import ui.cli
    from client.cli import main
    seen = []
    monkeypatch.setattr(ui.cli, "run", lambda args: seen.append(args.command) or 0)
    assert main([]) == 0 and seen == ["gui"]


def test_gui_comes_up_and_quits(tmp_path):
    env = dict(os.environ, HECHA_HOME=str(tmp_path / "home"), QT_QPA_PLATFORM="offscreen")
    # The real process: the login screen comes up, then the smoke timer quits it.
    proc = subprocess.run([sys.executable, "-m", "client", "gui", "--quit-after", "0.5"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "hecha gui ready" in proc.stdout
    assert (tmp_path / "home" / "logs" / "hecha.log").exists()
