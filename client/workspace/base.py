"""What every part of the Workspace shares: the open store, the worker, the network objects, and
the steps every action takes (an editable case, the rule verdict, an outbox op with its audit)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from client.domain.models import Finding
from client import lifecycle
from client.domain.rules import apply_overrides
from client.lifecycle import UNFINISHED
from client.store import Case, OutboxOp, Store, utc_now
from client.workspace import outbox
from client.workspace.errors import ActionNotAllowed, TaskNotFound, TaskReadOnly, ValidationRefused
from sync.client.auth import Auth
from sync.client.engine import SyncEngine
from sync.client.transport import Transport
from sync.protocol.actions import NON_BLOCKING, Payload


class WorkspaceBase:
    """One worker's local store plus (when online) the sync engine."""

    def __init__(self, store: Store, username: str, *, data_dir: Path, key: bytes,
                 transport: Transport | None = None, auth: Auth | None = None,
                 server_url: str | None = None,
                 transport_options: dict[str, Any] | None = None) -> None:
        self.store = store
        self.username = username
        self.data_dir = Path(data_dir)
        self._key = key
        self.transport = transport
        self.auth = auth
        self.server_url = server_url
        self._transport_options = transport_options or {}
        self._engine: SyncEngine | None = None
        self._server_checked = False
        self.today: date | None = None  # rule engine "today" (tests pin it)

    def pending_count(self) -> int:
        """Ops not yet finished (waiting to send, in flight, or waiting for the worker)."""
        with self.store.read() as s:
            return int(s.execute(select(func.count()).select_from(OutboxOp).where(
                OutboxOp.owner == self.username, OutboxOp.state.in_(UNFINISHED))).scalar_one())

    def _editable(self, s: Session, task_id: str, kind: str) -> Case:
        case = s.get(Case, task_id)
        if case is None:
            raise TaskNotFound(task_id=task_id)
        if case.kind != kind:
            raise ActionNotAllowed("wrong_kind", task_id=task_id)
        if not lifecycle.editable(case, outbox.has_unfinished(s, task_id)):
            raise TaskReadOnly(task_id=task_id, reason=case.local_state)
        return case

    def _check(self, findings: list[Finding], overrides: dict[str, str] | None) -> None:
        # A rule that crashed says nothing about the record: like the server, it never blocks.
        findings = [f for f in findings if f.code not in NON_BLOCKING]
        verdict = apply_overrides(findings, overrides or {})
        if not verdict.ok:
            raise ValidationRefused(errors=list(verdict.errors),
                                    warnings=list(verdict.unexplained_warnings))

    def _payload(self, model: type[Payload], **fields: Any) -> dict[str, Any]:
        """The payload of an action as the protocol defines it (sync.protocol.actions)."""
        try:
            return model(**fields).wire()
        except ValidationError as exc:
            raise ActionNotAllowed("bad_payload", str(exc)[:300]) from exc

    def _simple_action(self, s: Session, case: Case, action: str, payload: dict[str, Any],
                       reason: str | None, overlay_changes: dict[str, Any] | None = None) -> None:
        op = self._write_op(s, case, action, payload=payload, field_delta=None,
                            full_changes=None)
        case.overlay = {"action": action, "payload": payload, "edited_at": utc_now(),
                        **({"changes": overlay_changes} if overlay_changes else {})}
        self._audit(s, case.id, op, new=payload, reason=reason)

    def _write_op(self, s: Session, case: Case, action: str, *, payload: dict[str, Any],
                  field_delta: dict[str, Any] | None,
                  full_changes: dict[str, Any] | None) -> OutboxOp:
        return outbox.write_op(s, case, self.username, action, payload=payload,
                               field_delta=field_delta, full_changes=full_changes)

    def _new_op(self, s: Session, case: Case, action: str, *, payload: dict[str, Any],
                changes: dict[str, Any] | None, prev: str | None) -> OutboxOp:
        return outbox.new_op(s, case, self.username, action, payload=payload, changes=changes,
                             prev=prev)

    def _audit(self, s: Session, case_id: str, op: OutboxOp | None, *, field: str | None = None,
               old: Any = None, new: Any = None, reason: str | None = None) -> None:
        outbox.audit(s, self.username, case_id, op, field=field, old=old, new=new, reason=reason)
