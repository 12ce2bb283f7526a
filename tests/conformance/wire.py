"""A clean-room protocol client written only from SYNC_PROTOCOL.md: requests + gzip + json, nothing of ours."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import uuid
from datetime import datetime

import requests

CODE_RE = re.compile(r"^[a-z][a-z0-9_]*$")


def check_envelope(r: requests.Response, allow_5xx: bool = False) -> requests.Response:
    """What the document promises of every response: the two headers, never a 5xx, errors as problem+json."""
    assert allow_5xx or r.status_code < 500, f"{r.request.method} {r.request.url} -> {r.status_code}: {r.text[:300]}"
    assert r.headers.get("X-Request-Id"), f"no X-Request-Id on {r.request.url}"
    stamp = r.headers.get("X-Server-Time")
    assert stamp, f"no X-Server-Time on {r.request.url}"
    datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    if r.status_code >= 400:
        ctype = r.headers.get("Content-Type", "")
        assert ctype.startswith("application/problem+json"), f"{r.status_code} with {ctype}: {r.text[:200]}"
        body = r.json()
        assert isinstance(body.get("code"), str) and CODE_RE.match(body["code"]), body
        assert body.get("status") == r.status_code, body
        assert isinstance(body.get("title"), str) and body["title"], body
    return r


def problem(r: requests.Response, status: int | tuple, code: str | tuple | None = None) -> dict:
    """Assert an error response by status (and code when given); return its problem body."""
    statuses = status if isinstance(status, tuple) else (status,)
    assert r.status_code in statuses, f"expected {statuses}, got {r.status_code}: {r.text[:300]}"
    body = r.json()
    if code is not None:
        codes = code if isinstance(code, tuple) else (code,)
        assert body["code"] in codes, body
    return body


def scope_digest(pairs) -> str:
    """The doc: 'hash over sorted (id, version)'. The encoding is not in the doc; this is the one the
    reference server uses (found by trying the obvious ones): sha256 over 'id<TAB>version<LF>' lines."""
    text = "".join(f"{i}\t{v}\n" for i, v in sorted((str(i), int(v)) for i, v in pairs))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def new_op(record: dict, action: str, *, changes: dict | None = None, payload: dict | None = None,
           base_version: int | None = None, prev_op_id: str | None = None, op_id: str | None = None) -> dict:
    op = {"op_id": op_id or str(uuid.uuid4()), "record_id": record["id"], "action": action,
          "base_version": record["version"] if base_version is None else base_version,
          "client_edited_at": "2026-11-29T08:00:00+08:00"}
    if changes is not None:
        op["changes"] = changes
    if payload is not None:
        op["payload"] = payload
    if prev_op_id:
        op["prev_op_id"] = prev_op_id
    return op


class Wire:
    """One worker's session against a server: tokens in memory, JSON in and out, gzip over 1 KB."""

    CLIENT_VERSION = "0.1.0"

    def __init__(self, base_url: str, device_id: str | None = None):
        self.base = base_url.rstrip("/")
        self.s = requests.Session()
        self.device_id = device_id or f"conf-{uuid.uuid4().hex[:10]}"
        self.access: str | None = None
        self.refresh_token: str | None = None
        self.user: dict | None = None

    def close(self) -> None:
        self.s.close()

    # --- transport -------------------------------------------------------------------------
    def request(self, method: str, path: str, *, body=None, data: bytes | None = None,
                headers: dict | None = None, params=None, auth: bool = True, gzip_over: int = 1024,
                token: str | None = None, allow_5xx: bool = False) -> requests.Response:
        h = {"Accept-Encoding": "gzip"}
        if auth and (token or self.access):
            h["Authorization"] = f"Bearer {token or self.access}"
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            h["Content-Type"] = "application/json"
            if len(data) > gzip_over:
                data = gzip.compress(data)
                h["Content-Encoding"] = "gzip"
        h.update(headers or {})
        r = self.s.request(method, self.base + path, data=data, headers=h, params=params, timeout=(10.05, 60))
        return check_envelope(r, allow_5xx)

    def get(self, path: str, **kw) -> requests.Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, body=None, **kw) -> requests.Response:
        return self.request("POST", path, body=body, **kw)

    # --- auth --------------------------------------------------------------------------------
    def login(self, username: str, password: str) -> dict:
        r = self.post("/v1/auth/token", {"username": username, "password": password,
                                         "device_id": self.device_id}, auth=False)
        assert r.status_code == 200, r.text
        self._take(r.json())
        return r.json()

    def refresh(self, token: str | None = None) -> requests.Response:
        r = self.post("/v1/auth/refresh", {"refresh_token": token or self.refresh_token,
                                           "device_id": self.device_id}, auth=False)
        if r.status_code == 200:
            self._take(r.json())
        return r

    def _take(self, body: dict) -> None:
        self.access, self.refresh_token, self.user = body["access_token"], body["refresh_token"], body["user"]

    # --- pull --------------------------------------------------------------------------------
    def bootstrap(self, **params) -> tuple[dict[str, dict], dict, list[dict]]:
        """Page to the end; return (records by id, last page, all pages)."""
        records: dict[str, dict] = {}
        pages = []
        token = None
        while True:
            q = dict(params)
            if token:
                q["page_token"] = token
            r = self.get("/v1/sync/bootstrap", params=q)
            assert r.status_code == 200, r.text
            page = r.json()
            pages.append(page)
            for rec in page["records"]:
                assert rec["id"] not in records, f"{rec['id']} on two bootstrap pages"
                records[rec["id"]] = rec
            token = page["next_page_token"]
            if token is None:
                return records, page, pages
            assert not page.get("cursor"), "cursor before the last page"
            assert len(pages) < 10_000

    def pull(self, shadows: dict[str, dict], cursor: str, **params) -> tuple[str, dict, list[dict]]:
        """Apply pages to `shadows` until has_more is false; return (cursor, last page, pages)."""
        pages = []
        while True:
            r = self.get("/v1/sync/changes", params={"cursor": cursor, **params})
            assert r.status_code == 200, r.text
            page = r.json()
            pages.append(page)
            for ch in page["changes"]:
                old = shadows.get(ch["id"])
                assert old is None or ch["version"] >= old["version"], f"{ch['id']} went backwards"
                if "removed" in ch:
                    shadows.pop(ch["id"], None)
                else:
                    shadows[ch["id"]] = ch
            cursor = page["next_cursor"]
            if not page["has_more"]:
                return cursor, page, pages
            assert len(pages) < 10_000

    def manifest(self) -> list[dict]:
        r = self.get("/v1/sync/manifest")
        assert r.status_code == 200, r.text
        body = r.json()
        # Doc: "[{id, version}]"; the reference server wraps it as {"records": [...]} (recorded ambiguity).
        return body["records"] if isinstance(body, dict) else body

    # --- push --------------------------------------------------------------------------------
    def push_raw(self, ops: list[dict], client_version: str | None = None, **kw) -> requests.Response:
        return self.post("/v1/sync/push", {"device_id": self.device_id,
                                           "client_version": client_version or self.CLIENT_VERSION,
                                           "ops": ops}, **kw)

    def push(self, ops: list[dict]) -> list[dict]:
        r = self.push_raw(ops)
        assert r.status_code == 200, r.text
        body = r.json()
        assert [x["op_id"] for x in body["results"]] == [o["op_id"] for o in ops], "results not one per op in order"
        datetime.fromisoformat(body["server_time"].replace("Z", "+00:00"))
        return body["results"]

    def push_one(self, op: dict) -> dict:
        return self.push([op])[0]
