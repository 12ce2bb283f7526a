"""Typed sync errors: each has a stable message code (its words, what happened and what to do,
are in client/messages.py) and whether retrying later can help. Nothing here touches the
network."""

from __future__ import annotations

from typing import Any

from client import messages
from client.domain.messages import fill
from client.errors import HechaError


class SyncError(HechaError):
    """Base of every error the sync layer raises; `code` is stable, `message` is for the worker."""

    code = "sync_error"

    def __init__(self, detail: str = "", *, status: int | None = None,
                 request_id: str | None = None, problem: dict[str, Any] | None = None,
                 retry_after: float | None = None, **params: Any) -> None:
        self.status = status
        self.request_id = request_id
        self.problem = problem or {}
        self.retry_after = retry_after
        params.setdefault("status_code", status or "")  # the "(错误 502)" of server errors
        super().__init__(detail, **params)

    @property
    def message(self) -> str:
        """The worker-facing Chinese message (with the server request id when there is one)."""
        text = super().message
        if self.request_id and self.status and self.status >= 500:
            text += fill(messages.REQUEST_ID, {"request_id": self.request_id})
        return text

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "detail": self.detail,
                "status": self.status, "request_id": self.request_id,
                "retryable": self.retryable}


# --- network: the worker can do something about the connection -----------------------------

class OfflineError(SyncError):
    """No TCP connection to the server at all (VPN down, cable out, server address wrong)."""
    code = "offline"
    retryable = True


class NetworkTimeout(SyncError):
    """Connected, but the server or the link was too slow (or hung) within the deadline."""
    code = "timeout"
    retryable = True


class ConnectionLost(SyncError):
    """The connection broke in the middle of a request."""
    code = "connection_lost"
    retryable = True


class BadResponse(SyncError):
    """The body was truncated, corrupt, not JSON or not the expected shape."""
    code = "bad_response"
    retryable = True


class CertificateError(SyncError):
    """TLS verification failed: wrong server, missing province CA bundle or a wrong PC clock."""
    code = "certificate"


# --- server side ------------------------------------------------------------------------------

class ServerError(SyncError):
    """The server failed (5xx other than busy): not the worker's fault."""
    code = "server_error"
    retryable = True


class ServerBusy(SyncError):
    """429 or 503: the server asks to come back later (Retry-After)."""
    code = "server_busy"
    retryable = True


class RequestInProgress(SyncError):
    """409: the same batch is still being processed by an earlier request."""
    code = "request_in_progress"
    retryable = True


class PayloadTooLarge(SyncError):
    """413: the client splits the batch and tries again."""
    code = "payload_too_large"


class IdempotencyKeyReused(SyncError):
    """422: an op id was reused with another payload: a client bug, never retried blindly."""
    code = "idempotency_key_reused"


class BadRequest(SyncError):
    """400 and other 4xx the client cannot fix by retrying."""
    code = "bad_request"


class ForbiddenError(SyncError):
    """403 at the request level: the account may not do this."""
    code = "forbidden"


class ClientTooOld(SyncError):
    """426: sync is blocked until the app is upgraded; the outbox is kept."""
    code = "client_too_old"


class ResyncRequired(SyncError):
    """410: the stored cursor is older than the server's retention; re-bootstrap (outbox kept)."""
    code = "resync_required"


# --- authentication -------------------------------------------------------------------------

class AuthExpired(SyncError):
    """The refresh token is gone or rejected: the worker must type the password again."""
    code = "auth_expired"


class LoginFailed(SyncError):
    """Wrong user name or password at login."""
    code = "login_failed"


class WrongPassword(SyncError):
    """The local store key could not be unwrapped with this password (offline unlock)."""
    code = "wrong_password"


class PasswordChanged(SyncError):
    """Online login succeeded with a new password but the local key is wrapped with an old one."""
    code = "password_changed"


class NoLocalStore(SyncError):
    """Offline unlock for a user who never logged in on this PC."""
    code = "no_local_store"


class WrongUser(SyncError):
    """An outbox belongs to the user who made it and is never pushed as someone else."""
    code = "wrong_user"


# --- the sync cycle -------------------------------------------------------------------------

class SyncCancelled(SyncError):
    """The worker (or closing the window) cancelled the sync; everything done so far is kept."""
    code = "cancelled"
    retryable = True


