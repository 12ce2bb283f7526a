"""The lifecycle of a case and of its outbox ops: one enum of states each, the sets the sync
engine and the services layer ask about, and the named transitions. Every state a case or an op
takes is set here; SYNC_PROTOCOL.md and DESIGN.md ("outbox") describe the machine.

    op:   pending ──claim──▶ sending ──result──▶ done | conflict | rejected | gone | blocked
          (folded while     (sent, outcome       blocked is sent again; conflict and rejected
           unsent)           unknown: never       wait for the worker, who supersedes them
                             edited again)        with a new op; gone waits for discard
    case: open ◀──▶ pending ──▶ conflict | rejected | gone ──▶ … ──▶ done | archived
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from client.store import Case, OutboxOp


class OpState(StrEnum):
    PENDING = "pending"        # written, never sent: the next edit folds into it
    SENT = "sending"           # sent at least once, outcome unknown: sent again, never edited
    BLOCKED = "blocked"        # the server holds it behind another op: sent again
    CONFLICT = "conflict"      # waits for the worker (resolve_conflict)
    REJECTED = "rejected"      # waits for the worker (a new edit or discard)
    GONE = "gone"              # the case left the worker's scope: waits for discard
    DONE = "done"              # the server has the effect
    SUPERSEDED = "superseded"  # replaced, resolved, discarded or folded to nothing


class CaseState(StrEnum):
    OPEN = "open"
    PENDING = "pending"        # the worker's edits wait in the outbox
    CONFLICT = "conflict"
    REJECTED = "rejected"
    GONE = "gone"              # withdrawn or reassigned while the worker had unsent edits
    DONE = "done"              # completed (read-only)
    ARCHIVED = "archived"      # no longer assigned to the worker (read-only)


UNFINISHED: tuple[str, ...] = tuple(s.value for s in (
    OpState.PENDING, OpState.SENT, OpState.BLOCKED, OpState.CONFLICT, OpState.REJECTED,
    OpState.GONE))
SENDABLE: tuple[str, ...] = (OpState.PENDING.value, OpState.SENT.value, OpState.BLOCKED.value)
STUCK: tuple[str, ...] = (OpState.CONFLICT.value, OpState.REJECTED.value, OpState.GONE.value)
READ_ONLY_CASES: tuple[str, ...] = (CaseState.DONE.value, CaseState.ARCHIVED.value,
                                    CaseState.GONE.value)
# Op results of the wire protocol that mean "the server has the effect".
DONE_RESULTS = frozenset({"applied", "duplicate", "applied_with_merge"})


# -- ops ----------------------------------------------------------------------------------------

def foldable(op: OutboxOp) -> bool:
    """Never sent, so the worker's next edit of the case may still change it."""
    return op.state == OpState.PENDING and not op.attempts


def claim(op: OutboxOp, now: str) -> None:
    """The op goes out (committed before sending): from now on its outcome is unknown until the
    server answers, and it is never edited again."""
    op.attempts = (op.attempts or 0) + 1
    op.sent_at = now
    op.state = OpState.SENT.value


def settle(op: OutboxOp, status: str, now: str, *, error: str | None = None) -> None:
    """The server's answer to a sent op (a wire OpStatus)."""
    if status in DONE_RESULTS:
        op.state, op.done_at, op.last_error = OpState.DONE.value, now, None
    elif status == "conflict":
        op.state, op.last_error = OpState.CONFLICT.value, "conflict"
    elif status == "blocked":
        op.state, op.last_error = OpState.BLOCKED.value, error
    elif status == "rejected":
        op.state, op.last_error = OpState.REJECTED.value, error
    elif status in ("gone", "forbidden"):
        op.state, op.last_error = OpState.GONE.value, error or status
    else:
        raise ValueError(f"unknown op status {status}")


def supersede(ops: list[OutboxOp], why: str, now: str) -> None:
    """Ops the server will never apply: replaced by a new op, resolved, or discarded."""
    for o in ops:
        o.state = OpState.SUPERSEDED.value
        o.last_error = why
        o.done_at = now


def folded_to_nothing(op: OutboxOp) -> None:
    """An unsent edit taken back to the server's values: nothing left to send."""
    op.state = OpState.SUPERSEDED.value
    op.last_error = "folded to nothing"


# -- cases --------------------------------------------------------------------------------------

def editable(case: Case, has_unfinished: bool) -> bool:
    return case.local_state not in READ_ONLY_CASES and not (
        case.removed is not None and not has_unfinished)


def edited(case: Case, has_unfinished: bool) -> None:
    """After the worker's action: pending while the outbox holds work for it, else open."""
    case.local_state = (CaseState.PENDING if has_unfinished else CaseState.OPEN).value


def reopened(case: Case) -> None:
    """The worker's edits are dropped (a conflict resolved with the server's values)."""
    case.overlay = None
    case.local_state = CaseState.OPEN.value


def discarded(case: Case) -> None:
    """The worker's unfinished edits are dropped: read-only if the case left the scope."""
    case.overlay = None
    case.local_state = (CaseState.ARCHIVED if case.removed else CaseState.OPEN).value


def op_stuck(case: Case, op_state: str, *, removed: dict[str, Any] | None = None) -> None:
    """A sent op came back conflict, rejected or gone: the case waits for the worker."""
    case.local_state = CaseState(op_state).value
    if op_state == OpState.GONE and case.removed is None:
        case.removed = removed


def finished(case: Case) -> None:
    """Every op of the case is done: the server has the worker's work."""
    case.overlay = None
    case.local_state = CaseState.DONE.value


def after_pull(local_state: str, removed: dict[str, Any] | None,
               has_unfinished: bool) -> str | None:
    """The one tombstone rule: the state a case takes when its shadow moved (pull, bootstrap or
    repair), or None to keep it. Unfinished work keeps the case as it is (the worker decides)."""
    if has_unfinished:
        return None
    if removed is not None:
        # No pending work: read-only "no longer assigned" (or completed).
        completed = local_state == CaseState.DONE or removed.get("reason") == "completed"
        return (CaseState.DONE if completed else CaseState.ARCHIVED).value
    if local_state in READ_ONLY_CASES:
        # Assigned to us (again) or reopened by the office: open work again.
        return CaseState.OPEN.value
    return None
