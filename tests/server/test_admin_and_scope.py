"""Office/trainer actions, roles, scope changes seen through pulls, retention (410) and reset."""

from __future__ import annotations

from sync.protocol import compute_scope_digest
from tests.support.live_server import make_op


def test_roles(live_server_factory):
    live_server = live_server_factory(training=True)  # test hooks and trainer accounts
    alice, carol, trainer = (live_server.client(u) for u in ("alice", "carol", "trainer"))
    r = alice.get("/v1/admin/users")
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    assert alice.post("/v1/admin/reset").status_code == 403
    assert carol.post("/v1/admin/reset").status_code == 403       # county: office actions, not reset
    users = {u["username"]: u for u in carol.get("/v1/admin/users").json()["users"]}
    assert users["alice"]["open"] == 6 and users["alice"]["completed"] == 0
    assert users["bob"]["open"] == 1
    assert trainer.post("/v1/admin/users", {"username": "dave", "password": "Ne1ghbour!", "role": "township",
                                            "jurisdiction": "610424101"}).status_code == 201
    dup = trainer.post("/v1/admin/users", {"username": "dave", "password": "Ne1ghbour!", "role": "township",
                                           "jurisdiction": "610424101"})
    assert dup.status_code == 409
    dave = live_server.client("dave", "Ne1ghbour!")   # sets his own password first (an admin gave this one)
    r = dave.post("/v1/auth/password", {"old_password": "Ne1ghbour!", "new_password": "Neighb0ur-2!",
                                        "device_id": dave.device_id})
    assert r.status_code == 200, r.text
    dave.access_token = r.json()["access_token"]
    assert set(dave.bootstrap_all()["records"]) == set()
    assert trainer.post("/v1/admin/cases/E-404/withdraw", {}).status_code == 404
    assert trainer.request("PATCH", "/v1/admin/persons/P-1", json_body={"changes": {"shoe": "1"}}).status_code == 400


def test_progress_counts_follow_the_work(live_server):
    alice, office = live_server.client("alice"), live_server.client("admin")
    alice.push([make_op("E-1", "cannot_verify", 1, payload={"reason_code": "not_local"})])
    users = {u["username"]: u for u in office.get("/v1/admin/users").json()["users"]}
    assert (users["alice"]["open"], users["alice"]["completed"]) == (5, 1)
    assert users["alice"]["progress"] == round(1 / 6, 4)


def test_reassign_moves_the_case_between_scopes(live_server):
    alice, carol, office = (live_server.client(u) for u in ("alice", "carol", "admin"))
    a_boot, c_boot = alice.bootstrap_all(), carol.bootstrap_all()
    assert "E-4" not in c_boot["records"]
    assert office.post("/v1/admin/cases/E-4/reassign", {"to": "carol"}).status_code == 200
    a_changes, a_cursor, a_last = alice.pull_all(a_boot["cursor"])
    assert a_changes == [{"type": "error", "id": "E-4", "version": 2,
                          "removed": {"reason": "reassigned", "to": "carol", "at": a_changes[0]["removed"]["at"]}}]
    c_changes, c_cursor, _ = carol.pull_all(c_boot["cursor"])
    assert [(ch["id"], ch["version"], "data" in ch) for ch in c_changes] == [("E-4", 2, True)]
    # and back: the case is reassigned to the worker again and arrives as a record
    assert office.post("/v1/admin/cases/E-4/reassign", {"to": "alice"}).status_code == 200
    a_changes, _, a_last = alice.pull_all(a_cursor)
    assert [(ch["id"], ch["version"], "data" in ch) for ch in a_changes] == [("E-4", 3, True)]
    scope = {k: v["version"] for k, v in a_boot["records"].items()}
    scope["E-4"] = 3
    assert a_last["scope_digest"] == compute_scope_digest(scope.items())


def test_add_and_delete_cases(live_server):
    alice, office = live_server.client("alice"), live_server.client("admin")
    boot = alice.bootstrap_all()
    body = {"persons": [{"person_id": "P-new", "household_id": "H-1", "relation": "99", "name": "新来的",
                         "sex": "1", "birth_date": "1990-01-01", "status": "active"}],
            "cases": [{"id": "E-100", "kind": "error", "assigned_to": "alice", "person_id": "P-new"}]}
    r = office.post("/v1/admin/cases", body)
    assert r.status_code == 201, r.text
    assert office.post("/v1/admin/cases", body).status_code == 400        # ids must be new
    assert office.post("/v1/admin/cases", {"cases": [{"id": "X", "kind": "odd", "assigned_to": "a"}]}
                        ).status_code == 400
    changes, cursor, _ = alice.pull_all(boot["cursor"])
    new = next(ch for ch in changes if ch["id"] == "E-100")
    assert new["version"] == 1 and new["data"]["person"]["name"] == "新来的"
    assert office.post("/v1/admin/cases/E-100/delete", {"note": "录重了"}).status_code == 200
    assert office.post("/v1/admin/cases/E-100/delete", {}).status_code == 409
    changes, _, _ = alice.pull_all(cursor)
    assert [ch.get("removed", {}).get("reason") for ch in changes if ch["id"] == "E-100"] == ["deleted"]
    r = alice.push([make_op("E-100", "cannot_verify", 1, payload={"reason_code": "not_local"})])
    assert r.json()["results"][0] == {"op_id": r.json()["results"][0]["op_id"], "status": "gone",
                                      "reason": "deleted"}


