"""Auth, bootstrap, changes and push (applied / duplicate / conflict) against the live server."""

from __future__ import annotations

from sync.protocol import BootstrapPage, ChangesPage, PushResponse, compute_scope_digest
from client.domain.idnumber import id_check_char
from tests.support.live_server import make_op


def fixed_id(idn: str) -> str:
    return idn[:17] + id_check_char(idn[:17])


def test_login_bootstrap_and_headers(live_server):
    c = live_server.client("alice")
    assert c.user == {"username": "alice", "display_name": "王小丽", "role": "township",
                      "jurisdiction": "610424001"}
    r = c.get("/v1/sync/bootstrap")
    assert r.status_code == 200
    assert r.headers["X-Request-Id"] and r.headers["X-Server-Time"].endswith("Z")
    page = BootstrapPage.model_validate(r.json())
    assert sorted(rec.id for rec in page.records) == ["B-1", "D-1", "E-1", "E-2", "E-3", "E-4"]
    assert page.next_page_token is None and page.cursor
    assert page.scope_digest == compute_scope_digest((rec.id, rec.version) for rec in page.records)
    e1 = next(rec for rec in page.records if rec.id == "E-1")
    assert e1.type == "error" and e1.version == 1
    assert {f["code"] for f in e1.data["findings"]} & {"id.check_char"} or e1.data["findings"]
    assert [m["relation"] for m in e1.data["household"]] == ["10"]
    # bob sees only his township
    bob = live_server.client("bob")
    assert set(bob.bootstrap_all()["records"]) == {"E-5"}


def test_bootstrap_pages_with_limit_and_max_bytes(live_server):
    c = live_server.client("alice")
    full = c.bootstrap_all()
    paged = c.bootstrap_all(limit=2)
    assert paged["pages"] == 3 and paged["records"] == full["records"]
    assert paged["scope_digest"] == full["scope_digest"]
    tiny = c.bootstrap_all(max_bytes=1024)
    assert tiny["pages"] >= 2 and tiny["records"] == full["records"]


def test_push_applied_then_duplicate_then_changes(live_server):
    c = live_server.client("alice")
    boot = c.bootstrap_all()
    rec = boot["records"]["E-1"]
    idn = rec["data"]["person"]["id_number"]
    op = make_op("E-1", "fix_error", 1, changes={"id_number": {"from": idn, "to": fixed_id(idn)}},
                 payload={"note": "按户口簿更正"})
    r = c.push([op])
    assert r.status_code == 200, r.text
    res = PushResponse.model_validate(r.json()).results[0]
    assert res.status == "applied" and res.new_version == 2
    assert res.record.data["person"]["id_number"] == fixed_id(idn)
    assert res.record.data["status"] == "completed"
    again = c.push([op]).json()["results"][0]
    assert again["status"] == "duplicate" and again["original_status"] == "applied"
    assert again["new_version"] == 2
    changes, cursor, last = c.pull_all(boot["cursor"])
    page = ChangesPage.model_validate(last)
    assert not page.has_more
    by_id = {ch["id"]: ch for ch in changes}
    assert by_id["E-1"]["removed"]["reason"] == "completed" and by_id["E-1"]["version"] == 2
    # B-1 shows the same household (the head's ID changed): it moved to version 2 as well
    assert by_id["B-1"]["version"] == 2
    assert by_id["B-1"]["data"]["households"][0]["members"][0]["id_number"] == fixed_id(idn)
    scope = {k: v["version"] for k, v in boot["records"].items() if k != "E-1"}
    scope["B-1"] = 2
    assert page.scope_digest == compute_scope_digest(scope.items())
    # caught up: nothing more
    again_changes, _, _ = c.pull_all(cursor)
    assert again_changes == []


def test_office_edit_other_field_merges_same_field_conflicts(live_server):
    c = live_server.client("alice")
    office = live_server.client("admin")
    boot = c.bootstrap_all()
    for case_id, field, value in (("E-2", "residence_address", "城关街道东大街1号"), ("E-3", "name", "赵改名")):
        pid = boot["records"][case_id]["data"]["person"]["person_id"]
        live_server.clock.advance(seconds=5)
        r = office.request("PATCH", f"/v1/admin/persons/{pid}", json_body={"changes": {field: value}})
        assert r.status_code == 200, r.text
        assert case_id in r.json()["cases_changed"]
    # E-2: the office changed another field -> applied_with_merge
    p2 = boot["records"]["E-2"]["data"]["person"]
    op2 = make_op("E-2", "fix_error", 1, changes={"id_number": {"from": p2["id_number"],
                                                                "to": fixed_id(p2["id_number"])}})
    # E-3: the office changed the name the worker also changed -> conflict
    p3 = boot["records"]["E-3"]["data"]["person"]
    op3 = make_op("E-3", "fix_error", 1, changes={"name": {"from": p3["name"], "to": "赵正确"},
                                                 "id_number": {"from": p3["id_number"],
                                                               "to": fixed_id(p3["id_number"])}})
    res2, res3 = c.push([op2, op3]).json()["results"]
    assert res2["status"] == "applied_with_merge", res2
    assert res2["merged_fields"] == ["residence_address"] and res2["new_version"] == 3
    assert res2["record"]["data"]["person"]["residence_address"] == "城关街道东大街1号"
    assert res3["status"] == "conflict", res3
    assert res3["server_version"] == 2
    assert res3["fields"] == {"name": {"base": p3["name"], "server": "赵改名", "mine": "赵正确",
                                       "changed_by": "admin", "changed_at": res3["fields"]["name"]["changed_at"]}}
    assert res3["changed_by"][0]["actor"] == "admin" and "name" in res3["changed_by"][0]["fields"]
    assert res3["server_record"]["version"] == 2
    # the conflict is final for that op: a resend answers the same conflict
    assert c.push([op3]).json()["results"][0]["status"] == "conflict"
    # resolving creates a new op on the server version
    op3b = make_op("E-3", "fix_error", 2, changes={"id_number": {"from": p3["id_number"],
                                                                "to": fixed_id(p3["id_number"])}})
    assert c.push([op3b]).json()["results"][0]["status"] == "applied"


def test_refresh_rotation_grace_and_reuse(live_server):
    c = live_server.client("alice")
    first = c.refresh_token
    r1 = c.refresh()
    assert r1.status_code == 200
    # the response was "lost": retrying the old token within the grace window gives the same pair
    r2 = c.refresh(first)
    assert r2.status_code == 200
    assert r2.json()["refresh_token"] == r1.json()["refresh_token"]
    assert r2.json()["access_token"] == r1.json()["access_token"]
    assert c.get("/v1/sync/manifest").status_code == 200
    # after the grace window the old token is a reuse: the whole family is revoked
    live_server.clock.advance(seconds=live_server.config.refresh_grace_seconds + 1)
    r3 = c.refresh(first)
    assert r3.status_code == 401 and r3.json()["code"] == "refresh_token_reused"
    r4 = c.refresh(r1.json()["refresh_token"])
    assert r4.status_code == 401 and r4.json()["code"] == "invalid_refresh_token"
    assert c.get("/v1/sync/manifest").status_code == 401


def test_access_token_expires(live_server):
    c = live_server.client("alice")
    assert c.get("/v1/sync/manifest").status_code == 200
    live_server.clock.advance(seconds=15 * 60)
    r = c.get("/v1/sync/manifest")
    assert r.status_code == 401 and r.json()["code"] == "token_expired"
    assert r.headers["Content-Type"].startswith("application/problem+json")
    assert c.refresh().status_code == 200
    assert c.get("/v1/sync/manifest").status_code == 200
