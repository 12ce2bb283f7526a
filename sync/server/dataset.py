"""Loads a data set (the seed's DemoDataset, or any object of the same shape) into the store.

The loaded data set is also kept as the "starting state" that the trainer's reset restores.
"""

from __future__ import annotations

from sqlalchemy import Connection

import base64
import dataclasses
import gzip
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, insert, select

from sync.server import render, schema as t
from sync.server.security import hash_password
from sync.server.lookup import DbLookup
from sync.server.store import Store, dumps, iso

_SPEC_DROP = ("id", "kind", "assigned_to")


@dataclass
class Dataset:
    """The same shape as sync.server.seed.DemoDataset (INTERFACES.md)."""

    county_code: str = ""
    persons: list[dict[str, Any]] = field(default_factory=list)
    households: list[dict[str, Any]] = field(default_factory=list)
    cases: list[dict[str, Any]] = field(default_factory=list)
    accounts: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class LoadReport:
    persons: int
    households: int
    cases: int
    users_added: int


def as_dataset(obj: Any) -> Dataset:
    if isinstance(obj, Dataset):
        return obj
    if isinstance(obj, dict):
        src = obj
    elif dataclasses.is_dataclass(obj):
        src = {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}
    else:
        src = {k: getattr(obj, k) for k in ("county_code", "persons", "households", "cases", "accounts")
               if hasattr(obj, k)}
    return Dataset(county_code=src.get("county_code", ""), persons=list(src.get("persons") or []),
                   households=list(src.get("households") or []), cases=list(src.get("cases") or []),
                   accounts=list(src.get("accounts") or []))


