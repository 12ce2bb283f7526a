"""The append-only, hash-chained audit log (工作留痕): logins, refreshes, logouts, password and account
changes, every sync op with its outcome, admin reads and edits, case actions, exports, resets.

Each entry's `hash` is SHA-256 over its canonical JSON (every column but the hash, `prev_hash`
included), and `prev_hash` is the previous entry's hash, so an edited, deleted, inserted or reordered
row breaks the chain from that row on. The head (last seq and hash) is also kept in `meta`, so
cutting entries off the end is seen too; appends lock that row, so several server processes chain
one after the other.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from sqlalchemy import Connection, insert, select, update

from sync.server import schema as t
from sync.server.audit_anchor import AnchorFile, after_commit, anchor_path
from sync.server.store import Store, dumps, iso

GENESIS = "0" * 64
HEAD_KEY = "audit_head"
FIELDS = ("seq", "at", "actor", "role", "address", "device", "action", "target", "outcome", "detail",
          "prev_hash", "hash")


def entry_hash(entry: dict[str, Any]) -> str:
    body = {k: entry[k] for k in FIELDS if k != "hash"}
    return hashlib.sha256(json.dumps(body, ensure_ascii=False, sort_keys=True,
                                     separators=(",", ":")).encode("utf-8")).hexdigest()


class AuditChain:
    """Entries appended in one write transaction: the head is read (and locked) once, the entries are
    chained in memory and written, with the new head, by write() before the transaction commits."""

    def __init__(self, store: Store, conn: Connection, anchor: AnchorFile | None = None) -> None:
        self.store, self.conn, self.anchor = store, conn, anchor
        head = conn.execute(select(t.meta.c.value).where(t.meta.c.key == HEAD_KEY).with_for_update()).scalar()
        self._had_head = head is not None
        last, prev = head.split(":") if head is not None else ("0", GENESIS)
        self._seq, self._prev = int(last), prev
        self._entries: list[dict[str, Any]] = []

    def add(self, *, actor: str, role: str = "", address: str = "", device: str = "", action: str,
            target: str = "", outcome: str = "ok", detail: dict[str, Any] | None = None) -> int:
        """The next entry of the chain (written by write()); returns its seq."""
        entry: dict[str, Any] = {"seq": self._seq + 1, "at": iso(self.store.now()), "actor": actor[:64],
                                 "role": role[:16], "address": address[:64], "device": device[:128],
                                 "action": action[:40], "target": target[:200], "outcome": outcome[:24],
                                 "detail": dumps(detail or {}), "prev_hash": self._prev}
        entry["hash"] = entry_hash(entry)
        self._entries.append(entry)
        self._seq, self._prev = entry["seq"], entry["hash"]
        return self._seq

    def write(self) -> None:
        if not self._entries:
            return
        self.conn.execute(insert(t.audit_log), self._entries)
        head = f"{self._seq}:{self._prev}"
        if self._had_head:
            self.conn.execute(update(t.meta).where(t.meta.c.key == HEAD_KEY).values(value=head))
        else:
            self.conn.execute(insert(t.meta).values(key=HEAD_KEY, value=head))
            self._had_head = True
        if self.anchor is not None:
            after_commit(self.conn, self.anchor, self._seq, self._prev, self._entries[-1]["at"])
        self._entries = []


class AuditLog:
    def __init__(self, store: Store):
        self.store = store
        path = anchor_path(store.config, store.url)
        self.anchor = AnchorFile(path) if path is not None else None

    def chain(self, conn: Connection) -> AuditChain:
        """Several entries in the caller's write transaction (a push batch's ops)."""
        return AuditChain(self.store, conn, self.anchor)

    def append(self, conn: Connection, *, actor: str, role: str = "", address: str = "", device: str = "",
               action: str, target: str = "", outcome: str = "ok", detail: dict[str, Any] | None = None) -> int:
        """One entry, in the caller's write transaction (so it commits with what it records)."""
        chain = AuditChain(self.store, conn, self.anchor)
        seq = chain.add(actor=actor, role=role, address=address, device=device, action=action, target=target,
                        outcome=outcome, detail=detail)
        chain.write()
        return seq

    def record(self, user: dict[str, Any], action: str, target: str = "", outcome: str = "ok",
               detail: dict[str, Any] | None = None) -> None:
        """An entry in its own transaction (for reads, which write nothing else)."""
        with self.store.write() as conn:
            self.append(conn, **actor_of(user), action=action, target=target, outcome=outcome, detail=detail)


