"""Bad input at every door: malformed bodies, wrong types, unknown fields, huge and gzip-bomb bodies,
tampered cursors, forged and expired tokens. Always problem+json with a stable code, never a 500."""

from __future__ import annotations

import gzip
import json
import zlib

import pytest

from sync.protocol import PROBLEM_CONTENT_TYPE
from tests.support.live_server import make_op


def assert_problem(r, status: int, code: str | None = None) -> dict:
    assert r.status_code == status, (r.status_code, r.text[:500])
    assert r.headers["Content-Type"].startswith(PROBLEM_CONTENT_TYPE), r.headers["Content-Type"]
    assert r.headers.get("X-Request-Id") and r.headers.get("X-Server-Time")
    body = r.json()
    assert body["status"] == status and body["title"]
    if code:
        assert body["code"] == code, body
    return body


@pytest.fixture
def alice(live_server):
    return live_server.client("alice")


def test_malformed_json_wrong_types_unknown_fields(alice):
    raw = alice.request("POST", "/v1/sync/push", data=b'{"device_id": "d", "ops": [',
                        headers={"Content-Type": "application/json"})
    assert_problem(raw, 400, "malformed")
    wrong_type = alice.push([make_op("E-1", "fix_error", "one")])
    body = assert_problem(wrong_type, 400, "malformed")
    assert any("base_version" in e["loc"] for e in body["errors"])
    unknown_top = alice.post("/v1/sync/push", {"device_id": "d", "client_version": "0.1.0", "ops": [],
                                               "extra": 1})
    assert_problem(unknown_top, 400, "malformed")
    op = make_op("E-1", "fix_error", 1)
    op["surprise"] = True
    assert_problem(alice.push([op]), 400, "malformed")
    not_a_list = alice.post("/v1/sync/push", {"device_id": "d", "client_version": "0.1.0", "ops": {}})
    assert_problem(not_a_list, 400, "malformed")
    change_not_text = alice.push([make_op("E-1", "fix_error", 1, changes={"name": {"from": 1, "to": 2}})])
    assert_problem(change_not_text, 400, "malformed")
    assert_problem(alice.request("POST", "/v1/sync/push"), 400, "malformed")
    assert_problem(alice.request("POST", "/v1/sync/push", data=b"\xff\xfe\x00",
                                 headers={"Content-Type": "application/json"}), 400, "malformed")
    assert_problem(alice.post("/v1/auth/token", {"username": "alice"}), 400, "malformed")
    assert_problem(alice.post("/v1/auth/token", ["alice", "pw"]), 400, "malformed")
    assert_problem(alice.get("/v1/sync/changes"), 400, "malformed")            # cursor missing
    assert_problem(alice.get("/v1/sync/bootstrap", params={"limit": "x"}), 400, "malformed")
    assert_problem(alice.get("/v1/sync/bootstrap", params={"limit": 0}), 400, "malformed")
    # the passwords of a bad login body are never echoed back
    r = alice.post("/v1/auth/token", {"username": "alice", "password": 5, "device_id": "d"})
    assert "alice-pw" not in r.text and r.status_code == 400


def test_unknown_paths_and_methods(alice):
    assert_problem(alice.get("/v1/nothing"), 404, "not_found")
    assert_problem(alice.request("DELETE", "/v1/sync/push"), 405, "method_not_allowed")


def test_huge_body_and_gzip_bomb(live_server_factory):
    server = live_server_factory(max_body_bytes=64 * 1024, max_decompressed_bytes=1024 * 1024)
    c = server.client("alice")
    big = {"device_id": "d", "client_version": "0.1.0",
           "ops": [make_op("E-1", "confirm_error", 1, payload={"reason": "x" * 200000})]}
    assert_problem(c.post("/v1/sync/push", big), 413, "payload_too_large")
    # 50 MB of zeros gzip to ~50 KB: under the raw cap, far over the decompressed cap
    bomb = zlib.compressobj(9, zlib.DEFLATED, 31)
    data = bomb.compress(b"0" * (50 * 1024 * 1024)) + bomb.flush()
    assert len(data) < 64 * 1024
    r = c.request("POST", "/v1/sync/push", data=data,
                  headers={"Content-Type": "application/json", "Content-Encoding": "gzip"})
    assert_problem(r, 413, "payload_too_large")
    corrupt = gzip.compress(json.dumps(big).encode())[:-20]
    r = c.request("POST", "/v1/sync/push", data=corrupt,
                  headers={"Content-Type": "application/json", "Content-Encoding": "gzip"})
    assert_problem(r, 400, "malformed")
    r = c.request("POST", "/v1/sync/push", data=b"{}",
                  headers={"Content-Type": "application/json", "Content-Encoding": "br"})
    assert_problem(r, 415, "unsupported_media_type")
    # a gzip'd body within the limits is accepted
    ok = c.push([make_op("E-1", "cannot_verify", 1, payload={"reason_code": "not_local"})], gzip_body=True)
    assert ok.status_code == 200 and ok.json()["results"][0]["status"] == "applied"


