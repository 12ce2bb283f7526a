"""A real reference server on 127.0.0.1 (ephemeral port) in a background thread, for any test.

Fixtures (available suite-wide through tests/conftest.py):
  live_server          fresh database with tests.support.builder.small_dataset(); function-scoped; SQLite,
                       or SQLite and PostgreSQL where `db_backend` is parametrized (tests/support/pg.py)
  live_server_factory  make_server(dataset=None, **config_overrides) -> LiveServer (stopped at teardown)
A LiveServer has .url, .clock (ManualClock: .advance(seconds=...)), .store, .app, .config,
.dataset and .client(username, password=None) -> a logged-in ApiClient.
"""

from __future__ import annotations

import gzip
import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from sync.server.app import create_app
from tests.support.builder import small_dataset
from sync.server.config import ManualClock, ServerConfig
from sync.server.dataset import Dataset, load_dataset
from sync.server.runner import ServerThread

PASSWORDS = {"alice": "alice-pw", "bob": "bob-pw", "carol": "carol-pw", "trainer": "trainer-pw",
             "dora": "dora-pw", "admin": "admin-pw"}


class ApiClient:
    """A thin requests wrapper speaking the protocol; methods return the requests.Response."""

    def __init__(self, base_url: str, device_id: str | None = None):
        self.base = base_url.rstrip("/")
        self.session = requests.Session()
        self.device_id = device_id or f"dev-{uuid.uuid4().hex[:8]}"
        self.access_token: str | None = None
        self.refresh_token: str | None = None
        self.user: dict | None = None

    def close(self) -> None:
        self.session.close()

    def _headers(self, extra: dict | None = None) -> dict:
        h = {"Accept-Encoding": "gzip"}
        if self.access_token:
            h["Authorization"] = f"Bearer {self.access_token}"
        h.update(extra or {})
        return h

    def request(self, method: str, path: str, *, json_body: Any = None, data: bytes | None = None,
                gzip_body: bool = False, headers: dict | None = None, params: dict | None = None,
                timeout: float = 60) -> requests.Response:
        h = self._headers(headers)
        if json_body is not None:
            data = json.dumps(json_body, ensure_ascii=False).encode("utf-8")
            h.setdefault("Content-Type", "application/json")
        if gzip_body and data is not None:
            data = gzip.compress(data)
            h["Content-Encoding"] = "gzip"
        return self.session.request(method, self.base + path, data=data, headers=h, params=params,
                                    timeout=timeout)

    def get(self, path: str, **kw) -> requests.Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, body: Any = None, **kw) -> requests.Response:
        return self.request("POST", path, json_body=body, **kw)

    # ---- protocol helpers

    def login(self, username: str, password: str) -> requests.Response:
        r = self.post("/v1/auth/token", {"username": username, "password": password,
                                         "device_id": self.device_id})
        if r.status_code == 200:
            body = r.json()
            self.access_token, self.refresh_token = body["access_token"], body["refresh_token"]
            self.user = body["user"]
        return r

    def refresh(self, token: str | None = None) -> requests.Response:
        r = self.post("/v1/auth/refresh", {"refresh_token": token or self.refresh_token,
                                           "device_id": self.device_id})
        if r.status_code == 200:
            body = r.json()
            self.access_token, self.refresh_token = body["access_token"], body["refresh_token"]
        return r

    def bootstrap_all(self, limit: int | None = None, max_bytes: int | None = None) -> dict:
        """Every bootstrap page: {"records": {id: record}, "cursor", "scope_digest", "pages"}."""
        records, token, pages = {}, None, 0
        while True:
            params = {k: v for k, v in (("page_token", token), ("limit", limit), ("max_bytes", max_bytes)) if v}
            r = self.get("/v1/sync/bootstrap", params=params)
            assert r.status_code == 200, r.text
            page = r.json()
            pages += 1
            for rec in page["records"]:
                records[rec["id"]] = rec
            token = page["next_page_token"]
            if token is None:
                return {"records": records, "cursor": page["cursor"], "scope_digest": page["scope_digest"],
                        "pages": pages}

    def changes(self, cursor: str, **params) -> requests.Response:
        return self.get("/v1/sync/changes", params={"cursor": cursor, **params})

    def pull_all(self, cursor: str, **params) -> tuple[list[dict], str, dict]:
        """All change pages until has_more is false: (changes, next_cursor, last page)."""
        out = []
        while True:
            r = self.changes(cursor, **params)
            assert r.status_code == 200, r.text
            page = r.json()
            out += page["changes"]
            cursor = page["next_cursor"]
            if not page["has_more"]:
                return out, cursor, page

    def push(self, ops: list[dict], client_version: str = "0.1.0", **kw) -> requests.Response:
        return self.post("/v1/sync/push", {"device_id": self.device_id, "client_version": client_version,
                                           "ops": ops}, **kw)


def make_op(record_id: str, action: str, base_version: int, *, changes: dict | None = None,
            payload: dict | None = None, prev_op_id: str | None = None, op_id: str | None = None) -> dict:
    op = {"op_id": op_id or str(uuid.uuid4()), "record_id": record_id, "action": action,
          "base_version": base_version, "client_edited_at": "2026-01-01T08:00:00+08:00"}
    if changes is not None:
        op["changes"] = changes
    if payload is not None:
        op["payload"] = payload
    if prev_op_id:
        op["prev_op_id"] = prev_op_id
    return op


@dataclass
class LiveServer:
    thread: ServerThread
    app: Any
    config: ServerConfig
    clock: ManualClock
    dataset: Dataset | None
    clients: list[ApiClient] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.thread.url

    @property
    def store(self):
        return self.app.state.hecha.store

    def client(self, username: str | None = None, password: str | None = None) -> ApiClient:
        c = ApiClient(self.url)
        self.clients.append(c)
        if username:
            r = c.login(username, password or PASSWORDS.get(username, ""))
            assert r.status_code == 200, r.text
        return c

    def stop(self) -> None:
        for c in self.clients:
            c.close()
        self.thread.stop()
        self.store.close()


def start_server(db_path: Path | str, dataset: Dataset | None = None, **overrides) -> LiveServer:
    clock = overrides.pop("clock", None) or ManualClock()
    tls = overrides.pop("tls", None)
    db = str(db_path)
    config = ServerConfig(db_url=db if "://" in db else f"sqlite:///{db}", kdf_n=2 ** 10, clock=clock,
                          **overrides)
    app = create_app(config)
    if dataset is not None:
        load_dataset(app.state.hecha.store, dataset)
    thread = ServerThread(app, tls=tls).start()
    return LiveServer(thread=thread, app=app, config=config, clock=clock, dataset=dataset)


@pytest.fixture
def live_server_factory(new_server_db):
    servers: list[LiveServer] = []

    def make(dataset: Dataset | None = None, *, db_path: Path | str | None = None, **overrides) -> LiveServer:
        path = db_path or new_server_db(f"server-{len(servers)}")
        s = start_server(path, dataset if dataset is not None else small_dataset(training=overrides.get("training", False)),
                         **overrides)
        servers.append(s)
        return s

    yield make
    for s in servers:
        s.stop()


@pytest.fixture
def live_server(live_server_factory) -> LiveServer:
    return live_server_factory()
