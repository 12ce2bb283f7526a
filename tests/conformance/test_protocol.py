"""Everything SYNC_PROTOCOL.md describes, done by a clean-room client against `hecha server --seed demo`."""

from __future__ import annotations

import gzip
import json
import threading
import uuid

import pytest
import requests

from tests.conformance.cases import (REASON, address_fix, hard_errors, of_type, pick, push_explaining_warnings,
                                     valid_op, warning_only)
from tests.conformance.wire import Wire, check_envelope, new_op, problem, scope_digest

ACTIONS = ["fix_error", "confirm_error", "confirm_birth", "reject_birth", "merge_duplicates", "mark_not_duplicate"]
VALID_FOR = {"error": {"fix_error", "confirm_error"}, "birth": {"confirm_birth", "reject_birth"},
             "duplicates": {"merge_duplicates", "mark_not_duplicate"}}


def digest_of(records: dict) -> str:
    return scope_digest((r["id"], r["version"]) for r in records.values())


def server_version(office: Wire, case_id: str) -> int:
    """The case's version on the server, whether or not it is still in the worker's scope."""
    r = office.get(f"/v1/admin/cases/{case_id}")
    assert r.status_code == 200, r.text
    return r.json()["record"]["version"]


def office_edit(office: Wire, person_id: str, changes: dict) -> dict:
    r = office.request("PATCH", f"/v1/admin/persons/{person_id}", body={"changes": changes, "note": "乡镇办公室修改"})
    assert r.status_code == 200, r.text
    return r.json()


# --- health, headers, transport ----------------------------------------------------------------

def test_health_headers_and_gzip(demo):
    w = Wire(demo.url)
    r = w.get("/v1/health", auth=False)
    assert r.status_code == 200
    body = r.json()
    assert {"server_time", "api_version", "min_client_version"} <= set(body), body
    ids = {w.get("/v1/health", auth=False).headers["X-Request-Id"] for _ in range(5)}
    assert len(ids) == 5, "X-Request-Id must differ per request"

    worker = demo.wire(next(u for u, a in demo.accounts.items() if a["role"] == "township"))
    raw = worker.s.get(demo.url + "/v1/sync/bootstrap", stream=True,
                       headers={"Authorization": f"Bearer {worker.access}", "Accept-Encoding": "gzip"})
    check_envelope(raw)
    assert raw.headers.get("Content-Encoding") == "gzip"
    wire_bytes = raw.raw.read(decode_content=False)
    page = json.loads(gzip.decompress(wire_bytes))
    assert len(wire_bytes) < len(json.dumps(page).encode()) / 2, "gzip should at least halve the JSON"
    # A gzip'd request body (the doc: bodies over 1 KB are sent gzip'd) is understood.
    r = worker.post("/v1/sync/push", {"device_id": worker.device_id, "client_version": "0.1.0", "ops": []},
                    gzip_over=0)
    assert r.status_code == 200 and r.json()["results"] == []
    openapi = w.get("/openapi.json", auth=False)
    assert openapi.status_code == 200 and "/v1/sync/push" in openapi.json()["paths"]


# --- auth -----------------------------------------------------------------------------------------

def test_login_token_shape_and_bad_credentials(demo):
    name, acc = next((u, a) for u, a in demo.accounts.items() if a["role"] == "township")
    w = Wire(demo.url)
    body = w.login(name, acc["password"])
    assert body["expires_in"] == 15 * 60
    assert isinstance(body["refresh_expires_in"], int) and body["refresh_expires_in"] > body["expires_in"]
    assert 0 < len(body["refresh_token"]) <= 1280, "must fit Windows Credential Manager"
    assert body["user"]["role"] == acc["role"] and body["user"]["jurisdiction"] == acc["jurisdiction"]
    assert body["user"]["display_name"]
    wrong = w.post("/v1/auth/token", {"username": name, "password": acc["password"] + "x", "device_id": "d"}, auth=False)
    unknown = w.post("/v1/auth/token", {"username": "nobody-" + name, "password": "whatever1", "device_id": "d"},
                     auth=False)
    assert problem(wrong, 401)["code"] == problem(unknown, 401)["code"], "do not reveal which usernames exist"


