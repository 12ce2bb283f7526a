"""Building valid ops from what the server sends; the doc names the actions but not their payloads,
so these shapes come from the server's own rejections (invalid_payload errors name the fields)."""

from __future__ import annotations

from tests.conformance.wire import Wire, new_op

REASON = "已入户核实"


def warning_only(records: dict) -> list[dict]:
    """Error cases whose findings are all warnings: a worker may save them with a reason per warning."""
    return sorted((r for r in records.values() if r["type"] == "error" and r["data"]["findings"]
                   and all(f["severity"] == "W" for f in r["data"]["findings"])), key=lambda r: r["id"])


def hard_errors(records: dict) -> list[dict]:
    return sorted((r for r in records.values() if r["type"] == "error"
                   and any(f["severity"] == "E" for f in r["data"]["findings"])), key=lambda r: r["id"])


def of_type(records: dict, kind: str) -> list[dict]:
    return sorted((r for r in records.values() if r["type"] == kind), key=lambda r: r["id"])


def overrides(record: dict) -> dict:
    return {f["code"]: REASON for f in record["data"]["findings"] if f["severity"] == "W"}


def address_fix(record: dict, to: str, field: str = "residence_address", **kw) -> dict:
    person = record["data"]["person"]
    return new_op(record, "fix_error", changes={field: {"from": person.get(field), "to": to}},
                  payload={"overrides": overrides(record)}, **kw)


def valid_op(record: dict, action: str) -> dict:
    d = record["data"]
    if action == "fix_error":
        return address_fix(record, "陕西省咸阳市乾县城关街道西大街12号")
    if action == "confirm_error":
        return new_op(record, action, payload={"reason": REASON, "overrides": overrides(record)})
    if action == "confirm_birth":
        proposed = d["proposed"]
        return new_op(record, action, payload={"person": proposed, "relation": proposed["relation"],
                                               "household_id": d["father"]["household_id"]})
    if action == "reject_birth":
        return new_op(record, action, payload={"reason": "wrong_data"})
    if action == "merge_duplicates":
        ids = [m["person_id"] for m in d["members"]]
        return new_op(record, action, payload={"survivor_id": ids[0], "member_ids": ids})
    if action == "mark_not_duplicate":
        return new_op(record, action, payload={"reason": REASON})
    raise ValueError(action)


def push_explaining_warnings(w: Wire, op: dict) -> tuple[dict, dict]:
    """Push; if only warnings were rejected, resubmit as a new op with a reason for each (what a
    worker does at the fields). Returns (final op, result)."""
    res = w.push_one(op)
    if res["status"] == "rejected" and res.get("errors") and all(e["severity"] == "W" for e in res["errors"]):
        payload = dict(op.get("payload") or {})
        payload["overrides"] = {**payload.get("overrides", {}), **{e["code"]: REASON for e in res["errors"]}}
        op = {**op, "op_id": op["op_id"] + "-w", "payload": payload}
        res = w.push_one(op)
    return op, res


def pick(choose, n: int = 1):
    """A selector for DemoServer.township: the first n of choose(records), or None if too few."""
    def select(records: dict):
        got = choose(records)
        return got[:n] if len(got) >= n else None
    return select
