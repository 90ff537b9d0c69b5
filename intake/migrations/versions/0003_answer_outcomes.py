"""Answer outcomes: the decision on each message, masked, with the applicant's feedback.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Written out rather than imported from intake.models, as in 0001.
MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create answer_outcomes."""
    op.create_table(
        "answer_outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=True),
        sa.Column("language", sa.String(length=20), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("chosen", sa.String(length=128), nullable=True),
        sa.Column("parts", sa.Integer(), nullable=False),
        sa.Column("feedback", sa.String(length=16), nullable=True),
        sa.Column("reply_message_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.ForeignKeyConstraint(
            ["applicant_id"], ["applicants.id"], name="fk_answer_outcomes_applicant_id_applicants", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_answer_outcomes"),
    )
    op.create_index("ix_answer_outcomes_applicant_id", "answer_outcomes", ["applicant_id"])
    op.create_index("ix_answer_outcomes_created_at", "answer_outcomes", ["created_at"])


def downgrade() -> None:
    """Drop answer_outcomes."""
    op.drop_table("answer_outcomes")
