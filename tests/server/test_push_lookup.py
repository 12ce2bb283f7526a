"""The push op's shared lookup (write-through caches, memoized findings) agrees with the database."""

from __future__ import annotations

import random
import uuid
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from client.domain.idnumber import id_check_char
from sync.protocol import Op
from sync.server import lookup as lookup_mod, render, schema as t, store as store_mod, validation
from tests.support.builder import VILLAGE_A, DataBuilder
from sync.server.config import ServerConfig
from sync.server.dataset import load_dataset
from sync.server.ops import PushProcessor
from sync.server.prepared import Prepared
from sync.server.lookup import DbLookup
from sync.server.store import Store


def family_dataset():
    """Households with mothers, children by mother ID number and one shared ID number."""
    b = DataBuilder(3)
    b.user("alice", "alice-pw", "township", VILLAGE_A[:9])
    for _ in range(4):
        hid, husband, wife = b.family(VILLAGE_A)
        mother = b.get(wife)
        for k in range(3):
            b.person(hid, relation="20", birth=date(2000 + k, 3, 1), mother_id_number=mother["id_number"],
                     mother_name=mother["name"], father_id_number=b.get(husband)["id_number"])
        b.error_case(husband, "alice")
    first, second = b.ds.persons[0], b.ds.persons[5]
    second["id_number"] = first["id_number"]
    return b.build()


def open_store(tmp_path, ds) -> Store:
    store = Store(ServerConfig(db_url=f"sqlite:///{tmp_path / 'server.db'}", kdf_n=2 ** 10))
    load_dataset(store, ds, snapshot=False)
    return store


def test_op_lookup_stays_true_through_random_person_writes(tmp_path):
    ds = family_dataset()
    store = open_store(tmp_path, ds)
    rng = random.Random(11)
    pids = [p["person_id"] for p in ds.persons]
    hids = [h["household_id"] for h in ds.households] + ["H-NEW"]
    idns = sorted({p["id_number"] for p in ds.persons}) + ["NO-SUCH"]
    midns = sorted({p.get("mother_id_number") for p in ds.persons} - {None})
    with store.write() as conn, store.op_lookup(conn) as lk:
        assert store.lookup(conn) is lk
        for step in range(60):
            # read through the op lookup (fills its caches), then change one person
            for h in rng.sample(hids, 3):
                lk.members(h)
            for n in rng.sample(idns, 3):
                lk.by_id_number(n)
            for m in midns:
                lk.children_of(m)
            for p in rng.sample(pids, 3):
                lk.person(p)
            pid = rng.choice(pids)
            person = store.get_person(conn, pid)
            person.pop("status")
            person["household_id"] = rng.choice(hids)
            person["relation"] = rng.choice(["02", "10", "20", None])
            person["id_number"] = rng.choice(idns)
            person["mother_id_number"] = rng.choice(midns + [None])
            status = rng.choice([None, None, "active", "dead", "merged"])
            store.write_person(conn, person, actor="t", action="test", op_id=f"o{step}", status=status)
            fresh = DbLookup(conn)
            for h in hids:
                assert lk.members(h) == fresh.members(h), (step, h)
            for n in idns:
                assert lk.by_id_number(n) == fresh.by_id_number(n), (step, n)
            for m in midns:
                assert lk.children_of(m) == fresh.children_of(m), (step, m)
            for p in pids:
                assert lk.person(p) == fresh.person(p), (step, p)
                row = conn.execute(select(t.persons.c.version, t.persons.c.status)
                                   .where(t.persons.c.person_id == p)).first()
                info = lk.row_info(p)
                assert info is False or info == (row.version, row.status), (step, p)
    # outside the op, every connection gets a fresh lookup again
    with store.read() as conn:
        assert store.lookup(conn) is not lk and not store.lookup(conn).tracking
    store.close()


def _op(record_id, action, base, **kw) -> Op:
    return Op.model_validate({"op_id": str(uuid.uuid4()), "record_id": record_id, "action": action,
                              "base_version": base, "client_edited_at": "2026-01-01T08:00:00Z", **kw})


