"""Opening the encrypted store: SQLCipher connections, pragmas, key checks, transactions.

Threading: one writer at a time (not one writer thread). `Store` may be shared between threads,
a `Session` may not. Any thread may `read()` (WAL readers never block and are never blocked).
Writers are serialised by SQLite's write lock, taken when `write()` begins (BEGIN IMMEDIATE): the
UI's actions write on its database thread (ui/background.py), a running sync writes from its
network thread between requests, and each of its transactions is short (one batch of push
results, one pull page), so the other writer waits at most that long. A writer that does not get
the lock within `busy_timeout` (another process, a `write()` nested inside a `write()`) gets
StoreBusyError. `rekey()` and `close()` need every session finished first.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, exc
from sqlalchemy.orm import Session
from sqlalchemy.pool import QueuePool
from sqlcipher3 import dbapi2

from client.store import migrations
from client.store.errors import (CorruptDatabaseError, DiskFullError, NotADatabaseError,
                                 StoreBusyError, StoreClosedError, StoreError, StoreOpenError,
                                 StoreWriteError, UnencryptedDatabaseError, WrongKeyError)

KEY_BYTES = 32
BUSY_TIMEOUT_MS = 10_000
CIPHER_PAGE_SIZE = 8192
CACHE_KIB = 32_768
_SQLITE_HEADER = b"SQLite format 3\x00"
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26
_SQLITE_FULL = 13


def new_key() -> bytes:
    """A fresh random database key (the caller wraps it with the user's password)."""
    return os.urandom(KEY_BYTES)


def _check_key(key: bytes) -> str:
    if not isinstance(key, (bytes, bytearray)) or len(key) != KEY_BYTES:
        raise ValueError(f"database key must be {KEY_BYTES} raw bytes")
    return bytes(key).hex()


def json_dumps(value: Any) -> str:
    # Compact and UTF-8: Chinese text stays 3 bytes a character instead of a 6-byte escape.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _classify(error: Exception, path: Path, writing: bool = False) -> StoreError:
    """Turn SQLCipher's one-size "file is not a database" into wrong key / not a database."""
    code = getattr(error, "sqlite_errorcode", None)
    text = str(error)
    if code == _SQLITE_FULL or "disk is full" in text:
        return DiskFullError(path=str(path), detail=text)
    if code == _SQLITE_NOTADB or "not a database" in text:
        try:
            size = path.stat().st_size
            with path.open("rb") as fh:
                head = fh.read(len(_SQLITE_HEADER))
        except OSError:
            return NotADatabaseError(path=str(path), detail=text)
        if head == _SQLITE_HEADER:
            return UnencryptedDatabaseError(path=str(path), detail=text)
        # An SQLCipher file is whole pages (>= 512 bytes each) of random-looking bytes; a file
        # that is not cannot be ours, whatever the key. One that is fails only on the key
        # (page 1 authenticates with its HMAC): wrong key, or page 1 damaged beyond telling.
        if size < 512 or size % 512:
            return NotADatabaseError(path=str(path), detail=text)
        return WrongKeyError(path=str(path), detail=text)
    if code == _SQLITE_CORRUPT or "malformed" in text:
        return CorruptDatabaseError(path=str(path), detail=text)
    if "locked" in text or "busy" in text:
        return StoreBusyError(path=str(path), detail=text)
    if writing:
        return StoreWriteError(path=str(path), detail=text)
    return StoreOpenError(path=str(path), detail=text, reason=text)


def _raw_connect(path: Path, hexkey: str, busy_ms: int = BUSY_TIMEOUT_MS) -> Any:
    """A keyed, configured DB-API connection; raises a typed StoreError if the key or file is bad."""
    conn = dbapi2.connect(str(path), timeout=busy_ms / 1000, isolation_level=None,
                          check_same_thread=False)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")  # errors reach the caller typed, not stderr
        conn.execute(f"PRAGMA key = \"x'{hexkey}'\"")  # must precede any read of the file
        # 8 KB pages: a case's JSON is about 1 KB, and per-page cipher work (IV, HMAC) halves
        # against 4 KB (measured in bench/store_bulk.py). Part of the file format from v1 on.
        conn.execute(f"PRAGMA cipher_page_size = {CIPHER_PAGE_SIZE}")
        # The first read of page 1 is where a wrong key or a foreign file shows up.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute(f"PRAGMA busy_timeout = {int(busy_ms)}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise StoreOpenError(path=str(path), detail=f"journal_mode {mode}",
                                 reason=f"cannot use WAL (journal_mode={mode})")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        # Index pages of a 100,000-case bootstrap stay decrypted in memory instead of spilling.
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    except dbapi2.Error as error:
        conn.close()
        raise _classify(error, path) from error
    except BaseException:
        conn.close()
        raise
    return conn