def _pack(ds: Dataset) -> str:
    raw = json.dumps({"county_code": ds.county_code, "persons": ds.persons,
                      "households": ds.households, "cases": ds.cases},
                     ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return base64.b64encode(gzip.compress(raw, compresslevel=6)).decode("ascii")


def _unpack(text: str) -> Dataset:
    return Dataset(**json.loads(gzip.decompress(base64.b64decode(text))))


def load_dataset(store: Store, dataset: Any, *, snapshot: bool = True) -> LoadReport:
    """Adds the accounts (existing usernames are kept) and the persons, households and cases."""
    ds = as_dataset(dataset)
    added = 0
    with store.write() as conn:
        for acc in ds.accounts:
            if store.user_by_name(conn, acc["username"]) is None:
                store.add_user(conn, acc["username"], hash_password(acc["password"], store.config.kdf_n),
                               acc.get("role", "township"), acc.get("jurisdiction", ""),
                               acc.get("display_name") or acc["username"],
                               demo_password=acc["password"] if store.training else None)
                added += 1
        _insert_data(store, conn, ds, actor="seed", action="load")
        if snapshot:
            store._set_meta(conn, "snapshot", _pack(ds))
            store._set_meta(conn, "county_code", ds.county_code or "")
    return LoadReport(len(ds.persons), len(ds.households), len(ds.cases), added)


def _insert_data(store: Store, conn: Connection, ds: Dataset, *, actor: str, action: str,
                 version_base: dict[str, int] | None = None) -> None:
    now = iso(store.now())
    persons = {p["person_id"]: dict(p) for p in ds.persons}
    households = {h["household_id"]: dict(h) for h in ds.households}
    lk = render.DictLookup(persons, households)
    today = store.today()
    if households:
        conn.execute(insert(t.households), [
            {"household_id": h["household_id"], "place": h.get("place") or "",
             "address": h.get("address") or "", "head_person_id": h.get("head_person_id"), "version": 1}
            for h in households.values()])
    if persons:
        rows = [{"person_id": pid, "household_id": p.get("household_id"),
                 "status": p.get("status") or "active", "merged_into": None, "version": 1,
                 "id_number": p.get("id_number"), "mother_id_number": p.get("mother_id_number"),
                 "birth_cert_number": p.get("birth_cert_number"),
                 "data": dumps({k: v for k, v in p.items() if k != "status" and v is not None})}
                for pid, p in persons.items()]
        conn.execute(insert(t.persons), rows)
        # version 1 in the person history too: exported results show each change's "before"
        conn.execute(insert(t.person_history), [
            {"person_id": r["person_id"], "version": 1, "actor": actor, "at": now, "op_id": None,
             "action": action, "data": r["data"]} for r in rows])
    case_rows, hist_rows, log_rows, link_rows = [], [], [], []
    for c in ds.cases:
        spec = {k: v for k, v in c.items() if k not in _SPEC_DROP}
        kind = c["kind"]
        data = render.render(kind, spec, lk, today=today)
        version = (version_base or {}).get(c["id"], 0) + 1
        data_text = dumps(data)
        case_rows.append({"case_id": c["id"], "kind": kind, "status": "open",
                          "assigned_to": c["assigned_to"], "place": render.case_place(kind, spec, lk),
                          "version": version, "data": data_text, "spec": dumps(spec),
                          "resolution": None, "completed_by": None, "updated_at": now,
                          "created_at": now, "deadline": render.deadline_of(spec)})
        hist_rows.append({"case_id": c["id"], "version": version, "actor": actor, "at": now,
                          "op_id": None, "action": action, "status": "open",
                          "assigned_to": c["assigned_to"], "data": data_text})
        log_rows.append({"case_id": c["id"], "version": version, "assignee": c["assigned_to"],
                         "prev_assignee": None, "at": now})
        pids, hids = render.links_of(kind, spec, lk)
        link_rows += [{"case_id": c["id"], "person_id": p, "household_id": None} for p in pids]
        link_rows += [{"case_id": c["id"], "person_id": None, "household_id": h} for h in hids]
    for table, rows in ((t.cases, case_rows), (t.history, hist_rows), (t.change_log, log_rows),
                        (t.case_links, link_rows)):
        for i in range(0, len(rows), 5000):
            conn.execute(insert(table), rows[i:i + 5000])


def add_cases(store: Store, conn: Connection, ds: Dataset, *, actor: str) -> None:
    """Admin: add persons, households and cases to a running server (ids must be new)."""
    existing = {r.case_id for r in conn.execute(select(t.cases.c.case_id).where(
        t.cases.c.case_id.in_([c["id"] for c in ds.cases])))}
    if existing:
        raise ValueError(f"case ids already exist: {sorted(existing)[:5]}")
    # Persons/households that already exist are looked up from the database when rendering.
    known_p = {r.person_id for r in conn.execute(select(t.persons.c.person_id).where(
        t.persons.c.person_id.in_([p["person_id"] for p in ds.persons])))} if ds.persons else set()
    known_h = {r.household_id for r in conn.execute(select(t.households.c.household_id).where(
        t.households.c.household_id.in_([h["household_id"] for h in ds.households])))} if ds.households else set()
    new = Dataset(persons=[p for p in ds.persons if p["person_id"] not in known_p],
                  households=[h for h in ds.households if h["household_id"] not in known_h])
    _insert_data(store, conn, new, actor=actor, action="admin_add")
    lk = DbLookup(conn)
    for c in ds.cases:
        spec = {k: v for k, v in c.items() if k not in _SPEC_DROP}
        kind = c["kind"]
        if kind not in ("error", "birth", "duplicates"):
            raise ValueError(f"unknown case kind {kind!r}")
        data = render.render(kind, spec, lk, today=store.today())
        now = iso(store.now())
        conn.execute(insert(t.cases).values(
            case_id=c["id"], kind=kind, status="open", assigned_to=c["assigned_to"],
            place=render.case_place(kind, spec, lk), version=1, data=dumps(data), spec=dumps(spec),
            updated_at=now, created_at=now, deadline=render.deadline_of(spec)))
        conn.execute(insert(t.history).values(
            case_id=c["id"], version=1, actor=actor, at=now, op_id=None, action="admin_add",
            status="open", assigned_to=c["assigned_to"], data=dumps(data)))
        conn.execute(insert(t.change_log).values(case_id=c["id"], version=1, assignee=c["assigned_to"],
                                                 prev_assignee=None, at=now))
        store.set_links(conn, c["id"], kind, spec)


def reset_to_start(store: Store, *, actor: str) -> LoadReport:
    """Restore the loaded starting state. Versions keep rising and the epoch changes (clients 410)."""
    with store.write() as conn:
        packed = store._meta(conn, "snapshot")
        if packed is None:
            raise LookupError("no starting state stored")
        ds = _unpack(packed)
        old = {r.case_id: r.version for r in conn.execute(select(t.cases.c.case_id, t.cases.c.version))}
        for table in (t.case_links, t.cases, t.persons, t.households):
            conn.execute(delete(table))
        _insert_data(store, conn, ds, actor=actor, action="reset", version_base=old)
        store._set_meta(conn, "epoch", str(int(store._meta(conn, "epoch") or 1) + 1))
    return LoadReport(len(ds.persons), len(ds.households), len(ds.cases), 0)
