"""Office and trainer actions under /v1/admin: edit persons, withdraw/reassign/add/delete cases,
reset the training data, retention and fault hooks for tests (training servers only). Every route
checks the caller's role and jurisdiction (sync.server.access); accounts are in admin_users."""


import json
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError

from sync.protocol import ErrorCode, Problem
from sync.server import render, schema as t, validation
from client.domain.values import ValueRefused, normalize_person
from sync.server.audit import actor_of
from sync.server.access import OFFICE, check_assignee, covers, require_role
from sync.server.app import ServerState
from sync.server.errors import ApiError, forbidden


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PersonEdit(_In):
    changes: dict[str, str | None] = Field(min_length=1)
    note: str = Field(default="", max_length=2000)
    plant_errors: bool = False    # training servers: a trainer plants rule errors on purpose


class CaseNote(_In):
    note: str = Field(default="", max_length=2000)


class Reassign(_In):
    to: str = Field(min_length=1, max_length=64)
    note: str = Field(default="", max_length=2000)


class AddCases(_In):
    persons: list[dict[str, Any]] = []
    households: list[dict[str, Any]] = []
    cases: list[dict[str, Any]] = Field(min_length=1, max_length=10000)


class FaultRule(_In):
    path_prefix: str = Field(min_length=1, max_length=200)
    status: Literal[429, 503]
    count: int = Field(ge=1, le=1000)
    retry_after: int = Field(default=1, ge=0, le=3600)


TRAINING = ("admin", "trainer")
_ERR: dict[int | str, dict[str, Any]] = {c: {"model": Problem} for c in (400, 401, 403, 404, 409, 426)}


