"""The local outbox of one case: fold an edit into the unsent op, chain it behind a sent one, or
start afresh after a stuck one; the overlay the worker sees; the audit trail."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from client import lifecycle
from client.lifecycle import STUCK, UNFINISHED, OpState
from client.store import AuditEntry, Case, OutboxOp, reindex_case, utc_now, with_overlay
from client.workspace.errors import ActionNotAllowed


def ops_of(s: Session, case_id: str) -> list[OutboxOp]:
    return list(s.execute(select(OutboxOp).where(OutboxOp.case_id == case_id)
                          .order_by(OutboxOp.seq)).scalars())


def has_unfinished(s: Session, case_id: str) -> bool:
    return s.execute(select(OutboxOp.op_id).where(OutboxOp.case_id == case_id,
                                                  OutboxOp.state.in_(UNFINISHED))
                     .limit(1)).first() is not None


def unfinished_ops(s: Session, case_id: str) -> list[OutboxOp]:
    return [o for o in ops_of(s, case_id) if o.state in UNFINISHED]


def apply_overlay(kind: str, shadow: dict[str, Any] | None,
                  overlay: dict[str, Any] | None) -> dict[str, Any]:
    """The case as the worker sees it (a copy): the store's one overlay rule."""
    return dict(with_overlay(kind, shadow or {}, overlay) or {})


def reindex(s: Session, case: Case) -> None:
    reindex_case(s, case.id, case.kind, apply_overlay(case.kind, case.shadow_data, case.overlay))


def new_op(s: Session, case: Case, owner: str, action: str, *, payload: dict[str, Any],
           changes: dict[str, Any] | None, prev: str | None) -> OutboxOp:
    body: dict[str, Any] = {"payload": payload, "client_edited_at": utc_now()}
    if changes is not None:
        body["changes"] = changes
    op = OutboxOp(op_id=str(uuid.uuid4()), case_id=case.id, action=action,
                  base_version=case.shadow_version, prev_op_id=prev, payload=body,
                  state=OpState.PENDING.value, attempts=0, owner=owner, created_at=utc_now())
    s.add(op)
    s.flush()
    return op


def supersede(ops: list[OutboxOp], why: str) -> None:
    lifecycle.supersede(ops, why, utc_now())


def write_op(s: Session, case: Case, owner: str, action: str, *, payload: dict[str, Any],
             field_delta: dict[str, Any] | None, full_changes: dict[str, Any] | None) -> OutboxOp:
    """Fold into the unsent op, chain behind a sent one, or start afresh after a stuck one."""
    ops = unfinished_ops(s, case.id)
    stuck = [o for o in ops if o.state in STUCK]
    if stuck:
        if any(o.state == OpState.GONE for o in stuck):
            raise ActionNotAllowed("case_removed")
        # A conflict or rejection is settled by a new op carrying the whole intent on the
        # current server version; the old ops are superseded (never applied by the server).
        supersede(ops, "replaced")
        op = new_op(s, case, owner, action, payload=payload, changes=full_changes, prev=None)
    else:
        last = ops[-1] if ops else None
        if last is not None and lifecycle.foldable(last):
            op = last
            body = dict(op.payload or {})
            if action == "fix_error" and op.action == "fix_error":
                merged = dict(body.get("changes") or {})
                for f, ch in (field_delta or {}).items():
                    if f in merged:
                        merged[f] = {"from": merged[f]["from"], "to": ch["to"]}
                        if merged[f]["from"] == ch["to"]:
                            del merged[f]
                    else:
                        merged[f] = ch
                body["changes"] = merged
            else:
                body["changes"] = full_changes if action == "fix_error" else None
            body["payload"] = payload
            body["client_edited_at"] = utc_now()
            op.action = action
            op.payload = body
            if action == "fix_error" and not body.get("changes"):
                # Edited back to the server's values: nothing left to send.
                lifecycle.folded_to_nothing(op)
        elif last is not None:
            op = new_op(s, case, owner, action, payload=payload,
                        changes=field_delta if action == "fix_error" else None,
                        prev=last.op_id)
        else:
            op = new_op(s, case, owner, action, payload=payload, changes=full_changes, prev=None)
    lifecycle.edited(case, op.state != OpState.SUPERSEDED or has_unfinished(s, case.id))
    return op


def audit(s: Session, actor: str, case_id: str, op: OutboxOp | None, *, field: str | None = None,
          old: Any = None, new: Any = None, reason: str | None = None) -> None:
    s.add(AuditEntry(at=utc_now(), actor=actor, case_id=case_id,
                     op_id=op.op_id if op is not None else None, field=field, old=old,
                     new=new, reason=reason))
