"""The services API (DESIGN.md "public scripting API"): what a worker does, each action validated
by the rule engine and written as overlay + outbox op + audit rows in one store transaction.
The UI, the headless CLI and scripts use only this module."""

from __future__ import annotations

import logging
import re
import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from client import keys, training
from client.domain.models import PERSON_FIELDS, Finding, Person
from client.domain.rules import (
    RuleConfig,
    RuleContext,
    apply_overrides,
    keep_unverifiable,
    validate_birth,
    validate_person,
)
from client.store import AuditEntry, Case, OutboxOp, Store, get_state, open_store, set_state, utc_now
from client.store import text_filter
from sync import errors as E
from sync.auth import Auth
from sync.engine import (
    LAST_SYNC_SERVER_TIME,
    OWNER,
    STUCK,
    UNFINISHED,
    SyncEngine,
    SyncResult,
    SyncState,
)
from sync.transport import RetryPolicy, Transport, load_device_id

log = logging.getLogger(__name__)

SERVER_URL = "server_url"
READ_ONLY_FIELDS = frozenset({"person_id", "household_id", "registered_at", "updated_at"})
BIRTH_REJECT_REASONS = ("not_local", "already_registered", "wrong_data")
CANNOT_VERIFY_REASONS = ("unverifiable", "not_local")
NON_BLOCKING = frozenset({"RULE_FAILED"})


# -- errors of the services layer ------------------------------------------------------------

class ValidationRefused(E.SyncError):
    """The rule engine refused the action: errors must be fixed, warnings need a reason.

    `errors` and `warnings` are domain Findings (code, severity, fields, message, params)."""

    code = "validation_refused"
    template = "保存失败:{summary}"

    def __init__(self, errors: list[Finding] | tuple = (), warnings: list[Finding] | tuple = (),
                 detail: str = "") -> None:
        self.errors = list(errors)
        self.warnings = list(warnings)
        parts = [f.message for f in self.errors]
        if self.warnings:
            parts += [f"{f.message}(如确认无误,请填写原因)" for f in self.warnings]
        super().__init__(detail or ",".join(f.code for f in self.findings),
                         summary=";".join(parts) or "数据未通过校验")

    @property
    def findings(self) -> list[Finding]:
        return self.errors + self.warnings


class TaskNotFound(E.SyncError):
    code = "task_not_found"
    template = "找不到任务 {task_id}:可能已被收回或删除,请先同步。"


class TaskReadOnly(E.SyncError):
    code = "task_read_only"
    template = "任务 {task_id} 已{state_name},不能再修改。"


class ActionNotAllowed(E.SyncError):
    code = "action_not_allowed"
    template = "{why}"


# -- views and results ---------------------------------------------------------------------

@dataclass(frozen=True)
class TaskView:
    """One case as the worker sees it: the server's version with the worker's edits on top."""

    id: str
    kind: str
    status: str  # open, pending, conflict, rejected, gone, done, archived
    version: int
    data: dict  # shadow with the overlay applied (what the worker sees and edits)
    shadow: dict  # the last server version
    overlay: dict | None
    removed: dict | None  # {reason, to?, at} when the case left the worker's scope
    pending_ops: int
    conflict: dict | None = None  # {op_id, server_version, fields: {f: {base, server, mine}}}
    errors: list = field(default_factory=list)  # rule errors of a rejected op
    merged_fields: list = field(default_factory=list)  # fields others changed (applied_with_merge)
    last_error: str | None = None

    @property
    def title(self) -> str:
        d = self.data
        if self.kind == "error":
            return (d.get("person") or {}).get("name") or ""
        if self.kind == "birth":
            return (d.get("proposed") or {}).get("name") or \
                (d.get("certificate") or {}).get("name") or ""
        return "、".join(m.get("name") or "" for m in d.get("members") or [])

    @property
    def editable(self) -> bool:
        return self.status not in ("done", "archived", "gone") and not (
            self.removed and self.pending_ops == 0)


@dataclass(frozen=True)
class OutboxItem:
    op_id: str
    task_id: str
    action: str
    state: str
    attempts: int
    base_version: int
    prev_op_id: str | None
    created_at: str
    sent_at: str | None
    done_at: str | None
    last_error: str | None
    changes: dict | None
    payload: dict | None
    owner: str


@dataclass(frozen=True)
class Changes:
    """What an operation changed, so views can decide whether to refresh (Anki's OpChanges)."""

    tasks: frozenset[str] = frozenset()
    outbox: bool = False
    all_tasks: bool = False

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.tasks | other.tasks, self.outbox or other.outbox,
                       self.all_tasks or other.all_tasks)


