"""Newborn confirmation end to end: the real reference server with every kind of birth case, a
real encrypted store, the BirthEditor driven with clicks and keys, the result checked on the
server through its admin API."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QRadioButton

from tests.ui.conftest import open_birth, type_text, wait_idle
from tests.ui.workflow_data import birth_dataset, server_case, server_person
from ui import errors


@pytest.fixture
def server(live_server_factory):
    return live_server_factory(birth_dataset())


def click(qtbot, widget):
    qtbot.waitUntil(widget.isVisible, timeout=2000)  # widgets built after show() appear queued
    if isinstance(widget, QRadioButton):  # a radio button reacts on its circle and label only
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(8, widget.height() // 2))
    else:
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def saved(qtbot, bg, editor):
    """Wait for the action: the editor closes back to the list (no neighbour in these tests)."""
    with qtbot.waitSignal(editor.sig_changes, timeout=10_000):
        pass
    wait_idle(qtbot, bg)


def test_plain_birth_into_mothers_household(qtbot, bg, ws, server, editor):
    open_birth(qtbot, editor, "B-1")
    data = editor.task.data
    mother = data["mother"]
    # Certificate read-only on the left, parents matched with their household.
    assert data["certificate"]["cert_number"] in editor.cert_labels["cert_number"].text()
    assert "已匹配" in editor.cert_labels["mother"].text()
    assert "户" in editor.cert_labels["mother"].text() and "配偶" in editor.cert_labels["mother"].text()
    # The mother's household is preselected and the relation derived from hers (配偶 → 子/女).
    hid = mother["household_id"]
    assert editor.chosen_household() == hid
    assert "父母所在户" in editor.household_buttons[hid].text()
    sex = data["certificate"]["sex"]
    expected = "20" if sex == "1" else "30"
    assert editor.form.rows["relation"].value() == expected
    assert "由母亲关系「配偶」推出" in editor.relation_hint.text()
    assert "户成员" in editor.members.text() and mother["name"] in editor.members.text()
    assert not editor.match_box.isVisible()
    # The name may stay 未取名; give it a name anyway through the keyboard.
    assert editor.form.rows["name"].value() is None
    editor.form.focus_field("name")
    type_text(editor.form.rows["name"].editor, "王小雨")
    editor.form.flush()
    assert not [f for f in editor.form.findings() if f.severity == "E"], editor.form.findings()
    qtbot.keyClick(editor.form.rows["name"].editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    saved(qtbot, bg, editor)
    assert ws.task("B-1").status == "pending"
    report = bg.run_blocking_on_db(ws.sync)
    assert report.pushed == 1 and not report.rejected, report
    case = server_case(server, "B-1")
    assert case["status"] == "completed"
    assert case["resolution"]["household_id"] == hid and case["resolution"]["relation"] == expected
    person = server_person(server, "P-B-1")
    assert person["name"] == "王小雨" and person["household_id"] == hid
    assert person["relation"] == expected and person["sex"] == sex
    assert person["birth_cert_number"] == data["certificate"]["cert_number"]


def test_household_choice_changes_relation_and_new_household(qtbot, bg, ws, server, editor):
    open_birth(qtbot, editor, "B-2")
    data = editor.task.data
    mother_h, father_h = data["mother"]["household_id"], data["father"]["household_id"]
    assert mother_h != father_h
    assert "母亲所在户" in editor.household_buttons[mother_h].text()
    assert "父亲所在户" in editor.household_buttons[father_h].text()
    boy = data["certificate"]["sex"] == "1"
    # Mother is the head's daughter (女) → 外孙子/外孙女.
    assert editor.chosen_household() == mother_h
    assert editor.form.rows["relation"].value() == ("43" if boy else "44")
    # The father's household: he is the head → 子/女.
    click(qtbot, editor.household_buttons[father_h])
    assert editor.form.rows["relation"].value() == ("20" if boy else "30")
    assert "父亲" in editor.relation_hint.text()
    # The worker can change it; the hint says so and a new household keeps the worker's choice.
    editor.form.rows["relation"].editor.set_code("99", emit=True)
    assert "已改为" in editor.relation_hint.text()
    # New household: its place is required and must be in alice's township.
    click(qtbot, editor.household_buttons["__new__"])
    assert editor.new_box.isVisible()
    editor.new_place.set_code(None, emit=True)
    editor.form.rows["relation"].editor.set_code("02", emit=True)
    click(qtbot, editor.confirm_button)
    assert editor.new_hint.isVisible() and "户籍地" in editor.new_hint.text()
    assert ws.task("B-2").status == "open"
    editor.new_place.set_code("610424101200", emit=True)  # another township
    click(qtbot, editor.confirm_button)
    assert "不在您的辖区" in editor.new_hint.text()
    editor.new_place.set_code("610424001005", emit=True)
    click(qtbot, editor.confirm_button)
    assert "详细地址" in editor.new_hint.text() and ws.task("B-2").status == "open"
    type_text(editor.new_address, "5组8号")
    editor.form.flush()
    for f in editor.form.findings():  # household rules of a one-person household: explain them
        if f.severity == "W":
            editor.panel.set_reason(f.code, "新立户，随后迁入父母")
    assert not [f for f in editor.form.findings() if f.severity == "E"], editor.form.findings()
    click(qtbot, editor.confirm_button)
    saved(qtbot, bg, editor)
    report = bg.run_blocking_on_db(ws.sync)
    assert report.pushed == 1 and not report.rejected, ws.outbox(include_finished=True)
    person = server_person(server, "P-B-2")
    assert person["household_id"] == "H-B-2" and person["relation"] == "02"
    assert person["hukou_place"] == "610424001005"
    assert server_case(server, "B-2")["resolution"]["household_id"] == "H-B-2"


def test_twins_confirmed(qtbot, bg, ws, server, editor):
    open_birth(qtbot, editor, "B-3")
    sibling = editor.task.data["matches"][0]
    assert editor.match_box.isVisible()
    twins, _linked = editor.match_rows[sibling["person_id"]]
    codes = {f.code for f in editor.form.findings()}
    assert "BIRTH_POSSIBLE_DUPLICATE" in codes
    # Confirming without deciding explains what to do and saves nothing.
    click(qtbot, editor.confirm_button)
    assert any("双胞胎" in b.text() for b in errors.open_dialogs)
    assert ws.task("B-3").status == "open"
    click(qtbot, twins)
    assert editor.twins_confirmed
    assert "BIRTH_POSSIBLE_DUPLICATE" not in {f.code for f in editor.form.findings()}
    click(qtbot, editor.confirm_button)
    saved(qtbot, bg, editor)
    report = bg.run_blocking_on_db(ws.sync)
    assert report.pushed == 1 and not report.rejected, ws.outbox(include_finished=True)
    assert server_case(server, "B-3")["resolution"]["twins_confirmed"] is True
    twin = server_person(server, "P-B-3")
    assert twin["birth_date"] == sibling["birth_date"] and twin["sex"] == sibling["sex"]


def test_already_registered_links_the_existing_person(qtbot, bg, ws, server, editor):
    open_birth(qtbot, editor, "B-4")
    sibling = editor.task.data["matches"][0]
    _twins, linked = editor.match_rows[sibling["person_id"]]
    click(qtbot, linked)
    dlg = editor.dialog
    assert dlg.choice() == "already_registered" and dlg.existing_person_id() == sibling["person_id"]
    with qtbot.waitSignal(editor.sig_changes, timeout=10_000):
        click(qtbot, dlg.buttons_ok())
    wait_idle(qtbot, bg)
    bg.run_blocking_on_db(ws.sync)
    case = server_case(server, "B-4")
    assert case["status"] == "completed"
    assert case["resolution"]["reason"] == "already_registered"
    assert case["resolution"]["existing_person_id"] == sibling["person_id"]
    assert server_person(server, "P-B-4") is None


@pytest.mark.parametrize("case_id,reason,note", [("B-5", "not_local", ""),
                                                 ("B-6", "wrong_data", "证明上的出生日期与医院记录不符")])
def test_reject_with_reason(qtbot, bg, ws, server, editor, case_id, reason, note):
    open_birth(qtbot, editor, case_id)
    qtbot.keyClick(editor.form.rows["name"].editor, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    dlg = editor.dialog
    assert dlg is not None and dlg.isVisible()
    click(qtbot, dlg.choice_buttons[reason])
    assert not dlg.person.isEnabled()
    if reason == "wrong_data":
        click(qtbot, dlg.buttons_ok())  # a note is required for 信息有误
        assert "哪里有误" in dlg.hint.text() and dlg.isVisible()
    type_text(dlg.reason, note)
    with qtbot.waitSignal(editor.sig_changes, timeout=10_000):
        click(qtbot, dlg.buttons_ok())
    wait_idle(qtbot, bg)
    report = bg.run_blocking_on_db(ws.sync)
    assert report.pushed == 1
    resolution = server_case(server, case_id)["resolution"]
    assert resolution["reason"] == reason and resolution["note"] == note
    assert server_person(server, f"P-{case_id}") is None


def test_twins_both_registered_in_one_offline_session(qtbot, bg, ws, server, editor):
    open_birth(qtbot, editor, "B-7")
    assert not editor.match_box.isVisible()
    click(qtbot, editor.confirm_button)
    saved(qtbot, bg, editor)
    # Not uploaded yet: the second twin still finds the first, confirmed on this PC.
    open_birth(qtbot, editor, "B-8")
    qtbot.waitUntil(lambda: "P-B-7" in editor.match_rows, timeout=5000)
    twins, linked = editor.match_rows["P-B-7"]
    assert not linked.isVisible()  # not on the server yet: it cannot be linked, only twinned
    assert "BIRTH_POSSIBLE_DUPLICATE" in {f.code for f in editor.form.findings()}
    click(qtbot, twins)
    click(qtbot, editor.confirm_button)
    saved(qtbot, bg, editor)
    report = bg.run_blocking_on_db(ws.sync)
    assert report.pushed == 2 and not report.rejected, ws.outbox(include_finished=True)
    first, second = server_person(server, "P-B-7"), server_person(server, "P-B-8")
    assert first["birth_date"] == second["birth_date"] and first["sex"] == second["sex"]
    assert server_case(server, "B-8")["resolution"]["twins_confirmed"] is True


def test_mother_not_found_offers_a_new_household(qtbot, bg, editor):
    """A certificate whose mother is not in the township's records: only 新立户 is possible."""
    from client.workspace import TaskView
    cert = {"cert_number": "Q123456789", "issue_date": "2026-03-05", "name": "", "sex": "2",
            "birth_date": "2026-03-02", "birthplace": "610424001005", "weight_g": 3200,
            "gestation_weeks": 39, "mother_name": "李娜", "mother_id_number": "11010519491231002X"}
    task = TaskView(id="B-99", kind="birth", status="open", version=1,
                    data={"certificate": cert, "proposed": {"sex": "2", "birth_date": "2026-03-02"},
                          "mother": None, "father": None, "households": [], "matches": []},
                    shadow={}, overlay=None, removed=None, pending_ops=0)
    editor.show_task(task)
    assert list(editor.household_buttons) == ["__new__"] and editor.chosen_household() == "__new__"
    assert "未匹配" in editor.cert_labels["mother"].text()
    assert editor.new_place.code() == "610424001005"
    assert "新立户" in editor.relation_hint.text() and editor.form.rows["relation"].value() is None
    assert editor.form.rows["name"].value() is None  # 未取名 is allowed at birth
    wait_idle(qtbot, bg)


