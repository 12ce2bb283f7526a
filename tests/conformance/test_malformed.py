"""A sweep of malformed input over every endpoint: each answer is a 4xx application/problem+json with a
stable `code` (the same input twice gives the same code), never a 5xx, never a change."""

from __future__ import annotations

import gzip
import json
import socket
from urllib.parse import urlsplit

import pytest

from tests.conformance.wire import Wire

NOBODY = "E-000000000"     # path ids that exist nowhere, so no malformed call can touch real cases

POSTS = [  # (method, path, who)
    ("POST", "/v1/auth/token", None),
    ("POST", "/v1/auth/refresh", None),
    ("POST", "/v1/sync/push", "worker"),
    ("POST", "/v1/admin/users", "office"),
    ("POST", "/v1/admin/cases", "office"),
    ("POST", f"/v1/admin/cases/{NOBODY}/withdraw", "office"),
    ("POST", f"/v1/admin/cases/{NOBODY}/delete", "office"),
    ("POST", f"/v1/admin/cases/{NOBODY}/reassign", "office"),
    ("POST", "/v1/admin/faults", "office"),
    ("PATCH", "/v1/admin/persons/P-000000000", "office"),
    ("PATCH", "/v1/admin/users/nobody-at-all", "office"),
]

WRONG_TYPES = {"username": 1, "password": [], "device_id": {}, "refresh_token": 5, "client_version": 1.5,
               "ops": "x", "changes": [], "to": 5, "note": 7, "cases": "x", "role": 1, "jurisdiction": 5,
               "path_prefix": 1, "status": "x", "count": "y", "active": "maybe"}

BODIES = {  # name -> (raw bytes, extra headers)
    "empty": (b"", {}),
    "truncated_json": (b'{"username": "a", "pass', {}),
    "null": (b"null", {}),
    "array": (b"[]", {}),
    "string": (b'"hello"', {}),
    "number": (b"123", {}),
    "missing_fields": (b"{}", {}),
    "unknown_only": (b'{"zzz": 1}', {}),
    "wrong_types": (json.dumps(WRONG_TYPES).encode(), {}),
    "bad_utf8": (b'{"username": "\xff\xfe\xfd", "device_id": "\xc3\x28"}', {}),
    "lone_surrogate": (b'{"username": "\\udcff", "device_id": "\\ud800"}', {}),
    "nul_and_junk": ('{"username": "a\\u0000b\u202e\ufeff💩", "password": "\\u0000", "device_id": "𠜎"}'
                     .encode(), {}),
    "nan": (b'{"count": NaN, "status": Infinity, "ops": [], "base_version": -Infinity}', {}),
    "huge_number": (b'{"count": 1' + b"0" * 5000 + b', "status": 1e400}', {}),
    "deep_nesting": (b"[" * 100_000 + b"]" * 100_000, {}),
    "deep_object": (b'{"a":' * 50_000 + b"1" + b"}" * 50_000, {}),
    "gzip_truncated": (gzip.compress(json.dumps({"ops": [], "x": "y" * 5000}).encode())[:-20],
                       {"Content-Encoding": "gzip"}),
    "gzip_header_not_gzip": (b'{"ops": []}', {"Content-Encoding": "gzip"}),
    "gzip_bad_crc": (gzip.compress(b'{"ops": []}')[:-8] + bytes(8), {"Content-Encoding": "gzip"}),
    "gzip_bomb": (gzip.compress(b"{" + b" " * (48 * 1024 * 1024) + b"}"), {"Content-Encoding": "gzip"}),
    "unknown_encoding": (b"{}", {"Content-Encoding": "br"}),
    "huge_raw": (b'{"note": "' + b"x" * (3 * 1024 * 1024) + b'"}', {}),
    "text_plain_junk": ("随便写点什么".encode(), {"Content-Type": "text/plain"}),
}


@pytest.fixture(scope="module")
def callers(demo):
    worker = demo.wire(next(u for u, a in demo.accounts.items() if a["role"] == "township"))
    return {None: Wire(demo.url), "worker": worker, "office": demo.office()}


@pytest.mark.parametrize("body_name", sorted(BODIES))
@pytest.mark.parametrize("method,path,who", POSTS, ids=[f"{m} {p}" for m, p, _ in POSTS])
def test_malformed_bodies_get_problem_json(callers, method, path, who, body_name):
    raw, extra = BODIES[body_name]
    w = callers[who]
    headers = {"Content-Type": "application/json", **extra}
    codes = []
    for _ in range(2):
        r = w.request(method, path, data=raw, headers=headers, auth=who is not None)
        assert 400 <= r.status_code < 500, f"{method} {path} {body_name}: {r.status_code} {r.text[:300]}"
        codes.append(r.json()["code"])
    assert codes[0] == codes[1], "the code must be stable"


PUSH_OPS = {
    "base_version_negative": {"base_version": -1},
    "base_version_string": {"base_version": "1"},
    "base_version_huge": {"base_version": 2 ** 80},
    "op_id_empty": {"op_id": ""},
    "op_id_spaces": {"op_id": "a b c"},
    "op_id_long": {"op_id": "a" * 10_000},
    "changes_list": {"changes": [1, 2]},
    "changes_str_value": {"changes": {"name": "x"}},
    "changes_bad_from_to": {"changes": {"name": {"from": 1, "to": []}}},
    "changes_extra_key": {"changes": {"name": {"from": "a", "to": "b", "by": "me"}}},
    "record_id_junk": {"record_id": "💩\u202e" * 10},
    "record_id_empty": {"record_id": ""},
    "action_number": {"action": 7},
    "action_unknown": {"action": "drop_table"},
    "prev_op_id_number": {"prev_op_id": 5},
    "prev_op_id_unknown": {"prev_op_id": "never-sent-before"},
    "payload_list": {"payload": [1]},
    "payload_junk": {"payload": {"reason": "\u0000" * 10, "overrides": "all"}},
    "client_edited_at_junk": {"client_edited_at": "yesterday-ish 💩"},
    "missing_action": {"action": None},
}


