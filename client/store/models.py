"""SQLAlchemy models of the current schema: cases (shadow + overlay), outbox, audit, sync state.

The DDL that creates these tables lives in migrations.py (frozen per version); a test checks
that the migrated schema and these models agree column for column.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Table, Text, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# The states of cases.local_state and outbox.state, and their transitions: client/lifecycle.py.

# SQL NULL (not the JSON text 'null') for a Python None, so `IS NULL` means "none".
NullableJSON = JSON(none_as_null=True)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, Any: JSON}


class Case(Base):
    """One case: the server's last known version (shadow) and the worker's unsent edits (overlay)."""

    __tablename__ = "cases"

    id: Mapped[str] = mapped_column(String, primary_key=True)
    kind: Mapped[str] = mapped_column(String)
    shadow_version: Mapped[int] = mapped_column(Integer)
    shadow_data: Mapped[dict[str, Any]] = mapped_column(JSON)
    overlay: Mapped[Any | None] = mapped_column(NullableJSON, nullable=True)
    local_state: Mapped[str] = mapped_column(String, server_default=text("'open'"))
    removed: Mapped[dict[str, Any] | None] = mapped_column(NullableJSON, nullable=True)
    updated_at: Mapped[str] = mapped_column(String)
    # Search columns, derived from the case data by search.search_columns().
    name_norm: Mapped[str] = mapped_column(String, server_default=text("''"))
    id_number: Mapped[str] = mapped_column(String, server_default=text("''"))
    place: Mapped[str] = mapped_column(String, server_default=text("''"))
    # Sort columns of the worklist (the shown name's pinyin, the shown person's sex and birth
    # date, the main problem's code).
    name_key: Mapped[str] = mapped_column(String, server_default=text("''"))
    sex: Mapped[str] = mapped_column(String, server_default=text("''"))
    birth_date: Mapped[str] = mapped_column(String, server_default=text("''"))
    problem: Mapped[str] = mapped_column(String, server_default=text("''"))
    problem_text: Mapped[str] = mapped_column(String, server_default=text("''"))

    # Each index ends with `id`: worklists select ids (rows load lazily), so a filter is
    # answered from the index alone instead of reading ~1 KB rows through the cipher.
    __table_args__ = (
        Index("ix_cases_kind_state", "kind", "local_state", "id"),
        Index("ix_cases_name_norm", "name_norm", "id"),
        Index("ix_cases_id_number", "id_number", "id"),
        Index("ix_cases_place", "place", "id"),
        Index("ix_cases_name_key", "name_key", "id"),
        Index("ix_cases_sex", "sex", "id"),
        Index("ix_cases_birth_date", "birth_date", "id"),
        Index("ix_cases_problem", "problem", "problem_text", "id"),
    )


class CaseInitials(Base):
    """Every pinyin-initials reading of a case's searchable names (polyphones give several)."""

    __tablename__ = "case_initials"

    initials: Mapped[str] = mapped_column(String, primary_key=True)
    case_id: Mapped[str] = mapped_column(
        String, ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)

    __table_args__ = (
        Index("ix_case_initials_case", "case_id"),
        {"sqlite_with_rowid": False},
    )


class OutboxOp(Base):
    """One operation waiting for (or done with) the server; `seq` is the send order."""

    __tablename__ = "outbox"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    op_id: Mapped[str] = mapped_column(String, unique=True)
    case_id: Mapped[str] = mapped_column(String)
    action: Mapped[str] = mapped_column(String)
    base_version: Mapped[int] = mapped_column(Integer)
    prev_op_id: Mapped[str | None] = mapped_column(String, nullable=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String, server_default=text("'pending'"))
    attempts: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    result: Mapped[dict[str, Any] | None] = mapped_column(NullableJSON, nullable=True)
    owner: Mapped[str] = mapped_column(String)
    created_at: Mapped[str] = mapped_column(String)
    sent_at: Mapped[str | None] = mapped_column(String, nullable=True)
    done_at: Mapped[str | None] = mapped_column(String, nullable=True)

    __table_args__ = (
        Index("ix_outbox_state_seq", "state", "seq"),
        Index("ix_outbox_case", "case_id"),
        # AUTOINCREMENT: a seq is never reused, so the send order survives deletions.
        {"sqlite_autoincrement": True},
    )


class AuditEntry(Base):
    """Who changed what and why, with the device time (recorded, never trusted for ordering)."""

    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[str] = mapped_column(String)
    actor: Mapped[str] = mapped_column(String)
    case_id: Mapped[str] = mapped_column(String)
    op_id: Mapped[str | None] = mapped_column(String, nullable=True)
    field: Mapped[str | None] = mapped_column(String, nullable=True)
    old: Mapped[Any | None] = mapped_column(NullableJSON, nullable=True)
    new: Mapped[Any | None] = mapped_column(NullableJSON, nullable=True)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)  # schema v2

    __table_args__ = (
        Index("ix_audit_case", "case_id"),
        Index("ix_audit_op", "op_id"),
    )


class SyncState(Base):
    """Key/value sync bookkeeping: cursor, scope_digest, last_sync_server_time, owner, page token."""

    __tablename__ = "sync_state"

    key: Mapped[str] = mapped_column(String, primary_key=True)
    value: Mapped[Any | None] = mapped_column(NullableJSON, nullable=True)


# Declarative classes type __table__ as a FromClause; these are Tables (insert/update/delete).
cases_table = cast(Table, Case.__table__)
case_initials_table = cast(Table, CaseInitials.__table__)
outbox_table = cast(Table, OutboxOp.__table__)
audit_table = cast(Table, AuditEntry.__table__)
sync_state_table = cast(Table, SyncState.__table__)
