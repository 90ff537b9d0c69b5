"""Staff sign-in sessions: a token digest, a CSRF token and the times that make a session expire.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Written out rather than imported from intake.models, as in 0001.
MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create staff_sessions."""
    op.create_table(
        "staff_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_digest", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("last_seen_at", MOMENT, nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["staff_accounts.id"], name="fk_staff_sessions_account_id_staff_accounts",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_staff_sessions"),
        sa.UniqueConstraint("token_digest", name="uq_staff_sessions_token_digest"),
    )
    op.create_index("ix_staff_sessions_account_id", "staff_sessions", ["account_id"])


def downgrade() -> None:
    """Drop staff_sessions."""
    op.drop_table("staff_sessions")
