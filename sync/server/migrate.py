"""Schema migrations of the server database (Alembic, run in-process; `hecha server migrate`).

Every schema change is a revision in sync/server/migrations/versions/ (write the change in schema.py
too: tests/server/test_migrations.py checks that the migrated schema equals schema.py's). A database
made before Alembic (meta.schema_version "3", the schema of revision 0001) is stamped 0001 and
upgraded like any other. On PostgreSQL an advisory lock keeps several workers from migrating at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

if TYPE_CHECKING:  # alembic is imported where it is used
    from alembic.config import Config
    from alembic.script import ScriptDirectory

BASELINE = "0001"
LEGACY_SCHEMA_VERSION = "3"       # meta.schema_version of databases made before migrations
_PG_LOCK_KEY = 0x6865636861       # "hecha"


class SchemaVersionError(RuntimeError):
    pass


@dataclass(frozen=True)
class MigrationResult:
    before: str | None    # revision before (None: empty database; "legacy-3": pre-Alembic schema 3)
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


def _config(connection: Connection | None = None) -> Config:
    from alembic.config import Config
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


@lru_cache(maxsize=1)
def _scripts() -> ScriptDirectory:
    from alembic.script import ScriptDirectory
    return ScriptDirectory.from_config(_config())


def head() -> str:
    current = _scripts().get_current_head()
    if current is None:
        raise RuntimeError("the server's migrations have no head revision")
    return current


def known(revision: str) -> bool:
    return any(s.revision == revision for s in _scripts().walk_revisions())


def current_revision(conn: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext
    return MigrationContext.configure(conn).get_current_revision()


def _baseline_tables() -> set[str]:
    module = _scripts().get_revision(BASELINE).module
    return set(module.TABLES)


def state(conn: Connection) -> str | None:
    """The database's revision; None if it is empty; "legacy-3" for a pre-Alembic schema-3 database.
    Raises SchemaVersionError for anything else (an older or foreign schema, a newer program's)."""
    tables = set(inspect(conn).get_table_names())
    if "alembic_version" in tables:
        rev = current_revision(conn)
        if rev is not None and not known(rev):
            raise SchemaVersionError(f"服务器数据库的结构版本（{rev}）比本程序新：请使用更新版本的程序")
        return rev
    tables.discard("sqlite_sequence")
    if not tables:
        return None
    version = None
    if "meta" in tables:
        version = conn.execute(text("SELECT value FROM meta WHERE key = 'schema_version'")).scalar()
    if version == LEGACY_SCHEMA_VERSION and _baseline_tables() <= tables:
        return "legacy-3"
    raise SchemaVersionError(
        f"服务器数据库的结构版本（{version or '旧版'}）无法升级到本程序（{head()}）："
        f"请换一个数据库文件，或删除后重新载入数据")


def upgrade(engine: Engine) -> MigrationResult:
    """Brings the database to the newest revision (an empty one is created); idempotent."""
    from alembic import command
    with engine.connect() as conn:
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
            before = state(conn)
            target = head()
            if before == target:
                return MigrationResult(before, target)
            cfg = _config(conn)
            if before == "legacy-3":
                command.stamp(cfg, BASELINE)
            command.upgrade(cfg, "head")
            return MigrationResult(before, current_revision(conn) or target)


def check(engine: Engine) -> str | None:
    """The revision the database is at, without changing it (None: empty)."""
    with engine.connect() as conn:
        return state(conn)