@dataclass(frozen=True)
class SyncReport:
    pushed: int
    pulled: int
    conflicts: list[str]
    rejected: list[str]
    gone: list[str]
    pending: int
    blocked: list[str]
    merged: dict[str, list[str]]
    removed: list[str]
    bootstrapped: bool
    digest_ok: bool | None
    requests: int
    server_time: str | None
    changes: Changes

    def to_dict(self) -> dict:
        return {"pushed": self.pushed, "pulled": self.pulled, "conflicts": len(self.conflicts),
                "rejected": len(self.rejected), "gone": len(self.gone), "pending": self.pending,
                "merged": len(self.merged), "removed": len(self.removed),
                "bootstrapped": self.bootstrapped, "digest_ok": self.digest_ok,
                "requests": self.requests, "server_time": self.server_time}


# -- the workspace -------------------------------------------------------------------------

def _user_slug(username: str) -> str:
    if re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", username) and username not in (".", ".."):
        return username
    return "u-" + hashlib.sha256(username.encode("utf-8")).hexdigest()[:24]


def user_dir(data_dir: str | Path, username: str) -> Path:
    return Path(data_dir) / "users" / _user_slug(username)


class Workspace:
    """One worker's local store plus (when online) the sync engine. Use login() or unlock()."""

    def __init__(self, store: Store, username: str, *, data_dir: Path, key: bytes,
                 transport: Transport | None = None, auth: Auth | None = None,
                 server_url: str | None = None, transport_options: dict | None = None) -> None:
        self.store = store
        self.username = username
        self.data_dir = Path(data_dir)
        self._key = key
        self.transport = transport
        self.auth = auth
        self.server_url = server_url
        self._transport_options = transport_options or {}
        self._engine: SyncEngine | None = None
        self._server_checked = False
        self.today: date | None = None  # rule engine "today" (tests pin it)

    # -- opening ---------------------------------------------------------------------------
    @classmethod
    def login(cls, data_dir: str | Path, server_url: str, username: str, password: str, *,
              previous_password: str | None = None, ca_bundle: str | None = None,
              client_cert: str | tuple[str, str] | None = None,
              timeout: tuple[float, float] | None = None, deadline: float | None = None,
              retry: RetryPolicy | None = None, page_limit: int | None = None,
              key_cost: dict | None = None) -> Workspace:
        """Online: check the password with the server, then create or unlock this user's store.

        A password changed online re-wraps the store key: pass the old one as previous_password
        (PasswordChanged says so when it is needed)."""
        data_dir = Path(data_dir)
        opts = {k: v for k, v in {"ca_bundle": ca_bundle, "client_cert": client_cert,
                                  "timeout": timeout, "deadline": deadline, "retry": retry,
                                  "page_limit": page_limit}.items() if v is not None}
        transport = _make_transport(data_dir, server_url, opts)
        auth = Auth(transport, username)
        try:
            auth.login(password)
        except BaseException:
            transport.close()
            raise
        udir = user_dir(data_dir, username)
        key_path = udir / "store.key.json"
        try:
            if keys.key_exists(key_path):
                try:
                    key = keys.unwrap_store_key(key_path, password)
                except E.WrongPassword:
                    if previous_password is None:
                        raise E.PasswordChanged("store key wrapped with another password")
                    key = keys.rewrap_store_key(key_path, previous_password, password)
            else:
                key = keys.create_store_key(key_path, password, username, **(key_cost or {}))
            store = open_store(udir / "store.db", key)
        except BaseException:
            transport.close()
            raise
        ws = cls(store, username, data_dir=data_dir, key=key, transport=transport, auth=auth,
                 server_url=server_url, transport_options=opts)
        try:
            training.check_server(store, transport)  # training data never meets a real server
            ws._server_checked = True
            ws._bind_owner(server_url)
        except BaseException:
            ws.close()
            raise
        return ws

    @classmethod
    def unlock(cls, data_dir: str | Path, username: str, password: str, *,
               transport_options: dict | None = None) -> Workspace:
        """Offline: open this user's existing store with the password last used on this PC."""
        data_dir = Path(data_dir)
        udir = user_dir(data_dir, username)
        key_path = udir / "store.key.json"
        if not keys.key_exists(key_path) or not (udir / "store.db").exists():
            raise E.NoLocalStore(username=username)
        key = keys.unwrap_store_key(key_path, password)
        store = open_store(udir / "store.db", key)
        with store.read() as s:
            server_url = get_state(s, SERVER_URL)
            owner = get_state(s, OWNER)
        if owner is not None and owner != username:
            store.close()
            raise E.WrongUser(owner=owner, username=username)
        return cls(store, username, data_dir=data_dir, key=key, server_url=server_url,
                   transport_options=transport_options)

    def _bind_owner(self, server_url: str) -> None:
        with self.store.write() as s:
            owner = get_state(s, OWNER)
            if owner is not None and owner != self.username:
                raise E.WrongUser(owner=owner, username=self.username)
            set_state(s, OWNER, self.username)
            set_state(s, SERVER_URL, server_url)
            if self.auth and self.auth.user:
                set_state(s, "user", self.auth.user)

    def reauthenticate(self, password: str) -> None:
        """Log in online again (expired refresh token); re-wraps the key if the password changed."""
        self._ensure_transport()
        assert self.auth is not None
        self.auth.login(password)
        key_path = user_dir(self.data_dir, self.username) / "store.key.json"
        try:
            keys.unwrap_store_key(key_path, password)
        except E.WrongPassword:
            keys.replace_store_key_password(key_path, self._key, password, self.username)

    def _ensure_transport(self) -> None:
        if self.transport is None:
            if not self.server_url:
                raise E.AuthExpired("no server known for this store")
            self.transport = _make_transport(self.data_dir, self.server_url,
                                             self._transport_options)
            self.auth = Auth(self.transport, self.username)

    @property
    def engine(self) -> SyncEngine:
        self._ensure_transport()
        if self._engine is None:
            assert self.transport is not None
            if not self._server_checked:  # login already asked this server what it is
                training.check_server(self.store, self.transport)  # refuse before any push
            self._engine = SyncEngine(self.store, self.transport, self.username,
                                      page_limit=self._transport_options.get("page_limit"))
        return self._engine

    @property
    def user(self) -> dict | None:
        if self.auth and self.auth.user:
            return self.auth.user
        with self.store.read() as s:
            return get_state(s, "user")

    def close(self) -> None:
        """Close the network (interrupting a running sync) and the store. Idempotent."""
        if self.transport is not None:
            self.transport.close()
        if self._engine is not None:
            self._engine.close()
        self.store.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- sync ------------------------------------------------------------------------------
    def sync(self, state: SyncState | None = None) -> SyncReport:
        """Push the outbox, then pull until caught up. Blocking: run it in an executor."""
        res: SyncResult = self.engine.sync(state)
        pending = self.pending_count()
        return SyncReport(pushed=res.pushed, pulled=res.pulled, conflicts=res.conflicts,
                          rejected=res.rejected, gone=res.gone, pending=pending,
                          blocked=res.blocked,
                          merged=res.merged, removed=res.removed, bootstrapped=res.bootstrapped,
                          digest_ok=res.digest_ok, requests=res.requests,
                          server_time=res.server_time,
                          changes=Changes(frozenset(res.changed), outbox=True,
                                          all_tasks=res.bootstrapped))

    def last_sync_time(self) -> str | None:
        with self.store.read() as s:
            return get_state(s, LAST_SYNC_SERVER_TIME)

    # -- reading ---------------------------------------------------------------------------
    def tasks(self, kind: str | None = None, status: str | None = None,
              text: str | None = None, limit: int | None = None) -> list[TaskView]:
        """Cases filtered in SQL; text matches name, ID number or pinyin initials."""
        with self.store.read() as s:
            q = select(Case)
            if kind:
                q = q.where(Case.kind == kind)
            if status:
                q = q.where(Case.local_state == status)
            if text and text.strip():
                q = q.where(text_filter(text))
            q = q.order_by(Case.id)
            if limit:
                q = q.limit(limit)
            cases = s.execute(q).scalars().all()
            return [self._view(s, c) for c in cases]

    def task(self, task_id: str) -> TaskView:
        with self.store.read() as s:
            case = s.get(Case, task_id)
            if case is None:
                raise TaskNotFound(task_id=task_id)
            return self._view(s, case)

    def count(self, kind: str | None = None, status: str | None = None) -> int:
        with self.store.read() as s:
            q = select(func.count()).select_from(Case)
            if kind:
                q = q.where(Case.kind == kind)
            if status:
                q = q.where(Case.local_state == status)
            return int(s.execute(q).scalar_one())

    def _view(self, s: Session, case: Case) -> TaskView:
        ops = _ops_of(s, case.id)
        unfinished = [o for o in ops if o.state in UNFINISHED]
        conflict = None
        errors: list = []
        merged: list = []
        last_error = None
        for o in ops:
            res = o.result or {}
            if o.state == "conflict":
                conflict = {"op_id": o.op_id, "action": o.action,
                            "server_version": res.get("server_version"),
                            "fields": res.get("fields") or {},
                            "changed_by": res.get("changed_by") or []}
            elif o.state == "rejected":
                errors = res.get("errors") or []
            if o.state == "done" and res.get("merged_fields"):
                merged = res["merged_fields"]
            if o.state in STUCK:
                last_error = o.last_error
        shadow = case.shadow_data or {}
        return TaskView(id=case.id, kind=case.kind, status=case.local_state,
                        version=case.shadow_version, data=_apply_overlay(case.kind, shadow,
                                                                         case.overlay),
                        shadow=shadow, overlay=case.overlay, removed=case.removed,
                        pending_ops=len(unfinished), conflict=conflict, errors=errors,
                        merged_fields=merged, last_error=last_error)

    def outbox(self, include_finished: bool = False) -> list[OutboxItem]:
        with self.store.read() as s:
            q = select(OutboxOp).where(OutboxOp.owner == self.username).order_by(OutboxOp.seq)
            if not include_finished:
                q = q.where(OutboxOp.state.in_(UNFINISHED))
            return [OutboxItem(op_id=o.op_id, task_id=o.case_id, action=o.action, state=o.state,
                               attempts=o.attempts or 0, base_version=o.base_version,
                               prev_op_id=o.prev_op_id, created_at=o.created_at,
                               sent_at=o.sent_at, done_at=o.done_at, last_error=o.last_error,
                               changes=(o.payload or {}).get("changes"),
                               payload=(o.payload or {}).get("payload"), owner=o.owner)
                    for o in s.execute(q).scalars()]

    def pending_count(self) -> int:
        """Ops not yet finished (waiting to send, in flight, or waiting for the worker)."""
        with self.store.read() as s:
            return int(s.execute(select(func.count()).select_from(OutboxOp).where(
                OutboxOp.owner == self.username, OutboxOp.state.in_(UNFINISHED))).scalar_one())

    def audit(self, task_id: str) -> list[dict]:
        with self.store.read() as s:
            rows = s.execute(select(AuditEntry).where(AuditEntry.case_id == task_id)
                             .order_by(AuditEntry.id)).scalars()
            return [{"at": a.at, "actor": a.actor, "op_id": a.op_id, "field": a.field,
                     "old": a.old, "new": a.new, "reason": a.reason} for a in rows]

    # -- actions on error records ------------------------------------------------------------
    def fix_error(self, task_id: str, changes: dict[str, Any], note: str = "",
                  overrides: dict[str, str] | None = None) -> Changes:
        """Correct fields of an error record; `changes` maps field -> new value."""
        changes = _clean_changes(changes)
        with self.store.write() as s:
            case = self._editable(s, task_id, "error")
            view = _apply_overlay(case.kind, case.shadow_data, case.overlay)
            person = dict(view.get("person") or {})
            delta = {f: v for f, v in changes.items() if person.get(f) != v}
            if not delta:
                raise ActionNotAllowed(why="没有需要保存的修改。")
            new_person = {k: v for k, v in {**person, **delta}.items() if v is not None}
            self._check(error_findings(case.shadow_data or {}, new_person, self.today), overrides)
            wanted = dict((case.overlay or {}).get("changes") or {}) \
                if (case.overlay or {}).get("action") == "fix_error" else {}
            wanted.update(delta)
            shadow_person = (case.shadow_data or {}).get("person") or {}
            wanted = {f: v for f, v in wanted.items() if shadow_person.get(f) != v}
            payload = {"note": note or "", "overrides": dict(overrides or {})}
            op = self._write_op(
                s, case, "fix_error", payload=payload,
                field_delta={f: {"from": person.get(f), "to": v} for f, v in delta.items()},
                full_changes={f: {"from": shadow_person.get(f), "to": v}
                              for f, v in wanted.items()})
            case.overlay = {"action": "fix_error", "changes": wanted, "payload": payload,
                            "edited_at": utc_now()} if wanted else None
            for f, v in delta.items():
                self._audit(s, case.id, op, field=f, old=person.get(f), new=v, reason=note)
            _reindex(s, case)
        return Changes(frozenset({task_id}), outbox=True)

    def confirm_error(self, task_id: str, reason: str,
                      overrides: dict[str, str] | None = None) -> Changes:
        """The record is right as it is; the reason also explains every warning it has."""
        reason = _required_text(reason, "请填写核实无误的原因。")
        with self.store.write() as s:
            case = self._editable(s, task_id, "error")
            view = case.shadow_data or {}
            findings = error_findings(view, view.get("person") or {}, self.today)
            ov = {f.code: reason for f in findings if f.severity == "W"}
            ov.update(overrides or {})
            self._check(findings, ov)
            payload = {"reason": reason, "overrides": ov}
            self._simple_action(s, case, "confirm_error", payload, reason)
        return Changes(frozenset({task_id}), outbox=True)

    def cannot_verify(self, task_id: str, reason_code: str, note: str = "") -> Changes:
        """无法核实 / 非本辖区: reason_code "unverifiable" or "not_local"."""
        if reason_code not in CANNOT_VERIFY_REASONS:
            raise ActionNotAllowed(why="请选择“无法核实”或“非本辖区”。")
        with self.store.write() as s:
            case = self._editable(s, task_id, "error")
            self._simple_action(s, case, "cannot_verify",
                                {"reason_code": reason_code, "note": note or ""}, note)
        return Changes(frozenset({task_id}), outbox=True)

    # -- births ----------------------------------------------------------------------------
    def confirm_birth(self, task_id: str, changes: dict[str, Any] | None = None,
                      household_id: str | None = None, relation: str | None = None, *,
                      new_household: dict | None = None, twins_confirmed: bool = False,
                      overrides: dict[str, str] | None = None) -> Changes:
        """Confirm (and complete) the newborn and register it into a household."""
        changes = _clean_changes(changes or {})
        with self.store.write() as s:
            case = self._editable(s, task_id, "birth")
            data = case.shadow_data or {}
            proposed = {k: v for k, v in (data.get("proposed") or {}).items()
                        if k not in ("person_id", "household_id")}
            person = {k: v for k, v in {**proposed, **changes}.items()
                      if v is not None and k not in ("person_id", "household_id")}
            relation = relation or changes.get("relation") or proposed.get("relation")
            if (household_id is None) == (new_household is None):
                raise ActionNotAllowed(why="请选择一个现有户或新立户(只能选一个)。")
            if not relation:
                raise ActionNotAllowed(why="请选择与户主的关系。")
            person["relation"] = relation
            household = None
            if household_id is not None:
                household = next((h for h in data.get("households") or []
                                  if h.get("household_id") == household_id), None)
                if household is None:
                    raise ActionNotAllowed(why=f"户 {household_id} 不在可选的户中。")
            # Registering into a household (入户) gives the newborn its place; the hukou type
            # follows the mother's unless the worker chose one.
            place = (household or {}).get("place") or (new_household or {}).get("place")
            if place:
                person.setdefault("hukou_place", place)
                person.setdefault("residence_place", place)
            mother = data.get("mother") or {}
            if mother.get("hukou_type"):
                person.setdefault("hukou_type", mother["hukou_type"])
            ctx = RuleContext(
                today=self.today,
                household=[Person.from_dict(m) for m in (household or {}).get("members") or []],
                mother=Person.from_dict(data["mother"]) if data.get("mother") else None,
                father=Person.from_dict(data["father"]) if data.get("father") else None,
                existing_children=_known_children(data),
                certificate=data.get("certificate"), twins_confirmed=twins_confirmed, birth=True)
            findings = validate_birth(data.get("certificate") or {}, Person.from_dict(person), ctx)
            self._check(findings, overrides)
            payload = {"person": person, "household_id": household_id,
                       "new_household": new_household, "relation": relation,
                       "twins_confirmed": bool(twins_confirmed),
                       "overrides": dict(overrides or {})}
            self._simple_action(s, case, "confirm_birth", payload, None,
                                overlay_changes={k: v for k, v in person.items()
                                                 if proposed.get(k) != v})
        return Changes(frozenset({task_id}), outbox=True)

    def reject_birth(self, task_id: str, reason: str, note: str = "",
                     existing_person_id: str | None = None) -> Changes:
        if reason not in BIRTH_REJECT_REASONS:
            raise ActionNotAllowed(why="请选择退回原因:非本地居住、已登记或数据有误。")
        if reason == "already_registered" and not existing_person_id:
            raise ActionNotAllowed(why="请选择已登记的人员。")
        payload: dict[str, Any] = {"reason": reason, "note": note or ""}
        if existing_person_id:
            payload["existing_person_id"] = existing_person_id
        with self.store.write() as s:
            case = self._editable(s, task_id, "birth")
            self._simple_action(s, case, "reject_birth", payload, note or reason)
        return Changes(frozenset({task_id}), outbox=True)

    # -- duplicates ------------------------------------------------------------------------
    def merge_duplicates(self, task_id: str, survivor_id: str,
                         field_choices: dict[str, str] | None = None,
                         overrides: dict[str, str] | None = None) -> Changes:
        """Merge the group into survivor_id, taking each field from the chosen member.
        `overrides` gives the worker's reasons for warnings of the merged record."""
        field_choices = dict(field_choices or {})
        with self.store.write() as s:
            case = self._editable(s, task_id, "duplicates")
            members = (case.shadow_data or {}).get("members") or []
            ids = [m.get("person_id") for m in members]
            if survivor_id not in ids:
                raise ActionNotAllowed(why="保留的记录不在这组疑似重复人员中。")
            bad = [f for f, pid in field_choices.items()
                   if pid not in ids or f not in PERSON_FIELDS or f in READ_ONLY_FIELDS]
            if bad:
                raise ActionNotAllowed(why="字段选择无效:" + "、".join(bad))
            blockers = _merge_blockers(members)
            if blockers:
                raise ValidationRefused(errors=[Finding(code=c, severity="E", fields=(),
                                                        message=_blocker_message(c), params={})
                                                for c in blockers])
            payload = {"survivor_id": survivor_id, "field_choices": field_choices,
                       "member_ids": ids}
            if overrides:
                payload["overrides"] = dict(overrides)
            self._simple_action(s, case, "merge_duplicates", payload, None)
        return Changes(frozenset({task_id}), outbox=True)

    def mark_not_duplicate(self, task_id: str, reason: str,
                           id_corrections: dict[str, str] | None = None,
                           overrides: dict[str, str] | None = None) -> Changes:
        """Not the same person; corrected ID numbers must have no errors, and the reason also
        explains their warnings (the server refuses a warning without one)."""
        reason = _required_text(reason, "请填写不是同一人的原因。")
        id_corrections = dict(id_corrections or {})
        with self.store.write() as s:
            case = self._editable(s, task_id, "duplicates")
            members = {m.get("person_id"): m for m in (case.shadow_data or {}).get("members") or []}
            errors: list[Finding] = []
            ov: dict[str, str] = {}
            for pid, number in id_corrections.items():
                if pid not in members:
                    raise ActionNotAllowed(why=f"人员 {pid} 不在这组记录中。")
                fixed = {**members[pid], "id_number": number}
                found = [f for f in validate_person(Person.from_dict(fixed),
                                                    RuleContext(today=self.today))
                         if "id_number" in f.fields and f.code not in NON_BLOCKING]
                errors += [f for f in found if f.severity == "E"]
                ov.update({f.code: reason for f in found if f.severity == "W"})
            if errors:
                raise ValidationRefused(errors=errors)
            ov.update(overrides or {})
            payload = {"reason": reason, "id_corrections": id_corrections}
            if ov:
                payload["overrides"] = ov
            self._simple_action(s, case, "mark_not_duplicate", payload, reason)
        return Changes(frozenset({task_id}), outbox=True)

    # -- conflicts and discarding --------------------------------------------------------------
    def resolve_conflict(self, task_id: str, choices: dict[str, Any]) -> Changes:
        """Resolve the case's conflict. For field edits `choices` maps each conflicting field to
        "mine", "server" or an explicit value; for other actions {"keep": True} sends the same
        decision again on the server's new version and {"keep": False} drops it."""
        with self.store.write() as s:
            case = s.get(Case, task_id)
            if case is None:
                raise TaskNotFound(task_id=task_id)
            ops = [o for o in _ops_of(s, task_id) if o.state in UNFINISHED]
            head = next((o for o in ops if o.state == "conflict"), None)
            if head is None:
                raise ActionNotAllowed(why="这个任务没有需要处理的冲突。")
            overlay = case.overlay or {}
            fields = (head.result or {}).get("fields") or {}
            shadow_person = (case.shadow_data or {}).get("person") or {}
            if head.action == "fix_error":
                missing = [f for f in fields if f not in choices]
                if missing:
                    raise ActionNotAllowed(why="请为每个冲突字段选择保留哪个值:" + "、".join(missing))
                wanted = dict(overlay.get("changes") or {})
                for f, choice in choices.items():
                    if choice == "server":
                        wanted.pop(f, None)
                    elif choice == "mine":
                        wanted[f] = (fields.get(f) or {}).get("mine", wanted.get(f))
                    else:
                        wanted[f] = choice
                wanted = {f: v for f, v in wanted.items() if shadow_person.get(f) != v}
                self._supersede(s, ops, "resolved")
                if not wanted:
                    case.overlay = None
                    case.local_state = "open"
                    self._audit(s, case.id, None, reason="冲突处理:采用服务器的值")
                    return Changes(frozenset({task_id}), outbox=True)
                new_person = {k: v for k, v in {**shadow_person, **wanted}.items() if v is not None}
                payload = dict((head.payload or {}).get("payload") or {})
                self._check(error_findings(case.shadow_data or {}, new_person, self.today),
                            payload.get("overrides"))
                op = self._new_op(s, case, "fix_error", payload=payload,
                                  changes={f: {"from": shadow_person.get(f), "to": v}
                                           for f, v in wanted.items()}, prev=None)
                case.overlay = {"action": "fix_error", "changes": wanted, "payload": payload,
                                "edited_at": utc_now()}
                case.local_state = "pending"
                for f, v in wanted.items():
                    self._audit(s, case.id, op, field=f, old=shadow_person.get(f), new=v,
                                reason="冲突处理")
                _reindex(s, case)
            else:
                keep = choices.get("keep", True)
                self._supersede(s, ops, "resolved")
                if not keep:
                    case.overlay = None
                    case.local_state = "open"
                    self._audit(s, case.id, None, reason="冲突处理:放弃本机的处理")
                else:
                    payload = dict((head.payload or {}).get("payload") or {})
                    op = self._new_op(s, case, head.action, payload=payload, changes=None,
                                      prev=None)
                    case.local_state = "pending"
                    self._audit(s, case.id, op, new=payload, reason="冲突处理:在新版本上重新提交")
        return Changes(frozenset({task_id}), outbox=True)

    def discard(self, task_id: str) -> Changes:
        """Drop the worker's unfinished edits of a case (e.g. a withdrawn case). Ops already
        sent whose outcome is unknown cannot be discarded: the next sync settles them."""
        with self.store.write() as s:
            case = s.get(Case, task_id)
            if case is None:
                raise TaskNotFound(task_id=task_id)
            ops = [o for o in _ops_of(s, task_id) if o.state in UNFINISHED]
            in_flight = [o for o in ops if o.state in ("pending", "sending") and o.attempts]
            if in_flight:
                raise ActionNotAllowed(why="这项修改已发送,正在等待服务器确认,请先同步后再放弃。")
            self._supersede(s, ops, "discarded")
            case.overlay = None
            case.local_state = "archived" if case.removed else "open"
            self._audit(s, case.id, None, reason="放弃本机修改")
        return Changes(frozenset({task_id}), outbox=True)

    # -- internals ---------------------------------------------------------------------------
    def _editable(self, s: Session, task_id: str, kind: str) -> Case:
        case = s.get(Case, task_id)
        if case is None:
            raise TaskNotFound(task_id=task_id)
        if case.kind != kind:
            raise ActionNotAllowed(why=f"任务 {task_id} 不是这类任务。")
        if case.local_state in ("done", "archived", "gone") or (
                case.removed is not None and not _unfinished(s, task_id)):
            names = {"done": "完成", "archived": "不再分配给您", "gone": "被收回"}
            raise TaskReadOnly(task_id=task_id,
                               state_name=names.get(case.local_state, "不再分配给您"))
        return case

    def _check(self, findings: list[Finding], overrides: dict[str, str] | None) -> None:
        # A rule that crashed says nothing about the record: like the server, it never blocks.
        findings = [f for f in findings if f.code not in NON_BLOCKING]
        verdict = apply_overrides(findings, overrides or {})
        if not verdict.ok:
            raise ValidationRefused(errors=list(verdict.errors),
                                    warnings=list(verdict.unexplained_warnings))

    def _simple_action(self, s: Session, case: Case, action: str, payload: dict,
                       reason: str | None, overlay_changes: dict | None = None) -> None:
        op = self._write_op(s, case, action, payload=payload, field_delta=None,
                            full_changes=None)
        case.overlay = {"action": action, "payload": payload, "edited_at": utc_now(),
                        **({"changes": overlay_changes} if overlay_changes else {})}
        self._audit(s, case.id, op, new=payload, reason=reason)

    def _write_op(self, s: Session, case: Case, action: str, *, payload: dict,
                  field_delta: dict | None, full_changes: dict | None) -> OutboxOp:
        """Fold into the unsent op, chain behind a sent one, or start afresh after a stuck one."""
        ops = [o for o in _ops_of(s, case.id) if o.state in UNFINISHED]
        stuck = [o for o in ops if o.state in STUCK]
        if stuck:
            if any(o.state == "gone" for o in stuck):
                raise ActionNotAllowed(why="这个任务已被收回或改派,不能再修改;可以导出或放弃本机修改。")
            # A conflict or rejection is settled by a new op carrying the whole intent on the
            # current server version; the old ops are superseded (never applied by the server).
            self._supersede(s, ops, "replaced")
            op = self._new_op(s, case, action, payload=payload, changes=full_changes, prev=None)
        else:
            last = ops[-1] if ops else None
            if last is not None and not last.attempts and last.state == "pending":
                op = last
                body = dict(op.payload or {})
                if action == "fix_error" and op.action == "fix_error":
                    merged = dict(body.get("changes") or {})
                    for f, ch in (field_delta or {}).items():
                        if f in merged:
                            merged[f] = {"from": merged[f]["from"], "to": ch["to"]}
                            if merged[f]["from"] == ch["to"]:
                                del merged[f]
                        else:
                            merged[f] = ch
                    body["changes"] = merged
                else:
                    body["changes"] = full_changes if action == "fix_error" else None
                body["payload"] = payload
                body["client_edited_at"] = utc_now()
                op.action = action
                op.payload = body
                if action == "fix_error" and not body.get("changes"):
                    # Edited back to the server's values: nothing left to send.
                    op.state = "superseded"
                    op.last_error = "folded to nothing"
            elif last is not None:
                op = self._new_op(s, case, action, payload=payload,
                                  changes=field_delta if action == "fix_error" else None,
                                  prev=last.op_id)
            else:
                op = self._new_op(s, case, action, payload=payload, changes=full_changes,
                                  prev=None)
        case.local_state = "pending" if op.state != "superseded" or _unfinished(s, case.id) \
            else "open"
        return op

    def _new_op(self, s: Session, case: Case, action: str, *, payload: dict,
                changes: dict | None, prev: str | None) -> OutboxOp:
        body: dict[str, Any] = {"payload": payload, "client_edited_at": utc_now()}
        if changes is not None:
            body["changes"] = changes
        op = OutboxOp(op_id=str(uuid.uuid4()), case_id=case.id, action=action,
                      base_version=case.shadow_version, prev_op_id=prev, payload=body,
                      state="pending", attempts=0, owner=self.username, created_at=utc_now())
        s.add(op)
        s.flush()
        return op

    def _supersede(self, s: Session, ops: list[OutboxOp], why: str) -> None:
        for o in ops:
            o.state = "superseded"
            o.last_error = why
            o.done_at = utc_now()

    def _audit(self, s: Session, case_id: str, op: OutboxOp | None, *, field: str | None = None,
               old: Any = None, new: Any = None, reason: str | None = None) -> None:
        s.add(AuditEntry(at=utc_now(), actor=self.username, case_id=case_id,
                         op_id=op.op_id if op is not None else None, field=field, old=old,
                         new=new, reason=reason))


