"""Client edges of issue 11 in the real window (offscreen): the idle lock hides every window and
signs the worker out after 5 wrong passwords; 退出登录 ends the login on the server; the password
dialog; 本机操作记录 shows the worker's actions and Excel exports, and exports itself."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog
from openpyxl import load_workbook

import pytest

from client.paths import Settings
from client.workspace import Workspace
from client.workspace import errors as E
from tests.support.live_server import ApiClient
from tests.server.test_tls_server import pki  # noqa: F401 - the fixture
from tests.ui.conftest import type_text, wait_idle
from ui.session import password_checker


def test_idle_lock_cannot_be_switched_off(tmp_path):
    s = Settings.load(tmp_path / "s.json")
    s.set("idle_lock_minutes", 0)
    assert s.get("idle_lock_minutes") == 1
    s.set("idle_lock_minutes", 600)
    assert s.get("idle_lock_minutes") == 30


def test_lock_hides_every_window_and_five_wrong_passwords_sign_out(qtbot, bg, window, workspace, tmp_path):
    window.show_trace()
    dialog = window.trace_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    window.lock()
    assert window.locked and not dialog.isVisible()
    lock = window.lock_screen
    for attempt in range(4):
        type_text(lock.password, f"wrong-{attempt}")
        lock.submit()
        qtbot.waitUntil(lambda: lock.button.isEnabled(), timeout=15_000)
    assert "再错 1 次" in lock.status.text()
    type_text(lock.password, "alice-pw")          # the right one still unlocks, and shows the dialog
    with qtbot.waitSignal(lock.sig_unlocked, timeout=15_000):
        lock.submit()
    assert dialog.isVisible()
    window.lock()
    for attempt in range(4):
        type_text(lock.password, f"wrong-{attempt}")
        lock.submit()
        qtbot.waitUntil(lambda: lock.button.isEnabled(), timeout=15_000)
    # the count started again after the unlock: a fifth wrong one now signs out
    type_text(lock.password, "wrong-again")
    with qtbot.waitSignal(window.sig_signed_out, timeout=15_000) as got:
        lock.submit()
    assert got.args == [True]
    wait_idle(qtbot, bg)
    bg.run_blocking_on_db(workspace.close)
    with pytest.raises(E.OfflineUnlockRefused):
        Workspace.unlock(tmp_path / "data", "alice", "alice-pw")


def test_sign_out_ends_the_login_on_the_server(qtbot, bg, window, workspace, live_server):
    token = workspace.auth._refresh_token
    with qtbot.waitSignal(window.sig_signed_out, timeout=15_000) as got:
        window.sign_out()
    assert got.args == [False]
    c = ApiClient(live_server.url, workspace.transport.device_id)
    assert c.refresh(token).status_code == 401


def test_password_dialog_changes_the_password(qtbot, bg, window, workspace, tmp_path):
    window.change_password()
    dlg = window.change_password_dialog
    type_text(dlg.old, "alice-pw")
    type_text(dlg.new, "short")
    type_text(dlg.again, "short")
    dlg.submit()
    qtbot.waitUntil(lambda: dlg.buttons.isEnabled() and "至少" in dlg.status.text(), timeout=15_000)
    for w in (dlg.new, dlg.again):
        w.clear()
        type_text(w, "Str0ng-pass!")
    with qtbot.waitSignal(dlg.sig_changed, timeout=15_000):
        dlg.submit()
    assert dlg.result() == QDialog.DialogCode.Accepted
    wait_idle(qtbot, bg)
    bg.run_blocking_on_db(workspace.close)
    Workspace.unlock(tmp_path / "data", "alice", "Str0ng-pass!").close()


def test_trace_shows_actions_and_exports_and_exports_itself(qtbot, bg, window, workspace, tmp_path):
    bg.run_blocking_on_db(workspace.cannot_verify, "E-2", "not_local")
    done = []
    window.worklist.export_to(str(tmp_path / "list.xlsx"), on_done=done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    wait_idle(qtbot, bg)
    window.show_trace()
    dlg = window.trace_dialog
    qtbot.waitUntil(lambda: dlg.table.rowCount() >= 2, timeout=10_000)
    rows = [[dlg.table.item(r, c).text() for c in range(dlg.table.columnCount())]
            for r in range(dlg.table.rowCount())]
    assert rows[0][4] == "export" and "list.xlsx" in rows[0][6]          # newest first
    assert any(r[2] == "E-2" for r in rows)
    out = []
    dlg.export_to(str(tmp_path / "trace.xlsx"), on_done=out.append)
    qtbot.waitUntil(lambda: bool(out), timeout=10_000)
    sheet = list(load_workbook(tmp_path / "trace.xlsx").active.values)
    assert sheet[0][0] == "时间" and len(sheet) == len(rows) + 1
    wait_idle(qtbot, bg)
    assert bg.run_blocking_on_db(workspace.trace)[0]["case_id"] == "本机操作记录"


def test_login_dialog_with_a_p12_certificate(qtbot, bg, live_server_factory, pki, tmp_path, settings):  # noqa: F811
    from sync.server.tls import TlsSettings
    from tests.workspace.test_client_certificate import _p12
    from ui.login_dialog import LoginDialog
    server = live_server_factory(tls=TlsSettings(str(pki["cert"]), str(pki["key"]), str(pki["client_ca"])),
                                 client_certs=True)
    p12 = _p12(pki["person"]("alice"), "口令-1", tmp_path / "alice.pfx")
    dlg = LoginDialog(bg, tmp_path / "data", settings, server_url=server.url, username="alice")
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.ca_file.setText(str(pki["ca"]))
    dlg.cert_file.setText(str(p12))
    type_text(dlg.cert_passphrase, "wrong")
    type_text(dlg.password, "alice-pw")
    dlg.submit()
    qtbot.waitUntil(lambda: not dlg.busy, timeout=15_000)
    assert "口令" in dlg.status.text()
    dlg.cert_passphrase.clear()
    type_text(dlg.cert_passphrase, "口令-1")
    with qtbot.waitSignal(dlg.sig_logged_in, timeout=20_000) as got:
        dlg.submit()
    result = got.args[0]
    assert result.online
    bg.run_blocking_on_db(result.workspace.close)
    # which certificate is remembered, never its passphrase
    assert settings.get("client_cert_file") == str(p12)
    assert "口令-1" not in settings.path.read_text(encoding="utf-8")


def test_session_expired_password_first_then_sign_out_back_to_login(qtbot, bg, live_server_factory, settings):
    from client.paths import app_paths
    from ui.session import Session
    server = live_server_factory(password_max_age_days=30)
    server.clock.advance(days=31)
    session = Session(app_paths().ensure(), settings, bg, server_url=server.url, username="alice")
    session.start()
    type_text(session.login.password, "alice-pw")
    session.login.submit()
    qtbot.waitUntil(lambda: session.window is not None, timeout=15_000)
    window = session.window                    # the session owns it (deleted at sign-out)
    dlg = window.change_password_dialog               # asked at once: the server takes nothing else
    assert dlg.isVisible()
    type_text(dlg.old, "alice-pw")
    for w in (dlg.new, dlg.again):
        type_text(w, "Str0ng-pass!")
    with qtbot.waitSignal(dlg.sig_changed, timeout=15_000):
        dlg.submit()
    qtbot.waitUntil(lambda: window.nav.counts.get("error", 0) == 4, timeout=30_000)   # then it syncs
    wait_idle(qtbot, bg)
    window.sign_out()
    qtbot.waitUntil(lambda: session.window is None and session.login.isVisible(), timeout=15_000)
    assert session.workspace is None
    session.login.reject()


def test_login_with_a_password_set_by_an_admin_asks_for_a_new_one_then_logs_in(qtbot, bg, live_server, tmp_path,
                                                                              settings):
    from ui.login_dialog import LoginDialog
    admin = live_server.client("admin")
    assert admin.request("PATCH", "/v1/admin/users/alice", json_body={"password": "Reset-by-admin-1"}).status_code == 200
    dlg = LoginDialog(bg, tmp_path / "data", settings, server_url=live_server.url, username="alice")
    qtbot.addWidget(dlg)
    dlg.show()
    type_text(dlg.password, "Reset-by-admin-1")
    dlg.submit()
    qtbot.waitUntil(lambda: dlg.password_dialog is not None and dlg.password_dialog.isVisible(), timeout=15_000)
    pw = dlg.password_dialog
    assert "初始密码" in pw.reason.text() and pw.reason.isVisible()
    assert pw.old.text() == "Reset-by-admin-1"                 # the one just typed
    assert "新密码" in dlg.status.text()
    for w in (pw.new, pw.again):                                # the policy and the history apply
        type_text(w, "Reset-by-admin-1")
    pw.submit()
    qtbot.waitUntil(lambda: pw.buttons.isEnabled() and "最近" in pw.status.text(), timeout=15_000)
    assert dlg.isVisible() and pw.isVisible()
    for w in (pw.new, pw.again):
        w.clear()
        type_text(w, "Str0ng-pass!")
    with qtbot.waitSignal(dlg.sig_logged_in, timeout=20_000) as got:   # then the login goes on
        pw.submit()
    result = got.args[0]
    assert result.online and result.workspace.auth.password_change_required is False
    bg.run_blocking_on_db(result.workspace.sync)                # the server accepts the login now
    bg.run_blocking_on_db(result.workspace.close)
    assert not pw.isVisible() and not dlg.isVisible()
    Workspace.unlock(tmp_path / "data", "alice", "Str0ng-pass!").close()
    r = ApiClient(live_server.url).login("alice", "Str0ng-pass!")
    assert r.status_code == 200 and r.json()["password_change_required"] is False


def test_relogin_in_the_window_with_a_password_set_by_an_admin_asks_for_a_new_one(qtbot, bg, window, workspace,
                                                                                 live_server, tmp_path):
    admin = live_server.client("admin")
    assert admin.request("PATCH", "/v1/admin/users/alice", json_body={"password": "Reset-by-admin-1"}).status_code == 200
    window.ask_password()                                       # the login expired (the reset ended it)
    window.password_dialog.setTextValue("Reset-by-admin-1")
    window.password_dialog.accept()
    qtbot.waitUntil(lambda: getattr(window, "change_password_dialog", None) is not None
                    and window.change_password_dialog.isVisible(), timeout=15_000)
    pw = window.change_password_dialog
    assert "初始密码" in pw.reason.text() and pw.old.text() == "Reset-by-admin-1"
    # the admin's password does not open the local data (the key is not re-wrapped with it)
    with pytest.raises(E.WrongPassword):
        password_checker(workspace)("Reset-by-admin-1")
    for w in (pw.new, pw.again):
        type_text(w, "Str0ng-pass!")
    with qtbot.waitSignal(window.sync.sig_finished, timeout=30_000):   # changed, then it syncs
        pw.submit()
    wait_idle(qtbot, bg)
    bg.run_blocking_on_db(workspace.close)
    Workspace.unlock(tmp_path / "data", "alice", "Str0ng-pass!").close()
