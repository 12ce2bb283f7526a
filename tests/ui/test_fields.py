"""Field widgets: code-table combos with type-ahead, the ID-number field, the date field."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from client.domain.idnumber import make_id_number
from tests.ui.conftest import type_text
from ui.widgets.code_combo import CodeCombo
from ui.widgets.date_field import DateField, parse_date_text
from ui.widgets.id_field import IdNumberField

TABLES = ["sex", "ethnicity", "relation", "marital", "education_2006", "hukou_type"]


@pytest.mark.parametrize("table", TABLES)
def test_code_combo_roundtrip_every_code(qtbot, table):
    combo = CodeCombo(table)
    qtbot.addWidget(combo)
    for entry in combo.table.entries():
        combo.set_code(entry.code)
        assert combo.code() == entry.code
        assert combo.currentText().startswith(entry.code)
    combo.set_code(None)
    assert combo.code() is None and combo.currentText() == ""


def test_code_combo_type_ahead_by_name_code_and_alias(qtbot):
    combo = CodeCombo("ethnicity")
    qtbot.addWidget(combo)
    changes = []
    combo.sig_code_changed.connect(changes.append)
    combo.show()
    combo.setFocus()
    for typed, expected in [("回族", "03"), ("1", "01"), ("毛难族", "36"), ("维吾尔", "05")]:
        combo.lineEdit().selectAll()
        type_text(combo.lineEdit(), typed)
        qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_Tab)
        combo.lineEdit().editingFinished.emit()
        assert combo.code() == expected, typed
    assert changes[-1] == "05" and "03" in changes


def test_code_combo_rejects_garbage_and_keeps_previous(qtbot):
    combo = CodeCombo("marital")
    qtbot.addWidget(combo)
    combo.set_code("20")
    combo.lineEdit().setText("不知道什么")
    combo.lineEdit().editingFinished.emit()
    assert combo.code() == "20" and combo.currentText().startswith("20")


def test_code_combo_keeps_unknown_code_visible(qtbot):
    combo = CodeCombo("ethnicity")
    qtbot.addWidget(combo)
    combo.set_code("77")
    assert combo.code() == "77" and "不在代码表中" in combo.currentText()
    combo.set_code("01")
    assert combo.count() == len(combo.table) + 1  # the stray row is gone again


def test_code_combo_model(qtmodeltester, qtbot):
    combo = CodeCombo("relation")
    qtbot.addWidget(combo)
    qtmodeltester.check(combo.model())


# -- ID number field ----------------------------------------------------------------------------

VALID = "11010519491231002X"


def test_id_field_normalizes_while_typing(qtbot):
    f = IdNumberField()
    qtbot.addWidget(f)
    f.show()
    type_text(f.edit, "１１０１０５ 1949-1231 002x")
    assert f.value() == VALID
    assert f.state == "valid"
    assert "1949-12-31" in f.status.text() and "女" in f.status.text()


def test_id_field_cursor_stays_after_typed_char(qtbot):
    f = IdNumberField()
    qtbot.addWidget(f)
    f.set_value("110105")
    f.edit.setCursorPosition(3)
    f.edit.insert(" ")  # a space typed mid-number disappears, cursor stays put
    f._on_edited(f.edit.text())
    assert f.value() == "110105" and f.edit.cursorPosition() == 3


def test_id_field_typing_counts_then_errors(qtbot):
    f = IdNumberField()
    qtbot.addWidget(f)
    qtbot.keyClicks(f.edit, "3604261991")
    assert f.state == "typing" and "10/18" in f.status.text()
    f.set_value("36042619910102009X")
    assert f.state == "invalid" and "校验位" in f.status.text()
    f.set_value("6.10102E+17")
    assert f.state == "invalid" and "科学计数法" in f.status.text()
    f.set_value("")
    assert f.state == "empty" and f.status.text() == ""


def test_id_field_flags_mismatch_with_form(qtbot):
    number = make_id_number("610424", date(1990, 1, 1), 123)  # odd sequence: male
    f = IdNumberField()
    qtbot.addWidget(f)
    f.set_value(number)
    f.set_expected("1990-01-01", "1")
    assert f.state == "valid" and f.mismatches() == []
    f.set_expected("1990-01-02", "2")
    assert f.state == "mismatch" and f.mismatches() == ["birth_date", "sex"]
    assert "出生日期" in f.status.text() and "性别" in f.status.text()
    assert f.edit.property("finding") == "error"


def test_id_field_15_digit_warning(qtbot):
    f = IdNumberField()
    qtbot.addWidget(f)
    f.set_value("110105491231002")
    assert f.check().normalized == VALID


# -- date field ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text, iso", [
    ("1990-1-2", "1990-01-02"), ("19900102", "1990-01-02"), ("1990/01/02", "1990-01-02"),
    ("1990年1月2日", "1990-01-02"), ("１９９０．１．２", "1990-01-02"), ("1990-02-30", None),
    ("abc", None), ("", None),
])
def test_parse_date_text(text, iso):
    assert parse_date_text(text) == iso


def test_date_field_normalizes_on_leaving(qtbot):
    f = DateField()
    qtbot.addWidget(f)
    values = []
    f.sig_value_changed.connect(values.append)
    qtbot.keyClicks(f, "19900102")
    f.editingFinished.emit()
    assert f.text() == "1990-01-02" and f.value() == "1990-01-02" and values[-1] == "1990-01-02"
    f.setText("1990-13-01")
    f.editingFinished.emit()
    assert not f.is_valid() and f.value() == "1990-13-01" and "格式" in f.toolTip()
    f.set_value(None)
    assert f.value() is None
