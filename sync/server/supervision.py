"""Supervision: progress per township or village of the account's jurisdiction, the workers' last
sync and what their PCs still hold, and the office's deadlines on cases.

`GET /v1/progress?level=county|township|village[&place=CODE]` counts the cases whose place lies in
the account's jurisdiction (its division code is a prefix of the case's place: 4 digits for a
city, 6 for a county, 9 for a township), grouped by the first 6, 9 or 12 digits of the place.

Figures, per row:
- open, done (completed), withdrawn (withdrawn or deleted by the office), overdue (open with a
  deadline before today), oldest_open_days (days since the oldest open case was loaded);
- conflict, rejected: open cases whose assignee's last op on them was answered so, i.e. the
  worker must resolve or redo it;
- waiting: open cases for which the assignee's PC still held unsent operations when it last
  synced (`POST /v1/sync/status`, sent by the client at the end of each sync). Work done offline
  after that sync is not known to the server: each worker's `last_sync` says how old the figure is.
"""


import json
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import Connection, delete, insert, select

from client.domain.divisions import division_tree
from sync.protocol import ErrorCode, Problem
from sync.server import render, schema as t
from sync.server.access import OFFICE, WORKERS, covers, require_role
from sync.server.audit import AuditLog, actor_of
from sync.server.errors import ApiError, forbidden
from sync.server.store import Store, dumps, iso, parse_iso

LEVEL_DIGITS = {"county": 6, "township": 9, "village": 12}
KINDS = ("error", "birth", "duplicates")
MAX_PENDING_REPORTED = 20000
_ERR: dict[int | str, dict[str, Any]] = {c: {"model": Problem} for c in (400, 401, 403, 404, 409, 426)}


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DeadlinePatch(_In):
    deadline: str | None = Field(max_length=10)

    @field_validator("deadline")
    @classmethod
    def _is_date(cls, v: str | None) -> str | None:
        return None if v is None else date.fromisoformat(v).isoformat()


class SyncStatus(_In):
    device_id: str = Field(min_length=1, max_length=128)
    pending: dict[str, int] = Field(default_factory=dict, max_length=MAX_PENDING_REPORTED)

    @field_validator("pending")
    @classmethod
    def _counts(cls, v: dict[str, int]) -> dict[str, int]:
        if any(not 0 < len(k) <= 64 or not 0 <= n <= 10000 for k, n in v.items()):
            raise ValueError("pending: case ids of 1-64 characters, counts 0-10000")
        return v


# Progress and the cases behind it: workers and the office, never the auditor (separation of
# duties: the auditor reads the audit log only).
SUPERVISION_READERS = tuple(dict.fromkeys(WORKERS + OFFICE))


def place_name(code: str) -> str:
    d = division_tree().get(code)
    return d.name if d is not None else code


def _blank() -> dict[str, Any]:
    return {"open": 0, "done": 0, "conflict": 0, "rejected": 0, "waiting": 0, "withdrawn": 0,
            "overdue": 0}


def progress(store: Store, conn: Connection, user: dict[str, Any], level: str,
             place: str | None) -> dict[str, Any]:
    """The progress answer (see the module doc) for `user`, within `place` if given."""
    digits = LEVEL_DIGITS[level]
    prefix = place or user["jurisdiction"]
    now = store.now()
    today = now.date().isoformat()
    c = t.cases.c
    rows: dict[str, dict[str, Any]] = {}
    oldest: dict[str, str] = {}
    open_cases: dict[str, tuple[str, str, str]] = {}   # case_id -> (row key, assignee, kind)
    for r in conn.execute(select(c.case_id, c.kind, c.status, c.place, c.assigned_to, c.deadline,
                                 c.created_at, c.updated_at).where(c.place.like(prefix + "%"))):
        key = r.place[:digits]
        row = rows.get(key)
        if row is None:
            row = rows[key] = _blank() | {"by_kind": {}, "_workers": set()}
        kind = row["by_kind"].setdefault(r.kind, _blank())
        if r.status == "open":
            state = "open"
            open_cases[r.case_id] = (key, r.assigned_to, r.kind)
            row["_workers"].add(r.assigned_to)
            since = r.created_at or r.updated_at
            if key not in oldest or since < oldest[key]:
                oldest[key] = since
            if r.deadline and r.deadline < today:
                row["overdue"] += 1
                kind["overdue"] += 1
        elif r.status == "completed":
            state = "done"
        else:
            state = "withdrawn"
        row[state] += 1
        kind[state] += 1
    _count_stuck(conn, rows, open_cases, prefix)
    statuses = _device_statuses(conn, {u for row in rows.values() for u in row["_workers"]} |
                                _users_in(conn, prefix))
    for cid, (key, assignee, _kind) in open_cases.items():
        if cid in statuses.get(assignee, {}).get("pending", ()):
            rows[key]["waiting"] += 1
    out = []
    staff = _users_by_place(conn, prefix)
    for key in sorted(rows):
        row = rows[key]
        names = row.pop("_workers") | {u for code, users in staff.items() if code.startswith(key)
                                       for u in users}
        row["workers"] = [_worker(u, statuses.get(u)) for u in sorted(names)]
        since = oldest.get(key)
        row["oldest_open_days"] = (now - parse_iso(since)).days if since else None
        out.append({"place": key, "name": place_name(key), **row})
    return {"as_of": iso(now), "level": level, "place": prefix, "name": place_name(prefix) if prefix else "",
            "rows": out}


