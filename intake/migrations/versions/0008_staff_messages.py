"""The messages between the Division and an applicant, sent and answered through the bot.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# Written out rather than imported from intake.models, as in 0001.
MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create staff_messages."""
    op.create_table(
        "staff_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=20), nullable=False),
        sa.Column("author", sa.String(length=254), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("telegram_message_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("next_attempt_at", MOMENT, nullable=True),
        sa.Column("sent_at", MOMENT, nullable=True),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(["session_id"], ["intake_sessions.id"],
                                name="fk_staff_messages_session_id_intake_sessions", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_staff_messages"),
    )
    op.create_index("ix_staff_messages_session_id", "staff_messages", ["session_id"])


def downgrade() -> None:
    """Drop staff_messages."""
    op.drop_table("staff_messages")
