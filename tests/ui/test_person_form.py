"""The person form: findings at their fields, live re-validation, one-click fixes, changes."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from client.domain.idnumber import make_id_number
from client.domain.models import Person
from client.domain.rules import RuleContext
from tests.ui.conftest import type_text
from ui.findings_panel import FindingsPanel
from ui.person_form import PersonForm

ID = make_id_number("610424", date(1990, 1, 1), 123)  # male


def _person(**kw) -> Person:
    base = dict(person_id="P1", name="张伟", sex="1", birth_date="1990-01-01", ethnicity="01",
                relation="02", id_type="01", id_number=ID, hukou_type="1",
                hukou_place="610424001005", residence_place="610424001005",
                marital_status="21", first_marriage_date="2015-05-01")
    base.update(kw)
    return Person(**base)


@pytest.fixture
def form(qtbot):
    f = PersonForm()
    qtbot.addWidget(f)
    f.resize(1000, 800)
    f.show()
    return f


def _codes(form):
    return {f.code for f in form.findings()}


def test_clean_record_has_no_errors(form):
    form.set_person(_person(), RuleContext(household=[]))
    assert not [f for f in form.findings() if f.severity == "E"], form.findings()
    assert form.changes() == {}


def test_birth_date_mismatch_shown_at_field_and_fixed_by_id(form, qtbot):
    form.set_person(_person(birth_date="1990-01-02"), RuleContext(household=[]))
    assert "ID_BIRTH_MISMATCH" in _codes(form)
    row = form.rows["birth_date"]
    assert row.message.isVisible() and "不一致" in row.message.text()
    assert row.editor.property("finding") == "error"
    assert row.fix_button.isVisible() and row.fix_button.text() == "按证号改正"
    qtbot.mouseClick(row.fix_button, Qt.MouseButton.LeftButton)
    assert form.rows["birth_date"].value() == "1990-01-01"
    assert "ID_BIRTH_MISMATCH" not in _codes(form)
    assert not row.fix_button.isVisible() and not row.message.isVisible()
    # The fix is a change against the original, marked at the field.
    assert form.changes() == {"birth_date": {"from": "1990-01-02", "to": "1990-01-01"}}
    assert row.editor.property("changed") == "true" and "1990-01-02" in row.editor.toolTip()


def test_sex_fix(form):
    form.set_person(_person(sex="2"), RuleContext(household=[]))
    assert "ID_SEX_MISMATCH" in _codes(form)
    assert form.apply_id_fix("sex")
    assert form.person().sex == "1" and "ID_SEX_MISMATCH" not in _codes(form)


def test_revalidates_after_typing_pause(form, qtbot):
    form.set_person(_person(), RuleContext(household=[]))
    name = form.rows["name"].editor
    name.clear()
    name.setFocus()
    with qtbot.waitSignal(form.sig_validated, timeout=3000) as blocker:
        type_text(name, "")  # nothing typed yet
        name.textEdited.emit("")  # the worker cleared the name
    codes = {f.code for f in blocker.args[0]}
    assert any(c.startswith("REQ_NAME") or c == "REQ_FIELD" for c in codes), codes
    with qtbot.waitSignal(form.sig_validated, timeout=3000):
        type_text(name, "李娜")
    assert form.person().name == "李娜"
    assert not any(c.startswith("REQ_NAME") for c in _codes(form))


def test_debounce_coalesces_keystrokes(form, qtbot):
    form.set_person(_person(), RuleContext(household=[]))
    runs = []
    form.sig_validated.connect(runs.append)
    edit = form.rows["residence_address"].editor
    qtbot.keyClicks(edit, "No 12 Street")
    qtbot.waitUntil(lambda: len(runs) >= 1, timeout=3000)
    # Nothing left pending: the keystrokes were coalesced into this one validation.
    assert not form._timer.isActive()
    assert len(runs) == 1, "one validation after the pause, not one per key"
    assert form.changes()["residence_address"]["to"] == "No 12 Street"


def test_flush_validates_pending_edit(form):
    form.set_person(_person(), RuleContext(household=[]))
    form.rows["first_marriage_date"].editor.setText("1980-01-01")  # before birth
    form.rows["first_marriage_date"].editor.textEdited.emit("1980-01-01")
    findings = form.flush()
    assert any("first_marriage_date" in f.fields and f.severity == "E" for f in findings)


def test_unknown_fields_are_preserved(form):
    p = _person(status="active", data_source="PIS", household_id="H9")
    form.set_person(p, RuleContext(household=[]))
    out = form.person()
    assert (out.status, out.data_source, out.household_id) == ("active", "PIS", "H9")


def test_id_number_edit_updates_status(form):
    form.set_person(_person(), RuleContext(household=[]))
    idf = form.rows["id_number"].editor
    idf.edit.selectAll()
    type_text(idf.edit, ID[:-1] + ("0" if ID[-1] != "0" else "1"))
    form.revalidate()
    assert idf.state == "invalid" and "ID_CHECKSUM" in _codes(form)


def test_findings_panel_reasons_and_jump(qtbot, form):
    panel = FindingsPanel()
    qtbot.addWidget(panel)
    form.set_person(_person(first_marriage_date="2008-01-01"), RuleContext(household=[]))
    panel.set_findings(form.findings())
    warn = next(f for f in form.findings() if f.severity == "W")
    edit = panel.reason_edit(warn.code)
    assert edit is not None and panel.overrides() == {}
    type_text(edit, "户口本原件如此")
    assert panel.overrides() == {warn.code: "户口本原件如此"}
    panel.set_findings(form.findings())  # refresh keeps the reason
    assert panel.reason_edit(warn.code).text() == "户口本原件如此"
    jumped = []
    panel.sig_jump_to_field.connect(jumped.append)
    from PySide6.QtWidgets import QPushButton
    jump = [b for b in panel.findChildren(QPushButton) if b.text() == "跳到字段"][0]
    qtbot.mouseClick(jump, Qt.MouseButton.LeftButton)
    assert jumped and form.focus_field(jumped[0])
    panel.set_findings([])
    assert "未发现问题" in panel.title.text() and panel.overrides() == {}


def test_enter_moves_to_the_next_field(form, qtbot):
    form.set_person(_person(), RuleContext(household=[]))
    name = form.rows["name"].editor
    name.setFocus()
    qtbot.waitUntil(lambda: name.hasFocus(), timeout=2000)
    qtbot.keyClick(name, Qt.Key.Key_Return)
    assert not name.hasFocus()
