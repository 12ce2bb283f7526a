"""The push batch's lookup cache: render.Lookup over the database, inside one transaction.

A plain DbLookup caches persons and households for its own short life. A `tracking` lookup lives for
a whole push batch (Store.op_lookup): it also caches households' members, parents by ID number, a
mother's children, the person rows' versions, the rule findings, the batch's cases and case links;
the writes of the batch keep it true (write-through or dropped entries), and a rolled-back savepoint
makes it forget.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, Literal

from sqlalchemy import Connection, Row, bindparam, or_, select

from sync.server import schema as t
from sync.server.prepared import Prepared

_ALIVE = ("active", "dead")
_P = t.persons.c
_SEL_PERSON = Prepared(select(t.persons).where(_P.person_id == bindparam("pid")))
_SEL_HOUSEHOLD = Prepared(select(t.households).where(t.households.c.household_id == bindparam("hid")))
_ALIVE_WHERE = or_(_P.status == "active", _P.status == "dead")
_SEL_MEMBERS = Prepared(select(t.persons).where(_P.household_id == bindparam("hid"), _ALIVE_WHERE))
_SEL_BY_IDN = Prepared(select(t.persons).where(_P.id_number == bindparam("idn"), _ALIVE_WHERE)
                       .order_by(_P.person_id).limit(1))
_CHILDREN_LIMIT = 50
_SEL_CHILDREN = Prepared(select(t.persons).where(_P.mother_id_number == bindparam("idn"), _ALIVE_WHERE)
                         .order_by(_P.person_id).limit(_CHILDREN_LIMIT))

def _member_order(m: dict[str, Any]) -> tuple[str, str]:
    return (m.get("relation") or "99", m["person_id"])


_SEL_CASE = Prepared(select(t.cases).where(t.cases.c.case_id == bindparam("cid")))
_L = t.case_links.c
_CHUNK = 500     # ids per IN (...) list


def chunks(ids: Iterable[str]) -> Iterable[list[str]]:
    """The distinct ids, sorted, in lists short enough for one IN (...) each."""
    items = sorted(set(ids))
    for i in range(0, len(items), _CHUNK):
        yield items[i:i + _CHUNK]


class DbLookup:
    """render.Lookup over the database, inside one transaction (see the module's docstring)."""

    def __init__(self, conn: Connection, tracking: bool = False) -> None:
        self.conn = conn
        self.tracking = tracking
        self._p: dict[str, dict[str, Any] | None] = {}
        self._h: dict[str, dict[str, Any] | None] = {}
        self._members: dict[str, list[dict[str, Any]]] = {}
        self._by_idn: dict[str, dict[str, Any] | None] = {}
        self._children: dict[str, list[dict[str, Any]]] = {}
        self._row: dict[str, tuple[int, str]] = {}     # person_id -> (version, status) of the row
        self.findings: dict[Any, str] = {}              # rule inputs (canonical JSON) -> findings JSON
        self.last_seq: int | None = None                # change-log seq of this op's last case change
        self._cases: dict[str, dict[str, Any] | None] = {}     # case_id -> the row (spec as text)
        self._links_p: dict[str, set[str]] = {}         # person_id -> case_ids whose links name it
        self._links_h: dict[str, set[str]] = {}         # household_id -> case_ids
        # Person history rows of a tracking lookup's batch: nothing reads them during a push, so they
        # are written by one executemany when the batch ends (Store.op_lookup).
        self.person_history: list[dict[str, Any]] = []

    def _person(self, row: Row[Any]) -> dict[str, Any]:
        p = _person_from_row(row)
        if self.tracking:
            self._row[row.person_id] = (row.version, row.status)
        return p

    def person(self, person_id: str) -> dict[str, Any] | None:
        if person_id not in self._p:
            row = _SEL_PERSON(self.conn, pid=person_id).first()
            self._p[person_id] = self._person(row) if row else None
        return self._p[person_id]

    def household(self, household_id: str) -> dict[str, Any] | None:
        if household_id not in self._h:
            row = _SEL_HOUSEHOLD(self.conn, hid=household_id).first()
            self._h[household_id] = dict(row._mapping) if row else None
        return self._h[household_id]

    def members(self, household_id: str) -> list[dict[str, Any]]:
        if household_id in self._members:
            return list(self._members[household_id])
        out = [self._person(r) for r in _SEL_MEMBERS(self.conn, hid=household_id).all()]
        out.sort(key=_member_order)
        if self.tracking:
            self._members[household_id] = out
        return list(out)

    def by_id_number(self, id_number: str | None) -> dict[str, Any] | None:
        if not id_number:
            return None
        if id_number in self._by_idn:
            return self._by_idn[id_number]
        row = _SEL_BY_IDN(self.conn, idn=id_number).first()
        p = self._person(row) if row else None
        if self.tracking:
            self._by_idn[id_number] = p
        return p

    def children_of(self, mother_id_number: str | None) -> list[dict[str, Any]]:
        if not mother_id_number:
            return []
        if mother_id_number in self._children:
            return list(self._children[mother_id_number])
        out = [self._person(r) for r in _SEL_CHILDREN(self.conn, idn=mother_id_number).all()]
        if self.tracking:
            self._children[mother_id_number] = out
        return list(out)

    def row_info(self, person_id: str) -> tuple[int, str] | None | Literal[False]:
        """(version, status) of the person's row; None if it does not exist; False if unknown."""
        if person_id in self._row:
            return self._row[person_id]
        if self.tracking and person_id in self._p and self._p[person_id] is None:
            return None
        return False

    def written(self, new: dict[str, Any], version: int) -> None:
        """The person row `new` (as _person_from_row reads it) was written: keep the caches true.
        Entries that held the person are corrected or dropped, whatever its old values were."""
        pid = new["person_id"]
        old = self._p.get(pid)
        self._p[pid] = new
        self._row[pid] = (version, new["status"])
        alive = new["status"] in _ALIVE
        hid, idn, midn = new.get("household_id"), new.get("id_number"), new.get("mother_id_number")

        def candidates(cache: dict[str, Any], field: str, now: str | None) -> list[str]:
            """The entries that may hold the person: those of its old and new value when its old row
            is known here (the caches hold a person under its values), else every entry."""
            if old is None:
                return list(cache)
            return [k for k in dict.fromkeys((old.get(field), now)) if k is not None and k in cache]

        for key in candidates(self._members, "household_id", hid):
            lst = self._members[key]
            if key == hid or any(m["person_id"] == pid for m in lst):
                lst = [m for m in lst if m["person_id"] != pid]
                if alive and key == hid:
                    lst.append(new)
                    lst.sort(key=_member_order)
                self._members[key] = lst
        for key in candidates(self._by_idn, "id_number", idn):
            hit = self._by_idn[key]
            if key == idn or (hit is not None and hit["person_id"] == pid):
                del self._by_idn[key]
        for key in candidates(self._children, "mother_id_number", midn):
            lst = self._children[key]
            if key != midn and not any(c["person_id"] == pid for c in lst):
                continue
            if len(lst) >= _CHILDREN_LIMIT:   # the row past the limit is unknown here
                del self._children[key]
                continue
            lst = [c for c in lst if c["person_id"] != pid]
            if alive and key == midn:
                lst.append(new)
                lst.sort(key=lambda c: c["person_id"])
            self._children[key] = lst

    def households_changed(self) -> None:
        self._h.clear()

    # ------------------------------------------------------------ cases and their links

    def case(self, case_id: str) -> dict[str, Any] | None:
        """The case's row as a dict with its spec parsed (`spec_obj`), a fresh copy on every call."""
        if case_id in self._cases:
            row = self._cases[case_id]
        else:
            found = _SEL_CASE(self.conn, cid=case_id).first()
            row = dict(found._mapping) if found else None
            if self.tracking:
                self._cases[case_id] = row
        if row is None:
            return None
        case = dict(row)
        case["spec_obj"] = json.loads(case["spec"])
        return case

    def case_written(self, case: dict[str, Any]) -> None:
        """A case row was written as `case` (every column; spec_obj is left out, spec is its text)."""
        if self.tracking:
            self._cases[case["case_id"]] = {k: v for k, v in case.items() if k != "spec_obj"}

    def cases_changed(self, case_ids: Iterable[str]) -> None:
        for cid in case_ids:
            self._cases.pop(cid, None)

    def linked_cases(self, person_ids: Iterable[str], household_ids: Iterable[str]) -> set[str]:
        """The cases whose links name one of these persons or households."""
        pids, hids = set(person_ids), set(household_ids)
        self._fetch_links({p for p in pids if p not in self._links_p}, {h for h in hids if h not in self._links_h})
        out: set[str] = set()
        for p in pids:
            out |= self._links_p[p]
        for h in hids:
            out |= self._links_h[h]
        return out

    def _fetch_links(self, pids: set[str], hids: set[str]) -> None:
        for p in pids:
            self._links_p[p] = set()
        for h in hids:
            self._links_h[h] = set()
        for col, ids in ((_L.person_id, pids), (_L.household_id, hids)):
            for chunk in chunks(ids):
                for r in self.conn.execute(select(_L.case_id, _L.person_id, _L.household_id).where(
                        col.in_(chunk))):
                    if r.person_id is not None and r.person_id in pids:
                        self._links_p[r.person_id].add(r.case_id)
                    if r.household_id is not None and r.household_id in hids:
                        self._links_h[r.household_id].add(r.case_id)

    def links_replaced(self, case_id: str, person_ids: Iterable[str], household_ids: Iterable[str]) -> None:
        """The case's links were replaced by these: keep the cached link sets true."""
        for cache, now in ((self._links_p, set(person_ids)), (self._links_h, set(household_ids))):
            for key, cids in cache.items():
                if key in now:
                    cids.add(case_id)
                else:
                    cids.discard(case_id)

    def prefetch(self, case_ids: Iterable[str]) -> None:
        """A push batch's reads in a few set-based queries: its cases, the persons and households they
        show (with the households' members) and the cases linked to those (tracking lookups only)."""
        assert self.tracking
        want = set(case_ids) - set(self._cases)
        for cid in want:
            self._cases[cid] = None
        pids: set[str] = set()
        hids: set[str] = set()
        for chunk in chunks(want):
            for r in self.conn.execute(select(t.cases).where(t.cases.c.case_id.in_(chunk))):
                self._cases[r.case_id] = dict(r._mapping)
            for r in self.conn.execute(select(_L.person_id, _L.household_id).where(_L.case_id.in_(chunk))):
                if r.person_id is not None:
                    pids.add(r.person_id)
                if r.household_id is not None:
                    hids.add(r.household_id)
        pids -= set(self._p)
        for pid in pids:
            self._p[pid] = None
        for chunk in chunks(pids):
            for r in self.conn.execute(select(t.persons).where(_P.person_id.in_(chunk))):
                self._p[r.person_id] = self._person(r)
                if r.household_id is not None:
                    hids.add(r.household_id)
        hids -= set(self._members)
        members: dict[str, list[dict[str, Any]]] = {h: [] for h in hids}
        for chunk in chunks(hids):
            for r in self.conn.execute(select(t.persons).where(_P.household_id.in_(chunk), _ALIVE_WHERE)):
                p = self._p.get(r.person_id)
                if p is None:
                    p = self._p[r.person_id] = self._person(r)
                members[r.household_id].append(p)
        for hid, lst in members.items():
            lst.sort(key=_member_order)
            self._members[hid] = lst
        self._fetch_links(pids - set(self._links_p), hids - set(self._links_h))

    def rolled_back(self, mark: int) -> None:
        """A savepoint taken when `mark` person history rows were pending was rolled back."""
        del self.person_history[mark:]
        self.forget()

    def forget(self) -> None:
        self.last_seq = None
        self._cases.clear()
        self._links_p.clear()
        self._links_h.clear()
        self._p.clear()
        self._h.clear()
        self._members.clear()
        self._by_idn.clear()
        self._children.clear()
        self._row.clear()
        self.findings.clear()


def _person_from_row(row: Row[Any]) -> dict[str, Any]:
    p: dict[str, Any] = json.loads(row.data)
    p["person_id"] = row.person_id
    p["household_id"] = row.household_id
    p["status"] = row.status
    return p

