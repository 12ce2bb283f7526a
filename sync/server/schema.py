"""SQLAlchemy Core tables of the reference server (portable SQL: SQLite by default, PostgreSQL works)."""

from __future__ import annotations

from sqlalchemy import (BigInteger, Boolean, Column, Index, Integer, MetaData, String, Table, Text,
                        UniqueConstraint)

metadata = MetaData()

# Small key/value facts: training flag, epoch, change-log floor, the starting-state snapshot.
meta = Table(
    "meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("role", String(16), nullable=False),
    Column("jurisdiction", String(12), nullable=False),
    Column("display_name", String(128), nullable=False),
    Column("epoch", Integer, nullable=False, default=0),   # bumped when the scope rules change
    Column("active", Boolean, nullable=False, default=True),
    Column("demo_password", String(128)),                  # demo accounts only, for printing
    Column("created_at", String(32), nullable=False),
    Column("password_changed_at", String(32)),             # for the expiry policy
    Column("failed_logins", Integer, nullable=False, default=0),  # consecutive wrong passwords
    Column("locked_until", String(32)),                    # lockout after too many of them
    Column("cert_fingerprint", String(64)),                # SHA-256 of the client certificate (hex)
    Column("must_change_password", Boolean, nullable=False, default=False),  # set by an admin: new or reset
    UniqueConstraint("cert_fingerprint", name="uq_users_cert_fingerprint"),
)

# The last passwords of each account (hashes), so a new one cannot repeat them.
password_history = Table(
    "password_history", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, nullable=False, index=True),
    Column("password_hash", String(255), nullable=False),
    Column("at", String(32), nullable=False),
)

# Failed logins per client address in the current window (shared by every server process).
login_throttle = Table(
    "login_throttle", metadata,
    Column("address", String(64), primary_key=True),
    Column("window_start", String(32), nullable=False),
    Column("failures", Integer, nullable=False, default=0),
)

# The append-only, hash-chained audit log (工作留痕): see sync/server/audit.py.
audit_log = Table(
    "audit_log", metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("at", String(32), nullable=False),
    Column("actor", String(64), nullable=False),
    Column("role", String(16), nullable=False),
    Column("address", String(64), nullable=False),
    Column("device", String(128), nullable=False),
    Column("action", String(40), nullable=False),
    Column("target", String(200), nullable=False),
    Column("outcome", String(24), nullable=False),
    Column("detail", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Index("ix_audit_at", "at"),
    Index("ix_audit_actor", "actor", "seq"),
    sqlite_autoincrement=True,
)

refresh_tokens = Table(
    "refresh_tokens", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("family_id", String(32), nullable=False, index=True),
    Column("user_id", Integer, nullable=False),
    Column("device_id", String(128)),
    Column("issued_at", String(32), nullable=False),
    Column("expires_at", String(32), nullable=False),
    Column("used_at", String(32)),
    Column("successor_response", Text),   # the pair handed out on rotation, encrypted with the old token
    Column("revoked", Boolean, nullable=False, default=False),
)

households = Table(
    "households", metadata,
    Column("household_id", String(64), primary_key=True),
    Column("place", String(12), nullable=False, default=""),
    Column("address", Text, nullable=False, default=""),
    Column("head_person_id", String(64)),
    Column("version", Integer, nullable=False, default=1),
)

persons = Table(
    "persons", metadata,
    Column("person_id", String(64), primary_key=True),
    Column("household_id", String(64), index=True),
    Column("status", String(16), nullable=False, default="active"),
    Column("merged_into", String(64)),
    Column("version", Integer, nullable=False, default=1),
    Column("id_number", String(32), index=True),         # parents are found by ID number
    Column("mother_id_number", String(32), index=True),  # a mother's other children
    Column("birth_cert_number", String(32), index=True), # certificate numbers are unique
    Column("data", Text, nullable=False),      # canonical person fields as JSON
)

cases = Table(
    "cases", metadata,
    Column("case_id", String(64), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("status", String(16), nullable=False, default="open"),  # open|completed|withdrawn|deleted
    Column("assigned_to", String(64), nullable=False),
    Column("place", String(12), nullable=False, default=""),
    Column("version", Integer, nullable=False, default=1),
    Column("data", Text, nullable=False),      # rendered wire data (what clients receive)
    Column("spec", Text, nullable=False),      # which persons/households the case shows
    Column("resolution", Text),
    Column("completed_by", String(64)),
    Column("updated_at", String(32), nullable=False),
    Column("created_at", String(32)),          # when the case was first loaded (oldest open case)
    Column("deadline", String(10)),            # YYYY-MM-DD from the feed or the office; None: none
    Index("ix_cases_scope", "assigned_to", "status", "case_id"),
    Index("ix_cases_place", "place"),
)

# Which persons and households a case shows: a change to any of them re-renders the case.
case_links = Table(
    "case_links", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String(64), nullable=False, index=True),
    Column("person_id", String(64), index=True),
    Column("household_id", String(64), index=True),
)

# Global change log: one row per case change, seen by the assignee after and before it.
change_log = Table(
    "change_log", metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("case_id", String(64), nullable=False),
    Column("version", Integer, nullable=False),
    Column("assignee", String(64), nullable=False),
    Column("prev_assignee", String(64)),
    Column("at", String(32), nullable=False),
    Index("ix_change_assignee", "assignee", "seq"),
    Index("ix_change_prev", "prev_assignee", "seq"),
    Index("ix_change_at", "at"),
    sqlite_autoincrement=True,   # seq never reuses numbers, even after retention deleted the tail
)

# Every version of every case: actor, time, op and the rendered data (for conflicts and audit).
history = Table(
    "history", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String(64), nullable=False),
    Column("version", Integer, nullable=False),
    Column("actor", String(64), nullable=False),
    Column("at", String(32), nullable=False),
    Column("op_id", String(64)),
    Column("action", String(40), nullable=False),
    Column("status", String(16), nullable=False),
    Column("assigned_to", String(64), nullable=False),
    Column("data", Text, nullable=False),
    Column("resolution", Text),                # the decision of this version (revision 0003)
    UniqueConstraint("case_id", "version", name="uq_history_case_version"),
)

