"""Typed sync errors: each has a stable message code, a Chinese message that says what happened
and what to do, and whether retrying later can help. Nothing here touches the network."""

from __future__ import annotations

from typing import Any

from client.errors import HechaError

_KEPT = "您的修改已保存在本机,"


class SyncError(HechaError):
    """Base of every error the sync layer raises; `code` is stable, `message` is for the worker."""

    code = "sync_error"
    # Chinese text shown to the worker; may contain {placeholders} filled from `params`.
    template = "同步失败。" + _KEPT + "不会丢失。"

    def __init__(self, detail: str = "", *, status: int | None = None,
                 request_id: str | None = None, problem: dict[str, Any] | None = None,
                 retry_after: float | None = None, **params: Any) -> None:
        self.status = status
        self.request_id = request_id
        self.problem = problem or {}
        self.retry_after = retry_after
        super().__init__(detail, **params)

    @property
    def message(self) -> str:
        """The worker-facing Chinese message (with the server request id when there is one)."""
        text = super().message
        if self.request_id and self.status and self.status >= 500:
            text += f"(请求编号 {self.request_id})"
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
    template = "无法连接服务器:请检查VPN是否已连接。" + _KEPT + "连接恢复后会自动上传。"


class NetworkTimeout(SyncError):
    """Connected, but the server or the link was too slow (or hung) within the deadline."""
    code = "timeout"
    retryable = True
    template = "服务器响应超时:网络较慢或不稳定。" + _KEPT + "稍后会自动重试。"


class ConnectionLost(SyncError):
    """The connection broke in the middle of a request."""
    code = "connection_lost"
    retryable = True
    template = "与服务器的连接中断:网络不稳定。" + _KEPT + "稍后会自动重试。"


class BadResponse(SyncError):
    """The body was truncated, corrupt, not JSON or not the expected shape."""
    code = "bad_response"
    retryable = True
    template = "服务器返回的数据不完整或已损坏(可能是网络中断)。" + _KEPT + "稍后会自动重试。"


class CertificateError(SyncError):
    """TLS verification failed: wrong server, missing province CA bundle or a wrong PC clock."""
    code = "certificate"
    retryable = False
    template = ("服务器证书校验失败:可能连接到了错误的服务器、本机日期时间不正确,或未配置单位的证书。"
                "请检查电脑的日期时间,或联系县里的系统管理员。" + _KEPT + "不会丢失。")


# --- server side ------------------------------------------------------------------------------

class ServerError(SyncError):
    """The server failed (5xx other than busy): not the worker's fault."""
    code = "server_error"
    retryable = True
    template = ("服务器出错(错误 {status_code}):" + _KEPT +
                "请稍后再试;如果一直出现,请联系县里的系统管理员。")

    def __init__(self, detail: str = "", **kw: Any) -> None:
        kw.setdefault("status_code", kw.get("status") or "")
        super().__init__(detail, **kw)


class ServerBusy(SyncError):
    """429 or 503: the server asks to come back later (Retry-After)."""
    code = "server_busy"
    retryable = True
    template = "服务器繁忙,请稍后再试。" + _KEPT + "稍后会自动重试。"


class RequestInProgress(SyncError):
    """409: the same batch is still being processed by an earlier request."""
    code = "request_in_progress"
    retryable = True
    template = "上一次上传仍在服务器处理中,稍后会自动重试。" + _KEPT + "不会重复提交。"


class PayloadTooLarge(SyncError):
    """413: the client splits the batch and tries again."""
    code = "payload_too_large"
    retryable = False
    template = "一次上传的数据过多,系统会自动分批重试。"


class IdempotencyKeyReused(SyncError):
    """422: an op id was reused with another payload: a client bug, never retried blindly."""
    code = "idempotency_key_reused"
    retryable = False
    template = "上传的修改记录与服务器已收到的同编号记录不一致,已停止上传以免重复。请联系系统管理员。"


class BadRequest(SyncError):
    """400 and other 4xx the client cannot fix by retrying."""
    code = "bad_request"
    retryable = False
    template = "服务器拒绝了请求(错误 {status_code})。" + _KEPT + "请联系县里的系统管理员。"

    def __init__(self, detail: str = "", **kw: Any) -> None:
        kw.setdefault("status_code", kw.get("status") or "")
        super().__init__(detail, **kw)


class ForbiddenError(SyncError):
    """403 at the request level: the account may not do this."""
    code = "forbidden"
    retryable = False
    template = "没有权限执行此操作:请确认登录的账号是否正确。"


class ClientTooOld(SyncError):
    """426: sync is blocked until the app is upgraded; the outbox is kept."""
    code = "client_too_old"
    retryable = False
    template = "本软件版本过旧,服务器已不再接受同步:请安装新版本。" + _KEPT + "升级后会自动上传。"


