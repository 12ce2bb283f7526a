"""Training guard: a store made against a training server never syncs with a real one (and back).

The server says what it is in /v1/health (`training`); the first server a store talks to marks
it for good. The workspace calls `check_server` at login and before its first sync.
"""

from __future__ import annotations

from typing import Any

from client.store import Store, get_state, set_state
from sync.client import errors as E

TRAINING_KEY = "training_store"  # sync_state key: true (training data) / false (real data)


class TrainingStoreRefused(E.SyncError):
    """Training operations must never reach a real server."""

    code = "training_store_refused"


class RealStoreRefused(E.SyncError):
    """Real workers' data must not be sent to (or mixed with) a training server."""

    code = "real_store_refused"


def server_is_training(transport: Any) -> bool:
    """Ask the server (GET /v1/health, no login needed) whether it is a training server.
    A server that does not say so is treated as a real one: the safe side for training data."""
    resp = transport.get("/v1/health", authenticated=False)
    data = resp.data if isinstance(resp.data, dict) else {}
    return data.get("training") is True


def store_mark(store: Store) -> bool | None:
    """True for a training store, False for a real one, None before its first server check."""
    with store.read() as s:
        value = get_state(s, TRAINING_KEY)
    return None if value is None else bool(value)


def bind_store(store: Store, server_training: bool, server: str = "") -> bool:
    """Mark an unmarked store after the kind of server it talks to; refuse a server of the other
    kind with a clear Chinese reason. Returns the store's mark."""
    with store.write() as s:
        mark = get_state(s, TRAINING_KEY)
        if mark is None:
            set_state(s, TRAINING_KEY, bool(server_training))
            return bool(server_training)
    if mark and not server_training:
        raise TrainingStoreRefused("training store, real server", server=server)
    if not mark and server_training:
        raise RealStoreRefused("real store, training server", server=server)
    return bool(mark)


def check_server(store: Store, transport: Any) -> bool:
    """The one hook: ask the server what it is and bind or refuse (raises before anything is sent)."""
    return bind_store(store, server_is_training(transport), getattr(transport, "base_url", "") or "")
