"""The case and outbox lifecycle (client/lifecycle.py): an op sent whose outcome is unknown is
"sending", not "pending" — never folded, never discarded — until the server's answer settles it;
the one tombstone rule decides a moved case's state."""

from __future__ import annotations

import threading

import pytest

from client.lifecycle import CaseState, OpState, after_pull
from client.workspace import ActionNotAllowed
from sync.client import errors as E
from sync.client.engine import SyncState
from sync.client.transport import RetryPolicy
from tests.support.sync_env import check_invariants, corrected_id, person_of


def test_an_op_sent_without_an_answer_is_sending_until_the_next_sync(open_ws, server, proxy):
    ws = open_ws(retry=RetryPolicy(base=0.01, cap=0.05, max_attempts=1))
    ws.sync()
    ws.fix_error("E-1", {"id_number": corrected_id(person_of(ws, "E-1")["id_number"])})
    assert [(o.state, o.attempts) for o in ws.outbox()] == [("pending", 0)]
    proxy.inject("cut_response", path="/v1/sync/push")
    with pytest.raises(E.ConnectionLost):
        ws.sync()  # the server applied it; the client did not hear the answer
    (sent,) = ws.outbox()
    assert sent.state == OpState.SENT == "sending" and sent.attempts == 1
    assert ws.task("E-1").status == "pending" and ws.pending_count() == 1
    with pytest.raises(ActionNotAllowed):
        ws.discard("E-1")  # its outcome is unknown: only the next sync can settle it
    ws.fix_error("E-1", {"former_name": "张明"})  # never folded into the sent op: chained
    first, second = ws.outbox()
    assert first.op_id == sent.op_id and first.changes == sent.changes
    assert second.state == "pending" and second.prev_op_id == sent.op_id
    report = ws.sync()
    assert report.pushed == 2 and ws.pending_count() == 0
    assert [o.state for o in ws.outbox(include_finished=True)] == ["done", "done"]
    assert ws.task("E-1").status == "done"
    check_invariants(ws, server)


@pytest.mark.parametrize("local_state, removed, unfinished, expected", [
    ("open", {"reason": "withdrawn"}, False, CaseState.ARCHIVED),
    ("done", {"reason": "out_of_scope"}, False, CaseState.DONE),
    ("open", {"reason": "completed"}, False, CaseState.DONE),
    ("pending", {"reason": "reassigned"}, True, None),   # the worker decides (export, discard)
    ("archived", None, False, CaseState.OPEN),           # assigned again
    ("gone", None, True, None),
    ("pending", None, True, None),
    ("open", None, False, None),
])
def test_the_one_rule_for_a_moved_case(local_state, removed, unfinished, expected):
    assert after_pull(local_state, removed, unfinished) == expected



def test_the_worker_saves_while_a_sync_writes_from_its_own_thread(open_ws, server):
    # One writer at a time, not one writer thread (client/store/database.py): the sync writes its
    # pages from its own thread, the worker's save commits from another one between two pages.
    ws = open_ws(page_limit=1)
    paused, resume = threading.Event(), threading.Event()

    def progress(state: SyncState) -> None:  # on the sync's thread, between two page writes
        if state.phase == "bootstrap" and not paused.is_set() and ws.count(kind="error"):
            paused.set()
            assert resume.wait(10)

    reports: list = []
    syncing = threading.Thread(target=lambda: reports.append(ws.sync(SyncState(on_progress=progress))))
    syncing.start()
    try:
        assert paused.wait(10)
        task = ws.tasks(kind="error")[0]
        ws.fix_error(task.id, {"id_number": corrected_id(task.data["person"]["id_number"])})
    finally:
        resume.set()
        syncing.join(10)
    assert reports and reports[0].digest_ok and len(ws.tasks()) == 6
    assert ws.task(task.id).status == "pending" and ws.pending_count() == 1
    assert ws.sync().pushed == 1
    check_invariants(ws, server)
