"""Errors of the services layer: what the worker asked cannot be done. Each has a code and params;
their words are in client/messages.py (the desktop UI shows them translated, `message` is the
Chinese text for the command line). They are HechaErrors, not sync errors: nothing here went over the network.
The sync errors the services raise are named here too, so that callers (ui/) need not reach
into sync.client."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from client import messages
from client.domain.messages import fill
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
    PasswordChangeRequired,
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

    def __init__(self, errors: Sequence[Finding] = (), warnings: Sequence[Finding] = (),
                 detail: str = "") -> None:
        self.errors = list(errors)
        self.warnings = list(warnings)
        parts = [f.message for f in self.errors]
        parts += [fill(messages.NEEDS_REASON, {"finding": f.message}) for f in self.warnings]
        super().__init__(detail or ",".join(f.code for f in self.findings),
                         summary="；".join(parts) or messages.NOT_VALIDATED)

    @property
    def findings(self) -> list[Finding]:
        return self.errors + self.warnings


class NoProgressYet(HechaError):
    code = "no_progress_yet"


class TaskNotFound(HechaError):
    code = "task_not_found"


class TaskReadOnly(HechaError):
    """`reason`: why the case is no longer editable (done, gone, archived)."""
    code = "task_read_only"


# Why an action is not allowed (the code); the words are in client/messages.py.
REFUSALS: tuple[str, ...] = (
    "wrong_kind", "bad_payload", "bad_changes", "read_only_fields", "no_changes",
    "value_too_long", "value_hidden_chars", "confirm_reason_required",
    "separate_reason_required", "cannot_verify_reason", "household_choice", "relation_missing",
    "household_not_offered", "reject_reason", "existing_person_missing", "survivor_not_member",
    "bad_field_choices", "person_not_member", "no_conflict", "conflict_choices_missing",
    "op_in_flight", "case_removed",
)


class ActionNotAllowed(HechaError):
    """The action cannot be done as asked; `code` is one of REFUSALS."""

    code = "action_not_allowed"

    def __init__(self, refusal: str, detail: str = "", **params: Any) -> None:
        if refusal not in REFUSALS:
            raise ValueError(f"unknown refusal {refusal!r}")
        self.code = refusal
        super().__init__(detail, **params)


__all__ = ["ActionNotAllowed", "TaskNotFound", "TaskReadOnly", "ValidationRefused",
           "AccountDisabled", "AccountLocked", "CertificateFileError", "CertificateMismatch", "InsecureServer",
           "OfflineUnlockRefused", "PasswordChangeRequired", "PasswordExpired", "PasswordRejected",
           "AuthExpired", "BadRequest", "BadResponse", "CertificateError", "ClientTooOld",
           "ConnectionLost", "DigestMismatch", "ForbiddenError", "IdempotencyKeyReused",
           "LoginFailed", "NetworkTimeout", "NoLocalStore", "OfflineError", "PasswordChanged",
           "PayloadTooLarge", "RequestInProgress", "ResyncRequired", "ServerBusy", "ServerError",
           "SyncCancelled", "SyncError", "SyncInProgress", "WrongPassword", "WrongUser"]
