"""The time-dependent parts of the doc (token expiry, refresh grace window, cursor retention), which a
subprocess on the wall clock cannot reach: the same server started in-process on a manual clock
(tests/support is used only to start it), spoken to only by the clean-room client."""

from __future__ import annotations

from tests.conformance.wire import Wire, problem

ALICE = ("alice", "alice-pw")
OFFICE = ("admin", "admin-pw")


def login(server, who) -> Wire:
    w = Wire(server.url)
    w.login(*who)
    return w


def test_expired_access_token_is_401_and_refresh_recovers(live_server_factory):
    s = live_server_factory()
    w = login(s, ALICE)
    assert w.get("/v1/sync/manifest").status_code == 200
    s.clock.advance(seconds=15 * 60 + 1)
    body = problem(w.get("/v1/sync/manifest"), 401)
    r = w.refresh()
    assert r.status_code == 200, r.text
    assert w.get("/v1/sync/manifest").status_code == 200
    assert body["code"] != "malformed"


def test_old_refresh_token_after_the_grace_window_is_reuse_and_revokes_the_family(live_server_factory):
    s = live_server_factory()
    w = login(s, ALICE)
    old = w.refresh_token
    assert w.refresh().status_code == 200
    newer = w.refresh_token
    # Within the grace window the retry gets the same pair (a lost response).
    s.clock.advance(seconds=5)
    again = w.refresh(old)
    assert again.status_code == 200 and again.json()["refresh_token"] == newer
    # Long after it, the old token is a replay: refused, and the family it belongs to is revoked.
    s.clock.advance(seconds=10 * 60)
    problem(w.refresh(old), 401)
    problem(w.refresh(newer), 401)
    # A fresh login still works.
    assert login(s, ALICE).get("/v1/sync/manifest").status_code == 200


def test_expired_refresh_token_is_401(live_server_factory):
    s = live_server_factory()
    w = login(s, ALICE)
    s.clock.advance(days=60)
    problem(w.refresh(), 401)


def test_cursor_older_than_the_retention_is_410_and_a_rebootstrap_recovers(live_server_factory):
    s = live_server_factory()
    w = login(s, ALICE)
    records, last, _ = w.bootstrap()
    cursor = last["cursor"]
    office = login(s, OFFICE)
    rec = next(r for r in records.values() if r["type"] == "error")
    r = office.request("PATCH", f"/v1/admin/persons/{rec['data']['person']['person_id']}",
                       body={"changes": {"residence_address": "新地址"}})
    assert r.status_code == 200, r.text
    s.clock.advance(days=400)
    w.login(*ALICE)
    problem(w.get("/v1/sync/changes", params={"cursor": cursor}), 410, "resync_required")
    # Re-bootstrap (the outbox would be kept) and pull again from the new cursor.
    fresh, last2, _ = w.bootstrap()
    assert fresh[rec["id"]]["version"] > rec["version"]
    page = w.get("/v1/sync/changes", params={"cursor": last2["cursor"]})
    assert page.status_code == 200 and page.json()["has_more"] is False