def _make_engine(path: Path, hexkey: str, busy_ms: int) -> Engine:
    engine = create_engine(
        "sqlite+pysqlite://",
        module=dbapi2,
        creator=lambda: _raw_connect(path, hexkey, busy_ms),
        poolclass=QueuePool,
        pool_size=4,
        max_overflow=4,
        json_serializer=json_dumps,
    )

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:  # the driver is in autocommit mode: we issue BEGIN ourselves
        mode = conn.get_execution_options().get("hecha_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


class Store:
    """An open encrypted store. Use `write()` for one atomic write transaction, `read()` to read."""

    def __init__(self, path: Path, key: bytes, busy_timeout: float = BUSY_TIMEOUT_MS / 1000):
        self.path = path
        self._hexkey = _check_key(key)
        self._busy_ms = max(0, int(busy_timeout * 1000))
        self._lock = threading.Lock()
        self._closed = False
        self._engine = _make_engine(path, self._hexkey, self._busy_ms)
        self._write_engine = self._engine.execution_options(hecha_begin="IMMEDIATE")

    def _connect(self) -> Any:
        return _raw_connect(self.path, self._hexkey, self._busy_ms)

    @property
    def engine(self) -> Engine:
        self._check_open()
        return self._engine

    def _check_open(self) -> None:
        if self._closed:
            raise StoreClosedError(path=str(self.path))

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction (BEGIN IMMEDIATE): commits on normal exit, rolls back on error."""
        self._check_open()
        with Session(self._write_engine, expire_on_commit=False, autoflush=True) as session:
            try:
                session.connection()  # take the write lock now, before any work is done
            except exc.OperationalError as error:
                raise _classify(error.orig or error, self.path) from error
            try:
                yield session
                session.commit()
            except exc.OperationalError as error:  # disk full, I/O error: nothing was saved
                raise _classify(error.orig or error, self.path, writing=True) from error

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only snapshot (WAL): sees one committed state for its whole duration."""
        self._check_open()
        # Closing (not rolling back) ends the snapshot and leaves loaded objects usable, detached.
        with Session(self._engine, expire_on_commit=False, autoflush=False) as session:
            conn = session.connection()
            # A write here would vanish silently at close: make it fail loudly instead.
            conn.exec_driver_sql("PRAGMA query_only = 1")
            try:
                yield session
            finally:
                try:
                    conn.exec_driver_sql("PRAGMA query_only = 0")
                except exc.DBAPIError:
                    conn.invalidate()  # never hand a read-only connection to a writer

    @property
    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.exec_driver_sql("PRAGMA user_version").scalar_one())

    def pragma(self, name: str) -> Any:
        """Current value of a pragma on a pooled connection (journal_mode, synchronous, ...)."""
        if not name.replace("_", "").isalnum():
            raise ValueError(name)
        with self.engine.connect() as conn:
            return conn.exec_driver_sql(f"PRAGMA {name}").scalar()

    def checkpoint(self) -> bool:
        """Copy the WAL into the main file and truncate it; False if readers kept it busy."""
        self._check_open()
        conn = self._connect()
        try:
            busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        finally:
            conn.close()
        return not busy

    def check_integrity(self, quick: bool = False) -> list[str]:
        """Problems found by SQLite, SQLCipher (page HMACs) and foreign keys; empty when healthy.

        Reads the whole file (a few seconds for 100,000 cases); `quick` skips the index checks.
        """
        self._check_open()
        conn = self._connect()
        try:
            check = "quick_check" if quick else "integrity_check"
            problems = [row[0] for row in conn.execute(f"PRAGMA {check}")]
            problems = [p for p in problems if p != "ok"]
            problems += [" ".join(map(str, row)) for row in conn.execute("PRAGMA cipher_integrity_check")]
            problems += [f"foreign key: {tuple(row)}" for row in conn.execute("PRAGMA foreign_key_check")]
        except dbapi2.Error as error:
            problems = [str(error)]
        finally:
            conn.close()
        return problems

    def rekey(self, new_key: bytes) -> None:
        """Re-encrypt the whole file under `new_key` (other processes must have it closed).

        One transaction: after a crash the file opens with exactly one of the two keys (tested
        with kill -9), so the caller keeps both until this returns, then stores the new one.
        """
        self._check_open()
        hexkey = _check_key(new_key)
        with self._lock:
            self._engine.dispose()  # pooled connections hold the old key
            conn = self._connect()
            try:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                conn.execute(f"PRAGMA rekey = \"x'{hexkey}'\"")
            except dbapi2.Error as error:
                raise _classify(error, self.path) from error
            finally:
                conn.close()
            self._hexkey = hexkey
            self._engine = _make_engine(self.path, hexkey, self._busy_ms)
            self._write_engine = self._engine.execution_options(hecha_begin="IMMEDIATE")

    def close(self) -> None:
        if not self._closed:
            self._engine.dispose()
            self._closed = True

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def open_store(path: str | os.PathLike[str], key: bytes, *, busy_timeout: float = BUSY_TIMEOUT_MS / 1000,
               upgrade_to: int | None = None) -> Store:
    """Open (or create) the encrypted store at `path` with the raw 32-byte `key`, migrating it.

    Raises WrongKeyError, NotADatabaseError (incl. UnencryptedDatabaseError),
    CorruptDatabaseError, SchemaTooNewError or StoreBusyError. `busy_timeout` (seconds) is how
    long a writer waits for another one. `upgrade_to` stops the migrations at an older schema
    version (for upgrade tests only).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    store = Store(path, key, busy_timeout)
    # SQLite silently treats a tiny non-empty file as a new database and overwrites it.
    if path.exists() and 0 < path.stat().st_size < 512:
        store.close()
        raise NotADatabaseError(path=str(path), detail=f"{path.stat().st_size} bytes")
    try:
        # Fail on a bad key or file here, typed, rather than at the first query.
        store._connect().close()
        migrations.upgrade(store._write_engine, target=upgrade_to)
    except exc.DBAPIError as error:
        store.close()
        raise _classify(error.orig or error, path) from error
    except BaseException:
        store.close()
        raise
    return store
