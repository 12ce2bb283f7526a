"""Office and trainer actions under /v1/admin: edit persons, withdraw/reassign/add/delete cases,
users and their progress, reset the training data, retention and fault hooks for tests."""


import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from sync.protocol import ErrorCode, Problem
from sync.server import schema as t, validation
from sync.server.errors import ApiError, forbidden
from sync.server.security import hash_password


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PersonEdit(_In):
    changes: dict[str, str | None] = Field(min_length=1)
    note: str = Field(default="", max_length=2000)


class CaseNote(_In):
    note: str = Field(default="", max_length=2000)


class Reassign(_In):
    to: str = Field(min_length=1, max_length=64)
    note: str = Field(default="", max_length=2000)


class AddCases(_In):
    persons: list[dict[str, Any]] = []
    households: list[dict[str, Any]] = []
    cases: list[dict[str, Any]] = Field(min_length=1, max_length=10000)


class NewUser(_In):
    username: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    password: str = Field(min_length=6, max_length=256)
    role: Literal["township", "county", "trainer", "admin"]
    jurisdiction: str = Field(pattern=r"^\d{0,12}$")
    display_name: str = Field(default="", max_length=128)


class UserPatch(_In):
    jurisdiction: str | None = Field(default=None, pattern=r"^\d{0,12}$")
    active: bool | None = None
    password: str | None = Field(default=None, min_length=6, max_length=256)


class FaultRule(_In):
    path_prefix: str = Field(min_length=1, max_length=200)
    status: Literal[429, 503]
    count: int = Field(ge=1, le=1000)
    retry_after: int = Field(default=1, ge=0, le=3600)


OFFICE = ("admin", "trainer", "county")
TRAINING = ("admin", "trainer")
_ERR = {c: {"model": Problem} for c in (400, 401, 403, 404, 409, 426)}


