"""Errors of the services layer: what the worker asked cannot be done (the words are in ui/)."""

from __future__ import annotations

from collections.abc import Sequence

from client.domain.models import Finding
from sync.client import errors as E


class ValidationRefused(E.SyncError):
    """The rule engine refused the action: errors must be fixed, warnings need a reason.

    `errors` and `warnings` are domain Findings (code, severity, fields, message, params)."""

    code = "validation_refused"
    template = "保存失败:{summary}"

    def __init__(self, errors: Sequence[Finding] = (), warnings: Sequence[Finding] = (),
                 detail: str = "") -> None:
        self.errors = list(errors)
        self.warnings = list(warnings)
        parts = [f.message for f in self.errors]
        if self.warnings:
            parts += [f"{f.message}(如确认无误,请填写原因)" for f in self.warnings]
        super().__init__(detail or ",".join(f.code for f in self.findings),
                         summary=";".join(parts) or "数据未通过校验")

    @property
    def findings(self) -> list[Finding]:
        return self.errors + self.warnings


class TaskNotFound(E.SyncError):
    code = "task_not_found"
    template = "找不到任务 {task_id}:可能已被收回或删除,请先同步。"


class TaskReadOnly(E.SyncError):
    code = "task_read_only"
    template = "任务 {task_id} 已{state_name},不能再修改。"


class ActionNotAllowed(E.SyncError):
    code = "action_not_allowed"
    template = "{why}"