def _count_stuck(conn: Connection, rows: dict[str, dict[str, Any]],
                 open_cases: dict[str, tuple[str, str, str]], prefix: str) -> None:
    """conflict / rejected: the newest result of the assignee's ops on an open case (one query)."""
    if not open_cases:
        return
    o, c = t.op_results.c, t.cases.c
    q = (select(o.record_id, o.status).join(t.cases, c.case_id == o.record_id)
         .where(c.place.like(prefix + "%"), c.status == "open", o.username == c.assigned_to)
         .order_by(o.seq, o.at))
    newest: dict[str, str] = {}
    for r in conn.execute(q):
        newest[r.record_id] = r.status    # later rows win
    for case_id, status in newest.items():
        if status in ("conflict", "rejected") and case_id in open_cases:
            key, _assignee, kind = open_cases[case_id]
            rows[key][status] += 1
            rows[key]["by_kind"][kind][status] += 1


def _users_in(conn: Connection, prefix: str) -> set[str]:
    return {u for users in _users_by_place(conn, prefix).values() for u in users}


def _users_by_place(conn: Connection, prefix: str) -> dict[str, list[str]]:
    """Township (and village) workers by their jurisdiction, within `prefix`."""
    out: dict[str, list[str]] = {}
    u = t.users.c
    for r in conn.execute(select(u.username, u.jurisdiction).where(
            u.jurisdiction.like(prefix + "%"), u.role == "township", u.active.is_(True))):
        out.setdefault(r.jurisdiction, []).append(r.username)
    return out


def _device_statuses(conn: Connection, usernames: set[str]) -> dict[str, dict[str, Any]]:
    """Per user: the newest last_sync over their devices and the union of what they hold."""
    out: dict[str, dict[str, Any]] = {}
    names = sorted(usernames)
    d = t.device_status.c
    for i in range(0, len(names), 500):
        for r in conn.execute(select(t.device_status).where(d.username.in_(names[i:i + 500]))):
            s = out.setdefault(r.username, {"last_sync": None, "pending_ops": 0, "pending": set()})
            if s["last_sync"] is None or r.last_sync > s["last_sync"]:
                s["last_sync"] = r.last_sync
            s["pending_ops"] += r.pending_ops
            s["pending"].update(json.loads(r.pending))
    return out


def _worker(username: str, status: dict[str, Any] | None) -> dict[str, Any]:
    return {"username": username, "last_sync": status["last_sync"] if status else None,
            "pending_ops": status["pending_ops"] if status else 0}


MAX_PLACE_CASES = 5000


def _title(kind: str, data: dict[str, Any]) -> str:
    if kind == "error":
        return (data.get("person") or {}).get("name") or ""
    if kind == "birth":
        return (data.get("proposed") or {}).get("name") or (data.get("certificate") or {}).get("name") or ""
    return "、".join(m.get("name") or "" for m in data.get("members") or [])


