"""A push batch is applied in one write transaction: its ops see each other in order, and a batch that
dies half-way applies nothing of the batch (the client sends it again), on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import func, select, text

from sync.server import audit, schema as t
from tests.server.test_push_statuses import fix_op
from tests.support.live_server import make_op

_FAIL_SQLITE = """CREATE TRIGGER die_mid_batch BEFORE INSERT ON history WHEN NEW.case_id = 'E-2'
                  BEGIN SELECT RAISE(ABORT, 'the disk failed'); END"""
_FAIL_PG = ["""CREATE FUNCTION die_mid_batch() RETURNS trigger LANGUAGE plpgsql AS
               $$ BEGIN RAISE EXCEPTION 'the disk failed'; END $$""",
            """CREATE TRIGGER die_mid_batch BEFORE INSERT ON history FOR EACH ROW
               WHEN (NEW.case_id = 'E-2') EXECUTE FUNCTION die_mid_batch()"""]


def _state(store, op_ids):
    with store.read() as conn:
        return {"versions": dict(conn.execute(select(t.cases.c.case_id, t.cases.c.version)).all()),
                "results": conn.execute(select(func.count()).select_from(t.op_results).where(
                    t.op_results.c.op_id.in_(op_ids))).scalar(),
                "history": conn.execute(select(func.count()).select_from(t.history)).scalar(),
                "seq": store.max_seq(conn), "audit": audit.verify(conn)}


def test_a_batch_that_dies_mid_apply_applies_nothing_and_applies_once_when_sent_again(live_server):
    c = live_server.client("alice")
    recs = c.bootstrap_all()["records"]
    ops = [fix_op(recs[cid]) for cid in ("E-1", "E-2", "E-3")]
    ids = [op["op_id"] for op in ops]
    store = live_server.store
    before = _state(store, ids)
    with store.engine.begin() as conn:   # the database fails on the second op's history row
        for sql in ([_FAIL_SQLITE] if store.is_sqlite else _FAIL_PG):
            conn.execute(text(sql))
    r = c.push(ops)
    assert r.status_code == 500 and r.json()["code"] == "internal_error", r.text
    after = _state(store, ids)
    # E-1 was applied before the failure: its effect, result and audit entry are gone with the batch
    assert after == before and after["results"] == 0 and after["audit"].ok
    with store.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER die_mid_batch" + ("" if store.is_sqlite else " ON history")))
    results = c.push(ops).json()["results"]
    assert [x["status"] for x in results] == ["applied"] * 3, results
    assert [x["status"] for x in c.push(ops).json()["results"]] == ["duplicate"] * 3
    done = _state(store, ids)
    assert done["results"] == 3 and done["audit"].ok and done["audit"].entries > before["audit"].entries
    assert all(done["versions"][cid] == before["versions"][cid] + 1 for cid in ("E-1", "E-2", "E-3"))
    with store.read() as conn:
        for op in ops:   # each op applied exactly once
            assert conn.execute(select(func.count()).select_from(t.history).where(
                t.history.c.op_id == op["op_id"], t.history.c.case_id == op["record_id"])).scalar() == 1


def test_ops_of_one_batch_see_the_results_of_the_ops_before_them(live_server):
    c, office = live_server.client("alice"), live_server.client("admin")
    recs = c.bootstrap_all()["records"]
    e1 = recs["E-1"]
    pid = e1["data"]["person"]["person_id"]
    assert office.request("PATCH", f"/v1/admin/persons/{pid}",
                           json_body={"changes": {"id_number": e1["data"]["person"]["id_number"][:17] + "9"}}
                           ).status_code == 200
    first = fix_op(e1)                                   # conflicts with the office's change
    second = make_op("E-1", "fix_error", 2, changes={"residence_address": {"from": None, "to": "东大街3号"}},
                     prev_op_id=first["op_id"])
    resolved = fix_op(e1, base=2)
    # the same op twice in one batch: blocked behind the conflict, then applied once the resolving op
    # earlier in the same batch has been applied
    r = c.push([first, second, resolved, second]).json()["results"]
    assert [x["status"] for x in r] == ["conflict", "blocked", "applied", "applied"], r
    assert r[3]["record"]["data"]["person"]["residence_address"] == "东大街3号"
    # an op repeated in one batch after it was applied is a duplicate of itself
    e3 = fix_op(recs["E-3"])
    assert [x["status"] for x in c.push([e3, e3]).json()["results"]] == ["applied", "duplicate"]
    with live_server.store.read() as conn:
        assert audit.verify(conn).ok
