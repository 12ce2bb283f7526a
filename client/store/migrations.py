"""Versioned schema migrations, tracked in PRAGMA user_version; each runs in one transaction.

The DDL of a released version is frozen: change the schema only by appending a migration.
Migrations use plain SQL (not the models, which describe the latest schema only).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import Connection, Engine

from client.store.errors import SchemaTooNewError


def _v1_initial(conn: Connection) -> None:
    for ddl in (
        """CREATE TABLE cases (
            id VARCHAR NOT NULL PRIMARY KEY,
            kind VARCHAR NOT NULL,
            shadow_version INTEGER NOT NULL,
            shadow_data JSON NOT NULL,
            overlay JSON,
            local_state VARCHAR DEFAULT 'open' NOT NULL,
            removed JSON,
            updated_at VARCHAR NOT NULL,
            name_norm VARCHAR DEFAULT '' NOT NULL,
            id_number VARCHAR DEFAULT '' NOT NULL,
            place VARCHAR DEFAULT '' NOT NULL)""",
        "CREATE INDEX ix_cases_kind_state ON cases (kind, local_state, id)",
        "CREATE INDEX ix_cases_name_norm ON cases (name_norm, id)",
        "CREATE INDEX ix_cases_id_number ON cases (id_number, id)",
        "CREATE INDEX ix_cases_place ON cases (place, id)",
        """CREATE TABLE outbox (
            seq INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
            op_id VARCHAR NOT NULL UNIQUE,
            case_id VARCHAR NOT NULL,
            action VARCHAR NOT NULL,
            base_version INTEGER NOT NULL,
            prev_op_id VARCHAR,
            payload JSON NOT NULL,
            state VARCHAR DEFAULT 'pending' NOT NULL,
            attempts INTEGER DEFAULT 0 NOT NULL,
            last_error TEXT,
            result JSON,
            owner VARCHAR NOT NULL,
            created_at VARCHAR NOT NULL,
            sent_at VARCHAR,
            done_at VARCHAR)""",
        "CREATE INDEX ix_outbox_state_seq ON outbox (state, seq)",
        "CREATE INDEX ix_outbox_case ON outbox (case_id)",
        """CREATE TABLE audit (
            id INTEGER NOT NULL PRIMARY KEY,
            at VARCHAR NOT NULL,
            actor VARCHAR NOT NULL,
            case_id VARCHAR NOT NULL,
            op_id VARCHAR,
            field VARCHAR,
            old JSON,
            new JSON)""",
        "CREATE INDEX ix_audit_case ON audit (case_id)",
        "CREATE INDEX ix_audit_op ON audit (op_id)",
        """CREATE TABLE sync_state (
            key VARCHAR NOT NULL PRIMARY KEY,
            value JSON)""",
    ):
        conn.exec_driver_sql(ddl)


def _v2_reasons_and_initials(conn: Connection) -> None:
    """Audit rows get the worker's reason; pinyin initials get their own index table."""
    from client.store import search  # the domain's pinyin, needed only for the backfill

    conn.exec_driver_sql("ALTER TABLE audit ADD COLUMN reason TEXT")
    conn.exec_driver_sql(
        """CREATE TABLE case_initials (
            initials VARCHAR NOT NULL,
            case_id VARCHAR NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
            PRIMARY KEY (initials, case_id)) WITHOUT ROWID""")
    conn.exec_driver_sql("CREATE INDEX ix_case_initials_case ON case_initials (case_id)")
    rows = []
    for case_id, kind, data, overlay in conn.exec_driver_sql("SELECT id, kind, shadow_data, overlay FROM cases"):
        seen = search.with_overlay(kind, json.loads(data), json.loads(overlay) if overlay else None)
        for initials in search.search_columns(kind, seen).initials:
            rows.append((initials, case_id))
    if rows:
        conn.exec_driver_sql("INSERT INTO case_initials (initials, case_id) VALUES (?, ?)", rows)


def _v3_sort_columns(conn: Connection) -> None:
    """Worklist sort columns: the shown name's pinyin, the shown person's sex and birth date,
    the main problem's code."""
    from client.store import search

    for column in ("name_key", "sex", "birth_date", "problem", "problem_text"):
        conn.exec_driver_sql(f"ALTER TABLE cases ADD COLUMN {column} VARCHAR DEFAULT '' NOT NULL")
    for column in ("name_key", "sex", "birth_date", "problem, problem_text"):
        name = column.split(",")[0]
        conn.exec_driver_sql(f"CREATE INDEX ix_cases_{name} ON cases ({column}, id)")
    rows = []
    for case_id, kind, data, overlay in conn.exec_driver_sql("SELECT id, kind, shadow_data, overlay FROM cases"):
        seen = search.with_overlay(kind, json.loads(data), json.loads(overlay) if overlay else None)
        cols = search.search_columns(kind, seen)
        rows.append((cols.name_key, cols.sex, cols.birth_date, cols.problem, cols.problem_text,
                     case_id))
    if rows:
        conn.exec_driver_sql("UPDATE cases SET name_key = ?, sex = ?, birth_date = ?, problem = ?,"
                             " problem_text = ? WHERE id = ?", rows)


def _v4_sent_ops(conn: Connection) -> None:
    """An op sent at least once whose outcome is unknown is 'sending', no longer 'pending'
    (client/lifecycle.py): 'pending' now means never sent, so still foldable and discardable."""
    conn.exec_driver_sql("UPDATE outbox SET state = 'sending' WHERE state = 'pending' AND attempts > 0")


MIGRATIONS: list[Callable[[Connection], None]] = [_v1_initial, _v2_reasons_and_initials, _v3_sort_columns,
                                                  _v4_sent_ops]
LATEST = len(MIGRATIONS)


def upgrade(engine: Engine, target: int | None = None) -> int:
    """Apply the missing migrations up to `target` (default: latest); returns the final version.

    `engine` must begin transactions with BEGIN IMMEDIATE, so two processes opening the same
    new file cannot both run a migration: the version is re-read under the write lock.
    """
    target = LATEST if target is None else target
    if not 0 <= target <= LATEST:
        raise ValueError(f"unknown schema version {target}")
    with engine.connect() as conn:
        while True:
            with conn.begin():
                current = int(conn.exec_driver_sql("PRAGMA user_version").scalar_one())
                if current > LATEST:
                    raise SchemaTooNewError(detail=f"schema {current} > {LATEST}")
                if current >= target:
                    return current
                MIGRATIONS[current](conn)
                # user_version lives in the file header, so it commits with the migration.
                conn.exec_driver_sql(f"PRAGMA user_version = {current + 1}")
