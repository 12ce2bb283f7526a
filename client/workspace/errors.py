"""Errors of the services layer: what the worker asked cannot be done. Each has a code and params;
the desktop UI words them (ui/messages.py, translated), `message` is the Chinese text for the
command line. They are HechaErrors, not sync errors: nothing here went over the network.
The sync errors the services raise are named here too, so that callers (ui/) need not reach
into sync.client."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from client.domain.models import Finding
from client.errors import HechaError
from sync.client.errors import (  # the errors of the network and the store key, raised through the services
    AccountDisabled,
    AccountLocked,
    AuthExpired,
    BadRequest,
    BadResponse,
    CertificateError,
    CertificateFileError,
    CertificateMismatch,
    ClientTooOld,
    ConnectionLost,
    DigestMismatch,
    ForbiddenError,
    InsecureServer,
    IdempotencyKeyReused,
    LoginFailed,
    NetworkTimeout,
    NoLocalStore,
    OfflineError,
    OfflineUnlockRefused,
    PasswordChanged,
    PasswordExpired,
    PasswordRejected,
    PayloadTooLarge,
    RequestInProgress,
    ResyncRequired,
    ServerBusy,
    ServerError,
    SyncCancelled,
    SyncError,
    SyncInProgress,
    WrongPassword,
    WrongUser,
)


class ValidationRefused(HechaError):
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


class NoProgressYet(HechaError):
    code = "no_progress_yet"
    template = "本机还没有进度数据：请先联网同步一次（账号 {username}）。"


class TaskNotFound(HechaError):
    code = "task_not_found"
    template = "找不到任务 {task_id}:可能已被收回或删除,请先同步。"


class TaskReadOnly(HechaError):
    code = "task_read_only"
    template = "任务 {task_id} 已{state_name},不能再修改。"


# Why an action is not allowed (the code), with the Chinese text for the command line.
REFUSALS: dict[str, str] = {
    "wrong_kind": "任务 {task_id} 不是这类任务。",
    "bad_payload": "提交的内容格式不对。",
    "bad_changes": "修改内容格式不对。",
    "read_only_fields": "这些字段不能修改:{fields}",
    "no_changes": "没有需要保存的修改。",
    "value_too_long": "字段 {fields} 的内容过长。",
    "value_hidden_chars": "字段 {fields} 含有不可见的控制字符。",
    "confirm_reason_required": "请填写核实无误的原因。",
    "separate_reason_required": "请填写不是同一人的原因。",
    "cannot_verify_reason": "请选择“无法核实”或“非本辖区”。",
    "household_choice": "请选择一个现有户或新立户(只能选一个)。",
    "relation_missing": "请选择与户主的关系。",
    "household_not_offered": "户 {household_id} 不在可选的户中。",
    "reject_reason": "请选择退回原因:非本地居住、已登记或数据有误。",
    "existing_person_missing": "请选择已登记的人员。",
    "survivor_not_member": "保留的记录不在这组疑似重复人员中。",
    "bad_field_choices": "字段选择无效:{fields}",
    "person_not_member": "人员 {person_id} 不在这组记录中。",
    "no_conflict": "这个任务没有需要处理的冲突。",
    "conflict_choices_missing": "请为每个冲突字段选择保留哪个值:{fields}",
    "op_in_flight": "这项修改已发送,正在等待服务器确认,请先同步后再放弃。",
    "case_removed": "这个任务已被收回或改派,不能再修改;可以导出或放弃本机修改。",
}


class ActionNotAllowed(HechaError):
    """The action cannot be done as asked; `code` is one of REFUSALS."""

    code = "action_not_allowed"

    def __init__(self, refusal: str, detail: str = "", **params: Any) -> None:
        if refusal not in REFUSALS:
            raise ValueError(f"unknown refusal {refusal!r}")
        self.code = refusal
        self.template = REFUSALS[refusal]
        super().__init__(detail, **params)


__all__ = ["ActionNotAllowed", "TaskNotFound", "TaskReadOnly", "ValidationRefused",
           "AccountDisabled", "AccountLocked", "CertificateFileError", "CertificateMismatch", "InsecureServer",
           "OfflineUnlockRefused", "PasswordExpired", "PasswordRejected",
           "AuthExpired", "BadRequest", "BadResponse", "CertificateError", "ClientTooOld",
           "ConnectionLost", "DigestMismatch", "ForbiddenError", "IdempotencyKeyReused",
           "LoginFailed", "NetworkTimeout", "NoLocalStore", "OfflineError", "PasswordChanged",
           "PayloadTooLarge", "RequestInProgress", "ResyncRequired", "ServerBusy", "ServerError",
           "SyncCancelled", "SyncError", "SyncInProgress", "WrongPassword", "WrongUser"]