def test_refresh_rotates_and_a_retry_in_the_grace_window_gets_the_same_pair(demo):
    name, acc = next((u, a) for u, a in demo.accounts.items() if a["role"] == "township")
    w = Wire(demo.url)
    first = w.login(name, acc["password"])
    r1 = w.refresh(first["refresh_token"])
    assert r1.status_code == 200, r1.text
    pair = r1.json()
    assert pair["refresh_token"] != first["refresh_token"] and pair["access_token"] != first["access_token"]
    # The response was "lost": the client retries with the old refresh token.
    r2 = w.refresh(first["refresh_token"])
    assert r2.status_code == 200, r2.text
    assert (r2.json()["access_token"], r2.json()["refresh_token"]) == (pair["access_token"], pair["refresh_token"])
    assert w.get("/v1/sync/manifest").status_code == 200
    # The new refresh token rotates onward as usual.
    r3 = w.refresh(pair["refresh_token"])
    assert r3.status_code == 200 and r3.json()["refresh_token"] != pair["refresh_token"]
    problem(w.refresh("not-a-real-refresh-token"), 401)


@pytest.mark.parametrize("authorization", [None, "Bearer", "Bearer garbage", "Basic eHo6eHg=", "Bearer " + "A" * 5000,
                                           "FORGED"])
def test_bad_access_tokens_get_401(demo, authorization):
    w = demo.wire(next(u for u, a in demo.accounts.items() if a["role"] == "township"))
    if authorization == "FORGED":
        head, sig = w.access.rsplit(".", 1)
        authorization = f"Bearer {head}.{'A' if sig[0] != 'A' else 'B'}{sig[1:]}"
    headers = {"Authorization": authorization} if authorization else {}
    for path in ["/v1/sync/bootstrap", "/v1/sync/manifest", "/v1/sync/changes?cursor=x"]:
        r = check_envelope(requests.get(demo.url + path, headers=headers))
        problem(r, 401)
    r = check_envelope(requests.post(demo.url + "/v1/sync/push", headers=headers,
                                     json={"device_id": "d", "client_version": "0.1.0", "ops": []}))
    problem(r, 401)


# --- pull ------------------------------------------------------------------------------------------

