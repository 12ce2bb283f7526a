"""FastAPI application factory of the reference server: routes, auth dependency, error handlers."""


import json
import zlib
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from client import __version__
from sync.protocol import (API_VERSION, PROBLEM_CONTENT_TYPE, BootstrapPage,
                           ChangesPage, ErrorCode, Health, LogoutRequest, Manifest, PasswordChange, Problem,
                           PushRequest, PushResponse, RefreshRequest, TokenRequest, TokenResponse,
                           version_tuple)
from sync.server.audit import AuditLog
from sync.server.auth import Auth
from sync.server.config import Clock, ServerConfig
from sync.server.errors import ApiError, malformed
from sync.server.faults import Faults
from sync.server.middleware import ProtocolMiddleware, problem_body
from sync.server.ops import PushProcessor
from sync.server.store import Store, iso
from sync.server.sync_api import SyncReader

_STATUS_CODES = {400: ErrorCode.MALFORMED, 401: ErrorCode.UNAUTHORIZED, 403: ErrorCode.FORBIDDEN,
                 404: ErrorCode.NOT_FOUND, 405: ErrorCode.METHOD_NOT_ALLOWED,
                 413: ErrorCode.PAYLOAD_TOO_LARGE, 415: ErrorCode.UNSUPPORTED_MEDIA_TYPE}


def _problem_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {c: {"model": Problem, "description": "problem+json"} for c in codes}


class ServerState:
    """Everything the endpoints share; reachable as app.state.hecha."""

    # The authentication dependency of every route (set by _install_routes; the routers use it).
    app_current_user: Callable[..., dict[str, Any]]

    def __init__(self, store: Store) -> None:
        self.store = store
        self.config = store.config
        self.audit = AuditLog(store)
        self.auth = Auth(store)
        self.auth.audit = self.audit
        self.reader = SyncReader(store)
        self.push = PushProcessor(store)
        self.push.audit = self.audit
        self.faults = Faults(store)


def create_app(config_or_store: ServerConfig | Store | None = None, *,
               clock: Clock | None = None) -> FastAPI:
    if isinstance(config_or_store, Store):
        store = config_or_store
        if clock is not None:
            store.config.clock = clock
    else:
        config = config_or_store or ServerConfig()
        if clock is not None:
            config.clock = clock
        store = Store(config)
    state = ServerState(store)
    app = FastAPI(title="Hecha sync server", version=__version__,
                  description="核查工作台参考同步服务器（同步协议 v1）。")
    app.state.hecha = state
    _install_handlers(app)
    _install_routes(app, state)
    from sync.server.admin import admin_router
    from sync.server.admin_users import users_router
    app.include_router(admin_router(state))
    app.include_router(users_router(state))
    from sync.server.supervision import supervision_router
    app.include_router(supervision_router(state))
    app.add_middleware(GZipMiddleware, minimum_size=500, compresslevel=6)
    app.add_middleware(ProtocolMiddleware, clock=store.config.clock,
                       max_body_bytes=store.config.max_body_bytes,
                       max_decompressed_bytes=store.config.max_decompressed_bytes, faults=state.faults)
    _problem_openapi(app)
    return app


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""


def peer(request: Request) -> dict[str, Any]:
    """The TLS client certificate's fingerprint and CN (sync.server.tls), when there is one."""
    state: dict[str, Any] = request.scope.get("state", {})
    return state


def _rid(request: Request) -> str | None:
    rid: str | None = peer(request).get("request_id")
    return rid


