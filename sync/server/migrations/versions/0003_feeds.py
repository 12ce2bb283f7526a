"""Case feeds: external ids of imported cases, the place → account assignment table, and each history
version's decision (history.resolution, for hecha server export-results).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feed_cases",
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("record_hash", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=255), nullable=False),
        sa.Column("imported_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("case_id"),
        sa.UniqueConstraint("kind", "external_id", name="uq_feed_cases_external"),
    )
    op.create_table(
        "assignments",
        sa.Column("place_prefix", sa.String(length=12), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("place_prefix"),
    )
    with op.batch_alter_table("history") as batch:
        batch.add_column(sa.Column("resolution", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("history") as batch:
        batch.drop_column("resolution")
    op.drop_table("assignments")
    op.drop_table("feed_cases")
