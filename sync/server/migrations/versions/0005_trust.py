"""Trust (issue 11): lockout and password-expiry columns, the client-certificate fingerprint, password
history, the per-address login throttle and the hash-chained audit log; the token-signing key leaves
the database; the training flag is stored in it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("password_changed_at", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("locked_until", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("cert_fingerprint", sa.String(length=64), nullable=True))
        batch.create_unique_constraint("uq_users_cert_fingerprint", ["cert_fingerprint"])
    with op.batch_alter_table("users") as batch:
        batch.alter_column("failed_logins", server_default=None)

    op.create_table("password_history",
    sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
    sa.Column("user_id", sa.Integer(), nullable=False),
    sa.Column("password_hash", sa.String(length=255), nullable=False),
    sa.Column("at", sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint("id")
    )
    op.create_index("ix_password_history_user_id", "password_history", ["user_id"])

    op.create_table("login_throttle",
    sa.Column("address", sa.String(length=64), nullable=False),
    sa.Column("window_start", sa.String(length=32), nullable=False),
    sa.Column("failures", sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint("address")
    )

    op.create_table("audit_log",
    sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
    sa.Column("at", sa.String(length=32), nullable=False),
    sa.Column("actor", sa.String(length=64), nullable=False),
    sa.Column("role", sa.String(length=16), nullable=False),
    sa.Column("address", sa.String(length=64), nullable=False),
    sa.Column("device", sa.String(length=128), nullable=False),
    sa.Column("action", sa.String(length=40), nullable=False),
    sa.Column("target", sa.String(length=200), nullable=False),
    sa.Column("outcome", sa.String(length=24), nullable=False),
    sa.Column("detail", sa.Text(), nullable=False),
    sa.Column("prev_hash", sa.String(length=64), nullable=False),
    sa.Column("hash", sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint("seq"),
    sqlite_autoincrement=True,
    )
    op.create_index("ix_audit_at", "audit_log", ["at"])
    op.create_index("ix_audit_actor", "audit_log", ["actor", "seq"])

    meta = sa.table("meta", sa.column("key", sa.String), sa.column("value", sa.Text))
    conn = op.get_bind()
    # The signing key never stays in the database (a token forged from a copied DB was accepted).
    conn.execute(sa.delete(meta).where(meta.c.key == "secret"))
    # A database that already holds accounts keeps its kind: demo accounts exist only on training
    # servers. An empty one is decided by the first server that opens it.
    users = sa.table("users", sa.column("demo_password", sa.String))
    n_users = conn.execute(sa.select(sa.func.count()).select_from(users)).scalar()
    has_training = conn.execute(sa.select(meta.c.key).where(meta.c.key == "training")).first()
    if n_users and not has_training:
        demo = conn.execute(sa.select(sa.func.count()).select_from(users)
                            .where(users.c.demo_password.is_not(None))).scalar()
        conn.execute(sa.insert(meta).values(key="training", value="1" if demo else "0"))


def downgrade() -> None:
    op.drop_index("ix_audit_actor", table_name="audit_log")
    op.drop_index("ix_audit_at", table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_table("login_throttle")
    op.drop_index("ix_password_history_user_id", table_name="password_history")
    op.drop_table("password_history")
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint("uq_users_cert_fingerprint", type_="unique")
        batch.drop_column("cert_fingerprint")
        batch.drop_column("locked_until")
        batch.drop_column("failed_logins")
        batch.drop_column("password_changed_at")
