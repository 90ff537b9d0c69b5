"""The review workflow: each intake's review status and reviewer, and the history of changes and notes.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Written out rather than imported from intake.models, as in 0001.
MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create intake_reviews and review_events."""
    op.create_table(
        "intake_reviews",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("reviewer", sa.String(length=254), nullable=True),
        sa.Column("updated_at", MOMENT, nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["intake_sessions.id"],
                                name="fk_intake_reviews_session_id_intake_sessions", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("session_id", name="pk_intake_reviews"),
    )
    op.create_table(
        "review_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=254), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["intake_sessions.id"],
                                name="fk_review_events_session_id_intake_sessions", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_review_events"),
    )
    op.create_index("ix_review_events_session_id", "review_events", ["session_id"])


def downgrade() -> None:
    """Drop review_events and intake_reviews."""
    op.drop_table("review_events")
    op.drop_table("intake_reviews")
