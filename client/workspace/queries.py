"""Reading the worker's cases, outbox and audit trail."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from client.domain import newborn
from client.lifecycle import UNFINISHED
from client.store import AuditEntry, Case, OutboxOp, text_filter
from client.workspace.base import WorkspaceBase
from client.workspace.errors import TaskNotFound
from client.workspace.views import OutboxItem, TaskView, outbox_item, task_view


class Queries(WorkspaceBase):
    def tasks(self, kind: str | None = None, status: str | None = None,
              text: str | None = None, limit: int | None = None) -> list[TaskView]:
        """Cases filtered in SQL; text matches name, ID number or pinyin initials."""
        with self.store.read() as s:
            q = select(Case)
            if kind:
                q = q.where(Case.kind == kind)
            if status:
                q = q.where(Case.local_state == status)
            if text and text.strip():
                q = q.where(text_filter(text))
            q = q.order_by(Case.id)
            if limit:
                q = q.limit(limit)
            cases = s.execute(q).scalars().all()
            return [task_view(s, c) for c in cases]

    def task(self, task_id: str) -> TaskView:
        with self.store.read() as s:
            case = s.get(Case, task_id)
            if case is None:
                raise TaskNotFound(task_id=task_id)
            return task_view(s, case)

    def local_siblings(self, task_id: str) -> list[dict[str, Any]]:
        """Newborns of the same mother and birth date as birth case `task_id` that were confirmed
        on this PC and are not yet on the server (twins handled in one offline session)."""
        with self.store.read() as s:
            case = s.get(Case, task_id)
            if case is None:
                raise TaskNotFound(task_id=task_id)
            others = s.execute(select(Case.id, Case.shadow_data, Case.overlay).where(
                Case.kind == "birth", Case.id != task_id, Case.overlay.is_not(None))).all()
            return newborn.local_siblings(task_id, case.shadow_data or {},
                                          [(cid, data, overlay) for cid, data, overlay in others])

    def count(self, kind: str | None = None, status: str | None = None) -> int:
        with self.store.read() as s:
            q = select(func.count()).select_from(Case)
            if kind:
                q = q.where(Case.kind == kind)
            if status:
                q = q.where(Case.local_state == status)
            return int(s.execute(q).scalar_one())

    def outbox(self, include_finished: bool = False) -> list[OutboxItem]:
        with self.store.read() as s:
            q = select(OutboxOp).where(OutboxOp.owner == self.username).order_by(OutboxOp.seq)
            if not include_finished:
                q = q.where(OutboxOp.state.in_(UNFINISHED))
            return [outbox_item(o) for o in s.execute(q).scalars()]

    def audit(self, task_id: str) -> list[dict[str, Any]]:
        with self.store.read() as s:
            rows = s.execute(select(AuditEntry).where(AuditEntry.case_id == task_id)
                             .order_by(AuditEntry.id)).scalars()
            return [{"at": a.at, "actor": a.actor, "op_id": a.op_id, "field": a.field,
                     "old": a.old, "new": a.new, "reason": a.reason} for a in rows]
