"""Accounts under /v1/admin/users: list with progress, create, change (role, jurisdiction, active,
password). Nobody creates or raises an account beyond their own role or jurisdiction; a password
reset or a deactivation revokes every login of the account at once."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection, func, select, update

from sync.protocol import ErrorCode, Problem
from sync.server import schema as t
from sync.server.audit import actor_of, query as audit_query
from sync.server.access import ACCOUNT_MANAGERS, AUDIT_READERS, JURISDICTION_PATTERN, OFFICE, check_account_change, require_role
from sync.server.errors import ApiError, malformed
from sync.server.passwords import PasswordRejected, check_new_password, check_policy, remember_old_password
from sync.server.security import hash_password
from sync.server.store import iso

User = dict[str, Any]
Role = Literal["admin", "auditor", "county", "township", "trainer"]


class NewUser(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    password: str = Field(min_length=1, max_length=256)
    role: Role
    jurisdiction: str = Field(pattern=JURISDICTION_PATTERN)
    display_name: str = Field(default="", max_length=128)


class UserPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Role | None = None
    jurisdiction: str | None = Field(default=None, pattern=JURISDICTION_PATTERN)
    active: bool | None = None
    password: str | None = Field(default=None, min_length=1, max_length=256)


def revoke_all_tokens(conn: Connection, user_id: int) -> None:
    """Every refresh token of the account; its access tokens die with their family."""
    conn.execute(update(t.refresh_tokens).where(t.refresh_tokens.c.user_id == user_id)
                 .values(revoked=True, successor_response=None))


def users_router(state: Any) -> APIRouter:
    store = state.store
    router = APIRouter(prefix="/v1/admin", tags=["admin"],
                       responses={c: {"model": Problem} for c in (400, 401, 403, 404, 409, 426)})

    def office(user: Annotated[User, Depends(state.app_current_user)]) -> User:
        require_role(user, OFFICE)
        return user

    def auditor(user: Annotated[User, Depends(state.app_current_user)]) -> User:
        require_role(user, AUDIT_READERS, "查看审计日志")
        return user

    def manager(user: Annotated[User, Depends(state.app_current_user)]) -> User:
        require_role(user, ACCOUNT_MANAGERS, "账号管理")
        return user

    @router.get("/audit")
    def read_audit(user: Annotated[User, Depends(auditor)],
                   since: Annotated[str | None, Query(max_length=32)] = None,
                   until: Annotated[str | None, Query(max_length=32)] = None,
                   username: Annotated[str | None, Query(alias="user", max_length=64)] = None,
                   after_seq: Annotated[int, Query(ge=0, le=2 ** 62)] = 0,
                   limit: Annotated[int, Query(ge=1, le=5000)] = 1000) -> dict[str, Any]:
        """The audit log for auditors and admins: entries of the accounts inside the caller's
        jurisdiction, oldest first (page with after_seq); reading it is recorded too."""
        with store.write() as conn:
            entries = list(audit_query(conn, since=since, until=until, user=username,
                                       actors_in=user["jurisdiction"], after_seq=after_seq, limit=limit))
            state.audit.append(conn, **actor_of(user), action="audit_read", target=username or "",
                               detail={"since": since, "until": until, "count": len(entries)})
        return {"entries": entries, "next_after_seq": entries[-1]["seq"] if len(entries) == limit else None}

    @router.get("/users")
    def list_users(user: Annotated[User, Depends(office)]) -> dict[str, Any]:
        with store.read() as conn:
            rows = conn.execute(select(t.users).where(t.users.c.jurisdiction.like(user["jurisdiction"] + "%"))
                                .order_by(t.users.c.username)).all()
            counts: dict[tuple[str, str], int] = {}
            for r in conn.execute(select(t.cases.c.assigned_to, t.cases.c.status, func.count())
                                  .where(t.cases.c.place.like(user["jurisdiction"] + "%"))
                                  .group_by(t.cases.c.assigned_to, t.cases.c.status)):
                counts[(r[0], r[1])] = r[2]
        out = []
        for r in rows:
            open_n, done = counts.get((r.username, "open"), 0), counts.get((r.username, "completed"), 0)
            out.append({"username": r.username, "display_name": r.display_name, "role": r.role,
                        "jurisdiction": r.jurisdiction, "active": r.active,
                        "open": open_n, "completed": done,
                        "progress": round(done / (open_n + done), 4) if open_n + done else None})
        return {"users": out}

    @router.post("/users", status_code=201)
    def create_user(body: NewUser, user: Annotated[User, Depends(manager)]) -> dict[str, Any]:
        check_account_change(user, role=body.role, jurisdiction=body.jurisdiction, training=store.training)
        try:
            check_policy(body.password, body.username)
        except PasswordRejected as exc:
            raise malformed(str(exc)) from None
        with store.write() as conn:
            if store.user_by_name(conn, body.username):
                raise ApiError(409, ErrorCode.CONFLICT, f"用户 {body.username} 已存在")
            store.add_user(conn, body.username, hash_password(body.password, store.config.kdf_n), body.role,
                           body.jurisdiction, body.display_name or body.username,
                           must_change_password=True)   # the owner sets their own at the first login
            state.audit.append(conn, **actor_of(user), action="account_create", target=body.username,
                               detail={"role": body.role, "jurisdiction": body.jurisdiction})
        return {"username": body.username}

    @router.patch("/users/{username}")
    def patch_user(username: str, body: UserPatch, user: Annotated[User, Depends(manager)]) -> dict[str, Any]:
        with store.write() as conn:
            target = store.user_by_name(conn, username)
            if target is None:
                raise ApiError(404, ErrorCode.NOT_FOUND, f"用户 {username} 不存在")
            check_account_change(user, role=body.role or target["role"],
                                 jurisdiction=body.jurisdiction or target["jurisdiction"],
                                 training=store.training, target=target)
            values: dict[str, Any] = {}
            if body.role is not None and body.role != target["role"]:
                values.update(role=body.role, epoch=target["epoch"] + 1)
            if body.jurisdiction is not None and body.jurisdiction != target["jurisdiction"]:
                # The scope rule changed: every cursor of this user now answers 410.
                values.update(jurisdiction=body.jurisdiction, epoch=target["epoch"] + 1)
            if body.active is not None:
                values["active"] = body.active
            if body.password is not None:
                try:
                    check_new_password(conn, target, body.password)
                except PasswordRejected as exc:
                    raise malformed(str(exc)) from None
                remember_old_password(conn, target, iso(store.now()))
                values.update(password_hash=hash_password(body.password, store.config.kdf_n),
                              password_changed_at=iso(store.now()), failed_logins=0, locked_until=None,
                              must_change_password=True)   # a reset: the owner sets their own next
            if values:
                conn.execute(update(t.users).where(t.users.c.username == username).values(**values))
            if body.password is not None or body.active is False:
                revoke_all_tokens(conn, target["id"])
            changed = sorted(body.model_dump(exclude_none=True))
            state.audit.append(conn, **actor_of(user), action="account_change", target=username,
                               detail={"fields": changed, **{k: v for k, v in body.model_dump(exclude_none=True)
                                                             .items() if k != "password"}})
        return {"username": username}

    return router
