"""Chat channel state: updates already handled (deduplication) and deadline reminders sent.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Written out rather than imported from intake.models, as in 0001.
MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create processed_updates and reminders_sent."""
    op.create_table(
        "processed_updates",
        sa.Column("bot_id", sa.BigInteger(), nullable=False),
        sa.Column("update_id", sa.BigInteger(), nullable=False),
        sa.Column("received_at", MOMENT, nullable=False),
        sa.PrimaryKeyConstraint("bot_id", "update_id", name="pk_processed_updates"),
    )
    op.create_index("ix_processed_updates_received_at", "processed_updates", ["received_at"])
    op.create_table(
        "reminders_sent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=False),
        sa.Column("edition", sa.Integer(), nullable=False),
        sa.Column("days_before", sa.Integer(), nullable=False),
        sa.Column("sent_at", MOMENT, nullable=False),
        sa.ForeignKeyConstraint(
            ["applicant_id"], ["applicants.id"], name="fk_reminders_sent_applicant_id_applicants", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_reminders_sent"),
        sa.UniqueConstraint(
            "applicant_id", "edition", "days_before", name="uq_reminders_sent_applicant_id_edition_days_before"
        ),
    )
    op.create_index("ix_reminders_sent_applicant_id", "reminders_sent", ["applicant_id"])


def downgrade() -> None:
    """Drop the two tables."""
    op.drop_table("reminders_sent")
    op.drop_table("processed_updates")
