"""The error editor shows the server's findings the client cannot re-check (a mother living in
another township) and sends the worker's reason for them: the strict server applies the op."""

from __future__ import annotations

import pytest

from tests.support.sync_env import memory_keyring, office, open_ws, proxy  # noqa: F401
from tests.workspace.test_server_findings import _dataset


@pytest.fixture
def server(live_server_factory):
    return live_server_factory(_dataset())


def test_editor_shows_and_explains_server_only_warning(qtbot, bg, open_ws, office):
    from ui.error_editor import ErrorRecordEditor
    ws = open_ws()
    ws.sync()
    editor = ErrorRecordEditor(bg, ws)
    qtbot.addWidget(editor)
    editor.show_task(ws.task("E-2"))
    shown = {f.code for f in editor.form.findings()}
    assert {"PARENT_MOTHER_AGE_W", "PARENT_BIRTH_INTERVAL"} <= shown
    assert {f.code for f in editor.panel._findings} == shown
    row = editor.form.rows["residence_address"]
    row.set_value("城关街道3组5号")
    editor.form.flush()
    # Saving without reasons is refused on screen (the warnings stay listed); with them it goes.
    editor.save()
    assert ws.pending_count() == 0
    assert {"PARENT_MOTHER_AGE_W", "PARENT_BIRTH_INTERVAL"} <= {f.code for f in editor.form.findings()}
    editor.panel.set_reason("PARENT_MOTHER_AGE_W", "母亲年龄已核实")
    editor.panel.set_reason("PARENT_BIRTH_INTERVAL", "出生日期已核对")
    editor.save()
    qtbot.waitUntil(lambda: ws.pending_count() == 1, timeout=5000)
    assert ws.sync().rejected == []
    case = office.case("E-2")["record"]
    assert case["data"]["status"] == "completed"
    assert case["data"]["person"]["residence_address"] == "城关街道3组5号"


def test_refused_action_lists_its_findings_in_the_panel(qtbot, bg, open_ws):
    from client.domain.models import Finding
    from client.workspace import ValidationRefused
    from ui.error_editor import ErrorRecordEditor
    ws = open_ws()
    ws.sync()
    editor = ErrorRecordEditor(bg, ws)
    qtbot.addWidget(editor)
    editor.show_task(ws.task("E-2"))
    refused = Finding(code="PARENT_MOTHER_AGE_E", severity="E", fields=("birth_date",),
                      message="生育时母亲年龄为11岁", params={})
    editor.on_action_error(ValidationRefused(errors=[refused]))
    assert "PARENT_MOTHER_AGE_E" in {f.code for f in editor.panel.findings()}
    assert editor.save_button.isEnabled()


def test_a_reason_typed_on_one_case_does_not_explain_the_next(qtbot, bg, open_ws):
    from ui.error_editor import ErrorRecordEditor
    ws = open_ws()
    ws.sync()
    editor = ErrorRecordEditor(bg, ws)
    qtbot.addWidget(editor)
    editor.show_task(ws.task("E-2"))
    editor.panel.set_reason("PARENT_MOTHER_AGE_W", "母亲年龄已核实")
    assert "PARENT_MOTHER_AGE_W" in editor.panel.overrides()
    other = next(t for t in ws.tasks(kind="error") if t.id != "E-2")
    editor.show_task(other)
    editor.show_task(ws.task("E-2"))
    assert editor.panel.overrides() == {}
