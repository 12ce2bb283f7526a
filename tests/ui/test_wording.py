"""Issue 15.10, the words the worker reads: every compared field has a caption, a required note
says so, a request to fill something in goes once they type, a certificate's wrong issue date
is shown on the issue date (not on 出生日期)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from tests.ui.conftest import open_birth, type_text
from tests.ui.workflow_data import birth_dataset


@pytest.fixture
def server(live_server_factory):
    ds = birth_dataset()
    cert = ds.cases[0]["certificate"]  # B-1: issued in the future
    cert["issue_date"] = (date.today() + timedelta(days=30)).isoformat()
    return live_server_factory(ds)


def test_a_wrong_issue_date_is_shown_on_the_issue_date(qtbot, editor):
    open_birth(qtbot, editor, "B-1")
    qtbot.waitUntil(lambda: any(f.code == "BIRTH_ISSUE_DATE" for f in editor.panel.findings()),
                    timeout=5000)
    finding = next(f for f in editor.panel.findings() if f.code == "BIRTH_ISSUE_DATE")
    assert finding.fields == ("issue_date",)
    assert "签发" not in editor.form.rows["birth_date"].message.text()  # the birth date is right
    issued = editor.cert_labels["issued"]
    assert issued.property("finding") == "error" and "签发日期" in issued.toolTip()
    assert editor.cert_labels["born"].property("finding") == ""
    editor.jump_to_field("issue_date")
    qtbot.waitUntil(issued.hasFocus, timeout=2000)


def test_a_required_note_says_so_and_the_request_goes_when_typing(qtbot, editor):
    open_birth(qtbot, editor, "B-5")
    editor.ask_reject()
    dlg = editor.dialog
    assert "可选" in dlg.reason.placeholderText()
    dlg.choice_buttons["wrong_data"].setChecked(True)
    assert "必填" in dlg.reason.placeholderText()
    dlg.buttons_ok().click()
    assert dlg.hint.text() and dlg.isVisible()
    dlg.reason.setFocus()
    type_text(dlg.reason, "证")
    assert dlg.hint.text() == ""  # no stale request once the worker types
    dlg.reject()


def test_the_reason_dialog_forgets_its_request_once_typed(qtbot):
    from ui.error_editor import ReasonDialog
    dlg = ReasonDialog("核实无误", "请说明：")
    qtbot.addWidget(dlg)
    dlg.open()
    dlg._accept()
    assert dlg.hint.text() == "请填写原因。"
    type_text(dlg.reason, "户口本")
    assert dlg.hint.text() == ""


def test_every_person_field_has_a_caption():
    import dataclasses
    from client.domain.models import Person
    from ui.person_form import field_label
    raw = [f.name for f in dataclasses.fields(Person) if field_label(f.name) == f.name]
    assert not raw, raw
    assert field_label("managing_place") == "管理地"