def actor_of(user: dict[str, Any]) -> dict[str, str]:
    """actor, role, address and device of an authenticated user (set by the app's dependency)."""
    return {"actor": user["username"], "role": user["role"], "address": user.get("_address", ""),
            "device": user.get("_device", "")}


@dataclass
class Verdict:
    ok: bool
    entries: int
    first_bad: int | None = None     # seq (or position) of the first entry that does not hold
    reason: str = ""


def verify(conn: Connection) -> Verdict:
    """Walk the chain in seq order; the first entry whose hash, link or numbering is wrong is named."""
    prev, expected_seq, n = GENESIS, 1, 0
    for row in conn.execute(select(t.audit_log).order_by(t.audit_log.c.seq)):
        e = dict(row._mapping)
        n += 1
        if e["seq"] != expected_seq:
            return Verdict(False, n, e["seq"], f"序号不连续：应为 {expected_seq}，实为 {e['seq']}（有记录被删除或插入）")
        if e["prev_hash"] != prev:
            return Verdict(False, n, e["seq"], "与前一条记录的链接不符（记录被删除、插入或调换了顺序）")
        if entry_hash(e) != e["hash"]:
            return Verdict(False, n, e["seq"], "记录内容与其哈希不符（记录被修改）")
        prev, expected_seq = e["hash"], expected_seq + 1
    head = conn.execute(select(t.meta.c.value).where(t.meta.c.key == HEAD_KEY)).scalar()
    if head is not None and head != f"{expected_seq - 1}:{prev}":
        return Verdict(False, n, expected_seq, f"日志末尾与记录的最后一条（{head.split(':')[0]}）不符（末尾记录被删除）")
    return Verdict(True, n)


def head(conn: Connection) -> tuple[int, str, str]:
    """The last entry's seq, hash and time ((0, GENESIS, "") for an empty log)."""
    row = conn.execute(select(t.audit_log.c.seq, t.audit_log.c.hash, t.audit_log.c.at)
                       .order_by(t.audit_log.c.seq.desc()).limit(1)).first()
    return (row.seq, row.hash, row.at) if row else (0, GENESIS, "")


def query(conn: Connection, *, since: str | None = None, until: str | None = None, user: str | None = None,
          actors_in: str | None = None, after_seq: int = 0, limit: int | None = None) -> Iterator[dict[str, Any]]:
    """Entries in seq order; `since`/`until` compare with `at` (ISO text); `actors_in` keeps the
    entries of accounts inside that jurisdiction."""
    q = select(t.audit_log).where(t.audit_log.c.seq > after_seq)
    if since:
        q = q.where(t.audit_log.c.at >= since)
    if until:
        q = q.where(t.audit_log.c.at < until)
    if user:
        q = q.where(t.audit_log.c.actor == user)
    if actors_in is not None:
        q = q.where(t.audit_log.c.actor.in_(select(t.users.c.username).where(
            t.users.c.jurisdiction.like(actors_in + "%"))))
    q = q.order_by(t.audit_log.c.seq)
    if limit:
        q = q.limit(limit)
    for row in conn.execute(q):
        yield dict(row._mapping)


def _cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula is written as plain text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


HEADERS_ZH = ("序号", "时间(UTC)", "账号", "角色", "地址", "设备", "操作", "对象", "结果", "详情", "前一哈希", "哈希")


def export(entries: list[dict[str, Any]], out: Path) -> int:
    """Write the entries as .xlsx, .csv or .jsonl (by the file name); returns how many."""
    suffix = out.suffix.lower()
    if suffix == ".jsonl":
        with out.open("w", encoding="utf-8") as f:
            for e in entries:
                f.write(json.dumps({k: e[k] for k in FIELDS}, ensure_ascii=False) + "\n")
    elif suffix == ".csv":
        with out.open("w", encoding="utf-8-sig", newline="") as f:
            w = csv.writer(f)
            w.writerow(HEADERS_ZH)
            for e in entries:
                w.writerow([_cell(e[k]) for k in FIELDS])
    elif suffix == ".xlsx":
        from openpyxl import Workbook
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("审计日志")
        ws.append(HEADERS_ZH)
        for e in entries:
            ws.append([_cell(e[k]) for k in FIELDS])
        wb.save(out)
    else:
        raise ValueError(f"不支持的导出格式 {suffix or '（无扩展名）'}：请用 .xlsx、.csv 或 .jsonl")
    return len(entries)
