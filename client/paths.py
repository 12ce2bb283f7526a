"""Where Hecha keeps its data, logs and settings, and the typed settings themselves.

One module decides every location (no Qt here: the headless CLI and the sync engine use it too).
Order: HECHA_HOME (tests, scripts) > portable mode (a `portable.txt` next to the executable or
the application directory) > the per-user platform directories (platformdirs).
"""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import platformdirs

log = logging.getLogger(__name__)

APP_NAME = "hecha"
HOME_ENV = "HECHA_HOME"
PORTABLE_MARKER = "portable.txt"
PORTABLE_DIR_NAME = "hecha-data"
SETTINGS_FILE_NAME = "settings.json"


@dataclass(frozen=True)
class AppPaths:
    """The resolved locations. `mode` is "home" (HECHA_HOME), "portable" or "user"."""

    mode: str
    data_dir: Path
    log_dir: Path
    config_dir: Path

    @property
    def settings_file(self) -> Path:
        return self.config_dir / SETTINGS_FILE_NAME

    @property
    def log_file(self) -> Path:
        return self.log_dir / "hecha.log"

    def ensure(self) -> "AppPaths":
        """Create the directories (idempotent) and return self."""
        for d in (self.data_dir, self.log_dir, self.config_dir):
            d.mkdir(parents=True, exist_ok=True)
        return self


def app_dir(executable: str | None = None) -> Path:
    """The directory the application runs from: next to the frozen executable, or the source
    tree root when running from source."""
    if executable is not None:
        return Path(executable).resolve().parent
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parents[1]


def app_paths(environ: Mapping[str, str] | None = None, executable: str | None = None) -> AppPaths:
    """Resolve the locations for this run (pure: nothing is created; call .ensure())."""
    env = os.environ if environ is None else environ
    home = env.get(HOME_ENV, "").strip()
    if home:
        root = Path(home).expanduser().resolve()
        return AppPaths("home", root / "data", root / "logs", root)
    base = app_dir(executable)
    if (base / PORTABLE_MARKER).is_file():
        root = base / PORTABLE_DIR_NAME
        return AppPaths("portable", root / "data", root / "logs", root)
    return AppPaths(
        "user",
        Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
    )


# ---------------------------------------------------------------------------------------------
# Settings: declared once, with type and default. Unknown keys in the file are kept (a newer
# version may have written them); values of the wrong type fall back to the default.


@dataclass(frozen=True)
class Setting:
    name: str
    type: type
    default: Any
    doc: str
    bounds: tuple[float, float] | None = None   # numbers outside are brought inside (never refused)


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting("language", str, "zh_CN", "UI language: zh_CN (default) or en"),
        Setting("large_font", bool, False, "big-font mode for projectors and older eyes"),
        Setting("font_scale", float, 1.35, "font scale factor used by large_font mode"),
        Setting("server_url", str, "", "address of the sync server of the last login"),
        Setting("ca_file", str, "", "optional CA bundle (PEM) of the province's server"),
        Setting("client_cert_file", str, "", "the worker's certificate (.p12/.pfx) of the last login"),
        Setting("server_profiles", list, [], "saved server profiles: [{name, url, ca_file}]"),
        Setting("last_username", str, "", "username of the last login, prefilled"),
        Setting("idle_lock_minutes", int, 15, "lock the window after this many idle minutes (1 to 30; "
                "等保三级: it cannot be switched off)", bounds=(1, 30)),
        Setting("auto_sync_minutes", int, 10, "background sync interval in minutes (0: off)"),
        Setting("sync_timeout_seconds", float, 30.0, "network timeout per request"),
        Setting("window_geometry", str, "", "main window geometry (base64 of Qt's saveGeometry)"),
        Setting("list_positions", dict, {}, "last selected case per worklist: {list key: case id}"),
    )
}


def _coerce(setting: Setting, value: Any) -> Any:
    # bool is an int subclass: check it first so 1/0 in the file do not become flags silently.
    if setting.type is bool:
        if isinstance(value, bool):
            return value
        raise TypeError
    if setting.type is float and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if setting.type is int and isinstance(value, int) and not isinstance(value, bool):
        if setting.bounds is not None:
            return int(min(max(value, setting.bounds[0]), setting.bounds[1]))
        return value
    if setting.type in (str, list, dict) and isinstance(value, setting.type):
        return value
    raise TypeError


class Settings:
    """Typed settings stored as JSON. `settings.get("language")`, `settings.set(...)`,
    `settings.save()` (atomic: write a temporary file, then replace)."""

    def __init__(self, path: Path, values: dict[str, Any] | None = None):
        self.path = Path(path)
        self._values: dict[str, Any] = dict(values or {})

    @classmethod
    def load(cls, path: Path) -> "Settings":
        path = Path(path)
        values: dict[str, Any] = {}
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(raw, dict):
                values = raw
            else:
                log.warning("settings file %s is not a JSON object; using defaults", path)
        except FileNotFoundError:
            pass
        except (OSError, ValueError) as exc:
            # A damaged settings file must never stop the app from starting.
            log.warning("cannot read settings file %s (%s); using defaults", path, exc)
        return cls(path, values)

    def get(self, name: str) -> Any:
        setting = SETTINGS[name]  # KeyError for undeclared names: settings are declared once
        if name in self._values:
            try:
                value = _coerce(setting, self._values[name])
            except TypeError:
                log.warning("setting %s has a value of the wrong type; using the default", name)
            else:
                return json.loads(json.dumps(value)) if setting.type in (list, dict) else value
        default = setting.default
        return json.loads(json.dumps(default)) if setting.type in (list, dict) else default

    def set(self, name: str, value: Any) -> None:
        setting = SETTINGS[name]
        try:
            self._values[name] = _coerce(setting, value)
        except TypeError:
            raise TypeError(f"setting {name} takes {setting.type.__name__}, "
                            f"not {type(value).__name__}") from None

    def reset(self, name: str) -> None:
        self._values.pop(name, None)

    def as_dict(self) -> dict[str, Any]:
        return {name: self.get(name) for name in SETTINGS}

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(self._values, ensure_ascii=False, indent=2, sort_keys=True)
        fd, tmp = tempfile.mkstemp(prefix=".settings-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def load_settings(paths: AppPaths | None = None) -> Settings:
    """The settings of this run's location."""
    return Settings.load((paths or app_paths()).settings_file)
