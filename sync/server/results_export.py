"""Results out: every worker decision since a token, as JSON Lines (schema hecha.results/1) or .xlsx.

A decision is a case version written by a worker's op (history row with an op_id that completed the
case). Each line carries the case, its external id, the action, who and when, the decision's details
(resolution), and every person the op wrote, before and after, so that the 全员人口库 can apply it
(docs/feeds.md). Tokens are "h<history id>": the next token is printed; the same token gives the same
lines in the same order (nothing of the export run itself is written).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from sqlalchemy import Connection, Row, and_, select

from sync.server import schema as t
from sync.server.store import Store

SCHEMA = "hecha.results/1"
DECISIONS = ("fix_error", "confirm_error", "cannot_verify", "confirm_birth", "reject_birth",
             "merge_duplicates", "mark_not_duplicate")
ACTION_NAMES = {"fix_error": "更正", "confirm_error": "确认无误", "cannot_verify": "无法核实",
                "confirm_birth": "确认出生登记", "reject_birth": "退回出生推送", "merge_duplicates": "合并重复人员",
                "mark_not_duplicate": "确认不是重复"}
_BATCH = 2000


class TokenError(ValueError):
    pass


def parse_token(token: str | None) -> int:
    if not token:
        return 0
    if not token.startswith("h") or not token[1:].isdigit():
        raise TokenError(f"续传标记“{token}”无效（应为上次导出时打印的 h<数字>）")
    return int(token[1:])


@dataclass
class ExportResult:
    count: int
    next_token: str


def decisions(store: Store, since: int) -> Iterator[dict[str, Any]]:
    """Decision lines with history id > since, in id order."""
    h, fc = t.history.c, t.feed_cases.c
    last = since
    with store.read() as conn:
        while True:
            rows = conn.execute(
                select(t.history, t.cases.c.kind, fc.external_id)
                .join(t.cases, t.cases.c.case_id == h.case_id)
                .outerjoin(t.feed_cases, fc.case_id == h.case_id)
                # the op's own case (its op result names it), not the other cases it re-rendered
                .join(t.op_results, and_(t.op_results.c.op_id == h.op_id, t.op_results.c.record_id == h.case_id))
                .where(h.id > last, h.op_id.is_not(None), h.action.in_(DECISIONS), h.status == "completed")
                .order_by(h.id).limit(_BATCH)).all()
            if not rows:
                return
            for row in rows:
                yield _line(conn, row)
            last = rows[-1].id


def _line(conn: Connection, row: Row[Any]) -> dict[str, Any]:
    resolution = json.loads(row.resolution) if row.resolution else {}
    persons = []
    ph = t.person_history.c
    for after in conn.execute(select(t.person_history).where(ph.op_id == row.op_id).order_by(ph.person_id, ph.version)):
        before = conn.execute(select(t.person_history.c.data).where(and_(
            ph.person_id == after.person_id, ph.version < after.version)).order_by(ph.version.desc()).limit(1)).scalar()
        b, a = (json.loads(before) if before else None), json.loads(after.data)
        changed = {f: {"before": (b or {}).get(f), "after": a.get(f)} for f in sorted(set(a) | set(b or {}))
                   if (b or {}).get(f) != a.get(f)}
        persons.append({"person_id": after.person_id, "version": after.version, "before": b, "after": a,
                        "changed": changed})
    detail = {k: v for k, v in resolution.items()
              if k not in ("action", "by", "at", "op_id", "device_id", "client_edited_at", "members_before")}
    if row.action == "merge_duplicates":
        survivor = resolution.get("survivor_id")
        detail["removed_ids"] = [m for m in resolution.get("member_ids") or [] if m != survivor]
    return {"schema": SCHEMA, "token": f"h{row.id}", "case_id": row.case_id, "kind": row.kind,
            "external_id": row.external_id, "action": row.action, "version": row.version,
            "by": row.actor, "at": row.at, "client_edited_at": resolution.get("client_edited_at"),
            "device_id": resolution.get("device_id"), "op_id": row.op_id,
            "audit": {"history_id": row.id, "op_id": row.op_id}, "decision": detail, "persons": persons}


def export_results(store: Store, since_token: str | None, out: Path | str) -> ExportResult:
    """Writes the decisions after `since_token` to `out` (.jsonl or .xlsx)."""
    since = parse_token(since_token)
    out = Path(out)
    lines = decisions(store, since)
    last, count = since, 0
    if out.suffix.lower() == ".xlsx":
        last, count = _write_xlsx(lines, out, since)
    else:
        with open(out, "w", encoding="utf-8", newline="\n") as fh:
            for line in lines:
                fh.write(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")
                last, count = line["audit"]["history_id"], count + 1
    return ExportResult(count, f"h{last}")


def _write_xlsx(lines: Iterator[dict[str, Any]], out: Path, since: int) -> tuple[int, int]:
    from openpyxl import Workbook
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("处理结果")
    ws.append(["任务编号", "外部编号", "类型", "处理", "处理人", "处理时间", "人员编码", "字段", "原值", "新值", "说明"])
    last, count = since, 0
    for line in lines:
        last, count = line["audit"]["history_id"], count + 1
        head = [line["case_id"], line["external_id"] or "", line["kind"], ACTION_NAMES.get(line["action"], line["action"]),
                line["by"], line["at"]]
        note = "；".join(f"{k}: {json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v}"
                        for k, v in sorted(line["decision"].items()) if v not in (None, "", [], {}))
        rows = [[p["person_id"], f, c["before"] or "", c["after"] or ""]
                for p in line["persons"] for f, c in p["changed"].items()]
        for r in rows or [["", "", "", ""]]:
            ws.append([*head, *r, note])
    wb.save(out)
    return last, count