@pytest.mark.parametrize("name", sorted(PUSH_OPS))
def test_malformed_ops_change_nothing(demo, callers, name):
    w = callers["worker"]
    op = {"op_id": f"malformed-{name}", "record_id": "E-000000000", "action": "confirm_error", "base_version": 1,
          "payload": {"reason": "x"}, "client_edited_at": "2026-11-29T08:00:00Z"}
    op.update(PUSH_OPS[name])
    op = {k: v for k, v in op.items() if v is not None}
    r = w.push_raw([op])
    if r.status_code == 200:
        # A well-formed op on something that is not the worker's: a per-op refusal, never applied.
        assert r.json()["results"][0]["status"] in ("rejected", "forbidden", "gone", "blocked"), r.text
    else:
        assert r.status_code in (400, 413, 422), r.text


GETS = [
    ("/v1/sync/bootstrap", {"page_token": "x"}),
    ("/v1/sync/bootstrap", {"page_token": "💩" * 50}),
    ("/v1/sync/bootstrap", {"page_token": "A" * 5000}),
    ("/v1/sync/bootstrap", {"page_token": "eyJ4IjoxfQ.AAAA"}),
    ("/v1/sync/bootstrap", {"limit": "abc"}),
    ("/v1/sync/bootstrap", {"limit": "-5"}),
    ("/v1/sync/bootstrap", {"limit": "0"}),
    ("/v1/sync/bootstrap", {"limit": "9" * 40}),
    ("/v1/sync/changes", {}),
    ("/v1/sync/changes", {"cursor": ""}),
    ("/v1/sync/changes", {"cursor": "💩"}),
    ("/v1/sync/changes", {"cursor": "\u0000\u202e"}),
    ("/v1/sync/changes", {"cursor": "x" * 12_000}),   # under the HTTP parser's 16 KB head limit
    ("/v1/sync/changes", {"cursor": "x", "limit": "NaN"}),
    ("/v1/sync/changes", {"cursor": "x", "limit": "9" * 40}),
    ("/v1/sync/changes", {"cursor": "x", "max_bytes": "-1"}),
    ("/v1/sync/changes", {"cursor": "x", "max_bytes": "1e99"}),
    ("/v1/admin/cases", {"status": "💩", "assigned_to": "\u0000"}),
    ("/v1/admin/cases/" + "💩" * 20, {}),
    ("/v1/admin/cases/" + "x" * 5000, {}),
    ("/v1/admin/persons/%00", {}),
    ("/v1/admin/users/" + "💩", {}),
    ("/v1/nope", {}),
    ("/v1/sync/../../etc/passwd", {}),
]


@pytest.mark.parametrize("path,params", GETS, ids=[f"{p[:40]} {sorted(q)}" for p, q in GETS])
def test_malformed_queries_get_problem_json(callers, path, params):
    w = callers["office"] if path.startswith("/v1/admin") else callers["worker"]
    r = w.get(path, params=params)
    # Unknown parameters may be ignored; anything refused is a 4xx problem+json (checked in Wire).
    assert r.status_code < 500
    if path.startswith("/v1/sync/changes") or "limit" in params or "page_token" in params:
        assert 400 <= r.status_code < 500, r.text[:300]


def test_wrong_method_and_unknown_path_are_problems(callers):
    w = callers["worker"]
    for method, path in [("DELETE", "/v1/sync/push"), ("PUT", "/v1/sync/bootstrap"), ("GET", "/v1/auth/token"),
                         ("POST", "/v1/health"), ("GET", "/v2/sync/bootstrap")]:
        r = w.request(method, path)
        assert r.status_code in (404, 405), (method, path, r.status_code)


BAD_FRAMING = {
    # 20 KB of request line with no end yet: whatever the server reads is an incomplete head > 16 KB.
    "head_over_16k": b"GET /v1/sync/changes?cursor=" + b"x" * 20_000,
    "bad_chunk_size": (b"POST /v1/sync/push HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                       b"Content-Type: application/json\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n"),
    "control_char_in_header": b"GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Bad: \x00\x01\r\n\r\n",
}


@pytest.mark.xfail(strict=True, reason="malformed HTTP framing (a head over 16 KB, a bad chunk size, control "
                                       "characters in a header) is refused by uvicorn's h11 parser itself: "
                                       "plain-text 400 'Invalid HTTP request received.', no X-Request-Id, not "
                                       "problem+json; with keep-alive, every second 100 KB-URL request hit it")
@pytest.mark.parametrize("name", sorted(BAD_FRAMING))
def test_bad_http_framing_is_problem_json(demo, name):
    host, port = urlsplit(demo.url).hostname, urlsplit(demo.url).port
    with socket.create_connection((host, port), timeout=30) as sock:
        sock.sendall(BAD_FRAMING[name])
        reply = b""
        while b"\r\n\r\n" not in reply:
            chunk = sock.recv(65536)
            if not chunk:
                break
            reply += chunk
    head = reply.split(b"\r\n\r\n", 1)[0].decode("latin-1").lower()
    status = int(head.split()[1])
    assert 400 <= status < 500
    assert "content-type: application/problem+json" in head and "x-request-id:" in head, head
