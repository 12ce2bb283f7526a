"""Push: a batch of ops applied in one write transaction, each op's effect committed together with its
stored result (exactly once).

Per-op outcomes follow SYNC_PROTOCOL.md: applied, duplicate, applied_with_merge, conflict, blocked,
rejected, gone, forbidden. Every outcome except `blocked` is final and stored for ever.

A batch takes the writer lock once and reads what it needs in set-based queries: the stored results
of its op_ids and of the ops they are chained after, its cases, the persons and households those show
(with the households' members) and the case links of those (the batch's lookup, sync.server.lookup).
Each op runs in its own savepoint, so a rejected or conflicting op leaves no partial effect, and sees
what the ops before it in the batch did. The ops' stored results, their audit entries (one head read
per batch, chained in memory) and the person history rows (read by nothing during a push) are written
with executemany before the one commit: an op's effect
and its stored result commit together, and a batch that dies half-way applies nothing of the batch
(the client sends it again and gets every result).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection, insert, select

from sync.protocol import DONE_STATUSES, ErrorCode, Op
from sync.protocol.actions import KIND_OF, PAYLOADS
from sync.server import schema as t
from sync.server.audit import AuditLog
from sync.server.errors import ApiError
from sync.server.lookup import chunks
from sync.server.op_actions import ActionContext, Outcome, err
from sync.server.store import Store, dumps, iso

_APPLIED = ("applied", "applied_with_merge")


def op_hash(op: Op) -> str:
    body = op.model_dump(by_alias=True, exclude={"client_edited_at"})
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


class InFlight:
    """op_ids being processed right now (409 request_in_progress for a second batch holding them)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ids: set[str] = set()

    def claim(self, op_ids: list[str]) -> bool:
        with self._lock:
            if self._ids.intersection(op_ids):
                return False
            self._ids.update(op_ids)
            return True

    def release(self, op_ids: list[str]) -> None:
        with self._lock:
            self._ids.difference_update(op_ids)


class _Batch:
    """The stored results a batch knows: those committed before it (read once, set-based) and those
    of its own ops so far (written by executemany before the commit)."""

    def __init__(self, conn: Connection, op_ids: set[str]) -> None:
        self.known: dict[str, dict[str, Any]] = {}
        for chunk in chunks(op_ids):
            for r in conn.execute(select(t.op_results).where(t.op_results.c.op_id.in_(chunk))):
                self.known[r.op_id] = dict(r._mapping)
        self.new: list[dict[str, Any]] = []

    def add(self, row: dict[str, Any]) -> None:
        self.known[row["op_id"]] = row
        self.new.append(row)

    def write(self, conn: Connection) -> None:
        if self.new:
            conn.execute(insert(t.op_results), self.new)


