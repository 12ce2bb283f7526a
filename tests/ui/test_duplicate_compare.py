"""Duplicate comparison end to end: a merge of three members with a value taken from another
member, twins and 重号 refused, a typo merged into the valid number, 不是同一人 with an ID
correction; every result checked on the reference server through its admin API."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QMessageBox, QRadioButton

from tests.support.builder import make_id
from tests.ui.conftest import type_text, wait_idle
from tests.ui.workflow_data import duplicates_dataset, server_case, server_person


@pytest.fixture
def server(live_server_factory):
    return live_server_factory(duplicates_dataset())


@pytest.fixture
def view(qtbot, bg, ws):
    from ui.duplicates_view import DuplicatesView
    v = DuplicatesView(bg, ws)
    qtbot.addWidget(v)
    v.resize(1280, 800)
    v.show()
    return v


def open_case(qtbot, bg, view, case_id):
    view.task = None  # wait for this load, not an earlier one of the same case
    bg.read(view.ws.task, case_id, on_result=view.show_task)
    qtbot.waitUntil(lambda: view.task is not None and view.task.id == case_id, timeout=5000)


def click(qtbot, widget):
    qtbot.waitUntil(widget.isVisible, timeout=2000)
    if isinstance(widget, QRadioButton):  # reacts on its circle and label only
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(8, widget.height() // 2))
    else:
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def merged_into(server, pid):
    from sqlalchemy import select
    from sync.server import schema as t
    with server.store.read() as conn:
        return conn.execute(select(t.persons.c.merged_into)
                            .where(t.persons.c.person_id == pid)).scalar_one()


def cell(view, field, pid):
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)  # the rebuilt grid's old cells
    return view.grid_host.findChild(QRadioButton, f"cell_{field}_{pid}")


def test_merge_three_members(qtbot, bg, ws, server, view):
    open_case(qtbot, bg, view, "D-1")
    a, b, c = (m["person_id"] for m in view.members)
    # Survivor preselected by policy: A has a valid ID and the newer record of the two with one.
    assert view.survivor == a
    # Why flagged, per field: homophone names with the characters, the same ID, one without ID.
    assert "姓名音近形近" in view.grid_host.findChild(QLabel, "label_name").text()
    assert "≈同音 张/章 晓/小" in cell(view, "name", b).text()
    assert "同 A" in cell(view, "id_number", c).text() and "✔" in cell(view, "id_number", a).text()
    assert cell(view, "id_number", b).text() == "（空）"
    # A's blank residence address is filled from B by default; the worker keeps that.
    assert view.choices.get("residence_address") == b and cell(view, "residence_address", b).isChecked()
    assert "合并（B、C 将注销并入 A）" in view.merge_button.text()
    # Changing the survivor redoes the defaults; going back restores them.
    click(qtbot, [r for r in view.survivor_group.buttons() if r.property("person_id") == c][0])
    assert view.survivor == c and "A、B 将注销并入 C" in view.merge_button.text()
    click(qtbot, [r for r in view.survivor_group.buttons() if r.property("person_id") == a][0])
    assert view.survivor == a
    # Take B's name spelling for the merged record: the preview follows.
    click(qtbot, cell(view, "name", b))
    assert view.field_choices()["name"] == b and "章小明" in view.preview.text()
    click(qtbot, cell(view, "name", a))
    assert "name" not in view.field_choices() and "张晓明" in view.preview.text()
    assert "校验通过" in view.preview.text() and view.merge_button.isEnabled()
    click(qtbot, view.merge_button)
    box = view.confirm_box
    assert b in box.text() and c in box.text() and "注销" in box.text()
    with qtbot.waitSignal(view.sig_changes, timeout=10_000):
        click(qtbot, box.button(QMessageBox.StandardButton.Yes))
    wait_idle(qtbot, bg)
    report = bg.run_blocking_on_db(ws.sync)
    assert report.pushed == 1 and not report.rejected, ws.outbox(include_finished=True)
    case = server_case(server, "D-1")
    assert case["status"] == "completed" and case["resolution"]["survivor_id"] == a
    survivor = server_person(server, a)
    assert survivor["residence_address"] == "新民村3组" and survivor["name"] == "张晓明"
    for pid in (b, c):
        assert server_person(server, pid)["status"] == "merged"
        assert merged_into(server, pid) == a


def test_twins_cannot_be_merged(qtbot, bg, ws, server, view):
    open_case(qtbot, bg, view, "D-2")
    assert not view.merge_button.isEnabled()
    assert view.blockers.isVisible() and "胞胎" in view.blockers.text()
    assert "不能合并" in view.preview.text() and not cell(view, "name", view.members[0]["person_id"]).isEnabled()
    assert "不同的有效身份证号码" in view.blockers.text()
    view.merge()  # even called directly, the workspace refuses
    qtbot.waitUntil(lambda: not bg.busy, timeout=5000)
    assert ws.task("D-2").status == "open"
    click(qtbot, view.separate_button)
    dlg = view.dialog
    type_text(dlg.reason, "双胞胎，户口簿核实")
    with qtbot.waitSignal(view.sig_changes, timeout=10_000):
        click(qtbot, dlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok))
    wait_idle(qtbot, bg)
    bg.run_blocking_on_db(ws.sync)
    case = server_case(server, "D-2")
    assert case["status"] == "completed" and case["resolution"]["reason"] == "双胞胎，户口簿核实"
    for m in view.members:
        assert server_person(server, m["person_id"])["status"] == "active"


def test_chonghao_separated_with_id_correction(qtbot, bg, ws, server, view):
    open_case(qtbot, bg, view, "D-3")
    assert not view.merge_button.isEnabled() and "重号" in view.blockers.text()
    assert "疑似重号" in view.grid_host.findChild(QLabel, "label_id_number").text()
    first, second = view.members
    fixed = make_id("610424", date(1979, 9, 9), 123)
    view.activateWindow()
    qtbot.keyClick(view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    dlg = view.dialog
    ok = dlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    type_text(dlg.reason, "重号，公安已换发新号")
    dlg.ids[second["person_id"]].setText(fixed[:17] + ("0" if fixed[17] != "0" else "1"))
    click(qtbot, ok)
    assert "不正确" in dlg.hint.text() and dlg.isVisible()  # a wrong check character is caught
    dlg.ids[second["person_id"]].setText(fixed)
    with qtbot.waitSignal(view.sig_changes, timeout=10_000):
        click(qtbot, ok)
    wait_idle(qtbot, bg)
    report = bg.run_blocking_on_db(ws.sync)
    assert report.pushed == 1 and not report.rejected
    assert server_person(server, second["person_id"])["id_number"] == fixed
    assert server_person(server, first["person_id"])["id_number"] == first["id_number"]
    assert server_case(server, "D-3")["resolution"]["id_corrections"] == {second["person_id"]: fixed}


def test_id_typo_merges_into_the_valid_number(qtbot, bg, ws, server, view):
    open_case(qtbot, bg, view, "D-4")
    valid, typo = view.members
    assert view.survivor == valid["person_id"] and view.merge_button.isEnabled()
    assert "证号只差一位" in view.grid_host.findChild(QLabel, "label_id_number").text()
    assert "✖" in cell(view, "id_number", typo["person_id"]).text()
    view.activateWindow()
    qtbot.keyClick(view, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert view.confirm_box is not None and view.confirm_box.isVisible()
    with qtbot.waitSignal(view.sig_changes, timeout=10_000):
        click(qtbot, view.confirm_box.button(QMessageBox.StandardButton.Yes))
    wait_idle(qtbot, bg)
    bg.run_blocking_on_db(ws.sync)
    assert server_person(server, valid["person_id"])["id_number"] == valid["id_number"]
    assert server_person(server, typo["person_id"])["status"] == "merged"


def choose_married_values(qtbot, view):
    single, married = (m["person_id"] for m in view.members)
    if view.survivor != single:
        click(qtbot, [r for r in view.survivor_group.buttons() if r.property("person_id") == single][0])
    for f in ("marital_status", "first_marriage_date"):
        click(qtbot, cell(view, f, married))
    return single, married


def warning_code(view):
    codes = [f.code for f in view.panel.findings() if f.severity == "W"]
    assert codes, view.panel.findings()
    return codes[0]


def test_merged_record_with_a_warning_merges_with_a_reason(qtbot, bg, ws, server, view):
    open_case(qtbot, bg, view, "D-6")
    single, married = (m["person_id"] for m in view.members)
    # The policy keeps the married record: its under-age marriage is a warning at once.
    assert view.survivor == married and view.panel.isVisible() and not view.merge_button.isEnabled()
    # Keeping the single record's values gives a clean merged record.
    click(qtbot, [r for r in view.survivor_group.buttons() if r.property("person_id") == single][0])
    for f in ("marital_status", "first_marriage_date"):
        if cell(view, f, single) is not None:
            click(qtbot, cell(view, f, single))
    assert "校验通过" in view.preview.text(), view.preview.text()
    assert view.merge_button.isEnabled() and not view.panel.isVisible()
    choose_married_values(qtbot, view)
    # Married at 19: a warning in the panel with a reason box; no reason, no merge.
    assert "▲" in view.preview.text() and "填写原因" in view.preview.text()
    assert view.panel.isVisible() and not view.merge_button.isEnabled()
    code = warning_code(view)
    edit = view.panel.reason_edit(code)
    assert edit is not None
    qtbot.waitUntil(edit.isVisible, timeout=2000)
    view.ask_merge()
    assert view.confirm_box is None  # the shortcut does nothing either
    type_text(edit, "结婚证核实，登记时年龄无误")
    assert view.merge_button.isEnabled()
    edit.clear()
    type_text(edit, "  ")
    assert not view.merge_button.isEnabled()  # a blank reason is no reason
    edit.clear()
    type_text(edit, "结婚证核实，登记时年龄无误")
    click(qtbot, view.merge_button)
    with qtbot.waitSignal(view.sig_changes, timeout=10_000):
        click(qtbot, view.confirm_box.button(QMessageBox.StandardButton.Yes))
    wait_idle(qtbot, bg)
    report = bg.run_blocking_on_db(ws.sync)
    assert report.pushed == 1 and not report.rejected, ws.outbox(include_finished=True)
    case = server_case(server, "D-6")
    assert case["status"] == "completed" and case["resolution"]["survivor_id"] == single
    assert case["resolution"]["overrides"] == {code: "结婚证核实，登记时年龄无误"}
    assert case["history"][-1]["action"] == "merge_duplicates"
    survivor = server_person(server, single)
    assert survivor["marital_status"] == "20" and survivor["first_marriage_date"] == "2009-05-01"
    assert server_person(server, married)["status"] == "merged"


def test_server_rejection_shows_its_findings_for_a_retry(qtbot, bg, ws, server, view):
    open_case(qtbot, bg, view, "D-7")
    young, other = (m["person_id"] for m in view.members)
    if view.survivor != young:
        click(qtbot, [r for r in view.survivor_group.buttons() if r.property("person_id") == young][0])
    # This PC sees nothing wrong (it cannot check the merged record against its household).
    assert "校验通过" in view.preview.text() and view.merge_button.isEnabled()
    click(qtbot, view.merge_button)
    with qtbot.waitSignal(view.sig_changes, timeout=10_000):
        click(qtbot, view.confirm_box.button(QMessageBox.StandardButton.Yes))
    wait_idle(qtbot, bg)
    report = bg.run_blocking_on_db(ws.sync)
    assert report.rejected == ["D-7"], report
    assert server_case(server, "D-7")["status"] == "open"
    # Reopened after the sync: the refused merge as it was sent, the server's warning with a
    # reason box; no reason, no merge.
    open_case(qtbot, bg, view, "D-7")
    assert view.task.status == "rejected" and "退回" in view.banner.text()
    assert view.survivor == young
    codes = [f.code for f in view.panel.findings()]
    assert codes == ["HH_GENERATION_GAP"], view.panel.findings()
    assert view.panel.isVisible() and not view.merge_button.isEnabled()
    edit = view.panel.reason_edit("HH_GENERATION_GAP")
    qtbot.waitUntil(edit.isVisible, timeout=2000)
    type_text(edit, "户口簿核实：系继子")
    assert view.merge_button.isEnabled()
    click(qtbot, view.merge_button)
    with qtbot.waitSignal(view.sig_changes, timeout=10_000):
        click(qtbot, view.confirm_box.button(QMessageBox.StandardButton.Yes))
    wait_idle(qtbot, bg)
    report = bg.run_blocking_on_db(ws.sync)
    assert not report.rejected and report.pushed == 1, ws.outbox(include_finished=True)
    case = server_case(server, "D-7")
    assert case["status"] == "completed" and case["resolution"]["survivor_id"] == young
    assert case["resolution"]["overrides"] == {"HH_GENERATION_GAP": "户口簿核实：系继子"}
    assert server_person(server, other)["status"] == "merged"
