"""The desktop app end to end: real reference server on loopback, real encrypted stores, real
widgets. Login online/offline, worklist search, editing with live validation, saving, syncing
(also with the server down), outbox, export, idle lock."""

from __future__ import annotations

from openpyxl import load_workbook
from PySide6.QtCore import Qt

from client.domain.idnumber import id_check_char
from tests.ui.conftest import type_text, wait_idle
from ui import errors


def _open(qtbot, window, case_id):
    row = window.worklist.model.row_of(case_id)
    assert row >= 0, case_id
    window.worklist.table.selectRow(row)
    window.worklist.table.setFocus()
    qtbot.keyClick(window.worklist.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.editor.task is not None and window.editor.task.id == case_id,
                    timeout=5000)
    assert window.pages.currentWidget() is window.editor


# -- login ------------------------------------------------------------------------------------

def test_login_online_then_offline(qtbot, bg, live_server, tmp_path, settings):
    from ui.login_dialog import LoginDialog
    data = tmp_path / "data"
    dlg = LoginDialog(bg, data, settings, server_url=live_server.url)
    qtbot.addWidget(dlg)
    dlg.open()
    type_text(dlg.username, "alice")
    type_text(dlg.password, "alice-pw")
    with qtbot.waitSignal(dlg.sig_logged_in, timeout=15_000) as got:
        qtbot.mouseClick(dlg.login_button, Qt.MouseButton.LeftButton)
    result = got.args[0]
    assert result.online and "在线" in result.message
    assert settings.get("last_username") == "alice" and settings.get("server_url") == live_server.url
    bg.run_blocking_on_db(result.workspace.sync)
    bg.run_blocking_on_db(result.workspace.close)

    # The server goes away: the same login opens the local data offline and says so.
    live_server.stop()
    dlg2 = LoginDialog(bg, data, settings)
    qtbot.addWidget(dlg2)
    assert dlg2.username.text() == "alice" and dlg2.server_url() == live_server.url
    type_text(dlg2.password, "alice-pw")
    with qtbot.waitSignal(dlg2.sig_logged_in, timeout=15_000) as got:
        dlg2.submit()
    offline = got.args[0]
    assert not offline.online and "离线" in offline.message and "VPN" in offline.message
    assert offline.workspace.count() > 0
    bg.run_blocking_on_db(offline.workspace.close)


def test_login_wrong_password_says_so(qtbot, bg, live_server, tmp_path, settings):
    from ui.login_dialog import LoginDialog
    dlg = LoginDialog(bg, tmp_path / "data", settings, server_url=live_server.url,
                      username="alice")
    qtbot.addWidget(dlg)
    type_text(dlg.password, "wrong")
    dlg.submit()
    qtbot.waitUntil(lambda: not dlg.busy, timeout=15_000)
    assert "密码" in dlg.status.text() and dlg.status.property("role") == "error"
    assert dlg.result() == 0  # still open


def test_login_needs_both_fields(qtbot, bg, tmp_path, settings):
    from ui.login_dialog import LoginDialog
    dlg = LoginDialog(bg, tmp_path / "data", settings)
    qtbot.addWidget(dlg)
    dlg.submit()
    assert "请输入" in dlg.status.text() and not dlg.busy


def test_offline_login_without_local_data(qtbot, bg, tmp_path, settings):
    from ui.login_dialog import LoginDialog
    dlg = LoginDialog(bg, tmp_path / "data", settings, server_url="http://127.0.0.1:9",
                      username="newbie")
    qtbot.addWidget(dlg)
    type_text(dlg.password, "pw")
    dlg.submit()
    qtbot.waitUntil(lambda: not dlg.busy, timeout=30_000)
    assert "在线登录一次" in dlg.status.text()


# -- worklist ---------------------------------------------------------------------------------

def test_navigation_counts_and_worklist(window, qtmodeltester):
    assert window.nav.counts["error"] == 4
    assert window.nav.counts["birth"] == 1 and window.nav.counts["duplicates"] == 1
    model = window.worklist.model
    assert model.rowCount() == 4
    assert [model.id_at(r) for r in range(4)] == ["E-1", "E-2", "E-3", "E-4"]
    assert model.index(0, 2).data() == "张敏明"
    from ui.worklist_model import COLUMNS
    col = {key: i for i, (key, _label) in enumerate(COLUMNS)}
    assert "校验位" in model.index(0, col["problem"]).data()
    assert model.index(0, col["place"]).data() == "东大街社区居委会"  # village name, not code
    assert model.index(0, col["deadline"]).data() == ""              # no deadline set
    assert "共 4 条" in window.worklist.footer.text()
    qtmodeltester.check(model, force_py=True)


def test_search_by_name_initials_and_id(qtbot, window):
    view = window.worklist
    for text, expected in [("张敏", ["E-1"]), ("zmm", ["E-1"]), ("610424198503048670", ["E-1"]), ("8670", ["E-1"]),
                           ("没有这个人", [])]:
        view.search.clear()
        type_text(view.search, text)
        qtbot.waitUntil(lambda: not view.model.loading and view.model.query.text == text,
                        timeout=5000)
        assert view.model.ids() == expected, text
    assert view.stack.currentWidget() is view.empty and "没有找到" in view.empty.text()
    view.search.clear()
    qtbot.waitUntil(lambda: view.model.rowCount() == 4, timeout=5000)


