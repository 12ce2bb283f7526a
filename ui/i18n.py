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

# Where the catalogue's Chinese source texts are (lupdate reads them): the UI, and the core's
# word lists marked with client.domain.messages.QT_TRANSLATE_NOOP (rule messages, field names,
# rule descriptions: context "rules").
SOURCE_GLOBS = ("ui/**/*.py", "client/messages.py", "client/domain/messages.py", "client/domain/rules/*.py")

_installed: list[QTranslator] = []
PSEUDO = "pseudo"  # development only: every text about 60 % longer, to check layouts survive


class PseudoTranslator(QTranslator):
    """Stretches every string of ui/ ("保存修改" → "［保存修改·保存］"), keeping {placeholders}
    intact, so screenshots show where longer translations would be cut off."""

    def translate(self, context, source, disambiguation=None, n=-1):
        if not source or context.startswith("Q"):
            return None  # Qt's own strings stay as they are
        pad = "".join(ch for ch in source if "{" not in ch and "}" not in ch)[: max(2, len(source) // 2)]
        if "{" in pad or "%" in source:
            pad = "·" * max(2, len(source) // 2)
        return f"［{source}·{pad}］"

    def isEmpty(self):
        return False


def catalogue_sources(root: Path) -> list[str]:
    """The files lupdate reads, relative to the project root."""
    return sorted({str(p.relative_to(root)) for g in SOURCE_GLOBS for p in root.glob(g)})


def install_translators(app: QCoreApplication, language: str) -> str:
    """Install the catalogues for language (unknown values fall back to Chinese); returns the
    language actually used. Replaces translators installed earlier."""
    for t in _installed:
        app.removeTranslator(t)
    _installed.clear()
    if language == PSEUDO:
        t = PseudoTranslator(app)
        app.installTranslator(t)
        _installed.append(t)
        return language
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