def problem_response(request: Request, status: int, code: str, detail: str | None,
                     headers: dict[str, str] | None = None, **extra: Any) -> Response:
    return Response(problem_body(status, code, detail, _rid(request), **extra), status_code=status,
                    media_type=PROBLEM_CONTENT_TYPE, headers=headers)


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        return problem_response(request, exc.status, exc.code, exc.detail, exc.headers, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        errors = [{"loc": [str(x) for x in e.get("loc", ())], "msg": str(e.get("msg", "")),
                   "type": str(e.get("type", ""))} for e in exc.errors()][:50]
        return problem_response(request, 400, ErrorCode.MALFORMED, "请求内容不符合协议", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = _STATUS_CODES.get(exc.status_code, f"http_{exc.status_code}")
        detail = exc.detail if isinstance(exc.detail, str) else None
        return problem_response(request, exc.status_code, code, detail, dict(exc.headers or {}))


def _problem_openapi(app: FastAPI) -> None:
    """Error responses are documented as application/problem+json."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original()
        for path in schema.get("paths", {}).values():
            for op in path.values():
                responses = op.get("responses") or {}
                default_422 = responses.get("422", {}).get("content", {}).get("application/json", {})
                if "HTTPValidationError" in json.dumps(default_422):
                    # FastAPI documents request validation as 422; this server answers 400 problem+json.
                    del responses["422"]
                    responses.setdefault("400", {"description": "problem+json", "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}})
                for status, resp in responses.items():
                    content = resp.get("content") or {}
                    if str(status).startswith(("4", "5")) and "application/json" in content:
                        resp["content"] = {PROBLEM_CONTENT_TYPE: content["application/json"]}
        for name in ("HTTPValidationError", "ValidationError"):
            if "HTTPValidationError" not in json.dumps(schema.get("paths")):
                schema.get("components", {}).get("schemas", {}).pop(name, None)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to extend it


def gzip_page(request: Request, body: bytes) -> Response:
    """Pull pages are built gzip'd (sync_api._Packer); plain only for a client that refuses gzip."""
    if "gzip" in request.headers.get("accept-encoding", "").lower():
        return Response(body, media_type="application/json",
                        headers={"Content-Encoding": "gzip", "Vary": "Accept-Encoding"})
    return Response(zlib.decompress(body, 31), media_type="application/json")


def _install_routes(app: FastAPI, state: ServerState) -> None:
    store, config = state.store, state.config

    def check_client_version(value: str | None) -> None:
        if value is None:
            return
        try:
            too_old = version_tuple(value) < version_tuple(config.min_client_version)
        except ValueError:
            raise malformed(f"客户端版本号无效: {value[:32]}") from None
        if too_old:
            raise ApiError(426, ErrorCode.CLIENT_TOO_OLD,
                           f"客户端版本过旧，请升级到 {config.min_client_version} 或更高版本",
                           min_client_version=config.min_client_version)

    def current_user(request: Request, authorization: Annotated[str | None, Header()] = None,
                     x_client_version: Annotated[str | None, Header(max_length=32)] = None) -> dict[str, Any]:
        user = state.auth.authenticate(authorization, peer=peer(request))
        check_client_version(x_client_version)
        user["_address"] = client_address(request)
        return user

    state.app_current_user = current_user
    User = Annotated[dict[str, Any], Depends(current_user)]
    common = _problem_responses(400, 401, 426)

    @app.get("/v1/health", response_model=Health, tags=["meta"])
    def health() -> Health:
        return Health(server_time=store.now(), api_version=API_VERSION,
                      min_client_version=config.min_client_version, server_version=__version__,
                      training=store.training)

    @app.post("/v1/auth/token", response_model=TokenResponse, tags=["auth"],
              responses=_problem_responses(400, 401, 403, 413, 423, 429))
    def token(request: Request, body: TokenRequest) -> dict[str, Any]:
        return state.auth.login(body.username, body.password, body.device_id, client_address(request),
                                peer(request))

    @app.post("/v1/auth/refresh", response_model=TokenResponse, tags=["auth"],
              responses=_problem_responses(400, 401, 403, 413))
    def refresh(request: Request, body: RefreshRequest) -> dict[str, Any]:
        return state.auth.refresh_or_raise(body.refresh_token, body.device_id, peer(request))

    @app.post("/v1/auth/logout", status_code=204, tags=["auth"], responses=_problem_responses(400, 413))
    def logout(request: Request, body: LogoutRequest) -> Response:
        state.auth.logout(body.refresh_token, client_address(request))
        return Response(status_code=204)

    @app.post("/v1/auth/password", response_model=TokenResponse, tags=["auth"],
              responses=_problem_responses(400, 401, 403, 413, 423))
    def change_password(request: Request, body: PasswordChange,
                        authorization: Annotated[str | None, Header()] = None) -> dict[str, Any]:
        user = state.auth.authenticate(authorization, allow_expired_password=True, peer=peer(request))
        return state.auth.change_password(user, body.old_password, body.new_password, body.device_id,
                                          client_address(request))

    @app.get("/v1/sync/bootstrap", tags=["sync"], responses={
        200: {"model": BootstrapPage, "description": "one page of the snapshot"},
        **_problem_responses(400, 401, 410, 426)})
    def bootstrap(request: Request, user: User,
                  page_token: Annotated[str | None, Query(max_length=2048)] = None,
                  limit: Annotated[int | None, Query(ge=1, le=100000)] = None,
                  max_bytes: Annotated[int | None, Query(ge=1024, le=64 * 1024 * 1024)] = None
                  ) -> Response:
        return gzip_page(request, state.reader.bootstrap(user, page_token, limit, max_bytes))

    @app.get("/v1/sync/changes", tags=["sync"], responses={
        200: {"model": ChangesPage, "description": "one page of changes"},
        **_problem_responses(400, 401, 410, 426)})
    def changes(request: Request, user: User,
                cursor: Annotated[str, Query(min_length=1, max_length=2048)],
                limit: Annotated[int | None, Query(ge=1, le=100000)] = None,
                max_bytes: Annotated[int | None, Query(ge=1024, le=64 * 1024 * 1024)] = None
                ) -> Response:
        return gzip_page(request, state.reader.changes(user, cursor, limit, max_bytes))

    @app.get("/v1/sync/manifest", response_model=Manifest, tags=["sync"], responses=common)
    def manifest(user: User) -> dict[str, Any]:
        return state.reader.manifest(user)

    @app.post("/v1/sync/push", response_model=PushResponse, tags=["sync"],
              responses=_problem_responses(400, 401, 409, 413, 422, 426))
    def push(user: User, body: PushRequest) -> JSONResponse:
        check_client_version(body.client_version)
        if len(body.ops) > config.max_ops:
            raise ApiError(413, ErrorCode.PAYLOAD_TOO_LARGE,
                           f"一次最多提交 {config.max_ops} 项操作，请分批", max_ops=config.max_ops)
        results = state.push.process(user, body.device_id, body.ops)
        return JSONResponse({"results": results, "server_time": iso(store.now())})
