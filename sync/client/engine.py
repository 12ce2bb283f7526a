"""The sync cycle over the local store: push the outbox, then pull until caught up (bootstrap,
paged changes, tombstones, digest check and manifest repair). No Qt: progress and cancellation
pass through a SyncState object, so the UI runs `SyncEngine.sync` in an executor."""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy import TextClause, select, text, update
from sqlalchemy.orm import Session

from client import __version__, lifecycle
from client.store import (
    Case,
    OutboxOp,
    Store,
    get_state,
    set_state,
    upsert_shadows,
    utc_now,
)
from client.lifecycle import SENDABLE, UNFINISHED
from sync import protocol as P
from sync.client import errors as E
from sync.client.pages import HAS_MORE, NEXT_CURSOR, NEXT_PAGE_TOKEN, envelope, prefetched
from sync.client.push_results import apply_results, parse_push, wire_op
from sync.client.transport import Transport

log = logging.getLogger(__name__)

# sync_state keys (the store names the common ones; these strings must stay stable)
CURSOR = "cursor"
SCOPE_DIGEST = "scope_digest"
LAST_SYNC_SERVER_TIME = "last_sync_server_time"
OWNER = "owner"
BOOTSTRAP_PAGE_TOKEN = "bootstrap_page_token"
BOOTSTRAP_RUNNING = "bootstrap_running"

MAX_PUSH = P.MAX_OPS_PER_PUSH
PUSH_DEPTH = 2   # push batches in flight: one being applied by the server, the next on the link


def active_cases() -> TextClause:
    """SQL filter: cases in the worker's scope (no tombstone). A JSON column may hold SQL NULL
    or the JSON text 'null' for None, depending on how the row was written."""
    return text("(cases.removed IS NULL OR cases.removed = 'null')")


@dataclass
class SyncState:
    """Progress and cancellation of one sync, shared between the worker thread and the UI.

    `on_progress` (if set) is called from the sync thread after each step; the UI marshals it."""

    phase: str = "idle"  # idle, push, pull, bootstrap, repair, done, failed, cancelled
    pushed: int = 0
    pulled: int = 0
    pages: int = 0
    to_push: int = 0
    message: str = ""
    on_progress: Callable[[SyncState], None] | None = None
    cancel_event: threading.Event = field(default_factory=threading.Event)

    def cancel(self) -> None:
        self.cancel_event.set()

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()

    def check(self) -> None:
        if self.cancel_event.is_set():
            raise E.SyncCancelled("cancelled")

    def step(self, phase: str | None = None, **counts: int) -> None:
        if phase:
            self.phase = phase
        for k, v in counts.items():
            setattr(self, k, getattr(self, k) + v)
        if self.on_progress is not None:
            try:
                self.on_progress(self)
            except Exception:  # noqa: BLE001 - a broken progress view must not break sync
                log.exception("progress callback failed")


@dataclass
class SyncResult:
    """What one sync did, for the report and for the views that must refresh."""

    pushed: int = 0
    pulled: int = 0
    conflicts: list[str] = field(default_factory=list)  # case ids
    rejected: list[str] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    merged: dict[str, list[str]] = field(default_factory=dict)  # case -> fields others changed
    removed: list[str] = field(default_factory=list)  # tombstoned cases
    changed: set[str] = field(default_factory=set)  # every case id whose row changed
    bootstrapped: bool = False
    repaired: int = 0
    digest_ok: bool | None = None
    requests: int = 0
    server_time: str | None = None


