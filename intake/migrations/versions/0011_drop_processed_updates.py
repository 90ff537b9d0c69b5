"""Long polling stores updates in the inbox too, so the table of handled update ids goes.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Drop processed_updates: the inbox (inbound_updates) recognises a second delivery in both modes."""
    op.drop_index("ix_processed_updates_received_at", table_name="processed_updates")
    op.drop_table("processed_updates")


def downgrade() -> None:
    """Create processed_updates again, empty."""
    op.create_table(
        "processed_updates",
        sa.Column("bot_id", sa.BigInteger(), nullable=False),
        sa.Column("update_id", sa.BigInteger(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("bot_id", "update_id", name="pk_processed_updates"),
    )
    op.create_index("ix_processed_updates_received_at", "processed_updates", ["received_at"])