# -- rule context of an error case -------------------------------------------------------------

# Changing one of these points the server at other parents, so its parent findings may be stale.
PARENT_LINK_FIELDS = frozenset({"mother_id_number", "father_id_number"})


def error_context(data: dict, person: Person | dict, today: date | None = None) -> RuleContext:
    """What the client knows around an error record: its household, and the parents when they
    live in it (found by ID number, as the server finds them). The mother's other children are
    unknown here (the server looks them up county-wide), so those rules stay the server's."""
    p = person if isinstance(person, Person) else Person.from_dict(person or {})
    members = [Person.from_dict(m) for m in data.get("household") or []]

    def parent(id_number: str | None) -> Person | None:
        return next((m for m in members if id_number and m.id_number == id_number), None)

    return RuleContext(today=today, household=members, mother=parent(p.mother_id_number),
                       father=parent(p.father_id_number))


def error_findings(data: dict, person: Person | dict, today: date | None = None, *,
                   config: RuleConfig | None = None) -> list[Finding]:
    """Findings of `person` (the worker's version of the record of error case `data`, the server's
    version): the local rule engine's, plus the server's findings the client cannot re-check
    (PARENT_* when a parent lives elsewhere, the birth interval), so that warnings get the
    worker's reason and errors are shown before the strict server would reject the op.
    A kept error whose fields the worker changed is left to the server: it may be fixed."""
    p = person if isinstance(person, Person) else Person.from_dict(
        {k: v for k, v in (person or {}).items() if v is not None})
    ctx = error_context(data, p, today)
    fresh = validate_person(p, ctx, config)
    base = data.get("person") or {}
    changed = {f for f in PERSON_FIELDS if (base.get(f) or None) != (getattr(p, f, None) or None)}
    previous = []
    for raw in data.get("findings") or []:
        if not isinstance(raw, dict):
            continue
        f = Finding.from_dict(raw)
        if f.severity == "E" and changed & (set(f.fields) | PARENT_LINK_FIELDS):
            continue
        previous.append(f)
    return keep_unverifiable(previous, fresh, ctx)


