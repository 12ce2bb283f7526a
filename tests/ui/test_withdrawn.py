"""Cases that leave the worker while an edit is pending: reassigned or withdrawn on the reference
server, the banner says why, to whom and when; the unsent work can be exported (.xlsx, read back)
or discarded after confirmation, and nothing of it reaches the server."""

from __future__ import annotations

from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from client.domain.idnumber import id_check_char
from tests.ui.conftest import wait_idle
from tests.ui.workflow_data import server_case, server_person


def sync(qtbot, bg, window):
    with qtbot.waitSignal(window.sync.sig_finished, timeout=30_000) as got:
        window.sync.sync_now()
    wait_idle(qtbot, bg)
    return got.args[0]


def show(qtbot, window, case_id):
    window.open_case(case_id)
    qtbot.waitUntil(lambda: getattr(window.pages.currentWidget(), "task", None) is not None
                    and window.pages.currentWidget().task.id == case_id, timeout=5000)
    return window.pages.currentWidget()


def test_reassigned_with_edit_pending_export_then_discard(qtbot, bg, window, workspace, live_server,
                                                         tmp_path):
    person = workspace.task("E-3").data["person"]
    fixed = person["id_number"][:17] + id_check_char(person["id_number"][:17])
    bg.run_blocking_on_db(workspace.fix_error, "E-3", {"id_number": fixed})
    office = live_server.client("carol")
    r = office.post("/v1/admin/cases/E-3/reassign", {"to": "carol"})
    assert r.status_code == 200, r.text
    report = sync(qtbot, bg, window)
    assert "E-3" in report.gone, report
    page = show(qtbot, window, "E-3")
    banner = page.withdrawn
    assert banner.isVisible()
    text = banner.label.text()
    assert "已改派" in text and "转给 carol" in text and "时间" in text and "尚未上传" in text
    # Nothing can be submitted any more; export and discard are offered.
    assert banner.export_button.isVisible() and banner.discard_button.isVisible()
    assert not page.save_button.isEnabled() and not page.confirm_button.isEnabled()
    path = tmp_path / "E-3.xlsx"
    done = []
    banner.export_to(str(path), on_done=done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    rows = list(load_workbook(path).active.values)
    assert "已改派" in rows[0][0] and any(fixed in str(row) for row in rows[2:]), rows
    # Discard asks first; "保留" keeps the edit.
    qtbot.mouseClick(banner.discard_button, Qt.MouseButton.LeftButton)
    box = banner.confirm_box
    assert "放弃后无法恢复" in box.text()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.No), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, bg)
    assert workspace.task("E-3").pending_ops == 1
    qtbot.mouseClick(banner.discard_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(banner.sig_changes, timeout=10_000):
        qtbot.mouseClick(banner.confirm_box.button(QMessageBox.StandardButton.Yes),
                         Qt.MouseButton.LeftButton)
    wait_idle(qtbot, bg)
    task = workspace.task("E-3")
    assert task.pending_ops == 0 and task.status == "archived" and not task.editable
    report = sync(qtbot, bg, window)
    assert report.pushed == 0
    assert server_person(live_server, person["person_id"])["id_number"] == person["id_number"]
    assert server_case(live_server, "E-3")["assigned_to"] == "carol"


def test_withdrawn_birth_with_confirmation_pending(qtbot, bg, window, workspace, live_server):
    page = show(qtbot, window, "B-1")
    with qtbot.waitSignal(page.sig_changes, timeout=10_000):
        qtbot.keyClick(page.form.rows["name"].editor, Qt.Key.Key_S,
                       Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, bg)
    r = live_server.client("carol").post("/v1/admin/cases/B-1/withdraw", {"note": "县里统一处理"})
    assert r.status_code == 200, r.text
    report = sync(qtbot, bg, window)
    assert "B-1" in report.gone, report
    page = show(qtbot, window, "B-1")
    assert page is window.births
    assert page.withdrawn.isVisible() and "已收回" in page.withdrawn.label.text()
    assert not page.confirm_button.isEnabled() and not page.reject_button.isEnabled()
    assert server_person(live_server, "P-B-1") is None
    qtbot.mouseClick(page.withdrawn.discard_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(page.withdrawn.sig_changes, timeout=10_000):
        qtbot.mouseClick(page.withdrawn.confirm_box.button(QMessageBox.StandardButton.Yes),
                         Qt.MouseButton.LeftButton)
    wait_idle(qtbot, bg)
    assert workspace.task("B-1").pending_ops == 0
    assert server_case(live_server, "B-1")["status"] == "withdrawn"
