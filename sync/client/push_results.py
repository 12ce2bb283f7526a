"""The push side of a sync cycle: the wire form of an outbox op, and the server's results applied
to the outbox, the shadows and the cases."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from sqlalchemy import select

from client import lifecycle
from client.lifecycle import UNFINISHED
from client.store import Case, OutboxOp, Store, upsert_shadows, utc_now
from sync import protocol as P
from sync.client import errors as E

if TYPE_CHECKING:
    from sync.client.engine import SyncResult


def wire_op(op: OutboxOp) -> dict[str, Any]:
    """The protocol form of an outbox row (payload column holds changes/payload/edited_at)."""
    body = op.payload or {}
    out: dict[str, Any] = {"op_id": op.op_id, "record_id": op.case_id, "action": op.action,
                           "base_version": op.base_version}
    if op.prev_op_id:
        out["prev_op_id"] = op.prev_op_id
    if body.get("changes") is not None:
        out["changes"] = body["changes"]
    if body.get("payload") is not None:
        out["payload"] = body["payload"]
    if body.get("client_edited_at"):
        out["client_edited_at"] = body["client_edited_at"]
    return out


def parse_push(data: Any, ops: list[dict[str, Any]]) -> list[P.OpResult]:
    try:
        parsed = P.PushResponse.model_validate(data)
    except ValidationError as exc:
        raise E.BadResponse(f"push response: {str(exc)[:200]}") from exc
    if [r.op_id for r in parsed.results] != [o["op_id"] for o in ops]:
        raise E.BadResponse("push results do not match the ops sent")
    return parsed.results


def apply_results(store: Store, results: list[P.OpResult], result: SyncResult) -> None:
    """One transaction for the whole batch: op states, shadows (forward only, in bulk),
    chain rebasing and case states. Per-op queries here cost more than the network."""
    with store.write() as s, s.no_autoflush:
        ids = [r.op_id for r in results]
        rows = {o.op_id: o for o in s.execute(
            select(OutboxOp).where(OutboxOp.op_id.in_(ids))).scalars()}
        records = []
        for res in results:
            rec = res.record if res.status in P.DONE_STATUSES else (
                res.server_record if res.status == "conflict" else None)
            if rec is not None:
                records.append({"type": rec.type, "id": rec.id, "version": rec.version,
                                "data": rec.data})
        if records:
            s.flush()
            upsert_shadows(s, records)
        case_ids = list({o.case_id for o in rows.values()})
        cases = {c.id: c for c in s.execute(
            select(Case).where(Case.id.in_(case_ids))).scalars()}
        chains: dict[str, list[OutboxOp]] = {}
        for o in s.execute(select(OutboxOp).where(OutboxOp.case_id.in_(case_ids),
                                                  OutboxOp.state.in_(UNFINISHED))
                           .order_by(OutboxOp.seq)).scalars():
            chains.setdefault(o.case_id, []).append(o)
        finished_cases: set[str] = set()
        for res in results:
            op = rows[res.op_id]
            apply_one(op, cases.get(op.case_id), res, result)
            if op.state == lifecycle.OpState.DONE:
                finished_cases.add(op.case_id)
                nxt = next((o for o in chains.get(op.case_id, ())
                            if o.seq > op.seq and o.state in UNFINISHED), None)
                new_version = res.new_version or (res.record.version if res.record else None)
                if nxt is not None and not nxt.attempts and new_version is not None:
                    # Not yet sent, so still editable: rebase it on the version our op
                    # produced, so our own earlier change does not count as someone else's.
                    nxt.base_version = new_version
        for cid in finished_cases:
            case = cases.get(cid)
            if case is not None and not any(o.state in UNFINISHED
                                             for o in chains.get(cid, ())):
                lifecycle.finished(case)


def apply_one(op: OutboxOp, case: Case | None, res: P.OpResult, result: SyncResult) -> None:
    """The server's answer to one op, on the op and its case (the lifecycle's transitions)."""
    status = res.status
    op.result = res.model_dump(mode="json", exclude_none=True)
    result.changed.add(op.case_id)
    error = {"blocked": f"blocked by {res.blocked_by}",
             "rejected": "; ".join(e.code for e in res.errors or [])[:500]}.get(
                 status, res.reason or status)
    lifecycle.settle(op, status, utc_now(), error=error)
    if op.state == lifecycle.OpState.DONE:
        result.pushed += 1
        if status == "applied_with_merge" or res.original_status == "applied_with_merge":
            result.merged[op.case_id] = list(res.merged_fields or [])
        return
    {lifecycle.OpState.CONFLICT: result.conflicts, lifecycle.OpState.BLOCKED: result.blocked,
     lifecycle.OpState.REJECTED: result.rejected,
     lifecycle.OpState.GONE: result.gone}[lifecycle.OpState(op.state)].append(op.case_id)
    if case is not None and op.state in lifecycle.STUCK:
        lifecycle.op_stuck(case, op.state, removed={
            "reason": res.reason or status, "to": res.to, "at": utc_now(), "by": "push"})