def _known_children(data: dict) -> list[Person]:
    """The mother's children the birth case shows (members of the offered households with her
    ID number as mother_id_number, as the server finds them): birth interval, possible twin."""
    mother_id = (data.get("mother") or {}).get("id_number")
    if not mother_id:
        return []
    seen: dict[str, Person] = {}
    for h in data.get("households") or []:
        for m in h.get("members") or []:
            if m.get("mother_id_number") == mother_id and m.get("person_id"):
                seen.setdefault(m["person_id"], Person.from_dict(m))
    return list(seen.values())


# -- helpers ----------------------------------------------------------------------------------

def _make_transport(data_dir: Path, server_url: str, opts: dict) -> Transport:
    kw = {k: v for k, v in opts.items() if k in ("ca_bundle", "client_cert", "timeout",
                                               "deadline", "retry")}
    return Transport(server_url, device_id=load_device_id(data_dir), **kw)


def _ops_of(s: Session, case_id: str) -> list[OutboxOp]:
    return list(s.execute(select(OutboxOp).where(OutboxOp.case_id == case_id)
                          .order_by(OutboxOp.seq)).scalars())


def _unfinished(s: Session, case_id: str) -> bool:
    return s.execute(select(OutboxOp.op_id).where(OutboxOp.case_id == case_id,
                                                  OutboxOp.state.in_(UNFINISHED))
                     .limit(1)).first() is not None


