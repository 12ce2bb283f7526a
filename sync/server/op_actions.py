"""The per-action handlers of a push op: one method per action, run inside the op's savepoint.

A handler either returns the applied result (the case closed as completed, one new version) or raises
Outcome with a conflict or rejection, which the processor turns into a rolled-back savepoint.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Connection, insert, select, update

from sync.protocol import Op
from sync.protocol.actions import (
    READ_ONLY_FIELDS,
    ConfirmBirthPayload,
    MergePayload,
    NotDuplicatePayload,
    RejectBirthPayload,
)
from sync.server import render, schema as t, validation
from sync.server.store import Store, iso



def _ids(*values: str | None) -> set[str]:
    """The given ids without the missing ones."""
    return {v for v in values if v is not None}


class Outcome(Exception):
    """Raised inside a handler to end the op with a non-applied result."""

    def __init__(self, result: dict[str, Any]) -> None:
        self.result = result


def err(code: str, message: str, fields: Iterable[str] = (), **params: Any) -> dict[str, Any]:
    """One error finding of a rejected op."""
    return {"code": code, "severity": "E", "fields": list(fields), "message": message, "params": params}


def rejected(*errors: dict[str, Any]) -> Outcome:
    return Outcome({"status": "rejected", "errors": list(errors)})



class ActionContext:
    """One op being applied inside its savepoint, with the case it acts on."""

    def __init__(self, store: Store, conn: Connection, user: dict[str, Any], device_id: str | None, op: Op,
                 case: dict[str, Any], payload: Any) -> None:  # payload: the action's model (PAYLOADS)
        self.store, self.conn, self.user, self.device_id = store, conn, user, device_id
        self.op, self.case, self.payload = op, case, payload
        self.spec = case["spec_obj"]
        self.current = json.loads(case["data"])
        self.stale = op.base_version != case["version"]
        self.base = store.history_data(conn, case["case_id"], op.base_version) if self.stale else self.current
        self.strict = store.config.reject_unexplained_warnings
        # Versions after the base made by this worker's own ops (its chain) are not "server
        # changes": a chained op never conflicts with the edits it was chained after.
        self.steps = []
        if self.stale and self.base is not None:
            rows = store.history_since(conn, case["case_id"], op.base_version)
            self.steps = [(json.loads(a["data"]), json.loads(b["data"]),
                           b["actor"] == user["username"] and b["op_id"] is not None)
                          for a, b in zip(rows, rows[1:])]
        self.others_changed = self.stale and (self.base is None or any(not own for *_, own in self.steps))

    def since_base(self, diff: Callable[[dict[str, Any], dict[str, Any]], set[str]]) -> set[str]:
        """What others changed since base_version, by the given diff of two versions' data."""
        out: set[str] = set()
        for before, after, own in self.steps:
            if not own:
                out |= diff(before, after)
        return out

    # ------------------------------------------------------------ helpers

    def record(self, case: dict[str, Any]) -> dict[str, Any]:
        return self.store.case_record(case)

    def authors(self, fields_of: Callable[[dict[str, Any], dict[str, Any]], set[str]]) -> list[dict[str, Any]]:
        """Who made each version after base_version, with the fields it changed (by `fields_of`)."""
        out = []
        rows = self.store.history_since(self.conn, self.case["case_id"], self.op.base_version)
        for before, after in zip(rows, rows[1:]):
            changed = fields_of(json.loads(before["data"]), json.loads(after["data"]))
            out.append({"version": after["version"], "actor": after["actor"], "at": after["at"],
                        "action": after["action"], "fields": sorted(changed)})
        return out

    def conflict(self, fields: dict[str, dict[str, Any]],
                 fields_of: Callable[[dict[str, Any], dict[str, Any]], set[str]]) -> Outcome:
        authors = self.authors(fields_of)
        for f, entry in fields.items():
            for a in reversed(authors):
                if f in a["fields"]:
                    entry["changed_by"], entry["changed_at"] = a["actor"], a["at"]
                    break
        return Outcome({"status": "conflict", "server_version": self.case["version"],
                        "server_record": self.record(self.case), "fields": fields,
                        "changed_by": authors})

    def finish(self, *, data: dict[str, Any] | None = None, merged_fields: Iterable[str] | None = None,
               resolution: dict[str, Any] | None = None,
               spec: dict[str, Any] | None = None) -> dict[str, Any]:
        """Close the case as completed by this user (one new version) and build the result."""
        res = {"action": self.op.action, "by": self.user["username"], "device_id": self.device_id,
               "at": iso(self.store.now()), "client_edited_at": self.op.client_edited_at,
               "op_id": self.op.op_id, **(resolution or {})}
        if spec is not None:
            self.case["spec_obj"] = spec
        if data is None:
            data = self.store.rerender(self.conn, self.case, status="completed")
        case = self.store.commit_case(self.conn, self.case, actor=self.user["username"],
                                      action=self.op.action, op_id=self.op.op_id, data=data,
                                      status="completed", resolution=res,
                                      completed_by=self.user["username"], spec=spec)
        status = "applied_with_merge" if self.others_changed else "applied"
        out = {"status": status, "new_version": case["version"], "record": self.record(case)}
        if self.others_changed:
            out["merged_fields"] = sorted(merged_fields or [])
        return out

    def check(self, findings: list[dict[str, Any]], overrides: dict[str, str]) -> None:
        bad = validation.blocking(findings, overrides, strict_warnings=self.strict)
        if bad:
            raise rejected(*bad)

    @staticmethod
    def person_diff(a: dict[str, Any], b: dict[str, Any]) -> set[str]:
        pa, pb = a.get("person") or {}, b.get("person") or {}
        return {k for k in set(pa) | set(pb) if pa.get(k) != pb.get(k)}

    def findings(self, person: dict[str, Any], household: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return render.person_findings(person, household, self.store.lookup(self.conn), self.store.today())

    def household_members(self, household_id: str | None, exclude: str | None = None) -> list[dict[str, Any]]:
        if not household_id:
            return []
        return [m for m in self.store.lookup(self.conn).members(household_id) if m["person_id"] != exclude]

    # ------------------------------------------------------------ error cases

    def fix_error(self) -> dict[str, Any]:
        changes = self.op.changes or {}
        if not changes:
            raise rejected(err("no_changes", "没有需要保存的修改"))
        bad = [f for f in changes if f not in validation.PERSON_FIELDS or f in READ_ONLY_FIELDS]
        if bad:
            raise rejected(*[err("unknown_field", f"字段 {f} 不能修改", [f]) for f in bad])
        try:   # ID numbers normalized, lengths and invisible characters refused
            to = validation.normalized_changes({f: ch.to for f, ch in changes.items()})
        except validation.ValueRefusedError as exc:
            raise rejected(*exc.findings) from None
        server_changed = self.since_base(self.person_diff)
        current_person = self.current.get("person") or {}
        base_person = (self.base or {}).get("person") or {}
        overlap = {f for f in changes if f in server_changed and current_person.get(f) != to[f]}
        if self.stale and self.base is None:
            overlap = set(changes)
        if overlap:
            raise self.conflict({f: {"base": base_person.get(f), "server": current_person.get(f),
                                     "mine": to[f]} for f in sorted(overlap)}, self.person_diff)
        pid = self.spec["person_id"]
        person = self.store.get_person(self.conn, pid) or {"person_id": pid}
        new = {k: v for k, v in person.items() if k != "status"}
        for f, value in to.items():
            if value is None:
                new.pop(f, None)
            else:
                new[f] = value
        household = self.household_members(new.get("household_id"), exclude=pid)
        self.check(self.findings(new, household),
                   self.payload.overrides)
        self.store.write_person(self.conn, new, actor=self.user["username"], action="fix_error",
                                op_id=self.op.op_id)
        self.store.touch_affected(self.conn, {pid}, _ids(new.get("household_id")),
                                  actor=self.user["username"], action="fix_error",
                                  op_id=self.op.op_id, exclude=self.case["case_id"])
        return self.finish(merged_fields=server_changed - set(changes),
                           resolution={"changes": {f: c.model_dump(by_alias=True) for f, c in changes.items()},
                                       "note": self.payload.note, "overrides": self.payload.overrides})

    def confirm_error(self) -> dict[str, Any]:
        server_changed = self.since_base(self.person_diff)
        if self.stale and (server_changed or self.base is None):
            bp = (self.base or {}).get("person") or {}
            cp = self.current.get("person") or {}
            raise self.conflict({f: {"base": bp.get(f), "server": cp.get(f), "mine": bp.get(f)}
                                 for f in sorted(server_changed)}, self.person_diff)
        pid = self.spec["person_id"]
        person = self.store.get_person(self.conn, pid) or {"person_id": pid}
        household = self.household_members(person.get("household_id"), exclude=pid)
        self.check(self.findings(person, household),
                   self.payload.overrides)
        return self.finish(merged_fields=set(),
                           resolution={"reason": self.payload.reason, "overrides": self.payload.overrides})

    def cannot_verify(self) -> dict[str, Any]:
        changed = self.since_base(self.person_diff)
        return self.finish(merged_fields=changed, resolution=self.payload.model_dump())

    # ------------------------------------------------------------ births

    def _birth_changed(self) -> set[str]:
        keys = ("mother", "father", "households", "matches", "certificate")
        if not self.stale:
            return set()
        if self.base is None:
            return set(keys)
        return self.since_base(lambda a, b: {k for k in keys if a.get(k) != b.get(k)})

    def confirm_birth(self) -> dict[str, Any]:
        p: ConfirmBirthPayload = self.payload
        changed = self._birth_changed()
        relevant = changed & {"mother", "father", "certificate", "households"}
        if p.household_id and "households" in relevant:
            def members_of(d: dict[str, Any]) -> dict[str, Any] | None:
                return next((h for h in d.get("households") or [] if h["household_id"] == p.household_id), None)
            if members_of(self.base or {}) == members_of(self.current):
                relevant.discard("households")
        elif "households" in relevant:
            relevant.discard("households")
        if relevant:
            raise self.conflict({k: {"base": (self.base or {}).get(k), "server": self.current.get(k),
                                     "mine": None} for k in sorted(relevant)},
                                lambda a, b: {k for k in set(a) | set(b) if a.get(k) != b.get(k)})
        if (p.household_id is None) == (p.new_household is None):
            raise rejected(err("household_choice", "请选择一个现有户或新立户（只能选一个）", ["household_id"]))
        unknown = [f for f in p.person if f not in validation.PERSON_FIELDS or f in ("person_id", "household_id")]
        if unknown:
            raise rejected(*[err("unknown_field", f"字段 {f} 不能填写", [f]) for f in unknown])
        conn, store = self.conn, self.store
        case_id = self.case["case_id"]
        if p.household_id:
            h = conn.execute(select(t.households).where(t.households.c.household_id == p.household_id)).first()
            if h is None or not (h.place or "").startswith(self.user["jurisdiction"]):
                raise rejected(err("household_unknown", "所选户不存在或不在您的辖区", ["household_id"]))
            hid, place = h.household_id, h.place
        else:
            assert p.new_household is not None  # exactly one of the two (checked above)
            if not p.new_household.place.startswith(self.user["jurisdiction"]):
                raise rejected(err("household_place", "新立户地址不在您的辖区", ["new_household.place"]))
            hid, place = f"H-{case_id}", p.new_household.place
        person: dict[str, Any] = {k: v for k, v in p.person.items() if v not in (None, "")}
        person.update({"person_id": f"P-{case_id}", "household_id": hid, "relation": p.relation})
        cert = self.spec.get("certificate") or {}
        person.setdefault("birth_cert_number", cert.get("cert_number"))
        person.setdefault("hukou_place", place)
        cn = person.get("birth_cert_number")
        mother = store.get_person(conn, self.spec["mother_id"]) if self.spec.get("mother_id") else None
        father = store.get_person(conn, self.spec["father_id"]) if self.spec.get("father_id") else None
        household = self.household_members(hid) if p.household_id else []
        # A chained confirm (the worker corrects the newborn after confirming) updates that person.
        previous = store.get_person(conn, person["person_id"])
        used = {cn} if cn and self._cert_taken(cn, exclude=person["person_id"]) else set()
        findings = validation.birth_findings(person, certificate=cert, mother=mother, father=father,
                                             household=household, twins_confirmed=p.twins_confirmed,
                                             used_cert_numbers=used, today=store.today(),
                                             existing_children=self._children(mother))
        self.check(findings, p.overrides)
        if p.new_household:
            if conn.execute(select(t.households.c.household_id).where(
                    t.households.c.household_id == hid)).first():
                conn.execute(update(t.households).where(t.households.c.household_id == hid)
                             .values(place=place, address=p.new_household.address))
            else:
                conn.execute(insert(t.households).values(household_id=hid, place=place,
                                                         address=p.new_household.address,
                                                         head_person_id=None, version=1))
            store.lookup(conn).households_changed()
        store.write_person(conn, person, actor=self.user["username"], action="confirm_birth",
                           op_id=self.op.op_id)
        spec = dict(self.spec)
        if p.new_household and hid not in (spec.get("household_ids") or []):
            spec["household_ids"] = list(spec.get("household_ids") or []) + [hid]
        spec["confirmed_person_id"] = person["person_id"]
        moved_from = {previous.get("household_id")} if previous else set()
        store.touch_affected(conn, set(), _ids(hid, *moved_from), actor=self.user["username"],
                             action="confirm_birth", op_id=self.op.op_id, exclude=case_id)
        return self.finish(merged_fields=changed, spec=spec,
                           resolution={"person_id": person["person_id"], "household_id": hid,
                                       "relation": p.relation, "twins_confirmed": p.twins_confirmed,
                                       "overrides": p.overrides})

    def _children(self, mother: dict[str, Any] | None) -> list[dict[str, Any]]:
        return self.store.lookup(self.conn).children_of((mother or {}).get("id_number")) if mother else []

    def _cert_taken(self, cert_number: str, exclude: str | None = None) -> bool:
        return self.conn.execute(select(t.persons.c.person_id).where(
            t.persons.c.birth_cert_number == cert_number, t.persons.c.status != "merged",
            t.persons.c.person_id != (exclude or "")).limit(1)).first() is not None

    def reject_birth(self) -> dict[str, Any]:
        p: RejectBirthPayload = self.payload
        if p.reason == "already_registered":
            if not p.existing_person_id or self.store.get_person(self.conn, p.existing_person_id) is None:
                raise rejected(err("existing_person_unknown", "请指明已登记的人员", ["existing_person_id"]))
        return self.finish(merged_fields=self._birth_changed(), resolution=p.model_dump())

    # ------------------------------------------------------------ duplicates

    @staticmethod
    def members_diff(a: dict[str, Any], b: dict[str, Any]) -> set[str]:
        ma = {m.get("person_id"): m for m in a.get("members") or []}
        mb = {m.get("person_id"): m for m in b.get("members") or []}
        out: set[str] = set()
        for pid in set(ma) | set(mb):
            x, y = ma.get(pid) or {}, mb.get(pid) or {}
            out.update(f"{pid}.{k}" for k in set(x) | set(y) if x.get(k) != y.get(k))
        return out

    def _dup_conflict_check(self) -> None:
        if not self.stale:
            return
        changed = self.since_base(self.members_diff)
        if changed or self.base is None:
            def val(d: dict[str, Any] | None, path: str) -> Any:
                pid, f = path.split(".", 1)
                m = next((m for m in (d or {}).get("members") or [] if m.get("person_id") == pid), None)
                return None if m is None else m.get(f)
            raise self.conflict({p: {"base": val(self.base, p), "server": val(self.current, p), "mine": None}
                                 for p in sorted(changed)}, self.members_diff)

    def merge_duplicates(self) -> dict[str, Any]:
        p: MergePayload = self.payload
        members_now = [m["person_id"] for m in self.current.get("members") or []]
        if set(p.member_ids) != set(self.spec.get("member_ids") or []):
            raise self.conflict({"member_ids": {"base": sorted(p.member_ids), "server": sorted(members_now),
                                                "mine": sorted(p.member_ids)}}, self.members_diff)
        self._dup_conflict_check()
        ids = list(self.spec.get("member_ids") or [])
        if p.survivor_id not in ids:
            raise rejected(err("survivor_not_member", "保留的记录不在本组中", ["survivor_id"]))
        bad = [f for f, pid in p.field_choices.items()
               if f not in validation.PERSON_FIELDS or f in ("person_id", "household_id") or pid not in ids]
        if bad:
            raise rejected(*[err("bad_field_choice", f"字段 {f} 的选择无效", [f]) for f in bad])
        conn, store = self.conn, self.store
        found = [store.get_person(conn, pid) for pid in ids]
        members = [m for m in found if m is not None and m.get("status") != "merged"]
        if len(members) != len(found):
            raise rejected(err("member_unavailable", "本组中有记录已被合并或删除"))
        # The same policy the client shows: twins, 重号 and two different valid ID numbers are
        # different people, whatever a client sends.
        from client.domain.merge import merge_blocker_details
        blockers = merge_blocker_details(members)
        if blockers:
            raise rejected(*[err(r.code, r.message, r.fields) for r in blockers])
        survivor = validation.merged_person(members, p.survivor_id, p.field_choices)
        survivor.pop("status", None)
        household = self.household_members(survivor.get("household_id"), exclude=p.survivor_id)
        household = [m for m in household if m["person_id"] not in ids]
        self.check(self.findings(survivor, household), p.overrides)
        actor = self.user["username"]
        store.write_person(conn, survivor, actor=actor, action="merge_duplicates", op_id=self.op.op_id)
        others = {pid for pid in ids if pid != p.survivor_id}
        households = _ids(*(m.get("household_id") for m in members))
        for m in members:
            if m["person_id"] in others:
                store.write_person(conn, m, actor=actor, action="merged_into", op_id=self.op.op_id,
                                   status="merged", merged_into=p.survivor_id)
        # Links of the others move to the survivor; this case keeps showing every member.
        moved = store.relink(conn, others, p.survivor_id) - {self.case["case_id"]}
        own_spec = dict(self.spec)
        store.set_links(conn, self.case["case_id"], "duplicates", own_spec)
        store.touch_affected(conn, set(ids), households, actor=actor, action="merge_duplicates",
                             op_id=self.op.op_id, exclude=self.case["case_id"])
        for cid in sorted(moved):
            c = store.get_case(conn, cid)
            if c is None:
                raise LookupError(f"case {cid} is linked but missing")
            if c["status"] in ("open", "completed"):
                data = store.rerender(conn, c)
                if data != json.loads(c["data"]):
                    store.commit_case(conn, c, actor=actor, action="merge_duplicates", op_id=self.op.op_id,
                                      data=data)
        return self.finish(merged_fields=set(), resolution={
            "survivor_id": p.survivor_id, "field_choices": p.field_choices, "member_ids": ids,
            "members_before": members, "overrides": p.overrides})

    def mark_not_duplicate(self) -> dict[str, Any]:
        p: NotDuplicatePayload = self.payload
        ids = set(self.spec.get("member_ids") or [])
        if p.id_corrections:
            self._dup_conflict_check()
        bad = [pid for pid in p.id_corrections if pid not in ids]
        if bad:
            raise rejected(*[err("not_member", f"{pid} 不在本组中", ["id_corrections"]) for pid in bad])
        conn, store = self.conn, self.store
        actor = self.user["username"]
        changed_households: set[str | None] = set()
        for pid, new_id in sorted(p.id_corrections.items()):
            stored = store.get_person(conn, pid)
            if stored is None:  # deleted since the case was made: refused, not a server error
                raise rejected(err("member_unavailable", "本组中有记录已被合并或删除"))
            person = {k: v for k, v in stored.items() if k != "status"}
            person["id_number"] = new_id
            household = self.household_members(person.get("household_id"), exclude=pid)
            found = self.findings(person, household)
            self.check([f for f in found if "id_number" in f.get("fields", [])], p.overrides)
            store.write_person(conn, person, actor=actor, action="mark_not_duplicate", op_id=self.op.op_id)
            changed_households.add(person.get("household_id"))
        if p.id_corrections:
            store.touch_affected(conn, set(p.id_corrections), _ids(*changed_households), actor=actor,
                                 action="mark_not_duplicate", op_id=self.op.op_id,
                                 exclude=self.case["case_id"])
        changed = self.since_base(self.members_diff)
        return self.finish(merged_fields=changed, resolution=p.model_dump())
