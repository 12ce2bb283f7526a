"""The server's storage: engine and transactions, users, persons, cases, history and change log.

Writes are serialized by one process-wide lock (and BEGIN IMMEDIATE on SQLite), so the change-log
`seq` commits in order and a cursor can never pass a change that is not yet visible.
"""

from __future__ import annotations

import json
import secrets
import threading
from contextlib import contextmanager
from datetime import date, datetime, timezone
from typing import Any, Iterator

from sqlalchemy import Connection, and_, create_engine, delete, event, func, insert, or_, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

from sync.server import render, schema as t
from sync.server.config import ServerConfig


def iso(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_iso(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)


def dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def normalize_db_url(db: str) -> str:
    if "://" in db:
        return db
    return f"sqlite:///{db}"


class DbLookup:
    """render.Lookup over the database, inside one transaction."""

    def __init__(self, conn: Connection):
        self.conn = conn
        self._p: dict[str, dict | None] = {}
        self._h: dict[str, dict | None] = {}

    def person(self, person_id):
        if person_id not in self._p:
            row = self.conn.execute(select(t.persons).where(t.persons.c.person_id == person_id)).first()
            self._p[person_id] = _person_from_row(row) if row else None
        return self._p[person_id]

    def household(self, household_id):
        if household_id not in self._h:
            row = self.conn.execute(select(t.households).where(
                t.households.c.household_id == household_id)).first()
            self._h[household_id] = dict(row._mapping) if row else None
        return self._h[household_id]

    def members(self, household_id):
        rows = self.conn.execute(select(t.persons).where(
            t.persons.c.household_id == household_id,
            t.persons.c.status.in_(("active", "dead")))).all()
        out = [_person_from_row(r) for r in rows]
        out.sort(key=lambda m: (m.get("relation") or "99", m["person_id"]))
        return out

    def by_id_number(self, id_number):
        if not id_number:
            return None
        row = self.conn.execute(select(t.persons).where(
            t.persons.c.id_number == id_number, t.persons.c.status.in_(("active", "dead")))
            .order_by(t.persons.c.person_id).limit(1)).first()
        return _person_from_row(row) if row else None

    def children_of(self, mother_id_number):
        if not mother_id_number:
            return []
        rows = self.conn.execute(select(t.persons).where(
            t.persons.c.mother_id_number == mother_id_number,
            t.persons.c.status.in_(("active", "dead"))).order_by(t.persons.c.person_id).limit(50)).all()
        return [_person_from_row(r) for r in rows]

    def forget(self):
        self._p.clear()
        self._h.clear()


def _person_from_row(row) -> dict:
    p = json.loads(row.data)
    p["person_id"] = row.person_id
    p["household_id"] = row.household_id
    p["status"] = row.status
    return p


# Bump when the tables change; an older database is refused with a clear message (no migrations:
# the reference server's data is reloadable).
SCHEMA_VERSION = "3"


class SchemaVersionError(RuntimeError):
    pass


class Store:
    def __init__(self, config: ServerConfig):
        self.config = config
        url = normalize_db_url(config.db_url)
        self.url = url
        u = make_url(url)
        self.is_sqlite = u.get_backend_name() == "sqlite"
        kwargs: dict[str, Any] = {}
        if self.is_sqlite:
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 60}
            if u.database in (None, "", ":memory:"):
                kwargs["poolclass"] = StaticPool
        self.engine = create_engine(url, **kwargs)
        if self.is_sqlite:
            self._setup_sqlite()
        self.write_lock = threading.RLock()
        self._check_schema()
        t.metadata.create_all(self.engine)
        with self.write() as conn:
            if self._meta(conn, "schema_version") is None:
                self._set_meta(conn, "schema_version", SCHEMA_VERSION)
            if self._meta(conn, "secret") is None:
                self._set_meta(conn, "secret", config.secret or secrets.token_urlsafe(32))
            if self._meta(conn, "epoch") is None:
                self._set_meta(conn, "epoch", "1")
                self._set_meta(conn, "floor", "0")
        with self.read() as conn:
            self.secret = config.secret or self._meta(conn, "secret")
        self._last_prune: datetime | None = None

    def _check_schema(self) -> None:
        from sqlalchemy import inspect
        tables = set(inspect(self.engine).get_table_names())
        if not tables:
            return
        version = None
        if "meta" in tables:
            with self.read() as conn:
                version = self._meta(conn, "schema_version")
        if version != SCHEMA_VERSION or not {tb.name for tb in t.metadata.sorted_tables} <= tables:
            self.engine.dispose()
            raise SchemaVersionError(
                f"服务器数据库的结构版本（{version or '旧版'}）与本程序（{SCHEMA_VERSION}）不符："
                f"请换一个数据库文件，或删除 {self.url} 后重新载入数据")

    def _setup_sqlite(self) -> None:
        @event.listens_for(self.engine, "connect")
        def _connect(dbapi_conn, _rec):
            dbapi_conn.isolation_level = None   # we issue BEGIN ourselves
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA busy_timeout=60000")
            cur.close()

        @event.listens_for(self.engine, "begin")
        def _begin(conn):
            conn.exec_driver_sql(conn.get_execution_options().get("sqlite_begin", "BEGIN"))

    def close(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------ transactions

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            with conn.begin():
                yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        with self.write_lock:
            with self.engine.connect() as conn:
                conn = conn.execution_options(sqlite_begin="BEGIN IMMEDIATE")
                with conn.begin():
                    yield conn

    def now(self) -> datetime:
        return self.config.now()

    # ------------------------------------------------------------ meta

    def _meta(self, conn, key: str) -> str | None:
        return conn.execute(select(t.meta.c.value).where(t.meta.c.key == key)).scalar()

    def _set_meta(self, conn, key: str, value: str) -> None:
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

    def epoch(self, conn, user: dict) -> str:
        return f"{self._meta(conn, 'epoch')}.{user['epoch']}"

    def max_seq(self, conn) -> int:
        top = int(conn.execute(select(func.max(t.change_log.c.seq))).scalar() or 0)
        return max(top, self.floor(conn))

    def floor(self, conn) -> int:
        return int(self._meta(conn, "floor") or 0)

    # ------------------------------------------------------------ users

    def user_by_name(self, conn, username: str) -> dict | None:
        row = conn.execute(select(t.users).where(t.users.c.username == username)).first()
        return dict(row._mapping) if row else None

    def user_by_id(self, conn, user_id: int) -> dict | None:
        row = conn.execute(select(t.users).where(t.users.c.id == user_id)).first()
        return dict(row._mapping) if row else None

    def add_user(self, conn, username: str, password_hash: str, role: str, jurisdiction: str,
                 display_name: str, demo_password: str | None = None) -> dict:
        conn.execute(insert(t.users).values(
            username=username, password_hash=password_hash, role=role, jurisdiction=jurisdiction,
            display_name=display_name, epoch=0, active=True, demo_password=demo_password,
            created_at=iso(self.now())))
        return self.user_by_name(conn, username)

    # ------------------------------------------------------------ scope

    @staticmethod
    def scope_where(user: dict):
        return and_(t.cases.c.assigned_to == user["username"], t.cases.c.status == "open",
                    t.cases.c.place.like(user["jurisdiction"] + "%"))

    @staticmethod
    def in_scope(case: dict, user: dict) -> bool:
        return (case["status"] == "open" and case["assigned_to"] == user["username"]
                and case["place"].startswith(user["jurisdiction"]))

    def scope_pairs(self, conn, user: dict) -> list[tuple[str, int]]:
        rows = conn.execute(select(t.cases.c.case_id, t.cases.c.version).where(self.scope_where(user)))
        return [(r.case_id, r.version) for r in rows]

    def tombstone_for(self, case: dict, user: dict) -> dict:
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

    def was_assigned(self, conn, case_id: str, username: str) -> bool:
        return conn.execute(select(t.history.c.id).where(
            t.history.c.case_id == case_id, t.history.c.assigned_to == username).limit(1)).first() is not None

    # ------------------------------------------------------------ cases

    def get_case(self, conn, case_id: str) -> dict | None:
        row = conn.execute(select(t.cases).where(t.cases.c.case_id == case_id)).first()
        if not row:
            return None
        case = dict(row._mapping)
        case["spec_obj"] = json.loads(case["spec"])
        return case

    def case_record(self, case: dict) -> dict:
        return {"type": case["kind"], "id": case["case_id"], "version": case["version"],
                "data": json.loads(case["data"])}

    def history_data(self, conn, case_id: str, version: int) -> dict | None:
        row = conn.execute(select(t.history.c.data).where(
            t.history.c.case_id == case_id, t.history.c.version == version)).first()
        return json.loads(row.data) if row else None

    def history_since(self, conn, case_id: str, version: int) -> list[dict]:
        rows = conn.execute(select(t.history).where(
            t.history.c.case_id == case_id, t.history.c.version >= version).order_by(t.history.c.version))
        return [dict(r._mapping) for r in rows]

    def today(self) -> date:
        return self.now().date()

    def commit_case(self, conn, case: dict, *, actor: str, action: str, op_id: str | None = None,
                    data: dict | None = None, status: str | None = None,
                    assigned_to: str | None = None, resolution: dict | None = None,
                    completed_by: str | None = None, spec: dict | None = None) -> dict:
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
        if new_status == "open":
            values["place"] = render.case_place(case["kind"], spec or case["spec_obj"], DbLookup(conn))
        conn.execute(update(t.cases).where(t.cases.c.case_id == case["case_id"]).values(**values))
        conn.execute(insert(t.history).values(
            case_id=case["case_id"], version=version, actor=actor, at=now, op_id=op_id,
            action=action, status=new_status, assigned_to=new_assignee, data=values["data"]))
        prev = case["assigned_to"] if case["assigned_to"] != new_assignee else None
        conn.execute(insert(t.change_log).values(
            case_id=case["case_id"], version=version, assignee=new_assignee, prev_assignee=prev, at=now))
        case = dict(case)
        case.update(values)
        if spec is not None:
            case["spec_obj"] = spec
        return case

    def rerender(self, conn, case: dict, status: str | None = None) -> dict:
        lk = DbLookup(conn)
        return render.render(case["kind"], case["spec_obj"], lk, status=status or case["status"],
                             today=self.today())

    def set_links(self, conn, case_id: str, kind: str, spec: dict) -> None:
        conn.execute(delete(t.case_links).where(t.case_links.c.case_id == case_id))
        persons, households = render.links_of(kind, spec, DbLookup(conn))
        rows = [{"case_id": case_id, "person_id": p, "household_id": None} for p in persons]
        rows += [{"case_id": case_id, "person_id": None, "household_id": h} for h in households]
        if rows:
            conn.execute(insert(t.case_links), rows)

    def touch_affected(self, conn, person_ids: set[str], household_ids: set[str], *, actor: str,
                       action: str, op_id: str | None = None, exclude: str | None = None) -> list[str]:
        """Re-render every open case that shows one of these persons or households; bump changed ones."""
        conds = []
        if person_ids:
            conds.append(t.case_links.c.person_id.in_(sorted(person_ids)))
        if household_ids:
            conds.append(t.case_links.c.household_id.in_(sorted(household_ids)))
        if not conds:
            return []
        case_ids = sorted({r.case_id for r in conn.execute(
            select(t.case_links.c.case_id).where(or_(*conds)))} - {exclude})
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

    def get_person(self, conn, person_id: str) -> dict | None:
        return DbLookup(conn).person(person_id)

    def write_person(self, conn, person: dict, *, actor: str, action: str, op_id: str | None = None,
                     status: str | None = None, merged_into: str | None = None) -> dict:
        """Insert or replace a person (fields as given); person history keeps every version."""
        pid = person["person_id"]
        fields = {k: v for k, v in person.items()
                  if k not in ("status", "merged_into") and v is not None}
        row = conn.execute(select(t.persons).where(t.persons.c.person_id == pid)).first()
        now = iso(self.now())
        if row is None:
            version = 1
            conn.execute(insert(t.persons).values(
                person_id=pid, household_id=fields.get("household_id"), status=status or "active",
                merged_into=merged_into, version=1, id_number=fields.get("id_number"),
                mother_id_number=fields.get("mother_id_number"),
                birth_cert_number=fields.get("birth_cert_number"), data=dumps(fields)))
        else:
            version = row.version + 1
            values = {"household_id": fields.get("household_id"), "version": version,
                      "id_number": fields.get("id_number"),
                      "mother_id_number": fields.get("mother_id_number"),
                      "birth_cert_number": fields.get("birth_cert_number"), "data": dumps(fields)}
            if status:
                values["status"] = status
            if merged_into:
                values["merged_into"] = merged_into
            conn.execute(update(t.persons).where(t.persons.c.person_id == pid).values(**values))
        conn.execute(insert(t.person_history).values(
            person_id=pid, version=version, actor=actor, at=now, op_id=op_id, action=action,
            data=dumps(fields)))
        return fields

    def relink(self, conn, old_ids: set[str], survivor: str) -> set[str]:
        """Point every case that referred to one of old_ids at the survivor; returns those case ids."""
        if not old_ids:
            return set()
        case_ids = {r.case_id for r in conn.execute(select(t.case_links.c.case_id).where(
            t.case_links.c.person_id.in_(sorted(old_ids))))}

        def sub(pid):
            return survivor if pid in old_ids else pid

        for cid in sorted(case_ids):
            case = self.get_case(conn, cid)
            spec = dict(case["spec_obj"])
            for key in ("person_id", "mother_id", "father_id"):
                if spec.get(key):
                    spec[key] = sub(spec[key])
            for key in ("match_ids", "member_ids"):
                if spec.get(key):
                    spec[key] = list(dict.fromkeys(sub(p) for p in spec[key]))
            conn.execute(update(t.cases).where(t.cases.c.case_id == cid).values(spec=dumps(spec)))
            self.set_links(conn, cid, case["kind"], spec)
        conn.execute(update(t.households).where(t.households.c.head_person_id.in_(sorted(old_ids)))
                     .values(head_person_id=survivor))
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
