"""Applying case feeds to the server database (`hecha server import FILE…`).

All-or-nothing: if any file has a bad row, nothing of any file is applied (the report lists every bad
row); otherwise all files are applied in one write transaction, so a reader never sees half an import.
Per case, by the platform's external id:
  new                 → a new case (version 1), assigned by place (table `assignments`, else the
                        township account whose jurisdiction covers the place); unassignable: listed,
                        not imported (import again after fixing the table)
  same record again   → nothing (the record's hash is unchanged)
  changed record      → the persons are written (an office edit: other cases showing them re-render)
                        and the case gets a new version, reopened if it was closed; a worker who edited
                        it meanwhile gets the usual conflict on push
  absent from a full  → open cases of the file's kinds that came from feeds are withdrawn
  feed
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterator, Optional, cast

from sqlalchemy import ARRAY, Column, Connection, String, Table, any_, bindparam, delete, insert, select, update

from sync.server import render, schema as t
from sync.server.feed_read import FeedFile, FeedRecord, RowError
from sync.server.lookup import DbLookup
from sync.server.store import Store, dumps, iso

_PREFIX = {"error": "E", "birth": "B", "duplicates": "D"}
_CHUNK = 900           # keys per IN (...) on SQLite (its bound-parameter limit)
_PG_CHUNK = 20000      # keys per = ANY(array) on PostgreSQL (one parameter, no per-key planning)
_INSERT_CHUNK = 5000   # rows per executemany on SQLite


def case_id_of(kind: str, external_id: str) -> str:
    return f"{_PREFIX[kind]}:{external_id}"


@dataclass
class ImportReport:
    applied: bool = False
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    persons_written: int = 0
    office_edits: int = 0               # other cases re-rendered because a person changed
    unassigned: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {"applied": self.applied, "added": self.added, "changed": self.changed,
                "unchanged": self.unchanged, "withdrawn": self.withdrawn,
                "persons_written": self.persons_written, "office_edits": self.office_edits,
                "unassigned": self.unassigned, "errors": [e.__dict__ for e in self.errors]}


_P = Optional[dict[str, Any]]
_PS = list[dict[str, Any]]


class _Lookup:
    """render.Lookup: the feed's persons and households first, the database for everyone else."""

    def __init__(self, persons: dict[str, dict[str, Any]], households: dict[str, dict[str, Any]], db: DbLookup) -> None:
        self.mem: Any = render.DictLookup(persons, households)
        self.db: Any = db

    def person(self, person_id: str) -> _P:
        return cast(_P, self.mem.person(person_id) or self.db.person(person_id))

    def household(self, household_id: str) -> _P:
        return cast(_P, self.mem.household(household_id) or self.db.household(household_id))

    def members(self, household_id: str) -> _PS:
        return cast(_PS, self.mem.members(household_id) or self.db.members(household_id))

    def by_id_number(self, id_number: str | None) -> _P:
        return cast(_P, self.mem.by_id_number(id_number) or self.db.by_id_number(id_number))

    def children_of(self, mother_id_number: str | None) -> _PS:
        return cast(_PS, self.mem.children_of(mother_id_number) or self.db.children_of(mother_id_number))


class Assigner:
    """place (12-digit division code) -> username: the table's longest prefix, else the township (then
    county) account with the longest jurisdiction prefix of the place; None if nobody covers it."""

    def __init__(self, conn: Connection) -> None:
        self.table: dict[str, str] = {r.place_prefix: r.username for r in conn.execute(select(t.assignments))}
        users = conn.execute(select(t.users.c.username, t.users.c.role, t.users.c.jurisdiction)
                             .where(t.users.c.active.is_(True)).order_by(t.users.c.username)).all()
        self.by_jurisdiction: dict[str, str] = {}
        for u in sorted(users, key=lambda u: (u.role != "township", u.username)):   # township accounts first
            if u.role in ("township", "county") and u.jurisdiction:
                self.by_jurisdiction.setdefault(u.jurisdiction, u.username)
        self._cache: dict[str, str | None] = {}

    def __call__(self, place: str) -> str | None:
        if place not in self._cache:
            self._cache[place] = self._find(place)
        return self._cache[place]

    def _find(self, place: str) -> str | None:
        for n in range(len(place), 0, -1):
            if place[:n] in self.table:
                return self.table[place[:n]]
        for n in range(len(place), 0, -1):
            if place[:n] in self.by_jurisdiction:
                return self.by_jurisdiction[place[:n]]
        return None


