"""The server database's engine: URLs, SQLite's pragmas and BEGIN, PostgreSQL's pool and write lock,
the database file's mode and the token-signing key."""

from __future__ import annotations

import os
import secrets
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

from sync.server.config import ServerConfig


def normalize_db_url(db: str) -> str:
    """A SQLite path becomes a sqlite:/// URL; postgresql:// (or postgres://) means psycopg 3."""
    for plain in ("postgresql://", "postgres://"):
        if db.startswith(plain):
            return "postgresql+psycopg://" + db[len(plain):]
    if "://" in db:
        return db
    return f"sqlite:///{db}"


# Writers on PostgreSQL take this transaction-scoped advisory lock: one writer at a time across every
# worker process, so change-log seqs commit in order (SQLite's BEGIN IMMEDIATE does the same).
PG_WRITE_LOCK = 0x686563686177


def make_engine(url: str, pool_size: int = 10) -> Engine:
    """The engine for a database URL (or SQLite path): SQLite in WAL with our own BEGIN (IMMEDIATE for
    writers); PostgreSQL through psycopg 3 with a pool of `pool_size` (+ as many overflow)."""
    url = normalize_db_url(url)
    u = make_url(url)
    if u.get_backend_name() != "sqlite":
        return create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)
    kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": 60}}
    if u.database in (None, "", ":memory:"):
        kwargs["poolclass"] = StaticPool
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: sqlite3.Connection, _rec: object) -> None:
        dbapi_conn.isolation_level = None   # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=60000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql(conn.get_execution_options().get("sqlite_begin", "BEGIN"))
    return engine


def create_private(path: Path) -> None:
    """Create the SQLite file readable by its owner only (0600) before SQLite creates it 0644."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def load_secret(config: ServerConfig, is_sqlite: bool, sqlite_path: str | None) -> str:
    """The token-signing key, never kept in the database: config.secret, the environment
    (HECHA_SERVER_SECRET), config.secret_file, or a 0600 file next to a SQLite database
    (<db>.key, made on first start). A throwaway key for an in-memory database."""
    if config.secret:
        return config.secret
    env = os.environ.get("HECHA_SERVER_SECRET")
    if env:
        return env
    in_memory = is_sqlite and sqlite_path in (None, "", ":memory:")
    path = config.secret_file or (f"{sqlite_path}.key" if is_sqlite and not in_memory else None)
    if path is None:
        if in_memory:
            return secrets.token_urlsafe(32)
        raise RuntimeError("请用环境变量 HECHA_SERVER_SECRET 或 --secret-file 指定令牌签名密钥")
    key = Path(path)
    if not key.exists():
        fd = os.open(key, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(secrets.token_urlsafe(32))
    if key.stat().st_mode & 0o077:
        raise RuntimeError(f"密钥文件 {key} 的权限过宽：应为 0600（chmod 600 {key}）")
    return key.read_text(encoding="ascii").strip()