class PushProcessor:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.inflight = InFlight()
        self.audit: AuditLog | None = None   # set by the app

    def check_batch(self, user: dict[str, Any], ops: list[Op]) -> dict[str, str]:
        """422 if any op_id was used before with another payload (or twice in this batch).
        Returns each op_id's payload hash."""
        seen: dict[str, str] = {}
        for op in ops:
            h = op_hash(op)
            if seen.get(op.op_id, h) != h:
                raise ApiError(422, ErrorCode.IDEMPOTENCY_KEY_REUSED,
                               f"操作编号 {op.op_id} 在同一批次中内容不同", op_id=op.op_id)
            seen[op.op_id] = h
        with self.store.read() as conn:
            for chunk in chunks(seen):
                rows = conn.execute(select(t.op_results.c.op_id, t.op_results.c.payload_hash,
                                           t.op_results.c.username).where(t.op_results.c.op_id.in_(chunk)))
                for r in rows:
                    if r.payload_hash != seen[r.op_id] or r.username != user["username"]:
                        raise ApiError(422, ErrorCode.IDEMPOTENCY_KEY_REUSED,
                                       f"操作编号 {r.op_id} 已用于另一项操作", op_id=r.op_id)
        return seen

    def process(self, user: dict[str, Any], device_id: str, ops: list[Op]) -> list[dict[str, Any]]:
        hashes = self.check_batch(user, ops)
        ids = list(hashes)
        if not self.inflight.claim(ids):
            raise ApiError(409, ErrorCode.REQUEST_IN_PROGRESS, "同一批操作正在处理中，请稍后重试",
                           headers={"Retry-After": "1"})
        try:
            return self.apply_batch(user, device_id, ops, hashes)
        finally:
            self.inflight.release(ids)

    def apply_batch(self, user: dict[str, Any], device_id: str, ops: list[Op],
                    hashes: dict[str, str]) -> list[dict[str, Any]]:
        """Every op of the batch in one write transaction (see the module's docstring)."""
        store = self.store
        out = []
        # The writer lock is held: no other writer (thread or process) can store these op_ids meanwhile.
        with store.write() as conn, store.op_lookup(conn) as lk:
            batch = _Batch(conn, {op.op_id for op in ops} | {op.prev_op_id for op in ops if op.prev_op_id})
            lk.prefetch(op.record_id for op in ops)
            seq = store.max_seq(conn)   # the newest change-log seq, as each op leaves it
            chain = self.audit.chain(conn) if self.audit is not None else None
            for op in ops:
                h = hashes[op.op_id]
                stored = batch.known.get(op.op_id)
                if stored is not None:
                    out.append(self._replay(stored, h, op, user))
                    continue
                lk.last_seq = None
                result = self._decide(conn, batch, user, device_id, op)
                result["op_id"] = op.op_id
                seq = lk.last_seq if lk.last_seq is not None else seq
                if chain is not None:   # 工作留痕: the op and its outcome commit together
                    chain.add(actor=user["username"], role=user["role"], address=user.get("_address", ""),
                              device=device_id, action=f"op:{op.action}", target=op.record_id,
                              outcome=result["status"], detail={"op_id": op.op_id, "base_version": op.base_version})
                if result["status"] != "blocked":
                    batch.add({"op_id": op.op_id, "username": user["username"], "record_id": op.record_id,
                               "payload_hash": h, "status": result["status"], "result": dumps(result),
                               "at": iso(store.now()), "seq": seq})
                out.append(result)
            batch.write(conn)
            if chain is not None:
                chain.write()
        return out

    @staticmethod
    def _replay(stored: dict[str, Any], h: str, op: Op, user: dict[str, Any]) -> dict[str, Any]:
        # Another user's op_id is never replayed to this one (it would leak that user's record).
        if stored["payload_hash"] != h or stored["username"] != user["username"]:
            raise ApiError(422, ErrorCode.IDEMPOTENCY_KEY_REUSED,
                           f"操作编号 {op.op_id} 已用于另一项操作", op_id=op.op_id)
        result: dict[str, Any] = json.loads(stored["result"])
        if result["status"] in DONE_STATUSES:
            result["original_status"] = result["status"]
            result["status"] = "duplicate"
        return result

    # ------------------------------------------------------------ decisions

    def _decide(self, conn: Connection, batch: _Batch, user: dict[str, Any], device_id: str,
                op: Op) -> dict[str, Any]:
        store = self.store
        case = store.get_case(conn, op.record_id)
        # Access first: never reveal anything about a case outside the user's reach.
        if case is None or not case["place"].startswith(user["jurisdiction"]):
            if case is not None and store.was_assigned(conn, case["case_id"], user["username"]):
                return {"status": "gone", "reason": "out_of_scope"}
            return {"status": "forbidden", "message": "该任务不在您的辖区内"}
        if case["assigned_to"] != user["username"]:
            if store.was_assigned(conn, case["case_id"], user["username"]):
                if case["status"] in ("withdrawn", "deleted"):
                    return {"status": "gone", "reason": case["status"]}
                return {"status": "gone", "reason": "reassigned", "to": case["assigned_to"]}
            return {"status": "forbidden", "message": "该任务未分配给您"}
        if op.prev_op_id:
            blocker = self._blocker(conn, batch, user, op)
            if blocker:
                return {"status": "blocked", "blocked_by": blocker}
        if case["status"] in ("withdrawn", "deleted"):
            return {"status": "gone", "reason": case["status"]}
        if case["status"] == "completed" and case["completed_by"] != user["username"]:
            return {"status": "gone", "reason": "completed"}
        if op.action not in PAYLOADS:
            return {"status": "rejected", "errors": [err("unknown_action", f"未知操作 {op.action}")]}
        if KIND_OF[op.action] != case["kind"]:
            return {"status": "rejected", "errors": [err(
                "action_kind_mismatch", f"操作 {op.action} 不适用于此类任务", kind=case["kind"])]}
        if op.base_version > case["version"]:
            return {"status": "rejected", "errors": [err(
                "bad_base_version", "基准版本号大于服务器版本", server_version=case["version"])]}
        try:
            payload = PAYLOADS[op.action].model_validate(op.payload or {})
        except ValidationError as exc:
            return {"status": "rejected", "errors": [
                err("invalid_payload", e["msg"], [".".join(str(x) for x in e["loc"])])
                for e in exc.errors(include_url=False, include_input=False)]}
        if op.action != "fix_error" and op.changes:
            return {"status": "rejected", "errors": [err("unexpected_changes", "此操作不接受字段修改")]}
        ctx = ActionContext(store, conn, user, device_id, op, case, payload)
        # A savepoint: an op that ends rejected/conflict half-way leaves no partial effect behind.
        # Plain SQL (SQLite and PostgreSQL alike): SQLAlchemy's begin_nested costs ~0.4 ms per op.
        # Any other exception ends the whole transaction, savepoint included.
        lk = store.lookup(conn)
        mark = len(lk.person_history)
        conn.exec_driver_sql("SAVEPOINT hecha_op")
        try:
            handler: Callable[[], dict[str, Any]] = getattr(ctx, op.action)  # one method per action
            result = handler()
        except Outcome as out:
            conn.exec_driver_sql("ROLLBACK TO SAVEPOINT hecha_op")
            conn.exec_driver_sql("RELEASE SAVEPOINT hecha_op")
            lk.rolled_back(mark)    # it may hold what the savepoint just undid
            return out.result
        conn.exec_driver_sql("RELEASE SAVEPOINT hecha_op")
        return result

    @staticmethod
    def _blocker(conn: Connection, batch: _Batch, user: dict[str, Any], op: Op) -> str | None:
        prev = batch.known.get(op.prev_op_id or "")
        if prev is None:
            return op.prev_op_id
        if prev["status"] in ("conflict", "rejected"):
            # Resolved when a later op of this user on the same case has been applied (before this
            # batch, or earlier in it).
            def resolves(r: dict[str, Any]) -> bool:
                return (r["record_id"] == prev["record_id"] and r["username"] == user["username"]
                        and r["status"] in _APPLIED and r["seq"] > prev["seq"])
            if any(resolves(r) for r in batch.new):
                return None
            later = conn.execute(select(t.op_results.c.op_id).where(
                t.op_results.c.record_id == prev["record_id"], t.op_results.c.username == user["username"],
                t.op_results.c.status.in_(_APPLIED), t.op_results.c.seq > prev["seq"]).limit(1)).first()
            if later is None:
                return op.prev_op_id
        return None