def set_assignments(store: Store, rows: list[tuple[str, str]]) -> None:
    """Replaces the assignment table (place prefix, username); unknown usernames are refused."""
    with store.write() as conn:
        known = {r.username for r in conn.execute(select(t.users.c.username))}
        bad = sorted({u for _, u in rows if u not in known})
        if bad:
            raise ValueError(f"没有这些账号：{'、'.join(bad[:10])}")
        conn.execute(t.assignments.delete())
        if rows:
            conn.execute(insert(t.assignments), [{"place_prefix": p, "username": u} for p, u in rows])


def apply_feeds(store: Store, feeds: list[FeedFile], *, actor: str = "import") -> ImportReport:
    report = ImportReport(errors=[e for f in feeds for e in f.errors])
    if report.errors:
        return report
    with store.write() as conn:
        for feed in feeds:
            _apply_one(store, conn, feed, actor, report)
    report.applied = True
    return report


def _persons_of(rec: FeedRecord) -> list[dict[str, Any]]:
    if rec.kind == "error":
        return [rec.body["person"], *rec.body.get("members", [])]
    if rec.kind == "duplicates":
        return list(rec.body["members"])
    return []


def _households_of(rec: FeedRecord) -> list[dict[str, Any]]:
    out = []
    for p in _persons_of(rec):
        if p.get("household_id"):
            out.append({"household_id": p["household_id"], "place": p.get("hukou_place") or "",
                        "address": p.get("hukou_address") or "",
                        "head_person_id": p["person_id"] if p.get("relation") in ("01", "02") else None})
    h = rec.body.get("household")
    if h and h.get("household_id"):
        out.append({"head_person_id": None, "place": "", "address": "", **h})
    return out


def _apply_one(store: Store, conn: Connection, feed: FeedFile, actor: str, report: ImportReport) -> None:
    now = iso(store.now())
    existing = _existing(conn, [case_id_of(r.kind, r.external_id) for r in feed.records])
    # A record seen before with the same content brings nothing new, its persons neither: they are not
    # written again (which would also undo what workers corrected in them since).
    fresh = [r for r in feed.records if (existing.get(case_id_of(r.kind, r.external_id)) or {}).get(
        "record_hash") != r.record_hash]
    persons: dict[str, dict[str, Any]] = {}
    households: dict[str, dict[str, Any]] = {}
    for p in feed.persons:
        persons[p["person_id"]] = p
    for rec in fresh:
        for p in _persons_of(rec):
            persons[p["person_id"]] = p
        for h in _households_of(rec):
            seen = households.get(h["household_id"], {})
            households[h["household_id"]] = {**h, **{k: v for k, v in seen.items() if v}}
    changed_pids = _write_persons(store, conn, persons, households, actor, report)
    lk = _Lookup(persons, households, DbLookup(conn))
    assign = Assigner(conn)
    new_rows: dict[str, list[dict[str, Any]]] = {"cases": [], "history": [], "change_log": [], "case_links": [],
                                       "feed_cases": []}
    handled: set[str] = set()
    today = store.today()
    changed: list[tuple[FeedRecord, dict[str, Any]]] = []
    for rec in feed.records:
        cid = case_id_of(rec.kind, rec.external_id)
        old = existing.get(cid)
        if old is not None and old["record_hash"] == rec.record_hash:
            report.unchanged += 1
            continue
        handled.add(cid)
        spec = _spec(rec, lk)
        if old is not None:
            changed.append((rec, spec))
            continue
        place = render.case_place(rec.kind, spec, lk)
        user = assign(place)
        if user is None:
            report.unassigned.append({"file": feed.path, "line": rec.line, "external_id": rec.external_id,
                                      "place": place, "reason": "没有账号负责该地区（请补充分配表）"})
            continue
        text = dumps(render.render(rec.kind, spec, lk, today=today))
        new_rows["cases"].append({"case_id": cid, "kind": rec.kind, "status": "open", "assigned_to": user,
                                  "place": place, "version": 1, "data": text, "spec": dumps(spec),
                                  "resolution": None, "completed_by": None, "updated_at": now,
                                  "created_at": now, "deadline": render.deadline_of(spec)})
        new_rows["history"].append({"case_id": cid, "version": 1, "actor": actor, "at": now, "op_id": None,
                                    "action": "feed_add", "status": "open", "assigned_to": user, "data": text})
        new_rows["change_log"].append({"case_id": cid, "version": 1, "assignee": user, "prev_assignee": None,
                                       "at": now})
        pids, hids = render.links_of(rec.kind, spec, lk)
        new_rows["case_links"] += [{"case_id": cid, "person_id": p, "household_id": None} for p in sorted(pids)]
        new_rows["case_links"] += [{"case_id": cid, "person_id": None, "household_id": h} for h in sorted(hids)]
        new_rows["feed_cases"].append({"case_id": cid, "kind": rec.kind, "external_id": rec.external_id,
                                       "record_hash": rec.record_hash, "source": feed.path[:255],
                                       "imported_at": now})
        report.added += 1
    for name, rows in new_rows.items():
        bulk_insert(conn, getattr(t, name), rows)
    _update_changed(store, conn, feed, changed, lk, actor, now)
    report.changed += len(changed)
    if changed_pids:
        report.office_edits += len(store.touch_affected(conn, changed_pids, set(), actor=actor,
                                                        action="feed_update", exclude=handled))
    if feed.mode == "full":
        present = {case_id_of(r.kind, r.external_id) for r in feed.records}
        open_ids = conn.execute(select(t.cases.c.case_id).join(t.feed_cases, t.feed_cases.c.case_id == t.cases.c.case_id)
                                .where(t.feed_cases.c.kind.in_(feed.kinds), t.cases.c.status == "open")).scalars()
        for case_id in sorted(set(open_ids) - present):
            store.commit_case(conn, _case(store, conn, case_id), actor=actor, action="feed_withdraw", status="withdrawn",
                              resolution={"note": f"全量数据 {feed.path} 中已没有此记录", "by": actor})
            report.withdrawn += 1