def test_bootstrap_pages_to_the_end_and_the_digest_matches(demo):
    w, records, _ = demo.township()
    _, last, pages = w.bootstrap()
    assert last["cursor"] and last["next_page_token"] is None
    assert last["scope_digest"] == digest_of(records)
    for rec in records.values():
        assert set(rec) >= {"type", "id", "version", "data"} and rec["version"] >= 1
    # Small pages (`limit` on bootstrap is not in the doc, the server accepts it): same set, same digest.
    paged, last_small, small_pages = w.bootstrap(limit=7)
    assert len(small_pages) == -(-len(records) // 7) and all(len(p["records"]) <= 7 for p in small_pages)
    assert {i: r["version"] for i, r in paged.items()} == {i: r["version"] for i, r in records.items()}
    assert last_small["scope_digest"] == digest_of(paged)
    manifest = w.manifest()
    assert {m["id"]: m["version"] for m in manifest} == {i: r["version"] for i, r in records.items()}
    # Caught up right after the bootstrap: no changes, same digest.
    cursor, page, _ = w.pull(dict(records), last["cursor"])
    assert page["changes"] == [] and page["scope_digest"] == last["scope_digest"]


def test_changes_pages_by_limit_and_max_bytes_with_tombstones(demo):
    w, shadows, errors = demo.township(pick(lambda recs: of_type(recs, "error"), 8))
    office = demo.office()
    _, last, _ = w.bootstrap()
    cursor0 = last["cursor"]
    edited = errors[:6]
    for i, rec in enumerate(edited):
        office_edit(office, rec["data"]["person"]["person_id"], {"residence_address": f"乾县办公室修改{i}号"})
    withdrawn, reassigned = errors[6], errors[7]
    assert office.post(f"/v1/admin/cases/{withdrawn['id']}/withdraw", {"note": "撤回"}).status_code == 200
    # Reassign to the county worker, whose jurisdiction covers the case (a township worker's would not).
    other = next(u for u, a in demo.accounts.items() if a["role"] == "county")
    them = demo.wire(other)
    theirs, their_last, _ = them.bootstrap()
    assert reassigned["id"] not in theirs
    assert office.post(f"/v1/admin/cases/{reassigned['id']}/reassign", {"to": other}).status_code == 200

    by_limit = dict(shadows)
    cursor1, last1, pages = w.pull(by_limit, cursor0, limit=2)
    assert len(pages) >= 4 and all(len(p["changes"]) <= 2 for p in pages)
    assert all(p["has_more"] for p in pages[:-1]) and not pages[-1]["has_more"]
    changes = [c for p in pages for c in p["changes"]]
    tomb = {c["id"]: c for c in changes if "removed" in c}
    assert tomb[withdrawn["id"]]["removed"]["reason"] == "withdrawn" and tomb[withdrawn["id"]]["removed"]["at"]
    assert tomb[reassigned["id"]]["removed"]["reason"] == "reassigned"
    assert tomb[reassigned["id"]]["removed"].get("to") == other
    for rec in edited:
        assert by_limit[rec["id"]]["version"] > rec["version"]
        assert by_limit[rec["id"]]["data"]["person"]["residence_address"].startswith("乾县办公室修改")
    assert withdrawn["id"] not in by_limit and reassigned["id"] not in by_limit
    assert last1["scope_digest"] == digest_of(by_limit)
    assert pages[-1]["server_time"]

    # max_bytes at its floor: every page still makes progress and the result is the same.
    by_bytes = dict(shadows)
    _, last2, pages2 = w.pull(by_bytes, cursor0, max_bytes=1024)
    assert all(p["changes"] for p in pages2[:-1]), "a page with has_more must carry at least one change"
    assert {i: r["version"] for i, r in by_bytes.items()} == {i: r["version"] for i, r in by_limit.items()}
    assert last2["scope_digest"] == last1["scope_digest"]
    # max_bytes bounds the page on the wire (the doc: "about 256 KB compressed"): a page holding more
    # than one change is no bigger than max_bytes compressed.
    cursor, sizes = cursor0, []
    while True:
        r = w.s.get(demo.url + "/v1/sync/changes", params={"cursor": cursor, "max_bytes": 4096}, stream=True,
                    headers={"Authorization": f"Bearer {w.access}", "Accept-Encoding": "gzip"})
        check_envelope(r)
        raw = r.raw.read(decode_content=False)
        page = json.loads(gzip.decompress(raw) if r.headers.get("Content-Encoding") == "gzip" else raw)
        sizes.append((len(page["changes"]), len(raw)))
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    assert sum(n for n, _ in sizes) == len(changes)
    assert all(size <= 4096 for n, size in sizes if n > 1), sizes
    assert any(n > 1 for n, _ in sizes), f"4 KB should hold more than one change: {sizes}"
    # Huge limits are either clamped or refused as 4xx, never a 5xx.
    for params in ({"limit": 10 ** 9}, {"limit": 2 ** 63}, {"max_bytes": 10 ** 12}, {"limit": -1}, {"limit": "1e3"}):
        r = w.get("/v1/sync/changes", params={"cursor": cursor1, **params})
        assert r.status_code in (200, 400, 422), r.text

    # The case reassigned to the county worker arrives on their next pull as a record.
    _, their_page, _ = them.pull(theirs, their_last["cursor"])
    assert reassigned["id"] in theirs and "removed" not in theirs[reassigned["id"]]
    assert their_page["scope_digest"] == digest_of(theirs)


def test_manifest_repairs_a_lost_local_row(demo):
    w, records, _ = demo.township()
    shadows = dict(records)
    lost = sorted(shadows)[0]
    del shadows[lost]
    _, last, _ = w.bootstrap()
    assert digest_of(shadows) != last["scope_digest"]
    server = {m["id"]: m["version"] for m in w.manifest()}
    missing = set(server) - set(shadows)
    assert missing == {lost}
    # Repair: the doc names no per-record GET; a re-bootstrap is the one way to fetch the row.
    again, _, _ = w.bootstrap()
    shadows[lost] = again[lost]
    assert digest_of(shadows) == last["scope_digest"]


def test_foreign_and_tampered_cursors_are_refused_as_problems(demo):
    w, _, _ = demo.township()
    _, last, _ = w.bootstrap()
    cursor = last["cursor"]
    them = demo.wire(demo.other_township(w.user["username"]))
    _, their_last, _ = them.bootstrap()
    head, _, sig = cursor.partition(".")

    def flip(text: str, at: int) -> str:
        # A middle character: the last base64 character of a part may carry only padding bits.
        return text[:at] + ("A" if text[at] != "A" else "B") + text[at + 1:]

    tampered = [head + "." + flip(sig, len(sig) // 2), flip(head, len(head) // 2) + "." + sig, cursor[:-3], head,
                "x" * 2000, "..", "💩", cursor + cursor, head + "." + sig[::-1]]
    for bad in tampered + [their_last["cursor"]]:
        r = w.get("/v1/sync/changes", params={"cursor": bad})
        # Ambiguity: the doc gives 410 only for "too old"; a foreign or forged cursor is a 400 here.
        problem(r, (400, 410), ("invalid_cursor", "resync_required", "malformed"))


# --- push ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["error", "birth", "duplicates"])
def test_each_action_on_each_kind(demo, kind):
    w, records, pool = demo.township(pick(warning_only if kind == "error" else lambda r: of_type(r, kind), 3))
    _, before, _ = w.bootstrap()
    spare = iter(pool)
    applied = {}
    for action in ACTIONS:
        if action in VALID_FOR[kind]:
            rec = next(spare)
            op, res = push_explaining_warnings(w, valid_op(rec, action))
            assert res["status"] == "applied", (action, res)
            assert res["new_version"] == rec["version"] + 1
            assert res["record"]["id"] == rec["id"] and res["record"]["version"] == res["new_version"]
            applied[rec["id"]] = res["new_version"]
        else:
            rec = pool[-1]
            res = w.push_one(new_op(rec, action, payload={"reason": REASON}))
            assert res["status"] == "rejected", (action, res)
            assert res["errors"] and all(e["code"] for e in res["errors"])
    # The next pull brings each decided case at its new version, or its tombstone if it left the scope.
    shadows = dict(records)
    _, page, pages = w.pull(shadows, before["cursor"])
    seen = {c["id"]: c for p in pages for c in p["changes"]}
    for rid, version in applied.items():
        assert seen[rid]["version"] >= version, seen[rid]
        if "removed" in seen[rid]:
            assert seen[rid]["removed"]["reason"] == "completed", seen[rid]
    now = {m["id"]: m["version"] for m in w.manifest()}
    assert page["scope_digest"] == scope_digest(now.items()) == digest_of(shadows)


def test_applied_then_duplicate_then_reused_op_id(demo):
    w, records, (rec,) = demo.township(pick(warning_only))
    op = address_fix(rec, "陕西省咸阳市乾县城关街道北街1号")
    op["client_edited_at"] = "1999-01-01T00:00:00+08:00"   # the client clock decides nothing
    first = w.push_one(op)
    assert first["status"] == "applied" and first["new_version"] == rec["version"] + 1
    again = w.push_one(op)
    assert again["status"] == "duplicate", again
    assert again.get("new_version") == first["new_version"]
    # Same op_id, other payload: 422 for the batch.
    other = dict(op, changes={"residence_address": {"from": None, "to": "别的地址"}})
    body = problem(w.push_raw([other]), 422, "idempotency_key_reused")
    assert body.get("op_id") in (None, op["op_id"])
    # The server still has exactly one version more.
    assert server_version(demo.office(), rec["id"]) == rec["version"] + 1


def test_conflict_on_the_same_field_blocks_the_chain_and_resolves(demo):
    w, records, (rec,) = demo.township(pick(warning_only))
    office = demo.office()
    office_edit(office, rec["data"]["person"]["person_id"], {"residence_address": "办公室改的地址"})
    mine = address_fix(rec, "专干改的地址")
    chained = address_fix(rec, "专干又改的地址", prev_op_id=mine["op_id"])
    res, blocked = w.push([mine, chained])
    assert res["status"] == "conflict", res
    assert res["server_version"] > rec["version"] and res["server_record"]["version"] == res["server_version"]
    f = res["fields"]["residence_address"]
    assert (f["base"], f["server"], f["mine"]) == (rec["data"]["person"].get("residence_address"), "办公室改的地址",
                                                   "专干改的地址")
    assert res.get("changed_by"), "who changed it"
    assert blocked["status"] == "blocked" and blocked.get("blocked_by") == mine["op_id"]
    # The server moves again while the worker resolves: the resolution conflicts in turn.
    server_rec = res["server_record"]
    office_edit(office, rec["data"]["person"]["person_id"], {"residence_address": "办公室又改的地址"})
    again = w.push_one(address_fix(server_rec, "专干核实后的地址"))
    assert again["status"] == "conflict" and again["fields"]["residence_address"]["server"] == "办公室又改的地址"
    assert again["fields"]["residence_address"]["base"] == "办公室改的地址"
    # Resolving on the newest version is applied.
    server_rec = again["server_record"]
    fix = address_fix(server_rec, "专干核实后的地址")
    done = w.push_one(fix)
    assert done["status"] == "applied" and done["new_version"] == again["server_version"] + 1
    # Re-pushing the conflicted op returns the stored result, not a new decision (exactly once).
    assert w.push_one(mine)["status"] in ("duplicate", "conflict")


def test_stale_op_on_another_field_is_applied_with_merge(demo):
    w, records, (rec,) = demo.township(pick(warning_only))
    office = demo.office()
    person = rec["data"]["person"]
    new_unit = (person.get("registering_unit") or "") + "（办公室）"
    office_edit(office, person["person_id"], {"registering_unit": new_unit})
    res = w.push_one(address_fix(rec, "专干改的地址"))
    assert res["status"] == "applied_with_merge", res
    assert res["new_version"] == rec["version"] + 2, "office edit +1, this op +1: versions are dense"
    got = res["record"]["data"]["person"]
    assert got["residence_address"] == "专干改的地址" and got["registering_unit"] == new_unit
    # "tell the worker what else changed"
    assert "registering_unit" in (res.get("merged_fields") or []), res


def test_merge_of_duplicates_conflicts_when_a_member_changed(demo):
    w, records, (group,) = demo.township(pick(lambda r: of_type(r, "duplicates")))
    office = demo.office()
    member = group["data"]["members"][-1]
    office_edit(office, member["person_id"], {"registering_unit": "办公室核对"})
    res = w.push_one(valid_op(group, "merge_duplicates"))
    assert res["status"] == "conflict", res
    assert res["server_version"] > group["version"]


def test_rejected_with_rule_codes_changes_nothing(demo):
    w, records, (rec,) = demo.township(pick(hard_errors))
    res = w.push_one(address_fix(rec, "随便改一个不相关的字段"))
    assert res["status"] == "rejected", res
    codes = {e["code"] for e in res["errors"]}
    assert codes & {f["code"] for f in rec["data"]["findings"] if f["severity"] == "E"}
    assert all(isinstance(e["fields"], list) for e in res["errors"])
    assert server_version(demo.office(), rec["id"]) == rec["version"]


def test_gone_after_withdraw_or_reassign_and_forbidden_elsewhere(demo):
    w, records, (a, b) = demo.township(pick(lambda r: of_type(r, "error"), 2))
    office = demo.office()
    other = demo.other_township(w.user["username"])
    assert office.post(f"/v1/admin/cases/{a['id']}/withdraw", {"note": "撤回"}).status_code == 200
    # reassigned to a worker whose jurisdiction covers the case (the county's)
    county = next(u for u, acc in demo.accounts.items() if acc["role"] == "county")
    assert office.post(f"/v1/admin/cases/{b['id']}/reassign", {"to": county}).status_code == 200
    ra, rb = w.push([valid_op(a, "confirm_error"), valid_op(b, "confirm_error")])
    assert ra["status"] == "gone" and ra["reason"] == "withdrawn", ra
    assert rb["status"] == "gone" and rb["reason"] == "reassigned" and rb["to"] == county, rb
    # Another township's case, and a case that does not exist: forbidden (never a leak of its data).
    them = demo.wire(other)
    theirs, _, _ = them.bootstrap()
    foreign = next(r for r in theirs.values() if r["id"] != b["id"])
    probe = {"error": "confirm_error", "birth": "reject_birth", "duplicates": "mark_not_duplicate"}
    rf, rn = w.push([valid_op(foreign, probe[foreign["type"]]),
                     new_op({"id": "E-99999999", "version": 1}, "confirm_error", payload={"reason": REASON})])
    assert rf["status"] == "forbidden" and "record" not in {k for k, v in rf.items() if v}, rf
    assert rn["status"] in ("forbidden", "gone"), rn


def test_batch_level_errors(demo):
    w, records, (rec,) = demo.township(pick(lambda r: of_type(r, "error")))
    ops = [new_op(rec, "confirm_error", payload={"reason": REASON}) for _ in range(101)]
    problem(w.push_raw(ops), 413)
    # 100 is allowed: one result per op, in order (none can apply: they all name a case that is not there).
    nowhere = [new_op({"id": f"E-9999999{i:02d}", "version": 1}, "confirm_error", payload={"reason": REASON})
               for i in range(100)]
    assert {x["status"] for x in w.push(nowhere)} <= {"forbidden", "gone"}
    big = {"device_id": w.device_id, "client_version": "0.1.0",
           "ops": [new_op(rec, "confirm_error", payload={"reason": "x" * 60_000}) for _ in range(50)]}
    raw = json.dumps(big).encode()
    problem(w.request("POST", "/v1/sync/push", data=raw, headers={"Content-Type": "application/json"}), 413)
    bomb = gzip.compress(b"[" + b" " * (64 * 1024 * 1024) + b"]")
    problem(w.request("POST", "/v1/sync/push", data=bomb,
                      headers={"Content-Type": "application/json", "Content-Encoding": "gzip"}), 413)
    body = problem(w.push_raw([new_op(rec, "confirm_error", payload={"reason": REASON})], client_version="0.0.1"),
                   426, "client_too_old")
    assert body.get("detail")
    assert server_version(demo.office(), rec["id"]) == rec["version"], "nothing applied"


def test_two_connections_pushing_one_batch_apply_it_once(demo):
    w, records, recs = demo.township(pick(warning_only, 2))
    ops = [address_fix(r, f"并发地址{i}") for i, r in enumerate(recs)]
    other = Wire(demo.url, device_id=w.device_id)
    other.access = w.access
    barrier = threading.Barrier(2)
    out = {}

    def send(name, client):
        barrier.wait()
        out[name] = client.push_raw(ops)

    threads = [threading.Thread(target=send, args=(n, c)) for n, c in (("a", w), ("b", other))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    statuses = sorted(r.status_code for r in out.values())
    assert statuses in ([200, 200], [200, 409]), statuses
    for r in out.values():
        if r.status_code == 409:
            assert r.json()["code"] == "request_in_progress"
        else:
            assert {x["status"] for x in r.json()["results"]} <= {"applied", "duplicate"}
    office = demo.office()
    assert [server_version(office, r["id"]) for r in recs] == [r["version"] + 1 for r in recs], "applied once"
    assert {x["status"] for x in w.push(ops)} == {"duplicate"}


def test_retry_after_on_429_and_503(demo):
    office = demo.office()
    w, _, _ = demo.township()
    for status in (429, 503):
        r = office.post("/v1/admin/faults", {"path_prefix": "/v1/sync/manifest", "status": status, "count": 1,
                                             "retry_after": 7})
        assert r.status_code in (200, 201, 204), r.text
        got = w.get("/v1/sync/manifest", allow_5xx=True)
        problem(got, status)
        assert got.headers.get("Retry-After") == "7"
        assert w.get("/v1/sync/manifest").status_code == 200
    office.request("DELETE", "/v1/admin/faults")


def test_township_worker_cannot_use_office_actions(demo):
    w, records, (rec,) = demo.township(pick(lambda r: of_type(r, "error")))
    problem(w.post(f"/v1/admin/cases/{rec['id']}/withdraw", {"note": ""}), 403)
    problem(w.request("PATCH", f"/v1/admin/persons/{rec['data']['person']['person_id']}",
                      body={"changes": {"name": "x"}}), 403)
    problem(w.post("/v1/admin/reset"), 403)


@pytest.mark.parametrize("reason,blocker", [("DUP_CHONGHAO", "MERGE_CHONGHAO"), ("DUP_TWINS", "MERGE_TWINS")])
def test_groups_that_are_different_people_cannot_be_merged(demo, reason, blocker):
    """The finding itself says 不能合并; the server re-validates, so a client that sends the merge anyway
    (an old client, or one written from the doc) gets `rejected` and nothing changes."""
    def flagged(recs):
        return [r for r in of_type(recs, "duplicates") if any(x["code"] == reason for x in r["data"]["reasons"])]

    w, recs, (group,) = demo.township(pick(flagged))
    res = w.push_one(valid_op(group, "merge_duplicates"))
    assert res["status"] == "rejected", res
    assert blocker in {e["code"] for e in res["errors"]}
    assert server_version(demo.office(), group["id"]) == group["version"]
    # Marking them as not duplicates is the way out.
    assert w.push_one(valid_op(group, "mark_not_duplicate"))["status"] == "applied"


def test_a_reassigned_case_reaches_the_new_worker_or_is_refused(demo):
    w, _, (rec,) = demo.township(pick(lambda r: of_type(r, "error")))
    other = demo.other_township(w.user["username"])
    r = demo.office().post(f"/v1/admin/cases/{rec['id']}/reassign", {"to": other})
    if r.status_code >= 400:
        return  # refused with a problem (checked by Wire): fine
    theirs, _, _ = demo.wire(other).bootstrap()
    assert rec["id"] in theirs, "reassigned into nobody's scope"
