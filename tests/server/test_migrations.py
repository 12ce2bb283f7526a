"""Alembic migrations: a new database gets exactly schema.py's tables; an older one is upgraded.

data/server-schema3.db is a real database written by the server before migrations existed (commit
82dd453, meta.schema_version "3"): tests.support.builder.small_dataset() loaded, alice logged in from
one device and pushed one applied fix_error on E-1 (so users, refresh tokens, history, person history,
change log and op results all hold rows).
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select

from client.cli import main
from client.domain.idnumber import id_check_char
from sync.server import migrate, schema as t
from sync.server.config import ServerConfig
from sync.server.db import make_engine
from sync.server.store import Store
from tests.support.live_server import make_op, start_server

SNAPSHOT = Path(__file__).parent / "data" / "server-schema3.db"


def test_a_new_database_is_migrated_to_exactly_the_schema_of_schema_py(new_server_db):
    url = new_server_db("fresh")
    store = Store(ServerConfig(db_url=url))
    assert store.migration.before is None and store.migration.after == migrate.head()
    with store.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), t.metadata)
        assert diffs == [], "schema.py and the migrations differ: add a revision in sync/server/migrations"
        assert migrate.current_revision(conn) == migrate.head()
    store.close()
    again = Store(ServerConfig(db_url=url))
    assert not again.migration.changed
    again.close()


@pytest.fixture
def old_server(tmp_path):
    db = tmp_path / "old.db"
    shutil.copy(SNAPSHOT, db)
    server = start_server(db)
    yield server
    server.stop()


def test_the_pre_migration_snapshot_is_upgraded_and_served(old_server):
    server = old_server
    assert server.store.migration.before == "legacy-3"
    assert server.store.migration.after == migrate.head()
    alice = server.client("alice", "alice-pw")
    boot = alice.bootstrap_all()
    assert "E-1" not in boot["records"] and "E-2" in boot["records"]   # E-1 was completed before
    with server.store.read() as conn:
        e1 = server.store.get_case(conn, "E-1")
        assert (e1["version"], e1["status"], e1["completed_by"]) == (2, "completed", "alice")
        assert conn.execute(select(func.count()).select_from(t.op_results)).scalar() == 1
        old_seq = server.store.max_seq(conn)
        # 0002: every case got its load time from its first history row, no deadline
        first = conn.execute(select(t.history.c.at).where(t.history.c.case_id == "E-2",
                                                          t.history.c.version == 1)).scalar()
        e2_row = server.store.get_case(conn, "E-2")
        assert (e2_row["created_at"], e2_row["deadline"]) == (first, None)
    assert server.client("carol", "carol-pw").get("/v1/progress").json()["rows"][0]["open"] > 0
    # the server goes on from the old data: a new op applies, the change log continues after the old seqs
    e2 = boot["records"]["E-2"]
    idn = e2["data"]["person"]["id_number"]
    r = alice.push([make_op("E-2", "fix_error", e2["version"], changes={"id_number": {
        "from": idn, "to": idn[:17] + id_check_char(idn[:17])}}, payload={"note": "按户口簿更正"})])
    assert r.status_code == 200 and r.json()["results"][0]["status"] == "applied", r.text
    changes, _, _ = alice.pull_all(boot["cursor"])
    assert [c["id"] for c in changes] == ["E-2"]
    with server.store.read() as conn:
        assert server.store.max_seq(conn) > old_seq


def test_hecha_server_migrate_upgrades_and_checks(tmp_path, capsys):
    db = tmp_path / "old.db"
    shutil.copy(SNAPSHOT, db)
    assert main(["server", "migrate", "--db", str(db), "--check"]) == 1
    assert "3" in capsys.readouterr().out
    assert main(["server", "migrate", "--db", str(db)]) == 0
    assert f"→ {migrate.head()}" in capsys.readouterr().out
    assert main(["server", "migrate", "--db", str(db), "--check"]) == 0
    assert main(["server", "migrate", "--db", str(db)]) == 0
    assert "已是最新" in capsys.readouterr().out
    con = sqlite3.connect(db)
    assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [(migrate.head(),)]
    assert con.execute("SELECT count(*) FROM persons").fetchone()[0] > 0
    con.close()


def test_a_database_from_a_newer_program_or_of_unknown_shape_is_refused(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'new.db'}"
    Store(ServerConfig(db_url=url)).close()
    con = sqlite3.connect(tmp_path / "new.db")
    con.execute("UPDATE alembic_version SET version_num = 'ffff_from_the_future'")
    con.commit()
    con.close()
    with pytest.raises(migrate.SchemaVersionError, match="比本程序新"):
        Store(ServerConfig(db_url=url))
    assert main(["server", "migrate", "--db", str(tmp_path / "new.db")]) == 1
    assert "比本程序新" in capsys.readouterr().err


def test_without_migrate_an_outdated_database_is_refused_until_migrated(tmp_path):
    db = tmp_path / "old.db"
    shutil.copy(SNAPSHOT, db)
    with pytest.raises(migrate.SchemaVersionError, match="hecha server migrate"):
        Store(ServerConfig(db_url=f"sqlite:///{db}", migrate=False))
    engine = make_engine(str(db))
    assert migrate.upgrade(engine).before == "legacy-3"
    engine.dispose()
    Store(ServerConfig(db_url=f"sqlite:///{db}", migrate=False)).close()
