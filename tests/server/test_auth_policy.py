"""Authentication of 等保三级 (issue 11): lockout and per-address throttle kept in the database,
password policy, history and expiry, own password change, logout, revocation on an admin reset or a
deactivation, refresh tokens bound to their device and no usable token in the database."""

from __future__ import annotations

from sqlalchemy import select

from sync.server import schema as t
from tests.support.live_server import ApiClient, start_server

STRONG = "Str0ng-pass"


def _login(server, username, password, device_id=None):
    c = ApiClient(server.url, device_id)
    server.clients.append(c)
    return c, c.login(username, password)


def test_five_wrong_passwords_lock_the_account_for_every_server_process(live_server_factory, new_server_db):
    db = new_server_db("shared")
    one = live_server_factory(db_path=db)
    two = start_server(db, dataset=None, clock=one.clock)     # a second process on the same database
    try:
        for _ in range(5):
            _, r = _login(one, "alice", "wrong")
            assert r.status_code == 401 and r.json()["code"] == "invalid_credentials"
        for server in (one, two):
            _, r = _login(server, "alice", "alice-pw")       # even the right password
            assert r.status_code == 423 and r.json()["code"] == "account_locked"
            assert 1 <= int(r.headers["Retry-After"]) <= 15 * 60
            assert r.headers["content-type"].startswith("application/problem+json")
        assert _login(two, "bob", "bob-pw")[1].status_code == 200   # other accounts are not locked
        one.clock.advance(seconds=15 * 60 + 1)
        assert _login(two, "alice", "alice-pw")[1].status_code == 200
    finally:
        two.stop()


def test_one_address_guessing_many_accounts_is_throttled(live_server_factory):
    server = live_server_factory(throttle_failures=8, throttle_seconds=60)
    codes = [_login(server, f"user{i}", "guess")[1].status_code for i in range(8)]
    assert codes == [401] * 8
    _, r = _login(server, "carol", "carol-pw")
    assert r.status_code == 429 and r.json()["code"] == "rate_limited" and int(r.headers["Retry-After"]) <= 60
    server.clock.advance(seconds=61)
    assert _login(server, "carol", "carol-pw")[1].status_code == 200


def test_own_password_change_follows_the_policy_and_ends_other_logins(live_server):
    alice = live_server.client("alice")
    other_pc = live_server.client("alice")

    def change(old, new):
        return alice.post("/v1/auth/password", {"old_password": old, "new_password": new,
                                                "device_id": alice.device_id})

    for weak in ("111111", "abcdefgh1", "Alice-2026!", "Sh0rt!"):
        r = change("alice-pw", weak)
        assert r.status_code == 400 and r.json()["code"] == "password_rejected", weak
    assert change("not-mine", STRONG).status_code == 401
    r = change("alice-pw", STRONG)
    assert r.status_code == 200, r.text
    alice.access_token, alice.refresh_token = r.json()["access_token"], r.json()["refresh_token"]
    assert alice.get("/v1/sync/manifest").status_code == 200
    # every other login of the account ended at once
    assert other_pc.get("/v1/sync/manifest").status_code == 401
    assert other_pc.refresh().status_code == 401
    # the last five passwords cannot come back
    history = [STRONG] + [f"Str0ng-pass-{i}" for i in range(1, 5)]
    for old, new in zip(history, history[1:]):
        r = change(old, new)
        assert r.status_code == 200, r.text
        alice.access_token = r.json()["access_token"]
    r = change(history[-1], STRONG)
    assert r.status_code == 400 and "最近" in r.json()["detail"]
    assert _login(live_server, "alice", "alice-pw")[1].status_code == 401


def test_expired_password_only_opens_the_password_change(live_server_factory):
    server = live_server_factory(password_max_age_days=90)
    server.clock.advance(days=91)
    alice, r = _login(server, "alice", "alice-pw")
    assert r.status_code == 200 and r.json()["password_expired"] is True
    r = alice.get("/v1/sync/manifest")
    assert r.status_code == 403 and r.json()["code"] == "password_expired"
    r = alice.post("/v1/auth/password", {"old_password": "alice-pw", "new_password": STRONG,
                                         "device_id": alice.device_id})
    assert r.status_code == 200 and r.json()["password_expired"] is False
    alice.access_token = r.json()["access_token"]
    assert alice.get("/v1/sync/manifest").status_code == 200


