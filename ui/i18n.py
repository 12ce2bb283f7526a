"""Translations: Chinese is the source language; English comes from resources/translations.

Qt's own strings (dialog buttons, 详细信息) come from the qtbase catalogues shipped with PySide6.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)

TRANSLATIONS_DIR = Path(__file__).resolve().parents[1] / "resources" / "translations"
LANGUAGES = {"zh_CN": "中文（简体）", "en": "English"}
DEFAULT_LANGUAGE = "zh_CN"

_installed: list[QTranslator] = []


def install_translators(app: QCoreApplication, language: str) -> str:
    """Install the catalogues for language (unknown values fall back to Chinese); returns the
    language actually used. Replaces translators installed earlier."""
    for t in _installed:
        app.removeTranslator(t)
    _installed.clear()
    if language not in LANGUAGES:
        log.warning("unknown language %r; using %s", language, DEFAULT_LANGUAGE)
        language = DEFAULT_LANGUAGE
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China)
                       if language == "zh_CN" else QLocale(QLocale.Language.English))
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    candidates = [(f"qtbase_{language}", qt_dir), (f"hecha_{language}", str(TRANSLATIONS_DIR))]
    for name, directory in candidates:
        t = QTranslator(app)
        if t.load(name, directory):
            app.installTranslator(t)
            _installed.append(t)
        elif name.startswith("hecha_") and language != DEFAULT_LANGUAGE:
            log.warning("translation %s not found in %s", name, directory)
    return language