class SyncEngine:
    """Runs sync cycles for the owner of one store. One cycle at a time (a lock)."""

    def __init__(self, store: Store, transport: Transport, username: str, *,
                 page_limit: int | None = None, max_bytes: int | None = None,
                 push_batch: int = MAX_PUSH) -> None:
        self.store = store
        self.transport = transport
        self.username = username
        self.page_limit = page_limit
        self.max_bytes = max_bytes
        self.push_batch = max(1, min(push_batch, MAX_PUSH))
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None

    # -- the cycle ------------------------------------------------------------------------
    def sync(self, state: SyncState | None = None) -> SyncResult:
        state = state or SyncState()
        if not self._lock.acquire(blocking=False):
            raise E.SyncInProgress("another sync is running")
        result = SyncResult()
        start_requests = self.transport.stats.requests
        try:
            self._check_owner()
            state.step("push")
            self.push(state, result)
            state.step("pull")
            self.pull(state, result)
            state.step("done")
            return result
        except E.SyncCancelled:
            state.step("cancelled")
            raise
        except Exception:
            state.step("failed")
            raise
        finally:
            result.requests = self.transport.stats.requests - start_requests
            self._lock.release()

    def _check_owner(self) -> None:
        with self.store.write() as s:
            owner = get_state(s, OWNER)
            if owner is None:
                set_state(s, OWNER, self.username)
            elif owner != self.username:
                raise E.WrongUser(owner=owner, username=self.username)

    # -- push -----------------------------------------------------------------------------
    def push(self, state: SyncState, result: SyncResult) -> None:
        """Send every sendable op (chains one link per round) until nothing is left to send.

        Pipelined: while the server applies one batch, the next one is already on the link
        (PUSH_DEPTH batches in flight). Batches hold different cases (only the head of each
        case's chain goes out), so their order on the server does not matter; a chain's next
        link is claimed only once its head's result has been applied here."""
        sent_this_cycle: set[str] = set()
        batch_size = self.push_batch
        inflight: deque[tuple[list[dict[str, Any]], Future[Any]]] = deque()
        failure: E.SyncError | None = None
        pool = self._fetch_pool()

        def send(ops: list[dict[str, Any]]) -> Any:
            return self.transport.post("/v1/sync/push", {"device_id": self.transport.device_id,
                                                         "client_version": __version__, "ops": ops},
                                       cancel=state.cancel_event)

        while True:
            while failure is None and len(inflight) < PUSH_DEPTH:
                state.check()
                ops = self._claim_batch(batch_size, sent_this_cycle)
                if not ops:
                    break
                state.to_push = len(ops)
                inflight.append((ops, pool.submit(send, ops)))
            if not inflight:
                if failure is not None:
                    raise failure
                return
            ops, fut = inflight.popleft()
            try:
                resp = fut.result()
            except E.PayloadTooLarge as exc:
                if batch_size == 1:
                    failure = failure or exc
                batch_size = max(1, batch_size // 2)
                sent_this_cycle.difference_update(o["op_id"] for o in ops)
                continue
            except E.IdempotencyKeyReused as exc:
                self._mark_reused(exc, ops, result)
                # The server refused the whole batch before applying anything: the other ops
                # go out again in this cycle.
                bad = (exc.problem or {}).get("op_id")
                sent_this_cycle.difference_update(o["op_id"] for o in ops if o["op_id"] != bad)
                continue
            except E.SyncError as exc:
                # Raised once the batches still in flight are settled: they may have been applied,
                # so their results are taken first (a failed batch's ops go out again next cycle).
                failure = failure or exc
                continue
            results = parse_push(resp.data, ops)
            apply_results(self.store, results, result)
            result.server_time = resp.server_time or result.server_time
            state.step(pushed=len(ops))

    def _claim_batch(self, limit: int, skip: set[str]) -> list[dict[str, Any]]:
        """Pick the next op of each case (in outbox order), freeze it (attempts+1) and return
        the wire ops. The commit happens before sending: a sent op is never edited again."""
        with self.store.write() as s:
            # The choice reads four columns of every unfinished op; only the chosen rows are loaded
            # whole (payloads are the bulk of the outbox).
            heads = s.execute(select(OutboxOp.seq, OutboxOp.op_id, OutboxOp.case_id, OutboxOp.state)
                              .where(OutboxOp.state.in_(UNFINISHED), OutboxOp.owner == self.username)
                              .order_by(OutboxOp.seq)).all()
            first_per_case: dict[str, Any] = {}
            for head in heads:
                first_per_case.setdefault(head.case_id, head)
            chosen_seqs = []
            for head in first_per_case.values():
                # Only the head of a case's chain goes out; a stuck head (conflict, rejected,
                # gone) holds the rest until the worker resolves it. The next link is sent in
                # the next round, rebased on the head's new version.
                if head.state not in SENDABLE or head.op_id in skip:
                    continue
                chosen_seqs.append(head.seq)
                if len(chosen_seqs) >= limit:
                    break
            if not chosen_seqs:
                return []
            chosen = s.execute(select(OutboxOp).where(OutboxOp.seq.in_(chosen_seqs))).scalars().all()
            now = utc_now()
            wire = []
            for op in sorted(chosen, key=lambda o: o.seq):
                lifecycle.claim(op, now)
                skip.add(op.op_id)
                wire.append(wire_op(op))
            return wire

    def _mark_reused(self, exc: E.IdempotencyKeyReused, ops: list[dict[str, Any]],
                     result: SyncResult) -> None:
        op_id = (exc.problem or {}).get("op_id")
        ids = [op_id] if op_id else [o["op_id"] for o in ops]
        with self.store.write() as s:
            for oid in ids:
                op = s.execute(select(OutboxOp).where(OutboxOp.op_id == oid)).scalar_one_or_none()
                if op is None:
                    continue
                # A client bug, never silently dropped: the op stays visible as rejected.
                lifecycle.settle(op, "rejected", utc_now(), error="idempotency_key_reused")
                op.result = {"status": "rejected", "errors": [
                    {"code": "idempotency_key_reused", "message": exc.message}]}
                result.rejected.append(op.case_id)
                case = s.get(Case, op.case_id)
                if case is not None:
                    lifecycle.op_stuck(case, op.state)
        if not op_id:
            raise exc

    # -- pull -----------------------------------------------------------------------------
    def pull(self, state: SyncState, result: SyncResult) -> None:
        with self.store.read() as s:
            cursor = get_state(s, CURSOR)
            resuming = get_state(s, BOOTSTRAP_RUNNING)
        if cursor is None or resuming:
            self.bootstrap(state, result)
        else:
            try:
                self._pull_changes(cursor, state, result)
            except E.ResyncRequired:
                log.info("cursor expired: re-bootstrapping (outbox kept)")
                self.bootstrap(state, result, restart=True)
        self._check_digest(state, result)

    def _fetch_pool(self) -> ThreadPoolExecutor:
        if self._pool is None:
            # Two fetchers: the page arriving and the next one being rendered by the server.
            self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="hecha-sync-fetch")
        return self._pool

    def wait_idle(self) -> None:
        """Wait until no page fetch is running (tests; closing)."""
        if self._pool is not None:
            for f in [self._pool.submit(lambda: None) for _ in range(2)]:
                f.result()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def _page_params(self) -> dict[str, Any]:
        params: dict[str, Any] = {}
        if self.page_limit:
            params["limit"] = self.page_limit
        if self.max_bytes:
            params["max_bytes"] = self.max_bytes
        return params

    def _pull_changes(self, cursor: str, state: SyncState, result: SyncResult) -> None:
        def fetch(cur: str, early: Callable[[Any], None]) -> Any:
            state.check()

            def prefix(head: bytes) -> bool:
                more = HAS_MORE.search(head)
                token = NEXT_CURSOR.search(head)
                if more is None or token is None:
                    return False
                if more.group(1) == b"true":
                    early(token.group(1).decode("ascii", "replace"))
                return True

            resp = self.transport.get("/v1/sync/changes",
                                      params={"cursor": cur, **self._page_params()},
                                      cancel=state.cancel_event, on_prefix=prefix)
            return envelope(P.ChangesPage, resp.data, "changes")

        for page in prefetched(self._fetch_pool(), fetch, cursor,
                                lambda p: p.next_cursor if p.has_more else None):
            state.check()
            changes = page.items
            with self.store.write() as s:
                self._apply_changes(s, changes, result)
                # The cursor moves in the same transaction as the page it covers (I6).
                set_state(s, CURSOR, page.next_cursor)
                if not page.has_more:
                    set_state(s, SCOPE_DIGEST, page.scope_digest)
                    set_state(s, LAST_SYNC_SERVER_TIME, _iso(page.server_time))
            result.server_time = _iso(page.server_time)
            state.step(pulled=len(changes), pages=1)

    def bootstrap(self, state: SyncState, result: SyncResult, *, restart: bool = False) -> None:
        """Download the whole scope, page by page; resumable after a crash; keeps the outbox."""
        state.step("bootstrap")
        result.bootstrapped = True
        with self.store.write() as s:
            token = None if restart else get_state(s, BOOTSTRAP_PAGE_TOKEN)
            if restart or not get_state(s, BOOTSTRAP_RUNNING):
                token = None
                set_state(s, BOOTSTRAP_RUNNING, True)
                set_state(s, BOOTSTRAP_PAGE_TOKEN, None)
                set_state(s, CURSOR, None)
        resume = token

        def fetch(tok: str | None, early: Callable[[Any], None]) -> Any:
            state.check()
            params = self._page_params()
            if tok:
                params["page_token"] = tok

            def prefix(head: bytes) -> bool:
                m = NEXT_PAGE_TOKEN.search(head)
                if m is None:
                    return False
                if m.group(1) is not None:
                    early(m.group(1).decode("ascii", "replace"))
                return True

            try:
                resp = self.transport.get("/v1/sync/bootstrap", params=params,
                                          cancel=state.cancel_event, on_prefix=prefix)
            except (E.ResyncRequired, E.BadRequest) as exc:
                if tok is None or tok != resume or (isinstance(exc, E.BadRequest)
                                                    and exc.status != 400):
                    raise
                return fetch(None, early)  # the saved page token is stale: start the snapshot again
            page = envelope(P.BootstrapPage, resp.data, "records")
            if page.next_page_token is None and not page.cursor:
                raise E.BadResponse("last bootstrap page without a cursor")
            return page

        for page in prefetched(self._fetch_pool(), fetch, token, lambda p: p.next_page_token):
            state.check()
            records = page.items
            with self.store.write() as s:
                self._apply_changes(s, records, result)
                if page.next_page_token:
                    set_state(s, BOOTSTRAP_PAGE_TOKEN, page.next_page_token)
                else:
                    set_state(s, BOOTSTRAP_PAGE_TOKEN, None)
                    set_state(s, BOOTSTRAP_RUNNING, None)
                    set_state(s, CURSOR, page.cursor)
                    set_state(s, SCOPE_DIGEST, page.scope_digest)
                    if page.server_time:
                        set_state(s, LAST_SYNC_SERVER_TIME, _iso(page.server_time))
            state.step(pulled=len(records), pages=1)
            if page.server_time:
                result.server_time = _iso(page.server_time)

    def _apply_changes(self, s: Session, changes: list[dict[str, Any]], result: SyncResult) -> None:
        """One page: shadows forward only (store.upsert_shadows), then the local consequences."""
        if not changes:
            return
        # The store applies the one shadow rule (forward only; a tombstone of the stored version
        # still removes the case); what the move means for the case is the lifecycle's.
        upd = upsert_shadows(s, changes)
        result.pulled += len(upd.moved)
        result.changed.update(upd.moved)
        moved = list(dict.fromkeys(upd.moved))
        if not moved:
            return
        # Columns only (no ORM objects, no shadow JSON): a bootstrap page moves thousands.
        rows: list[Any] = []
        for i in range(0, len(moved), 900):
            rows += s.execute(select(Case.id, Case.local_state, Case.removed)
                              .where(Case.id.in_(moved[i:i + 900]))).all()
        result.removed += [cid for cid, _state, removed in rows if removed is not None]
        self._settle(s, rows)

    def _settle(self, s: Session, rows: list[Any]) -> None:
        """Cases whose shadow moved (id, local_state, removed) take their state after the pull."""
        unfinished = _unfinished_cases(s, [r[0] for r in rows])
        updates: dict[str, list[str]] = {}
        for cid, local_state, removed in rows:
            new_state = lifecycle.after_pull(local_state, removed, cid in unfinished)
            if new_state is not None:
                updates.setdefault(new_state, []).append(cid)
        for new_state, ids in updates.items():
            for i in range(0, len(ids), 900):
                s.execute(update(Case).where(Case.id.in_(ids[i:i + 900]))
                          .values(local_state=new_state, overlay=None))

    # -- digest check and manifest repair -------------------------------------------------
    def local_digest(self, s: Session) -> str:
        rows = s.execute(select(Case.id, Case.shadow_version)
                         .where(active_cases())).all()
        return P.compute_scope_digest((r[0], r[1]) for r in rows)

    def _check_digest(self, state: SyncState, result: SyncResult) -> None:
        with self.store.read() as s:
            expected = get_state(s, SCOPE_DIGEST)
            if expected is None:
                return
            ok = self.local_digest(s) == expected
        if ok:
            result.digest_ok = True
            return
        log.warning("scope digest differs: repairing through the manifest")
        self.repair(state, result)

    def repair(self, state: SyncState, result: SyncResult) -> None:
        state.step("repair")
        resp = self.transport.get("/v1/sync/manifest", cancel=state.cancel_event)
        try:
            manifest = P.Manifest.model_validate(resp.data)
        except ValidationError as exc:
            raise E.BadResponse(f"manifest: {str(exc)[:200]}") from exc
        server = {m.id: m.version for m in manifest.records}
        with self.store.write() as s:
            local = dict(s.execute(select(Case.id, Case.shadow_version)
                                   .where(active_cases())).all())
            extras = [cid for cid in local if cid not in server]
            missing = [cid for cid, v in server.items() if local.get(cid, -1) < v]
            now = utc_now()
            rows: list[tuple[str, str, dict[str, Any] | None]] = []
            for cid in extras:
                case = s.get_one(Case, cid)
                case.removed = {"reason": "out_of_scope", "at": now, "by": "repair"}
                rows.append((cid, case.local_state, case.removed))
            s.flush()
            self._settle(s, rows)
            result.repaired += len(extras)
            result.changed.update(extras)
        if missing:
            # The protocol has no per-record fetch: a full snapshot brings the missing rows
            # back (shadows only move forward, the outbox is kept).
            result.repaired += len(missing)
            self.bootstrap(state, result, restart=True)
        with self.store.read() as s:
            expected = get_state(s, SCOPE_DIGEST)
            result.digest_ok = self.local_digest(s) in (expected, manifest.scope_digest)
        if not result.digest_ok:
            log.warning("scope digest still differs after repair")


# -- helpers ------------------------------------------------------------------------------

def _unfinished_cases(s: Session, ids: list[str]) -> set[str]:
    out: set[str] = set()
    for i in range(0, len(ids), 900):
        out.update(s.execute(select(OutboxOp.case_id).where(
            OutboxOp.case_id.in_(ids[i:i + 900]), OutboxOp.state.in_(UNFINISHED))).scalars())
    return out


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


__all__ = ["SyncEngine", "SyncResult", "SyncState"]
