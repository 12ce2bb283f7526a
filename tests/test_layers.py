"""The layer rules of DESIGN.md (pyproject.toml [tool.importlinter]) hold for the whole tree."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" not in result.stdout.lower().replace("0 broken", "")


def test_types_check():
    # mypy with pyproject.toml's [tool.mypy]: strict on client/ and sync/, ui/ non-strict.
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    checked = re.search(r"Success: no issues found in (\d+) source files", result.stdout)
    assert checked and int(checked.group(1)) > 100, result.stdout  # it saw the whole tree


def test_core_packages_import_without_qt():
    # A fresh interpreter imports every client/ and sync/ module and must not load PySide6.
    code = (
        "import pkgutil, importlib, sys, client, sync\n"
        "for pkg in (client, sync):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        if '.server' in m.name: continue\n"
        "        importlib.import_module(m.name)\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'qasync'))]\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_version_command():
    out = subprocess.run([sys.executable, "-m", "client", "--version"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    import client
    assert out.strip() == f"hecha {client.__version__}"
