"""Translations: every user-visible string in ui/ is in the Linguist source and translated to
English, and the shipped .qm catalogue is what the app loads."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from ui import i18n

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "hecha_en.ts"


def _unfinished(ts: Path) -> list[str]:
    out = []
    for m in ET.parse(ts).iter("message"):
        t = m.find("translation")
        if t is not None and t.get("type") in ("unfinished", None) and not (t.text or "").strip():
            out.append(m.findtext("source"))
    return out


def test_ts_is_complete_and_up_to_date(tmp_path):
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    ts = tmp_path / "check.ts"
    shutil.copy(TS, ts)
    sources = sorted(str(p) for p in (ROOT / "ui").rglob("*.py"))
    subprocess.run([str(lupdate), *sources, "-source-language", "zh_CN", "-target-language", "en",
                    "-locations", "none", "-no-obsolete", "-silent", "-tr-function-alias",
                    "tr+=_t", "-ts", str(ts)], check=True, cwd=ROOT)
    missing = _unfinished(ts)
    assert not missing, f"run scripts/build_translations and translate: {missing[:10]}"


def test_english_catalogue_loads(qapp):
    try:
        i18n.install_translators(qapp, "en")
        assert QCoreApplication.translate("", "保存修改 Ctrl+S") == "Save changes Ctrl+S"
        assert QCoreApplication.translate("Navigation", "异常数据") == "Error records"
    finally:
        i18n.install_translators(qapp, "zh_CN")
    assert QCoreApplication.translate("", "保存修改 Ctrl+S") == "保存修改 Ctrl+S"


def test_every_ui_module_translates_in_the_context_lupdate_uses(qapp):
    # lupdate files `_t(...)` strings (the tr alias) under the empty context; a module whose
    # `_t` asks another context would silently stay Chinese in the English UI.
    import importlib
    import pkgutil

    import ui

    try:
        i18n.install_translators(qapp, "en")
        checked = 0
        for info in pkgutil.walk_packages(ui.__path__, "ui."):
            module = importlib.import_module(info.name)
            translate = getattr(module, "_t", None)
            if translate is None or getattr(translate, "__module__", None) != info.name:
                continue
            checked += 1
            # every module's `_t` must find the shared catalogue entry for this common string
            assert translate("培训模式") == "Training mode", info.name
        assert checked >= 3
    finally:
        i18n.install_translators(qapp, "zh_CN")
