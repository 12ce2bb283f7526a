"""ASGI middleware: request ids and server time on every response, gzip request bodies with caps.

Sits outside everything else so that even errors raised before routing (a gzip bomb, a body that is
too large) answer with problem+json and the protocol headers.
"""

from __future__ import annotations

import json
import re
import uuid
import zlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync.protocol import HEADER_REQUEST_ID, HEADER_SERVER_TIME, PROBLEM_CONTENT_TYPE, ErrorCode
from sync.server.config import Clock
from sync.server.errors import TITLES, TITLES_BY_CODE

if TYPE_CHECKING:  # faults.py needs the store, which is imported after the middleware
    from sync.server.faults import Faults

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
# A NUL character, escaped in JSON (\u0000 after an even number of backslashes) or raw: PostgreSQL text
# cannot hold it, and no field of the protocol has a use for it.
_JSON_NUL = re.compile(rb"(?:^|[^\\])(?:\\\\)*\\u0000|\x00")


def has_nul(scope: Scope, body: bytes) -> bool:
    """The request carries a NUL character in its path, its query or its (JSON) body."""
    query = scope.get("query_string", b"").lower()
    return "\x00" in scope.get("path", "") or b"%00" in query or b"\x00" in query or bool(_JSON_NUL.search(body))


def problem_body(status: int, code: str, detail: str | None, request_id: str | None,
                 **extra: Any) -> bytes:
    title = TITLES_BY_CODE.get(code) or TITLES.get(status, code)
    body: dict[str, Any] = {"type": f"https://hecha.invalid/problems/{code}", "title": title,
                            "status": status, "code": code, "request_id": request_id}
    if detail:
        body["detail"] = detail
    body.update({k: v for k, v in extra.items() if v is not None})
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


class _TooLarge(Exception):
    pass


class _BadGzip(Exception):
    pass


class ProtocolMiddleware:
    def __init__(self, app: ASGIApp, *, clock: Clock, max_body_bytes: int, max_decompressed_bytes: int,
                 faults: Faults | None = None) -> None:
        self.app = app
        self.clock = clock
        self.max_body = max_body_bytes
        self.max_plain = max_decompressed_bytes
        self.faults = faults

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        rid = headers.get("x-request-id", "")
        if not _REQUEST_ID.match(rid):
            rid = uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = rid
        started = False

        async def send_wrapper(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                hdrs = [(k, v) for k, v in message.get("headers", [])
                        if k.lower() not in (b"x-server-time", b"x-request-id")]
                hdrs.append((HEADER_SERVER_TIME.encode(), self._now().encode()))
                hdrs.append((HEADER_REQUEST_ID.encode(), rid.encode()))
                message = dict(message, headers=hdrs)
            await send(message)

        async def reply(status: int, code: str, detail: str,
                        extra_headers: Sequence[tuple[bytes, bytes]] = ()) -> None:
            body = problem_body(status, code, detail, rid)
            await send_wrapper({"type": "http.response.start", "status": status, "headers": [
                (b"content-type", PROBLEM_CONTENT_TYPE.encode()),
                (b"content-length", str(len(body)).encode()), *extra_headers]})
            await send_wrapper({"type": "http.response.body", "body": body})

        if self.faults is not None:
            fault = await anyio.to_thread.run_sync(self.faults.take, scope.get("path", ""))  # a DB read
            if fault is not None:
                status, retry_after = fault
                code = ErrorCode.RATE_LIMITED if status == 429 else ErrorCode.UNAVAILABLE
                return await reply(status, code, "服务器繁忙，请稍后重试",
                                   [(b"retry-after", str(retry_after).encode())])

        declared = headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            if declared.isdigit():
                return await reply(413, ErrorCode.PAYLOAD_TOO_LARGE, "请求体过大，请分批发送")
            return await reply(400, ErrorCode.MALFORMED, "Content-Length 无效")
        encoding = headers.get("content-encoding", "identity").strip().lower()
        if encoding not in ("identity", "gzip", ""):
            return await reply(415, ErrorCode.UNSUPPORTED_MEDIA_TYPE, f"不支持的内容编码 {encoding}")
        try:
            body, more = await self._read_body(receive)
        except _TooLarge:
            return await reply(413, ErrorCode.PAYLOAD_TOO_LARGE, "请求体过大，请分批发送")
        if body is None:   # client went away
            return
        if encoding == "gzip":
            try:
                body = self._gunzip(body)
            except _TooLarge:
                return await reply(413, ErrorCode.PAYLOAD_TOO_LARGE, "解压后的请求体过大")
            except _BadGzip:
                return await reply(400, ErrorCode.MALFORMED, "gzip 数据损坏")
            scope = dict(scope)
            scope["headers"] = [(k, v) for k, v in scope["headers"]
                                if k.lower() not in (b"content-encoding", b"content-length")]
            scope["headers"].append((b"content-length", str(len(body)).encode()))
        if has_nul(scope, body):
            return await reply(400, ErrorCode.MALFORMED, "请求中含有空字符（NUL）")
        delivered = False

        async def replay_receive() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        try:
            await self.app(scope, replay_receive, send_wrapper)
        except Exception:  # a bug: still answer with problem+json, never a bare 500
            import logging
            logging.getLogger("hecha.server").exception("unhandled error (request %s)", rid)
            if not started:
                await reply(500, ErrorCode.INTERNAL, "服务器内部错误")

    def _now(self) -> str:
        return self.clock.now().strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"

    async def _read_body(self, receive: Receive) -> tuple[bytes | None, bool]:
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None, False
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                raise _TooLarge()
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks), False

    def _gunzip(self, data: bytes) -> bytes:
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            out = d.decompress(data, self.max_plain + 1)
            if len(out) > self.max_plain or d.unconsumed_tail:
                raise _TooLarge()
            out += d.flush()
        except zlib.error as exc:
            raise _BadGzip() from exc
        if len(out) > self.max_plain:
            raise _TooLarge()
        if not d.eof:
            raise _BadGzip()
        return out
