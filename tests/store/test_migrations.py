"""Schema migrations: an older database with pending outbox rows upgrades without losing any."""

from __future__ import annotations

import json
import sqlite3

import pytest
from sqlalchemy import select

from client.store import CaseInitials, OutboxOp, migrations, open_store
from client.store.models import Base

V1_OUTBOX = [
    # (op_id, case_id, action, base_version, prev_op_id, payload, state, attempts, last_error)
    ("op-1", "E-1", "fix_error", 3, None, {"changes": {"name": {"from": "张三", "to": "张山"}}, "note": "户口本"},
     "pending", 0, None),
    ("op-2", "E-1", "fix_error", 3, "op-1", {"changes": {"sex": {"from": "1", "to": "2"}}}, "sending", 1,
     "连接超时"),
    ("op-3", "B-7", "reject_birth", 1, None, {"reason": "not_local", "note": ""}, "conflict", 2, None),
    ("op-4", "D-2", "merge_duplicates", 5, None, {"survivor_id": "P-1", "field_choices": {}, "member_ids": ["P-1", "P-2"]},
     "done", 1, None),
]


def _write_v1(path, key):
    store = open_store(path, key, upgrade_to=1)
    assert store.schema_version == 1
    with store.engine.begin() as conn:
        for case_id, name in (("E-1", "单雄信"), ("B-7", "曾小明"), ("D-2", "李四")):
            kind = {"E": "error", "B": "birth", "D": "duplicates"}[case_id[0]]
            data = ({"person": {"name": name}} if kind == "error" else
                    {"proposed": {"name": name}, "mother": None} if kind == "birth" else
                    {"members": [{"name": name}]})
            conn.exec_driver_sql(
                "INSERT INTO cases (id, kind, shadow_version, shadow_data, overlay, local_state, updated_at,"
                " name_norm) VALUES (?, ?, 1, ?, ?, 'pending', '2026-11-01T00:00:00', ?)",
                (case_id, kind, json.dumps(data, ensure_ascii=False),
                 json.dumps({"changes": {"name": "马六"}} if case_id == "B-7" else {"edit": case_id},
                            ensure_ascii=False), name))
        for n, (op_id, case_id, action, base, prev, payload, state, attempts, error) in enumerate(V1_OUTBOX):
            conn.exec_driver_sql(
                "INSERT INTO outbox (op_id, case_id, action, base_version, prev_op_id, payload, state,"
                " attempts, last_error, owner, created_at) VALUES (?,?,?,?,?,?,?,?,?, 'zhangsan', ?)",
                (op_id, case_id, action, base, prev, json.dumps(payload, ensure_ascii=False), state,
                 attempts, error, f"2026-11-0{n + 1}T08:00:00"))
            conn.exec_driver_sql(
                "INSERT INTO audit (at, actor, case_id, op_id, field, old, new) VALUES (?, 'zhangsan', ?, ?, 'x',"
                " '\"a\"', '\"b\"')", (f"2026-11-0{n + 1}T08:00:00", case_id, op_id))
        # Deleting the newest row checks that AUTOINCREMENT never hands its seq out again.
        conn.exec_driver_sql("INSERT INTO outbox (op_id, case_id, action, base_version, payload, owner, created_at)"
                             " VALUES ('op-x', 'E-9', 'confirm_error', 1, '{}', 'zhangsan', 'now')")
        conn.exec_driver_sql("DELETE FROM outbox WHERE op_id = 'op-x'")
        rows = conn.exec_driver_sql("SELECT * FROM outbox ORDER BY seq").all()
    store.close()
    return [tuple(row) for row in rows]