person_history = Table(
    "person_history", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("person_id", String(64), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("actor", String(64), nullable=False),
    Column("at", String(32), nullable=False),
    Column("op_id", String(64)),
    Column("action", String(40), nullable=False),
    Column("data", Text, nullable=False),
)

# The result of every op, stored in the same transaction as its effect, for ever.
op_results = Table(
    "op_results", metadata,
    Column("op_id", String(64), primary_key=True),
    Column("username", String(64), nullable=False),
    Column("record_id", String(64), nullable=False),
    Column("payload_hash", String(64), nullable=False),
    Column("status", String(24), nullable=False),
    Column("result", Text, nullable=False),
    Column("at", String(32), nullable=False),
    Column("seq", Integer, nullable=False, default=0),
    Index("ix_op_results_record", "record_id", "username"),
)

# Trainer/test fault rules (/v1/admin/faults): the next `remaining` requests under `prefix` answer
# `status` with Retry-After. In the database, so every worker process honours them (revision 0002).
faults = Table(
    "faults", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("prefix", String(256), nullable=False),
    Column("status", Integer, nullable=False),
    Column("retry_after", Integer, nullable=False),
    Column("remaining", Integer, nullable=False),
)

# Cases that came from the platform's feeds (hecha server import): the platform's external id, and the
# hash of the record last imported (same hash: nothing to do; another: a new version). Revision 0003.
feed_cases = Table(
    "feed_cases", metadata,
    Column("case_id", String(64), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("external_id", String(64), nullable=False),
    Column("record_hash", String(64), nullable=False),
    Column("source", String(255), nullable=False),
    Column("imported_at", String(32), nullable=False),
    UniqueConstraint("kind", "external_id", name="uq_feed_cases_external"),
)

# Which account gets the cases of a place (longest matching division-code prefix wins). Empty: the
# township account whose jurisdiction covers the place. Revision 0003.
assignments = Table(
    "assignments", metadata,
    Column("place_prefix", String(12), primary_key=True),
    Column("username", String(64), nullable=False),
)

# What each worker's PC told the server at the end of its last sync (supervision figures): the
# cases it still holds unsent operations for (conflicts to resolve, rejected edits to redo, ops
# held back), per device. Work done offline after that sync is unknown until the next one.
device_status = Table(
    "device_status", metadata,
    Column("username", String(64), primary_key=True),
    Column("device_id", String(128), primary_key=True),
    Column("last_sync", String(32), nullable=False),
    Column("pending_ops", Integer, nullable=False, default=0),
    Column("pending", Text, nullable=False),   # JSON {case_id: number of unsent ops}
)
