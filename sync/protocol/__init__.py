"""Wire models of the Hecha sync protocol v1 (SYNC_PROTOCOL.md), shared by the client and the server.
The actions an op carries (payload models, the case kind of each) are in sync.protocol.actions.

Request models refuse unknown fields (the server answers 400); response models ignore them so an
older client keeps working against a newer server.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any, Iterable, Literal, Union

from pydantic import BaseModel, ConfigDict, Field

API_VERSION = "1"
MIN_CLIENT_VERSION = "0.1.0"
MAX_OPS_PER_PUSH = 100
DEFAULT_MAX_BYTES = 256 * 1024          # compressed bytes per pull page
ACCESS_TOKEN_SECONDS = 15 * 60

PROBLEM_CONTENT_TYPE = "application/problem+json"
HEADER_SERVER_TIME = "X-Server-Time"
HEADER_REQUEST_ID = "X-Request-Id"
HEADER_CLIENT_VERSION = "X-Client-Version"
HEADER_RETRY_AFTER = "Retry-After"

TombstoneReason = Literal["withdrawn", "reassigned", "completed", "deleted", "out_of_scope"]
OpStatus = Literal["applied", "duplicate", "applied_with_merge", "conflict", "blocked",
                   "rejected", "gone", "forbidden"]
Role = Literal["township", "county", "trainer", "admin", "auditor"]

# Statuses the client treats as "the server has the effect" (done).
DONE_STATUSES = frozenset({"applied", "duplicate", "applied_with_merge"})


class ErrorCode:
    """Stable `code` values of problem+json bodies (batch / request level)."""

    MALFORMED = "malformed"                       # 400: bad JSON, wrong types, unknown fields
    INVALID_CURSOR = "invalid_cursor"             # 400: tampered or foreign cursor / page token
    UNAUTHORIZED = "unauthorized"                 # 401: no or bad access token
    TOKEN_EXPIRED = "token_expired"               # 401: access token expired
    INVALID_CREDENTIALS = "invalid_credentials"   # 401: wrong username or password
    INVALID_REFRESH_TOKEN = "invalid_refresh_token"  # 401: unknown, expired or revoked
    REFRESH_TOKEN_REUSED = "refresh_token_reused"  # 401: reuse detected, family revoked
    FORBIDDEN = "forbidden"                       # 403: role or jurisdiction not allowed
    ACCOUNT_DISABLED = "account_disabled"         # 403: right password, deactivated account
    PASSWORD_EXPIRED = "password_expired"         # 403: change the password first (/v1/auth/password)
    PASSWORD_CHANGE_REQUIRED = "password_change_required"  # 403: set by an admin (new/reset): change it first
    PASSWORD_REJECTED = "password_rejected"       # 400: new password fails the policy or history
    ACCOUNT_LOCKED = "account_locked"             # 423: too many wrong passwords (Retry-After)
    CERTIFICATE_MISMATCH = "certificate_mismatch"  # 401: client certificate missing or not the account's
    NOT_FOUND = "not_found"                       # 404
    METHOD_NOT_ALLOWED = "method_not_allowed"     # 405
    REQUEST_IN_PROGRESS = "request_in_progress"   # 409: same ops being processed right now
    CONFLICT = "conflict"                         # 409: admin action on a changed object
    RESYNC_REQUIRED = "resync_required"           # 410: cursor older than the retention / epoch
    PAYLOAD_TOO_LARGE = "payload_too_large"       # 413: body, decompressed body or op count
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"  # 415
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"  # 422: same op_id, other payload
    VALIDATION_FAILED = "validation_failed"       # 422: an office edit the rule engine refuses
    CLIENT_TOO_OLD = "client_too_old"             # 426
    RATE_LIMITED = "rate_limited"                 # 429
    UNAVAILABLE = "unavailable"                   # 503
    INTERNAL = "internal_error"                   # 500 (a bug; never for bad input)


class RequestModel(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class WireModel(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


# ---------------------------------------------------------------- problems, health

class Problem(WireModel):
    """RFC 9457 problem details with a stable `code`."""

    type: str = "about:blank"
    title: str
    status: int
    code: str
    detail: str | None = None
    request_id: str | None = None
    errors: list[dict[str, Any]] | None = None
    op_id: str | None = None
    retry_after: int | None = None


class Health(WireModel):
    status: Literal["ok"] = "ok"
    server_time: datetime
    api_version: str = API_VERSION
    min_client_version: str = MIN_CLIENT_VERSION
    server_version: str | None = None
    training: bool = False


# ---------------------------------------------------------------- auth

class TokenRequest(RequestModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)
    device_id: str = Field(min_length=1, max_length=128)


class RefreshRequest(RequestModel):
    refresh_token: str = Field(min_length=1, max_length=512)
    device_id: str | None = Field(default=None, max_length=128)


class UserInfo(WireModel):
    username: str
    display_name: str
    role: Role
    jurisdiction: str


class TokenResponse(WireModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int
    refresh_token: str
    refresh_expires_in: int
    user: UserInfo
    password_expired: bool = False   # only /v1/auth/password accepts this access token
    password_change_required: bool = False   # new or reset by an admin: likewise, until changed
    offline_unlock_days: int = 7     # server policy: days the app may unlock its store offline


class LogoutRequest(RequestModel):
    refresh_token: str = Field(min_length=1, max_length=512)


class PasswordChange(RequestModel):
    old_password: str = Field(min_length=1, max_length=256)
    new_password: str = Field(min_length=1, max_length=256)
    device_id: str = Field(min_length=1, max_length=128)


# ---------------------------------------------------------------- records and pulls

class Record(WireModel):
    """A case as the client stores it: `type` is the case kind (error, birth, duplicates)."""

    type: str
    id: str
    version: int
    data: dict[str, Any]


class Removed(WireModel):
    reason: TombstoneReason
    to: str | None = None          # username the case was reassigned to
    at: datetime


class Tombstone(WireModel):
    type: str
    id: str
    version: int
    removed: Removed


Change = Union[Tombstone, Record]


def parse_change(obj: dict[str, Any]) -> Record | Tombstone:
    """A change from a pull page: a tombstone when it carries `removed`, else a record."""
    if "removed" in obj:
        return Tombstone.model_validate(obj)
    return Record.model_validate(obj)


class BootstrapPage(WireModel):
    """One page of a full snapshot. `cursor` and `scope_digest` are set on the last page only."""

    records: list[Record]
    next_page_token: str | None = None
    cursor: str | None = None
    scope_digest: str | None = None
    server_time: datetime | None = None


class ChangesPage(WireModel):
    """One page of changes. `scope_digest` is set when `has_more` is false (caught up)."""

    changes: list[Union[Tombstone, Record]]
    next_cursor: str
    has_more: bool
    scope_digest: str | None = None
    server_time: datetime


class ManifestEntry(WireModel):
    id: str
    version: int
    type: str | None = None


class Manifest(WireModel):
    """`records` is the `[{id, version}]` of the user's scope, sorted by id."""

    records: list[ManifestEntry]
    scope_digest: str
    cursor: str | None = None      # changes after this cursor are not reflected in `records`
    server_time: datetime


