"""client.paths: locations (HECHA_HOME, portable, per-user) and typed settings in a real JSON file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from client import paths
from client.paths import SETTINGS, Settings, app_paths


def test_home_override_puts_everything_under_it(tmp_path):
    p = app_paths({"HECHA_HOME": str(tmp_path / "h")})
    assert p.mode == "home"
    assert p.data_dir == tmp_path / "h" / "data"
    assert p.log_dir == tmp_path / "h" / "logs"
    assert p.settings_file == tmp_path / "h" / "settings.json"
    assert not p.data_dir.exists()  # resolving creates nothing
    p.ensure()
    assert p.data_dir.is_dir() and p.log_dir.is_dir()


def test_portable_marker_next_to_executable(tmp_path):
    exe = tmp_path / "app" / "hecha.exe"
    exe.parent.mkdir()
    exe.write_bytes(b"")
    assert app_paths({}, executable=str(exe)).mode == "user"
    (exe.parent / "portable.txt").write_text("")
    p = app_paths({}, executable=str(exe))
    assert p.mode == "portable"
    assert p.data_dir == exe.parent.resolve() / "hecha-data" / "data"
    # HECHA_HOME still wins over portable mode (tests must never touch a real install).
    assert app_paths({"HECHA_HOME": str(tmp_path / "x")}, executable=str(exe)).mode == "home"


def test_user_mode_uses_platform_dirs(tmp_path):
    exe = tmp_path / "hecha"
    p = app_paths({}, executable=str(exe))
    assert p.mode == "user"
    assert "hecha" in str(p.data_dir).lower() and "hecha" in str(p.settings_file).lower()


def test_settings_defaults_types_and_roundtrip(tmp_path):
    f = tmp_path / "settings.json"
    s = Settings.load(f)
    for name, setting in SETTINGS.items():
        assert s.get(name) == setting.default
    assert s.get("language") == "zh_CN"
    s.set("language", "en")
    s.set("large_font", True)
    s.set("idle_lock_minutes", 5)
    s.set("font_scale", 2)  # int accepted for a float setting
    s.set("list_positions", {"error/open": "E-7"})
    s.save()
    assert json.loads(f.read_text("utf-8"))["language"] == "en"
    t = Settings.load(f)
    assert (t.get("language"), t.get("large_font"), t.get("idle_lock_minutes")) == ("en", True, 5)
    assert t.get("font_scale") == 2.0 and isinstance(t.get("font_scale"), float)
    assert t.get("list_positions") == {"error/open": "E-7"}


def test_settings_reject_wrong_types_and_unknown_names(tmp_path):
    s = Settings.load(tmp_path / "s.json")
    with pytest.raises(TypeError):
        s.set("idle_lock_minutes", "15")
    with pytest.raises(TypeError):
        s.set("large_font", 1)  # an int is not a flag
    with pytest.raises(KeyError):
        s.get("no_such_setting")
    with pytest.raises(KeyError):
        s.set("no_such_setting", 1)


def test_mutable_defaults_are_not_shared(tmp_path):
    s = Settings.load(tmp_path / "s.json")
    s.get("server_profiles").append({"url": "x"})
    assert s.get("server_profiles") == []


@pytest.mark.parametrize("content", ["", "{not json", "[1, 2]", "\x00\xff"])
def test_damaged_file_gives_defaults(tmp_path, content):
    f = tmp_path / "settings.json"
    f.write_text(content, encoding="utf-8", errors="surrogateescape") if "\xff" not in content \
        else f.write_bytes(b"\x00\xff\xfe")
    s = Settings.load(f)
    assert s.get("language") == "zh_CN"


def test_wrong_typed_value_in_file_falls_back_and_unknown_keys_survive(tmp_path):
    f = tmp_path / "settings.json"
    f.write_text(json.dumps({"idle_lock_minutes": "ten", "large_font": 1, "future_key": [1]}), "utf-8")
    s = Settings.load(f)
    assert s.get("idle_lock_minutes") == 15
    assert s.get("large_font") is False
    s.set("language", "en")
    s.save()
    assert json.loads(f.read_text("utf-8"))["future_key"] == [1]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".settings-")]


def test_paths_module_is_qt_free():
    code = "import client.paths, sys; assert not [m for m in sys.modules if m.startswith('PySide6')]"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(paths.__file__).parents[1])