def test_a_password_set_by_an_admin_must_be_changed_at_the_first_login(live_server):
    admin = live_server.client("admin")
    assert admin.post("/v1/admin/users", {"username": "newbie", "password": "Initial-pw-1", "role": "township",
                                          "jurisdiction": "610424001"}).status_code == 201
    assert admin.request("PATCH", "/v1/admin/users/alice", json_body={"password": "Reset-by-admin-1"}).status_code == 200
    for name, given, own in (("newbie", "Initial-pw-1", "My-0wn-pass"), ("alice", "Reset-by-admin-1", STRONG)):
        c, r = _login(live_server, name, given)
        assert r.status_code == 200 and r.json()["password_change_required"] is True, r.text
        # that token opens nothing but the password change: no sync, no office, no supervision
        for method, path in (("GET", "/v1/sync/manifest"), ("GET", "/v1/sync/bootstrap"),
                             ("POST", "/v1/sync/status"), ("GET", "/v1/admin/users"), ("GET", "/v1/progress")):
            r = c.request(method, path, json_body={} if method == "POST" else None)
            assert r.status_code == 403 and r.json()["code"] == "password_change_required", (name, path, r.text)
            assert r.headers["content-type"].startswith("application/problem+json")
        assert c.refresh().status_code == 200                     # a refreshed one neither
        assert c.get("/v1/sync/manifest").json()["code"] == "password_change_required"
        # the policy and the history apply: not the given password again, not a weak one
        for bad in (given, "111111", name + "-Pass-1"):
            r = c.post("/v1/auth/password", {"old_password": given, "new_password": bad, "device_id": c.device_id})
            assert r.status_code == 400 and r.json()["code"] == "password_rejected", (name, bad)
        r = c.post("/v1/auth/password", {"old_password": given, "new_password": own, "device_id": c.device_id})
        assert r.status_code == 200 and r.json()["password_change_required"] is False
        c.access_token = r.json()["access_token"]
        assert c.get("/v1/sync/manifest").status_code == 200
        again, r = _login(live_server, name, own)                 # and the next login is a normal one
        assert r.status_code == 200 and r.json()["password_change_required"] is False
    # the password the admin gave stays in the history: she cannot change back to it
    c, _ = _login(live_server, "alice", STRONG)
    r = c.post("/v1/auth/password", {"old_password": STRONG, "new_password": "Reset-by-admin-1",
                                     "device_id": c.device_id})
    assert r.status_code == 400 and "最近" in r.json()["detail"], r.text
    # her own change is not a reset: an account the owner changed is not asked again
    with live_server.store.read() as conn:
        rows = {r.username: r.must_change_password for r in conn.execute(select(t.users))}
    assert rows["alice"] is False and rows["newbie"] is False and rows["bob"] is False


def test_logout_ends_that_login(live_server):
    alice, other = live_server.client("alice"), live_server.client("alice")
    r = alice.post("/v1/auth/logout", {"refresh_token": alice.refresh_token})
    assert r.status_code == 204
    assert alice.get("/v1/sync/manifest").status_code == 401
    assert alice.refresh().status_code == 401
    assert other.get("/v1/sync/manifest").status_code == 200      # another login is not touched


def test_admin_reset_or_deactivation_revokes_every_token(live_server):
    admin, alice, bob = live_server.client("admin"), live_server.client("alice"), live_server.client("bob")
    r = admin.request("PATCH", "/v1/admin/users/alice", json_body={"password": "Reset-by-admin-1"})
    assert r.status_code == 200
    assert alice.get("/v1/sync/manifest").status_code == 401 and alice.refresh().status_code == 401
    assert admin.request("PATCH", "/v1/admin/users/bob", json_body={"active": False}).status_code == 200
    # the holder of a real token is told the account is deactivated (the app locks its store)
    for r in (bob.get("/v1/sync/manifest"), bob.refresh()):
        assert r.status_code == 403 and r.json()["code"] == "account_disabled"
    # a deactivated account is told apart from a wrong password (only with the right password)
    _, r = _login(live_server, "bob", "bob-pw")
    assert r.status_code == 403 and r.json()["code"] == "account_disabled"
    _, r = _login(live_server, "bob", "wrong")
    assert r.status_code == 401 and r.json()["code"] == "invalid_credentials"


def test_refresh_tokens_are_bound_to_their_device_and_never_stored_usable(live_server):
    alice = live_server.client("alice")
    stolen = alice.refresh_token
    thief = ApiClient(live_server.url, "thief-pc")
    live_server.clients.append(thief)
    r = thief.refresh(stolen)
    assert r.status_code == 401 and r.json()["code"] == "invalid_refresh_token"
    assert alice.refresh().status_code == 401          # that login is ended: the token was out

    alice = live_server.client("alice")
    first = alice.refresh_token
    r1 = alice.refresh()
    assert r1.status_code == 200
    again = alice.refresh(first)                         # a retry within the grace window
    assert again.json()["refresh_token"] == r1.json()["refresh_token"]
    with live_server.store.read() as conn:
        rows = conn.execute(select(t.refresh_tokens)).all()
    stored = " ".join(str(v) for row in rows for v in row)
    for token in (first, r1.json()["refresh_token"], r1.json()["access_token"]):
        assert token not in stored