def test_sorting_in_sql(qtbot, window):
    model = window.worklist.model
    model.sort(2, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: model.query.sort == "name" and not model.loading, timeout=5000)
    names = [model.index(r, 2).data() for r in range(model.rowCount())]
    from client.domain.names import name_pinyin
    # names as people read them (pinyin), in SQL
    assert len(names) == 4 and names == sorted(names, key=lambda n: (name_pinyin(n), n), reverse=True)


def test_empty_list_says_what_to_do(qtbot, window):
    window.nav.select("conflict")
    qtbot.waitUntil(lambda: window.worklist.stack.currentWidget() is window.worklist.empty,
                    timeout=5000)
    assert "立即同步" in window.worklist.empty.text()


def test_worklist_export_reads_back(qtbot, window, tmp_path):
    path = tmp_path / "list.xlsx"
    done = []
    window.worklist.export_to(str(path), on_done=done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    ws = load_workbook(path).active
    rows = list(ws.values)
    header = rows[2]  # after the title line and the filter line
    assert header[:3] == ("状态", "编号", "姓名")
    body = rows[3:]
    assert len(body) == 4 and body[0][1] == "E-1" and body[0][3] == "610424198503048670"


# -- editing, saving, syncing -----------------------------------------------------------------

def test_fix_error_save_moves_on_and_sync_reaches_server(qtbot, bg, window, live_server):
    _open(qtbot, window, "E-1")
    editor = window.editor
    form = editor.form
    codes = {f.code for f in form.findings()}
    assert "ID_CHECKSUM" in codes
    id_row = form.rows["id_number"]
    assert id_row.editor.state == "invalid" and "校验位" in id_row.message.text()
    assert "异常数据" in editor.title.text() and "张敏明" in editor.title.text()

    # The worker corrects the check character; the form re-validates as they type.
    wrong = id_row.editor.value()
    right = wrong[:17] + id_check_char(wrong[:17])
    id_row.editor.edit.setFocus()
    id_row.editor.edit.selectAll()
    with qtbot.waitSignal(form.sig_validated, timeout=3000):
        type_text(id_row.editor.edit, right)
    assert "ID_CHECKSUM" not in {f.code for f in form.findings()}
    assert id_row.editor.state == "valid"
    assert "610424198503048670" in editor.compare.text()

    qtbot.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: editor.task is not None and editor.task.id == "E-2", timeout=10_000)
    wait_idle(qtbot, bg)
    assert window.status.pending == 1 and "待上传 1" in window.status.counts_label.text()
    assert window.nav.counts["pending"] == 1 and window.nav.counts["error"] == 3

    with qtbot.waitSignal(window.sync.sig_finished, timeout=30_000) as got:
        qtbot.mouseClick(window.status.sync_button, Qt.MouseButton.LeftButton)
    report = got.args[0]
    assert report.pushed == 1
    wait_idle(qtbot, bg)
    assert window.status.pending == 0 and "同步完成" in window.status.message_label.text()
    assert window.status.online_label.text().startswith("●")
    with live_server.store.read() as conn:
        assert live_server.store.get_person(conn, "P-1")["id_number"] == right


def test_errors_block_saving(qtbot, window):
    _open(qtbot, window, "E-2")
    form = window.editor.form
    name = form.rows["name"].editor
    name.clear()
    name.textEdited.emit("")
    window.editor.save()
    assert errors.open_dialogs and "错误" in errors.open_dialogs[-1].text()
    assert window.editor.task.id == "E-2" and window.status.pending == 0


def test_confirm_error_with_reason(qtbot, bg, window):
    _open(qtbot, window, "E-3")
    # E-3 has an error (check character): confirming is refused until it is fixed.
    window.editor.ask_confirm()
    assert "不能核实无误" in errors.open_dialogs[-1].text()
    errors.open_dialogs[-1].close()
    window.editor.ask_cannot_verify()
    dlg = window.editor.dialog
    dlg.choice_buttons["not_local"].setChecked(True)
    type_text(dlg.reason, "已迁往外省")
    dlg._accept()
    qtbot.waitUntil(lambda: window.editor.task is not None and window.editor.task.id == "E-4",
                    timeout=10_000)
    wait_idle(qtbot, bg)
    assert window.status.pending == 1
    window.show_outbox()
    qtbot.waitUntil(lambda: window.outbox.model.rowCount() == 1, timeout=5000)
    assert window.outbox.model.index(0, 2).data() == "无法核实"
    assert window.outbox.model.index(0, 1).data() == "E-3"