def test_a_fix_runs_the_rule_engine_once_and_renders_what_a_fresh_render_gives(tmp_path, monkeypatch):
    store = open_store(tmp_path, family_dataset())
    calls = []
    real = validation.person_findings

    def counting(*a, **kw):
        calls.append(1)
        return real(*a, **kw)

    monkeypatch.setattr(validation, "person_findings", counting)
    with store.read() as conn:
        user = store.user_by_name(conn, "alice")
        case = store.get_case(conn, "E-1")
    idn = store_mod.json.loads(case["data"])["person"]["id_number"]
    fixed = idn[:17] + id_check_char(idn[:17])
    op = _op("E-1", "fix_error", case["version"],
             changes={"id_number": {"from": idn, "to": fixed}}, payload={"note": ""})
    [res] = PushProcessor(store).process(user, "dev", [op])
    assert res["status"] == "applied", res
    # the op's check and the case's re-render share one engine pass (the household's other cases
    # are re-rendered too, each with its own inputs)
    with store.read() as conn:
        others = conn.execute(select(func.count()).select_from(t.case_links).where(
            t.case_links.c.person_id == case["spec_obj"]["person_id"],
            t.case_links.c.case_id != "E-1")).scalar()
        assert len(calls) == 1 + others
        again = store.get_case(conn, "E-1")
        fresh = render.render("error", again["spec_obj"], DbLookup(conn), status="completed",
                              today=store.today())
    assert res["record"]["data"] == fresh == store_mod.json.loads(again["data"])
    assert res["record"]["data"]["person"]["id_number"] == fixed
    store.close()


def test_a_rolled_back_op_leaves_no_trace(tmp_path):
    b = DataBuilder(4)
    b.user("alice", "alice-pw", "township", VILLAGE_A[:9])
    hid, husband, wife = b.family(VILLAGE_A)
    err = b.error_case(husband, "alice")
    copy = dict(b.get(wife), person_id="P-COPY", relation="20")
    b.ds.persons.append(copy)
    dup = b.duplicates_case([wife, "P-COPY"], "alice", "same_id")
    store = open_store(tmp_path, b.build())
    with store.read() as conn:
        user = store.user_by_name(conn, "alice")
        case = store.get_case(conn, dup)
        e1 = store.get_case(conn, err)["version"]
        top = store.max_seq(conn)
    first, second = sorted(case["spec_obj"]["member_ids"])
    with store.read() as conn:
        before = store.get_person(conn, first)
    idn = before["id_number"]
    good = idn[:14] + ("98" if idn[14:16] != "98" else "97") + idn[16]
    good += id_check_char(good)
    # the first correction is written, the second is refused: the savepoint undoes the first (and
    # the op lookup forgets it), nothing is re-rendered and the op's stored seq is the current one
    op = _op(dup, "mark_not_duplicate", case["version"],
             payload={"reason": "两个人", "id_corrections": {first: good, second: "1234"}})
    [res] = PushProcessor(store).process(user, "dev", [op])
    assert res["status"] == "rejected", res
    assert [e["fields"] for e in res["errors"]] == [["id_number"]] * len(res["errors"])
    with store.read() as conn:
        assert store.get_person(conn, first) == before
        assert store.get_case(conn, err)["version"] == e1
        assert store.max_seq(conn) == top
        stored = conn.execute(select(t.op_results.c.seq).where(t.op_results.c.op_id == op.op_id)).scalar()
        assert stored == top
        # the first correction's person history row went with the savepoint
        assert conn.execute(select(func.count()).select_from(t.person_history).where(
            t.person_history.c.op_id == op.op_id)).scalar() == 0
    # the same correction alone applies and re-renders E-1
    ok = _op(dup, "mark_not_duplicate", case["version"],
             payload={"reason": "两个人", "id_corrections": {first: good}})
    [res] = PushProcessor(store).process(user, "dev", [ok])
    assert res["status"] == "applied", res
    with store.read() as conn:
        assert store.get_case(conn, err)["version"] == e1 + 1
        assert conn.execute(select(t.op_results.c.seq).where(
            t.op_results.c.op_id == ok.op_id)).scalar() == store.max_seq(conn) > top
        assert conn.execute(select(t.person_history.c.person_id, t.person_history.c.action).where(
            t.person_history.c.op_id == ok.op_id)).all() == [(first, "mark_not_duplicate")]
    store.close()


def test_prepared_statements_compile_for_postgresql_and_sqlite():
    found = [v for mod in (store_mod, lookup_mod) for v in vars(mod).values() if isinstance(v, Prepared)]
    assert len(found) >= 8
    for p in found:
        sql, names, _ = p._prepare(postgresql.dialect())
        assert names is None and "%(" in sql
        sql, names, _ = p._prepare(sqlite.dialect())
        assert names is not None and sql.count("?") == len(names)