class ResyncRequired(SyncError):
    """410: the stored cursor is older than the server's retention; re-bootstrap (outbox kept)."""
    code = "resync_required"
    retryable = False
    template = "本机数据需要重新下载(已太久未同步)。" + _KEPT + "会在重新下载后上传。"


# --- authentication -------------------------------------------------------------------------

class AuthExpired(SyncError):
    """The refresh token is gone or rejected: the worker must type the password again."""
    code = "auth_expired"
    retryable = False
    template = "登录已过期:请重新输入密码登录。" + _KEPT + "不会丢失。"


class LoginFailed(SyncError):
    """Wrong user name or password at login."""
    code = "login_failed"
    retryable = False
    template = "用户名或密码错误:请检查后重新输入(注意大小写和输入法)。"


class WrongPassword(SyncError):
    """The local store key could not be unwrapped with this password (offline unlock)."""
    code = "wrong_password"
    retryable = False
    template = "密码错误,无法打开本机数据:请输入在本机最后一次登录时使用的密码。"


class PasswordChanged(SyncError):
    """Online login succeeded with a new password but the local key is wrapped with an old one."""
    code = "password_changed"
    retryable = False
    template = "服务器上的密码已修改:请再输入一次在本机使用过的旧密码,以便更新本机数据的加密。"


class NoLocalStore(SyncError):
    """Offline unlock for a user who never logged in on this PC."""
    code = "no_local_store"
    retryable = False
    template = "本机还没有用户“{username}”的数据:请先在联网时登录一次。"


class WrongUser(SyncError):
    """An outbox belongs to the user who made it and is never pushed as someone else."""
    code = "wrong_user"
    retryable = False
    template = "本机数据属于用户“{owner}”,不能以用户“{username}”的身份上传。"


# --- the sync cycle -------------------------------------------------------------------------

class SyncCancelled(SyncError):
    """The worker (or closing the window) cancelled the sync; everything done so far is kept."""
    code = "cancelled"
    retryable = True
    template = "同步已取消。已完成的部分已保存,剩余的修改会在下次同步时上传。"


class SyncInProgress(SyncError):
    """Only one sync runs at a time."""
    code = "sync_in_progress"
    retryable = True
    template = "正在同步中,请稍候。"


class DigestMismatch(SyncError):
    """After repair the local scope still differs from the server's: retried next sync."""
    code = "digest_mismatch"
    retryable = True
    template = "本机数据与服务器校验不一致,已尝试修复,下次同步会再次检查。" + _KEPT + "不会丢失。"


class InsecureServer(SyncError):
    """An http:// address of another computer: the password would cross the network in clear."""
    code = "insecure_server"
    template = ("服务器地址必须以 https:// 开头:只有本机(127.0.0.1、localhost)可以用 http://,"
                "否则密码会以明文在网络上传送。请向县里的系统管理员确认服务器地址。")


class AccountDisabled(SyncError):
    """The server says the account is deactivated (only to the right password)."""
    code = "account_disabled"
    template = ("账号已停用:请联系县里的系统管理员。本机数据已锁定,不能再离线打开;"
                "尚未上传的修改仍加密保存在本机。")


class AccountLocked(SyncError):
    """Too many wrong passwords: the server locked the account for a while (Retry-After)."""
    code = "account_locked"
    retryable = True
    template = "密码错误次数过多,账号已暂时锁定:请稍后再试,或联系系统管理员。"


class PasswordExpired(SyncError):
    """The password is older than the server's policy allows: change it first."""
    code = "password_expired"
    template = "密码已过期:请先修改密码。"


class PasswordRejected(SyncError):
    """The new password fails the server's policy (length, classes, username, history)."""
    code = "password_rejected"
    template = "新密码不符合要求。"

    @property
    def message(self) -> str:
        # The server's reason is already Chinese and for the worker (length, classes, history).
        return self.template[:-1] + ":" + self.detail if self.detail else self.template


class CertificateMismatch(SyncError):
    """The client certificate is missing or not the account's."""
    code = "certificate_mismatch"
    template = "数字证书与账号不符:请选择本人的证书(.p12/.pfx)后重新登录。"


class CertificateFileError(SyncError):
    """The .p12/.pfx file cannot be opened (wrong passphrase, damaged, not a certificate)."""
    code = "certificate_file"
    template = "数字证书文件无法打开:请检查证书口令是否正确,或重新选择证书文件(.p12/.pfx)。"


class OfflineUnlockRefused(SyncError):
    """The local store may not be opened offline any more: an online login is needed."""
    code = "offline_unlock_refused"
    template = "不能离线打开本机数据:{why}请在联网时登录。"


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