def test_v1_database_with_pending_ops_upgrades_and_keeps_every_outbox_row(tmp_path, key):
    path = tmp_path / "old.db"
    before = _write_v1(path, key)
    assert len(before) == len(V1_OUTBOX)
    with open_store(path, key) as store:
        assert store.schema_version == migrations.LATEST
        with store.engine.connect() as conn:
            after = [tuple(r) for r in conn.exec_driver_sql(
                "SELECT " + ", ".join(c for c in OutboxOp.__table__.c.keys()) + " FROM outbox ORDER BY seq")]
            reasons = conn.exec_driver_sql("SELECT reason FROM audit").scalars().all()
        assert after == before
        assert reasons == [None] * len(V1_OUTBOX)
        with store.read() as session:
            pending = session.execute(select(OutboxOp).where(OutboxOp.state.in_(["pending", "sending"]))
                                      .order_by(OutboxOp.seq)).scalars().all()
            assert [op.op_id for op in pending] == ["op-1", "op-2"]
            assert pending[0].payload["changes"]["name"]["to"] == "张山"
            assert pending[1].prev_op_id == "op-1" and pending[1].last_error == "连接超时"
            initials = set(session.execute(select(CaseInitials.case_id, CaseInitials.initials)).all())
        # v2 back-filled the initials index from the existing cases (单 as a surname: shan).
        assert ("E-1", "sxx") in initials and ("D-2", "ls") in initials
        # B-7's unsent edit renamed the child: the index follows what the worker sees.
        assert ("B-7", "ml") in initials and ("B-7", "zxm") not in initials
        # v3 back-filled the worklist's sort columns, also from what the worker sees.
        with store.engine.connect() as conn:
            keys = dict(conn.exec_driver_sql("SELECT id, name_key FROM cases").all())
        assert keys["E-1"].startswith("shan xiong xin") and keys["B-7"].startswith("ma liu")
        with store.write() as session:
            session.add(OutboxOp(op_id="op-5", case_id="E-1", action="confirm_error", base_version=3,
                                 payload={}, owner="zhangsan", created_at="now"))
        with store.read() as session:
            seqs = session.execute(select(OutboxOp.seq).order_by(OutboxOp.seq)).scalars().all()
        assert seqs[-1] > before[-1][0] + 1  # the deleted seq was not reused
        assert store.check_integrity() == []


def test_migrated_schema_matches_the_models(tmp_path, key):
    # The frozen migration DDL and the models must describe the same tables, columns and indexes.
    with open_store(tmp_path / "m.db", key) as store:
        with store.engine.connect() as conn:
            migrated = _describe(conn.connection.dbapi_connection)
    reference = sqlite3.connect(":memory:")
    from sqlalchemy import create_engine
    engine = create_engine("sqlite://", creator=lambda: reference)
    Base.metadata.create_all(engine)
    assert migrated == _describe(reference)


def _describe(dbapi_conn):
    tables = {}
    names = [r[0] for r in dbapi_conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    for name in names:
        columns = [(r[1], r[2].upper(), r[3], r[5]) for r in dbapi_conn.execute(f"PRAGMA table_info({name})")]
        indexes = sorted((r[1], r[2]) for r in dbapi_conn.execute(f"PRAGMA index_list({name})")
                         if not r[1].startswith("sqlite_autoindex"))
        uniques = sorted(r[2] for r in dbapi_conn.execute(f"PRAGMA index_list({name})"))
        fks = [tuple(r[2:5]) + (r[6],) for r in dbapi_conn.execute(f"PRAGMA foreign_key_list({name})")]
        tables[name] = (sorted(columns), indexes, uniques, fks)
    return tables


def test_a_failing_migration_leaves_the_database_at_the_previous_version(tmp_path, key, monkeypatch):
    path = tmp_path / "f.db"
    open_store(path, key).close()

    def broken(conn):
        conn.exec_driver_sql("CREATE TABLE half_done (x)")
        raise RuntimeError("migration failed halfway")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, broken])
    monkeypatch.setattr(migrations, "LATEST", len(migrations.MIGRATIONS))
    with pytest.raises(RuntimeError):
        open_store(path, key)
    monkeypatch.undo()
    with open_store(path, key) as store:
        assert store.schema_version == migrations.LATEST
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql(
                "SELECT count(*) FROM sqlite_master WHERE name = 'half_done'").scalar() == 0


def test_upgrade_to_unknown_version_is_refused(tmp_path, key):
    with pytest.raises(ValueError):
        open_store(tmp_path / "x.db", key, upgrade_to=migrations.LATEST + 1)


def test_v4_marks_ops_sent_without_an_answer_as_sending(tmp_path, key):
    path = tmp_path / "v3.db"
    open_store(path, key, upgrade_to=3).close()
    store = open_store(path, key, upgrade_to=3)
    with store.engine.begin() as conn:
        for op_id, state, attempts in (("a", "pending", 0), ("b", "pending", 2), ("c", "done", 1)):
            conn.exec_driver_sql(
                "INSERT INTO outbox (op_id, case_id, action, base_version, payload, state, attempts,"
                " owner, created_at) VALUES (?, 'E-1', 'fix_error', 1, '{}', ?, ?, 'zhangsan', 'now')",
                (op_id, state, attempts))
    store.close()
    with open_store(path, key) as store, store.read() as session:
        states = dict(session.execute(select(OutboxOp.op_id, OutboxOp.state)).all())
    assert states == {"a": "pending", "b": "sending", "c": "done"}