class SyncInProgress(SyncError):
    """Only one sync runs at a time."""
    code = "sync_in_progress"
    retryable = True


class DigestMismatch(SyncError):
    """After repair the local scope still differs from the server's: retried next sync."""
    code = "digest_mismatch"
    retryable = True


class InsecureServer(SyncError):
    """An http:// address of another computer: the password would cross the network in clear."""
    code = "insecure_server"


class AccountDisabled(SyncError):
    """The server says the account is deactivated (only to the right password)."""
    code = "account_disabled"


class AccountLocked(SyncError):
    """Too many wrong passwords: the server locked the account for a while (Retry-After)."""
    code = "account_locked"
    retryable = True


class PasswordExpired(SyncError):
    """The password is older than the server's policy allows: change it first."""
    code = "password_expired"


class PasswordChangeRequired(SyncError):
    """The password was set by an admin (a new account or a reset): the worker sets their own first;
    until then the server accepts nothing but POST /v1/auth/password."""
    code = "password_change_required"


class PasswordRejected(SyncError):
    """The new password fails the server's policy (length, classes, username, history)."""
    code = "password_rejected"

    @property
    def message(self) -> str:
        # The server's reason is already Chinese and for the worker (length, classes, history).
        if self.detail:
            return fill(messages.PASSWORD_REJECTED_BECAUSE, {"detail": self.detail})
        return super().message


class CertificateMismatch(SyncError):
    """The client certificate is missing or not the account's."""
    code = "certificate_mismatch"


class CertificateFileError(SyncError):
    """The .p12/.pfx file cannot be opened (wrong passphrase, damaged, not a certificate)."""
    code = "certificate_file"


class OfflineUnlockRefused(SyncError):
    """The local store may not be opened offline any more: an online login is needed.
    `reason`: account_disabled, signed_out, clock_rollback or offline_too_long (with `days`)."""
    code = "offline_unlock_refused"


# problem+json `code` -> error class, for codes the server sends
_BY_CODE: dict[str, type[SyncError]] = {
    "resync_required": ResyncRequired,
    "cursor_expired": ResyncRequired,
    "client_too_old": ClientTooOld,
    "request_in_progress": RequestInProgress,
    "idempotency_key_reused": IdempotencyKeyReused,
    "payload_too_large": PayloadTooLarge,
    "too_large": PayloadTooLarge,
    "invalid_credentials": LoginFailed,
    "login_failed": LoginFailed,
    "bad_credentials": LoginFailed,
    "forbidden": ForbiddenError,
    # 409 of an office action (a case no longer open, a worker who does not cover the case): a
    # refusal with the server's reason, never the retried "upload still in progress" of a push.
    "conflict": BadRequest,
    "account_disabled": AccountDisabled,
    "account_locked": AccountLocked,
    "password_expired": PasswordExpired,
    "password_change_required": PasswordChangeRequired,
    "password_rejected": PasswordRejected,
    "certificate_mismatch": CertificateMismatch,
    "rate_limited": ServerBusy,
    "too_many_requests": ServerBusy,
    "service_unavailable": ServerBusy,
    "unavailable": ServerBusy,
}

_BY_STATUS: dict[int, type[SyncError]] = {
    400: BadRequest, 401: AuthExpired, 403: ForbiddenError, 409: RequestInProgress,
    410: ResyncRequired, 413: PayloadTooLarge, 422: IdempotencyKeyReused, 426: ClientTooOld,
    429: ServerBusy, 503: ServerBusy,
}


def error_for_status(status: int, problem: dict[str, Any] | None = None, *, request_id: str | None = None,
                     retry_after: float | None = None) -> SyncError:
    """Turn an HTTP error status plus its (possibly empty) problem+json body into a typed error."""
    problem = problem if isinstance(problem, dict) else {}
    code = str(problem.get("code") or "")
    detail = str(problem.get("detail") or problem.get("title") or "")[:500]
    cls = _BY_CODE.get(code)
    if cls is None:
        if status == 401:
            cls = AuthExpired
        elif status == 422 and code and code != "idempotency_key_reused":
            cls = BadRequest  # validation errors of the request shape
        else:
            cls = _BY_STATUS.get(status)
    if cls is None:
        cls = ServerError if status >= 500 else BadRequest
    return cls(detail or code or f"HTTP {status}", status=status, request_id=request_id,
               problem=problem, retry_after=retry_after)