def test_sync_with_server_down_is_plain_and_offline(qtbot, bg, window, live_server):
    live_server.stop()
    with qtbot.waitSignal(window.sync.sig_failed, timeout=60_000):
        window.sync.sync_now()
    wait_idle(qtbot, bg)
    text = window.status.message_label.property("full_text")
    assert "无法连接服务器" in text or "没有响应" in text or "中断" in text, text
    assert window.status.online_label.text().startswith("○")
    assert window.status.sync_button.isEnabled()


def test_cancel_sync(qtbot, bg, window):
    window.sync.sync_now()
    assert window.status.cancel_button.isVisible()
    window.status.cancel_button.click()
    qtbot.waitUntil(lambda: not window.sync.running, timeout=30_000)
    assert not window.status.cancel_button.isVisible()


def test_outbox_model_and_discard(qtbot, bg, window, workspace, qtmodeltester):
    bg.run_blocking_on_db(workspace.confirm_error.__self__.cannot_verify, "E-4", "unverifiable", "")
    window.show_outbox()
    qtbot.waitUntil(lambda: window.outbox.model.rowCount() == 1, timeout=5000)
    qtmodeltester.check(window.outbox.model, force_py=True)
    window.outbox.table.selectRow(0)
    window.outbox.ask_discard()
    box = window.outbox.confirm_box
    qtbot.mouseClick(box.button(box.StandardButton.Yes), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.outbox.model.rowCount() == 0, timeout=5000)
    assert bg.run_blocking_on_db(workspace.pending_count) == 0


# -- idle lock ----------------------------------------------------------------------------------

def test_idle_lock_needs_the_password(qtbot, window):
    window.idle.limit_s = 0.01
    window.idle.last_input -= 1
    window.idle.check()
    assert window.locked and not window.menuBar().isEnabled()
    lock = window.lock_screen
    type_text(lock.password, "nope")
    lock.submit()
    qtbot.waitUntil(lambda: lock.button.isEnabled(), timeout=15_000)
    assert window.locked and lock.status.text()
    lock.password.clear()
    type_text(lock.password, "alice-pw")
    with qtbot.waitSignal(lock.sig_unlocked, timeout=15_000):
        lock.submit()
    assert not window.locked and window.menuBar().isEnabled()


def test_password_changed_online_asks_for_the_old_one(qtbot, bg, live_server, tmp_path, settings):
    from client.workspace import Workspace
    from ui.login_dialog import LoginDialog
    data = tmp_path / "data"
    Workspace.login(data, live_server.url, "alice", "alice-pw").close()
    other = live_server.client("alice")        # changed from another PC (an admin's reset: test_trust_ui)
    r = other.post("/v1/auth/password", {"old_password": "alice-pw", "new_password": "New-secret-1",
                                         "device_id": other.device_id})
    assert r.status_code == 200, r.text
    dlg = LoginDialog(bg, data, settings, server_url=live_server.url, username="alice")
    qtbot.addWidget(dlg)
    dlg.show()
    type_text(dlg.password, "New-secret-1")
    dlg.submit()
    qtbot.waitUntil(lambda: not dlg.busy, timeout=15_000)
    assert "旧密码" in dlg.status.text() and dlg.old_password.isVisible()
    type_text(dlg.old_password, "alice-pw")
    with qtbot.waitSignal(dlg.sig_logged_in, timeout=15_000) as got:
        dlg.submit()
    ws = got.args[0].workspace
    bg.run_blocking_on_db(ws.close)
    # From now on the new password also opens the local data offline.
    Workspace.unlock(data, "alice", "New-secret-1").close()


def test_session_login_to_main_window_and_shutdown(qtbot, bg, live_server, settings):
    from client.paths import app_paths
    from ui.session import Session
    paths = app_paths().ensure()
    session = Session(paths, settings, bg, server_url=live_server.url, username="alice")
    session.start()
    type_text(session.login.password, "alice-pw")
    session.login.submit()
    qtbot.waitUntil(lambda: session.window is not None, timeout=15_000)
    qtbot.addWidget(session.window)
    # An online login syncs at once: the cases arrive without the worker asking.
    qtbot.waitUntil(lambda: session.window.nav.counts.get("error", 0) == 4, timeout=30_000)
    assert session.window.status.online_label.text().startswith("●")
    wait_idle(qtbot, bg)
    session.shutdown()
    assert session.workspace is None


def test_closing_the_window_during_a_sync_exits_promptly(qtbot, bg, window, workspace, live_server):
    import time
    # The server answers "busy, come back in 60 s": the sync waits in its backoff (the server's
    # fault hook, HTTP only on training servers, set in-process).
    live_server.app.state.hecha.faults.add("/v1/sync", 503, 50, 60)
    window.sync.sync_now()
    qtbot.waitUntil(lambda: window.sync.state.phase in ("push", "pull", "bootstrap"), timeout=5000)
    assert window.sync.running
    t0 = time.monotonic()
    window.close()
    bg.run_blocking_on_db(workspace.close)  # what the session does on quit
    qtbot.waitUntil(lambda: not window.sync.running, timeout=10_000)
    assert time.monotonic() - t0 < 5
    assert bg.run_blocking_on_db(lambda: True)