def compute_scope_digest(pairs: Iterable[tuple[str, int]]) -> str:
    """sha256 hex over the sorted (id, version) pairs, each written as "<id>\\t<version>\\n"."""
    h = hashlib.sha256()
    for record_id, version in sorted((str(i), int(v)) for i, v in pairs):
        h.update(f"{record_id}\t{version}\n".encode("utf-8"))
    return h.hexdigest()


# ---------------------------------------------------------------- push

class FieldChange(RequestModel):
    """`{"from": old, "to": new}`; serialize with `by_alias=True`."""

    from_: str | None = Field(default=None, alias="from")
    to: str | None = None


class Op(RequestModel):
    op_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")
    record_id: str = Field(min_length=1, max_length=64)
    action: str = Field(min_length=1, max_length=40)
    base_version: int = Field(ge=0, le=2**53)
    prev_op_id: str | None = Field(default=None, min_length=1, max_length=64)
    changes: dict[str, FieldChange] | None = None
    payload: dict[str, Any] | None = None
    client_edited_at: str | None = Field(default=None, max_length=64)


class PushRequest(RequestModel):
    device_id: str = Field(min_length=1, max_length=128)
    client_version: str = Field(min_length=1, max_length=32)
    ops: list[Op]


class RuleError(WireModel):
    code: str
    severity: str = "E"
    fields: list[str] = []
    message: str = ""
    params: dict[str, Any] = {}


class FieldConflict(WireModel):
    base: Any = None
    server: Any = None
    mine: Any = None
    changed_by: str | None = None
    changed_at: datetime | None = None


class ChangeAuthor(WireModel):
    version: int
    actor: str
    at: datetime
    action: str | None = None
    fields: list[str] = []


class OpResult(WireModel):
    op_id: str
    status: OpStatus
    new_version: int | None = None
    record: Record | None = None
    # applied_with_merge: fields the server changed since base_version (the worker is told)
    merged_fields: list[str] | None = None
    # conflict
    server_version: int | None = None
    server_record: Record | None = None
    fields: dict[str, FieldConflict] | None = None
    changed_by: list[ChangeAuthor] | None = None
    # rejected
    errors: list[RuleError] | None = None
    # gone
    reason: str | None = None
    to: str | None = None
    # blocked
    blocked_by: str | None = None
    # duplicate: the status the op got the first time
    original_status: str | None = None
    message: str | None = None


class PushResponse(WireModel):
    results: list[OpResult]
    server_time: datetime


def version_tuple(text: str) -> tuple[int, ...]:
    """'0.1.2' -> (0, 1, 2); raises ValueError for anything else."""
    parts = text.strip().split(".")
    if not parts or len(parts) > 4 or not all(p.isdigit() and len(p) <= 6 for p in parts):
        raise ValueError(f"bad version {text!r}")
    return tuple(int(p) for p in parts)
