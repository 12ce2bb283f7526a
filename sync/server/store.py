"""The server's storage: transactions, users, persons, cases, history and change log.

Writes are serialized by one process-wide lock (and BEGIN IMMEDIATE on SQLite), so the change-log
`seq` commits in order and a cursor can never pass a change that is not yet visible.
"""

from __future__ import annotations

import json
import threading
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from sqlalchemy import (Column, ColumnElement, Connection, Table, and_, bindparam, delete, func, insert, or_,
                        select, update)
from sqlalchemy.engine import make_url

from sync.server import migrate, render, schema as t
from sync.server.config import ServerConfig
from sync.server.db import PG_WRITE_LOCK, create_private, load_secret, make_engine, normalize_db_url
from sync.server.lookup import DbLookup
from sync.server.migrate import SchemaVersionError
from sync.server.prepared import Prepared


def iso(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_iso(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)


def dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


_P = t.persons.c
_SEL_PERSON_ROW = Prepared(select(_P.version, _P.status).where(_P.person_id == bindparam("pid")))

def _insert(table: Table, *columns: str, returning: ColumnElement[Any] | None = None) -> Prepared:
    """INSERT of the named columns; call with a value for each (by column name)."""
    stmt = insert(table).values({c: bindparam(c) for c in columns})
    return Prepared(stmt.returning(returning) if returning is not None else stmt)


_HISTORY_COLS = ("case_id", "version", "actor", "at", "op_id", "action", "status", "assigned_to", "data",
                 "resolution")
_INS_HISTORY = _insert(t.history, *_HISTORY_COLS)
_INS_CHANGE = _insert(t.change_log, "case_id", "version", "assignee", "prev_assignee", "at",
                      returning=t.change_log.c.seq)
_INS_PERSON = _insert(t.persons, "person_id", "household_id", "status", "merged_into", "version", "id_number",
                      "mother_id_number", "birth_cert_number", "data")
_INS_PERSON_HISTORY = _insert(t.person_history, "person_id", "version", "actor", "at", "op_id", "action",
                              "data")
_UPDATES: dict[tuple[Any, ...], Prepared] = {}


def _update_row(conn: Connection, key_column: Column[Any], key: str, values: dict[str, Any]) -> None:
    """UPDATE <table> SET <the given columns> WHERE key_column = key (prepared per column set)."""
    cache_key = (key_column.table.name, frozenset(values))
    stmt = _UPDATES.get(cache_key)
    if stmt is None:
        stmt = _UPDATES[cache_key] = Prepared(update(key_column.table).where(
            key_column == bindparam("w_key")).values({k: bindparam(f"v_{k}") for k in values}))
    stmt(conn, w_key=key, **{f"v_{k}": v for k, v in values.items()})


# Connection.info key: {name: callable} that Store.write runs once its transaction has committed
# (the audit anchor, sync.server.audit_anchor).
AFTER_COMMIT = "hecha_after_commit"


class TrainingModeError(RuntimeError):
    """A training server asked for over a database of real data."""


class Store:
    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self.url = normalize_db_url(config.db_url)
        u = make_url(self.url)
        if u.get_backend_name() == "sqlite" and u.database not in (None, "", ":memory:"):
            create_private(Path(u.database))
        self.engine = make_engine(self.url, config.db_pool_size)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        self.is_postgresql = self.engine.dialect.name == "postgresql"
        self.write_lock = threading.RLock()
        self._op_lk: DbLookup | None = None
        try:
            if config.migrate:
                self.migration = migrate.upgrade(self.engine)
            else:
                rev = migrate.check(self.engine)
                if rev != migrate.head():
                    raise SchemaVersionError(f"服务器数据库的结构版本（{rev or '空'}）不是最新（{migrate.head()}）："
                                             f"请先运行 hecha server migrate")
        except SchemaVersionError:
            self.engine.dispose()
            raise
        with self.write() as conn:
            if self._meta(conn, "training") is None:
                # Training or real is decided once, when the database is made, and never changes.
                self._set_meta(conn, "training", "1" if config.training else "0")
            if self._meta(conn, "epoch") is None:
                self._set_meta(conn, "epoch", "1")
                self._set_meta(conn, "floor", "0")
            self.training = self._meta(conn, "training") == "1"
        if config.training and not self.training:
            self.engine.dispose()
            raise TrainingModeError(
                f"数据库 {self.url} 是正式数据库，不能作为培训服务器使用（培训请换一个新的数据库文件）")
        self.secret = load_secret(config, self.is_sqlite, u.database)
        self._last_prune: datetime | None = None

    def close(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------ transactions

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction on one snapshot (SQLite's WAL reads are; PostgreSQL needs REPEATABLE READ)."""
        with self.engine.connect() as conn:
            if self.is_postgresql:
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """The one write transaction at a time: this process's lock, then the database's (BEGIN IMMEDIATE
        on SQLite, an advisory lock on PostgreSQL), so writers of several worker processes queue too."""
        with self.write_lock:
            with self.engine.connect() as conn:
                conn = conn.execution_options(sqlite_begin="BEGIN IMMEDIATE")
                conn.info.pop(AFTER_COMMIT, None)    # left by a transaction that rolled back
                with conn.begin():
                    if self.is_postgresql:
                        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_WRITE_LOCK})")
                    yield conn
                for after in conn.info.pop(AFTER_COMMIT, {}).values():   # committed: the audit anchor
                    after()

    def now(self) -> datetime:
        return self.config.now()

    @contextmanager
    def op_lookup(self, conn: Connection) -> Iterator[DbLookup]:
        """One tracking lookup shared by everything a push batch does on `conn` (see DbLookup)."""
        lk = DbLookup(conn, tracking=True)
        self._op_lk = lk
        try:
            yield lk
            if lk.person_history:
                conn.execute(insert(t.person_history), lk.person_history)
        finally:
            self._op_lk = None

    def lookup(self, conn: Connection) -> DbLookup:
        """The batch's tracking lookup when `conn` is that batch's connection, else a fresh one."""
        lk = self._op_lk
        return lk if lk is not None and lk.conn is conn else DbLookup(conn)

    # ------------------------------------------------------------ meta

    def _meta(self, conn: Connection, key: str) -> str | None:
        return conn.execute(select(t.meta.c.value).where(t.meta.c.key == key)).scalar()

    def _set_meta(self, conn: Connection, key: str, value: str) -> None:
        if conn.execute(select(t.meta.c.key).where(t.meta.c.key == key)).first():
            conn.execute(update(t.meta).where(t.meta.c.key == key).values(value=value))
        else:
            conn.execute(insert(t.meta).values(key=key, value=value))

    def meta(self, key: str) -> str | None:
        with self.read() as conn:
            return self._meta(conn, key)

    def set_meta(self, key: str, value: str) -> None:
        with self.write() as conn:
            self._set_meta(conn, key, value)

    def epoch(self, conn: Connection, user: dict[str, Any]) -> str:
        return f"{self._meta(conn, 'epoch')}.{user['epoch']}"

    def max_seq(self, conn: Connection) -> int:
        top = int(conn.execute(select(func.max(t.change_log.c.seq))).scalar() or 0)
        return max(top, self.floor(conn))

    def floor(self, conn: Connection) -> int:
        return int(self._meta(conn, "floor") or 0)

    # ------------------------------------------------------------ users

    def user_by_name(self, conn: Connection, username: str) -> dict[str, Any] | None:
        row = conn.execute(select(t.users).where(t.users.c.username == username)).first()
        return dict(row._mapping) if row else None

    def user_by_id(self, conn: Connection, user_id: int) -> dict[str, Any] | None:
        row = conn.execute(select(t.users).where(t.users.c.id == user_id)).first()
        return dict(row._mapping) if row else None

    def add_user(self, conn: Connection, username: str, password_hash: str, role: str, jurisdiction: str,
                 display_name: str, demo_password: str | None = None,
                 must_change_password: bool = False) -> dict[str, Any]:
        if role == "trainer" and not self.training:
            raise TrainingModeError(f"培训讲师账号 {username} 只能加到培训数据库中")
        conn.execute(insert(t.users).values(
            username=username, password_hash=password_hash, role=role, jurisdiction=jurisdiction,
            display_name=display_name, epoch=0, active=True, demo_password=demo_password,
            created_at=iso(self.now()), password_changed_at=iso(self.now()), failed_logins=0,
            must_change_password=must_change_password))
        user = self.user_by_name(conn, username)
        if user is None:
            raise LookupError(f"user {username} was not written")
        return user

    # ------------------------------------------------------------ scope

    @staticmethod
    def scope_where(user: dict[str, Any]) -> ColumnElement[bool]:
        return and_(t.cases.c.assigned_to == user["username"], t.cases.c.status == "open",
                    t.cases.c.place.like(user["jurisdiction"] + "%"))

    @staticmethod
    def in_scope(case: dict[str, Any], user: dict[str, Any]) -> bool:
        return bool(case["status"] == "open" and case["assigned_to"] == user["username"]
                    and case["place"].startswith(user["jurisdiction"]))

    def scope_pairs(self, conn: Connection, user: dict[str, Any]) -> list[tuple[str, int]]:
        rows = conn.execute(select(t.cases.c.case_id, t.cases.c.version).where(self.scope_where(user)))
        return [(r.case_id, r.version) for r in rows]

    def tombstone_for(self, case: dict[str, Any], user: dict[str, Any]) -> dict[str, Any]:
        status = case["status"]
        to = None
        if status in ("withdrawn", "deleted"):
            reason = status
        elif case["assigned_to"] != user["username"]:
            reason, to = "reassigned", case["assigned_to"]
        elif status == "completed":
            reason = "completed"
        else:
            reason = "out_of_scope"
        removed = {"reason": reason, "at": case["updated_at"]}
        if to:
            removed["to"] = to
        return {"type": case["kind"], "id": case["case_id"], "version": case["version"],
                "removed": removed}

    def was_assigned(self, conn: Connection, case_id: str, username: str) -> bool:
        return conn.execute(select(t.history.c.id).where(
            t.history.c.case_id == case_id, t.history.c.assigned_to == username).limit(1)).first() is not None

    # ------------------------------------------------------------ cases

    def get_case(self, conn: Connection, case_id: str) -> dict[str, Any] | None:
        return self.lookup(conn).case(case_id)

    def case_record(self, case: dict[str, Any]) -> dict[str, Any]:
        return {"type": case["kind"], "id": case["case_id"], "version": case["version"],
                "data": json.loads(case["data"])}

    def history_data(self, conn: Connection, case_id: str, version: int) -> dict[str, Any] | None:
        row = conn.execute(select(t.history.c.data).where(
            t.history.c.case_id == case_id, t.history.c.version == version)).first()
        return json.loads(row.data) if row else None

    def history_since(self, conn: Connection, case_id: str, version: int) -> list[dict[str, Any]]:
        rows = conn.execute(select(t.history).where(
            t.history.c.case_id == case_id, t.history.c.version >= version).order_by(t.history.c.version))
        return [dict(r._mapping) for r in rows]

    def today(self) -> date:
        return self.now().date()

    def commit_case(self, conn: Connection, case: dict[str, Any], *, actor: str, action: str, op_id: str | None = None,
                    data: dict[str, Any] | None = None, status: str | None = None,
                    assigned_to: str | None = None, resolution: dict[str, Any] | None = None,
                    completed_by: str | None = None, spec: dict[str, Any] | None = None) -> dict[str, Any]:
        """One new version of a case: the row, its history row and a change-log entry."""
        now = iso(self.now())
        new_status = status or case["status"]
        if data is None:
            data = json.loads(case["data"])
        data = dict(data)
        data["status"] = new_status
        new_assignee = assigned_to or case["assigned_to"]
        version = case["version"] + 1
        values = {"version": version, "data": dumps(data), "status": new_status,
                  "assigned_to": new_assignee, "updated_at": now}
        if resolution is not None:
            values["resolution"] = dumps(resolution)
        if completed_by is not None:
            values["completed_by"] = completed_by
        if spec is not None:
            values["spec"] = dumps(spec)
            values["deadline"] = render.deadline_of(spec)
        if new_status == "open":
            values["place"] = render.case_place(case["kind"], spec or case["spec_obj"], self.lookup(conn))
        # Prebuilt statements with parameter dicts: SQLAlchemy caches their compiled form.
        _update_row(conn, t.cases.c.case_id, case["case_id"], values)
        _INS_HISTORY(conn, case_id=case["case_id"], version=version, actor=actor, at=now, op_id=op_id,
                     action=action, status=new_status, assigned_to=new_assignee, data=values["data"],
                     resolution=values.get("resolution"))
        prev = case["assigned_to"] if case["assigned_to"] != new_assignee else None
        seq = _INS_CHANGE(conn, case_id=case["case_id"], version=version, assignee=new_assignee,
                          prev_assignee=prev, at=now).scalar_one()
        lk = self.lookup(conn)
        if lk.tracking:
            lk.last_seq = seq
        case = dict(case)
        case.update(values)
        if spec is not None:
            case["spec_obj"] = spec
        lk.case_written(case)
        return case

    def rerender(self, conn: Connection, case: dict[str, Any], status: str | None = None) -> dict[str, Any]:
        lk = self.lookup(conn)
        return render.render(case["kind"], case["spec_obj"], lk, status=status or case["status"],
                             today=self.today())

    def set_links(self, conn: Connection, case_id: str, kind: str, spec: dict[str, Any]) -> None:
        conn.execute(delete(t.case_links).where(t.case_links.c.case_id == case_id))
        lk = self.lookup(conn)
        persons, households = render.links_of(kind, spec, lk)
        lk.links_replaced(case_id, persons, households)
        rows = [{"case_id": case_id, "person_id": p, "household_id": None} for p in persons]
        rows += [{"case_id": case_id, "person_id": None, "household_id": h} for h in households]
        if rows:
            conn.execute(insert(t.case_links), rows)

    def touch_affected(self, conn: Connection, person_ids: set[str], household_ids: set[str], *, actor: str,
                       action: str, op_id: str | None = None,
                       exclude: str | set[str] | None = None) -> list[str]:
        """Re-render every open case that shows one of these persons or households; bump changed ones."""
        found = self.lookup(conn).linked_cases(person_ids, household_ids)
        case_ids = sorted(found - ({exclude} if isinstance(exclude, str) else set(exclude or ())))
        bumped = []
        for cid in case_ids:
            case = self.get_case(conn, cid)
            # Completed cases too: their owner's chained ops still apply and must see the change.
            if case is None or case["status"] not in ("open", "completed"):
                continue
            # An error case also shows its person's household, which may have changed.
            if case["kind"] == "error":
                self.set_links(conn, cid, case["kind"], case["spec_obj"])
            data = self.rerender(conn, case)
            if data != json.loads(case["data"]):
                self.commit_case(conn, case, actor=actor, action=action, op_id=op_id, data=data)
                bumped.append(cid)
        return bumped

    # ------------------------------------------------------------ persons

    def get_person(self, conn: Connection, person_id: str) -> dict[str, Any] | None:
        p = self.lookup(conn).person(person_id)
        return dict(p) if p is not None else None    # a copy: the lookup may be shared by the op

    def write_person(self, conn: Connection, person: dict[str, Any], *, actor: str, action: str, op_id: str | None = None,
                     status: str | None = None, merged_into: str | None = None) -> dict[str, Any]:
        """Insert or replace a person (fields as given); person history keeps every version."""
        pid = person["person_id"]
        fields = {k: v for k, v in person.items()
                  if k not in ("status", "merged_into") and v is not None}
        lk = self.lookup(conn)
        known = lk.row_info(pid)
        if known is False:
            row = _SEL_PERSON_ROW(conn, pid=pid).first()
            known = (row.version, row.status) if row else None
        now = iso(self.now())
        data = dumps(fields)
        if known is None:
            version, new_status = 1, status or "active"
            _INS_PERSON(conn, person_id=pid, household_id=fields.get("household_id"), status=new_status,
                        merged_into=merged_into, version=1, id_number=fields.get("id_number"),
                        mother_id_number=fields.get("mother_id_number"),
                        birth_cert_number=fields.get("birth_cert_number"), data=data)
        else:
            version, new_status = known[0] + 1, status or known[1]
            values = {"household_id": fields.get("household_id"), "version": version,
                      "id_number": fields.get("id_number"),
                      "mother_id_number": fields.get("mother_id_number"),
                      "birth_cert_number": fields.get("birth_cert_number"), "data": data}
            if status:
                values["status"] = status
            if merged_into:
                values["merged_into"] = merged_into
            _update_row(conn, _P.person_id, pid, values)
        history = {"person_id": pid, "version": version, "actor": actor, "at": now, "op_id": op_id,
                   "action": action, "data": data}
        if lk.tracking:   # written when the batch ends
            lk.person_history.append(history)
        else:
            _INS_PERSON_HISTORY(conn, **history)
        if lk.tracking:
            stored = json.loads(data)   # exactly what _person_from_row will read back
            stored["person_id"] = pid
            stored["household_id"] = fields.get("household_id")
            stored["status"] = new_status
            lk.written(stored, version)
        return fields

    def relink(self, conn: Connection, old_ids: set[str], survivor: str) -> set[str]:
        """Point every case that referred to one of old_ids at the survivor; returns those case ids."""
        if not old_ids:
            return set()
        case_ids = {r.case_id for r in conn.execute(select(t.case_links.c.case_id).where(
            t.case_links.c.person_id.in_(sorted(old_ids))))}

        def sub(pid: str) -> str:
            return survivor if pid in old_ids else pid

        for cid in sorted(case_ids):
            case = self.get_case(conn, cid)
            if case is None:
                raise LookupError(f"case {cid} is linked but missing")
            spec = dict(case["spec_obj"])
            for key in ("person_id", "mother_id", "father_id"):
                if spec.get(key):
                    spec[key] = sub(spec[key])
            for key in ("match_ids", "member_ids"):
                if spec.get(key):
                    spec[key] = list(dict.fromkeys(sub(p) for p in spec[key]))
            conn.execute(update(t.cases).where(t.cases.c.case_id == cid).values(spec=dumps(spec)))
            self.lookup(conn).cases_changed([cid])
            self.set_links(conn, cid, case["kind"], spec)
        conn.execute(update(t.households).where(t.households.c.head_person_id.in_(sorted(old_ids)))
                     .values(head_person_id=survivor))
        self.lookup(conn).households_changed()
        return case_ids

    # ------------------------------------------------------------ change log retention

    def prune(self, force: bool = False) -> int:
        """Drop change-log rows older than the retention; cursors before them get 410."""
        now = self.now()
        if not force and self._last_prune is not None and abs((now - self._last_prune).total_seconds()) < 60:
            return 0
        self._last_prune = now
        cutoff = iso(datetime.fromtimestamp(now.timestamp() - self.config.change_retention_seconds,
                                            tz=timezone.utc))
        with self.write() as conn:
            top = conn.execute(select(func.max(t.change_log.c.seq)).where(t.change_log.c.at < cutoff)).scalar()
            if not top:
                return 0
            n = conn.execute(delete(t.change_log).where(t.change_log.c.seq <= top)).rowcount
            self._set_meta(conn, "floor", str(max(int(top), self.floor(conn))))
            return n
