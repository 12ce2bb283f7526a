"""Sync bookkeeping in the `sync_state` key/value table (cursor, scope digest, owner, ...)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from client.store.models import sync_state_table

# Keys in use; the sync engine may add more.
CURSOR = "cursor"
SCOPE_DIGEST = "scope_digest"
LAST_SYNC_SERVER_TIME = "last_sync_server_time"
OWNER = "owner"
BOOTSTRAP_PAGE_TOKEN = "bootstrap_page_token"


def get_state(session: Session, key: str, default: Any = None) -> Any:
    value = session.execute(select(sync_state_table.c.value)
                            .where(sync_state_table.c.key == key)).scalar_one_or_none()
    return default if value is None else value


def set_state(session: Session, key: str, value: Any) -> None:
    """Store `value` (JSON) under `key`; None deletes the key."""
    if value is None:
        session.execute(delete(sync_state_table).where(sync_state_table.c.key == key))
        return
    stmt = insert(sync_state_table).values(key=key, value=value)
    session.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"value": stmt.excluded.value}))