def _update_changed(store: Store, conn: Connection, feed: FeedFile, changed: list[tuple[FeedRecord, dict[str, Any]]],
                    lk: _Lookup, actor: str, now: str) -> None:
    """Changed records: each case a new version (an office edit, reopened), its links and feed row
    replaced; the cases are read, and their links and feed rows written, in bulk."""
    if not changed:
        return
    ids = [case_id_of(rec.kind, rec.external_id) for rec, _ in changed]
    rows = {r.case_id: r for r in rows_by_key(conn, select(t.cases), t.cases.c.case_id, ids)}
    links: list[dict[str, Any]] = []
    today = store.today()
    for cid, (rec, spec) in zip(ids, changed):
        case = dict(rows[cid]._mapping)
        case["spec_obj"] = json.loads(case["spec"])
        data = render.render(rec.kind, spec, lk, today=today)
        store.commit_case(conn, case, actor=actor, action="feed_update", data=data, spec=spec, status="open")
        pids, hids = render.links_of(rec.kind, spec, lk)
        links += [{"case_id": cid, "person_id": p, "household_id": None} for p in sorted(pids)]
        links += [{"case_id": cid, "person_id": None, "household_id": h} for h in sorted(hids)]
    for where, params in _key_chunks(conn, t.case_links.c.case_id, ids):
        conn.execute(delete(t.case_links).where(where), params)
    bulk_insert(conn, t.case_links, links)
    conn.execute(update(t.feed_cases).where(t.feed_cases.c.case_id == bindparam("cid")).values(
        record_hash=bindparam("record_hash"), source=feed.path[:255], imported_at=now),
        [{"cid": cid, "record_hash": rec.record_hash} for cid, (rec, _) in zip(ids, changed)])


def _case(store: Store, conn: Connection, case_id: str) -> dict[str, Any]:
    case = store.get_case(conn, case_id)
    if case is None:
        raise LookupError(f"case {case_id} vanished during the import")
    return case


def _existing(conn: Connection, case_ids: list[str]) -> dict[str, dict[str, Any]]:
    return {r.case_id: dict(r._mapping) for r in rows_by_key(conn, select(t.feed_cases), t.feed_cases.c.case_id,
                                                              case_ids)}


def _key_chunks(conn: Connection, key: Column[Any], keys: list[str]) -> Iterator[tuple[Any, dict[str, Any]]]:
    """(condition, parameters) selecting `key` in `keys`, chunk by chunk: `IN (…)` on SQLite, one array
    parameter (`= ANY(:keys)`) on PostgreSQL, where a 900-parameter IN list costs a plan per chunk and,
    once psycopg prepares the statement, a generic plan that compares every row with every parameter."""
    if conn.dialect.name == "postgresql":
        cond = key == any_(bindparam("keys", type_=ARRAY(String)))
        for i in range(0, len(keys), _PG_CHUNK):
            yield cond, {"keys": keys[i:i + _PG_CHUNK]}
        return
    for i in range(0, len(keys), _CHUNK):
        yield key.in_(keys[i:i + _CHUNK]), {}