def admin_router(state) -> APIRouter:
    from sync.server.dataset import add_cases, as_dataset, reset_to_start

    store = state.store
    router = APIRouter(prefix="/v1/admin", tags=["admin"], responses=_ERR)

    def role_user(*roles):
        def dep(user: Annotated[dict[str, Any], Depends(state.app_current_user)]) -> dict[str, Any]:
            if user["role"] not in roles:
                raise forbidden("此操作需要管理员或培训讲师权限")
            return user
        return dep

    Office = Annotated[dict, Depends(role_user(*OFFICE))]
    Trainer = Annotated[dict, Depends(role_user(*TRAINING))]

    def own_case(conn, user: dict[str, Any], case_id: str) -> dict[str, Any]:
        case = store.get_case(conn, case_id)
        if case is None or not case["place"].startswith(user["jurisdiction"]):
            raise ApiError(404, ErrorCode.NOT_FOUND, f"任务 {case_id} 不存在")
        return case

    @router.get("/users")
    def list_users(user: Office):
        with store.read() as conn:
            rows = conn.execute(select(t.users).where(t.users.c.jurisdiction.like(user["jurisdiction"] + "%"))
                                .order_by(t.users.c.username)).all()
            counts: dict[tuple[str, str], int] = {}
            for r in conn.execute(select(t.cases.c.assigned_to, t.cases.c.status, func.count())
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
    def create_user(body: NewUser, user: Trainer):
        with store.write() as conn:
            if store.user_by_name(conn, body.username):
                raise ApiError(409, ErrorCode.CONFLICT, f"用户 {body.username} 已存在")
            store.add_user(conn, body.username, hash_password(body.password, store.config.kdf_n), body.role,
                           body.jurisdiction, body.display_name or body.username)
        return {"username": body.username}

    @router.patch("/users/{username}")
    def patch_user(username: str, body: UserPatch, user: Trainer):
        with store.write() as conn:
            target = store.user_by_name(conn, username)
            if target is None:
                raise ApiError(404, ErrorCode.NOT_FOUND, f"用户 {username} 不存在")
            values: dict[str, Any] = {}
            if body.jurisdiction is not None and body.jurisdiction != target["jurisdiction"]:
                # The scope rule changed: every cursor of this user now answers 410.
                values.update(jurisdiction=body.jurisdiction, epoch=target["epoch"] + 1)
            if body.active is not None:
                values["active"] = body.active
            if body.password is not None:
                values["password_hash"] = hash_password(body.password, store.config.kdf_n)
            if values:
                conn.execute(update(t.users).where(t.users.c.username == username).values(**values))
        return {"username": username}

    @router.get("/persons/{person_id}")
    def get_person(person_id: str, user: Office):
        with store.read() as conn:
            p = store.get_person(conn, person_id)
        if p is None:
            raise ApiError(404, ErrorCode.NOT_FOUND, f"人员 {person_id} 不存在")
        return p

    @router.patch("/persons/{person_id}")
    def edit_person(person_id: str, body: PersonEdit, user: Office):
        bad = [f for f in body.changes if f not in validation.PERSON_FIELDS or f in ("person_id",)]
        if bad:
            raise ApiError(400, ErrorCode.MALFORMED, f"未知或不可修改的字段: {', '.join(bad)}")
        with store.write() as conn:
            person = store.get_person(conn, person_id)
            if person is None:
                raise ApiError(404, ErrorCode.NOT_FOUND, f"人员 {person_id} 不存在")
            old_household = person.get("household_id")
            new = {k: v for k, v in person.items() if k != "status"}
            for f, v in body.changes.items():
                if v is None:
                    new.pop(f, None)
                else:
                    new[f] = v
            store.write_person(conn, new, actor=user["username"], action="admin_edit")
            bumped = store.touch_affected(conn, {person_id}, {old_household, new.get("household_id")} - {None},
                                          actor=user["username"], action="admin_edit")
        return {"person_id": person_id, "cases_changed": bumped}

    @router.get("/cases")
    def list_cases(user: Office, assigned_to: Annotated[str, Query(min_length=1, max_length=64)],
                   status: Annotated[str | None, Query(max_length=16)] = None):
        """One worker's cases with their current data (trainers: a trainee's progress and the
        class actions that pick each trainee's copy of a teaching case)."""
        q = select(t.cases).where(t.cases.c.assigned_to == assigned_to,
                                  t.cases.c.place.like(user["jurisdiction"] + "%"))
        if status:
            q = q.where(t.cases.c.status == status)
        with store.read() as conn:
            rows = [dict(r._mapping) for r in conn.execute(q.order_by(t.cases.c.case_id))]
        return {"cases": [{"record": store.case_record(r), "status": r["status"],
                           "assigned_to": r["assigned_to"], "updated_at": r["updated_at"]} for r in rows]}

    @router.get("/cases/{case_id}")
    def get_case(case_id: str, user: Office):
        with store.read() as conn:
            case = own_case(conn, user, case_id)
            return {"record": store.case_record(case), "status": case["status"],
                    "assigned_to": case["assigned_to"], "place": case["place"],
                    "resolution": json.loads(case["resolution"]) if case["resolution"] else None,
                    "history": [{k: v for k, v in h.items() if k != "data"}
                                for h in store.history_since(conn, case_id, 0)]}

    def _close(case_id: str, user: dict[str, Any], status: str, note: str):
        with store.write() as conn:
            case = own_case(conn, user, case_id)
            if case["status"] != "open":
                raise ApiError(409, ErrorCode.CONFLICT, f"任务 {case_id} 已不是待办状态（{case['status']}）")
            case = store.commit_case(conn, case, actor=user["username"], action=f"admin_{status}",
                                     status=status, resolution={"note": note, "by": user["username"]})
        return {"id": case_id, "version": case["version"], "status": status}

    @router.post("/cases/{case_id}/withdraw")
    def withdraw(case_id: str, body: CaseNote, user: Office):
        return _close(case_id, user, "withdrawn", body.note)

    @router.post("/cases/{case_id}/delete")
    def delete_case(case_id: str, body: CaseNote, user: Office):
        return _close(case_id, user, "deleted", body.note)

    @router.post("/cases/{case_id}/reassign")
    def reassign(case_id: str, body: Reassign, user: Office):
        with store.write() as conn:
            case = own_case(conn, user, case_id)
            target = store.user_by_name(conn, body.to)
            if target is None:
                raise ApiError(404, ErrorCode.NOT_FOUND, f"用户 {body.to} 不存在")
            if not target["jurisdiction"].startswith(user["jurisdiction"]):
                raise forbidden(f"用户 {body.to} 不在您的辖区内，不能改派给他")
            status = "open"
            case = store.commit_case(conn, case, actor=user["username"], action="admin_reassign",
                                     assigned_to=body.to, status=status)
        return {"id": case_id, "version": case["version"], "assigned_to": body.to}

    @router.post("/cases", status_code=201)
    def add(body: AddCases, user: Office):
        ds = as_dataset(body.model_dump())
        for c in ds.cases:
            if not isinstance(c.get("id"), str) or c.get("kind") not in ("error", "birth", "duplicates") \
                    or not isinstance(c.get("assigned_to"), str):
                raise ApiError(400, ErrorCode.MALFORMED, "每个任务需要 id、kind、assigned_to")
        for items, key in ((ds.persons, "person_id"), (ds.households, "household_id"), (ds.cases, "id")):
            ids = [x.get(key) if isinstance(x, dict) else None for x in items]
            if any(not isinstance(i, str) or not i for i in ids) or len(set(ids)) != len(ids):
                raise ApiError(400, ErrorCode.MALFORMED, f"{key} 缺失或重复")
        try:
            with store.write() as conn:
                add_cases(store, conn, ds, actor=user["username"])
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ApiError(400, ErrorCode.MALFORMED, f"任务数据无效: {exc}"[:300]) from None
        except IntegrityError:
            raise ApiError(409, ErrorCode.CONFLICT, "人员、户或任务编号重复") from None
        return {"added": [c["id"] for c in ds.cases]}

    @router.post("/reset")
    def reset(user: Trainer):
        try:
            report = reset_to_start(store, actor=user["username"])
        except LookupError:
            raise ApiError(409, ErrorCode.CONFLICT, "没有可恢复的初始数据") from None
        return {"persons": report.persons, "households": report.households, "cases": report.cases}

    @router.post("/compact")
    def compact(user: Trainer):
        return {"deleted": store.prune(force=True)}

    @router.post("/faults")
    def faults(body: FaultRule, user: Trainer):
        state.faults.add(body.path_prefix, body.status, body.count, body.retry_after)
        return {"ok": True}

    @router.delete("/faults")
    def clear_faults(user: Trainer):
        state.faults.clear()
        return {"ok": True}

    return router
