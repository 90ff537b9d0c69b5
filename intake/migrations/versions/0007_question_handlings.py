"""Marks on asked questions that staff have dealt with (the questions page shows the others).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# Written out rather than imported from intake.models, as in 0001.
MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create question_handlings."""
    op.create_table(
        "question_handlings",
        sa.Column("outcome_id", sa.Integer(), nullable=False),
        sa.Column("handled_by", sa.String(length=254), nullable=False),
        sa.Column("card_id", sa.String(length=128), nullable=True),
        sa.Column("handled_at", MOMENT, nullable=False),
        sa.ForeignKeyConstraint(["outcome_id"], ["answer_outcomes.id"],
                                name="fk_question_handlings_outcome_id_answer_outcomes", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("outcome_id", name="pk_question_handlings"),
    )


def downgrade() -> None:
    """Drop question_handlings."""
    op.drop_table("question_handlings")
