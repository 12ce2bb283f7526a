"""Read side of the protocol: bootstrap pages, change pages, manifest (scope, cursors, tombstones)."""

from __future__ import annotations

from sqlalchemy import Connection

from typing import Any

import json
import zlib

from sqlalchemy import func, select, union_all

from sync.protocol import DEFAULT_MAX_BYTES, ErrorCode, compute_scope_digest
from sync.server import schema as t
from sync.server.errors import ApiError
from sync.server.security import Signer
from sync.server.store import Store, iso


class _Packer:
    """Builds a page as one gzip stream while collecting items, so the page is compressed once and
    bounded by its compressed size: `{"<key>":[items...],<meta>}`; the meta goes last because the
    next token is known only after packing."""

    # A sync flush ends a deflate block (and its Huffman tables): do it only every this many raw
    # bytes to measure the compressed size exactly; in between, estimate with the measured ratio.
    FLUSH_EVERY = 64 * 1024

    def __init__(self, key: str, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.z = zlib.compressobj(6, zlib.DEFLATED, 31)
        self.parts = [self.z.compress(f'{{"{key}":['.encode())]
        self.emitted = 0          # compressed bytes out so far (exact at each flush)
        self.raw_flushed = 0      # raw bytes covered by `emitted`
        self.pending = 0          # raw bytes since the last flush
        self.count = 0

    def _ratio(self) -> float:
        return self.emitted / self.raw_flushed if self.raw_flushed else 0.35

    def estimate(self) -> float:
        return self.emitted + self.pending * self._ratio()

    def add(self, raw: bytes) -> bool:
        """Adds the item unless the page is not empty and it would (by estimate) overflow."""
        if self.count:
            if self.estimate() + len(raw) * self._ratio() > self.max_bytes:
                return False
            raw = b"," + raw
        out = self.z.compress(raw)
        self.parts.append(out)
        self.emitted += len(out)
        self.pending += len(raw)
        self.count += 1
        if self.pending >= self.FLUSH_EVERY:
            out = self.z.flush(zlib.Z_SYNC_FLUSH)
            self.parts.append(out)
            self.emitted += len(out)
            self.raw_flushed += self.pending
            self.pending = 0
        return True

    def finish(self, meta: dict[str, Any]) -> bytes:
        tail = json.dumps(meta, ensure_ascii=False)[1:].encode("utf-8")
        self.parts.append(self.z.compress(b"]," + tail if tail != b"}" else b"]}"))
        self.parts.append(self.z.flush())
        return b"".join(self.parts)


def record_json(kind: str, case_id: str, version: int, data_text: str) -> bytes:
    return (f'{{"type":{json.dumps(kind)},"id":{json.dumps(case_id, ensure_ascii=False)},'
            f'"version":{int(version)},"data":{data_text}}}').encode("utf-8")


class SyncReader:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.cursors = Signer(store.secret, "cursor")

    def _limits(self, limit: int | None, max_bytes: int | None) -> tuple[int, int]:
        cfg = self.store.config
        return (min(limit or cfg.default_page_limit, cfg.max_page_limit),
                max_bytes or DEFAULT_MAX_BYTES)

    def _open(self, token: str, kind: str, user: dict[str, Any], conn: Connection) -> dict[str, Any]:
        payload = self.cursors.verify(token)
        if payload is None or payload.get("k") != kind or payload.get("u") != user["id"] \
                or not isinstance(payload.get("s"), int):
            what = "同步游标" if kind == "c" else "分页标记"
            raise ApiError(400, ErrorCode.INVALID_CURSOR, f"{what}无效")
        if payload.get("e") != self.store.epoch(conn, user):
            raise ApiError(410, ErrorCode.RESYNC_REQUIRED, "数据范围已变化，需要重新下载全部任务")
        if payload["s"] < self.store.floor(conn) or payload["s"] > self.store.max_seq(conn):
            raise ApiError(410, ErrorCode.RESYNC_REQUIRED, "同步游标已过期，需要重新下载全部任务")
        return payload

    def _cursor(self, conn: Connection, user: dict[str, Any], seq: int) -> str:
        return self.cursors.sign({"k": "c", "u": user["id"], "s": seq, "e": self.store.epoch(conn, user)})

    def bootstrap(self, user: dict[str, Any], page_token: str | None, limit: int | None, max_bytes: int | None) -> bytes:
        """One page as a gzip'd JSON body."""
        limit, max_bytes = self._limits(limit, max_bytes)
        store = self.store
        with store.read() as conn:
            if page_token:
                tok = self._open(page_token, "p", user, conn)
                seq, after = tok["s"], str(tok.get("a", ""))
            else:
                seq, after = store.max_seq(conn), ""
            rows = conn.execute(
                select(t.cases.c.case_id, t.cases.c.kind, t.cases.c.version, t.cases.c.data)
                .where(store.scope_where(user), t.cases.c.case_id > after)
                .order_by(t.cases.c.case_id).limit(limit + 1)).all()
            packer = _Packer("records", max_bytes)
            taken = 0
            for r in rows[:limit]:
                if not packer.add(record_json(r.kind, r.case_id, r.version, r.data)):
                    break
                taken += 1
            more = taken < len(rows)
            out = {"next_page_token": None, "cursor": None, "scope_digest": None,
                   "server_time": iso(store.now())}
            if more:
                out["next_page_token"] = self.cursors.sign({
                    "k": "p", "u": user["id"], "s": seq, "a": rows[taken - 1].case_id,
                    "e": store.epoch(conn, user)})
            else:
                out["cursor"] = self._cursor(conn, user, seq)
                out["scope_digest"] = compute_scope_digest(store.scope_pairs(conn, user))
        return packer.finish(out)

    def changes(self, user: dict[str, Any], cursor: str, limit: int | None, max_bytes: int | None) -> bytes:
        limit, max_bytes = self._limits(limit, max_bytes)
        store = self.store
        store.prune()
        with store.read() as conn:
            seq = self._open(cursor, "c", user, conn)["s"]
            cl = t.change_log.c
            mine = union_all(
                select(cl.case_id, cl.seq).where(cl.assignee == user["username"], cl.seq > seq),
                select(cl.case_id, cl.seq).where(cl.prev_assignee == user["username"], cl.seq > seq),
            ).subquery()
            rows = conn.execute(select(mine.c.case_id, func.max(mine.c.seq).label("m"))
                                .group_by(mine.c.case_id).order_by("m").limit(limit + 1)).all()
            packer = _Packer("changes", max_bytes)
            taken, last = 0, seq
            for r in rows[:limit]:
                case = store.get_case(conn, r.case_id)
                if case is None:   # removed from the database entirely (an admin clean-up)
                    raw = json.dumps({"type": "error" if r.case_id.startswith("E") else "unknown",
                                      "id": r.case_id, "version": 0,
                                      "removed": {"reason": "deleted", "at": iso(store.now())}}).encode()
                elif store.in_scope(case, user):
                    raw = record_json(case["kind"], case["case_id"], case["version"], case["data"])
                else:
                    raw = json.dumps(store.tombstone_for(case, user), ensure_ascii=False).encode("utf-8")
                if not packer.add(raw):
                    break
                taken += 1
                last = r.m
            more = taken < len(rows)
            if not more:
                # Nothing else for this user up to here: skip past everyone else's changes too.
                last = max(last, store.max_seq(conn))
            out = {"next_cursor": self._cursor(conn, user, last), "has_more": more,
                   "scope_digest": None if more else compute_scope_digest(store.scope_pairs(conn, user)),
                   "server_time": iso(store.now())}
        return packer.finish(out)

    def manifest(self, user: dict[str, Any]) -> dict[str, Any]:
        store = self.store
        with store.read() as conn:
            rows = conn.execute(select(t.cases.c.case_id, t.cases.c.version, t.cases.c.kind)
                                .where(store.scope_where(user)).order_by(t.cases.c.case_id)).all()
            return {"records": [{"id": r.case_id, "version": r.version, "type": r.kind} for r in rows],
                    "scope_digest": compute_scope_digest((r.case_id, r.version) for r in rows),
                    "cursor": self._cursor(conn, user, store.max_seq(conn)),
                    "server_time": iso(store.now())}