def _apply_overlay(kind: str, shadow: dict, overlay: dict | None) -> dict:
    if not overlay or not overlay.get("changes"):
        return dict(shadow or {})
    data = dict(shadow or {})
    key = {"error": "person", "birth": "proposed"}.get(kind)
    if key:
        merged = {**(data.get(key) or {}), **overlay["changes"]}
        data[key] = {k: v for k, v in merged.items() if v is not None}
    return data


def _reindex(s: Session, case: Case) -> None:
    try:
        from client.store import reindex_case
    except ImportError:  # older store without it: search uses the shadow until the next pull
        return
    reindex_case(s, case.id, case.kind, _apply_overlay(case.kind, case.shadow_data, case.overlay))


def _clean_changes(changes: dict[str, Any]) -> dict[str, str | None]:
    if not isinstance(changes, dict):
        raise ActionNotAllowed(why="修改内容格式不对。")
    bad = [f for f in changes if f not in PERSON_FIELDS or f in READ_ONLY_FIELDS]
    if bad:
        raise ActionNotAllowed(why="这些字段不能修改:" + "、".join(map(str, bad)))
    out: dict[str, str | None] = {}
    for f, v in changes.items():
        if v is None:
            out[f] = None
        else:
            text = str(v).strip()
            out[f] = text or None
    return out


def _required_text(text: str | None, why: str) -> str:
    if text is None or not str(text).strip():
        raise ActionNotAllowed(why=why)
    return str(text).strip()


def _merge_blockers(members: list[dict]) -> list[str]:
    try:
        from client.domain import merge
    except ImportError:  # the merge rules have not landed: the server still checks
        return []
    people = [Person.from_dict(m) for m in members]
    try:
        return list(merge.merge_blockers(people))
    except TypeError:
        return list(merge.merge_blockers(members))


def _blocker_message(code: str) -> str:
    try:
        from client.domain.messages import message_for  # type: ignore[attr-defined]
        return message_for(code)
    except Exception:  # noqa: BLE001 - fall back to a general sentence
        return f"这些记录不能合并({code})。"
