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
    sources = i18n.catalogue_sources(ROOT)
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


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_every_rule_word_is_in_the_catalogue_and_english_findings_read_english(qapp):
    """Issue 14.7: the core's rule messages, field names and rule descriptions are written once
    (client/domain) and translated by the catalogue; the English UI shows no Chinese finding."""
    from client.domain import messages
    from client.domain.models import Finding
    from client.domain.rules import RULES, validate_person
    from ui.help_sheet import rule_explanation
    from ui.messages import RULES as CONTEXT, field_name, finding_text
    try:
        i18n.install_translators(qapp, "en")
        words = [*messages.TEMPLATES.values(), *messages.FIELD_LABELS.values(),
                 *(r.description for r in RULES)]
        chinese = [w for w in words if _has_chinese(QCoreApplication.translate(CONTEXT, w))
                   and "未取名" not in w]
        assert not chinese, chinese[:5]
        finding = Finding("ID_CHECKSUM", "E", ("id_number",), "身份证号码校验位不对",
                          {"id_number": "610424198503048671", "expected": "0"})
        text = finding_text(finding)
        assert text.startswith("The check character of the ID number (610424198503048671)")
        assert "give 0" in text
        # Words inside the params are translated too (field names, sex names).
        found = validate_person({"name": "张三", "sex": "1", "birth_date": "1990-01-01",
                                 "id_number": "610424199001010022", "relation": "02",
                                 "ethnicity": "01", "hukou_type": "1", "marital_status": "10",
                                 "hukou_place": "610424001001", "residence_place": "610424001001"})
        sex = next(f for f in found if f.code == "ID_SEX_MISMATCH")
        assert "(M)" in finding_text(sex) and not _has_chinese(finding_text(sex))
        assert field_name("birth_date") == "Date of birth"
        assert not _has_chinese(rule_explanation("ID_CHECKSUM"))
    finally:
        i18n.install_translators(qapp, "zh_CN")
    assert finding_text(finding).startswith("身份证号码（610424198503048671）校验位不对")
