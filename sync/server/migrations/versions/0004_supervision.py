"""Supervision: case deadlines and load times, the place index, the PCs' sync status.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("cases", sa.Column("created_at", sa.String(length=32), nullable=True))
    op.add_column("cases", sa.Column("deadline", sa.String(length=10), nullable=True))
    # A case was loaded when its first version was written.
    op.execute("UPDATE cases SET created_at = (SELECT MIN(history.at) FROM history "
               "WHERE history.case_id = cases.case_id)")
    op.create_index("ix_cases_place", "cases", ["place"])
    op.create_table(
        "device_status",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.String(length=128), nullable=False),
        sa.Column("last_sync", sa.String(length=32), nullable=False),
        sa.Column("pending_ops", sa.Integer(), nullable=False),
        sa.Column("pending", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("username", "device_id"),
    )


def downgrade() -> None:
    op.drop_table("device_status")
    op.drop_index("ix_cases_place", table_name="cases")
    op.drop_column("cases", "deadline")
    op.drop_column("cases", "created_at")
