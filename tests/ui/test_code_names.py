"""Code-table names in the UI's language: the English UI shows English names, the Chinese UI the
standard's names, and the store keeps the codes."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from client.domain.codes import TABLE_FILES, code_table
from ui import i18n
from ui.code_names import CATALOGUE, CONTEXT, code_name, display_value
from ui.messages import rule_text
from ui.person_form import change_text
from ui.widgets.code_combo import CodeCombo


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_every_table_name_is_in_the_catalogue_and_translated(qapp):
    names = {e.name for t in TABLE_FILES for e in code_table(t).entries()}
    assert names - set(CATALOGUE) == set(), "add the new names to ui/code_names.CATALOGUE"
    try:
        i18n.install_translators(qapp, "en")
        chinese = sorted(n for n in names if _has_chinese(QCoreApplication.translate(CONTEXT, n)))
        assert not chinese, chinese[:10]
    finally:
        i18n.install_translators(qapp, "zh_CN")


def test_english_combo_shows_han_and_chinese_shows_hanzu(qapp, qtbot):
    try:
        i18n.install_translators(qapp, "en")
        combo = CodeCombo("ethnicity")
        qtbot.addWidget(combo)
        combo.set_code("01")
        assert combo.currentText() == "01 Han" and combo.code() == "01"
        # the worker can type the English name; the value stays the code
        combo.lineEdit().setText("tibetan")
        combo.lineEdit().editingFinished.emit()
        assert combo.code() == "04" and combo.currentText() == "04 Tibetan"
        sex = CodeCombo("sex")
        qtbot.addWidget(sex)
        sex.set_code("2")
        assert sex.currentText() == "2 Female"
        assert display_value("relation", "02") == "02 Head of household"
        assert display_value("marital_status", "20") == "20 Married"
        assert code_name("hukou_type", "2") == "Agricultural hukou"
    finally:
        i18n.install_translators(qapp, "zh_CN")
    combo = CodeCombo("ethnicity")
    qtbot.addWidget(combo)
    combo.set_code("01")
    assert combo.currentText() == "01 汉族" and combo.code() == "01"
    assert display_value("relation", "02") == "02 户主"


def test_change_text_of_the_summary_and_outbox_export_names_fields_and_codes(qapp):
    change = {"from": "01", "to": "02"}
    assert change_text("ethnicity", change) == "民族 01 汉族 → 02 蒙古族"
    try:
        i18n.install_translators(qapp, "en")
        text = change_text("ethnicity", change)
        assert text.endswith(" 01 Han → 02 Mongol") and not _has_chinese(text), text
    finally:
        i18n.install_translators(qapp, "zh_CN")


def test_code_names_in_findings_read_english(qapp):
    params = {"relation_name": "夫", "implied_sex_name": "男", "sex_name": "女"}
    try:
        i18n.install_translators(qapp, "en")
        text = rule_text("HH_RELATION_SEX", params)
        assert "Husband" in text and not _has_chinese(text), text
    finally:
        i18n.install_translators(qapp, "zh_CN")
    assert "夫" in rule_text("HH_RELATION_SEX", params)
