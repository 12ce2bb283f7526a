"""Roles and jurisdiction on every /v1/admin route, test hooks only on a training server, the training
flag kept in the database, the signing key and the database file private (issue 11)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from sync.server import schema as t
from sync.server.audit import query as audit_query
from sync.server.security import hash_password, token_hash
from tests.support.builder import small_dataset
from sync.server.config import ServerConfig
from sync.server.store import Store, TrainingModeError

ROOT = Path(__file__).resolve().parents[2]
STRONG = "Str0ng-pass"


def _with_other_county():
    ds = small_dataset()
    ds.accounts += [{"username": "yan", "password": "yan-pw", "role": "county", "jurisdiction": "610425",
                     "display_name": "邻县专干"},
                    {"username": "yanxz", "password": "yanxz-pw", "role": "township",
                     "jurisdiction": "610425001", "display_name": "邻县乡镇"}]
    return ds


def test_a_county_account_cannot_touch_another_county(live_server_factory):
    server = live_server_factory(_with_other_county())
    yan, carol = server.client("yan", "yan-pw"), server.client("carol")
    pid = carol.get("/v1/admin/cases/E-1").json()["record"]["data"]["person"]["person_id"]
    # reads and edits of persons of another county: not found
    assert carol.get(f"/v1/admin/persons/{pid}").status_code == 200
    assert yan.get(f"/v1/admin/persons/{pid}").status_code == 404
    r = yan.request("PATCH", f"/v1/admin/persons/{pid}", json_body={"changes": {"former_name": "某"}})
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    # cases of another county: not found, not listed, not withdrawn
    assert yan.get("/v1/admin/cases/E-1").status_code == 404
    assert yan.post("/v1/admin/cases/E-1/withdraw", {}).status_code == 404
    assert yan.get("/v1/admin/cases", params={"assigned_to": "alice"}).status_code == 404
    assert "alice" not in {u["username"] for u in yan.get("/v1/admin/users").json()["users"]}
    # a case placed in another county cannot be added (nothing is stored)
    body = {"cases": [{"id": "E-900", "kind": "error", "assigned_to": "yanxz", "person_id": pid}]}
    r = yan.post("/v1/admin/cases", body)
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    assert carol.get("/v1/admin/cases/E-900").status_code == 404
    # reassign: never to another county's worker, never outside the worker's jurisdiction
    r = carol.post("/v1/admin/cases/E-1/reassign", {"to": "yanxz"})
    assert r.status_code == 403 and r.headers["content-type"].startswith("application/problem+json")
    r = carol.post("/v1/admin/cases/E-1/reassign", {"to": "bob"})       # township B; E-1 is in A
    assert r.status_code == 409 and r.json()["code"] == "conflict" and "辖区" in r.json()["detail"]
    assert carol.post("/v1/admin/cases/E-1/reassign", {"to": "admin"}).status_code == 409    # not a worker
    assert carol.post("/v1/admin/cases/E-1/reassign", {"to": "dora"}).status_code == 200     # township A
    dora = server.client("dora")
    assert "E-1" in dora.bootstrap_all()["records"]


def test_workers_and_auditors_do_no_office_actions(live_server_factory):
    ds = small_dataset()
    ds.accounts.append({"username": "aud", "password": "x", "role": "auditor", "jurisdiction": "610424",
                        "display_name": "审计员"})
    server = live_server_factory(ds)
    for name in ("alice", "aud"):
        c = server.client(name, "x" if name == "aud" else None)
        for method, path in (("GET", "/v1/admin/users"), ("GET", "/v1/admin/cases/E-1"),
                             ("GET", "/v1/admin/persons/P-1"), ("POST", "/v1/admin/cases/E-1/withdraw")):
            r = c.request(method, path, json_body={} if method == "POST" else None)
            assert r.status_code == 403 and r.json()["code"] == "forbidden", (name, path)
    aud = server.client("aud", "x")   # nor does the auditor read progress or the cases behind it
    for path, params in (("/v1/progress", {}), ("/v1/progress/cases", {"place": "610424"})):
        r = aud.get(path, params=params)
        assert r.status_code == 403 and r.json()["code"] == "forbidden", path


def test_nobody_creates_an_account_beyond_their_role_or_jurisdiction(live_server_factory):
    server = live_server_factory(training=True)
    trainer, admin, carol = server.client("trainer"), server.client("admin"), server.client("carol")

    def create(who, **kw):
        body = {"username": "newbie", "password": STRONG, "role": "township", "jurisdiction": "610424001"}
        body.update(kw)
        return who.post("/v1/admin/users", body)

    assert create(trainer, role="admin", jurisdiction="").status_code == 400        # no "" jurisdiction
    assert create(trainer, role="admin").status_code == 403                          # above the trainer
    assert create(trainer, jurisdiction="610425").status_code == 403                 # another county
    assert create(admin, role="admin", jurisdiction="61").status_code == 403         # a whole province
    assert create(carol).status_code == 403                                          # workers: no accounts
    # trainers cannot touch an admin's password or any account above them
    r = trainer.request("PATCH", "/v1/admin/users/admin", json_body={"password": "An0ther-pass"})
    assert r.status_code == 403
    r = trainer.request("PATCH", "/v1/admin/users/alice", json_body={"role": "admin"})
    assert r.status_code == 403
    assert create(admin, role="auditor", jurisdiction="610424").status_code == 201


def test_test_hooks_only_on_a_training_server(live_server_factory):
    real = live_server_factory()
    admin = real.client("admin")
    for path, body in (("/v1/admin/reset", None), ("/v1/admin/faults",
                       {"path_prefix": "/v1/sync", "status": 503, "count": 1})):
        r = admin.post(path, body)
        assert r.status_code == 404 and r.json()["code"] == "not_found", (path, r.text)
    school = live_server_factory(training=True)
    assert school.client("trainer").post("/v1/admin/faults", {"path_prefix": "/v1/x", "status": 503,
                                                              "count": 1}).status_code == 200


def _sneak_in_trainer(server) -> int:
    """A trainer account written straight into a real database (as an older server let one in)."""
    with server.store.write() as conn:
        conn.execute(insert(t.users).values(
            username="trainer", password_hash=hash_password("trainer-pw", 2 ** 10), role="trainer",
            jurisdiction="610424", display_name="培训讲师", epoch=0, active=True, created_at="2026-01-01T00:00:00.000000Z",
            password_changed_at="2026-01-01T00:00:00.000000Z", failed_logins=0))
        return conn.execute(select(t.users.c.id).where(t.users.c.username == "trainer")).scalar_one()


def test_a_trainer_account_has_no_rights_on_a_real_server(live_server_factory):
    real = live_server_factory()
    admin = real.client("admin")
    # nobody creates one there (API, command line: tests/server/test_demo_and_cli.py, the store)
    assert admin.post("/v1/admin/users", {"username": "newt", "password": STRONG, "role": "trainer",
                                          "jurisdiction": "610424"}).status_code == 403
    with pytest.raises(TrainingModeError, match="培训数据库"), real.store.write() as conn:
        real.store.add_user(conn, "newt", "x", "trainer", "610424", "讲师")
    uid = _sneak_in_trainer(real)
    c = real.client()
    r = c.login("trainer", "trainer-pw")        # the right password: refused, and said why
    assert r.status_code == 403 and r.json()["code"] == "forbidden" and "培训服务器" in r.json()["detail"]
    assert r.headers["content-type"].startswith("application/problem+json")
    assert c.login("trainer", "wrong-pw-1").status_code == 401     # a wrong one learns nothing
    # a token it holds from before (signed with the server's key) opens no route at all
    now = int(real.clock.now().timestamp())
    c.access_token = real.app.state.hecha.auth.access.sign(
        {"sub": uid, "exp": now + 600, "fam": "old", "n": "0", "dev": c.device_id})
    routes = [(m.upper(), path) for path, ops in real.app.openapi()["paths"].items() for m in ops
              if path.startswith(("/v1/admin", "/v1/progress", "/v1/sync"))]
    assert len(routes) > 15
    for method, path in routes:
        url = path.replace("{person_id}", "P-1").replace("{case_id}", "E-1").replace("{username}", "alice")
        r = c.request(method, url, json_body={} if method in ("POST", "PATCH") else None,
                      params={"cursor": "x", "place": "610424"})
        assert r.status_code == 403 and r.json()["code"] == "forbidden", (method, path, r.text)
    # nor does a refresh token it holds from before
    with real.store.write() as conn:
        conn.execute(insert(t.refresh_tokens).values(
            token_hash=token_hash("old-refresh"), family_id="old", user_id=uid, device_id=c.device_id,
            issued_at="2026-01-01T00:00:00.000000Z", expires_at="2099-01-01T00:00:00.000000Z", revoked=False))
    r = c.refresh("old-refresh")
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    assert admin.get("/v1/admin/cases/E-1").status_code == 200    # the county's admin still works
    with real.store.read() as conn:
        outcomes = [e["outcome"] for e in audit_query(conn, user="trainer")]
    assert outcomes[:2] == ["training_only", "failed"]


def test_training_is_a_property_of_the_database(tmp_path, new_server_db):
    db = new_server_db("class")
    Store(ServerConfig(db_url=db, training=True)).close()
    again = Store(ServerConfig(db_url=db))          # restarted without --seed demo: still training
    assert again.training is True
    again.close()
    real = new_server_db("real")
    store = Store(ServerConfig(db_url=real))
    assert store.training is False
    store.close()
    with pytest.raises(TrainingModeError, match="正式数据库"):
        Store(ServerConfig(db_url=real, training=True))


@pytest.mark.parametrize("db_backend", ["sqlite"])
def test_seed_demo_on_a_real_database_is_refused(tmp_path, live_server_factory):
    db = tmp_path / "real.db"
    add = subprocess.run([sys.executable, "-m", "client", "server", "adduser", "--db", str(db), "zhang",
                          "--role", "county", "--jurisdiction", "610424", "--password", "Wei-pw-2026"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert add.returncode == 0, add.stderr
    out = subprocess.run([sys.executable, "-m", "client", "server", "--db", str(db), "--seed", "demo",
                          "--port", "0", "--people", "100"], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 1 and "正式数据库" in out.stderr
    health = live_server_factory(db_path=tmp_path / "school.db", training=True)
    assert health.client().get("/v1/health").json()["training"] is True


@pytest.mark.parametrize("db_backend", ["sqlite"])   # files next to a SQLite database
def test_signing_key_and_database_are_private(tmp_path, live_server_factory):
    server = live_server_factory(db_path=tmp_path / "s.db")
    assert stat.S_IMODE(os.stat(tmp_path / "s.db").st_mode) == 0o600
    key = tmp_path / "s.db.key"
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    with server.store.read() as conn:
        values = [r.value for r in conn.execute(select(t.meta))]
    assert key.read_text().strip() not in "".join(values)
    assert "secret" not in {r for r in values}
    # A key file others can read is refused.
    os.chmod(key, 0o644)
    with pytest.raises(RuntimeError, match="0600"):
        Store(ServerConfig(db_url=f"sqlite:///{tmp_path / 's.db'}"))