def rows_by_key(conn: Connection, stmt: Any, key: Column[Any], keys: list[str]) -> list[Any]:
    """stmt's rows whose `key` is one of `keys`, fetched in chunks (_key_chunks)."""
    out: list[Any] = []
    for where, params in _key_chunks(conn, key, keys):
        out += conn.execute(stmt.where(where), params).all()
    return out


def bulk_insert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """New rows (every row with the same keys, every column the table needs given): COPY on
    PostgreSQL, in the connection's transaction; executemany in chunks on SQLite."""
    if not rows:
        return
    cols = list(rows[0])
    if conn.dialect.name != "postgresql":     # the driver's executemany: no per-row SQLAlchemy work
        sql = f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
        for i in range(0, len(rows), _INSERT_CHUNK):
            conn.exec_driver_sql(sql, [tuple(r[c] for c in cols) for r in rows[i:i + _INSERT_CHUNK]])
        return
    cursor = conn.connection.dbapi_connection.cursor()     # type: ignore[union-attr]
    with cursor.copy(f"COPY {table.name} ({', '.join(cols)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[c] for c in cols])


def _write_persons(store: Store, conn: Connection, persons: dict[str, dict[str, Any]],
                   households: dict[str, dict[str, Any]], actor: str,
                   report: ImportReport) -> set[str]:
    """New persons and households in bulk; changed persons through write_person (history, re-render)."""
    ids = sorted(persons)
    rows: dict[str, Any] = {r.person_id: r for r in rows_by_key(
        conn, select(t.persons.c.person_id, t.persons.c.data, t.persons.c.household_id), t.persons.c.person_id, ids)}
    hids = sorted(households)
    known_h = {r.household_id for r in rows_by_key(conn, select(t.households.c.household_id),
                                                   t.households.c.household_id, hids)}
    bulk_insert(conn, t.households, [
        {"household_id": h, "place": households[h].get("place") or "", "address": households[h].get("address") or "",
         "head_person_id": households[h].get("head_person_id"), "version": 1} for h in hids if h not in known_h])
    new_p, changed = [], set()
    for pid in ids:
        p = persons[pid]
        fields = {k: v for k, v in p.items() if v is not None}
        if pid not in rows:
            new_p.append({"person_id": pid, "household_id": p.get("household_id"), "status": "active",
                          "merged_into": None, "version": 1, "id_number": p.get("id_number"),
                          "mother_id_number": p.get("mother_id_number"),
                          "birth_cert_number": p.get("birth_cert_number"), "data": dumps(fields)})
            continue
        old = json.loads(rows[pid].data)
        old["household_id"] = rows[pid].household_id
        merged = {**old, **fields}
        if merged != old:
            store.write_person(conn, {"person_id": pid, **merged}, actor=actor, action="feed_update")
            changed.add(pid)
    now = iso(store.now())
    bulk_insert(conn, t.persons, new_p)
    bulk_insert(conn, t.person_history, [{"person_id": p["person_id"], "version": 1, "actor": actor, "at": now,
                                          "op_id": None, "action": "feed_add", "data": p["data"]} for p in new_p])
    report.persons_written += len(new_p) + len(changed)
    return changed


def _spec(rec: FeedRecord, lk: _Lookup) -> dict[str, Any]:
    body = rec.body
    base: dict[str, Any] = {"external_id": rec.external_id}
    if body.get("deadline"):
        base["deadline"] = body["deadline"]
    if rec.kind == "error":
        return {**base, "person_id": body["person"]["person_id"], "injected": [],
                "platform_findings": body.get("findings") or []}
    if rec.kind == "duplicates":
        return {**base, "member_ids": [m["person_id"] for m in body["members"]],
                "pattern": body.get("pattern") or "platform"}
    cert = body["certificate"]
    mother = lk.by_id_number(cert.get("mother_id_number"))
    father = lk.by_id_number(cert.get("father_id_number"))
    households = [p["household_id"] for p in (mother, father) if p and p.get("household_id")]
    return {**base, "certificate": cert, "proposed": body["proposed"],
            "mother_id": mother["person_id"] if mother else None,
            "father_id": father["person_id"] if father else None,
            "household_ids": list(dict.fromkeys(households)), "match_ids": [], "injected": []}
