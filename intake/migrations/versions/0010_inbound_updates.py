"""The durable inbox of webhook updates, the leases of periodic jobs and the shared send rate, for several workers.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

MOMENT = sa.DateTime(timezone=True)
ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Create inbound_updates, job_leases and send_slots."""
    op.create_table(
        "inbound_updates",
        sa.Column("id", ROW_ID, nullable=False),
        sa.Column("bot_id", sa.BigInteger(), nullable=False),
        sa.Column("update_id", sa.BigInteger(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=True),
        sa.Column("payload", sa.Text(), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("holder", sa.String(length=120), nullable=True),
        sa.Column("lease_until", MOMENT, nullable=True),
        sa.Column("received_at", MOMENT, nullable=False),
        sa.Column("applied_at", MOMENT, nullable=True),
        sa.Column("done_at", MOMENT, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_inbound_updates"),
        sa.UniqueConstraint("bot_id", "update_id", name="uq_inbound_updates_bot_id_update_id"),
    )
    op.create_index("ix_inbound_updates_pending", "inbound_updates", ["state", "chat_id", "update_id"])
    op.create_index("ix_inbound_updates_received_at", "inbound_updates", ["received_at"])
    op.create_table(
        "job_leases",
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("holder", sa.String(length=120), nullable=False),
        sa.Column("lease_until", MOMENT, nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_job_leases"),
    )
    op.create_table(
        "send_slots",
        sa.Column("second", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("sent", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("second", name="pk_send_slots"),
    )


def downgrade() -> None:
    """Drop send_slots, job_leases and inbound_updates."""
    op.drop_table("send_slots")
    op.drop_table("job_leases")
    op.drop_index("ix_inbound_updates_received_at", table_name="inbound_updates")
    op.drop_index("ix_inbound_updates_pending", table_name="inbound_updates")
    op.drop_table("inbound_updates")
