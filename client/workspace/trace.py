"""The local work trace (本机操作记录): every action of the worker on this PC (the audit rows written
with each change) plus the Excel exports of personal data, to show in the app and to export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from client.store.models import AuditEntry
from client.workspace import outbox
from client.workspace.base import WorkspaceBase

EXPORT_FIELD = "export"    # AuditEntry.field of an export; case_id names what was exported
TRACE_HEADERS = ("时间", "账号", "任务", "操作编号", "字段", "原值", "新值", "说明")


class TraceMixin(WorkspaceBase):
    def record_export(self, what: str, path: str | Path, rows: int) -> None:
        """An export of personal data (a list, the outbox, a withdrawn case) into the trace."""
        with self.store.write() as s:
            outbox.audit(s, self.username, what, None, field=EXPORT_FIELD,
                         new={"file": Path(path).name, "rows": rows})

    def trace(self, limit: int = 5000) -> list[dict[str, Any]]:
        """The worker's own trace on this PC, newest first."""
        with self.store.read() as s:
            rows = s.execute(select(AuditEntry).where(AuditEntry.actor == self.username)
                             .order_by(AuditEntry.id.desc()).limit(limit)).scalars()
            return [{"at": a.at, "actor": a.actor, "case_id": a.case_id, "op_id": a.op_id,
                     "field": a.field, "old": a.old, "new": a.new, "reason": a.reason} for a in rows]

    def trace_rows(self) -> list[list[str]]:
        """The trace as text rows in TRACE_HEADERS order (for the view and the .xlsx export)."""
        def text(v: Any) -> str:
            return "" if v is None else str(v)
        return [[text(e["at"]), e["actor"], e["case_id"], text(e["op_id"]), text(e["field"]), text(e["old"]),
                 text(e["new"]), text(e["reason"])] for e in self.trace()]
