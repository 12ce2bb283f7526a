"""What the services layer returns: a case as the worker sees it, an outbox row, the set of
things an operation changed, and the report of one sync."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from client.lifecycle import READ_ONLY_CASES, STUCK, UNFINISHED, OpState
from client.store import Case, OutboxOp
from client.workspace.outbox import apply_overlay, ops_of


@dataclass(frozen=True)
class TaskView:
    """One case as the worker sees it: the server's version with the worker's edits on top."""

    id: str
    kind: str
    status: str  # open, pending, conflict, rejected, gone, done, archived
    version: int
    data: dict[str, Any]  # shadow with the overlay applied (what the worker sees and edits)
    shadow: dict[str, Any]  # the last server version
    overlay: dict[str, Any] | None
    removed: dict[str, Any] | None  # {reason, to?, at} when the case left the worker's scope
    pending_ops: int
    conflict: dict[str, Any] | None = None  # {op_id, server_version, fields: {f: {base, server, mine}}}
    errors: list[Any] = field(default_factory=list)  # rule errors of a rejected op
    merged_fields: list[str] = field(default_factory=list)  # fields others changed (applied_with_merge)
    last_error: str | None = None

    @property
    def title(self) -> str:
        d = self.data
        if self.kind == "error":
            return (d.get("person") or {}).get("name") or ""
        if self.kind == "birth":
            return (d.get("proposed") or {}).get("name") or \
                (d.get("certificate") or {}).get("name") or ""
        return "、".join(m.get("name") or "" for m in d.get("members") or [])

    @property
    def editable(self) -> bool:
        return self.status not in READ_ONLY_CASES and not (
            self.removed and self.pending_ops == 0)


@dataclass(frozen=True)
class OutboxItem:
    op_id: str
    task_id: str
    action: str
    state: str
    attempts: int
    base_version: int
    prev_op_id: str | None
    created_at: str
    sent_at: str | None
    done_at: str | None
    last_error: str | None
    changes: dict[str, Any] | None
    payload: dict[str, Any] | None
    owner: str


@dataclass(frozen=True)
class Changes:
    """What an operation changed, so views can decide whether to refresh (Anki's OpChanges)."""

    tasks: frozenset[str] = frozenset()
    outbox: bool = False
    all_tasks: bool = False

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.tasks | other.tasks, self.outbox or other.outbox,
                       self.all_tasks or other.all_tasks)


@dataclass(frozen=True)
class SyncReport:
    pushed: int
    pulled: int
    conflicts: list[str]
    rejected: list[str]
    gone: list[str]
    pending: int
    blocked: list[str]
    merged: dict[str, list[str]]
    removed: list[str]
    bootstrapped: bool
    digest_ok: bool | None
    requests: int
    server_time: str | None
    changes: Changes
    followup_error: str | None = None
    """Code of the error that kept the PC's status report (its unsent operations, the supervisor's
    "waiting" figure) from reaching the server after a sync that itself succeeded (None: sent)."""

    def to_dict(self) -> dict[str, Any]:
        return {"pushed": self.pushed, "pulled": self.pulled, "conflicts": len(self.conflicts),
                "rejected": len(self.rejected), "gone": len(self.gone), "pending": self.pending,
                "merged": len(self.merged), "removed": len(self.removed),
                "bootstrapped": self.bootstrapped, "digest_ok": self.digest_ok,
                "requests": self.requests, "server_time": self.server_time,
                "followup_error": self.followup_error}


def task_view(s: Session, case: Case) -> TaskView:
    ops = ops_of(s, case.id)
    unfinished = [o for o in ops if o.state in UNFINISHED]
    conflict = None
    errors: list[Any] = []
    merged: list[str] = []
    last_error = None
    for o in ops:
        res = o.result or {}
        if o.state == OpState.CONFLICT:
            conflict = {"op_id": o.op_id, "action": o.action,
                        "server_version": res.get("server_version"),
                        "fields": res.get("fields") or {},
                        "changed_by": res.get("changed_by") or []}
        elif o.state == OpState.REJECTED:
            errors = res.get("errors") or []
        if o.state == OpState.DONE and res.get("merged_fields"):
            merged = res["merged_fields"]
        if o.state in STUCK:
            last_error = o.last_error
    shadow = case.shadow_data or {}
    return TaskView(id=case.id, kind=case.kind, status=case.local_state,
                    version=case.shadow_version,
                    data=apply_overlay(case.kind, shadow, case.overlay),
                    shadow=shadow, overlay=case.overlay, removed=case.removed,
                    pending_ops=len(unfinished), conflict=conflict, errors=errors,
                    merged_fields=merged, last_error=last_error)


def outbox_item(o: OutboxOp) -> OutboxItem:
    return OutboxItem(op_id=o.op_id, task_id=o.case_id, action=o.action, state=o.state,
                      attempts=o.attempts or 0, base_version=o.base_version,
                      prev_op_id=o.prev_op_id, created_at=o.created_at,
                      sent_at=o.sent_at, done_at=o.done_at, last_error=o.last_error,
                      changes=(o.payload or {}).get("changes"),
                      payload=(o.payload or {}).get("payload"), owner=o.owner)