def test_too_many_ops_and_reused_op_id(alice):
    ops = [make_op("E-1", "cannot_verify", 1, payload={"reason_code": "not_local"}) for _ in range(101)]
    body = assert_problem(alice.push(ops), 413, "payload_too_large")
    assert body["max_ops"] == 100
    op = make_op("E-2", "cannot_verify", 1, payload={"reason_code": "not_local"})
    assert alice.push([op]).json()["results"][0]["status"] == "applied"
    reused = dict(op, payload={"reason_code": "unverifiable"})
    body = assert_problem(alice.push([reused]), 422, "idempotency_key_reused")
    assert body["op_id"] == op["op_id"]
    twice = [make_op("E-3", "cannot_verify", 1, payload={"reason_code": "not_local"}, op_id="same-id")]
    twice.append(dict(twice[0], base_version=0))
    assert_problem(alice.push(twice), 422, "idempotency_key_reused")


def test_client_too_old(live_server_factory):
    server = live_server_factory(min_client_version="0.2.0")
    c = server.client("alice")
    body = assert_problem(c.push([], client_version="0.1.9"), 426, "client_too_old")
    assert body["min_client_version"] == "0.2.0"
    assert_problem(c.get("/v1/sync/manifest", headers={"X-Client-Version": "0.1.0"}), 426, "client_too_old")
    assert c.get("/v1/sync/manifest", headers={"X-Client-Version": "0.2.0"}).status_code == 200
    assert_problem(c.push([], client_version="latest"), 400, "malformed")
    assert c.get("/v1/health").json()["min_client_version"] == "0.2.0"


def test_tampered_and_foreign_cursors(live_server):
    alice, bob = live_server.client("alice"), live_server.client("bob")
    cursor = alice.bootstrap_all()["cursor"]
    body, mac = cursor.split(".")
    flipped = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1] + "." + mac
    assert_problem(alice.changes(flipped), 400, "invalid_cursor")
    assert_problem(alice.changes("not-a-cursor"), 400, "invalid_cursor")
    assert_problem(alice.changes("x" * 2000 + ".y"), 400, "invalid_cursor")
    assert_problem(bob.changes(cursor), 400, "invalid_cursor")
    page = alice.get("/v1/sync/bootstrap", params={"limit": 1}).json()
    assert_problem(alice.get("/v1/sync/bootstrap", params={"page_token": page["next_page_token"][:-3] + "abc"}),
                   400, "invalid_cursor")
    assert_problem(alice.get("/v1/sync/bootstrap", params={"page_token": cursor}), 400, "invalid_cursor")
    assert alice.changes(cursor).status_code == 200


def test_forged_missing_and_expired_tokens(live_server):
    c = live_server.client("alice")
    good = c.access_token
    body, mac = good.split(".")
    import base64
    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    payload["sub"] = payload["sub"] + 1          # pretend to be another user
    forged = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode() + "." + mac
    for token in (forged, good + "x", "garbage", ""):
        c.access_token = token
        r = c.get("/v1/sync/manifest")
        assert_problem(r, 401, "unauthorized")
        assert r.headers.get("WWW-Authenticate", "").startswith("Bearer")
    c.access_token = None
    assert_problem(c.get("/v1/sync/bootstrap"), 401, "unauthorized")
    assert_problem(c.post("/v1/auth/token", {"username": "alice", "password": "wrong", "device_id": "d"}),
                   401, "invalid_credentials")
    assert_problem(c.post("/v1/auth/token", {"username": "nobody", "password": "wrong", "device_id": "d"}),
                   401, "invalid_credentials")
    assert_problem(c.refresh("made-up-token"), 401, "invalid_refresh_token")
    # refresh tokens expire too
    c.login("alice", "alice-pw")
    live_server.clock.advance(seconds=live_server.config.refresh_token_seconds + 1)
    assert_problem(c.refresh(), 401, "invalid_refresh_token")


def test_refresh_token_is_short(alice):
    assert len(alice.refresh_token) <= 64 and len(alice.access_token) < 1280


def test_every_response_has_protocol_headers_and_gzip(alice):
    r = alice.get("/v1/sync/bootstrap")
    assert r.headers.get("Content-Encoding") == "gzip"
    plain = alice.get("/v1/sync/bootstrap", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers and plain.json()["records"] == r.json()["records"]
    for resp in (r, alice.get("/v1/health"), alice.get("/openapi.json"), alice.get("/v1/nope"),
                 alice.post("/v1/auth/token", {})):
        assert resp.headers["X-Request-Id"] and resp.headers["X-Server-Time"]
    mine = alice.get("/v1/health", headers={"X-Request-Id": "trace-123"})
    assert mine.headers["X-Request-Id"] == "trace-123"
    assert alice.get("/v1/health", headers={"X-Request-Id": "bad id with spaces"}).headers["X-Request-Id"] != \
        "bad id with spaces"
