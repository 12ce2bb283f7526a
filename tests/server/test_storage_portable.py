"""The server schema stays portable: its DDL compiles for PostgreSQL, and a database URL works."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateIndex, CreateTable

from sync.server import schema as t
from sync.server.config import ServerConfig
from sync.server.db import normalize_db_url
from sync.server.store import Store


def test_schema_compiles_for_postgresql():
    dialect = postgresql.dialect()
    for table in t.metadata.sorted_tables:
        ddl = str(CreateTable(table).compile(dialect=dialect))
        assert "AUTOINCREMENT" not in ddl.upper()
        for index in table.indexes:
            str(CreateIndex(index).compile(dialect=dialect))
    change_log = str(CreateTable(t.change_log).compile(dialect=dialect))
    assert "BIGSERIAL" in change_log.upper()


def test_db_argument_accepts_path_or_url(tmp_path):
    assert normalize_db_url(str(tmp_path / "a.db")) == f"sqlite:///{tmp_path / 'a.db'}"
    url = f"sqlite:///{tmp_path / 'b.db'}"
    assert normalize_db_url(url) == url
    store = Store(ServerConfig(db_url=url))
    secret = store.secret
    store.close()
    # the secret (tokens, cursors) survives a restart
    again = Store(ServerConfig(db_url=url))
    assert again.secret == secret
    again.close()


def test_an_older_database_is_refused_clearly(tmp_path):
    import sqlite3

    import pytest

    from sync.server.migrate import SchemaVersionError
    path = tmp_path / "old.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    con.execute("CREATE TABLE persons (person_id TEXT PRIMARY KEY, data TEXT)")
    con.commit()
    con.close()
    with pytest.raises(SchemaVersionError, match="结构版本"):
        Store(ServerConfig(db_url=f"sqlite:///{path}"))
    # a database written by this version opens again
    fresh = tmp_path / "new.db"
    Store(ServerConfig(db_url=f"sqlite:///{fresh}")).close()
    Store(ServerConfig(db_url=f"sqlite:///{fresh}")).close()
