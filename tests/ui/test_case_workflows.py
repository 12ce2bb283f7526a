"""Issue 6 workflows end to end against the real reference server: newborn confirmation and
registration, duplicate merge and separation, conflict resolution after an office edit, and a
case withdrawn with an edit pending. Each result is checked on the server through its admin API."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import type_text, wait_idle


def _show(qtbot, window, case_id):
    window.open_case(case_id)
    qtbot.waitUntil(lambda: getattr(window.pages.currentWidget(), "task", None) is not None
                    and window.pages.currentWidget().task.id == case_id, timeout=5000)
    return window.pages.currentWidget()


def _sync(qtbot, bg, window):
    with qtbot.waitSignal(window.sync.sig_finished, timeout=30_000) as got:
        window.sync.sync_now()
    wait_idle(qtbot, bg)
    return got.args[0]


def _office(live_server):
    return live_server.client("carol")


def test_birth_confirm_registers_into_mothers_household(qtbot, bg, window, live_server):
    page = _show(qtbot, window, "B-1")
    assert page is window.births
    assert "出生医学证明" in page.title.text() and "已匹配" in page.cert_labels["mother"].text()
    assert page.chosen_household() == "H-1"  # the mother's household, preselected
    assert page.form.rows["relation"].value() == "30" and "母亲关系" in page.relation_hint.text()
    assert "户成员" in page.members.text()
    type_text(page.form.rows["name"].editor, "王小花")
    page.form.flush()
    qtbot.keyClick(page.form.rows["name"].editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.worklist, timeout=10_000)
    report = _sync(qtbot, bg, window)
    assert report.pushed == 1 and not report.rejected, report
    case = _office(live_server).get("/v1/admin/cases/B-1").json()
    assert case["status"] != "open", case
    assert "王小花" in str(case["resolution"]) or "王小花" in str(case["record"])


def test_birth_reject_with_reason(qtbot, bg, window, live_server):
    page = _show(qtbot, window, "B-1")
    page.ask_reject()
    dlg = page.dialog
    dlg.choice_buttons["not_local"].setChecked(True)
    type_text(dlg.reason, "已随父母迁往西安")
    dlg._accept()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.worklist, timeout=10_000)
    _sync(qtbot, bg, window)
    case = _office(live_server).get("/v1/admin/cases/B-1").json()
    assert case["status"] != "open" and "not_local" in str(case["resolution"])


def test_birth_new_household_needs_place(qtbot, window):
    page = _show(qtbot, window, "B-1")
    page.household_buttons["__new__"].setChecked(True)
    assert page.new_box.isVisibleTo(page)
    page.new_place.set_code(None, emit=True)
    page.form.rows["relation"].editor.set_code("30", emit=True)
    page.confirm()
    assert page.new_hint.isVisibleTo(page) and "户籍地" in page.new_hint.text()


def test_duplicates_merge(qtbot, bg, window, live_server, qtmodeltester):
    page = _show(qtbot, window, "D-1")
    assert page is window.duplicates
    assert "疑似重复" in page.title.text() and page.merge_button.isEnabled()
    assert page.survivor in {m["person_id"] for m in page.members}
    assert "将注销并入" in page.merge_button.text()
    assert "校验通过" in page.preview.text() or "合并后" in page.preview.text()
    page.ask_merge()
    box = page.confirm_box
    qtbot.mouseClick(box.button(box.StandardButton.Yes), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.worklist, timeout=10_000)
    report = _sync(qtbot, bg, window)
    assert report.pushed == 1 and not report.rejected, report
    office = _office(live_server)
    case = office.get("/v1/admin/cases/D-1").json()
    assert case["status"] != "open"
    closed = [m["person_id"] for m in page.members if m["person_id"] != page.survivor]
    assert office.get(f"/v1/admin/persons/{closed[0]}").json().get("status") != "active"


def test_duplicates_not_the_same_person(qtbot, bg, window, live_server):
    page = _show(qtbot, window, "D-1")
    page.ask_separate()
    dlg = page.dialog
    dlg._accept()
    assert "原因" in dlg.hint.text()  # a reason is required
    type_text(dlg.reason, "双胞胎，户口簿核实")
    dlg._accept()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.worklist, timeout=10_000)
    _sync(qtbot, bg, window)
    case = _office(live_server).get("/v1/admin/cases/D-1").json()
    assert case["status"] != "open" and "双胞胎" in str(case["resolution"])


def test_conflict_after_office_edit(qtbot, bg, window, workspace, live_server):
    # The worker edits offline ...
    page = _show(qtbot, window, "E-1")
    addr = page.form.rows["residence_address"].editor
    addr.setText("北大街1号")
    addr.textEdited.emit("北大街1号")
    wrong = page.form.rows["id_number"].editor.value()
    from client.domain.idnumber import id_check_char
    page.form.rows["id_number"].editor.set_value(wrong[:17] + id_check_char(wrong[:17]))
    page.form.rows["id_number"].editor.sig_changed.emit("")
    page.save()
    qtbot.waitUntil(lambda: window.status.pending == 1, timeout=10_000)
    # ... while the county office changes the same field on the server.
    r = _office(live_server).request("PATCH", "/v1/admin/persons/P-1",
                                     json_body={"changes": {"residence_address": "南大街9号"}})
    assert r.status_code == 200, r.text
    report = _sync(qtbot, bg, window)
    assert report.conflicts == ["E-1"], report
    assert window.nav.counts["conflict"] == 1
    # Issue 15.10: the status bar and the left panel count the same cases.
    qtbot.waitUntil(lambda: window.status.conflicts == 1, timeout=5000)
    assert window.status.pending == window.nav.counts.get("pending", 0)
    view = _show(qtbot, window, "E-1")
    assert view is window.conflicts and "他人在您处理期间修改" in view.title.text()
    choice = view.choices["residence_address"]
    assert choice is not None
    choice.server_button.setChecked(True)
    view.submit()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.worklist, timeout=10_000)
    report = _sync(qtbot, bg, window)
    assert report.pushed == 1 and not report.conflicts, report
    person = _office(live_server).get("/v1/admin/persons/P-1").json()
    assert person["residence_address"] == "南大街9号"
    assert person["id_number"][17] == id_check_char(person["id_number"][:17])


def test_withdrawn_case_with_pending_edit(qtbot, bg, window, live_server):
    from ui import errors
    page = _show(qtbot, window, "E-2")
    page.ask_cannot_verify()
    dlg = page.dialog
    type_text(dlg.reason, "查无此人")
    dlg._accept()
    qtbot.waitUntil(lambda: window.status.pending == 1, timeout=10_000)
    r = _office(live_server).post("/v1/admin/cases/E-2/withdraw", {"note": "改派县里处理"})
    assert r.status_code == 200, r.text
    report = _sync(qtbot, bg, window)
    assert "E-2" in report.gone, report
    assert window.nav.counts["gone"] == 1
    window.show_outbox()
    qtbot.waitUntil(lambda: window.outbox.model.rowCount() == 1, timeout=5000)
    assert window.outbox.model.index(0, 0).data() == "已撤回"
    assert window.outbox.export_button.isEnabled()
    window.outbox.table.selectRow(0)
    window.outbox.ask_discard()
    box = window.outbox.confirm_box
    qtbot.mouseClick(box.button(box.StandardButton.Yes), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.outbox.model.rowCount() == 0, timeout=5000)
    assert not [b for b in errors.open_dialogs if "不能" in b.text()]


def test_withdrawn_banner_export_and_discard(qtbot, bg, window, live_server, tmp_path):
    from openpyxl import load_workbook
    page = _show(qtbot, window, "E-3")
    page.ask_cannot_verify()
    type_text(page.dialog.reason, "外出务工")
    page.dialog._accept()
    qtbot.waitUntil(lambda: window.status.pending == 1, timeout=10_000)
    r = _office(live_server).post("/v1/admin/cases/E-3/reassign", {"to": "dora", "note": "改派"})
    assert r.status_code == 200, r.text
    _sync(qtbot, bg, window)
    page = _show(qtbot, window, "E-3")
    banner = page.withdrawn
    assert banner.isVisible() and "改派" in banner.label.text() and "尚未上传" in banner.label.text()
    done = []
    banner.export_to(str(tmp_path / "e3.xlsx"), on_done=done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    rows = list(load_workbook(tmp_path / "e3.xlsx").active.values)
    assert done == [1] and "改派" in rows[0][0] and rows[2][1] == "E-3"
    banner.ask_discard()
    box = banner.confirm_box
    qtbot.mouseClick(box.button(box.StandardButton.Yes), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.worklist, timeout=5000)
    wait_idle(qtbot, bg)
    assert window.status.pending == 0


def test_login_expired_asks_password_and_syncs(qtbot, bg, window, workspace):
    window.ask_password()
    dlg = window.password_dialog
    dlg.setTextValue("alice-pw")
    with qtbot.waitSignal(window.sync.sig_finished, timeout=30_000):
        dlg.accept()