def test_old_cursor_gets_410_after_retention(live_server_factory):
    server = live_server_factory(change_retention_seconds=3600)
    alice, office = server.client("alice"), server.client("admin")
    old = alice.bootstrap_all()["cursor"]
    office.post("/v1/admin/cases/E-1/withdraw", {})
    # within the retention the old cursor still works
    assert alice.changes(old).status_code == 200
    server.clock.advance(seconds=7200)
    alice.login("alice", "alice-pw")
    r = alice.changes(old)
    assert r.status_code == 410 and r.json()["code"] == "resync_required"
    fresh = alice.bootstrap_all()
    assert "E-1" not in fresh["records"]
    changes, _, _ = alice.pull_all(fresh["cursor"])
    assert changes == []


def test_jurisdiction_change_and_reset_force_resync(live_server_factory):
    live_server = live_server_factory(training=True)  # test hooks and trainer accounts
    alice, trainer = live_server.client("alice"), live_server.client("trainer")
    boot = alice.bootstrap_all()
    alice.push([make_op("E-1", "cannot_verify", 1, payload={"reason_code": "not_local"})])
    r = trainer.request("PATCH", "/v1/admin/users/alice", json_body={"jurisdiction": "610424"})
    assert r.status_code == 200
    assert alice.changes(boot["cursor"]).status_code == 410
    boot2 = alice.bootstrap_all()
    assert "E-1" not in boot2["records"]
    assert trainer.post("/v1/admin/reset").status_code == 200
    assert alice.changes(boot2["cursor"]).status_code == 410
    boot3 = alice.bootstrap_all()
    # the starting state is back, with versions that never went backwards
    assert set(boot3["records"]) == set(boot["records"])
    assert boot3["records"]["E-1"]["version"] == 3 and boot3["records"]["E-1"]["data"]["status"] == "open"
    assert all(boot3["records"][k]["version"] > boot["records"][k]["version"] for k in boot["records"])


def test_fault_hook_answers_503_with_retry_after(live_server_factory):
    live_server = live_server_factory(training=True)  # test hooks and trainer accounts
    trainer = live_server.client("trainer")
    assert trainer.post("/v1/admin/faults", {"path_prefix": "/v1/sync/push", "status": 503, "count": 2,
                                             "retry_after": 3}).status_code == 200
    alice = live_server.client("alice")
    for _ in range(2):
        r = alice.push([])
        assert r.status_code == 503 and r.headers["Retry-After"] == "3" and r.json()["code"] == "unavailable"
    assert alice.push([]).status_code == 200


def test_case_history_and_person_lookup(live_server_factory):
    live_server = live_server_factory(training=True)  # test hooks and trainer accounts
    alice, trainer, bob = live_server.client("alice"), live_server.client("trainer"), live_server.client("bob")
    op = make_op("E-1", "confirm_error", 1, payload={"reason": "核实无误"})
    res = alice.push([op]).json()["results"][0]
    assert res["status"] == "rejected"            # E-1 has an ID checksum error: cannot be confirmed
    op = make_op("E-1", "cannot_verify", 1, payload={"reason_code": "unverifiable", "note": "人不在"})
    assert alice.push([op]).json()["results"][0]["status"] == "applied"
    case = trainer.get("/v1/admin/cases/E-1").json()
    assert case["status"] == "completed" and case["assigned_to"] == "alice"
    assert case["resolution"]["op_id"] == op["op_id"] and case["resolution"]["reason_code"] == "unverifiable"
    assert [(h["version"], h["actor"], h["action"]) for h in case["history"]] == [
        (1, "seed", "load"), (2, "alice", "cannot_verify")]
    pid = case["record"]["data"]["person"]["person_id"]
    assert trainer.get(f"/v1/admin/persons/{pid}").json()["person_id"] == pid
    assert trainer.get("/v1/admin/persons/P-none").status_code == 404
    # an office user outside the case's jurisdiction does not see it
    assert trainer.request("PATCH", "/v1/admin/users/carol", json_body={"jurisdiction": "610424101"}
                           ).status_code == 200
    carol = live_server.client("carol")
    assert carol.get("/v1/admin/cases/E-1").status_code == 404
    assert bob.get("/v1/admin/cases/E-1").status_code == 403
    assert trainer.post("/v1/admin/compact").json() == {"deleted": 0}


def test_add_cases_with_bad_data_is_a_client_error(live_server):
    office = live_server.client("admin")
    twice = {"persons": [{"person_id": "P-z", "household_id": "H-1", "name": "甲"},
                         {"person_id": "P-z", "household_id": "H-1", "name": "乙"}],
             "cases": [{"id": "E-200", "kind": "error", "assigned_to": "alice", "person_id": "P-z"}]}
    r = office.post("/v1/admin/cases", twice)
    assert r.status_code == 400 and r.json()["code"] == "malformed"
    no_person = {"cases": [{"id": "E-201", "kind": "error", "assigned_to": "alice"}]}
    assert office.post("/v1/admin/cases", no_person).status_code == 400
    bad_person = {"persons": [{"name": "无编号"}], "cases": [{"id": "E-202", "kind": "error",
                                                             "assigned_to": "alice", "person_id": "x"}]}
    assert office.post("/v1/admin/cases", bad_person).status_code == 400
    # nothing of the failed requests was stored
    assert office.get("/v1/admin/cases/E-200").status_code == 404
