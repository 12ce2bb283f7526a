"""The one case-screen behaviour in the real main window (reference server on loopback, real
encrypted store): every way out of a changed case asks 保存 / 放弃 / 取消 on every case screen,
success is a short notice (no dialog), Esc returns to the list at the case, previous/next and
the keys are the same everywhere and listed in the menus, on the 快捷键 sheet and in 帮助."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.ui.conftest import type_text, wait_idle
from ui import errors


def _open_from_list(qtbot, window, key, case_id):
    window.nav.select(key)
    qtbot.waitUntil(lambda: window.worklist.model.row_of(case_id) >= 0, timeout=5000)
    window.worklist.table.selectRow(window.worklist.model.row_of(case_id))
    window.worklist.table.setFocus()
    qtbot.keyClick(window.worklist.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: getattr(window.pages.currentWidget(), "task", None) is not None
                    and window.pages.currentWidget().task.id == case_id, timeout=5000)
    return window.pages.currentWidget()


def _make_error_dirty(qtbot, page):
    edit = page.form.rows["residence_address"].editor
    edit.setFocus()
    type_text(edit, "北大街1号")
    assert page.is_dirty()
    return edit


def _fix_id(page):
    from client.domain.idnumber import id_check_char
    wrong = page.form.rows["id_number"].editor.value()
    page.form.rows["id_number"].editor.set_value(wrong[:17] + id_check_char(wrong[:17]))
    page.form.rows["id_number"].editor.sig_changed.emit("")


def _leave(qtbot, window, page, way, focus):
    # Keys reach shortcuts in the active window (a closed message box may have taken that).
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    focus.setFocus()
    if way == "esc":
        qtbot.keyClick(focus, Qt.Key.Key_Escape)
    elif way == "pgdn":
        qtbot.keyClick(focus, Qt.Key.Key_PageDown)
    elif way == "next_button":
        qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
    elif way == "list":
        # picking another list on the left
        window.nav.select("birth" if window.worklist.list_key != "birth" else "error")
    elif way == "quit":
        qtbot.keyClick(focus, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)


def _answer(qtbot, page, which):
    qtbot.waitUntil(lambda: page.leave_box is not None and page.leave_box.isVisible(), timeout=3000)
    box = page.leave_box
    assert "未保存的修改" in box.text() and page.task.id in box.text()
    texts = {box.standardButton(b): b.text() for b in box.buttons()}
    assert texts[QMessageBox.StandardButton.Save] == "保存"
    assert texts[QMessageBox.StandardButton.Cancel] == "取消"
    qtbot.mouseClick(box.button(which), Qt.MouseButton.LeftButton)


@pytest.mark.parametrize("way", ["esc", "pgdn", "next_button", "list", "quit"])
def test_every_way_out_of_a_changed_error_case_asks(qtbot, bg, window, way):
    page = _open_from_list(qtbot, window, "error", "E-1")
    focus = _make_error_dirty(qtbot, page)
    _leave(qtbot, window, page, way, focus)
    _answer(qtbot, page, QMessageBox.StandardButton.Cancel)
    # 取消: still on the case, the edit is still there.
    assert window.pages.currentWidget() is page and page.task.id == "E-1"
    assert page.form.rows["residence_address"].value().endswith("北大街1号") and page.is_dirty()
    assert window.isVisible() and window.nav.current_entry().key == "error"
    # Again, 放弃: the way out goes on, nothing was saved.
    _leave(qtbot, window, page, way, focus)
    _answer(qtbot, page, QMessageBox.StandardButton.Discard)
    if way in ("pgdn", "next_button"):
        qtbot.waitUntil(lambda: page.task.id == "E-2", timeout=5000)
        assert not page.is_dirty()
    elif way == "list":
        qtbot.waitUntil(lambda: window.worklist.list_key == "birth", timeout=5000)
        assert window.pages.currentWidget() is window.worklist
    elif way == "quit":
        qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
    else:
        assert window.pages.currentWidget() is window.worklist
    wait_idle(qtbot, bg)
    assert window.ws.pending_count() == 0


def test_save_in_the_question_saves_then_leaves(qtbot, bg, window):
    page = _open_from_list(qtbot, window, "error", "E-1")
    focus = _make_error_dirty(qtbot, page)
    _leave(qtbot, window, page, "esc", focus)
    _answer(qtbot, page, QMessageBox.StandardButton.Save)
    # E-1 has an error (check character): it cannot be saved, so the worker stays on it.
    assert window.pages.currentWidget() is page and page.task.id == "E-1"
    assert "错误" in errors.open_dialogs[-1].text()
    errors.open_dialogs[-1].close()
    _leave(qtbot, window, page, "esc", focus)
    _answer(qtbot, page, QMessageBox.StandardButton.Discard)
    # E-4's address edit can be saved: 保存 saves, then Esc goes on to the list.
    page = _open_from_list(qtbot, window, "error", "E-4")
    focus = _make_error_dirty(qtbot, page)
    _fix_id(page)
    _leave(qtbot, window, page, "esc", focus)
    _answer(qtbot, page, QMessageBox.StandardButton.Save)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.worklist, timeout=10_000)
    wait_idle(qtbot, bg)
    assert window.ws.pending_count() == 1
    assert window.toast.isVisible() and "E-4 已保存" in window.toast.text()


def test_quitting_with_a_changed_case_asks_and_can_save(qtbot, bg, window):
    page = _open_from_list(qtbot, window, "error", "E-4")
    _make_error_dirty(qtbot, page)
    _fix_id(page)
    window.close()
    assert window.isVisible()  # the close waits for the answer
    _answer(qtbot, page, QMessageBox.StandardButton.Save)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
    wait_idle(qtbot, bg)
    assert window.ws.pending_count() == 1


def test_birth_duplicates_and_conflict_screens_ask_too(qtbot, bg, window, live_server):
    births = _open_from_list(qtbot, window, "birth", "B-1")
    assert births is window.births and not births.is_dirty()  # defaults filled in are no edit
    name = births.form.rows["name"].editor
    name.setFocus()
    type_text(name, "王小花")
    _leave(qtbot, window, births, "esc", name)
    _answer(qtbot, births, QMessageBox.StandardButton.Cancel)
    assert window.pages.currentWidget() is births
    births.household_buttons["__new__"].setChecked(True)  # choosing another household counts
    _leave(qtbot, window, births, "list", name)
    _answer(qtbot, births, QMessageBox.StandardButton.Discard)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.worklist, timeout=5000)

    dups = _open_from_list(qtbot, window, "duplicates", "D-1")
    assert not dups.is_dirty()
    other = next(b for b in dups.survivor_group.buttons() if not b.isChecked())
    other.setChecked(True)
    assert dups.is_dirty()
    _leave(qtbot, window, dups, "esc", dups.separate_button)  # the grid was rebuilt
    _answer(qtbot, dups, QMessageBox.StandardButton.Cancel)
    assert window.pages.currentWidget() is dups
    window.close()
    _answer(qtbot, dups, QMessageBox.StandardButton.Discard)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)


def test_conflict_screen_asks_before_leaving_changed_choices(qtbot, bg, window, live_server):
    page = _open_from_list(qtbot, window, "error", "E-1")
    page.form.rows["residence_address"].editor.setText("北大街1号")
    page.form.rows["residence_address"].editor.textEdited.emit("北大街1号")
    _fix_id(page)
    page.save()
    qtbot.waitUntil(lambda: window.status.pending == 1, timeout=10_000)
    r = live_server.client("carol").request("PATCH", "/v1/admin/persons/P-1",
                                            json_body={"changes": {"residence_address": "南大街9号"}})
    assert r.status_code == 200, r.text
    with qtbot.waitSignal(window.sync.sig_finished, timeout=30_000):
        window.sync.sync_now()
    wait_idle(qtbot, bg)
    view = _open_from_list(qtbot, window, "conflict", "E-1")
    assert view is window.conflicts and not view.is_dirty()
    server_button = view.choices["residence_address"].server_button
    server_button.setChecked(True)
    _leave(qtbot, window, view, "esc", server_button)
    _answer(qtbot, view, QMessageBox.StandardButton.Save)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.worklist, timeout=10_000)
    wait_idle(qtbot, bg)
    assert window.toast.isVisible() and "冲突处理结果已保存" in window.toast.text()
    assert not [b for b in errors.open_dialogs if b.isVisible()]


# -- navigation, notices, keys and help ---------------------------------------------------------

def test_esc_returns_to_the_list_at_the_case(qtbot, bg, window):
    page = _open_from_list(qtbot, window, "error", "E-1")
    qtbot.keyClick(page.form.rows["name"].editor, Qt.Key.Key_PageDown)
    qtbot.waitUntil(lambda: page.task.id == "E-2", timeout=5000)
    qtbot.keyClick(page.next_button, Qt.Key.Key_PageDown)
    qtbot.waitUntil(lambda: page.task.id == "E-3", timeout=5000)
    qtbot.keyClick(page.form.rows["name"].editor, Qt.Key.Key_Escape)
    assert page.leave_box is None  # nothing changed: no question
    assert window.pages.currentWidget() is window.worklist
    assert window.worklist.current_id() == "E-3"
    assert QApplication.focusWidget() is window.worklist.table or not window.isActiveWindow()


def test_saving_says_so_without_a_dialog_and_moves_on(qtbot, bg, window):
    page = _open_from_list(qtbot, window, "error", "E-4")
    assert not page.next_button.isEnabled() and page.prev_button.isEnabled()
    _make_error_dirty(qtbot, page)
    _fix_id(page)
    qtbot.keyClick(page.form.rows["residence_address"].editor, Qt.Key.Key_S,
                   Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.worklist, timeout=10_000)
    assert window.toast.isVisible() and "E-4 已保存" in window.toast.text()
    assert not errors.open_dialogs  # the last case of the list: a notice, no box to click away
    # Saving E-1 moves on to E-2, which is first in the list once E-1 has left it.
    page = _open_from_list(qtbot, window, "error", "E-1")
    assert page.next_button.isEnabled() and not page.prev_button.isEnabled()
    _make_error_dirty(qtbot, page)
    _fix_id(page)
    page.save()
    qtbot.waitUntil(lambda: page.task is not None and page.task.id == "E-2", timeout=10_000)
    qtbot.waitUntil(lambda: not page.prev_button.isEnabled(), timeout=5000)
    assert page.next_button.isEnabled()
    qtbot.waitUntil(lambda: not window.toast.isVisible(), timeout=6000)


def test_merge_moves_on_like_the_other_screens(qtbot, bg, window):
    dups = _open_from_list(qtbot, window, "duplicates", "D-1")
    dups.neighbour = lambda case_id, step: "E-2" if step == 1 else None
    dups.ask_merge()
    qtbot.mouseClick(dups.confirm_box.button(QMessageBox.StandardButton.Yes),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.editor
                    and window.editor.task.id == "E-2", timeout=10_000)
    assert "D-1 已保存" in window.toast.text()


def test_outbox_is_left_with_esc_or_the_list(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    window.show_outbox()
    assert window.outbox.table.hasFocus()
    qtbot.keyClick(window.outbox.table, Qt.Key.Key_Escape)
    assert window.pages.currentWidget() is window.worklist
    window.show_outbox()
    window._nav_clicked(window.nav.currentItem())  # clicking the list already selected
    assert window.pages.currentWidget() is window.worklist


def test_every_case_screen_has_the_same_navigation(window):
    for screen in window.case_screens:
        keys = [c.keys for c in screen.commands]
        assert {"PgUp", "PgDown", "Esc"} <= set(keys), type(screen).__name__
        assert screen.prev_button.parent() is not None and screen.back_button.text()
        assert screen.KIND and screen.GUIDE


def test_shortcuts_in_the_menu_and_on_the_sheet(qtbot, window):
    from ui import help_sheet
    page = _open_from_list(qtbot, window, "error", "E-1")
    window._fill_case_menu()
    labels = [a.text() for a in window.case_menu.actions()]
    assert "核实无误…\tCtrl+K" in labels and "无法核实…\tCtrl+U" in labels
    window.case_menu.actions()[labels.index("无法核实…\tCtrl+U")].trigger()
    assert page.dialog is not None and page.dialog.windowTitle() == "无法核实"
    page.dialog.reject()
    box = help_sheet.show_shortcuts(window)
    text = box.text()
    for keys in ("Ctrl+K", "Ctrl+U", "Ctrl+R", "Ctrl+M", "Ctrl+D", "PgDown", "F5", "Ctrl+L", "F1"):
        assert keys in text, keys
    for section in ("异常数据", "出生反推", "疑似重复", "冲突"):
        assert section in text


def test_help_guide_per_screen_and_f1_explains_the_rule(qtbot, window):
    from ui import help_sheet
    box = help_sheet.show_guide(window, window.pages.currentWidget())
    assert "任务清单" in box.text()
    page = _open_from_list(qtbot, window, "error", "E-1")
    box = help_sheet.show_guide(window, page)
    assert "异常数据" in box.text() and "Ctrl+K" in box.text()
    box.close()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    id_edit = page.form.rows["id_number"].editor.edit
    id_edit.setFocus()
    qtbot.keyClick(id_edit, Qt.Key.Key_F1)
    box = errors.open_dialogs[-1]
    assert box.objectName() == "ruleHelpBox"
    assert "校验位" in box.text() and "ID_CHECKSUM" in box.text() and "必须改正" in box.text()
    assert "ID_SEX_MISMATCH" not in box.text()  # only the focused field's findings