def admin_router(state: ServerState) -> APIRouter:
    from sync.server.dataset import add_cases, as_dataset, reset_to_start

    store, audit = state.store, state.audit
    router = APIRouter(prefix="/v1/admin", tags=["admin"], responses=_ERR)

    def role_user(*roles: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
        def dep(user: Annotated[dict[str, Any], Depends(state.app_current_user)]) -> dict[str, Any]:
            require_role(user, roles)
            return user
        return dep

    def training_user(user: Annotated[dict[str, Any], Depends(role_user(*TRAINING))]) -> dict[str, Any]:
        if not store.training:
            # The test hooks do not exist on a server of real data.
            raise ApiError(404, ErrorCode.NOT_FOUND, "此功能只在培训服务器上提供")
        return user

    Office = Annotated[dict[str, Any], Depends(role_user(*OFFICE))]
    Trainer = Annotated[dict[str, Any], Depends(training_user)]

    def own_case(conn: Connection, user: dict[str, Any], case_id: str) -> dict[str, Any]:
        """The case, when its place and its assignee are inside the caller's jurisdiction."""
        case = store.get_case(conn, case_id)
        if case is None or not covers(user["jurisdiction"], case["place"]):
            raise ApiError(404, ErrorCode.NOT_FOUND, f"任务 {case_id} 不存在")
        assignee = store.user_by_name(conn, case["assigned_to"])
        if assignee is not None and not covers(user["jurisdiction"], assignee["jurisdiction"]):
            raise ApiError(404, ErrorCode.NOT_FOUND, f"任务 {case_id} 不存在")
        return case

    def person_place(conn: Connection, person: dict[str, Any]) -> str:
        return render.case_place("error", {"person_id": person["person_id"]}, store.lookup(conn))

    def new_rule_errors(conn: Connection, old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
        """Severity-E findings of `new` that `old` did not have (an edit of a person who already
        has an error case is not blocked by that error)."""
        lk, today = store.lookup(conn), store.today()

        def errors(p: dict[str, Any]) -> list[dict[str, Any]]:
            members = [m for m in lk.members(p["household_id"]) if m["person_id"] != p["person_id"]] \
                if p.get("household_id") else []
            return [f for f in render.person_findings(p, members, lk, today) if f["severity"] == "E"]

        before = {(f["code"], tuple(f["fields"])) for f in errors(old)}
        return [f for f in errors(new) if (f["code"], tuple(f["fields"])) not in before]

    def own_person(conn: Connection, user: dict[str, Any], person_id: str) -> dict[str, Any]:
        person = store.get_person(conn, person_id)
        if person is None or not covers(user["jurisdiction"], person_place(conn, person)):
            raise ApiError(404, ErrorCode.NOT_FOUND, f"人员 {person_id} 不存在")
        return person

    @router.get("/persons/{person_id}", response_model=None)
    def get_person(person_id: str, user: Office) -> dict[str, Any]:
        with store.write() as conn:   # the read is recorded (工作留痕)
            person = own_person(conn, user, person_id)
            audit.append(conn, **actor_of(user), action="admin_read_person", target=person_id, detail=None)
            return person

    @router.patch("/persons/{person_id}", response_model=None)
    def edit_person(person_id: str, body: PersonEdit, user: Office) -> dict[str, Any]:
        bad = [f for f in body.changes if f not in validation.PERSON_FIELDS or f in ("person_id",)]
        if bad:
            raise ApiError(400, ErrorCode.MALFORMED, f"未知或不可修改的字段: {', '.join(bad)}")
        if body.plant_errors and not (store.training and user["role"] in TRAINING):
            raise forbidden("只有培训服务器上的培训讲师可以故意制造错误数据")
        try:   # ID numbers normalized, lengths and invisible characters refused, as for workers
            values = validation.normalized_changes(body.changes)
        except validation.ValueRefusedError as exc:
            raise ApiError(400, ErrorCode.MALFORMED, str(exc), errors=exc.findings) from None
        with store.write() as conn:
            person = own_person(conn, user, person_id)
            old_household = person.get("household_id")
            new = {k: v for k, v in person.items() if k != "status"}
            for f, v in values.items():
                if v is None:
                    new.pop(f, None)
                else:
                    new[f] = v
            introduced = new_rule_errors(conn, person, new)
            if introduced and not body.plant_errors:
                # The same rule engine as worker ops: an office edit may not introduce an error.
                raise ApiError(422, ErrorCode.VALIDATION_FAILED, "修改后的数据不符合校验规则：" +
                               "；".join(f["message"] for f in introduced)[:500], errors=introduced)
            store.write_person(conn, new, actor=user["username"], action="admin_edit")
            audit.append(conn, **actor_of(user), action="admin_edit_person", target=person_id,
                         outcome="planted_errors" if introduced else "ok",
                         detail={"fields": sorted(body.changes), "note": body.note})
            if not covers(user["jurisdiction"], person_place(conn, new)):
                raise forbidden("不能把人员移到本账号辖区以外")
            households = {h for h in (old_household, new.get("household_id")) if h is not None}
            bumped = store.touch_affected(conn, {person_id}, households,
                                          actor=user["username"], action="admin_edit")
        return {"person_id": person_id, "cases_changed": bumped}

    @router.get("/cases", response_model=None)
    def list_cases(user: Office, assigned_to: Annotated[str, Query(min_length=1, max_length=64)],
                   status: Annotated[str | None, Query(max_length=16)] = None) -> dict[str, Any]:
        """One worker's cases with their current data (trainers: a trainee's progress and the
        class actions that pick each trainee's copy of a teaching case)."""
        q = select(t.cases).where(t.cases.c.assigned_to == assigned_to,
                                  t.cases.c.place.like(user["jurisdiction"] + "%"))
        if status:
            q = q.where(t.cases.c.status == status)
        with store.read() as conn:
            worker = store.user_by_name(conn, assigned_to)
            if worker is None or not covers(user["jurisdiction"], worker["jurisdiction"]):
                raise ApiError(404, ErrorCode.NOT_FOUND, f"用户 {assigned_to} 不存在")
            rows = [dict(r._mapping) for r in conn.execute(q.order_by(t.cases.c.case_id))]
        audit.record(user, "admin_list_cases", assigned_to, detail={"status": status, "count": len(rows)})
        return {"cases": [{"record": store.case_record(r), "status": r["status"],
                           "assigned_to": r["assigned_to"], "updated_at": r["updated_at"]} for r in rows]}

    @router.get("/cases/{case_id}", response_model=None)
    def get_case(case_id: str, user: Office) -> dict[str, Any]:
        with store.write() as conn:
            case = own_case(conn, user, case_id)
            audit.append(conn, **actor_of(user), action="admin_read_case", target=case_id, detail=None)
            return {"record": store.case_record(case), "status": case["status"],
                    "assigned_to": case["assigned_to"], "place": case["place"],
                    "resolution": json.loads(case["resolution"]) if case["resolution"] else None,
                    "history": [{k: v for k, v in h.items() if k != "data"}
                                for h in store.history_since(conn, case_id, 0)]}

    def _close(case_id: str, user: dict[str, Any], status: str, note: str) -> dict[str, Any]:
        with store.write() as conn:
            case = own_case(conn, user, case_id)
            if case["status"] != "open":
                raise ApiError(409, ErrorCode.CONFLICT, f"任务 {case_id} 已不是待办状态（{case['status']}）")
            case = store.commit_case(conn, case, actor=user["username"], action=f"admin_{status}",
                                     status=status, resolution={"note": note, "by": user["username"]})
            audit.append(conn, **actor_of(user), action=f"admin_{status}", target=case_id, detail={"note": note})
        return {"id": case_id, "version": case["version"], "status": status}

    @router.post("/cases/{case_id}/withdraw", response_model=None)
    def withdraw(case_id: str, body: CaseNote, user: Office) -> dict[str, Any]:
        return _close(case_id, user, "withdrawn", body.note)

    @router.post("/cases/{case_id}/delete", response_model=None)
    def delete_case(case_id: str, body: CaseNote, user: Office) -> dict[str, Any]:
        return _close(case_id, user, "deleted", body.note)

    @router.post("/cases/{case_id}/reassign", response_model=None)
    def reassign(case_id: str, body: Reassign, user: Office) -> dict[str, Any]:
        with store.write() as conn:
            case = own_case(conn, user, case_id)
            check_assignee(user, store.user_by_name(conn, body.to), case["place"])
            status = "open"
            prev = case["assigned_to"]
            case = store.commit_case(conn, case, actor=user["username"], action="admin_reassign",
                                     assigned_to=body.to, status=status)
            audit.append(conn, **actor_of(user), action="admin_reassign", target=case_id,
                         detail={"from": prev, "to": body.to, "note": body.note})
        return {"id": case_id, "version": case["version"], "assigned_to": body.to}

    @router.post("/cases", status_code=201, response_model=None)
    def add(body: AddCases, user: Office) -> dict[str, Any]:
        ds = as_dataset(body.model_dump())
        try:   # the same value rules as edits (ID numbers normalized, lengths, hidden characters)
            ds.persons = [normalize_person(p) if isinstance(p, dict) else p for p in ds.persons]
        except ValueRefused as exc:
            raise ApiError(400, ErrorCode.MALFORMED, str(exc)) from None
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
                for c in ds.cases:
                    added = store.get_case(conn, c["id"])
                    assert added is not None  # add_cases has just written it
                    place = added["place"]
                    if not covers(user["jurisdiction"], place):
                        raise forbidden(f"任务 {c['id']} 的所在地 {place or '（未知）'} 不在本账号辖区内")
                    check_assignee(user, store.user_by_name(conn, c["assigned_to"]), place)
                audit.append(conn, **actor_of(user), action="admin_add_cases", target=f"{len(ds.cases)} cases",
                             detail={"cases": [c["id"] for c in ds.cases][:200]})
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ApiError(400, ErrorCode.MALFORMED, f"任务数据无效: {exc}"[:300]) from None
        except IntegrityError:
            raise ApiError(409, ErrorCode.CONFLICT, "人员、户或任务编号重复") from None
        return {"added": [c["id"] for c in ds.cases]}

    @router.post("/reset", response_model=None)
    def reset(user: Trainer) -> dict[str, Any]:
        try:
            report = reset_to_start(store, actor=user["username"])
        except LookupError:
            raise ApiError(409, ErrorCode.CONFLICT, "没有可恢复的初始数据") from None
        audit.record(user, "training_reset", detail={"cases": report.cases})
        return {"persons": report.persons, "households": report.households, "cases": report.cases}

    @router.post("/compact", response_model=None)
    def compact(user: Annotated[dict[str, Any], Depends(role_user(*TRAINING))]) -> dict[str, Any]:
        return {"deleted": store.prune(force=True)}

    @router.post("/faults", response_model=None)
    def faults(body: FaultRule, user: Trainer) -> dict[str, Any]:
        state.faults.add(body.path_prefix, body.status, body.count, body.retry_after)
        audit.record(user, "training_faults", body.path_prefix, detail=body.model_dump())
        return {"ok": True}

    @router.delete("/faults", response_model=None)
    def clear_faults(user: Trainer) -> dict[str, Any]:
        state.faults.clear()
        return {"ok": True}

    return router
