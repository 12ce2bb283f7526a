"""kill -9 a writer at random moments: the file stays sound and edits never lose their outbox/audit rows."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from client.store import AuditEntry, Case, OutboxOp, WrongKeyError, get_state, new_key, open_store, upsert_shadows

ROOT = Path(__file__).resolve().parents[2]
CASES = 40
KILLS = 12

# One saved edit = overlay + outbox op + two audit rows, in one transaction, as the workspace does.
WRITER = r"""
import sys, uuid
from sqlalchemy import update
from client.store import AuditEntry, Case, OutboxOp, get_state, open_store, set_state
path, hexkey, cases = sys.argv[1], sys.argv[2], int(sys.argv[3])
store = open_store(path, bytes.fromhex(hexkey))
print("ready", flush=True)
sys.stdin.readline()  # "go": the parent starts us early so our imports overlap its work
while True:
    with store.write() as s:
        n = get_state(s, "edits", 0) + 1
        case_id = f"E-{n % cases}"
        op_id = str(uuid.uuid4())
        case = s.get(Case, case_id)
        # The new op replaces the case's earlier unsent op, which becomes superseded.
        s.execute(update(OutboxOp).where(OutboxOp.case_id == case_id, OutboxOp.state == "pending")
                  .values(state="superseded"))
        case.overlay = {"op_id": op_id, "edit": n, "name": f"张{n}"}
        case.local_state = "pending"
        s.add(OutboxOp(op_id=op_id, case_id=case_id, action="fix_error", base_version=1,
                       payload={"changes": {"name": {"from": "张三", "to": f"张{n}"}}, "pad": "x" * (n % 3000)},
                       owner="zhangsan", created_at="t"))
        for field in ("name", "note"):
            s.add(AuditEntry(at="t", actor="zhangsan", case_id=case_id, op_id=op_id, field=field,
                             old="张三", new=f"张{n}", reason="户口本"))
        set_state(s, "edits", n)
    print(n, flush=True)
"""


def _check(store) -> int:
    assert store.check_integrity() == []
    with store.read() as session:
        edits = get_state(session, "edits", 0)
        cases = session.execute(select(Case)).scalars().all()
        ops = session.execute(select(OutboxOp)).scalars().all()
        audit = Counter(session.execute(select(AuditEntry.op_id)).scalars())
    assert len(ops) == edits  # every committed edit has exactly one op, no half transactions
    by_op = {op.op_id: op for op in ops}
    assert set(audit) == set(by_op) and set(audit.values()) <= {2}
    pending = Counter(op.case_id for op in ops if op.state == "pending")
    for case in cases:
        if case.overlay is None:
            assert pending[case.id] == 0
            continue
        op = by_op[case.overlay["op_id"]]
        assert op.state == "pending" and op.case_id == case.id
        assert op.payload["changes"]["name"]["to"] == case.overlay["name"]
        assert pending[case.id] == 1
    return edits


@pytest.mark.slow
def test_kill_9_during_writes_never_splits_an_edit(tmp_path, key):
    path = tmp_path / "crash.db"
    with open_store(path, key) as store, store.write() as session:
        upsert_shadows(session, [{"type": "error", "id": f"E-{n}", "version": 1,
                                  "data": {"person": {"name": "张三", "id_number": ""}}} for n in range(CASES)])
    rng = random.Random(20261129)

    def spawn():
        return subprocess.Popen([sys.executable, "-c", WRITER, str(path), key.hex(), str(CASES)],
                                cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def stop(child):
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
        child.wait()
        child.stdin.close()
        child.stdout.close()

    kills, edits = 0, 0
    # Writers start two ahead: their interpreter start-up overlaps the current writer's run.
    upcoming = [spawn(), spawn()]
    try:
        for _ in range(KILLS):
            child = upcoming.pop(0)
            upcoming.append(spawn())
            try:
                assert child.stdout.readline().strip() == "ready"
                child.stdin.write("go\n")
                child.stdin.flush()
                for _ in range(rng.randint(1, 25)):  # let it commit a random number of edits
                    reported = int(child.stdout.readline())
                # A random pause puts the kill anywhere inside the next transaction, fsync included.
                time.sleep(rng.uniform(0, 0.01))
            finally:
                stop(child)
            assert child.returncode == -signal.SIGKILL
            kills += 1
            with open_store(path, key) as store:
                now = _check(store)
            assert now >= reported >= edits  # what the writer saw committed is still there
            edits = now
    finally:
        for child in upcoming:
            stop(child)
    assert kills == KILLS and edits >= kills


REKEYER = r"""
import sys
from client.store import open_store
store = open_store(sys.argv[1], bytes.fromhex(sys.argv[2]))
print("ready", flush=True)
store.rekey(bytes.fromhex(sys.argv[3]))
print("done", flush=True)
"""


@pytest.mark.slow
def test_kill_9_during_rekey_leaves_the_file_under_exactly_one_key(tmp_path, key):
    # A worker must never be locked out of their data: a rekey is all or nothing.
    path = tmp_path / "rekey.db"
    with open_store(path, key) as store:
        with store.write() as session:
            upsert_shadows(session, [{"type": "error", "id": f"E-{n}", "version": 1,
                                      "data": {"person": {"name": "张三"}, "pad": "x" * 2000}} for n in range(4000)])
        current = new_key()
        started = time.monotonic()
        store.rekey(current)  # one undisturbed rekey tells how long one takes on this machine
        duration = time.monotonic() - started
    rng = random.Random(7)
    interrupted = 0
    for _ in range(5):
        other = new_key()
        child = subprocess.Popen([sys.executable, "-c", REKEYER, str(path), current.hex(), other.hex()],
                                 cwd=ROOT, stdout=subprocess.PIPE, text=True)
        try:
            assert child.stdout.readline().strip() == "ready"
            time.sleep(rng.uniform(0, duration * 1.2))  # a random moment inside the rekey
        finally:
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
            interrupted += child.stdout.read().strip() != "done"
            child.stdout.close()
        opens = []
        for candidate in (current, other):
            try:
                with open_store(path, candidate) as store:
                    assert store.check_integrity() == []
                    with store.read() as session:
                        assert len(session.execute(select(Case.id)).scalars().all()) == 4000
                    opens.append(candidate)
            except WrongKeyError:
                pass
        assert len(opens) == 1
        current = opens[0]
    assert interrupted >= 1
