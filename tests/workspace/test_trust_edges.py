"""Client edges of issue 11 against the real server: http:// refused to another computer before
any connection; a deactivated account's store no longer opens offline; offline unlock within the
server's window with clock-rollback detection; logout ends the login on the server; the worker's
own password change re-wraps the store key."""

from __future__ import annotations

from datetime import timedelta

import pytest

from client.workspace import Workspace
from client.workspace.offline import now_utc
from sync.client import errors as E
from sync.client.transport import Transport
from tests.support.live_server import ApiClient

STRONG = "Str0ng-pass"


@pytest.mark.parametrize("url", ["http://10.20.30.40:8765", "http://hecha.example.gov.cn", "ftp://x",
                                 "http://[fe80::1]:8765"])
def test_cleartext_to_another_computer_is_refused_before_any_connection(url, tmp_path):
    with pytest.raises(E.InsecureServer) as err:
        Transport(url, device_id="d")
    assert "https" in err.value.message
    # through the workspace too: refused, not "offline" (no name lookup, no retries)
    with pytest.raises(E.InsecureServer):
        Workspace.login(tmp_path / "data", url, "alice", "alice-pw")
    for ok in ("http://127.0.0.1:1", "http://localhost:1", "http://[::1]:1", "https://hecha.example.gov.cn"):
        Transport(ok, device_id="d").close()


def test_a_deactivated_account_cannot_unlock_offline(open_ws, server, tmp_path):
    ws = open_ws(direct=True)
    ws.sync()
    ws.cannot_verify("E-1", "not_local")            # pending work stays on the PC
    admin = server.client("admin")
    assert admin.request("PATCH", "/v1/admin/users/alice", json_body={"active": False}).status_code == 200
    with pytest.raises(E.AccountDisabled) as err:
        ws.sync()
    assert "停用" in err.value.message
    ws.close()
    with pytest.raises(E.OfflineUnlockRefused):
        Workspace.unlock(tmp_path / "data", "alice", "alice-pw")
    with pytest.raises(E.AccountDisabled):
        open_ws(direct=True)
    # re-enabled: an online login opens it again, with the pending op kept
    assert admin.request("PATCH", "/v1/admin/users/alice", json_body={"active": True}).status_code == 200
    ws = open_ws(direct=True)
    assert ws.pending_count() == 1
    ws.close()
    Workspace.unlock(tmp_path / "data", "alice", "alice-pw").close()


def test_offline_unlock_window_and_clock_rollback(open_ws, live_server_factory, tmp_path):
    server = live_server_factory(offline_unlock_days=2)
    data = tmp_path / "data2"
    Workspace.login(data, server.url, "alice", "alice-pw", key_cost={"n": 2 ** 10}).close()
    start = now_utc()
    Workspace.unlock(data, "alice", "alice-pw", now=start + timedelta(days=1)).close()
    with pytest.raises(E.OfflineUnlockRefused) as err:
        Workspace.unlock(data, "alice", "alice-pw", now=start + timedelta(days=3))
    assert "2 天" in err.value.message
    with pytest.raises(E.OfflineUnlockRefused) as err:       # the clock was set back a day
        Workspace.unlock(data, "alice", "alice-pw", now=start)
    assert "调回" in err.value.message
    # an online login starts the window again
    Workspace.login(data, server.url, "alice", "alice-pw").close()
    Workspace.unlock(data, "alice", "alice-pw", now=now_utc() + timedelta(days=1)).close()


def test_logout_ends_the_login_on_the_server(open_ws, server):
    ws = open_ws(direct=True)
    ws.sync()
    token = ws.auth._refresh_token
    ws.logout()
    c = ApiClient(server.url, ws.transport.device_id)
    assert c.refresh(token).status_code == 401
    assert not ws.auth.has_refresh_token()
    ws.close()


def test_own_password_change_rewraps_the_store(open_ws, tmp_path):
    ws = open_ws(direct=True)
    with pytest.raises(E.PasswordRejected) as err:
        ws.change_password("alice-pw", "111111")
    assert "至少" in err.value.message or "8" in err.value.message
    ws.change_password("alice-pw", STRONG)
    ws.sync()                                       # the new tokens work
    ws.close()
    Workspace.unlock(tmp_path / "data", "alice", STRONG).close()
    with pytest.raises(E.WrongPassword):
        Workspace.unlock(tmp_path / "data", "alice", "alice-pw")


def test_a_password_set_by_an_admin_is_replaced_before_anything_opens(open_ws, server, tmp_path):
    admin = server.client("admin")
    assert admin.post("/v1/admin/users", {"username": "newbie", "password": "Initial-pw-1", "role": "township",
                                          "jurisdiction": "610424001"}).status_code == 201
    with pytest.raises(E.PasswordChangeRequired) as err:
        open_ws("newbie", "Initial-pw-1", direct=True)
    assert "新密码" in err.value.message and "管理员" in err.value.message
    assert not (tmp_path / "data" / "users" / "newbie").exists()      # no store made with it
    with pytest.raises(E.PasswordRejected):                             # the policy applies
        open_ws("newbie", "Initial-pw-1", direct=True, new_password="111111")
    ws = open_ws("newbie", "Initial-pw-1", direct=True, new_password="My-0wn-pass")
    assert ws.auth.password_change_required is False
    ws.sync()                                                           # the new login works
    ws.close()
    Workspace.unlock(tmp_path / "data", "newbie", "My-0wn-pass").close()   # the store has the new one
    open_ws("newbie", "My-0wn-pass", direct=True).close()              # and the next login is normal


def test_an_admin_reset_then_the_own_password_rewraps_the_existing_store(open_ws, server, tmp_path):
    ws = open_ws(direct=True)
    ws.sync()
    ws.cannot_verify("E-1", "not_local")
    ws.close()
    admin = server.client("admin")
    assert admin.request("PATCH", "/v1/admin/users/alice", json_body={"password": "Reset-by-admin-1"}).status_code == 200
    with pytest.raises(E.PasswordChangeRequired):
        open_ws(password="Reset-by-admin-1", direct=True)
    # the new password is set on the server; the local data is still locked with the old one
    with pytest.raises(E.PasswordChanged):
        open_ws(password="Reset-by-admin-1", direct=True, new_password=STRONG)
    ws = open_ws(password=STRONG, direct=True, previous_password="alice-pw")
    assert ws.pending_count() == 1                                      # the pending work is kept
    ws.close()
    Workspace.unlock(tmp_path / "data", "alice", STRONG).close()
