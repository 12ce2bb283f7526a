"""Conflict resolution end to end: the worker decides offline, the county office changes the same
record on the reference server, the sync reports a conflict, the worker resolves it in the
ConflictView, and the server ends up exactly as chosen. Soft conflicts are announced."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QRadioButton

from client.domain.idnumber import id_check_char
from tests.ui.conftest import type_text, wait_idle
from tests.ui.workflow_data import server_case, server_person
from ui import errors


def click(qtbot, widget):
    qtbot.waitUntil(widget.isVisible, timeout=2000)
    if isinstance(widget, QRadioButton):
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(8, widget.height() // 2))
    else:
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def office_edit(live_server, pid, **changes):
    r = live_server.client("carol").request("PATCH", f"/v1/admin/persons/{pid}",
                                            json_body={"changes": changes})
    assert r.status_code == 200, r.text


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


def test_field_conflict_resolved_by_editing(qtbot, bg, window, workspace, live_server, qtmodeltester):
    task = workspace.task("E-1")
    pid = task.data["person"]["person_id"]
    wrong = task.data["person"]["id_number"]
    fixed = wrong[:17] + id_check_char(wrong[:17])
    bg.run_blocking_on_db(workspace.fix_error, "E-1", {"id_number": fixed,
                                                       "residence_address": "北大街1号"})
    office_edit(live_server, pid, residence_address="南大街9号")
    report = sync(qtbot, bg, window)
    assert report.conflicts == ["E-1"], report
    view = show(qtbot, window, "E-1")
    assert view is window.conflicts
    assert "他人在您处理期间修改" in view.title.text()
    # Who changed it, from the server's history, in an item model.
    model = view.history_model
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() >= 1
    assert model.index(0, 1).data() == "carol" and model.index(0, 3).data() == "办公室修改"
    assert "居住详址" in model.index(0, 4).data()
    choice = view.choices["residence_address"]
    assert choice is not None and choice.mine_button.isChecked()
    click(qtbot, choice.edit_button)
    choice.edit.clear()
    type_text(choice.edit, "南大街9号（北院）")
    with qtbot.waitSignal(view.sig_changes, timeout=10_000):
        qtbot.keyClick(choice.edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, bg)
    report = sync(qtbot, bg, window)
    assert report.pushed == 1 and not report.conflicts and not report.rejected, report
    person = server_person(live_server, pid)
    assert person["residence_address"] == "南大街9号（北院）"
    assert person["id_number"] == fixed  # the worker's other change went through as well


def test_birth_conflict_resent_on_the_new_version(qtbot, bg, window, workspace, live_server):
    page = show(qtbot, window, "B-1")
    mother = page.task.data["mother"]
    with qtbot.waitSignal(page.sig_changes, timeout=10_000):
        qtbot.keyClick(page.form.rows["name"].editor, Qt.Key.Key_S,
                       Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, bg)
    office_edit(live_server, mother["person_id"], residence_address="城关镇东街2号")
    report = sync(qtbot, bg, window)
    assert report.conflicts == ["B-1"], report
    view = show(qtbot, window, "B-1")
    assert view is window.conflicts and view.keep_button.isVisible()
    assert not view.submit_button.isVisible()
    texts = [view.grid.itemAt(i).widget().text() for i in range(view.grid.count())]
    assert "母亲的记录" in texts and "确认入户" in view.explain.text()
    assert any("carol" in t for t in texts)
    with qtbot.waitSignal(view.sig_changes, timeout=10_000):
        click(qtbot, view.keep_button)
    wait_idle(qtbot, bg)
    report = sync(qtbot, bg, window)
    assert report.pushed == 1 and not report.conflicts, report
    assert server_case(live_server, "B-1")["status"] == "completed"
    assert server_person(live_server, "P-B-1")["household_id"] == mother["household_id"]


def test_soft_conflict_tells_what_else_changed(qtbot, bg, window, workspace, live_server):
    pid = workspace.task("E-2").data["person"]["person_id"]
    bg.run_blocking_on_db(workspace.cannot_verify, "E-2", "unverifiable", "联系不上本人")
    office_edit(live_server, pid, residence_address="西大街5号")
    errors.open_dialogs.clear()
    report = sync(qtbot, bg, window)
    assert report.merged.get("E-2") == ["residence_address"], report
    notice = [b.text() for b in errors.open_dialogs if "E-2" in b.text()]
    assert notice and "已上传" in notice[0] and "他人在您处理期间修改了 居住详址" in notice[0]
    assert server_case(live_server, "E-2")["status"] == "completed"


def test_duplicates_conflict_dropped_then_merged_again(qtbot, bg, live_server_factory, tmp_path):
    from tests.ui.workflow_data import duplicates_dataset, login
    from ui.conflict_view import ConflictView
    from ui.duplicates_view import DuplicatesView
    server = live_server_factory(duplicates_dataset())
    ws = login(server, tmp_path)
    try:
        members = ws.task("D-5").data["members"]
        survivor = members[0]["person_id"]
        bg.run_blocking_on_db(ws.merge_duplicates, "D-5", survivor, {})
        office_edit(server, members[1]["person_id"], residence_address="东关村7组")
        report = bg.run_blocking_on_db(ws.sync)
        assert report.conflicts == ["D-5"], report
        view = ConflictView(bg, ws)
        qtbot.addWidget(view)
        view.show()
        view.show_task(ws.task("D-5"))
        texts = [view.grid.itemAt(i).widget().text() for i in range(view.grid.count())]
        assert "B 王强 · 居住详址" in texts and "东关村7组" in texts
        assert view.history_model.index(0, 4).data() == "B 王强 · 居住详址"
        with qtbot.waitSignal(view.sig_changes, timeout=10_000):
            click(qtbot, view.drop_button)
        wait_idle(qtbot, bg)
        task = ws.task("D-5")
        assert task.status == "open" and task.pending_ops == 0
        # The worker looks again at the new version and merges.
        page = DuplicatesView(bg, ws)
        qtbot.addWidget(page)
        page.show()
        page.show_task(task)
        assert page.merge_button.isEnabled()
        page.merge()
        wait_idle(qtbot, bg)
        report = bg.run_blocking_on_db(ws.sync)
        assert report.pushed == 1 and not report.conflicts, report
        assert server_case(server, "D-5")["resolution"]["survivor_id"] == page.survivor
    finally:
        bg.shutdown(wait=True)
        ws.close()


def test_edit_uses_the_fields_own_editor(qtbot):
    """编辑 for a coded field picks a code, for a place a division, for a date a date."""
    from ui.conflict_view import FieldChoice
    from ui.widgets.code_combo import CodeCombo
    from ui.widgets.date_field import DateField
    from ui.widgets.division_picker import DivisionPicker
    sex = FieldChoice("1", "2", field="sex")
    place = FieldChoice("610424001005", "610424101200", field="residence_place")
    when = FieldChoice("2010-05-01", "2010-05-02", field="first_marriage_date")
    text = FieldChoice("北大街1号", "南大街9号", field="residence_address")
    for w in (sex, place, when, text):
        qtbot.addWidget(w)
        assert w.choice() == "mine"
        w.edit_button.setChecked(True)
        assert w.edit.isEnabled()
    assert isinstance(sex.edit, CodeCombo) and isinstance(place.edit, DivisionPicker)
    assert isinstance(when.edit, DateField)
    sex.edit.set_code("2", emit=True)
    place.edit.set_code("610424001200", emit=True)
    assert sex.choice() == "2" and place.choice() == "610424001200"
    assert when.choice() == "2010-05-01" and text.choice() == "北大街1号"
    text.server_button.setChecked(True)
    assert text.choice() == "server"