def test_parent_match_says_how(qtbot, editor):
    """Matched by ID number, or linked from the records when the certificate names no father."""
    open_birth(qtbot, editor, "B-1")
    assert "✔ 已匹配" in editor.cert_labels["mother"].text()
    father = editor.cert_labels["father"].text()
    assert "证明上未填写" in father and "由户籍资料关联" in father and "已匹配" not in father


def test_page_down_moves_to_the_next_birth_not_the_form(qtbot, editor):
    from PySide6.QtWidgets import QMessageBox
    order = ["B-1", "B-2", "B-3"]
    editor.neighbour = lambda cid, step: (order[order.index(cid) + step]
                                          if 0 <= order.index(cid) + step < len(order) else None)
    editor.sig_go.connect(editor.open_case)
    open_birth(qtbot, editor, "B-1")
    assert editor.next_button.isEnabled() and not editor.prev_button.isEnabled()
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow, timeout=3000)
    name = editor.form.rows["name"].editor
    name.setFocus()
    qtbot.keyClick(name, Qt.Key.Key_PageDown)
    qtbot.waitUntil(lambda: editor.task.id == "B-2", timeout=5000)
    # A typed name is not lost: PgUp asks first, 取消 stays on B-2 with the name.
    name = editor.form.rows["name"].editor
    name.setFocus()
    type_text(name, "李小满")
    qtbot.keyClick(name, Qt.Key.Key_PageUp)
    qtbot.waitUntil(lambda: editor.leave_box is not None, timeout=3000)
    box = editor.leave_box
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert editor.task.id == "B-2" and editor.form.rows["name"].value() == "李小满"
