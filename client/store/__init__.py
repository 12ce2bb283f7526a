"""The encrypted local store (SQLCipher via SQLAlchemy): schema, migrations, transactions.

    store = open_store(path, key)          # key: 32 raw bytes from new_key(), wrapped by the caller
    with store.write() as session: ...     # one BEGIN IMMEDIATE transaction, committed on exit
    with store.read() as session: ...      # a consistent, read-only snapshot
    advance_shadow(session, ...) / upsert_shadows(session, page)   # shadows only move forward
    select(Case.id).where(text_filter("zs"))                       # worklist filter, index-only

One writer thread, readers anywhere (see database.py). Errors are typed StoreError subclasses
(HechaErrors: a code, worded in client/messages.py).
"""

from client.store.database import Store, new_key, open_store
from client.store.errors import (
    CorruptDatabaseError,
    DiskFullError,
    NotADatabaseError,
    SchemaTooNewError,
    StoreBusyError,
    StoreClosedError,
    StoreError,
    StoreOpenError,
    StoreWriteError,
    UnencryptedDatabaseError,
    WrongKeyError,
)
from client.store.models import (
    AuditEntry,
    Case,
    CaseInitials,
    OutboxOp,
    SyncState,
)
from client.store.search import SearchColumns, search_columns, text_filter, with_overlay
from client.store.shadows import ShadowUpdate, advance_shadow, reindex_case, upsert_shadows, utc_now
from client.store.state import get_state, set_state

__all__ = [
    "AuditEntry", "Case", "CaseInitials", "CorruptDatabaseError", "DiskFullError",
    "NotADatabaseError", "OutboxOp", "SchemaTooNewError",
    "SearchColumns", "ShadowUpdate", "Store", "StoreBusyError", "StoreClosedError", "StoreError",
    "StoreOpenError", "StoreWriteError",
    "SyncState", "UnencryptedDatabaseError", "WrongKeyError", "advance_shadow", "get_state",
    "new_key", "open_store", "reindex_case", "search_columns", "set_state", "text_filter",
    "upsert_shadows", "utc_now", "with_overlay",
]
