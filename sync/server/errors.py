"""The one exception type endpoints raise; turned into application/problem+json by the app."""

from __future__ import annotations

from typing import Any

from sync.protocol import ErrorCode

TITLES = {
    400: "请求格式错误", 401: "需要重新登录", 403: "没有权限", 404: "不存在", 405: "不支持的方法",
    409: "请求冲突", 410: "需要重新同步", 413: "请求过大", 415: "不支持的内容编码",
    422: "操作编号被重复使用", 423: "账号已锁定", 426: "客户端版本过旧", 429: "请求过于频繁", 500: "服务器内部错误",
    503: "服务暂不可用",
}


# A code whose title is not its status's (422 is mostly a reused op id).
TITLES_BY_CODE = {"validation_failed": "数据不符合校验规则", "account_locked": "账号已锁定",
                  "account_disabled": "账号已停用", "password_expired": "密码已过期",
                  "password_change_required": "需要设置新密码"}


class ApiError(Exception):
    def __init__(self, status: int, code: str, detail: str | None = None, *,
                 headers: dict[str, str] | None = None, **extra: Any) -> None:
        super().__init__(detail or code)
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra


def malformed(detail: str, **extra: Any) -> ApiError:
    return ApiError(400, ErrorCode.MALFORMED, detail, **extra)


def unauthorized(code: str = ErrorCode.UNAUTHORIZED, detail: str = "请重新登录") -> ApiError:
    return ApiError(401, code, detail, headers={"WWW-Authenticate": 'Bearer realm="hecha"'})


def forbidden(detail: str = "没有权限执行此操作") -> ApiError:
    return ApiError(403, ErrorCode.FORBIDDEN, detail)