def place_cases(store: Store, conn: Connection, place: str, state: str | None) -> list[dict[str, Any]]:
    """Summaries of the cases of a place (open first, then by deadline and id)."""
    c = t.cases.c
    q = select(c.case_id, c.kind, c.status, c.place, c.assigned_to, c.deadline, c.created_at,
               c.updated_at, c.version, c.data).where(c.place.like(place + "%"))
    today = store.now().date().isoformat()
    if state in ("open", "overdue"):
        q = q.where(c.status == "open")
    if state == "overdue":
        q = q.where(c.deadline < today)
    elif state == "done":
        q = q.where(c.status == "completed")
    out = []
    for r in conn.execute(q.order_by(c.case_id).limit(MAX_PLACE_CASES)):
        data = json.loads(r.data)
        out.append({"id": r.case_id, "kind": r.kind, "status": r.status, "place": r.place,
                    "assigned_to": r.assigned_to, "deadline": r.deadline, "version": r.version,
                    "title": _title(r.kind, data), "created_at": r.created_at, "updated_at": r.updated_at})
    out.sort(key=lambda x: (x["status"] != "open", x["deadline"] or "9999", x["id"]))
    return out


def supervision_router(state: Any) -> APIRouter:
    store: Store = state.store
    audit: AuditLog = state.audit
    router = APIRouter(responses=_ERR)
    User = Annotated[dict[str, Any], Depends(state.app_current_user)]

    @router.get("/v1/progress", tags=["supervision"])
    def get_progress(user: User, level: Annotated[Literal["county", "township", "village"], Query()] = "township",
                     place: Annotated[str | None, Query(pattern=r"^\d{2,12}$")] = None) -> dict[str, Any]:
        """Progress per county, township or village of the caller's jurisdiction (module doc)."""
        require_role(user, SUPERVISION_READERS, "查看进度")
        if place is not None and not covers(user["jurisdiction"], place):
            raise forbidden("该地区不在您的辖区内")
        with store.read() as conn:
            return progress(store, conn, user, level, place)

    @router.get("/v1/progress/cases", tags=["supervision"])
    def get_place_cases(user: User, place: Annotated[str, Query(pattern=r"^\d{2,12}$")],
                        state: Annotated[Literal["open", "overdue", "done"] | None, Query()] = None
                        ) -> dict[str, Any]:
        """The cases of a place of the caller's jurisdiction (at most 5000), for drilling down."""
        require_role(user, SUPERVISION_READERS, "查看进度")
        if not covers(user["jurisdiction"], place):
            raise forbidden("该地区不在您的辖区内")
        with store.read() as conn:
            cases = place_cases(store, conn, place, state)
        audit.record(user, "admin_list_place_cases", place, detail={"state": state, "count": len(cases)})
        return {"place": place, "cases": cases}

    @router.post("/v1/sync/status", tags=["sync"])
    def sync_status(body: SyncStatus, user: User) -> dict[str, Any]:
        """End of a sync: the cases this PC still holds unsent operations for."""
        pending = {k: v for k, v in body.pending.items() if v > 0}
        now = iso(store.now())
        d = t.device_status.c
        with store.write() as conn:
            conn.execute(delete(t.device_status).where(d.username == user["username"],
                                                       d.device_id == body.device_id))
            conn.execute(insert(t.device_status).values(
                username=user["username"], device_id=body.device_id, last_sync=now,
                pending_ops=sum(pending.values()), pending=dumps(sorted(pending))))
        return {"server_time": now}

    @router.patch("/v1/admin/cases/{case_id}", tags=["admin"])
    def patch_case(case_id: str, body: DeadlinePatch, user: User) -> dict[str, Any]:
        """Set or clear a case's deadline (office roles, within the jurisdiction; a new version)."""
        require_role(user, OFFICE, "设置期限")
        with store.write() as conn:
            case = store.get_case(conn, case_id)
            if case is None or not covers(user["jurisdiction"], case["place"]):
                raise ApiError(404, ErrorCode.NOT_FOUND, f"任务 {case_id} 不存在")
            if case["status"] != "open":
                raise ApiError(409, ErrorCode.CONFLICT, f"任务 {case_id} 已不是待办状态（{case['status']}）")
            spec = dict(case["spec_obj"])
            if body.deadline is None:
                spec.pop("deadline", None)
            else:
                spec["deadline"] = body.deadline
            data = render.render(case["kind"], spec, store.lookup(conn), status=case["status"],
                                 today=store.today())
            case = store.commit_case(conn, case, actor=user["username"], action="admin_deadline",
                                     data=data, spec=spec)
            audit.append(conn, **actor_of(user), action="admin_deadline", target=case_id,
                         outcome="ok", detail={"deadline": body.deadline, "version": case["version"]})
        return {"id": case_id, "version": case["version"], "deadline": body.deadline}

    return router
