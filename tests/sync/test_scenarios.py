"""The scenarios of SYNC_PROTOCOL.md, each against the real reference server through the fault
proxy, ending with the invariants I1-I9 (tests/support/sync_env.check_invariants)."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import delete, select

from client.store import Case, OutboxOp, upsert_shadows
from client.workspace import ActionNotAllowed, TaskReadOnly, Workspace
from sync.client import errors as E
from sync.client.engine import SyncResult, SyncState
from sync.client.transport import RetryPolicy, Transport
from tests.support.sync_env import (
    FAST,
    check_invariants,
    corrected_id,
    person_of,
    server_tables,
)


def other_valid_id(number: str, seq: str = "123") -> str:
    """A different valid ID number for the same person (another sequence number, the same sex:
    the office's edits go through the rule engine, which refuses a sex that disagrees)."""
    last = int(seq[2])
    if last % 2 != int(number[16]) % 2:
        last = (last + 1) % 10
    return corrected_id(number[:14] + seq[:2] + str(last) + "0")


def wait_for(cond, timeout: float = 5.0) -> None:
    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            raise AssertionError("condition not reached")
        time.sleep(0.01)


def fix_id(ws, cid: str) -> str:
    number = corrected_id(person_of(ws, cid)["id_number"])
    ws.fix_error(cid, {"id_number": number})
    return number


def test_lost_request(open_ws, server, proxy):
    ws = open_ws()
    ws.sync()
    fix_id(ws, "E-1")
    proxy.inject("drop_request", path="/v1/sync/push")
    report = ws.sync()
    assert report.pushed == 1 and len(proxy.faults_seen("drop_request")) == 1
    check_invariants(ws, server)


def test_lost_response_after_commit(open_ws, server, proxy):
    ws = open_ws()
    ws.sync()
    fix_id(ws, "E-1")
    proxy.inject("cut_response", path="/v1/sync/push")
    report = ws.sync()
    assert report.pushed == 1
    done = ws.outbox(include_finished=True)[0]
    assert done.state == "done"
    assert len([e for e in proxy.events if e.path.startswith("/v1/sync/push")]) == 2
    with ws.store.read() as s:
        op = s.execute(select(OutboxOp).where(OutboxOp.op_id == done.op_id)).scalar_one()
        assert op.result["status"] == "duplicate"
    _, _, results = server_tables(server)
    assert results[done.op_id] == "applied"  # applied once; the retry got the stored result
    check_invariants(ws, server)


def test_two_pushes_of_one_batch_at_once(open_ws, server, proxy):
    ws = open_ws()
    ws.sync()
    fix_id(ws, "E-1")
    fix_id(ws, "E-2")
    ops = ws.engine._claim_batch(100, set())
    body = {"device_id": ws.transport.device_id, "client_version": "0.1.0", "ops": ops}
    answers = []

    def push():
        t = Transport(server.url, device_id=ws.transport.device_id, retry=FAST)
        t.auth = ws.auth
        answers.append(t.post("/v1/sync/push", body).data["results"])

    threads = [threading.Thread(target=push) for _ in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(20)
    statuses = sorted(r["status"] for a in answers for r in a)
    assert statuses.count("applied") == 2 and statuses.count("duplicate") == 2
    assert ws.sync().pushed == 2  # the client's own retry gets "duplicate": done
    check_invariants(ws, server)


def test_one_sync_at_a_time(open_ws, server, proxy):
    ws = open_ws()
    ws.sync()
    fix_id(ws, "E-1")
    proxy.inject("delay", path="/v1/sync/push", seconds=0.5)
    errors = []
    th = threading.Thread(target=lambda: ws.sync())
    th.start()
    wait_for(lambda: any(e.path.startswith("/v1/sync/push") for e in proxy.events))
    with pytest.raises(E.SyncInProgress):
        ws.sync()
    th.join(10)
    assert not errors and ws.pending_count() == 0
    check_invariants(ws, server)


def test_same_op_id_with_another_payload(open_ws, server):
    ws = open_ws()
    ws.sync()
    fix_id(ws, "E-1")
    ws.sync()
    op_id = ws.outbox(include_finished=True)[0].op_id
    with ws.store.write() as s:  # a buggy client re-sends the op with other content
        op = s.execute(select(OutboxOp).where(OutboxOp.op_id == op_id)).scalar_one()
        body = dict(op.payload)
        body["changes"] = {"name": {"from": "x", "to": "y"}}
        op.payload = body
        op.state = "pending"
    fix_id(ws, "E-2")  # an innocent op in the same batch still goes through in this sync
    report = ws.sync()
    assert report.rejected == ["E-1"] and report.pushed == 1
    item = ws.outbox()[0]
    assert item.state == "rejected" and item.last_error == "idempotency_key_reused"
    assert ws.task("E-1").errors[0]["code"] == "idempotency_key_reused"


def test_office_edits_another_field(open_ws, office, server):
    ws = open_ws()
    ws.sync()
    fix_id(ws, "E-1")
    pid = person_of(ws, "E-1")["person_id"]
    office.edit_person(pid, {"former_name": "张明"})
    report = ws.sync()
    assert report.pushed == 1 and "E-1" in report.merged
    assert ws.outbox(include_finished=True)[0].state == "done"
    final = office.api.get(f"/v1/admin/persons/{pid}").json()
    assert final["former_name"] == "张明"
    check_invariants(ws, server)


def test_office_edits_the_same_field_then_resolve(open_ws, office, server):
    ws = open_ws()
    ws.sync()
    person = person_of(ws, "E-1")
    mine = fix_id(ws, "E-1")
    first = ws.outbox()[0].op_id
    theirs = other_valid_id(person["id_number"])
    office.edit_person(person["person_id"], {"id_number": theirs})
    report = ws.sync()
    assert report.conflicts == ["E-1"] and report.pushed == 0
    view = ws.task("E-1")
    assert view.status == "conflict"
    f = view.conflict["fields"]["id_number"]
    assert (f["base"], f["server"], f["mine"]) == (person["id_number"], theirs, mine)
    assert view.data["person"]["id_number"] == mine  # the overlay stays visible
    with pytest.raises(ActionNotAllowed):
        ws.resolve_conflict("E-1", {})  # every conflicting field needs a choice
    ws.resolve_conflict("E-1", {"id_number": "mine"})
    assert ws.sync().pushed == 1
    final = office.api.get(f"/v1/admin/persons/{person['person_id']}").json()
    assert final["id_number"] == mine
    states = {o.op_id: o.state for o in ws.outbox(include_finished=True)}
    assert states[first] == "superseded"
    check_invariants(ws, server, stale_ops={first})


def test_resolving_while_the_server_moved_again(open_ws, office, server):
    ws = open_ws()
    ws.sync()
    person = person_of(ws, "E-1")
    fix_id(ws, "E-1")
    office.edit_person(person["person_id"], {"id_number": other_valid_id(person["id_number"])})
    ws.sync()
    ws.resolve_conflict("E-1", {"id_number": "mine"})
    third = other_valid_id(person["id_number"], "456")
    office.edit_person(person["person_id"], {"id_number": third})
    report = ws.sync()
    assert report.conflicts == ["E-1"]
    assert ws.task("E-1").conflict["fields"]["id_number"]["server"] == third
    ws.resolve_conflict("E-1", {"id_number": "server"})  # accept the office's value
    view = ws.task("E-1")
    assert view.status == "open" and view.overlay is None and ws.pending_count() == 0
    ws.sync()
    check_invariants(ws, server)


def test_chained_edits_whose_first_conflicts(open_ws, office, server, proxy):
    ws = open_ws(retry=RetryPolicy(base=0.01, cap=0.05, max_attempts=1))
    ws.sync()
    person = person_of(ws, "E-1")
    mine = fix_id(ws, "E-1")
    office.edit_person(person["person_id"], {"id_number": other_valid_id(person["id_number"])})
    proxy.inject("cut_response", path="/v1/sync/push")
    with pytest.raises(E.ConnectionLost):
        ws.sync()  # the server stored "conflict"; the client did not hear it
    ws.fix_error("E-1", {"former_name": "张明"})
    a, b = ws.outbox()
    assert b.prev_op_id == a.op_id and a.attempts == 1 and b.attempts == 0
    report = ws.sync()
    assert report.conflicts == ["E-1"]
    assert [o.state for o in ws.outbox()] == ["conflict", "pending"]
    assert ws.outbox()[1].attempts == 0  # held behind the conflict, never sent
    ws.resolve_conflict("E-1", {"id_number": "mine"})
    assert ws.sync().pushed == 1
    final = office.api.get(f"/v1/admin/persons/{person['person_id']}").json()
    assert final["id_number"] == mine and final["former_name"] == "张明"
    states = [o.state for o in ws.outbox(include_finished=True)]
    assert states == ["superseded", "superseded", "done"]
    check_invariants(ws, server, stale_ops={a.op_id})


def test_case_withdrawn_with_an_edit_pending(open_ws, office, server):
    ws = open_ws()
    ws.sync()
    mine = fix_id(ws, "E-1")
    office.withdraw("E-1")
    office.withdraw("E-2")
    report = ws.sync()
    assert report.gone == ["E-1"]
    view = ws.task("E-1")
    assert view.status == "gone" and view.removed["reason"] == "withdrawn"
    assert view.data["person"]["id_number"] == mine and view.pending_ops == 1  # still visible
    assert not view.editable
    assert ws.outbox()[0].state == "gone"
    with pytest.raises(TaskReadOnly):
        ws.fix_error("E-1", {"former_name": "x"})
    assert ws.task("E-2").status == "archived"  # nothing pending: read-only list
    check_invariants(ws, server)
    ws.discard("E-1")
    assert ws.task("E-1").status == "archived" and ws.pending_count() == 0


def test_case_reassigned_to_and_from_the_worker(open_ws, office, server):
    ws = open_ws()
    ws.sync()
    fix_id(ws, "E-2")
    office.reassign("E-2", "dora")  # with an edit pending
    office.reassign("E-3", "dora")  # with nothing pending
    report = ws.sync()
    assert report.gone == ["E-2"]
    gone = ws.task("E-2")
    assert gone.removed["reason"] == "reassigned" and gone.removed.get("to") == "dora"
    assert gone.pending_ops == 1 and ws.task("E-3").status == "archived"
    check_invariants(ws, server)
    office.reassign("E-3", "alice")  # and back to the worker
    ws.sync()
    back = ws.task("E-3")
    assert back.status == "open" and back.removed is None and back.editable
    check_invariants(ws, server)


def test_expired_cursor_rebootstraps_and_keeps_the_outbox(open_ws, office, live_server_factory,
                                                          tmp_path):
    server = live_server_factory(change_retention_seconds=60)
    ws = Workspace.login(tmp_path / "d2", server.url, "alice", "alice-pw",
                         key_cost={"n": 2 ** 10}, retry=FAST)
    try:
        ws.sync()
        mine = fix_id(ws, "E-1")
        office2 = type(office)(server)
        office2.edit_person(person_of(ws, "E-2")["person_id"], {"former_name": "王娟"})
        server.clock.advance(seconds=3600)
        admin = server.client("admin")
        assert admin.post("/v1/admin/compact", {}).status_code == 200
        result = SyncResult()
        ws.engine.pull(SyncState(), result)  # 410 -> re-bootstrap
        assert result.bootstrapped and result.digest_ok
        assert ws.outbox()[0].attempts == 0 and ws.task("E-1").data["person"]["id_number"] == mine
        assert ws.task("E-2").shadow["person"]["former_name"] == "王娟"
        assert ws.sync().pushed == 1
        check_invariants(ws, server)
    finally:
        ws.close()


def test_local_row_lost_is_repaired_by_digest(open_ws, server):
    ws = open_ws()
    ws.sync()
    with ws.store.write() as s:
        s.execute(delete(Case).where(Case.id == "E-3"))
        upsert_shadows(s, [{"type": "error", "id": "E-999", "version": 1,
                            "data": {"person": {"name": "多余"}}}])
    report = ws.sync()
    assert report.digest_ok and report.bootstrapped
    assert ws.task("E-3").status == "open"
    assert ws.task("E-999").status == "archived"
    check_invariants(ws, server)


def test_token_expiry_during_parallel_calls(open_ws, server):
    ws = open_ws()
    ws.sync()
    server.clock.advance(seconds=16 * 60)  # the server no longer accepts the access token
    statuses = []
    barrier = threading.Barrier(6)

    def call():
        barrier.wait()
        statuses.append(ws.transport.get("/v1/sync/manifest").status)

    threads = [threading.Thread(target=call) for _ in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(20)
    assert statuses == [200] * 6
    assert ws.auth.refresh_count == 1  # one refresh; the other 401s waited and retried


def test_lost_refresh_response(open_ws, server, proxy):
    ws = open_ws()
    ws.sync()
    ws.auth.expire_access_token()
    proxy.inject("cut_response", path="/v1/auth/refresh")
    assert ws.sync().digest_ok  # the retry with the old token got the same new pair
    assert len(proxy.faults_seen("cut_response")) == 1 and ws.auth.refresh_count == 1


def test_client_clock_off_by_days(open_ws, office, server, monkeypatch):
    import client.workspace.outbox as W
    monkeypatch.setattr(W, "utc_now", lambda: "2020-01-01T00:00:00.000+00:00")
    server.clock.advance(days=3)  # and the server's clock is days ahead of the client
    ws = open_ws()
    ws.sync()
    fix_id(ws, "E-1")
    assert ws.sync().pushed == 1
    case = type(office)(server).case("E-1")  # the office logs in on the server's new day
    assert case["resolution"]["client_edited_at"].startswith("2020-01-01")
    assert case["history"][-1]["at"] > "2021"
    check_invariants(ws, server)


def test_slow_lossy_link_with_hangs(open_ws, server, proxy):
    ws = open_ws(timeout=(1.0, 0.4), deadline=3.0, page_limit=2,
                 retry=RetryPolicy(base=0.01, cap=0.05, max_attempts=8))
    proxy.set_random({"hang": 0.08, "drop_request": 0.08, "cut_response": 0.08,
                      "delay": 0.1, "truncate": 0.05},
                     params={"hang": {"seconds": 3}, "delay": {"seconds": 0.05}}, seed=11)
    for _ in range(10):
        try:
            ws.sync()
            break
        except E.SyncError as exc:
            assert exc.retryable, exc
    for cid in ("E-1", "E-2", "E-3"):
        fix_id(ws, cid)
    ws.cannot_verify("E-4", "unverifiable")
    for _ in range(20):
        try:
            ws.sync()
            if ws.pending_count() == 0:
                break
        except E.SyncError as exc:
            assert exc.retryable, exc
    proxy.clear()
    ws.sync()
    assert ws.pending_count() == 0
    assert proxy.faults_seen()
    check_invariants(ws, server)


def test_503_and_429_with_retry_after(open_ws, server, proxy):
    ws = open_ws(retry=RetryPolicy(base=0.001, cap=5, max_attempts=4))
    ws.sync()
    fix_id(ws, "E-1")
    proxy.inject("status", path="/v1/sync/push", status=503, retry_after=0.3)
    proxy.inject("status", path="/v1/sync/changes", status=429, retry_after=0.2)
    # The server's own fault hook (HTTP only on training servers), set in-process.
    server.app.state.hecha.faults.add("/v1/sync/changes", 503, 1, 0)
    start = time.monotonic()
    report = ws.sync()
    assert time.monotonic() - start >= 0.5
    assert report.pushed == 1
    check_invariants(ws, server)


def test_truncated_or_corrupt_bodies(open_ws, server, proxy, office):
    proxy.inject("truncate", path="/v1/sync/bootstrap", fraction=0.5)
    proxy.inject("corrupt", path="/v1/sync/bootstrap", bytes=40)
    ws = open_ws()
    assert ws.sync().digest_ok
    office.edit_person(person_of(ws, "E-2")["person_id"], {"former_name": "王娟"})
    proxy.inject("truncate", path="/v1/sync/changes", fraction=0.3)
    proxy.inject("corrupt", path="/v1/sync/push", bytes=20)
    fix_id(ws, "E-1")
    report = ws.sync()
    assert report.pushed == 1 and report.digest_ok
    assert ws.task("E-2").shadow["person"]["former_name"] == "王娟"
    check_invariants(ws, server)


def test_window_closed_mid_sync(open_ws, server, proxy, tmp_path):
    ws = open_ws(timeout=(2.0, 20.0), deadline=30.0)
    ws.sync()
    fix_id(ws, "E-1")
    proxy.inject("hang", path="/v1/sync/changes")
    outcome = []

    def run():
        try:
            ws.sync()
            outcome.append("ok")
        except E.SyncError as exc:
            outcome.append(exc.code)

    th = threading.Thread(target=run)
    th.start()
    wait_for(lambda: any("/v1/sync/changes" in e.path for e in proxy.events))
    start = time.monotonic()
    ws.close()  # the worker closes the window
    th.join(5)
    assert not th.is_alive() and time.monotonic() - start < 3
    assert outcome == ["cancelled"]
    ws = Workspace.unlock(tmp_path / "data", "alice", "alice-pw",
                          transport_options={"retry": FAST})
    try:
        assert ws.outbox(include_finished=True)[0].state == "done"  # pushed before the hang
        ws.sync()
        check_invariants(ws, server)
    finally:
        ws.close()


def test_progress_and_cancel_then_resume_bootstrap(open_ws, server, proxy):
    ws = open_ws(page_limit=1)
    seen = []

    def progress(state: SyncState) -> None:
        seen.append((state.phase, state.pages))
        if state.pages == 2:
            state.cancel()

    with pytest.raises(E.SyncCancelled):
        ws.sync(SyncState(on_progress=progress))
    assert ("bootstrap", 2) in seen
    assert len(ws.tasks()) == 2  # the pages written before the cancel are kept
    ws.engine.wait_idle()  # the prefetches have settled
    proxy.reset_stats()
    report = ws.sync()
    assert report.digest_ok and len(ws.tasks()) == 6
    pages = [e for e in proxy.events if e.path.startswith("/v1/sync/bootstrap")]
    # resumed after page 2, not restarted: pages 3-6 once each. A request repeated after a read
    # timeout (a loaded CI machine) asks for the same page again and is not a restart.
    assert len({e.path for e in pages}) == 4, [(e.path, e.fault, e.status) for e in pages]
    check_invariants(ws, server)


def _tamper_first_op(ws, **changes) -> str:
    with ws.store.write() as s:
        op = s.execute(select(OutboxOp).where(OutboxOp.state == "pending")
                       .order_by(OutboxOp.seq)).scalars().first()
        for k, v in changes.items():
            if k == "changes":
                op.payload = {**op.payload, "changes": v}
            else:
                setattr(op, k, v)
        return op.op_id


def test_server_rejection_is_shown_and_a_new_edit_fixes_it(open_ws, server):
    ws = open_ws()
    ws.sync()
    number = corrected_id(person_of(ws, "E-1")["id_number"])
    ws.fix_error("E-1", {"id_number": number})
    # the server's rule engine refuses what a (buggy or older) client let through
    _tamper_first_op(ws, changes={"id_number": {"from": None, "to": number[:17] + "Y"}})
    report = ws.sync()
    assert report.rejected == ["E-1"]
    view = ws.task("E-1")
    assert view.status == "rejected" and view.errors and view.pending_ops == 1
    ws.fix_error("E-1", {"former_name": "张明"})  # the fix is a new op with the whole intent
    box = ws.outbox(include_finished=True)
    assert [o.state for o in box] == ["superseded", "pending"]
    assert set(box[1].changes) == {"id_number", "former_name"} and box[1].prev_op_id is None
    assert ws.sync().pushed == 1
    check_invariants(ws, server)


def test_blocked_op_waits_visible(open_ws, server):
    ws = open_ws()
    ws.sync()
    fix_id(ws, "E-1")
    _tamper_first_op(ws, prev_op_id="00000000-0000-4000-8000-000000000000")
    report = ws.sync()
    assert report.blocked == ["E-1"] and ws.pending_count() == 1
    assert ws.outbox()[0].state == "blocked"
    ws.discard("E-1")  # a blocked op was never applied: it may be dropped
    assert ws.pending_count() == 0 and ws.task("E-1").status == "open"
    check_invariants(ws, server)


def test_forbidden_op_is_kept_as_gone(open_ws, server):
    ws = open_ws()
    ws.sync()
    fix_id(ws, "E-1")
    _tamper_first_op(ws, case_id="E-5")  # bob's case, outside alice's jurisdiction
    report = ws.sync()
    assert report.gone == ["E-5"]
    item = ws.outbox()[0]
    assert item.state == "gone" and item.last_error == "forbidden"


def test_birth_conflict_resolved_by_resubmitting(open_ws, office, server):
    ws = open_ws()
    ws.sync()
    view = ws.task("B-1")
    relation = "20" if view.data["proposed"]["sex"] == "1" else "30"
    ws.confirm_birth("B-1", {"name": "张小花"}, household_id="H-1", relation=relation)
    mother = view.data["mother"]
    office.edit_person(mother["person_id"], {"former_name": "高杰"})  # the mother changed
    report = ws.sync()
    assert report.conflicts == ["B-1"], report
    assert "mother" in ws.task("B-1").conflict["fields"]
    ws.resolve_conflict("B-1", {"keep": True})  # seen the change: confirm again on it
    assert ws.sync().pushed == 1
    assert office.case("B-1")["status"] == "completed"
    check_invariants(ws, server)


def test_client_too_old_blocks_sync_but_keeps_the_outbox(open_ws, server):
    ws = open_ws()
    ws.sync()
    fix_id(ws, "E-1")
    server.config.min_client_version = "99.0.0"  # the province requires an upgrade
    with pytest.raises(E.ClientTooOld) as ei:
        ws.sync()
    assert "版本过旧" in ei.value.message
    assert ws.pending_count() == 1 and ws.task("E-1").status == "pending"
    server.config.min_client_version = "0.1.0"
    assert ws.sync().pushed == 1
    check_invariants(ws, server)
